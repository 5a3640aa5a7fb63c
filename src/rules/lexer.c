/* lexer.c — the rule-language tokenizer: comments (#, //, / * * /), strings
 * with escapes, regexes with flags, numbers, $ / # references, dotted value
 * names and punctuation.  Lexical errors are reported and lexing continues, so
 * one pass finds all of them.  Also holds the keyword table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/rules_int.h"

const char *const rules_keywords[] = {
    "rule", "meta", "strings", "condition", "and", "or", "not", "of", "any", "all",
    "none", "them", "near", "lexicon", "true", "false", "fullword", NULL,
};

int rules_is_keyword(const char *p, size_t n) {
  for (size_t i = 0; rules_keywords[i]; i++)
    if (strlen(rules_keywords[i]) == n && memcmp(rules_keywords[i], p, n) == 0) return 1;
  return 0;
}

int rules_tok_is(const rules_tok *t, const char *word) {
  return t->kind == TK_IDENT && strlen(word) == t->n && memcmp(t->p, word, t->n) == 0;
}

int rules_lex_init(rules_lexer *L, const np_allocator *a, const char *file, const char *src,
                   size_t len, rules_diags *d) {
  memset(L, 0, sizeof *L);
  L->file = file;
  L->src = src;
  L->len = len;
  L->line = L->col = 1;
  L->diags = d;
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) L->pos = 3; /* byte order mark */
  L->scratch = util_malloc(a, len + 1);
  return L->scratch ? NP_OK : NP_ENOMEM;
}

void rules_lex_free(rules_lexer *L, const np_allocator *a) {
  util_free(a, L->scratch);
  L->scratch = NULL;
}

void rules_lex_error(rules_lexer *L, int line, int col, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  L->errors++;
  if (rules_diag_add(L->diags, L->file, L->src, L->len, line, col, "%s", msg) < 0) L->oom = 1;
}

void rules_tok_describe(const rules_tok *t, char *buf, size_t size) {
  if (t->kind == TK_EOF) { snprintf(buf, size, "end of file"); return; }
  size_t n = t->n;
  if (n > 40) { /* cut at a character boundary */
    n = 40;
    while (n > 0 && ((unsigned char)t->p[n] & 0xC0) == 0x80) n--;
  }
  snprintf(buf, size, "'%.*s%s'", (int)n, t->p, n < t->n ? "..." : "");
}

static int peekc(const rules_lexer *L, size_t ahead) {
  return L->pos + ahead < L->len ? (unsigned char)L->src[L->pos + ahead] : -1;
}

/* Moves past one code point, keeping line and column. */
static void adv(rules_lexer *L) {
  if (L->pos >= L->len) return;
  if (L->src[L->pos] == '\n') {
    L->pos++;
    L->line++;
    L->col = 1;
    return;
  }
  (void)util_utf8_next(L->src, L->len, &L->pos);
  L->col++;
}

static int is_ident_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_ident(int c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Skips blanks and comments; returns after reporting an unterminated one. */
static void skip_blank(rules_lexer *L) {
  for (;;) {
    int c = peekc(L, 0);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      adv(L);
    } else if ((c == '#' && !(L->cond_mode && is_ident_start(peekc(L, 1)))) ||
               (c == '/' && peekc(L, 1) == '/')) {
      while (L->pos < L->len && L->src[L->pos] != '\n') adv(L);
    } else if (c == '/' && peekc(L, 1) == '*') {
      int line = L->line, col = L->col;
      adv(L);
      adv(L);
      while (L->pos < L->len && !(peekc(L, 0) == '*' && peekc(L, 1) == '/')) adv(L);
      if (L->pos >= L->len) {
        rules_lex_error(L, line, col, "unterminated comment");
        return;
      }
      adv(L);
      adv(L);
    } else {
      return;
    }
  }
}

/* One escape after a backslash at L->pos; appends the bytes to *o.
 * Reports a bad escape (and appends nothing). */
