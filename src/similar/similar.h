/* similar — near-duplicate text: character shingles, MinHash signatures, LSH
 * banding, the known-hoax index (immutable, shared by all scanning threads)
 * and the coordination window (cross-post state, driven by the CLI).
 * Depends on util only: callers pass canonical text (src/text) in.
 * Nothing here reads a clock: every time is passed in, so results are
 * deterministic.  docs/similarity.md explains parameters and curves. */
#ifndef NP_SIMILAR_H
#define NP_SIMILAR_H
#include <stddef.h>
#include <stdint.h>
#include "netpatrol.h"
#include "util/util.h"

/* ---- shingles ---------------------------------------------------------- */

#define SIMILAR_NHASH 128     /* MinHash slots */
#define SIMILAR_MAX_TOKENS 4096 /* longer texts are shingled on their first tokens */

/* A text reduced to tokens: Han characters and letters/digits (ASCII lower
 * case); spaces, punctuation and symbols are dropped; a digit run becomes one
 * '#' token, a URL one 'U' token, an @mention one '@' token, so templated
 * spam with rotating links or numbers still matches.  seg[i] = 1 marks a
 * token that starts a new sentence (after 。！？；!?; or a line break). */
typedef struct similar_tokens {
  uint32_t *tok;
  uint8_t *seg;
  size_t n, cap;
  util_buf clean;       /* the tokens as UTF-8 (for entity look-ups) */
  const np_allocator *alloc;
} similar_tokens;

void similar_tokens_init(similar_tokens *t, const np_allocator *a);
void similar_tokens_free(similar_tokens *t);
/* Tokenizes text[0..len) (canonical UTF-8; invalid bytes are skipped). */
int similar_tokenize(const char *text, size_t len, similar_tokens *t);

/* Hashes of the k-token shingles t->tok[from..to) into out (uint32_t,
 * appended, in text order, duplicates kept).  A range shorter than k gives
 * one shingle of the whole range; an empty range gives none. */
int similar_shingles(const similar_tokens *t, size_t from, size_t to, unsigned k,
                     util_vec *out);
