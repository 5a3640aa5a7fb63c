/* parse.c — the recursive-descent parser for rule files: rule headers, meta
 * and strings sections, validation of well-known meta, duplicate checks, and
 * committing good rules into the set.  A syntax error skips to the next
 * `rule`; semantic errors are reported and parsing goes on, so every error of
 * a file is found in one pass.  Conditions are parsed in cond.c. */
#include <stdio.h>
#include <string.h>
#include "rules/rules_int.h"

/* ---- set --------------------------------------------------------------- */

void rules_set_init(rules_set *set, const np_allocator *a) {
  memset(set, 0, sizeof *set);
  set->alloc = a;
  util_vec_init(&set->rules, a, sizeof(rules_rule));
  util_vec_init(&set->values, a, sizeof(char *));
}

static void rule_free(const np_allocator *a, rules_rule *r) {
  util_free(a, r->name);
  util_free(a, r->file);
  for (size_t i = 0; i < r->n_tags; i++) util_free(a, r->tags[i]);
  util_free(a, r->tags);
  for (size_t i = 0; i < r->n_meta; i++) {
    util_free(a, r->meta[i].key);
    util_free(a, r->meta[i].value);
  }
  util_free(a, r->meta);
  util_free(a, r->category);
  util_free(a, r->description);
  for (size_t i = 0; i < r->n_strings; i++) {
    util_free(a, r->strings[i].name);
    util_free(a, r->strings[i].value);
  }
  util_free(a, r->strings);
  rules_expr_free(a, r->cond);
  memset(r, 0, sizeof *r);
}

void rules_set_free(rules_set *set) {
  if (!set) return;
  const np_allocator *a = set->alloc;
  for (size_t i = 0; i < set->rules.len; i++) rule_free(a, &UTIL_VEC_AT(&set->rules, rules_rule, i));
  util_vec_free(&set->rules);
  for (size_t i = 0; i < set->values.len; i++) util_free(a, UTIL_VEC_AT(&set->values, char *, i));
  util_vec_free(&set->values);
  for (size_t i = 0; i < set->names_cap; i++) util_free(a, set->names[i]);
  util_free(a, set->names);
  set->names = NULL;
  set->names_cap = set->n_names = 0;
}

/* Adds name to the set's table; returns 1 if it was already there, 0 if
 * added, NP_ENOMEM. */
static int name_add(rules_set *set, const char *name, size_t n) {
  if ((set->n_names + 1) * 2 > set->names_cap) {
    size_t cap = set->names_cap ? set->names_cap * 2 : 64;
    char **t = util_calloc(set->alloc, cap, sizeof *t);
    if (!t) return NP_ENOMEM;
    for (size_t i = 0; i < set->names_cap; i++) {
      char *s = set->names[i];
      if (!s) continue;
      size_t h = (size_t)util_hash64(s, strlen(s), 0) & (cap - 1);
      while (t[h]) h = (h + 1) & (cap - 1);
      t[h] = s;
    }
    util_free(set->alloc, set->names);
    set->names = t;
    set->names_cap = cap;
  }
  size_t h = (size_t)util_hash64(name, n, 0) & (set->names_cap - 1);
  for (; set->names[h]; h = (h + 1) & (set->names_cap - 1))
    if (strlen(set->names[h]) == n && memcmp(set->names[h], name, n) == 0) return 1;
  if (!(set->names[h] = util_strndup(set->alloc, name, n))) return NP_ENOMEM;
  set->n_names++;
  return 0;
}

/* ---- token stream ------------------------------------------------------ */

const rules_tok *rules_peek(rules_parser *P) {
  while (!P->have) {
    rules_lex_next(&P->L, &P->tok);
    P->have = P->tok.kind != TK_BAD; /* bad characters are reported by the lexer */
  }
  return &P->tok;
}

void rules_advance(rules_parser *P) {
  rules_peek(P);
  if (P->tok.kind != TK_EOF) P->have = 0;
}

int rules_syntax_error(rules_parser *P, const char *fmt, ...) {
  const rules_tok *t = rules_peek(P);
  char found[64], msg[400];
  rules_tok_describe(t, found, sizeof found);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rules_lex_error(&P->L, t->line, t->col, "%s, found %s", msg, found);
  return RULES_PERR;
}