static void lex_escape(rules_lexer *L, char **o) {
  int line = L->line, col = L->col;
  size_t start = L->pos;
  adv(L); /* backslash */
  int c = peekc(L, 0);
  uint32_t cp = 0;
  int ok = 1;
  switch (c) {
    case '"': *(*o)++ = '"'; adv(L); return;
    case '\\': *(*o)++ = '\\'; adv(L); return;
    case 'n': *(*o)++ = '\n'; adv(L); return;
    case 't': *(*o)++ = '\t'; adv(L); return;
    case 'x': {
      adv(L);
      int h1 = hexval(peekc(L, 0)), h2 = h1 < 0 ? -1 : hexval(peekc(L, 1));
      if (h1 >= 0) adv(L);
      if (h2 >= 0) adv(L);
      cp = (uint32_t)(h1 * 16 + h2);
      ok = h1 >= 0 && h2 >= 0 && cp >= 1 && cp <= 0x7F; /* one ASCII byte; wider: \u{...} */
      break;
    }
    case 'u': {
      adv(L);
      int digits = 0;
      if (peekc(L, 0) == '{') {
        adv(L);
        while (hexval(peekc(L, 0)) >= 0 && digits < 7) {
          cp = cp * 16 + (uint32_t)hexval(peekc(L, 0));
          digits++;
          adv(L);
        }
        ok = peekc(L, 0) == '}' && digits >= 1 && digits <= 6;
        if (ok) adv(L);
      } else {
        ok = 0;
      }
      ok = ok && cp >= 1 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
      break;
    }
    default:
      if (c >= 0 && c != '\n') adv(L); /* report the whole escaped character */
      ok = 0;
  }
  if (!ok) {
    rules_lex_error(L, line, col, "bad escape sequence '%.*s'", (int)(L->pos - start),
                    L->src + start);
    return;
  }
  *o += util_utf8_put(cp, *o);
}

/* "..." decoded into scratch at the token's own offset (never longer than the
 * source, so tokens never overlap). */
static void lex_string(rules_lexer *L, rules_tok *t) {
  char *o = L->scratch + L->pos, *start = o;
  adv(L);
  for (;;) {
    int c = peekc(L, 0);
    if (c < 0 || c == '\n') {
      rules_lex_error(L, t->line, t->col, "unterminated string");
      break;
    }
    if (c == '"') { adv(L); break; }
    if (c == '\\') { lex_escape(L, &o); continue; }
    size_t p = L->pos;
    adv(L);
    memcpy(o, L->src + p, L->pos - p);
    o += L->pos - p;
  }
  *o = 0;
  t->kind = TK_STRING;
  t->str = start;
  t->str_len = (size_t)(o - start);
}

/* /regex/flags: the source is kept as written except that "\/" becomes "/". */
static void lex_regex(rules_lexer *L, rules_tok *t) {
  char *o = L->scratch + L->pos, *start = o;
  adv(L);
  int closed = 0;
  for (;;) {
    int c = peekc(L, 0);
    if (c < 0 || c == '\n') break;
    if (c == '/') { adv(L); closed = 1; break; }
    if (c == '\\' && peekc(L, 1) == '/') { adv(L); adv(L); *o++ = '/'; continue; }
    size_t p = L->pos;
    adv(L);
    if (c == '\\' && peekc(L, 0) >= 0 && peekc(L, 0) != '\n') adv(L);
    memcpy(o, L->src + p, L->pos - p);
    o += L->pos - p;
  }
  *o = 0;
  t->kind = TK_REGEX;
  t->str = start;
  t->str_len = (size_t)(o - start);
  if (!closed) { rules_lex_error(L, t->line, t->col, "unterminated regex"); return; }
  while (is_ident(peekc(L, 0))) {
    int c = peekc(L, 0);
    if (c == 'i') t->mods |= RULES_MOD_NOCASE;
    else if (c == 's') t->mods |= RULES_MOD_DOTALL;
    else rules_lex_error(L, L->line, L->col, "unknown regex flag '%c'", c);
    adv(L);
  }
}

