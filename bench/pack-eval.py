#!/usr/bin/env python3
"""pack-eval.py — measure the shipped rule packs on the labelled data sets.

Runs `netpatrol scan --no-coord` over shared/data/<set>/<split>.jsonl (label 1 =
harmful) and reports, per set, how often a post is flagged by a category that is
relevant to that set: on label 1 (a recall proxy) and on label 0 (the false-positive
rate).  With --baseline the same is done for an older copy of the packs (a folder,
or git:REF, extracted with `git archive` into a temporary folder) and both are
printed side by side.  examples/posts.jsonl (hand-written, unlabelled) is scanned
too: every flagged post is listed so a reader can check that nothing benign is, and
with --baseline the posts whose verdict changed are listed first.

Python 3 standard library only.  Examples:
  bench/pack-eval.py                             # current rules/ on the dev splits
  bench/pack-eval.py --baseline git:HEAD         # before/after table
  bench/pack-eval.py --split train --detail      # explore on train: which rules fire
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import io

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# data set -> category prefixes that count as "flagged" for it
SETS = [
    ("cold", ("harassment.",)),
    ("toxicn", ("harassment.",)),
    ("mudou_spam_sms", ("spam.", "illegal.", "fraud.")),
    ("telecom_fraud_5", ("fraud.",)),
    ("weibo_rumor_ced", ("hoax.", "rumor.")),
]


def scan(binary, rules, models, path, jobs):
    """Return [[(rule, category), ...] per input line], in input order (ids are
    not unique in every data set: COLD repeats them)."""
    cmd = [binary, "scan", "--no-coord", "--quiet", "--rules", rules,
           "--models", models, "--jobs", str(jobs), path]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        raise SystemExit("pack-eval: %s failed (exit %d)" % (" ".join(cmd), proc.returncode))
    out = []
    for line in proc.stdout.decode("utf-8").splitlines():
        if line.strip():
            out.append([(h["rule"], h["category"]) for h in json.loads(line).get("hits", [])])
    return out


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def relevant(hits, prefixes):
    return [h for h in hits if h[1].startswith(prefixes)]


def measure(binary, rules, models, data, split, jobs):
    """Per set: dict with n1, n0, tp, fp and per-rule counts on each label."""
    res = {}
    for name, prefixes in SETS:
        path = os.path.join(data, name, split + ".jsonl")
        if not os.path.exists(path):
            continue
        rows = load(path)
        verdicts = scan(binary, rules, models, path, jobs)
        if len(verdicts) != len(rows):
            raise SystemExit("pack-eval: %d verdicts for %d posts in %s" % (len(verdicts), len(rows), path))
        r = {"n1": 0, "n0": 0, "tp": 0, "fp": 0,
             "rule1": collections.Counter(), "rule0": collections.Counter(),
             "fp_ids": []}
        for row, hits in zip(rows, verdicts):
            lab = int(row["label"])
            hits = relevant(hits, prefixes)
            r["n%d" % lab] += 1
            if hits:
                r["tp" if lab == 1 else "fp"] += 1
                for rule in sorted({h[0] for h in hits}):
                    r["rule%d" % lab][rule] += 1
                if lab == 0:
                    r["fp_ids"].append((row["id"], row["text"], sorted({h[0] for h in hits})))
        res[name] = r
    return res


def pct(a, b):
    return 100.0 * a / b if b else 0.0


def prec(r):
    flagged = r["tp"] + r["fp"]
    return "%5.1f" % pct(r["tp"], flagged) if flagged else "   - "


def print_table(cur, base):
    hdr = "| set | categories | n (1/0) | flagged on 1 (recall) | flagged on 0 (FP rate) | precision |"
    print(hdr)
    print("|---|---|---|---|---|---|")
    for name, prefixes in SETS:
        if name not in cur:
            continue
        c = cur[name]
        cats = ", ".join(p + "*" for p in prefixes)
        if base is not None and name in base:
            b = base[name]
            print("| %s | %s | %d/%d | %.1f%% → **%.1f%%** | %.2f%% → **%.2f%%** | %s → %s |" % (
                name, cats, c["n1"], c["n0"], pct(b["tp"], b["n1"]), pct(c["tp"], c["n1"]),
                pct(b["fp"], b["n0"]), pct(c["fp"], c["n0"]), prec(b).strip(), prec(c).strip()))
        else:
            print("| %s | %s | %d/%d | %.1f%% (%d) | %.2f%% (%d) | %s |" % (
                name, cats, c["n1"], c["n0"], pct(c["tp"], c["n1"]), c["tp"],
                pct(c["fp"], c["n0"]), c["fp"], prec(c).strip()))


def print_detail(cur, show_fp):
    for name, _ in SETS:
        if name not in cur:
            continue
        r = cur[name]
        print("\n## %s — rules firing (label 1 / label 0)" % name)
        rules = sorted(set(r["rule1"]) | set(r["rule0"]),
                       key=lambda k: (-r["rule1"][k] - r["rule0"][k], k))
        for rule in rules:
            print("  %-40s %5d / %d" % (rule, r["rule1"][rule], r["rule0"][rule]))
        if show_fp:
            for pid, text, rl in r["fp_ids"][:show_fp]:
                print("  FP %s %s: %s" % (pid, ",".join(rl), text[:100]))


def posts_report(binary, rules, models, base_rules, base_models, path, jobs):
    posts = load(path)
    rows = {r["id"]: r["text"] for r in posts}
    cur = dict(zip((r["id"] for r in posts), scan(binary, rules, models, path, jobs)))
    print("\n## %s: %d of %d posts flagged" % (
        os.path.relpath(path, ROOT), sum(1 for v in cur.values() if v), len(rows)))
    if base_rules is not None:
        old = dict(zip((r["id"] for r in posts), scan(binary, base_rules, base_models, path, jobs)))
        changed = [k for k in rows if bool(cur.get(k)) != bool(old.get(k))
                   or {c for _, c in cur.get(k, [])} != {c for _, c in old.get(k, [])}]
        print("changed verdicts vs baseline: %d" % len(changed))
        for k in changed:
            print("  %s  %s -> %s  %s" % (
                k, ",".join(sorted({c for _, c in old.get(k, [])})) or "-",
                ",".join(sorted({c for _, c in cur.get(k, [])})) or "-", rows[k][:70]))
    print("flagged:")
    for k in rows:
        if cur.get(k):
            print("  %s  %-34s %s" % (k, ",".join(sorted({c for _, c in cur[k]})), rows[k][:70]))


def baseline_dir(spec, tmp):
    """git:REF -> rules/ of that commit extracted into tmp; else a folder."""
    if not spec.startswith("git:"):
        return spec
    ref = spec[4:]
    blob = subprocess.run(["git", "-C", ROOT, "archive", "--format=tar", ref, "rules"],
                          stdout=subprocess.PIPE, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(blob)) as tf:
        tf.extractall(tmp)
    return os.path.join(tmp, "rules")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build/default/bin/netpatrol"))
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules"))
    ap.add_argument("--models", default=os.path.join(ROOT, "models"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--split", default="dev", help="dev (final figures) or train (exploring)")
    ap.add_argument("--baseline", help="older packs: a folder or git:REF (e.g. git:HEAD)")
    ap.add_argument("--posts", default=os.path.join(ROOT, "examples", "posts.jsonl"))
    ap.add_argument("--no-posts", action="store_true")
    ap.add_argument("--detail", action="store_true", help="per-rule counts per set")
    ap.add_argument("--fp", type=int, default=0, help="with --detail, list N false positives per set")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        base_rules = baseline_dir(a.baseline, tmp) if a.baseline else None
        cur = measure(a.bin, a.rules, a.models, a.data, a.split, a.jobs)
        base = measure(a.bin, base_rules, a.models, a.data, a.split, a.jobs) if base_rules else None
        print("# pack-eval: %s split, %s%s\n" % (
            a.split, os.path.relpath(a.rules, ROOT),
            (" vs baseline " + a.baseline) if a.baseline else ""))
        print_table(cur, base)
        if a.detail:
            print_detail(cur, a.fp)
        if not a.no_posts and os.path.exists(a.posts):
            posts_report(a.bin, a.rules, a.models, base_rules, a.models, a.posts, a.jobs)


if __name__ == "__main__":
    main()
