/* prefilter.c — the exact candidate filter in front of the hoax LSH path: an
 * inverted index from shingle hash to documents.  A document D can only match
 * a post P when |D ∩ P| >= t_D (its containment threshold), so it is enough to
 * index any |D| - t_D + m of its shingles and ask for m hits there (prefix
 * filtering): at most t_D - m shared shingles can sit in the unindexed rest.
 * Each document keeps its rarest shingles (document frequency in the db), so
 * frequent "stop shingles" drop out and posting lists stay short.  Postings
 * hold the full 32-bit shingle hash, so a hit is exact.  Posts that
 * reach no document's m skip MinHash entirely; the result is unchanged. */
#include <string.h>
#include "similar/similar_int.h"

void similar_pf_free(const np_allocator *a, similar_pf *pf) {
  util_free(a, pf->off);
  util_free(a, pf->post);
  util_free(a, pf->need);
  memset(pf, 0, sizeof *pf);
}

size_t similar_pf_bytes(const similar_pf *pf) {
  if (!pf->off) return 0;
  return (((size_t)1 << pf->bits) + 1) * sizeof(uint32_t) +
         pf->n * sizeof(uint64_t) + pf->docs * sizeof(uint16_t);
}

/* Postings per directory bucket, on average: a bucket's postings share a
 * cache line or two, and a smaller directory misses the cache less. */
#define PF_BUCKET 8
/* Indexes with at most this many postings stay in cache: no prefetching. */
#define PF_SMALL (1u << 16)

/* Order of a doc's shingles: rarest first (estimated df), then by hash. */
typedef struct ranked { uint32_t df, h; } ranked;

static int ranked_less(const ranked *a, const ranked *b) {
  return a->df != b->df ? a->df < b->df : a->h < b->h;
}

static void ranked_sort(ranked *r, size_t n) {
  for (size_t i = 1; i < n; i++) { /* documents are short: insertion sort */
    ranked x = r[i];
    size_t j = i;
    while (j > 0 && ranked_less(&x, &r[j - 1])) { r[j] = r[j - 1]; j--; }
    r[j] = x;
  }
}

static unsigned log2_ceil(size_t n) {
  unsigned b = 0;
  while (((size_t)1 << b) < n) b++;
  return b;
}

int similar_pf_build(const np_allocator *a, const uint32_t *set_off, const uint32_t *sets,
                     size_t docs, const uint32_t *t, similar_pf *pf) {
  memset(pf, 0, sizeof *pf);
  size_t total = set_off[docs];
  pf->docs = docs;
  pf->need = util_malloc(a, (docs ? docs : 1) * sizeof *pf->need);
  /* Document frequencies, estimated in a direct-mapped table of saturating
   * counters: a collision only changes which shingles a doc keeps. */
  unsigned dbits = log2_ceil(total * 2);
  if (dbits < 10) dbits = 10;
  if (dbits > 24) dbits = 24;
  uint16_t *df = util_calloc(a, (size_t)1 << dbits, sizeof *df);
  size_t longest = 0;
  for (size_t d = 0; d < docs; d++)
    if (set_off[d + 1] - set_off[d] > longest) longest = set_off[d + 1] - set_off[d];
  ranked *r = util_malloc(a, (longest ? longest : 1) * sizeof *r);
  if (!pf->need || !df || !r) goto oom;
  uint32_t dmask = (1u << dbits) - 1;
  for (size_t i = 0; i < total; i++) {
    uint16_t *c = &df[(sets[i] * 0x9E3779B1u) >> (32 - dbits) & dmask];
    if (*c < UINT16_MAX) (*c)++;
  }
  /* How many shingles each doc indexes, then the postings themselves. */
  size_t n = 0;
  for (size_t d = 0; d < docs; d++) {
    size_t ns = set_off[d + 1] - set_off[d];
    uint32_t m = t[d] < SIMILAR_PF_HITS ? t[d] : SIMILAR_PF_HITS;
    if (t[d] == 0 || t[d] > ns) m = 0; /* 0: always a candidate / never matches */
    if (t[d] == 0) pf->always = 1;
    pf->need[d] = (uint16_t)m;
    if (m) n += ns - t[d] + m;
    if (m && (!pf->min_need || m < pf->min_need)) pf->min_need = m;
  }
  pf->n = n;
  pf->bits = log2_ceil(n / PF_BUCKET + 1);
  if (pf->bits < 4) pf->bits = 4;
  size_t nb = ((size_t)1 << pf->bits) + 1;
  pf->off = util_calloc(a, nb, sizeof *pf->off);
  pf->post = util_malloc(a, (n ? n : 1) * sizeof *pf->post);
  if (!pf->off || !pf->post) goto oom;
  uint32_t mask = (1u << pf->bits) - 1;
  /* Two passes over the docs (count per bucket, then place) keep the build
   * free of a temporary postings array; ids stay increasing per bucket. */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t d = 0; d < docs; d++) {
      if (!pf->need[d]) continue;
      const uint32_t *s = sets + set_off[d];
      size_t ns = set_off[d + 1] - set_off[d], keep = ns - t[d] + pf->need[d];
      for (size_t i = 0; i < ns; i++) {
        r[i].h = s[i];
        r[i].df = df[(s[i] * 0x9E3779B1u) >> (32 - dbits) & dmask];
      }
      ranked_sort(r, ns);
      for (size_t i = 0; i < keep; i++) {
        uint32_t b = r[i].h & mask;
        if (pass == 0) {
          pf->off[b + 1]++;
        } else {
          pf->post[pf->off[b]++] = (uint64_t)d << 32 | r[i].h;
        }
      }
    }
    if (pass == 0) {
      for (size_t j = 1; j < nb; j++) pf->off[j] += pf->off[j - 1];
    } else { /* placing advanced each start to the next bucket's: shift back */
      for (size_t j = nb - 1; j > 0; j--) pf->off[j] = pf->off[j - 1];
      pf->off[0] = 0;
    }
  }
  util_free(a, df);
  util_free(a, r);
  return 0;