/* digits [. digits]; anything glued on (12abc, 1.2.3, 1.) is a bad number. */
static void lex_number(rules_lexer *L, rules_tok *t) {
  size_t s = L->pos;
  int ok = 1;
  while (peekc(L, 0) >= '0' && peekc(L, 0) <= '9') adv(L);
  if (peekc(L, 0) == '.') {
    adv(L);
    if (!(peekc(L, 0) >= '0' && peekc(L, 0) <= '9')) ok = 0;
    while (peekc(L, 0) >= '0' && peekc(L, 0) <= '9') adv(L);
  }
  while (is_ident(peekc(L, 0)) || peekc(L, 0) == '.') { ok = 0; adv(L); }
  t->kind = TK_NUMBER;
  if (!ok || L->pos - s > 64) {
    rules_lex_error(L, t->line, t->col, "bad number '%.*s'", (int)(L->pos - s), L->src + s);
    t->num = 0;
    return;
  }
  char tmp[80];
  memcpy(tmp, L->src + s, L->pos - s);
  tmp[L->pos - s] = 0;
  t->num = strtod(tmp, NULL);
}

void rules_lex_next(rules_lexer *L, rules_tok *t) {
  skip_blank(L);
  memset(t, 0, sizeof *t);
  t->line = L->line;
  t->col = L->col;
  t->p = L->src + L->pos;
  size_t s = L->pos;
  int c = peekc(L, 0), c1 = peekc(L, 1);
  if (c < 0) {
    t->kind = TK_EOF;
  } else if (c == '"') {
    lex_string(L, t);
  } else if (c == '/' && L->regex_ok) {
    lex_regex(L, t);
  } else if (c >= '0' && c <= '9') {
    lex_number(L, t);
  } else if (is_ident_start(c)) {
    /* dotted names (pii.phone) are one token: '.' only continues before a letter */
    for (;;) {
      while (is_ident(peekc(L, 0))) adv(L);
      if (peekc(L, 0) == '.' && is_ident_start(peekc(L, 1))) adv(L);
      else break;
    }
    t->kind = TK_IDENT;
  } else if (c == '$' || c == '#') {
    adv(L);
    while (is_ident(peekc(L, 0))) adv(L);
    t->kind = c == '$' ? TK_VAR : TK_COUNT;
    if (c == '$' && peekc(L, 0) == '*') { adv(L); t->wildcard = 1; }
    if (c == '$' && L->pos - s == 1) {
      rules_lex_error(L, t->line, t->col, "bad string name '$'");
    }
  } else {
    static const struct { char a, b; int kind; } punct[] = {
        {'=', '=', TK_EQ}, {'!', '=', TK_NE}, {'<', '=', TK_LE}, {'>', '=', TK_GE},
        {'{', 0, TK_LBRACE}, {'}', 0, TK_RBRACE}, {'(', 0, TK_LPAREN}, {')', 0, TK_RPAREN},
        {':', 0, TK_COLON}, {',', 0, TK_COMMA}, {'=', 0, TK_ASSIGN}, {'<', 0, TK_LT},
        {'>', 0, TK_GT}, {'+', 0, TK_PLUS}, {'-', 0, TK_MINUS}, {'*', 0, TK_STAR},
        {'/', 0, TK_SLASH},
    };
    t->kind = TK_BAD;
    for (size_t i = 0; i < sizeof punct / sizeof punct[0]; i++) {
      if (punct[i].a == c && (!punct[i].b || punct[i].b == c1)) {
        t->kind = punct[i].kind;
        adv(L);
        if (punct[i].b) adv(L);
        break;
      }
    }
    if (t->kind == TK_BAD) {
      adv(L);
      rules_lex_error(L, t->line, t->col, "unexpected character '%.*s'", (int)(L->pos - s),
                      L->src + s);
    }
  }
  t->n = L->pos - s;
}
