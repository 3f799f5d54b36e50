#!/usr/bin/env bash
# Growth of validation with the size of a warning-heavy config: 1x, 2x and 4x of
# 1,000 connections and 10,000 log queries whose filters each draw a warning, in human and
# JSON output. Linear growth keeps time(kx) / time(1x) near k.
#
# usage: benches/validate_scaling.sh [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
for format in human json; do
  for k in 1 2 4; do
    benches/validate.sh $((1000 * k)) $((10000 * k)) "$runs" warnings "$format" | sed "s/^/${k}x $format: /"
  done
done
