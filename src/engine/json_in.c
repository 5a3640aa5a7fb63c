/* json_in.c — strict one-pass parser for a JSON Lines post record (see
 * json_in.h).  Strings are validated in place and copied only when the engine
 * needs them decoded.  The decode buffer is reserved to the line's length
 * before parsing (a decoded string plus its NUL never outgrows its literal),
 * so pointers into it stay valid for the whole record. */
#include "engine/json_in.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Objects with more keys than this are checked for duplicates by sorting
 * when they close, not pairwise as each key arrives. */
#define DUP_LINEAR 24

typedef unsigned char uchar;

typedef struct jkey {
  const char *p;
  size_t n;
} jkey;

struct json_in {
  const np_allocator *alloc;
  util_buf dec;    /* decoded strings of this record (reserved up front) */
  util_buf id;     /* compacted "id", when the raw one held whitespace */
  util_buf extra;  /* {"key":value,...} */
  util_vec keys;   /* jkey: keys of the objects open now */
  util_vec sorted; /* jkey: duplicate check of large objects */
};

typedef struct parser {
  const uchar *line, *p, *end;
  json_in *st;
  json_in_rec *rec;
  int status;          /* json_in_status once failed */
  const uchar *err_at; /* where */
  const char *reason;
  int ws;              /* whitespace was skipped (compaction needed) */
  int nomem;
} parser;

/* Bytes a string literal may hold as they are: 0x20..0x7f but '"' and '\\'. */
static const uint8_t str_plain[256] = {
    ['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20-0x2f, '"' = 0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x30 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,             /* 0x50, '\\' = 0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x70 */
};

static int fail(parser *ps, int status, const uchar *at, const char *reason) {
  if (!ps->status) {
    ps->status = status;
    ps->err_at = at;
    ps->reason = reason;
  }
  return -1;
}

static int nomem(parser *ps) {
  ps->nomem = 1;
  return -1;
}

static int is_ws(uchar c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static const uchar *skip_ws(parser *ps, const uchar *p) {
  if (p < ps->end && !is_ws(*p)) return p;
  const uchar *q = p;
  while (q < ps->end && is_ws(*q)) q++;
  if (q != p) ps->ws = 1;
  return q;
}

/* Length of the valid UTF-8 sequence (RFC 3629: no overlongs, no surrogates,
 * nothing past U+10FFFF) starting with the byte >= 0x80 at p, or 0. */
static size_t utf8_len(const uchar *p, const uchar *end) {
  unsigned c = p[0];
  size_t avail = (size_t)(end - p);
  if (c >= 0xC2 && c <= 0xDF) return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (avail < 3 || (p[2] & 0xC0) != 0x80) return 0;
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return p[1] >= lo && p[1] <= hi ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (avail < 4 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return p[1] >= lo && p[1] <= hi ? 4 : 0;
  }
  return 0;
}

/* An unexpected byte (or the end) where `what` was expected. */
static int unexpected(parser *ps, const uchar *p, const char *what) {
  if (p >= ps->end) return fail(ps, JSON_IN_BAD_JSON, p, "premature end of input");
  if (*p == 0) return fail(ps, JSON_IN_NUL_BYTE, p, "NUL byte");
  if (*p >= 0x80 && !utf8_len(p, ps->end)) return fail(ps, JSON_IN_BAD_UTF8, p, "invalid UTF-8");
  char *b = ps->rec->reason_buf;
  size_t bn = sizeof ps->rec->reason_buf;
  if (*p >= 0x21 && *p < 0x7f) snprintf(b, bn, "expected %s, found '%c'", what, *p);
  else snprintf(b, bn, "expected %s, found byte 0x%02x", what, *p);
  return fail(ps, JSON_IN_BAD_JSON, p, b);
}

static int hex4(const uchar *p) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    int c = p[i], d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
    else return -1;
    v = v << 4 | d;
  }
  return v;
}

/* A bad escape: the byte at q that broke it decides the kind (an invalid
 * UTF-8 byte there is bad_utf8, as a byte-by-byte decoder would see it). */
static int bad_escape(parser *ps, const uchar *p, const uchar *q, const char *reason) {
  if (*q >= 0x80 && !utf8_len(q, ps->end)) return fail(ps, JSON_IN_BAD_UTF8, q, "invalid UTF-8");
  return fail(ps, JSON_IN_BAD_JSON, p, reason);
}

