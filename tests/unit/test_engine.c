/* test_engine.c — the engine through its public API: compile, scan, match
 * filters (word boundaries, squeeze, exclusions, separators), named values,
 * verdict JSON, error records, threads sharing one engine, and the span
 * property over the whole test corpus. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netpatrol.h"
#include "tests/harness.h"

static const char *shared_dir(void) {
  const char *s = getenv("SHARED");
  return s ? s : "../shared";
}

static np_engine *compile3(const char *rules, const char *lexicon, const char *norm) {
  np_source src[3];
  size_t n = 0;
  src[n++] = (np_source){"rules", "test.rules", rules, strlen(rules)};
  if (lexicon) src[n++] = (np_source){"lexicon", "lexicons/words.txt", lexicon, strlen(lexicon)};
  if (norm) src[n++] = (np_source){"normalize", "test.norm", norm, strlen(norm)};
  np_engine *e = NULL;
  np_diagnostics *d = NULL;
  np_error err = {0};
  int rc = np_engine_compile(NULL, src, n, &e, &d, &err);
  if (rc) {
    fprintf(stderr, "compile failed: %s\n", err.message);
    for (size_t i = 0; i < np_diagnostics_count(d); i++) fputs(np_diagnostics_text(d, i), stderr);
  }
  np_diagnostics_free(d);
  return e;
}

static const char *LEX_RULE =
    "rule words\n{\n  meta:\n    category = \"test.words\"\n  strings:\n"
    "    $w = lexicon(\"words\")\n  condition:\n    $w\n}\n";

/* Number of spans of the first hit, and the first span's text in *first. */
static size_t scan_spans(np_engine *e, const char *text, char *first, size_t first_size) {
  np_scratch *s = NULL;
  np_error err = {0};
  if (np_scratch_alloc(e, &s, &err)) return (size_t)-1;
  np_post p = {0};
  p.text = text;
  p.text_len = strlen(text);
  const np_verdict *v = NULL;
  size_t n = 0;
  if (first) first[0] = 0;
  if (np_scan(e, s, &p, &v, &err) == NP_OK && v->n_hits) {
    n = v->hits[0].n_spans;
    if (first && n)
      snprintf(first, first_size, "%.*s", (int)(v->hits[0].spans[0].end - v->hits[0].spans[0].start),
               text + v->hits[0].spans[0].start);
  }
  np_scratch_free(s);
  return n;
}

TEST(lexicon_term_with_evasions_reports_original_span) {
  np_engine *e = compile3(LEX_RULE, "保证金解冻\n", NULL);
  ASSERT(e);
  char got[256];
  ASSERT_EQ_INT(scan_spans(e, "群里有人说保 证 金解冻要先交钱", got, sizeof got), 1);
  ASSERT_STR_EQ(got, "保 证 金解冻");
  ASSERT_EQ_INT(scan_spans(e, "保證金解凍～名额不多了", got, sizeof got), 1);
  ASSERT_STR_EQ(got, "保證金解凍");
  ASSERT_EQ_INT(scan_spans(e, "合同里写明了保证金，解冻资金需要法院裁定", NULL, 0), 0);
  np_engine_free(e);
}

TEST(ascii_terms_need_word_boundaries) {
  np_engine *e = compile3(LEX_RULE, "k粉\nsb\n", NULL);
  ASSERT(e);
  ASSERT_EQ_INT(scan_spans(e, "今晚直播，OK粉丝们准备好了吗", NULL, 0), 0);
  ASSERT_EQ_INT(scan_spans(e, "这台笔记本只有两个USB接口", NULL, 0), 0);
  char got[64];
  ASSERT_EQ_INT(scan_spans(e, "出K粉，价格私聊", got, sizeof got), 1);
  ASSERT_STR_EQ(got, "K粉");
  np_engine_free(e);
}

TEST(declared_variants_and_exclusions) {
  np_engine *e = compile3(LEX_RULE, "收卡 = 收咔 ! 签收卡 | 收卡片\n", NULL);
  ASSERT(e);
  ASSERT_EQ_INT(scan_spans(e, "签收卡片时请核对姓名", NULL, 0), 0);
  char got[64];
  ASSERT_EQ_INT(scan_spans(e, "长期收咔，价格好", got, sizeof got), 1);
  ASSERT_STR_EQ(got, "收咔");
  ASSERT_EQ_INT(scan_spans(e, "高价收卡", NULL, 0), 1);
  np_engine_free(e);
}

