/* gen_fold.c — build-time generator: composes NFKC + case folding (utf8proc),
 * traditional->simplified (t2s_data.h, OpenCC), variant glyphs and numeral
 * values (unihan_data.h), digit variants (digits_data.h, UnicodeData) and
 * confusables (confusable_data.h, ICU) into ONE per-codepoint table, iterated
 * to a fixed point so that folding is idempotent, and writes it as a two-level
 * static const table (build/gen/text/fold_table.h).  Usage: gen_fold OUT.h */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "text/text_int.h"
#include "text/confusable_data.h"
#include "text/digits_data.h"
#include "text/t2s_data.h"
#include "text/unihan_data.h"

#define NCP 0x110000u
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Hard separators and the canonical character each is kept as. */
static uint32_t seps[][2] = { /* sorted in main() */
    {0x3002, 0x3002}, {0xFF61, 0x3002}, {0xFE12, 0x3002}, {0xFE52, 0x3002}, /* 。 */
    {'!', '!'}, {0xFF01, '!'}, {0x203C, '!'}, {0xFE57, '!'}, {0xFE15, '!'},
    {'?', '?'}, {0xFF1F, '?'}, {0x2047, '?'}, {0x2048, '?'}, {0x2049, '?'}, {0xFE56, '?'},
    {0xFE16, '?'},
    {',', ','}, {0xFF0C, ','}, {0xFE50, ','}, {0xFE10, ','},
    {';', ';'}, {0xFF1B, ';'}, {0xFE54, ';'}, {0xFE14, ';'},
    {':', ':'}, {0xFF1A, ':'}, {0xFE55, ':'}, {0xFE13, ':'},
    {'"', '"'}, {0xFF02, '"'}, {0x201C, '"'}, {0x201D, '"'}, {0x2018, '"'}, {0x2019, '"'},
    {0x201E, '"'}, {0x201F, '"'}, {0x201A, '"'}, {0x201B, '"'}, {0x00AB, '"'}, {0x00BB, '"'},
    {0x2039, '"'}, {0x203A, '"'}, {0x300C, '"'}, {0x300D, '"'}, {0x300E, '"'}, {0x300F, '"'},
    {0x300A, '"'}, {0x300B, '"'}, {0x3008, '"'}, {0x3009, '"'}, {0x301D, '"'}, {0x301E, '"'},
    {0x301F, '"'}, {0xFE41, '"'}, {0xFE42, '"'}, {0xFE43, '"'}, {0xFE44, '"'}, {0xFF62, '"'},
    {0xFF63, '"'},
    {'(', '('}, {0xFF08, '('}, {'[', '('}, {0xFF3B, '('}, {'{', '('}, {0xFF5B, '('},
    {0x3010, '('}, {0x3014, '('}, {0x3016, '('}, {0x3018, '('}, {0x301A, '('}, {0xFE59, '('},
    {0xFE5B, '('}, {0xFE5D, '('}, {0xFF5F, '('}, {0xFE35, '('}, {0xFE37, '('}, {0xFE39, '('},
    {0xFE3B, '('}, {0xFE3D, '('}, {0xFE3F, '('}, {0xFE47, '('},
    {')', ')'}, {0xFF09, ')'}, {']', ')'}, {0xFF3D, ')'}, {'}', ')'}, {0xFF5D, ')'},
    {0x3011, ')'}, {0x3015, ')'}, {0x3017, ')'}, {0x3019, ')'}, {0x301B, ')'}, {0xFE5A, ')'},
    {0xFE5C, ')'}, {0xFE5E, ')'}, {0xFF60, ')'}, {0xFE36, ')'}, {0xFE38, ')'}, {0xFE3A, ')'},
    {0xFE3C, ')'}, {0xFE3E, ')'}, {0xFE40, ')'}, {0xFE48, ')'},
    {0x2026, 0x2026}, {0x22EF, 0x2026}, {0x2025, 0x2026}, {0xFE19, 0x2026},
    {'\n', '\n'}, {'\r', '\n'}, {0x0B, '\n'}, {0x0C, '\n'}, {0x85, '\n'}, {0x2028, '\n'},
    {0x2029, '\n'},
};

