/* bench_hs_raw.c — the peer "raw Vectorscan": the same literal terms compiled
 * with hs_compile_lit_multi, one hs_scan per line of the corpus, no
 * normalization, no JSON.  Prints MB/s, lines/s and the number of lines with
 * a match (a checksum that the run did real work).
 *   usage: bench_hs_raw LEXICON CORPUS [RUNS] */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
  fclose(f);
  if (buf) buf[n] = 0;
  *len = (size_t)n;
  return buf;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx) {
  (void)id; (void)from; (void)to; (void)flags;
  *(int *)ctx = 1;
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s LEXICON CORPUS [RUNS]\n", argv[0]); return 1; }
  int runs = argc > 3 ? atoi(argv[3]) : 5;
  size_t llen, clen;
  char *lex = slurp(argv[1], &llen), *corpus = slurp(argv[2], &clen);
  if (!lex || !corpus) { fprintf(stderr, "cannot read inputs\n"); return 1; }
  size_t n = 0, cap = 1024;
  const char **exprs = malloc(cap * sizeof *exprs);
  size_t *lens = malloc(cap * sizeof *lens);
  for (char *p = lex; *p;) {
    char *nl = strchr(p, '\n');
    size_t l = nl ? (size_t)(nl - p) : strlen(p);
    if (l) {
      if (n == cap) {
        cap *= 2;
        exprs = realloc(exprs, cap * sizeof *exprs);
        lens = realloc(lens, cap * sizeof *lens);
      }
      exprs[n] = p;
      lens[n++] = l;
    }
    if (!nl) break;
    *nl = 0;
    p = nl + 1;
  }
  unsigned *flags = calloc(n, sizeof *flags), *ids = calloc(n, sizeof *ids);
  for (size_t i = 0; i < n; i++) ids[i] = (unsigned)i;
  hs_database_t *db;
  hs_compile_error_t *err;
  double t0 = now_s();
  if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &err)) {
    fprintf(stderr, "compile: %s\n", err->message);
    return 1;
  }
  double compile_s = now_s() - t0;
  hs_scratch_t *scratch = NULL;
  hs_alloc_scratch(db, &scratch);
  double *times = calloc((size_t)runs, sizeof *times);
  size_t lines = 0, hit_lines = 0;
  for (int r = 0; r < runs; r++) {
    lines = hit_lines = 0;
    t0 = now_s();
    for (char *p = corpus; p < corpus + clen;) {
      char *nl = memchr(p, '\n', (size_t)(corpus + clen - p));
      size_t l = nl ? (size_t)(nl - p) : (size_t)(corpus + clen - p);
      int hit = 0;
      hs_scan(db, p, (unsigned)l, 0, scratch, on_match, &hit);
      lines++;
      hit_lines += (size_t)hit;
      p += l + 1;
    }
    times[r] = now_s() - t0;
  }
  qsort(times, (size_t)runs, sizeof *times, cmp_double);
  double med = times[runs / 2];
  printf("raw-vectorscan terms=%zu compile_s=%.3f lines=%zu hit_lines=%zu median_s=%.3f MB/s=%.1f "
         "posts/s=%.0f\n",
         n, compile_s, lines, hit_lines, med, (double)clen / 1e6 / med, (double)lines / med);
  hs_free_scratch(scratch);
  hs_free_database(db);
  free(times); free(flags); free(ids); free(exprs); free(lens); free(lex); free(corpus);
  return 0;
}
