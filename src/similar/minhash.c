/* minhash.c — MinHash signatures over shingle sets and the LSH banding maths:
 * candidate probability 1-(1-s^r)^b and the choice of bands × rows for a
 * target Jaccard.  Pure functions, no state. */
#include <math.h>
#include <string.h>
#include "similar/similar_int.h"


void similar_minhash(const uint32_t *sh, size_t n, uint64_t seed, uint32_t *sig) {
  uint64_t seeds[SIMILAR_NHASH];
  for (unsigned j = 0; j < SIMILAR_NHASH; j++) {
    seeds[j] = similar_slot_seed(seed, j);
    sig[j] = UINT32_MAX;
  }
  for (size_t i = 0; i < n; i++) {
    uint32_t x = sh[i];
    for (unsigned j = 0; j < SIMILAR_NHASH; j++) {
      uint32_t h = similar_slot_hash(x, seeds[j]);
      if (h < sig[j]) sig[j] = h;
    }
  }
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
