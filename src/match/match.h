/* match — compiles every pattern of every loaded rule into ONE Vectorscan
 * database and scans canonical text once per post.  The only module that
 * includes <hs.h>.  Depends on util. */
#ifndef NP_MATCH_H
#define NP_MATCH_H
#include <stddef.h>
#include <stdint.h>
#include "netpatrol.h"

enum {
  MATCH_LITERAL = 0,  /* expr is a literal byte string (already normalized) */
  MATCH_REGEX = 1,    /* expr is a PCRE-subset regex (UTF-8 mode) */
};
enum {
  MATCH_F_NOCASE = 1,   /* caseless (regexes only; literals are normalized) */
  MATCH_F_DOTALL = 2,
  MATCH_F_SINGLE = 4,   /* report at most one match per scan (presence tests) */
};

typedef struct match_pattern {
  const char *expr;
  size_t len;
  unsigned kind;    /* MATCH_LITERAL / MATCH_REGEX */
  unsigned flags;   /* MATCH_F_* */
  unsigned id;      /* reported back in matches */
} match_pattern;

typedef struct match_db match_db;         /* immutable, shared by threads */
typedef struct match_scratch match_scratch; /* one per thread */

/* Builds the database.  On a bad regex returns NP_ERULE with *bad_index set
 * to the offending pattern's index and err->message from Vectorscan. */
int match_db_build(const match_pattern *pats, size_t n, const np_allocator *a, match_db **out,
                   size_t *bad_index, np_error *err);
/* The same, with a cache of compiled databases in cache_dir (NULL: none):
 * a database compiled before from the very same patterns (and the same
 * Vectorscan build and CPU) is loaded instead of compiled, and a new one is
 * stored there (best effort: an unwritable or corrupt cache only costs time). */
int match_db_build_cached(const match_pattern *pats, size_t n, const np_allocator *a,
                          const char *cache_dir, match_db **out, size_t *bad_index,
                          np_error *err);
void match_db_free(match_db *db);
size_t match_db_bytes(const match_db *db);

int match_scratch_alloc(const match_db *db, const np_allocator *a, match_scratch **out,
                        np_error *err);
void match_scratch_free(match_scratch *s);

/* Called for every match: byte offsets [start, end) into the scanned text.
 * Return nonzero to stop scanning. */
typedef int (*match_cb)(unsigned id, uint32_t start, uint32_t end, void *ctx);

/* Scans text once.  A database with no patterns matches nothing. */
int match_scan(const match_db *db, match_scratch *s, const char *text, size_t len, match_cb cb,
               void *ctx, np_error *err);
#endif
