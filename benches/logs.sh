#!/usr/bin/env bash
# System Log benchmark (see logs.py): 100,000 and 1,000,000 synthetic events served with
# limit=1000; events per second and the sim's peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 benches/logs.py target/release/oktaform 100000 1000000
