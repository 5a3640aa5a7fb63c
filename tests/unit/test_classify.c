/* test_classify.c — unit tests of src/classify/: n-gram features, training
 * (determinism, separable data, softmax), metrics, the model file format
 * (round trip, other version, truncated, corrupt), data-set loading, and the
 * engine seam (clf.<name> values in rule conditions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "classify/classify_int.h"
#include "tests/harness.h"
#include "netpatrol.h"

/* ---- helpers ------------------------------------------------------------ */

static char *xstrdup(const char *s) {
  char *d = malloc(strlen(s) + 1);
  strcpy(d, s);
  return d;
}

/* An in-memory data set: labels given as indices into names. */
static void make_dataset(classify_dataset *d, const char *const *texts, const uint32_t *labels,
                         size_t n, const char *const *names, uint32_t k) {
  memset(d, 0, sizeof *d);
  d->n = n;
  d->texts = calloc(n, sizeof(char *));
  d->lens = calloc(n, sizeof(uint32_t));
  d->labels = calloc(n, sizeof(uint32_t));
  d->label_names = calloc(k, sizeof(char *));
  d->n_labels = k;
  for (size_t i = 0; i < n; i++) {
    d->texts[i] = xstrdup(texts[i]);
    d->lens[i] = (uint32_t)strlen(texts[i]);
    d->labels[i] = labels[i];
  }
  for (uint32_t i = 0; i < k; i++) d->label_names[i] = xstrdup(names[i]);
}

/* Synthetic binary task: "bad" texts carry an abusive word, "ok" texts not. */
static const char *const BIN_TEXTS[] = {
    "你这个傻瓜真是笨蛋", "今天天气很好我们去公园", "滚开你这个垃圾东西", "这家餐厅的菜很好吃",
    "笨蛋才会相信这种话", "明天上午九点开会", "你就是个垃圾傻瓜", "我喜欢读书和跑步",
    "傻瓜笨蛋滚出去", "周末一起去看电影吧", "垃圾人说垃圾话", "谢谢你的帮助",
};
static const uint32_t BIN_LABELS[] = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
static const char *const BIN_NAMES[] = {"0", "1"};

static classify_model *train_binary(classify_dataset *d, unsigned bits) {
  classify_train_opts o;
  classify_train_opts_init(&o);
  o.spec.hash_bits = bits;
  o.epochs = 20;
  o.lr = 0.5;
  classify_model *m = NULL;
  np_error err;
  if (classify_train(&o, d, NULL, NULL, &m, NULL, &err) < 0) return NULL;
  return m;
}

static int encode(const classify_model *m, util_buf *b) {
  util_buf_init(b, NULL, 0);
  return classify_model_encode(m, b);
}

/* ---- features ----------------------------------------------------------- */

TEST(features_count_includes_boundaries) {
  classify_spec sp;
  classify_spec_init(&sp);
  uint32_t f[64];
  /* B a b c B: 3 unigrams, 4 bigrams (Ba ab bc cB), 3 trigrams (Bab abc bcB). */
  ASSERT_EQ_INT(classify_features(&sp, "abc", 3, f, 64), 10);
  /* Only the boundary bigram of an empty text. */
  ASSERT_EQ_INT(classify_features(&sp, "", 0, f, 64), 1);
  /* Code points, not bytes: 中文 is 2 characters. */
  ASSERT_EQ_INT(classify_features(&sp, "中文", 6, f, 64), 2 + 3 + 2);
  sp.ngram_min = 2;
  sp.ngram_max = 2;
  ASSERT_EQ_INT(classify_features(&sp, "abc", 3, f, 64), 4);
}

TEST(features_invalid_utf8_counts_as_replacement) {
  classify_spec sp;
  classify_spec_init(&sp);
  uint32_t a[64], b[64];
  /* A truncated 3-byte sequence is two bad bytes: two U+FFFD characters. */
  ASSERT_EQ_INT(classify_features(&sp, "\xe4\xb8", 2, a, 64), 2 + 3 + 2);
  ASSERT_EQ_INT(classify_features(&sp, "\xef\xbf\xbd\xef\xbf\xbd", 6, b, 64), 7);
  ASSERT_MEM_EQ(a, b, 7 * sizeof *a);
  /* A lone continuation byte in the middle of Han text. */
  ASSERT_EQ_INT(classify_features(&sp, "\xe4\xb8\xad\x80\xe6\x96\x87", 7, a, 64), 3 + 4 + 3);
}

