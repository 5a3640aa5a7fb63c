/* lexicon.c — parses lexicon files (rules/lexicons/<name>.txt): one term a
 * line with optional "= variant | ..." and "! context | ..." parts in either
 * order, '#' comments, and "%pinyin on|off" directives.  Every error of the
 * file is reported; a file with errors yields no lexicon. */
#include <stdio.h>
#include <string.h>
#include "rules/rules.h"

typedef struct lex_state {
  const np_allocator *a;
  const char *file, *src;
  size_t len;
  rules_diags *diags;
  int errors, oom;
  size_t line_start; /* byte offset of the current line */
  int line;
} lex_state;

/* Column (in code points, 1-based) of byte offset off on the current line. */
static int col_of(const lex_state *S, size_t off) {
  int col = 1;
  for (size_t i = S->line_start; i < off; i++)
    if (((unsigned char)S->src[i] & 0xC0) != 0x80) col++;
  return col;
}

static void error_at(lex_state *S, size_t off, const char *fmt, ...) UTIL_PRINTF(3, 4);
static void error_at(lex_state *S, size_t off, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  S->errors++;
  if (rules_diag_add(S->diags, S->file, S->src, S->len, S->line, col_of(S, off), "%s", msg) < 0)
    S->oom = 1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* Trims [*s, *e) of blanks. */
static void trim(const char *src, size_t *s, size_t *e) {
  while (*s < *e && is_space(src[*s])) (*s)++;
  while (*e > *s && is_space(src[*e - 1])) (*e)--;
}

/* 1 if src[p] is escaped: preceded (within [start, p)) by an odd number of backslashes. */
static int escaped(const char *src, size_t start, size_t p) {
  size_t k = 0;
  while (p > start + k && src[p - 1 - k] == '\\') k++;
  return (int)(k & 1);
}

static int is_syntax(char c) {
  return c == '=' || c == '|' || c == '!' || c == '#' || c == '%' || c == '\\';
}

/* Copies [p, p+n) turning "\\X" into "X" for the syntax characters = | ! # % \\
 * (so word lists can hold them literally); other backslashes stay. */
static char *unescape_dup(const np_allocator *a, const char *p, size_t n) {
  char *d = util_malloc(a, n + 1);
  if (!d) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '\\' && i + 1 < n && is_syntax(p[i + 1])) i++;
    d[o++] = p[i];
  }
  d[o] = 0;
  return d;
}

/* Splits [s, e) at unescaped '|' into owned strings appended to *out / *n. */
static int split_list(lex_state *S, size_t s, size_t e, const char *what, char ***out, size_t *n) {
  for (;;) {
    size_t p = s;
    while (p < e && (S->src[p] != '|' || escaped(S->src, s, p))) p++;
    size_t a = s, b = p;
    trim(S->src, &a, &b);
    if (a == b) {
      error_at(S, a < e ? a : e, "empty %s", what);
    } else {
      char **grown = util_realloc(S->a, *out, (*n + 1) * sizeof(char *));
      if (!grown) return NP_ENOMEM;
      *out = grown;
      if (!((*out)[*n] = unescape_dup(S->a, S->src + a, b - a))) return NP_ENOMEM;
      (*n)++;
    }
    if (p >= e) return NP_OK;
    s = p + 1;
  }
}

static void term_free(const np_allocator *a, rules_term *t) {
  util_free(a, t->term);
  for (size_t i = 0; i < t->n_variants; i++) util_free(a, t->variants[i]);
  util_free(a, t->variants);
  for (size_t i = 0; i < t->n_exclusions; i++) util_free(a, t->exclusions[i]);
  util_free(a, t->exclusions);
}

void rules_lexicon_free(const np_allocator *a, rules_lexicon *lx) {
  if (!lx) return;
  for (size_t i = 0; i < lx->n_terms; i++) term_free(a, &lx->terms[i]);
  util_free(a, lx->terms);
  util_free(a, lx->name);
  util_free(a, lx->file);
  util_free(a, lx);
}

/* "%pinyin on|off"; returns the new pinyin state. */
static int directive(lex_state *S, size_t s, size_t e, int pinyin) {
  size_t w = s + 1;
  while (w < e && !is_space(S->src[w])) w++;
  size_t v = w, ve = e;
  trim(S->src, &v, &ve);
  if (w - s == 7 && memcmp(S->src + s, "%pinyin", 7) == 0) {
    if (ve - v == 2 && memcmp(S->src + v, "on", 2) == 0) return 1;
    if (ve - v == 3 && memcmp(S->src + v, "off", 3) == 0) return 0;
    error_at(S, v, "expected 'on' or 'off' after %%pinyin");
    return pinyin;
  }
  error_at(S, s, "unknown directive '%.*s'", (int)(w - s), S->src + s);
  return pinyin;
}

/* Duplicate check: open-addressing table of term indices (+1; 0 = empty). */
typedef struct term_table {
  uint32_t *slot;
  size_t cap;
} term_table;

