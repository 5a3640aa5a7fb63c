/* net.c — URLs, bare domains (known TLDs only, so file names and
 * abbreviations do not count), e-mail addresses (also "#" for "@" before a
 * known provider) and IPv4/IPv6 addresses with whole-token boundaries. */
#include <arpa/inet.h>
#include <string.h>
#include "detect/token.h"

static const char *const tlds[] = {
    "com", "cn",  "net",  "org",  "cc",   "top", "xyz", "vip", "info", "io",   "me",  "tv",
    "co",  "app", "shop", "club", "site", "online", "live", "icu", "fun", "hk", "tw", "mo",
    "ru",  "biz", "pro",  "ltd",  "wang", "ink", "work", "link", "asia", "tk",  "ml", "ga",
    "cf",  "gq",  "uk",   "us",   "jp",   "kr", "sg",   "edu", "gov",  "mobi", "win", "bet",
    "xin", "store", "tech", "cloud", "ai", "in"};

static int known_tld(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof tlds / sizeof tlds[0]; i++)
    if (strlen(tlds[i]) == n && memcmp(tlds[i], s, n) == 0) return 1;
  return 0;
}

/* Length of a host name "a.b.tld" at s (labels [a-z0-9-], >= 2 labels, the
 * last a known TLD, not all digits); 0 if none. */
static size_t host_len(const char *s, size_t n, int need_tld) {
  size_t i = 0, labels = 0, last = 0, letters = 0;
  while (i < n) {
    size_t st = i;
    while (i < n && (detect_isalnum(s[i]) || s[i] == '-')) letters += detect_isalpha(s[i]), i++;
    if (i == st) break;
    labels++;
    last = st;
    if (i < n && s[i] == '.' && i + 1 < n && detect_isalnum(s[i + 1])) i++;
    else break;
  }
  if (labels < 2 || !letters) return 0;
  if (need_tld && !known_tld(s + last, i - last)) return 0;
  return i;
}

static const char *const providers[] = {"qq.com",   "163.com",   "126.com",  "sina.com",
                                        "foxmail.com", "gmail.com", "outlook.com", "hotmail.com",
                                        "yeah.net", "sohu.com", "139.com", "aliyun.com"};

static int email(const detect_input *in, detect_scratch *s, const detect_token *tk) {
  const char *b = tk->buf;
  const char *at = memchr(b, '@', tk->n);
  int hash = 0;
  if (!at) {
    /* "name#qq.com": '#' stands for '@' before a known provider */
    at = memchr(b, '#', tk->n);
    if (!at) return 0;
    size_t rest = tk->n - (size_t)(at - b) - 1;
    int ok = 0;
    for (size_t k = 0; k < sizeof providers / sizeof providers[0]; k++)
      ok |= strlen(providers[k]) <= rest && memcmp(at + 1, providers[k], strlen(providers[k])) == 0;
    if (!ok) return 0;
    hash = 1;
  }
  size_t a = (size_t)(at - b);
  size_t ls = a;
  while (ls > 0 && (detect_isalnum(b[ls - 1]) || strchr("._%+-", b[ls - 1]))) ls--;
  if (a - ls < 1 || a - ls > 64 || b[ls] == '.') return 0;
  size_t hl = host_len(b + a + 1, tk->n - a - 1, 1);
  if (!hl) return 0;
  char v[DETECT_VALUE_MAX];
  size_t vn = a - ls + 1 + hl;
  if (vn >= sizeof v) return 0;
  memcpy(v, b + ls, vn);
  v[vn] = '\0';
  if (hash) v[a - ls] = '@';
  int rc = detect_emit(in, s, DETECT_EMAIL, tk->cs[ls], tk->ce[a + hl], 0.95f, v, 0);
  return rc < 0 ? rc : 1;
}

static int ipv4(const detect_input *in, detect_scratch *s, const detect_token *tk) {
  const char *b = tk->buf;
  size_t i = 0, parts = 0;
  while (parts < 5) {
    size_t st = i;
    unsigned v = 0;
    while (i < tk->n && detect_isdigit(b[i]) && i - st < 4) v = v * 10 + (unsigned)(b[i] - '0'), i++;
    if (i == st || i - st > 3 || v > 255 || (i - st > 1 && b[st] == '0')) return 0;
    parts++;
    if (i < tk->n && b[i] == '.' && parts < 4) i++;
    else break;
  }
  if (parts != 4 || (i < tk->n && (detect_isalnum(b[i]) || b[i] == '.'))) return 0;
  /* version numbers: "v1.2.3.4", "版本 1.2.3.4" */
  uint32_t c0 = tk->cs[0];
  if (c0 > 0 && (in->text[c0 - 1] == 'v')) return 0;
  if (c0 >= 6 && memcmp(in->text + c0 - 6, "\xE7\x89\x88\xE6\x9C\xAC", 6) == 0) return 0;
  char v[16];
  memcpy(v, b, i);
  v[i] = '\0';
  int rc = detect_emit(in, s, DETECT_IPV4, tk->cs[0], tk->ce[i - 1], 0.9f, v, 0);
  return rc < 0 ? rc : 1;
}

