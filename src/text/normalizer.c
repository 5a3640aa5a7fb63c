/* normalizer.c — text_norm_config defaults, and compiling a config into an
 * immutable text_normalizer: pack folds, digit aliases and keep sets are
 * resolved through the generated tables (so a declaration written in
 * traditional or full-width form still applies) and sorted for lookup. */
#include <stdlib.h>
#include <string.h>
#include "text/text.h"
#include "text/norm_int.h"
#include "text/text_int.h"
#include "util/util.h"

void text_norm_config_init(text_norm_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->min_digit_run = 3;
  cfg->squeeze = 1;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Canonical single code point of cp under the generated tables, 0 if none. */
static uint32_t canon(uint32_t cp) { return text_fold_single(cp, NULL); }

static const text_char_fold *find_fold(const text_char_fold *f, size_t n, uint32_t cp) {
  for (size_t i = 0; i < n; i++)
    if (canon(f[i].from) == cp) return &f[i];
  return NULL;
}

/* Follows the fold chain from cp to its end; error on a cycle. */
static int fold_target(const text_norm_config *cfg, uint32_t from, uint32_t *to, np_error *err) {
  uint32_t cur = from;
  for (size_t steps = 0; steps <= cfg->n_folds; steps++) {
    const text_char_fold *f = find_fold(cfg->folds, cfg->n_folds, cur);
    if (!f) { *to = cur; return 0; }
    uint32_t next = canon(f->to);
    if (!next)
      return util_err(err, NP_EINVAL, "fold target U+%04X is not a single kept character",
                      (unsigned)f->to);
    if (next == cur) { *to = cur; return 0; }
    cur = next;
  }
  return util_err(err, NP_EINVAL, "fold declarations form a cycle through U+%04X", (unsigned)from);
}

static int build_folds(text_normalizer *n, const text_norm_config *cfg, np_error *err) {
  if (!cfg->n_folds) return 0;
  const np_allocator *a = &n->alloc;
  uint32_t *pairs = util_calloc(a, cfg->n_folds, 2 * sizeof *pairs);
  if (!pairs) return util_err(err, NP_ENOMEM, "out of memory");
  size_t k = 0;
  int rc = 0;
  for (size_t i = 0; i < cfg->n_folds; i++) {
    uint32_t from = canon(cfg->folds[i].from), to = 0;
    if (!from) {
      rc = util_err(err, NP_EINVAL, "fold source U+%04X is not a single kept character",
                    (unsigned)cfg->folds[i].from);
      goto done;
    }
    if ((rc = fold_target(cfg, from, &to, err)) < 0) goto done;
    int dup = 0;
    for (size_t j = 0; j < k; j++) dup |= pairs[2 * j] == from;
    if (to == from || dup) continue;
    pairs[2 * k] = from;
    pairs[2 * k + 1] = to;
    k++;
  }
  qsort(pairs, k, 2 * sizeof *pairs, cmp_u32);
  n->fold_from = util_calloc(a, k ? k : 1, sizeof *n->fold_from);
  n->fold_to = util_calloc(a, k ? k : 1, sizeof *n->fold_to);
  n->fold_entry = util_calloc(a, k ? k : 1, sizeof *n->fold_entry);
  if (!n->fold_from || !n->fold_to || !n->fold_entry) {
    rc = util_err(err, NP_ENOMEM, "out of memory");
    goto done;
  }
  n->fold_min = UINT32_MAX;
  for (size_t i = 0; i < k; i++) {
    n->fold_from[i] = pairs[2 * i];
    n->fold_to[i] = pairs[2 * i + 1];
    text_fold_single(n->fold_to[i], &n->fold_entry[i]);
    if (n->fold_from[i] < n->fold_min) n->fold_min = n->fold_from[i];
    if (n->fold_from[i] > n->fold_max) n->fold_max = n->fold_from[i];
  }
  n->n_folds = k;
done:
  util_free(a, pairs);
  return rc;
}

/* The canonical code point an alias or keep entry applies to after folds. */
static uint32_t resolve_fold(const text_normalizer *n, uint32_t cp) {
  for (size_t i = 0; i < n->n_folds; i++)
    if (n->fold_from[i] == cp) return n->fold_to[i];
  return cp;
}

static int build_aliases(text_normalizer *n, const text_norm_config *cfg, np_error *err) {
  if (!cfg->n_aliases) return 0;
  const np_allocator *a = &n->alloc;
  uint32_t *pairs = util_calloc(a, cfg->n_aliases, 2 * sizeof *pairs);
  if (!pairs) return util_err(err, NP_ENOMEM, "out of memory");
  size_t k = 0;
  for (size_t i = 0; i < cfg->n_aliases; i++) {
    const text_digit_alias *d = &cfg->aliases[i];
    uint32_t cp = canon(d->cp);
    if (!cp || d->digit < '0' || d->digit > '9') {
      util_free(a, pairs);
      return util_err(err, NP_EINVAL, "digit alias U+%04X = '%c' is not a single kept character "
                      "and a digit 0-9", (unsigned)d->cp, d->digit ? d->digit : '?');
    }
    cp = resolve_fold(n, cp);
    int dup = 0;
    for (size_t j = 0; j < k; j++) dup |= pairs[2 * j] == cp;
    if (dup) continue;
    pairs[2 * k] = cp;
    pairs[2 * k + 1] = (uint32_t)(d->digit - '0');
    k++;
  }
  qsort(pairs, k, 2 * sizeof *pairs, cmp_u32);
  n->alias_cp = util_calloc(a, k, sizeof *n->alias_cp);
  n->alias_digit = util_calloc(a, k, 1);
  if (!n->alias_cp || !n->alias_digit) {
    util_free(a, pairs);
    return util_err(err, NP_ENOMEM, "out of memory");
  }
  n->alias_min = UINT32_MAX;
  for (size_t i = 0; i < k; i++) {
    n->alias_cp[i] = pairs[2 * i];
    n->alias_digit[i] = (uint8_t)pairs[2 * i + 1];
    if (pairs[2 * i] < n->alias_min) n->alias_min = pairs[2 * i];
    if (pairs[2 * i] > n->alias_max) n->alias_max = pairs[2 * i];
  }
  n->n_aliases = k;
  util_free(a, pairs);
  return 0;
}

/* The fast path's action table over the BMP: every code point's action
 * (generated table + pack declarations), exactly as the general path would
 * fold it (text_norm_act_of). */
static int build_act(text_normalizer *n, np_error *err) {
  n->act = util_calloc(&n->alloc, 0x10000, sizeof *n->act);
  if (!n->act) return util_err(err, NP_ENOMEM, "out of memory");
  for (uint32_t cp = 0; cp < 0x10000; cp++) n->act[cp] = text_norm_act_of(n, cp);
  return 0;
}

int text_normalizer_new(const text_norm_config *cfg, const np_allocator *a,
                        text_normalizer **out, np_error *err) {
  text_norm_config def;
  if (!out) return util_err(err, NP_EINVAL, "text_normalizer_new: out is NULL");
  *out = NULL;
  if (!cfg) { text_norm_config_init(&def); cfg = &def; }
  text_normalizer *n = util_calloc(a, 1, sizeof *n);
  if (!n) return util_err(err, NP_ENOMEM, "out of memory");
  if (a) n->alloc = *a;
  n->min_digit_run = cfg->min_digit_run ? cfg->min_digit_run : 1;
  n->squeeze = cfg->squeeze;
  int rc;
  if (cfg->n_keep) {
    n->keep = util_calloc(&n->alloc, cfg->n_keep, sizeof *n->keep);
    if (!n->keep) { rc = util_err(err, NP_ENOMEM, "out of memory"); goto fail; }
    memcpy(n->keep, cfg->keep, cfg->n_keep * sizeof *n->keep);
    qsort(n->keep, cfg->n_keep, sizeof *n->keep, cmp_u32);
    n->n_keep = cfg->n_keep;
  }
  TRY(build_folds(n, cfg, err));
  TRY(build_aliases(n, cfg, err));
  TRY(build_act(n, err));
  *out = n;
  return 0;
fail:
  text_normalizer_free(n);
  return rc;
}

void text_normalizer_free(text_normalizer *n) {
  if (!n) return;
  np_allocator a = n->alloc;
  util_free(&a, n->keep);
  util_free(&a, n->alias_cp);
  util_free(&a, n->alias_digit);
  util_free(&a, n->fold_from);
  util_free(&a, n->fold_to);
  util_free(&a, n->fold_entry);
  util_free(&a, n->act);
  util_free(&a, n);
}

void text_norm_out_init(text_norm_out *o, const np_allocator *a) {
  memset(o, 0, sizeof *o);
  o->alloc = a;
}

void text_norm_out_free(text_norm_out *o) {
  if (!o) return;
  util_free(o->alloc, o->text);
  util_free(o->alloc, o->orig_start);
  util_free(o->alloc, o->orig_end);
  util_free(o->alloc, o->char_index);
  util_free(o->alloc, o->repeat);
  util_free(o->alloc, o->flags);
  util_free(o->alloc, o->work);
  const np_allocator *a = o->alloc;
  memset(o, 0, sizeof *o);
  o->alloc = a;
}
