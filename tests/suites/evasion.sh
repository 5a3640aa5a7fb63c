#!/usr/bin/env bash
# evasion.sh — scores the matcher on the shared evasion development set with
# the test pack in tests/fixtures/evasion (bench/evasion-eval.py), and fails if
# overall recall drops below 0.95 or more than 3 negatives get a match.
# Skips (0 passed, 0 failed) only when ../shared is not there.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build/default}
SHARED=${SHARED:-../shared}
CASES="$SHARED/data/evasion_dev/evasion_dev.jsonl"
if [ ! -f "$CASES" ]; then
  echo "skip: $CASES not found (no shared data next to the repo)"
  echo "0 passed, 0 failed"
  exit 0
fi
BIN=${NETPATROL:-$BUILD/bin/netpatrol}
if [ ! -x "$BIN" ]; then
  echo "FAIL: $BIN not built"
  echo "0 passed, 2 failed"
  exit 1
fi
misses=$(mktemp)
trap 'rm -f "$misses"' EXIT
out=$(python3 bench/evasion-eval.py --bin "$BIN" --json --show-misses \
        tests/fixtures/evasion "$CASES" 2>"$misses"); rc=$?
summary=$(printf '%s\n' "$out" | tail -n 1)
if [ $rc -eq 2 ] || [ "${summary#\{}" = "$summary" ]; then
  cat "$misses"
  echo "FAIL: evasion-eval could not run"
  echo "0 passed, 2 failed"
  exit 1
fi
printf '%s\n' "$out" | sed '$d'
read -r ok_recall fp <<<"$(printf '%s' "$summary" | python3 -c \
  'import json,sys; d=json.load(sys.stdin); print(int(d["recall"] >= 0.95), d["false_positives"])')"
pass=0; fail=0
if [ "$ok_recall" -eq 1 ]; then
  echo "ok   overall recall >= 0.95"; pass=$((pass + 1))
else
  echo "FAIL overall recall < 0.95"; fail=$((fail + 1))
fi
if [ "$fp" -le 3 ]; then
  echo "ok   false positives $fp <= 3"; pass=$((pass + 1))
else
  echo "FAIL false positives $fp > 3"; fail=$((fail + 1))
fi
[ $fail -eq 0 ] || head -n 40 "$misses"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
