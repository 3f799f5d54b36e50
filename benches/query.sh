#!/usr/bin/env bash
# Query benchmark (see query.py): 10,000 and 100,000 events streamed by `oktaform query`,
# against the official Python SDK (from the compatibility suite's virtualenv) and a plain
# HTTP loop.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
[ -x tests/compat/.venv/bin/python ] || tests/compat/run --co -q >/dev/null
python3 benches/query.py target/release/oktaform tests/compat/.venv/bin/python 10000 100000
