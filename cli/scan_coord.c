/* scan_coord.c — the coordination stage of `netpatrol scan`: feeds each post
 * (author, time, reply_to, canonical text) to the src/similar/ window in
 * input order, holds each verdict line until its cluster can no longer
 * change, then writes it with "coord" fields and categories added.  Single
 * threaded by design: the order of the calls defines the result, so the
 * per-post work here is kept small: a scan of the record's top-level members
 * (no JSON tree), and nothing more for posts without a time. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/scan_coord.h"
#include "similar/similar.h"

typedef struct held {
  uint64_t seq;
  size_t off, len; /* verdict line in the pool */
  int in_window;   /* 1: added to the window (a verdict, not an error record) */
} held;

struct scan_coord {
  const np_engine *engine;
  np_scratch *scratch;
  similar_coord *win;
  util_vec held;   /* held, in push order */
  size_t head;
  util_buf pool;   /* the held verdict lines, back to back */
  util_buf tmp, text, author, reply, when; /* decoded strings of one record */
  uint64_t n_cluster, n_pileon, n_raised;  /* written verdicts changed by the stage */
};

void scan_coord_opts_init(scan_coord_opts *o) {
  memset(o, 0, sizeof *o);
  o->window_min = 30;
  o->min_accounts = 5;
  o->similarity = 0.6;
  o->pileon_accounts = 5;
}

void scan_coord_usage(FILE *f) {
  fprintf(f,
          "  --coord-window MIN    coordination window in minutes (default 30)\n"
          "  --coord-min-accounts K   distinct accounts that make a cluster (default 5)\n"
          "  --coord-similarity S  Jaccard similarity that links two posts (default 0.6)\n"
          "  --coord-pileon-accounts K  abusive accounts on one target (default 5)\n"
          "  --no-coord            no coordination / pile-on detection\n");
}

int scan_coord_parse_opt(scan_coord_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  if (!strcmp(a, "--no-coord")) { o->disabled = 1; return 1; }
  if (strncmp(a, "--coord-", 8)) return 0;
  if (*i + 1 >= argc) { fprintf(stderr, "netpatrol scan: %s needs a value\n", a); return -1; }
  const char *v = argv[++*i];
  char *end;
  double d = strtod(v, &end);
  if (end == v || *end) d = -1;
  if (!strcmp(a, "--coord-window") && d > 0 && d <= 7 * 24 * 60) o->window_min = d;
  else if (!strcmp(a, "--coord-similarity") && d > 0 && d <= 1) o->similarity = d;
  else if (!strcmp(a, "--coord-min-accounts") && d >= 2 && d <= 1e6 && d == (unsigned)d)
    o->min_accounts = (unsigned)d;
  else if (!strcmp(a, "--coord-pileon-accounts") && d >= 2 && d <= 1e6 && d == (unsigned)d)
    o->pileon_accounts = (unsigned)d;
  else {
    fprintf(stderr, "netpatrol scan: bad value '%s' for %s\n", v, a);
    return -1;
  }
  return 1;
}

scan_coord *scan_coord_new(const np_engine *e, const scan_coord_opts *o) {
  scan_coord_opts def;
  if (!o) { scan_coord_opts_init(&def); o = &def; }
  scan_coord *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->engine = e;
  util_vec_init(&c->held, NULL, sizeof(held));
  util_buf_init(&c->pool, NULL, 0);
  util_buf_init(&c->tmp, NULL, 0);
  util_buf_init(&c->text, NULL, 0);
  util_buf_init(&c->author, NULL, 0);
  util_buf_init(&c->reply, NULL, 0);
  util_buf_init(&c->when, NULL, 0);
  similar_coord_opts so;
  similar_coord_opts_init(&so);
  so.window_s = (int64_t)(o->window_min * 60 + 0.5);
  so.min_accounts = o->min_accounts;
  so.similarity = o->similarity;
  so.pileon_accounts = o->pileon_accounts;
  if ((e && np_scratch_alloc(e, &c->scratch, NULL) < 0) ||
      similar_coord_new(NULL, &so, &c->win, NULL) < 0) {
    scan_coord_free(c);
    return NULL;
  }
  return c;
}

