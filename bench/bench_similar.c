/* bench_similar.c — benchmarks and evaluation of src/similar/.
 *   bench_similar scale [N ...]        hoax index build time, memory and per-post
 *                                      latency with N synthetic claims (default
 *                                      10k 100k 1M)
 *   bench_similar eval FILE HOAXES     precision/recall of campaign members and
 *                                      hoax variants on a labelled stream
 *                                      (bench/similar-eval/gen.py), next to an
 *                                      exact-duplicate (hash) baseline
 * Texts are normalized with an engine compiled from no rules (np_normalize). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "netpatrol.h"
#include "similar/similar.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the figures hold on a busy machine */
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static void random_han(char *out, size_t chars) {
  size_t o = 0;
  for (size_t i = 0; i < chars; i++) o += util_utf8_put(0x4E00 + (uint32_t)(rnd() % 3000), out + o);
  out[o] = 0;
}

static int scale(size_t n) {
  similar_hoax_input *in = calloc(n, sizeof *in);
  char *texts = malloc(n * 128);
  if (!in || !texts) return 1;
  for (size_t i = 0; i < n; i++) {
    char *t = texts + i * 128;
    random_han(t, 15 + rnd() % 25);
    in[i].id = "x";
    in[i].claim = t;
    in[i].category = "disaster";
    in[i].debunk_url = in[i].debunked_by = in[i].date = "";
  }
  similar_hoaxdb *db;
  np_error err;
  double t0 = now();
  if (similar_hoaxdb_build(NULL, in, n, NULL, &db, &err) < 0) {
    fprintf(stderr, "build: %s\n", err.message);
    return 1;
  }
  double build = now() - t0;
  similar_query *q;
  if (similar_query_new(NULL, &q) < 0) return 1;
  /* Posts are made up front so the timing covers the lookup alone; even
   * queries plant a claim, odd ones are unrelated random text. */
  enum { QUERIES = 20000, POST = 1024 };
  char *posts = malloc((size_t)QUERIES * POST);
  size_t *target = malloc(QUERIES * sizeof *target);
  if (!posts || !target) return 1;
  for (int k = 0; k < QUERIES; k++) {
    char pad1[256], pad2[256], *post = posts + (size_t)k * POST;
    target[k] = rnd() % n;
    random_han(pad1, 10 + rnd() % 30);
    random_han(pad2, 10 + rnd() % 30);
    if (k % 2 == 0) snprintf(post, POST, "%s，网传%s，转发%s", pad1, in[target[k]].claim, pad2);
    else random_han(post, 60);
  }
  size_t hits = 0, fps = 0, cands = 0;
  double t_kind[2] = {0, 0};
  for (int kind = 0; kind < 2; kind++) { /* one timer per kind: no clock in the loop */
    t0 = now();
    for (int k = kind; k < QUERIES; k += 2) {
      const char *post = posts + (size_t)k * POST;
      similar_hoax_result r;
      similar_hoax_match(db, q, post, strlen(post), &r);
      cands += r.candidates;
      if (kind == 0) hits += r.matched && r.hoax == target[k];
      else fps += r.matched;
    }
    t_kind[kind] = now() - t0;
  }
  printf("| %9zu | %7.2f s | %8.1f MB | %7.2f µs | %7.2f µs | %6.3f | %6.3f | %9.2f |\n", n,
         build, (double)similar_hoaxdb_bytes(db) / 1e6, t_kind[1] / (QUERIES / 2) * 1e6,
         t_kind[0] / (QUERIES / 2) * 1e6, (double)hits / (QUERIES / 2),
         (double)fps / (QUERIES / 2), (double)cands / QUERIES);
  free(posts);
  free(target);
  similar_query_free(q);
  similar_hoaxdb_free(db);
  free(in);
  free(texts);
  return 0;
}

/* ---- evaluation ----------------------------------------------------------- */

typedef struct post {
  char *text, *author, *campaign, *hoax;
  int64_t time;
  uint64_t key;   /* hash of the tokenized text: the exact-duplicate baseline */
} post;

