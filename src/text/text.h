/* text — normalization of UTF-8 text into the canonical form that every later
 * stage matches on, with a map from each canonical byte back to the original
 * bytes it came from.  Depends on util and utf8proc; the per-codepoint tables
 * (traditional→simplified, variant glyphs, confusables, digit values, pinyin)
 * are generated at build time (tools/gen_*.c) and are static const data.
 *
 * The contract other modules rely on (DESIGN §2):
 *  - Canonical text is valid UTF-8.  Every canonical character records the
 *    original byte range [orig_start, orig_end) it stands for; ranges never go
 *    backwards, and a canonical character produced by squeezing a run of
 *    repeated characters covers the whole run.
 *  - Removed noise (spaces between characters, symbols, emoji, zero-width and
 *    combining marks) sets TEXT_F_GAP on the next kept character, so callers
 *    can tell "ab" from "a b" / "a.b" (ASCII word boundaries).
 *  - Hard separators (。！？，；：“” brackets, line breaks ...) are kept as
 *    characters, so nothing ever matches across them.
 *  - Normalizing canonical text again gives the same text (idempotent).
 */
#ifndef NP_TEXT_H
#define NP_TEXT_H
#include <stddef.h>
#include <stdint.h>
#include "netpatrol.h"

/* Per canonical byte flags. */
enum {
  TEXT_F_GAP = 1,        /* noise or space was removed right before this char */
  TEXT_F_CHAR_START = 2, /* first byte of a canonical character */
  TEXT_F_DIGIT_FOLD = 4, /* this char is a digit folded from a variant (①, 五, 伍 ...) */
  TEXT_F_FOLDED = 8,     /* this char differs from its original (t2s, variant, width) */
};

/* Declarations that rule packs add to normalization (*.norm files, parsed by
 * text_norm_parse).  All arrays are copied by text_normalizer_new. */
typedef struct text_digit_alias {
  uint32_t cp;    /* e.g. 幺 */
  char digit;     /* '0'..'9' */
} text_digit_alias;

typedef struct text_char_fold {
  uint32_t from, to; /* e.g. 仟 → 千 */
} text_char_fold;

typedef struct text_norm_config {
  const uint32_t *keep;           /* code points never treated as noise (emoji used in variants) */
  size_t n_keep;
  const text_digit_alias *aliases; /* digit aliases valid inside digit runs only */
  size_t n_aliases;
  const text_char_fold *folds;    /* extra folds, applied after the generated tables */
  size_t n_folds;
  unsigned min_digit_run;         /* a run of at least this many digit-like chars folds
                                     Chinese numerals and aliases to ASCII (default 3) */
  int squeeze;                    /* squeeze runs of the same character (default 1) */
} text_norm_config;

void text_norm_config_init(text_norm_config *cfg);

typedef struct text_normalizer text_normalizer; /* immutable, shareable */

int text_normalizer_new(const text_norm_config *cfg, const np_allocator *a,
                        text_normalizer **out, np_error *err);
void text_normalizer_free(text_normalizer *n);

/* Reusable per-thread output.  All arrays have one entry per canonical BYTE
 * (multi-byte characters repeat the entry of their character). */
typedef struct text_norm_out {
  char *text;            /* canonical UTF-8, NUL-terminated */
  size_t len;            /* bytes */
  uint32_t *orig_start;  /* original byte offset where this char's source starts */
  uint32_t *orig_end;    /* original byte offset where it ends (exclusive) */
  uint32_t *char_index;  /* index of the canonical character (for near(), in chars) */
  uint8_t *repeat;       /* how many original chars were squeezed into this one (>=1) */
  uint8_t *flags;        /* TEXT_F_* */
  size_t n_chars;        /* canonical characters */
  size_t cap;            /* capacity of every array, in bytes */
  const np_allocator *alloc;
  void *work;            /* private to text: per-chunk scratch, reused across calls */
  size_t work_cap;
} text_norm_out;

void text_norm_out_init(text_norm_out *o, const np_allocator *a);
void text_norm_out_free(text_norm_out *o);

/* Normalizes in[0..len).  Invalid UTF-8 bytes are treated as noise (callers
 * validate first when they must reject it).  Returns 0, NP_ENOMEM. */
int text_normalize(const text_normalizer *n, const char *in, size_t len, text_norm_out *out,
                   np_error *err);

/* Parses a *.norm declaration file into cfg-owned arrays appended to the given
 * vectors (see docs/rule-language.md "Normalization declarations"):
 *     digit 1 = 幺          # alias valid inside digit runs
 *     fold 仟 = 千           # extra character fold
 *     keep 💰                # never noise
 * Errors are "file:line:col: message".  Vectors hold text_digit_alias,
 * text_char_fold and uint32_t respectively. */
struct util_vec;
int text_norm_parse(const char *file, const char *src, size_t len, struct util_vec *aliases,
                    struct util_vec *folds, struct util_vec *keep, np_error *err);

/* Toneless pinyin readings of a Han code point from Unihan kMandarin, e.g.
 * 行 → "xing", "hang".  Returns the number of readings (0 if none) and points
 * *out at a static const array of that many strings. */
size_t text_pinyin(uint32_t cp, const char *const **out);

/* 1 if cp is a Han ideograph (after normalization). */
int text_is_han(uint32_t cp);
/* 1 if cp is a pictographic symbol or emoji (general category So/Sk outside
 * ASCII) — the kind of noise a pack may declare significant ("keep"). */
int text_is_symbol(uint32_t cp);
#endif
