/* similar_int.h — private to src/similar/: MinHash permutations, the hoax
 * prefilter, and the hoax database layout shared by hoaxdb.c (building),
 * prefilter.c and hoax_match.c (querying). */
#ifndef NP_SIMILAR_INT_H
#define NP_SIMILAR_INT_H
#include "similar/similar.h"

/* splitmix64 finaliser (shared by MinHash and the per-shingle hash vectors). */
static inline uint64_t similar_mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}
/* Slot j's hash of a 32-bit shingle hash x: multiply-shift with a per-slot
 * odd multiplier (cheap, and a fixed permutation per slot is all MinHash
 * needs once x itself is well mixed). */
static inline uint32_t similar_slot_hash(uint32_t x, uint64_t seed_j) {
  return (uint32_t)(((seed_j | 1) * ((uint64_t)x + (seed_j >> 32))) >> 32);
}
/* The per-slot seeds of similar_minhash for a base seed. */
static inline uint64_t similar_slot_seed(uint64_t seed, unsigned j) {
  return similar_mix64(seed + 0x9e3779b97f4a7c15ULL * (j + 1));
}

/* similar_slot_hash's two halves for every slot, computed once per seed:
 * slot j of x is (mul[j] * (x + add[j])) >> 32. */
typedef struct similar_perm {
  uint64_t mul[SIMILAR_NHASH], add[SIMILAR_NHASH];
} similar_perm;
void similar_perm_init(similar_perm *p, uint64_t seed);
/* similar_minhash with precomputed permutations (vectorized where the CPU
 * allows; the signature is the same on every path). */
void similar_minhash_perm(const similar_perm *p, const uint32_t *sh, size_t n, uint32_t *sig);
/* Every slot hash of each shingle: out[i * SIMILAR_NHASH + j]. */
void similar_slot_hashes(const similar_perm *p, const uint32_t *sh, size_t n, uint32_t *out);

#define SIMILAR_HOAX_MIN_TOKENS 6   /* claims/variants shorter than this are not indexed */
#define SIMILAR_PF_HITS 4           /* prefilter: indexed shingles a candidate must share */

/* The exact candidate prefilter (prefilter.c): an inverted index over part of
 * each document's shingle set.  need[d] hits among the indexed shingles are
 * implied by any match of doc d (0: the doc can never match). */
typedef struct similar_pf {
  unsigned bits;
  uint32_t *off;   /* [(1 << bits) + 1] bucket (hash & mask) → postings range */
  uint64_t *post;  /* [n] doc << 32 | shingle hash: one load checks and reports */
  uint16_t *need;  /* [docs] */
  size_t n, docs;
  unsigned min_need; /* the least need[d] of an indexed doc */
  int always;      /* some doc matches with no shared shingle: no filtering */
} similar_pf;

/* Builds the filter from the docs' sorted sets; t[d] = shared shingles that a
 * match of doc d implies (0: any post may match; > |D|: never). */
int similar_pf_build(const np_allocator *a, const uint32_t *set_off, const uint32_t *sets,
                     size_t docs, const uint32_t *t, similar_pf *pf);
void similar_pf_free(const np_allocator *a, similar_pf *pf);
size_t similar_pf_bytes(const similar_pf *pf);
/* Candidate docs (in cand, sorted) for the post shingles sh[0..n) (duplicates
 * allowed); hits is scratch.  Returns the candidate count or NP_ENOMEM. */
int similar_pf_query(const similar_pf *pf, const uint32_t *sh, size_t n, util_vec *hits,
                     util_vec *cand);

struct similar_hoaxdb {
  const np_allocator *alloc;
  similar_hoaxdb_opts opts;
  unsigned bands, rows;
  similar_hoax *hoax;
  size_t n;
  util_vec doc_hoax; /* uint32: the hoax each indexed document belongs to */
  util_vec set_off;  /* uint32 [docs+1]: document i's shingle set is sets[off[i]..off[i+1]) */
  util_vec sets;     /* uint32 sorted shingle hashes, concatenated */
  similar_lsh *lsh;
  similar_pf pf;     /* exact prefilter in front of the LSH path */
  similar_perm perm; /* MinHash permutations for opts.seed */
  size_t strings_bytes;
};

#endif
