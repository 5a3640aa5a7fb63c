/* norm_int.h — private to the normalizer's three parts: normalize.c (the
 * driver and the fast path's look-ahead decisions), norm_plain.c (the hot
 * loop over plain characters) and norm_batch.c (the general path).  Holds
 * the per-call state they share, the per-code-point action table's layout,
 * the "unit" a character becomes on the general path, and small inline
 * helpers for decoding and for storing the per-byte arrays. */
#ifndef NP_TEXT_NORM_INT_H
#define NP_TEXT_NORM_INT_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "text/text.h"
#include "text/text_int.h"
#include "util/util.h"

#define NORM_CHUNK_MAX 65536u /* units per chunk when no separator comes first */
#define NORM_SEEDS 2u         /* work slots in front of a batch for its left context */

/* One folded character before whitespace and squeeze decisions. */
typedef struct norm_unit {
  uint32_t cp, os, oe; /* canonical code point; original byte range (seed: digit weight) */
  uint8_t cls;         /* TC_* */
  uint8_t digit;       /* digit value for TC_DIGIT / TC_CNNUM / aliases */
  uint8_t flags;       /* TEXT_F_GAP | TEXT_F_FOLDED | TEXT_F_DIGIT_FOLD | U_* */
  uint8_t tok;         /* for spaces: T_* token facts */
} norm_unit;
enum { U_SEED = 0x10, U_ALIAS = 0x40, U_DROP = 0x80 };

/* State of one text_normalize call.  A "chunk" is the span the original
 * one-pass algorithm decided at once (it ends after a hard separator or after
 * `limit` units); a "token" is a run of units between spaces/separators.  The
 * fast path carries just enough of the current token and digit run for the
 * general path to make the same decisions (see norm_batch.c). */
typedef struct norm_state {
  const text_normalizer *n;
  text_norm_out *o;
  /* emission: the last emitted character, for squeezing */
  size_t last_at;     /* its first byte in o->text */
  uint32_t last_cp;
  int have_last;
  int gap;            /* a dropped space precedes the next emitted char */
  /* chunk and token context */
  size_t cm;          /* units so far in the current chunk */
  size_t limit;       /* a chunk ends once cm + 8 >= limit */
  size_t tok_chars;   /* characters (after squeezing) in the current token; 0 = none */
  uint8_t last_cls;   /* class of the token's last unit (its cp is last_cp) */
  uint32_t dig;       /* ASCII digits in the digit run ending the output (through spaces) */
  size_t chunk_olen;  /* output length where the current chunk started */
} norm_state;

/* What a code point becomes under a normalizer (text_norm_unit_of). */
enum { NU_NOISE, NU_SPACE, NU_SEQ, NU_UNIT };
/* Folds cp through the generated table and the pack declarations: noise
 * (not kept), whitespace, a multi-character fold, or one unit (*u: cp, cls,
 * digit, TEXT_F_FOLDED / TEXT_F_DIGIT_FOLD / U_ALIAS; offsets and gap unset).
 * *table_cls is the generated table's class (it decides where chunks end). */
int text_norm_unit_of(const text_normalizer *n, uint32_t cp, norm_unit *u, unsigned *table_cls);

/* Fast-path action of a code point (text_normalizer.act for the BMP):
 *   bits 0-23  the canonical character's UTF-8 bytes, first byte lowest
 *   bits 24-25 their count (0: no character of its own)
 *   bits 26-28 class TC_*
 *   bit  29    NA_HI: not a plain character — noise, whitespace, a digit-like
 *              character whose folding depends on its digit run (Chinese
 *              numeral, alias: count > 0), or one for the general path
 *              (multi-character folds, pack folds that change the class ...)
 *   bit  30    TEXT_F_DIGIT_FOLD, bit 31 TEXT_F_FOLDED (so flags = a >> 28 & 12)
 * A plain character (no NA_HI) is emitted as its bytes with no look around. */
#define NA_HI 0x20000000u
#define NA_BYTES(a) ((a) & 0xFFFFFFu)
#define NA_LEN(a) (((a) >> 24) & 3u)
#define NA_CLS(a) (((a) >> 26) & 7u)
#define NA_FLAGS(a) (((a) >> 28) & 12u)
#define NA_NOISE NA_HI
#define NA_SPACE (NA_HI | (uint32_t)TC_SPACE << 26)
#define NA_GENERAL (NA_HI | (uint32_t)TC_OTHER << 26)
uint32_t text_norm_act_of(const text_normalizer *n, uint32_t cp);

