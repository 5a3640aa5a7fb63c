/* store_record.c — recording scanned posts: every post is counted in posts;
 * verdicts at or above the threshold become clues with their hits and
 * indicators, then are linked (store_link.c).  Writes are batched into one
 * transaction per opts.batch records, which is what keeps scan --db fast. */
#define _XOPEN_SOURCE 700
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "store/store_int.h"

static const char *jstr(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

int store_severity_of(const char *s) {
  static const char *const names[] = {"low", "medium", "high", "critical"};
  if (!s) return 0;
  for (int i = 0; i < 4; i++)
    if (strcmp(s, names[i]) == 0) return i + 1;
  return 0;
}

/* Post time: integer seconds, or an ISO-8601 / "YYYY-MM-DD hh:mm:ss" string (UTC). */
static int64_t post_time(json_t *post) {
  json_t *t = json_object_get(post, "time");
  if (json_is_integer(t)) return (int64_t)json_integer_value(t);
  if (json_is_real(t)) return (int64_t)json_real_value(t);
  if (!json_is_string(t)) return 0;
  const char *s = json_string_value(t);
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
  if (!end) {
    memset(&tm, 0, sizeof tm);
    end = strptime(s, "%Y-%m-%d", &tm);
  }
  return end ? (int64_t)timegm(&tm) : 0;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v) {
  if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(s, i);
}

static int step_done(store *st, sqlite3_stmt *s, np_error *err, const char *what) {
  int r = sqlite3_step(s);
  sqlite3_reset(s);
  if (r != SQLITE_DONE && r != SQLITE_ROW) return store_db_err(st, err, what);
  return 0;
}

/* Host of a URL, lower-cased, without port or credentials. */
static int url_domain(const char *url, char *out, size_t size) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  const char *at = NULL;
  for (const char *q = p; *q && *q != '/' && *q != '?' && *q != '#'; q++)
    if (*q == '@') at = q;
  if (at) p = at + 1;
  size_t n = 0;
  while (p[n] && p[n] != '/' && p[n] != ':' && p[n] != '?' && p[n] != '#') n++;
  if (n == 0 || n >= size) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = p[i];
    out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  out[n] = 0;
  if (strncmp(out, "www.", 4) == 0) memmove(out, out + 4, n - 3);
  return strchr(out, '.') != NULL;
}

/* Adds one indicator occurrence to a clue (values that arrive masked cannot
 * be linked and are left to the verdict JSON). */
static int add_indicator(store *st, int64_t clue, const char *type, const char *value,
                         int64_t start, int64_t end, double conf, int64_t t, np_error *err) {
  if (!type || !value || !*value || strchr(value, '*')) return 0;
  sqlite3_stmt *s = st->stmt[STMT_IND_UPSERT];
  sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, t);
  int rc = step_done(st, s, err, "recording indicator");
  sqlite3_clear_bindings(s);
  if (rc) return rc;
  s = st->stmt[STMT_IND_GET];
  sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
  int64_t ind = 0;
  if (sqlite3_step(s) == SQLITE_ROW) ind = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (!ind) return store_db_err(st, err, "reading indicator");
  s = st->stmt[STMT_CLUE_IND_INSERT];
  sqlite3_bind_int64(s, 1, clue);
  sqlite3_bind_int64(s, 2, ind);
  sqlite3_bind_int64(s, 3, start);
  sqlite3_bind_int64(s, 4, end);
  sqlite3_bind_double(s, 5, conf);
  return step_done(st, s, err, "recording clue indicator");
}

/* The i-th '\x1f'-ended value of raw into out, or NULL. */
static const char *raw_value(const char *raw, size_t rlen, size_t i, char *out, size_t size) {
  size_t k = 0, start = 0;
  for (size_t p = 0; raw && p < rlen; p++) {
    if (raw[p] != '\x1f') continue;
    if (k++ == i) {
      size_t n = p - start;
      if (n == 0 || n >= size) return NULL;
      memcpy(out, raw + start, n);
      out[n] = 0;
      return out;
    }
    start = p + 1;
  }
  return NULL;
}

