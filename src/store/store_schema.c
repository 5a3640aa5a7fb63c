/* store_schema.c — the schema as numbered migrations (a static const table of
 * SQL), applied in order inside one transaction each; PRAGMA user_version
 * records the last one applied.  Never edit a shipped migration: add one. */
#include <stdio.h>
#include "store/store_int.h"

static const char *const MIGRATIONS[] = {
    /* 001_initial */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE posts(id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL UNIQUE, author TEXT,"
    " source TEXT, time INTEGER NOT NULL, action TEXT NOT NULL, score REAL NOT NULL,"
    " seen_at INTEGER NOT NULL);"
    "CREATE TABLE clues(id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL UNIQUE REFERENCES posts(id),"
    " ext_id TEXT NOT NULL, author TEXT, source TEXT, url TEXT, text TEXT NOT NULL,"
    " verdict TEXT NOT NULL, action TEXT NOT NULL, score REAL NOT NULL, category TEXT,"
    " severity INTEGER NOT NULL DEFAULT 0, time INTEGER NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'new', case_id INTEGER, gang_id INTEGER,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE INDEX clues_status ON clues(status, id);"
    "CREATE INDEX clues_time ON clues(time);"
    "CREATE INDEX clues_gang ON clues(gang_id);"
    "CREATE INDEX clues_case ON clues(case_id);"
    "CREATE TABLE clue_hits(clue_id INTEGER NOT NULL, rule TEXT NOT NULL, category TEXT NOT NULL,"
    " severity INTEGER NOT NULL, action TEXT NOT NULL, PRIMARY KEY(clue_id, rule)) WITHOUT ROWID;"
    "CREATE INDEX clue_hits_category ON clue_hits(category, clue_id);"
    "CREATE INDEX clue_hits_rule ON clue_hits(rule);"
    "CREATE TABLE indicators(id INTEGER PRIMARY KEY, type TEXT NOT NULL, value TEXT NOT NULL,"
    " n_clues INTEGER NOT NULL DEFAULT 0, common INTEGER NOT NULL DEFAULT 0,"
    " last_clue INTEGER, first_seen INTEGER, last_seen INTEGER, UNIQUE(type, value));"
    "CREATE TABLE clue_indicators(clue_id INTEGER NOT NULL, indicator_id INTEGER NOT NULL,"
    " start INTEGER NOT NULL, end INTEGER NOT NULL, confidence REAL NOT NULL DEFAULT 1,"
    " PRIMARY KEY(clue_id, indicator_id, start)) WITHOUT ROWID;"
    "CREATE INDEX clue_indicators_ind ON clue_indicators(indicator_id);"
    "CREATE TABLE clue_links(a INTEGER NOT NULL, b INTEGER NOT NULL, indicator_id INTEGER NOT NULL,"
    " PRIMARY KEY(a, b, indicator_id)) WITHOUT ROWID;"
    "CREATE INDEX clue_links_b ON clue_links(b);"
    "CREATE TABLE gangs(id INTEGER PRIMARY KEY, size INTEGER NOT NULL, first_seen INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL);"
    "CREATE TABLE cases(id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'open', created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE TABLE case_notes(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, author TEXT NOT NULL,"
    " body TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE TABLE actions(id INTEGER PRIMARY KEY, case_id INTEGER, clue_id INTEGER,"
    " type TEXT NOT NULL, note TEXT, actor TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE INDEX actions_case ON actions(case_id);"
    "CREATE INDEX actions_clue ON actions(clue_id);"
    "CREATE TABLE reports(id INTEGER PRIMARY KEY, receipt TEXT NOT NULL UNIQUE, category TEXT,"
    " url TEXT, body TEXT NOT NULL, contact TEXT, status TEXT NOT NULL DEFAULT 'received',"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
    " pwhash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
    "CREATE TABLE sessions(token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"
    " csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    /* Append-only: edits through SQLite are refused outright; edits that bypass
     * these triggers (or drop them) are caught by the hash chain. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
};

#define N_MIGRATIONS (sizeof MIGRATIONS / sizeof MIGRATIONS[0])

int store_migrate(store *st, np_error *err) {
  int64_t version = store_scalar(st, "PRAGMA user_version", -1, -1);
  if (version < 0) return store_db_err(st, err, "reading schema version");
  if ((size_t)version > N_MIGRATIONS)
    return util_err(err, NP_EVERSION,
                    "database schema version %lld is newer than this netpatrol (%zu)",
                    (long long)version, (size_t)N_MIGRATIONS);
  for (size_t i = (size_t)version; i < N_MIGRATIONS; i++) {
    int rc = store_tx_begin(st, err);
    if (rc) return rc;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%zu", i + 1);
    if ((rc = store_exec(st, MIGRATIONS[i], err)) || (rc = store_exec(st, pragma, err))) {
      store_tx_rollback(st);
      return rc;
    }
    if ((rc = store_tx_commit(st, err))) return rc;
  }
  return 0;
}