void scan_coord_free(scan_coord *c) {
  if (!c) return;
  util_vec_free(&c->held);
  util_buf_free(&c->pool);
  util_buf_free(&c->tmp);
  util_buf_free(&c->text);
  util_buf_free(&c->author);
  util_buf_free(&c->reply);
  util_buf_free(&c->when);
  similar_coord_free(c->win);
  np_scratch_free(c->scratch);
  free(c);
}

size_t scan_coord_held(const scan_coord *c) { return c->held.len - c->head; }

int scan_coord_add(scan_coord *c, uint64_t seq, const char *author, int64_t time,
                   const char *text, size_t len, const char *reply_to, int is_abusive) {
  return similar_coord_add(c->win, seq, author, time, text, len, reply_to, is_abusive);
}

int scan_coord_ready(const scan_coord *c, uint64_t seq) { return similar_coord_final(c->win, seq); }

void scan_coord_finish(scan_coord *c) { similar_coord_finish(c->win); }

int scan_coord_json(scan_coord *c, uint64_t seq, util_buf *out) {
  similar_coord_info info;
  int flags = 0, rc = 0;
  if (similar_coord_get(c->win, seq, &info) < 0) return 0;
  if (info.member) flags |= SCAN_COORD_CLUSTER;
  if (info.pileon) flags |= SCAN_COORD_PILEON;
  if (flags) {
    rc = util_buf_append(out, ",\"coord\":{", 10);
    if (!rc && info.member)
      rc = util_buf_printf(out, "\"cluster\":%llu,\"accounts\":%u,\"posts\":%u,\"span_s\":%lld",
                           (unsigned long long)info.cluster, info.accounts, info.posts,
                           (long long)info.span_s);
    if (!rc && info.pileon) {
      rc = util_buf_append(out, info.member ? ",\"pileon\":{\"target\":" : "\"pileon\":{\"target\":",
                           info.member ? 20 : 19);
      if (!rc) rc = util_buf_json_str(out, info.target, strlen(info.target));
      if (!rc) rc = util_buf_printf(out, ",\"accounts\":%u}", info.pileon_accounts);
    }
    if (!rc) rc = util_buf_putc(out, '}');
  }
  similar_coord_release(c->win, seq);
  return rc < 0 ? rc : flags;
}

/* ---- a scan of a JSON object's top-level members -----------------------
 * The engine has already validated each record, so this only has to find
 * members, skipping every value without building it.  It gives up (-1) on
 * anything unusual, and the caller then falls back to jansson. */

typedef struct span {
  const char *p;   /* the value as written (a string with its quotes) */
  size_t n;
} span;

static size_t skip_ws(const char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
  return i;
}

/* s[i] == '"': the index just past the closing quote, 0 if there is none. */
static size_t str_end(const char *s, size_t n, size_t i) {
  for (size_t j = i + 1; j < n;) {
    const char *q = memchr(s + j, '"', n - j);
    if (!q) return 0;
    size_t k = (size_t)(q - s), bs = 0;
    while (k - bs > i + 1 && s[k - bs - 1] == '\\') bs++;
    if (bs % 2 == 0) return k + 1;
    j = k + 1;
  }
  return 0;
}

/* The index just past the value at s[i], 0 if it is malformed. */
static size_t value_end(const char *s, size_t n, size_t i) {
  if (i >= n) return 0;
  if (s[i] == '"') return str_end(s, n, i);
  if (s[i] == '{' || s[i] == '[') {
    size_t depth = 0;
    while (i < n) {
      char ch = s[i];
      if (ch == '"') {
        if (!(i = str_end(s, n, i))) return 0;
        continue;
      }
      if (ch == '{' || ch == '[') depth++;
      else if ((ch == '}' || ch == ']') && --depth == 0) return i + 1;
      i++;
    }
    return 0;
  }
  size_t j = i;
  while (j < n && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ' ' && s[j] != '\t' &&
         s[j] != '\r' && s[j] != '\n')
    j++;
  return j > i ? j : 0;
}

