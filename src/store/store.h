/* store.h — the clue store: SQLite (WAL) holding posts seen, verdicts as clues,
 * indicators and their links (gangs), cases, dispositions, public reports,
 * users, sessions and a hash-chained append-only audit log.
 *
 * Sees the engine only through netpatrol.h (verdict JSON in).  One store is one
 * SQLite connection: use it from one thread at a time.  Query functions write
 * JSON into a caller-owned util_buf; personal data in that JSON is masked
 * unless the caller passes reveal=1 (the caller audits reveals).
 */
#ifndef NP_STORE_H
#define NP_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "netpatrol.h"
#include "util/util.h"

typedef struct store store;

typedef struct store_options {
  size_t batch;         /* records per write transaction in store_record_* (default 1000) */
  int common_cap;       /* an indicator seen in more clues than this is "common": flagged, no
                           longer links (default 50) */
  int64_t now;          /* fixed clock for tests (seconds); 0 = wall clock */
  int64_t max_pages;    /* PRAGMA max_page_count (disk quota; tests of SQLITE_FULL); 0 = none */
} store_options;

/* Fills o with the defaults. */
void store_options_init(store_options *o);

/* Opens (creating if needed) the database at path, switches it to WAL and runs
 * pending migrations.  opts may be NULL.  Returns 0 or NP_EDB / NP_EVERSION
 * (database written by a newer netpatrol).  Caller frees with store_close. */
int store_open(const char *path, const store_options *opts, store **out, np_error *err);
/* Commits any pending batch and closes.  NULL is a no-op. */
void store_close(store *st);
/* Current wall-clock (or fixed test) time in seconds. */
int64_t store_now(const store *st);

/* ---- recording verdicts (scan --db, POST /scan) ---------------------------- */

/* Records one scanned post.  verdict_json is one verdict object as np_scan_json
 * writes it (trailing newline allowed); post_json the input record (may be
 * NULL: then only the verdict's "id" is known).  Every post is counted in
 * posts; a verdict whose action is not "pass" and whose score >= threshold
 * becomes a clue with its hits, indicators and links.  Error records
 * ({"line":..,"error":..}) are ignored (return 0).  Idempotent by post id: a
 * post id seen before is skipped.  Writes are batched: a transaction is opened
 * on the first record and committed every opts.batch records and by
 * store_flush / store_close.  *clue_id (may be NULL) gets the new clue id or 0.
 * Returns 0, NP_EJSON (verdict unparsable) or NP_EDB. */
int store_record_verdict_json(store *st, const char *verdict_json, size_t vlen,
                              const char *post_json, size_t plen, double threshold,
                              int64_t *clue_id, np_error *err);
/* The same, with the unmasked indicator values when the verdict JSON was
 * written masked: raw holds one value per entry of the verdict's
 * "indicators" array, in order, each ended by '\x1f' (rlen bytes; NULL = take
 * the values from the JSON).  Masked values (with '*') are never linked. */
int store_record_scan(store *st, const char *verdict_json, size_t vlen, const char *post_json,
                      size_t plen, const char *raw, size_t rlen, double threshold,
                      int64_t *clue_id, np_error *err);
/* Commits the pending batch (no-op without one). */
int store_flush(store *st, np_error *err);

/* ---- clues --------------------------------------------------------------- */

typedef struct store_clue_filter {
  const char *category;  /* prefix match on any hit category ("fraud" matches "fraud.loan") */
  int min_severity;      /* 0 = any; 1 low .. 4 critical */
  const char *status;    /* new, confirmed, escalated, dismissed, in_case; NULL = any */
  int64_t since, until;  /* clue time range, 0 = open */
  int64_t gang;          /* 0 = any */
  int64_t after_id;      /* keyset paging: ids < after_id (0 = from newest) */
  int limit, offset;     /* limit default 50, max 500 */
} store_clue_filter;

/* {"clues":[...],"total":N}; newest first. */
int store_clues_json(store *st, const store_clue_filter *f, int reveal, util_buf *out,
                     np_error *err);
/* One clue with text, verdict, evidence segments, indicators (masked unless
 * reveal), links, case and actions.  NP_ENOTFOUND if absent. */
int store_clue_json(store *st, int64_t id, int reveal, util_buf *out, np_error *err);
/* Triage: status one of new, confirmed, escalated, dismissed. */
int store_clue_set_status(store *st, int64_t id, const char *status, np_error *err);

/* ---- cases and dispositions ---------------------------------------------- */

/* Creates a case from clue ids (at least one, all must exist); *case_id out. */
int store_case_create(store *st, const char *title, const int64_t *clue_ids, size_t n,
                      const char *actor, int64_t *case_id, np_error *err);
int store_case_add_clues(store *st, int64_t case_id, const int64_t *clue_ids, size_t n,
                         np_error *err);
