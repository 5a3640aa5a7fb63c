/* store_reports.c — public reports (no login): stored with a random receipt
 * number the reporter uses to check status; the public status view shows the
 * status and dates only, never the body or contact. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "store/store_int.h"

static const char *const REPORT_STATUSES[] = {"received", "reviewing", "actioned", "rejected"};

int store_report_create(store *st, const char *category, const char *url, const char *body,
                        const char *contact, char *receipt, size_t receipt_size, np_error *err) {
  if (!body || !*body) return util_err(err, NP_EINVAL, "a report needs a description");
  if (strlen(body) > 20000) return util_err(err, NP_ETOOBIG, "description longer than 20000 bytes");
  if ((url && strlen(url) > 2000) || (contact && strlen(contact) > 200) ||
      (category && strlen(category) > 64))
    return util_err(err, NP_ETOOBIG, "field too long");
  if (receipt_size < 17) return util_err(err, NP_EINVAL, "receipt buffer too small");
  int rc = store_flush(st, err);
  if (rc) return rc;
  for (int attempt = 0; attempt < 4; attempt++) {
    /* NP-YYYYMMDD-XXXXXX: the date helps staff; 30 random bits stop guessing. */
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    char rnd[7];
    for (int i = 0; i < 6; i++) rnd[i] = alphabet[randombytes_uniform(32)];
    rnd[6] = 0;
    time_t now = (time_t)store_now(st);
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(receipt, receipt_size, "R%04d%02d%02d-%s", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, rnd);
    sqlite3_stmt *s = NULL;
    if ((rc = store_prepare(st,
                            "INSERT INTO reports(receipt, category, url, body, contact, created_at,"
                            " updated_at) VALUES(?1,?2,?3,?4,?5,?6,?6)",
                            &s, err)))
      return rc;
    sqlite3_bind_text(s, 1, receipt, -1, SQLITE_STATIC);
    if (category) sqlite3_bind_text(s, 2, category, -1, SQLITE_STATIC);
    if (url) sqlite3_bind_text(s, 3, url, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, body, -1, SQLITE_STATIC);
    if (contact) sqlite3_bind_text(s, 5, contact, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, (int64_t)now);
    int r = sqlite3_step(s);
    sqlite3_finalize(s);
    if (r == SQLITE_DONE) return 0;
    if (r != SQLITE_CONSTRAINT) return store_db_err(st, err, "storing report");
  }
  return util_err(err, NP_EINTERNAL, "could not allocate a receipt number");
}

int store_report_status_json(store *st, const char *receipt, util_buf *out, np_error *err) {
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st,
                         "SELECT receipt, status, created_at, updated_at FROM reports WHERE receipt=?1",
                         &s, err);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, receipt ? receipt : "", -1, SQLITE_STATIC);
  if (sqlite3_step(s) == SQLITE_ROW) rc = store_json_row_object(out, s);
  else rc = util_err(err, NP_ENOTFOUND, "no report with that receipt number");
  sqlite3_finalize(s);
  return rc;
}

int store_reports_json(store *st, const char *status, int limit, int offset, int reveal,
                       util_buf *out, np_error *err) {
  if (limit <= 0 || limit > 500) limit = 50;
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st,
                         "SELECT id, receipt, category, url, body, status, created_at, updated_at,"
                         " contact FROM reports WHERE (?1 IS NULL OR status=?1)"
                         " ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                         &s, err);
  if (rc) return rc;
  if (status) sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 2, limit);
  sqlite3_bind_int(s, 3, offset > 0 ? offset : 0);
  rc = util_buf_printf(out, "{\"reports\":[");
  for (int first = 1; !rc && sqlite3_step(s) == SQLITE_ROW; first = 0) {
    rc = util_buf_printf(out, "%s{", first ? "" : ",");
    for (int i = 0; !rc && i < 8; i++) {
      rc = util_buf_printf(out, "%s\"%s\":", i ? "," : "", sqlite3_column_name(s, i));
      if (!rc) rc = store_json_col(out, s, i);
    }
    /* The reporter's contact is personal data. */
    const char *contact = (const char *)sqlite3_column_text(s, 8);
    if (!rc) rc = util_buf_printf(out, ",\"contact\":");
    if (!rc) rc = store_json_indicator_value(out, "contact", contact, reveal);
    if (!rc) rc = util_buf_putc(out, '}');
  }
  sqlite3_finalize(s);
  if (!rc) rc = util_buf_printf(out, "]}");
  return rc ? util_err(err, rc, "building report list") : 0;
}

int store_report_set_status(store *st, int64_t id, const char *status, np_error *err) {
  int ok = 0;
  for (size_t i = 0; status && i < 4; i++) ok |= !strcmp(status, REPORT_STATUSES[i]);
  if (!ok) return util_err(err, NP_EINVAL, "status must be received, reviewing, actioned or rejected");
  sqlite3_stmt *s = NULL;
  int rc = store_flush(st, err);
  if (rc || (rc = store_prepare(st, "UPDATE reports SET status=?2, updated_at=?3 WHERE id=?1", &s,
                                err)))
    return rc;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, store_now(st));
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "setting report status");
  else if (!sqlite3_changes(st->db)) rc = util_err(err, NP_ENOTFOUND, "no report %lld", (long long)id);
  sqlite3_finalize(s);
  return rc;
}