/* Finds the members named keys[0..nk) of the object s[0..n) (vals[k].p =
 * NULL when absent); stops early at key stop (NULL: read to the end).
 * 0, or -1 when s is not a plain object this scan can read. */
static int members(const char *s, size_t n, const char *const *keys, size_t nk, span *vals,
                   const char *stop) {
  for (size_t k = 0; k < nk; k++) vals[k].p = NULL;
  size_t i = skip_ws(s, n, 0);
  if (i >= n || s[i] != '{') return -1;
  i = skip_ws(s, n, i + 1);
  if (i < n && s[i] == '}') return 0;
  for (;;) {
    if (i >= n || s[i] != '"') return -1;
    size_t ke = str_end(s, n, i);
    if (!ke) return -1;
    const char *key = s + i + 1;
    size_t kl = ke - i - 2;
    if (memchr(key, '\\', kl)) return -1; /* an escaped key: let jansson decode it */
    i = skip_ws(s, n, ke);
    if (i >= n || s[i] != ':') return -1;
    i = skip_ws(s, n, i + 1);
    size_t ve = value_end(s, n, i);
    if (!ve) return -1;
    for (size_t k = 0; k < nk; k++)
      if (strlen(keys[k]) == kl && !memcmp(keys[k], key, kl)) {
        vals[k].p = s + i;
        vals[k].n = ve - i;
      }
    if (stop && strlen(stop) == kl && !memcmp(stop, key, kl)) return 0;
    i = skip_ws(s, n, ve);
    if (i < n && s[i] == '}') return 0;
    if (i >= n || s[i] != ',') return -1;
    i = skip_ws(s, n, i + 1);
  }
}

static int hexval(char h) {
  if (h >= '0' && h <= '9') return h - '0';
  if (h >= 'a' && h <= 'f') return h - 'a' + 10;
  if (h >= 'A' && h <= 'F') return h - 'A' + 10;
  return -1;
}

