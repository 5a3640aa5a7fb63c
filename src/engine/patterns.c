/* patterns.c — turns every rule string (literal, regex, lexicon) into matcher
 * patterns over canonical text and builds the one Vectorscan database.
 * Literals, lexicon terms, their declared variants and exclusion contexts are
 * normalized with the engine's own normalizer, so text and patterns meet in
 * the same canonical form. */
#include <string.h>
#include "detect/detect.h"
#include "engine/engine_int.h"

typedef struct build_ctx {
  np_engine *e;
  util_vec pats;       /* match_pattern */
  util_vec meta;       /* engine_pattern */
  util_vec exprs;      /* char * owned canonical expressions */
  text_norm_out norm;
  uint32_t string;
  int32_t term;
  int exclusion;
  size_t first_of_string; /* dedupe literal forms of one string */
  np_error *err;
} build_ctx;

static int is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Adds one literal form after normalizing it. */
static int add_literal(build_ctx *b, const char *form, size_t len, int fullword) {
  int rc = text_normalize(b->e->norm, form, len, &b->norm, b->err);
  if (rc < 0) return rc;
  if (b->norm.len == 0) return NP_OK; /* all noise: cannot match anything */
  for (size_t i = b->first_of_string; i < b->meta.len; i++) {
    const match_pattern *p = &UTIL_VEC_AT(&b->pats, match_pattern, i);
    const engine_pattern *m = &UTIL_VEC_AT(&b->meta, engine_pattern, i);
    if (p->kind == MATCH_LITERAL && p->len == b->norm.len && m->term == b->term &&
        m->is_exclusion == b->exclusion && memcmp(p->expr, b->norm.text, p->len) == 0)
      return NP_OK; /* the same canonical form twice */
  }
  char *expr = util_strndup(b->e->alloc, b->norm.text, b->norm.len);
  if (!expr || util_vec_push(&b->exprs, &expr) < 0) {
    util_free(b->e->alloc, expr);
    return NP_ENOMEM;
  }
  engine_pattern m = {0};
  m.string = b->string;
  m.term = b->term;
  m.is_exclusion = (uint8_t)b->exclusion;
  const unsigned char *t = (const unsigned char *)b->norm.text;
  int auto_bound = b->term >= 0; /* lexicon terms get ASCII boundaries automatically */
  m.bound_left = (uint8_t)((fullword || auto_bound) && is_ascii_alnum(t[0]));
  m.bound_right = (uint8_t)((fullword || auto_bound) && is_ascii_alnum(t[b->norm.len - 1]));
  m.n_chars = (uint16_t)(b->norm.n_chars > 65535 ? 65535 : b->norm.n_chars);
  int squeezed = 0;
  for (size_t i = 0; i < b->norm.len; i++) squeezed |= b->norm.repeat[i] > 1;
  if (squeezed && m.n_chars == b->norm.n_chars) {
    m.repeat = util_calloc(b->e->alloc, m.n_chars, 1);
    if (!m.repeat) return NP_ENOMEM;
    for (size_t i = 0; i < b->norm.len; i++)
      if (b->norm.flags[i] & TEXT_F_CHAR_START) m.repeat[b->norm.char_index[i]] = b->norm.repeat[i];
    m.squeezed = 1;
  }
  match_pattern p = {expr, b->norm.len, MATCH_LITERAL, 0, (unsigned)b->meta.len};
  if (util_vec_push(&b->meta, &m) < 0) { util_free(b->e->alloc, m.repeat); return NP_ENOMEM; }
  if (util_vec_push(&b->pats, &p) < 0) return NP_ENOMEM;
  return NP_OK;
}

static int add_regex(build_ctx *b, const rules_string *s) {
  char *expr = util_strndup(b->e->alloc, s->value, s->value_len);
  if (!expr || util_vec_push(&b->exprs, &expr) < 0) {
    util_free(b->e->alloc, expr);
    return NP_ENOMEM;
  }
  engine_pattern m = {0};
  m.string = s->index;
  m.term = -1;
  m.bound_left = m.bound_right = (uint8_t)((s->mods & RULES_MOD_FULLWORD) != 0);
  unsigned flags = 0;
  if (s->mods & RULES_MOD_NOCASE) flags |= MATCH_F_NOCASE;
  if (s->mods & RULES_MOD_DOTALL) flags |= MATCH_F_DOTALL;
  match_pattern p = {expr, s->value_len, MATCH_REGEX, flags, (unsigned)b->meta.len};
  if (util_vec_push(&b->meta, &m) < 0 || util_vec_push(&b->pats, &p) < 0) return NP_ENOMEM;
  return NP_OK;
}

