#!/usr/bin/env bash
# Apply benchmark (see apply.py): 1,000 grants across 50 apps at 600 requests per minute per
# bucket, then 200 grants across 10 apps under Okta's documented default limits (the apps
# bucket allows 100 a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 benches/apply.py target/release/oktaform 50 20 600
python3 benches/apply.py target/release/oktaform 10 20 default
