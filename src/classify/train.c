/* train.c — deterministic single-threaded AdaGrad training of logistic and
 * softmax models over hashed character n-grams, with class weights for
 * imbalanced data, per-epoch selection on a dev set and quantization of the
 * kept weights.  The same options and data always give the same bytes.
 */
#include <math.h>
#include <string.h>
#include "classify/classify_int.h"

void classify_train_opts_init(classify_train_opts *o) {
  memset(o, 0, sizeof *o);
  classify_spec_init(&o->spec);
  o->epochs = 10;
  o->lr = 0.2;
  o->l2 = 1e-6;
  o->balanced = 1;
  o->weight_bits = 8;
  o->seed = 1;
}

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

typedef struct trainer {
  const classify_train_opts *o;
  const np_allocator *a;
  unsigned kind, n_out, k;
  size_t dim;          /* buckets */
  size_t *off;         /* [n + 1] feature offsets per document */
  uint32_t *feat;      /* features of every training document */
  float *w, *gw;       /* [dim * n_out] weights and AdaGrad accumulators */
  float bias[CLASSIFY_MAX_LABELS], gb[CLASSIFY_MAX_LABELS];
  double cw[CLASSIFY_MAX_LABELS];
} trainer;

/* One AdaGrad step on one document; returns its weighted loss. */
static double step(trainer *t, size_t doc, uint32_t y) {
  const uint32_t *f = t->feat + t->off[doc];
  size_t nf = t->off[doc + 1] - t->off[doc];
  const unsigned n_out = t->n_out;
  const float lr = (float)t->o->lr, l2 = (float)t->o->l2;
  float z[CLASSIFY_MAX_LABELS], g[CLASSIFY_MAX_LABELS], p[CLASSIFY_MAX_LABELS];
  float s = nf ? 1.0f / sqrtf((float)nf) : 0.0f;
  for (unsigned j = 0; j < n_out; j++) z[j] = 0.0f;
  for (size_t i = 0; i < nf; i++) {
    const float *row = t->w + (size_t)f[i] * n_out;
    for (unsigned j = 0; j < n_out; j++) z[j] += row[j];
  }
  for (unsigned j = 0; j < n_out; j++) z[j] = t->bias[j] + s * z[j];
  classify_probs_from_logits(t->kind, t->k, z, p);
  double cw = t->cw[y], loss = -cw * log(fmax(p[y], 1e-12));
  if (t->kind == CLASSIFY_LOGISTIC) g[0] = (float)cw * (p[1] - (y == 1));
  else
    for (unsigned j = 0; j < n_out; j++) g[j] = (float)cw * (p[j] - (j == y));
  for (size_t i = 0; i < nf; i++) {
    float *row = t->w + (size_t)f[i] * n_out, *acc = t->gw + (size_t)f[i] * n_out;
    for (unsigned j = 0; j < n_out; j++) {
      float gr = g[j] * s + l2 * row[j];
      acc[j] += gr * gr;
      row[j] -= lr * gr / sqrtf(acc[j] + 1e-12f);
    }
  }
  for (unsigned j = 0; j < n_out; j++) {
    t->gb[j] += g[j] * g[j];
    if (t->gb[j] > 0) t->bias[j] -= lr * g[j] / sqrtf(t->gb[j]);
  }
  return loss;
}

/* Quantizes the current float weights into m. */
static void quantize(const trainer *t, classify_model *m) {
  const unsigned n_out = t->n_out;
  const float qmax = m->weight_bits == 8 ? 127.0f : 32767.0f;
  for (unsigned j = 0; j < n_out; j++) {
    float mx = 0.0f;
    for (size_t b = 0; b < t->dim; b++) mx = fmaxf(mx, fabsf(t->w[b * n_out + j]));
    float sc = mx > 0 ? mx / qmax : 1.0f;
    m->scale[j] = sc;
    m->bias[j] = t->bias[j];
    for (size_t b = 0; b < t->dim; b++) {
      long q = lrintf(t->w[b * n_out + j] / sc);
      if (q > (long)qmax) q = (long)qmax;
      if (q < -(long)qmax) q = -(long)qmax;
      if (m->weight_bits == 8) ((int8_t *)m->weights)[b * n_out + j] = (int8_t)q;
      else ((int16_t *)m->weights)[b * n_out + j] = (int16_t)q;
    }
  }
}

static int featurize(trainer *t, const classify_dataset *d) {
  size_t total = 0;
  t->off = util_calloc(t->a, d->n + 1, sizeof *t->off);
  if (!t->off) return NP_ENOMEM;
  for (size_t i = 0; i < d->n; i++) {
    t->off[i] = total;
    total += classify_features(&t->o->spec, d->texts[i], d->lens[i], NULL, 0);
  }
  t->off[d->n] = total;
  t->feat = util_calloc(t->a, total ? total : 1, sizeof *t->feat);
  if (!t->feat) return NP_ENOMEM;
  for (size_t i = 0; i < d->n; i++)
    classify_features(&t->o->spec, d->texts[i], d->lens[i], t->feat + t->off[i],
                      t->off[i + 1] - t->off[i]);
  return NP_OK;
}

