#!/usr/bin/env bash
# The shipped models are reproduced bit for bit from ../shared/data by
# tools/make-models.sh (the `make models` recipe).
set -u
BUILD=${BUILD:-build/default}
SHARED=${SHARED:-../shared}
[ -d "$SHARED/data/cold" ] || { echo "skipped: $SHARED/data missing"; echo "0 passed, 0 failed"; exit 0; }
out=$(BIN="$BUILD/bin/netpatrol" SHARED="$SHARED" tools/make-models.sh --check 2>&1)
echo "$out"
p=$(printf '%s\n' "$out" | grep -c '^same:')
f=$(printf '%s\n' "$out" | grep -c '^DIFFERS:')
[ "$p" -eq 0 ] && f=$((f + 1))
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
