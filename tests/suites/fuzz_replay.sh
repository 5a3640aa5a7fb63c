#!/usr/bin/env bash
# Replays every fuzz corpus (seeds + minimized crashes) through its target.
set -u
BUILD=${BUILD:-build/default}
passed=0; failed=0
for r in "$BUILD"/fuzz/replay_*; do
  [ -x "$r" ] || continue
  t=${r##*/replay_}
  [ -d "fuzz/corpus/$t" ] || { echo "no corpus for $t"; failed=$((failed + 1)); continue; }
  out=$("$r" "fuzz/corpus/$t" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | tail -n 1)
  p=${line%% passed*}
  if [ $rc -eq 0 ]; then passed=$((passed + p)); else failed=$((failed + 1)); printf '%s\n' "$out" | tail -20; fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
