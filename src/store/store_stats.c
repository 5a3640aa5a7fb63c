/* store_stats.c — the figures of a year-end review: totals, clues by
 * category, severity and status, dispositions by type, clues and actions per
 * period, and per-rule false-positive rates (dismissed clues / clues). */
#include <stdio.h>
#include <string.h>
#include "store/store_int.h"

/* strftime patterns for SQLite per period (weeks are ISO-ish %Y-W%W). */
static const char *period_format(const char *p) {
  if (!p || !strcmp(p, "month")) return "%Y-%m";
  if (!strcmp(p, "day")) return "%Y-%m-%d";
  if (!strcmp(p, "week")) return "%Y-W%W";
  if (!strcmp(p, "year")) return "%Y";
  return NULL;
}

/* Appends ,"key":[{...}] for a query binding ?1 since, ?2 until, ?3 format. */
static int section(store *st, util_buf *b, const char *key, const char *sql, int64_t since,
                   int64_t until, const char *fmt) {
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) return NP_EDB;
  int n = sqlite3_bind_parameter_count(s);
  if (n >= 1) sqlite3_bind_int64(s, 1, since);
  if (n >= 2) sqlite3_bind_int64(s, 2, until ? until : INT64_MAX);
  if (n >= 3) sqlite3_bind_text(s, 3, fmt, -1, SQLITE_STATIC);
  int rc = util_buf_printf(b, ",\"%s\":[", key);
  for (int first = 1; !rc && sqlite3_step(s) == SQLITE_ROW; first = 0) {
    if (!first) rc = util_buf_putc(b, ',');
    if (!rc) rc = store_json_row_object(b, s);
  }
  sqlite3_finalize(s);
  return rc ? rc : util_buf_putc(b, ']');
}

int store_stats_json(store *st, const char *period, int64_t since, int64_t until, util_buf *out,
                     np_error *err) {
  const char *fmt = period_format(period);
  if (!fmt) return util_err(err, NP_EINVAL, "period must be day, week, month or year");
  int rc = store_flush(st, err);
  if (rc) return rc;
  rc = util_buf_printf(out, "{\"period\":\"%s\",\"since\":%lld,\"until\":%lld", period ? period : "month",
                       (long long)since, (long long)until);
#define CLUE_RANGE " c.time>=?1 AND c.time<=?2 "
  static const struct { const char *key, *sql; } SECTIONS[] = {
      {"totals",
       "SELECT (SELECT count(*) FROM posts WHERE time>=?1 AND time<=?2) AS posts,"
       " (SELECT count(*) FROM clues c WHERE" CLUE_RANGE ") AS clues,"
       " (SELECT count(*) FROM cases WHERE created_at>=?1 AND created_at<=?2) AS cases,"
       " (SELECT count(*) FROM actions WHERE created_at>=?1 AND created_at<=?2) AS actions,"
       " (SELECT count(*) FROM reports WHERE created_at>=?1 AND created_at<=?2) AS reports,"
       " (SELECT count(*) FROM gangs WHERE size>=2 AND last_seen>=?1 AND first_seen<=?2) AS gangs"},
      {"by_category",
       "SELECT h.category, count(DISTINCT h.clue_id) AS clues FROM clue_hits h JOIN clues c"
       " ON c.id=h.clue_id WHERE" CLUE_RANGE "GROUP BY h.category ORDER BY clues DESC"},
      {"by_severity",
       "SELECT c.severity, count(*) AS clues FROM clues c WHERE" CLUE_RANGE
       "GROUP BY c.severity ORDER BY c.severity DESC"},
      {"by_status",
       "SELECT c.status, count(*) AS clues FROM clues c WHERE" CLUE_RANGE
       "GROUP BY c.status ORDER BY clues DESC"},
      {"by_action",
       "SELECT type, count(*) AS actions FROM actions WHERE created_at>=?1 AND created_at<=?2"
       " GROUP BY type ORDER BY actions DESC"},
      {"by_verdict",
       "SELECT action, count(*) AS posts FROM posts WHERE time>=?1 AND time<=?2 GROUP BY action"},
      {"by_period",
       "SELECT p AS period, sum(clues) AS clues, sum(actions) AS actions, sum(reports) AS reports"
       " FROM (SELECT strftime(?3, c.time, 'unixepoch') AS p, 1 AS clues, 0 AS actions,"
       " 0 AS reports FROM clues c WHERE" CLUE_RANGE
       " UNION ALL SELECT strftime(?3, created_at, 'unixepoch'), 0, 1, 0 FROM actions"
       " WHERE created_at>=?1 AND created_at<=?2"
       " UNION ALL SELECT strftime(?3, created_at, 'unixepoch'), 0, 0, 1 FROM reports"
       " WHERE created_at>=?1 AND created_at<=?2) GROUP BY p ORDER BY p"},
      {"rules",
       "SELECT h.rule, h.category, count(*) AS clues,"
       " sum(c.status='dismissed') AS dismissed,"
       " round(1.0*sum(c.status='dismissed')/count(*), 4) AS fp_rate"
       " FROM clue_hits h JOIN clues c ON c.id=h.clue_id WHERE" CLUE_RANGE
       "GROUP BY h.rule ORDER BY clues DESC"},
  };
#undef CLUE_RANGE
  for (size_t i = 0; !rc && i < sizeof SECTIONS / sizeof SECTIONS[0]; i++)
    rc = section(st, out, SECTIONS[i].key, SECTIONS[i].sql, since, until, fmt);
  if (!rc) rc = util_buf_putc(out, '}');
  return rc ? util_err(err, rc == NP_EDB ? NP_EDB : rc, "building statistics") : 0;
}