/* First byte of p[0..4) that is not a hex digit (p + 4 if none, or the end). */
static const uchar *non_hex(const uchar *p, const uchar *e) {
  for (int i = 0; i < 4; i++) {
    if (p + i >= e) return e;
    int c = p[i] | 0x20;
    if (!((p[i] >= '0' && p[i] <= '9') || (c >= 'a' && c <= 'f'))) return p + i;
  }
  return p + 4;
}

/* Validates the escape at *pp (on its backslash) and steps over it. */
static int escape(parser *ps, const uchar **pp) {
  const uchar *p = *pp, *e = ps->end;
  if (e - p < 2) return fail(ps, JSON_IN_BAD_JSON, e, "premature end of input");
  switch (p[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
      *pp = p + 2;
      return 0;
    case 'u': break;
    default: return bad_escape(ps, p, p + 1, "invalid escape");
  }
  const uchar *q = non_hex(p + 2, e);
  if (q == e && q < p + 6) return fail(ps, JSON_IN_BAD_JSON, e, "premature end of input");
  if (q < p + 6) return bad_escape(ps, p, q, "invalid \\u escape");
  int u = hex4(p + 2);
  if (u == 0) return fail(ps, JSON_IN_NUL_BYTE, p, "\\u0000 is not allowed");
  if (u >= 0xDC00 && u <= 0xDFFF) return fail(ps, JSON_IN_BAD_JSON, p, "lone UTF-16 low surrogate");
  if (u >= 0xD800 && u <= 0xDBFF) {
    static const char lone[] = "UTF-16 high surrogate without a low one";
    if (p + 6 >= e) return fail(ps, JSON_IN_BAD_JSON, e, "premature end of input");
    if (p[6] != '\\') return bad_escape(ps, p, p + 6, lone);
    if (p + 7 >= e) return fail(ps, JSON_IN_BAD_JSON, e, "premature end of input");
    if (p[7] != 'u') return bad_escape(ps, p, p + 7, lone);
    q = non_hex(p + 8, e);
    if (q == e && q < p + 12) return fail(ps, JSON_IN_BAD_JSON, e, "premature end of input");
    if (q < p + 12) return bad_escape(ps, p + 6, q, "invalid \\u escape");
    int lo = hex4(p + 8);
    if (lo < 0xDC00 || lo > 0xDFFF) return fail(ps, JSON_IN_BAD_JSON, p, lone);
    *pp = p + 12;
    return 0;
  }
  *pp = p + 6;
  return 0;
}

/* p[0] | p[1] << 8 | p[2] << 16 (p[3] readable): one load where it can be. */
static uint32_t load3(const uchar *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t w;
  memcpy(&w, p, 4);
  return w & 0xFFFFFF;
#else
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
#endif
}

/* Validates the string literal at ps->p (on its '"') and steps past it;
 * *esc tells whether it holds escapes (so its raw bytes are not its value). */
static int scan_string(parser *ps, int *esc) {
  const uchar *p = ps->p + 1, *e = ps->end;
  int has_esc = 0;
  for (;;) {
    /* fast path: printable ASCII, and well-formed 3-byte sequences (CJK),
     * which is what posts are made of */
    while (e - p >= 4) {
      uint32_t w = load3(p);
      if ((w & 0xC0C0F0) == 0x8080E0) {
        uint32_t t = w & 0x200F; /* lead's low nibble, bit 5 of the second byte */
        if (t == 0 || t == 0x200D) break; /* E0 80..9F overlong, ED A0..BF surrogate */
        p += 3;
      } else if (str_plain[p[0]]) {
        p++;
      } else {
        break;
      }
    }
    if (p >= e) return fail(ps, JSON_IN_BAD_JSON, e, "premature end of input");
    unsigned c = *p;
    if (str_plain[c]) {
      p++;
      continue;
    }
    if (c == '"') break;
    if (c >= 0x80) {
      size_t n = utf8_len(p, e);
      if (!n) return fail(ps, JSON_IN_BAD_UTF8, p, "invalid UTF-8");
      p += n;
      continue;
    }
    if (c == '\\') {
      has_esc = 1;
      if (escape(ps, &p) < 0) return -1;
      continue;
    }
    if (c == 0) return fail(ps, JSON_IN_NUL_BYTE, p, "NUL byte");
    snprintf(ps->rec->reason_buf, sizeof ps->rec->reason_buf,
             "control character 0x%02x in string", c);
    return fail(ps, JSON_IN_BAD_JSON, p, ps->rec->reason_buf);
  }
  ps->p = p + 1;
  *esc = has_esc;
  return 0;
}

/* Decodes the validated literal body s..e (between the quotes) into out. */
static size_t decode(const uchar *s, const uchar *e, char *out) {
  char *o = out;
  while (s < e) {
    const uchar *bs = memchr(s, '\\', (size_t)(e - s));
    if (!bs) bs = e;
    memcpy(o, s, (size_t)(bs - s));
    o += bs - s;
    s = bs;
    if (s >= e) break;
    char c = (char)s[1];
    s += 2;
    switch (c) {
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'n': *o++ = '\n'; break;
      case 'r': *o++ = '\r'; break;
      case 't': *o++ = '\t'; break;
      case 'u': {
        uint32_t cp = (uint32_t)hex4(s);
        s += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)hex4(s + 2) - 0xDC00);
          s += 6;
        }
        o += util_utf8_put(cp, o);
        break;
      }
      default: *o++ = c; break; /* '"', '\\', '/' */
    }
  }
  return (size_t)(o - out);
}

