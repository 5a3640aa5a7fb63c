/* engine.c — np_engine_compile: normalization declarations → normalizer,
 * lexicons and rules → rule set, stages → named values, everything → one
 * matcher database.  The result is immutable and shared by all threads. */
#include <stdio.h>
#include <string.h>
#include "engine/engine_int.h"

struct np_diagnostics {
  rules_diags d;
  np_allocator alloc;
};

NP_API void np_engine_config_init(np_engine_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->seed = 0x6e7061u; /* fixed default: results are reproducible */
  cfg->max_text_bytes = 4u << 20;
  cfg->max_line_bytes = 16u << 20;
  cfg->detectors = 1;
}

static int kind_is(const np_source *s, const char *k) { return s->kind && strcmp(s->kind, k) == 0; }

/* Collects every emoji/pictograph used in a declared variant: the normalizer
 * must keep those instead of discarding them as noise (洗💰 = 洗钱). */
static int collect_keep(np_engine *e, util_vec *keep) {
  for (size_t l = 0; l < e->lexicons.len; l++) {
    const rules_lexicon *lx = UTIL_VEC_AT(&e->lexicons, rules_lexicon *, l);
    for (size_t t = 0; t < lx->n_terms; t++) {
      const rules_term *term = &lx->terms[t];
      for (size_t v = 0; v < term->n_variants; v++) {
        const char *s = term->variants[v];
        size_t n = strlen(s), i = 0;
        while (i < n) {
          int32_t cp = util_utf8_next(s, n, &i);
          if (cp > 0x7f && text_is_symbol((uint32_t)cp)) {
            uint32_t u = (uint32_t)cp;
            if (util_vec_push(keep, &u) < 0) return NP_ENOMEM;
          }
        }
      }
    }
  }
  return NP_OK;
}

static int resolve_value(const char *name, void *ctx) { return engine_value_slot(ctx, name); }

static int build_normalizer(np_engine *e, const np_source *srcs, size_t n, np_error *err) {
  util_vec aliases, folds, keep;
  util_vec_init(&aliases, e->alloc, sizeof(text_digit_alias));
  util_vec_init(&folds, e->alloc, sizeof(text_char_fold));
  util_vec_init(&keep, e->alloc, sizeof(uint32_t));
  int rc = NP_OK;
  for (size_t i = 0; i < n && rc == NP_OK; i++)
    if (kind_is(&srcs[i], "normalize"))
      rc = text_norm_parse(srcs[i].name, srcs[i].text, srcs[i].len, &aliases, &folds, &keep, err);
  if (rc == NP_OK) rc = collect_keep(e, &keep);
  if (rc == NP_OK) {
    text_norm_config nc;
    text_norm_config_init(&nc);
    nc.aliases = aliases.data;
    nc.n_aliases = aliases.len;
    nc.folds = folds.data;
    nc.n_folds = folds.len;
    nc.keep = keep.data;
    nc.n_keep = keep.len;
    rc = text_normalizer_new(&nc, e->alloc, &e->norm, err);
  }
  util_vec_free(&aliases);
  util_vec_free(&folds);
  util_vec_free(&keep);
  return rc;
}

static int parse_sources(np_engine *e, const np_source *srcs, size_t n, rules_diags *diags) {
  for (size_t i = 0; i < n; i++) {
    if (!kind_is(&srcs[i], "lexicon")) continue;
    rules_lexicon *lx = NULL;
    const char *name = srcs[i].name ? srcs[i].name : "";
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t bl = strlen(base);
    if (bl > 4 && strcmp(base + bl - 4, ".txt") == 0) bl -= 4;
    char stem[256];
    snprintf(stem, sizeof stem, "%.*s", (int)bl, base);
    if (engine_lexicon_find(e, stem) >= 0) {
      rules_diag_add(diags, name, srcs[i].text, srcs[i].len, 1, 1,
                     "duplicate lexicon \"%s\"", stem);
      continue;
    }
    int rc = rules_lexicon_parse(e->alloc, stem, name, srcs[i].text, srcs[i].len, &lx, diags);
    if (rc == NP_ENOMEM) return rc;
    if (lx && util_vec_push(&e->lexicons, &lx) < 0) {
      rules_lexicon_free(e->alloc, lx);
      return NP_ENOMEM;
    }
  }
  return NP_OK;
}

static int parse_rules(np_engine *e, const np_source *srcs, size_t n, rules_diags *diags) {
  for (size_t i = 0; i < n; i++) {
    if (!kind_is(&srcs[i], "rules")) continue;
    int rc = rules_parse(&e->rules, srcs[i].name, srcs[i].text, srcs[i].len, resolve_value, e,
                         diags);
    if (rc == NP_ENOMEM) return rc;
  }
  return NP_OK;
}

static int mark_used_values(np_engine *e) {
  e->value_used = util_calloc(e->alloc, e->values.len ? e->values.len : 1, 1);
  if (!e->value_used) return NP_ENOMEM;
  for (size_t i = 0; i < e->rules.values.len; i++) {
    const char *name = UTIL_VEC_AT(&e->rules.values, char *, i); /* NULL: slot not read */
    int slot = name ? engine_value_slot(e, name) : -1;
    if (slot >= 0) e->value_used[slot] = 1;
  }
  return NP_OK;
}


/* Per rule: can it hold without a string match; which values are computed
 * lazily (classifier scores); cheap operands first. */
