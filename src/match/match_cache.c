/* match_cache.c — on-disk cache of compiled databases.  File layout:
 * "NPHSDB01", the 16-byte key, the 8-byte length of the serialized database,
 * then hs_serialize_database's bytes (which carry their own checksum). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include "match/match_cache.h"

#define MAGIC "NPHSDB01"
#define MAX_DB_BYTES ((size_t)1 << 31)

int match_cache_key_of(const match_pattern *pats, size_t n, match_cache_key *key) {
  /* one buffer of everything that decides the compiled database, hashed at once */
  const char *ver = hs_version();
  size_t total = 8 + strlen(ver);
  for (size_t i = 0; i < n; i++) total += 32 + pats[i].len;
  char *buf = malloc(total);
  if (!buf) return -1;
  size_t o = 0;
  memcpy(buf, MAGIC, 8);
  o += 8;
  memcpy(buf + o, ver, strlen(ver));
  o += strlen(ver);
  for (size_t i = 0; i < n; i++) {
    uint64_t meta[4] = {pats[i].kind, pats[i].flags, pats[i].id, pats[i].len};
    memcpy(buf + o, meta, sizeof meta);
    o += sizeof meta;
    memcpy(buf + o, pats[i].expr, pats[i].len);
    o += pats[i].len;
  }
  XXH128_hash_t h = XXH3_128bits(buf, o);
  free(buf);
  key->lo = h.low64;
  key->hi = h.high64;
  return 0;
}

static void path_of(const char *dir, const match_cache_key *key, char *buf, size_t size) {
  snprintf(buf, size, "%s/%016llx%016llx.hsdb", dir, (unsigned long long)key->hi,
           (unsigned long long)key->lo);
}

hs_database_t *match_cache_load(const char *dir, const match_cache_key *key) {
  char path[4096];
  path_of(dir, key, path, sizeof path);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char head[8 + 16 + 8];
  hs_database_t *db = NULL;
  uint64_t len = 0;
  if (fread(head, 1, sizeof head, f) == sizeof head && memcmp(head, MAGIC, 8) == 0 &&
      memcmp(head + 8, key, 16) == 0) {
    memcpy(&len, head + 24, 8);
    char *bytes = len && len < MAX_DB_BYTES ? malloc((size_t)len) : NULL;
    if (bytes && fread(bytes, 1, (size_t)len, f) == len &&
        hs_deserialize_database(bytes, (size_t)len, &db) != HS_SUCCESS)
      db = NULL;
    free(bytes);
  }
  fclose(f);
  return db;
}

void match_cache_store(const char *dir, const match_cache_key *key, const hs_database_t *db) {
  char *bytes = NULL;
  size_t len = 0;
  if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) return;
  char path[4096], tmp[4200];
  path_of(dir, key, path, sizeof path);
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  int ok = f != NULL;
  if (ok) {
    uint64_t l = len;
    ok = fwrite(MAGIC, 1, 8, f) == 8 && fwrite(key, 1, 16, f) == 16 &&
         fwrite(&l, 1, 8, f) == 8 && fwrite(bytes, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
  }
  if (ok) ok = rename(tmp, path) == 0;
  if (!ok) unlink(tmp);
  free(bytes);
}
