/* plate.c — vehicle licence plates (GA 36): province character + office
 * letter + 5 serial characters (ordinary, last may be 挂/学/警/港/澳) or 6
 * (new-energy, D/F in the third or last place), with an optional '·' or
 * space after the office letter.  Plates are canonical upper case. */
#include <string.h>
#include "detect/detect_int.h"
#include "text/text.h"

static int serial_char(char c) {
  return detect_isdigit(c) || (c >= 'a' && c <= 'z' && c != 'i' && c != 'o');
}

static size_t skip_sep(const detect_input *in, size_t j) {
  const char *t = in->text;
  if (j < in->len && (t[j] == ' ' || t[j] == '-' || t[j] == '.')) return j + 1;
  if (j + 2 <= in->len && memcmp(t + j, "\xC2\xB7", 2) == 0) return j + 2;     /* · */
  if (j + 3 <= in->len && memcmp(t + j, "\xE2\x80\xA2", 3) == 0) return j + 3; /* • */
  if (j + 3 <= in->len && memcmp(t + j, "\xE3\x83\xBB", 3) == 0) return j + 3; /* ・ */
  return j;
}

static const char *const suffixes[] = {"\xE6\x8C\x82", "\xE5\xAD\xA6", "\xE8\xAD\xA6",
                                       "\xE6\xB8\xAF", "\xE6\xBE\xB3"}; /* 挂学警港澳 */

int detect_scan_plates(const detect_input *in, detect_scratch *s) {
  const char *t = in->text;
  size_t n = in->len;
  for (size_t i = 0; i + 8 <= n; i++) {
    /* cheap test first: a plate is a Han character + an ASCII letter */
    if ((unsigned char)t[i] < 0xE0 || !(t[i + 3] >= 'a' && t[i + 3] <= 'z')) continue;
    int pl = detect_plate_char(t + i, n - i);
    if (!pl) continue;
    size_t j = i + (size_t)pl;
    char office = t[j];
    if (!(office >= 'a' && office <= 'z') || office == 'i') continue;
    j = skip_sep(in, j + 1);
    char ser[8];
    size_t k = 0, digits = 0;
    while (j < n && k < 7 && serial_char(t[j])) digits += detect_isdigit(t[j]), ser[k++] = t[j++];
    size_t end = j;
    int suffix = 0;
    if (k == 4) {
      for (size_t q = 0; q < 5; q++)
        if (j + 3 <= n && memcmp(t + j, suffixes[q], 3) == 0) suffix = 1, end = j + 3;
    }
    if (!(k == 5 || k == 6 || (k == 4 && suffix)) || digits < 2) continue;
    if (end < n && detect_isalnum(t[end])) continue;
    if (i > 0 && detect_isalnum(t[i - 1])) continue;
    if (k == 6) {
      /* new energy: [DF] + 5 (small) or 5 digits + [DF] (large) */
      int small = (ser[0] == 'd' || ser[0] == 'f') && detect_isdigit(ser[2]) && detect_isdigit(ser[5]);
      int large = (ser[5] == 'd' || ser[5] == 'f') && detect_isdigit(ser[0]) && detect_isdigit(ser[4]);
      if (!small && !large) continue;
    }
    if (detect_overlaps(s, (uint32_t)i, (uint32_t)end)) continue;
    char v[24];
    size_t vn = 0;
    memcpy(v, t + i, (size_t)pl), vn = (size_t)pl;
    v[vn++] = (char)(office - 32);
    for (size_t q = 0; q < k; q++) v[vn++] = ser[q] >= 'a' ? (char)(ser[q] - 32) : ser[q];
    if (suffix) memcpy(v + vn, t + end - 3, 3), vn += 3;
    v[vn] = '\0';
    int rc = detect_emit(in, s, DETECT_PLATE, (uint32_t)i, (uint32_t)end, k == 6 ? 0.85f : 0.8f, v, 0);
    if (rc < 0) return rc;
    i = end - 1;
  }
  return 0;
}
