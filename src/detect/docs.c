/* docs.c — alphanumeric identifiers in ASCII tokens: crypto addresses
 * (checked on the original, case-sensitive bytes), USCC, HKID, Taiwan ID,
 * passports and travel permits (only next to their context words), WeChat
 * IDs after a WeChat keyword (or wxid_…), Telegram handles after 飞机/TG. */
#include <string.h>
#include "detect/token.h"

static int emit(const detect_input *in, detect_scratch *s, const detect_token *tk, size_t a,
                size_t b, detect_type t, float conf, const char *v) {
  int rc = detect_emit(in, s, t, tk->cs[a], tk->ce[b - 1], conf, v, 0);
  return rc < 0 ? rc : 1;
}

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!detect_isdigit(s[i])) return 0;
  return 1;
}

static void upper(const char *s, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
  out[n] = '\0';
}

/* Alphanumeric core [a, b) of the token: the whole token must be letters and digits. */
static int alnum_only(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!detect_isalnum(s[i])) return 0;
  return 1;
}

static int crypto(const detect_input *in, detect_scratch *s, const detect_token *tk) {
  const char *b = tk->buf;
  size_t n = tk->n, on;
  if (n == 42 && b[0] == '0' && b[1] == 'x' && detect_eth_check(b, n)) {
    const char *o = detect_token_orig(in, tk, 0, n, &on);
    char v[43];
    memcpy(v, o && on == n ? o : b, n);
    v[n] = '\0';
    return emit(in, s, tk, 0, n, DETECT_ETH, 0.9f, v);
  }
  if (n < 26 || n > 62 || !alnum_only(b, n)) return 0;
  const char *o = detect_token_orig(in, tk, 0, n, &on);
  if (!o || on != n) return 0;
  char v[64];
  memcpy(v, o, n);
  v[n] = '\0';
  if (detect_tron_check(o, n)) return emit(in, s, tk, 0, n, DETECT_TRON, 0.97f, v);
  if (detect_btc_check(o, n)) return emit(in, s, tk, 0, n, DETECT_BTC, 0.97f, v);
  return 0;
}

/* Passport and permit shapes (domain.md §1.2); 1 passport, 2 permit, 0 none. */
static int doc_shape(const char *b, size_t n) {
  if (n == 9 && b[0] == 'e' && digits(b + 1, 8)) return 1;
  if (n == 9 && b[0] == 'e' && detect_isalpha(b[1]) && b[1] != 'i' && b[1] != 'o' &&
      digits(b + 2, 7))
    return 1;
  if (n == 9 && (b[0] == 'g' || b[0] == 'k') && digits(b + 1, 8)) return 1;
  if (n == 9 && b[0] == 'm' && b[1] == 'a' && digits(b + 2, 7)) return 1;
  if (n == 9 && (b[0] == 'd' || b[0] == 's' || b[0] == 'p') && b[1] == 'e' && digits(b + 2, 7))
    return 1;
  if ((n == 9 || n == 11) && (b[0] == 'h' || b[0] == 'm') && digits(b + 1, n - 1)) return 2;
  if (n == 9 && b[0] == 'c' && detect_isalnum(b[1]) && digits(b + 2, 7)) return 2;
  if (n == 9 && b[0] == 'l' && digits(b + 1, 8)) return 2;
  return 0;
}

static int hkid(const detect_input *in, detect_scratch *s, const detect_token *tk) {
  const char *b = tk->buf, *t = in->text;
  size_t n = tk->n, letters = 0;
  while (letters < n && detect_isalpha(b[letters])) letters++;
  if (letters < 1 || letters > 2 || n != letters + 6 || !digits(b + letters, 6)) return 0;
  /* check character in brackets right after the token: A123456(3) */
  uint32_t e = tk->ce[n - 1];
  if (e + 3 > in->len || t[e] != '(' || t[e + 2] != ')') return 0;
  char id[10];
  memcpy(id, b, n);
  id[n] = t[e + 1];
  if (!detect_hkid_check(id, n + 1)) return 0;
  char v[12];
  upper(id, n + 1, v);
  int rc = detect_emit(in, s, DETECT_HKID, tk->cs[0], e + 3, 0.9f, v, 0);
  return rc < 0 ? rc : 1;
}

int detect_classify_ids(const detect_input *in, detect_scratch *s, const detect_token *tk) {
  const char *b = tk->buf;
  size_t n = tk->n;
  uint32_t cs = tk->cs[0], ce = tk->ce[n - 1];
  int rc;
  if (detect_overlaps(s, cs, ce)) return 0;
  if ((rc = crypto(in, s, tk)) != 0) return rc;
  if ((rc = hkid(in, s, tk)) != 0) return rc;
  if (n == 18 && alnum_only(b, n) && !digits(b, n)) {
    char v[19];
    upper(b, n, v);
    if (detect_uscc_check(v, n)) return emit(in, s, tk, 0, n, DETECT_USCC, 0.95f, v);
  }
  if (n == 10 && detect_tw_id_check(b, n)) {
    char v[11];
    upper(b, n, v);
    float conf = detect_context_near(s, DETECT_CTX_ID, cs, ce, 24, 0) ? 0.95f : 0.7f;
    return emit(in, s, tk, 0, n, DETECT_TW_ID, conf, v);
  }
  int shape = doc_shape(b, n);
  if (shape == 1 && (detect_context_near(s, DETECT_CTX_PASSPORT, cs, ce, 24, 0) ||
                     detect_context_near(s, DETECT_CTX_ID, cs, ce, 24, 0))) {
    char v[12];
    upper(b, n, v);
    return emit(in, s, tk, 0, n, DETECT_PASSPORT, 0.85f, v);
  }
  if (shape == 2 && detect_context_near(s, DETECT_CTX_PERMIT, cs, ce, 24, 0)) {
    char v[12];
    upper(b, n, v);
    return emit(in, s, tk, 0, n, DETECT_PERMIT, 0.8f, v);
  }
  /* WeChat: internal wxid_…, or a 6-20 char id right after a WeChat keyword */
  if (n >= 15 && memcmp(b, "wxid_", 5) == 0) return emit(in, s, tk, 0, n, DETECT_WECHAT, 0.95f, b);
  if (n >= 6 && n <= 20 && detect_isalpha(b[0]) &&
      detect_context_near(s, DETECT_CTX_WECHAT, cs, ce, 10, 0)) {
    int ok = 1, has_digit = 0;
    for (size_t i = 0; i < n; i++) {
      ok &= detect_isalnum(b[i]) || b[i] == '_' || b[i] == '-';
      has_digit |= detect_isdigit(b[i]);
    }
    /* "wx" itself and plain words ("wechat") are not IDs */
    if (ok && (has_digit || memchr(b, '_', n)) && memcmp(b, "wechat", 6) != 0 &&
        memcmp(b, "weixin", 6) != 0)
      return emit(in, s, tk, 0, n, DETECT_WECHAT, 0.85f, b);
  }
  /* Telegram: @handle after a Telegram keyword */
  if (b[0] == '@' && n >= 6 && n <= 33 && detect_isalpha(b[1]) &&
      detect_context_near(s, DETECT_CTX_TELEGRAM, cs, ce, 16, 0)) {
    int ok = 1;
    for (size_t i = 1; i < n; i++) ok &= detect_isalnum(b[i]) || b[i] == '_';
    if (ok) return emit(in, s, tk, 0, n, DETECT_TELEGRAM, 0.85f, b);
  }
  return 0;
}
