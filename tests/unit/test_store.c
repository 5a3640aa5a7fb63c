/* test_store.c — the clue store: recording verdicts, thresholds and
 * idempotence, incremental linking into gangs with the common-value cap,
 * masking, cases and dispositions, statistics, users and sessions, public
 * reports, and the hash-chained audit log under tampering. */
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>
#include "tests/harness.h"
#include "store/store.h"

static void tmp_db(char *path, size_t n, const char *tag) {
  snprintf(path, n, "/tmp/np_test_store_%s_%d.db", tag, (int)getpid());
  char extra[300];
  unlink(path);
  snprintf(extra, sizeof extra, "%s-wal", path);
  unlink(extra);
  snprintf(extra, sizeof extra, "%s-shm", path);
  unlink(extra);
}

static store *open_db(const char *path, int cap) {
  store_options o;
  store_options_init(&o);
  o.now = 1714521600; /* 2024-05-01 */
  if (cap) o.common_cap = cap;
  store *st = NULL;
  np_error err = {0};
  if (store_open(path, &o, &st, &err) != 0) fprintf(stderr, "store_open: %s\n", err.message);
  return st;
}

/* A verdict with one hit and the given indicators (JSON fragments). */
static int rec(store *st, const char *id, const char *action, double score, const char *inds,
               const char *author, int64_t *clue) {
  char v[2048], p[1024];
  snprintf(v, sizeof v,
           "{\"id\":\"%s\",\"action\":\"%s\",\"score\":%.2f,\"categories\":[\"fraud.loan\"],"
           "\"hits\":[{\"rule\":\"fraud_loan_fee\",\"category\":\"fraud.loan\",\"severity\":\"high\","
           "\"action\":\"block\",\"matches\":[{\"s\":\"$fee\",\"start\":0,\"end\":9,\"text\":\"保证金\"}]}],"
           "\"indicators\":[%s]}\n",
           id, action, score, inds ? inds : "");
  snprintf(p, sizeof p,
           "{\"id\":\"%s\",\"text\":\"保证金 call 13812345678 now\",\"author\":\"%s\","
           "\"source\":\"weibo\",\"time\":\"2024-04-02T10:00:00Z\"}",
           id, author ? author : "u1");
  np_error err = {0};
  int rc = store_record_verdict_json(st, v, strlen(v), p, strlen(p), 0.5, clue, &err);
  if (rc) fprintf(stderr, "record: %s\n", err.message);
  return rc;
}

#define PHONE(v) "{\"type\":\"phone\",\"start\":15,\"end\":26,\"value\":\"" v "\",\"confidence\":0.99}"
#define CARD(v) "{\"type\":\"bank_card\",\"start\":0,\"end\":3,\"value\":\"" v "\"}"

static int64_t gang_of(const char *path, int64_t clue) {
  sqlite3 *db = NULL;
  sqlite3_open(path, &db);
  sqlite3_stmt *s = NULL;
  sqlite3_prepare_v2(db, "SELECT coalesce(gang_id,0) FROM clues WHERE id=?1", -1, &s, NULL);
  sqlite3_bind_int64(s, 1, clue);
  int64_t g = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  sqlite3_close(db);
  return g;
}

static int sql(const char *path, const char *q) {
  sqlite3 *db = NULL;
  sqlite3_open(path, &db);
  int rc = sqlite3_exec(db, q, NULL, NULL, NULL);
  sqlite3_close(db);
  return rc;
}

TEST(open_migrates_and_reopens) {
  char path[256];
  tmp_db(path, sizeof path, "open");
  store *st = open_db(path, 0);
  ASSERT(st != NULL);
  store_close(st);
  st = open_db(path, 0);
  ASSERT(st != NULL);
  store_close(st);
  ASSERT_EQ_INT(sql(path, "PRAGMA user_version=99"), SQLITE_OK);
  store *bad = NULL;
  np_error err = {0};
  ASSERT_EQ_INT(store_open(path, NULL, &bad, &err), NP_EVERSION);
  ASSERT(bad == NULL);
  ASSERT_CONTAINS(err.message, "newer");
  ASSERT_EQ_INT(store_open("/nonexistent/dir/x.db", NULL, &bad, &err), NP_EDB);
}