/* The value of the validated literal lit..lit_end (quotes included) as a
 * NUL-terminated string in the decode buffer; *n gets its length. */
static const char *take_string(parser *ps, const uchar *lit, const uchar *lit_end, int esc,
                               size_t *n) {
  util_buf *d = &ps->st->dec;
  char *o = d->data + d->len;
  size_t body = (size_t)(lit_end - lit) - 2;
  if (d->len + body + 1 > d->cap) return NULL; /* cannot happen: reserved len + 1 */
  size_t k;
  if (esc) k = decode(lit + 1, lit_end - 1, o);
  else {
    memcpy(o, lit + 1, body);
    k = body;
  }
  o[k] = 0;
  d->len += k + 1;
  if (n) *n = k;
  return o;
}

static int scan_number(parser *ps) {
  const uchar *p = ps->p, *e = ps->end;
  if (*p == '-') p++;
  if (p >= e) return fail(ps, JSON_IN_BAD_JSON, p, "premature end of input");
  if (*p == '0') p++;
  else if (*p >= '1' && *p <= '9')
    while (p < e && *p >= '0' && *p <= '9') p++;
  else return fail(ps, JSON_IN_BAD_JSON, p, "invalid number");
  if (p < e && *p == '.') {
    p++;
    if (p >= e || *p < '0' || *p > '9') return fail(ps, JSON_IN_BAD_JSON, p, "invalid number");
    while (p < e && *p >= '0' && *p <= '9') p++;
  }
  if (p < e && (*p | 0x20) == 'e') {
    p++;
    if (p < e && (*p == '+' || *p == '-')) p++;
    if (p >= e || *p < '0' || *p > '9') return fail(ps, JSON_IN_BAD_JSON, p, "invalid number");
    while (p < e && *p >= '0' && *p <= '9') p++;
  }
  ps->p = p;
  return 0;
}

static int scan_literal(parser *ps, const char *word, size_t n) {
  size_t avail = (size_t)(ps->end - ps->p), m = avail < n ? avail : n;
  if (memcmp(ps->p, word, m) != 0) return unexpected(ps, ps->p, "a value");
  if (avail < n) return fail(ps, JSON_IN_BAD_JSON, ps->end, "premature end of input");
  ps->p += n;
  return 0;
}

static int key_cmp(const void *a, const void *b) {
  const jkey *x = a, *y = b;
  if (x->n != y->n) return x->n < y->n ? -1 : 1;
  return memcmp(x->p, y->p, x->n);
}

/* Reads the object key at ps->p and records it among the keys of the object
 * whose keys start at index `first` (pairwise duplicate check while small). */
