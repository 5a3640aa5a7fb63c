/* store_gangs.c — gangs (connected components of linked clues) as lists and
 * as graphs: clue nodes, indicator nodes (masked unless revealed) and the
 * clue–indicator edges that made the component. */
#include <stdio.h>
#include <string.h>
#include "store/store_int.h"

#define GRAPH_MAX_CLUES 500

int store_gangs_json(store *st, int min_size, int limit, util_buf *out, np_error *err) {
  if (limit <= 0 || limit > 500) limit = 50;
  if (min_size < 2) min_size = 2;
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(
      st,
      "SELECT g.id, g.size, g.first_seen, g.last_seen,"
      " (SELECT group_concat(DISTINCT c.category) FROM clues c WHERE c.gang_id=g.id) AS categories,"
      " (SELECT count(DISTINCT ci.indicator_id) FROM clues c JOIN clue_indicators ci"
      "   ON ci.clue_id=c.id WHERE c.gang_id=g.id) AS indicators,"
      " (SELECT count(DISTINCT c.author) FROM clues c WHERE c.gang_id=g.id) AS accounts"
      " FROM gangs g WHERE g.size>=?1 ORDER BY g.size DESC, g.last_seen DESC LIMIT ?2",
      &s, err);
  if (rc) return rc;
  sqlite3_bind_int(s, 1, min_size);
  sqlite3_bind_int(s, 2, limit);
  rc = util_buf_printf(out, "{\"gangs\":[");
  for (int first = 1; !rc && sqlite3_step(s) == SQLITE_ROW; first = 0) {
    if (!first) rc = util_buf_putc(out, ',');
    if (!rc) rc = store_json_row_object(out, s);
  }
  sqlite3_finalize(s);
  if (!rc) rc = util_buf_printf(out, "]}");
  return rc ? util_err(err, rc, "building gang list") : 0;
}

int store_gang_json(store *st, int64_t gang_id, int reveal, util_buf *out, np_error *err) {
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st, "SELECT id, size, first_seen, last_seen FROM gangs WHERE id=?1", &s,
                         err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, gang_id);
  if (sqlite3_step(s) != SQLITE_ROW) {
    sqlite3_finalize(s);
    return util_err(err, NP_ENOTFOUND, "no gang %lld", (long long)gang_id);
  }
  rc = store_json_row_object(out, s);
  sqlite3_finalize(s);
  if (rc) return util_err(err, rc, "building gang");
  out->len--; /* reopen the object */
  rc = util_buf_printf(out, ",\"nodes\":[");
  /* Clue nodes. */
  if (!rc)
    rc = store_prepare(st,
                       "SELECT id, ext_id, category, severity, status, time, author FROM clues"
                       " WHERE gang_id=?1 ORDER BY time LIMIT ?2",
                       &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, gang_id);
  sqlite3_bind_int(s, 2, GRAPH_MAX_CLUES);
  int first = 1;
  while (!rc && sqlite3_step(s) == SQLITE_ROW) {
    rc = util_buf_printf(out, "%s{\"id\":\"c%lld\",\"kind\":\"clue\",\"clue_id\":%lld,", first ? "" : ",",
                         (long long)sqlite3_column_int64(s, 0), (long long)sqlite3_column_int64(s, 0));
    first = 0;
    for (int i = 1; !rc && i < 7; i++) {
      rc = util_buf_printf(out, "%s\"%s\":", i > 1 ? "," : "", sqlite3_column_name(s, i));
      if (!rc) rc = store_json_col(out, s, i);
    }
    if (!rc) rc = util_buf_putc(out, '}');
  }
  sqlite3_finalize(s);
  /* Indicator nodes: every indicator two or more of the gang's clues share. */
  static const char IND[] =
      "SELECT i.id, i.type, i.value, i.n_clues, i.common, count(*) FROM clue_indicators ci"
      " JOIN indicators i ON i.id=ci.indicator_id WHERE ci.clue_id IN"
      " (SELECT id FROM clues WHERE gang_id=?1 ORDER BY time LIMIT ?2)"
      " GROUP BY i.id HAVING count(DISTINCT ci.clue_id)>=2 OR i.common";
  if (!rc && !(rc = store_prepare(st, IND, &s, err))) {
    sqlite3_bind_int64(s, 1, gang_id);
    sqlite3_bind_int(s, 2, GRAPH_MAX_CLUES);
    while (!rc && sqlite3_step(s) == SQLITE_ROW) {
      const char *type = (const char *)sqlite3_column_text(s, 1);
      rc = util_buf_printf(out, "%s{\"id\":\"i%lld\",\"kind\":\"indicator\",\"indicator_id\":%lld,",
                           first ? "" : ",", (long long)sqlite3_column_int64(s, 0),
                           (long long)sqlite3_column_int64(s, 0));
      first = 0;
      if (!rc) rc = store_json_kv_str(out, "type", type, 0);
      if (!rc) rc = util_buf_printf(out, ",\"value\":");
      if (!rc) rc = store_json_indicator_value(out, type, (const char *)sqlite3_column_text(s, 2), reveal);
      if (!rc) rc = util_buf_printf(out, ",\"clues\":%lld,\"common\":%s}",
                                    (long long)sqlite3_column_int64(s, 3),
                                    sqlite3_column_int(s, 4) ? "true" : "false");
    }
    sqlite3_finalize(s);
  }
  if (!rc) rc = util_buf_printf(out, "],\"edges\":[");
  static const char EDGES[] =
      "SELECT DISTINCT ci.clue_id, ci.indicator_id FROM clue_indicators ci WHERE ci.clue_id IN"
      " (SELECT id FROM clues WHERE gang_id=?1 ORDER BY time LIMIT ?2) AND ci.indicator_id IN"
      " (SELECT ci2.indicator_id FROM clue_indicators ci2 JOIN clues c2 ON c2.id=ci2.clue_id"
      "  WHERE c2.gang_id=?1 GROUP BY ci2.indicator_id HAVING count(DISTINCT ci2.clue_id)>=2)";
  if (!rc && !(rc = store_prepare(st, EDGES, &s, err))) {
    sqlite3_bind_int64(s, 1, gang_id);
    sqlite3_bind_int(s, 2, GRAPH_MAX_CLUES);
    for (first = 1; !rc && sqlite3_step(s) == SQLITE_ROW; first = 0)
      rc = util_buf_printf(out, "%s{\"source\":\"c%lld\",\"target\":\"i%lld\"}", first ? "" : ",",
                           (long long)sqlite3_column_int64(s, 0),
                           (long long)sqlite3_column_int64(s, 1));
    sqlite3_finalize(s);
  }
  if (!rc) rc = util_buf_printf(out, "]}");
  return rc ? util_err(err, rc, "building gang %lld", (long long)gang_id) : 0;
}
