#!/usr/bin/env python3
"""Apply benchmark: GRANTS grants across APPS apps against the simulated org limited to LIMIT
requests per minute per bucket, or with `default` to Okta's documented limits (the
`/api/v1/apps*` bucket, where grants count, allows 100 a minute). Reports achieved requests
per minute in the apps bucket as a ratio to its limit, grant operations per minute, and 429
answers as a share of requests.

usage: apply.py BINARY APPS GRANTS_PER_APP LIMIT|default
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

binary, apps_n, per_app = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
limit_flags = [] if sys.argv[4] == "default" else ["--rate-limit", sys.argv[4]]
limit = 100 if sys.argv[4] == "default" else int(sys.argv[4])
AUTO = ["openid", "profile", "email", "phone", "address", "groups", "offline_access"]
catalog = json.load(open(os.path.join(os.path.dirname(__file__), "..", "schemas", "scopes.json")))
scopes = [s["name"] for s in catalog["scopes"] if s["name"].startswith("okta.") and s["stage"] == "GA"][:per_app]
work = tempfile.mkdtemp()
users = [{"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]}]
apps, hcl = [], []
for i in range(apps_n):
    users.append({"id": f"00usvc{i:014d}", "login": f"svc{i}@acme.com", "roles": ["SUPER_ADMIN"]})
    apps.append({"id": f"0oawf{i:015d}", "name": "flow", "label": "Okta Workflows OAuth",
                 "assigned_users": [f"00usvc{i:014d}"], "grants": AUTO})
    hcl.append(f'connection "c{i}" {{\n  domain = "acme.okta.com"\n  client_id = "0oawf{i:015d}"\n'
               f'  service_account = "svc{i}@acme.com"\n}}\n\nscopes "s{i}" {{\n  connection = connection.c{i}\n'
               f'  grant = {json.dumps(scopes)}\n}}\n')
seed = {"orgs": [{"domain": "acme.okta.com", "tokens": [{"token": "bench-token", "user": "admin@acme.com"}],
                  "users": users, "apps": apps}]}
open(os.path.join(work, "seed.json"), "w").write(json.dumps(seed))
os.makedirs(os.path.join(work, "config"))
open(os.path.join(work, "config", "main.hcl"), "w").write("\n".join(hcl))
sim = subprocess.Popen([binary, "sim", "serve", "--seed", os.path.join(work, "seed.json"), "--listen", "127.0.0.1:0",
                        *limit_flags, "--rate-window", "60s"], stdout=subprocess.PIPE, text=True)
url = sim.stdout.readline().strip().removeprefix("listening on ")
try:
    started = time.perf_counter()
    subprocess.run([binary, "apply", os.path.join(work, "config"), "--endpoint", url, "--auto-approve", "--format", "json"],
                   env=dict(os.environ, OKTA_API_TOKEN="bench-token"), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    records = json.loads(urllib.request.urlopen(urllib.request.Request(
        url + "/__sim/requests", headers={"Authorization": "SSWS bench-token"})).read())
finally:
    sim.terminate()
def in_apps_bucket(path):
    """`/api/v1/apps*` but the app itself (`/api/v1/apps/{id}`, a bucket of its own)."""
    segments = path.rstrip("/").split("/")
    return path.startswith("/api/v1/apps") and len(segments) != 5


apps_bucket = [r for r in records if in_apps_bucket(r["path"])]
apps_buckets = [r for r in records if r["path"].startswith("/api/v1/apps")]
limited = [(i, r) for i, r in enumerate(records) if r["status"] == 429]
grants = apps_n * per_app
# What an apply cannot do with less: per app the plan's reads of the app, its grants and the
# service account's assignment, then one POST per grant.
minimum = 3 * apps_n + grants
minutes = elapsed / 60
print(f"{grants} grants across {apps_n} apps, apps bucket limit {limit}/min ({sys.argv[4]}): {elapsed:.1f} s")
print(f"apps bucket: {len(apps_bucket)} requests, {len(apps_bucket) / minutes:.0f}/min, "
      f"ratio to limit {len(apps_bucket) / minutes / limit:.2f} (target >= 0.9)")
print(f"requests to /api/v1/apps*: {len(apps_buckets)}, minimum {minimum} (3 plan reads per app, one POST per grant), "
      f"ratio {len(apps_buckets) / minimum:.3f} (target <= 1.1)")
print(f"grant operations: {grants / minutes:.0f}/min; 429 answers: {len(limited)} of {len(records)} requests "
      f"({100 * len(limited) / len(records):.2f}%, target <= 1%)")
for index, record in limited:
    print(f"  429 at request {index}: {record['method']} {record['path']}")