static int read_key(parser *ps, size_t first, jkey *k) {
  const uchar *lit = ps->p;
  if (lit >= ps->end || *lit != '"') return unexpected(ps, lit, "a string key");
  int esc;
  if (scan_string(ps, &esc) < 0) return -1;
  if (esc) {
    k->p = take_string(ps, lit, ps->p, 1, &k->n);
    if (!k->p) return nomem(ps);
  } else {
    k->p = (const char *)lit + 1;
    k->n = (size_t)(ps->p - lit) - 2;
  }
  util_vec *kv = &ps->st->keys;
  if (kv->len - first < DUP_LINEAR) {
    const jkey *ks = kv->data;
    for (size_t i = first; i < kv->len; i++)
      if (ks[i].n == k->n && memcmp(ks[i].p, k->p, k->n) == 0)
        return fail(ps, JSON_IN_BAD_JSON, lit, "duplicate object key");
  }
  if (kv->len < kv->cap) ((jkey *)kv->data)[kv->len++] = *k;
  else if (util_vec_push(kv, k) < 0) return nomem(ps);
  return 0;
}

/* Closes the object whose keys start at `first`: the full duplicate check for
 * large objects, then the keys leave the stack. */
static int close_keys(parser *ps, size_t first, const uchar *at) {
  util_vec *kv = &ps->st->keys;
  size_t n = kv->len - first;
  if (n > DUP_LINEAR) {
    util_vec *sv = &ps->st->sorted;
    sv->len = 0;
    jkey *t = util_vec_grow(sv, n);
    if (!t) return nomem(ps);
    memcpy(t, (jkey *)kv->data + first, n * sizeof *t);
    qsort(t, n, sizeof *t, key_cmp);
    for (size_t i = 1; i < n; i++)
      if (key_cmp(&t[i - 1], &t[i]) == 0)
        return fail(ps, JSON_IN_BAD_JSON, at, "duplicate object key");
  }
  kv->len = first;
  return 0;
}

static int parse_value(parser *ps, int depth);

static int too_deep(parser *ps) {
  snprintf(ps->rec->reason_buf, sizeof ps->rec->reason_buf, "nesting deeper than %d levels",
           JSON_IN_MAX_DEPTH);
  return fail(ps, JSON_IN_BAD_JSON, ps->p, ps->rec->reason_buf);
}

static int parse_object(parser *ps, int depth) {
  if (depth > JSON_IN_MAX_DEPTH) return too_deep(ps);
  size_t first = ps->st->keys.len;
  ps->p = skip_ws(ps, ps->p + 1);
  if (ps->p < ps->end && *ps->p == '}') {
    ps->p++;
    return 0;
  }
  for (;;) {
    jkey k;
    if (read_key(ps, first, &k) < 0) return -1;
    ps->p = skip_ws(ps, ps->p);
    if (ps->p >= ps->end || *ps->p != ':') return unexpected(ps, ps->p, "':'");
    ps->p = skip_ws(ps, ps->p + 1);
    if (parse_value(ps, depth) < 0) return -1;
    ps->p = skip_ws(ps, ps->p);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p = skip_ws(ps, ps->p + 1);
      continue;
    }
    if (ps->p < ps->end && *ps->p == '}') break;
    return unexpected(ps, ps->p, "',' or '}'");
  }
  const uchar *close = ps->p++;
  return close_keys(ps, first, close);
}

static int parse_array(parser *ps, int depth) {
  if (depth > JSON_IN_MAX_DEPTH) return too_deep(ps);
  ps->p = skip_ws(ps, ps->p + 1);
  if (ps->p < ps->end && *ps->p == ']') {
    ps->p++;
    return 0;
  }
  for (;;) {
    if (parse_value(ps, depth) < 0) return -1;
    ps->p = skip_ws(ps, ps->p);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p = skip_ws(ps, ps->p + 1);
      continue;
    }
    if (ps->p < ps->end && *ps->p == ']') break;
    return unexpected(ps, ps->p, "',' or ']'");
  }
  ps->p++;
  return 0;
}

