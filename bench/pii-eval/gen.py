#!/usr/bin/env python3
"""gen.py — builds the labelled PII evaluation set: real sentences from
../shared/data (COLD, Weibo rumours; sentences with long digit runs are
skipped so labels stay complete) with synthetic valid identifiers (resident
IDs, mobiles, bank cards) embedded in every evasion form, plus hard near-misses
(wrong check digit, impossible dates, random 18-digit numbers, order numbers,
13-digit timestamps, tracking numbers, prices, unassigned segments).
Usage: gen.py [--shared DIR] [--n 6000] [--seed 7] > posts.jsonl
Each line: {"id","text","labels":[{"type":"cn_id","value":"…"}],"kinds":[…]}"""
import argparse
import json
import os
import random
import re
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHK = "10X98765432"
FULL = {str(i): chr(0xFF10 + i) for i in range(10)}
CIRC = {"0": "⓪", **{str(i): chr(0x2460 + i - 1) for i in range(1, 10)}}
HAN = dict(zip("0123456789", "零一二三四五六七八九"))
NOISE = ["♥", "~", "*", "·", "_", "ˇ"]


def id_check(s17):
    return CHK[sum(int(c) * w for c, w in zip(s17, W)) % 11]


def luhn_ok(s):
    t = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2:
            d *= 2
            d -= 9 if d > 9 else 0
        t += d
    return t % 10 == 0


def luhn_digit(body):
    for d in "0123456789":
        if luhn_ok(body + d):
            return d


def load_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]


class Ref:
    def __init__(self, shared):
        ref = os.path.join(shared, "data", "ref")
        self.codes = sorted({r[0] for r in load_tsv(os.path.join(ref, "gb2260_history.tsv"))
                             if r[1] == "3" and len(r[0]) == 6})
        self.all_codes = {r[0] for r in load_tsv(os.path.join(ref, "gb2260_history.tsv"))}
        rows = load_tsv(os.path.join(ref, "mobile_prefixes.tsv"))
        self.mobile = [r[0] for r in rows if r[2] in ("mobile", "virtual")]
        self.any_mobile = [r[0] for r in rows]
        self.bins = [(r[0], int(r[1])) for r in load_tsv(os.path.join(ref, "bank_bin.tsv"))
                     if len(r[0]) == 6 and r[0][0] in "3456" and 16 <= int(r[1]) <= 19]


def valid_date(y, m, d):
    md = [31, 29 if (y % 4 == 0 and y % 100) or y % 400 == 0 else 28, 31, 30, 31, 30, 31, 31, 30,
          31, 30, 31]
    return 1 <= m <= 12 and 1 <= d <= md[m - 1]


def is_valid_id(ref, s):
    if len(s) != 18 or not s[:17].isdigit():
        return False
    if id_check(s[:17]) != s[17].upper():
        return False
    if s[:6] not in ref.all_codes:
        return False
    y, m, d = int(s[6:10]), int(s[10:12]), int(s[12:14])
    return 1880 <= y <= 2025 and valid_date(y, m, d)


def gen_id(rng, ref):
    code = rng.choice(ref.codes)
    while True:
        y, m, d = rng.randint(1940, 2015), rng.randint(1, 12), rng.randint(1, 28)
        s17 = "%s%04d%02d%02d%03d" % (code, y, m, d, rng.randint(0, 999))
        return s17 + id_check(s17)


def gen_mobile(rng, ref):
    p = rng.choice(ref.mobile)
    return p + "".join(rng.choice("0123456789") for _ in range(11 - len(p)))


def gen_card(rng, ref):
    p, n = rng.choice(ref.bins)
    body = p + "".join(rng.choice("0123456789") for _ in range(n - len(p) - 1))
    return body + luhn_digit(body)


def digits_form(rng, s, form):
    """Writes the digits of s in one evasion form; returns the surface text."""
    if form == "plain":
        return s
    if form == "fullwidth":
        return "".join(FULL.get(c, c) for c in s)
    if form == "circled":
        return "".join(CIRC.get(c, c) for c in s)
    if form == "han":
        return "".join(HAN.get(c, c) for c in s)
    if form == "noise":
        out = []
        for i, c in enumerate(s):
            out.append(c)
            if i < len(s) - 1 and rng.random() < 0.3:
                out.append(rng.choice(NOISE))
        return "".join(out)
    if form == "spaced":
        return " ".join(s)
    raise ValueError(form)


