/* json_io.c — JSON Lines in and out (DESIGN §4): decodes one post record
 * (json_in.c), scans it, and writes its verdict — or, for a bad record, an
 * error record naming the line, so nothing is ever dropped silently.  The
 * writer appends straight into the scratch's buffer: no printf per post. */
#include <stdio.h>
#include <string.h>
#include "engine/engine_int.h"
#include "engine/json_in.h"

/* "%.4g" texts of recent scores: verdict scores come from a handful of
 * severity products, so formatting each distinct one once is enough. */
typedef struct score_memo {
  uint64_t bits;
  uint8_t len; /* 0: empty */
  char txt[23];
} score_memo;

/* Per-scratch state of this file (np_scratch.json), made on first use. */
typedef struct json_io {
  json_in *in;
  score_memo memo[16];
  np_error serr; /* scan errors that become error records (kept: 780 bytes to clear per post) */
} json_io;

void engine_json_scratch_free(np_scratch *s) {
  json_io *io = s->json;
  if (!io) return;
  json_in_free(io->in);
  util_free(s->alloc, io);
  s->json = NULL;
}

static json_io *io_get(np_scratch *s) {
  if (s->json) return s->json;
  json_io *io = util_calloc(s->alloc, 1, sizeof *io);
  if (!io) return NULL;
  if (json_in_new(s->alloc, &io->in) < 0) {
    util_free(s->alloc, io);
    return NULL;
  }
  s->json = io;
  return io;
}

/* ---- writing ----------------------------------------------------------- */

static int put_slow(util_buf *b, const char *p, size_t n) {
  int rc = util_buf_reserve(b, n);
  if (rc) return rc;
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = 0;
  return NP_OK;
}

static inline int put(util_buf *b, const char *p, size_t n) {
  if (b->cap - b->len <= n) return put_slow(b, p, n);
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = 0;
  return NP_OK;
}
#define PUT(b, lit) put((b), (lit), sizeof(lit) - 1)

static int put_c(util_buf *b, char c) { return put(b, &c, 1); }

static int put_u64(util_buf *b, uint64_t v) {
  char tmp[20], *e = tmp + sizeof tmp, *p = e;
  do *--p = (char)('0' + v % 10);
  while (v /= 10);
  return put(b, p, (size_t)(e - p));
}

/* 1 for the bytes a JSON string literal must escape. */
static const uint8_t needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1};

/* s as a JSON string literal, escaped like util_buf_json_str. */
static int put_str(util_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  if (b->cap - b->len <= 6 * n + 2) {
    int rc = util_buf_reserve(b, 6 * n + 2);
    if (rc) return rc;
  }
  char *o = b->data + b->len;
  *o++ = '"';
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!needs_escape[c]) continue;
    memcpy(o, s + run, i - run);
    o += i - run;
    run = i + 1;
    *o++ = '\\';
    switch (c) {
      case '"': *o++ = '"'; break;
      case '\\': *o++ = '\\'; break;
      case '\n': *o++ = 'n'; break;
      case '\r': *o++ = 'r'; break;
      case '\t': *o++ = 't'; break;
      default:
        *o++ = 'u'; *o++ = '0'; *o++ = '0';
        *o++ = hex[c >> 4]; *o++ = hex[c & 15];
    }
  }
  memcpy(o, s + run, n - run);
  o += n - run;
  *o++ = '"';
  *o = 0;
  b->len = (size_t)(o - b->data);
  return NP_OK;
}

static int put_cstr(util_buf *b, const char *s) { return put_str(b, s, strlen(s)); }

/* The score as "%.4g" writes it. */
static int put_score(json_io *io, util_buf *b, double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  if (bits == 0) return PUT(b, "0");
  char tmp[32];
  score_memo *m = NULL;
  if (io) {
    m = &io->memo[((bits ^ (bits >> 29)) * UINT64_C(0x9E3779B97F4A7C15)) >> 60];
    if (m->len && m->bits == bits) return put(b, m->txt, m->len);
  }
  int n = snprintf(tmp, sizeof tmp, "%.4g", x);
  if (n < 0 || (size_t)n >= sizeof m->txt) return NP_EINTERNAL;
  if (m) {
    m->bits = bits;
    m->len = (uint8_t)n;
    memcpy(m->txt, tmp, (size_t)n);
  }
  return put(b, tmp, (size_t)n);
}

static const char *action_name(np_action a) {
  return a == NP_ACTION_BLOCK ? "block" : a == NP_ACTION_REVIEW ? "review" : "pass";
}

