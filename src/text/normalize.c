/* normalize.c — text_normalize: one pass over UTF-8 producing canonical text
 * plus a per-byte map back to the original.  The hot loop here handles the
 * characters that need no look at their neighbours ("plain": letters, digits,
 * Han, other scripts, separators, noise) and writes them straight to the
 * output; a character that does (whitespace, Chinese numerals, pack folds,
 * multi-character folds) hands over to the general path in norm_batch.c,
 * which returns as soon as the plain loop can continue.  The result is the
 * same, byte for byte, as deciding whole chunks at once (normalize_ref.h).
 * No allocation once buffers have grown. */
#include <string.h>
#include "text/norm_int.h"
#include "util/util.h"

/* Classes the plain loop emits itself (bit per TC_*). */
#define PLAIN_CLASSES ((1u << TC_SEP) | (1u << TC_ALPHA) | (1u << TC_DIGIT) | (1u << TC_HAN) | \
                       (1u << TC_OTHER))
/* Classes a pack fold or alias may apply to. */
#define PACK_CLASSES ((1u << TC_ALPHA) | (1u << TC_HAN) | (1u << TC_OTHER))

static inline void put32(uint32_t *p, uint32_t v, size_t k) {
  for (size_t b = 0; b < k; b++) p[b] = v;
}

/* Stores v into p[0..3] (one vector store where the compiler can): the
 * fourth slot is scratch, overwritten by the next character or past len. */
static inline void put32x4(uint32_t *p, uint32_t v) {
  uint32_t w[4] = {v, v, v, v};
  memcpy(p, w, sizeof w);
}

/* Stores bytes b0 b1 b1 b1 at p (p[3] is scratch, as above). */
static inline void put8x4(uint8_t *p, uint8_t b0, uint8_t b1) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t w = b0 | (uint32_t)b1 * 0x01010100u;
  memcpy(p, &w, 4);
#else
  p[0] = b0;
  p[1] = p[2] = p[3] = b1;
#endif
}

/* The plain loop: from s[*pi], emits plain characters and drops noise until
 * a character needs the general path (left unconsumed) or the input ends. */
