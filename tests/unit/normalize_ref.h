/* normalize_ref.h — TEST-ONLY: the original (pre-fast-path) text_normalize,
 * kept verbatim apart from ref_-prefixed names, as the reference the
 * differential tests in tests/unit/test_text.c compare the optimized
 * normalize.c against byte for byte (text and every per-byte array).  Not
 * compiled into the library: include it from a test only. */
#ifndef NP_TEXT_NORMALIZE_REF_H
#define NP_TEXT_NORMALIZE_REF_H
#include <string.h>
#include "text/text.h"
#include "text/text_int.h"
#include "util/util.h"

#define ref_CHUNK_MAX 65536u /* units per chunk when no separator comes first */

/* One folded character before whitespace and squeeze decisions. */
typedef struct ref_unit {
  uint32_t cp, os, oe; /* canonical code point; original byte range */
  uint8_t cls;         /* TC_* */
  uint8_t digit;       /* digit value for TC_DIGIT / TC_CNNUM / aliases */
  uint8_t flags;       /* TEXT_F_GAP | TEXT_F_FOLDED | TEXT_F_DIGIT_FOLD | U_* */
  uint8_t tok;         /* for spaces: T_* token facts */
} ref_unit;
enum { ref_U_ALIAS = 0x40, ref_U_DROP = 0x80 };
enum { ref_T_LEFT_SINGLE = 1, ref_T_RIGHT_SINGLE = 2 };

/* Emission state carried across chunks. */
typedef struct ref_emit_state {
  size_t last_at;   /* byte offset of the last emitted char */
  uint32_t last_cp;
  int have_last, gap;
} ref_emit_state;

static int ref_reserve_out(text_norm_out *o, size_t need) {
  if (need + 1 <= o->cap) return 0;
  size_t cap = o->cap ? o->cap : 256;
  while (cap < need + 1) cap *= 2;
  const np_allocator *a = o->alloc;
  void *p;
#define GROW(field, size)                                   \
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

static int ref_find_u32(const uint32_t *a, size_t n, uint32_t cp, size_t *at) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (a[mid] == cp) { *at = mid; return 1; }
    if (a[mid] < cp) lo = mid + 1; else hi = mid;
  }
  return 0;
}

/* Applies pack folds and digit aliases to a kept ref_unit. */
static void ref_apply_pack(const text_normalizer *n, ref_unit *u) {
  size_t at;
  if (n->n_folds && u->cp >= n->fold_min && u->cp <= n->fold_max &&
      ref_find_u32(n->fold_from, n->n_folds, u->cp, &at)) {
    uint32_t e = n->fold_entry[at];
    u->cp = n->fold_to[at];
    u->cls = (uint8_t)TE_CLASS(e);
    u->digit = (uint8_t)TE_DIGIT(e);
    u->flags |= TEXT_F_FOLDED;
  }
  if (n->n_aliases && u->cp >= n->alias_min && u->cp <= n->alias_max &&
      (u->cls == TC_HAN || u->cls == TC_OTHER) &&
      ref_find_u32(n->alias_cp, n->n_aliases, u->cp, &at)) {
    u->flags |= ref_U_ALIAS;
    u->digit = n->alias_digit[at];
  }
}

static int ref_digit_like(const ref_unit *u) {
  return u->cls == TC_DIGIT || u->cls == TC_CNNUM || (u->flags & ref_U_ALIAS);
}

/* Chinese numerals and aliases become ASCII digits inside long enough runs
 * of digit-like characters (spaces allowed inside a run). */
static void ref_fold_digit_runs(const text_normalizer *n, ref_unit *u, size_t m) {
  for (size_t i = 0; i < m;) {
    if (!ref_digit_like(&u[i])) { i++; continue; }
    size_t j = i, count = 0, end = i;
    while (j < m && (ref_digit_like(&u[j]) || u[j].cls == TC_SPACE)) {
      if (ref_digit_like(&u[j])) { count++; end = j + 1; }
      j++;
    }
    if (count >= n->min_digit_run) {
      for (size_t k = i; k < end; k++) {
        if (u[k].cls == TC_CNNUM || (u[k].flags & ref_U_ALIAS)) {
          u[k].cp = '0' + u[k].digit;
          u[k].cls = TC_DIGIT;
          u[k].flags = (uint8_t)((u[k].flags & ~ref_U_ALIAS) | TEXT_F_FOLDED | TEXT_F_DIGIT_FOLD);
        }
      }
    }
    i = end;
  }
}

static int ref_same_char(const text_normalizer *n, const ref_unit *a, const ref_unit *b) {
  return n->squeeze && a->cp == b->cp && a->cls != TC_DIGIT && a->cls != TC_ALPHA;
}

