/* cmd_scan.c — `netpatrol scan`: JSON Lines posts in, one verdict per post
 * out, in input order.  Lines are read in batches; each batch is split into
 * contiguous slices, one per thread (each with its own scratch), and the
 * slices' outputs are written in order. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/line_reader.h"
#include "cli/report.h"
#include "cli/scan_coord.h"
#include "cli/scan_stats.h"
#include "netpatrol.h"
#include "store/store.h"
#include "util/util.h"

#define BATCH_LINES 4096
#define BATCH_BYTES (8u << 20)
#define MAX_JOBS 64

typedef struct scan_opts {
  const char *input, *output, *rules, *hoaxes, *models;
  int jobs, text_format, reveal, detectors, deterministic, color, quiet;
  long long max_line, max_text;
  scan_coord_opts coord;   /* --coord-* (cli/scan_coord.h) */
  const char *db;          /* --db FILE: record verdicts as clues (docs/internals/store-api.md) */
  double db_threshold;
  store *st;
} scan_opts;

typedef struct batch {
  char *data;             /* line bytes, back to back */
  size_t len, cap;
  size_t n;
  size_t off[BATCH_LINES], lens[BATCH_LINES], full_len[BATCH_LINES];
  uint64_t line_no[BATCH_LINES];
  uint8_t too_long[BATCH_LINES];
} batch;

typedef struct worker {
  const np_engine *engine;
  np_scratch *scratch;
  const scan_opts *opts;
  const batch *b;
  size_t from, to;
  util_buf out;
  util_buf dbv, dbraw;    /* --db: verdict JSON and raw indicator values, one line per post */
  scan_stats stats;
  int failed;             /* NP_ENOMEM or similar: abort */
  pthread_t thread;
} worker;

static void usage(FILE *f) {
  fprintf(f,
          "usage: netpatrol scan [FILE|-] [options]\n"
          "  --rules DIR           rule packs (default: the shipped rules/)\n"
          "  --jobs N              scanning threads (default 1); output order is kept\n"
          "  --output FILE         write verdicts to FILE (default stdout)\n"
          "  --format jsonl|text   JSON Lines verdicts (default) or a readable report\n"
          "  --reveal              show personal data unmasked in the output\n"
          "  --no-detectors        skip the PII/indicator detectors\n"
          "  --hoaxes FILE         hoax database (default: <rules>/hoaxes/hoaxes.jsonl)\n"
          "  --models DIR          classifier models (default: <rules>/../models)\n"
          "  --max-line-bytes N    longest input line (default 16M)\n"
          "  --max-text-bytes N    longest post text (default 4M)\n"
          "  --color auto|always|never   colour in the text report\n"
          "  --deterministic       no timings in the summary (for tests)\n"
          "  --quiet               no summary on stderr\n"
          "  --db FILE             record verdicts at or above --db-threshold as clues in FILE\n"
          "  --db-threshold X      score that makes a clue (default 0.5)\n"
          "exit status: 0 ok, 1 usage, 2 input had bad records or rules are invalid,\n"
          "             3 I/O error, 4 internal error (docs/cli/exit-codes.md)\n");
  scan_coord_usage(f);
}

