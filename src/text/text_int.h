/* text_int.h — private to src/text/ (and tools/gen_fold.c, which writes the
 * table): the character classes and the packed per-codepoint fold entry of
 * the generated two-level table build/gen/text/fold_table.h. */
#ifndef NP_TEXT_INT_H
#define NP_TEXT_INT_H
#include <stdint.h>

/* What a code point is after folding. */
enum {
  TC_NOISE = 0, /* removed (Cf, marks, symbols, emoji, in-word punctuation, invalid) */
  TC_SPACE = 1, /* whitespace: joined or kept as one ' ' depending on neighbours */
  TC_SEP = 2,   /* hard separator, kept as its canonical char */
  TC_ALPHA = 3, /* ASCII letter a-z */
  TC_DIGIT = 4, /* ASCII digit 0-9 */
  TC_HAN = 5,   /* Han ideograph */
  TC_CNNUM = 6, /* Han numeral that folds to a digit only inside a digit run */
  TC_OTHER = 7, /* any other kept character (kana, hangul, other scripts, kept emoji) */
};

/* Entry layout (uint32):
 *   bits 0-2  class TC_*
 *   bits 3-6  digit value (TC_DIGIT, TC_CNNUM)
 *   bit  7    folded: output differs from the input code point
 *   bit  8    digit fold: a digit variant folded to ASCII (①, ０, 壹)
 *   bits 9-10 kind: 0 identity, 1 single code point in payload, 2 sequence
 *   bits 11-31 payload: code point, or index into gen_fold_seq ({n, cp...}) */
#define TE_CLASS(e) ((e) & 7u)
#define TE_DIGIT(e) (((e) >> 3) & 15u)
#define TE_FOLDED 0x80u
#define TE_DIGIT_FOLD 0x100u
#define TE_KIND(e) (((e) >> 9) & 3u)
#define TE_PAYLOAD(e) ((e) >> 11)
enum { TK_IDENT = 0, TK_SINGLE = 1, TK_SEQ = 2 };
#define TE_MAKE(cls, digit, flags, kind, payload)                                 \
  ((uint32_t)(cls) | ((uint32_t)(digit) << 3) | (uint32_t)(flags) |               \
   ((uint32_t)(kind) << 9) | ((uint32_t)(payload) << 11))

/* The generated table's entry for cp (cp <= 0x10FFFF). */
uint32_t text_fold_entry(uint32_t cp);
/* The two-level table itself, for the hot loop's inline lookup:
 * entry = stage2[(stage1[cp >> 8] << 8) | (cp & 0xFF)]. */
void text_fold_tables(const uint16_t **stage1, const uint32_t **stage2);
/* Sequence of an entry of kind TK_SEQ: *n code points. */
const uint32_t *text_fold_seq(uint32_t entry, uint32_t *n);
/* Canonical single code point and entry for cp after the generated tables,
 * or 0 if cp folds to noise, a space or several characters. */
uint32_t text_fold_single(uint32_t cp, uint32_t *entry);

/* The compiled normalizer (text.h): pack declarations resolved to canonical
 * code points, each table sorted for binary search. */
#include "netpatrol.h"
struct text_normalizer {
  np_allocator alloc;
  uint32_t *keep;        /* sorted */
  size_t n_keep;
  uint32_t *alias_cp;    /* sorted canonical code points */
  uint8_t *alias_digit;
  size_t n_aliases;
  uint32_t *fold_from;   /* sorted canonical code points */
  uint32_t *fold_to;     /* canonical target (closed: never itself folded) */
  uint32_t *fold_entry;  /* table entry of the target (class, digit) */
  size_t n_folds;
  uint32_t alias_min, alias_max, fold_min, fold_max;
  unsigned min_digit_run;
  int squeeze;
  uint32_t *act;         /* per BMP code point: what the fast path does (NA_* in norm_int.h);
                            256 KiB, the hot part stays in cache */
};
#endif
