#!/bin/sh
# classify.sh — netpatrol train/eval against fastText on the same train/dev
# splits of ../shared/data, in one invocation: dev macro-F1, training time,
# model size and prediction throughput.  fastText gets the text pre-split into
# characters and -wordNgrams 2 and 3 (defaults otherwise) plus a tuned run
# (-wordNgrams 2 -epoch 25 -lr 0.5); ours uses the shipped hyper-parameters.
# Throughput for both = lines / (CPU time on dev repeated to >= 300k lines
# minus CPU time on one line): loading is not counted for either, and CPU
# time (user+sys, both predict single-threaded) is robust on a busy machine;
# ours includes JSON decoding and normalization, fastText's reads pre-split text;
# ours is also shown for normalize+score (in-process wall clock) and for
# scoring alone (in-process CPU time).
#   BUILD=build/default SHARED=../shared bench/classify.sh [dataset ...]
set -eu
BUILD=${BUILD:-build/default}
BIN=${BIN:-$BUILD/bin/netpatrol}
DATA=${SHARED:-../shared}/data
FT=${FASTTEXT:-fasttext}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ -x "$BIN" ] || { echo "classify.sh: $BIN not built" >&2; exit 1; }
command -v "$FT" >/dev/null || { echo "classify.sh: fasttext not installed" >&2; exit 1; }

sets=${*:-cold weibo_rumor_ced mudou_spam_sms telecom_fraud_5 toxicn}

opts_for() { # the shipped hyper-parameters (tools/make-models.sh)
  case $1 in
    cold) echo "--ngram 1-3 --bits 21 --lr 0.3 --epochs 15" ;;
    weibo_rumor_ced) echo "--ngram 1-4 --bits 20 --lr 0.3 --epochs 15" ;;
    mudou_spam_sms) echo "--ngram 1-5 --bits 20 --lr 0.3 --epochs 15" ;;
    telecom_fraud_5) echo "--ngram 1-3 --bits 18 --lr 0.1 --epochs 15" ;;
    *) echo "--ngram 1-3 --bits 20 --lr 0.2 --epochs 10" ;;
  esac
}

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }
cpu() { # seconds of user+sys CPU of a command (its stdout discarded)
  /usr/bin/time -f "%U %S" -o "$TMP/cpu" "$@" >/dev/null
  awk '{ print $1 + $2 }' "$TMP/cpu"
}

# JSONL -> fastText lines (label + characters), and dev repeated to >= 100k lines.
prep() {
  python3 - "$@" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as o:
    for line in f:
        r = json.loads(line)
        chars = " ".join(ch for ch in r["text"] if not ch.isspace())
        o.write("__label__%s %s\n" % (r["label"], chars))
PY
}
repeat_to() { # file out min_lines
  n=$(wc -l <"$1"); r=$(( ($3 + n - 1) / n )); : >"$2"
  i=0; while [ $i -lt $r ]; do cat "$1" >>"$2"; i=$((i + 1)); done
}
ft_f1() { # gold-file pred-file
  python3 - "$1" "$2" <<'PY'
import sys
gold = [l.split(" ", 1)[0] for l in open(sys.argv[1], encoding="utf-8")]
pred = [l.strip() for l in open(sys.argv[2], encoding="utf-8")]
f1s = []
for c in sorted(set(gold)):
    tp = sum(g == c and p == c for g, p in zip(gold, pred))
    fp = sum(g != c and p == c for g, p in zip(gold, pred))
    fn = sum(g == c and p != c for g, p in zip(gold, pred))
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
print("%.4f" % (sum(f1s) / len(f1s)))
PY
}
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

