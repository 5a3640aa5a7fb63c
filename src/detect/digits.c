/* digits.c — the digit-run scanner: one pass over the canonical text
 * collects runs of digits split into groups (by removed noise, spaces, '-',
 * '.', ")" after an area code) with masks (*, xxxx) and a trailing ID 'X';
 * every group-aligned span is tried against the numeric validators (ID,
 * bank card, mobile, landline, QQ, service numbers) and the best
 * non-overlapping candidates win (precedence cn_id > bank_card > mobile >
 * landline > qq, domain.md §1.5).  Runs are matched whole: no candidate
 * starts or ends inside a group. */
#include <string.h>
#include "detect/detect_int.h"
#include "text/text.h"

#define MAX_SYMS 96
#define MAX_GROUPS 32
#define MAX_CANDS 48

typedef struct run {
  char sym[MAX_SYMS];       /* '0'-'9', '*' (mask), 'X' (ID check) */
  uint32_t cpos[MAX_SYMS];  /* canonical byte of each symbol */
  uint32_t cend[MAX_SYMS];  /* canonical byte after it */
  size_t n;
  size_t gstart[MAX_GROUPS + 1];
  char gsep[MAX_GROUPS];    /* separator before the group: 0 gap, ' ', '-', '.', ')' */
  size_t ng;
  int overflow;
} run;

typedef struct cand {
  detect_type type;
  int prio;
  size_t ga, gb;            /* groups [ga, gb] */
  float conf;
  uint8_t flags;
  char value[40];
} cand;

/* Removed noise before canonical byte j consisting only of '*' / '＊'
 * (the normalizer drops them as punctuation): returns how many. */
static size_t removed_masks(const detect_input *in, size_t j) {
  if (!in->flags || !in->orig || !in->orig_start || j == 0) return 0;
  uint32_t a = in->orig_end[j - 1], b = in->orig_start[j];
  if (b <= a || b > in->orig_len) return 0;
  size_t count = 0;
  for (uint32_t k = a; k < b;) {
    if (in->orig[k] == '*') count++, k++;
    else if (k + 3 <= b && memcmp(in->orig + k, "\xEF\xBC\x8A", 3) == 0) count++, k += 3;
    else if (in->orig[k] == ' ') k++;
    else return 0;
  }
  return count;
}

static int push_sym(run *r, char c, uint32_t cp, uint32_t ce) {
  if (r->n >= MAX_SYMS) {
    r->overflow = 1;
    return 0;
  }
  r->sym[r->n] = c;
  r->cpos[r->n] = cp;
  r->cend[r->n] = ce;
  r->n++;
  return 1;
}

static void new_group(run *r, char sep) {
  if (r->ng >= MAX_GROUPS) {
    r->overflow = 1;
    return;
  }
  r->gstart[r->ng] = r->n;
  r->gsep[r->ng] = sep;
  r->ng++;
}

static size_t group_len(const run *r, size_t g) { return r->gstart[g + 1] - r->gstart[g]; }

/* Bytes of a separator character at t[j] that may stand between two digit
 * groups: space - . ) and symbols the normalizer keeps (modifier letters such
 * as ˇ, U+2000-U+2BFF punctuation, arrows, dingbats); 0 if none. */
static size_t sep_len(const char *t, size_t n, size_t j) {
  unsigned char c = (unsigned char)t[j];
  if (c == ' ' || c == '-' || c == '.' || c == ')' || c == '_' || c == '~') return 1;
  if (c >= 0xC2 && c <= 0xDF && j + 1 < n && !(c == 0xC3 && (unsigned char)t[j + 1] == 0x97))
    return 2; /* Latin-1 symbols, modifier letters; not × (an ID check character) */
  if (c == 0xE2 && j + 2 < n) return 3;
  return 0;
}

