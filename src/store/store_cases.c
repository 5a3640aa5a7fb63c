/* store_cases.c — cases (clues promoted by an analyst), their notes, and
 * dispositions (take down, ban account, publish debunk, refer to police,
 * dismiss as false positive) recorded on a case or a single clue. */
#include <stdio.h>
#include <string.h>
#include "store/store_int.h"

static const char *const ACTION_TYPES[] = {"takedown", "ban_account", "publish_debunk",
                                           "refer_police", "dismiss"};

int store_action_type_valid(const char *type) {
  for (size_t i = 0; type && i < sizeof ACTION_TYPES / sizeof ACTION_TYPES[0]; i++)
    if (strcmp(type, ACTION_TYPES[i]) == 0) return 1;
  return 0;
}

static int exec1(store *st, const char *sql, int64_t a, int64_t b, int64_t c, np_error *err,
                 int64_t *changes) {
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st, sql, &s, err);
  if (rc) return rc;
  int n = sqlite3_bind_parameter_count(s);
  if (n >= 1) sqlite3_bind_int64(s, 1, a);
  if (n >= 2) sqlite3_bind_int64(s, 2, b);
  if (n >= 3) sqlite3_bind_int64(s, 3, c);
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "updating case");
  sqlite3_finalize(s);
  if (changes) *changes = sqlite3_changes(st->db);
  return rc;
}

static int attach(store *st, int64_t case_id, const int64_t *ids, size_t n, np_error *err) {
  for (size_t i = 0; i < n; i++) {
    int64_t ch = 0;
    int rc = exec1(st,
                   "UPDATE clues SET case_id=?1, status='in_case', updated_at=?3 WHERE id=?2",
                   case_id, ids[i], store_now(st), err, &ch);
    if (rc) return rc;
    if (!ch) return util_err(err, NP_ENOTFOUND, "no clue %lld", (long long)ids[i]);
  }
  return exec1(st, "UPDATE cases SET updated_at=?2 WHERE id=?1", case_id, store_now(st), 0, err,
               NULL);
}

int store_case_create(store *st, const char *title, const int64_t *clue_ids, size_t n,
                      const char *actor, int64_t *case_id, np_error *err) {
  if (!n) return util_err(err, NP_EINVAL, "a case needs at least one clue");
  if (!title || !*title) title = "Untitled case";
  if (strlen(title) > 200) return util_err(err, NP_EINVAL, "title longer than 200 bytes");
  int rc = store_tx_begin(st, err);
  if (rc) return rc;
  sqlite3_stmt *s = NULL;
  if ((rc = store_prepare(st,
                          "INSERT INTO cases(title, created_by, created_at, updated_at)"
                          " VALUES(?1,?2,?3,?3)",
                          &s, err)))
    goto fail;
  sqlite3_bind_text(s, 1, title, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, actor ? actor : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, store_now(st));
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "creating case");
  sqlite3_finalize(s);
  if (rc) goto fail;
  *case_id = sqlite3_last_insert_rowid(st->db);
  if ((rc = attach(st, *case_id, clue_ids, n, err))) goto fail;
  return store_tx_commit(st, err);
fail:
  store_tx_rollback(st);
  return rc;
}

int store_case_add_clues(store *st, int64_t case_id, const int64_t *clue_ids, size_t n,
                         np_error *err) {
  if (store_scalar(st, "SELECT count(*) FROM cases WHERE id=?1", case_id, 0) != 1)
    return util_err(err, NP_ENOTFOUND, "no case %lld", (long long)case_id);
  int rc = store_tx_begin(st, err);
  if (rc) return rc;
  if ((rc = attach(st, case_id, clue_ids, n, err))) {
    store_tx_rollback(st);
    return rc;
  }
  return store_tx_commit(st, err);
}

int store_case_note(store *st, int64_t case_id, const char *actor, const char *body,
                    np_error *err) {
  if (!body || !*body) return util_err(err, NP_EINVAL, "empty note");
  if (store_scalar(st, "SELECT count(*) FROM cases WHERE id=?1", case_id, 0) != 1)
    return util_err(err, NP_ENOTFOUND, "no case %lld", (long long)case_id);
  int rc = store_flush(st, err);
  sqlite3_stmt *s = NULL;
  if (rc || (rc = store_prepare(st,
                                "INSERT INTO case_notes(case_id, author, body, created_at)"
                                " VALUES(?1,?2,?3,?4)",
                                &s, err)))
    return rc;
  sqlite3_bind_int64(s, 1, case_id);
  sqlite3_bind_text(s, 2, actor ? actor : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 4, store_now(st));
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "adding note");
  sqlite3_finalize(s);
  return rc;
}

int store_case_set_status(store *st, int64_t case_id, const char *status, np_error *err) {
  if (!status || (strcmp(status, "open") && strcmp(status, "closed")))
    return util_err(err, NP_EINVAL, "case status must be open or closed");
  sqlite3_stmt *s = NULL;
  int rc = store_flush(st, err);
  if (rc || (rc = store_prepare(st, "UPDATE cases SET status=?2, updated_at=?3 WHERE id=?1", &s,
                                err)))
    return rc;
  sqlite3_bind_int64(s, 1, case_id);
  sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, store_now(st));
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "setting case status");
  else if (!sqlite3_changes(st->db)) rc = util_err(err, NP_ENOTFOUND, "no case %lld", (long long)case_id);
  sqlite3_finalize(s);
  return rc;
}