TEST(features_are_deterministic_and_in_range) {
  classify_spec sp;
  classify_spec_init(&sp);
  sp.hash_bits = 10;
  uint32_t a[64], b[64];
  size_t n = classify_features(&sp, "诈骗短信", strlen("诈骗短信"), a, 64);
  ASSERT_EQ_INT(classify_features(&sp, "诈骗短信", strlen("诈骗短信"), b, 64), n);
  ASSERT_MEM_EQ(a, b, n * sizeof *a);
  for (size_t i = 0; i < n; i++) ASSERT(a[i] < 1024u);
  /* The cap bounds what is written, not what is counted. */
  ASSERT_EQ_INT(classify_features(&sp, "诈骗短信", strlen("诈骗短信"), b, 2), n);
  /* A different seed moves the buckets. */
  sp.seed ^= 1;
  classify_features(&sp, "诈骗短信", strlen("诈骗短信"), b, 64);
  ASSERT(memcmp(a, b, n * sizeof *a) != 0);
}

TEST(features_order_matters) {
  classify_spec sp;
  classify_spec_init(&sp);
  sp.ngram_min = sp.ngram_max = 2;
  uint32_t a[8], b[8];
  classify_features(&sp, "ab", 2, a, 8); /* Ba ab bB */
  classify_features(&sp, "ba", 2, b, 8); /* Bb ba aB */
  ASSERT(a[1] != b[1]);
}

TEST(spec_check_rejects_bad_ranges) {
  classify_spec sp;
  np_error err;
  classify_spec_init(&sp);
  ASSERT_EQ_INT(classify_spec_check(&sp, &err), NP_OK);
  sp.ngram_min = 4;
  ASSERT_EQ_INT(classify_spec_check(&sp, &err), NP_EINVAL);
  ASSERT_CONTAINS(err.message, "n-gram range 4..3");
  classify_spec_init(&sp);
  sp.hash_bits = 30;
  ASSERT_EQ_INT(classify_spec_check(&sp, &err), NP_EINVAL);
  ASSERT_CONTAINS(err.message, "hash bits 30");
}

/* ---- training ----------------------------------------------------------- */

TEST(train_separates_synthetic_data) {
  classify_dataset d;
  make_dataset(&d, BIN_TEXTS, BIN_LABELS, 12, BIN_NAMES, 2);
  classify_model *m = train_binary(&d, 16);
  ASSERT(m != NULL);
  ASSERT_EQ_INT(m->kind, CLASSIFY_LOGISTIC);
  ASSERT_EQ_INT(m->n_out, 1);
  float p[2];
  for (size_t i = 0; i < d.n; i++) {
    unsigned y = classify_predict(m, d.texts[i], d.lens[i], p);
    ASSERT_EQ_INT(y, d.labels[i]);
  }
  /* Unseen text with the abusive word scores higher than a benign one. */
  classify_predict(m, "这人是个傻瓜", strlen("这人是个傻瓜"), p);
  float bad = classify_score(m, p);
  classify_predict(m, "今天去公园跑步", strlen("今天去公园跑步"), p);
  ASSERT(bad > classify_score(m, p));
  ASSERT(bad > 0.5f);
  classify_model_free(m);
  classify_dataset_free(&d);
}

TEST(train_is_deterministic) {
  classify_dataset d;
  make_dataset(&d, BIN_TEXTS, BIN_LABELS, 12, BIN_NAMES, 2);
  classify_model *a = train_binary(&d, 12), *b = train_binary(&d, 12);
  util_buf ba, bb;
  ASSERT(a && b);
  ASSERT_EQ_INT(encode(a, &ba), 0);
  ASSERT_EQ_INT(encode(b, &bb), 0);
  ASSERT_EQ_INT(ba.len, bb.len);
  ASSERT_MEM_EQ(ba.data, bb.data, ba.len);
  util_buf_free(&ba);
  util_buf_free(&bb);
  classify_model_free(a);
  classify_model_free(b);
  classify_dataset_free(&d);
}