static int parse_args(int argc, char **argv, scan_opts *o) {
  memset(o, 0, sizeof *o);
  o->jobs = 1;
  o->detectors = 1;
  o->color = -1;
  o->max_line = 16ll << 20;
  o->max_text = 4ll << 20;
  o->db_threshold = 0.5;
  scan_coord_opts_init(&o->coord);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    int pc;
#define NEED_VALUE() do { if (!v) { fprintf(stderr, "netpatrol scan: %s needs a value\n", a); return -1; } i++; } while (0)
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 1; }
    else if (!strcmp(a, "--rules")) { NEED_VALUE(); o->rules = v; }
    else if (!strcmp(a, "--output") || !strcmp(a, "-o")) { NEED_VALUE(); o->output = v; }
    else if (!strcmp(a, "--hoaxes")) { NEED_VALUE(); o->hoaxes = v; }
    else if (!strcmp(a, "--models")) { NEED_VALUE(); o->models = v; }
    else if (!strcmp(a, "--db")) { NEED_VALUE(); o->db = v; }
    else if (!strcmp(a, "--db-threshold")) { NEED_VALUE(); o->db_threshold = atof(v); }
    else if (!strcmp(a, "--jobs") || !strcmp(a, "-j")) {
      NEED_VALUE();
      o->jobs = atoi(v);
      if (o->jobs < 1 || o->jobs > MAX_JOBS) {
        fprintf(stderr, "netpatrol scan: --jobs must be 1..%d\n", MAX_JOBS);
        return -1;
      }
    } else if (!strcmp(a, "--format")) {
      NEED_VALUE();
      if (!strcmp(v, "text")) o->text_format = 1;
      else if (strcmp(v, "jsonl")) { fprintf(stderr, "netpatrol scan: unknown format '%s'\n", v); return -1; }
    } else if (!strcmp(a, "--color")) {
      NEED_VALUE();
      o->color = !strcmp(v, "always") ? 1 : !strcmp(v, "never") ? 0 : -1;
    } else if (!strcmp(a, "--max-line-bytes") || !strcmp(a, "--max-text-bytes")) {
      NEED_VALUE();
      long long n = cli_parse_size(v);
      if (n <= 0) { fprintf(stderr, "netpatrol scan: bad size '%s' for %s\n", v, a); return -1; }
      if (a[6] == 'l') o->max_line = n; else o->max_text = n;
    } else if (!strcmp(a, "--reveal")) o->reveal = 1;
    else if (!strcmp(a, "--no-detectors")) o->detectors = 0;
    else if (!strcmp(a, "--deterministic")) o->deterministic = 1;
    else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) o->quiet = 1;
    else if ((pc = scan_coord_parse_opt(&o->coord, argc, argv, &i)) != 0) { if (pc < 0) return -1; }
    else if (a[0] == '-' && a[1]) { fprintf(stderr, "netpatrol scan: unknown option '%s'\n", a); return -1; }
    else if (!o->input) o->input = a;
    else { fprintf(stderr, "netpatrol scan: more than one input file\n"); return -1; }
#undef NEED_VALUE
  }
  return 0;
}

static const char *too_big_fmt =
    "{\"line\":%llu,\"error\":{\"code\":\"too_big\",\"message\":\"line is %zu bytes, over the "
    "limit of %lld (--max-line-bytes)\"}}\n";

static void process_line(worker *w, size_t i) {
  const batch *b = w->b;
  const char *line = b->data + b->off[i];
  if (b->too_long[i]) {
    w->stats.errors++;
    w->stats.posts++;
    char tmp[256];
    int n = snprintf(tmp, sizeof tmp, too_big_fmt, (unsigned long long)b->line_no[i],
                     b->full_len[i], w->opts->max_line);
    if (w->opts->text_format) report_error_text(&w->out, tmp, (size_t)n, w->opts->color);
    else util_buf_append(&w->out, tmp, (size_t)n);
    if (w->opts->st && (util_buf_append(&w->dbv, tmp, (size_t)n) || util_buf_putc(&w->dbraw, '\n')))
      w->failed = NP_ENOMEM;
    return;
  }
  const char *json;
  size_t json_len;
  int is_error = 0;
  int rc = np_scan_json(w->engine, w->scratch, line, b->lens[i], b->line_no[i], &json, &json_len,
                        &is_error, NULL); /* only NP_ENOMEM fails: the run stops */
  if (rc < 0) { w->failed = rc; return; }
  w->stats.posts++;
  const np_verdict *v = np_scratch_verdict(w->scratch);
  if (is_error || !v) w->stats.errors++;
  else scan_stats_add(&w->stats, v);
  if (w->opts->st) { /* the store links on raw values even when the output is masked */
    int r = util_buf_append(&w->dbv, json, json_len);
    for (size_t k = 0; !r && v && k < v->n_indicators; k++) {
      const char *val = v->indicators[k].value ? v->indicators[k].value : "";
      if (!strpbrk(val, "\x1f\n")) r = util_buf_append(&w->dbraw, val, strlen(val));
      if (!r) r = util_buf_putc(&w->dbraw, '\x1f');
    }
    if (r || util_buf_putc(&w->dbraw, '\n')) w->failed = NP_ENOMEM;
  }
  if (!w->opts->text_format) {
    if (util_buf_append(&w->out, json, json_len) < 0) w->failed = NP_ENOMEM;
  } else if (is_error || !v) {
    report_error_text(&w->out, json, json_len, w->opts->color);
  } else if (v->action != NP_ACTION_PASS) {
    report_verdict_text(&w->out, line, b->lens[i], b->line_no[i], v, json, json_len,
                        w->opts->color);
  }
}

