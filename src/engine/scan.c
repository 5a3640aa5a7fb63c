/* scan.c — one post through the pipeline: normalize, one matcher scan,
 * match filtering (ASCII word boundaries, squeezed repeats, exclusion
 * contexts), stages (detect, similar, classify), rule conditions, verdict. */
#include <string.h>
#include "engine/engine_int.h"

/* Evidence kept per string and post; counting goes on past it. */
#define MAX_POS_PER_STRING 64

static int is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int on_raw(unsigned id, uint32_t start, uint32_t end, void *ctx) {
  np_scratch *s = ctx;
  engine_raw r = {id, start, end};
  if (util_vec_push(&s->raw, &r) == 0) return 0;
  s->raw_oom = 1; /* stop the scan; engine_scan_post reports NP_ENOMEM */
  return 1;
}

static int bound_left_ok(const text_norm_out *n, uint32_t at) {
  if (at == 0 || (n->flags[at] & TEXT_F_GAP)) return 1;
  return !is_ascii_alnum((unsigned char)n->text[at - 1]);
}

static int bound_right_ok(const text_norm_out *n, uint32_t at) {
  if (at >= n->len || (n->flags[at] & TEXT_F_GAP)) return 1;
  return !is_ascii_alnum((unsigned char)n->text[at]);
}

/* A match over squeezed characters (刷流流流水水 → 刷流水) counts when it looks
 * like deliberate stuttering: some character repeated three times or more, or
 * every character repeated.  上上下下分 (AABB + C) is ordinary Chinese
 * reduplication and does not count as 上下分. */
static int squeeze_ok(const text_norm_out *n, const engine_pattern *p, uint32_t start,
                      uint32_t end) {
  if (p->n_chars == 0) return 1;
  int any_more = 0, all_more = 1, max_rep = 0;
  size_t k = 0;
  for (uint32_t i = start; i < end; i++) {
    if (!(n->flags[i] & TEXT_F_CHAR_START)) continue;
    int rep = n->repeat[i];
    int prep = p->repeat && k < p->n_chars ? p->repeat[k] : 1;
    k++;
    if (rep < prep) return 0; /* the pattern itself repeats this char more (8000 vs 80) */
    if (rep > prep) {
      any_more = 1;
      if (rep > max_rep) max_rep = rep;
    } else {
      all_more = 0;
    }
  }
  return !any_more || max_rep >= 3 || all_more;
}

static int excluded(const np_engine *e, const np_scratch *s, const engine_pattern *p,
                    uint32_t start, uint32_t end) {
  for (size_t i = 0; i < s->raw.len; i++) {
    const engine_raw *r = &UTIL_VEC_AT(&s->raw, engine_raw, i);
    const engine_pattern *x = &e->patterns[r->pattern];
    if (x->is_exclusion && x->term == p->term && r->start <= start && r->end >= end) return 1;
  }
  return 0;
}

static int accept(const np_engine *e, np_scratch *s, const engine_pattern *p, uint32_t start,
                  uint32_t end) {
  const text_norm_out *n = &s->norm;
  uint32_t str = p->string;
  rules_pos pos = {n->char_index[start], n->char_index[end - 1] + 1};
  util_vec *pv = &s->pos[str];
  for (size_t i = 0; i < pv->len; i++) {
    rules_pos *q = &UTIL_VEC_AT(pv, rules_pos, i);
    if (q->start == pos.start && q->end == pos.end) return NP_OK; /* same evidence twice */
    /* a regex reports every end of a match (/webshel+/ ends twice in "webshell"):
     * keep the longest match from one start as one piece of evidence */
    if (p->n_chars == 0 && q->start == pos.start) {
      if (pos.end > q->end) {
        q->end = pos.end;
        UTIL_VEC_AT(&s->spans[str], np_span, i).end = n->orig_end[end - 1];
      }
      return NP_OK;
    }
  }
  if (s->count[str]++ == 0) s->touched[s->n_touched++] = str;
  if (pv->len >= MAX_POS_PER_STRING) return NP_OK;
  np_span sp = {NULL, p->term >= 0 ? e->term_names[p->term] : NULL, n->orig_start[start],
                n->orig_end[end - 1]};
  if (util_vec_push(pv, &pos) < 0 || util_vec_push(&s->spans[str], &sp) < 0) return NP_ENOMEM;
  return NP_OK;
}

