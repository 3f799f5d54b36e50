#!/usr/bin/env bash
# Plan benchmark against the simulated org with 50 ms latency per request (see plan.py).
# usage: benches/plan.sh [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for n in 20 50; do
  python3 benches/plan.py target/release/oktaform "$n" 50 "${1:-5}"
done