static int record_clue(store *st, int64_t post_id, const char *ext_id, json_t *v, json_t *post,
                       const char *verdict_json, size_t vlen, const char *raw, size_t rlen,
                       int64_t t, int64_t *clue_id, np_error *err) {
  json_t *hits = json_object_get(v, "hits");
  const char *category = NULL;
  int severity = 0;
  size_t i;
  json_t *h;
  json_array_foreach(hits, i, h) {
    int sev = store_severity_of(jstr(h, "severity"));
    if (!category || sev > severity) category = jstr(h, "category");
    if (sev > severity) severity = sev;
  }
  if (!category) {
    json_t *cats = json_object_get(v, "categories");
    if (json_is_array(cats) && json_is_string(json_array_get(cats, 0)))
      category = json_string_value(json_array_get(cats, 0));
  }
  const char *author = post ? jstr(post, "author") : NULL;
  const char *source = post ? jstr(post, "source") : NULL;
  const char *text = post ? jstr(post, "text") : NULL;
  json_t *score = json_object_get(v, "score");
  while (vlen && (verdict_json[vlen - 1] == '\n' || verdict_json[vlen - 1] == '\r')) vlen--;
  sqlite3_stmt *s = st->stmt[STMT_CLUE_INSERT];
  sqlite3_bind_int64(s, 1, post_id);
  bind_text(s, 2, ext_id);
  bind_text(s, 3, author);
  bind_text(s, 4, source);
  bind_text(s, 5, post ? jstr(post, "url") : NULL);
  bind_text(s, 6, text ? text : "");
  sqlite3_bind_text(s, 7, verdict_json, (int)vlen, SQLITE_STATIC);
  bind_text(s, 8, jstr(v, "action"));
  sqlite3_bind_double(s, 9, json_number_value(score));
  bind_text(s, 10, category);
  sqlite3_bind_int(s, 11, severity);
  sqlite3_bind_int64(s, 12, t);
  sqlite3_bind_int64(s, 13, store_now(st));
  int rc = step_done(st, s, err, "recording clue");
  sqlite3_clear_bindings(s);
  if (rc) return rc;
  int64_t clue = sqlite3_last_insert_rowid(st->db);
  *clue_id = clue;

  s = st->stmt[STMT_HIT_INSERT];
  json_array_foreach(hits, i, h) {
    const char *rule = jstr(h, "rule");
    if (!rule) continue;
    sqlite3_bind_int64(s, 1, clue);
    bind_text(s, 2, rule);
    bind_text(s, 3, jstr(h, "category") ? jstr(h, "category") : "uncategorized");
    sqlite3_bind_int(s, 4, store_severity_of(jstr(h, "severity")));
    bind_text(s, 5, jstr(h, "action") ? jstr(h, "action") : jstr(v, "action"));
    if ((rc = step_done(st, s, err, "recording hit"))) return rc;
  }
  json_t *ind;
  json_array_foreach(json_object_get(v, "indicators"), i, ind) {
    const char *type = jstr(ind, "type"), *value = jstr(ind, "value");
    char rv[512];
    if (raw && raw_value(raw, rlen, i, rv, sizeof rv)) value = rv;
    int64_t a = json_integer_value(json_object_get(ind, "start"));
    int64_t b = json_integer_value(json_object_get(ind, "end"));
    json_t *c = json_object_get(ind, "confidence");
    double conf = json_is_number(c) ? json_number_value(c) : 1.0;
    if ((rc = add_indicator(st, clue, type, value, a, b, conf, t, err))) return rc;
    char dom[256];
    if (type && value && strcmp(type, "url") == 0 && url_domain(value, dom, sizeof dom) &&
        (rc = add_indicator(st, clue, "domain", dom, a, b, conf, t, err)))
      return rc;
  }
  if (author && *author) {
    char acct[320];
    snprintf(acct, sizeof acct, "%s%s%s", source ? source : "", source ? ":" : "", author);
    if ((rc = add_indicator(st, clue, "account", acct, 0, 0, 1.0, t, err))) return rc;
  }
  return store_link_clue(st, clue, t, err);
}

int store_record_verdict_json(store *st, const char *verdict_json, size_t vlen,
                              const char *post_json, size_t plen, double threshold,
                              int64_t *clue_id, np_error *err) {
  return store_record_scan(st, verdict_json, vlen, post_json, plen, NULL, 0, threshold, clue_id,
                           err);
}

int store_record_scan(store *st, const char *verdict_json, size_t vlen, const char *post_json,
                      size_t plen, const char *raw, size_t rlen, double threshold,
                      int64_t *clue_id, np_error *err) {
  if (clue_id) *clue_id = 0;
  json_error_t je;
  json_t *v = json_loadb(verdict_json, vlen, 0, &je);
  if (!json_is_object(v)) {
    json_decref(v);
    return util_err(err, NP_EJSON, "verdict: %s", je.text);
  }
  json_t *post = post_json ? json_loadb(post_json, plen, 0, &je) : NULL;
  if (post && !json_is_object(post)) {
    json_decref(post);
    post = NULL;
  }
  int rc = 0;
  if (json_object_get(v, "error")) goto done; /* error records are not posts */
  const char *id = jstr(v, "id");
  if (!id && post) id = jstr(post, "id");
  char hid[40];
  if (!id) {
    const char *text = post ? jstr(post, "text") : NULL;
    if (!text) {
      rc = util_err(err, NP_EFIELD, "verdict has no id and no post text");
      goto done;
    }
    snprintf(hid, sizeof hid, "h:%016llx",
             (unsigned long long)util_hash64(text, strlen(text), 0x6e70));
    id = hid;
  }
  if (!st->in_batch) {
    if ((rc = store_exec(st, "BEGIN IMMEDIATE", err))) goto done;
    st->in_batch = 1;
  }
  const char *action = jstr(v, "action");
  if (!action) action = "pass";
  double score = json_number_value(json_object_get(v, "score"));
  int64_t t = post ? post_time(post) : 0;
  if (!t) t = store_now(st);
  sqlite3_stmt *s = st->stmt[STMT_POST_INSERT];
  sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
  bind_text(s, 2, post ? jstr(post, "author") : NULL);
  bind_text(s, 3, post ? jstr(post, "source") : NULL);
  sqlite3_bind_int64(s, 4, t);
  sqlite3_bind_text(s, 5, action, -1, SQLITE_STATIC);
  sqlite3_bind_double(s, 6, score);
  sqlite3_bind_int64(s, 7, store_now(st));
  rc = step_done(st, s, err, "recording post");
  sqlite3_clear_bindings(s);
  if (rc) goto fail;
  if (sqlite3_changes(st->db) == 0) goto counted; /* seen before: idempotent */
  if (strcmp(action, "pass") != 0 && score >= threshold) {
    int64_t cid = 0;
    rc = record_clue(st, sqlite3_last_insert_rowid(st->db), id, v, post, verdict_json, vlen, raw,
                     rlen, t, &cid, err);
    if (rc) goto fail;
    if (clue_id) *clue_id = cid;
  }
counted:
  if (++st->pending >= st->opts.batch) rc = store_flush(st, err);
  goto done;
fail:
  store_tx_rollback(st); /* the batch is lost with it: report, caller may retry */
done:
  json_decref(v);
  json_decref(post);
  return rc;
}
