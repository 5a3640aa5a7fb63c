/* cmd_eval.c — `netpatrol eval`: scores a labelled JSON Lines file with a
 * model (texts normalized by the engine's normalizer, as at scan time) and
 * prints accuracy, macro-F1, per-class precision/recall/F1, the confusion
 * matrix, a threshold sweep and the prediction throughput, as text or JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "classify/classify.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "netpatrol.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: netpatrol eval --model MODEL --data FILE [--label-field NAME] [--format text|json]\n"
          "  prints accuracy, macro-F1, per-class precision/recall/F1, the confusion matrix,\n"
          "  a threshold sweep of the model score and the prediction throughput.\n");
}

typedef struct normalizer {
  np_engine *e;
  np_scratch *s;
  double seconds;
} normalizer;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts); /* per-call timer: cheap (vDSO), unlike CPU clocks */
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

static void print_text(const char *model, const char *data, const classify_model *m,
                       const classify_eval *ev, double norm_s) {
  uint32_t k = m->n_labels;
  printf("model: %s (%s, %u labels, n-grams %u-%u, 2^%u buckets, threshold %.2f)\n", model,
         m->kind == CLASSIFY_LOGISTIC ? "logistic" : "softmax", k, m->spec.ngram_min,
         m->spec.ngram_max, m->spec.hash_bits, m->threshold);
  printf("data:  %s (%zu texts)\n\n", data, ev->n);
  printf("accuracy %.4f  macro-F1 %.4f\n\n", ev->accuracy, ev->macro_f1);
  printf("%-16s %9s %9s %9s %9s\n", "label", "precision", "recall", "f1", "support");
  for (uint32_t c = 0; c < k; c++)
    printf("%-16s %9.4f %9.4f %9.4f %9llu\n", m->labels[c], ev->precision[c], ev->recall[c],
           ev->f1[c], (unsigned long long)ev->support[c]);
  printf("\nconfusion (rows gold, columns predicted)\n%-16s", "");
  for (uint32_t c = 0; c < k; c++) printf(" %9.9s", m->labels[c]);
  putchar('\n');
  for (uint32_t g = 0; g < k; g++) {
    printf("%-16s", m->labels[g]);
    for (uint32_t p = 0; p < k; p++)
      printf(" %9llu", (unsigned long long)ev->confusion[(size_t)g * k + p]);
    putchar('\n');
  }
  printf("\nthreshold sweep: positive when score >= t (score = %s)\n",
         m->kind == CLASSIFY_LOGISTIC ? "P(second label)" : "1 - P(first label)");
  printf("%9s %9s %9s %9s %9s %9s\n", "t", "precision", "recall", "f1", "macro-F1", "accuracy");
  for (int i = 0; i < CLASSIFY_SWEEP; i++) {
    const classify_sweep_row *r = &ev->sweep[i];
    printf("%9.2f %9.4f %9.4f %9.4f %9.4f %9.4f%s\n", r->threshold, r->precision, r->recall, r->f1,
           r->macro_f1, r->accuracy, r->threshold == ev->best_threshold ? "  <- best" : "");
  }
  printf("\nthroughput: %.0f texts/s scoring canonical text, %.0f texts/s normalize+score\n",
         ev->seconds > 0 ? (double)ev->n / ev->seconds : 0.0,
         ev->seconds + norm_s > 0 ? (double)ev->n / (ev->seconds + norm_s) : 0.0);
}

static void print_json(const classify_model *m, const classify_eval *ev, double norm_s) {
  uint32_t k = m->n_labels;
  printf("{\"n\":%zu,\"accuracy\":%.6f,\"macro_f1\":%.6f,\"labels\":[", ev->n, ev->accuracy,
         ev->macro_f1);
  for (uint32_t c = 0; c < k; c++)
    printf("%s{\"label\":\"%s\",\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"support\":%llu}",
           c ? "," : "", m->labels[c], ev->precision[c], ev->recall[c], ev->f1[c],
           (unsigned long long)ev->support[c]);
  printf("],\"confusion\":[");
  for (uint32_t g = 0; g < k; g++) {
    printf("%s[", g ? "," : "");
    for (uint32_t p = 0; p < k; p++)
      printf("%s%llu", p ? "," : "", (unsigned long long)ev->confusion[(size_t)g * k + p]);
    putchar(']');
  }
  printf("],\"sweep\":[");
  for (int i = 0; i < CLASSIFY_SWEEP; i++) {
    const classify_sweep_row *r = &ev->sweep[i];
    printf("%s{\"t\":%.2f,\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"macro_f1\":%.6f}",
           i ? "," : "", r->threshold, r->precision, r->recall, r->f1, r->macro_f1);
  }
  printf("],\"best_threshold\":%.2f,\"score_seconds\":%.6f,\"normalize_seconds\":%.6f}\n",
         ev->best_threshold, ev->seconds, norm_s);
}

int cmd_eval(int argc, char **argv) {
  const char *model = NULL, *data = NULL, *field = "label", *format = "text";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return EXIT_OK; }
    if (!v) { fprintf(stderr, "netpatrol eval: %s needs a value\n", a); usage(stderr); return EXIT_USAGE; }
    i++;
    if (!strcmp(a, "--model")) model = v;
    else if (!strcmp(a, "--data")) data = v;
    else if (!strcmp(a, "--label-field")) field = v;
    else if (!strcmp(a, "--format") && (!strcmp(v, "text") || !strcmp(v, "json"))) format = v;
    else {
      fprintf(stderr, "netpatrol eval: unknown option or value: %s %s\n", a, v);
      usage(stderr);
      return EXIT_USAGE;
    }
  }
  if (!model || !data) { usage(stderr); return EXIT_USAGE; }
  np_error err = {0};
  normalizer n = {0};
  classify_model *m = NULL;
  classify_dataset d = {0};
  classify_eval ev = {0};
  int rc, code = EXIT_OK;
  if ((rc = classify_model_load(NULL, model, &m, &err)) < 0 ||
      (rc = np_engine_compile(NULL, NULL, 0, &n.e, NULL, &err)) < 0 ||
      (rc = np_scratch_alloc(n.e, &n.s, &err)) < 0 ||
      (rc = classify_dataset_load(NULL, data, field, m->labels, m->n_labels, norm_cb, &n, &d,
                                  &err)) < 0 ||
      (rc = classify_evaluate(m, &d, &ev, &err)) < 0) {
    char msg[1024];
    np_error_format(&err, msg, sizeof msg);
    fprintf(stderr, "netpatrol eval: %s\n", msg);
    code = rc == NP_EIO ? EXIT_IO : rc == NP_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
    goto done;
  }
  if (!strcmp(format, "json")) print_json(m, &ev, n.seconds);
  else print_text(model, data, m, &ev, n.seconds);
done:
  classify_eval_free(&ev);
  classify_dataset_free(&d);
  classify_model_free(m);
  np_scratch_free(n.s);
  np_engine_free(n.e);
  return code;
}
