/* test_similar.c — shingles, MinHash (vector paths = the reference formula),
 * LSH parameters and index, the hoax prefilter (never drops a possible
 * match), the hoax database (load errors, paraphrase / padding / debunk
 * stance / entity agreement), the coordination window (clusters, K accounts,
 * window, order independence, pile-ons, bounded memory) and the CLI stage's
 * record scan and verdict splicing (cli/scan_coord.c, included below). */
#include <stdio.h>
#include <string.h>
#include "tests/harness.h"
#include "similar/similar.h"
#include "similar/similar_int.h"
/* The CLI stage is not in the libraries: compile it into this test to reach
 * its static record scanner. */
#include "cli/scan_coord.c"

static similar_tokens toks(const char *s) {
  similar_tokens t;
  similar_tokens_init(&t, NULL);
  similar_tokenize(s, strlen(s), &t);
  return t;
}

TEST(tokenize_drops_noise_and_uses_placeholders) {
  similar_tokens t = toks("网传，某地 化工厂!!爆炸 死亡30人 http://t.cn/abc @张三 看");
  ASSERT_STR_EQ(t.clean.data, "网传某地化工厂爆炸死亡#人U@看");
  ASSERT_EQ_INT(t.seg[0], 1);
  /* "!!" ends a sentence: 爆 starts the next one */
  ASSERT_EQ_INT(t.seg[7], 1);
  ASSERT_EQ_INT(t.seg[8], 0);
  similar_tokens_free(&t);
}

TEST(tokenize_folds_fullwidth_and_case) {
  similar_tokens t = toks("ＡbＣ１２３");
  ASSERT_STR_EQ(t.clean.data, "abc#");
  similar_tokens_free(&t);
}

static double exact_j(const char *a, const char *b, unsigned k) {
  similar_tokens ta = toks(a), tb = toks(b);
  util_vec x, y;
  util_vec_init(&x, NULL, 4);
  util_vec_init(&y, NULL, 4);
  similar_shingles(&ta, 0, ta.n, k, &x);
  similar_shingles(&tb, 0, tb.n, k, &y);
  similar_set_sort(&x);
  similar_set_sort(&y);
  size_t in = similar_set_inter(x.data, x.len, y.data, y.len);
  double j = (double)in / (double)(x.len + y.len - in);
  util_vec_free(&x);
  util_vec_free(&y);
  similar_tokens_free(&ta);
  similar_tokens_free(&tb);
  return j;
}

TEST(shingles_jaccard_exact) {
  ASSERT_NEAR(exact_j("天天向上好好学习", "天天向上好好学习", 2), 1.0, 1e-9);
  /* 7 bigrams each, 6 shared → 6/8 */
  ASSERT_NEAR(exact_j("天天向上好好学习", "天天向上好好学问", 2), 6.0 / 8.0, 1e-9);
  ASSERT_NEAR(exact_j("天天向上", "明月几时", 2), 0.0, 1e-9);
}

TEST(minhash_estimates_jaccard) {
  /* Two sets of 400 with 200 shared: J = 200/600. */
  uint32_t a[400], b[400], sa[SIMILAR_NHASH], sb[SIMILAR_NHASH];
  for (uint32_t i = 0; i < 400; i++) { a[i] = i * 7919u; b[i] = (i + 200) * 7919u; }
  similar_minhash(a, 400, 1, sa);
  similar_minhash(b, 400, 1, sb);
  ASSERT_NEAR(similar_sig_jaccard(sa, sb), 1.0 / 3.0, 0.13); /* 3 standard errors */
  similar_minhash(a, 400, 1, sb);
  ASSERT_NEAR(similar_sig_jaccard(sa, sb), 1.0, 1e-9);
  similar_minhash(a, 0, 1, sa);
  ASSERT_EQ_INT(sa[0], UINT32_MAX);
}

TEST(minhash_equals_reference_formula) {
  /* Whatever path the CPU takes (AVX-512, AVX2, plain C), every slot must be
   * the documented multiply-shift minimum. */
  uint32_t set[300], sig[SIMILAR_NHASH], hv[3 * SIMILAR_NHASH];
  uint64_t x = 99;
  for (size_t i = 0; i < 300; i++) { x = similar_mix64(x); set[i] = (uint32_t)x; }
  size_t sizes[] = {1, 7, 64, 300};
  for (size_t k = 0; k < 4; k++) {
    similar_minhash(set, sizes[k], 42, sig);
    for (unsigned j = 0; j < SIMILAR_NHASH; j++) {
      uint32_t ref = UINT32_MAX;
      for (size_t i = 0; i < sizes[k]; i++) {
        uint32_t h = similar_slot_hash(set[i], similar_slot_seed(42, j));
        if (h < ref) ref = h;
      }
      ASSERT_EQ_INT(sig[j], ref);
    }
  }
  similar_perm p;
  similar_perm_init(&p, 7);
  similar_slot_hashes(&p, set, 3, hv);
  for (size_t i = 0; i < 3; i++)
    for (unsigned j = 0; j < SIMILAR_NHASH; j++)
      ASSERT_EQ_INT(hv[i * SIMILAR_NHASH + j], similar_slot_hash(set[i], similar_slot_seed(7, j)));
}

