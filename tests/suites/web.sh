#!/usr/bin/env bash
# Browser test of the workbench: installs chromium + web deps if needed,
# builds web/dist, seeds a temp store with the shipped rule-pack examples
# (scan --db), starts `netpatrol serve` on an ephemeral port, drives it with
# web/tests/workbench.mjs and checks the audit chain afterwards.
# Screenshots: $BUILD/screenshots/.  Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build/default}
BIN="$BUILD/bin/netpatrol"
fail() { echo "web: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
[ -x "$BIN" ] || fail "$BIN not built"
tools/install-web-deps.sh >&2 || fail "cannot install web dependencies"
(cd web && npm run --silent build >&2) || fail "web build failed"
tmp=$(mktemp -d)
srv=""
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
db="$tmp/np.db"
printf 'browser-test-pw\n' > "$tmp/pw"
"$BIN" user add --db "$db" --name admin --role admin --password-file "$tmp/pw" 2>/dev/null ||
  fail "user add failed"
cat rules/*/examples.jsonl tests/fixtures/web-seed.jsonl > "$tmp/posts.jsonl"
"$BIN" scan "$tmp/posts.jsonl" --db "$db" --db-threshold 0 --quiet -o /dev/null
[ $? -le 2 ] || fail "scan --db failed"
"$BIN" serve --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --web web/dist \
  --rate 100000 2>"$tmp/serve.log" &
srv=$!
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || { cat "$tmp/serve.log" >&2; fail "server did not start"; }
port=$(cat "$tmp/port")
mkdir -p "$BUILD/screenshots"
out=$(NP_URL="http://127.0.0.1:$port" NP_USER=admin NP_PASS=browser-test-pw \
      NP_SHOTS="$BUILD/screenshots" timeout 150 node web/tests/workbench.mjs 2>&1)
echo "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed'
line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
[ -n "$line" ] || { p=0; f=1; echo "browser run crashed" >&2; }
kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; srv=""
if "$BIN" audit verify --db "$db" >/dev/null; then p=$((p + 1)); echo "ok   audit verify after the session"
else f=$((f + 1)); echo "FAIL audit verify after the session"; fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