int store_action_record(store *st, int64_t case_id, int64_t clue_id, const char *type,
                        const char *note, const char *actor, int64_t *action_id, np_error *err) {
  if (!store_action_type_valid(type))
    return util_err(err, NP_EINVAL,
                    "action must be takedown, ban_account, publish_debunk, refer_police or dismiss");
  if ((case_id > 0) == (clue_id > 0))
    return util_err(err, NP_EINVAL, "an action applies to a case or to a clue");
  if (case_id > 0 && store_scalar(st, "SELECT count(*) FROM cases WHERE id=?1", case_id, 0) != 1)
    return util_err(err, NP_ENOTFOUND, "no case %lld", (long long)case_id);
  if (clue_id > 0 && store_scalar(st, "SELECT count(*) FROM clues WHERE id=?1", clue_id, 0) != 1)
    return util_err(err, NP_ENOTFOUND, "no clue %lld", (long long)clue_id);
  int rc = store_tx_begin(st, err);
  if (rc) return rc;
  sqlite3_stmt *s = NULL;
  if ((rc = store_prepare(st,
                          "INSERT INTO actions(case_id, clue_id, type, note, actor, created_at)"
                          " VALUES(nullif(?1,0), nullif(?2,0), ?3, ?4, ?5, ?6)",
                          &s, err)))
    goto fail;
  sqlite3_bind_int64(s, 1, case_id);
  sqlite3_bind_int64(s, 2, clue_id);
  sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
  if (note) sqlite3_bind_text(s, 4, note, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 5, actor ? actor : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 6, store_now(st));
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "recording action");
  sqlite3_finalize(s);
  if (rc) goto fail;
  if (action_id) *action_id = sqlite3_last_insert_rowid(st->db);
  if (!strcmp(type, "dismiss")) {
    rc = case_id > 0 ? exec1(st, "UPDATE clues SET status='dismissed', updated_at=?2 WHERE case_id=?1",
                             case_id, store_now(st), 0, err, NULL)
                     : exec1(st, "UPDATE clues SET status='dismissed', updated_at=?2 WHERE id=?1",
                             clue_id, store_now(st), 0, err, NULL);
    if (!rc && case_id > 0)
      rc = exec1(st, "UPDATE cases SET status='closed', updated_at=?2 WHERE id=?1", case_id,
                 store_now(st), 0, err, NULL);
  } else if (clue_id > 0) {
    rc = exec1(st,
               "UPDATE clues SET status='confirmed', updated_at=?2 WHERE id=?1 AND status='new'",
               clue_id, store_now(st), 0, err, NULL);
  }
  if (rc) goto fail;
  if (case_id > 0 &&
      (rc = exec1(st, "UPDATE cases SET updated_at=?2 WHERE id=?1", case_id, store_now(st), 0, err,
                  NULL)))
    goto fail;
  return store_tx_commit(st, err);
fail:
  store_tx_rollback(st);
  return rc;
}

int store_cases_json(store *st, const char *status, int limit, int offset, util_buf *out,
                     np_error *err) {
  if (limit <= 0 || limit > 500) limit = 50;
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st,
                         "SELECT k.id, k.title, k.status, k.created_by, k.created_at, k.updated_at,"
                         " (SELECT count(*) FROM clues c WHERE c.case_id=k.id) AS clues,"
                         " (SELECT count(*) FROM actions a WHERE a.case_id=k.id) AS actions"
                         " FROM cases k WHERE (?1 IS NULL OR k.status=?1)"
                         " ORDER BY k.updated_at DESC, k.id DESC LIMIT ?2 OFFSET ?3",
                         &s, err);
  if (rc) return rc;
  if (status) sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 2, limit);
  sqlite3_bind_int(s, 3, offset > 0 ? offset : 0);
  rc = util_buf_printf(out, "{\"cases\":[");
  for (int first = 1; !rc && sqlite3_step(s) == SQLITE_ROW; first = 0) {
    if (!first) rc = util_buf_putc(out, ',');
    if (!rc) rc = store_json_row_object(out, s);
  }
  sqlite3_finalize(s);
  if (!rc) rc = util_buf_printf(out, "]}");
  return rc ? util_err(err, rc, "building case list") : 0;
}

int store_case_json(store *st, int64_t case_id, int reveal, util_buf *out, np_error *err) {
  (void)reveal; /* case rows hold no personal data; clue pages mask their own */
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st,
                         "SELECT id, title, status, created_by, created_at, updated_at FROM cases"
                         " WHERE id=?1",
                         &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, case_id);
  if (sqlite3_step(s) != SQLITE_ROW) {
    sqlite3_finalize(s);
    return util_err(err, NP_ENOTFOUND, "no case %lld", (long long)case_id);
  }
  rc = store_json_row_object(out, s);
  sqlite3_finalize(s);
  if (!rc) out->len--, out->data[out->len] = 0; /* reopen the object */
  if (!rc)
    rc = store_json_rows(st, out, "clues",
              "SELECT id, ext_id, action, score, category, severity, status, time, author,"
              " gang_id FROM clues WHERE case_id=?1 ORDER BY id",
              case_id);
  if (!rc)
    rc = store_json_rows(st, out, "notes",
              "SELECT id, author, body, created_at FROM case_notes WHERE case_id=?1 ORDER BY id",
              case_id);
  if (!rc)
    rc = store_json_rows(st, out, "actions",
              "SELECT id, type, note, actor, created_at FROM actions WHERE case_id=?1 ORDER BY id",
              case_id);
  if (!rc) rc = util_buf_putc(out, '}');
  return rc ? util_err(err, rc, "building case %lld", (long long)case_id) : 0;
}
