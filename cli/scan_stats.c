/* scan_stats.c — counting verdicts for the scan summary. */
#include "cli/scan_stats.h"
#include <stdlib.h>
#include <string.h>

void scan_stats_init(scan_stats *s) { memset(s, 0, sizeof *s); }
void scan_stats_free(scan_stats *s) { (void)s; }

void scan_stats_add_category(scan_stats *s, const char *category, uint64_t n) {
  for (size_t i = 0; i < s->n_categories; i++)
    if (strcmp(s->category[i], category) == 0) { s->category_posts[i] += n; return; }
  if (s->n_categories < SCAN_STATS_MAX_CATEGORIES) {
    s->category[s->n_categories] = category;
    s->category_posts[s->n_categories++] = n;
  }
}

void scan_stats_add(scan_stats *s, const np_verdict *v) {
  if (v->action == NP_ACTION_PASS && v->n_hits == 0) return;
  if (v->action != NP_ACTION_PASS) {
    s->flagged++;
    if (v->action == NP_ACTION_BLOCK) s->blocked++;
    else s->reviewed++;
  }
  for (size_t i = 0; i < v->n_hits; i++) {
    int seen = 0;
    for (size_t j = 0; j < i; j++) seen |= strcmp(v->hits[i].category, v->hits[j].category) == 0;
    if (!seen) scan_stats_add_category(s, v->hits[i].category, 1);
  }
}

void scan_stats_merge(scan_stats *into, const scan_stats *from) {
  into->posts += from->posts;
  into->errors += from->errors;
  into->blank += from->blank;
  into->flagged += from->flagged;
  into->blocked += from->blocked;
  into->reviewed += from->reviewed;
  for (size_t i = 0; i < from->n_categories; i++)
    scan_stats_add_category(into, from->category[i], from->category_posts[i]);
}

static int cmp_cat(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void scan_stats_print(const scan_stats *s, FILE *f, double seconds, uint64_t bytes) {
  fprintf(f, "posts: %llu  flagged: %llu (block %llu, review %llu)  errors: %llu",
          (unsigned long long)s->posts, (unsigned long long)s->flagged,
          (unsigned long long)s->blocked, (unsigned long long)s->reviewed,
          (unsigned long long)s->errors);
  if (s->blank) fprintf(f, "  blank lines: %llu", (unsigned long long)s->blank);
  fputc('\n', f);
  /* categories sorted by name so the summary is stable across --jobs */
  const char *order[SCAN_STATS_MAX_CATEGORIES];
  memcpy(order, s->category, s->n_categories * sizeof *order);
  qsort(order, s->n_categories, sizeof *order, cmp_cat);
  for (size_t k = 0; k < s->n_categories; k++)
    for (size_t i = 0; i < s->n_categories; i++)
      if (s->category[i] == order[k])
        fprintf(f, "  %-28s %llu\n", s->category[i], (unsigned long long)s->category_posts[i]);
  if (s->posts == 0 && s->errors == 0) fprintf(f, "no posts in the input\n");
  if (seconds >= 0) {
    double mb = (double)bytes / 1e6;
    fprintf(f, "%.2f MB in %.2f s: %.1f MB/s, %.0f posts/s\n", mb, seconds,
            seconds > 0 ? mb / seconds : 0.0, seconds > 0 ? (double)s->posts / seconds : 0.0);
  }
}
