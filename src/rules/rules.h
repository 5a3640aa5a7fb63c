/* rules — the rule language: lexer, parser (AST with source positions),
 * lexicon files, condition compilation and evaluation over an abstract view of
 * the facts (string hits, counts, named values).  Knows nothing of Vectorscan
 * or detectors: the engine passes in the value-name resolver and the facts.
 * Depends on util and text (pinyin readings for lexicon expansion).
 * The language is documented in docs/rule-language.md. */
#ifndef NP_RULES_H
#define NP_RULES_H
#include <stddef.h>
#include <stdint.h>
#include "netpatrol.h"
#include "util/util.h"

/* ---- diagnostics ------------------------------------------------------ */

/* Every error of every file is collected, each rendered as
 * "file:line:col: message\n<source line>\n<spaces>^\n". */
typedef struct rules_diags {
  util_vec items; /* char * (owned) */
  const np_allocator *alloc;
} rules_diags;
void rules_diags_init(rules_diags *d, const np_allocator *a);
void rules_diags_free(rules_diags *d);
/* Adds one diagnostic; src/len is the whole file (for the caret line). */
int rules_diag_add(rules_diags *d, const char *file, const char *src, size_t len, int line,
                   int col, const char *fmt, ...) UTIL_PRINTF(7, 8);

/* ---- lexicons (rules/lexicons/<name>.txt) ------------------------------ */

/* One term and the variants the pack declares for it:
 *     微信 = 薇信 | 威信 | weixin | wx | vx
 *     收卡 ! 签收卡 | 收卡片          # exclusion contexts: a hit inside one is dropped
 * Lines starting with '%' set options for the following terms:
 *     %pinyin on|off     each Han char may also be written as its full pinyin
 * Variants and exclusions are literal text (normalized by the engine). */
typedef struct rules_term {
  char *term;          /* canonical form, as written */
  char **variants;     /* declared variants (owned) */
  size_t n_variants;
  char **exclusions;   /* exclusion contexts (owned) */
  size_t n_exclusions;
  int pinyin;          /* auto pinyin variants enabled */
  int line;
} rules_term;

typedef struct rules_lexicon {
  char *name;          /* "loan_slang" for rules/lexicons/loan_slang.txt */
  char *file;
  rules_term *terms;
  size_t n_terms;
} rules_lexicon;

/* Parses a lexicon file; errors go to diags and make it return NP_ERULE. */
int rules_lexicon_parse(const np_allocator *a, const char *name, const char *file,
                        const char *src, size_t len, rules_lexicon **out, rules_diags *diags);
void rules_lexicon_free(const np_allocator *a, rules_lexicon *lx);

/* Expands a term into every surface form the matcher should look for: the
 * term itself, its declared variants and, when term->pinyin is set, each
 * combination of Han characters and their full toneless pinyin (capped at
 * max_forms).  Calls emit(form, len, ctx) for each (form[len] is NUL);
 * stops on a nonzero return and returns that value, else 0.
 * Order: term, variants (duplicates skipped), then pinyin mixes with the
 * last character varying fastest.  Terms over 32 characters get no pinyin
 * forms.  Allocates nothing. */
int rules_term_expand(const rules_term *t, size_t max_forms,
                      int (*emit)(const char *form, size_t len, void *ctx), void *ctx);

/* ---- rules ------------------------------------------------------------ */

enum { RULES_STR_LITERAL = 0, RULES_STR_REGEX = 1, RULES_STR_LEXICON = 2 };
enum {
  RULES_MOD_FULLWORD = 1, /* ASCII word boundaries at both ends */
  RULES_MOD_NOCASE = 2,   /* regex flag i */
  RULES_MOD_DOTALL = 4,   /* regex flag s */
};

typedef struct rules_string {
  char *name;        /* "$fee"; anonymous strings (lexicon("x") in a condition) get "$lexicon:x" */
  int kind;          /* RULES_STR_* */
  char *value;       /* literal text, regex source, or lexicon name */
  size_t value_len;
  unsigned mods;     /* RULES_MOD_* */
  int line, col;
  uint32_t index;    /* global index across the whole set (facts are indexed by it) */
} rules_string;

