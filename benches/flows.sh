#!/usr/bin/env bash
# `oktaform flows inspect` over EXPORTS generated exports of about SIZE_MB megabytes each
# (flows of Okta cards, Search System Logs and Custom API Actions, padded with long inputs
# as big exports are). Prints wall time (median of RUNS), peak memory, and the ratios to
# the goal (2 s for 100 exports of 1 MB) and to the largest export.
#
# usage: benches/flows.sh [EXPORTS=100] [SIZE_MB=1] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
exports=${1:-100}
size_mb=${2:-1}
runs=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$exports" "$size_mb" <<'PY'
import json, sys
work, count, size_mb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
cards = [("readUser", "Read User"), ("addNewUserToGroup", "Add User to Group"),
         ("searchSystemLogs", "Search System Logs"), ("hTTPRequest", "Custom API Action"),
         ("listGroupMembers", "List Group Members")]
def method(i, key, name):
    return {"address": f"root:channels:http:okta:1.0.0:{key}", "uuid": f"m{i}",
            "node": {"key": key, "data": {"name": name}, "model": {"type": "method", "config": "c1",
              "inputs": {"data": {f"i{i}": {"id": f"i{i}", "group": "Request", "key": "Relative URL",
                                   "value": {"type": "string", "data": "/api/v1/users/00u1/roles"}},
                                  f"p{i}": {"id": f"p{i}", "group": "notes", "key": "padding",
                                   "value": {"type": "string", "data": "x" * 2000}}}}}}}
target = int(size_mb * 1024 * 1024)
for n in range(count):
    flos, i = {}, 0
    text = ""
    while len(text) < target:
        methods = {}
        for _ in range(20):
            key, name = cards[i % len(cards)]
            methods[f"m{i}"] = method(i, key, name)
            i += 1
        flos[f"f{i}"] = {"id": f"f{i}", "name": f"Flow {i}", "data": {"methods": methods}}
        text = json.dumps({"type": "flopack", "version": "1.5.0", "data": {
            "configs": {"c1": {"id": "c1", "name": "Prod org", "module": "okta"}}, "flos": flos}})
    open(f"{work}/export-{n:04d}.flopack", "w").write(text)
PY
cargo build --release --quiet
largest=$(ls -l "$work"/*.flopack | awk '{print $5}' | sort -n | tail -1)
samples=()
for _ in $(seq "$runs"); do
  samples+=("$(/usr/bin/time -f '%e %M' target/release/oktaform flows inspect "$work"/*.flopack --format json 2>&1 >/dev/null | tail -1)")
done
printf '%s\n' "${samples[@]}" | sort -n | awk -v n="$runs" -v largest="$largest" -v exports="$exports" -v size="$size_mb" '
  { t[NR] = $1; if ($2 > m) m = $2 }
  END {
    median = t[int((n + 1) / 2)]
    printf "flows inspect: %d exports of %.1f MB: median %.2f s, peak %.0f MiB\n", exports, size, median, m / 1024
    printf "ratio to the goal (2 s for 100 x 1 MB): %.3f\n", median / 2
    printf "peak memory / largest export: %.1f\n", m * 1024 / largest
  }'
