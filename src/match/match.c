/* match.c — one Vectorscan database for all literals and regexes.
 * Literals are compiled without start-of-match tracking (their start is end
 * minus their length); only regexes pay for HS_FLAG_SOM_LEFTMOST. */
#include <hs/hs.h>
#include <stdio.h>
#include <string.h>
#include "match/match.h"
#include "match/match_cache.h"
#include "util/util.h"

struct match_db {
  hs_database_t *hs;     /* NULL when there are no patterns */
  const np_allocator *alloc;
  size_t n;
  unsigned *ids;         /* internal index -> caller id */
  uint32_t *lit_len;     /* internal index -> literal length, 0 for regexes */
};

struct match_scratch {
  hs_scratch_t *hs;
  const np_allocator *alloc;
};

/* Escapes a literal as a regex: every byte that is not [A-Za-z0-9] becomes \xHH. */
static char *escape_literal(const np_allocator *a, const char *s, size_t n) {
  char *out = util_malloc(a, n * 4 + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out[o++] = (char)c;
    } else {
      o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
    }
  }
  out[o] = 0;
  return out;
}

int match_db_build(const match_pattern *pats, size_t n, const np_allocator *a, match_db **out,
                   size_t *bad_index, np_error *err) {
  return match_db_build_cached(pats, n, a, NULL, out, bad_index, err);
}

int match_db_build_cached(const match_pattern *pats, size_t n, const np_allocator *a,
                          const char *cache_dir, match_db **out, size_t *bad_index,
                          np_error *err) {
  int rc = NP_OK;
  *out = NULL;
  match_db *db = util_calloc(a, 1, sizeof *db);
  if (!db) return util_err(err, NP_ENOMEM, "out of memory building the pattern database");
  db->alloc = a;
  db->n = n;
  char **exprs = NULL;
  unsigned *flags = NULL, *hsids = NULL;
  if (n == 0) { *out = db; return NP_OK; }
  db->ids = util_calloc(a, n, sizeof *db->ids);
  db->lit_len = util_calloc(a, n, sizeof *db->lit_len);
  exprs = util_calloc(a, n, sizeof *exprs);
  flags = util_calloc(a, n, sizeof *flags);
  hsids = util_calloc(a, n, sizeof *hsids);
  if (!db->ids || !db->lit_len || !exprs || !flags || !hsids) { rc = NP_ENOMEM; goto fail; }
  for (size_t i = 0; i < n; i++) {
    db->ids[i] = pats[i].id;
    hsids[i] = (unsigned)i;
    if (pats[i].kind == MATCH_LITERAL) {
      if (pats[i].len == 0) {
        if (bad_index) *bad_index = i;
        rc = util_err(err, NP_ERULE, "empty literal");
        goto fail;
      }
      exprs[i] = escape_literal(a, pats[i].expr, pats[i].len);
      db->lit_len[i] = (uint32_t)pats[i].len;
      flags[i] = pats[i].flags & MATCH_F_SINGLE ? HS_FLAG_SINGLEMATCH : 0;
    } else {
      exprs[i] = util_strndup(a, pats[i].expr, pats[i].len);
      flags[i] = HS_FLAG_UTF8 | HS_FLAG_ALLOWEMPTY | HS_FLAG_SOM_LEFTMOST;
      if (pats[i].flags & MATCH_F_SINGLE) flags[i] |= HS_FLAG_SINGLEMATCH;
      if (pats[i].flags & MATCH_F_NOCASE) flags[i] |= HS_FLAG_CASELESS;
      if (pats[i].flags & MATCH_F_DOTALL) flags[i] |= HS_FLAG_DOTALL;
    }
    if (!exprs[i]) { rc = NP_ENOMEM; goto fail; }
  }
  match_cache_key key;
  if (cache_dir && match_cache_key_of(pats, n, &key) < 0) cache_dir = NULL;
  if (cache_dir && (db->hs = match_cache_load(cache_dir, &key)) != NULL)
    goto done; /* compiled before from the same patterns: no need to compile again */
  hs_compile_error_t *cerr = NULL;
  hs_error_t hrc = hs_compile_multi((const char *const *)exprs, flags, hsids, (unsigned)n,
                                    HS_MODE_BLOCK, NULL, &db->hs, &cerr);
  if (hrc != HS_SUCCESS) {
    if (bad_index) *bad_index = cerr && cerr->expression >= 0 ? (size_t)cerr->expression : 0;
    rc = util_err(err, NP_ERULE, "%s", cerr && cerr->message ? cerr->message : "compile failed");
    hs_free_compile_error(cerr);
    goto fail;
  }
  if (cache_dir) match_cache_store(cache_dir, &key, db->hs); /* best effort */
  goto done;
fail:
  if (rc == NP_ENOMEM) util_err(err, rc, "out of memory building the pattern database");
  match_db_free(db);
  db = NULL;
done:
  if (exprs)
    for (size_t i = 0; i < n; i++) util_free(a, exprs[i]);
  util_free(a, exprs);
  util_free(a, flags);
  util_free(a, hsids);
  *out = db;
  return rc;
}

void match_db_free(match_db *db) {
  if (!db) return;
  if (db->hs) hs_free_database(db->hs);
  util_free(db->alloc, db->ids);
  util_free(db->alloc, db->lit_len);
  util_free(db->alloc, db);
}

size_t match_db_bytes(const match_db *db) {
  size_t sz = 0;
  if (db && db->hs) hs_database_size(db->hs, &sz);
  return sz;
}

int match_scratch_alloc(const match_db *db, const np_allocator *a, match_scratch **out,
                        np_error *err) {
  match_scratch *s = util_calloc(a, 1, sizeof *s);
  if (!s) return util_err(err, NP_ENOMEM, "out of memory allocating scan scratch");
  s->alloc = a;
  if (db->hs && hs_alloc_scratch(db->hs, &s->hs) != HS_SUCCESS) {
    util_free(a, s);
    return util_err(err, NP_ENOMEM, "cannot allocate Vectorscan scratch");
  }
  *out = s;
  return NP_OK;
}

void match_scratch_free(match_scratch *s) {
  if (!s) return;
  if (s->hs) hs_free_scratch(s->hs);
  util_free(s->alloc, s);
}

struct scan_ctx {
  const match_db *db;
  match_cb cb;
  void *user;
};

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx) {
  (void)flags;
  struct scan_ctx *c = ctx;
  uint32_t len = c->db->lit_len[id];
  uint32_t start = len ? (uint32_t)(to - len) : (uint32_t)from;
  return c->cb(c->db->ids[id], start, (uint32_t)to, c->user);
}

int match_scan(const match_db *db, match_scratch *s, const char *text, size_t len, match_cb cb,
               void *ctx, np_error *err) {
  if (!db->hs || len == 0) return NP_OK;
  if (len > UINT32_MAX) return util_err(err, NP_ETOOBIG, "text too large to scan");
  struct scan_ctx c = {db, cb, ctx};
  hs_error_t rc = hs_scan(db->hs, text, (unsigned)len, 0, s->hs, on_match, &c);
  if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)
    return util_err(err, NP_EMATCH, "Vectorscan scan failed (code %d)", (int)rc);
  return NP_OK;
}
