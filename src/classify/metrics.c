/* metrics.c — evaluation of a model on a labelled data set: confusion
 * matrix, accuracy, per-class precision/recall/F1, macro-F1 and a sweep of
 * decision thresholds over the model score ("not the first label").
 */
#include <string.h>
#include <time.h>
#include "classify/classify.h"

void classify_eval_free(classify_eval *ev) {
  if (!ev) return;
  util_free(ev->alloc, ev->confusion);
  util_free(ev->alloc, ev->precision);
  util_free(ev->alloc, ev->recall);
  util_free(ev->alloc, ev->f1);
  util_free(ev->alloc, ev->support);
  memset(ev, 0, sizeof *ev);
}

static double safe_div(double a, double b) { return b > 0 ? a / b : 0.0; }
static double f1_of(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

int classify_metrics(const np_allocator *a, uint32_t k, size_t n, const uint32_t *gold,
                     const uint32_t *pred, classify_eval *ev) {
  memset(ev, 0, sizeof *ev);
  ev->alloc = a;
  ev->n_labels = k;
  ev->n = n;
  ev->confusion = util_calloc(a, (size_t)k * k, sizeof *ev->confusion);
  ev->precision = util_calloc(a, k, sizeof(double));
  ev->recall = util_calloc(a, k, sizeof(double));
  ev->f1 = util_calloc(a, k, sizeof(double));
  ev->support = util_calloc(a, k, sizeof *ev->support);
  if (!ev->confusion || !ev->precision || !ev->recall || !ev->f1 || !ev->support) {
    classify_eval_free(ev);
    return NP_ENOMEM;
  }
  size_t correct = 0;
  for (size_t i = 0; i < n; i++) {
    ev->confusion[(size_t)gold[i] * k + pred[i]]++;
    correct += gold[i] == pred[i];
  }
  double sum_f1 = 0;
  for (uint32_t c = 0; c < k; c++) {
    uint64_t tp = ev->confusion[(size_t)c * k + c], pred_c = 0, gold_c = 0;
    for (uint32_t j = 0; j < k; j++) {
      pred_c += ev->confusion[(size_t)j * k + c];
      gold_c += ev->confusion[(size_t)c * k + j];
    }
    ev->support[c] = gold_c;
    ev->precision[c] = safe_div((double)tp, (double)pred_c);
    ev->recall[c] = safe_div((double)tp, (double)gold_c);
    ev->f1[c] = f1_of(ev->precision[c], ev->recall[c]);
    sum_f1 += ev->f1[c];
  }
  ev->accuracy = safe_div((double)correct, (double)n);
  ev->macro_f1 = k ? sum_f1 / k : 0.0;
  return NP_OK;
}

/* Binary view "first label" vs "any other" at each threshold of the score. */
static void sweep(classify_eval *ev, size_t n, const uint32_t *gold, const float *score) {
  double best = -1;
  for (int t = 0; t < CLASSIFY_SWEEP; t++) {
    double th = 0.05 * (t + 1);
    uint64_t tp = 0, fp = 0, fn = 0, tn = 0;
    for (size_t i = 0; i < n; i++) {
      int pos = score[i] >= th, g = gold[i] != 0;
      tp += pos && g;
      fp += pos && !g;
      fn += !pos && g;
      tn += !pos && !g;
    }
    classify_sweep_row *r = &ev->sweep[t];
    r->threshold = th;
    r->precision = safe_div((double)tp, (double)(tp + fp));
    r->recall = safe_div((double)tp, (double)(tp + fn));
    r->f1 = f1_of(r->precision, r->recall);
    double np_ = safe_div((double)tn, (double)(tn + fn)), nr = safe_div((double)tn, (double)(tn + fp));
    r->macro_f1 = (r->f1 + f1_of(np_, nr)) / 2;
    r->accuracy = safe_div((double)(tp + tn), (double)n);
    if (r->macro_f1 > best + 1e-12) {
      best = r->macro_f1;
      ev->best_threshold = th;
    }
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: robust on a busy machine */
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int classify_evaluate(const classify_model *m, const classify_dataset *d, classify_eval *ev,
                      np_error *err) {
  const np_allocator *a = d->alloc;
  uint32_t map[CLASSIFY_MAX_LABELS];
  for (uint32_t i = 0; i < d->n_labels; i++) {
    uint32_t j = 0;
    while (j < m->n_labels && strcmp(m->labels[j], d->label_names[i]) != 0) j++;
    if (j == m->n_labels)
      return util_err(err, NP_EINVAL, "label \"%s\" is not one of the model's labels",
                      d->label_names[i]);
    map[i] = j;
  }
  uint32_t *gold = util_calloc(a, d->n, sizeof *gold), *pred = util_calloc(a, d->n, sizeof *pred);
  float *score = util_calloc(a, d->n, sizeof *score);
  int rc = NP_ENOMEM;
  if (!gold || !pred || !score) goto out;
  float probs[CLASSIFY_MAX_LABELS];
  double t0 = now();
  for (size_t i = 0; i < d->n; i++) {
    pred[i] = classify_predict(m, d->texts[i], d->lens[i], probs);
    score[i] = classify_score(m, probs);
  }
  double secs = now() - t0;
  for (size_t i = 0; i < d->n; i++) gold[i] = map[d->labels[i]];
  if ((rc = classify_metrics(a, m->n_labels, d->n, gold, pred, ev)) < 0) goto out;
  ev->seconds = secs;
  sweep(ev, d->n, gold, score);
out:
  util_free(a, gold);
  util_free(a, pred);
  util_free(a, score);
  if (rc < 0) return util_err(err, rc, "out of memory evaluating the model");
  return NP_OK;
}
