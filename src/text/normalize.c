/* normalize.c — text_normalize: one pass over UTF-8 producing canonical text
 * plus a per-byte map back to the original.  The hot loop here handles what
 * needs no more than a short look ahead — plain characters (through the
 * normalizer's per-code-point action table, with a copy-through loop for runs
 * of CJK), noise, most whitespace and isolated Chinese numerals — and writes
 * straight to the output.  Anything else (digit runs, multi-character folds,
 * unusual spacing) goes to the general path in norm_batch.c, which hands
 * back as soon as the fast path can go on.  The output is the same, byte for
 * byte, as the original chunk-at-a-time algorithm (normalize_ref.h).
 * No allocation once buffers have grown. */
#include <string.h>
#include "text/norm_int.h"
#include "util/util.h"

/* Classes that squeeze (ASCII letters and digits never do). */
#define SQUEEZE_CLASSES (~((1u << TC_ALPHA) | (1u << TC_DIGIT)) & 0xFFu)

/* Stores v into p[0..3] (one vector store where the compiler can): slots past
 * the character are scratch, overwritten by the next one or past len. */
static inline void put32x4(uint32_t *p, uint32_t v) {
  uint32_t w[4] = {v, v, v, v};
  memcpy(p, w, sizeof w);
}

/* Stores bytes b0 b1 b1 b1 at p (scratch past the character, as above). */
static inline void put8x4(uint8_t *p, uint8_t b0, uint8_t b1) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t w = b0 | (uint32_t)b1 * 0x01010100u;
  memcpy(p, &w, 4);
#else
  p[0] = b0;
  p[1] = p[2] = p[3] = b1;
#endif
}

/* Stores the UTF-8 bytes packed in `bytes` (first byte lowest) at p. */
static inline void put_bytes(char *p, uint32_t bytes) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(p, &bytes, 4);
#else
  for (int b = 0; b < 4; b++) p[b] = (char)(bytes >> (8 * b));
#endif
}

static uint32_t pack_utf8(uint32_t cp) {
  char b[4] = {0, 0, 0, 0};
  util_utf8_put(cp, b);
  return (uint32_t)(unsigned char)b[0] | (uint32_t)(unsigned char)b[1] << 8 |
         (uint32_t)(unsigned char)b[2] << 16 | (uint32_t)(unsigned char)b[3] << 24;
}

static uint32_t unpack_utf8(uint32_t bytes) {
  char b[4];
  for (int k = 0; k < 4; k++) b[k] = (char)(bytes >> (8 * k));
  size_t at = 0;
  int32_t cp = util_utf8_next(b, bytes >> 24 ? 4 : bytes >> 16 ? 3 : bytes >> 8 ? 2 : 1, &at);
  return cp < 0 ? 0 : (uint32_t)cp;
}

/* One decoded character: its action, code point and where the next starts. */
typedef struct dec {
  uint32_t a, cp;
  size_t next;
} dec;

/* Decodes the character at s[p] and returns its action; invalid bytes and
 * encoded surrogates are noise, as in the general path.  (Returned by value:
 * the caller's position never has its address taken, so it stays in a
 * register.) */
#if defined(__GNUC__)
#define NORM_INLINE static inline __attribute__((always_inline))
#else
#define NORM_INLINE static inline
#endif

NORM_INLINE dec next_act(const text_normalizer *n, const unsigned char *s, size_t len,
                           size_t p) {
  unsigned c0 = s[p];
  dec d;
  if (c0 < 0x80) {
    d.cp = c0;
    d.next = p + 1;
  } else if (c0 >= 0xC2 && c0 <= 0xDF && p + 1 < len && (s[p + 1] & 0xC0) == 0x80) {
    d.cp = ((c0 & 0x1Fu) << 6) | (s[p + 1] & 0x3Fu);
    d.next = p + 2;
  } else if ((c0 & 0xF0) == 0xE0 && p + 2 < len && (s[p + 1] & 0xC0) == 0x80 &&
             (s[p + 2] & 0xC0) == 0x80) {
    d.cp = ((c0 & 0x0Fu) << 12) | ((s[p + 1] & 0x3Fu) << 6) | (s[p + 2] & 0x3Fu);
    d.next = p + 3;
    if (d.cp < 0x800) { d.a = NA_NOISE; return d; } /* overlong: three invalid bytes */
  } else {
    size_t q = p;
    int32_t r = util_utf8_next((const char *)s, len, &q);
    d.next = q;
    if (r < 0) { d.cp = 0; d.a = NA_NOISE; return d; }
    d.cp = (uint32_t)r;
    d.a = d.cp < 0x10000 ? n->act[d.cp] : text_norm_act_of(n, d.cp);
    return d;
  }
  d.a = n->act[d.cp];
  return d;
}

