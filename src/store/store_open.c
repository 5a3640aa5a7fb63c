/* store_open.c — opening and closing the store, connection pragmas (WAL,
 * foreign keys, busy timeout), the cached hot-path statements, transactions
 * and the small SQLite helpers the other store files share. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "store/store_int.h"

static const char *const STMT_SQL[STMT_COUNT] = {
    [STMT_POST_INSERT] = "INSERT OR IGNORE INTO posts(ext_id, author, source, time, action, score,"
                         " seen_at) VALUES(?1,?2,?3,?4,?5,?6,?7)",
    [STMT_CLUE_INSERT] =
        "INSERT INTO clues(post_id, ext_id, author, source, url, text, verdict, action, score,"
        " category, severity, time, created_at, updated_at)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13)",
    [STMT_HIT_INSERT] = "INSERT OR IGNORE INTO clue_hits(clue_id, rule, category, severity, action)"
                        " VALUES(?1,?2,?3,?4,?5)",
    [STMT_IND_UPSERT] = "INSERT OR IGNORE INTO indicators(type, value, first_seen, last_seen)"
                        " VALUES(?1,?2,?3,?3)",
    [STMT_IND_GET] = "SELECT id, n_clues, common, last_clue FROM indicators WHERE type=?1 AND value=?2",
    [STMT_IND_BUMP] = "UPDATE indicators SET n_clues=n_clues+1, common=?2, last_clue=?3,"
                      " last_seen=max(coalesce(last_seen,?4),?4) WHERE id=?1",
    [STMT_CLUE_IND_INSERT] = "INSERT OR IGNORE INTO clue_indicators(clue_id, indicator_id, start,"
                             " end, confidence) VALUES(?1,?2,?3,?4,?5)",
    [STMT_LINK_INSERT] = "INSERT OR IGNORE INTO clue_links(a, b, indicator_id) VALUES(?1,?2,?3)",
    [STMT_CLUE_GANG] = "SELECT gang_id FROM clues WHERE id=?1",
};

void store_options_init(store_options *o) {
  memset(o, 0, sizeof *o);
  o->batch = 1000;
  o->common_cap = 50;
}

int64_t store_now(const store *st) {
  return st->opts.now ? st->opts.now : (int64_t)time(NULL);
}

int store_db_err(store *st, np_error *err, const char *what) {
  return util_err(err, NP_EDB, "%s: %s", what, st && st->db ? sqlite3_errmsg(st->db) : "no database");
}

int store_exec(store *st, const char *sql, np_error *err) {
  char *msg = NULL;
  if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    util_err(err, NP_EDB, "%s", msg ? msg : sqlite3_errmsg(st->db));
    sqlite3_free(msg);
    return NP_EDB;
  }
  return 0;
}

int store_prepare(store *st, const char *sql, sqlite3_stmt **out, np_error *err) {
  if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
    return store_db_err(st, err, "preparing statement");
  return 0;
}

int64_t store_scalar(store *st, const char *sql, int64_t a, int64_t b) {
  sqlite3_stmt *s = NULL;
  int64_t v = -1;
  if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) return -1;
  if (sqlite3_bind_parameter_count(s) >= 1) sqlite3_bind_int64(s, 1, a);
  if (sqlite3_bind_parameter_count(s) >= 2) sqlite3_bind_int64(s, 2, b);
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

int store_flush(store *st, np_error *err) {
  if (!st->in_batch) return 0;
  st->in_batch = 0;
  st->pending = 0;
  return store_exec(st, "COMMIT", err);
}

int store_tx_begin(store *st, np_error *err) {
  int rc = store_flush(st, err);
  return rc ? rc : store_exec(st, "BEGIN IMMEDIATE", err);
}

int store_tx_commit(store *st, np_error *err) { return store_exec(st, "COMMIT", err); }

void store_tx_rollback(store *st) {
  if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  st->in_batch = 0;
  st->pending = 0;
}

int store_open(const char *path, const store_options *opts, store **out, np_error *err) {
  *out = NULL;
  if (!path || !*path) return util_err(err, NP_EINVAL, "no database path");
  if (sodium_init() < 0) return util_err(err, NP_EINTERNAL, "libsodium failed to initialise");
  store *st = util_calloc(NULL, 1, sizeof *st);
  if (!st) return util_err(err, NP_ENOMEM, "out of memory opening the store");
  if (opts) st->opts = *opts;
  else store_options_init(&st->opts);
  if (!st->opts.batch) st->opts.batch = 1000;
  if (st->opts.common_cap <= 0) st->opts.common_cap = 50;
  int rc;
  if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
      SQLITE_OK) {
    rc = util_err(err, NP_EDB, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) : "cannot open");
    goto fail;
  }
  sqlite3_busy_timeout(st->db, 5000);
  TRY(store_exec(st,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                 " PRAGMA temp_store=MEMORY;",
                 err));
  TRY(store_migrate(st, err));
  if (st->opts.max_pages > 0) {
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA max_page_count=%lld", (long long)st->opts.max_pages);
    TRY(store_exec(st, pragma, err));
  }
  for (int i = 0; i < STMT_COUNT; i++) TRY(store_prepare(st, STMT_SQL[i], &st->stmt[i], err));
  *out = st;
  return 0;
fail:
  if (err && err->file[0] == 0 && rc == NP_EDB && !strstr(err->message, path)) {
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    util_err(err, rc, "%s: %s", path, msg);
  }
  store_close(st);
  return rc;
}

void store_close(store *st) {
  if (!st) return;
  if (st->db) store_flush(st, NULL);
  for (int i = 0; i < STMT_COUNT; i++) sqlite3_finalize(st->stmt[i]);
  sqlite3_close(st->db);
  util_free(NULL, st);
}
