/* json_io.c — JSON Lines in and out (DESIGN §4): decodes one post record,
 * scans it, and writes its verdict — or, for a bad record, an error record
 * naming the line, so nothing is ever dropped silently. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "engine/engine_int.h"

static const char *const known_fields[] = {"id", "text", "author", "source", "time",
                                           "url", "reply_to", "lang", NULL};

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

/* "2026-11-01T08:00:00Z" / "+08:00" / "2026-11-01 08:00:00" → seconds; -1 if not a time. */
static int64_t parse_iso_time(const char *s) {
  int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
  if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3) return -1;
  const char *p = s + n;
  if (*p == 'T' || *p == ' ') {
    int m = 0;
    if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &m) != 3) return -1;
    p += 1 + m;
    if (*p == '.') do p++; while (*p >= '0' && *p <= '9');
  }
  int64_t off = 0;
  if (*p == '+' || *p == '-') {
    int oh = 0, om = 0;
    if (sscanf(p + 1, "%2d:%2d", &oh, &om) < 1) return -1;
    off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
  } else if (*p && *p != 'Z') {
    return -1;
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

static int write_error(util_buf *out, uint64_t line_no, const char *id_json, const char *code,
                       const char *msg) {
  int rc = util_buf_printf(out, "{\"line\":%llu", (unsigned long long)line_no);
  if (!rc && id_json) rc = util_buf_printf(out, ",\"id\":%s", id_json);
  if (!rc) rc = util_buf_printf(out, ",\"error\":{\"code\":\"%s\",\"message\":", code);
  if (!rc) rc = util_buf_json_str(out, msg, strlen(msg));
  if (!rc) rc = util_buf_append(out, "}}\n", 3);
  return rc;
}

static int is_known(const char *key) {
  for (size_t i = 0; known_fields[i]; i++)
    if (strcmp(key, known_fields[i]) == 0) return 1;
  return 0;
}

int engine_verdict_json(const np_engine *e, np_scratch *s, const char *id_json, size_t id_len,
                        const char *extra_json, size_t extra_len, util_buf *out) {
  const np_verdict *v = &s->verdict;
  int rc = util_buf_putc(out, '{');
  if (!rc && id_json) {
    rc = util_buf_append(out, "\"id\":", 5);
    if (!rc) rc = util_buf_append(out, id_json, id_len);
    if (!rc) rc = util_buf_putc(out, ',');
  }
  if (!rc) rc = util_buf_printf(out, "\"action\":\"%s\",\"score\":%.4g,\"categories\":[",
                                action_name(v->action), v->score);
  for (size_t i = 0; !rc && i < v->n_hits; i++) {
    int seen = 0;
    for (size_t j = 0; j < i; j++) seen |= strcmp(v->hits[j].category, v->hits[i].category) == 0;
    if (seen) continue;
    if (out->data[out->len - 1] != '[') rc = util_buf_putc(out, ',');
    if (!rc) rc = util_buf_json_str(out, v->hits[i].category, strlen(v->hits[i].category));
  }
  if (!rc) rc = util_buf_append(out, "],\"hits\":[", 10);
  for (size_t i = 0; !rc && i < v->n_hits; i++) {
    const np_hit *h = &v->hits[i];
    if (i) rc = util_buf_putc(out, ',');
    if (!rc) rc = util_buf_append(out, "{\"rule\":", 8);
    if (!rc) rc = util_buf_json_str(out, h->rule, strlen(h->rule));
    if (!rc) rc = util_buf_append(out, ",\"category\":", 12);
    if (!rc) rc = util_buf_json_str(out, h->category, strlen(h->category));
    if (!rc) rc = util_buf_printf(out, ",\"severity\":\"%s\",\"action\":\"%s\",\"matches\":[",
                                  severity_name(h->severity), action_name(h->action));
    for (size_t k = 0; !rc && k < h->n_spans; k++) {
      const np_span *sp = &h->spans[k];
      if (k) rc = util_buf_putc(out, ',');
      if (!rc) rc = util_buf_append(out, "{\"s\":", 5);
      if (!rc) rc = util_buf_json_str(out, sp->name, strlen(sp->name));
      if (!rc && sp->term) {
        rc = util_buf_append(out, ",\"term\":", 8);
        if (!rc) rc = util_buf_json_str(out, sp->term, strlen(sp->term));
      }
      if (!rc) rc = util_buf_printf(out, ",\"start\":%u,\"end\":%u,\"text\":", sp->start, sp->end);
      if (!rc) rc = util_buf_json_str(out, s->post.text + sp->start, sp->end - sp->start);
      if (!rc) rc = util_buf_putc(out, '}');
    }
    if (!rc) rc = util_buf_append(out, "]}", 2);
  }
  if (!rc) rc = util_buf_putc(out, ']');
  if (!rc) rc = engine_detect_json(e, s, out);
  if (!rc) rc = engine_similar_json(e, s, out);
  if (!rc && extra_json) {
    rc = util_buf_append(out, ",\"extra\":", 9);
    if (!rc) rc = util_buf_append(out, extra_json, extra_len);
  }
  if (!rc) rc = util_buf_append(out, "}\n", 2);
  return rc;
}

static const char *json_error_kind(const json_error_t *je) {
  switch (json_error_code(je)) {
    case json_error_invalid_utf8: return "bad_utf8";
    case json_error_null_character: return "nul_byte";
    default: return "bad_json";
  }
}

static int scan_record(const np_engine *e, np_scratch *s, json_t *root, uint64_t line_no,
                       int *is_error, np_error *err) {
  util_buf *out = &s->out;
  char *id_json = NULL, *extra_json = NULL;
  int rc = NP_OK;
  json_t *id = json_object_get(root, "id");
  if (id) id_json = json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
  json_t *text = json_object_get(root, "text");
  if (!text || !json_is_string(text)) {
    *is_error = 1;
    rc = write_error(out, line_no, id_json, text ? "text_not_string" : "missing_text",
                     text ? "field \"text\" must be a string" : "record has no \"text\" field");
    goto done;
  }
  np_post post = {0};
  post.text = json_string_value(text);
  post.text_len = json_string_length(text);
  json_t *f;
  if ((f = json_object_get(root, "author")) && json_is_string(f)) post.author = json_string_value(f);
  if ((f = json_object_get(root, "reply_to")) && json_is_string(f))
    post.reply_to = json_string_value(f);
  if ((f = json_object_get(root, "time"))) {
    if (json_is_integer(f)) post.time = (int64_t)json_integer_value(f);
    else if (json_is_real(f)) post.time = (int64_t)json_real_value(f);
    else if (json_is_string(f)) {
      int64_t t = parse_iso_time(json_string_value(f));
      post.time = t < 0 ? 0 : t;
    }
  }
  post.id = id && json_is_string(id) ? json_string_value(id) : NULL;
  np_error serr = {0};
  rc = engine_scan_post(e, s, &post, &serr);
  if (rc == NP_ENOMEM) {
    if (err) *err = serr;
    goto done;
  }
  if (rc < 0) {
    *is_error = 1;
    rc = write_error(out, line_no, id_json, rc == NP_ETOOBIG ? "too_big" : "scan_failed",
                     serr.message);
    goto done;
  }
  /* pass unknown fields through */
  const char *key;
  json_t *val;
  json_t *extra = NULL;
  json_object_foreach(root, key, val) {
    if (is_known(key)) continue;
    if (!extra) extra = json_object();
    if (extra) json_object_set(extra, key, val);
  }
  if (extra) {
    extra_json = json_dumps(extra, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(extra);
  }
  rc = engine_verdict_json(e, s, id_json, id_json ? strlen(id_json) : 0, extra_json,
                           extra_json ? strlen(extra_json) : 0, out);
  s->verdict_ok = rc == NP_OK;
done:
  free(id_json);
  free(extra_json);
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
  if (len > e->cfg.max_line_bytes) {
    *is_error = 1;
    char msg[160];
    snprintf(msg, sizeof msg, "line is %zu bytes, over the limit of %zu (--max-line-bytes)", len,
             e->cfg.max_line_bytes);
    rc = write_error(out, line_no, NULL, "too_big", msg);
  } else if (memchr(line, 0, len)) {
    *is_error = 1;
    char msg[96];
    snprintf(msg, sizeof msg, "NUL byte at column %zu",
             (size_t)((const char *)memchr(line, 0, len) - line) + 1);
    rc = write_error(out, line_no, NULL, "nul_byte", msg);
  } else {
    json_error_t je;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
      *is_error = 1;
      char msg[256];
      snprintf(msg, sizeof msg, "column %d: %s", je.column, je.text);
      rc = write_error(out, line_no, NULL, json_error_kind(&je), msg);
    } else if (!json_is_object(root)) {
      *is_error = 1;
      rc = write_error(out, line_no, NULL, "not_object", "record is not a JSON object");
    } else {
      rc = scan_record(e, s, root, line_no, is_error, err);
    }
    json_decref(root);
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