TEST(lsh_parameters_follow_target) {
  unsigned b, r;
  similar_lsh_choose(0.5, &b, &r);
  ASSERT_EQ_INT(b, 32);
  ASSERT_EQ_INT(r, 4);
  similar_lsh_choose(0.6, &b, &r);
  ASSERT_EQ_INT(b, 25);
  ASSERT_EQ_INT(r, 5);
  ASSERT(b * r <= SIMILAR_NHASH);
  ASSERT_NEAR(similar_lsh_prob(0.7, 21, 6), 0.928, 0.002);
  ASSERT_NEAR(similar_lsh_prob(0.5, 32, 4), 0.873, 0.002);
  ASSERT(similar_lsh_prob(0.3, 25, 5) < similar_lsh_prob(0.6, 25, 5));
}

static void count_id(uint32_t id, void *ctx) {
  uint32_t *seen = ctx;
  if (id < 3) seen[id]++;
}

TEST(lsh_index_finds_identical_signatures) {
  uint32_t sigs[3][SIMILAR_NHASH], keys[3 * 32];
  for (unsigned i = 0; i < 3; i++) {
    uint32_t set[50];
    for (uint32_t j = 0; j < 50; j++) set[j] = (i + 1) * 100000u + j;
    similar_minhash(set, 50, 9, sigs[i]);
    for (unsigned b = 0; b < 32; b++) keys[i * 32 + b] = similar_band_key(sigs[i], b, 4);
  }
  similar_lsh *l;
  ASSERT_EQ_INT(similar_lsh_build(NULL, keys, 3, 32, 4, &l, NULL), 0);
  uint32_t seen[3] = {0};
  similar_lsh_query(l, sigs[1], count_id, seen);
  ASSERT_EQ_INT(seen[1], 32);
  ASSERT_EQ_INT(seen[0], 0);
  ASSERT_EQ_INT(seen[2], 0);
  ASSERT(similar_lsh_bytes(l) > 0);
  similar_lsh_free(l);
  np_error err;
  ASSERT_EQ_INT(similar_lsh_build(NULL, keys, 3, 64, 4, &l, &err), NP_EINVAL);
}

/* ---- hoax database ---------------------------------------------------- */

static const char db_src[] =
    "# test database\n"
    "{\"id\":\"t-plant\",\"claim\":\"宁波镇海炼化厂发生大爆炸已经死了很多人大家不要靠近\","
    "\"category\":\"hoax.disaster\",\"debunk_url\":\"https://www.piyao.org.cn/\","
    "\"debunked_by\":\"中国互联网联合辟谣平台\",\"date\":\"2020-01-01\","
    "\"entities\":[\"宁波\",\"爆炸\"],"
    "\"variants\":[\"镇海炼化爆炸了死了好多人\"]}\n"
    "\n"
    "{\"id\":\"t-bank\",\"claim\":\"明天起所有银行暂停取款存款将被冻结赶紧把钱取出来\","
    "\"category\":\"finance_policy\",\"debunk_url\":\"http://www.pbc.gov.cn/\","
    "\"debunked_by\":\"中国人民银行\",\"date\":\"2021-02-02\"}\n";

static similar_hoaxdb *load_db(void) {
  similar_hoaxdb *db = NULL;
  np_error err;
  similar_hoaxdb_opts o;
  similar_hoaxdb_opts_init(&o);
  if (similar_hoaxdb_load(NULL, "t.jsonl", db_src, sizeof db_src - 1, &o, &db, &err) < 0)
    fprintf(stderr, "load: %s\n", err.message);
  return db;
}

static similar_hoax_result match(similar_hoaxdb *db, const char *text) {
  similar_query *q;
  similar_hoax_result r;
  memset(&r, 0, sizeof r);
  if (similar_query_new(NULL, &q) < 0) return r;
  similar_hoax_match(db, q, text, strlen(text), &r);
  similar_query_free(q);
  return r;
}

TEST(hoaxdb_loads_records) {
  similar_hoaxdb *db = load_db();
  ASSERT(db);
  ASSERT_EQ_INT(similar_hoaxdb_count(db), 2);
  ASSERT_EQ_INT(similar_hoaxdb_docs(db), 3);
  const similar_hoax *h = similar_hoaxdb_get(db, 1);
  ASSERT_STR_EQ(h->id, "t-bank");
  ASSERT_STR_EQ(similar_hoax_category_name(h->category), "hoax.finance_policy");
  ASSERT_STR_EQ(similar_hoaxdb_get(db, 0)->entities[0], "宁波");
  ASSERT(similar_hoaxdb_bytes(db) > 0);
  similar_hoaxdb_free(db);
}

