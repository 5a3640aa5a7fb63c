/* analyze.c — static facts about a compiled condition that let the engine do
 * less per post: whether it can only hold when one of the rule's strings
 * matched, and an operand order that reads costly named values last (so they
 * are computed only for posts that get that far). */
#include "rules/rules_int.h"

/* 1 if node i is false (zero) whenever every string count is zero.  Conservative:
 * 0 means "might hold without strings". */
static int needs_strings(const struct rules_expr *x, uint32_t i) {
  const rules_node *n = &x->nodes[i];
  const uint32_t *k = x->idx + n->a;
  switch (n->op) {
    case OP_STR:
    case OP_NEAR: return 1;
    case OP_OF: return n->c == OF_ALL ? n->b > 0 : n->c == OF_ATLEAST && n->num >= 1;
    case OP_AND:
      for (uint32_t j = 0; j < n->b; j++)
        if (needs_strings(x, k[j])) return 1;
      return 0;
    case OP_OR:
      for (uint32_t j = 0; j < n->b; j++)
        if (!needs_strings(x, k[j])) return 0;
      return n->b > 0;
    case OP_CMP: {
      /* #x > N / #x >= N with N making zero false: only counts on the left */
      const rules_node *l = &x->nodes[n->a], *r = &x->nodes[n->b];
      if (l->op != OP_COUNT || r->op != OP_NUM) return 0;
      if (n->c == TK_GT) return r->num >= 0;
      if (n->c == TK_GE) return r->num > 0;
      if (n->c == TK_EQ) return r->num != 0;
      return 0;
    }
    default: return 0;
  }
}

int rules_needs_strings(const rules_rule *r) {
  return r && r->cond && r->n_strings > 0 && needs_strings(r->cond, r->cond->root);
}


/* 1 if the subtree at i reads a costly named value. */
static int reads_value(const struct rules_expr *x, uint32_t i, const uint8_t *costly) {
  const rules_node *n = &x->nodes[i];
  const uint32_t *k = x->idx + n->a;
  switch (n->op) {
    case OP_VALUE: return costly[n->a] != 0;
    case OP_NEG:
    case OP_NOT: return reads_value(x, n->a, costly);
    case OP_CMP: return reads_value(x, n->a, costly) || reads_value(x, n->b, costly);
    case OP_AND:
    case OP_OR:
    case OP_SUM:
    case OP_PROD:
      for (uint32_t j = 0; j < n->b; j++)
        if (reads_value(x, k[j] & ~OP_INV, costly)) return 1;
      return 0;
    default: return 0;
  }
}

void rules_cheap_first(rules_rule *r, const uint8_t *costly) {
  if (!r || !r->cond || !costly) return;
  struct rules_expr *x = r->cond;
  for (uint32_t i = 0; i < x->n_nodes; i++) {
    rules_node *n = &x->nodes[i];
    if (n->op != OP_AND && n->op != OP_OR) continue;
    uint32_t *k = x->idx + n->a;
    /* stable: insertion of each value-free operand after the previous ones */
    uint32_t put = 0;
    for (uint32_t j = 0; j < n->b; j++) {
      if (reads_value(x, k[j], costly)) continue;
      uint32_t v = k[j];
      for (uint32_t m = j; m > put; m--) k[m] = k[m - 1];
      k[put++] = v;
    }
  }
}