static const char *severity_name(np_severity s) {
  switch (s) {
    case NP_SEVERITY_LOW: return "low";
    case NP_SEVERITY_MEDIUM: return "medium";
    case NP_SEVERITY_HIGH: return "high";
    case NP_SEVERITY_CRITICAL: return "critical";
  }
  return "medium";
}

static int put_name(util_buf *b, const char *s) { return put(b, s, strlen(s)); }

static int write_error(util_buf *out, uint64_t line_no, const char *id, size_t id_len,
                       const char *code, const char *msg) {
  int rc = PUT(out, "{\"line\":");
  if (!rc) rc = put_u64(out, line_no);
  if (!rc && id) {
    rc = PUT(out, ",\"id\":");
    if (!rc) rc = put(out, id, id_len);
  }
  if (!rc) rc = PUT(out, ",\"error\":{\"code\":\"");
  if (!rc) rc = put_name(out, code);
  if (!rc) rc = PUT(out, "\",\"message\":");
  if (!rc) rc = put_cstr(out, msg);
  if (!rc) rc = PUT(out, "}}\n");
  return rc;
}

static int write_span(util_buf *out, const np_scratch *s, const np_span *sp) {
  int rc = PUT(out, "{\"s\":");
  if (!rc) rc = put_cstr(out, sp->name);
  if (!rc && sp->term) {
    rc = PUT(out, ",\"term\":");
    if (!rc) rc = put_cstr(out, sp->term);
  }
  if (!rc) rc = PUT(out, ",\"start\":");
  if (!rc) rc = put_u64(out, sp->start);
  if (!rc) rc = PUT(out, ",\"end\":");
  if (!rc) rc = put_u64(out, sp->end);
  if (!rc) rc = PUT(out, ",\"text\":");
  if (!rc) rc = put_str(out, s->post.text + sp->start, sp->end - sp->start);
  if (!rc) rc = put_c(out, '}');
  return rc;
}

int engine_verdict_json(const np_engine *e, np_scratch *s, const char *id_json, size_t id_len,
                        const char *extra_json, size_t extra_len, util_buf *out) {
  const np_verdict *v = &s->verdict;
  int rc = put_c(out, '{');
  if (!rc && id_json) {
    rc = PUT(out, "\"id\":");
    if (!rc) rc = put(out, id_json, id_len);
    if (!rc) rc = put_c(out, ',');
  }
  if (!rc && v->n_hits == 0 && v->action == NP_ACTION_PASS && v->score == 0) {
    /* the common case, in one piece */
    rc = PUT(out, "\"action\":\"pass\",\"score\":0,\"categories\":[],\"hits\":[]");
    goto stages;
  }
  if (!rc) rc = PUT(out, "\"action\":\"");
  if (!rc) rc = put_name(out, action_name(v->action));
  if (!rc) rc = PUT(out, "\",\"score\":");
  if (!rc) rc = put_score(s->json, out, v->score);
  if (!rc) rc = PUT(out, ",\"categories\":[");
  for (size_t i = 0; !rc && i < v->n_hits; i++) {
    int seen = 0;
    for (size_t j = 0; j < i; j++) seen |= strcmp(v->hits[j].category, v->hits[i].category) == 0;
    if (seen) continue;
    if (out->data[out->len - 1] != '[') rc = put_c(out, ',');
    if (!rc) rc = put_cstr(out, v->hits[i].category);
  }
  if (!rc) rc = PUT(out, "],\"hits\":[");
  for (size_t i = 0; !rc && i < v->n_hits; i++) {
    const np_hit *h = &v->hits[i];
    if (i) rc = put_c(out, ',');
    if (!rc) rc = PUT(out, "{\"rule\":");
    if (!rc) rc = put_cstr(out, h->rule);
    if (!rc) rc = PUT(out, ",\"category\":");
    if (!rc) rc = put_cstr(out, h->category);
    if (!rc) rc = PUT(out, ",\"severity\":\"");
    if (!rc) rc = put_name(out, severity_name(h->severity));
    if (!rc) rc = PUT(out, "\",\"action\":\"");
    if (!rc) rc = put_name(out, action_name(h->action));
    if (!rc) rc = PUT(out, "\",\"matches\":[");
    for (size_t k = 0; !rc && k < h->n_spans; k++) {
      if (k) rc = put_c(out, ',');
      if (!rc) rc = write_span(out, s, &h->spans[k]);
    }
    if (!rc) rc = PUT(out, "]}");
  }
  if (!rc) rc = put_c(out, ']');
stages:
  if (!rc) rc = engine_detect_json(e, s, out);
  if (!rc) rc = engine_similar_json(e, s, out);
  if (!rc && extra_json) {
    rc = PUT(out, ",\"extra\":");
    if (!rc) rc = put(out, extra_json, extra_len);
  }
  if (!rc) rc = PUT(out, "}\n");
  return rc;
}