/* Collects one run starting at the digit t[i]; returns the byte after it. */
static size_t collect(const detect_input *in, size_t i, run *r) {
  const char *t = in->text;
  size_t n = in->len;
  r->n = r->ng = 0;
  r->overflow = 0;
  new_group(r, 0);
  size_t j = i;
  while (j < n) {
    char c = t[j];
    if (detect_isdigit(c)) {
      if (j > i && in->flags && (in->flags[j] & TEXT_F_GAP) && detect_isdigit(t[j - 1])) {
        size_t m = removed_masks(in, j);
        if (m >= 3) {
          for (size_t k = 0; k < m; k++) push_sym(r, '*', (uint32_t)j, (uint32_t)j);
        } else {
          new_group(r, 0);
        }
      }
      push_sym(r, c, (uint32_t)j, (uint32_t)j + 1);
      j++;
      continue;
    }
    if (c == '*' || ((c == 'x' || c == 'X') && r->n >= 3)) {
      /* mask run: at least 3 symbols, then digits (or the end for trailing masks) */
      size_t k = j;
      while (k < n && t[k] == c) k++;
      int trailing_ok = c == '*' && (k >= n || !detect_isalnum(t[k]));
      if (k - j >= 3 && ((k < n && detect_isdigit(t[k])) || trailing_ok)) {
        for (size_t q = j; q < k; q++) push_sym(r, '*', (uint32_t)q, (uint32_t)q + 1);
        j = k;
        continue;
      }
    }
    if ((c == 'x' || c == 'X') && (j + 1 >= n || !detect_isalnum(t[j + 1]))) {
      push_sym(r, 'X', (uint32_t)j, (uint32_t)j + 1); /* ID check character */
      j++;
      break;
    }
    if ((unsigned char)c == 0xC3 && j + 1 < n && (unsigned char)t[j + 1] == 0x97 &&
        (j + 2 >= n || !detect_isalnum(t[j + 2]))) { /* × */
      push_sym(r, 'X', (uint32_t)j, (uint32_t)j + 2);
      j += 2;
      break;
    }
    if (sep_len(t, n, j)) {
      /* up to three separator characters between two digit groups */
      size_t k = j, l, seps = 0;
      while (k < n && seps < 3 && (l = sep_len(t, n, k))) k += l, seps++;
      if (k < n && detect_isdigit(t[k]) && r->n > 0 && r->sym[r->n - 1] != 'X') {
        if (memchr(t + j, ')', k - j)) {
          /* "(0755)8888" / "(+86)138": only after an area code or 86 */
          size_t g = r->ng - 1, gl = r->n - r->gstart[g];
          const char *gs = r->sym + r->gstart[g];
          if (!((gs[0] == '0' && gl >= 3 && gl <= 4) || (gl == 2 && gs[0] == '8' && gs[1] == '6')))
            break;
        }
        new_group(r, t[j] == ')' ? ')' : t[k - 1]);
        j = k;
        continue;
      }
    }
    break;
  }
  r->gstart[r->ng] = r->n;
  if (r->ng > 1 && in->flags && r->n - r->gstart[r->ng - 1] == 1 &&
      (in->flags[r->cpos[r->n - 1]] & TEXT_F_DIGIT_FOLD) && r->gsep[r->ng - 1] == 0) {
    /* a lone numeral word after a gap ("…684 一次") is prose, not a digit */
    r->n--;
    r->ng--;
    j = r->cend[r->n - 1];
  }
  return j;
}

/* A mixed letters+digits token around the run (hex, GUID, tracking codes):
 * digits inside it are not identifiers. */
static int inside_alnum_token(const char *t, size_t n, size_t a, size_t b) {
  if (a > 0 && detect_isalpha(t[a - 1])) {
    size_t k = a - 1;
    while (k > 0 && detect_isalpha(t[k - 1])) k--;
    if (k > 0 && (detect_isdigit(t[k - 1]) || t[k - 1] == '-' || t[k - 1] == '_')) return 1;
    if (a - k > 6) return 1; /* a long word glued to digits: "abcdef123…" */
  }
  if (b < n && detect_isalpha(t[b])) {
    size_t k = b;
    while (k < n && detect_isalnum(t[k])) k++;
    for (size_t q = b; q < k; q++)
      if (detect_isdigit(t[q])) return 1;
    if (k < n && (t[k] == '-' || t[k] == '_')) return 1;
  }
  return 0;
}