typedef struct rules_meta {
  char *key, *value; /* every meta entry as written (strings unquoted) */
  int is_number;
} rules_meta;

struct rules_expr; /* compiled condition (private) */

typedef struct rules_rule {
  char *name;
  char *file;
  int line;
  char **tags;
  size_t n_tags;
  rules_meta *meta;
  size_t n_meta;
  /* well-known meta, validated: */
  char *category;      /* required, dotted, e.g. "fraud.loan" */
  np_severity severity;/* low | medium | high | critical (default medium) */
  np_action action;    /* pass | review | block (default review) */
  char *description;
  rules_string *strings;
  size_t n_strings;
  struct rules_expr *cond;
  /* uses: which facts the condition reads (lets the engine skip work) */
  unsigned uses_near;  /* needs match positions */
} rules_rule;

typedef struct rules_set {
  const np_allocator *alloc;
  util_vec rules;      /* rules_rule */
  uint32_t n_strings;  /* total strings across all rules */
  util_vec values;     /* char * names of the value slots referenced (index = slot;
                          NULL for slots of a resolver that no condition reads) */
  char **names;        /* hash table of every rule name seen, also of rules that
                          failed, so duplicates are caught across files */
  size_t names_cap, n_names;
} rules_set;

/* Resolves a named value ("pii.phone", "clf.offensive", "text.length") to a
 * slot index >= 0, or returns -1 if the name is unknown (an error). */
typedef int (*rules_value_resolver)(const char *name, void *ctx);

void rules_set_init(rules_set *set, const np_allocator *a);
void rules_set_free(rules_set *set);

/* Parses one rules file into set.  Errors (all of them) go to diags; returns
 * NP_ERULE if there were any, and the set then must not be used to scan.
 * Duplicate rule names across files are errors.  String references in
 * conditions are checked; value names are resolved with resolve (which may be
 * NULL to accept any dotted name in a known namespace: pii, indicator, hoax,
 * coord, clf, text — slots are then numbered in order of first use).  Either
 * way set->values[slot] holds each referenced name.  Only error-free rules
 * are added; their strings get consecutive global indices.  Returns 0,
 * NP_ERULE or NP_ENOMEM. */
int rules_parse(rules_set *set, const char *file, const char *src, size_t len,
                rules_value_resolver resolve, void *resolve_ctx, rules_diags *diags);

/* ---- evaluation ------------------------------------------------------- */

/* A match of a string, in canonical CHARACTER positions (for near()). */
typedef struct rules_pos {
  uint32_t start, end;
} rules_pos;

typedef struct rules_facts {
  const uint32_t *count;        /* [set->n_strings] number of accepted matches */
  const rules_pos *const *pos;  /* [set->n_strings] positions (sorted by start), may be NULL */
  const uint32_t *n_pos;        /* [set->n_strings] entries in pos[i] */
  const double *values;         /* [slots] named values; 0 when not produced */
  /* Values computed on first read (classifier scores): when lazy[slot] is set,
   * need(need_ctx, slot) runs before values[slot] is read (it may fill values). */
  const uint8_t *lazy;
  void (*need)(void *ctx, uint32_t slot);
  void *need_ctx;
} rules_facts;

/* 1 if the rule's condition holds, else 0.  Reads count[] of the rule's
 * strings, pos/n_pos only for near() (false when pos is NULL) and values[]
 * (NULL: every value reads 0).  No allocation; thread-safe. */
int rules_eval(const rules_rule *r, const rules_facts *f);

/* 1 if the condition is false whenever none of the rule's strings matched
 * (conservative), so a post where none did need not evaluate it. */
int rules_needs_strings(const rules_rule *r);
/* Reorders the operands of every and/or of the condition so those that read
 * no costly named value (costly[slot] != 0) come first — same result, as
 * evaluation has no side effects — so costly values are computed only when
 * the cheap tests pass. */
void rules_cheap_first(rules_rule *r, const uint8_t *costly);

/* Names of the condition keywords, for `netpatrol rules keywords` and docs. */
extern const char *const rules_keywords[];
#endif
