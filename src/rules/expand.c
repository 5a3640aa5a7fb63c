/* expand.c — expands a lexicon term into the surface forms the matcher looks
 * for: the term, its declared variants, and (with %pinyin on) every mix of
 * its Han characters written as themselves or as a toneless pinyin reading
 * (text_pinyin).  Uses only stack memory; the order is deterministic. */
#include <string.h>
#include "rules/rules.h"
#include "text/text.h"

#define EXPAND_MAX_CHARS 32    /* longer terms get no pinyin forms */
#define EXPAND_MAX_READINGS 8  /* readings kept per character */
#define EXPAND_MAX_BYTES 512

/* 1 if form equals the term or one of the first n variants. */
static int seen(const rules_term *t, size_t n, const char *form, size_t len) {
  if (strlen(t->term) == len && memcmp(t->term, form, len) == 0) return 1;
  for (size_t i = 0; i < n; i++)
    if (strlen(t->variants[i]) == len && memcmp(t->variants[i], form, len) == 0) return 1;
  return 0;
}

int rules_term_expand(const rules_term *t, size_t max_forms,
                      int (*emit)(const char *form, size_t len, void *ctx), void *ctx) {
  size_t emitted = 0;
  int rc;
  if (!t || !t->term || max_forms == 0) return NP_OK;
  if ((rc = emit(t->term, strlen(t->term), ctx))) return rc;
  emitted++;
  for (size_t i = 0; i < t->n_variants && emitted < max_forms; i++) {
    if (seen(t, i, t->variants[i], strlen(t->variants[i]))) continue;
    if ((rc = emit(t->variants[i], strlen(t->variants[i]), ctx))) return rc;
    emitted++;
  }
  if (!t->pinyin || emitted >= max_forms) return NP_OK;

  /* choice 0 of each position is the character as written */
  const char *choice[EXPAND_MAX_CHARS][EXPAND_MAX_READINGS + 1];
  size_t choice_len[EXPAND_MAX_CHARS][EXPAND_MAX_READINGS + 1];
  unsigned n_choice[EXPAND_MAX_CHARS], at[EXPAND_MAX_CHARS];
  size_t n = 0, len = strlen(t->term), i = 0;
  int any = 0;
  while (i < len) {
    if (n == EXPAND_MAX_CHARS) return NP_OK;
    size_t s = i;
    int32_t cp = util_utf8_next(t->term, len, &i);
    choice[n][0] = t->term + s;
    choice_len[n][0] = i - s;
    n_choice[n] = 1;
    const char *const *r = NULL;
    size_t nr = cp > 0 && text_is_han((uint32_t)cp) ? text_pinyin((uint32_t)cp, &r) : 0;
    for (size_t k = 0; k < nr && n_choice[n] <= EXPAND_MAX_READINGS; k++) {
      size_t rl = strlen(r[k]);
      int dup = rl == 0 || rl > 15;
      for (unsigned j = 1; j < n_choice[n] && !dup; j++)
        dup = choice_len[n][j] == rl && memcmp(choice[n][j], r[k], rl) == 0;
      if (dup) continue;
      choice[n][n_choice[n]] = r[k];
      choice_len[n][n_choice[n]++] = rl;
      any = 1;
    }
    at[n++] = 0;
  }
  if (!any) return NP_OK;
  char buf[EXPAND_MAX_BYTES];
  for (;;) {
    size_t p = n; /* odometer: the last position turns fastest */
    while (p > 0 && ++at[p - 1] == n_choice[p - 1]) at[--p] = 0;
    if (p == 0) return NP_OK; /* wrapped back to the all-Han original */
    size_t bl = 0;
    for (size_t k = 0; k < n; k++) {
      memcpy(buf + bl, choice[k][at[k]], choice_len[k][at[k]]);
      bl += choice_len[k][at[k]];
    }
    buf[bl] = 0;
    if (seen(t, t->n_variants, buf, bl)) continue;
    if ((rc = emit(buf, bl, ctx))) return rc;
    if (++emitted >= max_forms) return NP_OK;
  }
}