/* ---- reading ----------------------------------------------------------- */

static const char *status_code(int st) {
  switch (st) {
    case JSON_IN_BAD_UTF8: return "bad_utf8";
    case JSON_IN_NUL_BYTE: return "nul_byte";
    case JSON_IN_NOT_OBJECT: return "not_object";
    default: return "bad_json";
  }
}

static int scan_record(const np_engine *e, np_scratch *s, const json_in_rec *rec,
                       uint64_t line_no, int *is_error, np_error *err) {
  util_buf *out = &s->out;
  if (rec->text_kind != JSON_IN_STRING) {
    *is_error = 1;
    int absent = rec->text_kind == JSON_IN_ABSENT;
    return write_error(out, line_no, rec->id, rec->id_len,
                       absent ? "missing_text" : "text_not_string",
                       absent ? "record has no \"text\" field" : "field \"text\" must be a string");
  }
  np_post post = {rec->id_str, rec->text, rec->text_len, rec->author, rec->time, rec->reply_to};
  np_error *serr = &((json_io *)s->json)->serr;
  serr->code = 0;
  serr->message[0] = 0;
  int rc = engine_scan_post(e, s, &post, serr);
  if (rc == NP_ENOMEM) {
    if (err) *err = *serr;
    return rc;
  }
  if (rc < 0) {
    *is_error = 1;
    return write_error(out, line_no, rec->id, rec->id_len,
                       rc == NP_ETOOBIG ? "too_big" : "scan_failed", serr->message);
  }
  rc = engine_verdict_json(e, s, rec->id, rec->id_len, rec->extra, rec->extra_len, out);
  s->verdict_ok = rc == NP_OK;
  return rc;
}

NP_API int np_scan_json(const np_engine *e, np_scratch *s, const char *line, size_t len,
                        uint64_t line_no, const char **json_out, size_t *json_len, int *is_error,
                        np_error *err) {
  int rc = NP_OK;
  util_buf *out = &s->out;
  util_buf_reset(out);
  *is_error = 0;
  s->verdict_ok = 0;
  while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
  json_io *io = NULL;
  if (len > e->cfg.max_line_bytes) {
    *is_error = 1;
    char msg[160];
    snprintf(msg, sizeof msg, "line is %zu bytes, over the limit of %zu (--max-line-bytes)", len,
             e->cfg.max_line_bytes);
    rc = write_error(out, line_no, NULL, 0, "too_big", msg);
  } else if (!(io = io_get(s))) {
    rc = NP_ENOMEM;
  } else {
    json_in_rec rec;
    int st = json_in_parse(io->in, line, len, &rec);
    if (st < 0) {
      rc = st;
    } else if (st != JSON_IN_OK) {
      /* a raw NUL anywhere wins, as it always has (it makes the line invalid) */
      const char *nul = memchr(line, 0, len);
      char msg[160];
      *is_error = 1;
      if (nul) {
        snprintf(msg, sizeof msg, "NUL byte at column %zu", (size_t)(nul - line) + 1);
        rc = write_error(out, line_no, NULL, 0, "nul_byte", msg);
      } else if (st == JSON_IN_NOT_OBJECT) {
        rc = write_error(out, line_no, NULL, 0, "not_object", rec.reason);
      } else {
        snprintf(msg, sizeof msg, "column %zu: %s", rec.column, rec.reason);
        rc = write_error(out, line_no, NULL, 0, status_code(st), msg);
      }
    } else {
      rc = scan_record(e, s, &rec, line_no, is_error, err);
    }
  }
  if (rc == NP_ENOMEM && (!err || err->code != NP_ENOMEM))
    util_err(err, rc, "out of memory writing a verdict");
  *json_out = out->data ? out->data : "";
  *json_len = out->len;
  return rc == NP_ETOOBIG ? NP_ENOMEM : rc;
}

NP_API const np_verdict *np_scratch_verdict(const np_scratch *s) {
  return s && s->verdict_ok ? &s->verdict : NULL;
}

NP_API const char *np_rule_keyword(size_t i) {
  for (size_t k = 0; rules_keywords[k]; k++)
    if (k == i) return rules_keywords[k];
  return NULL;
}