static int ref_is_ascii_alnum(unsigned c) { return c == TC_ALPHA || c == TC_DIGIT; }
static int ref_is_hanlike(unsigned c) { return c == TC_HAN || c == TC_CNNUM; }

/* Whether the whitespace between l and r is removed (see docs/normalization.md). */
static int ref_join_space(const ref_unit *l, const ref_unit *r, int lsingle, int rsingle) {
  unsigned lc = l->cls, rc = r->cls;
  if (lc == TC_DIGIT && rc == TC_DIGIT) return 1;
  if ((ref_is_ascii_alnum(lc) && ref_is_hanlike(rc)) || (ref_is_hanlike(lc) && ref_is_ascii_alnum(rc))) return 1;
  if (ref_is_ascii_alnum(lc) && ref_is_ascii_alnum(rc)) return lsingle && rsingle;
  return lsingle || rsingle;
}

/* Marks each space with whether its neighbouring tokens are one canonical
 * character long (after squeezing), then decides which spaces go. */
static void ref_decide_spaces(const text_normalizer *n, ref_unit *u, size_t m) {
  size_t ts = 0;
  for (size_t i = 0; i <= m; i++) {
    if (i < m && u[i].cls != TC_SPACE && u[i].cls != TC_SEP) continue;
    if (i > ts) {
      size_t chars = 1;
      for (size_t k = ts + 1; k < i && chars < 2; k++)
        if (!ref_same_char(n, &u[k - 1], &u[k])) chars++;
      if (chars == 1) {
        if (i < m && u[i].cls == TC_SPACE) u[i].tok |= ref_T_LEFT_SINGLE;
        if (ts > 0 && u[ts - 1].cls == TC_SPACE) u[ts - 1].tok |= ref_T_RIGHT_SINGLE;
      }
    }
    ts = i + 1;
  }
  for (size_t i = 0; i < m; i++) {
    if (u[i].cls != TC_SPACE) continue;
    const ref_unit *l = i > 0 ? &u[i - 1] : NULL, *r = i + 1 < m ? &u[i + 1] : NULL;
    if (!l || !r || l->cls == TC_SEP || r->cls == TC_SEP ||
        ref_join_space(l, r, u[i].tok & ref_T_LEFT_SINGLE, u[i].tok & ref_T_RIGHT_SINGLE))
      u[i].flags |= ref_U_DROP;
  }
}

