#!/usr/bin/env bash
# `make bench`: every benchmark, each printing its figures and peer ratios.
set -u
BUILD=${BUILD:-build/default}; SHARED=${SHARED:-../shared}
export BUILD SHARED
for b in bench/bench_e2e.sh bench/classify.sh bench/pii-eval/run.sh bench/similar-eval/run.sh; do
  [ -x "$b" ] || continue
  echo "=== $b"; "$b" || echo "(failed: $b)"
done
for b in "$BUILD"/bench/bench_*; do
  [ -x "$b" ] || continue
  case "$b" in *bench_hs_raw) continue;; esac
  echo "=== $b"; "$b" || echo "(failed: $b)"
done