int store_case_note(store *st, int64_t case_id, const char *actor, const char *body,
                    np_error *err);
int store_case_set_status(store *st, int64_t case_id, const char *status, np_error *err);
int store_cases_json(store *st, const char *status, int limit, int offset, util_buf *out,
                     np_error *err);
int store_case_json(store *st, int64_t case_id, int reveal, util_buf *out, np_error *err);

/* Disposition types: "takedown", "ban_account", "publish_debunk",
 * "refer_police", "dismiss" (false positive).  1 if type is one of them. */
int store_action_type_valid(const char *type);
/* Records a disposition on a case (case_id > 0: applies to every clue of the
 * case) or on one clue (clue_id > 0).  "dismiss" marks the clue(s) dismissed,
 * which counts against each of their rules in the false-positive rate. */
int store_action_record(store *st, int64_t case_id, int64_t clue_id, const char *type,
                        const char *note, const char *actor, int64_t *action_id, np_error *err);

/* ---- gangs --------------------------------------------------------------- */

/* {"gangs":[{id,size,first_seen,last_seen,categories,indicators}]}, largest first. */
int store_gangs_json(store *st, int min_size, int limit, util_buf *out, np_error *err);
/* One gang as a graph: {"id","size",...,"nodes":[...],"edges":[...]}. */
int store_gang_json(store *st, int64_t gang_id, int reveal, util_buf *out, np_error *err);

/* ---- public reports ------------------------------------------------------ */

/* Stores a public report; *receipt (>= 17 bytes) gets its receipt number. */
int store_report_create(store *st, const char *category, const char *url, const char *body,
                        const char *contact, char *receipt, size_t receipt_size, np_error *err);
/* {"receipt","status","created_at","updated_at"} only: safe for the public. */
int store_report_status_json(store *st, const char *receipt, util_buf *out, np_error *err);
int store_reports_json(store *st, const char *status, int limit, int offset, int reveal,
                       util_buf *out, np_error *err);
/* status: received, reviewing, actioned, rejected. */
int store_report_set_status(store *st, int64_t id, const char *status, np_error *err);

/* ---- statistics ---------------------------------------------------------- */

/* period: "day", "week", "month" or "year".  Counts by category, action,
 * status and period, plus per-rule false-positive rates. */
int store_stats_json(store *st, const char *period, int64_t since, int64_t until, util_buf *out,
                     np_error *err);

/* ---- users and sessions -------------------------------------------------- */

/* Roles: admin, supervisor, analyst, auditor.  1 if valid. */
int store_role_valid(const char *role);
/* Adds a user with an argon2id hash of password (libsodium interactive limits). */
int store_user_add(store *st, const char *name, const char *role, const char *password,
                   np_error *err);
int store_user_set_password(store *st, const char *name, const char *password, np_error *err);
int store_users_json(store *st, util_buf *out, np_error *err);
int store_user_count(store *st, int64_t *count, np_error *err);

typedef struct store_session {
  int64_t user_id;
  char user[64];
  char role[16];
  char csrf[65];     /* hex token bound to the session */
} store_session;

/* Checks a password; on success creates a session valid for ttl seconds and
 * writes its token (hex, 64 chars + NUL) to token.  Wrong name or password is
 * NP_ENOTFOUND (same error for both). */
int store_login(store *st, const char *name, const char *password, int64_t ttl, char token[65],
                store_session *sess, np_error *err);
/* Looks up a live session by token: 0, or NP_ENOTFOUND if unknown/expired. */
int store_session_get(store *st, const char *token, store_session *sess, np_error *err);
int store_logout(store *st, const char *token, np_error *err);

/* ---- audit log ----------------------------------------------------------- */

/* Appends one row; the row's hash covers the previous row's hash and its own
 * fields, so any edit, insertion or deletion breaks the chain. */
int store_audit(store *st, const char *actor, const char *action, const char *target,
                const char *detail, np_error *err);
typedef struct store_audit_result {
  int64_t rows;
  int64_t bad_id;    /* first row that fails, 0 if the chain is intact */
  char head[65];     /* hash of the last row (publish it to anchor the chain) */
  char problem[160];
} store_audit_result;
/* Verifies the chain.  Returns 0 whether intact or not (see res->bad_id); a
 * negative code only when the database cannot be read. */
int store_audit_verify(store *st, store_audit_result *res, np_error *err);
int store_audit_json(store *st, int limit, int64_t before_id, util_buf *out, np_error *err);

/* "low".."critical" -> 1..4, else 0. */
int store_severity_of(const char *s);

/* ---- masking (shared with the server) ------------------------------------ */

/* Writes a masked form of an indicator value to out: phones keep 3+4 digits,
 * cards 4+4, ids 6+4 (birth date hidden), others keep about a quarter. */
void store_mask(const char *type, const char *value, char *out, size_t size);

#endif