/* Whether a space run decides here: the fast path drops or keeps it. */
enum { SP_DROP, SP_KEEP, SP_GENERAL };

static int join_classes(unsigned lc, unsigned rc, int lsingle, int rsingle) {
  int la = lc == TC_ALPHA || lc == TC_DIGIT, ra = rc == TC_ALPHA || rc == TC_DIGIT;
  int lh = lc == TC_HAN || lc == TC_CNNUM, rh = rc == TC_HAN || rc == TC_CNNUM;
  if (lc == TC_DIGIT && rc == TC_DIGIT) return 1;
  if ((la && rh) || (lh && ra)) return 1;
  if (la && ra) return lsingle && rsingle;
  return lsingle || rsingle;
}

/* The whitespace that starts at s[at] (its first character ends at i): finds
 * the merged run's end (*sp_end), the next kept character (*r_at; len at the
 * end), the noise gap in between, and decides the run when the next two
 * kept characters are plain (see decide_spaces in norm_batch.c).  tok: the
 * left token's characters (0: none in this chunk); lcls: its last class. */
static int space_run(const text_normalizer *n, const unsigned char *s, size_t len, size_t i,
                     size_t tok, unsigned lcls, size_t *sp_end, size_t *r_at, unsigned *gap) {
  uint32_t a;
  size_t at;
  *sp_end = i;
  *gap = 0;
  for (;;) {
    if (i >= len) { *r_at = len; return SP_DROP; }
    at = i;
    dec d = next_act(n, s, len, i);
    a = d.a;
    i = d.next;
    if (a == NA_NOISE) { *gap = TEXT_F_GAP; continue; }
    if (a == NA_SPACE) { *sp_end = i; continue; }
    break;
  }
  *r_at = at;
  if (!NA_LEN(a) || (a & NA_HI)) return SP_GENERAL; /* a numeral's run goes on through spaces */
  unsigned rcls = NA_CLS(a);
  if (!tok || rcls == TC_SEP) return SP_DROP;
  int rsingle = 1;
  while (i < len) {
    dec d = next_act(n, s, len, i);
    uint32_t a2 = d.a;
    i = d.next;
    if (a2 == NA_NOISE) continue;
    if (a2 == NA_SPACE || (NA_LEN(a2) && NA_CLS(a2) == TC_SEP)) break;
    if (!NA_LEN(a2)) return SP_GENERAL;
    if (n->squeeze && NA_BYTES(a2) == NA_BYTES(a) && ((SQUEEZE_CLASSES >> rcls) & 1))
      return SP_GENERAL; /* a squeezed repeat: the token may still be one character */
    rsingle = 0;
    break;
  }
  return join_classes(lcls, rcls, tok == 1, rsingle) ? SP_DROP : SP_KEEP;
}

/* 1 if the character after s[i] (noise skipped) ends a digit run: the end,
 * a separator or a plain non-digit. */
static int run_ends(const text_normalizer *n, const unsigned char *s, size_t len, size_t i) {
  while (i < len) {
    dec d = next_act(n, s, len, i);
    uint32_t a = d.a;
    i = d.next;
    if (a == NA_NOISE) continue;
    return NA_LEN(a) && !(a & NA_HI) && NA_CLS(a) != TC_DIGIT;
  }
  return 1;
}

/* The class of the canonical character whose UTF-8 bytes are `last` (a
 * canonical code point's own action describes it). */
static unsigned class_of(const text_normalizer *n, uint32_t last) {
  uint32_t cp = unpack_utf8(last), a = cp < 0x10000 ? n->act[cp] : NA_GENERAL;
  if (NA_LEN(a) || a == NA_SPACE) return NA_CLS(a);
  norm_unit u;
  unsigned tcls;
  return text_norm_unit_of(n, cp, &u, &tcls) == NU_UNIT ? u.cls : TC_OTHER;
}

static size_t utf8_len(uint32_t bytes) {
  return bytes >> 24 ? 4 : bytes >> 16 ? 3 : bytes >> 8 ? 2 : 1;
}

/* ASCII digits in the digit run that ends the output (kept spaces inside a
 * run, nothing before the chunk's start): the digit-run context. */
static uint32_t trailing_digits(const text_norm_out *o, size_t from, size_t to) {
  uint32_t k = 0;
  while (to > from && ((o->text[to - 1] >= '0' && o->text[to - 1] <= '9') || o->text[to - 1] == ' '))
    k += o->text[--to] != ' ';
  return k;
}

