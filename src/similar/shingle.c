/* shingle.c — reduces canonical text to tokens (Han characters, letters,
 * placeholders for digit runs / URLs / @mentions) and hashes k-token
 * shingles.  Dropping punctuation and spaces here makes padding with noise
 * irrelevant even when the normalizer kept a character. */
#include <stdlib.h>
#include <string.h>
#include "similar/similar.h"
/* util_hash64 is XXH3; inlined here because a post hashes every shingle. */
#define XXH_INLINE_ALL
#include <xxhash.h>

enum { TOK_DIGITS = '#', TOK_URL = 'U', TOK_MENTION = '@' };

void similar_tokens_init(similar_tokens *t, const np_allocator *a) {
  memset(t, 0, sizeof *t);
  t->alloc = a;
  util_buf_init(&t->clean, a, 0);
}

void similar_tokens_free(similar_tokens *t) {
  util_free(t->alloc, t->tok);
  util_free(t->alloc, t->seg);
  util_buf_free(&t->clean);
  memset(t, 0, sizeof *t);
}

static int is_han(uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x2FFFF);
}

/* Letters of other scripts count as tokens; symbols, punctuation and emoji do not. */
static int is_word(uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                        (cp >= 'A' && cp <= 'Z');
  if (is_han(cp)) return 1;
  if (cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7) return 1;
  if (cp >= 0x3040 && cp <= 0x30FF) return 1; /* kana */
  if (cp >= 0xAC00 && cp <= 0xD7AF) return 1; /* hangul */
  return 0;
}

static uint32_t fold(uint32_t cp) {
  if (cp >= 0xFF10 && cp <= 0xFF19) return cp - 0xFF10 + '0';
  if (cp >= 0xFF21 && cp <= 0xFF3A) return cp - 0xFF21 + 'a';
  if (cp >= 0xFF41 && cp <= 0xFF5A) return cp - 0xFF41 + 'a';
  if (cp == 0xFF20) return '@';
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  return cp;
}

/* Sentence ends, plus colons and quotation marks: debunks and reposts quote
 * the claim, and the quoted part is then a query unit of its own. */
static int is_sentence_end(uint32_t cp) {
  return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == '!' ||
         cp == '?' || cp == ';' || cp == '\n' || cp == 0xFF0E || cp == 0x2026 || cp == ':' ||
         cp == 0xFF1A || cp == '"' || (cp >= 0x201C && cp <= 0x201D) ||
         (cp >= 0x300C && cp <= 0x300F);
}

static int url_char(unsigned char c) {
  return c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>';
}

/* Room for every token text[0..len) can give: each token takes at least one
 * input byte, and its UTF-8 in `clean` is never longer than what it took. */
static int reserve(similar_tokens *t, size_t len) {
  size_t need = len < SIMILAR_MAX_TOKENS ? len : SIMILAR_MAX_TOKENS;
  if (need > t->cap) {
    size_t nc = t->cap ? t->cap : 64;
    while (nc < need) nc *= 2;
    uint32_t *nt = util_realloc(t->alloc, t->tok, nc * sizeof *nt);
    if (!nt) return NP_ENOMEM;
    t->tok = nt;
    uint8_t *ns = util_realloc(t->alloc, t->seg, nc);
    if (!ns) return NP_ENOMEM;
    t->seg = ns;
    t->cap = nc;
  }
  return util_buf_reserve(&t->clean, len + 4);
}

static inline void push(similar_tokens *t, uint32_t tok, int seg) {
  t->tok[t->n] = tok;
  t->seg[t->n] = (uint8_t)(seg || t->n == 0);
  t->n++;
  t->clean.len += util_utf8_put(tok, t->clean.data + t->clean.len);
}

/* util_utf8_next with the common cases inline: ASCII and the three-byte
 * sequences of U+1000..U+CFFF (CJK); anything else takes the full check. */