def group(s, sizes, sep):
    out, i = [], 0
    for k in sizes:
        out.append(s[i:i + k])
        i += k
    if i < len(s):
        out.append(s[i:])
    return sep.join(out)


ID_LABELS = ["身份证", "身份证号：", "证件号码 ", "sfz:", "", ""]
PHONE_LABELS = ["电话", "手机：", "联系方式 ", "tel:", "打", "", ""]
CARD_LABELS = ["卡号", "银行卡：", "账号 ", "", ""]


def surface_id(rng, v):
    f = rng.choice(["plain", "plain", "lower", "split", "dash", "fullwidth", "han", "noise",
                    "legacy"])
    if f == "legacy" and v[6:8] != "19":
        f = "plain"  # 15-digit numbers only exist for 19xx births
    if f == "lower":
        return v.replace("X", "x"), f, v
    if f == "split":
        return group(v, [6, 8], " "), f, v
    if f == "dash":
        return group(v, [6, 8], "-"), f, v
    if f == "legacy":
        legacy = v[:6] + v[8:17]
        return legacy, f, v
    if f in ("fullwidth", "han", "noise"):
        return digits_form(rng, v[:17], f) + (v[17] if v[17] != "X" else "X"), f, v
    return v, f, v


def surface_mobile(rng, v):
    f = rng.choice(["plain", "plain", "344", "dash", "+86", "0086", "(+86)", "fullwidth",
                    "circled", "han", "noise", "spaced"])
    if f == "344":
        return group(v, [3, 4], " "), f
    if f == "dash":
        return group(v, [3, 4], "-"), f
    if f == "+86":
        return "+86 " + v, f
    if f == "0086":
        return "0086" + v, f
    if f == "(+86)":
        return "(+86)" + v, f
    if f == "plain":
        return v, f
    return digits_form(rng, v, f), f


def surface_card(rng, v):
    f = rng.choice(["plain", "plain", "4444", "fullwidth", "dash"])
    if f == "4444":
        return group(v, [4, 4, 4, 4], " "), f
    if f == "dash":
        return group(v, [4, 4, 4, 4], "-"), f
    if f == "fullwidth":
        return digits_form(rng, v, f), f
    return v, f


def near_miss(rng, ref):
    """A string that looks like an identifier but is none."""
    k = rng.choice(["id_check", "id_date", "rand18", "order", "ts13", "tracking", "price",
                    "bad_segment", "phone10", "phone12", "card_luhn", "id_future", "rand16"])
    while True:
        if k == "id_check":
            v = gen_id(rng, ref)
            s = v[:17] + rng.choice([c for c in "0123456789X" if c != v[17]])
        elif k == "id_date":
            code = rng.choice(ref.codes)
            s17 = "%s%04d%s%03d" % (code, rng.randint(1950, 2010), rng.choice(["0230", "0431", "1332", "0000", "0229"]), rng.randint(0, 999))
            s = s17 + id_check(s17)
            if is_valid_id(ref, s):
                continue
        elif k == "id_future":
            code = rng.choice(ref.codes)
            s17 = "%s%04d0101%03d" % (code, rng.randint(2030, 2090), rng.randint(0, 999))
            s = s17 + id_check(s17)
        elif k == "rand18":
            s = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(17))
        elif k == "rand16":
            s = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(15))
        elif k == "order":
            s = "订单号" + "2025%02d%02d" % (rng.randint(1, 12), rng.randint(1, 28)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(10, 12)))
        elif k == "ts13":
            s = str(rng.randint(1600000000000, 1790000000000))
        elif k == "tracking":
            s = rng.choice(["SF", "YT", "JT", "ZTO", ""]) + "".join(rng.choice("0123456789") for _ in range(rng.choice([12, 13, 14, 15])))
        elif k == "price":
            s = rng.choice(["¥", "售价", ""]) + str(rng.randint(100, 99999)) + rng.choice([".00元", "元", "块", ".5"])
        elif k == "bad_segment":
            s = rng.choice(["12", "10", "11", "194", "174", "160"]) + "".join(rng.choice("0123456789") for _ in range(9 if len("12") == 2 else 8))
            s = s[:11]
        elif k == "phone10":
            s = gen_mobile(rng, ref)[:10]
        elif k == "phone12":
            s = gen_mobile(rng, ref) + rng.choice("0123456789")
        elif k == "card_luhn":
            v = gen_card(rng, ref)
            s = v[:-1] + str((int(v[-1]) + rng.randint(1, 9)) % 10)
        digits = re.sub(r"\D", "", s)
        # the label must be honest: reject anything that is in fact valid
        if is_valid_id(ref, digits[-18:]) and len(digits) == 18:
            continue
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and (digits.startswith("62") or any(digits.startswith(p) and len(digits) == n for p, n in ref.bins)):
            continue
        if len(digits) == 11 and any(digits.startswith(p) for p in ref.any_mobile):
            continue
        if len(digits) == 12 and digits[0] == "0" and any(digits[1:].startswith(p) for p in ref.any_mobile):
            continue  # the old out-of-town form 0 + mobile is a real phone
        if len(digits) == 15 and is_valid_id(ref, digits[:6] + "19" + digits[6:] + id_check(digits[:6] + "19" + digits[6:])):
            continue
        return s, k


