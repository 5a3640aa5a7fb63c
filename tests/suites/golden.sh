#!/usr/bin/env bash
# Golden CLI tests: each tests/golden/<name>/ holds `cmd` (a shell command line
# using $NP for the netpatrol binary, run from the repo root), optional
# `stdin.jsonl`, and the expected stdout, stderr and exit status.
# UPDATE=1 rewrites the expectations (review the diff before committing).
set -u
BUILD=${BUILD:-build/default}
export NP="$BUILD/bin/netpatrol"
passed=0; failed=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for d in tests/golden/*/; do
  name=$(basename "$d")
  [ -f "$d/cmd" ] || continue
  in=/dev/null; [ -f "$d/stdin.jsonl" ] && in="$d/stdin.jsonl"
  bash -c "$(cat "$d/cmd")" < "$in" > "$tmp/out" 2> "$tmp/err"; rc=$?
  if [ "${UPDATE:-0}" = 1 ]; then
    cp "$tmp/out" "$d/expected.stdout"; cp "$tmp/err" "$d/expected.stderr"; echo "$rc" > "$d/expected.rc"
    passed=$((passed + 1)); continue
  fi
  ok=1
  diff -u "$d/expected.stdout" "$tmp/out" > "$tmp/diff" 2>&1 || { ok=0; echo "--- $name: stdout differs"; head -40 "$tmp/diff"; }
  diff -u "$d/expected.stderr" "$tmp/err" > "$tmp/diff" 2>&1 || { ok=0; echo "--- $name: stderr differs"; head -40 "$tmp/diff"; }
  [ "$rc" = "$(cat "$d/expected.rc" 2>/dev/null)" ] || { ok=0; echo "--- $name: exit $rc, expected $(cat "$d/expected.rc" 2>/dev/null)"; }
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL golden/$name"; fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
