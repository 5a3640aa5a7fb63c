/* norm_batch.c — the general path of text_normalize: characters that need
 * their neighbours (whitespace, Chinese numerals and aliases in digit runs,
 * pack folds and keeps, multi-character folds) are collected as units into a
 * batch, decided together (digit runs, then whitespace) and emitted with
 * repeat squeezing.  A batch starts where the fast path (normalize.c,
 * norm_plain.c) meets such a character and ends at the first point where
 * nothing decided before depends on anything after: the end of a chunk, or
 * two adjacent plain characters after the last space.  The left context the fast path already
 * emitted enters the batch as at most two "seed" units, so every decision is
 * the one the original chunk-at-a-time algorithm makes (tests/unit/normalize_ref.h). */
#include <string.h>
#include "text/norm_int.h"
#include "util/util.h"

enum { T_LEFT_SINGLE = 1, T_RIGHT_SINGLE = 2 };
enum { HAS_SPACE = 1, HAS_NUMERAL = 2 };

int text_norm_reserve(text_norm_out *o, size_t need) {
  /* 8 bytes of slack past `need`: the fast path stores whole words */
  if (need + 8 <= o->cap) return 0;
  size_t cap = o->cap ? o->cap : 256;
  while (cap < need + 8) cap *= 2;
  const np_allocator *a = o->alloc;
  void *p;
#define GROW(field, size)                                              \
  if (!(p = util_realloc(a, o->field, cap * (size)))) return NP_ENOMEM; \
  o->field = p;
  GROW(text, 1)
  GROW(orig_start, sizeof(uint32_t))
  GROW(orig_end, sizeof(uint32_t))
  GROW(char_index, sizeof(uint32_t))
  GROW(repeat, 1)
  GROW(flags, 1)
#undef GROW
  o->cap = cap;
  return 0;
}

static int find_u32(const uint32_t *a, size_t n, uint32_t cp, size_t *at) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (a[mid] == cp) { *at = mid; return 1; }
    if (a[mid] < cp) lo = mid + 1; else hi = mid;
  }
  return 0;
}

static int in_keep(const text_normalizer *n, uint32_t cp) {
  size_t at;
  return n->n_keep && find_u32(n->keep, n->n_keep, cp, &at);
}

/* Applies pack folds and digit aliases to a kept unit. */
static void apply_pack(const text_normalizer *n, norm_unit *u) {
  size_t at;
  if (n->n_folds && u->cp >= n->fold_min && u->cp <= n->fold_max &&
      find_u32(n->fold_from, n->n_folds, u->cp, &at)) {
    uint32_t e = n->fold_entry[at];
    u->cp = n->fold_to[at];
    u->cls = (uint8_t)TE_CLASS(e);
    u->digit = (uint8_t)TE_DIGIT(e);
    u->flags |= TEXT_F_FOLDED;
  }
  if (n->n_aliases && u->cp >= n->alias_min && u->cp <= n->alias_max &&
      (u->cls == TC_HAN || u->cls == TC_OTHER) &&
      find_u32(n->alias_cp, n->n_aliases, u->cp, &at)) {
    u->flags |= U_ALIAS;
    u->digit = n->alias_digit[at];
  }
}