TEST(hoax_matches_padded_and_paraphrased) {
  similar_hoaxdb *db = load_db();
  ASSERT(db);
  similar_hoax_result r = match(db, "紧急扩散！！网传宁波镇海炼化厂发生大爆炸，已经死了很多人，大家不要靠近，转发给家人");
  ASSERT_EQ_INT(r.matched, 1);
  ASSERT_STR_EQ(similar_hoaxdb_get(db, r.hoax)->id, "t-plant");
  ASSERT(r.similarity >= 0.6);
  ASSERT_EQ_INT(r.debunk, 0);
  /* reordered clauses with noise */
  r = match(db, "大家不要靠近 ！已经死了很多人~宁波镇海炼化厂发生大爆炸");
  ASSERT_EQ_INT(r.matched, 1);
  /* the short variant, inside a long unrelated post */
  r = match(db, "今天天气不错，出去走走。听说宁波镇海炼化爆炸了死了好多人。晚饭吃的面条，味道一般般吧。");
  ASSERT_EQ_INT(r.matched, 1);
  ASSERT_STR_EQ(similar_hoaxdb_get(db, r.hoax)->id, "t-plant");
  r = match(db, "网传明天起所有银行暂停取款，存款将被冻结，赶紧把钱取出来！");
  ASSERT_EQ_INT(r.matched, 1);
  ASSERT_STR_EQ(similar_hoaxdb_get(db, r.hoax)->id, "t-bank");
  similar_hoaxdb_free(db);
}

TEST(hoax_debunk_stance) {
  similar_hoaxdb *db = load_db();
  ASSERT(db);
  similar_hoax_result r = match(db, "辟谣：网传“明天起所有银行暂停取款存款将被冻结”系谣言，请勿轻信");
  ASSERT_EQ_INT(r.matched, 1);
  ASSERT_EQ_INT(r.debunk, 1);
  ASSERT_EQ_INT(similar_debunk_cue("这是假的", strlen("这是假的"), NULL), 1);
  ASSERT_EQ_INT(similar_debunk_cue("大家快转发", strlen("大家快转发"), NULL), 0);
  /* a cue that is part of the claim itself does not count */
  ASSERT_EQ_INT(similar_debunk_cue("不实传闻", strlen("不实传闻"), "不实传闻"), 0);
  similar_hoaxdb_free(db);
}

TEST(hoax_entities_must_agree) {
  similar_hoaxdb *db = load_db();
  ASSERT(db);
  /* same template, another city: the anchor entity 宁波 is missing */
  similar_hoax_result r = match(db, "温州镇海炼化厂发生大爆炸已经死了很多人大家不要靠近");
  ASSERT_EQ_INT(r.matched, 0);
  similar_hoaxdb_free(db);
}

TEST(hoax_unrelated_text_does_not_match) {
  similar_hoaxdb *db = load_db();
  ASSERT(db);
  similar_hoax_result r = match(db, "今天去银行办了一张卡，工作人员很热情，取款也很方便。");
  ASSERT_EQ_INT(r.matched, 0);
  r = match(db, "");
  ASSERT_EQ_INT(r.matched, 0);
  similar_hoaxdb_free(db);
}

/* A random Han string of n characters (deterministic). */
static void rand_han(uint64_t *st, char *out, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    *st = similar_mix64(*st + 1);
    o += util_utf8_put(0x4E00 + (uint32_t)(*st % 400), out + o); /* small alphabet: overlaps */
  }
  out[o] = 0;
}

TEST(prefilter_never_drops_a_possible_match) {
  /* Claims over a 400-character alphabet, so posts share many bigrams with
   * many claims; some claims have entities (lower threshold 0.45). */
  enum { CLAIMS = 300, POSTS = 400 };
  static char texts[CLAIMS][128], ent[CLAIMS][8];
  similar_hoax_input in[CLAIMS];
  const char *ents[CLAIMS][1];
  uint64_t st = 5;
  memset(in, 0, sizeof in);
  for (size_t i = 0; i < CLAIMS; i++) {
    rand_han(&st, texts[i], 12 + i % 20);
    memcpy(ent[i], texts[i], 3); /* the first character is the entity */
    ent[i][3] = 0;
    ents[i][0] = ent[i];
    in[i].id = texts[i];
    in[i].claim = texts[i];
    in[i].category = "epidemic";
    if (i % 3 == 0) { in[i].entities = ents[i]; in[i].n_entities = 1; }
  }
  similar_hoaxdb *db;
  ASSERT_EQ_INT(similar_hoaxdb_build(NULL, in, CLAIMS, NULL, &db, NULL), 0);
  similar_tokens t;
  similar_tokens_init(&t, NULL);
  util_vec sh, hits, cand;
  util_vec_init(&sh, NULL, sizeof(uint32_t));
  util_vec_init(&hits, NULL, sizeof(uint64_t));
  util_vec_init(&cand, NULL, sizeof(uint32_t));
  size_t possible = 0, kept = 0, filtered = 0;
  const uint32_t *off = db->set_off.data, *sets = db->sets.data, *dh = db->doc_hoax.data;
  for (size_t p = 0; p < POSTS; p++) {
    /* parts of two claims, cut at random points, with random filler */
    char post[1024], pad[256];
    const char *a = texts[similar_mix64(p) % CLAIMS], *b = texts[similar_mix64(p + 777) % CLAIMS];
    size_t cut_a = (similar_mix64(p + 1) % (strlen(a) / 3 + 1)) * 3;
    rand_han(&st, pad, p % 30);
    snprintf(post, sizeof post, "%s%s%.*s", a + cut_a / 2, pad, (int)(strlen(b) / 3 * 2), b);
    similar_tokenize(post, strlen(post), &t);
    sh.len = 0;
    similar_shingles(&t, 0, t.n, 2, &sh);
    ASSERT(similar_pf_query(&db->pf, sh.data, sh.len, &hits, &cand) >= 0);
    similar_set_sort(&sh); /* the exact scores use the set */
    for (uint32_t d = 0; d < similar_hoaxdb_docs(db); d++) {
      size_t ns = off[d + 1] - off[d];
      double c = (double)similar_set_inter(sets + off[d], ns, sh.data, sh.len) / (double)ns;
      double th = db->hoax[dh[d]].n_entities ? 0.45 : 0.6;
      int listed = 0;
      for (size_t k = 0; k < cand.len; k++) listed |= UTIL_VEC_AT(&cand, uint32_t, k) == d;
      if (c >= th) { possible++; kept += (size_t)listed; }
      else filtered += (size_t)!listed;
    }
  }
  ASSERT(possible > 50);        /* the posts do reach the thresholds */
  ASSERT_EQ_INT(kept, possible); /* ... and every such doc stays a candidate */
  ASSERT(filtered > (size_t)POSTS * CLAIMS * 9 / 10); /* while most others are dropped */
  util_vec_free(&sh);
  util_vec_free(&hits);
  util_vec_free(&cand);
  similar_tokens_free(&t);
  similar_hoaxdb_free(db);
}

