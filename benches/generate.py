#!/usr/bin/env python3
"""Writes the validation benchmark's configs: the same connections and log queries as an
oktaform config and as Terraform `terraform_data` blocks with the same attributes.

usage: generate.py OUT_DIR CONNECTIONS QUERIES [SHAPE]

SHAPE `plain` (default) draws no diagnostic; `warnings` gives every query's filter a
top-level `or` beside its `match` pairs, so that each draws the `or_precedence` warning.
"""
import json
import os
import sys

out, connections, queries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
shape = sys.argv[4] if len(sys.argv) > 4 else "plain"
ok_dir, tf_dir = os.path.join(out, "oktaform"), os.path.join(out, "terraform")
os.makedirs(ok_dir, exist_ok=True)
os.makedirs(tf_dir, exist_ok=True)

def q(s):
    return json.dumps(s)

with open(os.path.join(ok_dir, "connections.hcl"), "w") as ok, open(os.path.join(tf_dir, "connections.tf"), "w") as tf:
    for i in range(connections):
        domain, client_id, account = f"org{i}.okta.com", f"0oa{i:017d}", f"svc{i}@org{i}.com"
        ok.write(f'connection "c{i}" {{\n  domain          = {q(domain)}\n  client_id       = {q(client_id)}\n'
                 f'  service_account = {q(account)}\n}}\n\n'
                 f'scopes "s{i}" {{\n  connection = connection.c{i}\n  reason     = "benchmark"\n'
                 f'  grant      = ["okta.users.manage", "okta.groups.manage", "okta.logs.read"]\n}}\n\n')
        tf.write(f'resource "terraform_data" "c{i}" {{\n  input = {{\n    domain          = {q(domain)}\n'
                 f'    client_id       = {q(client_id)}\n    service_account = {q(account)}\n  }}\n}}\n\n'
                 f'resource "terraform_data" "s{i}" {{\n  input = {{\n    connection = terraform_data.c{i}.id\n'
                 f'    reason     = "benchmark"\n'
                 f'    grant      = ["okta.users.manage", "okta.groups.manage", "okta.logs.read"]\n  }}\n}}\n\n')

with open(os.path.join(ok_dir, "queries.hcl"), "w") as ok, open(os.path.join(tf_dir, "queries.tf"), "w") as tf:
    for i in range(queries):
        c = i % connections
        match = '{ eventType = "user.session.start", "outcome.result" = "FAILURE" }'
        if shape == "warnings":
            filt = q('client.geographicalContext.country ne "US" or actor.alternateId sw "svc"')
        else:
            filt = q('client.geographicalContext.country ne "US" and (actor.alternateId sw "svc" or target.id pr)')
        ok.write(f'log_query "q{i}" {{\n  connection = connection.c{c}\n  keyword    = "admin login"\n'
                 f'  match      = {match}\n  filter     = {filt}\n  since      = "-24h"\n  limit      = 200\n}}\n\n')
        tf.write(f'resource "terraform_data" "q{i}" {{\n  input = {{\n    connection = terraform_data.c{c}.id\n'
                 f'    keyword    = "admin login"\n    match      = {match}\n    filter     = {filt}\n'
                 f'    since      = "-24h"\n    limit      = 200\n  }}\n}}\n\n')