static int all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!detect_isdigit(s[i])) return 0;
  return 1;
}

static const float mobile_conf[5] = {0.97f, 0.9f, 0.75f, 0.6f, 0.5f};

static int is_example_id(const char *id18) {
  return strcmp(id18, "11010519491231002X") == 0 || strcmp(id18, "440524188001010014") == 0;
}

/* Tries the validators on symbols s[0..n) of groups [ga, gb]; fills c. */
static int evaluate(const detect_input *in, const detect_scratch *ds, const run *r, size_t ga,
                    size_t gb, cand *c) {
  const char *s = r->sym + r->gstart[ga];
  size_t n = r->gstart[gb + 1] - r->gstart[ga];
  uint32_t cs = r->cpos[r->gstart[ga]], ce = r->cend[r->gstart[gb + 1] - 1];
  size_t masks = 0;
  int x = s[n - 1] == 'X';
  for (size_t i = 0; i < n; i++) masks += s[i] == '*';
  c->ga = ga;
  c->gb = gb;
  c->flags = 0;
  if (masks) {
    if (masks < 3 || (x && n != 18)) return 0;
    size_t visible = n - masks;
    if (n == 18 && visible >= 6 && detect_isdigit(s[0]) && detect_isdigit(s[1]) &&
        detect_province_known((unsigned)((s[0] - '0') * 10 + s[1] - '0'))) {
      c->type = DETECT_CN_ID_MASKED, c->prio = 60, c->conf = 0.8f;
      memcpy(c->value, s, 18), c->value[18] = '\0';
      return 1;
    }
    const char *m = s;
    size_t mn = n;
    if (mn == 13 && m[0] == '8' && m[1] == '6') m += 2, mn -= 2;
    if (mn == 11 && m[0] == '1' && m[1] >= '3' && m[1] <= '9' && detect_isdigit(m[2]) &&
        visible >= 5 && !x) {
      c->type = DETECT_MOBILE_MASKED, c->prio = 60, c->conf = 0.8f;
      memcpy(c->value, "+86", 3), memcpy(c->value + 3, m, 11), c->value[14] = '\0';
      return 1;
    }
    if (n >= 16 && n <= 19 && !x && all_digits(s, 6)) {
      char probe[20];
      memcpy(probe, s, n);
      size_t pl = 0;
      if (detect_bin_lookup(probe, n, &pl) && pl >= 6) {
        c->type = DETECT_BANK_CARD_MASKED, c->prio = 60, c->conf = 0.7f;
        memcpy(c->value, s, n), c->value[n] = '\0';
        return 1;
      }
    }
    return 0;
  }
  if (x) {
    char id[19];
    uint32_t birth;
    if (n == 18 && detect_cn_id_check(s, n, in->now, id, &birth)) {
      c->type = DETECT_CN_ID, c->prio = 100, c->conf = 0.99f;
      memcpy(c->value, id, 19);
      if (is_example_id(id)) c->flags |= DETECT_I_EXAMPLE;
      int age = detect_age(birth, in->now);
      if (age >= 0 && age < 18) c->flags |= DETECT_I_MINOR;
      return 1;
    }
    if (n == 18 && detect_fpr_check(s, n, in->now)) {
      c->type = DETECT_FPR_CARD, c->prio = 95, c->conf = 0.9f;
      memcpy(c->value, s, 17), c->value[17] = 'X', c->value[18] = '\0';
      return 1;
    }
    return 0;
  }
  /* digits only */
  if (n == 18 || n == 15) {
    char id[19];
    uint32_t birth;
    if (detect_cn_id_check(s, n, in->now, id, &birth)) {
      c->type = DETECT_CN_ID, c->prio = 100;
      c->conf = n == 18 ? (s[0] == '7' && s[1] == '1' ? 0.7f : 0.99f)
                        : (detect_context_near(ds, DETECT_CTX_ID, cs, ce, 30, 10) ? 0.9f : 0.7f);
      if (detect_division_level((uint32_t)((s[0] - '0') * 100000 + (s[1] - '0') * 10000 +
                                           (s[2] - '0') * 1000 + (s[3] - '0') * 100 +
                                           (s[4] - '0') * 10 + (s[5] - '0'))) < 2)
        c->conf *= 0.85f;
      memcpy(c->value, id, 19);
      if (is_example_id(id)) c->flags |= DETECT_I_EXAMPLE;
      int age = detect_age(birth, in->now);
      if (age >= 0 && age < 18) c->flags |= DETECT_I_MINOR;
      return 1;
    }
    if (n == 18 && detect_fpr_check(s, n, in->now)) {
      c->type = DETECT_FPR_CARD, c->prio = 95, c->conf = 0.9f;
      memcpy(c->value, s, 18), c->value[18] = '\0';
      return 1;
    }
  }
  if (n == 16 && memcmp(s, "2088", 4) == 0 &&
      detect_context_near(ds, DETECT_CTX_ALIPAY, cs, ce, 20, 10)) {
    c->type = DETECT_ALIPAY, c->prio = 92, c->conf = 0.85f;
    memcpy(c->value, s, n), c->value[n] = '\0';
    return 1;
  }
  if (n >= 16 && n <= 19 && detect_luhn(s, n)) {
    size_t pl = 0;
    const char *bank = detect_bin_lookup(s, n, &pl);
    int ctx = detect_context_near(ds, DETECT_CTX_BANK, cs, ce, 24, 12);
    float conf = 0;
    if (bank && pl >= 6) conf = 0.97f;
    else if (s[0] == '6' && s[1] == '2') conf = 0.9f;
    else if (bank && ctx) conf = 0.8f;
    else if (ctx && n == 16 && (s[0] == '4' || s[0] == '5' || s[0] == '3')) conf = 0.75f;
    if (conf > 0) {
      c->type = DETECT_BANK_CARD, c->prio = 90, c->conf = conf;
      memcpy(c->value, s, n), c->value[n] = '\0';
      return 1;
    }
  }
  /* QQ: a bare digit string is evidence only right after a QQ keyword */
  if (n >= 5 && n <= 11 && s[0] != '0' && detect_context_near(ds, DETECT_CTX_QQ, cs, ce, 12, 0)) {
    c->type = DETECT_QQ, c->prio = 85, c->conf = 0.9f;
    memcpy(c->value, s, n), c->value[n] = '\0';
    return 1;
  }
  {
    const char *m = s;
    size_t mn = n;
    float f = 1.0f;
    if (mn == 13 && m[0] == '8' && m[1] == '6') m += 2, mn -= 2;
    else if (mn == 15 && memcmp(m, "0086", 4) == 0) m += 4, mn -= 4;
    else if (mn == 12 && m[0] == '0' && m[1] == '1') m += 1, mn -= 1, f = 0.8f;
    if (mn == 11 && m[0] == '1') {
      int kind = detect_mobile_kind(m);
      if (kind >= 0) {
        c->type = DETECT_MOBILE, c->prio = 80, c->conf = mobile_conf[kind] * f;
        memcpy(c->value, "+86", 3), memcpy(c->value + 3, m, 11), c->value[14] = '\0';
        return 1;
      }
    }
  }
  {
    char buf[16];
    const char *m = s;
    size_t mn = n;
    int plus86 = 0;
    if (n >= 11 && n <= 13 && s[0] == '8' && s[1] == '6' && group_len(r, ga) == 2 && s[2] != '0') {
      buf[0] = '0';
      memcpy(buf + 1, s + 2, n - 2);
      m = buf, mn = n - 1, plus86 = 1;
    }
    int an = mn <= 12 ? detect_landline_split(m, mn) : 0;
    if (an) {
      /* a separator right after the area code (or "+86 10 …") is the strong form */
      size_t k = r->gstart[ga] + (plus86 ? 2 + (size_t)an - 1 : (size_t)an);
      int sep = 0;
      for (size_t g = ga + 1; g <= gb; g++) sep |= r->gstart[g] == k;
      int ctx = detect_context_near(ds, DETECT_CTX_PHONE, cs, ce, 20, 0);
      c->type = DETECT_LANDLINE, c->prio = 70, c->conf = sep ? 0.9f : ctx ? 0.75f : 0.55f;
      memcpy(c->value, "+86", 3), memcpy(c->value + 3, m + 1, mn - 1), c->value[mn + 2] = '\0';
      return 1;
    }
  }
  if ((n == 10 && (memcmp(s, "400", 3) == 0 || memcmp(s, "800", 3) == 0)) ||
      (n == 5 && (memcmp(s, "95", 2) == 0 || memcmp(s, "96110", 5) == 0 ||
                  memcmp(s, "12345", 5) == 0 || memcmp(s, "12315", 5) == 0 ||
                  memcmp(s, "12321", 5) == 0 || memcmp(s, "12381", 5) == 0)) ||
      (n == 8 && memcmp(s, "95", 2) == 0)) {
    c->type = DETECT_SERVICE_PHONE, c->prio = 50, c->conf = 0.8f;
    memcpy(c->value, s, n), c->value[n] = '\0';
    return 1;
  }
  return 0;
}

