/* match_cache.h — private to src/match/: compiled Vectorscan databases cached
 * on disk, keyed by a 128-bit hash of the pattern set and the Vectorscan
 * version, so a big lexicon is compiled once, not on every start. */
#ifndef NP_MATCH_CACHE_H
#define NP_MATCH_CACHE_H
#include <hs/hs.h>
#include "match/match.h"

typedef struct match_cache_key {
  uint64_t lo, hi;
} match_cache_key;

/* 0, or -1 when it could not be computed (then the cache is not used). */
int match_cache_key_of(const match_pattern *pats, size_t n, match_cache_key *key);
/* The cached database for key, or NULL (missing, unreadable, corrupt, or built
 * for another CPU/version: hs_deserialize_database checks). */
hs_database_t *match_cache_load(const char *dir, const match_cache_key *key);
/* Writes db under key (to a temporary file renamed into place); errors ignored. */
void match_cache_store(const char *dir, const match_cache_key *key, const hs_database_t *db);
#endif