TEST(squeezed_repeats_count_only_when_deliberate) {
  np_engine *e = compile3(LEX_RULE, "刷流水\n上下分\n窃听器\n", NULL);
  ASSERT(e);
  char got[64];
  ASSERT_EQ_INT(scan_spans(e, "刷流流流水水，详情看简介", got, sizeof got), 1);
  ASSERT_STR_EQ(got, "刷流流流水水");
  ASSERT_EQ_INT(scan_spans(e, "窃窃听听器器", NULL, 0), 1);
  ASSERT_EQ_INT(scan_spans(e, "天太黑，楼梯上上下下分不清方向", NULL, 0), 0);
  np_engine_free(e);
}

TEST(conditions_see_named_values) {
  const char *rules =
      "rule long_text\n{\n  meta:\n    category = \"test.len\"\n  condition:\n"
      "    text.length >= 10 and pii.phone == 0\n}\n";
  np_engine *e = compile3(rules, NULL, NULL);
  ASSERT(e);
  np_scratch *s = NULL;
  ASSERT_EQ_INT(np_scratch_alloc(e, &s, NULL), NP_OK);
  np_post p = {0};
  const np_verdict *v = NULL;
  p.text = "短";
  p.text_len = strlen(p.text);
  ASSERT_EQ_INT(np_scan(e, s, &p, &v, NULL), NP_OK);
  ASSERT_EQ_INT(v->n_hits, 0);
  p.text = "这是一段超过十个字的比较长的文字";
  p.text_len = strlen(p.text);
  ASSERT_EQ_INT(np_scan(e, s, &p, &v, NULL), NP_OK);
  ASSERT_EQ_INT(v->n_hits, 1);
  ASSERT_STR_EQ(v->hits[0].category, "test.len");
  np_scratch_free(s);
  np_engine_free(e);
}

TEST(unknown_value_and_lexicon_are_errors) {
  const char *rules =
      "rule bad\n{\n  meta:\n    category = \"x.y\"\n  strings:\n    $a = lexicon(\"nope\")\n"
      "  condition:\n    $a and pii.not_a_value > 1\n}\n";
  np_source src = {"rules", "bad.rules", rules, strlen(rules)};
  np_engine *e = NULL;
  np_diagnostics *d = NULL;
  np_error err = {0};
  ASSERT_EQ_INT(np_engine_compile(NULL, &src, 1, &e, &d, &err), NP_ERULE);
  ASSERT(e == NULL);
  ASSERT(np_diagnostics_count(d) >= 1);
  int saw_value = 0;
  for (size_t i = 0; i < np_diagnostics_count(d); i++)
    saw_value |= strstr(np_diagnostics_text(d, i), "pii.not_a_value") != NULL;
  ASSERT(saw_value);
  ASSERT_CONTAINS(np_diagnostics_text(d, 0), "bad.rules:");
  np_diagnostics_free(d);
}

TEST(invalid_utf8_and_too_big_are_errors) {
  np_engine *e = compile3(LEX_RULE, "词\n", NULL);
  ASSERT(e);
  np_scratch *s = NULL;
  ASSERT_EQ_INT(np_scratch_alloc(e, &s, NULL), NP_OK);
  np_post p = {0};
  const np_verdict *v = NULL;
  np_error err = {0};
  p.text = "ab\xff";
  p.text_len = 3;
  ASSERT_EQ_INT(np_scan(e, s, &p, &v, &err), NP_EUTF8);
  ASSERT_CONTAINS(err.message, "byte 2");
  const char *json;
  size_t len;
  int is_err;
  const char *line = "{\"id\":7,\"text\":\"ok\"}";
  ASSERT_EQ_INT(np_scan_json(e, s, line, strlen(line), 1, &json, &len, &is_err, &err), NP_OK);
  ASSERT_EQ_INT(is_err, 0);
  ASSERT_CONTAINS(json, "\"id\":7,\"action\":\"pass\"");
  line = "{\"id\":7,\"text\":";
  ASSERT_EQ_INT(np_scan_json(e, s, line, strlen(line), 9, &json, &len, &is_err, &err), NP_OK);
  ASSERT_EQ_INT(is_err, 1);
  ASSERT_CONTAINS(json, "{\"line\":9,\"error\":{\"code\":\"bad_json\"");
  np_scratch_free(s);
  np_engine_free(e);
}

/* Threads sharing one engine give the same verdicts as one thread. */
typedef struct thread_arg {
  np_engine *e;
  char out[8][4096];
} thread_arg;

static const char *const thread_texts[8] = {
    "保证金解冻找我", "今天天气很好", "收咔收咔", "签收卡片", "刷流流流水水",
    "保 证 金 解 冻", "普通的一句话", "K粉出售"};

