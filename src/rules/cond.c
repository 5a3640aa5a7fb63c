/* cond.c — parses a rule condition (recursive descent over the grammar in
 * docs/rule-language.md) straight into the compact node array that eval.c
 * walks.  and/or chains and +,-,*,/ chains become n-ary nodes, so evaluation
 * recursion is bounded by the nesting depth (RULES_MAX_DEPTH), not by the
 * length of the condition.  String references are checked here. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "rules/rules_int.h"

static int p_or(rules_parser *P, uint32_t *out);

/* Reports at token t and returns RULES_PERR (a syntax error: skip the rule). */
static int perr_at(rules_parser *P, const rules_tok *t, const char *fmt, ...) UTIL_PRINTF(3, 4);
static int perr_at(rules_parser *P, const rules_tok *t, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rules_lex_error(&P->L, t->line, t->col, "%s", msg);
  return RULES_PERR;
}

static int node(rules_parser *P, const rules_tok *at, int op, uint32_t a, uint32_t b,
                uint32_t *out) {
  rules_node *n = util_vec_grow(&P->nodes, 1);
  if (!n) return NP_ENOMEM;
  memset(n, 0, sizeof *n);
  n->op = (uint8_t)op;
  n->a = a;
  n->b = b;
  n->line = at->line;
  n->col = at->col;
  *out = (uint32_t)(P->nodes.len - 1);
  return NP_OK;
}
#define NODE(i) (UTIL_VEC_AT(&P->nodes, rules_node, (i)))

static int enter(rules_parser *P) {
  if (++P->depth > RULES_MAX_DEPTH)
    return perr_at(P, rules_peek(P), "condition nested too deeply (more than %d levels)",
                   RULES_MAX_DEPTH);
  return NP_OK;
}

/* ---- strings and sets --------------------------------------------------- */

/* Grows the per-string "referenced" flags to cover every string so far. */
static int grow_used(rules_parser *P) {
  while (P->used.len < P->strings.len) {
    uint8_t z = 0;
    if (util_vec_push(&P->used, &z) < 0) return NP_ENOMEM;
  }
  return NP_OK;
}

static int mark_used(rules_parser *P, size_t local) {
  if (grow_used(P) < 0) return NP_ENOMEM;
  UTIL_VEC_AT(&P->used, uint8_t, local) = 1;
  return NP_OK;
}

/* Adds the strings a reference names ($x, $x*, $*) to idx, once each. */
static int add_ref(rules_parser *P, const rules_tok *t) {
  while (P->mark.len < P->strings.len) {
    uint8_t z = 0;
    if (util_vec_push(&P->mark, &z) < 0) return NP_ENOMEM;
  }
  size_t plen = t->wildcard ? t->n - 1 : t->n;
  int found = 0;
  for (size_t i = 0; i < P->n_declared; i++) {
    const char *s = UTIL_VEC_AT(&P->strings, rules_string, i).name;
    size_t sl = strlen(s);
    if (t->wildcard ? (sl < plen || memcmp(s, t->p, plen) != 0)
                    : (sl != plen || memcmp(s, t->p, plen) != 0))
      continue;
    found = 1;
    if (mark_used(P, i) < 0) return NP_ENOMEM;
    if (UTIL_VEC_AT(&P->mark, uint8_t, i)) continue;
    UTIL_VEC_AT(&P->mark, uint8_t, i) = 1;
    uint32_t g = P->base + (uint32_t)i;
    if (util_vec_push(&P->idx, &g) < 0) return NP_ENOMEM;
  }
  if (!found) rules_lex_error(&P->L, t->line, t->col, "undefined string %.*s", (int)t->n, t->p);
  return NP_OK;
}

static void clear_marks(rules_parser *P, size_t off) {
  for (size_t i = off; i < P->idx.len; i++)
    UTIL_VEC_AT(&P->mark, uint8_t, UTIL_VEC_AT(&P->idx, uint32_t, i) - P->base) = 0;
}

/* ref := '$name' | '$prefix*' | '$*'  as a one-reference set. */
static int parse_ref_set(rules_parser *P, uint32_t *off, uint32_t *cnt) {
  const rules_tok *t = rules_peek(P);
  if (t->kind != TK_VAR) return rules_syntax_error(P, "expected a string reference");
  *off = (uint32_t)P->idx.len;
  int rc = add_ref(P, t);
  if (rc) return rc;
  clear_marks(P, *off);
  *cnt = (uint32_t)(P->idx.len - *off);
  rules_advance(P);
  return NP_OK;
}