/* Where the CJK loop writes: output length, characters, the last one's
 * UTF-8 bytes and the pending noise gap. */
typedef struct cjk_cursor {
  size_t ol, nc;
  uint32_t lk;
  unsigned g;
} cjk_cursor;

/* A run of three-byte identity characters (the BMP's CJK) copies through:
 * output bytes = input bytes (the caller reserved as much), four input
 * bytes read at a time (j < end4 = len - 3).  Stops before anything else,
 * a repeat of the last character, or the character nstop.  A function of its
 * own so that its few variables get registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t cjk_run(const uint8_t *fast, const unsigned char *s, size_t j, size_t end4,
                      size_t nstop, text_norm_out *o, cjk_cursor *c) {
  char *const txt = o->text;
  uint32_t *const os = o->orig_start, *const oe = o->orig_end, *const ci = o->char_index;
  uint8_t *const rep = o->repeat, *const fl = o->flags;
  size_t ol = c->ol, nc = c->nc;
  uint32_t lk = c->lk;
  unsigned g = c->g;
  while (j < end4 && nc < nstop) {
    uint32_t w = (uint32_t)s[j] | (uint32_t)s[j + 1] << 8 | (uint32_t)s[j + 2] << 16 |
                 (uint32_t)s[j + 3] << 24;
    if ((w & 0xC0C0F0u) != 0x8080E0u) break; /* not a three-byte sequence */
    uint32_t cp = ((w & 0x0Fu) << 12) | ((w >> 2) & 0xFC0u) | ((w >> 16) & 0x3Fu);
    unsigned f = (fast[cp >> 2] >> ((cp & 3u) * 2)) & 3u;
    uint32_t key = w & 0xFFFFFFu;
    if (f == FAST_NOISE) { g = TEXT_F_GAP; j += 3; continue; } /* incl. encoded surrogates */
    if (f == FAST_FULL || key == lk) break;                    /* incl. overlongs */
    put_bytes(txt + ol, key);
    put32x4(os + ol, (uint32_t)j);
    put32x4(oe + ol, (uint32_t)(j + 3));
    put32x4(ci + ol, (uint32_t)nc);
    put8x4(rep + ol, 1, 1);
    put8x4(fl + ol, (uint8_t)(g | TEXT_F_CHAR_START), (uint8_t)g);
    lk = key;
    ol += 3;
    nc++;
    g = 0;
    j += 3;
  }
  c->ol = ol;
  c->nc = nc;
  c->lk = lk;
  c->g = g;
  return j;
}

/* The fast loop: from s[*pi], emits what it can decide and drops noise until
 * a character needs the general path (left unconsumed) or the input ends.
 * Only what every character changes lives in the loop; the token length,
 * digit run and last class are worked out from the output where needed. */