TEST(train_softmax_three_classes) {
  static const char *const texts[] = {"贷款无抵押低利息", "刷单返利日结",  "贷款秒批手续费",
                                      "刷单兼职佣金",     "今天开会讨论", "贷款审核保证金",
                                      "刷单垫付返现",     "晚饭吃面条",   "明天去开会"};
  static const uint32_t labels[] = {1, 2, 1, 2, 0, 1, 2, 0, 0};
  static const char *const names[] = {"normal", "loan", "brushing"};
  classify_dataset d;
  make_dataset(&d, texts, labels, 9, names, 3);
  classify_train_opts o;
  classify_train_opts_init(&o);
  o.spec.hash_bits = 14;
  o.epochs = 30;
  o.lr = 0.5;
  o.weight_bits = 16;
  classify_model *m = NULL;
  np_error err;
  ASSERT_EQ_INT(classify_train(&o, &d, NULL, NULL, &m, NULL, &err), 0);
  ASSERT_EQ_INT(m->kind, CLASSIFY_SOFTMAX);
  ASSERT_EQ_INT(m->n_out, 3);
  float p[3];
  for (size_t i = 0; i < d.n; i++) ASSERT_EQ_INT(classify_predict(m, d.texts[i], d.lens[i], p), labels[i]);
  ASSERT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-5);
  classify_predict(m, "贷款", strlen("贷款"), p);
  ASSERT(classify_score(m, p) > 0.5f); /* 1 - P(normal) */
  classify_model_free(m);
  classify_dataset_free(&d);
}

TEST(train_rejects_single_label) {
  static const char *const texts[] = {"a", "b"};
  static const uint32_t labels[] = {0, 0};
  static const char *const names[] = {"only"};
  classify_dataset d;
  make_dataset(&d, texts, labels, 2, names, 1);
  classify_train_opts o;
  classify_train_opts_init(&o);
  classify_model *m = NULL;
  np_error err;
  ASSERT_EQ_INT(classify_train(&o, &d, NULL, NULL, &m, NULL, &err), NP_EINVAL);
  ASSERT_CONTAINS(err.message, "at least two labels");
  ASSERT(m == NULL);
  classify_dataset_free(&d);
}

TEST(train_selects_epoch_on_dev_and_sets_threshold) {
  classify_dataset d;
  make_dataset(&d, BIN_TEXTS, BIN_LABELS, 12, BIN_NAMES, 2);
  classify_train_opts o;
  classify_train_opts_init(&o);
  o.spec.hash_bits = 14;
  o.epochs = 5;
  classify_model *m = NULL;
  classify_train_report rep;
  np_error err;
  ASSERT_EQ_INT(classify_train(&o, &d, &d, NULL, &m, &rep, &err), 0);
  ASSERT(rep.best_epoch >= 1 && rep.best_epoch <= 5);
  ASSERT_NEAR(rep.dev_macro_f1, 1.0, 1e-9);
  ASSERT(m->threshold > 0.0f && m->threshold < 1.0f);
  classify_model_free(m);
  classify_dataset_free(&d);
}

/* ---- metrics ------------------------------------------------------------ */

TEST(metrics_match_hand_computed_values) {
  /* gold 0 0 0 1 1 ; pred 0 1 0 1 0 -> class1: P 1/2 R 1/2; class0: P 2/3 R 2/3 */
  uint32_t gold[] = {0, 0, 0, 1, 1}, pred[] = {0, 1, 0, 1, 0};
  classify_eval ev;
  ASSERT_EQ_INT(classify_metrics(NULL, 2, 5, gold, pred, &ev), 0);
  ASSERT_EQ_INT(ev.confusion[0 * 2 + 1], 1);
  ASSERT_EQ_INT(ev.confusion[1 * 2 + 0], 1);
  ASSERT_NEAR(ev.accuracy, 0.6, 1e-9);
  ASSERT_NEAR(ev.precision[1], 0.5, 1e-9);
  ASSERT_NEAR(ev.recall[0], 2.0 / 3, 1e-9);
  ASSERT_NEAR(ev.macro_f1, (0.5 + 2.0 / 3) / 2, 1e-9);
  ASSERT_EQ_INT(ev.support[0], 3);
  classify_eval_free(&ev);
}

