#!/usr/bin/env bash
# Where `oktaform validate` spends time and memory on the benchmark shape of validate.sh
# (CONNECTIONS connections, QUERIES log queries): the top functions by CPU samples
# (perf, self time) and the top allocation sites at the peak of the heap (heaptrack).
# Needs perf and heaptrack.
#
# usage: benches/profile_validate.sh [CONNECTIONS=1000] [QUERIES=10000] [TOP=12]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-1000}
queries=${2:-10000}
top=${3:-12}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/generate.py "$work" "$connections" "$queries" plain
cargo build --release --quiet
binary=$PWD/target/release/oktaform
cd "$work/oktaform"

perf record -F 10000 -g -o "$work/perf.data" "$binary" validate . --format json >/dev/null 2>&1
echo "CPU, self time (perf):"
perf report -i "$work/perf.data" --no-children --sort symbol --stdio >"$work/perf.txt" 2>/dev/null
grep -E '^ +[0-9.]+%' "$work/perf.txt" | sed -E 's/ +- +- *$//; s/ {2,}/ /g' | sed -n "1,${top}p"

heaptrack -o "$work/heap" "$binary" validate . --format json >/dev/null 2>&1
echo
heaptrack_print "$work/heap.zst" >"$work/heap.txt" 2>/dev/null
echo "Memory (heaptrack): $(grep '^peak heap memory consumption' "$work/heap.txt")"
echo "Allocation sites at the peak, by the first oktaform frame:"
awk '/PEAK MEMORY CONSUMERS/{p=1} /^MOST TEMPORARY/{p=0} p' "$work/heap.txt" | python3 -c '
import re, sys
units = {"K": 1e3, "M": 1e6, "G": 1e9}
sites, current = {}, None
for line in sys.stdin:
    found = re.match(r"^(\S+) consumed over \d+ calls from:", line.strip())
    if found:
        size = found.group(1)
        current = [float(size[:-1]) * units[size[-1]] if size[-1] in units else float(size.rstrip("B")), None]
        continue
    if current and current[1] is None and "oktaform::" in line:
        current[1] = re.sub(r"::h[0-9a-f]{16}$", "", line.strip())
        sites[current[1]] = sites.get(current[1], 0) + current[0]
for site, size in sorted(sites.items(), key=lambda s: -s[1])[:int(sys.argv[1])]:
    print(f"{size / 1e6:8.2f} MB  {site}")
' "$top"
