/* coord.c — the coordination window: posts of the last W seconds (stream
 * time, passed in) in an LSH index (bands × rows chosen from the similarity
 * threshold); a new post is linked to every indexed post within W whose
 * exact shingle-set Jaccard reaches the threshold, and linked posts are
 * merged into clusters (union-find) that count distinct authors and span.
 * Links depend only on the pair, so the clusters do not depend on input
 * order inside the disorder bound.  Pile-on tracking lives in pileon.c. */
#include <stdlib.h>
#include <string.h>
#include "similar/coord_int.h"

void similar_coord_opts_init(similar_coord_opts *o) {
  memset(o, 0, sizeof *o);
  o->window_s = 1800;
  o->disorder_s = -1; /* = window_s */
  o->similarity = 0.6;
  o->min_accounts = 5;
  o->min_tokens = 8;
  o->k = 2;
  o->pileon_accounts = 5;
  o->max_posts = 1000000;
  o->seed = 0x636f6f72ULL;
}

/* ---- clusters (union-find with reference counts on the root) ---------- */

static uint32_t cl_find(similar_coord *c, uint32_t i) {
  cluster *cl = c->clusters.data;
  uint32_t r = i;
  while (cl[r].parent != r) r = cl[r].parent;
  while (cl[i].parent != r) { uint32_t n = cl[i].parent; cl[i].parent = r; i = n; }
  return r;
}

static int cl_new(similar_coord *c, const entry *e, uint32_t *out) {
  uint32_t i;
  if (c->free_clusters.len) {
    i = UTIL_VEC_AT(&c->free_clusters, uint32_t, --c->free_clusters.len);
  } else {
    cluster *n = util_vec_grow(&c->clusters, 1);
    if (!n) return NP_ENOMEM;
    i = (uint32_t)(c->clusters.len - 1);
  }
  cluster *cl = &UTIL_VEC_AT(&c->clusters, cluster, i);
  memset(cl, 0, sizeof *cl);
  cl->parent = i;
  cl->min_seq = e->seq;
  cl->tmin = cl->tmax = e->time;
  util_vec_init(&cl->authors, c->alloc, sizeof(uint64_t));
  util_vec_init(&cl->absorbed, c->alloc, sizeof(uint32_t));
  if (util_vec_push(&cl->authors, &e->author) < 0) return NP_ENOMEM;
  cl->posts = 1;
  cl->refs = 1;
  *out = i;
  return 0;
}

static void cl_release(similar_coord *c, uint32_t i) {
  uint32_t r = cl_find(c, i);
  cluster *cl = &UTIL_VEC_AT(&c->clusters, cluster, r);
  if (--cl->refs) return;
  if (cl->flagged) c->flagged--;
  uint32_t *ab = cl->absorbed.data;
  for (size_t j = 0; j < cl->absorbed.len; j++) {
    (void)util_vec_push(&c->free_clusters, &ab[j]);
  }
  util_vec_free(&cl->authors);
  util_vec_free(&cl->absorbed);
  cl->parent = r;
  /* Reserved capacity guarantees these pushes (see cl_merge / cl_new). */
  (void)util_vec_push(&c->free_clusters, &r);
}

/* Merges sorted author sets a ∪ b into a fresh vector. */
static int merge_authors(const np_allocator *al, util_vec *a, const util_vec *b) {
  util_vec m;
  util_vec_init(&m, al, sizeof(uint64_t));
  if (!util_vec_grow(&m, a->len + b->len)) return NP_ENOMEM;
  const uint64_t *x = a->data, *y = b->data;
  uint64_t *o = m.data;
  size_t i = 0, j = 0, n = 0;
  while (i < a->len || j < b->len) {
    uint64_t v;
    if (j == b->len || (i < a->len && x[i] < y[j])) v = x[i++];
    else if (i == a->len || y[j] < x[i]) v = y[j++];
    else { v = x[i++]; j++; }
    o[n++] = v;
  }
  m.len = n;
  util_vec_free(a);
  *a = m;
  return 0;
}

