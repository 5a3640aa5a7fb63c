/* lsh.c — the immutable LSH banding index used for the hoax database: per
 * band a bucket directory (CSR offsets) over ids sorted by bucket, with a
 * 16-bit key tag per entry so most bucket collisions are skipped without
 * touching the document.  Built once; queries only read, so threads share it. */
#include <stdlib.h>
#include <string.h>
#include "similar/similar.h"

struct similar_lsh {
  const np_allocator *alloc;
  unsigned bands, rows, bits;
  size_t n;
  uint32_t *off;  /* [bands][(1<<bits)+1] */
  uint32_t *ids;  /* [bands][n] */
  uint16_t *tags; /* [bands][n] */
};

void similar_lsh_free(similar_lsh *l) {
  if (!l) return;
  util_free(l->alloc, l->off);
  util_free(l->alloc, l->ids);
  util_free(l->alloc, l->tags);
  util_free(l->alloc, l);
}

int similar_lsh_build(const np_allocator *a, const uint32_t *bkeys, size_t n, unsigned bands,
                      unsigned rows, similar_lsh **out, np_error *err) {
  *out = NULL;
  if (!bands || !rows || bands * rows > SIMILAR_NHASH || n >= UINT32_MAX)
    return util_err(err, NP_EINVAL, "LSH: bad parameters %u x %u for %zu items", bands, rows, n);
  similar_lsh *l = util_calloc(a, 1, sizeof *l);
  if (!l) return util_err(err, NP_ENOMEM, "out of memory");
  l->alloc = a;
  l->bands = bands;
  l->rows = rows;
  l->n = n;
  /* About four entries per bucket: small directory, short scans. */
  l->bits = 4;
  while (((size_t)1 << l->bits) < n / 4 && l->bits < 28) l->bits++;
  size_t nb = ((size_t)1 << l->bits) + 1;
  uint32_t *keys = util_malloc(a, (n ? n : 1) * sizeof *keys);
  l->off = util_calloc(a, nb * bands, sizeof *l->off);
  l->ids = util_malloc(a, (n ? n : 1) * bands * sizeof *l->ids);
  l->tags = util_malloc(a, (n ? n : 1) * bands * sizeof *l->tags);
  if (!keys || !l->off || !l->ids || !l->tags) {
    util_free(a, keys);
    similar_lsh_free(l);
    return util_err(err, NP_ENOMEM, "out of memory building the LSH index");
  }
  uint32_t mask = (1u << l->bits) - 1;
  for (unsigned b = 0; b < bands; b++) {
    uint32_t *off = l->off + (size_t)b * nb;
    for (size_t i = 0; i < n; i++) {
      keys[i] = bkeys[i * bands + b];
      off[(keys[i] & mask) + 1]++;
    }
    for (size_t j = 1; j < nb; j++) off[j] += off[j - 1];
    /* Counting sort by bucket, keeping ids in increasing order per bucket. */
    uint32_t *ids = l->ids + (size_t)b * n;
    uint16_t *tags = l->tags + (size_t)b * n;
    for (size_t i = 0; i < n; i++) {
      uint32_t at = off[keys[i] & mask]++;
      ids[at] = (uint32_t)i;
      tags[at] = (uint16_t)(keys[i] >> 16);
    }
    for (size_t j = nb - 1; j > 0; j--) off[j] = off[j - 1];
    off[0] = 0;
  }
  util_free(a, keys);
  *out = l;
  return 0;
}

void similar_lsh_query(const similar_lsh *l, const uint32_t *sig,
                       void (*fn)(uint32_t id, void *ctx), void *ctx) {
  if (!l || !l->n) return;
  size_t nb = ((size_t)1 << l->bits) + 1;
  uint32_t mask = (1u << l->bits) - 1;
  for (unsigned b = 0; b < l->bands; b++) {
    uint32_t key = similar_band_key(sig, b, l->rows);
    const uint32_t *off = l->off + (size_t)b * nb;
    const uint32_t *ids = l->ids + (size_t)b * l->n;
    const uint16_t *tags = l->tags + (size_t)b * l->n;
    uint16_t tag = (uint16_t)(key >> 16);
    for (uint32_t i = off[key & mask]; i < off[(key & mask) + 1]; i++)
      if (tags[i] == tag) fn(ids[i], ctx);
  }
}

size_t similar_lsh_bytes(const similar_lsh *l) {
  if (!l) return 0;
  return sizeof *l + (((size_t)1 << l->bits) + 1) * l->bands * sizeof(uint32_t) +
         l->n * l->bands * (sizeof(uint32_t) + sizeof(uint16_t));
}
