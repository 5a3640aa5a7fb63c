#!/usr/bin/env bash
# Every shipped rule's examples: positives must hit, counter-examples must not,
# and a rule without both kinds fails (netpatrol rules test prints the count).
set -u
BUILD=${BUILD:-build/default}
"$BUILD/bin/netpatrol" rules check rules >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
exec "$BUILD/bin/netpatrol" rules test rules
