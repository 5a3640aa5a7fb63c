/* cn_id.c — PRC resident identity number (GB 11643): MOD 11-2 check
 * character, division code (current and historical) and a real birth date
 * not in the future; legacy 15-digit numbers are upgraded and checked the
 * same way.  domain.md §1.1. */
#include <time.h>
#include "detect/detect_int.h"

static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char id_check[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

int detect_date_valid(int y, int m, int d) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = mdays[m - 1] + (m == 2 && leap);
  return d <= max;
}

/* YYYYMMDD of an epoch second (UTC) without touching global state. */
static uint32_t ymd_of(int64_t t) {
  struct tm tm;
  time_t tt = (time_t)t;
  if (!gmtime_r(&tt, &tm)) return 99991231u;
  return (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

static int num(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

int detect_cn_id_check(const char *s, size_t n, int64_t now, char *out18, uint32_t *birth) {
  char id[19];
  if (n == 15) {
    for (size_t i = 0; i < 15; i++)
      if (!detect_isdigit(s[i])) return 0;
    /* upgrade: insert "19" before YYMMDD, compute the check character */
    for (size_t i = 0; i < 6; i++) id[i] = s[i];
    id[6] = '1';
    id[7] = '9';
    for (size_t i = 6; i < 15; i++) id[i + 2] = s[i];
  } else if (n == 18) {
    for (size_t i = 0; i < 17; i++) {
      if (!detect_isdigit(s[i])) return 0;
      id[i] = s[i];
    }
    id[17] = (s[17] == 'x') ? 'X' : s[17];
    if (!detect_isdigit(id[17]) && id[17] != 'X') return 0;
  } else {
    return 0;
  }
  int sum = 0;
  for (int i = 0; i < 17; i++) sum += (id[i] - '0') * id_weights[i];
  char check = id_check[sum % 11];
  if (n == 18 && id[17] != check) return 0;
  id[17] = check;
  id[18] = '\0';
  if (!detect_division_known((uint32_t)num(id, 6))) return 0;
  int y = num(id + 6, 4), m = num(id + 10, 2), d = num(id + 12, 2);
  if (y < 1880 || !detect_date_valid(y, m, d)) return 0;
  uint32_t b = (uint32_t)(y * 10000 + m * 100 + d);
  if (now > 0 && b > ymd_of(now)) return 0;
  if (out18)
    for (int i = 0; i < 19; i++) out18[i] = id[i];
  if (birth) *birth = b;
  return 1;
}

/* Age in whole years at `now` of someone born on YYYYMMDD b. */
int detect_age(uint32_t b, int64_t now) {
  if (now <= 0) return -1;
  uint32_t t = ymd_of(now);
  int age = (int)(t / 10000) - (int)(b / 10000);
  if (t % 10000 < b % 10000) age--;
  return age;
}

/* Foreigner permanent-residence card, 2023 edition: 9 + province + 3-digit
 * nationality + birth date + sequence + MOD 11-2 check (domain.md §1.2). */
int detect_fpr_check(const char *s, size_t n, int64_t now) {
  if (n != 18 || s[0] != '9') return 0;
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    if (!detect_isdigit(s[i])) return 0;
    sum += (s[i] - '0') * id_weights[i];
  }
  char last = s[17] == 'x' ? 'X' : s[17];
  if (last != id_check[sum % 11]) return 0;
  if (!detect_province_known((unsigned)num(s + 1, 2))) return 0;
  int y = num(s + 6, 4), m = num(s + 10, 2), d = num(s + 12, 2);
  if (y < 1880 || !detect_date_valid(y, m, d)) return 0;
  return !(now > 0 && (uint32_t)(y * 10000 + m * 100 + d) > ymd_of(now));
}
