/* pinyin.c — toneless pinyin readings per Han code point, from the table
 * tools/gen_unihan.py generates out of Unihan kMandarin (first) and the
 * dictionary readings.  Traditional and variant forms fall back to the
 * reading of the character they fold to. */
#include "text/text.h"
#include "text/text_int.h"
#include "text/pinyin_data.h"

static size_t lookup(uint32_t cp, const char *const **out) {
  size_t lo = 0, hi = sizeof gen_pinyin_cp / sizeof gen_pinyin_cp[0];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (gen_pinyin_cp[mid][0] == cp) {
      *out = gen_pinyin_list + gen_pinyin_cp[mid][1];
      return gen_pinyin_cp[mid][2];
    }
    if (gen_pinyin_cp[mid][0] < cp) lo = mid + 1; else hi = mid;
  }
  return 0;
}

size_t text_pinyin(uint32_t cp, const char *const **out) {
  const char *const *dummy;
  if (!out) out = &dummy;
  *out = NULL;
  size_t n = lookup(cp, out);
  if (n) return n;
  uint32_t to = text_fold_single(cp, NULL);
  if (to && to != cp) return lookup(to, out);
  return 0;
}