static inline int32_t next_cp(const char *str, size_t len, size_t *i) {
  const unsigned char *s = (const unsigned char *)str;
  size_t p = *i;
  unsigned c = s[p];
  if (c < 0x80) { *i = p + 1; return (int32_t)c; }
  if (c >= 0xE1 && c <= 0xEC && p + 2 < len) {
    unsigned c1 = s[p + 1], c2 = s[p + 2];
    if ((c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80) {
      *i = p + 3;
      return (int32_t)(((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F));
    }
  }
  return util_utf8_next(str, len, i);
}

static int starts_ci(const char *s, size_t len, size_t i, const char *p) {
  size_t n = strlen(p);
  if (len - i < n) return 0;
  for (size_t j = 0; j < n; j++) {
    char c = s[i + j];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c != p[j]) return 0;
  }
  return 1;
}

int similar_tokenize(const char *s, size_t len, similar_tokens *t) {
  int rc = 0, seg = 1;
  t->n = 0;
  util_buf_reset(&t->clean);
  TRY(reserve(t, len));
  size_t i = 0;
  while (i < len && t->n < SIMILAR_MAX_TOKENS) {
    char h = s[i];
    if ((h == 'h' || h == 'H' || h == 'w' || h == 'W') &&
        (starts_ci(s, len, i, "http://") || starts_ci(s, len, i, "https://") ||
         starts_ci(s, len, i, "www."))) {
      while (i < len && url_char((unsigned char)s[i])) i++;
      push(t, TOK_URL, seg);
      seg = 0;
      continue;
    }
    int32_t c = next_cp(s, len, &i);
    if (c < 0) continue;
    uint32_t cp = fold((uint32_t)c);
    if (cp == '@') {
      /* @name: the name runs to the next non-word character (capped). */
      size_t j = i, chars = 0;
      while (j < len && chars < 20) {
        size_t k = j;
        int32_t d = next_cp(s, len, &k);
        if (d < 0 || !(is_word(fold((uint32_t)d)) || d == '_' || d == '-')) break;
        j = k;
        chars++;
      }
      if (chars) {
        i = j;
        push(t, TOK_MENTION, seg);
        seg = 0;
      }
      continue;
    }
    if (cp >= '0' && cp <= '9') {
      size_t j = i;
      while (j < len) {
        size_t k = j;
        int32_t d = next_cp(s, len, &k);
        if (d < 0) break;
        uint32_t f = fold((uint32_t)d);
        if (!((f >= '0' && f <= '9') || f == '.' || f == ',')) break;
        j = k;
      }
      i = j;
      push(t, TOK_DIGITS, seg);
      seg = 0;
      continue;
    }
    if (is_sentence_end(cp)) { seg = 1; continue; }
    if (!is_word(cp)) continue;
    push(t, cp, seg);
    seg = 0;
  }
  t->clean.data[t->clean.len] = 0;
  return 0;
fail:
  return rc;
}

int similar_shingles(const similar_tokens *t, size_t from, size_t to, unsigned k, util_vec *out) {
  if (to > t->n) to = t->n;
  if (from >= to) return 0;
  if (k == 0) k = 1;
  size_t len = to - from;
  size_t n = len < k ? 1 : len - k + 1;
  size_t w = len < k ? len : k;
  uint32_t *dst = util_vec_grow(out, n);
  if (!dst) return NP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    dst[i] = (uint32_t)XXH3_64bits_withSeed(t->tok + from + i, w * sizeof(uint32_t),
                                            0x5348494eULL + w);
  return 0;
}

/* Shellsort (Ciura's gaps): sets are at most SIMILAR_MAX_TOKENS long, and
 * with no comparison callback this beats qsort several times over there. */
static void sort_u32(uint32_t *v, size_t n) {
  static const size_t gaps[] = {1750, 701, 301, 132, 57, 23, 10, 4, 1};
  for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++) {
    size_t gap = gaps[g];
    for (size_t i = gap; i < n; i++) {
      uint32_t x = v[i];
      size_t j = i;
      while (j >= gap && v[j - gap] > x) { v[j] = v[j - gap]; j -= gap; }
      v[j] = x;
    }
  }
}

void similar_set_sort(util_vec *v) {
  uint32_t *d = v->data;
  if (v->len < 2) return;
  sort_u32(d, v->len);
  size_t o = 1;
  for (size_t i = 1; i < v->len; i++)
    if (d[i] != d[o - 1]) d[o++] = d[i];
  v->len = o;
}

size_t similar_set_inter(const uint32_t *a, size_t na, const uint32_t *b, size_t nb) {
  size_t i = 0, j = 0, n = 0;
  while (i < na && j < nb) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else { n++; i++; j++; }
  }
  return n;
}
