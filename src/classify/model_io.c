/* model_io.c — the versioned binary model format (see classify.h): building,
 * encoding, decoding with strict bounds and checksum checks, loading and
 * atomic saving.  A file of another version, a truncated or a corrupt file is
 * refused with a message that says which.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "classify/classify_int.h"

#define FIXED_HEADER 40 /* bytes from kind to n_out inclusive, after magic/version/hdr */

static size_t weight_count(const classify_model *m) {
  return ((size_t)1 << m->spec.hash_bits) * m->n_out;
}

int classify_model_new(const np_allocator *a, const classify_spec *sp, unsigned kind,
                       unsigned weight_bits, char *const *labels, uint32_t n_labels,
                       classify_model **out) {
  classify_model *m = util_calloc(a, 1, sizeof *m);
  if (!m) return NP_ENOMEM;
  m->alloc = a;
  m->spec = *sp;
  m->kind = kind;
  m->weight_bits = weight_bits;
  m->threshold = 0.5f;
  m->n_labels = n_labels;
  m->n_out = kind == CLASSIFY_LOGISTIC ? 1 : n_labels;
  m->labels = util_calloc(a, n_labels ? n_labels : 1, sizeof *m->labels);
  m->scale = util_calloc(a, m->n_out, sizeof *m->scale);
  m->bias = util_calloc(a, m->n_out, sizeof *m->bias);
  m->weights = util_calloc(a, weight_count(m), weight_bits / 8);
  if (!m->labels || !m->scale || !m->bias || !m->weights) goto oom;
  for (uint32_t i = 0; i < n_labels && labels; i++)
    if (!(m->labels[i] = util_strdup(a, labels[i]))) goto oom;
  *out = m;
  return NP_OK;
oom:
  classify_model_free(m);
  return NP_ENOMEM;
}

void classify_model_free(classify_model *m) {
  if (!m) return;
  const np_allocator *a = m->alloc;
  for (uint32_t i = 0; m->labels && i < m->n_labels; i++) util_free(a, m->labels[i]);
  util_free(a, m->labels);
  util_free(a, m->scale);
  util_free(a, m->bias);
  util_free(a, m->weights);
  util_free(a, m);
}

/* ---- encoding --------------------------------------------------------- */

static int put(util_buf *b, const void *p, size_t n) { return util_buf_append(b, p, n); }
static int put_u8(util_buf *b, unsigned v) {
  uint8_t x = (uint8_t)v;
  return put(b, &x, 1);
}
static int put_u16(util_buf *b, unsigned v) {
  uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
  return put(b, x, 2);
}
static int put_u32(util_buf *b, uint32_t v) {
  uint8_t x[4];
  for (int i = 0; i < 4; i++) x[i] = (uint8_t)(v >> (8 * i));
  return put(b, x, 4);
}
static int put_u64(util_buf *b, uint64_t v) {
  uint8_t x[8];
  for (int i = 0; i < 8; i++) x[i] = (uint8_t)(v >> (8 * i));
  return put(b, x, 8);
}
static int put_f32(util_buf *b, float f) {
  uint32_t v;
  memcpy(&v, &f, 4);
  return put_u32(b, v);
}