/* set := 'them' | '(' ref (',' ref)* ')' */
static int parse_set(rules_parser *P, uint32_t *off, uint32_t *cnt) {
  const rules_tok *t = rules_peek(P);
  *off = (uint32_t)P->idx.len;
  int rc = NP_OK;
  if (rules_tok_is(t, "them")) {
    if (P->n_declared == 0) rules_lex_error(&P->L, t->line, t->col, "no strings for 'them'");
    for (size_t i = 0; i < P->n_declared && !rc; i++) {
      uint32_t g = P->base + (uint32_t)i;
      rc = util_vec_push(&P->idx, &g) < 0 ? NP_ENOMEM : mark_used(P, i);
    }
    rules_advance(P);
    *cnt = (uint32_t)(P->idx.len - *off);
    return rc;
  }
  if (t->kind != TK_LPAREN) return rules_syntax_error(P, "expected 'them' or '(' after 'of'");
  rules_advance(P);
  for (;;) {
    t = rules_peek(P);
    if (t->kind != TK_VAR) { rc = rules_syntax_error(P, "expected a string reference"); break; }
    if ((rc = add_ref(P, t))) break;
    rules_advance(P);
    if (rules_peek(P)->kind == TK_COMMA) { rules_advance(P); continue; }
    if (rules_peek(P)->kind != TK_RPAREN) {
      rc = rules_syntax_error(P, "expected ',' or ')' in string set");
      break;
    }
    rules_advance(P);
    break;
  }
  clear_marks(P, *off);
  *cnt = (uint32_t)(P->idx.len - *off);
  return rc;
}

/* ---- atoms ------------------------------------------------------------- */

static int of_expr(rules_parser *P, const rules_tok *at, int mode, double k, uint32_t *out) {
  rules_advance(P); /* 'of' */
  uint32_t off = 0, cnt = 0;
  int rc = parse_set(P, &off, &cnt);
  if (rc) return rc;
  if (mode == OF_ATLEAST && k > cnt && cnt > 0)
    rules_lex_error(&P->L, at->line, at->col, "%.*s of a set of %u string%s", (int)at->n, at->p,
                    cnt, cnt == 1 ? "" : "s");
  if ((rc = node(P, at, OP_OF, off, cnt, out))) return rc;
  NODE(*out).c = (uint32_t)mode;
  NODE(*out).num = k;
  return NP_OK;
}

static int near_expr(rules_parser *P, const rules_tok *at, uint32_t *out) {
  rules_advance(P); /* 'near' */
  uint32_t a, na, b, nb;
  int rc;
  if (rules_peek(P)->kind != TK_LPAREN) return rules_syntax_error(P, "expected '(' after near");
  rules_advance(P);
  if ((rc = parse_ref_set(P, &a, &na))) return rc;
  if (rules_peek(P)->kind != TK_COMMA) return rules_syntax_error(P, "expected ','");
  rules_advance(P);
  if ((rc = parse_ref_set(P, &b, &nb))) return rc;
  if (rules_peek(P)->kind != TK_COMMA) return rules_syntax_error(P, "expected ','");
  rules_advance(P);
  const rules_tok *d = rules_peek(P);
  if (d->kind != TK_NUMBER) return rules_syntax_error(P, "expected a distance in characters");
  double dist = d->num;
  rules_advance(P);
  if (rules_peek(P)->kind != TK_RPAREN) return rules_syntax_error(P, "expected ')' after near");
  rules_advance(P);
  if ((rc = node(P, at, OP_NEAR, a, na, out))) return rc;
  NODE(*out).c = b;
  NODE(*out).d = nb;
  NODE(*out).num = dist;
  P->uses_near = 1;
  return NP_OK;
}

