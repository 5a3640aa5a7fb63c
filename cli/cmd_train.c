/* cmd_train.c — `netpatrol train`: trains a linear character n-gram model on
 * labelled JSON Lines, normalizing every text with the engine's normalizer
 * (the text rules and models see at scan time), selects the epoch on --dev,
 * and writes a model file.  Progress goes to stderr when it is a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "classify/classify.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "netpatrol.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: netpatrol train --data FILE --out MODEL [options]\n"
          "  --data FILE          training set, JSON Lines with \"text\" and a label field\n"
          "  --label-field NAME   label field (default label)\n"
          "  --dev FILE           dev set: keeps the best epoch and sets the threshold\n"
          "  --out MODEL          model file to write (*.npm)\n"
          "  --ngram MIN-MAX      character n-gram range (default 1-3)\n"
          "  --bits N             hash buckets 2^N (default 20)\n"
          "  --epochs N           passes over the data (default 10)\n"
          "  --lr X  --l2 X       AdaGrad learning rate (0.2) and L2 penalty (1e-6)\n"
          "  --class-weight balanced|none   (default balanced)\n"
          "  --softmax            softmax even for two labels\n"
          "  --weight-bits 8|16   weight precision in the file (default 8)\n"
          "  --seed N             shuffling seed (default 1)\n"
          "  --quiet              no progress\n");
}

/* The engine's default normalizer, borrowed through the public API. */
typedef struct normalizer {
  np_engine *e;
  np_scratch *s;
  double seconds;
} normalizer;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int norm_cb(void *user, const char *in, size_t len, const char **out, size_t *out_len,
                   np_error *err) {
  normalizer *n = user;
  double t0 = now();
  int rc = np_normalize(n->e, n->s, in, len, out, out_len, err);
  n->seconds += now() - t0;
  return rc;
}

static void progress(void *user, unsigned epoch, unsigned epochs, size_t done, size_t total,
                     double loss, double dev_f1) {
  (void)user;
  int width = 30, fill = (int)((double)width * (double)done / (double)total);
  fprintf(stderr, "\repoch %u/%u [%.*s%*s] %3d%% loss %.4f", epoch, epochs, fill,
          "##############################", width - fill, "", (int)(100.0 * done / total), loss);
  if (done == total) {
    if (dev_f1 >= 0) fprintf(stderr, " dev macro-F1 %.4f", dev_f1);
    fputc('\n', stderr);
  }
  fflush(stderr);
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (end == s || *end || v < (long)lo || v > (long)hi) return -1;
  *out = (unsigned)v;
  return 0;
}

static int fail_err(const np_error *err, int rc) {
  char msg[1024];
  np_error_format(err, msg, sizeof msg);
  fprintf(stderr, "netpatrol train: %s\n", msg);
  return rc == NP_EIO ? EXIT_IO : rc == NP_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
}

