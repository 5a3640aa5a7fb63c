/* store_audit.c — the append-only audit log.  Each row's hash is BLAKE2b-256
 * over the previous row's hash and the row's own fields, so editing,
 * inserting or deleting any row breaks every later hash; the head hash and
 * row count are mirrored in meta so a truncated tail is caught too.  Anchor
 * the chain by publishing the head that `netpatrol audit verify` prints. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "store/store_int.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void row_hash(const char *prev, int64_t id, int64_t ts, const char *actor,
                     const char *action, const char *target, const char *detail, char out[65]) {
  crypto_generichash_state h;
  unsigned char d[32];
  char num[48];
  crypto_generichash_init(&h, NULL, 0, sizeof d);
  const char *parts[] = {prev, actor, action, target, detail};
  snprintf(num, sizeof num, "%lld\x1f%lld", (long long)id, (long long)ts);
  crypto_generichash_update(&h, (const unsigned char *)num, strlen(num) + 1);
  for (size_t i = 0; i < 5; i++) /* NUL-separated: fields cannot bleed into each other */
    crypto_generichash_update(&h, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
  crypto_generichash_final(&h, d, sizeof d);
  sodium_bin2hex(out, 65, d, sizeof d);
}

static int meta_get(store *st, const char *key, char *out, size_t size) {
  sqlite3_stmt *s = NULL;
  out[0] = 0;
  if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key=?1", -1, &s, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  int found = 0;
  if (sqlite3_step(s) == SQLITE_ROW) {
    snprintf(out, size, "%s", (const char *)sqlite3_column_text(s, 0));
    found = 1;
  }
  sqlite3_finalize(s);
  return found;
}

static int meta_set(store *st, const char *key, const char *value, np_error *err) {
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", &s, err);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "writing meta");
  sqlite3_finalize(s);
  return rc;
}

int store_audit(store *st, const char *actor, const char *action, const char *target,
                const char *detail, np_error *err) {
  actor = actor ? actor : "";
  target = target ? target : "";
  detail = detail ? detail : "";
  int own_tx = sqlite3_get_autocommit(st->db);
  int rc = 0;
  if (own_tx && (rc = store_exec(st, "BEGIN IMMEDIATE", err))) return rc;
  char prev[80], hash[65], count[32];
  if (meta_get(st, "audit_head", prev, sizeof prev) <= 0) snprintf(prev, sizeof prev, GENESIS);
  int64_t ts = store_now(st);
  int64_t id = store_scalar(st, "SELECT coalesce(max(id),0)+1 FROM audit", 0, 0);
  row_hash(prev, id, ts, actor, action, target, detail, hash);
  sqlite3_stmt *s = NULL;
  if ((rc = store_prepare(st,
                          "INSERT INTO audit(id, ts, actor, action, target, detail, prev_hash,"
                          " hash) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
                          &s, err)))
    goto fail;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_int64(s, 2, ts);
  sqlite3_bind_text(s, 3, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 5, target, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 6, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 7, prev, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 8, hash, -1, SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "appending to the audit log");
  sqlite3_finalize(s);
  if (rc) goto fail;
  snprintf(count, sizeof count, "%lld", (long long)id);
  if ((rc = meta_set(st, "audit_head", hash, err)) || (rc = meta_set(st, "audit_rows", count, err)))
    goto fail;
  if (own_tx && (rc = store_exec(st, "COMMIT", err))) goto fail;
  return 0;
fail:
  if (own_tx) store_tx_rollback(st);
  return rc;
}

int store_audit_verify(store *st, store_audit_result *res, np_error *err) {
  memset(res, 0, sizeof *res);
  snprintf(res->head, sizeof res->head, GENESIS);
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st,
                         "SELECT id, ts, actor, action, target, detail, prev_hash, hash FROM audit"
                         " ORDER BY id",
                         &s, err);
  if (rc) return rc;
  char prev[65] = GENESIS, hash[65];
  int64_t expect = 1;
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(s, 0);
#define COL(i) ((const char *)sqlite3_column_text(s, i) ? (const char *)sqlite3_column_text(s, i) : "")
    if (id != expect) {
      res->bad_id = id;
      snprintf(res->problem, sizeof res->problem, "row %lld missing (next row is %lld)",
               (long long)expect, (long long)id);
      break;
    }
    if (strcmp(COL(6), prev) != 0) {
      res->bad_id = id;
      snprintf(res->problem, sizeof res->problem, "row %lld does not follow row %lld",
               (long long)id, (long long)id - 1);
      break;
    }
    row_hash(prev, id, sqlite3_column_int64(s, 1), COL(2), COL(3), COL(4), COL(5), hash);
    if (strcmp(hash, COL(7)) != 0) {
      res->bad_id = id;
      snprintf(res->problem, sizeof res->problem, "row %lld was altered (hash mismatch)",
               (long long)id);
      break;
    }
#undef COL
    memcpy(prev, hash, sizeof prev);
    res->rows++;
    expect++;
  }
  if (r != SQLITE_ROW && r != SQLITE_DONE) rc = store_db_err(st, err, "reading the audit log");
  sqlite3_finalize(s);
  if (rc) return rc;
  memcpy(res->head, prev, sizeof res->head);
  if (!res->bad_id) {
    char head[80], rows[32];
    int have_head = meta_get(st, "audit_head", head, sizeof head) > 0;
    meta_get(st, "audit_rows", rows, sizeof rows);
    if ((have_head || res->rows) &&
        (!have_head || strcmp(head, prev) != 0 || strtoll(rows, NULL, 10) != res->rows)) {
      res->bad_id = res->rows + 1;
      snprintf(res->problem, sizeof res->problem,
               "log ends at row %lld but the recorded head is row %s (rows removed from the end)",
               (long long)res->rows, rows[0] ? rows : "?");
    }
  }
  return 0;
}

int store_audit_json(store *st, int limit, int64_t before_id, util_buf *out, np_error *err) {
  if (limit <= 0 || limit > 500) limit = 100;
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st,
                         "SELECT id, ts, actor, action, target, detail, hash FROM audit"
                         " WHERE (?1=0 OR id<?1) ORDER BY id DESC LIMIT ?2",
                         &s, err);
  if (rc) return rc;
  sqlite3_bind_int64(s, 1, before_id);
  sqlite3_bind_int(s, 2, limit);
  rc = util_buf_printf(out, "{\"entries\":[");
  int first = 1;
  while (!rc && sqlite3_step(s) == SQLITE_ROW) {
    if (!first) rc = util_buf_putc(out, ',');
    first = 0;
    if (!rc) rc = store_json_row_object(out, s);
  }
  sqlite3_finalize(s);
  if (!rc) rc = util_buf_printf(out, "]}");
  return rc ? util_err(err, rc, "building audit JSON") : 0;
}