/* lexicon("name") in a condition: an anonymous string "$lexicon:name". */
static int lexicon_atom(rules_parser *P, const rules_tok *at, uint32_t *out) {
  rules_advance(P);
  if (rules_peek(P)->kind != TK_LPAREN) return rules_syntax_error(P, "expected '(' after lexicon");
  rules_advance(P);
  rules_tok lt = *rules_peek(P);
  if (lt.kind != TK_STRING) return rules_syntax_error(P, "expected a lexicon name string");
  rules_advance(P);
  if (rules_peek(P)->kind != TK_RPAREN) return rules_syntax_error(P, "expected ')'");
  rules_advance(P);
  int ok = lt.str_len > 0;
  for (size_t i = 0; i < lt.str_len; i++) {
    char c = lt.str[i];
    ok &= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_' || c == '-';
  }
  if (!ok)
    rules_lex_error(&P->L, lt.line, lt.col, "bad lexicon name '%s' (letters, digits, '_' and '-')",
                    lt.str);
  size_t i = P->n_declared;
  for (; i < P->strings.len; i++) {
    const rules_string *s = &UTIL_VEC_AT(&P->strings, rules_string, i);
    if (s->value_len == lt.str_len && memcmp(s->value, lt.str, lt.str_len) == 0) break;
  }
  if (i == P->strings.len) {
    rules_string s = {0};
    s.kind = RULES_STR_LEXICON;
    s.line = at->line;
    s.col = at->col;
    s.index = P->base + (uint32_t)i;
    s.value = util_strndup(P->a, lt.str, lt.str_len);
    s.value_len = lt.str_len;
    s.name = util_malloc(P->a, lt.str_len + 10);
    if (s.name) memcpy(s.name, "$lexicon:", 9), memcpy(s.name + 9, lt.str, lt.str_len + 1);
    if (!s.name || !s.value || util_vec_push(&P->strings, &s) < 0) {
      util_free(P->a, s.name);
      util_free(P->a, s.value);
      return NP_ENOMEM;
    }
  }
  if (mark_used(P, i) < 0) return NP_ENOMEM;
  return node(P, at, OP_STR, P->base + (uint32_t)i, 0, out);
}

static int known_namespace(const char *name, size_t n) {
  static const char *const ns[] = {"pii.", "indicator.", "hoax.", "coord.", "clf.", "text.", NULL};
  for (int i = 0; ns[i]; i++) {
    size_t l = strlen(ns[i]);
    if (n > l && memcmp(name, ns[i], l) == 0) return 1;
  }
  return 0;
}

/* value.name: resolved to a slot, recorded in set->values. */
static int value_atom(rules_parser *P, const rules_tok *at, uint32_t *out) {
  rules_advance(P);
  util_vec *v = &P->set->values;
  char *name = util_strndup(P->a, at->p, at->n);
  if (!name) return NP_ENOMEM;
  long slot = -1;
  if (P->resolve && memchr(at->p, '.', at->n)) {
    slot = P->resolve(name, P->resolve_ctx);
    while (slot >= 0 && v->len <= (size_t)slot) {
      char *z = NULL;
      if (util_vec_push(v, &z) < 0) { util_free(P->a, name); return NP_ENOMEM; }
    }
  } else if (!P->resolve && known_namespace(at->p, at->n)) {
    for (size_t i = 0; i < v->len && slot < 0; i++) {
      const char *s = UTIL_VEC_AT(v, char *, i);
      if (s && strcmp(s, name) == 0) slot = (long)i;
    }
    if (slot < 0) {
      char *z = NULL;
      if (util_vec_push(v, &z) < 0) { util_free(P->a, name); return NP_ENOMEM; }
      slot = (long)v->len - 1;
    }
  }
  if (slot < 0) {
    rules_lex_error(&P->L, at->line, at->col, "unknown value '%s'", name);
    util_free(P->a, name);
    return node(P, at, OP_NUM, 0, 0, out);
  }
  if (!UTIL_VEC_AT(v, char *, slot)) UTIL_VEC_AT(v, char *, slot) = name;
  else util_free(P->a, name);
  return node(P, at, OP_VALUE, (uint32_t)slot, 0, out);
}

static int string_atom(rules_parser *P, const rules_tok *at, uint32_t *out) {
  rules_advance(P);
  if (at->wildcard)
    return perr_at(P, at, "%.*s names a set: use it in 'of' or near()", (int)at->n, at->p);
  /* #x is written with '#': compare against "$x" */
  long i = -1;
  for (size_t k = 0; k < P->n_declared && i < 0; k++) {
    const char *s = UTIL_VEC_AT(&P->strings, rules_string, k).name;
    if (strlen(s) == at->n && memcmp(s + 1, at->p + 1, at->n - 1) == 0) i = (long)k;
  }
  if (i < 0) {
    rules_lex_error(&P->L, at->line, at->col, "undefined string $%.*s", (int)at->n - 1, at->p + 1);
    return node(P, at, OP_NUM, 0, 0, out);
  }
  if (mark_used(P, (size_t)i) < 0) return NP_ENOMEM;
  return node(P, at, at->kind == TK_VAR ? OP_STR : OP_COUNT, P->base + (uint32_t)i, 0, out);
}

