/* hoax_match.c — per-post lookup in the hoax database, in three stages.
 * (1) The exact prefilter (prefilter.c) finds docs sharing enough shingles
 * to possibly match; most posts stop here, in a few µs at any db size.
 * (2) Each candidate is scored exactly: max(Jaccard, containment of the
 * claim in the post), and its entities must agree.  (3) As before, a doc
 * counts only if the LSH reports it for some query unit (the whole post,
 * each sentence, sliding windows of 16 and 32 shingles, so a short claim
 * padded inside a long post still meets the LSH threshold).  Debunk cues
 * set the stance.  Stages 1–2 only drop docs that stage 3 would reject, so
 * results are those of the LSH path alone. */
#include <stdlib.h>
#include <string.h>
#include "similar/similar_int.h"

#define MAX_UNIT_SHINGLES 1024 /* query units come from the first 1024 shingles */
#define WHOLE_MAX 96           /* the whole post is a unit when at most this long */
#define BLOCK 8                /* windows are unions of 8-shingle blocks */

/* A document that passed the exact check, waiting for its LSH verdict. */
typedef struct okdoc {
  uint32_t doc;
  double score;
  int seen;      /* 1 once some query unit reported it as an LSH candidate */
} okdoc;

struct similar_query {
  const np_allocator *alloc;
  similar_tokens tok;
  util_vec sh;   /* shingles in text order */
  util_vec set;  /* sorted unique */
  util_vec hits; /* uint64 prefilter hits (doc << 32 | shingle) */
  util_vec cand; /* uint32 prefilter candidates */
  util_vec ok;   /* okdoc: candidates that pass the exact check, best first */
  size_t unseen; /* ok docs not yet reported by the LSH */
  uint32_t *hv;  /* [MAX_UNIT_SHINGLES][SIMILAR_NHASH] per-shingle slot hashes */
  uint32_t *bmin;/* [MAX_UNIT_SHINGLES / BLOCK][SIMILAR_NHASH] minima of 8-shingle blocks */
};

int similar_query_new(const np_allocator *a, similar_query **out) {
  similar_query *q = util_calloc(a, 1, sizeof *q);
  if (!q) return NP_ENOMEM;
  q->alloc = a;
  similar_tokens_init(&q->tok, a);
  util_vec_init(&q->sh, a, sizeof(uint32_t));
  util_vec_init(&q->set, a, sizeof(uint32_t));
  util_vec_init(&q->hits, a, sizeof(uint64_t));
  util_vec_init(&q->cand, a, sizeof(uint32_t));
  util_vec_init(&q->ok, a, sizeof(okdoc));
  *out = q;
  return 0;
}

void similar_query_free(similar_query *q) {
  if (!q) return;
  similar_tokens_free(&q->tok);
  util_vec_free(&q->sh);
  util_vec_free(&q->set);
  util_vec_free(&q->hits);
  util_vec_free(&q->cand);
  util_vec_free(&q->ok);
  util_free(q->alloc, q->hv);
  util_free(q->alloc, q->bmin);
  util_free(q->alloc, q);
}

/* LSH callback: marks an ok doc as seen (other candidates cannot match). */
static void collect(uint32_t id, void *ctx) {
  similar_query *q = ctx;
  okdoc *ok = q->ok.data;
  for (size_t i = 0; i < q->ok.len; i++)
    if (ok[i].doc == id && !ok[i].seen) { ok[i].seen = 1; q->unseen--; }
}

/* Done once the best ok doc is seen: nothing later can beat it. */
static int settled(const similar_query *q) {
  return q->unseen == 0 || UTIL_VEC_AT(&q->ok, okdoc, 0).seen;
}

/* MinHash of the unit sh[from..to) from the precomputed hash vectors. */
static void unit_query(const similar_hoaxdb *db, similar_query *q, size_t from, size_t to) {
  uint32_t sig[SIMILAR_NHASH];
  if (to > from && !settled(q)) {
    memcpy(sig, q->hv + from * SIMILAR_NHASH, sizeof sig);
    for (size_t i = from + 1; i < to; i++) {
      const uint32_t *h = q->hv + i * SIMILAR_NHASH;
      for (unsigned j = 0; j < SIMILAR_NHASH; j++)
        sig[j] = h[j] < sig[j] ? h[j] : sig[j]; /* branchless: vectorizes */
    }
    similar_lsh_query(db->lsh, sig, collect, q);
  }
}