/* One value at ps->p; depth = containers around it. */
static int parse_value(parser *ps, int depth) {
  if (ps->p >= ps->end) return fail(ps, JSON_IN_BAD_JSON, ps->p, "premature end of input");
  int esc;
  switch (*ps->p) {
    case '{': return parse_object(ps, depth + 1);
    case '[': return parse_array(ps, depth + 1);
    case '"': return scan_string(ps, &esc);
    case 't': return scan_literal(ps, "true", 4);
    case 'f': return scan_literal(ps, "false", 5);
    case 'n': return scan_literal(ps, "null", 4);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number(ps);
    default: return unexpected(ps, ps->p, "a value");
  }
}

/* Copies the valid JSON s[0..n) without insignificant whitespace. */
static int append_compact(util_buf *b, const uchar *s, size_t n) {
  if (util_buf_reserve(b, n)) return -1;
  char *o = b->data + b->len;
  int in_str = 0;
  for (size_t i = 0; i < n; i++) {
    uchar c = s[i];
    if (in_str) {
      *o++ = (char)c;
      if (c == '\\') *o++ = (char)s[++i];
      else if (c == '"') in_str = 0;
    } else if (!is_ws(c)) {
      *o++ = (char)c;
      in_str = c == '"';
    }
  }
  b->len = (size_t)(o - b->data);
  b->data[b->len] = 0;
  return 0;
}

static int append_raw(util_buf *b, const uchar *s, size_t n, int compact) {
  if (compact) return append_compact(b, s, n);
  return util_buf_append(b, s, n) < 0 ? -1 : 0;
}

enum { F_OTHER, F_ID, F_TEXT, F_AUTHOR, F_TIME, F_REPLY_TO, F_KEPT };

static int field_of(const char *k, size_t n) {
  switch (n) {
    case 2: return memcmp(k, "id", 2) ? F_OTHER : F_ID;
    case 3: return memcmp(k, "url", 3) ? F_OTHER : F_KEPT;
    case 4:
      if (!memcmp(k, "text", 4)) return F_TEXT;
      if (!memcmp(k, "time", 4)) return F_TIME;
      return memcmp(k, "lang", 4) ? F_OTHER : F_KEPT;
    case 6:
      if (!memcmp(k, "author", 6)) return F_AUTHOR;
      return memcmp(k, "source", 6) ? F_OTHER : F_KEPT;
    case 8: return memcmp(k, "reply_to", 8) ? F_OTHER : F_REPLY_TO;
  }
  return F_OTHER;
}

/* A validated JSON number as whole seconds, truncated toward zero and
 * clamped to int64 (exact decimal arithmetic: no strtod, no locale). */
static int64_t number_time(const uchar *s, const uchar *e) {
  const uchar *p = s + (*s == '-');
  const uint64_t big = UINT64_C(1000000000000000000); /* 1e18: later digits only scale */
  uint64_t m = 0;
  long scale = 0; /* value = m * 10^scale */
  for (; p < e && *p >= '0' && *p <= '9'; p++) {
    if (m < big) m = m * 10 + (uint64_t)(*p - '0');
    else scale++;
  }
  if (p < e && *p == '.')
    for (p++; p < e && *p >= '0' && *p <= '9'; p++)
      if (m < big) {
        m = m * 10 + (uint64_t)(*p - '0');
        scale--;
      }
  if (p < e && (*p | 0x20) == 'e') {
    int neg_exp = 0;
    p++;
    if (*p == '+' || *p == '-') neg_exp = *p++ == '-';
    long x = 0;
    for (; p < e && *p >= '0' && *p <= '9'; p++)
      if (x < 1000000) x = x * 10 + (*p - '0');
    scale += neg_exp ? -x : x;
  }
  for (; scale < 0 && m; scale++) m /= 10;
  for (; scale > 0 && m; scale--) {
    if (m > (uint64_t)INT64_MAX / 10) return *s == '-' ? INT64_MIN : INT64_MAX;
    m *= 10;
  }
  if (m > (uint64_t)INT64_MAX) return *s == '-' ? INT64_MIN : INT64_MAX;
  return *s == '-' ? -(int64_t)m : (int64_t)m;
}

