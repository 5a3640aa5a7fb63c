/* ascii.c — the ASCII-token scanner: collects each run of URL-ish ASCII
 * characters (folding the obfuscations 点 / [.] / (dot) → '.' and 艾特 / (at)
 * → '@', and joining across removed spaces next to '.' or '@') and hands the
 * token to the classifiers of net.c (URL, domain, e-mail, IP) and docs.c
 * (crypto, USCC, HKID, TW ID, passports, permits, WeChat, Telegram). */
#include <string.h>
#include "detect/detect_int.h"
#include "detect/token.h"
#include "text/text.h"

static int tok_char(unsigned char c) {
  return detect_isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' ||
         c == '@' || c == ':' || c == '/' || c == '~' || c == '#' || c == '?' || c == '=' ||
         c == '&';
}

/* Characters that glue a token to the one before ("a.b", "x_y"): a token
 * never starts right after them. */
static int word_char(unsigned char c) {
  return detect_isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@' || c == '%';
}

/* "vx:abc123" / "qq:12345": a short keyword glued on with ':' is context,
 * not part of the value — drop it from the token. */
static void split_label(detect_token *tk) {
  const char *colon = memchr(tk->buf, ':', tk->n);
  if (!colon) return;
  size_t k = (size_t)(colon - tk->buf);
  if (k == 0 || k > 8 || k + 1 >= tk->n || tk->buf[k + 1] == '/' || memchr(colon + 1, ':', tk->n - k - 1))
    return;
  for (size_t i = 0; i < k; i++)
    if (!detect_isalpha(tk->buf[i])) return;
  size_t m = tk->n - k - 1;
  memmove(tk->buf, tk->buf + k + 1, m);
  memmove(tk->cs, tk->cs + k + 1, m * sizeof tk->cs[0]);
  memmove(tk->ce, tk->ce + k + 1, m * sizeof tk->ce[0]);
  tk->n = m;
  tk->buf[m] = '\0';
}

/* Obfuscated '.' or '@' at t[j]: returns its byte length and sets *out. */
static size_t obfuscation(const char *t, size_t n, size_t j, char *out) {
  static const struct {
    const char *s;
    char c;
  } forms[] = {{"\xE7\x82\xB9", '.'}, /* 点 */
               {"[.]", '.'},          {"(.)", '.'},  {"[dot]", '.'}, {"(dot)", '.'},
               {"\xE8\x89\xBE\xE7\x89\xB9", '@'}, /* 艾特 */
               {"(at)", '@'},         {"[at]", '@'}};
  for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
    size_t l = strlen(forms[k].s);
    if (l <= n - j && memcmp(t + j, forms[k].s, l) == 0) {
      *out = forms[k].c;
      return l;
    }
  }
  return 0;
}

static size_t collect(const detect_input *in, size_t i, detect_token *tk) {
  const char *t = in->text;
  size_t n = in->len, j = i;
  tk->n = 0;
  tk->obfuscated = 0;
  while (j < n && tk->n < DETECT_TOKEN_MAX - 1) {
    unsigned char c = (unsigned char)t[j];
    char o;
    size_t l;
    if (tok_char(c)) {
      if (j > i && in->flags && (in->flags[j] & TEXT_F_GAP)) {
        /* removed space: join only around '.'/'@' ("example . com") */
        char prev = tk->buf[tk->n - 1];
        if (!(prev == '.' || prev == '@' || c == '.' || c == '@')) break;
      }
      tk->buf[tk->n] = (char)c;
      tk->cs[tk->n] = (uint32_t)j;
      tk->ce[tk->n] = (uint32_t)j + 1;
      tk->n++;
      j++;
      continue;
    }
    if (tk->n > 0 && detect_isalnum(tk->buf[tk->n - 1]) && (l = obfuscation(t, n, j, &o)) &&
        j + l < n && detect_isalnum(t[j + l])) {
      tk->buf[tk->n] = o;
      tk->cs[tk->n] = (uint32_t)j;
      tk->ce[tk->n] = (uint32_t)(j + l);
      tk->n++;
      tk->obfuscated = 1;
      j += l;
      continue;
    }
    break;
  }
  /* trailing punctuation belongs to the sentence */
  while (tk->n > 0 && strchr(".:-?&=#+~", tk->buf[tk->n - 1])) tk->n--;
  tk->buf[tk->n] = '\0';
  return j > i ? j : i + 1;
}

/* Original bytes of tok[a..b) when they are the same ASCII characters (for
 * case-sensitive values); else NULL. */
const char *detect_token_orig(const detect_input *in, const detect_token *tk, size_t a, size_t b,
                              size_t *len) {
  if (!in->orig_start) {
    *len = b - a;
    return in->text + tk->cs[a];
  }
  uint32_t os = in->orig_start[tk->cs[a]], oe = in->orig_end[tk->ce[b - 1] - 1];
  if (oe < os || oe - os != b - a || oe > in->orig_len) return NULL;
  for (uint32_t k = os; k < oe; k++)
    if ((unsigned char)in->orig[k] >= 0x80) return NULL;
  *len = oe - os;
  return in->orig + os;
}

int detect_scan_ascii(const detect_input *in, detect_scratch *s) {
  const char *t = in->text;
  size_t n = in->len;
  detect_token tk;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)t[i];
    if (!(detect_isalnum(c) || c == '@') || (i > 0 && word_char((unsigned char)t[i - 1]) &&
                                              !(in->flags && (in->flags[i] & TEXT_F_GAP)))) {
      i++;
      continue;
    }
    size_t end = collect(in, i, &tk);
    split_label(&tk);
    if (tk.n >= 5) {
      int rc = detect_classify_net(in, s, &tk);
      if (rc == 0) rc = detect_classify_ids(in, s, &tk);
      if (rc < 0) return rc;
    }
    i = end;
  }
  return 0;
}
