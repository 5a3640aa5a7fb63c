#!/usr/bin/env bash
# End-to-end throughput of `netpatrol scan` against its peers, in ONE run, on
# the same corpus and terms (../shared/bench: weibo_ced.txt + cold.txt,
# lexicon.txt).  Every figure is the median of RUNS runs; ratios at the end.
#   BUILD=build/default SHARED=../shared RUNS=5 bench/bench_e2e.sh
set -euo pipefail
BUILD=${BUILD:-build/default}
SHARED=${SHARED:-../shared}
RUNS=${RUNS:-5}
NP="$BUILD/bin/netpatrol"
out=build/bench; mkdir -p "$out/pack/lexicons"
[ -f "$SHARED/bench/lexicon.txt" ] || { echo "bench: $SHARED/bench missing" >&2; exit 1; }

# Inputs: the corpus as text lines and as JSON Lines; the terms as a pack.
if [ ! -s "$out/corpus.jsonl" ]; then
  cat "$SHARED/bench/weibo_ced.txt" "$SHARED/bench/cold.txt" > "$out/corpus.txt"
  /usr/bin/python3 - "$out/corpus.txt" "$out/corpus.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    for i, line in enumerate(f, 1):
        o.write(json.dumps({"id": i, "text": line.rstrip("\n")}, ensure_ascii=False) + "\n")
PY
fi
cp "$SHARED/bench/lexicon.txt" "$out/terms.txt"
# lexicon syntax characters in the raw word list are escaped, not declarations
sed -e 's/\\/\\\\/g' -e 's/[=|!%#]/\\&/g' "$SHARED/bench/lexicon.txt" > "$out/pack/lexicons/bench.txt"
cat > "$out/pack/bench.rules" <<'RULES'
rule bench_lexicon
{
  meta:
    category = "bench.lexicon"
  strings:
    $t = lexicon("bench")
  condition:
    $t
}
RULES
"$NP" rules check "$out/pack" >&2
mb=$(stat -c %s "$out/corpus.txt"); posts=$(wc -l < "$out/corpus.txt")
echo "corpus: $((mb / 1000000)) MB, $posts posts; terms: $(wc -l < "$out/terms.txt")"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() { # name cmd...  → prints "name seconds"
  local name=$1; shift
  local ts=()
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N)
    ts+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${ts[@]}" | median
}
declare -A secs
: > "$out/empty.jsonl"
export NETPATROL_CACHE_DIR="$out/cache"; rm -rf "$NETPATROL_CACHE_DIR"
secs[cold]=$(NETPATROL_CACHE_DIR=off time_cmd cold "$NP" scan --rules "$out/pack" --quiet --no-detectors "$out/empty.jsonl")
secs[np1cold]=$(NETPATROL_CACHE_DIR=off time_cmd np1cold "$NP" scan --rules "$out/pack" --quiet --no-detectors "$out/corpus.jsonl")
"$NP" scan --rules "$out/pack" --quiet "$out/empty.jsonl"   # fills the matcher cache
secs[start]=$(time_cmd start "$NP" scan --rules "$out/pack" --quiet --no-detectors "$out/empty.jsonl")
secs[np1]=$(time_cmd np1 "$NP" scan --rules "$out/pack" --quiet --no-detectors "$out/corpus.jsonl")
secs[np2]=$(time_cmd np2 "$NP" scan --rules "$out/pack" --quiet --no-detectors --jobs 2 "$out/corpus.jsonl")
secs[np1d]=$(time_cmd np1d "$NP" scan --rules "$out/pack" --quiet "$out/corpus.jsonl")
secs[rg]=$(time_cmd rg rg -F -c -f "$out/terms.txt" "$out/corpus.txt")
raw=$("$BUILD/bench/bench_hs_raw" "$out/terms.txt" "$out/corpus.txt" "$RUNS")
secs[hs]=$(echo "$raw" | sed -E 's/.*median_s=([0-9.]+).*/\1/')
ac=$(/usr/bin/python3 bench/ac_bench.py "$out/terms.txt" "$out/corpus.txt" "$RUNS")
secs[ac]=$(echo "$ac" | sed -E 's/.*median_s=([0-9.]+).*/\1/')
hash=$("$NP" scan --rules "$out/pack" --quiet --no-detectors "$out/corpus.jsonl" | sha256sum | cut -c1-16)
flagged=$("$NP" scan --rules "$out/pack" --quiet --no-detectors "$out/corpus.jsonl" | grep -c '"action":"review"' || true)
echo "$raw"
echo "$ac"
printf '\n%-44s %9s %9s %11s\n' "tool (median of $RUNS)" "seconds" "MB/s" "posts/s"
row() { printf '%-44s %9.3f %9.1f %11.0f\n' "$1" "$2" "$(echo "$mb / 1000000 / $2" | bc -l)" "$(echo "$posts / $2" | bc -l)"; }
row "netpatrol scan, 1 thread (JSON in+out)" "${secs[np1]}"
row "  same, cold start (no matcher cache)" "${secs[np1cold]}"
steady=$(echo "${secs[np1]} - ${secs[start]}" | bc -l)
row "  same, without start-up (${secs[start]}s warm, ${secs[cold]}s cold)" "$steady"
row "netpatrol scan, --jobs 2" "${secs[np2]}"
row "netpatrol scan, 1 thread + detectors" "${secs[np1d]}"
row "raw Vectorscan literals (bench_hs_raw)" "${secs[hs]}"
row "rg -F -f (ripgrep)" "${secs[rg]}"
row "python3-ahocorasick" "${secs[ac]}"
echo
printf 'ratio netpatrol(1t) / raw Vectorscan : %.2f  (target >= 0.50); without start-up %.2f\n' "$(echo "${secs[hs]} / ${secs[np1]}" | bc -l)" "$(echo "${secs[hs]} / $steady" | bc -l)"
printf 'ratio cold start / ahocorasick       : %.2f\n' "$(echo "${secs[ac]} / ${secs[np1cold]}" | bc -l)"
printf 'ratio netpatrol(1t) / ahocorasick    : %.2f  (target >= 5)\n' "$(echo "${secs[ac]} / ${secs[np1]}" | bc -l)"
printf 'ratio netpatrol(1t) / ripgrep        : %.2f\n' "$(echo "${secs[rg]} / ${secs[np1]}" | bc -l)"
printf 'ratio --jobs 2 / 1 thread            : %.2f\n' "$(echo "${secs[np1]} / ${secs[np2]}" | bc -l)"
printf 'detectors on / off throughput        : %.2f  (issue 3 target >= 0.80)\n' "$(echo "${secs[np1]} / ${secs[np1d]}" | bc -l)"
echo "verdict hash: $hash   posts flagged: $flagged"