/* One member value of the record object: validated, then used by field. */
static int record_member(parser *ps, const uchar *key, const uchar *key_end, int field) {
  json_in_rec *rec = ps->rec;
  const uchar *v = ps->p;
  ps->ws = 0;
  int is_str = v < ps->end && *v == '"', esc = 0;
  if (is_str ? scan_string(ps, &esc) : parse_value(ps, 1)) return -1;
  const uchar *ve = ps->p;
  size_t n;
  switch (field) {
    case F_ID:
      if (ps->ws) {
        if (append_compact(&ps->st->id, v, (size_t)(ve - v))) return nomem(ps);
        rec->id = ps->st->id.data;
        rec->id_len = ps->st->id.len;
      } else {
        rec->id = (const char *)v;
        rec->id_len = (size_t)(ve - v);
      }
      if (is_str && !(rec->id_str = take_string(ps, v, ve, esc, NULL))) return nomem(ps);
      break;
    case F_TEXT:
      rec->text_kind = is_str ? JSON_IN_STRING : JSON_IN_OTHER;
      if (!is_str) break;
      if (esc) {
        if (!(rec->text = take_string(ps, v, ve, 1, &n))) return nomem(ps);
        rec->text_len = n;
      } else {
        rec->text = (const char *)v + 1;
        rec->text_len = (size_t)(ve - v) - 2;
      }
      break;
    case F_AUTHOR:
    case F_REPLY_TO: {
      if (!is_str) break;
      const char *str = take_string(ps, v, ve, esc, NULL);
      if (!str) return nomem(ps);
      if (field == F_AUTHOR) rec->author = str;
      else rec->reply_to = str;
      break;
    }
    case F_TIME:
      if (is_str) {
        const char *t = take_string(ps, v, ve, esc, NULL);
        if (!t) return nomem(ps);
        int64_t secs = json_in_iso_time(t);
        rec->time = secs < 0 ? 0 : secs;
      } else if (*v == '-' || (*v >= '0' && *v <= '9')) {
        rec->time = number_time(v, ve);
      }
      break;
    case F_KEPT: break;
    default: {
      util_buf *x = &ps->st->extra;
      if (util_buf_putc(x, x->len ? ',' : '{') || append_raw(x, key, (size_t)(key_end - key), 0) ||
          util_buf_putc(x, ':') || append_raw(x, v, (size_t)(ve - v), ps->ws))
        return nomem(ps);
    }
  }
  return 0;
}

/* The top-level object: like parse_object, plus the fields. */
static int parse_record(parser *ps) {
  ps->p = skip_ws(ps, ps->p + 1);
  if (ps->p < ps->end && *ps->p == '}') {
    ps->p++;
    return 0;
  }
  for (;;) {
    const uchar *key = ps->p;
    jkey k;
    if (read_key(ps, 0, &k) < 0) return -1;
    const uchar *key_end = ps->p;
    ps->p = skip_ws(ps, ps->p);
    if (ps->p >= ps->end || *ps->p != ':') return unexpected(ps, ps->p, "':'");
    ps->p = skip_ws(ps, ps->p + 1);
    if (record_member(ps, key, key_end, field_of(k.p, k.n)) < 0) return -1;
    ps->p = skip_ws(ps, ps->p);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p = skip_ws(ps, ps->p + 1);
      continue;
    }
    if (ps->p < ps->end && *ps->p == '}') break;
    return unexpected(ps, ps->p, "',' or '}'");
  }
  const uchar *close = ps->p++;
  return close_keys(ps, 0, close);
}

int json_in_parse(json_in *st, const char *line, size_t len, json_in_rec *rec) {
  memset(rec, 0, offsetof(json_in_rec, reason_buf));
  rec->reason_buf[0] = 0;
  st->dec.len = st->id.len = st->extra.len = 0; /* each is written before it is read */
  st->keys.len = 0;
  if (st->dec.cap < len + 2 && util_buf_reserve(&st->dec, len + 1) < 0) return NP_ENOMEM;
  parser ps = {(const uchar *)line, (const uchar *)line, (const uchar *)line + len,
               st, rec, 0, NULL, NULL, 0, 0};
  ps.p = skip_ws(&ps, ps.p);
  int is_obj = ps.p < ps.end && *ps.p == '{';
  int rc = is_obj ? parse_record(&ps) : parse_value(&ps, 0);
  if (rc == 0) {
    ps.p = skip_ws(&ps, ps.p);
    if (ps.p < ps.end) rc = unexpected(&ps, ps.p, "the end of the line");
  }
  if (ps.nomem) return NP_ENOMEM;
  if (rc < 0) {
    rec->column = (size_t)(ps.err_at - ps.line) + 1;
    rec->reason = ps.reason;
    return ps.status;
  }
  if (!is_obj) {
    rec->reason = "record is not a JSON object";
    rec->column = 1;
    return JSON_IN_NOT_OBJECT;
  }
  if (st->extra.len) {
    if (util_buf_putc(&st->extra, '}') < 0) return NP_ENOMEM;
    rec->extra = st->extra.data;
    rec->extra_len = st->extra.len;
  }
  return JSON_IN_OK;
}

