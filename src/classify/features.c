/* features.c — hashed character n-grams of canonical text, and the streaming
 * scorer that uses them without materializing the feature list (the engine's
 * hot path allocates nothing).  Both walk the same n-grams in the same order,
 * so training and scoring can never disagree on a feature.
 */
#include <math.h>
#include <string.h>
#include "classify/classify_int.h"

#define BOUNDARY 0x110000u /* outside Unicode: marks the start and the end */
#define RING 8u            /* >= CLASSIFY_MAX_NGRAM, a power of two */

void classify_spec_init(classify_spec *sp) {
  sp->ngram_min = 1;
  sp->ngram_max = 3;
  sp->hash_bits = 20;
  sp->seed = 0x6e70636c61737331ull; /* "npclass1" */
}

int classify_spec_check(const classify_spec *sp, np_error *err) {
  if (sp->ngram_min < 1 || sp->ngram_max > CLASSIFY_MAX_NGRAM || sp->ngram_min > sp->ngram_max)
    return util_err(err, NP_EINVAL, "n-gram range %u..%u is not within 1..%d", sp->ngram_min,
                    sp->ngram_max, CLASSIFY_MAX_NGRAM);
  if (sp->hash_bits < CLASSIFY_MIN_BITS || sp->hash_bits > CLASSIFY_MAX_BITS)
    return util_err(err, NP_EINVAL, "hash bits %u is not within %d..%d", sp->hash_bits,
                    CLASSIFY_MIN_BITS, CLASSIFY_MAX_BITS);
  return NP_OK;
}

/* Decodes one code point; canonical text is valid UTF-8, so the common cases
 * are inlined and anything unusual goes through util_utf8_next. */
static inline uint32_t next_cp(const char *t, size_t len, size_t *i) {
  const unsigned char *u = (const unsigned char *)t;
  unsigned c = u[*i];
  if (c < 0x80) {
    (*i)++;
    return c;
  }
  if ((c & 0xF0) == 0xE0 && *i + 2 < len && (u[*i + 1] & 0xC0) == 0x80 &&
      (u[*i + 2] & 0xC0) == 0x80) {
    uint32_t cp = (c & 0x0Fu) << 12 | (u[*i + 1] & 0x3Fu) << 6 | (u[*i + 2] & 0x3Fu);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *i += 3;
      return cp;
    }
  }
  int32_t cp = util_utf8_next(t, len, i);
  return cp < 0 ? 0xFFFDu : (uint32_t)cp;
}

/* Walks every n-gram, running BODY with BUCKET set.  The n-grams ending at
 * one character are hashed as a chain going backwards (that character, then
 * the one before ...), so each character costs ngram_max multiply steps, and
 * each n-gram is finished with its length and a 64-bit finalizer.  The chain
 * starts from the seed, so a different seed moves every bucket. */
#define FOR_EACH_NGRAM(sp, text, len, BUCKET, BODY)                                  \
  do {                                                                               \
    uint32_t ring_[RING];                                                            \
    size_t i_ = 0, pos_ = 0;                                                         \
    const unsigned shift_ = 64u - (sp)->hash_bits;                                   \
    const unsigned nmin_ = (sp)->ngram_min, nmax_ = (sp)->ngram_max;                 \
    const uint64_t seed_ = (sp)->seed;                                               \
    int done_ = 0;                                                                   \
    while (!done_) {                                                                 \
      uint32_t cp_;                                                                  \
      if (pos_ == 0) cp_ = BOUNDARY;                                                 \
      else if (i_ < (len)) cp_ = next_cp((text), (len), &i_);                        \
      else {                                                                         \
        cp_ = BOUNDARY;                                                              \
        done_ = 1;                                                                   \
      }                                                                              \
      ring_[pos_ & (RING - 1)] = cp_;                                                \
      pos_++;                                                                        \
      uint64_t h_ = seed_;                                                           \
      for (unsigned n_ = 1; n_ <= nmax_ && n_ <= pos_; n_++) {                       \
        h_ = (h_ ^ ring_[(pos_ - n_) & (RING - 1)]) * 0x100000001B3ull;              \
        if (n_ < nmin_ || (n_ == 1 && cp_ == BOUNDARY)) continue;                    \
        uint64_t f_ = h_ ^ ((uint64_t)n_ * 0x9E3779B97F4A7C15ull);                   \
        f_ ^= f_ >> 33;                                                              \
        f_ *= 0xff51afd7ed558ccdull;                                                 \
        f_ ^= f_ >> 33;                                                              \
        f_ *= 0xc4ceb9fe1a85ec53ull;                                                 \
        f_ ^= f_ >> 33;                                                              \
        uint32_t BUCKET = (uint32_t)(f_ >> shift_);                                  \
        BODY                                                                         \
      }                                                                              \
    }                                                                                \
  } while (0)

size_t classify_features(const classify_spec *sp, const char *text, size_t len, uint32_t *out,
                         size_t cap) {
  size_t n = 0;
  FOR_EACH_NGRAM(sp, text, len, b, {
    if (n < cap) out[n] = b;
    n++;
  });
  return n;
}

/* Raw class scores z[0..n_out) of canonical text. */
void classify_logits(const classify_model *m, const char *text, size_t len, float *z) {
  int64_t acc[CLASSIFY_MAX_LABELS];
  const unsigned k = m->n_out;
  size_t count = 0;
  memset(acc, 0, sizeof acc);
  if (m->weight_bits == 8) {
    const int8_t *w = m->weights;
    if (k == 1) {
      FOR_EACH_NGRAM(&m->spec, text, len, b, { acc[0] += w[b]; count++; });
    } else {
      FOR_EACH_NGRAM(&m->spec, text, len, b, {
        const int8_t *row = w + (size_t)b * k;
        for (unsigned j = 0; j < k; j++) acc[j] += row[j];
        count++;
      });
    }
  } else {
    const int16_t *w = m->weights;
    FOR_EACH_NGRAM(&m->spec, text, len, b, {
      const int16_t *row = w + (size_t)b * k;
      for (unsigned j = 0; j < k; j++) acc[j] += row[j];
      count++;
    });
  }
  float norm = count ? 1.0f / sqrtf((float)count) : 0.0f;
  for (unsigned j = 0; j < k; j++) z[j] = m->bias[j] + m->scale[j] * (float)acc[j] * norm;
}

void classify_probs_from_logits(unsigned kind, uint32_t n_labels, const float *z, float *probs) {
  if (kind == CLASSIFY_LOGISTIC) {
    probs[1] = 1.0f / (1.0f + expf(-z[0]));
    probs[0] = 1.0f - probs[1];
    return;
  }
  float mx = z[0], sum = 0.0f;
  for (uint32_t j = 1; j < n_labels; j++)
    if (z[j] > mx) mx = z[j];
  for (uint32_t j = 0; j < n_labels; j++) sum += probs[j] = expf(z[j] - mx);
  for (uint32_t j = 0; j < n_labels; j++) probs[j] /= sum;
}

unsigned classify_predict(const classify_model *m, const char *text, size_t len, float *probs) {
  float z[CLASSIFY_MAX_LABELS];
  classify_logits(m, text, len, z);
  classify_probs_from_logits(m->kind, m->n_labels, z, probs);
  unsigned best = 0;
  for (unsigned j = 1; j < m->n_labels; j++)
    if (probs[j] > probs[best]) best = j;
  return best;
}

float classify_score(const classify_model *m, const float *probs) {
  return m->kind == CLASSIFY_LOGISTIC ? probs[1] : 1.0f - probs[0];
}
