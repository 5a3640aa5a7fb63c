/* dataset.c — reads labelled JSON Lines ({"text":…, "<label field>":…}) into
 * canonical texts and label indices for training and evaluation.  Labels
 * may be strings, integers or booleans; the label set is sorted so that a
 * model's label order never depends on the order of the file.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "classify/classify_int.h"

void classify_dataset_free(classify_dataset *d) {
  if (!d) return;
  for (size_t i = 0; d->texts && i < d->n; i++) util_free(d->alloc, d->texts[i]);
  for (uint32_t i = 0; d->label_names && i < d->n_labels; i++)
    util_free(d->alloc, d->label_names[i]);
  util_free(d->alloc, d->texts);
  util_free(d->alloc, d->lens);
  util_free(d->alloc, d->labels);
  util_free(d->alloc, d->label_names);
  memset(d, 0, sizeof *d);
}

/* Label value as text: "1", "true", "spam". 0 or NP_EFIELD. */
static int label_text(json_t *v, char *buf, size_t size) {
  if (json_is_string(v)) {
    size_t n = json_string_length(v);
    if (n == 0 || n >= size || n > CLASSIFY_MAX_LABEL_LEN) return NP_EFIELD;
    memcpy(buf, json_string_value(v), n + 1);
    return NP_OK;
  }
  if (json_is_integer(v)) {
    snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    return NP_OK;
  }
  if (json_is_boolean(v)) {
    snprintf(buf, size, "%s", json_is_true(v) ? "true" : "false");
    return NP_OK;
  }
  return NP_EFIELD;
}

static int is_int(const char *s) {
  char *end;
  if (!*s) return 0;
  (void)strtoll(s, &end, 10);
  return *end == 0;
}