static void reset_post(np_scratch *s) {
  for (size_t i = 0; i < s->n_touched; i++) {
    uint32_t str = s->touched[i];
    s->count[str] = 0;
    s->pos[str].len = 0;
    s->spans[str].len = 0;
    s->n_pos[str] = 0;
    s->pos_ptr[str] = NULL;
  }
  s->n_touched = 0;
  s->raw.len = 0;
  s->hits.len = 0;
  s->hit_spans.len = 0;
  s->indicators.len = 0;
  memset(s->values, 0, s->engine->values.len * sizeof *s->values);
}

static int filter_matches(const np_engine *e, np_scratch *s) {
  int any_exclusion = 0;
  for (size_t i = 0; i < s->raw.len; i++)
    any_exclusion |= e->patterns[UTIL_VEC_AT(&s->raw, engine_raw, i).pattern].is_exclusion;
  s->triggers = 0;
  for (size_t i = 0; i < s->raw.len; i++) {
    const engine_raw *r = &UTIL_VEC_AT(&s->raw, engine_raw, i);
    const engine_pattern *p = &e->patterns[r->pattern];
    if (p->trigger) {
      s->triggers |= p->trigger;
      continue;
    }
    if (p->is_exclusion || r->end <= r->start) continue;
    if (p->bound_left && !bound_left_ok(&s->norm, r->start)) continue;
    if (p->bound_right && !bound_right_ok(&s->norm, r->end)) continue;
    if (!squeeze_ok(&s->norm, p, r->start, r->end)) continue;
    if (any_exclusion && p->term >= 0 && excluded(e, s, p, r->start, r->end)) continue;
    int rc = accept(e, s, p, r->start, r->end);
    if (rc < 0) return rc;
  }
  /* near() wants positions sorted by start; the matcher reports by end. */
  for (size_t t = 0; t < s->n_touched; t++) {
    uint32_t str = s->touched[t];
    util_vec *pv = &s->pos[str], *sv = &s->spans[str];
    rules_pos *pp = pv->data;
    np_span *ss = sv->data;
    for (size_t i = 1; i < pv->len; i++)
      for (size_t j = i; j > 0 && pp[j - 1].start > pp[j].start; j--) {
        rules_pos tp = pp[j]; pp[j] = pp[j - 1]; pp[j - 1] = tp;
        np_span ts = ss[j]; ss[j] = ss[j - 1]; ss[j - 1] = ts;
      }
    s->pos_ptr[str] = pp;
    s->n_pos[str] = (uint32_t)pv->len;
  }
  return NP_OK;
}

static double severity_weight(np_severity sev) {
  switch (sev) {
    case NP_SEVERITY_LOW: return 0.3;
    case NP_SEVERITY_MEDIUM: return 0.5;
    case NP_SEVERITY_HIGH: return 0.8;
    case NP_SEVERITY_CRITICAL: return 0.95;
  }
  return 0.5;
}

/* 1 if some string of the rule matched in this post (a rule's strings have
 * consecutive indices). */
static int rule_touched(const np_scratch *s, const rules_rule *rule) {
  if (!rule->n_strings) return 0;
  uint32_t first = rule->strings[0].index;
  for (uint32_t i = 0; i < rule->n_strings; i++)
    if (s->count[first + i]) return 1;
  return 0;
}

/* rules_facts.need: classifier scores, computed once per post on first read. */
static void need_scores(void *ctx, uint32_t slot) {
  np_scratch *s = ctx;
  (void)slot;
  if (s->classified) return;
  s->classified = 1;
  s->classify_rc = engine_classify_run(s->engine, s, s->classify_err);
}

