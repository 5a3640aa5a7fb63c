#!/usr/bin/env bash
# Docs drift checks: every error code of netpatrol.h is in docs/errors.md,
# every subcommand has docs/cli/<cmd>.md, every flag a subcommand's --help
# prints is documented there, and the layering of DESIGN §6 holds.
set -u
BUILD=${BUILD:-build/default}
NP="$BUILD/bin/netpatrol"
passed=0; failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi; }
for name in $(grep -oE 'XX\(([A-Z]+),' include/netpatrol.h | sed -E 's/XX\(([A-Z]+),/\1/'); do
  check "docs/errors.md lists NP_$name" "grep -q 'NP_$name' docs/errors.md"
done
for cmd in $("$NP" --help | awk '/^commands:/{f=1;next} f && !NF {exit} f {print $1}'); do
  check "docs/cli/$cmd.md exists" "[ -f docs/cli/$cmd.md ]"
  [ -f "docs/cli/$cmd.md" ] || continue
  for flag in $("$NP" "$cmd" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
    check "docs/cli/$cmd.md documents $flag" "grep -q -- '$flag' docs/cli/$cmd.md"
  done
done
check "layering (tools/check-layers.sh)" "tools/check-layers.sh"
check "library symbols and no mutable statics (tools/check-symbols.sh)" "BUILD=$BUILD tools/check-symbols.sh"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