int classify_model_encode(const classify_model *m, util_buf *b) {
  int rc;
  size_t start = b->len;
  size_t labels_bytes = 0;
  for (uint32_t i = 0; i < m->n_labels; i++) labels_bytes += 2 + strlen(m->labels[i]);
  TRY(put(b, CLASSIFY_MAGIC, 8));
  TRY(put_u32(b, CLASSIFY_VERSION));
  TRY(put_u32(b, (uint32_t)(FIXED_HEADER + labels_bytes + 8u * m->n_out)));
  TRY(put_u8(b, m->kind));
  TRY(put_u8(b, m->spec.ngram_min));
  TRY(put_u8(b, m->spec.ngram_max));
  TRY(put_u8(b, m->spec.hash_bits));
  TRY(put_u8(b, m->weight_bits));
  TRY(put(b, "\0\0\0", 3));
  TRY(put_u64(b, m->spec.seed));
  TRY(put_f32(b, m->threshold));
  TRY(put_u32(b, m->n_labels));
  TRY(put_u32(b, m->n_out));
  TRY(put(b, "\0\0\0\0\0\0\0\0\0\0\0\0", 12)); /* reserved, keeps FIXED_HEADER at 40 */
  for (uint32_t i = 0; i < m->n_labels; i++) {
    size_t n = strlen(m->labels[i]);
    TRY(put_u16(b, (unsigned)n));
    TRY(put(b, m->labels[i], n));
  }
  for (uint32_t j = 0; j < m->n_out; j++) TRY(put_f32(b, m->scale[j]));
  for (uint32_t j = 0; j < m->n_out; j++) TRY(put_f32(b, m->bias[j]));
  size_t nw = weight_count(m);
  if (m->weight_bits == 8) {
    TRY(put(b, m->weights, nw));
  } else {
    const int16_t *w = m->weights;
    TRY(util_buf_reserve(b, nw * 2));
    for (size_t i = 0; i < nw; i++) TRY(put_u16(b, (uint16_t)w[i]));
  }
  TRY(put_u64(b, util_hash64(b->data + start, b->len - start, 0)));
  return NP_OK;
fail:
  return rc;
}

/* ---- decoding --------------------------------------------------------- */

typedef struct reader {
  const uint8_t *p;
  size_t len, off;
} reader;

static int need(reader *r, size_t n) { return r->len - r->off >= n; }
static uint32_t get_u32(reader *r) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v |= (uint32_t)r->p[r->off + i] << (8 * i);
  r->off += 4;
  return v;
}
static uint64_t get_u64(reader *r) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)r->p[r->off + i] << (8 * i);
  r->off += 8;
  return v;
}
static float get_f32(reader *r) {
  uint32_t v = get_u32(r);
  float f;
  memcpy(&f, &v, 4);
  return f;
}

#define BAD(...) util_err(err, NP_EMODEL, __VA_ARGS__)

