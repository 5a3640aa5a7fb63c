/* store_link.c — incremental linking.  A new clue is linked to the most
 * recent earlier clue sharing each of its linkable indicator values, and the
 * gangs (connected components) they belong to are merged union-by-size: the
 * smaller gangs are relabelled into the largest, so each clue is relabelled
 * O(log n) times over the store's life and nothing is recomputed from scratch.
 * A value seen in more than opts.common_cap clues (a platform's hotline) is
 * flagged common and stops linking, so it cannot glue everything together. */
#include <string.h>
#include "store/store_int.h"

/* Indicator types that identify an actor (the list); others, such as
 * a victim's ID number, are stored and shown but do not link. */
static const char *const LINK_TYPES[] = {
    "phone", "bank_card", "url", "domain", "account", "qq", "wechat", "alipay",
    "email", "crypto", "btc", "eth", "usdt", "trc20", "telegram",
};

int store_link_type(const char *type) {
  if (!type) return 0;
  for (size_t i = 0; i < sizeof LINK_TYPES / sizeof LINK_TYPES[0]; i++)
    if (strcmp(type, LINK_TYPES[i]) == 0) return 1;
  return strncmp(type, "crypto", 6) == 0;
}

#define MAX_PEERS 64

typedef struct peer {
  int64_t clue, gang, indicator;
} peer;

static int64_t gang_of(store *st, int64_t clue) {
  sqlite3_stmt *s = st->stmt[STMT_CLUE_GANG];
  sqlite3_bind_int64(s, 1, clue);
  int64_t g = 0;
  if (sqlite3_step(s) == SQLITE_ROW) g = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  return g;
}

static int run(store *st, const char *sql, int64_t a, int64_t b, int64_t c, np_error *err) {
  sqlite3_stmt *s = NULL;
  int rc = store_prepare(st, sql, &s, err);
  if (rc) return rc;
  int n = sqlite3_bind_parameter_count(s);
  if (n >= 1) sqlite3_bind_int64(s, 1, a);
  if (n >= 2) sqlite3_bind_int64(s, 2, b);
  if (n >= 3) sqlite3_bind_int64(s, 3, c);
  if (sqlite3_step(s) != SQLITE_DONE) rc = store_db_err(st, err, "updating gangs");
  sqlite3_finalize(s);
  return rc;
}

/* Collects, per linkable indicator of the clue, the previous clue holding it,
 * and bumps the indicator's clue count (flagging it common past the cap). */
static int collect_peers(store *st, int64_t clue, int64_t t, peer *peers, size_t *n,
                         np_error *err) {
  sqlite3_stmt *q = NULL;
  int rc = store_prepare(st,
                         "SELECT DISTINCT i.id, i.type, i.n_clues, i.common, i.last_clue"
                         " FROM clue_indicators ci JOIN indicators i ON i.id=ci.indicator_id"
                         " WHERE ci.clue_id=?1",
                         &q, err);
  if (rc) return rc;
  sqlite3_bind_int64(q, 1, clue);
  while (sqlite3_step(q) == SQLITE_ROW) {
    int64_t ind = sqlite3_column_int64(q, 0);
    const char *type = (const char *)sqlite3_column_text(q, 1);
    int64_t n_clues = sqlite3_column_int64(q, 2);
    int common = sqlite3_column_int(q, 3) || n_clues + 1 > st->opts.common_cap;
    int64_t last = sqlite3_column_int64(q, 4);
    if (!common && last && last != clue && store_link_type(type) && *n < MAX_PEERS)
      peers[(*n)++] = (peer){last, 0, ind};
    sqlite3_stmt *b = st->stmt[STMT_IND_BUMP];
    sqlite3_bind_int64(b, 1, ind);
    sqlite3_bind_int(b, 2, common);
    sqlite3_bind_int64(b, 3, clue);
    sqlite3_bind_int64(b, 4, t);
    int r = sqlite3_step(b);
    sqlite3_reset(b);
    if (r != SQLITE_DONE) {
      rc = store_db_err(st, err, "updating indicator");
      break;
    }
  }
  sqlite3_finalize(q);
  return rc;
}

int store_link_clue(store *st, int64_t clue, int64_t t, np_error *err) {
  peer peers[MAX_PEERS];
  size_t n = 0;
  int rc = collect_peers(st, clue, t, peers, &n, err);
  if (rc || n == 0) return rc;
  /* The surviving gang is the largest one among the peers' gangs. */
  int64_t survivor = 0, best = 0;
  for (size_t i = 0; i < n; i++) {
    peers[i].gang = gang_of(st, peers[i].clue);
    if (!peers[i].gang) continue;
    int64_t size = store_scalar(st, "SELECT size FROM gangs WHERE id=?1", peers[i].gang, 0);
    if (size > best) best = size, survivor = peers[i].gang;
  }
  int64_t added = 1; /* the new clue */
  if (!survivor) {
    if ((rc = run(st, "INSERT INTO gangs(size, first_seen, last_seen) VALUES(0, ?1, ?1)", t, 0, 0,
                  err)))
      return rc;
    survivor = sqlite3_last_insert_rowid(st->db);
  }
  for (size_t i = 0; i < n; i++) {
    int64_t a = peers[i].clue < clue ? peers[i].clue : clue;
    int64_t b = peers[i].clue < clue ? clue : peers[i].clue;
    sqlite3_stmt *s = st->stmt[STMT_LINK_INSERT];
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    sqlite3_bind_int64(s, 3, peers[i].indicator);
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r != SQLITE_DONE) return store_db_err(st, err, "linking clues");
    int64_t g = peers[i].gang;
    if (g == survivor) continue;
    if (g) { /* merge a smaller gang into the survivor */
      added += store_scalar(st, "SELECT size FROM gangs WHERE id=?1", g, 0);
      if ((rc = run(st, "UPDATE clues SET gang_id=?1 WHERE gang_id=?2", survivor, g, 0, err)) ||
          (rc = run(st,
                    "UPDATE gangs SET first_seen=min(first_seen,(SELECT first_seen FROM gangs"
                    " WHERE id=?2)), last_seen=max(last_seen,(SELECT last_seen FROM gangs"
                    " WHERE id=?2)) WHERE id=?1",
                    survivor, g, 0, err)) ||
          (rc = run(st, "DELETE FROM gangs WHERE id=?1", g, 0, 0, err)))
        return rc;
      for (size_t j = i + 1; j < n; j++)
        if (peers[j].gang == g) peers[j].gang = survivor;
    } else {
      added++;
      if ((rc = run(st, "UPDATE clues SET gang_id=?1 WHERE id=?2", survivor, peers[i].clue, 0,
                    err)))
        return rc;
      /* Its time joins the gang's range. */
      if ((rc = run(st,
                    "UPDATE gangs SET first_seen=min(first_seen,(SELECT time FROM clues WHERE"
                    " id=?2)), last_seen=max(last_seen,(SELECT time FROM clues WHERE id=?2))"
                    " WHERE id=?1",
                    survivor, peers[i].clue, 0, err)))
        return rc;
      for (size_t j = i + 1; j < n; j++)
        if (peers[j].clue == peers[i].clue) peers[j].gang = survivor;
    }
  }
  if ((rc = run(st, "UPDATE clues SET gang_id=?1 WHERE id=?2", survivor, clue, 0, err)) ||
      (rc = run(st,
                "UPDATE gangs SET size=size+?3, first_seen=min(first_seen,?2),"
                " last_seen=max(last_seen,?2) WHERE id=?1",
                survivor, t, added, err)))
    return rc;
  return 0;
}