static int analyze_rules(np_engine *e) {
  size_t n = e->rules.rules.len;
  e->rule_flags = util_calloc(e->alloc, n ? n : 1, 1);
  e->value_lazy = util_calloc(e->alloc, e->values.len ? e->values.len : 1, 1);
  if (!e->rule_flags || !e->value_lazy) return NP_ENOMEM;
  for (size_t v = 0; v < e->values.len; v++)
    e->value_lazy[v] = strncmp(UTIL_VEC_AT(&e->values, char *, v), "clf.", 4) == 0;
  for (size_t r = 0; r < n; r++) {
    rules_rule *rule = &UTIL_VEC_AT(&e->rules.rules, rules_rule, r);
    rules_cheap_first(rule, e->value_lazy);
    if (rules_needs_strings(rule)) e->rule_flags[r] |= ENGINE_RULE_NEEDS_STRINGS;
  }
  return NP_OK;
}

static char *dup_opt(const np_allocator *a, const char *s, int *oom) {
  if (!s) return NULL;
  char *d = util_strdup(a, s);
  if (!d) *oom = 1;
  return d;
}

NP_API int np_engine_compile(const np_engine_config *cfg, const np_source *srcs, size_t n,
                             np_engine **out, np_diagnostics **diag_out, np_error *err) {
  int rc = NP_OK;
  *out = NULL;
  if (diag_out) *diag_out = NULL;
  np_engine_config defaults;
  if (!cfg) { np_engine_config_init(&defaults); cfg = &defaults; }
  np_engine *e = util_calloc(&cfg->alloc, 1, sizeof *e);
  if (!e) return util_err(err, NP_ENOMEM, "out of memory compiling the engine");
  e->cfg = *cfg;
  e->alloc = &e->cfg.alloc;
  int oom = 0;
  e->cfg.hoax_path = dup_opt(e->alloc, cfg->hoax_path, &oom);
  e->cfg.models_dir = dup_opt(e->alloc, cfg->models_dir, &oom);
  e->cfg.cache_dir = dup_opt(e->alloc, cfg->cache_dir, &oom);
  rules_set_init(&e->rules, e->alloc);
  util_vec_init(&e->lexicons, e->alloc, sizeof(rules_lexicon *));
  np_diagnostics *diag = util_calloc(e->alloc, 1, sizeof *diag);
  if (diag) {
    diag->alloc = cfg->alloc;
    rules_diags_init(&diag->d, &diag->alloc);
  }
  if (oom || !diag) { rc = NP_ENOMEM; goto fail; }

  TRY(engine_values_init(e));
  TRY(engine_detect_init(e, err));
  TRY(engine_similar_init(e, err));
  TRY(engine_classify_init(e, err));
  TRY(parse_sources(e, srcs, n, &diag->d));
  TRY(build_normalizer(e, srcs, n, err));
  TRY(parse_rules(e, srcs, n, &diag->d));
  if (diag->d.items.len == 0) {
    TRY(analyze_rules(e));
    TRY(mark_used_values(e));
    TRY(engine_classify_prepare(e, err));
    TRY(engine_patterns_build(e, srcs, n, &diag->d, err));
  }
  if (diag->d.items.len) {
    rc = util_err(err, NP_ERULE, "%zu error%s in rule packs", diag->d.items.len,
                  diag->d.items.len == 1 ? "" : "s");
    goto fail;
  }
  *out = e;
  if (diag_out) *diag_out = diag;
  else np_diagnostics_free(diag);
  return NP_OK;
fail:
  if (rc == NP_ENOMEM && (!err || err->code != NP_ENOMEM))
    util_err(err, rc, "out of memory compiling the engine");
  if (diag_out && diag && diag->d.items.len) *diag_out = diag;
  else np_diagnostics_free(diag);
  np_engine_free(e);
  return rc;
}

NP_API void np_engine_free(np_engine *e) {
  if (!e) return;
  engine_classify_free(e);
  engine_similar_free(e);
  engine_detect_free(e);
  engine_patterns_free(e);
  rules_set_free(&e->rules);
  for (size_t i = 0; i < e->lexicons.len; i++)
    rules_lexicon_free(e->alloc, UTIL_VEC_AT(&e->lexicons, rules_lexicon *, i));
  util_vec_free(&e->lexicons);
  text_normalizer_free(e->norm);
  engine_values_free(e);
  util_free(e->alloc, e->value_used);
  util_free(e->alloc, e->rule_flags);
  util_free(e->alloc, e->value_lazy);
  util_free(e->alloc, (char *)e->cfg.hoax_path);
  util_free(e->alloc, (char *)e->cfg.models_dir);
  util_free(e->alloc, (char *)e->cfg.cache_dir);
  np_allocator a = e->cfg.alloc;
  util_free(&a, e);
}

NP_API void np_engine_get_info(const np_engine *e, np_engine_info *info) {
  memset(info, 0, sizeof *info);
  info->rules = e->rules.rules.len;
  info->strings = e->rules.n_strings;
  info->patterns = e->n_patterns;
  info->lexicon_terms = e->n_terms;
  info->db_bytes = match_db_bytes(e->db);
}

NP_API const char *np_engine_rule_name(const np_engine *e, size_t i) {
  return i < e->rules.rules.len ? UTIL_VEC_AT(&e->rules.rules, rules_rule, i).name : NULL;
}

NP_API const char *np_engine_rule_category(const np_engine *e, size_t i) {
  return i < e->rules.rules.len ? UTIL_VEC_AT(&e->rules.rules, rules_rule, i).category : NULL;
}

NP_API size_t np_diagnostics_count(const np_diagnostics *d) { return d ? d->d.items.len : 0; }

NP_API const char *np_diagnostics_text(const np_diagnostics *d, size_t i) {
  return d && i < d->d.items.len ? UTIL_VEC_AT(&d->d.items, char *, i) : NULL;
}

NP_API void np_diagnostics_free(np_diagnostics *d) {
  if (!d) return;
  np_allocator a = d->alloc;
  rules_diags_free(&d->d);
  util_free(&a, d);
}