int text_norm_unit_of(const text_normalizer *n, uint32_t cp, norm_unit *u, unsigned *table_cls) {
  uint32_t e = cp <= 0x10FFFF ? text_fold_entry(cp) : TE_MAKE(TC_NOISE, 0, 0, TK_IDENT, 0);
  unsigned cls = TE_CLASS(e);
  if (cls == TC_NOISE) {
    if (!in_keep(n, cp) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return NU_NOISE;
    e = TE_MAKE(TC_OTHER, 0, 0, TK_IDENT, 0);
    cls = TC_OTHER;
  }
  *table_cls = cls;
  if (cls == TC_SPACE) return NU_SPACE;
  if (TE_KIND(e) == TK_SEQ) return NU_SEQ;
  *u = (norm_unit){TE_KIND(e) == TK_IDENT ? cp : TE_PAYLOAD(e), 0, 0, (uint8_t)cls,
                   (uint8_t)TE_DIGIT(e),
                   (uint8_t)(((e & TE_FOLDED) ? TEXT_F_FOLDED : 0) |
                             ((e & TE_DIGIT_FOLD) ? TEXT_F_DIGIT_FOLD : 0)), 0};
  if (cls != TC_SEP && cls != TC_DIGIT && (n->n_folds || n->n_aliases)) apply_pack(n, u);
  return NU_UNIT;
}

uint32_t text_norm_act_of(const text_normalizer *n, uint32_t cp) {
  norm_unit u;
  unsigned tcls;
  switch (text_norm_unit_of(n, cp, &u, &tcls)) {
  case NU_NOISE: return NA_NOISE;
  case NU_SPACE: return NA_SPACE;
  case NU_SEQ: return NA_GENERAL;
  default: break;
  }
  /* a pack fold into or out of the separators: chunks follow the table's
   * class, so leave it to the general path */
  if ((tcls == TC_SEP) != (u.cls == TC_SEP)) return NA_GENERAL;
  char b[4];
  size_t k = util_utf8_put(u.cp, b);
  if (k > 3) return NA_GENERAL; /* astral output: rare, the general path writes it */
  uint32_t bytes = 0;
  for (size_t j = 0; j < k; j++) bytes |= (uint32_t)(unsigned char)b[j] << (8 * j);
  uint32_t a = bytes | (uint32_t)k << 24 | (uint32_t)u.cls << 26;
  if (u.cls == TC_CNNUM || (u.flags & U_ALIAS)) a |= NA_HI;
  if (u.flags & TEXT_F_DIGIT_FOLD) a |= 1u << 30;
  if (u.flags & TEXT_F_FOLDED) a |= 1u << 31;
  return a;
}

static int digit_like(const norm_unit *u) {
  return u->cls == TC_DIGIT || u->cls == TC_CNNUM || (u->flags & U_ALIAS);
}

/* A unit that ends any digit run and belongs to a token. */
static int breaker(const norm_unit *u) {
  return u->cls != TC_SPACE && u->cls != TC_SEP && !digit_like(u);
}

/* Chinese numerals and aliases become ASCII digits inside long enough runs
 * of digit-like characters (spaces allowed inside a run).  A seed digit unit
 * stands for as many digits as its weight. */
static void fold_digit_runs(const text_normalizer *n, norm_unit *u, size_t m) {
  for (size_t i = 0; i < m;) {
    if (!digit_like(&u[i])) { i++; continue; }
    size_t j = i, count = 0, end = i;
    while (j < m && (digit_like(&u[j]) || u[j].cls == TC_SPACE)) {
      if (digit_like(&u[j])) { count += (u[j].flags & U_SEED) ? u[j].os : 1; end = j + 1; }
      j++;
    }
    if (count >= n->min_digit_run) {
      for (size_t k = i; k < end; k++) {
        if (u[k].cls == TC_CNNUM || (u[k].flags & U_ALIAS)) {
          u[k].cp = '0' + u[k].digit;
          u[k].cls = TC_DIGIT;
          u[k].flags = (uint8_t)((u[k].flags & ~U_ALIAS) | TEXT_F_FOLDED | TEXT_F_DIGIT_FOLD);
        }
      }
    }
    i = end;
  }
}

static int same_char(const text_normalizer *n, const norm_unit *a, const norm_unit *b) {
  return n->squeeze && a->cp == b->cp && a->cls != TC_DIGIT && a->cls != TC_ALPHA;
}

static int is_ascii_alnum(unsigned c) { return c == TC_ALPHA || c == TC_DIGIT; }
static int is_hanlike(unsigned c) { return c == TC_HAN || c == TC_CNNUM; }

/* Whether the whitespace between l and r is removed (see docs/normalization.md). */
static int join_space(const norm_unit *l, const norm_unit *r, int lsingle, int rsingle) {
  unsigned lc = l->cls, rc = r->cls;
  if (lc == TC_DIGIT && rc == TC_DIGIT) return 1;
  if ((is_ascii_alnum(lc) && is_hanlike(rc)) || (is_hanlike(lc) && is_ascii_alnum(rc))) return 1;
  if (is_ascii_alnum(lc) && is_ascii_alnum(rc)) return lsingle && rsingle;
  return lsingle || rsingle;
}

/* Marks each space with whether its neighbouring tokens are one canonical
 * character long (after squeezing), then decides which spaces go. */
static void decide_spaces(const text_normalizer *n, norm_unit *u, size_t m) {
  size_t ts = 0;
  for (size_t i = 0; i <= m; i++) {
    if (i < m && u[i].cls != TC_SPACE && u[i].cls != TC_SEP) continue;
    if (i > ts) {
      size_t chars = 1;
      for (size_t k = ts + 1; k < i && chars < 2; k++)
        if (!same_char(n, &u[k - 1], &u[k])) chars++;
      if (chars == 1) {
        if (i < m && u[i].cls == TC_SPACE) u[i].tok |= T_LEFT_SINGLE;
        if (ts > 0 && u[ts - 1].cls == TC_SPACE) u[ts - 1].tok |= T_RIGHT_SINGLE;
      }
    }
    ts = i + 1;
  }
  for (size_t i = 0; i < m; i++) {
    if (u[i].cls != TC_SPACE) continue;
    const norm_unit *l = i > 0 ? &u[i - 1] : NULL, *r = i + 1 < m ? &u[i + 1] : NULL;
    if (!l || !r || l->cls == TC_SEP || r->cls == TC_SEP ||
        join_space(l, r, u[i].tok & T_LEFT_SINGLE, u[i].tok & T_RIGHT_SINGLE))
      u[i].flags |= U_DROP;
  }
}

static int emit(norm_state *st, const norm_unit *u, size_t m) {
  const text_normalizer *n = st->n;
  text_norm_out *o = st->o;
  for (size_t i = 0; i < m; i++) {
    const norm_unit *x = &u[i];
    if (x->flags & U_DROP) { st->gap = 1; continue; }
    uint8_t gap = (uint8_t)(((x->flags & TEXT_F_GAP) || st->gap) ? TEXT_F_GAP : 0);
    st->gap = 0;
    /* ASCII letters and digits are never squeezed: words (google, ddos), numbers
     * and identifiers must survive as written */
    if (st->have_last && n->squeeze && x->cp == st->last_cp && x->cls != TC_DIGIT &&
        x->cls != TC_ALPHA && x->cls != TC_SPACE) {
      for (size_t b = st->last_at; b < o->len; b++) {
        o->orig_end[b] = x->oe;
        if (o->repeat[b] < 255) o->repeat[b]++;
      }
      continue;
    }
    if (o->len + 4 + 8 > o->cap && text_norm_reserve(o, o->len + 4 + (m - i) * 3) < 0)
      return NP_ENOMEM;
    char buf[4];
    size_t k = util_utf8_put(x->cp, buf);
    uint8_t fl = (uint8_t)(gap | (x->flags & (TEXT_F_FOLDED | TEXT_F_DIGIT_FOLD)));
    for (size_t b = 0; b < k; b++) {
      size_t at = o->len + b;
      o->text[at] = buf[b];
      o->orig_start[at] = x->os;
      o->orig_end[at] = x->oe;
      o->char_index[at] = (uint32_t)o->n_chars;
      o->repeat[at] = 1;
      o->flags[at] = (uint8_t)(fl | (b == 0 ? TEXT_F_CHAR_START : 0));
    }
    st->last_at = o->len;
    st->last_cp = x->cp;
    st->have_last = 1;
    o->len += k;
    o->n_chars++;
  }
  return 0;
}

/* The left context as seed units: the current token's last unit (or a
 * stand-in digit carrying the length of the digit run that ends it), behind
 * a unit that matches nothing when the token is already 2+ characters. */
static size_t put_seeds(const norm_state *st, norm_unit *u) {
  if (!st->tok_chars) return 0;
  size_t k = 0;
  if (st->tok_chars >= 2) u[k++] = (norm_unit){UINT32_MAX, 1, 1, TC_OTHER, 0, U_SEED, 0};
  if (st->dig) u[k++] = (norm_unit){'0', st->dig, st->dig, TC_DIGIT, 0, U_SEED, 0};
  else u[k++] = (norm_unit){st->last_cp, 1, 1, st->last_cls, 0, U_SEED, 0};
  return k;
}

/* Decides and emits u[0..m) (seeds first); end: the chunk ends here. */
static int finish(norm_state *st, norm_unit *u, size_t m, size_t nseed, unsigned has, int end) {
  if (has & HAS_NUMERAL) fold_digit_runs(st->n, u, m); /* ASCII digit runs need no folding */
  if (has & HAS_SPACE) decide_spaces(st->n, u, m);
  if (emit(st, u + nseed, m - nseed) < 0) return NP_ENOMEM;
  if (end || !m) {
    st->cm = 0;
    st->chunk_olen = st->o->len;
    st->tok_chars = 0;
    st->dig = 0;
    return 0;
  }
  /* clean point: the last unit is a breaker; count its token's characters */
  size_t chars = 1;
  for (size_t k = m - 1; k > 0 && chars < 2 && u[k - 1].cls != TC_SPACE &&
                         u[k - 1].cls != TC_SEP; k--)
    if (!same_char(st->n, &u[k - 1], &u[k])) chars++;
  st->tok_chars = chars;
  st->last_cls = u[m - 1].cls;
  st->dig = 0;
  return 0;
}

int text_norm_batch(norm_state *st, const unsigned char *s, size_t len, size_t *pi,
                    uint8_t *pgap) {
  const text_normalizer *n = st->n;
  norm_unit *u = st->o->work;
  size_t m = put_seeds(st, u), nseed = m;
  unsigned has = 0;
  int need_right = 0; /* the last space's right token is not yet known to be 2+ chars */
  uint8_t gap = *pgap;
  size_t i = *pi;
  int pack = n->n_folds || n->n_aliases;
  while (i < len) {
    size_t at = i;
    uint32_t cp;
    unsigned c0 = s[i];
    if (c0 < 0x80) cp = s[i++];
    else {
      int32_t r = util_utf8_next((const char *)s, len, &i);
      if (r < 0) { gap = TEXT_F_GAP; continue; }
      cp = (uint32_t)r;
    }
    norm_unit x;
    unsigned cls;
    int kind = text_norm_unit_of(n, cp, &x, &cls);
    if (kind == NU_NOISE) { gap = TEXT_F_GAP; continue; }
    if (kind == NU_SPACE) {
      if (m > 0 && u[m - 1].cls == TC_SPACE) { u[m - 1].oe = (uint32_t)i; continue; }
      u[m++] = (norm_unit){' ', (uint32_t)at, (uint32_t)i, TC_SPACE, 0, gap, 0};
      gap = 0;
      has |= HAS_SPACE;
      need_right = 1;
      st->cm++;
    } else if (kind == NU_UNIT) {
      x.os = (uint32_t)at;
      x.oe = (uint32_t)i;
      x.flags |= gap;
      gap = 0;
      u[m++] = x;
      if (x.cls == TC_CNNUM || (x.flags & U_ALIAS)) has |= HAS_NUMERAL;
      if (m >= 2 && breaker(&x) && breaker(&u[m - 2]) && !same_char(n, &u[m - 2], &x))
        need_right = 0;
      st->cm++;
    } else {
      uint32_t e = text_fold_entry(cp), k;
      const uint32_t *sq = text_fold_seq(e, &k);
      if (st->cm + k + 1 > st->limit) { /* the chunk ends before this character */
        if (finish(st, u, m, nseed, has, 1) < 0) return NP_ENOMEM;
        m = nseed = 0;
        has = 0;
        need_right = 0;
      }
      for (uint32_t j = 0; j < k; j++) {
        uint32_t se = text_fold_entry(sq[j]);
        norm_unit *y = &u[m++];
        *y = (norm_unit){sq[j], (uint32_t)at, (uint32_t)i, (uint8_t)TE_CLASS(se),
                         (uint8_t)TE_DIGIT(se),
                         (uint8_t)(gap | TEXT_F_FOLDED |
                                   ((e & TE_DIGIT_FOLD) ? TEXT_F_DIGIT_FOLD : 0)),
                         0};
        gap = 0;
        if (pack) apply_pack(n, y);
        if (y->cls == TC_CNNUM || (y->flags & U_ALIAS)) has |= HAS_NUMERAL;
        if (m >= 2 && breaker(y) && breaker(y - 1) && !same_char(n, y - 1, y)) need_right = 0;
      }
      st->cm += k;
    }
    if (cls == TC_SEP || st->cm + 8 >= st->limit) {
      *pi = i;
      *pgap = gap;
      return finish(st, u, m, nseed, has, 1);
    }
    if (m > nseed && breaker(&u[m - 1]) && !need_right) {
      *pi = i;
      *pgap = gap;
      return finish(st, u, m, nseed, has, 0);
    }
  }
  *pi = i;
  *pgap = gap;
  return finish(st, u, m, nseed, has, 1);
}