int json_in_new(const np_allocator *a, json_in **out) {
  json_in *p = util_calloc(a, 1, sizeof *p);
  *out = p;
  if (!p) return NP_ENOMEM;
  p->alloc = a;
  util_buf_init(&p->dec, a, 0);
  util_buf_init(&p->id, a, 0);
  util_buf_init(&p->extra, a, 0);
  util_vec_init(&p->keys, a, sizeof(jkey));
  util_vec_init(&p->sorted, a, sizeof(jkey));
  return NP_OK;
}

void json_in_free(json_in *p) {
  if (!p) return;
  util_buf_free(&p->dec);
  util_buf_free(&p->id);
  util_buf_free(&p->extra);
  util_vec_free(&p->keys);
  util_vec_free(&p->sorted);
  util_free(p->alloc, p);
}

/* ---- ISO-8601 times ---------------------------------------------------- */

/* The permissive sscanf reading (kept for odd forms such as "+0800"). */
static int64_t iso_time_slow(const char *s, int *y, int *mo, int *d, int *h, int *mi, int *sec,
                             int64_t *off) {
  int n = 0;
  if (sscanf(s, "%4d-%2d-%2d%n", y, mo, d, &n) != 3) return -1;
  const char *p = s + n;
  if (*p == 'T' || *p == ' ') {
    int m = 0;
    if (sscanf(p + 1, "%2d:%2d:%2d%n", h, mi, sec, &m) != 3) return -1;
    p += 1 + m;
    if (*p == '.') do p++; while (*p >= '0' && *p <= '9');
  }
  if (*p == '+' || *p == '-') {
    int oh = 0, om = 0;
    if (sscanf(p + 1, "%2d:%2d", &oh, &om) < 1) return -1;
    *off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
  } else if (*p && *p != 'Z') {
    return -1;
  }
  return 0;
}

static int dig(const char *s, int n, int *v) {
  int x = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    x = x * 10 + (s[i] - '0');
  }
  *v = x;
  return 1;
}

/* The common strict forms, read without sscanf; 0 if s is not one of them. */
static int iso_time_fast(const char *s, int *y, int *mo, int *d, int *h, int *mi, int *sec,
                         int64_t *off) {
  if (!dig(s, 4, y) || s[4] != '-' || !dig(s + 5, 2, mo) || s[7] != '-' || !dig(s + 8, 2, d))
    return 0;
  const char *p = s + 10;
  if (*p == 'T' || *p == ' ') {
    if (!dig(p + 1, 2, h) || p[3] != ':' || !dig(p + 4, 2, mi) || p[6] != ':' ||
        !dig(p + 7, 2, sec))
      return 0;
    p += 9;
    if (*p == '.') do p++; while (*p >= '0' && *p <= '9');
  }
  if (*p == 'Z') return p[1] == 0;
  if (*p == '+' || *p == '-') {
    int oh, om;
    if (!dig(p + 1, 2, &oh) || p[3] != ':' || !dig(p + 4, 2, &om) || p[6] != 0) return 0;
    *off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
    return 1;
  }
  return *p == 0;
}

int64_t json_in_iso_time(const char *s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  int64_t off = 0;
  if (!iso_time_fast(s, &y, &mo, &d, &h, &mi, &sec, &off)) {
    h = mi = sec = 0;
    off = 0;
    if (iso_time_slow(s, &y, &mo, &d, &h, &mi, &sec, &off) < 0) return -1;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
  /* days from civil (Howard Hinnant's algorithm): no timegm/TZ dependence */
  int yy = y - (mo <= 2);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = (int64_t)era * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + sec - off;
}
