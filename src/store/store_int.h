/* store_int.h — private to src/store/: the store struct, cached statements
 * and small SQLite helpers shared by the store's files. */
#ifndef NP_STORE_INT_H
#define NP_STORE_INT_H
#include <sqlite3.h>
#include "store/store.h"

/* Statements prepared once and reused on the hot path (scan --db). */
enum {
  STMT_POST_INSERT,
  STMT_CLUE_INSERT,
  STMT_HIT_INSERT,
  STMT_IND_UPSERT,
  STMT_IND_GET,
  STMT_IND_BUMP,
  STMT_CLUE_IND_INSERT,
  STMT_LINK_INSERT,
  STMT_CLUE_GANG,
  STMT_COUNT
};

struct store {
  sqlite3 *db;
  store_options opts;
  sqlite3_stmt *stmt[STMT_COUNT];
  size_t pending;       /* records in the open batch transaction */
  int in_batch;
};

/* Fills err from the connection's last error; returns NP_EDB. */
int store_db_err(store *st, np_error *err, const char *what);
/* Runs SQL with no results. */
int store_exec(store *st, const char *sql, np_error *err);
/* Prepares sql (caller finalizes). */
int store_prepare(store *st, const char *sql, sqlite3_stmt **out, np_error *err);
/* Begins / commits an explicit transaction, first committing any open batch. */
int store_tx_begin(store *st, np_error *err);
int store_tx_commit(store *st, np_error *err);
void store_tx_rollback(store *st);
/* One integer from a query with up to two integer parameters (-1 if no row). */
int64_t store_scalar(store *st, const char *sql, int64_t a, int64_t b);

/* Migrations (store_schema.c). */
int store_migrate(store *st, np_error *err);

/* Linking (store_link.c): links clue_id through its indicators, updating gangs. */
int store_link_clue(store *st, int64_t clue_id, int64_t t, np_error *err);
/* 1 if indicators of this type link clues. */
int store_link_type(const char *type);

/* JSON helpers (store_json.c). */
int store_json_col(util_buf *b, sqlite3_stmt *s, int col);           /* string/int/real/null */
int store_json_kv_str(util_buf *b, const char *key, const char *v, int comma);
/* Appends the masked or revealed value of an indicator as a JSON string. */
int store_json_indicator_value(util_buf *b, const char *type, const char *value, int reveal);
/* Appends a verdict-derived evidence "segments" array for text. */
int store_json_segments(util_buf *b, const char *text, const char *verdict_json,
                        const char *ind_json, int reveal);
int store_json_row_object(util_buf *b, sqlite3_stmt *s);  /* all columns by name */
/* Appends ,"key":[rows...] for a query whose one parameter is id. */
int store_json_rows(store *st, util_buf *b, const char *key, const char *sql, int64_t id);
#endif
