/* scan_coord.c — the coordination stage of `netpatrol scan`: feeds each post
 * (author, time, reply_to, canonical text) to the src/similar/ window in
 * input order, holds each verdict line until its cluster can no longer
 * change, then writes it with "coord" fields and categories added.  Single
 * threaded by design: the order of the calls defines the result. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/scan_coord.h"
#include "similar/similar.h"

typedef struct held {
  uint64_t seq;
  char *json;      /* verdict line (owned) */
  size_t len;
  int in_window;   /* 1: added to the window (a verdict, not an error record) */
} held;

struct scan_coord {
  const np_engine *engine;
  np_scratch *scratch;
  similar_coord *win;
  util_vec held;   /* held, in push order */
  size_t head;
  util_buf tmp;
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
  util_buf_init(&c->tmp, NULL, 0);
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
  held *h = c->held.data;
  for (size_t i = c->head; i < c->held.len; i++) free(h[i].json);
  util_vec_free(&c->held);
  util_buf_free(&c->tmp);
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

/* Seconds since the epoch from a number or an ISO 8601 / "YYYY-MM-DD HH:MM:SS"
 * string (UTC unless an offset is given); 0 if absent or unreadable. */
static int64_t read_time(json_t *t) {
  if (json_is_integer(t)) return (int64_t)json_integer_value(t);
  if (json_is_real(t)) return (int64_t)json_real_value(t);
  const char *s = json_string_value(t);
  if (!s) return 0;
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

int scan_coord_push(scan_coord *c, uint64_t seq, const char *line, size_t len,
                    const char *verdict, size_t vlen) {
  held h = {seq, malloc(vlen + 1), vlen, 0};
  if (!h.json) return NP_ENOMEM;
  memcpy(h.json, verdict, vlen);
  h.json[vlen] = 0;
  int rc = 0;
  /* Error records ({"line":…,"error":…}) and unreadable input pass through. */
  json_t *j = strncmp(verdict, "{\"line\":", 8) ? json_loadb(line, len, 0, NULL) : NULL;
  if (json_is_object(j)) {
    const char *text = json_string_value(json_object_get(j, "text"));
    size_t tl = json_string_length(json_object_get(j, "text"));
    const char *author = json_string_value(json_object_get(j, "author"));
    const char *reply = json_string_value(json_object_get(j, "reply_to"));
    int64_t t = read_time(json_object_get(j, "time"));
    const char *cats = strstr(verdict, "\"categories\":[");
    const char *hits = cats ? strstr(cats, "],") : NULL;
    const char *harass = cats ? strstr(cats, "\"harassment.") : NULL;
    int abusive = harass && hits && harass < hits;
    const char *canon = text;
    size_t cl = tl;
    if (text && c->scratch && np_normalize(c->engine, c->scratch, text, tl, &canon, &cl, NULL) < 0) {
      canon = text;
      cl = tl;
    }
    if (text) {
      rc = similar_coord_add(c->win, seq, author, t, canon, cl, reply, abusive);
      h.in_window = rc == 0;
      if (rc == NP_EINVAL) rc = 0; /* out-of-order seq: pass through unclustered */
    }
  }
  json_decref(j);
  if (rc == 0) rc = util_vec_push(&c->held, &h);
  if (rc < 0) free(h.json);
  return rc;
}

/* Writes one held verdict with the coordination fields spliced in. */
static int emit(scan_coord *c, held *h, util_buf *out) {
  if (!h->in_window) return util_buf_append(out, h->json, h->len);
  util_buf_reset(&c->tmp);
  int flags = scan_coord_json(c, h->seq, &c->tmp);
  if (flags <= 0) return flags < 0 ? flags : util_buf_append(out, h->json, h->len);
  const char *s = h->json, *end = s + h->len;
  while (end > s && (end[-1] == '\n' || end[-1] == '}')) { if (*--end == '}') break; }
  const char *cats = strstr(s, "\"categories\":[");
  const char *pass = strstr(s, "\"action\":\"pass\"");
  if (!cats || end <= cats) return util_buf_append(out, h->json, h->len);
  cats += 14;
  int rc = 0;
  /* everything before the categories, with pass raised to review */
  if (pass && pass < cats) {
    rc = util_buf_append(out, s, (size_t)(pass - s));
    if (!rc) rc = util_buf_append(out, "\"action\":\"review\"", 17);
    if (!rc) rc = util_buf_append(out, pass + 15, (size_t)(cats - (pass + 15)));
  } else {
    rc = util_buf_append(out, s, (size_t)(cats - s));
  }
  int empty = *cats == ']';
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
    free(x->json);
    x->json = NULL;
    c->head++;
  }
  if (c->head == c->held.len) c->held.len = c->head = 0;
  else if (c->head > 4096 && c->head * 2 > c->held.len) {
    memmove(h, h + c->head, (c->held.len - c->head) * sizeof *h);
    c->held.len -= c->head;
    c->head = 0;
  }
  return rc;
}

void scan_coord_summary(const scan_coord *c, FILE *f) {
  similar_coord_stats st;
  similar_coord_get_stats(c->win, &st);
  fprintf(f, "coord: %zu clusters flagged; window peak %zu posts, %zu bytes (%.0f bytes/post)\n",
          st.clusters_flagged, st.peak_posts, st.peak_bytes,
          st.peak_posts ? (double)st.peak_bytes / (double)st.peak_posts : 0.0);
}