/* Sliding windows of w shingles (stride w/2) built from the 8-shingle block
 * minima, so overlapping windows share work. */
static void windows(const similar_hoaxdb *db, similar_query *q, size_t m, size_t w) {
  if (m <= w) return;
  size_t nb = (m + BLOCK - 1) / BLOCK, per = w / BLOCK;
  uint32_t sig[SIMILAR_NHASH];
  for (size_t b = 0; !settled(q); b += per / 2) {
    size_t e = b + per < nb ? b + per : nb;
    memcpy(sig, q->bmin + b * SIMILAR_NHASH, sizeof sig);
    for (size_t k = b + 1; k < e; k++) {
      const uint32_t *h = q->bmin + k * SIMILAR_NHASH;
      for (unsigned j = 0; j < SIMILAR_NHASH; j++)
        sig[j] = h[j] < sig[j] ? h[j] : sig[j]; /* branchless: vectorizes */
    }
    similar_lsh_query(db->lsh, sig, collect, q);
    if (e == nb) break;
  }
}

/* memmem is a GNU extension; this is the portable few-line version. */
static int contains(const char *h, size_t hn, const char *n, size_t nn) {
  if (nn == 0) return 1;
  for (size_t i = 0; i + nn <= hn; i++)
    if (h[i] == n[0] && !memcmp(h + i, n, nn)) return 1;
  return 0;
}

static const char *const debunk_cues[] = {
    "辟谣", "谣言", "不实", "不属实", "假消息", "虚假信息", "是假的", "假的", "经核实", "经核查",
    "警情通报", "情况通报", "系编造", "系谣言", "编造", "已被行政拘留", "行政拘留", "依法处理",
    "造谣", "澄清", "别信", "勿信", "不要相信", "并非事实", "纯属谣言", "没有这回事",
};

int similar_debunk_cue(const char *text, size_t len, const char *claim) {
  for (size_t i = 0; i < sizeof debunk_cues / sizeof *debunk_cues; i++) {
    const char *c = debunk_cues[i];
    size_t cl = strlen(c);
    if (cl > len || !contains(text, len, c, cl)) continue;
    if (claim && strstr(claim, c)) continue; /* the claim itself says it */
    return 1;
  }
  return 0;
}

static int entities_ok(const similar_hoax *h, const similar_tokens *t, double score,
                       const similar_hoaxdb_opts *o) {
  if (!h->n_entities) return score >= o->threshold;
  const char *s = t->clean.data ? t->clean.data : "";
  size_t n = t->clean.len, present = 0;
  for (size_t i = 0; i < h->n_entities; i++) {
    int in = contains(s, n, h->entities[i], strlen(h->entities[i]));
    if (i == 0 && !in) return 0; /* the anchor (place/subject) must agree */
    present += (size_t)in;
  }
  if (score >= o->threshold) return 1;
  return present == h->n_entities && score >= o->entity_threshold;
}

static int ok_better(const okdoc *a, const okdoc *b) {
  return a->score != b->score ? a->score > b->score : a->doc < b->doc;
}

/* The old single path, kept as the expensive second stage: query units
 * (whole post, sentences, windows) probe the LSH; a doc can only win if some
 * unit reports it.  Runs only for posts with a doc past the exact check, and
 * stops as soon as the best such doc is reported. */
