#!/bin/sh
# make-models.sh — rebuilds the shipped models/*.npm from ../shared/data with
# `netpatrol train` (deterministic: fixed seeds, single thread), so the files
# are reproduced bit for bit.  Hyper-parameters were chosen on the dev sets
# (docs/classifiers.md); toxicn is evaluation-only (CC BY-NC-ND) and not shipped.
#   tools/make-models.sh            write models/*.npm
#   tools/make-models.sh --check    rebuild into a temp dir and compare bytes
set -eu
BIN=${BIN:-build/default/bin/netpatrol}
DATA=${SHARED:-../shared}/data
OUT=models
if [ "${1:-}" = "--check" ]; then OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT; fi
[ -x "$BIN" ] || { echo "make-models: $BIN not built (run make cli)" >&2; exit 1; }

train() { # name dataset [train options...]
  name=$1 set=$2
  shift 2
  "$BIN" train --quiet --data "$DATA/$set/train.jsonl" --dev "$DATA/$set/dev.jsonl" \
    --out "$OUT/$name.npm" --seed 1 "$@"
}

train offensive cold            --ngram 1-3 --bits 21 --lr 0.3 --epochs 15
train rumor     weibo_rumor_ced --ngram 1-4 --bits 20 --lr 0.3 --epochs 15
train spam      mudou_spam_sms  --ngram 1-5 --bits 20 --lr 0.3 --epochs 15
train fraud     telecom_fraud_5 --ngram 1-3 --bits 18 --lr 0.1 --epochs 15

if [ "$OUT" != models ]; then
  status=0
  for f in "$OUT"/*.npm; do
    if cmp -s "$f" "models/$(basename "$f")"; then echo "same: models/$(basename "$f")"
    else echo "DIFFERS: models/$(basename "$f")"; status=1; fi
  done
  exit $status
fi