static int emit_form(const char *form, size_t len, void *ctx) {
  return add_literal(ctx, form, len, 0);
}

/* Maximum surface forms generated for one lexicon term (pinyin combinations). */
#define MAX_FORMS_PER_TERM 256

static int add_lexicon(build_ctx *b, const rules_lexicon *lx, int *term_base) {
  for (size_t t = 0; t < lx->n_terms; t++) {
    const rules_term *term = &lx->terms[t];
    b->term = *term_base + (int32_t)t;
    b->exclusion = 0;
    b->first_of_string = b->meta.len; /* dedupe forms within one term only */
    int rc = rules_term_expand(term, MAX_FORMS_PER_TERM, emit_form, b);
    if (rc < 0) return rc;
    b->exclusion = 1;
    for (size_t x = 0; x < term->n_exclusions; x++) {
      rc = add_literal(b, term->exclusions[x], strlen(term->exclusions[x]), 0);
      if (rc < 0) return rc;
    }
    b->exclusion = 0;
  }
  return NP_OK;
}

/* The detectors' address hint rides on the same scan: a character that ends
 * an address (ENGINE_TRIGGER_ADDRESS), reported at most once per post.
 * (Character-class regexes for digits and letters would slow the literal
 * matcher down; engine_detect.c tests those bytes itself.) */
static int add_triggers(build_ctx *b) {
  for (size_t i = 0; detect_address_enders[i]; i++) {
    engine_pattern m = {0};
    m.term = -1;
    m.trigger = ENGINE_TRIGGER_ADDRESS;
    const char *t = detect_address_enders[i];
    match_pattern p = {t, strlen(t), MATCH_LITERAL, MATCH_F_SINGLE, (unsigned)b->meta.len};
    if (util_vec_push(&b->meta, &m) < 0 || util_vec_push(&b->pats, &p) < 0) return NP_ENOMEM;
  }
  return NP_OK;
}

int engine_lexicon_find(const np_engine *e, const char *name) {
  for (size_t i = 0; i < e->lexicons.len; i++)
    if (strcmp(UTIL_VEC_AT(&e->lexicons, rules_lexicon *, i)->name, name) == 0) return (int)i;
  return -1;
}

/* Term table: every lexicon's terms get a global id; strings using the same
 * lexicon share ids (the term name is what the verdict reports). */
static int build_terms(np_engine *e, int *bases) {
  size_t total = 0;
  for (size_t i = 0; i < e->lexicons.len; i++) {
    bases[i] = (int)total;
    total += UTIL_VEC_AT(&e->lexicons, rules_lexicon *, i)->n_terms;
  }
  e->n_terms = total;
  e->term_names = util_calloc(e->alloc, total ? total : 1, sizeof(char *));
  if (!e->term_names) return NP_ENOMEM;
  for (size_t i = 0; i < e->lexicons.len; i++) {
    const rules_lexicon *lx = UTIL_VEC_AT(&e->lexicons, rules_lexicon *, i);
    for (size_t t = 0; t < lx->n_terms; t++) e->term_names[bases[i] + (int)t] = lx->terms[t].term;
  }
  return NP_OK;
}

static const np_source *find_src(const np_source *srcs, size_t n, const char *file) {
  for (size_t i = 0; i < n; i++)
    if (srcs[i].name && file && strcmp(srcs[i].name, file) == 0) return &srcs[i];
  return NULL;
}

#define DIAG_AT(file, line, col, ...)                                                   \
  do {                                                                                  \
    const np_source *src_ = find_src(srcs, n_srcs, (file));                             \
    rules_diag_add(diags, (file), src_ ? src_->text : NULL, src_ ? src_->len : 0, (line), \
                   (col), __VA_ARGS__);                                                 \
  } while (0)