static int ref_emit(const text_normalizer *n, text_norm_out *o, ref_emit_state *st, const ref_unit *u,
                size_t m) {
  for (size_t i = 0; i < m; i++) {
    const ref_unit *x = &u[i];
    if (x->flags & ref_U_DROP) { st->gap = 1; continue; }
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
    if (o->len + 4 + 1 > o->cap && ref_reserve_out(o, o->len + 4 + (m - i) * 3) < 0) return NP_ENOMEM;
    char buf[4];
    size_t k;
    if (x->cp < 0x80) { buf[0] = (char)x->cp; k = 1; }
    else if (x->cp >= 0x800 && x->cp < 0x10000) {
      buf[0] = (char)(0xE0 | (x->cp >> 12));
      buf[1] = (char)(0x80 | ((x->cp >> 6) & 0x3F));
      buf[2] = (char)(0x80 | (x->cp & 0x3F));
      k = 3;
    } else k = util_utf8_put(x->cp, buf);
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

/* What a chunk holds, so the passes it does not need are skipped. */
enum { ref_HAS_SPACE = 1, ref_HAS_NUMERAL = 2 };

static int ref_flush(const text_normalizer *n, text_norm_out *o, ref_emit_state *st, ref_unit *u, size_t m,
                 unsigned has) {
  if (!m) return 0;
  if (has & ref_HAS_NUMERAL) ref_fold_digit_runs(n, u, m); /* ASCII digit runs need no folding */
  if (has & ref_HAS_SPACE) ref_decide_spaces(n, u, m);
  return ref_emit(n, o, st, u, m);
}

static int ref_in_keep(const text_normalizer *n, uint32_t cp) {
  size_t at;
  return n->n_keep && ref_find_u32(n->keep, n->n_keep, cp, &at);
}

static int text_normalize_ref(const text_normalizer *n, const char *in, size_t len, text_norm_out *out,
                   np_error *err) {
  if (len >= UINT32_MAX) return util_err(err, NP_ETOOBIG, "text of %zu bytes is too long", len);
  out->len = 0;
  out->n_chars = 0;
  if (ref_reserve_out(out, len + 4) < 0) return util_err(err, NP_ENOMEM, "out of memory");
  size_t want = len + 128 < ref_CHUNK_MAX ? len + 128 : ref_CHUNK_MAX; /* >= any fold sequence */
  if (out->work_cap < want) {
    ref_unit *w = util_realloc(out->alloc, out->work, want * sizeof(ref_unit));
    if (!w) return util_err(err, NP_ENOMEM, "out of memory");
    out->work = w;
    out->work_cap = want;
  }
  ref_unit *u = out->work;
  size_t m = 0;
  ref_emit_state st = {0, 0, 0, 0};
  uint8_t gap = 0;
  unsigned has = 0;
  const unsigned char *s = (const unsigned char *)in;
  const uint16_t *stage1;
  const uint32_t *stage2;
  text_fold_tables(&stage1, &stage2);
  for (size_t i = 0; i < len;) {
    size_t at = i;
    uint32_t cp;
    unsigned c0 = s[i];
    if (c0 < 0x80) cp = s[i++];
    else if (c0 >= 0xE1 && c0 <= 0xEC && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
             (s[i + 2] & 0xC0) == 0x80) {
      /* fast path for the 3-byte sequences that hold the CJK blocks (no
       * overlongs or surrogates possible with these lead bytes) */
      cp = ((c0 & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      i += 3;
    } else {
      int32_t r = util_utf8_next(in, len, &i);
      if (r < 0) { gap = TEXT_F_GAP; continue; }
      cp = (uint32_t)r;
    }
    uint32_t e = stage2[((uint32_t)stage1[cp >> 8] << 8) | (cp & 0xFF)];
    unsigned cls = TE_CLASS(e);
    if (cls == TC_NOISE) {
      if (!ref_in_keep(n, cp)) { gap = TEXT_F_GAP; continue; }
      e = TE_MAKE(TC_OTHER, 0, 0, TK_IDENT, 0);
      cls = TC_OTHER;
    }
    if (cls == TC_SPACE) {
      if (m > 0 && u[m - 1].cls == TC_SPACE) { u[m - 1].oe = (uint32_t)i; continue; }
      u[m++] = (ref_unit){' ', (uint32_t)at, (uint32_t)i, TC_SPACE, 0, gap, 0};
      gap = 0;
      has |= ref_HAS_SPACE;
    } else if (TE_KIND(e) != TK_SEQ) {
      ref_unit *x = &u[m++];
      *x = (ref_unit){TE_KIND(e) == TK_IDENT ? cp : TE_PAYLOAD(e), (uint32_t)at, (uint32_t)i,
                  (uint8_t)cls, (uint8_t)TE_DIGIT(e),
                  (uint8_t)(gap | ((e & TE_FOLDED) ? TEXT_F_FOLDED : 0) |
                            ((e & TE_DIGIT_FOLD) ? TEXT_F_DIGIT_FOLD : 0)), 0};
      gap = 0;
      if (cls != TC_SEP && cls != TC_DIGIT && (n->n_folds || n->n_aliases)) ref_apply_pack(n, x);
      if (x->cls == TC_CNNUM || (x->flags & ref_U_ALIAS)) has |= ref_HAS_NUMERAL;
    } else {
      uint32_t k;
      const uint32_t *sq = text_fold_seq(e, &k);
      if (m + k + 1 > out->work_cap) {
        if (ref_flush(n, out, &st, u, m, has) < 0) return util_err(err, NP_ENOMEM, "out of memory");
        m = 0;
        has = 0;
      }
      for (uint32_t j = 0; j < k; j++) {
        uint32_t se = text_fold_entry(sq[j]);
        ref_unit *x = &u[m++];
        *x = (ref_unit){sq[j], (uint32_t)at, (uint32_t)i, (uint8_t)TE_CLASS(se),
                    (uint8_t)TE_DIGIT(se),
                    (uint8_t)(gap | TEXT_F_FOLDED | ((e & TE_DIGIT_FOLD) ? TEXT_F_DIGIT_FOLD : 0)), 0};
        gap = 0;
        if (n->n_folds || n->n_aliases) ref_apply_pack(n, x);
        if (x->cls == TC_CNNUM || (x->flags & ref_U_ALIAS)) has |= ref_HAS_NUMERAL;
      }
    }
    if (cls == TC_SEP || m + 8 >= out->work_cap) {
      if (ref_flush(n, out, &st, u, m, has) < 0) return util_err(err, NP_ENOMEM, "out of memory");
      m = 0;
      has = 0;
    }
  }
  if (ref_flush(n, out, &st, u, m, has) < 0) return util_err(err, NP_ENOMEM, "out of memory");
  out->text[out->len] = 0;
  return 0;
}
#endif
