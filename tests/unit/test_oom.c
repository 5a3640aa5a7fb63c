/* test_oom.c — allocation failure is an ordinary path: with an allocator that
 * fails the Nth allocation, compile + scratch + scan of a sample pack returns
 * NP_ENOMEM (never crashes) for every N, and frees everything it allocated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netpatrol.h"
#include "tests/harness.h"

typedef struct fail_alloc {
  long count, fail_at, live;
} fail_alloc;

static void *fa_malloc(size_t n, void *u) {
  fail_alloc *f = u;
  if (++f->count == f->fail_at) return NULL;
  void *p = malloc(n);
  if (p) f->live++;
  return p;
}

static void *fa_realloc(void *p, size_t n, void *u) {
  fail_alloc *f = u;
  if (++f->count == f->fail_at) return NULL;
  void *q = realloc(p, n);
  if (q && !p) f->live++;
  return q;
}

static void fa_free(void *p, void *u) {
  fail_alloc *f = u;
  if (p) f->live--;
  free(p);
}

static const char RULES[] =
    "rule loan\n{\n  meta:\n    category = \"fraud.loan\"\n    severity = \"high\"\n"
    "  strings:\n    $l = lexicon(\"lure\")\n    $f = /手续费|保证金/\n    $w = \"vx\" fullword\n"
    "  condition:\n    ($l and $f and near($l, $f, 20)) or (#w > 0 and text.length < 100)\n}\n";
static const char LEX[] = "无抵押 = 无低押 ! 无抵押品\n秒批\n%pinyin on\n放款\n";
static const char NORM[] = "digit 1 = 幺\nfold 仟 = 千\n";

/* Runs the whole path once; returns the first error code or NP_OK. */
static int run_once(fail_alloc *f) {
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  cfg.alloc = (np_allocator){fa_malloc, fa_realloc, fa_free, f};
  cfg.hoax_path = "tests/fixtures/oom_hoaxes.jsonl"; /* three claims: the hoax index too */
  np_source src[3] = {{"rules", "oom.rules", RULES, sizeof RULES - 1},
                      {"lexicon", "lexicons/lure.txt", LEX, sizeof LEX - 1},
                      {"normalize", "oom.norm", NORM, sizeof NORM - 1}};
  np_engine *e = NULL;
  np_scratch *s = NULL;
  np_diagnostics *d = NULL;
  int rc = np_engine_compile(&cfg, src, 3, &e, &d, NULL);
  np_diagnostics_free(d);
  if (rc == NP_OK) rc = np_scratch_alloc(e, &s, NULL);
  if (rc == NP_OK) {
    const char *line = "{\"id\":1,\"text\":\"无 抵 押，秒批，先交手续费 加vx 幺三八\"}";
    const char *json;
    size_t len;
    int is_err;
    rc = np_scan_json(e, s, line, strlen(line), 1, &json, &len, &is_err, NULL);
    if (rc == NP_OK && (is_err || !strstr(json, "\"fraud.loan\""))) rc = NP_EINTERNAL; /* lost evidence */
  }
  np_scratch_free(s);
  np_engine_free(e);
  return rc;
}

TEST(every_allocation_failure_is_enomem_without_leaks) {
  fail_alloc f = {0, 0, 0};
  ASSERT_EQ_INT(run_once(&f), NP_OK);
  ASSERT_EQ_INT(f.live, 0);
  long total = f.count;
  ASSERT(total > 50);
  int failures = 0;
  for (long n = 1; n <= total; n++) {
    fail_alloc g = {0, n, 0};
    int rc = run_once(&g);
    if ((rc != NP_ENOMEM && rc != NP_OK) || g.live != 0) {
      if (failures++ < 5)
        fprintf(stderr, "  failing allocation %ld of %ld: rc %d (%s), %ld blocks leaked\n", n,
                total, rc, np_errname(rc), g.live);
    }
  }
  ASSERT_EQ_INT(failures, 0);
}

HARNESS_MAIN