TEST(threshold_pass_and_idempotence) {
  char path[256];
  tmp_db(path, sizeof path, "thr");
  store *st = open_db(path, 0);
  int64_t clue = -1;
  ASSERT_EQ_INT(rec(st, "p1", "block", 0.9, PHONE("13812345678"), NULL, &clue), 0);
  ASSERT(clue > 0);
  ASSERT_EQ_INT(rec(st, "p2", "pass", 0.9, NULL, NULL, &clue), 0);
  ASSERT_EQ_INT(clue, 0);
  ASSERT_EQ_INT(rec(st, "p3", "review", 0.3, NULL, NULL, &clue), 0); /* below 0.5 */
  ASSERT_EQ_INT(clue, 0);
  ASSERT_EQ_INT(rec(st, "p1", "block", 0.9, NULL, NULL, &clue), 0); /* seen before */
  ASSERT_EQ_INT(clue, 0);
  np_error err = {0};
  const char *erec = "{\"line\":4,\"error\":{\"code\":\"EJSON\",\"message\":\"x\"}}";
  ASSERT_EQ_INT(store_record_verdict_json(st, erec, strlen(erec), NULL, 0, 0.5, &clue, &err), 0);
  ASSERT_EQ_INT(store_record_verdict_json(st, "{oops", 5, NULL, 0, 0.5, &clue, &err), NP_EJSON);
  ASSERT_EQ_INT(store_flush(st, &err), 0);
  util_buf b;
  util_buf_init(&b, NULL, 0);
  ASSERT_EQ_INT(store_stats_json(st, "month", 0, 0, &b, &err), 0);
  ASSERT_CONTAINS(b.data, "\"posts\":3,\"clues\":1");
  ASSERT_CONTAINS(b.data, "\"period\":\"2024-04\"");
  util_buf_free(&b);
  store_close(st);
}