static int p_atom(rules_parser *P, uint32_t *out) {
  rules_tok t = *rules_peek(P);
  int rc;
  switch (t.kind) {
    case TK_NUMBER:
      rules_advance(P);
      if (rules_tok_is(rules_peek(P), "of")) {
        if (t.num != floor(t.num))
          rules_lex_error(&P->L, t.line, t.col, "bad count '%.*s' before 'of' (expected an integer)",
                          (int)t.n, t.p);
        return of_expr(P, &t, OF_ATLEAST, t.num, out);
      }
      if ((rc = node(P, &t, OP_NUM, 0, 0, out))) return rc;
      NODE(*out).num = t.num;
      return NP_OK;
    case TK_VAR:
    case TK_COUNT:
      return string_atom(P, &t, out);
    case TK_LPAREN: {
      if ((rc = enter(P))) return rc;
      rules_advance(P);
      if ((rc = p_or(P, out))) return rc;
      const rules_tok *c = rules_peek(P);
      if (c->kind == TK_RBRACE || c->kind == TK_EOF)
        return perr_at(P, &t, "unbalanced parentheses: '(' is never closed");
      if (c->kind != TK_RPAREN) return rules_syntax_error(P, "expected ')'");
      rules_advance(P);
      P->depth--;
      return NP_OK;
    }
    case TK_IDENT:
      if (rules_tok_is(&t, "true") || rules_tok_is(&t, "false")) {
        rules_advance(P);
        if ((rc = node(P, &t, OP_NUM, 0, 0, out))) return rc;
        NODE(*out).num = rules_tok_is(&t, "true");
        return NP_OK;
      }
      if (rules_tok_is(&t, "any") || rules_tok_is(&t, "all") || rules_tok_is(&t, "none")) {
        rules_advance(P);
        if (!rules_tok_is(rules_peek(P), "of"))
          return rules_syntax_error(P, "expected 'of' after '%.*s'", (int)t.n, t.p);
        return of_expr(P, &t, rules_tok_is(&t, "any") ? OF_ATLEAST
                              : rules_tok_is(&t, "all") ? OF_ALL : OF_NONE, 1, out);
      }
      if (rules_tok_is(&t, "near")) return near_expr(P, &t, out);
      if (rules_tok_is(&t, "lexicon")) return lexicon_atom(P, &t, out);
      if (!rules_is_keyword(t.p, t.n)) return value_atom(P, &t, out);
      break;
    case TK_RBRACE:
    case TK_EOF:
      return rules_syntax_error(P, "expected an expression");
    case TK_RPAREN:
      return perr_at(P, &t, "unbalanced parentheses: unexpected ')'");
    default:
      break;
  }
  char found[64];
  rules_tok_describe(&t, found, sizeof found);
  return perr_at(P, &t, "unexpected %s in condition", found);
}

/* ---- operators --------------------------------------------------------- */

static int p_unary(rules_parser *P, uint32_t *out) {
  if (rules_peek(P)->kind != TK_MINUS) return p_atom(P, out);
  rules_tok t = *rules_peek(P);
  int rc;
  if ((rc = enter(P))) return rc;
  rules_advance(P);
  uint32_t a;
  if ((rc = p_unary(P, &a))) return rc;
  P->depth--;
  return node(P, &t, OP_NEG, a, 0, out);
}

/* Moves the operands collected on the stack since mark into one n-ary node. */
static int finish_chain(rules_parser *P, const rules_tok *at, int op, size_t mark, uint32_t *out) {
  uint32_t off = (uint32_t)P->idx.len, n = (uint32_t)(P->stack.len - mark);
  uint32_t *dst = util_vec_grow(&P->idx, n);
  if (!dst) return NP_ENOMEM;
  memcpy(dst, (uint32_t *)P->stack.data + mark, n * sizeof(uint32_t));
  P->stack.len = mark;
  return node(P, at, op, off, n, out);
}

typedef int (*sub_fn)(rules_parser *, uint32_t *);

/* operand (op operand)*: the operator tokens are kinds a/b, or words wa/wb. */
static int chain(rules_parser *P, int op, sub_fn sub, int ka, int kb, const char *word,
                 uint32_t *out) {
  rules_tok first = *rules_peek(P);
  size_t mark = P->stack.len;
  uint32_t k;
  int rc = sub(P, &k);
  if (rc) return rc;
  int first_op = 1;
  for (;;) {
    const rules_tok *t = rules_peek(P);
    int is_a = word ? rules_tok_is(t, word) : t->kind == ka;
    int is_b = !word && t->kind == kb;
    if (!is_a && !is_b) break;
    if (first_op && util_vec_push(&P->stack, &k) < 0) return NP_ENOMEM;
    first_op = 0;
    rules_advance(P);
    if ((rc = sub(P, &k))) return rc;
    uint32_t e = k | (is_b ? OP_INV : 0);
    if (util_vec_push(&P->stack, &e) < 0) return NP_ENOMEM;
  }
  if (first_op) { *out = k; return NP_OK; }
  return finish_chain(P, &first, op, mark, out);
}