/* Sorts a uint32 vector and removes duplicates (a shingle SET). */
void similar_set_sort(util_vec *v);
/* |A ∩ B| of two sorted sets. */
size_t similar_set_inter(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* ---- MinHash and LSH parameters ---------------------------------------- */

/* sig[j] = min over shingles x of mix(x, seed_j), j < SIMILAR_NHASH.
 * An empty set gives all slots UINT32_MAX (no real match). */
void similar_minhash(const uint32_t *sh, size_t n, uint64_t seed, uint32_t *sig);
/* Fraction of equal slots (estimates Jaccard). */
double similar_sig_jaccard(const uint32_t *a, const uint32_t *b);
/* P(candidate | J = s) for b bands of r rows: 1 - (1 - s^r)^b. */
double similar_lsh_prob(double s, unsigned b, unsigned r);
/* Chooses bands × rows (b·r ≤ SIMILAR_NHASH) for a target Jaccard t by
 * minimising 0.2·∫₀ᵗP + 0.8·∫ₜ¹(1−P): recall-oriented, since every candidate
 * is re-checked exactly.  t = 0.5 → 32 × 4; t = 0.6 → 25 × 5. */
void similar_lsh_choose(double t, unsigned *bands, unsigned *rows);
/* The key of band i (rows r) of a signature. */
uint32_t similar_band_key(const uint32_t *sig, unsigned band, unsigned rows);

/* ---- immutable LSH index (built once, read by any number of threads) --- */

typedef struct similar_lsh similar_lsh;
/* Builds an index over n items given their band keys (bkeys[i*bands + b] =
 * similar_band_key(sig_i, b, rows)); ids are 0..n-1.  bkeys is borrowed. */
int similar_lsh_build(const np_allocator *a, const uint32_t *bkeys, size_t n, unsigned bands,
                      unsigned rows, similar_lsh **out, np_error *err);
void similar_lsh_free(similar_lsh *l);
/* Calls fn(id, ctx) for every id sharing a band with sig (an id can be
 * reported once per agreeing band; callers dedupe). */
void similar_lsh_query(const similar_lsh *l, const uint32_t *sig,
                       void (*fn)(uint32_t id, void *ctx), void *ctx);
size_t similar_lsh_bytes(const similar_lsh *l);

/* ---- hoax database ----------------------------------------------------- */

enum {
  SIMILAR_HOAX_DISASTER = 0,
  SIMILAR_HOAX_PUBLIC_SECURITY = 1,
  SIMILAR_HOAX_FINANCE_POLICY = 2,
  SIMILAR_HOAX_EPIDEMIC = 3,
  SIMILAR_HOAX_NCAT = 4
};
/* "hoax.disaster" ... for a SIMILAR_HOAX_* value. */
const char *similar_hoax_category_name(int cat);

typedef struct similar_hoax {
  char *id, *claim, *debunk_url, *debunked_by, *date;
  int category;           /* SIMILAR_HOAX_* */
  char **entities;        /* cleaned (tokenized) key entities; all must appear
                             for the lower threshold, the first always */
  size_t n_entities;
} similar_hoax;

/* Canonicalizer for claims at load time (the engine passes its normalizer):
 * writes the canonical form of in to out (reset first).  NULL = identity. */
typedef int (*similar_canon_fn)(const char *in, size_t len, util_buf *out, void *ctx);

typedef struct similar_hoaxdb_opts {
  double threshold;       /* match if max(J, containment) >= this (default 0.6) */
  double entity_threshold;/* ... or >= this when all entities appear (default 0.45) */
  unsigned k;             /* shingle size (default 2) */
  uint64_t seed;
  similar_canon_fn canon; /* may be NULL */
  void *canon_ctx;
} similar_hoaxdb_opts;
void similar_hoaxdb_opts_init(similar_hoaxdb_opts *o);

typedef struct similar_hoaxdb similar_hoaxdb; /* immutable after load */

/* Parses a JSONL hoax database (DESIGN §4 plus optional "variants" and
 * "entities" arrays) and builds the index.  Errors name "file:line". */
int similar_hoaxdb_load(const np_allocator *a, const char *file, const char *src, size_t len,
                        const similar_hoaxdb_opts *o, similar_hoaxdb **out, np_error *err);
/* Builds from records already in memory (bench, tests): claims[i] with
 * variants; the db copies everything. */
typedef struct similar_hoax_input {
  const char *id, *claim, *category, *debunk_url, *debunked_by, *date;
  const char *const *variants;
  size_t n_variants;
  const char *const *entities;
  size_t n_entities;
} similar_hoax_input;
int similar_hoaxdb_build(const np_allocator *a, const similar_hoax_input *in, size_t n,
                         const similar_hoaxdb_opts *o, similar_hoaxdb **out, np_error *err);
void similar_hoaxdb_free(similar_hoaxdb *db);
size_t similar_hoaxdb_count(const similar_hoaxdb *db);    /* claims */
size_t similar_hoaxdb_docs(const similar_hoaxdb *db);     /* claims + variants indexed */
size_t similar_hoaxdb_bytes(const similar_hoaxdb *db);    /* memory held */
const similar_hoax *similar_hoaxdb_get(const similar_hoaxdb *db, size_t i);

/* Per-thread query state (reused from post to post). */
typedef struct similar_query similar_query;
int similar_query_new(const np_allocator *a, similar_query **out);
void similar_query_free(similar_query *q);

typedef struct similar_hoax_result {
  int matched;            /* 1 if a claim matched */
  size_t hoax;            /* index for similar_hoaxdb_get */
  double similarity;      /* max(J, containment) of the best document */
  int debunk;             /* 1: the post debunks/reports the claim (stance) */
  size_t candidates;      /* documents verified (for benchmarks) */
} similar_hoax_result;

/* Matches canonical text against the db.  Thread-safe with distinct q. */
int similar_hoax_match(const similar_hoaxdb *db, similar_query *q, const char *text, size_t len,
                       similar_hoax_result *res);

/* 1 if the canonical text carries debunk cues (辟谣, 不实, 系编造 ...)
 * that are not part of claim (may be NULL). */
int similar_debunk_cue(const char *text, size_t len, const char *claim);

/* ---- coordination window ----------------------------------------------- */

typedef struct similar_coord_opts {
  int64_t window_s;       /* W: max time between linked posts (default 1800) */
  int64_t disorder_s;     /* tolerated time disorder of the input (default = W) */
  double similarity;      /* exact Jaccard of shingle sets to link (default 0.6) */
  unsigned min_accounts;  /* K distinct authors to flag a cluster (default 5) */
  unsigned min_tokens;    /* shorter posts are not indexed (default 8) */
  unsigned k;             /* shingle size (default 2) */
  unsigned pileon_accounts; /* distinct abusive authors on one target (default 5) */
  size_t max_posts;       /* hard cap on posts in the window (default 1,000,000) */
  uint64_t seed;
} similar_coord_opts;
void similar_coord_opts_init(similar_coord_opts *o);

typedef struct similar_coord similar_coord;
int similar_coord_new(const np_allocator *a, const similar_coord_opts *o, similar_coord **out,
                      np_error *err);
void similar_coord_free(similar_coord *c);

/* Adds a post, in input order.  seq must increase.  time 0 = unknown (such
 * posts are never clustered).  target = reply_to, or NULL to use the first
 * @mention of the text; abusive marks content that counts toward a pile-on. */
int similar_coord_add(similar_coord *c, uint64_t seq, const char *author, int64_t time,
                      const char *text, size_t len, const char *target, int abusive);
/* 1 once no later post (within the disorder bound) can link to post seq. */
int similar_coord_final(const similar_coord *c, uint64_t seq);
/* Marks the end of input: every post becomes final. */
void similar_coord_finish(similar_coord *c);

typedef struct similar_coord_info {
  int member;             /* 1: in a cluster with >= min_accounts authors */
  uint64_t cluster;       /* cluster id = smallest seq of the cluster */
  unsigned accounts;      /* distinct authors in the cluster */
  unsigned posts;
  int64_t span_s;         /* latest - earliest post time in the cluster */
  int pileon;             /* 1: abusive post in a pile-on on its target */
  unsigned pileon_accounts;
  const char *target;     /* borrowed until similar_coord_release(seq) */
} similar_coord_info;

/* What is known about post seq now (final once similar_coord_final says so).
 * Returns NP_ENOTFOUND for a seq never added or already released. */
int similar_coord_get(const similar_coord *c, uint64_t seq, similar_coord_info *info);
/* Forgets post seq's pending record (after its verdict is written). */
void similar_coord_release(similar_coord *c, uint64_t seq);

typedef struct similar_coord_stats {
  size_t posts_in_window, peak_posts, bytes, peak_bytes, clusters_flagged, evicted_cap;
} similar_coord_stats;
void similar_coord_get_stats(const similar_coord *c, similar_coord_stats *st);
#endif