static void *thread_main(void *p) {
  thread_arg *a = p;
  np_scratch *s = NULL;
  if (np_scratch_alloc(a->e, &s, NULL)) return NULL;
  for (int round = 0; round < 200; round++)
    for (int i = 0; i < 8; i++) {
      char line[512];
      snprintf(line, sizeof line, "{\"id\":%d,\"text\":\"%s\"}", i, thread_texts[i]);
      const char *json;
      size_t len;
      int is_err;
      if (np_scan_json(a->e, s, line, strlen(line), 1, &json, &len, &is_err, NULL) == NP_OK)
        snprintf(a->out[i], sizeof a->out[i], "%s", json);
    }
  np_scratch_free(s);
  return NULL;
}

TEST(threads_share_one_engine) {
  np_engine *e = compile3(LEX_RULE, "保证金解冻\n收卡 = 收咔 ! 签收卡\n刷流水\nk粉\n", NULL);
  ASSERT(e);
  static thread_arg args[4];
  pthread_t th[4];
  for (int t = 0; t < 4; t++) {
    memset(&args[t], 0, sizeof args[t]);
    args[t].e = e;
    pthread_create(&th[t], NULL, thread_main, &args[t]);
  }
  for (int t = 0; t < 4; t++) pthread_join(th[t], NULL);
  for (int t = 1; t < 4; t++)
    for (int i = 0; i < 8; i++) ASSERT_STR_EQ(args[t].out[i], args[0].out[i]);
  ASSERT_CONTAINS(args[0].out[0], "\"action\":\"review\"");
  ASSERT_CONTAINS(args[0].out[3], "\"action\":\"pass\"");
  np_engine_free(e);
}

/* The span property: every reported span, sliced from the original text and
 * scanned on its own, is still evidence for the same string. */
static int check_spans_in_file(np_engine *e, np_scratch *s, np_scratch *s2, const char *path,
                               size_t *checked) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int bad = 0;
  while ((n = getline(&line, &cap, f)) > 0 && bad < 5) {
    json_t *root = json_loadb(line, (size_t)n, 0, NULL);
    json_t *jt = root ? json_object_get(root, "text") : NULL;
    np_post post = {0};
    post.text = json_string_value(jt);
    post.text_len = json_string_length(jt);
    const np_verdict *v1 = NULL;
    if (post.text && np_scan(e, s, &post, &v1, NULL) == NP_OK) {
      for (size_t h = 0; h < v1->n_hits; h++)
        for (size_t k = 0; k < v1->hits[h].n_spans; k++) {
          const np_span *sp = &v1->hits[h].spans[k];
          (*checked)++;
          if (sp->start >= sp->end || sp->end > post.text_len) {
            fprintf(stderr, "  span out of range in %s\n", path);
            bad++;
            continue;
          }
          np_post slice = {0};
          slice.text = post.text + sp->start;
          slice.text_len = sp->end - sp->start;
          const np_verdict *v2 = NULL;
          int found = 0;
          if (np_scan(e, s2, &slice, &v2, NULL) == NP_OK)
            for (size_t h2 = 0; h2 < v2->n_hits; h2++)
              for (size_t k2 = 0; k2 < v2->hits[h2].n_spans; k2++)
                found |= !strcmp(v2->hits[h2].spans[k2].name, sp->name);
          if (!found) {
            fprintf(stderr, "  span [%u,%u) \"%.*s\" of %s in %s is not evidence on its own\n",
                    sp->start, sp->end, (int)(sp->end - sp->start), post.text + sp->start,
                    sp->name, path);
            bad++;
          }
        }
    }
    json_decref(root);
  }
  free(line);
  fclose(f);
  return bad;
}

TEST(spans_cover_evidence_over_corpus) {
  char path[1024];
  snprintf(path, sizeof path, "%s/bench/lexicon.txt", shared_dir());
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "  (skipped: %s missing)\n", path); return; }
  char *raw = calloc(1, 1 << 22), *lex = calloc(2, 1 << 22);
  size_t n = fread(raw, 1, (1 << 22) - 1, f);
  fclose(f);
  /* lexicon syntax characters in the raw word list are escaped, not declarations */
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (strchr("=|!%#\\", raw[i])) lex[o++] = '\\';
    lex[o++] = raw[i];
  }
  np_engine *e = compile3(LEX_RULE, lex, NULL);
  free(raw);
  free(lex);
  ASSERT(e);
  np_scratch *s = NULL, *s2 = NULL;
  ASSERT_EQ_INT(np_scratch_alloc(e, &s, NULL), NP_OK);
  ASSERT_EQ_INT(np_scratch_alloc(e, &s2, NULL), NP_OK);
  static const char *const files[] = {"data/cold/dev.jsonl", "data/weibo_rumor_ced/dev.jsonl",
                                      "data/mudou_spam_sms/dev.jsonl", "data/toxicn/dev.jsonl",
                                      "data/telecom_fraud_5/dev.jsonl",
                                      "data/evasion_dev/evasion_dev.jsonl", NULL};
  size_t checked = 0;
  int bad = 0;
  for (int i = 0; files[i]; i++) {
    snprintf(path, sizeof path, "%s/%s", shared_dir(), files[i]);
    bad += check_spans_in_file(e, s, s2, path, &checked);
  }
  bad += check_spans_in_file(e, s, s2, "examples/posts.jsonl", &checked);
  fprintf(stderr, "  %zu spans checked\n", checked);
  ASSERT(checked > 1000);
  ASSERT_EQ_INT(bad, 0);
  np_scratch_free(s);
  np_scratch_free(s2);
  np_engine_free(e);
}

