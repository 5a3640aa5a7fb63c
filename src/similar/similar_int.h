/* similar_int.h — private to src/similar/: the hoax database layout shared by
 * hoaxdb.c (building) and hoax_match.c (querying). */
#ifndef NP_SIMILAR_INT_H
#define NP_SIMILAR_INT_H
#include "similar/similar.h"

#define SIMILAR_HOAX_MIN_TOKENS 6   /* claims/variants shorter than this are not indexed */

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
  size_t strings_bytes;
};

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
#endif
