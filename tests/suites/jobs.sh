#!/usr/bin/env bash
# --jobs N gives byte-identical output to one thread (order, verdicts,
# coordination clusters), on the bundled examples and a slice of real posts.
set -u
BUILD=${BUILD:-build/default}
SHARED=${SHARED:-../shared}
NP="$BUILD/bin/netpatrol"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp examples/posts.jsonl "$tmp/in1.jsonl"
if [ -f "$SHARED/data/cold/dev.jsonl" ]; then head -n 3000 "$SHARED/data/cold/dev.jsonl" > "$tmp/in2.jsonl"; fi
passed=0; failed=0
for f in "$tmp"/in*.jsonl; do
  "$NP" scan --quiet "$f" > "$tmp/one" 2>&1
  for j in 2 4; do
    "$NP" scan --quiet --jobs $j "$f" > "$tmp/many" 2>&1
    if cmp -s "$tmp/one" "$tmp/many" && [ -s "$tmp/one" ]; then passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAIL: --jobs $j differs from one thread on $(basename "$f")"; fi
  done
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