TEST(evaluate_reports_sweep_and_rejects_unknown_labels) {
  classify_dataset d;
  make_dataset(&d, BIN_TEXTS, BIN_LABELS, 12, BIN_NAMES, 2);
  classify_model *m = train_binary(&d, 14);
  classify_eval ev;
  np_error err;
  ASSERT(m != NULL);
  ASSERT_EQ_INT(classify_evaluate(m, &d, &ev, &err), 0);
  ASSERT_NEAR(ev.macro_f1, 1.0, 1e-9);
  ASSERT_NEAR(ev.sweep[9].threshold, 0.5, 1e-9);
  ASSERT_NEAR(ev.sweep[9].macro_f1, 1.0, 1e-9);
  classify_eval_free(&ev);
  free(d.label_names[1]);
  d.label_names[1] = xstrdup("spam");
  ASSERT_EQ_INT(classify_evaluate(m, &d, &ev, &err), NP_EINVAL);
  ASSERT_CONTAINS(err.message, "\"spam\"");
  classify_model_free(m);
  classify_dataset_free(&d);
}

/* ---- model file --------------------------------------------------------- */

TEST(model_roundtrip_gives_identical_scores_and_bytes) {
  classify_dataset d;
  make_dataset(&d, BIN_TEXTS, BIN_LABELS, 12, BIN_NAMES, 2);
  classify_model *m = train_binary(&d, 12), *back = NULL;
  util_buf b, b2;
  np_error err;
  ASSERT(m != NULL);
  ASSERT_EQ_INT(encode(m, &b), 0);
  ASSERT_EQ_INT(b.len, 16 + 40 + (2 + 1) * 2 + 8 + 4096 + 8);
  ASSERT_EQ_INT(classify_model_decode(NULL, "mem", b.data, b.len, &back, &err), 0);
  ASSERT_STR_EQ(back->labels[1], "1");
  ASSERT_NEAR(back->threshold, m->threshold, 0);
  for (size_t i = 0; i < d.n; i++) {
    float p1[2], p2[2];
    classify_predict(m, d.texts[i], d.lens[i], p1);
    classify_predict(back, d.texts[i], d.lens[i], p2);
    ASSERT_MEM_EQ(p1, p2, sizeof p1);
  }
  ASSERT_EQ_INT(encode(back, &b2), 0);
  ASSERT_EQ_INT(b2.len, b.len);
  ASSERT_MEM_EQ(b.data, b2.data, b.len);
  /* Through a file too. */
  char path[] = "/tmp/np_test_classify_XXXXXX";
  int fd = mkstemp(path);
  ASSERT(fd >= 0);
  close(fd);
  classify_model *f = NULL;
  ASSERT_EQ_INT(classify_model_save(m, path, &err), 0);
  ASSERT_EQ_INT(classify_model_load(NULL, path, &f, &err), 0);
  ASSERT_MEM_EQ(f->weights, m->weights, 4096);
  remove(path);
  classify_model_free(f);
  util_buf_free(&b);
  util_buf_free(&b2);
  classify_model_free(back);
  classify_model_free(m);
  classify_dataset_free(&d);
}

TEST(model_16bit_roundtrip) {
  classify_dataset d;
  make_dataset(&d, BIN_TEXTS, BIN_LABELS, 12, BIN_NAMES, 2);
  classify_train_opts o;
  classify_train_opts_init(&o);
  o.spec.hash_bits = 10;
  o.weight_bits = 16;
  classify_model *m = NULL, *back = NULL;
  np_error err;
  ASSERT_EQ_INT(classify_train(&o, &d, NULL, NULL, &m, NULL, &err), 0);
  util_buf b;
  ASSERT_EQ_INT(encode(m, &b), 0);
  ASSERT_EQ_INT(classify_model_decode(NULL, "mem", b.data, b.len, &back, &err), 0);
  ASSERT_EQ_INT(back->weight_bits, 16);
  ASSERT_MEM_EQ(back->weights, m->weights, 2048);
  util_buf_free(&b);
  classify_model_free(back);
  classify_model_free(m);
  classify_dataset_free(&d);
}

/* Encodes a small trained model for the corruption tests. */
static int small_model_bytes(util_buf *b) {
  classify_dataset d;
  make_dataset(&d, BIN_TEXTS, BIN_LABELS, 12, BIN_NAMES, 2);
  classify_model *m = train_binary(&d, 8);
  int rc = m ? encode(m, b) : -1;
  classify_model_free(m);
  classify_dataset_free(&d);
  return rc;
}

