/* norm_int.h — private to normalize.c (the fast path) and norm_batch.c (the
 * general path): the per-call state they share and the "unit" a character
 * becomes when it needs decisions that look at its neighbours (whitespace,
 * Chinese numerals in digit runs, pack folds, multi-character folds). */
#ifndef NP_TEXT_NORM_INT_H
#define NP_TEXT_NORM_INT_H
#include <stddef.h>
#include <stdint.h>
#include "text/text.h"
#include "text/text_int.h"

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
  uint32_t dig;       /* ASCII digits ending the current token (digit-run context) */
} norm_state;

int text_norm_reserve(text_norm_out *o, size_t need);
/* Runs the general path from s[*pi] (the pending noise gap in *gap) until the
 * fast path can take over again; advances *pi.  Returns 0 or NP_ENOMEM. */
int text_norm_batch(norm_state *st, const unsigned char *s, size_t len, size_t *pi,
                    uint8_t *gap);
/* 1 if cp may be affected by the normalizer's pack folds, aliases or keep set
 * (a fast bitmap test; false positives only cost the general path). */
static inline int text_norm_special(const text_normalizer *n, uint32_t cp) {
  return n->special && ((n->special[(cp >> 6) & 1023] >> (cp & 63)) & 1);
}
#endif
