/* bench_normalize.c — throughput of text_normalize over real posts: reads
 * ../shared/bench/weibo_ced.txt (or argv[1]), normalizes every line (one post
 * each) and prints MB/s and posts/s as the median of 5 runs (wall and CPU time), plus a hash of
 * all canonical output so a faster-but-wrong change shows up.  The timed runs
 * call text_normalize only (lines are split and the hash is taken outside).  --ref runs the
 * original implementation (tests/unit/normalize_ref.h) instead, for A/B runs
 * on a busy machine; "best" is the fastest of the runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "text/text.h"
#include "tests/unit/normalize_ref.h"
#include "util/util.h"

static double now(clockid_t clk) {
  struct timespec ts;
  clock_gettime(clk, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  const char *shared = getenv("SHARED");
  char path[1024];
  int ref = argc > 1 && strcmp(argv[1], "--ref") == 0;
  if (ref) { argv++; argc--; }
  if (argc > 1) snprintf(path, sizeof path, "%s", argv[1]);
  else snprintf(path, sizeof path, "%s/bench/weibo_ced.txt", shared && *shared ? shared : "../shared");
  char *data;
  size_t len;
  np_error err;
  if (util_read_file(NULL, path, &data, &len, &err) != 0) {
    fprintf(stderr, "bench_normalize: %s: %s\n", path, err.message);
    return 1;
  }
  text_normalizer *n;
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  if (text_normalizer_new(&cfg, NULL, &n, &err) != 0) return 1;
  text_norm_out o;
  text_norm_out_init(&o, NULL);
  /* the lines, found once: the timed runs call text_normalize and nothing else */
  size_t posts = 0, nl_cap = 1024, out_bytes = 0;
  size_t *line = malloc(nl_cap * 2 * sizeof *line);
  if (!line) return 1;
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - data) : len;
    if (posts == nl_cap) {
      size_t *p = realloc(line, (nl_cap *= 2) * 2 * sizeof *line);
      if (!p) return 1;
      line = p;
    }
    line[2 * posts] = i;
    line[2 * posts + 1] = e - i;
    posts++;
    i = e + 1;
  }
  double t[5], c[5]; /* wall clock, and this thread's CPU time (stable on a busy machine) */
  for (int r = 0; r < 5; r++) {
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID);
    for (size_t k = 0; k < posts; k++) {
      const char *p = data + line[2 * k];
      if ((ref ? text_normalize_ref(n, p, line[2 * k + 1], &o, &err)
               : text_normalize(n, p, line[2 * k + 1], &o, &err)) != 0)
        return 1;
    }
    t[r] = now(CLOCK_MONOTONIC) - t0;
    c[r] = now(CLOCK_THREAD_CPUTIME_ID) - c0;
  }
  /* the output hash, untimed: a faster-but-wrong change shows up here */
  uint64_t hash = 0;
  for (size_t k = 0; k < posts; k++) {
    const char *p = data + line[2 * k];
    if ((ref ? text_normalize_ref(n, p, line[2 * k + 1], &o, &err)
             : text_normalize(n, p, line[2 * k + 1], &o, &err)) != 0)
      return 1;
    hash = util_hash64(o.text, o.len, hash);
    out_bytes += o.len;
  }
  free(line);
  qsort(t, 5, sizeof t[0], cmp_d);
  qsort(c, 5, sizeof c[0], cmp_d);
  printf("normalize%s: %zu posts, %.1f MB in, %.1f MB out, median of 5: %.3f s wall %.1f MB/s "
         "%.0f posts/s; %.3f s cpu %.1f MB/s (best %.1f MB/s); hash %016llx\n",
         ref ? " (reference)" : "", posts, (double)len / 1e6, (double)out_bytes / 1e6, t[2],
         (double)len / 1e6 / t[2], (double)posts / t[2], c[2], (double)len / 1e6 / c[2],
         (double)len / 1e6 / c[0], (unsigned long long)hash);
  text_norm_out_free(&o);
  text_normalizer_free(n);
  util_free(NULL, data);
  return 0;
}