/* The same property for every shipped lexicon (with the shipped normalization
 * declarations): one probe rule per lexicon, over the corpus, the bundled
 * examples and every rule example. */
TEST(spans_cover_evidence_for_shipped_lexicons) {
  static const char *const lexicons[] = {"publicity", "contact", "fee", "loan_lure", "trade_terms",
                                         "data_jargon", "hack_jargon", "gambling", "porn",
                                         "contraband", "insult", "threat", "condemn",
                                         "coordination", NULL};
  char rules[16384];
  size_t r = 0;
  np_source src[40];
  size_t n = 0;
  char *texts[40] = {0};
  for (int i = 0; lexicons[i]; i++) {
    char path[256];
    snprintf(path, sizeof path, "rules/lexicons/%s.txt", lexicons[i]);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    texts[n] = calloc(1, 1 << 20);
    size_t len = fread(texts[n], 1, (1 << 20) - 1, f);
    fclose(f);
    char *name = malloc(strlen(path) + 1);
    strcpy(name, path);
    src[n] = (np_source){"lexicon", name, texts[n], len};
    n++;
    r += (size_t)snprintf(rules + r, sizeof rules - r,
                          "rule probe_%s\n{\n  meta:\n    category = \"probe.%s\"\n  strings:\n"
                          "    $%s = lexicon(\"%s\")\n  condition:\n    $%s\n}\n",
                          lexicons[i], lexicons[i], lexicons[i], lexicons[i], lexicons[i]);
  }
  ASSERT(n >= 10);
  FILE *f = fopen("rules/normalize/default.norm", "rb");
  if (f) {
    texts[n] = calloc(1, 1 << 16);
    size_t len = fread(texts[n], 1, (1 << 16) - 1, f);
    fclose(f);
    char *name = malloc(32);
    strcpy(name, "default.norm");
    src[n] = (np_source){"normalize", name, texts[n], len};
    n++;
  }
  src[n++] = (np_source){"rules", "probe.rules", rules, r};
  np_engine *e = NULL;
  np_diagnostics *d = NULL;
  int rc = np_engine_compile(NULL, src, n, &e, &d, NULL);
  for (size_t i = 0; i < np_diagnostics_count(d); i++) fputs(np_diagnostics_text(d, i), stderr);
  np_diagnostics_free(d);
  for (size_t i = 0; i + 1 < n; i++) free((char *)src[i].name);
  for (size_t i = 0; i < 40; i++) free(texts[i]);
  ASSERT_EQ_INT(rc, NP_OK);
  np_scratch *s = NULL, *s2 = NULL;
  ASSERT_EQ_INT(np_scratch_alloc(e, &s, NULL), NP_OK);
  ASSERT_EQ_INT(np_scratch_alloc(e, &s2, NULL), NP_OK);
  static const char *const files[] = {
      "data/cold/dev.jsonl", "data/mudou_spam_sms/dev.jsonl", "data/telecom_fraud_5/dev.jsonl",
      "data/evasion_dev/evasion_dev.jsonl", NULL};
  char path[1024];
  size_t checked = 0;
  int bad = 0;
  for (int i = 0; files[i]; i++) {
    snprintf(path, sizeof path, "%s/%s", shared_dir(), files[i]);
    bad += check_spans_in_file(e, s, s2, path, &checked);
  }
  static const char *const local[] = {"examples/posts.jsonl", "rules/fraud/examples.jsonl",
                                      "rules/privacy/examples.jsonl", "rules/cyber/examples.jsonl",
                                      "rules/illegal/examples.jsonl", "rules/spam/examples.jsonl",
                                      "rules/harassment/examples.jsonl", NULL};
  for (int i = 0; local[i]; i++) bad += check_spans_in_file(e, s, s2, local[i], &checked);
  fprintf(stderr, "  %zu spans checked (shipped lexicons)\n", checked);
  ASSERT(checked > 1000);
  ASSERT_EQ_INT(bad, 0);
  np_scratch_free(s);
  np_scratch_free(s2);
  np_engine_free(e);
}

HARNESS_MAIN