static int ipv6(const detect_input *in, detect_scratch *s, const detect_token *tk) {
  const char *b = tk->buf;
  size_t colons = 0, i = 0, hexletters = 0;
  while (i < tk->n && (detect_isdigit(b[i]) || (b[i] >= 'a' && b[i] <= 'f') || b[i] == ':' ||
                       b[i] == '.')) {
    colons += b[i] == ':';
    hexletters += b[i] >= 'a';
    i++;
  }
  if (colons < 2 || i < 6 || i >= 46 || (i < tk->n && detect_isalnum(b[i]))) return 0;
  if (!hexletters && !strstr(b, "::")) return 0; /* 12:30:45 is a time */
  char v[48];
  memcpy(v, b, i);
  v[i] = '\0';
  unsigned char addr[16];
  if (inet_pton(AF_INET6, v, addr) != 1) return 0;
  int rc = detect_emit(in, s, DETECT_IPV6, tk->cs[0], tk->ce[i - 1], 0.85f, v, 0);
  return rc < 0 ? rc : 1;
}

static int url(const detect_input *in, detect_scratch *s, const detect_token *tk) {
  const char *b = tk->buf;
  size_t skip = 0;
  int scheme = 0;
  if (tk->n > 8 && memcmp(b, "https://", 8) == 0) skip = 8, scheme = 1;
  else if (tk->n > 7 && memcmp(b, "http://", 7) == 0) skip = 7, scheme = 1;
  else if (tk->n > 7 && (memcmp(b, "hxxps://", 8) == 0)) skip = 8, scheme = 1;
  else if (tk->n > 6 && (memcmp(b, "hxxp://", 7) == 0)) skip = 7, scheme = 1;
  size_t hl = host_len(b + skip, tk->n - skip, !scheme);
  if (!hl && scheme) {
    /* IP-literal URLs are a phishing indicator */
    size_t k = skip;
    while (k < tk->n && (detect_isdigit(b[k]) || b[k] == '.')) k++;
    if (k - skip >= 7) hl = k - skip;
  }
  if (!hl) return 0;
  size_t end = skip + hl;
  int path = end < tk->n && (b[end] == '/' || b[end] == ':' || b[end] == '?');
  if (path) end = tk->n;
  /* "t.me/name" is a Telegram contact */
  detect_type type = scheme || path || memcmp(b + skip, "www.", 4) == 0 ? DETECT_URL : DETECT_DOMAIN;
  if (hl == 4 && memcmp(b + skip, "t.me", 4) == 0 && path) type = DETECT_TELEGRAM;
  /* a bare "name.tld" needs more than letters-dot-letters to not be prose */
  size_t olen;
  const char *o = detect_token_orig(in, tk, 0, end, &olen);
  char v[DETECT_VALUE_MAX];
  size_t vn = end < sizeof v - 1 ? end : sizeof v - 1;
  if (o && !tk->obfuscated && olen == end) memcpy(v, o, vn); /* URL paths are case-sensitive */
  else memcpy(v, b, vn);
  v[vn] = '\0';
  float conf = type == DETECT_DOMAIN ? (tk->obfuscated ? 0.8f : 0.75f) : 0.95f;
  int rc = detect_emit(in, s, type, tk->cs[0], tk->ce[end - 1], conf, v, 0);
  return rc < 0 ? rc : 1;
}

int detect_classify_net(const detect_input *in, detect_scratch *s, const detect_token *tk) {
  if (detect_overlaps(s, tk->cs[0], tk->ce[tk->n - 1])) return 1;
  int rc;
  int has_at = memchr(tk->buf, '@', tk->n) != NULL;
  if (memchr(tk->buf, '.', tk->n)) {
    if (detect_isdigit(tk->buf[0]) && (rc = ipv4(in, s, tk)) != 0) return rc;
    if ((has_at || memchr(tk->buf, '#', tk->n)) && (rc = email(in, s, tk)) != 0) return rc;
    if (!has_at && (rc = url(in, s, tk)) != 0) return rc;
  }
  if (memchr(tk->buf, ':', tk->n) && !memchr(tk->buf, '/', tk->n) && (rc = ipv6(in, s, tk)) != 0)
    return rc;
  return 0;
}
