/* json_fields.c — a strict reader that pulls the text and label fields out of
 * one JSON Lines record without building a jansson tree (which is most of the
 * cost of `netpatrol eval` on records with many fields).  It validates the
 * whole line; on anything it does not handle — or invalid JSON — it says so
 * and the caller falls back to jansson, which also words the error.
 */
#include <string.h>
#include "classify/classify_int.h"

#define MAX_DEPTH 64

typedef struct cur {
  const char *p, *end;
} cur;

static void ws(cur *c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char h = p[i];
    v <<= 4;
    if (h >= '0' && h <= '9') v |= (unsigned)(h - '0');
    else if (h >= 'a' && h <= 'f') v |= (unsigned)(h - 'a' + 10);
    else if (h >= 'A' && h <= 'F') v |= (unsigned)(h - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

/* A string at c->p (the opening quote); decoded into out when out != NULL.
 * Returns 0, or -1 for anything invalid or unhandled (lone surrogates, NUL). */
static int string(cur *c, util_buf *out) {
  if (c->p >= c->end || *c->p != '"') return -1;
  c->p++;
  for (;;) {
    const char *s = c->p;
    while (c->p < c->end && *c->p != '"' && *c->p != '\\' && (unsigned char)*c->p >= 0x20) c->p++;
    if (out && c->p > s && util_buf_append(out, s, (size_t)(c->p - s)) < 0) return -1;
    if (c->p >= c->end || (unsigned char)*c->p < 0x20) return -1;
    if (*c->p == '"') {
      c->p++;
      return 0;
    }
    if (c->end - c->p < 2) return -1;
    char e = c->p[1], lit = 0;
    c->p += 2;
    switch (e) {
      case '"': lit = '"'; break;
      case '\\': lit = '\\'; break;
      case '/': lit = '/'; break;
      case 'b': lit = '\b'; break;
      case 'f': lit = '\f'; break;
      case 'n': lit = '\n'; break;
      case 'r': lit = '\r'; break;
      case 't': lit = '\t'; break;
      case 'u': {
        unsigned u, lo;
        if (c->end - c->p < 4 || hex4(c->p, &u) < 0 || u == 0) return -1;
        c->p += 4;
        if (u >= 0xDC00 && u <= 0xDFFF) return -1;
        if (u >= 0xD800 && u <= 0xDBFF) {
          if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u' || hex4(c->p + 2, &lo) < 0 ||
              lo < 0xDC00 || lo > 0xDFFF)
            return -1;
          c->p += 6;
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        }
        char enc[4];
        size_t k = util_utf8_put(u, enc);
        if (out && util_buf_append(out, enc, k) < 0) return -1;
        continue;
      }
      default: return -1;
    }
    if (out && util_buf_putc(out, lit) < 0) return -1;
  }
}

static int digits(cur *c) {
  const char *s = c->p;
  while (c->p < c->end && *c->p >= '0' && *c->p <= '9') c->p++;
  return c->p > s ? 0 : -1;
}

/* A JSON number; *is_int says whether it has no fraction or exponent. */
static int number(cur *c, int *is_int) {
  *is_int = 1;
  if (c->p < c->end && *c->p == '-') c->p++;
  if (c->p < c->end && *c->p == '0') c->p++;
  else if (digits(c) < 0) return -1;
  if (c->p < c->end && *c->p == '.') {
    c->p++;
    *is_int = 0;
    if (digits(c) < 0) return -1;
  }
  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
    c->p++;
    *is_int = 0;
    if (c->p < c->end && (*c->p == '+' || *c->p == '-')) c->p++;
    if (digits(c) < 0) return -1;
  }
  return 0;
}

static int literal(cur *c, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0) return -1;
  c->p += n;
  return 0;
}

static int value(cur *c, int depth);

static int container(cur *c, int depth, char close, int keyed) {
  if (depth > MAX_DEPTH) return -1;
  c->p++;
  ws(c);
  if (c->p < c->end && *c->p == close) {
    c->p++;
    return 0;
  }
  for (;;) {
    ws(c);
    if (keyed) {
      if (string(c, NULL) < 0) return -1;
      ws(c);
      if (c->p >= c->end || *c->p != ':') return -1;
      c->p++;
      ws(c);
    }
    if (value(c, depth + 1) < 0) return -1;
    ws(c);
    if (c->p < c->end && *c->p == ',') { c->p++; continue; }
    if (c->p < c->end && *c->p == close) { c->p++; return 0; }
    return -1;
  }
}

static int value(cur *c, int depth) {
  int is_int;
  if (c->p >= c->end) return -1;
  switch (*c->p) {
    case '"': return string(c, NULL);
    case '{': return container(c, depth, '}', 1);
    case '[': return container(c, depth, ']', 0);
    case 't': return literal(c, "true");
    case 'f': return literal(c, "false");
    case 'n': return literal(c, "null");
    default: return number(c, &is_int);
  }
}

/* The label value as text ("1", "true", "spam"); -1 if another type. */
static int label_value(cur *c, util_buf *lab) {
  util_buf_reset(lab);
  const char *s = c->p;
  int is_int;
  if (c->p < c->end && *c->p == '"') return string(c, lab);
  if (literal(c, "true") == 0) return util_buf_append(lab, "true", 4);
  if (literal(c, "false") == 0) return util_buf_append(lab, "false", 5);
  if (number(c, &is_int) < 0 || !is_int || c->p - s > 19) return -1;
  if (c->p - s > 1 && s[0] == '-' && s[1] == '0') return -1; /* "-0": let jansson decide */
  return util_buf_append(lab, s, (size_t)(c->p - s));
}

int classify_json_fields(const char *line, size_t n, const char *label_field, util_buf *text,
                         util_buf *label) {
  cur c = {line, line + n};
  int got_text = 0, got_label = 0;
  util_buf key;
  /* jansson validates UTF-8 (and rejects NUL) in every string; so do we. */
  if (!util_utf8_valid(line, n, &(size_t){0})) return -1;
  util_buf_init(&key, NULL, 256);
  util_buf_reset(text);
  util_buf_reset(label);
  ws(&c);
  if (c.p >= c.end || *c.p != '{') return -1;
  c.p++;
  ws(&c);
  int rc = -1;
  if (c.p < c.end && *c.p == '}') {
    c.p++;
    goto tail;
  }
  for (;;) {
    ws(&c);
    util_buf_reset(&key);
    if (string(&c, &key) < 0) goto out;
    ws(&c);
    if (c.p >= c.end || *c.p != ':') goto out;
    c.p++;
    ws(&c);
    const char *k = key.data ? key.data : "";
    if (strcmp(k, "text") == 0 && c.p < c.end && *c.p == '"') {
      util_buf_reset(text);
      if (string(&c, text) < 0) goto out;
      got_text = 1;
    } else if (strcmp(k, label_field) == 0) {
      if (label_value(&c, label) < 0) goto out;
      got_label = 1;
    } else {
      if (strcmp(k, "text") == 0) got_text = 0; /* a non-string text: let jansson report */
      if (value(&c, 1) < 0) goto out;
    }
    ws(&c);
    if (c.p < c.end && *c.p == ',') { c.p++; continue; }
    if (c.p < c.end && *c.p == '}') { c.p++; break; }
    goto out;
  }
tail:
  ws(&c);
  if (c.p == c.end && got_text && got_label && label->len && label->len <= CLASSIFY_MAX_LABEL_LEN)
    rc = 0;
out:
  util_buf_free(&key);
  return rc;
}
