#!/usr/bin/env python3
"""Plan benchmark: N connections (each with its own Workflows app and service account)
against the simulated org with a fixed latency per request. Reports plan wall time as a
ratio to the critical path (the longest chain of dependent requests times the latency) and
requests per plan against the minimum.

usage: plan.py BINARY CONNECTIONS LATENCY_MS RUNS
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

binary, n, latency, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
if latency <= 0:
    sys.exit("LATENCY_MS must be positive: the critical path is measured in it")
AUTO = ["openid", "profile", "email", "phone", "address", "groups", "offline_access"]
work = tempfile.mkdtemp()
users = [{"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]}]
apps, hcl = [], []
for i in range(n):
    users.append({"id": f"00usvc{i:014d}", "login": f"svc{i}@acme.com", "roles": ["SUPER_ADMIN"]})
    apps.append({"id": f"0oawf{i:015d}", "name": "flow", "label": "Okta Workflows OAuth",
                 "assigned_users": [f"00usvc{i:014d}"], "grants": AUTO + ["okta.users.read"]})
    hcl.append(f'connection "c{i}" {{\n  domain = "acme.okta.com"\n  client_id = "0oawf{i:015d}"\n'
               f'  service_account = "svc{i}@acme.com"\n}}\n\nscopes "s{i}" {{\n  connection = connection.c{i}\n'
               f'  grant = ["okta.users.read", "okta.logs.read"]\n}}\n')
seed = {"orgs": [{"domain": "acme.okta.com", "tokens": [{"token": "bench-token", "user": "admin@acme.com"}],
                  "users": users, "apps": apps}]}
open(os.path.join(work, "seed.json"), "w").write(json.dumps(seed))
os.makedirs(os.path.join(work, "config"))
open(os.path.join(work, "config", "main.hcl"), "w").write("\n".join(hcl))

sim = subprocess.Popen([binary, "sim", "serve", "--seed", os.path.join(work, "seed.json"), "--listen", "127.0.0.1:0",
                        "--latency", str(latency), "--rate-limit", "100000"], stdout=subprocess.PIPE, text=True)
url = sim.stdout.readline().strip().removeprefix("listening on ")
env = dict(os.environ, OKTA_API_TOKEN="bench-token")
times, counts = [], []
try:
    for _ in range(runs):
        urllib.request.urlopen(urllib.request.Request(url + "/__sim/requests", method="DELETE", headers={"Authorization": "SSWS bench-token"}))
        started = time.perf_counter()
        subprocess.run([binary, "plan", os.path.join(work, "config"), "--endpoint", url, "--format", "json"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        counts.append(len(json.loads(urllib.request.urlopen(urllib.request.Request(
            url + "/__sim/requests", headers={"Authorization": "SSWS bench-token"})).read())))
finally:
    sim.terminate()
minimum = 2 + 5 * n
critical = 2 * latency / 1000
wall = statistics.median(times)
print(f"{n} connections, {latency} ms latency: plan {wall:.3f} s (median of {runs}), critical path {critical:.3f} s, "
      f"ratio {wall / critical:.2f} (target <= 1.25); requests {statistics.median(counts):.0f}, minimum {minimum}, "
      f"ratio {statistics.median(counts) / minimum:.2f} (target 1)")