TEST(model_other_version_is_eversion) {
  util_buf b;
  ASSERT_EQ_INT(small_model_bytes(&b), 0);
  b.data[8] = 2; /* version 2 */
  classify_model *m = NULL;
  np_error err;
  ASSERT_EQ_INT(classify_model_decode(NULL, "x.npm", b.data, b.len, &m, &err), NP_EVERSION);
  ASSERT_STR_EQ(err.message,
                "x.npm: model format version 2 is not supported (this build reads version 1)");
  ASSERT(m == NULL);
  util_buf_free(&b);
}

TEST(model_bad_magic_truncated_and_corrupt) {
  util_buf b;
  ASSERT_EQ_INT(small_model_bytes(&b), 0);
  classify_model *m = NULL;
  np_error err;
  /* Every truncation is refused, never read out of bounds. */
  for (size_t n = 0; n < b.len; n += (n < 80 ? 1 : 37)) {
    int rc = classify_model_decode(NULL, "x.npm", b.data, n, &m, &err);
    ASSERT_EQ_INT(rc, NP_EMODEL);
    ASSERT(m == NULL);
  }
  ASSERT_EQ_INT(classify_model_decode(NULL, "x.npm", b.data, b.len - 1, &m, &err), NP_EMODEL);
  ASSERT_CONTAINS(err.message, "truncated model file");
  /* A flipped weight byte fails the checksum. */
  b.data[b.len - 20] ^= 0x40;
  ASSERT_EQ_INT(classify_model_decode(NULL, "x.npm", b.data, b.len, &m, &err), NP_EMODEL);
  ASSERT_STR_EQ(err.message, "x.npm: corrupt model file (checksum mismatch)");
  b.data[b.len - 20] ^= 0x40;
  ASSERT_EQ_INT(classify_model_decode(NULL, "x.npm", b.data, b.len, &m, &err), 0);
  classify_model_free(m);
  m = NULL;
  /* Bad header fields are named even before the checksum. */
  b.data[16 + 3] = 40; /* hash bits */
  ASSERT_EQ_INT(classify_model_decode(NULL, "x.npm", b.data, b.len, &m, &err), NP_EMODEL);
  ASSERT_CONTAINS(err.message, "hash bits 40");
  b.data[0] = 'X';
  ASSERT_EQ_INT(classify_model_decode(NULL, "x.npm", b.data, b.len, &m, &err), NP_EMODEL);
  ASSERT_STR_EQ(err.message, "x.npm: not a netpatrol model file (bad magic)");
  util_buf_free(&b);
}

TEST(model_load_missing_file_is_eio) {
  classify_model *m = NULL;
  np_error err;
  ASSERT_EQ_INT(classify_model_load(NULL, "/nonexistent/x.npm", &m, &err), NP_EIO);
  ASSERT_CONTAINS(err.message, "/nonexistent/x.npm");
}

/* ---- data sets ---------------------------------------------------------- */

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  fputs(text, f);
  fclose(f);
}

TEST(dataset_sorts_labels_numerically_and_maps_fixed_sets) {
  const char *path = "/tmp/np_test_classify_ds.jsonl";
  write_file(path,
             "{\"text\":\"甲\",\"label\":10}\n"
             "\n"
             "{\"text\":\"乙\",\"label\":2,\"extra\":true}\n"
             "{\"text\":\"丙\",\"label\":\"10\"}\n");
  classify_dataset d;
  np_error err;
  ASSERT_EQ_INT(classify_dataset_load(NULL, path, "label", NULL, 0, NULL, NULL, &d, &err), 0);
  ASSERT_EQ_INT(d.n, 3);
  ASSERT_EQ_INT(d.n_labels, 2);
  ASSERT_STR_EQ(d.label_names[0], "2");
  ASSERT_STR_EQ(d.label_names[1], "10");
  ASSERT_EQ_INT(d.labels[0], 1);
  ASSERT_EQ_INT(d.labels[1], 0);
  ASSERT_STR_EQ(d.texts[1], "乙");
  classify_dataset d2;
  char *fixed[] = {"10", "3"};
  ASSERT_EQ_INT(classify_dataset_load(NULL, path, "label", fixed, 2, NULL, NULL, &d2, &err),
                NP_EINVAL);
  ASSERT_CONTAINS(err.message, "label \"2\" is not one of the model's labels");
  ASSERT_EQ_INT(err.line, 3);
  classify_dataset_free(&d);
  remove(path);
}