TEST(hoax_match_agrees_with_exact_scores) {
  /* With the prefilter in front, a post that restates a claim still gets
   * that claim and its exact containment; unrelated posts get nothing. */
  similar_hoaxdb *db = load_db();
  ASSERT(db);
  similar_query *q;
  ASSERT_EQ_INT(similar_query_new(NULL, &q), 0);
  const char *posts[] = {"宁波镇海炼化厂发生大爆炸已经死了很多人大家不要靠近",
                         "今天去银行办了一张卡，工作人员很热情，取款也很方便。",
                         "明天起所有银行暂停取款存款将被冻结赶紧把钱取出来"};
  for (int rep = 0; rep < 2; rep++) /* the query state is reused from post to post */
    for (int i = 0; i < 3; i++) {
      similar_hoax_result r;
      ASSERT_EQ_INT(similar_hoax_match(db, q, posts[i], strlen(posts[i]), &r), 0);
      ASSERT_EQ_INT(r.matched, i != 1);
      if (i != 1) ASSERT_NEAR(r.similarity, 1.0, 1e-9);
      if (i == 1) ASSERT_EQ_INT(r.candidates, 0); /* stopped at the prefilter */
    }
  similar_query_free(q);
  similar_hoaxdb_free(db);
}

TEST(hoaxdb_errors_name_the_line) {
  similar_hoaxdb *db = NULL;
  np_error err;
  const char bad[] = "{\"id\":\"a\",\"claim\":\"一二三四五六七八\",\"category\":\"disaster\"}\n{oops\n";
  ASSERT_EQ_INT(similar_hoaxdb_load(NULL, "f.jsonl", bad, sizeof bad - 1, NULL, &db, &err), NP_EJSON);
  ASSERT(db == NULL);
  ASSERT_STR_EQ(err.file, "f.jsonl");
  ASSERT_EQ_INT(err.line, 2);
  const char cat[] = "{\"id\":\"a\",\"claim\":\"一二三四五六七八\",\"category\":\"weather\"}\n";
  ASSERT_EQ_INT(similar_hoaxdb_load(NULL, "f.jsonl", cat, sizeof cat - 1, NULL, &db, &err), NP_EFIELD);
  ASSERT_CONTAINS(err.message, "unknown category");
  const char dup[] = "{\"id\":\"a\",\"claim\":\"一二三四五六七八\",\"category\":\"disaster\"}\n"
                     "{\"id\":\"a\",\"claim\":\"九十一二三四五六\",\"category\":\"disaster\"}\n";
  ASSERT_EQ_INT(similar_hoaxdb_load(NULL, "f.jsonl", dup, sizeof dup - 1, NULL, &db, &err), NP_EFIELD);
  ASSERT_CONTAINS(err.message, "duplicate id");
  const char noclaim[] = "{\"id\":\"a\",\"category\":\"disaster\"}\n";
  ASSERT_EQ_INT(similar_hoaxdb_load(NULL, "f.jsonl", noclaim, sizeof noclaim - 1, NULL, &db, &err),
                NP_EFIELD);
}

