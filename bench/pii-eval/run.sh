#!/bin/sh
# run.sh — generates the PII evaluation set and prints the precision/recall
# table (netpatrol vs a regex-only baseline) and the detectors' throughput cost.
# Usage: bench/pii-eval/run.sh  (from the repo root; SHARED defaults to ../shared)
set -e
SHARED=${SHARED:-../shared}
BUILD=${BUILD:-build/default}
OUT=$BUILD/pii-eval
mkdir -p "$OUT"
python3 bench/pii-eval/gen.py --shared "$SHARED" --n 6000 > "$OUT/posts.jsonl"
cat "$SHARED/data/cold/train.jsonl" "$SHARED/data/weibo_rumor_ced/train.jsonl" > "$OUT/corpus.jsonl"
python3 bench/pii-eval/eval.py "$OUT/posts.jsonl" --bin "$BUILD/bin/netpatrol" \
  --throughput "$OUT/corpus.jsonl" --runs 5 "$@"
