/* store_users.c — users, roles and sessions.  Passwords are argon2id hashes
 * (libsodium crypto_pwhash_str, interactive limits); session tokens are 32
 * random bytes of which only the BLAKE2b hash is stored, so a copy of the
 * database does not hand out live sessions.  Each session has its own CSRF
 * token. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "store/store_int.h"

static const char *const ROLES[] = {"admin", "supervisor", "analyst", "auditor"};

int store_role_valid(const char *role) {
  for (size_t i = 0; role && i < sizeof ROLES / sizeof ROLES[0]; i++)
    if (strcmp(role, ROLES[i]) == 0) return 1;
  return 0;
}

static int name_valid(const char *name) {
  size_t n = name ? strlen(name) : 0;
  if (n == 0 || n >= 64) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.'))
      return 0;
  }
  return 1;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], np_error *err) {
  size_t n = password ? strlen(password) : 0;
  if (n < 8) return util_err(err, NP_EINVAL, "password must have at least 8 characters");
  if (n > 1024) return util_err(err, NP_EINVAL, "password too long");
  if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return util_err(err, NP_ENOMEM, "password hashing ran out of memory");
  return 0;
}

int store_user_add(store *st, const char *name, const char *role, const char *password,
                   np_error *err) {
  if (!name_valid(name))
    return util_err(err, NP_EINVAL, "user name must be 1-63 characters of A-Z a-z 0-9 _ - .");
  if (!store_role_valid(role))
    return util_err(err, NP_EINVAL, "role must be admin, supervisor, analyst or auditor");
  char hash[crypto_pwhash_STRBYTES];
  int rc = hash_password(password, hash, err);
  if (rc) return rc;
  if ((rc = store_flush(st, err))) return rc;
  sqlite3_stmt *s = NULL;
  if ((rc = store_prepare(st, "INSERT INTO users(name, role, pwhash, created_at) VALUES(?1,?2,?3,?4)",
                          &s, err)))
    return rc;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 4, store_now(st));
  int r = sqlite3_step(s);
  if (r == SQLITE_CONSTRAINT) rc = util_err(err, NP_EINVAL, "user '%s' already exists", name);
  else if (r != SQLITE_DONE) rc = store_db_err(st, err, "adding user");
  sqlite3_finalize(s);
  return rc;
}

int store_user_set_password(store *st, const char *name, const char *password, np_error *err) {
  char hash[crypto_pwhash_STRBYTES];
  int rc = hash_password(password, hash, err);
  if (rc) return rc;
  sqlite3_stmt *s = NULL;
  if ((rc = store_prepare(st, "UPDATE users SET pwhash=?2 WHERE name=?1", &s, err))) return rc;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "setting password");
  else if (sqlite3_changes(st->db) == 0) rc = util_err(err, NP_ENOTFOUND, "no user '%s'", name);
  sqlite3_finalize(s);
  if (rc) return rc;
  /* A new password ends every session of the user. */
  if ((rc = store_prepare(st, "DELETE FROM sessions WHERE user_id=(SELECT id FROM users WHERE"
                              " name=?1)", &s, err)))
    return rc;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "ending sessions");
  sqlite3_finalize(s);
  return rc;
}

int store_users_json(store *st, util_buf *out, np_error *err) {
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st, "SELECT id, name, role, disabled, created_at FROM users ORDER BY id",
                         &s, err);
  if (rc) return rc;
  rc = util_buf_printf(out, "{\"users\":[");
  for (int first = 1; !rc && sqlite3_step(s) == SQLITE_ROW; first = 0) {
    if (!first) rc = util_buf_putc(out, ',');
    if (!rc) rc = store_json_row_object(out, s);
  }
  sqlite3_finalize(s);
  if (!rc) rc = util_buf_printf(out, "]}");
  return rc ? util_err(err, rc, "building users JSON") : 0;
}