static int cl_union(similar_coord *c, uint32_t a, uint32_t b) {
  a = cl_find(c, a);
  b = cl_find(c, b);
  if (a == b) return 0;
  cluster *A = &UTIL_VEC_AT(&c->clusters, cluster, a), *B = &UTIL_VEC_AT(&c->clusters, cluster, b);
  if (A->posts < B->posts) { cluster *t = A; A = B; B = t; uint32_t u = a; a = b; b = u; }
  int rc;
  TRY(merge_authors(c->alloc, &A->authors, &B->authors));
  /* Keep room on the free list for every cluster object, so releasing never fails. */
  if (!util_vec_grow(&c->free_clusters, B->absorbed.len + 1)) return NP_ENOMEM;
  c->free_clusters.len -= B->absorbed.len + 1;
  TRY(util_vec_push(&A->absorbed, &b));
  for (size_t j = 0; j < B->absorbed.len; j++)
    TRY(util_vec_push(&A->absorbed, &UTIL_VEC_AT(&B->absorbed, uint32_t, j)));
  if (B->min_seq < A->min_seq) A->min_seq = B->min_seq;
  if (B->tmin < A->tmin) A->tmin = B->tmin;
  if (B->tmax > A->tmax) A->tmax = B->tmax;
  A->posts += B->posts;
  A->refs += B->refs;
  if (B->flagged) c->flagged--;
  util_vec_free(&B->authors);
  util_vec_free(&B->absorbed);
  B->parent = a;
  return 0;
fail:
  return rc;
}

/* Adds post e (just linked to c) to its cluster bookkeeping. */
static void cl_note_flag(similar_coord *c, uint32_t i) {
  cluster *cl = &UTIL_VEC_AT(&c->clusters, cluster, cl_find(c, i));
  if (!cl->flagged && cl->authors.len >= c->o.min_accounts) {
    cl->flagged = 1;
    c->flagged++;
    c->flagged_total++;
  }
}

/* ---- the LSH heads (per band, grown by doubling) ---------------------- */

static int heads_resize(similar_coord *c, unsigned bits);

static void link_entry(similar_coord *c, uint32_t ei) {
  entry *e = &UTIL_VEC_AT(&c->entries, entry, ei);
  size_t size = (size_t)1 << c->bits;
  for (unsigned b = 0; b < c->bands; b++) {
    int32_t *h = c->heads + b * size + (e->keys[b] & (size - 1));
    e->next[b] = *h;
    *h = (int32_t)ei;
  }
}

static void unlink_entry(similar_coord *c, uint32_t ei) {
  entry *e = &UTIL_VEC_AT(&c->entries, entry, ei);
  size_t size = (size_t)1 << c->bits;
  for (unsigned b = 0; b < c->bands; b++) {
    int32_t *p = c->heads + b * size + (e->keys[b] & (size - 1));
    while (*p >= 0 && *p != (int32_t)ei) p = &UTIL_VEC_AT(&c->entries, entry, *p).next[b];
    if (*p == (int32_t)ei) *p = e->next[b];
  }
}

static int heads_resize(similar_coord *c, unsigned bits) {
  size_t size = (size_t)1 << bits;
  int32_t *h = util_malloc(c->alloc, size * c->bands * sizeof *h);
  if (!h) return NP_ENOMEM;
  memset(h, 0xff, size * c->bands * sizeof *h);
  util_free(c->alloc, c->heads);
  c->heads = h;
  c->bits = bits;
  uint32_t *fifo = c->fifo.data;
  for (size_t i = c->fifo_head; i < c->fifo.len; i++)
    if (UTIL_VEC_AT(&c->entries, entry, fifo[i]).indexed) link_entry(c, fifo[i]);
  return 0;
}

/* ---- entries ----------------------------------------------------------- */

static void entry_free(similar_coord *c, uint32_t ei) {
  entry *e = &UTIL_VEC_AT(&c->entries, entry, ei);
  if (e->cluster != NO_CLUSTER) cl_release(c, e->cluster);
  c->bytes -= e->block_bytes;
  util_free(c->alloc, e->keys);
  memset(e, 0, sizeof *e);
  e->cluster = NO_CLUSTER;
  (void)util_vec_push(&c->free_entries, &ei); /* capacity reserved at allocation */
}

/* Drops an entry from the LSH index; frees it if its verdict is out too. */
static void entry_unindex(similar_coord *c, uint32_t ei) {
  entry *e = &UTIL_VEC_AT(&c->entries, entry, ei);
  unlink_entry(c, ei);
  e->indexed = 0;
  c->n_indexed--;
  if (e->released) entry_free(c, ei);
}

/* Evicts posts older than the link horizon (and beyond the cap). */
static void evict(similar_coord *c) {
  int64_t horizon = c->max_time - c->disorder - c->o.window_s;
  uint32_t *fifo = c->fifo.data;
  while (c->fifo_head < c->fifo.len) {
    entry *e = &UTIL_VEC_AT(&c->entries, entry, fifo[c->fifo_head]);
    int over = c->n_indexed > c->o.max_posts;
    if (!over && e->time >= horizon) break;
    if (over) c->evicted_cap++;
    entry_unindex(c, fifo[c->fifo_head++]);
  }
  if (c->fifo_head > 1024 && c->fifo_head * 2 > c->fifo.len) {
    memmove(fifo, fifo + c->fifo_head, (c->fifo.len - c->fifo_head) * sizeof *fifo);
    c->fifo.len -= c->fifo_head;
    c->fifo_head = 0;
  }
}