static int fast_run(norm_state *st, const unsigned char *s, size_t len, size_t *pi,
                    uint8_t *pgap) {
  const text_normalizer *n = st->n;
  text_norm_out *o = st->o;
  const unsigned squeeze_mask = n->squeeze ? SQUEEZE_CLASSES : 0;
  const int fast_numerals = n->min_digit_run >= 2;
  const size_t chunk = st->limit - 8; /* units per chunk */
  size_t i = *pi;
  unsigned gap = *pgap | (st->gap ? TEXT_F_GAP : 0);
  st->gap = 0;
  size_t olen = o->len, nch = o->n_chars, cap = o->cap;
  size_t left = chunk - st->cm;              /* units until the chunk ends */
  size_t tok_base = nch - st->tok_chars;     /* token length = nch - tok_base */
  size_t chunk_olen = st->chunk_olen;
  uint32_t last = st->have_last ? pack_utf8(st->last_cp) : 0; /* UTF-8 bytes, 0 = none */
  int rc = 0;
  /* the output arrays in locals (reloaded after a reserve), so that stores
   * through them cannot alias the loop's own state */
  char *txt = o->text;
  uint32_t *os = o->orig_start, *oe = o->orig_end, *ci = o->char_index;
  uint8_t *rep = o->repeat, *fl = o->flags;
#define RESERVE(need)                                                 \
  do {                                                                \
    o->len = olen;                                                    \
    if ((rc = text_norm_reserve(o, (need))) < 0) goto out;            \
    cap = o->cap;                                                     \
    txt = o->text;                                                    \
    os = o->orig_start;                                               \
    oe = o->orig_end;                                                 \
    ci = o->char_index;                                               \
    rep = o->repeat;                                                  \
    fl = o->flags;                                                    \
  } while (0)
  while (i < len) {
    if ((s[i] & 0xF0) == 0xE0 && left > 1 && i + 3 < len) {
      if (olen + (len - i) + 8 > cap) RESERVE(olen + (len - i));
      cjk_cursor c = {olen, nch, last, gap};
      i = cjk_run(n->fast, s, i, len - 3, nch + left - 1, o, &c);
      gap = c.g;
      left -= c.nc - nch;
      last = c.lk;
      olen = c.ol;
      nch = c.nc;
      if (i >= len) break;
    }
    size_t at = i;
    dec d = next_act(n, s, len, i);
    uint32_t a = d.a;
    i = d.next;
    if (!NA_LEN(a)) {
      if (a == NA_NOISE) { gap = TEXT_F_GAP; continue; }
      if (a != NA_SPACE || left <= 3) { i = at; break; }
      size_t sp_end, r_at;
      unsigned g;
      int how = space_run(n, s, len, i, nch - tok_base, nch > tok_base ? class_of(n, last) : 0,
                          &sp_end, &r_at, &g);
      if (how == SP_GENERAL) { i = at; break; }
      if (how == SP_KEEP) { /* one canonical space for the run */
        if (olen + 1 + 8 > cap) RESERVE(olen + 1 + (len - i));
        txt[olen] = ' ';
        os[olen] = (uint32_t)at;
        oe[olen] = (uint32_t)sp_end;
        ci[olen] = (uint32_t)nch;
        rep[olen] = 1;
        fl[olen] = (uint8_t)(gap | TEXT_F_CHAR_START);
        last = ' ';
        olen++;
        nch++;
        gap = g;
      } else gap = TEXT_F_GAP;
      left--;
      tok_base = nch;
      i = r_at;
      continue;
    }
    unsigned cls = NA_CLS(a);
    if ((a & NA_HI) && (!fast_numerals || left <= 2 || trailing_digits(o, chunk_olen, olen) ||
                        !run_ends(n, s, len, i))) {
      i = at; /* a numeral in what may be a digit run */
      break;
    }
    uint32_t bytes = NA_BYTES(a);
    if (bytes == last && ((squeeze_mask >> cls) & 1)) {
      /* a repeat: the last character now covers this one too */
      for (size_t b = olen - utf8_len(last); b < olen; b++) {
        oe[b] = (uint32_t)i;
        if (rep[b] < 255) rep[b]++;
      }
      if (nch == tok_base) tok_base--; /* the token's first character */
    } else {
      if (olen + 4 + 8 > cap) RESERVE(olen + 4 + (len - i));
      put_bytes(txt + olen, bytes);
      put32x4(os + olen, (uint32_t)at);
      put32x4(oe + olen, (uint32_t)i);
      put32x4(ci + olen, (uint32_t)nch);
      unsigned f = gap | NA_FLAGS(a);
      put8x4(rep + olen, 1, 1);
      put8x4(fl + olen, (uint8_t)(f | TEXT_F_CHAR_START), (uint8_t)f);
      last = bytes;
      olen += NA_LEN(a);
      nch++;
    }
    gap = 0;
    if (--left == 0 || cls == TC_SEP) { /* the chunk ends */
      left = chunk;
      tok_base = nch;
      chunk_olen = olen;
    }
  }
out:
#undef RESERVE
  o->len = olen;
  o->n_chars = nch;
  *pi = i;
  *pgap = (uint8_t)gap;
  if (i >= len && !rc) return 0; /* the end: nobody reads the state */
  st->tok_chars = nch - tok_base;
  st->cm = chunk - left;
  st->chunk_olen = chunk_olen;
  st->dig = st->tok_chars ? trailing_digits(o, chunk_olen, olen) : 0;
  if (last) {
    st->last_cp = unpack_utf8(last);
    st->have_last = 1;
    st->last_at = olen - utf8_len(last);
    if (st->tok_chars) st->last_cls = (uint8_t)class_of(n, last);
  }
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
  norm_state st = {.n = n, .o = out, .limit = out->work_cap - NORM_SEEDS};
  const unsigned char *s = (const unsigned char *)in;
  size_t i = 0;
  uint8_t gap = 0;
  while (i < len) {
    if (fast_run(&st, s, len, &i, &gap) < 0 ||
        (i < len && text_norm_batch(&st, s, len, &i, &gap) < 0))
      return util_err(err, NP_ENOMEM, "out of memory");
  }
  out->text[out->len] = 0;
  return 0;
}
