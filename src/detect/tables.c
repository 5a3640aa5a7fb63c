/* tables.c — lookups over the generated reference tables (division codes,
 * provinces, mobile segments, area codes, bank BINs).  The only file that
 * includes detect_tables.h, so the tables exist once in the library. */
#include <string.h>
#include "detect/detect.h"
#include "detect/detect_int.h"
#include "detect/detect_tables.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int code_present(uint32_t code) {
  size_t lo = 0, hi = COUNT(detect_division_codes);
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (detect_division_codes[mid] == code) return 1;
    if (detect_division_codes[mid] < code) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

int detect_division_level(uint32_t code) {
  if (code == 810000 || code == 820000 || code == 830000) return 2;
  if (!detect_province_known(code / 10000)) return 0;
  if (code_present(code)) return 2;
  /* older IDs used prefecture-level and 市辖区 codes (XXXX00/XXXX01) */
  unsigned tail = code % 100;
  if ((tail == 0 || tail == 1) && code_present(code - tail)) return 1;
  if (code % 10000 == 9000 || (code % 10000) / 100 == 90) return 1; /* directly administered */
  return 0;
}

int detect_division_known(uint32_t code) { return detect_division_level(code) > 0; }

int detect_province_known(unsigned code2) {
  for (size_t i = 0; i < COUNT(detect_provinces); i++)
    if (detect_provinces[i].code == code2) return 1;
  return 0;
}

int detect_plate_char(const char *p, size_t avail) {
  for (size_t i = 0; i < COUNT(detect_provinces); i++) {
    const char *c = detect_provinces[i].plate;
    size_t n = strlen(c);
    if (n && n <= avail && memcmp(p, c, n) == 0) return (int)n;
  }
  return 0;
}

int detect_mobile_kind(const char *s) {
  if (s[0] != '1') return -1;
  /* longest prefix first: segments are 3-5 digits */
  for (size_t n = 5; n >= 3; n--) {
    size_t lo = 0, hi = COUNT(detect_mobile_prefixes);
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      const char *p = detect_mobile_prefixes[mid].prefix;
      size_t pn = strlen(p);
      int c = strncmp(p, s, n);
      if (c == 0 && pn == n) return detect_mobile_prefixes[mid].kind;
      if (c < 0 || (c == 0 && pn < n)) lo = mid + 1;
      else hi = mid;
    }
  }
  return -1;
}

static int area_known(const char *s, size_t n) {
  size_t lo = 0, hi = COUNT(detect_area_codes);
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const char *a = detect_area_codes[mid];
    size_t an = strlen(a);
    int c = strncmp(a, s, n < an ? n : an);
    if (c == 0) c = an < n ? -1 : an > n ? 1 : 0;
    if (c == 0) return 1;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

int detect_landline_split(const char *s, size_t n) {
  if (n < 10 || n > 12 || s[0] != '0') return 0;
  /* 010 and 02x are the only 3-digit codes; others are 0 + 3 digits */
  size_t an = (s[1] == '1' || s[1] == '2') ? 3 : 4;
  if (!area_known(s, an)) return 0;
  size_t local = n - an;
  if (local < 7 || local > 8) return 0;
  if (s[an] < '2' || s[an] > '8') return 0;
  if (an == 3 && local != 8) return 0; /* big cities use 8-digit local numbers */
  return (int)an;
}

const char *detect_bin_lookup(const char *s, size_t n, size_t *prefix_len) {
  const char *best = NULL;
  for (size_t pl = 3; pl <= 10 && pl < n; pl++) {
    size_t lo = 0, hi = COUNT(detect_bins);
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      const char *p = detect_bins[mid].prefix;
      size_t pn = strlen(p);
      int c = strncmp(p, s, pl);
      if (c == 0) c = pn < pl ? -1 : pn > pl ? 1 : 0;
      if (c == 0) {
        /* same prefix may exist with two PAN lengths: scan neighbours */
        size_t k = mid;
        while (k > 0 && strcmp(detect_bins[k - 1].prefix, p) == 0) k--;
        for (; k < COUNT(detect_bins) && strcmp(detect_bins[k].prefix, p) == 0; k++)
          if (detect_bins[k].pan_len == n) {
            best = detect_bins[k].bank;
            if (prefix_len) *prefix_len = pl;
          }
        break;
      }
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
  }
  return best;
}
