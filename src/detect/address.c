/* address.c — Chinese street addresses, suffix-driven (domain.md §1.4):
 * a road (路/街/道/巷/弄/胡同) followed by a number + 号 is level 2; a building,
 * unit or room after it (栋/幢/号楼/座/单元/室/层, or a bare room number), a
 * compound (小区/花园/公寓/大厦/苑/新村) with building numbers, or a rural
 * 村 + N 组 is level 3.  The level is kept in the item flags (bits 4-7). */
#include <string.h>
#include "detect/detect_int.h"

const char *const detect_address_enders[] = {"号", "栋", "幢", "座", "单", "室",
                                             "层", "楼", "组", NULL};

static const char *const roads[] = {"路", "街", "道", "巷", "弄", "胡同", "大道"};
static const char *const units[] = {"号楼", "栋", "幢", "座", "单元", "室", "层", "楼", "号院"};
static const char *const compounds[] = {"小区", "花园", "公寓", "大厦", "苑", "新村", "家园", "村"};

static size_t starts(const char *t, size_t n, size_t i, const char *const *list, size_t count) {
  for (size_t k = 0; k < count; k++) {
    size_t l = strlen(list[k]);
    if (l <= n - i && memcmp(t + i, list[k], l) == 0) return l;
  }
  return 0;
}

/* A number: ASCII digits, or Chinese numerals (八号, 十二栋), or xx masks. */
static size_t number_at(const char *t, size_t n, size_t i) {
  static const char *const cn[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百"};
  size_t j = i;
  while (j < n) {
    if (detect_isdigit(t[j]) || t[j] == 'x' || t[j] == '-') {
      j++;
      continue;
    }
    size_t l = starts(t, n, j, cn, 12);
    if (!l) break;
    j += l;
  }
  return j > i && t[i] != '-' ? j - i : 0;
}

static int han_at(const char *t, size_t n, size_t i) {
  return i + 3 <= n && (unsigned char)t[i] >= 0xE4 && (unsigned char)t[i] <= 0xE9;
}

/* Walks back over the place name before a road or compound (≤ 10 characters),
 * stopping at labels such as 住/址/在 and at punctuation. */
static size_t name_start(const char *t, size_t i) {
  size_t j = i, chars = 0;
  while (j > 0 && chars < 10) {
    size_t k = j - 1;
    while (k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80) k--;
    unsigned char c = (unsigned char)t[k];
    if (c < 0x80 && !detect_isalnum(c)) break;
    if (c >= 0x80 && (j - k != 3 || !(c >= 0xE4 && c <= 0xE9))) break;
    if (j - k == 3 && (memcmp(t + k, "住", 3) == 0 || memcmp(t + k, "址", 3) == 0 ||
                       memcmp(t + k, "在", 3) == 0 || memcmp(t + k, "于", 3) == 0))
      break;
    j = k;
    chars++;
  }
  return j;
}

/* Extends an address past [.., j) with unit parts; returns the new end and raises *level. */
static size_t units_after(const char *t, size_t n, size_t j, int *level) {
  for (int rounds = 0; rounds < 6; rounds++) {
    size_t k = j;
    /* optional compound name: up to 6 Han chars ending in a compound word */
    for (size_t q = 0; q < 8 && han_at(t, n, k); q++) {
      size_t l = starts(t, n, k, compounds, 8);
      if (l) {
        k += l;
        break;
      }
      k += 3;
    }
    if (k != j && !starts(t, n, k - 3, compounds, 8) && !starts(t, n, k - 6, compounds, 8)) k = j;
    size_t num = number_at(t, n, k);
    if (!num) break;
    size_t l = starts(t, n, k + num, units, 9);
    if (l) {
      j = k + num + l;
      *level = 3;
      continue;
    }
    /* a bare room number right after 单元/楼: "2单元501" */
    if (*level == 3 && num >= 3 && k == j) {
      j = k + num;
      break;
    }
    break;
  }
  return j;
}

int detect_scan_address(const detect_input *in, detect_scratch *s) {
  const char *t = in->text;
  size_t n = in->len;
  detect_bloom bloom = {{0}};
  for (size_t k = 0; k < 7; k++) detect_bloom_add(&bloom, roads[k]);
  for (size_t k = 0; k < 8; k++) detect_bloom_add(&bloom, compounds[k]);
  for (size_t i = 0; i + 3 <= n; i++) {
    if ((unsigned char)t[i] < 0xE0 || !detect_bloom_has(&bloom, t + i, n - i)) continue;
    int level = 0;
    size_t start = 0, end = 0, l;
    if ((l = starts(t, n, i, roads, 7)) && i > 0) {
      size_t num = number_at(t, n, i + l);
      if (!num || !(i + l + num + 3 <= n && memcmp(t + i + l + num, "号", 3) == 0)) continue;
      level = 2;
      start = name_start(t, i);
      end = i + l + num + 3;
    } else if ((l = starts(t, n, i, compounds, 8)) && i > 0) {
      size_t num = number_at(t, n, i + l);
      size_t u = num ? starts(t, n, i + l + num, units, 9) : 0;
      size_t g = num && !u && i + l + num + 3 <= n && memcmp(t + i + l + num, "组", 3) == 0;
      if (!u && !g) continue;
      level = 3;
      start = name_start(t, i);
      end = i + l + num + (u ? u : 3);
    } else {
      continue;
    }
    if (start == i) continue; /* a bare "路8号" names nothing */
    end = units_after(t, n, end, &level);
    if (detect_overlaps(s, (uint32_t)start, (uint32_t)end)) {
      i = end - 1;
      continue;
    }
    char v[DETECT_VALUE_MAX];
    size_t vn = end - start < sizeof v - 1 ? end - start : sizeof v - 1;
    memcpy(v, t + start, vn);
    v[vn] = '\0';
    int rc = detect_emit(in, s, DETECT_ADDRESS, (uint32_t)start, (uint32_t)end,
                         level == 3 ? 0.85f : 0.7f, v, (uint8_t)(level << 4));
    if (rc < 0) return rc;
    i = end - 1;
  }
  return 0;
}