int store_user_count(store *st, int64_t *count, np_error *err) {
  *count = store_scalar(st, "SELECT count(*) FROM users", 0, 0);
  return *count < 0 ? store_db_err(st, err, "counting users") : 0;
}

static void token_hash(const char *token, char out[65]) {
  unsigned char d[32];
  crypto_generichash(d, sizeof d, (const unsigned char *)token, strlen(token), NULL, 0);
  sodium_bin2hex(out, 65, d, sizeof d);
}

static void random_hex(char out[65]) {
  unsigned char r[32];
  randombytes_buf(r, sizeof r);
  sodium_bin2hex(out, 65, r, sizeof r);
}

int store_login(store *st, const char *name, const char *password, int64_t ttl, char token[65],
                store_session *sess, np_error *err) {
  memset(sess, 0, sizeof *sess);
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st, "SELECT id, role, pwhash FROM users WHERE name=?1 AND disabled=0", &s,
                         err);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, name ? name : "", -1, SQLITE_STATIC);
  int ok = 0;
  if (sqlite3_step(s) == SQLITE_ROW && password) {
    const char *hash = (const char *)sqlite3_column_text(s, 2);
    ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    sess->user_id = sqlite3_column_int64(s, 0);
    snprintf(sess->role, sizeof sess->role, "%s", (const char *)sqlite3_column_text(s, 1));
    snprintf(sess->user, sizeof sess->user, "%s", name);
  }
  sqlite3_finalize(s);
  if (!ok) {
    memset(sess, 0, sizeof *sess);
    return util_err(err, NP_ENOTFOUND, "wrong user name or password");
  }
  char th[65];
  random_hex(token);
  random_hex(sess->csrf);
  token_hash(token, th);
  int64_t now = store_now(st);
  if ((rc = store_flush(st, err))) return rc;
  store_scalar(st, "DELETE FROM sessions WHERE expires_at<?1", now, 0);
  if ((rc = store_prepare(st,
                          "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at)"
                          " VALUES(?1,?2,?3,?4,?5)",
                          &s, err)))
    return rc;
  sqlite3_bind_text(s, 1, th, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, sess->user_id);
  sqlite3_bind_text(s, 3, sess->csrf, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 4, now);
  sqlite3_bind_int64(s, 5, now + (ttl > 0 ? ttl : 12 * 3600));
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "creating session");
  sqlite3_finalize(s);
  return rc;
}

int store_session_get(store *st, const char *token, store_session *sess, np_error *err) {
  memset(sess, 0, sizeof *sess);
  if (!token || strlen(token) != 64) return util_err(err, NP_ENOTFOUND, "no session");
  char th[65];
  token_hash(token, th);
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st,
                         "SELECT u.id, u.name, u.role, s.csrf FROM sessions s JOIN users u"
                         " ON u.id=s.user_id WHERE s.token_hash=?1 AND s.expires_at>=?2"
                         " AND u.disabled=0",
                         &s, err);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, th, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, store_now(st));
  if (sqlite3_step(s) == SQLITE_ROW) {
    sess->user_id = sqlite3_column_int64(s, 0);
    snprintf(sess->user, sizeof sess->user, "%s", (const char *)sqlite3_column_text(s, 1));
    snprintf(sess->role, sizeof sess->role, "%s", (const char *)sqlite3_column_text(s, 2));
    snprintf(sess->csrf, sizeof sess->csrf, "%s", (const char *)sqlite3_column_text(s, 3));
  } else {
    rc = util_err(err, NP_ENOTFOUND, "no session");
  }
  sqlite3_finalize(s);
  return rc;
}

int store_logout(store *st, const char *token, np_error *err) {
  if (!token) return 0;
  char th[65];
  token_hash(token, th);
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st, "DELETE FROM sessions WHERE token_hash=?1", &s, err);
  if (rc) return rc;
  sqlite3_bind_text(s, 1, th, -1, SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "ending session");
  sqlite3_finalize(s);
  return rc;
}
