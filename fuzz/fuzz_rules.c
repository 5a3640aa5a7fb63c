/* fuzz_rules.c — arbitrary bytes as a rule file and as a lexicon file.
 * Invariants: parsing never crashes or leaks; NP_ERULE exactly when there are
 * diagnostics, each "fuzz.rules:L:C: msg\n<line>\n<caret>^\n"; good rules
 * evaluate deterministically over facts with and without matches; every
 * lexicon term expands within its cap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rules/rules.h"

static void check_diags(const rules_diags *d, size_t from, const char *file) {
  for (size_t i = from; i < d->items.len; i++) {
    const char *s = UTIL_VEC_AT(&d->items, char *, i);
    size_t n = strlen(s);
    if (strncmp(s, file, strlen(file)) != 0 || n < 3 || strcmp(s + n - 2, "^\n") != 0) abort();
  }
}

static void eval_all(const rules_set *set) {
  size_t n = set->n_strings ? set->n_strings : 1, nv = set->values.len ? set->values.len : 1;
  uint32_t *count = calloc(n, sizeof *count), *n_pos = calloc(n, sizeof *n_pos);
  const rules_pos **pos = calloc(n, sizeof *pos);
  double *values = calloc(nv, sizeof *values);
  static const rules_pos two[2] = {{0, 2}, {5, 9}};
  if (!count || !n_pos || !pos || !values) abort();
  rules_facts f = {count, pos, n_pos, values, NULL, NULL, NULL};
  for (int round = 0; round < 3; round++) {
    for (size_t i = 0; i < n; i++) {
      count[i] = round == 0 ? 0 : round == 1 ? 1 : (uint32_t)(i % 3);
      n_pos[i] = count[i] > 2 ? 2 : count[i];
      pos[i] = two;
    }
    for (size_t i = 0; i < nv; i++) values[i] = round * 0.5;
    for (size_t r = 0; r < set->rules.len; r++) {
      const rules_rule *rule = &UTIL_VEC_AT(&set->rules, rules_rule, r);
      int a = rules_eval(rule, &f), b = rules_eval(rule, &f);
      if (a != b || (a != 0 && a != 1)) abort();
    }
  }
  free(count);
  free(n_pos);
  free(pos);
  free(values);
}

static int count_form(const char *form, size_t len, void *ctx) {
  (void)form;
  if (len == 0) abort();
  ++*(size_t *)ctx;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *src = (const char *)data;
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  int rc = rules_parse(&set, "fuzz.rules", src, size, NULL, NULL, &d);
  if (rc != NP_OK && rc != NP_ERULE) abort();
  if ((rc == NP_ERULE) != (d.items.len > 0)) abort();
  check_diags(&d, 0, "fuzz.rules:");
  for (size_t r = 0; r < set.rules.len; r++) {
    const rules_rule *rule = &UTIL_VEC_AT(&set.rules, rules_rule, r);
    if (!rule->category || !rule->cond) abort();
    for (size_t i = 0; i < rule->n_strings; i++)
      if (rule->strings[i].index >= set.n_strings) abort();
  }
  eval_all(&set);
  rules_set_free(&set);

  size_t before = d.items.len;
  rules_lexicon *lx = NULL;
  rc = rules_lexicon_parse(NULL, "fuzz", "fuzz.txt", src, size, &lx, &d);
  if ((rc == NP_OK) != (lx != NULL) || (rc == NP_ERULE) != (d.items.len > before)) abort();
  check_diags(&d, before, "fuzz.txt:");
  for (size_t t = 0; lx && t < lx->n_terms; t++) {
    size_t forms = 0;
    if (rules_term_expand(&lx->terms[t], 64, count_form, &forms) != 0 || forms < 1 || forms > 64)
      abort();
  }
  rules_lexicon_free(NULL, lx);
  rules_diags_free(&d);
  return 0;
}