int classify_model_decode(const np_allocator *a, const char *what, const void *data, size_t len,
                          classify_model **out, np_error *err) {
  reader r = {data, len, 0};
  classify_model *m = NULL;
  char *labels[CLASSIFY_MAX_LABELS] = {0};
  int rc;
  *out = NULL;
  if (!need(&r, 16) || memcmp(r.p, CLASSIFY_MAGIC, 8) != 0)
    return BAD("%s: not a netpatrol model file (bad magic)", what);
  r.off = 8;
  uint32_t version = get_u32(&r);
  if (version != CLASSIFY_VERSION)
    return util_err(err, NP_EVERSION,
                    "%s: model format version %u is not supported (this build reads version %u)",
                    what, version, CLASSIFY_VERSION);
  uint32_t header_bytes = get_u32(&r);
  if (!need(&r, FIXED_HEADER)) return BAD("%s: truncated model file (header)", what);
  classify_spec sp;
  unsigned kind = r.p[r.off], wbits = r.p[r.off + 4];
  sp.ngram_min = r.p[r.off + 1];
  sp.ngram_max = r.p[r.off + 2];
  sp.hash_bits = r.p[r.off + 3];
  r.off += 8;
  sp.seed = get_u64(&r);
  float threshold = get_f32(&r);
  uint32_t n_labels = get_u32(&r), n_out = get_u32(&r);
  r.off += 12;
  np_error e2;
  if (classify_spec_check(&sp, &e2) < 0) return BAD("%s: %s", what, e2.message);
  if ((kind != CLASSIFY_LOGISTIC && kind != CLASSIFY_SOFTMAX) || (wbits != 8 && wbits != 16))
    return BAD("%s: corrupt model header (kind %u, weight bits %u)", what, kind, wbits);
  if (n_labels < 2 || n_labels > CLASSIFY_MAX_LABELS ||
      n_out != (kind == CLASSIFY_LOGISTIC ? 1u : n_labels) ||
      (kind == CLASSIFY_LOGISTIC && n_labels != 2) || !(threshold >= 0.0f && threshold <= 1.0f))
    return BAD("%s: corrupt model header (%u labels, %u outputs)", what, n_labels, n_out);
  size_t nw = ((size_t)1 << sp.hash_bits) * n_out;
  size_t total = 16 + (size_t)header_bytes + nw * (wbits / 8) + 8;
  if (len < total) return BAD("%s: truncated model file (%zu of %zu bytes)", what, len, total);
  if (len > total) return BAD("%s: corrupt model file (%zu bytes of trailing data)", what, len - total);
  uint64_t sum = util_hash64(data, len - 8, 0);
  r.off = len - 8;
  if (get_u64(&r) != sum) return BAD("%s: corrupt model file (checksum mismatch)", what);
  r.off = 16 + FIXED_HEADER;
  for (uint32_t i = 0; i < n_labels; i++) {
    if (!need(&r, 2)) return BAD("%s: corrupt model header (labels)", what);
    unsigned n = r.p[r.off] | (unsigned)r.p[r.off + 1] << 8;
    r.off += 2;
    if (n == 0 || n > CLASSIFY_MAX_LABEL_LEN || !need(&r, n) ||
        !util_utf8_valid((const char *)r.p + r.off, n, &(size_t){0})) {
      rc = BAD("%s: corrupt model header (label %u)", what, i);
      goto fail;
    }
    if (!(labels[i] = util_strndup(a, (const char *)r.p + r.off, n))) {
      rc = util_err(err, NP_ENOMEM, "%s: out of memory", what);
      goto fail;
    }
    r.off += n;
  }
  if (r.off + 8u * n_out != 16 + (size_t)header_bytes) {
    rc = BAD("%s: corrupt model header (size mismatch)", what);
    goto fail;
  }
  if ((rc = classify_model_new(a, &sp, kind, wbits, labels, n_labels, &m)) < 0) {
    rc = util_err(err, rc, "%s: out of memory", what);
    goto fail;
  }
  m->threshold = threshold;
  for (uint32_t j = 0; j < n_out; j++) m->scale[j] = get_f32(&r);
  for (uint32_t j = 0; j < n_out; j++) m->bias[j] = get_f32(&r);
  if (wbits == 8) {
    memcpy(m->weights, r.p + r.off, nw);
  } else {
    int16_t *w = m->weights;
    for (size_t i = 0; i < nw; i++)
      w[i] = (int16_t)(uint16_t)(r.p[r.off + 2 * i] | (unsigned)r.p[r.off + 2 * i + 1] << 8);
  }
  for (uint32_t i = 0; i < n_labels; i++) util_free(a, labels[i]);
  *out = m;
  return NP_OK;
fail:
  for (uint32_t i = 0; i < n_labels && i < CLASSIFY_MAX_LABELS; i++) util_free(a, labels[i]);
  classify_model_free(m);
  return rc;
}

int classify_model_load(const np_allocator *a, const char *path, classify_model **out,
                        np_error *err) {
  char *data;
  size_t len;
  int rc = util_read_file(a, path, &data, &len, err);
  if (rc < 0) return rc;
  rc = classify_model_decode(a, path, data, len, out, err);
  util_free(a, data);
  return rc;
}

int classify_model_save(const classify_model *m, const char *path, np_error *err) {
  util_buf b;
  util_buf_init(&b, m->alloc, 0);
  int rc = classify_model_encode(m, &b);
  if (rc < 0) {
    util_buf_free(&b);
    return util_err(err, rc, "cannot encode model: %s", np_strerror(rc));
  }
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    util_buf_free(&b);
    return util_err(err, NP_EIO, "cannot write %s: %s", tmp, strerror(errno));
  }
  size_t w = fwrite(b.data, 1, b.len, f);
  int bad = w != b.len;
  bad |= fclose(f) != 0;
  util_buf_free(&b);
  if (bad || rename(tmp, path) != 0) {
    remove(tmp);
    return util_err(err, NP_EIO, "cannot write %s: %s", path, strerror(errno));
  }
  return NP_OK;
}