static int p_prod(rules_parser *P, uint32_t *out) {
  return chain(P, OP_PROD, p_unary, TK_STAR, TK_SLASH, NULL, out);
}
static int p_sum(rules_parser *P, uint32_t *out) {
  return chain(P, OP_SUM, p_prod, TK_PLUS, TK_MINUS, NULL, out);
}

static int p_cmp(rules_parser *P, uint32_t *out) {
  uint32_t a, b;
  int rc = p_sum(P, &a);
  if (rc) return rc;
  rules_tok t = *rules_peek(P);
  if (t.kind < TK_EQ || t.kind > TK_GE) { *out = a; return NP_OK; }
  rules_advance(P);
  if ((rc = p_sum(P, &b))) return rc;
  if ((rc = node(P, &t, OP_CMP, a, b, out))) return rc;
  NODE(*out).c = (uint32_t)t.kind;
  return NP_OK;
}

static int p_not(rules_parser *P, uint32_t *out) {
  if (!rules_tok_is(rules_peek(P), "not")) return p_cmp(P, out);
  rules_tok t = *rules_peek(P);
  int rc;
  if ((rc = enter(P))) return rc;
  rules_advance(P);
  uint32_t a;
  if ((rc = p_not(P, &a))) return rc;
  P->depth--;
  return node(P, &t, OP_NOT, a, 0, out);
}

static int p_and(rules_parser *P, uint32_t *out) {
  return chain(P, OP_AND, p_not, 0, 0, "and", out);
}
static int p_or(rules_parser *P, uint32_t *out) {
  return chain(P, OP_OR, p_and, 0, 0, "or", out);
}

/* ---- entry ------------------------------------------------------------- */

static int compile(rules_parser *P, uint32_t root, struct rules_expr **out) {
  size_t nb = P->nodes.len * sizeof(rules_node), ib = P->idx.len * sizeof(uint32_t);
  struct rules_expr *x = util_malloc(P->a, sizeof *x + nb + ib);
  if (!x) return NP_ENOMEM;
  x->nodes = (rules_node *)(x + 1);
  x->n_nodes = (uint32_t)P->nodes.len;
  x->root = root;
  x->idx = (uint32_t *)((char *)x->nodes + nb);
  x->n_idx = (uint32_t)P->idx.len;
  if (nb) memcpy(x->nodes, P->nodes.data, nb);
  if (ib) memcpy(x->idx, P->idx.data, ib);
  *out = x;
  return NP_OK;
}

int rules_cond_parse(rules_parser *P, struct rules_expr **out) {
  P->nodes.len = P->idx.len = P->stack.len = P->used.len = P->mark.len = 0;
  P->depth = 0;
  const rules_tok *t = rules_peek(P);
  if (t->kind == TK_RBRACE || t->kind == TK_EOF) {
    rules_lex_error(&P->L, t->line, t->col, "empty condition");
    return NP_OK;
  }
  uint32_t root;
  int rc = p_or(P, &root);
  if (rc) return rc;
  t = rules_peek(P);
  if (t->kind == TK_RPAREN) return perr_at(P, t, "unbalanced parentheses: unexpected ')'");
  if (t->kind == TK_EOF) return rules_syntax_error(P, "expected '}'");
  if (t->kind != TK_RBRACE) {
    char found[64];
    rules_tok_describe(t, found, sizeof found);
    return perr_at(P, t, "trailing garbage after condition: %s", found);
  }
  if ((rc = grow_used(P)) < 0) return rc;
  for (size_t i = 0; i < P->n_declared; i++) {
    if (UTIL_VEC_AT(&P->used, uint8_t, i)) continue;
    const rules_string *s = &UTIL_VEC_AT(&P->strings, rules_string, i);
    size_t j = 0; /* a duplicate was reported already */
    while (j < i && strcmp(UTIL_VEC_AT(&P->strings, rules_string, j).name, s->name) != 0) j++;
    if (j < i) continue;
    rules_lex_error(&P->L, s->line, s->col, "unreferenced string %s", s->name);
  }
  return compile(P, root, out);
}

void rules_expr_free(const np_allocator *a, struct rules_expr *x) { util_free(a, x); }