/* The shipped database: every claim and variant finds its own record. */
TEST(shipped_hoax_db_self_match) {
  char *src = NULL;
  size_t len = 0;
  np_error err;
  if (util_read_file(NULL, "rules/hoaxes/hoaxes.jsonl", &src, &len, &err) < 0)
    FAIL_AT("cannot read rules/hoaxes/hoaxes.jsonl: %s", err.message);
  similar_hoaxdb *db = NULL;
  int rc = similar_hoaxdb_load(NULL, "rules/hoaxes/hoaxes.jsonl", src, len, NULL, &db, &err);
  util_free(NULL, src);
  if (rc < 0) FAIL_AT("load: %s:%d: %s", err.file, err.line, err.message);
  ASSERT(similar_hoaxdb_count(db) >= 50);
  int cats[SIMILAR_HOAX_NCAT] = {0};
  for (size_t i = 0; i < similar_hoaxdb_count(db); i++) {
    const similar_hoax *h = similar_hoaxdb_get(db, i);
    cats[h->category]++;
    ASSERT(*h->debunk_url && *h->debunked_by && *h->date);
    similar_hoax_result r = match(db, h->claim);
    if (!r.matched || r.hoax != i) {
      char id[64];
      snprintf(id, sizeof id, "%s", h->id);
      similar_hoaxdb_free(db);
      FAIL_AT("claim %s does not match itself", id);
    }
  }
  for (int c = 0; c < SIMILAR_HOAX_NCAT; c++) ASSERT(cats[c] >= 5);
  similar_hoaxdb_free(db);
}

/* ---- coordination ------------------------------------------------------ */

static similar_coord *coord(unsigned k) {
  similar_coord_opts o;
  similar_coord_opts_init(&o);
  o.min_accounts = k;
  o.window_s = 600;
  similar_coord *c = NULL;
  similar_coord_new(NULL, &o, &c, NULL);
  return c;
}

static const char *campaign[] = {
    "这家公司的产品真的太好用了，强烈推荐大家购买，性价比超高！",
    "这家公司的产品真的太好用了！强烈推荐大家购买，性价比超级高",
    "这家公司产品真的太好用了，强烈推荐大家去购买，性价比超高！！",
    "真的太好用了这家公司的产品，强烈推荐大家购买，性价比超高",
    "这家公司的产品真的太好用了，强烈推荐大家购买，性价比超高啊",
    "这家公司的产品真的好用，强烈推荐大家购买，性价比超高！",
};

TEST(coord_flags_cluster_of_k_accounts) {
  similar_coord *c = coord(5);
  ASSERT(c);
  char author[16];
  for (int i = 0; i < 6; i++) {
    snprintf(author, sizeof author, "u%d", i);
    ASSERT_EQ_INT(similar_coord_add(c, (uint64_t)i + 1, author, 1000 + i * 30, campaign[i],
                                    strlen(campaign[i]), NULL, 0), 0);
  }
  ASSERT_EQ_INT(similar_coord_add(c, 7, "x", 1100, "完全无关的另一条微博内容，讲的是今天的晚饭",
                                  strlen("完全无关的另一条微博内容，讲的是今天的晚饭"), NULL, 0), 0);
  ASSERT_EQ_INT(similar_coord_final(c, 1), 0); /* the window is still open */
  similar_coord_finish(c);
  ASSERT_EQ_INT(similar_coord_final(c, 1), 1);
  similar_coord_info info;
  for (uint64_t s = 1; s <= 6; s++) {
    ASSERT_EQ_INT(similar_coord_get(c, s, &info), 0);
    ASSERT_EQ_INT(info.member, 1);
    ASSERT_EQ_INT(info.cluster, 1);
    ASSERT_EQ_INT(info.accounts, 6);
    ASSERT_EQ_INT(info.span_s, 150);
  }
  ASSERT_EQ_INT(similar_coord_get(c, 7, &info), 0);
  ASSERT_EQ_INT(info.member, 0);
  for (uint64_t s = 1; s <= 7; s++) similar_coord_release(c, s);
  ASSERT_EQ_INT(similar_coord_get(c, 3, &info), NP_ENOTFOUND);
  similar_coord_stats st;
  similar_coord_get_stats(c, &st);
  ASSERT(st.clusters_flagged >= 1);
  ASSERT(st.peak_bytes > 0);
  similar_coord_free(c);
}

TEST(coord_needs_distinct_accounts) {
  similar_coord *c = coord(5);
  ASSERT(c);
  /* one account posting five times, plus three others: 4 distinct < 5 */
  for (int i = 0; i < 8; i++) {
    const char *a = i < 5 ? "same" : (i == 5 ? "b" : i == 6 ? "c" : "d");
    similar_coord_add(c, (uint64_t)i + 1, a, 1000 + i, campaign[i % 6], strlen(campaign[i % 6]),
                      NULL, 0);
  }
  similar_coord_finish(c);
  similar_coord_info info;
  ASSERT_EQ_INT(similar_coord_get(c, 1, &info), 0);
  ASSERT_EQ_INT(info.member, 0);
  ASSERT_EQ_INT(info.accounts, 4);
  ASSERT_EQ_INT(info.posts, 8);
  similar_coord_free(c);
}