static int table_find_or_add(lex_state *S, term_table *T, util_vec *terms, size_t idx,
                             size_t *dup) {
  const char *t = UTIL_VEC_AT(terms, rules_term, idx).term;
  if ((idx + 1) * 2 > T->cap) {
    size_t cap = T->cap ? T->cap * 2 : 256;
    uint32_t *n = util_calloc(S->a, cap, sizeof *n);
    if (!n) return NP_ENOMEM;
    for (size_t i = 0; i < T->cap; i++) {
      if (!T->slot[i]) continue;
      const char *o = UTIL_VEC_AT(terms, rules_term, T->slot[i] - 1).term;
      size_t h = (size_t)util_hash64(o, strlen(o), 0) & (cap - 1);
      while (n[h]) h = (h + 1) & (cap - 1);
      n[h] = T->slot[i];
    }
    util_free(S->a, T->slot);
    T->slot = n;
    T->cap = cap;
  }
  size_t h = (size_t)util_hash64(t, strlen(t), 0) & (T->cap - 1);
  for (; T->slot[h]; h = (h + 1) & (T->cap - 1)) {
    if (strcmp(UTIL_VEC_AT(terms, rules_term, T->slot[h] - 1).term, t) == 0) {
      *dup = T->slot[h] - 1;
      return 1;
    }
  }
  T->slot[h] = (uint32_t)idx + 1;
  return 0;
}

/* One term line [s, e) (comment already cut). */
static int term_line(lex_state *S, size_t s, size_t e, int pinyin, util_vec *terms,
                     term_table *T) {
  size_t p = s;
  while (p < e && ((S->src[p] != '=' && S->src[p] != '!') || escaped(S->src, s, p))) p++;
  size_t ts = s, te = p;
  trim(S->src, &ts, &te);
  if (ts == te) {
    error_at(S, ts < e ? ts : s, "empty term");
    return NP_OK;
  }
  rules_term t;
  memset(&t, 0, sizeof t);
  t.pinyin = pinyin;
  t.line = S->line;
  int rc = NP_OK;
  if (!(t.term = unescape_dup(S->a, S->src + ts, te - ts))) rc = NP_ENOMEM;
  while (!rc && p < e) { /* sections: '=' variants, '!' contexts, in any order */
    char kind = S->src[p];
    size_t q = p + 1;
    while (q < e && ((S->src[q] != '=' && S->src[q] != '!') || escaped(S->src, s, q))) q++;
    if (kind == '=') rc = split_list(S, p + 1, q, "variant", &t.variants, &t.n_variants);
    else rc = split_list(S, p + 1, q, "exclusion context", &t.exclusions, &t.n_exclusions);
    p = q;
  }
  if (rc || util_vec_push(terms, &t) < 0) {
    term_free(S->a, &t);
    return NP_ENOMEM;
  }
  size_t dup = 0;
  rc = table_find_or_add(S, T, terms, terms->len - 1, &dup);
  if (rc == 1) {
    error_at(S, ts, "duplicate term '%s' (first on line %d)", t.term,
             UTIL_VEC_AT(terms, rules_term, dup).line);
    terms->len--;
    term_free(S->a, &t);
    rc = NP_OK;
  }
  return rc;
}

int rules_lexicon_parse(const np_allocator *a, const char *name, const char *file,
                        const char *src, size_t len, rules_lexicon **out, rules_diags *diags) {
  *out = NULL;
  lex_state S = {a, file, src, len, diags, 0, 0, 0, 1};
  size_t bad = 0;
  if (!util_utf8_valid(src, len, &bad)) {
    while (S.line_start < bad) { /* find the line of the bad byte */
      size_t nl = S.line_start;
      while (nl < bad && src[nl] != '\n') nl++;
      if (nl >= bad) break;
      S.line_start = nl + 1;
      S.line++;
    }
    error_at(&S, bad, "invalid UTF-8 or NUL byte");
    return S.oom ? NP_ENOMEM : NP_ERULE;
  }
  util_vec terms;
  util_vec_init(&terms, a, sizeof(rules_term));
  term_table T = {NULL, 0};
  int pinyin = 0, rc = NP_OK;
  size_t pos = len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  S.line_start = pos;
  while (pos < len && !rc && !S.oom) {
    size_t e = pos;
    while (e < len && src[e] != '\n') e++;
    S.line_start = pos;
    size_t ce = pos; /* '#' starts a comment at the line start or after a blank */
    while (ce < e && !(src[ce] == '#' && !escaped(src, pos, ce) &&
                       (ce == pos || is_space(src[ce - 1]))))
      ce++;
    size_t s = pos, te = ce;
    trim(src, &s, &te);
    if (s < te) {
      if (src[s] == '%') pinyin = directive(&S, s, te, pinyin);
      else rc = term_line(&S, s, te, pinyin, &terms, &T);
    }
    pos = e + 1;
    S.line++;
  }
  util_free(a, T.slot);
  if (S.oom) rc = NP_ENOMEM;
  rules_lexicon *lx = NULL;
  if (!rc && !S.errors) {
    lx = util_calloc(a, 1, sizeof *lx);
    if (!lx || !(lx->name = util_strdup(a, name ? name : "")) ||
        !(lx->file = util_strdup(a, file ? file : (name ? name : "")))) {
      rc = NP_ENOMEM;
    } else {
      lx->terms = terms.data;
      lx->n_terms = terms.len;
      util_vec_init(&terms, a, sizeof(rules_term));
    }
  }
  for (size_t i = 0; i < terms.len; i++) term_free(a, &UTIL_VEC_AT(&terms, rules_term, i));
  util_vec_free(&terms);
  if (rc) {
    rules_lexicon_free(a, lx);
    return rc;
  }
  if (S.errors) return NP_ERULE;
  *out = lx;
  return NP_OK;
}