TEST(dataset_reports_bad_lines) {
  const char *path = "/tmp/np_test_classify_bad.jsonl";
  classify_dataset d;
  np_error err;
  write_file(path, "{\"text\":\"a\",\"label\":1}\n{\"text\":\"b\"\n");
  ASSERT_EQ_INT(classify_dataset_load(NULL, path, "label", NULL, 0, NULL, NULL, &d, &err), NP_EJSON);
  ASSERT_EQ_INT(err.line, 2);
  write_file(path, "{\"text\":\"a\",\"label\":1}\n{\"text\":\"b\",\"y\":1}\n");
  ASSERT_EQ_INT(classify_dataset_load(NULL, path, "label", NULL, 0, NULL, NULL, &d, &err), NP_EFIELD);
  ASSERT_EQ_INT(err.line, 2);
  ASSERT_CONTAINS(err.message, "\"label\"");
  remove(path);
}

/* The fast field reader: same values as jansson, or a refusal (-1). */
static int fields(const char *line, util_buf *t, util_buf *l) {
  return classify_json_fields(line, strlen(line), "label", t, l);
}

TEST(json_fields_decode_and_skip) {
  util_buf t, l;
  util_buf_init(&t, NULL, 0);
  util_buf_init(&l, NULL, 0);
  ASSERT_EQ_INT(fields("{\"id\":\"x\",\"target\":[0,[1,{\"a\":null}],-2.5e3],\"text\":\"a\\\"b\\\\c\\/\\n\\u4e2d\\ud83d\\ude00\",\"label\":1}", &t, &l), 0);
  ASSERT_STR_EQ(t.data, "a\"b\\c/\n中😀");
  ASSERT_STR_EQ(l.data, "1");
  ASSERT_EQ_INT(fields(" { \"label\" : \"spam\" , \"text\" : \"\" } ", &t, &l), 0);
  ASSERT_EQ_INT(t.len, 0);
  ASSERT_STR_EQ(l.data, "spam");
  ASSERT_EQ_INT(fields("{\"text\":\"x\",\"label\":false}", &t, &l), 0);
  ASSERT_STR_EQ(l.data, "false");
  ASSERT_EQ_INT(fields("{\"text\":\"x\",\"label\":-12}", &t, &l), 0);
  ASSERT_STR_EQ(l.data, "-12");
  /* Refused: invalid JSON, unusual values, missing fields. */
  static const char *const bad[] = {
      "{\"text\":\"x\",\"label\":1",          "{\"text\":\"x\",\"label\":1} x",
      "{\"text\":\"x\",\"label\":1.5}",       "{\"text\":\"x\",\"label\":01}",
      "{\"text\":\"\\ud800\",\"label\":1}",   "{\"text\":\"\\u0000\",\"label\":1}",
      "{\"text\":\"a\tb\",\"label\":1}",      "{\"text\":\"x\",\"label\":null}",
      "{\"text\":\"x\"}",                     "{\"text\":5,\"label\":1}",
      "{\"text\":\"\xff\",\"label\":1}",      "{\"text\":\"x\",\"label\":\"\"}",
      "{\"text\":\"x\",\"a\":[1,],\"label\":1}", "[\"text\"]",
      "{\"text\":\"x\",\"label\":1,}",        "{\"text\":\"x\",\"a\":tru,\"label\":1}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (fields(bad[i], &t, &l) != -1) FAIL_AT("accepted %s", bad[i]);
  util_buf_free(&t);
  util_buf_free(&l);
}

TEST(dataset_fast_path_and_jansson_agree) {
  /* Lines the fast reader refuses still load through jansson. */
  const char *path = "/tmp/np_test_classify_mix.jsonl";
  write_file(path,
             "{\"text\":\"\\u4e2d\",\"label\":1,\"t\":[1,{\"x\":2}]}\n"
             "{\"text\":\"b\",\"label\":-0}\n");
  classify_dataset d;
  np_error err;
  ASSERT_EQ_INT(classify_dataset_load(NULL, path, "label", NULL, 0, NULL, NULL, &d, &err), 0);
  ASSERT_STR_EQ(d.texts[0], "中");
  ASSERT_EQ_INT(d.n_labels, 2);
  ASSERT_STR_EQ(d.label_names[0], "0");
  ASSERT_EQ_INT(d.labels[1], 0);
  classify_dataset_free(&d);
  remove(path);
}

/* ---- engine seam -------------------------------------------------------- */

TEST(engine_registers_and_scores_clf_values) {
  char dir[] = "/tmp/np_test_models_XXXXXX";
  ASSERT(mkdtemp(dir) != NULL);
  classify_dataset d;
  make_dataset(&d, BIN_TEXTS, BIN_LABELS, 12, BIN_NAMES, 2);
  classify_model *m = train_binary(&d, 14);
  char path[512];
  np_error err;
  snprintf(path, sizeof path, "%s/toy.npm", dir);
  ASSERT_EQ_INT(classify_model_save(m, path, &err), 0);
  classify_model_free(m);
  classify_dataset_free(&d);

  np_engine_config cfg;
  np_engine_config_init(&cfg);
  cfg.models_dir = dir;
  static const char rule[] =
      "rule toy_abuse\n{\n  meta:\n    category = \"harassment.insult\"\n"
      "    severity = \"low\"\n    action = \"review\"\n"
      "  condition:\n    clf.toy >= 0.5\n}\n";
  np_source src = {"rules", "toy.rules", rule, sizeof rule - 1};
  np_engine *e = NULL;
  int rc = np_engine_compile(&cfg, &src, 1, &e, NULL, &err);
  if (rc) fprintf(stderr, "  compile: %s\n", err.message);
  ASSERT_EQ_INT(rc, 0);
  int found = 0;
  for (size_t i = 0; np_engine_value_name(e, i); i++)
    found |= !strcmp(np_engine_value_name(e, i), "clf.toy");
  ASSERT(found);
  np_scratch *s = NULL;
  ASSERT_EQ_INT(np_scratch_alloc(e, &s, &err), 0);
  const np_verdict *v = NULL;
  np_post bad = {.text = "你这个傻瓜垃圾", .text_len = strlen("你这个傻瓜垃圾")};
  np_post ok = {.text = "今天天气很好", .text_len = strlen("今天天气很好")};
  ASSERT_EQ_INT(np_scan(e, s, &bad, &v, &err), 0);
  ASSERT_EQ_INT(v->n_hits, 1);
  ASSERT_STR_EQ(v->hits[0].rule, "toy_abuse");
  ASSERT_EQ_INT(np_scan(e, s, &ok, &v, &err), 0);
  ASSERT_EQ_INT(v->n_hits, 0);
  np_scratch_free(s);
  np_engine_free(e);

  /* A corrupt model file fails the compile with its path in the message. */
  write_file(path, "NPMODEL");
  ASSERT_EQ_INT(np_engine_compile(&cfg, &src, 1, &e, NULL, &err), NP_EMODEL);
  ASSERT_CONTAINS(err.message, "toy.npm");
  ASSERT(e == NULL);
  remove(path);
  rmdir(dir);
}

TEST(engine_rejects_missing_dir_and_bad_model_names) {
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  np_engine *e = NULL;
  np_error err;
  cfg.models_dir = "/nonexistent/models";
  ASSERT_EQ_INT(np_engine_compile(&cfg, NULL, 0, &e, NULL, &err), NP_EIO);
  ASSERT_CONTAINS(err.message, "/nonexistent/models");
  char dir[] = "/tmp/np_test_models_XXXXXX", path[512];
  ASSERT(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/Bad-Name.npm", dir);
  write_file(path, "x");
  cfg.models_dir = dir;
  ASSERT_EQ_INT(np_engine_compile(&cfg, NULL, 0, &e, NULL, &err), NP_EMODEL);
  ASSERT_CONTAINS(err.message, "model names must be lower-case letters, digits and _");
  ASSERT(e == NULL);
  remove(path);
  rmdir(dir);
}

TEST(engine_without_models_dir_has_no_clf_values) {
  np_engine *e = NULL;
  np_error err;
  ASSERT_EQ_INT(np_engine_compile(NULL, NULL, 0, &e, NULL, &err), 0);
  for (size_t i = 0; np_engine_value_name(e, i); i++)
    ASSERT(strncmp(np_engine_value_name(e, i), "clf.", 4) != 0);
  np_engine_free(e);
}

HARNESS_MAIN