static int expect(rules_parser *P, int kind, const char *what) {
  if (rules_peek(P)->kind != kind) return rules_syntax_error(P, "expected %s", what);
  rules_advance(P);
  return NP_OK;
}

/* Error at a token: "<prefix>'<token>'<suffix>". */
static void error_at(rules_parser *P, const rules_tok *t, const char *fmt, ...) UTIL_PRINTF(3, 4);
static void error_at(rules_parser *P, const rules_tok *t, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rules_lex_error(&P->L, t->line, t->col, "%s", msg);
}

static int is_section(const rules_tok *t) {
  return rules_tok_is(t, "meta") || rules_tok_is(t, "strings") || rules_tok_is(t, "condition");
}

/* ---- meta -------------------------------------------------------------- */

static int valid_category(const char *s) {
  /* dotted lowercase: [a-z][a-z0-9_]* ('.' [a-z][a-z0-9_]*)* */
  int at_start = 1;
  if (!*s) return 0;
  for (; *s; s++) {
    if (at_start && !(*s >= 'a' && *s <= 'z')) return 0;
    if (*s == '.') { at_start = 1; continue; }
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    at_start = 0;
  }
  return !at_start;
}

static int lookup(const char *const *names, const char *s) {
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

/* Validates a well-known key; value is NULL when it was not a string. */
static int meta_known(rules_parser *P, rules_rule *r, const rules_tok *kt, const rules_tok *vt,
                      const char *value, const char *shown) {
  static const char *const sev[] = {"low", "medium", "high", "critical", NULL};
  static const char *const act[] = {"pass", "review", "block", NULL};
  char **slot = NULL;
  int k;
  if (rules_tok_is(kt, "category")) {
    if (r->category) { error_at(P, kt, "duplicate meta 'category'"); return NP_OK; }
    if (!value || !valid_category(value)) {
      error_at(P, vt, "bad category '%s' (expected dotted lowercase, e.g. fraud.loan)", shown);
      return NP_OK;
    }
    slot = &r->category;
  } else if (rules_tok_is(kt, "description")) {
    if (r->description) { error_at(P, kt, "duplicate meta 'description'"); return NP_OK; }
    if (!value) { error_at(P, vt, "bad description '%s' (expected a string)", shown); return NP_OK; }
    slot = &r->description;
  } else if (rules_tok_is(kt, "severity")) {
    if ((k = value ? lookup(sev, value) : -1) < 0)
      error_at(P, vt, "bad severity '%s' (expected low, medium, high or critical)", shown);
    else r->severity = (np_severity)(NP_SEVERITY_LOW + k);
    return NP_OK;
  } else if (rules_tok_is(kt, "action")) {
    if ((k = value ? lookup(act, value) : -1) < 0)
      error_at(P, vt, "bad action '%s' (expected pass, review or block)", shown);
    else r->action = (np_action)(NP_ACTION_PASS + k);
    return NP_OK;
  } else {
    return NP_OK;
  }
  *slot = util_strdup(P->a, value);
  return *slot ? NP_OK : NP_ENOMEM;
}

static int parse_meta(rules_parser *P, rules_rule *r, util_vec *meta) {
  while (rules_peek(P)->kind == TK_IDENT && !is_section(rules_peek(P))) {
    rules_tok kt = *rules_peek(P);
    rules_advance(P);
    int rc = expect(P, TK_ASSIGN, "'=' after meta key");
    if (rc) return rc;
    rules_tok vt = *rules_peek(P);
    rules_meta m = {0};
    const char *value = NULL; /* string values only */
    if (vt.kind == TK_STRING) {
      m.value = util_strndup(P->a, vt.str, vt.str_len);
      value = m.value;
    } else if (vt.kind == TK_NUMBER) {
      m.value = util_strndup(P->a, vt.p, vt.n);
      m.is_number = 1;
    } else if (vt.kind == TK_MINUS) {
      rules_advance(P);
      if (rules_peek(P)->kind != TK_NUMBER)
        return rules_syntax_error(P, "expected a number after '-'");
      const rules_tok *nt = rules_peek(P);
      m.value = util_malloc(P->a, nt->n + 2);
      if (m.value) { m.value[0] = '-'; memcpy(m.value + 1, nt->p, nt->n); m.value[nt->n + 1] = 0; }
      m.is_number = 1;
    } else if (rules_tok_is(&vt, "true") || rules_tok_is(&vt, "false")) {
      m.value = util_strndup(P->a, vt.p, vt.n);
    } else {
      return rules_syntax_error(P, "expected a string, number, true or false for meta '%.*s'",
                                (int)kt.n, kt.p);
    }
    rules_advance(P);
    m.key = util_strndup(P->a, kt.p, kt.n);
    if (!m.key || !m.value || util_vec_push(meta, &m) < 0) {
      util_free(P->a, m.key);
      util_free(P->a, m.value);
      return NP_ENOMEM;
    }
    if ((rc = meta_known(P, r, &kt, &vt, value, m.value))) return rc;
  }
  return NP_OK;
}

/* ---- strings ----------------------------------------------------------- */

static int valid_lexicon_name(const char *s, size_t n) {
  if (!n) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

static int parse_string_value(rules_parser *P, rules_string *s, const rules_tok *nt) {
  P->L.regex_ok = 1; /* the lookahead is not lexed yet: '/' now opens a regex */
  rules_tok vt = *rules_peek(P);
  P->L.regex_ok = 0;
  if (vt.kind == TK_STRING || vt.kind == TK_REGEX) {
    rules_advance(P);
    s->kind = vt.kind == TK_STRING ? RULES_STR_LITERAL : RULES_STR_REGEX;
    s->mods = vt.mods;
    if (vt.n == 2) error_at(P, &vt, "empty string"); /* "" itself, not a bad escape */
    s->value = util_strndup(P->a, vt.str, vt.str_len);
    s->value_len = vt.str_len;
    return s->value ? NP_OK : NP_ENOMEM;
  }
  if (rules_tok_is(&vt, "lexicon")) {
    rules_advance(P);
    int rc = expect(P, TK_LPAREN, "'(' after lexicon");
    if (rc) return rc;
    rules_tok lt = *rules_peek(P);
    if (lt.kind != TK_STRING) return rules_syntax_error(P, "expected a lexicon name string");
    rules_advance(P);
    if ((rc = expect(P, TK_RPAREN, "')'"))) return rc;
    if (!valid_lexicon_name(lt.str, lt.str_len))
      error_at(P, &lt, "bad lexicon name '%s' (letters, digits, '_' and '-')", lt.str);
    s->kind = RULES_STR_LEXICON;
    s->value = util_strndup(P->a, lt.str, lt.str_len);
    s->value_len = lt.str_len;
    return s->value ? NP_OK : NP_ENOMEM;
  }
  return rules_syntax_error(P, "expected a string, regex or lexicon(...) for %.*s", (int)nt->n,
                            nt->p);
}

static int parse_strings(rules_parser *P) {
  while (rules_peek(P)->kind == TK_VAR) {
    rules_tok nt = *rules_peek(P);
    rules_advance(P);
    if (nt.wildcard) error_at(P, &nt, "bad string name '%.*s'", (int)nt.n, nt.p);
    for (size_t i = 0; i < P->strings.len; i++) {
      const rules_string *o = &UTIL_VEC_AT(&P->strings, rules_string, i);
      if (strlen(o->name) == nt.n && memcmp(o->name, nt.p, nt.n) == 0) {
        error_at(P, &nt, "duplicate string %.*s", (int)nt.n, nt.p);
        break;
      }
    }
    int rc = expect(P, TK_ASSIGN, "'=' after string name");
    if (rc) return rc;
    rules_string s = {0};
    s.line = nt.line;
    s.col = nt.col;
    s.index = P->base + (uint32_t)P->strings.len;
    rc = parse_string_value(P, &s, &nt);
    s.name = util_strndup(P->a, nt.p, nt.n);
    if (!s.name || rc == NP_ENOMEM || util_vec_push(&P->strings, &s) < 0) {
      util_free(P->a, s.name);
      util_free(P->a, s.value);
      return NP_ENOMEM;
    }
    if (rc) return rc;
    while (rules_peek(P)->kind == TK_IDENT && !is_section(rules_peek(P))) {
      const rules_tok *mt = rules_peek(P);
      if (rules_tok_is(mt, "fullword"))
        UTIL_VEC_AT(&P->strings, rules_string, P->strings.len - 1).mods |= RULES_MOD_FULLWORD;
      else
        error_at(P, mt, "unknown string modifier '%.*s'", (int)mt->n, mt->p);
      rules_advance(P);
    }
  }
  P->n_declared = P->strings.len;
  return NP_OK;
}

/* ---- rules ------------------------------------------------------------- */

static int parse_tags(rules_parser *P, util_vec *tags) {
  rules_advance(P); /* ':' */
  if (rules_peek(P)->kind != TK_IDENT) return rules_syntax_error(P, "expected a tag");
  while (rules_peek(P)->kind == TK_IDENT) {
    const rules_tok *t = rules_peek(P);
    char *tag = util_strndup(P->a, t->p, t->n);
    if (!tag || util_vec_push(tags, &tag) < 0) { util_free(P->a, tag); return NP_ENOMEM; }
    rules_advance(P);
  }
  return NP_OK;
}

/* The sections, in order, each at most once; condition is required. */
static int parse_body(rules_parser *P, rules_rule *r, util_vec *meta, const rules_tok *nt) {
  int stage = 0, rc;
  while (is_section(rules_peek(P))) {
    rules_tok st = *rules_peek(P);
    int which = rules_tok_is(&st, "meta") ? 1 : rules_tok_is(&st, "strings") ? 2 : 3;
    if (which <= stage)
      return rules_syntax_error(P, "section '%.*s' repeated or out of order", (int)st.n, st.p);
    stage = which;
    rules_advance(P);
    if ((rc = expect(P, TK_COLON, "':' after section name"))) return rc;
    if (which == 1) rc = parse_meta(P, r, meta);
    else if (which == 2) rc = parse_strings(P);
    else {
      P->n_declared = P->strings.len;
      P->L.cond_mode = 1; /* '#name' counts from here on */
      rc = rules_cond_parse(P, &r->cond);
    }
    if (rc) return rc;
  }
  if (stage < 3) {
    if (rules_peek(P)->kind != TK_RBRACE)
      return rules_syntax_error(P, "expected 'meta:', 'strings:' or 'condition:'");
    error_at(P, nt, "missing condition in rule '%.*s'", (int)nt->n, nt->p);
  }
  if (rules_peek(P)->kind != TK_RBRACE) return rules_syntax_error(P, "expected '}'");
  rules_advance(P);
  P->L.cond_mode = 0; /* before the next token is lexed */
  return NP_OK;
}

/* Moves the parsed parts into r and r into the set. */
static int commit(rules_parser *P, rules_rule *r, util_vec *tags, util_vec *meta) {
  r->tags = tags->data;
  r->n_tags = tags->len;
  r->meta = meta->data;
  r->n_meta = meta->len;
  r->strings = P->strings.data;
  r->n_strings = P->strings.len;
  util_vec_init(tags, P->a, sizeof(char *));
  util_vec_init(meta, P->a, sizeof(rules_meta));
  util_vec_init(&P->strings, P->a, sizeof(rules_string));
  if (util_vec_push(&P->set->rules, r) < 0) return NP_ENOMEM;
  P->set->n_strings += (uint32_t)r->n_strings;
  memset(r, 0, sizeof *r);
  return NP_OK;
}

static void free_parts(rules_parser *P, util_vec *tags, util_vec *meta) {
  for (size_t i = 0; i < tags->len; i++) util_free(P->a, UTIL_VEC_AT(tags, char *, i));
  util_vec_free(tags);
  for (size_t i = 0; i < meta->len; i++) {
    util_free(P->a, UTIL_VEC_AT(meta, rules_meta, i).key);
    util_free(P->a, UTIL_VEC_AT(meta, rules_meta, i).value);
  }
  util_vec_free(meta);
  for (size_t i = 0; i < P->strings.len; i++) {
    util_free(P->a, UTIL_VEC_AT(&P->strings, rules_string, i).name);
    util_free(P->a, UTIL_VEC_AT(&P->strings, rules_string, i).value);
  }
  P->strings.len = 0;
}

static int parse_rule(rules_parser *P) {
  int errors_before = P->L.errors, rc;
  rules_rule r;
  memset(&r, 0, sizeof r);
  r.severity = NP_SEVERITY_MEDIUM;
  r.action = NP_ACTION_REVIEW;
  util_vec tags, meta;
  util_vec_init(&tags, P->a, sizeof(char *));
  util_vec_init(&meta, P->a, sizeof(rules_meta));
  P->base = P->set->n_strings;
  P->uses_near = 0;
  rules_advance(P); /* 'rule' */
  rules_tok nt = *rules_peek(P);
  if (nt.kind != TK_IDENT || rules_is_keyword(nt.p, nt.n) || memchr(nt.p, '.', nt.n)) {
    rc = rules_syntax_error(P, "expected a rule name");
    goto done;
  }
  rules_advance(P);
  if ((rc = name_add(P->set, nt.p, nt.n)) < 0) goto done;
  if (rc == 1) error_at(P, &nt, "duplicate rule '%.*s'", (int)nt.n, nt.p);
  r.line = nt.line;
  if (!(r.name = util_strndup(P->a, nt.p, nt.n)) || !(r.file = util_strdup(P->a, P->file))) {
    rc = NP_ENOMEM;
    goto done;
  }
  if (rules_peek(P)->kind == TK_COLON && (rc = parse_tags(P, &tags))) goto done;
  if ((rc = expect(P, TK_LBRACE, "'{'"))) goto done;
  if ((rc = parse_body(P, &r, &meta, &nt))) goto done;
  if (!r.category) error_at(P, &nt, "missing category in rule '%.*s'", (int)nt.n, nt.p);
  r.uses_near = (unsigned)P->uses_near;
  if (P->L.errors == errors_before && !P->L.oom) {
    rc = commit(P, &r, &tags, &meta);
    goto done;
  }
  rc = NP_OK; /* reported; the rule is dropped and parsing goes on */
done:
  free_parts(P, &tags, &meta);
  rule_free(P->a, &r);
  return rc;
}

static void recover(rules_parser *P) {
  P->L.cond_mode = 0;
  P->L.regex_ok = 0;
  while (rules_peek(P)->kind != TK_EOF && !rules_tok_is(rules_peek(P), "rule")) rules_advance(P);
}

/* Line and column (in code points) of byte offset off. */
static void locate(const char *src, size_t off, int *line, int *col) {
  *line = *col = 1;
  for (size_t i = 0; i < off;) {
    if (src[i] == '\n') { (*line)++; *col = 1; i++; continue; }
    (void)util_utf8_next(src, off, &i);
    (*col)++;
  }
}

int rules_parse(rules_set *set, const char *file, const char *src, size_t len,
                rules_value_resolver resolve, void *resolve_ctx, rules_diags *diags) {
  size_t bad = 0;
  if (!util_utf8_valid(src, len, &bad)) {
    int line, col;
    locate(src, bad, &line, &col);
    int rc = rules_diag_add(diags, file, src, len, line, col, "invalid UTF-8 or NUL byte");
    return rc < 0 ? rc : NP_ERULE;
  }
  rules_parser P;
  memset(&P, 0, sizeof P);
  P.set = set;
  P.a = set->alloc;
  P.file = file;
  P.diags = diags;
  P.resolve = resolve;
  P.resolve_ctx = resolve_ctx;
  util_vec_init(&P.strings, P.a, sizeof(rules_string));
  util_vec_init(&P.used, P.a, 1);
  util_vec_init(&P.nodes, P.a, sizeof(rules_node));
  util_vec_init(&P.idx, P.a, sizeof(uint32_t));
  util_vec_init(&P.stack, P.a, sizeof(uint32_t));
  util_vec_init(&P.mark, P.a, 1);
  int rc = rules_lex_init(&P.L, P.a, file, src, len, diags);
  while (rc == NP_OK && !P.L.oom && rules_peek(&P)->kind != TK_EOF) {
    if (rules_tok_is(rules_peek(&P), "rule")) rc = parse_rule(&P);
    else rc = rules_syntax_error(&P, "expected 'rule'");
    if (rc == RULES_PERR) {
      recover(&P);
      rc = NP_OK;
    }
  }
  util_vec_free(&P.strings);
  util_vec_free(&P.used);
  util_vec_free(&P.nodes);
  util_vec_free(&P.idx);
  util_vec_free(&P.stack);
  util_vec_free(&P.mark);
  int errors = P.L.errors;
  if (P.L.oom) rc = NP_ENOMEM;
  rules_lex_free(&P.L, P.a);
  if (rc < 0) return rc;
  return errors ? NP_ERULE : NP_OK;
}
