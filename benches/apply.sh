#!/usr/bin/env bash
# Apply benchmark (see apply.py): 1,000 grants across 50 apps at 600 requests per minute per bucket.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 benches/apply.py target/release/oktaform 50 20 600