typedef struct probe {
  similar_coord *c;
  uint32_t self;
} probe;

/* Links the new entry to every indexed post that is close in time and text. */
static int link_candidates(similar_coord *c, uint32_t ei) {
  size_t size = (size_t)1 << c->bits;
  int rc = 0;
  c->stamp++;
  for (unsigned b = 0; b < c->bands; b++) {
    entry *e = &UTIL_VEC_AT(&c->entries, entry, ei);
    uint32_t key = e->keys[b];
    for (int32_t j = c->heads[b * size + (key & (size - 1))]; j >= 0;) {
      entry *o = &UTIL_VEC_AT(&c->entries, entry, j);
      int32_t next = o->next[b];
      if ((uint32_t)j != ei && o->keys[b] == key && o->stamp != c->stamp) {
        o->stamp = c->stamp;
        e = &UTIL_VEC_AT(&c->entries, entry, ei);
        int64_t dt = e->time - o->time;
        if (dt < 0) dt = -dt;
        if (dt <= c->o.window_s) {
          size_t in = similar_set_inter(e->set, e->n_set, o->set, o->n_set);
          double jac = (double)in / (double)(e->n_set + o->n_set - in);
          if (jac >= c->o.similarity) {
            if (o->cluster == NO_CLUSTER) TRY(cl_new(c, o, &o->cluster));
            e = &UTIL_VEC_AT(&c->entries, entry, ei);
            if (e->cluster == NO_CLUSTER) TRY(cl_new(c, e, &e->cluster));
            e = &UTIL_VEC_AT(&c->entries, entry, ei);
            o = &UTIL_VEC_AT(&c->entries, entry, j);
            TRY(cl_union(c, e->cluster, o->cluster));
            cl_note_flag(c, e->cluster);
          }
        }
      }
      j = next;
    }
  }
  return 0;
fail:
  return rc;
}

int similar_coord_index(similar_coord *c, pending *p, const char *text, size_t len) {
  int rc;
  TRY(similar_tokenize(text, len, &c->tok));
  if (c->tok.n < c->o.min_tokens) return 0;
  c->sh.len = 0;
  TRY(similar_shingles(&c->tok, 0, c->tok.n, c->o.k, &c->sh));
  similar_set_sort(&c->sh);
  uint32_t sig[SIMILAR_NHASH];
  similar_minhash_perm(&c->perm, c->sh.data, c->sh.len, sig);

  uint32_t ei;
  if (!util_vec_grow(&c->free_entries, 1)) return NP_ENOMEM; /* room for its later free */
  c->free_entries.len--;
  if (c->free_entries.len) {
    ei = UTIL_VEC_AT(&c->free_entries, uint32_t, --c->free_entries.len);
  } else {
    if (!util_vec_grow(&c->entries, 1)) return NP_ENOMEM;
    ei = (uint32_t)(c->entries.len - 1);
    if (!util_vec_grow(&c->free_entries, c->entries.len)) return NP_ENOMEM;
    c->free_entries.len -= c->entries.len;
  }
  entry *e = &UTIL_VEC_AT(&c->entries, entry, ei);
  memset(e, 0, sizeof *e);
  e->cluster = NO_CLUSTER;
  size_t words = 2 * (size_t)c->bands + c->sh.len;
  e->keys = util_malloc(c->alloc, words * sizeof(uint32_t));
  if (!e->keys) {
    (void)util_vec_push(&c->free_entries, &ei);
    return NP_ENOMEM;
  }
  e->block_bytes = words * sizeof(uint32_t) + sizeof(entry);
  c->bytes += e->block_bytes;
  e->next = (int32_t *)(e->keys + c->bands);
  e->set = e->keys + 2 * c->bands;
  e->n_set = c->sh.len;
  memcpy(e->set, c->sh.data, c->sh.len * sizeof(uint32_t));
  for (unsigned b = 0; b < c->bands; b++) e->keys[b] = similar_band_key(sig, b, c->rows);
  e->seq = p->seq;
  e->time = p->time;
  e->author = p->author;
  e->indexed = 1;
  c->n_indexed++;
  if (c->n_indexed > ((size_t)1 << c->bits)) TRY(heads_resize(c, c->bits + 1));
  TRY(util_vec_push(&c->fifo, &ei));
  link_entry(c, ei);
  p->entry = (int32_t)ei;
  TRY(link_candidates(c, ei));
  evict(c);
  return 0;
fail:
  return rc;
}

