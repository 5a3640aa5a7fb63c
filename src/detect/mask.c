/* mask.c — masked forms of indicator values, built together with the value
 * so nothing unmasked is ever written unless the caller asks (--reveal):
 * IDs keep the first 6 and last 4, phones the first 3 and last 4, cards the
 * first 6 and last 4, e-mail the first character and the domain. */
#include <string.h>
#include "detect/detect_int.h"

/* Copies s keeping `head` and `tail` characters (bytes: values are ASCII
 * except addresses/plates, handled below) and starring the middle. */
static void keep_ends(const char *s, size_t head, size_t tail, char *out) {
  size_t n = strlen(s);
  if (n >= DETECT_VALUE_MAX) n = DETECT_VALUE_MAX - 1;
  if (head + tail >= n) {
    /* too short to keep both ends: keep the head only */
    head = n > 2 ? n / 3 : 0;
    tail = 0;
  }
  memcpy(out, s, head);
  size_t k = head;
  for (size_t i = head; i < n - tail; i++) out[k++] = '*';
  memcpy(out + k, s + n - tail, tail);
  out[k + tail] = '\0';
}

/* UTF-8 aware: keep the first `chars` characters, then "***". */
static void keep_chars(const char *s, size_t chars, char *out) {
  size_t i = 0, c = 0, n = strlen(s);
  while (i < n && c < chars) {
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    c++;
  }
  if (i > DETECT_VALUE_MAX - 4) i = DETECT_VALUE_MAX - 4;
  memcpy(out, s, i);
  memcpy(out + i, "***", 4);
}

void detect_mask(detect_type t, const char *v, char *out) {
  switch (t) {
  case DETECT_CN_ID:
  case DETECT_CN_ID_MASKED:
  case DETECT_FPR_CARD:
  case DETECT_BANK_CARD:
  case DETECT_BANK_CARD_MASKED:
    keep_ends(v, 6, 4, out);
    return;
  case DETECT_MOBILE:
  case DETECT_MOBILE_MASKED:
    /* "+8613800138000" → "138****8000" */
    if (strncmp(v, "+86", 3) == 0) v += 3;
    keep_ends(v, 3, 4, out);
    return;
  case DETECT_LANDLINE:
    if (strncmp(v, "+86", 3) == 0) v += 3;
    keep_ends(v, 3, 2, out);
    return;
  case DETECT_HKID:
  case DETECT_TW_ID:
  case DETECT_PASSPORT:
  case DETECT_PERMIT:
  case DETECT_QQ:
  case DETECT_ALIPAY:
    keep_ends(v, 2, 2, out);
    return;
  case DETECT_WECHAT:
    keep_ends(v, 2, 1, out);
    return;
  case DETECT_EMAIL: {
    const char *at = strchr(v, '@');
    size_t n = strlen(v);
    if (!at || n + 4 >= DETECT_VALUE_MAX) {
      keep_ends(v, 1, 0, out);
      return;
    }
    out[0] = v[0];
    memcpy(out + 1, "***", 3);
    memcpy(out + 4, at, n - (size_t)(at - v) + 1);
    return;
  }
  case DETECT_IPV4: {
    /* keep the network part: 10.1.2.*** */
    const char *dot = strrchr(v, '.');
    size_t k = dot ? (size_t)(dot - v) + 1 : 0;
    memcpy(out, v, k);
    memcpy(out + k, "***", 4);
    return;
  }
  case DETECT_PLATE:
    keep_chars(v, 2, out);
    return;
  case DETECT_ADDRESS:
    keep_chars(v, 6, out);
    return;
  default:
    /* URLs, domains, service numbers, crypto, USCC, IPv6: not personal */
    strncpy(out, v, DETECT_VALUE_MAX - 1);
    out[DETECT_VALUE_MAX - 1] = '\0';
    return;
  }
}
