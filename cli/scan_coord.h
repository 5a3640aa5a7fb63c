/* scan_coord.h — the coordination stage of `netpatrol scan` (water-army
 * clusters and pile-ons, src/similar/ coord window).  It runs in the main
 * thread, in input order, after the workers have produced each post's
 * verdict line, so `--jobs N` gives the same clusters as one thread.
 *
 * Typical use in cmd_scan.c (see docs/similarity.md):
 *     scan_coord *c = scan_coord_new(engine, &opts);       // NULL opts = defaults
 *     for each post, in input order:
 *         scan_coord_push(c, line_no, input_line, len, verdict_json, vlen);
 *         scan_coord_drain(c, out_buf, 0);   // writes every verdict now final
 *     scan_coord_drain(c, out_buf, 1);       // end of input: write the rest
 *     scan_coord_free(c);
 * Verdicts come out in the order they were pushed.  A member of a flagged
 * cluster gets ,"coord":{"cluster":<first line>,"accounts":N,"posts":N,
 * "span_s":S} and "spam.coordinated" in its categories; an abusive post in a
 * pile-on gets "coord":{"pileon":{"target":…,"accounts":N}} and
 * "coord.pileon"; either raises action "pass" to "review".
 * Lower-level calls (scan_coord_add / _ready / _json) exist for callers that
 * keep the verdicts themselves. */
#ifndef NP_CLI_SCAN_COORD_H
#define NP_CLI_SCAN_COORD_H
#include <stdint.h>
#include <stdio.h>
#include "netpatrol.h"
#include "util/util.h"

typedef struct scan_coord_opts {
  double window_min;       /* --coord-window MIN (default 30) */
  unsigned min_accounts;   /* --coord-min-accounts K (default 5) */
  double similarity;       /* --coord-similarity S, Jaccard of shingle sets (default 0.6) */
  unsigned pileon_accounts;/* --coord-pileon-accounts K (default 5) */
  int disabled;            /* --no-coord */
} scan_coord_opts;

void scan_coord_opts_init(scan_coord_opts *o);
/* If argv[*i] is one of the coordination options, consumes it (and its value),
 * advancing *i past it, and returns 1; returns 0 if it is not ours, -1 (with a
 * message on stderr) for a bad value. */
int scan_coord_parse_opt(scan_coord_opts *o, int argc, char **argv, int *i);
/* The usage lines for those options. */
void scan_coord_usage(FILE *f);

typedef struct scan_coord scan_coord;

/* e is borrowed (used to normalize texts, with a private scratch) and must
 * outlive the stage.  Returns NULL on allocation failure or bad options. */
scan_coord *scan_coord_new(const np_engine *e, const scan_coord_opts *o);
void scan_coord_free(scan_coord *c);

/* ---- high level: the stage keeps the verdict lines ------------------------ */

/* Takes post seq (its input line number; must increase): reads author, time,
 * reply_to and text from the input JSON line and keeps a copy of its verdict
 * line (one line, '\n'-terminated; error records pass through untouched).
 * Abusive = the verdict has a harassment.* category.  0 or NP_ENOMEM. */
int scan_coord_push(scan_coord *c, uint64_t seq, const char *line, size_t len,
                    const char *verdict, size_t vlen);
/* Appends every verdict that is final (all of them when at_end) to out, in
 * order, with the coordination fields added.  0 or NP_ENOMEM. */
int scan_coord_drain(scan_coord *c, util_buf *out, int at_end);
/* Verdicts held back right now (bounded by the window). */
size_t scan_coord_held(const scan_coord *c);

/* ---- low level ------------------------------------------------------------- */

enum { SCAN_COORD_CLUSTER = 1, SCAN_COORD_PILEON = 2 };
#define SCAN_COORD_CAT_CLUSTER "spam.coordinated"
#define SCAN_COORD_CAT_PILEON "coord.pileon"

/* time: seconds since the epoch (0 = unknown: never clustered); text:
 * canonical text; reply_to may be NULL (then the first @mention is the
 * pile-on target). */
int scan_coord_add(scan_coord *c, uint64_t seq, const char *author, int64_t time,
                   const char *text, size_t len, const char *reply_to, int is_abusive);
/* 1 when post seq's coordination result can no longer change. */
int scan_coord_ready(const scan_coord *c, uint64_t seq);
/* Appends ,"coord":{…} for post seq if it is a cluster member or in a
 * pile-on, forgets the post, and returns SCAN_COORD_* flags (0 = nothing
 * appended): the caller adds SCAN_COORD_CAT_* to the verdict's categories. */
int scan_coord_json(scan_coord *c, uint64_t seq, util_buf *out);
/* Ends the input: every post becomes ready. */
void scan_coord_finish(scan_coord *c);
/* Verdicts written so far that became cluster members, pile-on members, and
 * that were raised from pass to review (for the scan summary). */
void scan_coord_counts(const scan_coord *c, uint64_t *cluster, uint64_t *pileon,
                       uint64_t *raised);
/* "coord: N posts in window (peak P), B bytes (X bytes/post), K clusters" */
void scan_coord_summary(const scan_coord *c, FILE *f);
#endif