static int evaluate_rules(const np_engine *e, np_scratch *s, np_error *err) {
  rules_facts f = {s->count, s->pos_ptr, s->n_pos, s->values, e->value_lazy, need_scores, s};
  s->classify_rc = 0;
  s->classify_err = err;
  double keep = 1.0;
  np_action action = NP_ACTION_PASS;
  for (size_t r = 0; r < e->rules.rules.len; r++) {
    const rules_rule *rule = &UTIL_VEC_AT(&e->rules.rules, rules_rule, r);
    uint8_t flags = e->rule_flags[r];
    /* most posts match no string of most rules: skip those that need one */
    if ((flags & ENGINE_RULE_NEEDS_STRINGS) && (!s->n_touched || !rule_touched(s, rule))) continue;
    int holds = rules_eval(rule, &f); /* classifier scores computed on first read */
    if (s->classify_rc < 0) return s->classify_rc;
    if (!holds) continue;
    size_t first = s->hit_spans.len;
    for (size_t i = 0; i < rule->n_strings; i++) {
      const rules_string *str = &rule->strings[i];
      const util_vec *sv = &s->spans[str->index];
      for (size_t k = 0; k < sv->len; k++) {
        np_span sp = UTIL_VEC_AT(sv, np_span, k);
        sp.name = str->name;
        if (util_vec_push(&s->hit_spans, &sp) < 0) return NP_ENOMEM;
      }
    }
    np_hit h = {rule->name, rule->category, rule->severity, rule->action, NULL,
                s->hit_spans.len - first};
    h.spans = (const np_span *)(uintptr_t)first; /* fixed up below: the vector may move */
    if (util_vec_push(&s->hits, &h) < 0) return NP_ENOMEM;
    if (rule->action > action) action = rule->action;
    keep *= 1.0 - severity_weight(rule->severity);
  }
  for (size_t i = 0; i < s->hits.len; i++) {
    np_hit *h = &UTIL_VEC_AT(&s->hits, np_hit, i);
    h->spans = (np_span *)s->hit_spans.data + (uintptr_t)h->spans;
  }
  s->verdict.action = action;
  s->verdict.score = s->hits.len ? 1.0 - keep : 0.0;
  s->verdict.hits = s->hits.data;
  s->verdict.n_hits = s->hits.len;
  s->verdict.indicators = s->indicators.data;
  s->verdict.n_indicators = s->indicators.len;
  return NP_OK;
}

/* Code points in valid UTF-8: bytes that are not continuation bytes
 * (10xxxxxx), counted eight at a time. */
static size_t count_chars(const char *t, size_t n) {
  size_t cont = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, t + i, 8);
    uint64_t m = (w & ~(w << 1)) & UINT64_C(0x8080808080808080); /* bit 7 set, bit 6 clear */
    cont += ((m >> 7) * UINT64_C(0x0101010101010101)) >> 56;
  }
  for (; i < n; i++) cont += ((unsigned char)t[i] & 0xC0) == 0x80;
  return n - cont;
}

int engine_scan_post(const np_engine *e, np_scratch *s, const np_post *post, np_error *err) {
  int rc;
  reset_post(s);
  s->post = *post;
  if (post->text_len > e->cfg.max_text_bytes)
    return util_err(err, NP_ETOOBIG, "text is %zu bytes, over the limit of %zu", post->text_len,
                    e->cfg.max_text_bytes);
  if ((rc = text_normalize(e->norm, post->text, post->text_len, &s->norm, err)) < 0) return rc;
  s->raw_oom = 0;
  if ((rc = match_scan(e->db, s->ms, s->norm.text, s->norm.len, on_raw, s, err)) < 0) return rc;
  if (s->raw_oom) return util_err(err, NP_ENOMEM, "out of memory collecting matches");
  if ((rc = filter_matches(e, s)) < 0) return util_err(err, rc, "out of memory filtering matches");
  s->values[e->slot_text_length] = (double)count_chars(post->text, post->text_len);
  if ((rc = engine_detect_run(e, s, err)) < 0) return rc;
  if ((rc = engine_similar_run(e, s, err)) < 0) return rc;
  s->classified = 0;
  if ((rc = evaluate_rules(e, s, err)) < 0) {
    if (rc == NP_ENOMEM && (!err || err->code != NP_ENOMEM))
      util_err(err, rc, "out of memory building a verdict");
    return rc;
  }
  return NP_OK;
}

NP_API int np_scan(const np_engine *e, np_scratch *s, const np_post *post, const np_verdict **out,
                   np_error *err) {
  *out = NULL;
  if (!e || !s || !post || (!post->text && post->text_len))
    return util_err(err, NP_EINVAL, "np_scan needs an engine, a scratch and a post");
  size_t bad = 0;
  if (post->text_len && !util_utf8_valid(post->text, post->text_len, &bad))
    return util_err(err, NP_EUTF8, "text is not valid UTF-8 (or contains NUL) at byte %zu", bad);
  int rc = engine_scan_post(e, s, post, err);
  if (rc < 0) return rc;
  *out = &s->verdict;
  return NP_OK;
}

NP_API int np_normalize(const np_engine *e, np_scratch *s, const char *text, size_t len,
                        const char **canon, size_t *canon_len, np_error *err) {
  int rc = text_normalize(e->norm, text, len, &s->norm, err);
  if (rc < 0) return rc;
  *canon = s->norm.text ? s->norm.text : "";
  *canon_len = s->norm.len;
  return NP_OK;
}