TEST(coord_window_limits_links) {
  similar_coord *c = coord(3);
  ASSERT(c);
  /* three copies an hour apart (W = 10 min): no links */
  for (int i = 0; i < 3; i++) {
    char a[16];
    snprintf(a, sizeof a, "a%d", i);
    similar_coord_add(c, (uint64_t)i + 1, a, 1000 + i * 3600, campaign[0], strlen(campaign[0]),
                      NULL, 0);
  }
  /* post 1 became final once stream time moved past 1000 + W + disorder */
  ASSERT_EQ_INT(similar_coord_final(c, 1), 1);
  ASSERT_EQ_INT(similar_coord_final(c, 3), 0);
  similar_coord_finish(c);
  similar_coord_info info;
  for (uint64_t s = 1; s <= 3; s++) {
    ASSERT_EQ_INT(similar_coord_get(c, s, &info), 0);
    ASSERT_EQ_INT(info.member, 0);
    ASSERT_EQ_INT(info.accounts, 0);
  }
  similar_coord_stats st;
  similar_coord_get_stats(c, &st);
  ASSERT_EQ_INT(st.posts_in_window, 1); /* the older ones were evicted */
  similar_coord_free(c);
}

/* Same posts, input order shuffled within the window: same clusters. */
TEST(coord_order_independent) {
  int order[2][8] = {{0, 1, 2, 3, 4, 5, 6, 7}, {7, 3, 5, 0, 6, 2, 4, 1}};
  unsigned acc[2][8];
  for (int o = 0; o < 2; o++) {
    similar_coord *c = coord(4);
    ASSERT(c);
    for (int k = 0; k < 8; k++) {
      int i = order[o][k];
      char a[16];
      snprintf(a, sizeof a, "u%d", i);
      const char *t = i < 6 ? campaign[i] : "另外一条完全不同的普通内容，讨论足球比赛结果";
      similar_coord_add(c, (uint64_t)k + 1, a, 5000 + i * 20, t, strlen(t), NULL, 0);
    }
    similar_coord_finish(c);
    for (int k = 0; k < 8; k++) {
      similar_coord_info info;
      similar_coord_get(c, (uint64_t)k + 1, &info);
      acc[o][order[o][k]] = info.member ? info.accounts : 0;
    }
    similar_coord_free(c);
  }
  for (int i = 0; i < 8; i++) ASSERT_EQ_INT(acc[0][i], acc[1][i]);
  ASSERT_EQ_INT(acc[0][0], 6);
  ASSERT_EQ_INT(acc[0][6], 0);
}

TEST(coord_untimed_and_short_posts_are_not_clustered) {
  similar_coord *c = coord(2);
  ASSERT(c);
  similar_coord_add(c, 1, "a", 0, campaign[0], strlen(campaign[0]), NULL, 0);
  similar_coord_add(c, 2, "b", 0, campaign[0], strlen(campaign[0]), NULL, 0);
  similar_coord_add(c, 3, "c", 100, "好的", strlen("好的"), NULL, 0);
  similar_coord_add(c, 4, "d", 100, "好的", strlen("好的"), NULL, 0);
  ASSERT_EQ_INT(similar_coord_final(c, 1), 1);
  similar_coord_info info;
  similar_coord_finish(c);
  for (uint64_t s = 1; s <= 4; s++) {
    similar_coord_get(c, s, &info);
    ASSERT_EQ_INT(info.member, 0);
  }
  /* seq must increase */
  ASSERT_EQ_INT(similar_coord_add(c, 4, "e", 100, "x", 1, NULL, 0), NP_EINVAL);
  similar_coord_free(c);
}

TEST(coord_pileon_on_one_target) {
  similar_coord *c = coord(5);
  ASSERT(c);
  static const char *abuse[] = {"@小明 你就是个废物", "滚吧垃圾", "@小明 脑子有病吧", "真恶心的人",
                                "去死吧你", "你算什么东西"};
  for (int i = 0; i < 6; i++) {
    char a[16];
    snprintf(a, sizeof a, "h%d", i);
    /* posts 2,4,5,6 reply to 小明; 1 and 3 name him with @ */
    const char *target = (i == 0 || i == 2) ? NULL : "小明";
    similar_coord_add(c, (uint64_t)i + 1, a, 2000 + i * 60, abuse[i], strlen(abuse[i]), target, 1);
  }
  similar_coord_add(c, 7, "z", 2100, "@小明 生日快乐", strlen("@小明 生日快乐"), NULL, 0);
  similar_coord_finish(c);
  similar_coord_info info;
  ASSERT_EQ_INT(similar_coord_get(c, 1, &info), 0);
  ASSERT_EQ_INT(info.pileon, 1);
  ASSERT_EQ_INT(info.pileon_accounts, 6);
  ASSERT_STR_EQ(info.target, "小明");
  ASSERT_EQ_INT(similar_coord_get(c, 7, &info), 0); /* not abusive: not part of it */
  ASSERT_EQ_INT(info.pileon, 0);
  similar_coord_free(c);
}