def sentences(shared, rng):
    out = []
    for name in ("cold/dev.jsonl", "weibo_rumor_ced/dev.jsonl", "toxicn/dev.jsonl"):
        path = os.path.join(shared, "data", name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    t = json.loads(line)["text"]
                except (ValueError, KeyError):
                    continue
                # NFKC-folded digit runs or ASCII words could be unlabeled identifiers
                if re.search(r"[0-9０-９①-⑨]{4,}|[A-Za-z0-9._-]+@|http|www", t) or not 6 <= len(t) <= 200:
                    continue
                out.append(t)
    rng.shuffle(out)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.environ.get("SHARED", "../shared"))
    ap.add_argument("--n", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    ref = Ref(a.shared)
    sents = sentences(a.shared, rng)
    if not sents:
        sys.exit("no sentences under %s/data" % a.shared)
    for i in range(a.n):
        base = sents[i % len(sents)]
        pieces, labels, kinds = [], [], []
        r = rng.random()
        n_pos = 0 if r < 0.3 else 1 if r < 0.8 else 2
        for _ in range(n_pos):
            t = rng.choice(["cn_id", "phone", "bank_card"])
            if t == "cn_id":
                v = gen_id(rng, ref)
                s, f, canon = surface_id(rng, v)
                label = rng.choice(ID_LABELS) if f != "legacy" else "身份证"
                pieces.append(label + s)
                labels.append({"type": "cn_id", "value": canon})
            elif t == "phone":
                v = gen_mobile(rng, ref)
                s, f = surface_mobile(rng, v)
                pieces.append(rng.choice(PHONE_LABELS) + s)
                labels.append({"type": "phone", "value": "+86" + v})
            else:
                v = gen_card(rng, ref)
                s, f = surface_card(rng, v)
                pieces.append(rng.choice(CARD_LABELS) + s)
                labels.append({"type": "bank_card", "value": v})
            kinds.append(t + ":" + f)
        n_neg = rng.choice([0, 1, 1, 2]) if n_pos else rng.choice([1, 1, 2])
        for _ in range(n_neg):
            s, k = near_miss(rng, ref)
            pieces.append(s)
            kinds.append("miss:" + k)
        # cut the real sentence only: an insertion never splits another piece
        cuts = sorted(rng.randint(0, len(base)) for _ in pieces)
        text, prev = "", 0
        for cut, p in zip(cuts, pieces):
            text += base[prev:cut] + rng.choice(["，", " ", "：", "。"]) + p + rng.choice(["，", " ", "。", "！"])
            prev = cut
        text += base[prev:]
        print(json.dumps({"id": "pii-%05d" % i, "text": text, "labels": labels, "kinds": kinds},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