static int lsh_stage(const similar_hoaxdb *db, similar_query *q) {
  if (!q->hv) {
    q->hv = util_malloc(q->alloc, (size_t)MAX_UNIT_SHINGLES * SIMILAR_NHASH * sizeof(uint32_t));
    q->bmin = util_malloc(q->alloc, (size_t)MAX_UNIT_SHINGLES / BLOCK * SIMILAR_NHASH *
                                        sizeof(uint32_t));
    if (!q->hv || !q->bmin) {
      util_free(q->alloc, q->hv);
      util_free(q->alloc, q->bmin);
      q->hv = q->bmin = NULL;
      return NP_ENOMEM;
    }
  }
  size_t m = q->sh.len < MAX_UNIT_SHINGLES ? q->sh.len : MAX_UNIT_SHINGLES;
  similar_slot_hashes(&db->perm, q->sh.data, m, q->hv);
  for (size_t b = 0; b * BLOCK < m; b++) {
    uint32_t *bm = q->bmin + b * SIMILAR_NHASH;
    size_t e = (b + 1) * BLOCK < m ? (b + 1) * BLOCK : m;
    memcpy(bm, q->hv + b * BLOCK * SIMILAR_NHASH, SIMILAR_NHASH * sizeof *bm);
    for (size_t i = b * BLOCK + 1; i < e; i++) {
      const uint32_t *h = q->hv + i * SIMILAR_NHASH;
      for (unsigned j = 0; j < SIMILAR_NHASH; j++)
        bm[j] = h[j] < bm[j] ? h[j] : bm[j];
    }
  }
  /* Units: whole post, sentences, then windows for anything longer. */
  if (m <= WHOLE_MAX) unit_query(db, q, 0, m);
  unsigned k = db->opts.k;
  for (size_t s = 0; s < q->tok.n && !settled(q);) {
    size_t e = s + 1;
    while (e < q->tok.n && !q->tok.seg[e]) e++;
    size_t from = s, to = e >= k ? e - k + 1 : 0; /* shingles wholly inside the sentence */
    if (to <= from) to = from + 1;
    if (to > m) to = m;
    if (from < m && (from > 0 || e < q->tok.n) && to - from <= WHOLE_MAX)
      unit_query(db, q, from, to);
    s = e;
  }
  windows(db, q, m, 16);
  windows(db, q, m, 32);
  return 0;
}

int similar_hoax_match(const similar_hoaxdb *db, similar_query *q, const char *text, size_t len,
                       similar_hoax_result *res) {
  int rc;
  memset(res, 0, sizeof *res);
  if (!db || !db->doc_hoax.len) return 0;
  TRY(similar_tokenize(text, len, &q->tok));
  if (q->tok.n < 4) return 0;
  q->sh.len = q->set.len = q->ok.len = 0;
  TRY(similar_shingles(&q->tok, 0, q->tok.n, db->opts.k, &q->sh));
  /* Stage 1: docs that share enough indexed shingles (most posts stop here). */
  TRY(similar_pf_query(&db->pf, q->sh.data, q->sh.len, &q->hits, &q->cand));
  if (!q->cand.len) return 0;

  /* Stage 2: the exact score of each candidate against the post's set. */
  if (!util_vec_grow(&q->set, q->sh.len)) return NP_ENOMEM;
  memcpy(q->set.data, q->sh.data, q->sh.len * sizeof(uint32_t));
  similar_set_sort(&q->set);
  const uint32_t *off = db->set_off.data, *sets = db->sets.data, *dh = db->doc_hoax.data;
  const uint32_t *cand = q->cand.data, *P = q->set.data;
  for (size_t i = 0; i < q->cand.len; i++) {
    uint32_t d = cand[i];
    res->candidates++;
    size_t ns = off[d + 1] - off[d];
    size_t in = similar_set_inter(sets + off[d], ns, P, q->set.len);
    double j = (double)in / (double)(ns + q->set.len - in);
    double c = ns ? (double)in / (double)ns : 0;
    double score = j > c ? j : c;
    if (!entities_ok(&db->hoax[dh[d]], &q->tok, score, &db->opts)) continue;
    okdoc o = {d, score, 0};
    okdoc *slot = util_vec_grow(&q->ok, 1);
    if (!slot) return NP_ENOMEM;
    okdoc *all = q->ok.data;
    size_t at = q->ok.len - 1; /* keep best first: insertion (few docs pass) */
    while (at > 0 && ok_better(&o, &all[at - 1])) { all[at] = all[at - 1]; at--; }
    all[at] = o;
  }
  if (!q->ok.len) return 0;

  /* Stage 3: the LSH decides which of them count (as it always has). */
  q->unseen = q->ok.len;
  TRY(lsh_stage(db, q));
  const okdoc *ok = q->ok.data;
  for (size_t i = 0; i < q->ok.len; i++) {
    if (!ok[i].seen) continue;
    res->matched = 1;
    res->hoax = dh[ok[i].doc];
    res->similarity = ok[i].score;
    res->debunk = similar_debunk_cue(text, len, db->hoax[res->hoax].claim);
    break;
  }
  return 0;
fail:
  return rc;
}
