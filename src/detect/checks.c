/* checks.c — the small check-character algorithms: Luhn (bank cards), the
 * Unified Social Credit Code (GB 32100, with its inner GB 11714 check), the
 * Hong Kong identity card (mod 11) and the Taiwan national ID (mod 10).
 * domain.md §1.2 and §1.4. */
#include "detect/detect_int.h"

int detect_luhn(const char *s, size_t n) {
  int sum = 0;
  for (size_t i = 0; i < n; i++) {
    int d = s[n - 1 - i] - '0';
    if (d < 0 || d > 9) return 0;
    if (i & 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return n > 0 && sum % 10 == 0;
}

static const char uscc_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c) {
  if (c >= 'a' && c <= 'z') c = (char)(c - 32);
  for (int i = 0; uscc_alpha[i]; i++)
    if (uscc_alpha[i] == c) return i;
  return -1;
}

/* GB 11714 organization code check over 8 body chars + check at s[8]. */
static int org_code_check(const char *s) {
  static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; i++) {
    char c = s[i];
    int v;
    if (detect_isdigit(c)) v = c - '0';
    else if (detect_isalpha(c)) v = (c | 32) - 'a' + 10;
    else return 0;
    sum += v * w[i];
  }
  int r = 11 - sum % 11;
  char want = r == 10 ? 'X' : r == 11 ? '0' : (char)('0' + r);
  char got = s[8] == 'x' ? 'X' : s[8];
  return got == want;
}

int detect_uscc_check(const char *s, size_t n) {
  static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  if (n != 18) return 0;
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    int v = uscc_value(s[i]);
    if (v < 0) return 0;
    sum += v * w[i];
  }
  int last = uscc_value(s[17]);
  if (last < 0 || last != (31 - sum % 31) % 31) return 0;
  /* positions 3-8 are a division code: its province must exist */
  for (int i = 2; i < 8; i++)
    if (!detect_isdigit(s[i])) return 0;
  if (!detect_province_known((unsigned)((s[2] - '0') * 10 + (s[3] - '0')))) return 0;
  return org_code_check(s + 8);
}

int detect_hkid_check(const char *s, size_t n) {
  int v[8], k = 0;
  size_t letters = n == 8 ? 1 : n == 9 ? 2 : 0;
  if (!letters) return 0;
  if (letters == 1) v[k++] = 36;
  for (size_t i = 0; i < letters; i++) {
    if (!detect_isalpha(s[i])) return 0;
    v[k++] = (s[i] | 32) - 'a' + 10;
  }
  for (size_t i = letters; i < letters + 6; i++) {
    if (!detect_isdigit(s[i])) return 0;
    v[k++] = s[i] - '0';
  }
  int sum = 0;
  for (int i = 0; i < 8; i++) sum += v[i] * (9 - i);
  int r = (11 - sum % 11) % 11;
  char c = s[n - 1];
  if (r == 10) return c == 'A' || c == 'a';
  return c == '0' + r;
}

int detect_tw_id_check(const char *s, size_t n) {
  static const int map[26] = {10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                              22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33};
  if (n != 10 || !detect_isalpha(s[0]) || (s[1] != '1' && s[1] != '2')) return 0;
  for (int i = 1; i < 10; i++)
    if (!detect_isdigit(s[i])) return 0;
  int x = map[(s[0] | 32) - 'a'];
  int sum = (x / 10) + (x % 10) * 9;
  for (int i = 1; i < 9; i++) sum += (s[i] - '0') * (9 - i);
  sum += s[9] - '0';
  return sum % 10 == 0;
}
