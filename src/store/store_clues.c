/* store_clues.c — the clue queue and the clue page: filtered, paged lists,
 * one clue with its evidence segments, indicators (masked unless revealed),
 * links and dispositions, and triage status changes. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "store/store_int.h"

static const char *const STATUSES[] = {"new", "confirmed", "escalated", "dismissed", "in_case"};

static int status_valid(const char *s, int allow_in_case) {
  for (size_t i = 0; s && i < sizeof STATUSES / sizeof STATUSES[0] - (allow_in_case ? 0 : 1); i++)
    if (strcmp(s, STATUSES[i]) == 0) return 1;
  return 0;
}

/* Appends text as JSON, hiding runs of 7+ digits (phones, cards, IDs) for
 * roles without reveal: list snippets are not worth a full segment pass. */
static int json_text_masked(util_buf *b, const char *t, size_t n, int reveal) {
  if (reveal) return util_buf_json_str(b, t, n);
  char *c = util_strndup(NULL, t, n);
  if (!c) return NP_ENOMEM;
  for (size_t i = 0; i < n;) {
    size_t j = i, digits = 0;
    while (j < n && ((c[j] >= '0' && c[j] <= '9') || c[j] == 'X' || c[j] == 'x' ||
                     (digits && (c[j] == ' ' || c[j] == '-'))))
      digits += c[j] != ' ' && c[j] != '-', j++;
    if (digits >= 7)
      for (size_t k = i + 3; k + 2 < j; k++) c[k] = c[k] == ' ' || c[k] == '-' ? c[k] : '*';
    i = j > i ? j : i + 1;
  }
  int rc = util_buf_json_str(b, c, n);
  util_free(NULL, c);
  return rc;
}

static size_t utf8_prefix(const char *t, size_t n, size_t max) {
  if (n <= max) return n;
  while (max > 0 && ((unsigned char)t[max] & 0xC0) == 0x80) max--;
  return max;
}

