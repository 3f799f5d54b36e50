#!/usr/bin/env bash
# Validation benchmark: oktaform validate on a generated config of CONNECTIONS connections
# (each with a scopes block) and QUERIES log queries, against `terraform validate` on
# terraform_data blocks with the same attributes when terraform is installed.
# Prints wall time (median of RUNS) and peak memory, and the ratios.
# SHAPE `warnings` makes every query draw a warning (see generate.py); FORMAT is the
# output format of `oktaform validate` (json or human).
#
# usage: benches/validate.sh [CONNECTIONS=1000] [QUERIES=10000] [RUNS=5] [SHAPE=plain] [FORMAT=json]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-1000}
queries=${2:-10000}
runs=${3:-5}
shape=${4:-plain}
format=${5:-json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 benches/generate.py "$work" "$connections" "$queries" "$shape"
cargo build --release --quiet

# measure NAME DIR COMMAND...: median seconds and max peak KiB over $runs runs.
measure() {
  local name=$1 dir=$2
  shift 2
  local samples=()
  for _ in $(seq "$runs"); do
    samples+=("$(cd "$dir" && /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1)")
  done
  printf '%s\n' "${samples[@]}" | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin if line.strip()]
secs = statistics.median(float(r[0]) for r in rows)
kib = max(int(r[1]) for r in rows)
print(f"{sys.argv[1]} {secs:.3f} {kib}")' "$name"
}

oktaform=$(measure oktaform "$work/oktaform" "$PWD/target/release/oktaform" validate . --format "$format")
echo "config: $connections connections, $queries log queries ($shape, --format $format); median of $runs runs"
read -r _ ok_secs ok_kib <<<"$oktaform"
echo "oktaform validate:  ${ok_secs}s, peak ${ok_kib} KiB"

if command -v terraform >/dev/null; then
  (cd "$work/terraform" && terraform init -input=false -no-color >/dev/null)
  tf=$(measure terraform "$work/terraform" terraform validate -no-color)
  read -r _ tf_secs tf_kib <<<"$tf"
  echo "terraform validate: ${tf_secs}s, peak ${tf_kib} KiB ($(terraform version | head -1))"
  python3 -c "print(f'ratio oktaform/terraform: time {$ok_secs/$tf_secs:.3f}, peak memory {$ok_kib/$tf_kib:.3f}')"
else
  echo "terraform not installed: no ratio"
fi
