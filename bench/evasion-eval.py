#!/usr/bin/env python3
"""evasion-eval.py — score the matcher on an evasion test set (stdlib only).

    bench/evasion-eval.py TERMS_LEXICON_DIR CASES.jsonl [--bin PATH] [--json]
                          [--min-recall 0.95] [--max-fp 3] [--show-misses]

Runs `netpatrol scan --rules TERMS_LEXICON_DIR` once over every case
({"id","text","expect":[terms],"evasion":kind}) and scores the verdicts:
  * a positive is found when every expected term is reported (hits[].matches[].term)
    with spans that, sliced from the ORIGINAL text, cover the evaded form;
  * any reported term on a negative (expect == []) is a false positive.
The evaded form is the part of the case text that is not its carrier frame.
Frames are learned from the set itself (the prefix/suffix pair shared by the
most cases), so the script needs nothing but the JSONL: a region is covered
when no content character of it (letters, digits, Han, emoji used for a
character) lies outside the union of the reported spans, except one connector
character between two expected terms.
Exit status: 0 when the thresholds given hold (or none given), 1 when not,
2 on usage or run errors.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            c = json.loads(line)
            if "text" not in c:
                raise ValueError(f"{path}:{n}: case without text")
            c.setdefault("id", f"case{n}")
            c.setdefault("expect", [])
            c.setdefault("evasion", "neg_unknown" if not c["expect"] else "unknown")
            cases.append(c)
    return cases


def common_prefix(a, b):
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return a[:i]


def common_suffix(a, b):
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return a[len(a) - i:] if i else ""


def learn_frames(texts, terms):
    """For each text, the (prefix, suffix) carrier frame around its evaded form.
    terms[i] is a hashable label of what text i carries (its expected terms).
    Candidates are the pairwise longest common prefixes/suffixes of the
    positive texts.  A frame carries different terms (so "frame + first
    character of one term" is not a frame) and no longer candidate keeps 80%
    of its texts (so "楼" is not a frame when "楼上" is)."""
    idx = [i for i, t in enumerate(terms) if t]

    def candidates(rev):
        keys = {i: (texts[i][::-1] if rev else texts[i]) for i in idx}
        cand = set()
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                c = common_prefix(keys[idx[a]], keys[idx[b]])
                if c:
                    cand.add(c)
        info = {}
        for c in cand:
            have = [i for i in idx if keys[i].startswith(c)]
            info[c] = (len(have), len({terms[i] for i in have}))
        ok = set()
        for c, (k, nt) in info.items():
            if nt < 2:
                continue
            if any(len(q) > len(c) and q.startswith(c) and info[q][0] >= 0.8 * k for q in info):
                continue
            ok.add(c)
        return ok

    pre_ok, suf_ok = candidates(False), candidates(True)
    frames = []
    for t in texts:
        p = max((c for c in pre_ok if t.startswith(c) and len(c) < len(t)), key=len, default="")
        rest = t[len(p):][::-1]
        s = max((c for c in suf_ok if rest.startswith(c) and len(c) < len(rest)), key=len,
                default="")
        frames.append((p, s[::-1]))
    return frames


def is_content(ch):
    """Characters an evaded form is made of; noise (spaces, punctuation,
    invisible and combining marks, emoji modifiers) may stay uncovered."""
    cat = unicodedata.category(ch)
    if cat[0] in "LN":
        return True
    if cat == "So" and ord(ch) >= 0x1F300 and not (0x1F3FB <= ord(ch) <= 0x1F3FF):
        return True  # pictographs written for a character (洗💰) must be covered
    return False


def covered(text, region, spans, n_terms):
    """region = (a, b) character offsets; spans = [(start, end)] character offsets."""
    a, b = region
    missing = 0
    for i in range(a, b):
        if not is_content(text[i]):
            continue
        if not any(s <= i < e for s, e in spans):
            missing += 1
    return missing <= max(0, n_terms - 1)


def byte_to_char_map(text):
    """byte offset -> char offset (for every char boundary, plus the end)."""
    m = {}
    off = 0
    for i, ch in enumerate(text):
        m[off] = i
        off += len(ch.encode("utf-8"))
    m[off] = len(text)
    return m


def norm_term(t):
    return unicodedata.normalize("NFKC", t).casefold()


def run_scan(binary, rules_dir, cases):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps({"id": c["id"], "text": c["text"]}, ensure_ascii=False) + "\n")
        tmp = f.name
    try:
        cmd = [binary, "scan", "--rules", rules_dir, tmp]
        p = subprocess.run(cmd, capture_output=True)
    finally:
        os.unlink(tmp)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise RuntimeError(f"{' '.join(cmd)} exited with {p.returncode}")
    verdicts = {}
    order = []
    for line in p.stdout.decode("utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        v = json.loads(line)
        order.append(v)
        if "id" in v:
            verdicts[str(v["id"])] = v
    if len(order) != len(cases):
        raise RuntimeError(f"{len(cases)} cases in, {len(order)} verdicts out")
    return [verdicts.get(str(c["id"]), order[i]) for i, c in enumerate(cases)]


def matches_of(verdict):
    """(term, start_byte, end_byte) of every match of every hit."""
    out = []
    for h in verdict.get("hits", []) or []:
        for m in h.get("matches", []) or []:
            term = m.get("term")
            if term is None:
                continue
            out.append((term, int(m.get("start", 0)), int(m.get("end", 0))))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rules_dir")
    ap.add_argument("cases")
    ap.add_argument("--bin", default=os.environ.get("NETPATROL",
                                                    os.path.join(ROOT, "build/default/bin/netpatrol")))
    ap.add_argument("--json", action="store_true", help="also print the summary as one JSON object (last line)")
    ap.add_argument("--min-recall", type=float, default=None)
    ap.add_argument("--max-fp", type=int, default=None)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()

    try:
        cases = load_cases(args.cases)
        verdicts = run_scan(args.bin, args.rules_dir, cases)
    except (OSError, ValueError, RuntimeError) as e:
        print(f"evasion-eval: {e}", file=sys.stderr)
        return 2

    frames = learn_frames([c["text"] for c in cases], [tuple(c["expect"]) for c in cases])
    per_kind = collections.defaultdict(lambda: [0, 0])  # kind -> [found, total]
    fp, n_neg, found_all, n_pos = 0, 0, 0, 0
    misses = []
    for c, v, (pre, suf) in zip(cases, verdicts, frames):
        text = c["text"]
        b2c = byte_to_char_map(text)
        ms = []
        for term, s, e in matches_of(v):
            if s in b2c and e in b2c and s <= e:
                ms.append((norm_term(term), b2c[s], b2c[e]))
        if not c["expect"]:
            n_neg += 1
            if ms:
                fp += 1
                misses.append((c, "false positive", ms))
            continue
        n_pos += 1
        region = (len(pre), len(text) - len(suf))
        want = [norm_term(t) for t in c["expect"]]
        ok = True
        spans = []
        for t in want:
            tspans = [(s, e) for (mt, s, e) in ms if mt == t and s < region[1] and e > region[0]]
            if not tspans:
                ok = False
            spans += tspans
        if ok and not covered(text, region, spans, len(want)):
            ok = False
        per_kind[c["evasion"]][1] += 1
        if ok:
            per_kind[c["evasion"]][0] += 1
            found_all += 1
        else:
            misses.append((c, "missed", ms))

    recall = found_all / n_pos if n_pos else 1.0
    summary = {
        "positives": n_pos, "found": found_all, "recall": round(recall, 4),
        "negatives": n_neg, "false_positives": fp,
        "per_kind": {k: {"found": f, "total": t, "recall": round(f / t, 4)}
                     for k, (f, t) in sorted(per_kind.items())},
    }
    print(f"{'kind':<18} {'found':>5} {'total':>5} {'recall':>7}")
    for k, d in summary["per_kind"].items():
        print(f"{k:<18} {d['found']:>5} {d['total']:>5} {d['recall']:>7.3f}")
    print(f"overall recall {recall:.4f} ({found_all}/{n_pos}); "
          f"false positives {fp}/{n_neg}")
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    if args.show_misses:
        for c, why, ms in misses:
            print(f"  {why}: {c['id']} [{c['evasion']}] {c['text']} -> {ms}", file=sys.stderr)

    bad = (args.min_recall is not None and recall < args.min_recall) or \
          (args.max_fp is not None and fp > args.max_fp)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