int store_clues_json(store *st, const store_clue_filter *f, int reveal, util_buf *out,
                     np_error *err) {
  store_clue_filter d;
  memset(&d, 0, sizeof d);
  if (!f) f = &d;
  int limit = f->limit <= 0 ? 50 : f->limit > 500 ? 500 : f->limit;
  if (f->status && !status_valid(f->status, 1))
    return util_err(err, NP_EINVAL, "unknown status '%s'", f->status);
  char cat[130] = "";
  if (f->category) snprintf(cat, sizeof cat, "%s", f->category);
  static const char WHERE[] =
      " WHERE (?1 IS NULL OR c.status=?1) AND c.severity>=?2 AND (?3=0 OR c.time>=?3)"
      " AND (?4=0 OR c.time<=?4) AND (?5=0 OR c.gang_id=?5) AND (?6=0 OR c.id<?6)"
      " AND (?7='' OR EXISTS(SELECT 1 FROM clue_hits h WHERE h.clue_id=c.id AND"
      " (h.category=?7 OR h.category LIKE ?7 || '.%')))";
  char sql[1200];
  snprintf(sql, sizeof sql,
           "SELECT c.id, c.ext_id, c.action, c.score, c.category, c.severity, c.status, c.time,"
           " c.author, c.source, c.gang_id, c.case_id, c.text,"
           " (SELECT group_concat(rule, ',') FROM clue_hits h WHERE h.clue_id=c.id)"
           " FROM clues c%s ORDER BY c.id DESC LIMIT ?8 OFFSET ?9",
           WHERE);
  sqlite3_stmt *s = NULL, *cnt = NULL;
  int rc = store_prepare(st, sql, &s, err);
  if (rc) return rc;
  snprintf(sql, sizeof sql, "SELECT count(*) FROM clues c%s", WHERE);
  if ((rc = store_prepare(st, sql, &cnt, err))) {
    sqlite3_finalize(s);
    return rc;
  }
  sqlite3_stmt *both[2] = {s, cnt};
  for (int k = 0; k < 2; k++) {
    sqlite3_stmt *q = both[k];
    if (f->status) sqlite3_bind_text(q, 1, f->status, -1, SQLITE_STATIC);
    else sqlite3_bind_null(q, 1);
    sqlite3_bind_int(q, 2, f->min_severity);
    sqlite3_bind_int64(q, 3, f->since);
    sqlite3_bind_int64(q, 4, f->until);
    sqlite3_bind_int64(q, 5, f->gang);
    sqlite3_bind_int64(q, 6, f->after_id);
    sqlite3_bind_text(q, 7, cat, -1, SQLITE_STATIC);
  }
  sqlite3_bind_int(s, 8, limit);
  sqlite3_bind_int(s, 9, f->offset > 0 ? f->offset : 0);
  int64_t total = sqlite3_step(cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
  sqlite3_finalize(cnt);
  rc = util_buf_printf(out, "{\"clues\":[");
  static const char *const NAMES[] = {"id", "ext_id", "action", "score", "category", "severity",
                                      "status", "time", "author", "source", "gang_id", "case_id"};
  for (int first = 1; !rc && sqlite3_step(s) == SQLITE_ROW; first = 0) {
    rc = util_buf_printf(out, "%s{", first ? "" : ",");
    for (int i = 0; !rc && i < 12; i++) {
      rc = util_buf_printf(out, "%s\"%s\":", i ? "," : "", NAMES[i]);
      if (!rc) rc = store_json_col(out, s, i);
    }
    const char *text = (const char *)sqlite3_column_text(s, 12);
    size_t n = (size_t)sqlite3_column_bytes(s, 12);
    if (!rc) rc = util_buf_printf(out, ",\"snippet\":");
    if (!rc) rc = json_text_masked(out, text, utf8_prefix(text, n, 240), reveal);
    const char *rules = (const char *)sqlite3_column_text(s, 13);
    if (!rc) rc = store_json_kv_str(out, "rules", rules ? rules : "", 1);
    if (!rc) rc = util_buf_putc(out, '}');
  }
  sqlite3_finalize(s);
  if (!rc) rc = util_buf_printf(out, "],\"total\":%lld,\"limit\":%d,\"offset\":%d}",
                                (long long)total, limit, f->offset > 0 ? f->offset : 0);
  return rc ? util_err(err, rc, "building clue list") : 0;
}

/* Indicators of the verdict, each with its link state from the indicators table. */
static int json_indicators(store *st, util_buf *b, json_t *v, int reveal) {
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT id, n_clues, common FROM indicators WHERE type=?1 AND value=?2",
                         -1, &q, NULL) != SQLITE_OK)
    return NP_EDB;
  int rc = util_buf_printf(b, ",\"indicators\":[");
  size_t i;
  json_t *ind;
  json_array_foreach(json_object_get(v, "indicators"), i, ind) {
    const char *type = json_string_value(json_object_get(ind, "type"));
    const char *value = json_string_value(json_object_get(ind, "value"));
    if (!rc && i) rc = util_buf_putc(b, ',');
    if (!rc) rc = util_buf_putc(b, '{');
    if (!rc) rc = store_json_kv_str(b, "type", type, 0);
    if (!rc) rc = util_buf_printf(b, ",\"start\":%lld,\"end\":%lld,\"value\":",
                                  (long long)json_integer_value(json_object_get(ind, "start")),
                                  (long long)json_integer_value(json_object_get(ind, "end")));
    if (!rc) rc = store_json_indicator_value(b, type, value, reveal);
    if (!rc) rc = util_buf_printf(b, ",\"masked\":%s", reveal || (value && strchr(value, '*')) ? "false" : "true");
    if (!rc && value && strchr(value, '*')) rc = util_buf_printf(b, ",\"linkable\":false");
    sqlite3_bind_text(q, 1, type ? type : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, value ? value : "", -1, SQLITE_STATIC);
    if (!rc && sqlite3_step(q) == SQLITE_ROW)
      rc = util_buf_printf(b, ",\"indicator_id\":%lld,\"clues\":%lld,\"common\":%s",
                           (long long)sqlite3_column_int64(q, 0),
                           (long long)sqlite3_column_int64(q, 1),
                           sqlite3_column_int(q, 2) ? "true" : "false");
    sqlite3_reset(q);
    if (!rc) rc = util_buf_putc(b, '}');
  }
  sqlite3_finalize(q);
  return rc ? rc : util_buf_putc(b, ']');
}

