/* token.h — private to src/detect/: an ASCII token collected by ascii.c
 * (canonical, lower case, obfuscations folded) with the canonical byte span
 * of every character, and the classifiers that consume it. */
#ifndef NP_DETECT_TOKEN_H
#define NP_DETECT_TOKEN_H
#include "detect/detect_int.h"

#define DETECT_TOKEN_MAX 256
typedef struct detect_token {
  char buf[DETECT_TOKEN_MAX];
  uint32_t cs[DETECT_TOKEN_MAX], ce[DETECT_TOKEN_MAX];
  size_t n;
  int obfuscated;   /* a '.'/'@' was written as 点, [.], 艾特 ... */
} detect_token;

/* Original (case-preserving) bytes of token chars [a, b), or NULL. */
const char *detect_token_orig(const detect_input *in, const detect_token *tk, size_t a, size_t b,
                              size_t *len);
/* URL, domain, e-mail, IPv4/IPv6: returns 1 if the token was claimed, 0 if
 * not, negative on error. */
int detect_classify_net(const detect_input *in, detect_scratch *s, const detect_token *tk);
/* Crypto, USCC, HKID, TW ID, passports, permits, WeChat, Telegram. */
int detect_classify_ids(const detect_input *in, detect_scratch *s, const detect_token *tk);
#endif