static int dev_score(const classify_model *m, const classify_dataset *dev, double *f1,
                     double *best_th, np_error *err) {
  classify_eval ev;
  int rc = classify_evaluate(m, dev, &ev, err);
  if (rc < 0) return rc;
  *f1 = ev.macro_f1;
  if (best_th) *best_th = ev.best_threshold;
  classify_eval_free(&ev);
  return NP_OK;
}

int classify_train(const classify_train_opts *o, const classify_dataset *train,
                   const classify_dataset *dev, const np_allocator *a, classify_model **out,
                   classify_train_report *rep, np_error *err) {
  trainer t = {.o = o, .a = a};
  classify_model *best = NULL, *cur = NULL;
  size_t *order = NULL;
  int rc;
  *out = NULL;
  TRY(classify_spec_check(&o->spec, err));
  if (o->weight_bits != 8 && o->weight_bits != 16)
    return util_err(err, NP_EINVAL, "weight bits must be 8 or 16");
  if (train->n_labels < 2)
    return util_err(err, NP_EINVAL, "training data needs at least two labels (found %u)",
                    train->n_labels);
  if (o->epochs == 0 || !(o->lr > 0)) return util_err(err, NP_EINVAL, "epochs and lr must be > 0");
  t.k = train->n_labels;
  t.kind = t.k == 2 && !o->softmax ? CLASSIFY_LOGISTIC : CLASSIFY_SOFTMAX;
  t.n_out = t.kind == CLASSIFY_LOGISTIC ? 1 : t.k;
  t.dim = (size_t)1 << o->spec.hash_bits;
  rc = NP_ENOMEM;
  t.w = util_calloc(a, t.dim * t.n_out, sizeof *t.w);
  t.gw = util_calloc(a, t.dim * t.n_out, sizeof *t.gw);
  order = util_calloc(a, train->n, sizeof *order);
  if (!t.w || !t.gw || !order || featurize(&t, train) < 0) goto oom;
  if (classify_model_new(a, &o->spec, t.kind, o->weight_bits, train->label_names, t.k, &best) < 0 ||
      classify_model_new(a, &o->spec, t.kind, o->weight_bits, train->label_names, t.k, &cur) < 0)
    goto oom;
  {
    size_t count[CLASSIFY_MAX_LABELS] = {0};
    for (size_t i = 0; i < train->n; i++) count[train->labels[i]]++;
    for (unsigned j = 0; j < t.k; j++)
      t.cw[j] = o->balanced && count[j] ? (double)train->n / ((double)t.k * (double)count[j]) : 1.0;
  }
  for (size_t i = 0; i < train->n; i++) order[i] = i;
  uint64_t rng = o->seed;
  double best_f1 = -1, loss = 0;
  unsigned best_epoch = 0;
  size_t tick = train->n / 20 + 1;
  for (unsigned ep = 1; ep <= o->epochs; ep++) {
    for (size_t i = train->n; i > 1; i--) {
      size_t j = (size_t)(splitmix(&rng) % i), tmp = order[i - 1];
      order[i - 1] = order[j];
      order[j] = tmp;
    }
    loss = 0;
    for (size_t i = 0; i < train->n; i++) {
      loss += step(&t, order[i], train->labels[order[i]]);
      if (o->progress && (i + 1) % tick == 0 && i + 1 < train->n)
        o->progress(o->progress_user, ep, o->epochs, i + 1, train->n, loss / (double)(i + 1), -1);
    }
    loss /= (double)train->n;
    quantize(&t, cur);
    double f1 = -1;
    if (dev) TRY(dev_score(cur, dev, &f1, NULL, err));
    if (o->progress) o->progress(o->progress_user, ep, o->epochs, train->n, train->n, loss, f1);
    if (!dev || f1 > best_f1) {
      classify_model *sw = best;
      best = cur;
      cur = sw;
      best_f1 = f1;
      best_epoch = ep;
    }
  }
  if (dev && t.kind == CLASSIFY_LOGISTIC) {
    double f1, th;
    TRY(dev_score(best, dev, &f1, &th, err));
    best->threshold = (float)th;
  }
  if (rep) {
    rep->best_epoch = best_epoch;
    rep->dev_macro_f1 = dev ? best_f1 : -1;
    rep->train_loss = loss;
  }
  *out = best;
  best = NULL;
  rc = NP_OK;
  goto done;
oom:
  rc = util_err(err, NP_ENOMEM, "out of memory while training");
fail:
done:
  classify_model_free(best);
  classify_model_free(cur);
  util_free(a, order);
  util_free(a, t.w);
  util_free(a, t.gw);
  util_free(a, t.off);
  util_free(a, t.feat);
  return rc;
}