int similar_coord_new(const np_allocator *a, const similar_coord_opts *o, similar_coord **out,
                      np_error *err) {
  *out = NULL;
  similar_coord *c = util_calloc(a, 1, sizeof *c);
  if (!c) return util_err(err, NP_ENOMEM, "out of memory");
  c->alloc = a;
  if (o) c->o = *o;
  else similar_coord_opts_init(&c->o);
  if (c->o.window_s <= 0 || c->o.similarity <= 0 || c->o.similarity > 1 ||
      c->o.min_accounts < 1 || c->o.max_posts < 1) {
    util_free(a, c);
    return util_err(err, NP_EINVAL,
                    "coordination: window must be > 0 s, similarity in (0, 1], "
                    "min accounts >= 1");
  }
  if (!c->o.k) c->o.k = 2;
  similar_perm_init(&c->perm, c->o.seed);
  c->disorder = c->o.disorder_s < 0 ? c->o.window_s : c->o.disorder_s;
  similar_lsh_choose(c->o.similarity - 0.1 > 0.05 ? c->o.similarity - 0.1 : 0.05, &c->bands,
                     &c->rows);
  util_vec_init(&c->entries, a, sizeof(entry));
  util_vec_init(&c->free_entries, a, sizeof(uint32_t));
  util_vec_init(&c->clusters, a, sizeof(cluster));
  util_vec_init(&c->free_clusters, a, sizeof(uint32_t));
  util_vec_init(&c->fifo, a, sizeof(uint32_t));
  util_vec_init(&c->pend, a, sizeof(pending));
  util_vec_init(&c->sh, a, sizeof(uint32_t));
  similar_tokens_init(&c->tok, a);
  c->max_time = INT64_MIN / 4;
  int rc = heads_resize(c, 10);
  if (rc == 0) rc = similar_pileon_init(c);
  if (rc < 0) {
    similar_coord_free(c);
    return util_err(err, rc, "out of memory");
  }
  *out = c;
  return 0;
}

void similar_coord_free(similar_coord *c) {
  if (!c) return;
  entry *e = c->entries.data;
  for (size_t i = 0; i < c->entries.len; i++) util_free(c->alloc, e[i].keys);
  cluster *cl = c->clusters.data;
  for (size_t i = 0; i < c->clusters.len; i++) {
    util_vec_free(&cl[i].authors);
    util_vec_free(&cl[i].absorbed);
  }
  pending *p = c->pend.data;
  for (size_t i = c->pend_head; i < c->pend.len; i++) util_free(c->alloc, p[i].target);
  similar_pileon_free(c);
  util_vec_free(&c->entries);
  util_vec_free(&c->free_entries);
  util_vec_free(&c->clusters);
  util_vec_free(&c->free_clusters);
  util_vec_free(&c->fifo);
  util_vec_free(&c->pend);
  util_vec_free(&c->sh);
  similar_tokens_free(&c->tok);
  util_free(c->alloc, c->heads);
  util_free(c->alloc, c);
}

/* Cluster facts for an entry (0 if it has none). */
void similar_coord_cluster_info(similar_coord *c, int32_t ei, similar_coord_info *info) {
  if (ei < 0) return;
  entry *e = &UTIL_VEC_AT(&c->entries, entry, ei);
  if (e->cluster == NO_CLUSTER) return;
  cluster *cl = &UTIL_VEC_AT(&c->clusters, cluster, cl_find(c, e->cluster));
  info->cluster = cl->min_seq;
  info->accounts = (unsigned)cl->authors.len;
  info->posts = cl->posts;
  info->span_s = cl->tmax - cl->tmin;
  info->member = cl->authors.len >= c->o.min_accounts;
}

/* The caller has written post ei's verdict: free it once it left the index. */
void similar_coord_entry_release(similar_coord *c, int32_t ei) {
  if (ei < 0) return;
  entry *e = &UTIL_VEC_AT(&c->entries, entry, ei);
  e->released = 1;
  if (!e->indexed) entry_free(c, (uint32_t)ei);
}

void similar_coord_get_stats(const similar_coord *c, similar_coord_stats *st) {
  memset(st, 0, sizeof *st);
  st->posts_in_window = c->n_indexed;
  st->peak_posts = c->peak_indexed;
  st->bytes = c->bytes + c->pileon_bytes + ((size_t)1 << c->bits) * c->bands * sizeof(int32_t) +
              c->entries.cap * sizeof(entry) + c->clusters.cap * sizeof(cluster) +
              c->pend.cap * sizeof(pending);
  st->peak_bytes = c->peak_bytes > st->bytes ? c->peak_bytes : st->bytes;
  st->clusters_flagged = c->flagged_total;
  st->evicted_cap = c->evicted_cap;
}
