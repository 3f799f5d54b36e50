#!/usr/bin/env python3
"""System Log benchmark: the simulated org serves COUNT synthetic events (one a second,
ending now) to a bounded query with limit=1000, page after page. Reports events per second
and the sim's peak resident memory, which must not grow with COUNT.

usage: logs.py BINARY COUNT [COUNT...]
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

from paging import count_events

binary, counts = sys.argv[1], [int(c) for c in sys.argv[2:]]
for count in counts:
    now = datetime.datetime.now(datetime.timezone.utc)
    start = now - datetime.timedelta(seconds=count + 60)
    seed = {"orgs": [{"domain": "acme.okta.com", "tokens": [{"token": "bench-token", "user": "admin@acme.com"}],
                      "users": [{"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]}],
                      "synthetic_log_events": {"count": count, "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "seed": 1}}]}
    work = tempfile.mkdtemp()
    open(os.path.join(work, "seed.json"), "w").write(json.dumps(seed))
    sim = subprocess.Popen([binary, "sim", "serve", "--seed", os.path.join(work, "seed.json"), "--listen", "127.0.0.1:0",
                            "--rate-limit", "100000000"], stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip().removeprefix("listening on ")
    query = urllib.parse.urlencode({"since": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                    "until": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "limit": 1000})
    started = time.perf_counter()
    try:
        served = count_events(f"{url}/api/v1/logs?{query}", "bench-token")
        elapsed = time.perf_counter() - started
        peak = next(int(line.split()[1]) for line in open(f"/proc/{sim.pid}/status") if line.startswith("VmHWM"))
    finally:
        sim.terminate()
    print(f"{count} events: served {served} in {elapsed:.2f} s = {served / elapsed:,.0f} events/s; sim peak memory {peak / 1024:.1f} MiB")
