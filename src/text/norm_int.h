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
 *   bits 24-25 their count; 0 = not a plain unit (see NA_HI)
 *   bits 26-28 class TC_*
 *   bit  29    NA_HI: with count 0 noise, else a digit-like character whose
 *              folding depends on its digit run (Chinese numeral, alias)
 *   bit  30    TEXT_F_DIGIT_FOLD, bit 31 TEXT_F_FOLDED (so flags = a >> 28 & 12)
 * Count 0 without NA_HI: whitespace if the class is TC_SPACE, otherwise the
 * general path decides (multi-character folds, pack folds that change the
 * class, ...). */
#define NA_HI 0x20000000u
#define NA_BYTES(a) ((a) & 0xFFFFFFu)
#define NA_LEN(a) (((a) >> 24) & 3u)
#define NA_CLS(a) (((a) >> 26) & 7u)
#define NA_FLAGS(a) (((a) >> 28) & 12u)
#define NA_NOISE NA_HI
#define NA_SPACE ((uint32_t)TC_SPACE << 26)
#define NA_GENERAL ((uint32_t)TC_OTHER << 26)
uint32_t text_norm_act_of(const text_normalizer *n, uint32_t cp);

int text_norm_reserve(text_norm_out *o, size_t need);
/* Runs the general path from s[*pi] (the pending noise gap in *gap) until the
 * fast path can take over again; advances *pi.  Returns 0 or NP_ENOMEM. */
int text_norm_batch(norm_state *st, const unsigned char *s, size_t len, size_t *pi,
                    uint8_t *gap);
#endif