oom:
  util_free(a, df);
  util_free(a, r);
  similar_pf_free(a, pf);
  return NP_ENOMEM;
}

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif

/* In-place sort of 64-bit keys (shellsort: hit lists are short, and no
 * comparison callback). */
static void sort_u64(uint64_t *v, size_t n) {
  static const size_t gaps[] = {1750, 701, 301, 132, 57, 23, 10, 4, 1};
  for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++) {
    size_t gap = gaps[g];
    for (size_t i = gap; i < n; i++) {
      uint64_t x = v[i];
      size_t j = i;
      while (j >= gap && v[j - gap] > x) { v[j] = v[j - gap]; j -= gap; }
      v[j] = x;
    }
  }
}

int similar_pf_query(const similar_pf *pf, const uint32_t *sh, size_t n, util_vec *hits,
                     util_vec *cand) {
  hits->len = cand->len = 0;
  if (!pf->docs) return 0;
  if (pf->always) { /* nothing can be ruled out: every doc is a candidate */
    uint32_t *c = util_vec_grow(cand, pf->docs);
    if (!c) return NP_ENOMEM;
    for (size_t d = 0; d < pf->docs; d++) c[d] = (uint32_t)d;
    return (int)(pf->docs > INT32_MAX ? INT32_MAX : pf->docs);
  }
  const uint32_t *off = pf->off;
  const uint64_t *post = pf->post;
  uint32_t mask = (1u << pf->bits) - 1;
  uint64_t *x = hits->data;
  size_t nh = 0, cap = hits->cap;
  /* With a large db every look-up misses the cache twice (directory, then
   * postings).  Shingles then go in chunks: prefetch every directory entry
   * of the chunk, then read them and prefetch the postings, then scan, so
   * the misses of a chunk overlap instead of queueing.  A small db stays in
   * cache and takes the plain loop. */
  enum { CHUNK = 64 };
  uint32_t lo[CHUNK], hi[CHUNK];
  int prefetch = pf->n > PF_SMALL;
  for (size_t c0 = 0; c0 < n; c0 += CHUNK) {
    size_t cn = n - c0 < CHUNK ? n - c0 : CHUNK;
    const uint32_t *cs = sh + c0;
    if (prefetch)
      for (size_t i = 0; i < cn; i++) PREFETCH(&off[cs[i] & mask]);
    for (size_t i = 0; i < cn; i++) {
      uint32_t b = cs[i] & mask;
      lo[i] = off[b];
      hi[i] = off[b + 1];
      if (prefetch && lo[i] < hi[i]) PREFETCH(&post[lo[i]]);
    }
    for (size_t i = 0; i < cn; i++) {
      uint32_t h = cs[i];
      for (uint32_t k = lo[i]; k < hi[i]; k++) {
        if ((uint32_t)post[k] != h) continue;
        if (nh == cap) { /* rare: grow outside the hot loop's registers */
          hits->len = nh;
          if (!util_vec_grow(hits, nh ? nh : 64)) return NP_ENOMEM;
          x = hits->data;
          cap = hits->cap;
        }
        x[nh++] = post[k];
      }
    }
  }
  hits->len = nh;
  if (nh < pf->min_need) return 0; /* no doc can have enough */
  /* Hits per doc in a small open-addressing table after the hits (key doc+1
   * in the high half, count in the low half).  Most posts leave every doc
   * short of its need and stop here, without sorting anything. */
  size_t tsize = 16;
  while (tsize < 2 * nh) tsize *= 2;
  if (!util_vec_grow(hits, tsize)) return NP_ENOMEM;
  x = hits->data;
  uint64_t *tab = x + nh;
  memset(tab, 0, tsize * sizeof *tab);
  size_t tmask = tsize - 1;
  int any = 0;
  for (size_t i = 0; i < nh && !any; i++) {
    uint32_t d = (uint32_t)(x[i] >> 32);
    size_t j = (d * 0x9E3779B1u) & tmask;
    while (tab[j] && (uint32_t)(tab[j] >> 32) != d + 1) j = (j + 1) & tmask;
    if (!tab[j]) tab[j] = (uint64_t)(d + 1) << 32;
    any = (uint32_t)++tab[j] >= pf->need[d];
  }
  hits->len = nh;
  if (!any) return 0;
  /* Some doc has enough hits, but a post may repeat a shingle: count the
   * distinct ones, per doc, over the sorted hits. */
  sort_u64(x, nh);
  for (size_t i = 0; i < nh;) {
    uint32_t d = (uint32_t)(x[i] >> 32);
    size_t j = i + 1, distinct = 1;
    for (; j < nh && (uint32_t)(x[j] >> 32) == d; j++) distinct += x[j] != x[j - 1];
    if (distinct >= pf->need[d] && util_vec_push(cand, &d) < 0) return NP_ENOMEM;
    i = j;
  }
  return (int)(cand->len > INT32_MAX ? INT32_MAX : cand->len);
}