static long hex4(const char *p, const char *end) {
  if (end - p < 4) return -1;
  long v = 0;
  for (int i = 0; i < 4; i++) {
    int d = hexval(p[i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/* Decodes the JSON string v (with quotes) into out.  0, -1 for an escape
 * jansson would refuse, or NP_ENOMEM. */
static int decode_str(span v, util_buf *out) {
  util_buf_reset(out);
  const char *p = v.p + 1, *end = v.p + v.n - 1;
  int rc = 0;
  while (p < end && rc == 0) {
    const char *bs = memchr(p, '\\', (size_t)(end - p));
    if (!bs) return util_buf_append(out, p, (size_t)(end - p));
    rc = util_buf_append(out, p, (size_t)(bs - p));
    if (rc || bs + 1 >= end) return rc ? rc : -1;
    char e = bs[1], ch = 0;
    p = bs + 2;
    switch (e) {
      case '"': case '\\': case '/': ch = e; break;
      case 'b': ch = '\b'; break;
      case 'f': ch = '\f'; break;
      case 'n': ch = '\n'; break;
      case 'r': ch = '\r'; break;
      case 't': ch = '\t'; break;
      case 'u': {
        long cp = hex4(p, end);
        if (cp < 0) return -1;
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) { /* a surrogate pair */
          long lo = p + 1 < end && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2, end) : -1;
          if (lo < 0xDC00 || lo > 0xDFFF) return -1;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          p += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return -1;
        }
        char u[4];
        rc = util_buf_append(out, u, util_utf8_put((uint32_t)cp, u));
        continue;
      }
      default: return -1;
    }
    rc = util_buf_putc(out, ch);
  }
  return rc;
}

/* Seconds since the epoch from an ISO 8601 / "YYYY-MM-DD HH:MM:SS" string
 * (UTC unless an offset is given) or a string of digits; 0 if unreadable. */
static int64_t time_of_string(const char *s) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  char sep = 0, tz[8] = "";
  int n = sscanf(s, "%d-%d-%d%c%d:%d:%d%7s", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &sep,
                 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, tz);
  if (n < 3) {
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end ? 0 : (int64_t)v;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  int64_t v = (int64_t)timegm(&tm);
  int hh, mm;
  if ((tz[0] == '+' || tz[0] == '-') && sscanf(tz + 1, "%2d:%2d", &hh, &mm) == 2)
    v -= (tz[0] == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
  return v;
}

/* A time from a jansson value: a number or a string; 0 if absent/unreadable. */
static int64_t read_time(json_t *t) {
  if (json_is_integer(t)) return (int64_t)json_integer_value(t);
  if (json_is_real(t)) return (int64_t)json_real_value(t);
  const char *s = json_string_value(t);
  return s ? time_of_string(s) : 0;
}

/* The same from a raw member value; -1 in *ok when jansson should decide. */
static int64_t span_time(scan_coord *c, span v, int *ok) {
  *ok = 1;
  if (!v.p) return 0;
  char first = v.p[0];
  if (first == '"') {
    if (decode_str(v, &c->when) != 0) { *ok = 0; return 0; }
    if (!c->when.data || memchr(c->when.data, 0, c->when.len)) return 0;
    return time_of_string(c->when.data);
  }
  if (first != '-' && (first < '0' || first > '9')) return 0; /* null, true, {…}: no time */
  char num[40];
  if (v.n >= sizeof num) { *ok = 0; return 0; }
  memcpy(num, v.p, v.n);
  num[v.n] = 0;
  errno = 0;
  char *end;
  if (strpbrk(num, ".eE")) {
    double d = strtod(num, &end);
    if (*end || !(d > -9.2e18 && d < 9.2e18)) { *ok = 0; return 0; }
    return (int64_t)d;
  }
  long long x = strtoll(num, &end, 10);
  if (*end || errno) { *ok = 0; return 0; }
  return (int64_t)x;
}

/* 1 if the verdict's "categories" hold a harassment.* one. */
static int verdict_abusive(const char *v, size_t n) {
  static const char *const keys[] = {"categories"};
  span cats;
  if (members(v, n, keys, 1, &cats, "categories") < 0 || !cats.p) return 0;
  static const char pre[] = "\"harassment.";
  for (size_t i = 0; i + sizeof pre - 1 <= cats.n; i++)
    if (cats.p[i] == '"' && !memcmp(cats.p + i, pre, sizeof pre - 1)) return 1;
  return 0;
}

/* Adds the post to the window; *added = 1 when it went in. */
static int add_post(scan_coord *c, uint64_t seq, int64_t t, const char *text, size_t tl,
                    const char *author, const char *reply, const char *verdict, size_t vlen,
                    int *added) {
  const char *canon = text;
  size_t cl = tl;
  if (c->scratch && np_normalize(c->engine, c->scratch, text, tl, &canon, &cl, NULL) < 0) {
    canon = text;
    cl = tl;
  }
  int rc = similar_coord_add(c->win, seq, author, t, canon, cl, reply, verdict_abusive(verdict, vlen));
  *added = rc == 0;
  return rc == NP_EINVAL ? 0 : rc; /* out-of-order seq: pass through unclustered */
}

/* The slow path for records the member scan cannot read (escaped keys, odd
 * numbers): the whole line through jansson, as the first version did. */
static int push_jansson(scan_coord *c, uint64_t seq, const char *line, size_t len,
                        const char *verdict, size_t vlen, int *added) {
  json_t *j = json_loadb(line, len, 0, NULL);
  int rc = 0;
  if (json_is_object(j)) {
    json_t *text = json_object_get(j, "text");
    int64_t t = read_time(json_object_get(j, "time"));
    if (json_is_string(text) && t != 0)
      rc = add_post(c, seq, t, json_string_value(text), json_string_length(text),
                    json_string_value(json_object_get(j, "author")),
                    json_string_value(json_object_get(j, "reply_to")), verdict, vlen, added);
  }
  json_decref(j);
  return rc;
}

/* Reads what the window needs from the input record and adds the post.
 * Posts without a time are never clustered, so they cost one member scan. */
static int push_record(scan_coord *c, uint64_t seq, const char *line, size_t len,
                       const char *verdict, size_t vlen, int *added) {
  static const char *const keys[] = {"time", "text", "author", "reply_to"};
  span v[4];
  *added = 0;
  if (!len) return 0;
  if (members(line, len, keys, 4, v, NULL) < 0)
    return push_jansson(c, seq, line, len, verdict, vlen, added);
  int ok;
  int64_t t = span_time(c, v[0], &ok);
  if (!ok) return push_jansson(c, seq, line, len, verdict, vlen, added);
  if (t == 0 || !v[1].p || v[1].p[0] != '"') return 0; /* no time, or no text */
  const char *str[3] = {NULL, NULL, NULL};
  util_buf *buf[3] = {&c->text, &c->author, &c->reply};
  for (int k = 0; k < 3; k++) {
    if (!v[k + 1].p || v[k + 1].p[0] != '"') continue; /* absent or not a string */
    int rc = decode_str(v[k + 1], buf[k]);
    if (rc == NP_ENOMEM) return rc;
    if (rc < 0) return push_jansson(c, seq, line, len, verdict, vlen, added);
    str[k] = buf[k]->data ? buf[k]->data : "";
  }
  return add_post(c, seq, t, str[0], c->text.len, str[1], str[2], verdict, vlen, added);
}

/* 1 if the record contains the key "time" anywhere (a cheap, conservative test). */
static int mentions_time(const char *s, size_t n) {
  const char *end = s + n;
  while (n >= 6 && (s = memchr(s, '"', (size_t)(end - s))) != NULL && end - s >= 6) {
    if (!memcmp(s, "\"time\"", 6)) return 1;
    s++;
  }
  return 0;
}

int scan_coord_push(scan_coord *c, uint64_t seq, const char *line, size_t len,
                    const char *verdict, size_t vlen) {
  held h = {seq, c->pool.len, vlen, 0};
  int rc = 0;
  /* Error records ({"line":…,"error":…}) and unreadable input pass through, and
   * so does a post without "time": it can never join a cluster or a pile-on
   * (most streams have none), so its record is not read at all. */
  if ((vlen < 8 || memcmp(verdict, "{\"line\":", 8)) && mentions_time(line, len))
    rc = push_record(c, seq, line, len, verdict, vlen, &h.in_window);
  if (rc == 0) rc = util_buf_append(&c->pool, verdict, vlen);
  if (rc == 0) rc = util_vec_push(&c->held, &h);
  return rc;
}

/* Writes one held verdict with the coordination fields spliced in. */
/* Weight a coordination result adds to the score (a medium-severity hit), so a
 * member raised to review also reaches the default clue threshold. */
#define COORD_WEIGHT 0.5

static int emit(scan_coord *c, held *h, util_buf *out) {
  const char *s = c->pool.data + h->off;
  if (!h->in_window) return util_buf_append(out, s, h->len);
  util_buf_reset(&c->tmp);
  int flags = scan_coord_json(c, h->seq, &c->tmp);
  if (flags <= 0) return flags < 0 ? flags : util_buf_append(out, s, h->len);
  const char *end = s + h->len;
  while (end > s && (end[-1] == '\n' || end[-1] == '}')) { if (*--end == '}') break; }
  static const char *const keys[] = {"action", "score", "categories"};
  span v[3];
  if (members(s, (size_t)(end - s) + 1, keys, 3, v, "categories") < 0 || !v[2].p ||
      v[2].p[0] != '[' || !v[1].p || (v[0].p && v[0].p > v[2].p) || v[1].p > v[2].p)
    return util_buf_append(out, s, h->len);
  const char *cats = v[2].p + 1;
  int pass = v[0].p && v[0].n == 6 && !memcmp(v[0].p, "\"pass\"", 6);
  char score_txt[32];
  double old = strtod(v[1].p, NULL);
  snprintf(score_txt, sizeof score_txt, "%.4g", 1.0 - (1.0 - old) * (1.0 - COORD_WEIGHT));
  c->n_cluster += (flags & SCAN_COORD_CLUSTER) != 0;
  c->n_pileon += (flags & SCAN_COORD_PILEON) != 0;
  c->n_raised += pass;
  /* everything before the categories, with pass raised to review and the
   * score combined with the coordination weight (values in written order) */
  const span *first_v = v[0].p && v[0].p < v[1].p ? &v[0] : &v[1];
  const span *second_v = first_v == &v[0] ? &v[1] : &v[0];
  const char *at = s;
  int rc = 0;
  for (int k = 0; k < 2 && !rc; k++) {
    const span *x = k == 0 ? first_v : second_v;
    if (!x->p) continue;
    rc = util_buf_append(out, at, (size_t)(x->p - at));
    if (rc) break;
    if (x == &v[1]) rc = util_buf_append(out, score_txt, strlen(score_txt));
    else rc = util_buf_append(out, pass ? "\"review\"" : x->p, pass ? 8 : x->n);
    at = x->p + x->n;
  }
  if (!rc) rc = util_buf_append(out, at, (size_t)(cats - at));
  const char *first = cats;
  while (first < end && (*first == ' ' || *first == '\t' || *first == '\r' || *first == '\n')) first++;
  int empty = first < end && *first == ']';
  if (!rc && (flags & SCAN_COORD_CLUSTER))
    rc = util_buf_printf(out, "\"%s\"%s", SCAN_COORD_CAT_CLUSTER,
                         (flags & SCAN_COORD_PILEON) || !empty ? "," : "");
  if (!rc && (flags & SCAN_COORD_PILEON))
    rc = util_buf_printf(out, "\"%s\"%s", SCAN_COORD_CAT_PILEON, !empty ? "," : "");
  if (!rc) rc = util_buf_append(out, cats, (size_t)(end - cats));
  if (!rc) rc = util_buf_append(out, c->tmp.data, c->tmp.len);
  if (!rc) rc = util_buf_append(out, end, (size_t)(s + h->len - end));
  return rc;
}

int scan_coord_drain(scan_coord *c, util_buf *out, int at_end) {
  if (at_end) similar_coord_finish(c->win);
  held *h = c->held.data;
  int rc = 0;
  while (c->head < c->held.len && rc == 0) {
    held *x = &h[c->head];
    if (x->in_window && !similar_coord_final(c->win, x->seq)) break;
    rc = emit(c, x, out);
    c->head++;
  }
  if (c->head == c->held.len) {
    c->held.len = c->head = 0;
    util_buf_reset(&c->pool);
  } else if (c->head > 4096 && c->head * 2 > c->held.len) {
    size_t shift = h[c->head].off;
    memmove(c->pool.data, c->pool.data + shift, c->pool.len - shift);
    c->pool.len -= shift;
    c->pool.data[c->pool.len] = 0;
    for (size_t i = c->head; i < c->held.len; i++) h[i].off -= shift;
    memmove(h, h + c->head, (c->held.len - c->head) * sizeof *h);
    c->held.len -= c->head;
    c->head = 0;
  }
  return rc;
}

void scan_coord_counts(const scan_coord *c, uint64_t *cluster, uint64_t *pileon,
                       uint64_t *raised) {
  *cluster = c->n_cluster;
  *pileon = c->n_pileon;
  *raised = c->n_raised;
}

void scan_coord_summary(const scan_coord *c, FILE *f) {
  similar_coord_stats st;
  similar_coord_get_stats(c->win, &st);
  fprintf(f, "coord: %zu clusters flagged; window peak %zu posts, %zu bytes (%.0f bytes/post)\n",
          st.clusters_flagged, st.peak_posts, st.peak_bytes,
          st.peak_posts ? (double)st.peak_bytes / (double)st.peak_posts : 0.0);
}