/* Four dot-separated groups of 1-3 digits: an IPv4 address (net.c claims it). */
static int dotted_quad(const run *r) {
  if (r->ng != 4) return 0;
  for (size_t g = 0; g < 4; g++)
    if (group_len(r, g) > 3 || (g && r->gsep[g] != '.')) return 0;
  return 1;
}

static int process_run(const detect_input *in, detect_scratch *s, const run *r) {
  cand cands[MAX_CANDS];
  size_t nc = 0;
  if (r->overflow || dotted_quad(r)) return 0;
  for (size_t a = 0; a < r->ng; a++) {
    size_t len = 0;
    for (size_t b = a; b < r->ng && nc < MAX_CANDS; b++) {
      len += group_len(r, b);
      if (len > 19) break;
      if (len < 5) continue;
      /* a sub-span must not split spaced-out single digits ("1 3 8 0 …") */
      if (a > 0 && group_len(r, a) == 1 && group_len(r, a - 1) == 1) continue;
      if (b + 1 < r->ng && group_len(r, b) == 1 && group_len(r, b + 1) == 1) continue;
      if (evaluate(in, s, r, a, b, &cands[nc])) nc++;
    }
  }
  /* greedy: highest precedence first, then longest; no overlaps */
  uint8_t used[MAX_GROUPS] = {0};
  for (;;) {
    int best = -1;
    for (size_t k = 0; k < nc; k++) {
      if (cands[k].prio < 0) continue;
      if (best < 0 || cands[k].prio > cands[best].prio ||
          (cands[k].prio == cands[best].prio &&
           cands[k].gb - cands[k].ga > cands[best].gb - cands[best].ga))
        best = (int)k;
    }
    if (best < 0) break;
    cand *c = &cands[best];
    c->prio = -1;
    int clash = 0;
    for (size_t g = c->ga; g <= c->gb; g++) clash |= used[g];
    if (clash) continue;
    for (size_t g = c->ga; g <= c->gb; g++) used[g] = 1;
    uint32_t cs = r->cpos[r->gstart[c->ga]], ce = r->cend[r->gstart[c->gb + 1] - 1];
    /* include a "+" written before 86/0086 */
    if (cs > 0 && in->text[cs - 1] == '+' && c->value[0] == '+' &&
        r->sym[r->gstart[c->ga]] != '1')
      cs--;
    if (detect_overlaps(s, cs, ce)) continue;
    int rc = detect_emit(in, s, c->type, cs, ce, c->conf, c->value, c->flags);
    if (rc < 0) return rc;
  }
  return 0;
}

int detect_scan_digits(const detect_input *in, detect_scratch *s) {
  const char *t = in->text;
  size_t n = in->len;
  run r;
  for (size_t i = 0; i < n;) {
    if (!detect_isdigit(t[i])) {
      i++;
      continue;
    }
    size_t end = collect(in, i, &r);
    if (!inside_alnum_token(t, n, i, end)) {
      int rc = process_run(in, s, &r);
      if (rc < 0) return rc;
    }
    i = end > i ? end : i + 1;
  }
  return 0;
}
