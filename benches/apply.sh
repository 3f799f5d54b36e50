#!/usr/bin/env bash
# Apply benchmark (see apply.py): 300 grants across 30 apps under Okta's documented default
# limits (the apps bucket allows 100 a minute), then 1,000 grants across 50 apps at 600
# requests per minute per bucket.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 benches/apply.py target/release/oktaform 30 10 default
python3 benches/apply.py target/release/oktaform 50 20 600