int cmd_train(int argc, char **argv) {
  const char *data = NULL, *dev_path = NULL, *out = NULL, *field = "label";
  classify_train_opts o;
  classify_train_opts_init(&o);
  int quiet = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return EXIT_OK; }
    else if (!strcmp(a, "--quiet")) { quiet = 1; continue; }
    else if (!strcmp(a, "--softmax")) { o.softmax = 1; continue; }
    if (!v) { fprintf(stderr, "netpatrol train: %s needs a value\n", a); usage(stderr); return EXIT_USAGE; }
    i++;
    if (!strcmp(a, "--data")) data = v;
    else if (!strcmp(a, "--dev")) dev_path = v;
    else if (!strcmp(a, "--out")) out = v;
    else if (!strcmp(a, "--label-field")) field = v;
    else if (!strcmp(a, "--ngram")) {
      unsigned lo, hi;
      char tail;
      bad = sscanf(v, "%u-%u%c", &lo, &hi, &tail) != 2;
      if (!bad) { o.spec.ngram_min = lo; o.spec.ngram_max = hi; }
    } else if (!strcmp(a, "--bits")) bad = parse_uint(v, CLASSIFY_MIN_BITS, CLASSIFY_MAX_BITS, &o.spec.hash_bits);
    else if (!strcmp(a, "--epochs")) bad = parse_uint(v, 1, 1000, &o.epochs);
    else if (!strcmp(a, "--weight-bits")) bad = parse_uint(v, 8, 16, &o.weight_bits);
    else if (!strcmp(a, "--lr")) bad = (o.lr = strtod(v, NULL)) <= 0;
    else if (!strcmp(a, "--l2")) bad = (o.l2 = strtod(v, NULL)) < 0;
    else if (!strcmp(a, "--seed")) o.seed = strtoull(v, NULL, 10);
    else if (!strcmp(a, "--class-weight")) {
      bad = strcmp(v, "balanced") && strcmp(v, "none");
      o.balanced = !strcmp(v, "balanced");
    } else {
      fprintf(stderr, "netpatrol train: unknown option %s\n", a);
      usage(stderr);
      return EXIT_USAGE;
    }
    if (bad) { fprintf(stderr, "netpatrol train: bad value for %s: %s\n", a, v); return EXIT_USAGE; }
  }
  if (!data || !out) { usage(stderr); return EXIT_USAGE; }
  np_error err = {0};
  int rc = classify_spec_check(&o.spec, &err);
  if (rc < 0) return fail_err(&err, rc);
  if (o.weight_bits != 8 && o.weight_bits != 16) {
    fprintf(stderr, "netpatrol train: --weight-bits must be 8 or 16\n");
    return EXIT_USAGE;
  }
  if (!quiet && isatty(2)) o.progress = progress;

  normalizer n = {0};
  classify_dataset train = {0}, dev = {0};
  classify_model *m = NULL;
  int code = EXIT_OK;
  if ((rc = np_engine_compile(NULL, NULL, 0, &n.e, NULL, &err)) < 0 ||
      (rc = np_scratch_alloc(n.e, &n.s, &err)) < 0 ||
      (rc = classify_dataset_load(NULL, data, field, NULL, 0, norm_cb, &n, &train, &err)) < 0 ||
      (dev_path && (rc = classify_dataset_load(NULL, dev_path, field, train.label_names,
                                               train.n_labels, norm_cb, &n, &dev, &err)) < 0)) {
    code = fail_err(&err, rc);
    goto done;
  }
  double t0 = now();
  classify_train_report rep;
  if ((rc = classify_train(&o, &train, dev_path ? &dev : NULL, NULL, &m, &rep, &err)) < 0 ||
      (rc = classify_model_save(m, out, &err)) < 0) {
    code = fail_err(&err, rc);
    goto done;
  }
  double secs = now() - t0;
  size_t bytes = 0;
  FILE *f = fopen(out, "rb");
  if (f) { fseek(f, 0, SEEK_END); bytes = (size_t)ftell(f); fclose(f); }
  printf("%s: %s, %u labels, %zu training texts, n-grams %u-%u, 2^%u buckets, %u-bit weights, "
         "%zu bytes\n",
         out, m->kind == CLASSIFY_LOGISTIC ? "logistic" : "softmax", m->n_labels, train.n,
         o.spec.ngram_min, o.spec.ngram_max, o.spec.hash_bits, o.weight_bits, bytes);
  printf("trained in %.2f s (normalizing %.2f s), kept epoch %u of %u, final loss %.4f\n", secs,
         n.seconds, rep.best_epoch, o.epochs, rep.train_loss);
  if (dev_path)
    printf("dev: macro-F1 %.4f at argmax; recommended threshold %.2f\n", rep.dev_macro_f1,
           m->threshold);
done:
  classify_model_free(m);
  classify_dataset_free(&train);
  classify_dataset_free(&dev);
  np_scratch_free(n.s);
  np_engine_free(n.e);
  return code;
}