static uint32_t entry[NCP];
static uint8_t state[NCP]; /* 0 todo, 1 in progress, 2 done */
static uint32_t *seq;
static size_t seq_len, seq_cap;

static const uint32_t *find2(const uint32_t (*t)[2], size_t n, uint32_t cp) {
  /* every table here is sorted by its first column */
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t[mid][0] == cp) return t[mid];
    if (t[mid][0] < cp) lo = mid + 1; else hi = mid;
  }
  return NULL;
}

static int is_han(uint32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF);
}

/* Diacritics are dropped from Latin/Greek/Cyrillic letters (combining marks
 * are noise anyway, so precomposed and decomposed forms must agree). */
static int strip_marks_script(uint32_t c) {
  return (c >= 0x80 && c <= 0x52F) || (c >= 0x1E00 && c <= 0x1FFF);
}

/* One folding step: NFKC + case fold, then t2s, variant, confusable per char. */
static size_t step(uint32_t cp, uint32_t *out, size_t cap) {
  uint8_t in[8], *res = NULL;
  utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)cp, in);
  int opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD;
  if (strip_marks_script(cp)) opt |= UTF8PROC_STRIPMARK;
  utf8proc_ssize_t r = utf8proc_map(in, k, &res, (utf8proc_option_t)opt);
  size_t n = 0;
  if (r < 0) { out[0] = cp; return 1; }
  for (utf8proc_ssize_t i = 0; i < r && n < cap;) {
    utf8proc_int32_t c;
    i += utf8proc_iterate(res + i, r - i, &c);
    uint32_t u = (uint32_t)c;
    const uint32_t *p;
    if ((p = find2(gen_t2s, N(gen_t2s), u))) u = p[1];
    if ((p = find2(gen_variant, N(gen_variant), u))) u = p[1];
    if ((p = find2(gen_confusable, N(gen_confusable), u))) u = p[1];
    out[n++] = u;
  }
  free(res);
  return n;
}

static uint32_t seq_add(const uint32_t *cps, size_t n) {
  if (seq_len + n + 1 > seq_cap) {
    seq_cap = (seq_cap + n + 1) * 2;
    seq = realloc(seq, seq_cap * sizeof *seq);
    if (!seq) { fprintf(stderr, "gen_fold: out of memory\n"); exit(1); }
  }
  uint32_t at = (uint32_t)seq_len;
  seq[seq_len++] = (uint32_t)n;
  memcpy(seq + seq_len, cps, n * sizeof *cps);
  seq_len += n;
  return at;
}

static uint32_t resolve(uint32_t cp);

/* Class of an identity (unmapped) kept code point. */
static uint32_t kept(uint32_t cp) {
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
  if (cp >= 'a' && cp <= 'z') return TE_MAKE(TC_ALPHA, 0, 0, TK_IDENT, 0);
  if (cp >= '0' && cp <= '9') return TE_MAKE(TC_DIGIT, cp - '0', 0, TK_IDENT, 0);
  if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_SO)
    return TE_MAKE(TC_NOISE, 0, 0, TK_IDENT, 0); /* punctuation and symbols */
  if (cat == UTF8PROC_CATEGORY_CO) return TE_MAKE(TC_NOISE, 0, 0, TK_IDENT, 0);
  if (is_han(cp)) return TE_MAKE(TC_HAN, 0, 0, TK_IDENT, 0);
  return TE_MAKE(TC_OTHER, 0, 0, TK_IDENT, 0);
}

