#!/usr/bin/env bash
# Input size benchmark (see input_size.py): memory against the config's size, and time growth.
# usage: benches/input_size.sh [BASE=25000] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 benches/input_size.py target/release/oktaform "${1:-25000}" "${2:-3}"
