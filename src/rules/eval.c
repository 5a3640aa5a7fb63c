/* eval.c — evaluates a compiled condition over the facts of one post.  No
 * allocation and no state: the recursion depth is bounded by the nesting
 * limit of the parser, chains are iterated.  near() works on match positions
 * sorted by start, with a binary search per match. */
#include "rules/rules_int.h"

/* First index in p[0..n) whose start >= s. */
static uint32_t lower_bound(const rules_pos *p, uint32_t n, uint32_t s) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (p[mid].start < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* 1 if some match x of pa has a match y of pb (y != x when same) starting at
 * or after x.start with y.start - x.end <= dist.  The first such y (smallest
 * start) has the smallest gap, so one look per x suffices. */
static int near_after(const rules_pos *pa, uint32_t na, const rules_pos *pb, uint32_t nb,
                      int same, double dist) {
  for (uint32_t i = 0; i < na; i++) {
    uint32_t k = lower_bound(pb, nb, pa[i].start);
    if (same && k == i) k++;
    if (k >= nb) continue;
    double gap = pb[k].start > pa[i].end ? (double)pb[k].start - pa[i].end : 0;
    if (gap <= dist) return 1;
  }
  return 0;
}

static int near_pair(const rules_facts *f, uint32_t sa, uint32_t sb, double dist) {
  const rules_pos *pa = f->pos[sa], *pb = f->pos[sb];
  uint32_t na = f->n_pos[sa], nb = f->n_pos[sb];
  if (!pa || !pb || !na || !nb) return 0;
  /* gap is symmetric: whichever of the pair starts later */
  return near_after(pa, na, pb, nb, sa == sb, dist) || near_after(pb, nb, pa, na, sa == sb, dist);
}

static double ev(const struct rules_expr *x, uint32_t i, const rules_facts *f) {
  const rules_node *n = &x->nodes[i];
  const uint32_t *k = x->idx + n->a;
  double v;
  switch (n->op) {
    case OP_NUM: return n->num;
    case OP_STR: return f->count[n->a] > 0;
    case OP_COUNT: return f->count[n->a];
    case OP_VALUE:
      if (f->lazy && f->lazy[n->a]) f->need(f->need_ctx, n->a);
      return f->values ? f->values[n->a] : 0;
    case OP_NEG: return -ev(x, n->a, f);
    case OP_NOT: return ev(x, n->a, f) == 0;
    case OP_AND:
      for (uint32_t j = 0; j < n->b; j++)
        if (ev(x, k[j], f) == 0) return 0;
      return 1;
    case OP_OR:
      for (uint32_t j = 0; j < n->b; j++)
        if (ev(x, k[j], f) != 0) return 1;
      return 0;
    case OP_SUM:
      v = ev(x, k[0], f);
      for (uint32_t j = 1; j < n->b; j++) {
        double w = ev(x, k[j] & ~OP_INV, f);
        v = (k[j] & OP_INV) ? v - w : v + w;
      }
      return v;
    case OP_PROD:
      v = ev(x, k[0], f);
      for (uint32_t j = 1; j < n->b; j++) {
        double w = ev(x, k[j] & ~OP_INV, f);
        v = (k[j] & OP_INV) ? (w == 0 ? 0 : v / w) : v * w; /* x/0 = 0, never inf/NaN */
      }
      return v;
    case OP_CMP: {
      double a = ev(x, n->a, f), b = ev(x, n->b, f);
      switch (n->c) {
        case TK_EQ: return a == b;
        case TK_NE: return a != b;
        case TK_LT: return a < b;
        case TK_LE: return a <= b;
        case TK_GT: return a > b;
        default: return a >= b;
      }
    }
    case OP_OF: {
      uint32_t hit = 0;
      for (uint32_t j = 0; j < n->b; j++) hit += f->count[k[j]] > 0;
      if (n->c == OF_ALL) return n->b > 0 && hit == n->b;
      if (n->c == OF_NONE) return hit == 0;
      return hit >= n->num;
    }
    case OP_NEAR: {
      if (!f->pos || !f->n_pos) return 0;
      const uint32_t *kb = x->idx + n->c;
      for (uint32_t p = 0; p < n->b; p++)
        for (uint32_t q = 0; q < n->d; q++)
          if (near_pair(f, k[p], kb[q], n->num)) return 1;
      return 0;
    }
  }
  return 0;
}

int rules_eval(const rules_rule *r, const rules_facts *f) {
  if (!r || !r->cond || !f || !f->count) return 0;
  return ev(r->cond, r->cond->root, f) != 0;
}