static uint32_t compute(uint32_t cp) {
  const uint32_t *p;
  if (cp >= 0xD800 && cp <= 0xDFFF) return TE_MAKE(TC_NOISE, 0, 0, TK_IDENT, 0);
  if ((p = find2(seps, N(seps), cp)))
    return TE_MAKE(TC_SEP, 0, p[1] == cp ? 0 : TE_FOLDED, p[1] == cp ? TK_IDENT : TK_SINGLE,
                   p[1] == cp ? 0 : p[1]);
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
  if (cp == '\t' || cat == UTF8PROC_CATEGORY_ZS)
    return TE_MAKE(TC_SPACE, 0, 0, cp == ' ' ? TK_IDENT : TK_SINGLE, cp == ' ' ? 0 : ' ');
  if (cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF ||
      cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
      (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0x1F1E6 && cp <= 0x1F1FF))
    return TE_MAKE(TC_NOISE, 0, 0, TK_IDENT, 0);
  if ((p = find2(gen_digit, N(gen_digit), cp)))
    return TE_MAKE(TC_DIGIT, p[1], TE_FOLDED | TE_DIGIT_FOLD, TK_SINGLE, '0' + p[1]);
  for (size_t i = 0; i < N(gen_fin_digit); i++) {
    if (gen_fin_digit[i][0] != cp) continue;
    if (!gen_fin_digit[i][2])
      return TE_MAKE(TC_DIGIT, gen_fin_digit[i][1], TE_FOLDED | TE_DIGIT_FOLD, TK_SINGLE,
                     '0' + gen_fin_digit[i][1]);
    const uint32_t *t = find2(gen_t2s, N(gen_t2s), cp);
    uint32_t to = t ? t[1] : cp;
    return TE_MAKE(TC_CNNUM, gen_fin_digit[i][1], to == cp ? 0 : TE_FOLDED,
                   to == cp ? TK_IDENT : TK_SINGLE, to == cp ? 0 : to);
  }
  if ((p = find2(gen_cn_digit, N(gen_cn_digit), cp)))
    return TE_MAKE(TC_CNNUM, p[1], 0, TK_IDENT, 0);
  uint32_t m[32];
  size_t n = step(cp, m, 32);
  if (n == 1 && m[0] == cp) return kept(cp);
  /* Resolve every produced char through the table itself (fixed point). */
  uint32_t outs[64], ents[64];
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t e = resolve(m[i]);
    uint32_t sub[64];
    size_t ns = 0;
    if (TE_KIND(e) == TK_IDENT) sub[ns++] = m[i];
    else if (TE_KIND(e) == TK_SINGLE) sub[ns++] = TE_PAYLOAD(e);
    else {
      const uint32_t *s = seq + TE_PAYLOAD(e);
      for (uint32_t j = 0; j < s[0] && ns < 64; j++) sub[ns++] = s[1 + j];
    }
    for (size_t j = 0; j < ns && k < 64; j++) {
      uint32_t se = resolve(sub[j]);
      outs[k] = sub[j];
      ents[k++] = se;
    }
  }
  /* Separators survive only as a whole mapping; noise and spaces drop out. */
  if (k == 1 && TE_CLASS(ents[0]) == TC_SEP)
    return TE_MAKE(TC_SEP, 0, TE_FOLDED, TK_SINGLE, outs[0]);
  size_t w = 0;
  for (size_t i = 0; i < k; i++) {
    uint32_t c = TE_CLASS(ents[i]);
    if (c == TC_NOISE || c == TC_SPACE || c == TC_SEP) continue;
    outs[w] = outs[i];
    ents[w++] = ents[i];
  }
  if (w == 0) return TE_MAKE(TC_NOISE, 0, 0, TK_IDENT, 0);
  if (w == 1) {
    uint32_t e = ents[0];
    uint32_t flags = TE_FOLDED | (e & TE_DIGIT_FOLD);
    if (TE_CLASS(e) == TC_DIGIT && outs[0] != cp) flags |= TE_DIGIT_FOLD;
    return TE_MAKE(TE_CLASS(e), TE_DIGIT(e), flags, TK_SINGLE, outs[0]);
  }
  int digits = 0;
  for (size_t i = 0; i < w; i++) digits |= TE_CLASS(ents[i]) == TC_DIGIT;
  return TE_MAKE(TC_OTHER, 0, TE_FOLDED | (digits ? TE_DIGIT_FOLD : 0), TK_SEQ,
                 seq_add(outs, w));
}

