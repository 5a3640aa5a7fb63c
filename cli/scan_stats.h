/* scan_stats.h — the summary `netpatrol scan` prints on stderr: posts,
 * flagged per category and action, error records, throughput. */
#ifndef NP_CLI_SCAN_STATS_H
#define NP_CLI_SCAN_STATS_H
#include <stdint.h>
#include <stdio.h>
#include "netpatrol.h"

#define SCAN_STATS_MAX_CATEGORIES 128

typedef struct scan_stats {
  uint64_t posts, errors, blank, flagged, blocked, reviewed;
  size_t n_categories;
  const char *category[SCAN_STATS_MAX_CATEGORIES]; /* borrowed from the engine */
  uint64_t category_posts[SCAN_STATS_MAX_CATEGORIES];
} scan_stats;

void scan_stats_init(scan_stats *s);
void scan_stats_free(scan_stats *s);
/* Counts one verdict: flagged if its action is not pass; each category once. */
void scan_stats_add(scan_stats *s, const np_verdict *v);
void scan_stats_add_category(scan_stats *s, const char *category, uint64_t n);
void scan_stats_merge(scan_stats *into, const scan_stats *from);
/* seconds < 0 leaves timings out (--deterministic). */
void scan_stats_print(const scan_stats *s, FILE *f, double seconds, uint64_t bytes);
#endif
