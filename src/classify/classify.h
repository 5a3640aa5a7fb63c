/* classify — small linear text classifiers over hashed character n-grams of
 * the canonical (normalized) text: feature hashing, binary logistic and
 * multi-class softmax models, deterministic AdaGrad training, evaluation
 * metrics and the versioned binary model format (*.npm).  Depends on util only
 * (and jansson for reading JSONL data sets); it never normalizes by itself:
 * callers pass canonical text, or a normalizer callback to the data loader.
 */
#ifndef NP_CLASSIFY_H
#define NP_CLASSIFY_H
#include <stddef.h>
#include <stdint.h>
#include "util/util.h"

/* Model file format, version 1 (little-endian throughout):
 *   "NPMODEL\0" (8)  u32 version  u32 header_bytes (what follows up to weights)
 *   u8 kind  u8 ngram_min  u8 ngram_max  u8 hash_bits  u8 weight_bits  u8[3] 0
 *   u64 hash_seed  f32 threshold  u32 n_labels  u32 n_out  u8[12] reserved 0
 *   n_labels × (u16 len, bytes)   label names
 *   n_out × f32 scale, n_out × f32 bias
 *   (1 << hash_bits) × n_out weights (int8 or int16, row-major by bucket)
 *   u64 xxh3 of every byte before it (seed 0)
 * A model scores: z_k = bias_k + scale_k · Σ_features q[f][k] / sqrt(#features). */
#define CLASSIFY_MAGIC "NPMODEL"
#define CLASSIFY_VERSION 1u
#define CLASSIFY_MAX_NGRAM 8
#define CLASSIFY_MIN_BITS 8
#define CLASSIFY_MAX_BITS 24
#define CLASSIFY_MAX_LABELS 64
#define CLASSIFY_MAX_LABEL_LEN 256

enum { CLASSIFY_LOGISTIC = 1, CLASSIFY_SOFTMAX = 2 };

/* What features a model sees: every n-gram of ngram_min..ngram_max code
 * points (with a boundary mark before the first and after the last one),
 * hashed with seed into 2^hash_bits buckets. */
typedef struct classify_spec {
  unsigned ngram_min, ngram_max; /* 1 <= min <= max <= CLASSIFY_MAX_NGRAM */
  unsigned hash_bits;            /* CLASSIFY_MIN_BITS..CLASSIFY_MAX_BITS */
  uint64_t seed;
} classify_spec;

/* Defaults: 1..3-grams, 2^20 buckets, a fixed seed. */
void classify_spec_init(classify_spec *sp);
/* 0 or NP_EINVAL with a message naming the bad field. */
int classify_spec_check(const classify_spec *sp, np_error *err);

/* Writes the bucket of every n-gram of text[0..len) into out[0..cap) and
 * returns how many there are (may exceed cap; only cap are written).
 * Invalid UTF-8 bytes count as U+FFFD.  Pure function, thread-safe. */
size_t classify_features(const classify_spec *sp, const char *text, size_t len, uint32_t *out,
                         size_t cap);

/* A loaded or trained model.  Immutable once built; share it across threads. */
typedef struct classify_model {
  classify_spec spec;
  unsigned kind;        /* CLASSIFY_LOGISTIC (2 labels, n_out 1) or CLASSIFY_SOFTMAX */
  unsigned weight_bits; /* 8 or 16 */
  float threshold;      /* recommended decision threshold on the positive score */
  uint32_t n_labels;
  char **labels;        /* [n_labels]; for logistic labels[1] is the positive class */
  uint32_t n_out;       /* 1 (logistic) or n_labels (softmax) */
  float *scale;         /* [n_out] */
  float *bias;          /* [n_out] */
  void *weights;        /* int8_t or int16_t [(1 << hash_bits) * n_out] */
  const np_allocator *alloc;
} classify_model;

void classify_model_free(classify_model *m); /* NULL is a no-op */

/* Class probabilities of canonical text (probs has n_labels entries); returns
 * the index of the most likely label.  No allocation; thread-safe. */
unsigned classify_predict(const classify_model *m, const char *text, size_t len, float *probs);
/* The model's one score: P(labels[1]) for logistic, 1 - P(labels[0]) for
 * softmax (the chance the text is anything but the first, "benign" class). */
float classify_score(const classify_model *m, const float *probs);

/* Serializes into b (appends); 0 or NP_ENOMEM / NP_ETOOBIG. */
int classify_model_encode(const classify_model *m, util_buf *b);
/* Parses a model file image.  what names it in messages ("models/x.npm").
 * Errors: NP_EMODEL (bad magic, truncated, corrupt, inconsistent),
 * NP_EVERSION (another format version), NP_ENOMEM. */
