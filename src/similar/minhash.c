/* minhash.c — MinHash signatures over shingle sets and the LSH banding maths:
 * candidate probability 1-(1-s^r)^b and the choice of bands × rows for a
 * target Jaccard.  Pure functions, no state.  The slot loops are the hot
 * spot of the coordination window, so on x86-64 they are also compiled for
 * AVX2 and AVX-512 and picked at run time; all paths give the same bits. */
#include <math.h>
#include <string.h>
#include "similar/similar_int.h"

void similar_perm_init(similar_perm *p, uint64_t seed) {
  for (unsigned j = 0; j < SIMILAR_NHASH; j++) {
    uint64_t s = similar_slot_seed(seed, j);
    p->mul[j] = s | 1;
    p->add[j] = s >> 32;
  }
}

/* Written without branches so compilers vectorize them (same arithmetic as
 * similar_slot_hash). */
#define MINHASH_BODY                                                      \
  for (unsigned j = 0; j < SIMILAR_NHASH; j++) sig[j] = UINT32_MAX;       \
  for (size_t i = 0; i < n; i++) {                                        \
    uint64_t x = sh[i];                                                   \
    for (unsigned j = 0; j < SIMILAR_NHASH; j++) {                        \
      uint32_t h = (uint32_t)((p->mul[j] * (x + p->add[j])) >> 32);       \
      sig[j] = h < sig[j] ? h : sig[j];                                   \
    }                                                                     \
  }
#define SLOTS_BODY                                                        \
  for (size_t i = 0; i < n; i++) {                                        \
    uint64_t x = sh[i];                                                   \
    uint32_t *o = out + i * SIMILAR_NHASH;                                \
    for (unsigned j = 0; j < SIMILAR_NHASH; j++)                          \
      o[j] = (uint32_t)((p->mul[j] * (x + p->add[j])) >> 32);             \
  }

static void minhash_generic(const similar_perm *p, const uint32_t *sh, size_t n, uint32_t *sig) {
  MINHASH_BODY
}
static void slots_generic(const similar_perm *p, const uint32_t *sh, size_t n, uint32_t *out) {
  SLOTS_BODY
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SIMILAR_DISPATCH 1
#define AVX512 __attribute__((target("avx512f,avx512dq,avx512vl")))
#define AVX2 __attribute__((target("avx2")))
AVX512 static void minhash_avx512(const similar_perm *p, const uint32_t *sh, size_t n,
                                  uint32_t *sig) {
  MINHASH_BODY
}
AVX2 static void minhash_avx2(const similar_perm *p, const uint32_t *sh, size_t n, uint32_t *sig) {
  MINHASH_BODY
}
AVX512 static void slots_avx512(const similar_perm *p, const uint32_t *sh, size_t n,
                                uint32_t *out) {
  SLOTS_BODY
}
AVX2 static void slots_avx2(const similar_perm *p, const uint32_t *sh, size_t n, uint32_t *out) {
  SLOTS_BODY
}
static int has_avx512(void) {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl");
}
#endif

void similar_minhash_perm(const similar_perm *p, const uint32_t *sh, size_t n, uint32_t *sig) {
#ifdef SIMILAR_DISPATCH
  if (has_avx512()) { minhash_avx512(p, sh, n, sig); return; }
  if (__builtin_cpu_supports("avx2")) { minhash_avx2(p, sh, n, sig); return; }
#endif
  minhash_generic(p, sh, n, sig);
}

void similar_slot_hashes(const similar_perm *p, const uint32_t *sh, size_t n, uint32_t *out) {
#ifdef SIMILAR_DISPATCH
  if (has_avx512()) { slots_avx512(p, sh, n, out); return; }
  if (__builtin_cpu_supports("avx2")) { slots_avx2(p, sh, n, out); return; }
#endif
  slots_generic(p, sh, n, out);
}

void similar_minhash(const uint32_t *sh, size_t n, uint64_t seed, uint32_t *sig) {
  similar_perm p;
  similar_perm_init(&p, seed);
  similar_minhash_perm(&p, sh, n, sig);
}

double similar_sig_jaccard(const uint32_t *a, const uint32_t *b) {
  unsigned eq = 0;
  for (unsigned j = 0; j < SIMILAR_NHASH; j++) eq += a[j] == b[j];
  return (double)eq / SIMILAR_NHASH;
}

double similar_lsh_prob(double s, unsigned b, unsigned r) {
  return 1.0 - pow(1.0 - pow(s, (double)r), (double)b);
}

/* Midpoint-rule integrals of the false-positive and false-negative areas. */
static double cost(double t, unsigned b, unsigned r) {
  const int steps = 100;
  double fp = 0, fn = 0;
  for (int i = 0; i < steps; i++) {
    double s = t * (i + 0.5) / steps;
    fp += similar_lsh_prob(s, b, r) * t / steps;
    s = t + (1 - t) * (i + 0.5) / steps;
    fn += (1 - similar_lsh_prob(s, b, r)) * (1 - t) / steps;
  }
  return 0.2 * fp + 0.8 * fn;
}

void similar_lsh_choose(double t, unsigned *bands, unsigned *rows) {
  double best = HUGE_VAL;
  *bands = SIMILAR_NHASH;
  *rows = 1;
  for (unsigned r = 1; r <= 32; r++) {
    unsigned b = SIMILAR_NHASH / r;
    double c = cost(t, b, r);
    if (c < best - 1e-12) { best = c; *bands = b; *rows = r; }
  }
}

uint32_t similar_band_key(const uint32_t *sig, unsigned band, unsigned rows) {
  return (uint32_t)util_hash64(sig + (size_t)band * rows, rows * sizeof(uint32_t),
                               0x42414e44ULL + band);
}