printf '%-16s %-22s %9s %9s %12s %12s\n' dataset system dev-F1 train-s model-bytes pred-lines/s
for set in $sets; do
  d=$DATA/$set
  [ -f "$d/train.jsonl" ] || { echo "classify.sh: no $d" >&2; exit 1; }
  head -n 1 "$d/dev.jsonl" >"$TMP/one.jsonl"
  repeat_to "$d/dev.jsonl" "$TMP/big.jsonl" 300000
  big=$(wc -l <"$TMP/big.jsonl")

  # ---- ours
  t0=$(now)
  # shellcheck disable=SC2046
  "$BIN" train --quiet --data "$d/train.jsonl" --dev "$d/dev.jsonl" --out "$TMP/m.npm" $(opts_for "$set") >/dev/null
  ours_train=$(since "$t0")
  ours_f1=$("$BIN" eval --model "$TMP/m.npm" --data "$d/dev.jsonl" --format json | json_field macro_f1)
  ours_size=$(wc -c <"$TMP/m.npm")
  t_one=$(cpu "$BIN" eval --model "$TMP/m.npm" --data "$TMP/one.jsonl" --format json)
  t_big=$(cpu "$BIN" eval --model "$TMP/m.npm" --data "$TMP/big.jsonl" --format json)
  "$BIN" eval --model "$TMP/m.npm" --data "$TMP/big.jsonl" --format json >"$TMP/big.json"
  ours_tp=$(echo "$big / ($t_big - $t_one)" | bc -l)
  score_s=$(json_field score_seconds <"$TMP/big.json")
  norm_s=$(json_field normalize_seconds <"$TMP/big.json")
  printf '%-16s %-22s %9.4f %9.2f %12d %12.0f  (normalize+score %.0f/s, score only %.0f/s)\n' \
    "$set" netpatrol "$ours_f1" "$ours_train" "$ours_size" "$ours_tp" \
    "$(echo "$big / ($score_s + $norm_s)" | bc -l)" "$(echo "$big / $score_s" | bc -l)"

  # ---- fastText
  prep "$d/train.jsonl" "$TMP/ft.train"
  prep "$d/dev.jsonl" "$TMP/ft.dev"
  cut -d' ' -f2- "$TMP/ft.dev" >"$TMP/ft.dev.txt"
  repeat_to "$TMP/ft.dev.txt" "$TMP/ft.big.txt" 300000
  head -n 1 "$TMP/ft.dev.txt" >"$TMP/ft.one.txt"
  best_f1=0; best_tp=0; best_size=0; fast_tp=0
  for variant in "wng2:-wordNgrams 2" "wng3:-wordNgrams 3" "wng2-tuned:-wordNgrams 2 -epoch 25 -lr 0.5"; do
    name=${variant%%:*} args=${variant#*:}
    t0=$(now)
    # shellcheck disable=SC2086
    "$FT" supervised -input "$TMP/ft.train" -output "$TMP/ft" $args -verbose 0 -seed 1
    ft_train=$(since "$t0")
    "$FT" predict "$TMP/ft.bin" "$TMP/ft.dev.txt" >"$TMP/ft.pred"
    ft_f1=$(ft_f1 "$TMP/ft.dev" "$TMP/ft.pred")
    ft_size=$(wc -c <"$TMP/ft.bin")
    t_one=$(cpu "$FT" predict "$TMP/ft.bin" "$TMP/ft.one.txt")
    t_big=$(cpu "$FT" predict "$TMP/ft.bin" "$TMP/ft.big.txt")
    ft_tp=$(echo "$big / ($t_big - $t_one)" | bc -l)
    printf '%-16s %-22s %9.4f %9.2f %12d %12.0f\n' "$set" "fasttext $name" "$ft_f1" "$ft_train" "$ft_size" "$ft_tp"
    if [ "$(echo "$ft_f1 > $best_f1" | bc -l)" = 1 ]; then best_f1=$ft_f1; best_tp=$ft_tp; best_size=$ft_size; fi
    if [ "$(echo "$ft_tp > $fast_tp" | bc -l)" = 1 ]; then fast_tp=$ft_tp; fi
    rm -f "$TMP/ft.bin" "$TMP/ft.vec"
  done
  printf '%-16s %-22s F1 %+.4f vs best fastText; throughput %.1fx end to end (%.1fx vs the fastest fastText run, %.1fx scoring only); size %.3f%%\n' \
    "$set" "=> netpatrol" "$(echo "$ours_f1 - $best_f1" | bc -l)" "$(echo "$ours_tp / $best_tp" | bc -l)" \
    "$(echo "$ours_tp / $fast_tp" | bc -l)" "$(echo "$big / $score_s / $fast_tp" | bc -l)" \
    "$(echo "100 * $ours_size / $best_size" | bc -l)"
done