static int cmp_int(const void *a, const void *b) {
  long long x = strtoll(*(char *const *)a, NULL, 10), y = strtoll(*(char *const *)b, NULL, 10);
  return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static long find_label(char *const *names, uint32_t n, const char *s) {
  for (uint32_t i = 0; i < n; i++)
    if (strcmp(names[i], s) == 0) return (long)i;
  return -1;
}

/* One record: appends text/label (label kept as a string index into raw). */
typedef struct loader {
  const np_allocator *a;
  util_vec texts, lens, raw_label; /* char *, uint32_t, uint32_t (index into names) */
  util_vec names;                  /* char * as first seen */
} loader;

static int add_name(loader *L, const char *s, uint32_t *idx) {
  char **names = L->names.data;
  long i = find_label(names, (uint32_t)L->names.len, s);
  if (i >= 0) {
    *idx = (uint32_t)i;
    return NP_OK;
  }
  if (L->names.len >= CLASSIFY_MAX_LABELS) return NP_ETOOBIG;
  char *dup = util_strdup(L->a, s);
  if (!dup || util_vec_push(&L->names, &dup) < 0) {
    util_free(L->a, dup);
    return NP_ENOMEM;
  }
  *idx = (uint32_t)(L->names.len - 1);
  return NP_OK;
}

int classify_dataset_load(const np_allocator *a, const char *path, const char *label_field,
                          char *const *fixed_labels, uint32_t n_fixed, classify_norm_fn norm,
                          void *norm_user, classify_dataset *out, np_error *err) {
  char *data = NULL;
  size_t len, line_no = 0;
  loader L = {.a = a};
  int rc;
  memset(out, 0, sizeof *out);
  util_vec_init(&L.texts, a, sizeof(char *));
  util_vec_init(&L.lens, a, sizeof(uint32_t));
  util_vec_init(&L.raw_label, a, sizeof(uint32_t));
  util_vec_init(&L.names, a, sizeof(char *));
  util_buf tb, lb; /* fast-path text and label (json_fields.c) */
  util_buf_init(&tb, a, 0);
  util_buf_init(&lb, a, 0);
  TRY(util_read_file(a, path, &data, &len, err));
  for (size_t off = 0; off < len;) {
    char *nl = memchr(data + off, '\n', len - off);
    size_t end = nl ? (size_t)(nl - data) : len, n = end - off;
    const char *line = data + off;
    off = end + 1;
    line_no++;
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ')) n--;
    if (n == 0) continue;
    json_t *o = NULL;
    const char *txt;
    size_t tlen;
    char lab[CLASSIFY_MAX_LABEL_LEN + 2];
    if (classify_json_fields(line, n, label_field, &tb, &lb) == 0) {
      txt = tb.data ? tb.data : "";
      tlen = tb.len;
      memcpy(lab, lb.data, lb.len + 1);
    } else { /* unusual or invalid: jansson decides, and words the error */
      json_error_t jerr;
      o = json_loadb(line, n, 0, &jerr);
      json_t *t = o ? json_object_get(o, "text") : NULL;
      json_t *l = o ? json_object_get(o, label_field) : NULL;
      if (!o || !json_is_object(o)) {
        json_decref(o);
        rc = util_err_at(err, NP_EJSON, path, (int)line_no, jerr.column, "malformed JSON: %s",
                         o ? "not an object" : jerr.text);
        goto fail;
      }
      if (!json_is_string(t) || !l || label_text(l, lab, sizeof lab) < 0) {
        json_decref(o);
        rc = util_err_at(err, NP_EFIELD, path, (int)line_no, 0,
                         "record needs a string \"text\" and a string/integer/boolean \"%s\"",
                         label_field);
        goto fail;
      }
      txt = json_string_value(t);
      tlen = json_string_length(t);
    }
    const char *canon = txt;
    size_t clen = tlen;
    if (norm && (rc = norm(norm_user, txt, tlen, &canon, &clen, err)) < 0) {
      json_decref(o);
      goto fail;
    }
    uint32_t idx = 0, len32 = (uint32_t)clen;
    char *copy = util_strndup(a, canon, clen);
    rc = copy ? util_vec_push(&L.texts, &copy) : NP_ENOMEM;
    if (rc < 0) util_free(a, copy);
    if (rc >= 0 && fixed_labels) {
      long i = find_label(fixed_labels, n_fixed, lab);
      if (i < 0) {
        json_decref(o);
        rc = util_err_at(err, NP_EINVAL, path, (int)line_no, 0,
                         "label \"%s\" is not one of the model's labels", lab);
        goto fail;
      }
      idx = (uint32_t)i;
    } else if (rc >= 0) {
      rc = add_name(&L, lab, &idx);
    }
    json_decref(o);
    if (rc >= 0) rc = util_vec_push(&L.lens, &len32);
    if (rc >= 0) rc = util_vec_push(&L.raw_label, &idx);
    if (rc == NP_ETOOBIG) {
      rc = util_err_at(err, rc, path, (int)line_no, 0, "more than %d distinct labels",
                       CLASSIFY_MAX_LABELS);
      goto fail;
    }
    if (rc < 0) {
      rc = util_err(err, rc, "%s: out of memory", path);
      goto fail;
    }
  }
  util_free(a, data);
  data = NULL;
  if (L.texts.len == 0) {
    rc = util_err(err, NP_EINVAL, "%s: no records", path);
    goto fail;
  }
  out->alloc = a;
  out->n = L.texts.len;
  out->texts = L.texts.data;
  out->lens = L.lens.data;
  out->labels = L.raw_label.data;
  L.texts.data = L.lens.data = L.raw_label.data = NULL;
  L.texts.len = 0;
  if (fixed_labels) {
    out->n_labels = n_fixed;
    out->label_names = util_calloc(a, n_fixed, sizeof(char *));
    if (!out->label_names) goto oom;
    for (uint32_t i = 0; i < n_fixed; i++)
      if (!(out->label_names[i] = util_strdup(a, fixed_labels[i]))) goto oom;
  } else {
    /* Sort the names, then remap the first-seen indices. */
    uint32_t k = (uint32_t)L.names.len;
    char **seen = L.names.data, **sorted = util_calloc(a, k, sizeof(char *));
    if (!sorted) goto oom;
    memcpy(sorted, seen, k * sizeof(char *));
    int all_int = 1;
    for (uint32_t i = 0; i < k; i++) all_int &= is_int(sorted[i]);
    qsort(sorted, k, sizeof(char *), all_int ? cmp_int : cmp_str);
    uint32_t map[CLASSIFY_MAX_LABELS];
    for (uint32_t i = 0; i < k; i++) map[i] = (uint32_t)find_label(sorted, k, seen[i]);
    for (size_t i = 0; i < out->n; i++) out->labels[i] = map[out->labels[i]];
    out->label_names = sorted;
    out->n_labels = k;
    util_free(a, L.names.data);
    L.names.data = NULL;
    L.names.len = 0;
  }
  util_vec_free(&L.names);
  util_buf_free(&tb);
  util_buf_free(&lb);
  return NP_OK;
oom:
  rc = util_err(err, NP_ENOMEM, "%s: out of memory", path);
fail:
  util_buf_free(&tb);
  util_buf_free(&lb);
  util_free(a, data);
  for (size_t i = 0; i < L.texts.len; i++) util_free(a, UTIL_VEC_AT(&L.texts, char *, i));
  for (size_t i = 0; i < L.names.len; i++) util_free(a, UTIL_VEC_AT(&L.names, char *, i));
  util_vec_free(&L.texts);
  util_vec_free(&L.lens);
  util_vec_free(&L.raw_label);
  util_vec_free(&L.names);
  classify_dataset_free(out);
  return rc;
}