static int plain_run(norm_state *st, const unsigned char *s, size_t len, size_t *pi,
                     uint8_t *pgap) {
  const text_normalizer *n = st->n;
  text_norm_out *o = st->o;
  const uint16_t *stage1;
  const uint32_t *stage2;
  text_fold_tables(&stage1, &stage2);
  const int squeeze = n->squeeze;
  size_t i = *pi;
  unsigned gap = *pgap | (st->gap ? TEXT_F_GAP : 0);
  st->gap = 0;
  size_t olen = o->len, nch = o->n_chars, cap = o->cap;
  size_t tok = st->tok_chars, cm = st->cm;
  const size_t limit = st->limit;
  uint32_t dig = st->dig, last_cp = st->last_cp;
  unsigned last_cls = st->last_cls;
  int have_last = st->have_last;
  size_t last_at = st->last_at;
  int rc = 0;
  const uint32_t *ascii = stage2 + ((uint32_t)stage1[0] << 8);
  while (i < len) {
    size_t at;
    uint32_t cp, e, to;
    unsigned c0 = s[i], cls;
    if ((c0 & 0xF0) == 0xE0 && cm + 9 < limit) {
      /* A run of three-byte identity characters (the BMP's CJK) copies
       * through: output bytes = input bytes, so one capacity check; a repeat
       * or anything else goes on below. */
      if (olen + (len - i) + 8 > cap) {
        o->len = olen;
        if ((rc = text_norm_reserve(o, olen + (len - i))) < 0) break;
        cap = o->cap;
      }
      uint32_t *const os = o->orig_start, *const oe = o->orig_end, *const ci = o->char_index;
      uint8_t *const rep = o->repeat, *const fl = o->flags;
      char *const txt = o->text;
      const uint8_t *const fast = n->fast;
      const size_t nch0 = nch, nch_stop = nch + (limit - 9 - cm), end3 = len - 2;
      uint32_t lcp = last_cp;
      size_t j = i, ol = olen, nc = nch;
      unsigned g = gap;
      while (j < end3 && nc < nch_stop) {
        unsigned b0 = s[j], b1 = s[j + 1], b2 = s[j + 2];
        if ((b0 & 0xF0) != 0xE0 || ((b1 & 0xC0) ^ 0x80) || ((b2 & 0xC0) ^ 0x80)) break;
        cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
        unsigned f = (fast[cp >> 2] >> ((cp & 3u) * 2)) & 3u;
        if (f == FAST_NOISE) { g = TEXT_F_GAP; j += 3; continue; } /* incl. encoded surrogates */
        if (f == FAST_FULL || cp == lcp) break;                    /* incl. overlongs */
        txt[ol] = (char)b0;
        txt[ol + 1] = (char)b1;
        txt[ol + 2] = (char)b2;
        put32x4(os + ol, (uint32_t)j);
        put32x4(oe + ol, (uint32_t)(j + 3));
        put32x4(ci + ol, (uint32_t)nc);
        put8x4(rep + ol, 1, 1);
        put8x4(fl + ol, (uint8_t)(g | TEXT_F_CHAR_START), (uint8_t)g);
        lcp = cp;
        ol += 3;
        nc++;
        g = 0;
        j += 3;
      }
      i = j;
      gap = g;
      if (nc != nch0) {
        size_t units = nc - nch0;
        tok += units;
        cm += units;
        dig = 0;
        last_cp = lcp;
        last_cls = TEXT_FAST(n, lcp) == FAST_HAN ? TC_HAN : TC_OTHER;
        last_at = ol - 3;
        have_last = 1;
        olen = ol;
        nch = nc;
      }
      if (i >= len) break;
      c0 = s[i];
    }
    at = i;
    if (c0 >= 0xE0 && c0 <= 0xEF && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
      cp = ((c0 & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) { /* overlong, surrogate */
        i++;
        gap = TEXT_F_GAP;
        continue;
      }
      i += 3;
      e = stage2[((uint32_t)stage1[cp >> 8] << 8) | (cp & 0xFF)];
    } else if (c0 < 0x80) {
      cp = c0;
      i++;
      e = ascii[cp];
    } else {
      int32_t r = util_utf8_next((const char *)s, len, &i);
      if (r < 0) { gap = TEXT_F_GAP; continue; }
      cp = (uint32_t)r;
      e = stage2[((uint32_t)stage1[cp >> 8] << 8) | (cp & 0xFF)];
    }
    cls = TE_CLASS(e);
    if (!((PLAIN_CLASSES >> cls) & 1) || TE_KIND(e) == TK_SEQ) {
      if (cls == TC_NOISE && !text_norm_special(n, cp)) { gap = TEXT_F_GAP; continue; }
      i = at; /* the general path takes it from here */
      break;
    }
    to = TE_KIND(e) == TK_IDENT ? cp : TE_PAYLOAD(e);
    if (((PACK_CLASSES >> cls) & 1) && text_norm_special(n, to)) { i = at; break; }
    if (have_last && squeeze && to == last_cp && cls != TC_DIGIT && cls != TC_ALPHA) {
      /* a repeat: the last character now covers this one too */
      for (size_t b = last_at; b < olen; b++) {
        o->orig_end[b] = (uint32_t)i;
        if (o->repeat[b] < 255) o->repeat[b]++;
      }
      if (!tok) tok = 1;
    } else {
      if (olen + 4 + 8 > cap) {
        o->len = olen;
        if ((rc = text_norm_reserve(o, olen + 4 + (len - i))) < 0) break;
        cap = o->cap;
      }
      size_t k;
      char *t = o->text + olen;
      if (TE_KIND(e) == TK_IDENT) { /* valid UTF-8 in, the same bytes out */
        k = i - at;
        for (size_t b = 0; b < k; b++) t[b] = (char)s[at + b];
      } else k = util_utf8_put(to, t);
      uint8_t fl = (uint8_t)(gap | ((e & TE_FOLDED) ? TEXT_F_FOLDED : 0) |
                             ((e & TE_DIGIT_FOLD) ? TEXT_F_DIGIT_FOLD : 0));
      put32(o->orig_start + olen, (uint32_t)at, k);
      put32(o->orig_end + olen, (uint32_t)i, k);
      put32(o->char_index + olen, (uint32_t)nch, k);
      for (size_t b = 0; b < k; b++) {
        o->repeat[olen + b] = 1;
        o->flags[olen + b] = fl;
      }
      o->flags[olen] = (uint8_t)(fl | TEXT_F_CHAR_START);
      last_at = olen;
      last_cp = to;
      have_last = 1;
      olen += k;
      nch++;
      tok++;
    }
    gap = 0;
    last_cls = cls;
    dig = cls == TC_DIGIT ? dig + 1 : 0;
    if (++cm + 8 >= limit || cls == TC_SEP) { /* the chunk ends */
      cm = 0;
      tok = 0;
      dig = 0;
    }
  }
  o->len = olen;
  o->n_chars = nch;
  st->tok_chars = tok;
  st->cm = cm;
  st->dig = dig;
  st->last_cp = last_cp;
  st->last_cls = (uint8_t)last_cls;
  st->have_last = have_last;
  st->last_at = last_at;
  *pi = i;
  *pgap = (uint8_t)gap;
  return rc;
}

int text_normalize(const text_normalizer *n, const char *in, size_t len, text_norm_out *out,
                   np_error *err) {
  if (len >= UINT32_MAX) return util_err(err, NP_ETOOBIG, "text of %zu bytes is too long", len);
  out->len = 0;
  out->n_chars = 0;
  if (text_norm_reserve(out, len + 4) < 0) return util_err(err, NP_ENOMEM, "out of memory");
  /* Chunks end after `limit` units as they always did: the largest
   * min(len + 128, NORM_CHUNK_MAX) this buffer has seen (>= any fold
   * sequence).  The buffer holds that many units plus the batch seeds. */
  size_t want = len + 128 < NORM_CHUNK_MAX ? len + 128 : NORM_CHUNK_MAX;
  if (out->work_cap < want + NORM_SEEDS) {
    norm_unit *w = util_realloc(out->alloc, out->work, (want + NORM_SEEDS) * sizeof *w);
    if (!w) return util_err(err, NP_ENOMEM, "out of memory");
    out->work = w;
    out->work_cap = want + NORM_SEEDS;
  }
  norm_state st;
  memset(&st, 0, sizeof st);
  st.n = n;
  st.o = out;
  st.limit = out->work_cap - NORM_SEEDS;
  const unsigned char *s = (const unsigned char *)in;
  size_t i = 0;
  uint8_t gap = 0;
  while (i < len) {
    if (plain_run(&st, s, len, &i, &gap) < 0 ||
        (i < len && text_norm_batch(&st, s, len, &i, &gap) < 0))
      return util_err(err, NP_ENOMEM, "out of memory");
  }
  out->text[out->len] = 0;
  return 0;
}