/* Hits with their evidence; match text is digit-masked without reveal. */
static int json_hits(util_buf *b, json_t *v, int reveal) {
  int rc = util_buf_printf(b, ",\"hits\":[");
  size_t i, j;
  json_t *h, *m;
  json_array_foreach(json_object_get(v, "hits"), i, h) {
    if (!rc && i) rc = util_buf_putc(b, ',');
    const char *keys[] = {"rule", "category", "severity", "action"};
    if (!rc) rc = util_buf_putc(b, '{');
    for (int k = 0; !rc && k < 4; k++)
      rc = store_json_kv_str(b, keys[k], json_string_value(json_object_get(h, keys[k])), k > 0);
    if (!rc) rc = util_buf_printf(b, ",\"matches\":[");
    json_array_foreach(json_object_get(h, "matches"), j, m) {
      const char *t = json_string_value(json_object_get(m, "text"));
      if (!rc) rc = util_buf_printf(b, "%s{\"s\":", j ? "," : "");
      const char *sn = json_string_value(json_object_get(m, "s"));
      if (!rc) rc = util_buf_json_str(b, sn ? sn : "", sn ? strlen(sn) : 0);
      if (!rc) rc = util_buf_printf(b, ",\"start\":%lld,\"end\":%lld,\"text\":",
                                    (long long)json_integer_value(json_object_get(m, "start")),
                                    (long long)json_integer_value(json_object_get(m, "end")));
      if (!rc) rc = json_text_masked(b, t ? t : "", t ? strlen(t) : 0, reveal);
      if (!rc) rc = util_buf_putc(b, '}');
    }
    if (!rc) rc = util_buf_printf(b, "]}");
  }
  return rc ? rc : util_buf_putc(b, ']');
}

int store_clue_json(store *st, int64_t id, int reveal, util_buf *out, np_error *err) {
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st,
                         "SELECT id, ext_id, action, score, category, severity, status, time,"
                         " author, source, url, gang_id, case_id, created_at, updated_at, text,"
                         " verdict FROM clues WHERE id=?1",
                         &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, id);
  if (sqlite3_step(s) != SQLITE_ROW) {
    sqlite3_finalize(s);
    return util_err(err, NP_ENOTFOUND, "no clue %lld", (long long)id);
  }
  rc = util_buf_putc(out, '{');
  for (int i = 0; !rc && i < 15; i++) {
    rc = util_buf_printf(out, "%s\"%s\":", i ? "," : "", sqlite3_column_name(s, i));
    if (!rc) rc = store_json_col(out, s, i);
  }
  const char *text = (const char *)sqlite3_column_text(s, 15);
  const char *verdict = (const char *)sqlite3_column_text(s, 16);
  json_t *v = json_loads(verdict ? verdict : "{}", 0, NULL);
  if (!rc) rc = util_buf_printf(out, ",\"revealed\":%s,\"segments\":", reveal ? "true" : "false");
  if (!rc) rc = store_json_segments(out, text ? text : "", verdict ? verdict : "{}", NULL, reveal);
  if (!rc) rc = util_buf_printf(out, ",\"categories\":%s",
                                json_is_array(json_object_get(v, "categories")) ? "" : "[]");
  if (!rc && json_is_array(json_object_get(v, "categories"))) {
    char *c = json_dumps(json_object_get(v, "categories"), JSON_COMPACT);
    rc = c ? util_buf_append(out, c, strlen(c)) : NP_ENOMEM;
    free(c);
  }
  if (!rc) rc = json_hits(out, v, reveal);
  if (!rc) rc = json_indicators(st, out, v, reveal);
  sqlite3_finalize(s);
  json_decref(v);
  if (!rc)
    rc = store_json_rows(st, out, "links",
                   "SELECT CASE WHEN l.a=?1 THEN l.b ELSE l.a END AS clue_id, i.type,"
                   " i.id AS indicator_id FROM clue_links l JOIN indicators i"
                   " ON i.id=l.indicator_id WHERE l.a=?1 OR l.b=?1 ORDER BY 1",
                   id);
  if (!rc)
    rc = store_json_rows(st, out, "actions",
                   "SELECT id, case_id, type, note, actor, created_at FROM actions"
                   " WHERE clue_id=?1 OR case_id=(SELECT case_id FROM clues WHERE id=?1)"
                   " ORDER BY id",
                   id);
  if (!rc) rc = util_buf_putc(out, '}');
  return rc ? util_err(err, rc, "building clue %lld", (long long)id) : 0;
}

int store_clue_set_status(store *st, int64_t id, const char *status, np_error *err) {
  if (!status_valid(status, 0))
    return util_err(err, NP_EINVAL, "status must be new, confirmed, escalated or dismissed");
  int rc = store_flush(st, err);
  if (rc) return rc;
  sqlite3_stmt *s = NULL;
  if ((rc = store_prepare(st, "UPDATE clues SET status=?2, updated_at=?3 WHERE id=?1", &s, err)))
    return rc;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, store_now(st));
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "setting clue status");
  else if (sqlite3_changes(st->db) == 0) rc = util_err(err, NP_ENOTFOUND, "no clue %lld", (long long)id);
  sqlite3_finalize(s);
  return rc;
}