TEST(coord_memory_is_bounded_by_cap) {
  similar_coord_opts o;
  similar_coord_opts_init(&o);
  o.max_posts = 100;
  o.window_s = 100000;
  similar_coord *c = NULL;
  ASSERT_EQ_INT(similar_coord_new(NULL, &o, &c, NULL), 0);
  char text[128];
  for (int i = 0; i < 1000; i++) {
    snprintf(text, sizeof text, "第%d条测试消息内容各不相同编号%c%c", i, 'a' + i % 26, 'a' + i / 26 % 26);
    ASSERT_EQ_INT(similar_coord_add(c, (uint64_t)i + 1, "a", 1000 + i, text, strlen(text), NULL, 0), 0);
    similar_coord_release(c, (uint64_t)i + 1);
  }
  similar_coord_stats st;
  similar_coord_get_stats(c, &st);
  ASSERT(st.posts_in_window <= 100);
  ASSERT(st.evicted_cap >= 900);
  similar_coord_free(c);
  similar_coord_opts_init(&o);
  o.similarity = 1.5;
  np_error err;
  ASSERT_EQ_INT(similar_coord_new(NULL, &o, &c, &err), NP_EINVAL);
}

/* ---- the CLI stage (cli/scan_coord.c) ---------------------------------- */

TEST(scan_coord_member_scan) {
  static const char *const keys[] = {"time", "text", "author", "reply_to"};
  span v[4];
  const char *rec = "{ \"meta\":{\"time\":5,\"x\":[\"]}\"]}, \"text\" : \"a\\\"b\\\\\","
                    "\"author\":null,\"time\":1700000000}";
  ASSERT_EQ_INT(members(rec, strlen(rec), keys, 4, v, NULL), 0);
  ASSERT(v[0].p && v[0].n == 10 && !memcmp(v[0].p, "1700000000", 10));
  ASSERT(v[1].p && v[1].n == 8 && v[1].p[0] == '"');
  ASSERT(v[2].p && v[2].n == 4); /* null: present, not a string */
  ASSERT(!v[3].p);
  util_buf b;
  util_buf_init(&b, NULL, 0);
  ASSERT_EQ_INT(decode_str(v[1], &b), 0);
  ASSERT_STR_EQ(b.data, "a\"b\\");
  span u = {"\"\\u4e2d\\ud83d\\ude00\\n\"", 22};
  ASSERT_EQ_INT(decode_str(u, &b), 0);
  ASSERT_STR_EQ(b.data, "中\xF0\x9F\x98\x80\n");
  span lone = {"\"\\ud800x\"", 10};
  ASSERT_EQ_INT(decode_str(lone, &b), -1); /* jansson refuses it too */
  util_buf_free(&b);
  ASSERT_EQ_INT(members("[1,2]", 5, keys, 4, v, NULL), -1);
  ASSERT_EQ_INT(members("{\"te\\u0078t\":\"x\"}", 17, keys, 4, v, NULL), -1); /* escaped key */
  ASSERT_EQ_INT(verdict_abusive("{\"id\":\"\\\"categories\\\":[\\\"harassment.x\",\"categories\":[]}",
                                48), 0);
  const char *abusive = "{\"id\":1,\"categories\":[\"spam.x\",\"harassment.insult\"],\"hits\":[]}";
  ASSERT_EQ_INT(verdict_abusive(abusive, strlen(abusive)), 1);
}

TEST(scan_coord_times) {
  scan_coord *c = scan_coord_new(NULL, NULL);
  ASSERT(c);
  int ok;
  span s1 = {"1700000000", 10}, s2 = {"\"2023-11-14T22:13:20Z\"", 22},
       s3 = {"\"2023-11-15 06:13:20+08:00\"", 27}, s4 = {"1.7e9", 5}, s5 = {"null", 4},
       s6 = {"99999999999999999999999", 23};
  ASSERT_EQ_INT(span_time(c, s1, &ok), 1700000000);
  ASSERT_EQ_INT(span_time(c, s2, &ok), 1700000000);
  ASSERT_EQ_INT(span_time(c, s3, &ok), 1700000000);
  ASSERT_EQ_INT(span_time(c, s4, &ok), 1700000000);
  ASSERT_EQ_INT(ok, 1);
  ASSERT_EQ_INT(span_time(c, s5, &ok), 0);
  ASSERT_EQ_INT(ok, 1);
  span_time(c, s6, &ok);
  ASSERT_EQ_INT(ok, 0); /* out of range: jansson decides */
  scan_coord_free(c);
}

static const char verdict_pass[] = "{\"id\":%d,\"action\":\"pass\",\"score\":0,\"categories\":[],"
                                   "\"hits\":[],\"indicators\":[]}\n";