int classify_model_decode(const np_allocator *a, const char *what, const void *data, size_t len,
                          classify_model **out, np_error *err);
int classify_model_load(const np_allocator *a, const char *path, classify_model **out,
                        np_error *err);
/* Writes atomically (temp file + rename).  NP_EIO on failure. */
int classify_model_save(const classify_model *m, const char *path, np_error *err);

/* ---- data sets -------------------------------------------------------- */

/* Canonicalizes text for training/eval (the engine's normalizer); *out is
 * borrowed until the next call. */
typedef int (*classify_norm_fn)(void *user, const char *in, size_t len, const char **out,
                                size_t *out_len, np_error *err);

typedef struct classify_dataset {
  size_t n;
  char **texts;        /* canonical text, NUL-terminated */
  uint32_t *lens;
  uint32_t *labels;    /* index into label_names */
  uint32_t n_labels;
  char **label_names;  /* sorted: numerically when all are integers, else bytewise */
  const np_allocator *alloc;
} classify_dataset;

/* Reads JSON Lines with a string field "text" and the label field (string,
 * integer or boolean).  If fixed_labels is non-NULL the label set is fixed
 * (a label outside it is an error naming the line); else it is collected.
 * norm may be NULL (text used as is).  Errors carry "file:line: ...". */
int classify_dataset_load(const np_allocator *a, const char *path, const char *label_field,
                          char *const *fixed_labels, uint32_t n_fixed, classify_norm_fn norm,
                          void *norm_user, classify_dataset *out, np_error *err);
void classify_dataset_free(classify_dataset *d);

/* ---- training --------------------------------------------------------- */

typedef struct classify_train_opts {
  classify_spec spec;
  unsigned epochs;     /* maximum passes over the training set */
  double lr;           /* AdaGrad base learning rate */
  double l2;           /* L2 penalty per update */
  int balanced;        /* 1: class weights n / (K · n_k); 0: all 1 */
  int softmax;         /* 1: softmax even with two labels */
  unsigned weight_bits;/* 8 or 16 */
  uint64_t seed;       /* shuffling */
  /* Called after every epoch (and may be NULL): epoch is 1-based, dev_f1 is
   * -1 without a dev set. */
  void (*progress)(void *user, unsigned epoch, unsigned epochs, size_t done, size_t total,
                   double loss, double dev_f1);
  void *progress_user;
} classify_train_opts;

void classify_train_opts_init(classify_train_opts *o);

typedef struct classify_train_report {
  unsigned best_epoch;  /* epoch whose weights were kept (dev macro-F1), or the last */
  double dev_macro_f1;  /* of the kept (quantized) model at argmax, -1 without dev */
  double train_loss;    /* mean loss of the last epoch */
} classify_train_report;

/* Trains on train, keeping the epoch with the best dev macro-F1 when dev is
 * given (dev labels must use train's label set).  Deterministic for a given
 * opts (single-threaded).  The model's threshold is the dev-best threshold
 * for binary models (0.5 without dev). */
int classify_train(const classify_train_opts *o, const classify_dataset *train,
                   const classify_dataset *dev, const np_allocator *a, classify_model **out,
                   classify_train_report *rep, np_error *err);

/* ---- evaluation ------------------------------------------------------- */

#define CLASSIFY_SWEEP 19 /* thresholds 0.05, 0.10, ... 0.95 */

typedef struct classify_sweep_row {
  double threshold, precision, recall, f1, macro_f1, accuracy;
} classify_sweep_row;

typedef struct classify_eval {
  uint32_t n_labels;
  size_t n;
  uint64_t *confusion;  /* [gold * n_labels + predicted] */
  double *precision, *recall, *f1; /* [n_labels] */
  uint64_t *support;    /* [n_labels] gold count */
  double accuracy, macro_f1;
  /* Sweep of the model score (classify_score) as "not the first label":
   * predicted positive when score >= threshold. */
  classify_sweep_row sweep[CLASSIFY_SWEEP];
  double best_threshold; /* highest sweep macro-F1 */
  double seconds;        /* CPU time of the prediction loop (single thread) */
  const np_allocator *alloc;
} classify_eval;

/* Scores every text of d (labels mapped to m's labels by name: a dev/test
 * label unknown to the model is NP_EINVAL). */
int classify_evaluate(const classify_model *m, const classify_dataset *d, classify_eval *ev,
                      np_error *err);
void classify_eval_free(classify_eval *ev);

/* Confusion-derived figures for given predictions (used by train and eval). */
int classify_metrics(const np_allocator *a, uint32_t n_labels, size_t n, const uint32_t *gold,
                     const uint32_t *pred, classify_eval *ev);
#endif
