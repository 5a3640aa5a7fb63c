#!/usr/bin/env bash
# Builds the labelled evaluation stream (gen.py) and prints precision/recall
# of campaign members and hoax variants next to the exact-hash baseline,
# then the hoax-index scale table (10k / 100k / 1M claims).
set -eu
BUILD=${BUILD:-build/default}
SHARED=${SHARED:-../shared}
out=${TMPDIR:-/tmp}/netpatrol-similar-eval.jsonl
python3 bench/similar-eval/gen.py "$SHARED" rules/hoaxes/hoaxes.jsonl "$out" "${SEED:-7}"
"$BUILD/bench/bench_similar" eval "$out" rules/hoaxes/hoaxes.jsonl
[ "${SCALE:-1}" = 0 ] || "$BUILD/bench/bench_similar" scale
