/* engine_classify.c — seam between the engine and src/classify/ (see engine_int.h).
 * At compile time it loads every *.npm model of cfg.models_dir (sorted by
 * name) and registers clf.<stem> (plus clf.<stem>.<label> for multi-class
 * models); per post it scores only the models some rule condition refers to,
 * on the canonical text, without allocating.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "classify/classify.h"
#include "engine/engine_int.h"

typedef struct loaded_model {
  classify_model *m;
  int slot;          /* clf.<name> */
  int *label_slots;  /* [m->n_labels] for softmax models, else NULL */
  uint8_t used;      /* some rule refers to one of its values */
} loaded_model;

typedef struct classify_stage {
  loaded_model *models;
  size_t n;
} classify_stage;

/* Model names become value names, so they must read as identifiers. */
static int valid_name(const char *s, size_t n) {
  if (n == 0 || n > 64) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
  }
  return 1;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted file names ending in ".npm" (caller frees each and the array). */
static int list_models(np_engine *e, const char *dir, util_vec *names, np_error *err) {
  DIR *d = opendir(dir);
  if (!d) return util_err(err, NP_EIO, "cannot open models directory %s", dir);
  struct dirent *de;
  int rc = NP_OK;
  while ((de = readdir(d)) != NULL) {
    size_t n = strlen(de->d_name);
    if (n <= 4 || strcmp(de->d_name + n - 4, ".npm") != 0 || de->d_name[0] == '.') continue;
    char *copy = util_strdup(e->alloc, de->d_name);
    if (!copy || util_vec_push(names, &copy) < 0) {
      util_free(e->alloc, copy);
      rc = util_err(err, NP_ENOMEM, "out of memory listing %s", dir);
      break;
    }
  }
  closedir(d);
  if (names->len) qsort(names->data, names->len, sizeof(char *), cmp_names);
  return rc;
}

static int register_model(np_engine *e, loaded_model *lm, const char *stem, size_t n,
                          np_error *err) {
  char name[CLASSIFY_MAX_LABEL_LEN + 80];
  snprintf(name, sizeof name, "clf.%.*s", (int)n, stem);
  if ((lm->slot = engine_value_register(e, name)) < 0)
    return util_err(err, NP_ENOMEM, "out of memory registering %s", name);
  if (lm->m->kind != CLASSIFY_SOFTMAX) return NP_OK;
  lm->label_slots = util_calloc(e->alloc, lm->m->n_labels, sizeof(int));
  if (!lm->label_slots) return util_err(err, NP_ENOMEM, "out of memory registering %s", name);
  for (uint32_t i = 0; i < lm->m->n_labels; i++) {
    const char *lab = lm->m->labels[i];
    lm->label_slots[i] = -1;
    if (!valid_name(lab, strlen(lab))) continue; /* not addressable from a rule */
    snprintf(name, sizeof name, "clf.%.*s.%s", (int)n, stem, lab);
    if ((lm->label_slots[i] = engine_value_register(e, name)) < 0)
      return util_err(err, NP_ENOMEM, "out of memory registering %s", name);
  }
  return NP_OK;
}

int engine_classify_init(np_engine *e, np_error *err) {
  const char *dir = e->cfg.models_dir;
  if (!dir) return NP_OK;
  classify_stage *st = util_calloc(e->alloc, 1, sizeof *st);
  if (!st) return util_err(err, NP_ENOMEM, "out of memory loading models");
  e->classify = st;
  util_vec names;
  util_vec_init(&names, e->alloc, sizeof(char *));
  int rc = list_models(e, dir, &names, err);
  if (rc == NP_OK && names.len) {
    st->models = util_calloc(e->alloc, names.len, sizeof *st->models);
    if (!st->models) rc = util_err(err, NP_ENOMEM, "out of memory loading models");
  }
  for (size_t i = 0; rc == NP_OK && i < names.len; i++) {
    const char *file = UTIL_VEC_AT(&names, char *, i);
    size_t stem = strlen(file) - 4;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (!valid_name(file, stem)) {
      rc = util_err(err, NP_EMODEL, "%s: model names must be lower-case letters, digits and _",
                    path);
      break;
    }
    loaded_model *lm = &st->models[st->n];
    if ((rc = classify_model_load(e->alloc, path, &lm->m, err)) < 0) break;
    st->n++;
    rc = register_model(e, lm, file, stem, err);
  }
  for (size_t i = 0; i < names.len; i++) util_free(e->alloc, UTIL_VEC_AT(&names, char *, i));
  util_vec_free(&names);
  return rc;
}

void engine_classify_free(np_engine *e) {
  classify_stage *st = e->classify;
  if (!st) return;
  for (size_t i = 0; i < st->n; i++) {
    classify_model_free(st->models[i].m);
    util_free(e->alloc, st->models[i].label_slots);
  }
  util_free(e->alloc, st->models);
  util_free(e->alloc, st);
  e->classify = NULL;
}

int engine_classify_prepare(np_engine *e, np_error *err) {
  (void)err;
  classify_stage *st = e->classify;
  for (size_t i = 0; st && i < st->n; i++) {
    loaded_model *lm = &st->models[i];
    lm->used = e->value_used[lm->slot];
    for (uint32_t j = 0; lm->label_slots && j < lm->m->n_labels; j++)
      if (lm->label_slots[j] >= 0 && e->value_used[lm->label_slots[j]]) lm->used = 1;
  }
  return NP_OK;
}

int engine_classify_scratch(np_scratch *s, np_error *err) { (void)s; (void)err; return NP_OK; }
void engine_classify_scratch_free(np_scratch *s) { (void)s; }

int engine_classify_run(const np_engine *e, np_scratch *s, np_error *err) {
  (void)err;
  const classify_stage *st = e->classify;
  float probs[CLASSIFY_MAX_LABELS];
  for (size_t i = 0; st && i < st->n; i++) {
    const loaded_model *lm = &st->models[i];
    if (!lm->used) continue;
    classify_predict(lm->m, s->norm.text, s->norm.len, probs);
    s->values[lm->slot] = classify_score(lm->m, probs);
    for (uint32_t j = 0; lm->label_slots && j < lm->m->n_labels; j++)
      if (lm->label_slots[j] >= 0) s->values[lm->label_slots[j]] = probs[j];
  }
  return NP_OK;
}