static void *run_worker(void *arg) {
  worker *w = arg;
  for (size_t i = w->from; i < w->to && !w->failed; i++) process_line(w, i);
  return NULL;
}

static int batch_add(batch *b, const char *line, size_t len, size_t full_len, int too_long,
                     uint64_t line_no) {
  size_t keep = too_long ? 0 : len;
  if (b->len + keep + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : BATCH_BYTES;
    while (cap < b->len + keep + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, line, keep);
  b->off[b->n] = b->len;
  b->lens[b->n] = keep;
  b->full_len[b->n] = full_len;
  b->too_long[b->n] = (uint8_t)too_long;
  b->line_no[b->n] = line_no;
  b->len += keep;
  b->data[b->len++] = 0;
  b->n++;
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --db: records a worker's slice in the store (in input order, one batched
 * transaction per store_options.batch posts). */
static int record_slice(worker *w) {
  const char *v = w->dbv.data, *r = w->dbraw.data;
  for (size_t i = w->from; v && r && i < w->to; i++) {
    const char *ve = memchr(v, '\n', (size_t)(w->dbv.data + w->dbv.len - v));
    const char *re = memchr(r, '\n', (size_t)(w->dbraw.data + w->dbraw.len - r));
    if (!ve || !re) break;
    np_error err = {0};
    const batch *b = w->b;
    if (store_record_scan(w->opts->st, v, (size_t)(ve - v), b->data + b->off[i], b->lens[i], r,
                          (size_t)(re - r), w->opts->db_threshold, NULL, &err) < 0 &&
        err.code != NP_EJSON && err.code != NP_EFIELD) {
      fprintf(stderr, "netpatrol scan: --db %s: %s\n", w->opts->db, err.message);
      return -1;
    }
    v = ve + 1;
    r = re + 1;
  }
  return 0;
}

/* --db with coordination: each post waits here (its input line and raw
 * indicator line) until the coordination stage releases its final verdict, so
 * the store records what was written, cluster membership included. */
typedef struct db_entry {
  size_t in_off, in_len, raw_off, raw_len;
} db_entry;

typedef struct db_pending {
  util_buf data;
  util_vec ent;  /* db_entry, in input order */
  size_t head;
} db_pending;

static int pending_push(db_pending *q, const char *in, size_t in_len, const char *raw,
                        size_t raw_len) {
  db_entry e = {q->data.len, in_len, q->data.len + in_len, raw_len};
  if (util_buf_append(&q->data, in, in_len) || util_buf_append(&q->data, raw, raw_len))
    return -1;
  return util_vec_push(&q->ent, &e);
}

/* Records the verdict lines in vbuf (as written) against the oldest waiting posts. */
static int pending_record(db_pending *q, const scan_opts *o, const util_buf *vbuf) {
  const char *v = vbuf->data, *end = v ? v + vbuf->len : NULL;
  while (v && v < end && q->head < q->ent.len) {
    const char *nl = memchr(v, '\n', (size_t)(end - v));
    size_t vl = nl ? (size_t)(nl - v) : (size_t)(end - v);
    const db_entry *e = &UTIL_VEC_AT(&q->ent, db_entry, q->head++);
    np_error err = {0};
    if (store_record_scan(o->st, v, vl, q->data.data + e->in_off, e->in_len,
                          q->data.data + e->raw_off, e->raw_len, o->db_threshold, NULL, &err) < 0 &&
        err.code != NP_EJSON && err.code != NP_EFIELD) {
      fprintf(stderr, "netpatrol scan: --db %s: %s\n", o->db, err.message);
      return -1;
    }
    v += vl + 1;
  }
  if (q->head == q->ent.len) { /* everything recorded: reuse the buffers */
    q->head = q->ent.len = 0;
    util_buf_reset(&q->data);
  }
  return 0;
}

/* Queues a worker's slice (input lines + raw indicator lines) for pending_record. */
static int pending_slice(db_pending *q, const worker *w) {
  const char *r = w->dbraw.data, *rend = r ? r + w->dbraw.len : NULL;
  for (size_t i = w->from; i < w->to; i++) {
    const char *nl = r ? memchr(r, '\n', (size_t)(rend - r)) : NULL;
    size_t rl = nl ? (size_t)(nl - r) + 1 : 0;
    const batch *b = w->b;
    if (pending_push(q, b->data + b->off[i], b->lens[i], r ? r : "", rl) < 0) return -1;
    if (nl) r = nl + 1;
  }
  return 0;
}

/* Runs the batch on the workers and writes their outputs in order. */
static int flush_batch(worker *w, int jobs, batch *b, FILE *out, scan_coord *coord,
                       util_buf *cbuf, db_pending *pend) {
  size_t per = (b->n + (size_t)jobs - 1) / (size_t)jobs;
  for (int j = 0; j < jobs; j++) {
    w[j].b = b;
    w[j].from = (size_t)j * per < b->n ? (size_t)j * per : b->n;
    w[j].to = w[j].from + per < b->n ? w[j].from + per : b->n;
    util_buf_reset(&w[j].out);
    util_buf_reset(&w[j].dbv);
    util_buf_reset(&w[j].dbraw);
  }
  for (int j = 1; j < jobs; j++) pthread_create(&w[j].thread, NULL, run_worker, &w[j]);
  run_worker(&w[0]);
  for (int j = 1; j < jobs; j++) pthread_join(w[j].thread, NULL);
  for (int j = 0; j < jobs; j++) {
    if (w[j].failed) return EXIT_INTERNAL;
    if (w[j].opts->st && !coord && record_slice(&w[j]) != 0) return EXIT_IO;
    if (w[j].opts->st && coord && pending_slice(pend, &w[j]) != 0) return EXIT_INTERNAL;
    if (coord) { /* one verdict line per input line: the coordination stage holds them */
      const char *p = w[j].out.data, *end = p + w[j].out.len;
      util_buf_reset(cbuf);
      for (size_t i = w[j].from; i < w[j].to && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (scan_coord_push(coord, b->line_no[i], b->data + b->off[i],
                            b->too_long[i] ? 0 : b->lens[i], p, n) < 0)
          return EXIT_INTERNAL;
        p += n;
      }
      if (scan_coord_drain(coord, cbuf, 0) < 0) return EXIT_INTERNAL;
      if (cbuf->len && fwrite(cbuf->data, 1, cbuf->len, out) != cbuf->len) return EXIT_IO;
      if (w[j].opts->st && pending_record(pend, w[j].opts, cbuf) != 0) return EXIT_IO;
      continue;
    }
    if (w[j].out.len && fwrite(w[j].out.data, 1, w[j].out.len, out) != w[j].out.len)
      return EXIT_IO;
  }
  b->n = 0;
  b->len = 0;
  return EXIT_OK;
}

static void progress(const line_reader *r, double t0, int final) {
  double dt = now_s() - t0;
  fprintf(stderr, "\r  %llu lines, %.1f MB, %.1f MB/s%s", (unsigned long long)r->line_no,
          (double)r->bytes / 1e6, dt > 0 ? (double)r->bytes / 1e6 / dt : 0.0,
          final ? "\n" : "   ");
}

static int scan_stream(const np_engine *e, const scan_opts *o, FILE *in, FILE *out,
                       scan_stats *total, uint64_t *bytes) {
  worker w[MAX_JOBS];
  memset(w, 0, sizeof w);
  int rc = EXIT_OK;
  util_buf cbuf;
  util_buf_init(&cbuf, NULL, 0);
  db_pending pend;
  memset(&pend, 0, sizeof pend);
  util_buf_init(&pend.data, NULL, 0);
  util_vec_init(&pend.ent, NULL, sizeof(db_entry));
  scan_coord *coord = NULL;
  if (!o->coord.disabled && !o->text_format && !(coord = scan_coord_new(e, &o->coord))) {
    fprintf(stderr, "netpatrol scan: out of memory\n");
    return EXIT_INTERNAL;
  }
  for (int j = 0; j < o->jobs; j++) {
    w[j].engine = e;
    w[j].opts = o;
    util_buf_init(&w[j].out, NULL, 0);
    util_buf_init(&w[j].dbv, NULL, 0);
    util_buf_init(&w[j].dbraw, NULL, 0);
    scan_stats_init(&w[j].stats);
    np_error err = {0};
    if (np_scratch_alloc(e, &w[j].scratch, &err) < 0) {
      fprintf(stderr, "netpatrol scan: %s\n", err.message);
      rc = EXIT_INTERNAL;
      goto done;
    }
  }
  batch *b = calloc(1, sizeof *b);
  line_reader r;
  if (!b || line_reader_init(&r, in, (size_t)o->max_line) < 0) {
    free(b);
    rc = EXIT_INTERNAL;
    goto done;
  }
  int tty = !o->quiet && isatty(STDERR_FILENO);
  double t0 = now_s(), last = t0;
  const char *line;
  size_t len;
  int too_long, got;
  while (rc == EXIT_OK && (got = line_reader_next(&r, &line, &len, &too_long)) > 0) {
    size_t k = 0;
    while (k < len && !too_long && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) k++;
    if (k == len && !too_long) { w[0].stats.blank++; continue; } /* blank line: not a post */
    if (batch_add(b, line, len, len, too_long, r.line_no) < 0) { rc = EXIT_INTERNAL; break; }
    if (b->n == BATCH_LINES || b->len >= BATCH_BYTES) {
      rc = flush_batch(w, o->jobs, b, out, coord, &cbuf, &pend);
      if (tty && now_s() - last > 0.5) { progress(&r, t0, 0); last = now_s(); }
    }
  }
  if (rc == EXIT_OK && got < 0) {
    fprintf(stderr, "netpatrol scan: read error on %s\n", o->input ? o->input : "stdin");
    rc = EXIT_IO;
  }
  if (rc == EXIT_OK && b->n) rc = flush_batch(w, o->jobs, b, out, coord, &cbuf, &pend);
  if (rc == EXIT_OK && coord) {
    util_buf_reset(&cbuf);
    if (scan_coord_drain(coord, &cbuf, 1) < 0) rc = EXIT_INTERNAL;
    else if (cbuf.len && fwrite(cbuf.data, 1, cbuf.len, out) != cbuf.len) rc = EXIT_IO;
    else if (o->st && pending_record(&pend, o, &cbuf) != 0) rc = EXIT_IO;
    /* the workers counted verdicts before the coordination stage changed them */
    uint64_t cluster, pileon, raised;
    scan_coord_counts(coord, &cluster, &pileon, &raised);
    if (cluster) scan_stats_add_category(total, SCAN_COORD_CAT_CLUSTER, cluster);
    if (pileon) scan_stats_add_category(total, SCAN_COORD_CAT_PILEON, pileon);
    total->flagged += raised;
    total->reviewed += raised;
  }
  if (tty && last != t0) progress(&r, t0, 1);
  *bytes = r.bytes;
  line_reader_free(&r);
  free(b->data);
  free(b);
done:
  for (int j = 0; j < o->jobs; j++) {
    scan_stats_merge(total, &w[j].stats);
    scan_stats_free(&w[j].stats);
    util_buf_free(&w[j].out);
    util_buf_free(&w[j].dbv);
    util_buf_free(&w[j].dbraw);
    np_scratch_free(w[j].scratch);
  }
  scan_coord_free(coord);
  util_buf_free(&cbuf);
  util_buf_free(&pend.data);
  util_vec_free(&pend.ent);
  return rc;
}

int cmd_scan(int argc, char **argv) {
  scan_opts o;
  int pa = parse_args(argc, argv, &o);
  if (pa) return pa > 0 ? EXIT_OK : EXIT_USAGE;
  char rules_buf[4096];
  const char *rules = cli_rules_dir(o.rules, rules_buf, sizeof rules_buf);
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  cfg.reveal = o.reveal;
  cfg.detectors = o.detectors;
  cfg.max_line_bytes = (size_t)o.max_line;
  cfg.max_text_bytes = (size_t)o.max_text;
  cfg.hoax_path = o.hoaxes;
  cfg.models_dir = o.models;
  cli_pack_paths paths;
  cli_pack_defaults(&cfg, rules, &paths);
  np_engine *e = NULL;
  int rc = cli_load_engine(&cfg, rules, &e);
  if (rc) return rc;
  FILE *in = stdin, *out = stdout;
  if (o.input && strcmp(o.input, "-")) {
    in = fopen(o.input, "rb");
    if (!in) {
      fprintf(stderr, "netpatrol scan: cannot open %s\n", o.input);
      np_engine_free(e);
      return EXIT_IO;
    }
  }
  if (o.output) {
    out = fopen(o.output, "wb");
    if (!out) {
      fprintf(stderr, "netpatrol scan: cannot create %s\n", o.output);
      if (in != stdin) fclose(in);
      np_engine_free(e);
      return EXIT_IO;
    }
  }
  if (o.color < 0) o.color = o.text_format && isatty(fileno(out));
  if (o.db) {
    np_error err = {0};
    if (store_open(o.db, NULL, &o.st, &err)) {
      fprintf(stderr, "netpatrol scan: %s\n", err.message);
      if (out != stdout) fclose(out);
      if (in != stdin) fclose(in);
      np_engine_free(e);
      return EXIT_IO;
    }
  }
  scan_stats total;
  scan_stats_init(&total);
  uint64_t bytes = 0;
  double t0 = now_s();
  rc = scan_stream(e, &o, in, out, &total, &bytes);
  double dt = now_s() - t0;
  if (o.st) {
    np_error err = {0};
    if (store_flush(o.st, &err) && rc == EXIT_OK) {
      fprintf(stderr, "netpatrol scan: --db %s: %s\n", o.db, err.message);
      rc = EXIT_IO;
    }
    store_close(o.st);
  }
  if (fflush(out) != 0 && rc == EXIT_OK) rc = EXIT_IO;
  if (out != stdout && fclose(out) != 0 && rc == EXIT_OK) rc = EXIT_IO;
  if (in != stdin) fclose(in);
  if (!o.quiet) scan_stats_print(&total, stderr, o.deterministic ? -1.0 : dt, bytes);
  if (rc == EXIT_OK && total.errors) rc = EXIT_INPUT;
  scan_stats_free(&total);
  np_engine_free(e);
  return rc;
}