int engine_patterns_build(np_engine *e, const np_source *srcs, size_t n_srcs, rules_diags *diags,
                          np_error *err) {
  int rc = NP_OK;
  build_ctx b = {.e = e, .err = err};
  util_vec_init(&b.pats, e->alloc, sizeof(match_pattern));
  util_vec_init(&b.meta, e->alloc, sizeof(engine_pattern));
  util_vec_init(&b.exprs, e->alloc, sizeof(char *));
  text_norm_out_init(&b.norm, e->alloc);
  int *bases = util_calloc(e->alloc, e->lexicons.len + 1, sizeof(int));
  if (!bases) { rc = NP_ENOMEM; goto done; }
  TRY(build_terms(e, bases));
  for (size_t r = 0; r < e->rules.rules.len; r++) {
    const rules_rule *rule = &UTIL_VEC_AT(&e->rules.rules, rules_rule, r);
    for (size_t i = 0; i < rule->n_strings; i++) {
      const rules_string *s = &rule->strings[i];
      b.string = s->index;
      b.term = -1;
      b.exclusion = 0;
      b.first_of_string = b.meta.len;
      size_t before = b.meta.len;
      if (s->kind == RULES_STR_LITERAL) {
        TRY(add_literal(&b, s->value, s->value_len, (s->mods & RULES_MOD_FULLWORD) != 0));
      } else if (s->kind == RULES_STR_REGEX) {
        TRY(add_regex(&b, s));
      } else {
        int lx = engine_lexicon_find(e, s->value);
        if (lx < 0) {
          DIAG_AT(rule->file, s->line, s->col, "unknown lexicon \"%s\" (expected lexicons/%s.txt)", s->value, s->value);
          continue;
        }
        TRY(add_lexicon(&b, UTIL_VEC_AT(&e->lexicons, rules_lexicon *, (size_t)lx), &bases[lx]));
      }
      if (b.meta.len == before && s->kind == RULES_STR_LITERAL)
        DIAG_AT(rule->file, s->line, s->col, "string %s is empty after normalization", s->name);
    }
  }
  if (diags->items.len) { rc = NP_ERULE; goto done; }
  if (e->cfg.detectors) TRY(add_triggers(&b));
  size_t bad = 0;
  np_error merr = {0};
  rc = match_db_build_cached(b.pats.data, b.pats.len, e->alloc, e->cfg.cache_dir, &e->db, &bad,
                              &merr);
  if (rc == NP_ERULE) {
    const engine_pattern *m = &UTIL_VEC_AT(&b.meta, engine_pattern, bad);
    /* find the string for the diagnostic */
    for (size_t r = 0; r < e->rules.rules.len; r++) {
      const rules_rule *rule = &UTIL_VEC_AT(&e->rules.rules, rules_rule, r);
      for (size_t i = 0; i < rule->n_strings; i++)
        if (rule->strings[i].index == m->string)
          DIAG_AT(rule->file, rule->strings[i].line, rule->strings[i].col, "invalid regex %s: %s", rule->strings[i].name, merr.message);
    }
    goto done;
  }
  if (rc < 0) { if (err) *err = merr; goto done; }
  e->n_patterns = b.meta.len;
  e->patterns = b.meta.data;
  b.meta.data = NULL;
  b.meta.len = 0;
done:
fail:
  for (size_t i = 0; i < b.meta.len; i++)
    util_free(e->alloc, UTIL_VEC_AT(&b.meta, engine_pattern, i).repeat);
  util_vec_free(&b.meta);
  util_vec_free(&b.pats);
  for (size_t i = 0; i < b.exprs.len; i++) util_free(e->alloc, UTIL_VEC_AT(&b.exprs, char *, i));
  util_vec_free(&b.exprs);
  text_norm_out_free(&b.norm);
  util_free(e->alloc, bases);
  if (rc == NP_ENOMEM) util_err(err, rc, "out of memory compiling patterns");
  return rc;
}

void engine_patterns_free(np_engine *e) {
  for (size_t i = 0; i < e->n_patterns; i++) util_free(e->alloc, e->patterns[i].repeat);
  util_free(e->alloc, e->patterns);
  util_free(e->alloc, e->term_names);
  match_db_free(e->db);
}
