/* crypto.c — cryptocurrency address validators on the original,
 * case-sensitive text: Bitcoin base58check (P2PKH/P2SH) and bech32/bech32m
 * (bc1…), TRON base58check (T…, version 0x41), Ethereum 0x + 40 hex. */
#include <string.h>
#include "detect/detect_int.h"

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Decodes base58 into out (exactly 25 bytes for addresses); 1 on success. */
static int b58_decode25(const char *s, size_t n, uint8_t out[25]) {
  memset(out, 0, 25);
  for (size_t i = 0; i < n; i++) {
    const char *p = memchr(b58, s[i], 58);
    if (!p || !s[i]) return 0;
    unsigned carry = (unsigned)(p - b58);
    for (int k = 24; k >= 0; k--) {
      carry += 58u * out[k];
      out[k] = (uint8_t)carry;
      carry >>= 8;
    }
    if (carry) return 0; /* longer than 25 bytes */
  }
  return 1;
}

static int b58check(const char *s, size_t n, uint8_t *version) {
  uint8_t raw[25], h1[32], h2[32];
  if (n < 25 || n > 35 || !b58_decode25(s, n, raw)) return 0;
  detect_sha256(raw, 21, h1);
  detect_sha256(h1, 32, h2);
  if (memcmp(h2, raw + 21, 4) != 0) return 0;
  *version = raw[0];
  return 1;
}

static uint32_t bech32_polymod(const uint8_t *v, size_t n) {
  static const uint32_t g[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (size_t i = 0; i < n; i++) {
    uint32_t top = chk >> 25;
    chk = (chk & 0x1ffffff) << 5 ^ v[i];
    for (int k = 0; k < 5; k++)
      if ((top >> k) & 1) chk ^= g[k];
  }
  return chk;
}

static int bech32_check(const char *s, size_t n) {
  static const char cs[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  uint8_t v[100];
  if (n < 14 || n > 74 || (s[0] | 32) != 'b' || (s[1] | 32) != 'c' || s[2] != '1') return 0;
  int lower = 0, upper = 0;
  size_t k = 0;
  v[k++] = 3; /* hrp "bc" expanded: high bits, 0, low bits */
  v[k++] = 3;
  v[k++] = 0;
  v[k++] = 2;
  v[k++] = 3;
  for (size_t i = 3; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') upper = 1, c = (char)(c | 32);
    else if (c >= 'a' && c <= 'z') lower = 1;
    const char *p = memchr(cs, c, 32);
    if (!p || !c) return 0;
    v[k++] = (uint8_t)(p - cs);
  }
  if (lower && upper) return 0;
  uint32_t pm = bech32_polymod(v, k);
  return pm == 1 || pm == 0x2bc830a3; /* bech32 or bech32m */
}

int detect_btc_check(const char *s, size_t n) {
  uint8_t ver;
  if (n >= 3 && (s[0] == 'b' || s[0] == 'B')) return bech32_check(s, n);
  if (n < 26 || (s[0] != '1' && s[0] != '3')) return 0;
  return b58check(s, n, &ver) && (ver == 0x00 || ver == 0x05);
}

int detect_tron_check(const char *s, size_t n) {
  uint8_t ver;
  return n == 34 && s[0] == 'T' && b58check(s, n, &ver) && ver == 0x41;
}

int detect_eth_check(const char *s, size_t n) {
  if (n != 42 || s[0] != '0' || (s[1] | 32) != 'x') return 0;
  int letters = 0, digits = 0;
  for (size_t i = 2; i < n; i++) {
    char c = (char)(s[i] | 32);
    if (detect_isdigit(s[i])) digits++;
    else if (c >= 'a' && c <= 'f') letters++;
    else return 0;
  }
  /* 40 hex digits of only one class are hashes of nothing real */
  return letters > 0 && digits > 0;
}