TEST(scan_coord_push_and_drain) {
  scan_coord_opts o;
  scan_coord_opts_init(&o);
  o.window_min = 10;
  scan_coord *c = scan_coord_new(NULL, &o);
  ASSERT(c);
  char line[512], verdict[256];
  util_buf want, out;
  util_buf_init(&want, NULL, 0);
  util_buf_init(&out, NULL, 0);
  uint64_t seq = 0;
  /* an untimed post, an error record, then a campaign of 6 accounts with
   * times in every accepted form and the text once with \u escapes */
  snprintf(line, sizeof line, "{\"text\":\"%s\",\"author\":\"a\"}", campaign[0]);
  snprintf(verdict, sizeof verdict, verdict_pass, 0);
  ASSERT_EQ_INT(scan_coord_push(c, ++seq, line, strlen(line), verdict, strlen(verdict)), 0);
  util_buf_append(&want, verdict, strlen(verdict));
  const char *err = "{\"line\":2,\"error\":{\"code\":\"json\"}}\n";
  ASSERT_EQ_INT(scan_coord_push(c, ++seq, "{", 1, err, strlen(err)), 0);
  util_buf_append(&want, err, strlen(err));
  ASSERT_EQ_INT(scan_coord_held(c), 2);
  ASSERT_EQ_INT(scan_coord_drain(c, &out, 0), 0); /* nothing timed: all final at once */
  ASSERT_EQ_INT(scan_coord_held(c), 0);
  ASSERT_EQ_INT(out.len, want.len);
  ASSERT_MEM_EQ(out.data, want.data, want.len);
  const char *times[] = {"1700000000", "\"2023-11-14T22:14:20Z\"", "1700000120.5",
                         "\"1700000180\"", "\"2023-11-15 06:17:20+08:00\"", "1700000300"};
  for (int i = 0; i < 6; i++) {
    if (i == 3)
      snprintf(line, sizeof line, "{\"author\":\"u%d\",\"time\":%s,\"text\":"
               "\"\\u8fd9\\u5bb6\\u516c\\u53f8\\u7684\\u4ea7\\u54c1\\u771f\\u7684\\u592a\\u597d\\u7528"
               "\\u4e86\\uff0c\\u5f3a\\u70c8\\u63a8\\u8350\\u5927\\u5bb6\\u8d2d\\u4e70\"}", i, times[i]);
    else
      snprintf(line, sizeof line, "{\"author\":\"u%d\",\"time\":%s,\"text\":\"%s\"}", i, times[i],
               campaign[i]);
    snprintf(verdict, sizeof verdict, verdict_pass, 3 + i);
    ASSERT_EQ_INT(scan_coord_push(c, ++seq, line, strlen(line), verdict, strlen(verdict)), 0);
  }
  util_buf_reset(&out);
  ASSERT_EQ_INT(scan_coord_drain(c, &out, 0), 0);
  ASSERT_EQ_INT(out.len, 0); /* the window is still open */
  ASSERT_EQ_INT(scan_coord_drain(c, &out, 1), 0);
  ASSERT_EQ_INT(scan_coord_held(c), 0);
  /* six lines, in order, each a member raised to review */
  const char *p = out.data;
  for (int i = 0; i < 6; i++) {
    const char *nl = strchr(p, '\n');
    ASSERT(nl);
    char head[64];
    snprintf(head, sizeof head, "{\"id\":%d,\"action\":\"review\",", 3 + i);
    ASSERT(!strncmp(p, head, strlen(head)));
    char *l = strndup(p, (size_t)(nl - p));
    ASSERT_CONTAINS(l, "\"categories\":[\"spam.coordinated\"],");
    ASSERT_CONTAINS(l, "\"coord\":{\"cluster\":3,\"accounts\":6,\"posts\":6,\"span_s\":300}}");
    free(l);
    p = nl + 1;
  }
  ASSERT_EQ_INT((size_t)(p - out.data), out.len);
  util_buf_free(&want);
  util_buf_free(&out);
  scan_coord_free(c);
}

TEST(scan_coord_pileon_from_verdict_categories) {
  scan_coord *c = scan_coord_new(NULL, NULL);
  ASSERT(c);
  util_buf out;
  util_buf_init(&out, NULL, 0);
  char line[256], verdict[256];
  for (int i = 0; i < 6; i++) {
    snprintf(line, sizeof line, "{\"author\":\"x%d\",\"reply_to\":\"victim\",\"time\":%d,"
             "\"text\":\"废物滚%d\"}", i, 1000 + i, i); /* too short to cluster */
    /* the last one is not abusive: it is not part of the pile-on */
    snprintf(verdict, sizeof verdict, "{\"id\":%d,\"action\":\"review\",\"score\":0.5,"
             "\"categories\":[%s],\"hits\":[]}\n", i, i < 5 ? "\"harassment.insult\"" : "");
    ASSERT_EQ_INT(scan_coord_push(c, (uint64_t)i + 1, line, strlen(line), verdict, strlen(verdict)), 0);
  }
  ASSERT_EQ_INT(scan_coord_drain(c, &out, 1), 0);
  const char *p = out.data;
  for (int i = 0; i < 6; i++) {
    const char *nl = strchr(p, '\n');
    ASSERT(nl);
    char *l = strndup(p, (size_t)(nl - p));
    if (i < 5) {
      ASSERT_CONTAINS(l, "\"categories\":[\"coord.pileon\",\"harassment.insult\"]");
      ASSERT_CONTAINS(l, "\"pileon\":{\"target\":\"victim\",\"accounts\":5}");
    } else {
      ASSERT(!strstr(l, "pileon"));
    }
    free(l);
    p = nl + 1;
  }
  util_buf_free(&out);
  scan_coord_free(c);
}

HARNESS_MAIN