/* Grows every output array to hold need bytes plus 8 of slack (the fast path
 * stores whole words and vectors past the character it writes). */
int text_norm_reserve(text_norm_out *o, size_t need);
/* Runs the general path from s[*pi] (the pending noise gap in *gap) until the
 * fast path can take over again; advances *pi.  Returns 0 or NP_ENOMEM. */
int text_norm_batch(norm_state *st, const unsigned char *s, size_t len, size_t *pi,
                    uint8_t *gap);

/* ---- the fast path ------------------------------------------------------ */

/* Classes that squeeze (ASCII letters and digits never do). */
#define NORM_SQUEEZE_CLASSES (~((1u << TC_ALPHA) | (1u << TC_DIGIT)) & 0xFFu)

/* Where the fast path is, passed between its loops (a struct whose address is
 * taken stays in memory: the loops copy it into locals). */
typedef struct norm_cursor {
  size_t i;          /* input position */
  size_t ol, nc;     /* output bytes and characters */
  size_t left;       /* units until the chunk ends (>= 1) */
  size_t tok_base;   /* characters in the current token = nc - tok_base */
  size_t chunk_olen; /* output length where the chunk started */
  uint32_t last;     /* UTF-8 bytes of the last character (first byte lowest), 0 = none */
  unsigned g;        /* TEXT_F_GAP pending for the next character */
} norm_cursor;

/* Emits plain characters and drops noise from c->i until a character that is
 * not plain (left unconsumed), the end, or the output needs room. */
void text_norm_plain_run(const text_normalizer *n, const unsigned char *s, size_t len,
                         size_t chunk, text_norm_out *o, norm_cursor *c);

#if defined(__GNUC__)
#define NORM_INLINE static inline __attribute__((always_inline))
#else
#define NORM_INLINE static inline
#endif

/* Stores v into p[0..3] (one vector store where the compiler can): slots past
 * the character are scratch, overwritten by the next one or past len. */
static inline void norm_put32x4(uint32_t *p, uint32_t v) {
  uint32_t w[4] = {v, v, v, v};
  memcpy(p, w, sizeof w);
}

/* Stores the bytes b0 b1 b1 b1 at p (scratch past the character, as above). */
static inline void norm_put8x4(uint8_t *p, uint8_t b0, uint8_t b1) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t w = b0 | (uint32_t)b1 * 0x01010100u;
  memcpy(p, &w, 4);
#else
  p[0] = b0;
  p[1] = p[2] = p[3] = b1;
#endif
}

/* Stores the four bytes of w (lowest first) at p. */
static inline void norm_put_word(void *p, uint32_t w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(p, &w, 4);
#else
  unsigned char *q = p;
  for (int b = 0; b < 4; b++) q[b] = (unsigned char)(w >> (8 * b));
#endif
}

/* The four bytes at p as a word, lowest first (one load where possible). */
static inline uint32_t norm_load_word(const unsigned char *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
#else
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
#endif
}

/* Length of the UTF-8 character packed in bytes (first byte lowest). */
static inline size_t norm_packed_len(uint32_t bytes) {
  return bytes >> 24 ? 4 : bytes >> 16 ? 3 : bytes >> 8 ? 2 : 1;
}

/* One decoded character: its action, code point and where the next starts
 * (returned by value: the caller's position never has its address taken, so
 * it stays in a register). */
typedef struct norm_dec {
  uint32_t a, cp;
  size_t next;
} norm_dec;

/* Decodes the character at s[p] and returns its action.  Invalid bytes are
 * noise one at a time, exactly as util_utf8_next rejects them; an overlong or
 * surrogate three-byte sequence is three invalid bytes, so it is noise as a
 * whole. */
NORM_INLINE norm_dec norm_next(const text_normalizer *n, const unsigned char *s, size_t len,
                               size_t p) {
  unsigned c0 = s[p];
  norm_dec d;
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
    if (d.cp < 0x800) { d.a = NA_NOISE; return d; } /* surrogates: act[] says noise */
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
#endif
