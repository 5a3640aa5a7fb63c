#!/usr/bin/env bash
# Validates every verdict the golden inputs and the bundled examples produce
# against docs/schema/verdict.schema.json (python3-jsonschema from Debian).
set -u
BUILD=${BUILD:-build/default}
NP="$BUILD/bin/netpatrol"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for f in tests/golden/*/stdin.jsonl; do
  "$NP" scan --rules tests/fixtures/golden/rules --quiet < "$f" >> "$tmp/out.jsonl" 2>/dev/null
done
[ -f examples/posts.jsonl ] && "$NP" scan --quiet examples/posts.jsonl >> "$tmp/out.jsonl" 2>/dev/null
"$NP" scan --quiet --reveal examples/posts.jsonl >> "$tmp/out.jsonl" 2>/dev/null
/usr/bin/python3 - "$tmp/out.jsonl" <<'PY'
import json, sys, jsonschema
schema = json.load(open("docs/schema/verdict.schema.json"))
v = jsonschema.Draft202012Validator(schema)
passed = failed = 0
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    try:
        rec = json.loads(line)
    except Exception as e:
        print(f"output line {n} is not JSON: {e}"); failed += 1; continue
    errs = list(v.iter_errors(rec))
    if errs:
        failed += 1
        if failed <= 5: print(f"output line {n}: {errs[0].message}\n  {line[:200]}")
    else:
        passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
PY
