#!/usr/bin/env bash
# Build time benchmark: the README's first build (a cold `cargo build --release` in a fresh
# target directory, dependencies already downloaded), an incremental release build after a
# change to the library, and the incremental test build (`cargo test --no-run`), against the
# 120 s limit for the cold build on this machine kind (2 cores).
# usage: benches/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fetch --quiet
target=$(mktemp -d)
cp src/lib.rs "$target/lib.rs.orig"
trap 'cp "$target/lib.rs.orig" src/lib.rs; rm -rf "$target"' EXIT

seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.1f}')"
}

# A change to the library's text (touching a file is not enough: rustc compares contents).
edit() { printf '\n// build benchmark %s\n' "$1" >>src/lib.rs; }

cold=$(seconds env CARGO_TARGET_DIR="$target" cargo build --release --locked)
edit 1
incremental=$(seconds env CARGO_TARGET_DIR="$target" cargo build --release --locked)
seconds env CARGO_TARGET_DIR="$target" cargo test --locked --no-run >/dev/null
edit 2
test_build=$(seconds env CARGO_TARGET_DIR="$target" cargo test --locked --no-run)
crates=$(cargo tree --edges normal,build --prefix none --locked 2>/dev/null | sort -u | wc -l)
echo "crates built for the binary: $crates"
echo "cold release build: ${cold}s, ratio to the 120 s limit $(python3 -c "print(f'{$cold / 120:.2f}')")"
echo "incremental release build (library changed): ${incremental}s"
echo "incremental test build (library changed): ${test_build}s"