typedef struct canon_ctx { const np_engine *e; np_scratch *s; } canon_ctx;
static int canon_fn(const char *in, size_t len, util_buf *out, void *ctx) {
  canon_ctx *c = ctx;
  const char *t;
  size_t tl;
  int rc = np_normalize(c->e, c->s, in, len, &t, &tl, NULL);
  return rc < 0 ? rc : util_buf_append(out, t, tl);
}

static char *dupj(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? strdup(s) : NULL;
}

typedef struct prf { size_t tp, fp, fn; } prf;
static void row(const char *what, const char *method, prf m) {
  double p = m.tp + m.fp ? (double)m.tp / (double)(m.tp + m.fp) : 0;
  double r = m.tp + m.fn ? (double)m.tp / (double)(m.tp + m.fn) : 0;
  printf("| %-16s | %-22s | %6zu | %5zu | %5zu | %.3f | %.3f |\n", what, method, m.tp, m.fp, m.fn,
         p, r);
}

static int eval(const char *file, const char *hoaxes) {
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  np_engine *e;
  np_scratch *s;
  np_error err;
  if (np_engine_compile(&cfg, NULL, 0, &e, NULL, &err) < 0 || np_scratch_alloc(e, &s, &err) < 0) {
    fprintf(stderr, "engine: %s\n", err.message);
    return 1;
  }
  canon_ctx cc = {e, s};
  char *src;
  size_t len;
  if (util_read_file(NULL, hoaxes, &src, &len, &err) < 0) { fprintf(stderr, "%s\n", err.message); return 1; }
  similar_hoaxdb_opts ho;
  similar_hoaxdb_opts_init(&ho);
  ho.canon = canon_fn;
  ho.canon_ctx = &cc;
  similar_hoaxdb *db;
  if (similar_hoaxdb_load(NULL, hoaxes, src, len, &ho, &db, &err) < 0) {
    fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.message);
    return 1;
  }
  /* exact-duplicate baseline for hoaxes: hashes of every claim/variant's tokens */
  util_vec claim_keys;
  util_vec_init(&claim_keys, NULL, sizeof(uint64_t) * 2);
  similar_tokens tok;
  similar_tokens_init(&tok, NULL);
  for (char *l = src; l && *l;) {
    char *nl = strchr(l, '\n');
    json_t *j = *l == '#' ? NULL : json_loadb(l, nl ? (size_t)(nl - l) : strlen(l), 0, NULL);
    if (j) {
      size_t idx = 0;
      for (; idx < similar_hoaxdb_count(db); idx++)
        if (!strcmp(similar_hoaxdb_get(db, idx)->id, json_string_value(json_object_get(j, "id")))) break;
      json_t *vs = json_object_get(j, "variants");
      for (size_t v = 0; v <= json_array_size(vs); v++) {
        const char *t = v == 0 ? json_string_value(json_object_get(j, "claim"))
                               : json_string_value(json_array_get(vs, v - 1));
        const char *c;
        size_t cl;
        np_normalize(e, s, t, strlen(t), &c, &cl, NULL);
        similar_tokenize(c, cl, &tok);
        uint64_t kv[2] = {util_hash64(tok.clean.data, tok.clean.len, 1), idx};
        util_vec_push(&claim_keys, kv);
      }
      json_decref(j);
    }
    l = nl ? nl + 1 : NULL;
  }
  util_free(NULL, src);

  FILE *f = fopen(file, "rb");
  if (!f) { fprintf(stderr, "cannot open %s\n", file); return 1; }
  post *p = NULL;
  size_t n = 0, cap = 0;
  char *line = NULL;
  size_t lcap = 0;
  ssize_t ll;
  while ((ll = getline(&line, &lcap, f)) > 0) {
    json_t *j = json_loadb(line, (size_t)ll, 0, NULL);
    if (!j) continue;
    if (n == cap) { cap = cap ? cap * 2 : 1024; p = realloc(p, cap * sizeof *p); }
    post *x = &p[n++];
    x->text = dupj(j, "text");
    x->author = dupj(j, "author");
    x->campaign = dupj(j, "campaign");
    x->hoax = dupj(j, "hoax");
    x->time = json_integer_value(json_object_get(j, "time"));
    json_decref(j);
  }
  free(line);
  fclose(f);

  similar_coord *c;
  similar_coord_opts co;
  similar_coord_opts_init(&co);
  if (similar_coord_new(NULL, &co, &c, &err) < 0) return 1;
  similar_query *q;
  similar_query_new(NULL, &q);
  prf camp = {0}, camp_hash = {0}, hx = {0}, hx_hash = {0};
  int *member = calloc(n, sizeof *member);
  double t0 = now(), t_hoax = 0, t_split[2] = {0, 0};
  size_t n_split[2] = {0, 0}, n_stage2 = 0;
  double t_coord = 0;
  char *matched = calloc(n ? n : 1, 1);
  size_t next = 0;
  for (size_t i = 0; i < n; i++) {
    const char *ct;
    size_t cl;
    np_normalize(e, s, p[i].text, strlen(p[i].text), &ct, &cl, NULL);
    similar_tokenize(ct, cl, &tok);
    p[i].key = util_hash64(tok.clean.data, tok.clean.len, 1);
    double tc = now();
    similar_coord_add(c, i + 1, p[i].author, p[i].time, ct, cl, NULL, 0);
    t_coord += now() - tc;
    /* emit what is final, as the CLI does, so the window stays bounded */
    for (; next < i + 1 && similar_coord_final(c, next + 1); next++) {
      similar_coord_info info;
      similar_coord_get(c, next + 1, &info);
      member[next] = info.member;
      similar_coord_release(c, next + 1);
    }
    double th = now();
    similar_hoax_result r;
    similar_hoax_match(db, q, ct, cl, &r);
    t_hoax += now() - th;
    matched[i] = (char)r.matched;
    n_split[r.matched]++;
    n_stage2 += r.candidates > 0;
    const char *got = r.matched ? similar_hoaxdb_get(db, r.hoax)->id : NULL;
    if (got && p[i].hoax && !strcmp(got, p[i].hoax)) hx.tp++;
    else {
      if (got) hx.fp++;
      if (p[i].hoax) hx.fn++;
    }
    const char *hgot = NULL;
    for (size_t k = 0; k < claim_keys.len; k++) {
      uint64_t *kv = (uint64_t *)claim_keys.data + 2 * k;
      if (kv[0] == p[i].key) { hgot = similar_hoaxdb_get(db, kv[1])->id; break; }
    }
    if (hgot && p[i].hoax && !strcmp(hgot, p[i].hoax)) hx_hash.tp++;
    else {
      if (hgot) hx_hash.fp++;
      if (p[i].hoax) hx_hash.fn++;
    }
  }
  similar_coord_finish(c);
  for (size_t i = next; i < n; i++) {
    similar_coord_info info;
    similar_coord_get(c, i + 1, &info);
    member[i] = info.member;
    similar_coord_release(c, i + 1);
  }
  double total = now() - t0;
  /* Hoax lookup again, matching and non-matching posts apart, with one
   * timer per group (a clock read per post would be part of the figure). */
  util_vec canon;
  util_vec_init(&canon, NULL, sizeof(char *));
  for (size_t i = 0; i < n; i++) {
    const char *ct;
    size_t cl;
    np_normalize(e, s, p[i].text, strlen(p[i].text), &ct, &cl, NULL);
    char *dup = strndup(ct, cl);
    util_vec_push(&canon, &dup);
  }
  for (int kind = 0; kind < 2; kind++) {
    double tk = now();
    for (int rep = 0; rep < 5; rep++)
      for (size_t i = 0; i < n; i++) {
        if (matched[i] != kind) continue;
        const char *ct = UTIL_VEC_AT(&canon, char *, i);
        similar_hoax_result r;
        similar_hoax_match(db, q, ct, strlen(ct), &r);
      }
    t_split[kind] = (now() - tk) / 5;
  }
  for (size_t i = 0; i < n; i++) free(UTIL_VEC_AT(&canon, char *, i));
  util_vec_free(&canon);
  free(matched);
  similar_coord_stats st;
  similar_coord_get_stats(c, &st);
  /* hash baseline: same token string, >= K distinct authors within W */
  for (size_t i = 0; i < n; i++) {
    size_t authors = 0;
    const char *seen[64];
    for (size_t j = 0; j < n && authors < 64; j++) {
      if (p[j].key != p[i].key) continue;
      int64_t dt = p[j].time - p[i].time;
      if (dt < -co.window_s || dt > co.window_s) continue;
      int dup = 0;
      for (size_t k = 0; k < authors; k++) dup |= !strcmp(seen[k], p[j].author);
      if (!dup) seen[authors++] = p[j].author;
    }
    int hm = authors >= co.min_accounts;
    int truth = p[i].campaign != NULL;
    camp.tp += member[i] && truth;
    camp.fp += member[i] && !truth;
    camp.fn += !member[i] && truth;
    camp_hash.tp += hm && truth;
    camp_hash.fp += hm && !truth;
    camp_hash.fn += !hm && truth;
  }
  printf("%zu posts (%zu campaign posts, %zu hoax variants); window %llds, K=%u, J>=%.2f\n\n", n,
         camp.tp + camp.fn, hx.tp + hx.fn, (long long)co.window_s, co.min_accounts, co.similarity);
  printf("| task             | method                 |     TP |    FP |    FN | prec  | recall |\n");
  printf("|------------------|------------------------|--------|-------|-------|-------|--------|\n");
  row("campaign members", "MinHash LSH window", camp);
  row("campaign members", "exact hash baseline", camp_hash);
  row("hoax variants", "MinHash LSH + verify", hx);
  row("hoax variants", "exact hash baseline", hx_hash);
  printf("\nthroughput: %.0f posts/s (normalize + coord + hoax), hoax lookup %.2f µs/post\n",
         (double)n / total, t_hoax / (double)n * 1e6);
  printf("hoax lookup: %.2f µs per non-matching post (%zu), %.1f µs per matching post (%zu); "
         "%zu posts (%.1f%%) passed the prefilter\n",
         n_split[0] ? t_split[0] / (double)n_split[0] * 1e6 : 0.0, n_split[0],
         n_split[1] ? t_split[1] / (double)n_split[1] * 1e6 : 0.0, n_split[1], n_stage2,
         100.0 * (double)n_stage2 / (double)n);
  printf("coordination window: %.2f µs/post (every post has a time)\n",
         t_coord / (double)n * 1e6);
  printf("window: peak %zu posts, %zu bytes (%.0f bytes/post), %zu clusters flagged\n",
         st.peak_posts, st.peak_bytes, st.peak_posts ? (double)st.peak_bytes / (double)st.peak_posts : 0.0,
         st.clusters_flagged);
  for (size_t i = 0; i < n; i++) {
    free(p[i].text); free(p[i].author); free(p[i].campaign); free(p[i].hoax);
  }
  free(p);
  free(member);
  util_vec_free(&claim_keys);
  similar_tokens_free(&tok);
  similar_query_free(q);
  similar_coord_free(c);
  similar_hoaxdb_free(db);
  np_scratch_free(s);
  np_engine_free(e);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "eval")) {
    if (argc < 4) { fprintf(stderr, "usage: bench_similar eval FILE HOAXES\n"); return 1; }
    return eval(argv[2], argv[3]);
  }
  if (argc >= 2 && strcmp(argv[1], "scale")) {
    fprintf(stderr, "usage: bench_similar scale [N ...] | eval FILE HOAXES\n");
    return 1;
  }
  printf("| claims    | build     | memory      | no match   | match      | recall | false+ | cand/post |\n");
  printf("|-----------|-----------|-------------|------------|------------|--------|--------|-----------|\n");
  if (argc > 2) {
    for (int i = 2; i < argc; i++) if (scale((size_t)atol(argv[i]))) return 1;
  } else {
    size_t sizes[] = {10000, 100000, 1000000};
    for (int i = 0; i < 3; i++) if (scale(sizes[i])) return 1;
  }
  return 0;
}
