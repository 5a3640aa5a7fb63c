#!/usr/bin/env bash
# Library hygiene (DESIGN §6, style §4):
#  1. no mutable static data: no library object has symbols in .data or .bss
#     (const tables live in .rodata / .data.rel.ro);
#  2. the only names libnetpatrol exports are np_* functions declared in
#     include/netpatrol.h (everything else is built with -fvisibility=hidden).
set -u
BUILD=${BUILD:-build/default}
bad=0
for o in "$BUILD"/obj/src/*/*.o; do
  # object symbols in .data/.bss; section symbols (named ".data") and the
  # sanitizers' own (__odr_asan.*, __asan_*, __tsan_*) do not count
  out=$(objdump -t "$o" | awk '$0 ~ / (\.data|\.bss)([^.]|$)/ && $NF !~ /^\./ &&
                                $NF !~ /^__(odr_asan|asan|tsan|ubsan)/')
  [ -n "$out" ] && { echo "mutable static data in $o:"; echo "$out"; bad=1; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# link the archive into a shared object to see what default visibility exports
# (sanitizer builds do not link without their runtime: the plain build checks exports)
cc -shared -o "$tmp/libnp.so" -Wl,--whole-archive "$BUILD/lib/libnetpatrol.a" -Wl,--no-whole-archive \
   $(pkg-config --libs libhs libutf8proc jansson libxxhash) -lm -lpthread 2>/dev/null
if [ -f "$tmp/libnp.so" ]; then
  for sym in $(nm -D --defined-only "$tmp/libnp.so" | awk '$2 == "T" {print $3}'); do
    case "$sym" in
      np_*) grep -q "\b$sym(" include/netpatrol.h || { echo "exported $sym is not declared in netpatrol.h"; bad=1; } ;;
      _init|_fini) ;;
      *) echo "exported symbol $sym is not np_*"; bad=1 ;;
    esac
  done
fi
exit $bad
