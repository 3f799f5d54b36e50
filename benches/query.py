#!/usr/bin/env python3
"""Query benchmark: `oktaform query` streams COUNT events (limit=1000, every page) from the
simulated org to /dev/null, against the official Python SDK paging the same query
(`list_log_events` + `PaginationHelper`) and a plain HTTP loop following `next` links (the
limit). Reports events per second, the ratios, and oktaform's peak memory.

usage: query.py BINARY SDK_PYTHON COUNT [COUNT...]
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

binary, sdk_python, counts = sys.argv[1], sys.argv[2], [int(c) for c in sys.argv[3:]]

SDK = r'''
import asyncio, os, sys
os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
from okta.client import Client
from okta.pagination import PaginationHelper
url, since, until = sys.argv[1:4]
async def main():
    total, cursor = 0, None
    async with Client({"orgUrl": url, "token": "bench-token"}) as okta:
        while True:
            if cursor is None:
                events, response, error = await okta.list_log_events(since=since, until=until, limit=1000)
            else:
                events, response, error = await okta.list_log_events(until=until, limit=1000, after=cursor)
            assert error is None, error
            total += len(events)
            cursor = PaginationHelper.extract_next_cursor(response.headers)
            if cursor is None:
                return total
print(asyncio.run(main()))
'''

for count in counts:
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    start = now - datetime.timedelta(seconds=count + 60)
    since, until = start.strftime("%Y-%m-%dT%H:%M:%SZ"), now.strftime("%Y-%m-%dT%H:%M:%SZ")
    work = tempfile.mkdtemp()
    seed = {"orgs": [{"domain": "acme.okta.com", "tokens": [{"token": "bench-token", "user": "admin@acme.com"}],
                      "users": [{"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]}],
                      "synthetic_log_events": {"count": count, "start": since, "seed": 1}}]}
    open(os.path.join(work, "seed.json"), "w").write(json.dumps(seed))
    os.makedirs(os.path.join(work, "config"))
    open(os.path.join(work, "config", "main.hcl"), "w").write(
        'connection "acme" {\n  domain = "acme.okta.com"\n  client_id = "0oa1"\n  service_account = "admin@acme.com"\n}\n\n'
        'scopes "acme" {\n  connection = connection.acme\n  grant = ["okta.logs.read"]\n}\n\n'
        f'log_query "everything" {{\n  connection = connection.acme\n  since = "{since}"\n  until = "{until}"\n'
        '  records = "all"\n  limit = 1000\n}\n')
    sim = subprocess.Popen([binary, "sim", "serve", "--seed", os.path.join(work, "seed.json"), "--listen", "127.0.0.1:0",
                            "--rate-limit", "100000000"], stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip().removeprefix("listening on ")
    try:
        started = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", binary, "query", "everything", os.path.join(work, "config"),
                                 "--endpoint", url], env=dict(os.environ, OKTA_API_TOKEN="bench-token"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        oktaform_secs = time.perf_counter() - started
        peak_kib = int(result.stderr.strip().splitlines()[-1])

        started = time.perf_counter()
        served = count_events(f"{url}/api/v1/logs?" + urllib.parse.urlencode({"since": since, "until": until, "limit": 1000}), "bench-token")
        http_secs = time.perf_counter() - started

        started = time.perf_counter()
        sdk = subprocess.run([sdk_python, "-c", SDK, url, since, until], capture_output=True, text=True, check=True)
        sdk_secs = time.perf_counter() - started
    finally:
        sim.terminate()
    assert served == count and int(sdk.stdout.strip()) == count, (served, sdk.stdout)
    rate = lambda secs: count / secs
    print(f"{count} events: oktaform {oktaform_secs:.2f} s ({rate(oktaform_secs):,.0f}/s, peak {peak_kib / 1024:.1f} MiB); "
          f"plain HTTP {http_secs:.2f} s ({rate(http_secs):,.0f}/s); SDK {sdk_secs:.2f} s ({rate(sdk_secs):,.0f}/s); "
          f"ratio to SDK {sdk_secs / oktaform_secs:.1f}, to plain HTTP {http_secs / oktaform_secs:.2f}")
