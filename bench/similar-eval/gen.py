#!/usr/bin/env python3
"""Builds the similarity evaluation stream: a real background (shared/data
weibo_rumor_ced + cold + toxicn texts, timestamps assigned over 24 h, authors
from a pool) with injected synthetic campaigns (paraphrased copies posted by
K distinct accounts with timing jitter) and hoax variants (padded, reordered,
noisy, partly traditional restatements of rules/hoaxes/hoaxes.jsonl claims).
Writes JSONL with labels: "campaign" (id or null), "hoax" (id or null).
Usage: gen.py SHARED_DIR HOAXES_JSONL OUT [SEED]"""
import json, random, sys

shared, hoaxes, out = sys.argv[1], sys.argv[2], sys.argv[3]
rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
T0, DAY = 1700000000, 86400

bg = []
for f in ("weibo_rumor_ced/train.jsonl", "weibo_rumor_ced/dev.jsonl", "cold/dev.jsonl",
          "toxicn/dev.jsonl"):
    for line in open(f"{shared}/data/{f}", encoding="utf-8"):
        t = json.loads(line).get("text", "")
        if len(t) >= 8: bg.append(t)
rnd.shuffle(bg)
bg = bg[:12000]

TEMPLATES = [
    "强烈推荐这款新出的国产手机，拍照清晰续航给力，价格还实惠，大家赶紧入手",
    "某某明星新剧真的太好看了，演技炸裂剧情紧凑，强烈建议大家去追",
    "这家餐厅服务差菜品难吃还乱收费，大家千万不要去，已经向市场监管投诉",
    "支持某某品牌，国货之光，质量过硬售后贴心，我们一起来支持国产品牌",
    "某某小区物业太黑心了，乱收停车费还不作为，业主们联合起来维权",
    "这部电影是今年最好看的国产片，特效震撼故事感人，一定要去电影院看",
    "某某平台理财收益稳定，年化百分之八，安全可靠，我已经投了三年了",
    "某某学校食堂饭菜质量太差，孩子吃了肚子疼，家长们一起去反映问题",
    "新开的健身房环境好器材新，教练专业，办卡还有优惠，推荐给大家",
    "某某游戏新版本太良心了，福利多画面好，老玩家纷纷回归，快来一起玩",
]
FILL = ["真的", "确实", "说实话", "个人觉得", "哈哈", "！", "～", "。。", "👍", "[赞]", "#推荐#", "，"]
SYN = [("强烈推荐", "非常推荐"), ("大家", "各位"), ("真的", "确实"), ("赶紧", "快"),
       ("太好看了", "超好看"), ("千万不要", "别"), ("一起", "共同"), ("质量", "品质")]
TRAD = str.maketrans("这说发们爱国实经东买卖网电车门开为来时会过还没后见请让语话风云气书长问间题业乐",
                     "這說發們愛國實經東買賣網電車門開為來時會過還沒後見請讓語話風雲氣書長問間題業樂")

def paraphrase(s):
    parts = [p for p in s.replace("，", "|，|").split("|")]
    ops = rnd.sample(["fill", "syn", "swap", "trad", "tail", "noise"], 3)
    if "syn" in ops:
        a, b = rnd.choice(SYN); s = s.replace(a, b)
    if "swap" in ops:
        cl = s.split("，")
        if len(cl) > 2:
            i = rnd.randrange(len(cl) - 1); cl[i], cl[i + 1] = cl[i + 1], cl[i]
        s = "，".join(cl)
    if "fill" in ops:
        i = rnd.randrange(len(s)); s = s[:i] + rnd.choice(FILL) + s[i:]
    if "trad" in ops: s = s.translate(TRAD)
    if "tail" in ops: s = s + rnd.choice(["", "！！", "，转发支持", " @好友", " http://t.cn/" + str(rnd.randrange(10**6))])
    if "noise" in ops:
        i = rnd.randrange(1, len(s)); s = s[:i] + " " + s[i:]
    return s

posts = []
for t in bg:
    posts.append({"text": t, "author": f"u{rnd.randrange(5000)}", "time": T0 + rnd.randrange(DAY),
                  "campaign": None, "hoax": None})
# campaigns: 40 of 5..30 accounts each within ~10 minutes
for c in range(40):
    base = TEMPLATES[c % len(TEMPLATES)]
    if c >= len(TEMPLATES):  # new campaign text: another template's clauses + a campaign tag
        base = base + "，" + rnd.choice(["欢迎留言", "评论区见", "点赞关注", "支持一下"]) + str(c)
    k = rnd.randint(5, 30)
    start = T0 + rnd.randrange(DAY - 900)
    for a in range(k):
        posts.append({"text": paraphrase(base), "author": f"camp{c}_{a}",
                      "time": start + rnd.randrange(600), "campaign": f"c{c}", "hoax": None})
# hoax variants: 3 per claim
CUES = ["紧急扩散！", "网传：", "刚刚收到的消息，", "内部消息，", "", "家人们注意！"]
TAILS = ["转发给家人", "大家互相转告！", "", "真的假的？", "太可怕了"]
for line in open(hoaxes, encoding="utf-8"):
    if line.startswith("#") or not line.strip(): continue
    h = json.loads(line)
    for v in range(3):
        src = rnd.choice([h["claim"]] + h.get("variants", []))
        cl = src.split("，")
        if v == 1 and len(cl) > 1: rnd.shuffle(cl)
        s = "，".join(cl)
        if v == 2: s = s.translate(TRAD)
        s = rnd.choice(CUES) + s + "，" + rnd.choice(TAILS)
        if v == 2: s = " ".join(s[i:i + 3] for i in range(0, len(s), 3))
        posts.append({"text": s, "author": f"u{rnd.randrange(5000)}", "time": T0 + rnd.randrange(DAY),
                      "campaign": None, "hoax": h["id"]})
posts.sort(key=lambda p: (p["time"], p["author"]))
with open(out, "w", encoding="utf-8") as f:
    for i, p in enumerate(posts):
        p["id"] = f"e{i}"
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
print(f"{len(posts)} posts", file=sys.stderr)
