#!/usr/bin/env python3
"""eval.py — scores the detectors on the set gen.py writes: runs
`netpatrol scan --reveal` over it and compares the cn_id / phone / bank_card
indicators (by canonical value) with the labels, next to a regex-only
baseline of the kind most tools ship (shape regexes on the raw text, no
checksums, no normalization), in one table.  With --throughput it also times
the scan of a larger corpus with and without --no-detectors (median of runs).
Usage: eval.py posts.jsonl [--bin build/default/bin/netpatrol] [--rules DIR]
       [--throughput CORPUS] [--runs N]"""
import argparse
import json
import re
import resource
import statistics
import subprocess
import sys

TYPES = ["cn_id", "phone", "bank_card"]

# What common regex-based PII tools ship for China: shape only.
BASELINE = {
    "cn_id": re.compile(r"(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"),
    "phone": re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d{9})(?!\d)"),
    "bank_card": re.compile(r"(?<!\d)(?:\d{4}[ -]?){3}\d{4,7}(?!\d)"),
}


def baseline(text):
    found = {t: set() for t in TYPES}
    for m in BASELINE["cn_id"].finditer(text):
        found["cn_id"].add(m.group(0).upper())
    for m in BASELINE["phone"].finditer(text):
        found["phone"].add("+86" + m.group(1))
    for m in BASELINE["bank_card"].finditer(text):
        d = re.sub(r"\D", "", m.group(0))
        if 16 <= len(d) <= 19:
            found["bank_card"].add(d)
    return found


def score(posts, predicted):
    stats = {t: [0, 0, 0] for t in TYPES}  # tp fp fn
    for p, pred in zip(posts, predicted):
        for t in TYPES:
            gold = {l["value"] for l in p["labels"] if l["type"] == t}
            got = pred[t]
            stats[t][0] += len(gold & got)
            stats[t][1] += len(got - gold)
            stats[t][2] += len(gold - got)
    return stats


def pr(s):
    tp, fp, fn = s
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r


RULES = []


def run_scan(binary, path, extra):
    r = subprocess.run([binary, "scan", path, "--quiet", *RULES, *extra], capture_output=True, text=True)
    if r.returncode not in (0, 2):
        sys.exit("netpatrol scan failed: %s" % r.stderr[-2000:])
    return r.stdout


def throughput(binary, corpus, runs):
    size = len(open(corpus, "rb").read())
    res = {}
    for name, extra in (("engine only (--no-detectors)", ["--no-detectors"]), ("all detectors on", [])):
        times = []
        for _ in range(runs):
            # CPU time of the child (user+sys): stable on a shared, busy machine
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            run_scan(binary, corpus, extra + ["--output", "/dev/null"])
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        res[name] = size / statistics.median(times) / 1e6
    print("\nthroughput on %s (%.1f MB, CPU time, median of %d runs, one thread):" % (corpus, size / 1e6, runs))
    for k, v in res.items():
        print("  %-30s %8.2f MB/s" % (k, v))
    vals = list(res.values())
    print("  detectors cost %.1f%% of engine-only throughput (target < 20%%)" % (100 * (1 - vals[1] / vals[0])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("posts")
    ap.add_argument("--bin", default="build/default/bin/netpatrol")
    ap.add_argument("--throughput", metavar="CORPUS")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--errors", type=int, default=0, help="print up to N misclassified posts")
    ap.add_argument("--rules", help="rule pack directory (default: the CLI's)")
    a = ap.parse_args()
    if a.rules:
        RULES.extend(["--rules", a.rules])
    posts = [json.loads(l) for l in open(a.posts, encoding="utf-8")]
    out = run_scan(a.bin, a.posts, ["--reveal"]).splitlines()
    if len(out) != len(posts):
        sys.exit("got %d verdicts for %d posts" % (len(out), len(posts)))
    ours = []
    for line in out:
        v = json.loads(line)
        found = {t: set() for t in TYPES}
        for ind in v.get("indicators", []):
            if ind["type"] in found:
                found[ind["type"]].add(ind["value"])
        ours.append(found)
    base = [baseline(p["text"]) for p in posts]
    so, sb = score(posts, ours), score(posts, base)
    n_lab = sum(len(p["labels"]) for p in posts)
    print("PII detection on %d posts (%d labelled identifiers)" % (len(posts), n_lab))
    print("%-10s | %-27s | %-27s" % ("type", "netpatrol  P      R      F1", "regex baseline P   R      F1"))
    print("-" * 72)
    for t in TYPES:
        po, ro = pr(so[t])
        pb, rb = pr(sb[t])
        f = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0
        print("%-10s | %6.4f %6.4f %6.4f      | %6.4f %6.4f %6.4f" % (t, po, ro, f(po, ro), pb, rb, f(pb, rb)))
    print("(tp/fp/fn ours: %s; baseline: %s)" % ({t: so[t] for t in TYPES}, {t: sb[t] for t in TYPES}))
    shown = 0
    for p, o in zip(posts, ours):
        if shown >= a.errors:
            break
        for t in TYPES:
            gold = {l["value"] for l in p["labels"] if l["type"] == t}
            if gold != o[t]:
                print("MISS %s %s gold=%s got=%s kinds=%s\n  %s" % (p["id"], t, sorted(gold), sorted(o[t]), p["kinds"], p["text"]))
                shown += 1
                break
    if a.throughput:
        throughput(a.bin, a.throughput, a.runs)


if __name__ == "__main__":
    main()