static uint32_t resolve(uint32_t cp) {
  if (state[cp] == 2) return entry[cp];
  if (state[cp] == 1) return kept(cp); /* a cycle: leave the char as it is */
  state[cp] = 1;
  uint32_t e = compute(cp);
  entry[cp] = e;
  state[cp] = 2;
  return e;
}

/* Every output char must map to itself: the folding is idempotent. */
static int check_closed(void) {
  int bad = 0;
  for (uint32_t cp = 0; cp < NCP; cp++) {
    uint32_t e = entry[cp], k = TE_KIND(e), n = 1;
    const uint32_t *outs = NULL;
    uint32_t one = TE_PAYLOAD(e);
    if (k == TK_IDENT || TE_CLASS(e) == TC_NOISE) continue;
    if (k == TK_SINGLE) outs = &one;
    else { outs = seq + TE_PAYLOAD(e) + 1; n = seq[TE_PAYLOAD(e)]; }
    for (uint32_t i = 0; i < n; i++) {
      uint32_t f = entry[outs[i]];
      if (TE_KIND(f) != TK_IDENT) {
        if (bad++ < 10) fprintf(stderr, "gen_fold: U+%04X -> U+%04X is not a fixed point\n", cp, outs[i]);
      }
    }
  }
  return bad;
}

static int cmp_pair(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: gen_fold OUT.h\n"); return 1; }
  qsort(seps, N(seps), sizeof seps[0], cmp_pair);
  for (uint32_t cp = 0; cp < NCP; cp++) resolve(cp);
  if (check_closed()) return 1;
  /* Two-level table: 256-entry blocks, identical blocks shared. */
  uint16_t stage1[NCP >> 8];
  uint32_t *blocks = malloc(NCP * sizeof *blocks);
  size_t nblocks = 0;
  if (!blocks) return 1;
  for (uint32_t b = 0; b < (NCP >> 8); b++) {
    const uint32_t *blk = entry + (b << 8);
    size_t j;
    for (j = 0; j < nblocks; j++)
      if (memcmp(blocks + j * 256, blk, 256 * sizeof *blk) == 0) break;
    if (j == nblocks) memcpy(blocks + (nblocks++) * 256, blk, 256 * sizeof *blk);
    stage1[b] = (uint16_t)j;
  }
  FILE *f = fopen(argv[1], "w");
  if (!f) { perror(argv[1]); return 1; }
  fprintf(f, "/* Generated by tools/gen_fold.c (utf8proc %s + OpenCC t2s + Unihan + UnicodeData +\n"
             " * ICU confusables); see docs/normalization.md.  Do not edit. */\n",
          utf8proc_version());
  fprintf(f, "static const uint16_t gen_fold_stage1[%u] = {", NCP >> 8);
  for (uint32_t b = 0; b < (NCP >> 8); b++) fprintf(f, "%s%u,", b % 16 ? "" : "\n ", stage1[b]);
  fprintf(f, "\n};\nstatic const uint32_t gen_fold_stage2[%zu] = {", nblocks * 256);
  for (size_t i = 0; i < nblocks * 256; i++) fprintf(f, "%s0x%X,", i % 8 ? "" : "\n ", blocks[i]);
  fprintf(f, "\n};\nstatic const uint32_t gen_fold_seq[%zu] = {", seq_len ? seq_len : 1);
  for (size_t i = 0; i < seq_len; i++) fprintf(f, "%s0x%X,", i % 8 ? "" : "\n ", seq[i]);
  if (!seq_len) fprintf(f, "0");
  fprintf(f, "\n};\n");
  free(blocks);
  free(seq);
  if (fclose(f) != 0) return 1;
  fprintf(stderr, "gen_fold: %zu blocks, %zu sequence words\n", nblocks, seq_len);
  return 0;
}
