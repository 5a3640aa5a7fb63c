#!/bin/sh
# Adds up the per-variant result files written by tests/run and prints the
# closing "N passed, N failed" line of `make check`.
p=0; f=0
for file in "$@"; do
  [ -f "$file" ] || { echo "missing results: $file" >&2; f=$((f + 1)); continue; }
  while read -r _ a b; do p=$((p + a)); f=$((f + b)); done < "$file"
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
