/* norm_parse.c — parser for *.norm declaration files, the normalization part
 * of a rule pack:
 *     digit 1 = 幺 么      # aliases that fold to a digit inside digit runs
 *     fold 仟 = 千         # extra character fold
 *     keep 💰 🔫           # characters that are never noise
 * A character is written literally (a trailing U+FE0F/FE0E is ignored) or as
 * U+XXXX.  Errors are "file:line:col: message", col counting characters. */
#include <string.h>
#include "text/text.h"
#include "util/util.h"

typedef struct cursor {
  const char *file, *s;
  size_t len, i;
  int line, col;
  np_error *err;
} cursor;

static int peek_cp(const cursor *c, size_t *next) {
  size_t i = c->i;
  int32_t cp = util_utf8_next(c->s, c->len, &i);
  *next = i;
  return cp;
}

static void advance(cursor *c, size_t to) {
  while (c->i < to) {
    size_t i = c->i;
    util_utf8_next(c->s, c->len, &i);
    c->i = i;
    c->col++;
  }
}

static int at_eol(const cursor *c) {
  return c->i >= c->len || c->s[c->i] == '\n' || c->s[c->i] == '#' ||
         (c->s[c->i] == '\r');
}

static int is_blank(char ch) { return ch == ' ' || ch == '\t'; }

static void skip_blank(cursor *c) {
  while (c->i < c->len && is_blank(c->s[c->i])) advance(c, c->i + 1);
}

static int fail(cursor *c, const char *msg, const char *arg) {
  return util_err_at(c->err, NP_ERULE, c->file, c->line, c->col, msg, arg);
}

/* Reads one word of ASCII letters into buf. */
static size_t word(cursor *c, char *buf, size_t cap) {
  size_t n = 0;
  while (c->i < c->len && ((c->s[c->i] >= 'a' && c->s[c->i] <= 'z') ||
                           (c->s[c->i] >= 'A' && c->s[c->i] <= 'Z'))) {
    if (n + 1 < cap) buf[n++] = c->s[c->i];
    advance(c, c->i + 1);
  }
  buf[n] = 0;
  return n;
}

static int hexval(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* Reads one character (literal or U+XXXX) up to a blank, '=', '#' or eol. */
static int character(cursor *c, uint32_t *out) {
  if (at_eol(c) || c->s[c->i] == '=') return fail(c, "expected a character", NULL);
  if (c->len - c->i >= 3 && c->s[c->i] == 'U' && c->s[c->i + 1] == '+' &&
      hexval(c->s[c->i + 2]) >= 0) {
    uint32_t v = 0;
    size_t j = c->i + 2, digits = 0;
    while (j < c->len && hexval(c->s[j]) >= 0 && digits < 7) v = v * 16 + (uint32_t)hexval(c->s[j++]), digits++;
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v == 0)
      return fail(c, "invalid code point", NULL);
    advance(c, j);
    *out = v;
  } else {
    size_t next;
    int32_t cp = peek_cp(c, &next);
    if (cp < 0) return fail(c, "invalid UTF-8", NULL);
    advance(c, next);
    *out = (uint32_t)cp;
    if (c->i < c->len) { /* an emoji presentation selector belongs to the character */
      int32_t vs = peek_cp(c, &next);
      if (vs == 0xFE0F || vs == 0xFE0E) advance(c, next);
    }
  }
  if (!at_eol(c) && !is_blank(c->s[c->i]) && c->s[c->i] != '=')
    return fail(c, "expected exactly one character", NULL);
  return 0;
}

static int expect_eq(cursor *c) {
  skip_blank(c);
  if (c->i >= c->len || c->s[c->i] != '=') return fail(c, "expected '='", NULL);
  advance(c, c->i + 1);
  skip_blank(c);
  return 0;
}

/* One or more characters separated by blanks, each pushed as given. */
static int char_list(cursor *c, util_vec *v, char digit) {
  int rc, n = 0;
  while (!at_eol(c)) {
    uint32_t cp;
    TRY(character(c, &cp));
    if (digit) {
      text_digit_alias a = {cp, digit};
      TRY(util_vec_push(v, &a));
    } else {
      TRY(util_vec_push(v, &cp));
    }
    n++;
    skip_blank(c);
  }
  if (!n) return fail(c, "expected a character", NULL);
  return 0;
fail:
  if (rc == NP_ENOMEM) return util_err(c->err, NP_ENOMEM, "out of memory");
  return rc;
}

static int decl(cursor *c, util_vec *aliases, util_vec *folds, util_vec *keep) {
  char kw[16];
  int rc;
  int col = c->col;
  if (!word(c, kw, sizeof kw)) return fail(c, "expected a declaration (digit, fold or keep)", NULL);
  if (c->i < c->len && !is_blank(c->s[c->i]) && !at_eol(c)) {
    c->col = col;
    return fail(c, "expected a declaration (digit, fold or keep)", NULL);
  }
  skip_blank(c);
  if (strcmp(kw, "digit") == 0) {
    if (c->i >= c->len || c->s[c->i] < '0' || c->s[c->i] > '9' ||
        (c->i + 1 < c->len && !is_blank(c->s[c->i + 1]) && c->s[c->i + 1] != '='))
      return fail(c, "expected a digit 0-9", NULL);
    char d = c->s[c->i];
    advance(c, c->i + 1);
    TRY(expect_eq(c));
    return char_list(c, aliases, d);
  }
  if (strcmp(kw, "fold") == 0) {
    text_char_fold f;
    TRY(character(c, &f.from));
    TRY(expect_eq(c));
    TRY(character(c, &f.to));
    skip_blank(c);
    if (!at_eol(c)) return fail(c, "unexpected text after the declaration", NULL);
    if (util_vec_push(folds, &f) < 0) return util_err(c->err, NP_ENOMEM, "out of memory");
    return 0;
  }
  if (strcmp(kw, "keep") == 0) return char_list(c, keep, 0);
  c->col = col;
  return fail(c, "unknown declaration '%s' (expected digit, fold or keep)", kw);
fail:
  return rc;
}

int text_norm_parse(const char *file, const char *src, size_t len, struct util_vec *aliases,
                    struct util_vec *folds, struct util_vec *keep, np_error *err) {
  cursor c = {file ? file : "<norm>", src, len, 0, 1, 1, err};
  int rc;
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) c.i = 3; /* BOM */
  while (c.i < c.len) {
    skip_blank(&c);
    if (!at_eol(&c)) TRY(decl(&c, aliases, folds, keep));
    skip_blank(&c);
    if (c.i < c.len && c.s[c.i] == '#')
      while (c.i < c.len && c.s[c.i] != '\n') c.i++;
    if (c.i < c.len && c.s[c.i] == '\r') c.i++;
    if (c.i < c.len && c.s[c.i] == '\n') { c.i++; c.line++; c.col = 1; continue; }
    if (c.i < c.len) return fail(&c, "unexpected text after the declaration", NULL);
  }
  return 0;
fail:
  return rc;
}
