#!/usr/bin/env bash
# record.sh FILE NAME CMD... — runs CMD, which ends by printing "N passed, N
# failed", and appends "NAME passed failed" to FILE; a command that crashes,
# fails or prints no such line is recorded as one failure.
file=$1 name=$2; shift 2
out=$("$@" 2>&1); rc=$?
line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
p=0; f=1
if [ -n "$line" ]; then p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}; fi
[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
[ "$f" -ne 0 ] && printf '%s\n' "$out" | tail -n 40
echo "$name $p $f" | tee -a "$file"