TEST(linking_merges_gangs_incrementally) {
  char path[256];
  tmp_db(path, sizeof path, "link");
  store *st = open_db(path, 0);
  int64_t a, b, c, d, e;
  ASSERT_EQ_INT(rec(st, "a", "block", 0.9, PHONE("13800000001"), "ua", &a), 0);
  ASSERT_EQ_INT(rec(st, "b", "block", 0.9, PHONE("13800000001"), "ub", &b), 0);
  ASSERT_EQ_INT(rec(st, "c", "block", 0.9, CARD("6222020000000000001"), "uc", &c), 0);
  ASSERT_EQ_INT(rec(st, "d", "block", 0.9, CARD("6222020000000000001"), "ud", &d), 0);
  ASSERT_EQ_INT(rec(st, "e", "block", 0.9, NULL, "ue", &e), 0);
  np_error err = {0};
  ASSERT_EQ_INT(store_flush(st, &err), 0);
  int64_t g1 = gang_of(path, a), g2 = gang_of(path, c);
  ASSERT(g1 > 0 && g2 > 0 && g1 != g2);
  ASSERT_EQ_INT(gang_of(path, b), g1);
  ASSERT_EQ_INT(gang_of(path, d), g2);
  ASSERT_EQ_INT(gang_of(path, e), 0);
  /* A clue holding both values joins the two gangs into one of size 5. */
  int64_t f;
  ASSERT_EQ_INT(rec(st, "f", "block", 0.9, PHONE("13800000001") "," CARD("6222020000000000001"),
                    "uf", &f),
                0);
  ASSERT_EQ_INT(store_flush(st, &err), 0);
  int64_t g = gang_of(path, f);
  ASSERT(g > 0);
  ASSERT_EQ_INT(gang_of(path, a), g);
  ASSERT_EQ_INT(gang_of(path, d), g);
  util_buf out;
  util_buf_init(&out, NULL, 0);
  ASSERT_EQ_INT(store_gangs_json(st, 2, 10, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"size\":5");
  ASSERT(strstr(out.data, "\"size\":2") == NULL); /* the merged gang is gone */
  util_buf_reset(&out);
  ASSERT_EQ_INT(store_gang_json(st, g, 0, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"kind\":\"indicator\"");
  ASSERT_CONTAINS(out.data, "138****0001");
  ASSERT(strstr(out.data, "13800000001") == NULL);
  ASSERT_CONTAINS(out.data, "\"edges\":[{\"source\":\"c");
  util_buf_reset(&out);
  ASSERT_EQ_INT(store_gang_json(st, g, 1, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "13800000001");
  util_buf_reset(&out);
  ASSERT_EQ_INT(store_gang_json(st, 9999, 0, &out, &err), NP_ENOTFOUND);
  util_buf_free(&out);
  store_close(st);
}

TEST(masked_json_links_through_raw_values) {
  char path[256];
  tmp_db(path, sizeof path, "raw");
  store *st = open_db(path, 0);
  const char *v = "{\"id\":\"%s\",\"action\":\"block\",\"score\":0.9,\"hits\":[],\"indicators\":"
                  "[{\"type\":\"phone\",\"start\":0,\"end\":11,\"value\":\"138****0001\"}]}";
  int64_t ids[3];
  np_error err = {0};
  for (int i = 0; i < 3; i++) {
    char vj[512], id[16];
    snprintf(id, sizeof id, "r%d", i);
    snprintf(vj, sizeof vj, v, id);
    /* r0 and r1 carry the raw value; r2 only the masked JSON (not linkable). */
    const char *raw = i < 2 ? "13800000001\x1f" : NULL;
    ASSERT_EQ_INT(store_record_scan(st, vj, strlen(vj), NULL, 0, raw, raw ? strlen(raw) : 0, 0.5,
                                    &ids[i], &err), 0);
  }
  ASSERT_EQ_INT(store_flush(st, &err), 0);
  ASSERT(gang_of(path, ids[0]) > 0);
  ASSERT_EQ_INT(gang_of(path, ids[1]), gang_of(path, ids[0]));
  ASSERT_EQ_INT(gang_of(path, ids[2]), 0);
  store_close(st);
}

TEST(common_values_are_capped) {
  char path[256];
  tmp_db(path, sizeof path, "cap");
  store *st = open_db(path, 3);
  int64_t ids[6];
  char id[16], author[16];
  for (int i = 0; i < 6; i++) {
    snprintf(id, sizeof id, "h%d", i);
    snprintf(author, sizeof author, "x%d", i);
    ASSERT_EQ_INT(rec(st, id, "block", 0.9, PHONE("95188000000"), author, &ids[i]), 0);
  }
  np_error err = {0};
  ASSERT_EQ_INT(store_flush(st, &err), 0);
  int64_t g = gang_of(path, ids[0]);
  ASSERT(g > 0);
  ASSERT_EQ_INT(gang_of(path, ids[2]), g);
  ASSERT_EQ_INT(gang_of(path, ids[3]), 0); /* past the cap: not linked */
  ASSERT_EQ_INT(gang_of(path, ids[5]), 0);
  util_buf out;
  util_buf_init(&out, NULL, 0);
  ASSERT_EQ_INT(store_clue_json(st, ids[5], 0, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"common\":true");
  util_buf_free(&out);
  store_close(st);
}

TEST(clue_detail_masks_unless_revealed) {
  char path[256];
  tmp_db(path, sizeof path, "mask");
  store *st = open_db(path, 0);
  int64_t c;
  ASSERT_EQ_INT(rec(st, "m1", "block", 0.9, PHONE("13812345678"), NULL, &c), 0);
  np_error err = {0};
  util_buf out;
  util_buf_init(&out, NULL, 0);
  ASSERT_EQ_INT(store_clue_json(st, c, 0, &out, &err), 0);
  ASSERT(strstr(out.data, "13812345678") == NULL);
  ASSERT_CONTAINS(out.data, "138****5678");
  ASSERT_CONTAINS(out.data, "\"rules\":[\"fraud_loan_fee\"]"); /* evidence segment */
  ASSERT_CONTAINS(out.data, "\"indicator\":\"phone\",\"masked\":true");
  util_buf_reset(&out);
  ASSERT_EQ_INT(store_clue_json(st, c, 1, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "13812345678");
  util_buf_reset(&out);
  store_clue_filter f = {0};
  ASSERT_EQ_INT(store_clues_json(st, &f, 0, &out, &err), 0);
  ASSERT(strstr(out.data, "13812345678") == NULL);
  ASSERT_CONTAINS(out.data, "\"total\":1");
  util_buf_reset(&out);
  f.category = "fraud";
  ASSERT_EQ_INT(store_clues_json(st, &f, 0, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"total\":1");
  util_buf_reset(&out);
  f.category = "privacy";
  ASSERT_EQ_INT(store_clues_json(st, &f, 0, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"total\":0");
  util_buf_reset(&out);
  f.category = NULL;
  f.status = "bogus";
  ASSERT_EQ_INT(store_clues_json(st, &f, 0, &out, &err), NP_EINVAL);
  ASSERT_EQ_INT(store_clue_json(st, 999, 0, &out, &err), NP_ENOTFOUND);
  char m[64];
  store_mask("cn_id", "110101199003077777", m, sizeof m);
  ASSERT_STR_EQ(m, "110101********7777");
  store_mask("bank_card", "6222020000000000001", m, sizeof m);
  ASSERT_STR_EQ(m, "6222***********0001");
  util_buf_free(&out);
  store_close(st);
}

TEST(cases_actions_and_false_positive_rate) {
  char path[256];
  tmp_db(path, sizeof path, "case");
  store *st = open_db(path, 0);
  int64_t c1, c2, c3;
  ASSERT_EQ_INT(rec(st, "k1", "block", 0.9, NULL, "a", &c1), 0);
  ASSERT_EQ_INT(rec(st, "k2", "block", 0.9, NULL, "b", &c2), 0);
  ASSERT_EQ_INT(rec(st, "k3", "block", 0.9, NULL, "c", &c3), 0);
  np_error err = {0};
  ASSERT_EQ_INT(store_clue_set_status(st, c1, "confirmed", &err), 0);
  ASSERT_EQ_INT(store_clue_set_status(st, c1, "in_case", &err), NP_EINVAL);
  ASSERT_EQ_INT(store_clue_set_status(st, 777, "confirmed", &err), NP_ENOTFOUND);
  int64_t ids[2] = {c1, c2}, bad[1] = {999}, kase = 0, act = 0;
  ASSERT_EQ_INT(store_case_create(st, "Loan ring", bad, 1, "ana", &kase, &err), NP_ENOTFOUND);
  ASSERT_EQ_INT(store_case_create(st, "Loan ring", ids, 0, "ana", &kase, &err), NP_EINVAL);
  ASSERT_EQ_INT(store_case_create(st, "Loan ring", ids, 2, "ana", &kase, &err), 0);
  ASSERT(kase > 0);
  ASSERT_EQ_INT(store_case_note(st, kase, "ana", "called the bank", &err), 0);
  ASSERT_EQ_INT(store_action_record(st, kase, 0, "takedown", "posts removed", "ana", &act, &err), 0);
  ASSERT_EQ_INT(store_action_record(st, kase, 0, "explode", NULL, "ana", &act, &err), NP_EINVAL);
  ASSERT_EQ_INT(store_action_record(st, 0, c3, "dismiss", "ad for a real bank", "ana", &act, &err), 0);
  util_buf out;
  util_buf_init(&out, NULL, 0);
  ASSERT_EQ_INT(store_case_json(st, kase, 0, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"title\":\"Loan ring\"");
  ASSERT_CONTAINS(out.data, "called the bank");
  ASSERT_CONTAINS(out.data, "\"type\":\"takedown\"");
  ASSERT_CONTAINS(out.data, "\"status\":\"in_case\"");
  util_buf_reset(&out);
  ASSERT_EQ_INT(store_stats_json(st, "year", 0, 0, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"rule\":\"fraud_loan_fee\",\"category\":\"fraud.loan\",\"clues\":3,"
                            "\"dismissed\":1,\"fp_rate\":0.3333");
  ASSERT_CONTAINS(out.data, "{\"type\":\"takedown\",\"actions\":1}");
  ASSERT_CONTAINS(out.data, "\"by_category\":[{\"category\":\"fraud.loan\",\"clues\":3}]");
  util_buf_reset(&out);
  ASSERT_EQ_INT(store_stats_json(st, "fortnight", 0, 0, &out, &err), NP_EINVAL);
  util_buf_free(&out);
  store_close(st);
}

TEST(users_and_sessions) {
  char path[256];
  tmp_db(path, sizeof path, "users");
  store *st = open_db(path, 0);
  np_error err = {0};
  ASSERT_EQ_INT(store_user_add(st, "root", "admin", "correct horse", &err), 0);
  ASSERT_EQ_INT(store_user_add(st, "root", "admin", "correct horse", &err), NP_EINVAL);
  ASSERT_EQ_INT(store_user_add(st, "eve", "god", "correct horse", &err), NP_EINVAL);
  ASSERT_EQ_INT(store_user_add(st, "eve", "analyst", "short", &err), NP_EINVAL);
  ASSERT_EQ_INT(store_user_add(st, "bad name", "analyst", "long enough", &err), NP_EINVAL);
  char token[65];
  store_session s;
  ASSERT_EQ_INT(store_login(st, "root", "wrong password", 60, token, &s, &err), NP_ENOTFOUND);
  ASSERT_EQ_INT(store_login(st, "nobody", "correct horse", 60, token, &s, &err), NP_ENOTFOUND);
  ASSERT_EQ_INT(store_login(st, "root", "correct horse", 60, token, &s, &err), 0);
  ASSERT_STR_EQ(s.role, "admin");
  ASSERT_EQ_INT(strlen(s.csrf), 64);
  store_session g;
  ASSERT_EQ_INT(store_session_get(st, token, &g, &err), 0);
  ASSERT_STR_EQ(g.user, "root");
  ASSERT_STR_EQ(g.csrf, s.csrf);
  ASSERT_EQ_INT(store_logout(st, token, &err), 0);
  ASSERT_EQ_INT(store_session_get(st, token, &g, &err), NP_ENOTFOUND);
  /* The database keeps only a hash of the token and an argon2id hash. */
  sqlite3 *db = NULL;
  sqlite3_open(path, &db);
  sqlite3_stmt *q = NULL;
  sqlite3_prepare_v2(db, "SELECT pwhash FROM users", -1, &q, NULL);
  ASSERT_EQ_INT(sqlite3_step(q), SQLITE_ROW);
  ASSERT(strncmp((const char *)sqlite3_column_text(q, 0), "$argon2id$", 10) == 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  int64_t n = 0;
  ASSERT_EQ_INT(store_user_count(st, &n, &err), 0);
  ASSERT_EQ_INT(n, 1);
  store_close(st);
}

TEST(reports_and_receipts) {
  char path[256];
  tmp_db(path, sizeof path, "rep");
  store *st = open_db(path, 0);
  np_error err = {0};
  char receipt[32];
  ASSERT_EQ_INT(store_report_create(st, "fraud", NULL, "", NULL, receipt, sizeof receipt, &err),
                NP_EINVAL);
  ASSERT_EQ_INT(store_report_create(st, "fraud", "http://x.example", "they asked for a deposit",
                                    "me@example.com", receipt, sizeof receipt, &err),
                0);
  ASSERT_EQ_INT(strlen(receipt), 16);
  ASSERT(strncmp(receipt, "R20240501-", 10) == 0);
  util_buf out;
  util_buf_init(&out, NULL, 0);
  ASSERT_EQ_INT(store_report_status_json(st, receipt, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"status\":\"received\"");
  ASSERT(strstr(out.data, "deposit") == NULL); /* the public view has no body */
  util_buf_reset(&out);
  ASSERT_EQ_INT(store_report_status_json(st, "R00000000-AAAAAA", &out, &err), NP_ENOTFOUND);
  ASSERT_EQ_INT(store_reports_json(st, NULL, 10, 0, 0, &out, &err), 0);
  ASSERT(strstr(out.data, "me@example.com") == NULL);
  ASSERT_CONTAINS(out.data, "deposit");
  ASSERT_EQ_INT(store_report_set_status(st, 1, "actioned", &err), 0);
  ASSERT_EQ_INT(store_report_set_status(st, 1, "lost", &err), NP_EINVAL);
  util_buf_reset(&out);
  ASSERT_EQ_INT(store_report_status_json(st, receipt, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"status\":\"actioned\"");
  util_buf_free(&out);
  store_close(st);
}

static int64_t verify(store *st, store_audit_result *r) {
  np_error err = {0};
  if (store_audit_verify(st, r, &err) != 0) return -1;
  return r->bad_id;
}

TEST(audit_chain_detects_tampering) {
  char path[256];
  tmp_db(path, sizeof path, "audit");
  store *st = open_db(path, 0);
  np_error err = {0};
  store_audit_result r;
  ASSERT_EQ_INT(verify(st, &r), 0); /* empty log is intact */
  for (int i = 0; i < 5; i++) {
    char target[24];
    snprintf(target, sizeof target, "clue:%d", i);
    ASSERT_EQ_INT(store_audit(st, "ana", "clue.status", target, "{\"status\":\"confirmed\"}", &err), 0);
  }
  ASSERT_EQ_INT(verify(st, &r), 0);
  ASSERT_EQ_INT(r.rows, 5);
  store_close(st);
  /* Triggers refuse edits made through SQLite... */
  ASSERT(sql(path, "UPDATE audit SET actor='mallory' WHERE id=2") != SQLITE_OK);
  ASSERT(sql(path, "DELETE FROM audit WHERE id=2") != SQLITE_OK);
  /* ...and once dropped, the chain still catches an edit. */
  ASSERT_EQ_INT(sql(path, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"), 0);
  ASSERT_EQ_INT(sql(path, "UPDATE audit SET actor='mallory' WHERE id=3"), 0);
  st = open_db(path, 0);
  ASSERT_EQ_INT(verify(st, &r), 3);
  ASSERT_CONTAINS(r.problem, "altered");
  store_close(st);
  ASSERT_EQ_INT(sql(path, "UPDATE audit SET actor='ana' WHERE id=3"), 0);
  st = open_db(path, 0);
  ASSERT_EQ_INT(verify(st, &r), 0);
  store_close(st);
  /* Deletion in the middle, and at the end. */
  ASSERT_EQ_INT(sql(path, "CREATE TABLE keep AS SELECT * FROM audit; DELETE FROM audit WHERE id=2"), 0);
  st = open_db(path, 0);
  ASSERT_EQ_INT(verify(st, &r), 3);
  ASSERT_CONTAINS(r.problem, "missing");
  store_close(st);
  ASSERT_EQ_INT(sql(path, "DELETE FROM audit; INSERT INTO audit SELECT * FROM keep WHERE id<5"), 0);
  st = open_db(path, 0);
  ASSERT_EQ_INT(verify(st, &r), 5);
  ASSERT_CONTAINS(r.problem, "removed");
  store_close(st);
  /* Insertion: a forged row in place of row 5 with a made-up hash. */
  ASSERT_EQ_INT(sql(path, "INSERT INTO audit SELECT id, ts, 'mallory', action, target, detail,"
                          " prev_hash, hash FROM keep WHERE id=5"),
                0);
  st = open_db(path, 0);
  ASSERT_EQ_INT(verify(st, &r), 5);
  util_buf out;
  util_buf_init(&out, NULL, 0);
  ASSERT_EQ_INT(store_audit_json(st, 2, 0, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"id\":5");
  ASSERT_CONTAINS(out.data, "\"id\":4");
  ASSERT(strstr(out.data, "\"id\":3") == NULL);
  util_buf_free(&out);
  store_close(st);
}

TEST(full_disk_is_an_error_not_a_crash) {
  char path[256];
  tmp_db(path, sizeof path, "full");
  store *st = open_db(path, 0);
  store_close(st);
  store_options o;
  store_options_init(&o);
  o.batch = 1;
  o.max_pages = 60; /* the schema takes ~40 pages; a few posts fill the rest */
  np_error err = {0};
  ASSERT_EQ_INT(store_open(path, &o, &st, &err), 0);
  static char big[8192], p[9000];
  memset(big, 'a', sizeof big - 1);
  char v[256];
  int rc = 0, i;
  for (i = 0; i < 400 && rc == 0; i++) {
    snprintf(v, sizeof v, "{\"id\":\"f%d\",\"action\":\"block\",\"score\":1,\"hits\":[]}", i);
    snprintf(p, sizeof p, "{\"id\":\"f%d\",\"text\":\"%s\"}", i, big);
    rc = store_record_verdict_json(st, v, strlen(v), p, strlen(p), 0.5, NULL, &err);
  }
  ASSERT_EQ_INT(rc, NP_EDB);
  ASSERT(i > 1 && i < 400);
  ASSERT_CONTAINS(err.message, "full");
  store_close(st);
  /* The rows committed before the quota was hit are intact. */
  st = open_db(path, 0);
  util_buf out;
  util_buf_init(&out, NULL, 0);
  ASSERT_EQ_INT(store_stats_json(st, "month", 0, 0, &out, &err), 0);
  ASSERT_CONTAINS(out.data, "\"posts\":");
  util_buf_free(&out);
  store_close(st);
}

HARNESS_MAIN
