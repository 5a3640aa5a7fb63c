/* context.c — finds the context words detectors need (身份证, 卡号, QQ,
 * 微信, 支付宝, 护照, 姓名 …) in one pass over the canonical text and answers
 * "is there a keyword of kind K within N bytes of this span".  Context is
 * measured in bytes on the canonical text, both sides (domain.md §1.5). */
#include <string.h>
#include "detect/detect_int.h"

typedef struct keyword {
  const char *text;
  uint8_t kind;
} keyword;

/* Canonical forms: lower case, simplified. */
static const keyword keywords[] = {
    {"身份证", DETECT_CTX_ID},   {"证件号", DETECT_CTX_ID},     {"身份号", DETECT_CTX_ID},
    {"公民身份", DETECT_CTX_ID}, {"居住证", DETECT_CTX_ID},     {"sfz", DETECT_CTX_ID},
    {"卡号", DETECT_CTX_BANK},   {"银行卡", DETECT_CTX_BANK},   {"开户", DETECT_CTX_BANK},
    {"账号", DETECT_CTX_BANK},   {"银行", DETECT_CTX_BANK},     {"储蓄卡", DETECT_CTX_BANK},
    {"信用卡", DETECT_CTX_BANK}, {"帐号", DETECT_CTX_BANK},     {"收款", DETECT_CTX_BANK},
    {"qq", DETECT_CTX_QQ},       {"扣扣", DETECT_CTX_QQ},       {"企鹅", DETECT_CTX_QQ},
    {"q号", DETECT_CTX_QQ},      {"加q", DETECT_CTX_QQ},        {"微信", DETECT_CTX_WECHAT},
    {"薇信", DETECT_CTX_WECHAT}, {"威信", DETECT_CTX_WECHAT},   {"v信", DETECT_CTX_WECHAT},
    {"vx", DETECT_CTX_WECHAT},   {"wx", DETECT_CTX_WECHAT},     {"加v", DETECT_CTX_WECHAT},
    {"weixin", DETECT_CTX_WECHAT}, {"wechat", DETECT_CTX_WECHAT}, {"微", DETECT_CTX_WECHAT},
    {"支付宝", DETECT_CTX_ALIPAY}, {"alipay", DETECT_CTX_ALIPAY}, {"zfb", DETECT_CTX_ALIPAY},
    {"飞机", DETECT_CTX_TELEGRAM}, {"tg", DETECT_CTX_TELEGRAM},  {"telegram", DETECT_CTX_TELEGRAM},
    {"电报", DETECT_CTX_TELEGRAM}, {"护照", DETECT_CTX_PASSPORT}, {"passport", DETECT_CTX_PASSPORT},
    {"通行证", DETECT_CTX_PERMIT}, {"回乡证", DETECT_CTX_PERMIT}, {"台胞证", DETECT_CTX_PERMIT},
    {"电话", DETECT_CTX_PHONE},  {"手机", DETECT_CTX_PHONE},    {"号码", DETECT_CTX_PHONE},
    {"tel", DETECT_CTX_PHONE},   {"联系", DETECT_CTX_PHONE},    {"姓名", DETECT_CTX_NAME},
    {"名字", DETECT_CTX_NAME},   {"真名", DETECT_CTX_NAME},     {"ip", DETECT_CTX_IP},
};
#define N_KEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

int detect_context_scan(const detect_input *in, detect_scratch *s) {
  const char *t = in->text;
  size_t n = in->len;
  detect_bloom bloom = {{0}};
  for (size_t k = 0; k < N_KEYWORDS; k++) detect_bloom_add(&bloom, keywords[k].text);
  s->ctx.len = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    unsigned char c = (unsigned char)t[i];
    if ((c & 0xC0) == 0x80) continue;        /* continuation byte */
    if (!detect_bloom_has(&bloom, t + i, n - i)) continue;
    int alpha = detect_isalpha(c);
    if (alpha && i > 0 && detect_isalpha(t[i - 1])) continue; /* inside an ASCII word */
    for (size_t k = 0; k < N_KEYWORDS; k++) {
      const char *kw = keywords[k].text;
      if (kw[0] != t[i]) continue;
      size_t kn = strlen(kw);
      if (kn > n - i || memcmp(t + i, kw, kn) != 0) continue;
      if (alpha && kn < n - i && detect_isalpha(t[i + kn]) && !(kw[kn - 1] & 0x80)) {
        /* ASCII keyword followed by more letters: "tgx" is not "tg"
         * (but "qq号" and "vx号" are fine: the follower is Han) */
        continue;
      }
      detect_ctx_hit h = {keywords[k].kind, (uint32_t)i, (uint32_t)(i + kn)};
      if (util_vec_push(&s->ctx, &h) < 0) return NP_ENOMEM;
    }
  }
  return 0;
}

int detect_context_near(const detect_scratch *s, int kind, uint32_t pos, uint32_t end,
                        uint32_t before, uint32_t after) {
  const detect_ctx_hit *h = s->ctx.data;
  for (size_t i = 0; i < s->ctx.len; i++) {
    if (h[i].kind != kind) continue;
    if (h[i].end <= pos && pos - h[i].end <= before) return 1;
    if (h[i].start >= end && h[i].start - end <= after) return 1;
  }
  return 0;
}
