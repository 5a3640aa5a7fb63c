/* test_rules.c — the rule language: lexer, parser, every operator and
 * keyword, every diagnostic with its exact position, lexicon files and term
 * expansion, evaluation over hand-built facts, huge inputs and allocation
 * failure.  Helpers follow YARA's tests/util.h: parse a source string, build
 * the facts by hand, assert match / no match / exact error text. */
#include <math.h>
#include <stdarg.h>
#include "../harness.h"
#include "rules/rules.h"
#include "text/text.h"

/* ---- helpers ----------------------------------------------------------- */

#define MAX_STR 64
#define MAX_POS 16
#define MAX_VAL 16

typedef struct facts {
  uint32_t count[MAX_STR];
  rules_pos pos_store[MAX_STR][MAX_POS];
  const rules_pos *pos[MAX_STR];
  uint32_t n_pos[MAX_STR];
  double values[MAX_VAL];
  rules_facts f;
} facts;

static int parse(rules_set *set, rules_diags *d, const char *src) {
  return rules_parse(set, "t.rules", src, strlen(src), NULL, NULL, d);
}

static const rules_rule *rule_at(const rules_set *set, size_t i) {
  return &UTIL_VEC_AT(&set->rules, rules_rule, i);
}

static const rules_string *find_str(const rules_set *set, const char *name) {
  for (size_t r = 0; r < set->rules.len; r++)
    for (size_t i = 0; i < rule_at(set, r)->n_strings; i++)
      if (strcmp(rule_at(set, r)->strings[i].name, name) == 0) return &rule_at(set, r)->strings[i];
  return NULL;
}

/* Builds facts from a spec of space-separated items, for the LAST rule:
 *   $a          one match (position 0-1 + k, so repeats differ)
 *   $a@3-5      a match at characters [3, 5)
 *   #a=4        count 4 (no positions)
 *   pii.phone=2 a named value  */
static int build_facts(const rules_set *set, facts *F, const char *spec) {
  memset(F, 0, sizeof *F);
  for (int i = 0; i < MAX_STR; i++) F->pos[i] = F->pos_store[i];
  char buf[512];
  snprintf(buf, sizeof buf, "%s", spec ? spec : "");
  for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
    char name[64];
    if (tok[0] == '$' || tok[0] == '#') {
      size_t n = strcspn(tok, "@=");
      snprintf(name, sizeof name, "$%.*s", (int)n - 1, tok + 1);
      const rules_string *s = find_str(set, name);
      if (!s || s->index >= MAX_STR) return -1;
      uint32_t i = s->index;
      if (tok[0] == '#') { F->count[i] = (uint32_t)atoi(tok + n + 1); continue; }
      uint32_t st = F->n_pos[i], en = st + 1;
      if (tok[n] == '@') sscanf(tok + n + 1, "%u-%u", &st, &en);
      F->pos_store[i][F->n_pos[i]++] = (rules_pos){st, en};
      F->count[i]++;
    } else {
      size_t n = strcspn(tok, "=");
      snprintf(name, sizeof name, "%.*s", (int)n, tok);
      size_t slot = 0;
      while (slot < set->values.len &&
             (!UTIL_VEC_AT(&set->values, char *, slot) ||
              strcmp(UTIL_VEC_AT(&set->values, char *, slot), name) != 0))
        slot++;
      if (slot >= MAX_VAL || slot >= set->values.len) return -1;
      F->values[slot] = atof(tok + n + 1);
    }
  }
  F->f.count = F->count;
  F->f.pos = F->pos;
  F->f.n_pos = F->n_pos;
  F->f.values = F->values;
  return 0;
}

static void dump_diags(const rules_diags *d) {
  for (size_t i = 0; i < d->items.len; i++)
    fprintf(stderr, "    %s", UTIL_VEC_AT(&d->items, char *, i));
}

/* 1 match, 0 no match, -1 parse error, -2 bad spec. */
static int eval_src(const char *src, const char *spec) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  int res = -1;
  if (parse(&set, &d, src) == NP_OK && set.rules.len) {
    facts F;
    res = build_facts(&set, &F, spec) ? -2 : rules_eval(rule_at(&set, set.rules.len - 1), &F.f);
  } else {
    dump_diags(&d);
  }
  rules_diags_free(&d);
  rules_set_free(&set);
  return res;
}

/* 1 if some diagnostic's first line is exactly "t.rules:" + expect. */
static int has_error(const char *src, const char *expect) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  int rc = parse(&set, &d, src), found = 0;
  char want[600];
  snprintf(want, sizeof want, "t.rules:%s\n", expect);
  for (size_t i = 0; i < d.items.len; i++)
    if (strncmp(UTIL_VEC_AT(&d.items, char *, i), want, strlen(want)) == 0) found = 1;
  if (!found || rc != NP_ERULE) {
    fprintf(stderr, "  rc=%d, wanted \"%s\", got:\n", rc, expect);
    dump_diags(&d);
  }
  rules_diags_free(&d);
  rules_set_free(&set);
  return found && rc == NP_ERULE;
}

static size_t count_errors(const char *src) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  parse(&set, &d, src);
  size_t n = d.items.len;
  rules_diags_free(&d);
  rules_set_free(&set);
  return n;
}

/* A rule whose condition is COND over strings $a $b $c (all referenced by
 * the trailing "or" so none is unreferenced unless the test wants it). */
#define R(strings, cond) \
  "rule t { meta: category = \"test.t\" strings: " strings " condition: " cond " }"
#define ABC "$a = \"aa\" $b = \"bb\" $c = \"cc\""
/* R() for strings known at run time (one buffer: use the result at once) */
static char r_dyn_buf[1024];
#define R_DYN(strings, cond)                                                    \
  (snprintf(r_dyn_buf, sizeof r_dyn_buf,                                        \
            "rule t { meta: category = \"test.t\" strings: %s condition: %s }", \
            (strings), (cond)),                                                 \
   r_dyn_buf)

#define ASSERT_RULE_MATCH(src, spec) ASSERT_EQ_INT(eval_src((src), (spec)), 1)
#define ASSERT_RULE_NO_MATCH(src, spec) ASSERT_EQ_INT(eval_src((src), (spec)), 0)
/* keeps going after a failure so one run shows every wrong diagnostic */
#define ASSERT_RULE_ERROR(src, msg)                                             \
  do {                                                                          \
    if (!has_error((src), (msg))) {                                             \
      fprintf(stderr, "  %s:%d: ASSERT_RULE_ERROR failed\n", __FILE__, __LINE__); \
      *harness_failed = 1;                                                      \
    }                                                                           \
  } while (0)

/* ---- parsing: the example of the issue --------------------------------- */

static const char *EXAMPLE =
    "// comments: # to end of line, // to end of line, /* ... */\n"
    "rule fraud_loan_upfront_fee : fraud loan        # name [: tags]\n"
    "{\n"
    "  meta:\n"
    "    category = \"fraud.loan\"\n"
    "    severity = \"high\"\n"
    "    action   = \"block\"\n"
    "    description = \"Loan ad asking for a fee before lending\"\n"
    "    weight = 0.8\n"
    "  strings:\n"
    "    $lure1 = \"无抵押\"\n"
    "    $lure2 = \"低利息\"\n"
    "    $fee   = /手续费|保证金|解冻金/is\n"
    "    $slang = lexicon(\"loan_slang\")\n"
    "    $w     = \"vx\" fullword\n"
    "  condition:\n"
    "    (2 of ($lure*) or $slang) and $fee and near($lure*, $fee, 40)\n"
    "    and indicator.contact >= 1 and #w >= 0\n"
    "}\n";

TEST(example_parses_with_all_fields) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d, EXAMPLE), NP_OK);
  ASSERT_EQ_INT(set.rules.len, 1);
  const rules_rule *r = rule_at(&set, 0);
  ASSERT_STR_EQ(r->name, "fraud_loan_upfront_fee");
  ASSERT_STR_EQ(r->file, "t.rules");
  ASSERT_EQ_INT(r->line, 2);
  ASSERT_EQ_INT(r->n_tags, 2);
  ASSERT_STR_EQ(r->tags[0], "fraud");
  ASSERT_STR_EQ(r->tags[1], "loan");
  ASSERT_STR_EQ(r->category, "fraud.loan");
  ASSERT_EQ_INT(r->severity, NP_SEVERITY_HIGH);
  ASSERT_EQ_INT(r->action, NP_ACTION_BLOCK);
  ASSERT_STR_EQ(r->description, "Loan ad asking for a fee before lending");
  ASSERT_EQ_INT(r->n_meta, 5);
  ASSERT_STR_EQ(r->meta[4].key, "weight");
  ASSERT_STR_EQ(r->meta[4].value, "0.8");
  ASSERT_EQ_INT(r->meta[4].is_number, 1);
  ASSERT_EQ_INT(r->meta[0].is_number, 0);
  ASSERT_EQ_INT(r->n_strings, 5);
  ASSERT_EQ_INT(set.n_strings, 5);
  ASSERT_STR_EQ(r->strings[0].name, "$lure1");
  ASSERT_STR_EQ(r->strings[0].value, "无抵押");
  ASSERT_EQ_INT(r->strings[0].value_len, 9);
  ASSERT_EQ_INT(r->strings[0].kind, RULES_STR_LITERAL);
  ASSERT_EQ_INT(r->strings[0].line, 11);
  ASSERT_EQ_INT(r->strings[0].col, 5);
  ASSERT_EQ_INT(r->strings[2].kind, RULES_STR_REGEX);
  ASSERT_STR_EQ(r->strings[2].value, "手续费|保证金|解冻金");
  ASSERT_EQ_INT(r->strings[2].mods, RULES_MOD_NOCASE | RULES_MOD_DOTALL);
  ASSERT_EQ_INT(r->strings[3].kind, RULES_STR_LEXICON);
  ASSERT_STR_EQ(r->strings[3].value, "loan_slang");
  ASSERT_EQ_INT(r->strings[4].mods, RULES_MOD_FULLWORD);
  for (uint32_t i = 0; i < 5; i++) ASSERT_EQ_INT(r->strings[i].index, i);
  ASSERT_EQ_INT(r->uses_near, 1);
  ASSERT_EQ_INT(set.values.len, 1);
  ASSERT_STR_EQ(UTIL_VEC_AT(&set.values, char *, 0), "indicator.contact");
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(example_evaluates) {
  /* lure1 at 0-3, lure2 at 10-13, fee at 20-23: 2 of lures, near within 40 */
  ASSERT_RULE_MATCH(EXAMPLE, "$lure1@0-3 $lure2@10-13 $fee@20-23 indicator.contact=1");
  ASSERT_RULE_NO_MATCH(EXAMPLE, "$lure1@0-3 $lure2@10-13 $fee@20-23");  /* no contact */
  ASSERT_RULE_NO_MATCH(EXAMPLE, "$lure1@0-3 $fee@20-23 indicator.contact=1");  /* 1 lure */
  ASSERT_RULE_MATCH(EXAMPLE, "$lure1@0-3 $slang@5-6 $fee@20-23 indicator.contact=2");
  ASSERT_RULE_NO_MATCH(EXAMPLE, "$lure1@0-3 $lure2@4-6 $fee@100-103 indicator.contact=1");
}

TEST(defaults_and_minimal_rule) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d, "rule m { meta: category = \"spam\" condition: true }"), NP_OK);
  const rules_rule *r = rule_at(&set, 0);
  ASSERT_EQ_INT(r->severity, NP_SEVERITY_MEDIUM);
  ASSERT_EQ_INT(r->action, NP_ACTION_REVIEW);
  ASSERT(r->description == NULL);
  ASSERT_EQ_INT(r->n_strings, 0);
  ASSERT_EQ_INT(r->n_tags, 0);
  ASSERT_EQ_INT(r->uses_near, 0);
  facts F;
  ASSERT_EQ_INT(build_facts(&set, &F, ""), 0);
  ASSERT_EQ_INT(rules_eval(r, &F.f), 1);
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(meta_values_kinds) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d,
                      "rule m { meta: category = \"a.b_c.d2\" severity = \"critical\" "
                      "action = \"pass\" n = -3 f = false t = true s = \"x\\ty\" "
                      "condition: true }"),
                NP_OK);
  const rules_rule *r = rule_at(&set, 0);
  ASSERT_EQ_INT(r->severity, NP_SEVERITY_CRITICAL);
  ASSERT_EQ_INT(r->action, NP_ACTION_PASS);
  ASSERT_EQ_INT(r->n_meta, 7);
  ASSERT_STR_EQ(r->meta[3].value, "-3");
  ASSERT_EQ_INT(r->meta[3].is_number, 1);
  ASSERT_STR_EQ(r->meta[4].value, "false");
  ASSERT_STR_EQ(r->meta[5].value, "true");
  ASSERT_STR_EQ(r->meta[6].value, "x\ty");
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(string_escapes_decode) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d,
                      R("$a = \"q\\\"b\\\\s\\n\\t\\x41\\u{5fae}\\u{1F4B0}\" $r = /a\\/b\\d+\\./",
                        "$a and $r")),
                NP_OK);
  const rules_rule *r = rule_at(&set, 0);
  ASSERT_STR_EQ(r->strings[0].value, "q\"b\\s\n\tA微\xF0\x9F\x92\xB0");
  ASSERT_EQ_INT(r->strings[0].value_len, 15);
  ASSERT_STR_EQ(r->strings[1].value, "a/b\\d+\\.");
  ASSERT_EQ_INT(r->strings[1].mods, 0);
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(comments_of_all_kinds) {
  ASSERT_RULE_MATCH("# hash\n// slashes\n/* block\n over lines */ rule c /* in */ { # x\n"
                    " meta: category = \"a\" // c\n strings: $a = \"x\" /* y */\n"
                    " condition: $a # comment after a space\n // and more\n }",
                    "$a");
  /* in a condition, #name right after '#' is a count, "# name" a comment */
  ASSERT_RULE_MATCH(R("$a = \"x\"", "#a == 2 # a == 5\n"), "$a $a");
  ASSERT_RULE_NO_MATCH(R("$a = \"x\"", "#a == 2 # a == 5\n"), "$a");
}

/* ---- operators and keywords -------------------------------------------- */

TEST(boolean_operators) {
  ASSERT_RULE_MATCH(R(ABC, "$a and $b or $c"), "$c");
  ASSERT_RULE_MATCH(R(ABC, "$a and $b or $c"), "$a $b");
  ASSERT_RULE_NO_MATCH(R(ABC, "$a and $b or $c"), "$a");
  ASSERT_RULE_NO_MATCH(R(ABC, "$a and ($b or $c)"), "$c");
  ASSERT_RULE_MATCH(R(ABC, "not $a and $b or $c and false"), "$b");
  ASSERT_RULE_NO_MATCH(R(ABC, "not ($a or $b) or $c and false"), "$b");
  ASSERT_RULE_MATCH(R(ABC, "not not $a or $b or $c"), "$a");
  ASSERT_RULE_MATCH(R(ABC, "true and not false and ($a or not $b) or $c"), "");
}

TEST(arithmetic_and_comparisons) {
  ASSERT_RULE_MATCH(R(ABC, "1 + 2 * 3 == 7 and ($a or $b or $c or true)"), "");
  ASSERT_RULE_MATCH(R(ABC, "(1 + 2) * 3 == 9 and ($a or $b or $c or true)"), "");
  ASSERT_RULE_MATCH(R(ABC, "7 - 2 - 1 == 4 and 8 / 2 / 2 == 2 and ($a or $b or $c or 1)"), "");
  ASSERT_RULE_MATCH(R(ABC, "-2 < 0 and - -3 == 3 and 10 / 0 == 0 and ($a or $b or $c or 1)"), "");
  ASSERT_RULE_MATCH(R(ABC, "1 != 2 and 2 <= 2 and 3 >= 3 and 3 > 2.5 and ($a or $b or $c or 1)"),
                    "");
  ASSERT_RULE_NO_MATCH(R(ABC, "1 > 2 or 2 < 2 or 1 == 2 or 1 != 1 or 0.5 >= 0.6 or ($a and $b "
                              "and $c)"), "");
  ASSERT_RULE_MATCH(R(ABC, "#a + #b * 2 == 7 and #c - 1 == -1"), "#a=3 #b=2");
  ASSERT_RULE_MATCH(R(ABC, "#a / #b == 1.5 and $c == 0"), "#a=3 #b=2");
  ASSERT_RULE_MATCH(R(ABC, "($a + $b + $c) * 10 == 20"), "$a $c");
  /* a bare number is a boolean */
  ASSERT_RULE_NO_MATCH(R(ABC, "0 or ($a and $b and $c)"), "");
  ASSERT_RULE_MATCH(R(ABC, "0.001 or ($a and $b and $c)"), "");
}

TEST(counts_and_presence) {
  ASSERT_RULE_MATCH(R("$a = \"x\"", "#a >= 3"), "#a=3");
  ASSERT_RULE_NO_MATCH(R("$a = \"x\"", "#a >= 3"), "#a=2");
  ASSERT_RULE_NO_MATCH(R("$a = \"x\"", "$a"), "");
  ASSERT_RULE_MATCH(R("$a = \"x\"", "$a"), "#a=1");
  ASSERT_RULE_MATCH(R("$a = \"x\"", "not $a"), "");
}

TEST(of_expressions) {
  const char *s = "$l1 = \"a\" $l2 = \"b\" $l3 = \"c\" $x = \"d\"";
  ASSERT_RULE_MATCH(R("$l1 = \"a\" $l2 = \"b\" $l3 = \"c\" $x = \"d\"", "2 of ($l*) and $x"),
                    "$l1 $l3 $x");
  (void)s;
  ASSERT_RULE_NO_MATCH(R("$l1 = \"a\" $l2 = \"b\" $l3 = \"c\" $x = \"d\"", "2 of ($l*) or $x"),
                       "$l1");
  ASSERT_RULE_MATCH(R(ABC, "any of them"), "$b");
  ASSERT_RULE_NO_MATCH(R(ABC, "any of them"), "");
  ASSERT_RULE_MATCH(R(ABC, "all of them"), "$a $b $c");
  ASSERT_RULE_NO_MATCH(R(ABC, "all of them"), "$a $c");
  ASSERT_RULE_MATCH(R(ABC, "none of them"), "");
  ASSERT_RULE_NO_MATCH(R(ABC, "none of them"), "$c");
  ASSERT_RULE_MATCH(R(ABC, "all of ($a, $c) and not $b"), "$a $c");
  ASSERT_RULE_MATCH(R(ABC, "3 of ($*)"), "$a $b $c");
  ASSERT_RULE_NO_MATCH(R(ABC, "3 of ($*)"), "$a $b");
  ASSERT_RULE_MATCH(R(ABC, "any of ($a, $b) and none of ($c)"), "$b");
  /* a string named twice in a set counts once */
  ASSERT_RULE_NO_MATCH(R(ABC, "2 of ($a, $a, $*)"), "$a");
  ASSERT_RULE_MATCH(R(ABC, "0 of them"), "");
}

TEST(near_semantics) {
  const char *src = R("$a = \"x\" $b = \"y\"", "near($a, $b, 5)");
  ASSERT_RULE_MATCH(src, "$a@0-2 $b@7-8");    /* gap 5 */
  ASSERT_RULE_NO_MATCH(src, "$a@0-2 $b@8-9"); /* gap 6 */
  ASSERT_RULE_MATCH(src, "$b@0-2 $a@7-8");    /* order does not matter */
  ASSERT_RULE_MATCH(src, "$a@0-5 $b@2-3");    /* overlap: gap 0 */
  ASSERT_RULE_MATCH(src, "$a@0-1 $a@50-51 $b@55-56");
  ASSERT_RULE_NO_MATCH(src, "$a@0-1 $a@30-31 $b@55-56 $b@70-71");
  ASSERT_RULE_NO_MATCH(src, "#a=1 #b=1"); /* counts without positions */
  /* the same string needs two different matches */
  const char *self = R("$a = \"x\"", "near($a, $a, 3)");
  ASSERT_RULE_NO_MATCH(self, "$a@10-12");
  ASSERT_RULE_MATCH(self, "$a@10-12 $a@15-16");
  ASSERT_RULE_NO_MATCH(self, "$a@10-12 $a@16-17");
  ASSERT_RULE_MATCH(self, "$a@10-12 $a@10-12"); /* two matches at the same place */
  /* sets: any member of each */
  const char *sets = R("$l1 = \"a\" $l2 = \"b\" $f = \"c\"", "near($l*, $f, 0)");
  ASSERT_RULE_MATCH(sets, "$l1@0-1 $l2@9-10 $f@10-12");
  ASSERT_RULE_NO_MATCH(sets, "$l1@0-1 $l2@9-10 $f@11-12");
  ASSERT_RULE_MATCH(R("$l1 = \"a\" $l2 = \"b\"", "near($*, $l*, 1)"), "$l1@0-1 $l2@2-3");
  ASSERT_RULE_NO_MATCH(R("$l1 = \"a\" $l2 = \"b\"", "near($*, $l*, 1)"), "$l1@0-1");
}

TEST(near_without_positions_is_false) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d, R("$a = \"x\" $b = \"y\"", "near($a, $b, 5) or #a > 5")), 0);
  uint32_t count[2] = {1, 1};
  rules_facts f = {count, NULL, NULL, NULL, NULL, NULL, NULL};
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), &f), 0);
  count[0] = 6;
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), &f), 1);
  ASSERT_EQ_INT(rules_eval(NULL, &f), 0);
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), NULL), 0);
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(lexicon_in_condition_makes_anonymous_string) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d,
                      R("$a = \"x\"", "$a and (lexicon(\"slang\") or lexicon(\"other\")) "
                                      "and not lexicon(\"slang\") == 0")),
                NP_OK);
  const rules_rule *r = rule_at(&set, 0);
  ASSERT_EQ_INT(r->n_strings, 3); /* slang is shared by both uses */
  ASSERT_STR_EQ(r->strings[1].name, "$lexicon:slang");
  ASSERT_EQ_INT(r->strings[1].kind, RULES_STR_LEXICON);
  ASSERT_STR_EQ(r->strings[1].value, "slang");
  ASSERT_STR_EQ(r->strings[2].name, "$lexicon:other");
  ASSERT_EQ_INT(r->strings[2].index, 2);
  facts F;
  ASSERT_EQ_INT(build_facts(&set, &F, "$a"), 0);
  ASSERT_EQ_INT(rules_eval(r, &F.f), 0);
  F.count[1] = 1; /* slang */
  ASSERT_EQ_INT(rules_eval(r, &F.f), 1);
  rules_diags_free(&d);
  rules_set_free(&set);
  /* 'them' does not include anonymous strings */
  ASSERT_RULE_MATCH(R("$a = \"x\"", "all of them and not lexicon(\"l\")"), "$a");
}

TEST(global_string_indices_across_rules_and_files) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d, R(ABC, "any of them") "\n" "rule u { meta: category = \"x\" "
                                "strings: $q = \"q\" condition: $q or lexicon(\"z\") }"), NP_OK);
  const char *f2 = "rule v { meta: category = \"x\" strings: $z = \"z\" condition: $z }";
  ASSERT_EQ_INT(rules_parse(&set, "two.rules", f2, strlen(f2), NULL, NULL, &d), NP_OK);
  ASSERT_EQ_INT(set.rules.len, 3);
  ASSERT_EQ_INT(set.n_strings, 6);
  ASSERT_EQ_INT(rule_at(&set, 1)->strings[0].index, 3);
  ASSERT_EQ_INT(rule_at(&set, 1)->strings[1].index, 4);
  ASSERT_EQ_INT(rule_at(&set, 2)->strings[0].index, 5);
  ASSERT_STR_EQ(rule_at(&set, 2)->file, "two.rules");
  /* evaluation reads the global index */
  uint32_t count[6] = {0, 0, 0, 0, 0, 1};
  rules_facts f = {count, NULL, NULL, NULL, NULL, NULL, NULL};
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 2), &f), 1);
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), &f), 0);
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 1), &f), 0);
  /* a failing rule does not consume indices */
  const char *f3 = "rule w { meta: category = \"x\" strings: $z = \"z\" condition: $nope }\n"
                   "rule y { meta: category = \"x\" strings: $z = \"z\" condition: $z }";
  ASSERT_EQ_INT(rules_parse(&set, "three.rules", f3, strlen(f3), NULL, NULL, &d), NP_ERULE);
  ASSERT_EQ_INT(set.rules.len, 4);
  ASSERT_EQ_INT(rule_at(&set, 3)->strings[0].index, 6);
  ASSERT_EQ_INT(set.n_strings, 7);
  rules_diags_free(&d);
  rules_set_free(&set);
}

static int test_resolver(const char *name, void *ctx) {
  (void)ctx;
  if (strcmp(name, "pii.phone") == 0) return 3;
  if (strcmp(name, "text.length") == 0) return 0;
  return -1;
}

TEST(needs_strings_is_conservative) {
  static const struct { const char *strings, *cond; int needs; } cases[] = {
      {"$a = \"x\"", "$a", 1},
      {"$a = \"x\"", "$a and pii.phone > 1", 1},
      {"$a = \"x\"", "$a or pii.phone > 1", 0},
      {"$a = \"x\" $b = \"y\"", "$a or near($a, $b, 3)", 1},
      {"$a = \"x\"", "not $a", 0},
      {"$a = \"x\"", "#a > 2", 1},
      {"$a = \"x\"", "#a >= 0", 0},
      {"$a = \"x\" $b = \"y\"", "1 of ($a, $b)", 1},
      {"$a = \"x\" $b = \"y\"", "none of ($a, $b) and text.length > 3", 0},
      {"", "text.length > 3", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    rules_set set;
    rules_diags d;
    rules_set_init(&set, NULL);
    rules_diags_init(&d, NULL);
    const char *src = R_DYN(cases[i].strings, cases[i].cond);
    ASSERT_EQ_INT(rules_parse(&set, "t.rules", src, strlen(src), test_resolver, NULL, &d), NP_OK);
    if (rules_needs_strings(rule_at(&set, 0)) != cases[i].needs)
      FAIL_AT("needs_strings(%s) != %d", cases[i].cond, cases[i].needs);
    rules_diags_free(&d);
    rules_set_free(&set);
  }
}

static int need_calls;
static void count_need(void *ctx, uint32_t slot) {
  double *values = ctx;
  need_calls++;
  values[slot] = 0.9; /* the "classifier" fills its score */
}

TEST(costly_values_are_read_last_and_on_demand) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  /* written costly-first: after rules_cheap_first the string test runs first */
  const char *src = R("$a = \"x\"", "pii.phone > 0.5 and $a");
  ASSERT_EQ_INT(rules_parse(&set, "t.rules", src, strlen(src), test_resolver, NULL, &d), NP_OK);
  uint8_t costly[4] = {0, 0, 0, 1};
  rules_cheap_first(&UTIL_VEC_AT(&set.rules, rules_rule, 0), costly);
  double values[4] = {0};
  uint32_t count[1] = {0};
  rules_facts f = {count, NULL, NULL, values, costly, count_need, values};
  need_calls = 0;
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), &f), 0);
  ASSERT_EQ_INT(need_calls, 0); /* $a is false: the score was never needed */
  count[0] = 1;
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), &f), 1);
  ASSERT_EQ_INT(need_calls, 1);
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(values_with_resolver) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  const char *src = R("", "pii.phone >= 2 and text.length > 10");
  ASSERT_EQ_INT(rules_parse(&set, "t.rules", src, strlen(src), test_resolver, NULL, &d), NP_OK);
  ASSERT_EQ_INT(set.values.len, 4);
  ASSERT_STR_EQ(UTIL_VEC_AT(&set.values, char *, 3), "pii.phone");
  ASSERT_STR_EQ(UTIL_VEC_AT(&set.values, char *, 0), "text.length");
  ASSERT(UTIL_VEC_AT(&set.values, char *, 1) == NULL);
  double values[4] = {11, 0, 0, 2};
  uint32_t count[1] = {0};
  rules_facts f = {count, NULL, NULL, values, NULL, NULL, NULL};
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), &f), 1);
  values[0] = 10;
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), &f), 0);
  f.values = NULL; /* no stage produced anything: values read as 0 */
  ASSERT_EQ_INT(rules_eval(rule_at(&set, 0), &f), 0);
  const char *bad = "rule b { meta: category = \"a\" condition: clf.offensive > 0.5 }";
  ASSERT_EQ_INT(rules_parse(&set, "t.rules", bad, strlen(bad), test_resolver, NULL, &d), NP_ERULE);
  ASSERT_EQ_INT(d.items.len, 1);
  ASSERT_CONTAINS(UTIL_VEC_AT(&d.items, char *, 0), "t.rules:1:42: unknown value 'clf.offensive'");
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(values_without_resolver_share_slots) {
  const char *src = R("", "pii.cn_id + pii.phone > 1 and hoax.similarity > 0.8 and "
                          "coord.accounts >= 5 and clf.offensive > 0.5 and pii.phone > 0");
  ASSERT_RULE_MATCH(src, "pii.cn_id=1 pii.phone=1 hoax.similarity=0.9 coord.accounts=5 "
                         "clf.offensive=0.6");
  ASSERT_RULE_NO_MATCH(src, "pii.cn_id=1 hoax.similarity=0.9 coord.accounts=5 clf.offensive=0.6");
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d, src), NP_OK);
  ASSERT_EQ_INT(set.values.len, 5); /* pii.phone once */
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(keywords_table) {
  size_t n = 0;
  int has_near = 0, has_them = 0, has_fullword = 0;
  for (; rules_keywords[n]; n++) {
    has_near |= strcmp(rules_keywords[n], "near") == 0;
    has_them |= strcmp(rules_keywords[n], "them") == 0;
    has_fullword |= strcmp(rules_keywords[n], "fullword") == 0;
  }
  ASSERT_EQ_INT(n, 17);
  ASSERT(has_near && has_them && has_fullword);
  /* every keyword is reserved: it cannot name a rule */
  for (size_t i = 0; rules_keywords[i]; i++) {
    char src[200];
    snprintf(src, sizeof src, "rule %s { meta: category = \"a\" condition: true }",
             rules_keywords[i]);
    char msg[100];
    snprintf(msg, sizeof msg, "1:6: expected a rule name, found '%s'", rules_keywords[i]);
    ASSERT_RULE_ERROR(src, msg);
  }
}

/* ---- errors: exact text and position ----------------------------------- */

TEST(error_unterminated_string_regex_comment) {
  ASSERT_RULE_ERROR("rule a { meta: category = \"x\n condition: true }", "1:27: unterminated string");
  ASSERT_RULE_ERROR(R("$a = /abc\n", "$a"), "1:50: unterminated regex");
  ASSERT_RULE_ERROR("rule a { meta: category = \"x\" condition: true }\n  /* never closed",
                    "2:3: unterminated comment");
}

TEST(error_bad_meta_values) {
  ASSERT_RULE_ERROR("rule a { meta: category = \"x\" severity = \"huge\" condition: true }",
                    "1:42: bad severity 'huge' (expected low, medium, high or critical)");
  ASSERT_RULE_ERROR("rule a { meta: category = \"x\" action = \"ban\" condition: true }",
                    "1:40: bad action 'ban' (expected pass, review or block)");
  ASSERT_RULE_ERROR("rule a { meta: category = \"x\" severity = 3 condition: true }",
                    "1:42: bad severity '3' (expected low, medium, high or critical)");
  ASSERT_RULE_ERROR("rule a { meta: category = \"Fraud.Loan\" condition: true }",
                    "1:27: bad category 'Fraud.Loan' (expected dotted lowercase, e.g. fraud.loan)");
  ASSERT_RULE_ERROR("rule a { meta: category = \"fraud.\" condition: true }",
                    "1:27: bad category 'fraud.' (expected dotted lowercase, e.g. fraud.loan)");
  ASSERT_RULE_ERROR("rule a { meta: category = \"a\" category = \"b\" condition: true }",
                    "1:31: duplicate meta 'category'");
  ASSERT_RULE_ERROR("rule a { meta: category = \"a\" k = { condition: true }",
                    "1:35: expected a string, number, true or false for meta 'k', found '{'");
}

TEST(error_missing_category_and_condition) {
  ASSERT_RULE_ERROR("rule abc { condition: true }", "1:6: missing category in rule 'abc'");
  ASSERT_RULE_ERROR("rule abc { meta: category = \"a\" }", "1:6: missing condition in rule 'abc'");
  ASSERT_RULE_ERROR("rule abc { meta: category = \"a\" condition: }", "1:44: empty condition");
  ASSERT_RULE_ERROR("rule abc { meta: category = \"a\" condition:\n}", "2:1: empty condition");
}

TEST(error_duplicates) {
  ASSERT_RULE_ERROR("rule a { meta: category = \"a\" condition: true }\n"
                    "rule a { meta: category = \"a\" condition: true }",
                    "2:6: duplicate rule 'a'");
  ASSERT_RULE_ERROR(R("$a = \"x\" $a = \"y\"", "$a"), "1:54: duplicate string $a");
}

TEST(error_duplicate_rule_across_files) {
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  const char *f1 = "rule same { meta: category = \"a\" condition: true }";
  const char *f2 = "\n\nrule  same { meta: category = \"a\" condition: true }";
  ASSERT_EQ_INT(rules_parse(&set, "one.rules", f1, strlen(f1), NULL, NULL, &d), NP_OK);
  ASSERT_EQ_INT(rules_parse(&set, "two.rules", f2, strlen(f2), NULL, NULL, &d), NP_ERULE);
  ASSERT_EQ_INT(d.items.len, 1);
  ASSERT_STR_EQ(UTIL_VEC_AT(&d.items, char *, 0),
                "two.rules:3:7: duplicate rule 'same'\n"
                "rule  same { meta: category = \"a\" condition: true }\n"
                "      ^\n");
  ASSERT_EQ_INT(set.rules.len, 1);
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(error_undefined_and_unreferenced_strings) {
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a and $fee"), "1:72: undefined string $fee");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a and #fee > 1"), "1:72: undefined string $fee");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a and 1 of ($z*)"), "1:78: undefined string $z*");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a or near($a, $q, 3)"), "1:80: undefined string $q");
  ASSERT_RULE_ERROR(R("$a = \"x\" $b = \"y\"", "$a"), "1:54: unreferenced string $b");
  ASSERT_RULE_ERROR(R("", "any of them"), "1:64: no strings for 'them'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a*"), "1:65: $a* names a set: use it in 'of' or near()");
}

TEST(error_unknown_value_names) {
  ASSERT_RULE_ERROR(R("", "foo.bar > 1"), "1:57: unknown value 'foo.bar'");
  ASSERT_RULE_ERROR(R("", "phone > 1"), "1:57: unknown value 'phone'");
  ASSERT_RULE_ERROR(R("", "pii > 1"), "1:57: unknown value 'pii'");
}

TEST(error_syntax_in_conditions) {
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a and $a )"), "1:75: unbalanced parentheses: unexpected ')'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "($a and ($a)"), "1:65: unbalanced parentheses: '(' is never closed");
  ASSERT_RULE_ERROR(R("$a = \"x\"", ")"), "1:65: unbalanced parentheses: unexpected ')'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a garbage"), "1:68: trailing garbage after condition: 'garbage'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a and"), "1:72: expected an expression, found '}'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "3 of ($a)"), "1:65: 3 of a set of 1 string");
  ASSERT_RULE_ERROR(R(ABC, "4 of them"), "1:86: 4 of a set of 3 strings");
  ASSERT_RULE_ERROR(R(ABC, "1.5 of them"), "1:86: bad count '1.5' before 'of' (expected an integer)");
  ASSERT_RULE_ERROR(R(ABC, "any them"), "1:90: expected 'of' after 'any', found 'them'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "near($a, $a)"), "1:76: expected ',', found ')'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "1 < 2 < 3 or $a"), "1:71: trailing garbage after condition: '<'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a and meta"), "1:72: unexpected 'meta' in condition");
}

TEST(error_bad_escapes_numbers_and_characters) {
  ASSERT_RULE_ERROR(R("$a = \"x\\qy\"", "$a"), "1:52: bad escape sequence '\\q'");
  ASSERT_RULE_ERROR(R("$a = \"x\\x4\"", "$a"), "1:52: bad escape sequence '\\x4'");
  ASSERT_RULE_ERROR(R("$a = \"x\\x80\"", "$a"), "1:52: bad escape sequence '\\x80'");
  ASSERT_RULE_ERROR(R("$a = \"x\\x00\"", "$a"), "1:52: bad escape sequence '\\x00'");
  ASSERT_RULE_ERROR(R("$a = \"\\u{D800}\"", "$a"), "1:51: bad escape sequence '\\u{D800}'");
  ASSERT_RULE_ERROR(R("$a = \"\\u{110000}\"", "$a"), "1:51: bad escape sequence '\\u{110000}'");
  ASSERT_RULE_ERROR(R("$a = \"\\u41\"", "$a"), "1:51: bad escape sequence '\\u'");
  ASSERT_RULE_ERROR(R("$a = \"\\微\"", "$a"), "1:51: bad escape sequence '\\微'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "#a > 12abc"), "1:70: bad number '12abc'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "#a > 1.2.3"), "1:70: bad number '1.2.3'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "#a > 1."), "1:70: bad number '1.'");
  ASSERT_RULE_ERROR(R("$a = \"x\"", "$a @ 1"), "1:68: unexpected character '@'");
  ASSERT_RULE_ERROR(R("$a = /x/q", "$a"), "1:53: unknown regex flag 'q'");
  ASSERT_RULE_ERROR(R("$a = \"\"", "$a"), "1:50: empty string");
  ASSERT_RULE_ERROR(R("$a = \"x\" nocase", "$a"), "1:54: unknown string modifier 'nocase'");
  ASSERT_RULE_ERROR(R("$a = lexicon(\"../etc\")", "$a"),
                    "1:58: bad lexicon name '../etc' (letters, digits, '_' and '-')");
  ASSERT_RULE_ERROR(R("$a = 12", "$a"), "1:50: expected a string, regex or lexicon(...) for $a, "
                                        "found '12'");
  ASSERT_RULE_ERROR(R("$ = \"x\"", "true"), "1:45: bad string name '$'");
}

TEST(error_structure) {
  ASSERT_RULE_ERROR("garbage", "1:1: expected 'rule', found 'garbage'");
  ASSERT_RULE_ERROR("rule { }", "1:6: expected a rule name, found '{'");
  ASSERT_RULE_ERROR("rule a : { }", "1:10: expected a tag, found '{'");
  ASSERT_RULE_ERROR("rule a meta", "1:8: expected '{', found 'meta'");
  ASSERT_RULE_ERROR("rule a { condition: true meta: category = \"a\" }",
                    "1:26: trailing garbage after condition: 'meta'");
  ASSERT_RULE_ERROR("rule a { strings: $a = \"x\" meta: category = \"a\" condition: $a }",
                    "1:28: section 'meta' repeated or out of order, found 'meta'");
  ASSERT_RULE_ERROR("rule a { meta: category = \"a\" condition: true", "1:46: expected '}', found "
                                                                      "end of file");
  ASSERT_RULE_ERROR("rule a { meta: category = \"a\" condition: true } }",
                    "1:49: expected 'rule', found '}'");
  ASSERT_RULE_ERROR("rule a { x }", "1:10: expected 'meta:', 'strings:' or 'condition:', found 'x'");
  ASSERT_RULE_ERROR("rule a { meta: category = \"a\" condition: true }\xff",
                    "1:48: invalid UTF-8 or NUL byte");
  ASSERT_RULE_ERROR("rule a\n{ meta: 微信 \xe5\xbe condition: true }",
                    "2:12: invalid UTF-8 or NUL byte");
}

TEST(error_nesting_limit) {
  char src[2000], cond[1000];
  size_t n = 0;
  for (int i = 0; i < 100; i++) cond[n++] = '(';
  cond[n++] = '1';
  for (int i = 0; i < 100; i++) cond[n++] = ')';
  cond[n] = 0;
  snprintf(src, sizeof src, "rule a { meta: category = \"a\" condition: %s }", cond);
  ASSERT_EQ_INT(eval_src(src, ""), 1);
  snprintf(src, sizeof src, "rule a { meta: category = \"a\" condition: (%s) }", cond);
  ASSERT_RULE_ERROR(src, "1:142: condition nested too deeply (more than 100 levels)");
}

TEST(diagnostic_rendering_with_caret) {
  rules_diags d;
  rules_diags_init(&d, NULL);
  const char *src = "first\n\t微信 $x here\r\nlast";
  ASSERT_EQ_INT(rules_diag_add(&d, "f.rules", src, strlen(src), 2, 5, "bad %s", "thing"), 0);
  ASSERT_STR_EQ(UTIL_VEC_AT(&d.items, char *, 0),
                "f.rules:2:5: bad thing\n\t微信 $x here\n\t     ^\n");
  ASSERT_EQ_INT(rules_diag_add(&d, "f.rules", src, strlen(src), 1, 1, "at start"), 0);
  ASSERT_STR_EQ(UTIL_VEC_AT(&d.items, char *, 1), "f.rules:1:1: at start\nfirst\n^\n");
  /* bad bytes and control characters of the line are shown as U+FFFD */
  const char bin[] = "ab\0c\xff\x01" "d";
  ASSERT_EQ_INT(rules_diag_add(&d, "b", bin, sizeof bin - 1, 1, 6, "m"), 0);
  ASSERT_STR_EQ(UTIL_VEC_AT(&d.items, char *, 2),
                "b:1:6: m\nab\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD" "d\n     ^\n");
  rules_diags_free(&d);
  /* a parse error renders the same way, with character columns */
  rules_set set;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  const char *r = "rule 微 { }";
  ASSERT_EQ_INT(rules_parse(&set, "x.rules", r, strlen(r), NULL, NULL, &d), NP_ERULE);
  ASSERT_STR_EQ(UTIL_VEC_AT(&d.items, char *, 0),
                "x.rules:1:6: unexpected character '微'\nrule 微 { }\n     ^\n");
  rules_diags_free(&d);
  rules_set_free(&set);
}

TEST(all_errors_of_a_file_are_reported) {
  const char *src =
      "rule good1 { meta: category = \"a\" strings: $a = \"x\" condition: $a }\n"
      "rule bad1 { meta: category = \"a\" strings: $a = \"x\" $b = \"y\" condition: $a and $c }\n"
      "rule bad2 { meta: severity = \"meh\" condition: true }\n"
      "rule bad3 { meta: category = \"a\" condition: ( true }\n"
      "rule good2 { meta: category = \"a\" condition: true }\n"
      "rule good1 { meta: category = \"a\" condition: true }\n"
      "rule bad4 { meta: category = \"a\" strings: $q = \"\\z\" condition: $q }\n";
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(parse(&set, &d, src), NP_ERULE);
  static const char *const want[] = {
      "t.rules:2:79: undefined string $c",
      "t.rules:2:52: unreferenced string $b",
      "t.rules:3:30: bad severity 'meh' (expected low, medium, high or critical)",
      "t.rules:3:6: missing category in rule 'bad2'",
      "t.rules:4:45: unbalanced parentheses: '(' is never closed",
      "t.rules:6:6: duplicate rule 'good1'",
      "t.rules:7:49: bad escape sequence '\\z'",
  };
  ASSERT_EQ_INT(d.items.len, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < d.items.len; i++) {
    const char *got = UTIL_VEC_AT(&d.items, char *, i);
    if (strncmp(got, want[i], strlen(want[i])) != 0) {
      dump_diags(&d);
      FAIL_AT("diagnostic %zu: wanted \"%s\"", i, want[i]);
    }
  }
  /* only the good rules were kept */
  ASSERT_EQ_INT(set.rules.len, 2);
  ASSERT_STR_EQ(rule_at(&set, 0)->name, "good1");
  ASSERT_STR_EQ(rule_at(&set, 1)->name, "good2");
  ASSERT_EQ_INT(set.n_strings, 1);
  rules_diags_free(&d);
  rules_set_free(&set);
  ASSERT_EQ_INT(count_errors("rule a { meta: category = \"x\" strings: $a = \"\\q\\w\" "
                             "condition: $b and $c }"),
                5); /* two escapes, two undefined, one unreferenced */
}

/* ---- lexicons ---------------------------------------------------------- */

static int lex_parse(const char *src, rules_lexicon **lx, rules_diags *d) {
  return rules_lexicon_parse(NULL, "slang", "lexicons/slang.txt", src, strlen(src), lx, d);
}

TEST(lexicon_parse_terms_variants_exclusions) {
  const char *src = "# contact apps\n"
                    "微信 = 薇信 | 威信 | weixin | wx | vx\n"
                    "\n"
                    "收卡 ! 签收卡 | 收卡片   # a comment\n"
                    "  套现  \n"
                    "a = b | c ! d\n"
                    "e ! f = g\n"
                    "%pinyin on\n"
                    "贷款\n"
                    "%pinyin off\n"
                    "C#\n";
  rules_lexicon *lx = NULL;
  rules_diags d;
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(lex_parse(src, &lx, &d), NP_OK);
  ASSERT(lx != NULL);
  ASSERT_STR_EQ(lx->name, "slang");
  ASSERT_STR_EQ(lx->file, "lexicons/slang.txt");
  ASSERT_EQ_INT(lx->n_terms, 7);
  rules_term *t = lx->terms;
  ASSERT_STR_EQ(t[0].term, "微信");
  ASSERT_EQ_INT(t[0].n_variants, 5);
  ASSERT_STR_EQ(t[0].variants[0], "薇信");
  ASSERT_STR_EQ(t[0].variants[4], "vx");
  ASSERT_EQ_INT(t[0].n_exclusions, 0);
  ASSERT_EQ_INT(t[0].line, 2);
  ASSERT_EQ_INT(t[0].pinyin, 0);
  ASSERT_STR_EQ(t[1].term, "收卡");
  ASSERT_EQ_INT(t[1].n_exclusions, 2);
  ASSERT_STR_EQ(t[1].exclusions[1], "收卡片");
  ASSERT_STR_EQ(t[2].term, "套现");
  ASSERT_STR_EQ(t[3].term, "a");
  ASSERT_EQ_INT(t[3].n_variants, 2);
  ASSERT_EQ_INT(t[3].n_exclusions, 1);
  ASSERT_STR_EQ(t[3].exclusions[0], "d");
  ASSERT_STR_EQ(t[4].term, "e");
  ASSERT_STR_EQ(t[4].exclusions[0], "f");
  ASSERT_STR_EQ(t[4].variants[0], "g");
  ASSERT_STR_EQ(t[5].term, "贷款");
  ASSERT_EQ_INT(t[5].pinyin, 1);
  ASSERT_STR_EQ(t[6].term, "C#");
  ASSERT_EQ_INT(t[6].pinyin, 0);
  ASSERT_EQ_INT(d.items.len, 0);
  rules_lexicon_free(NULL, lx);
  rules_diags_free(&d);
}

TEST(lexicon_backslash_escapes_syntax_characters) {
  const char *src = "出售手枪\\=货到付款\n"
                    "手枪\\|阻击枪 = 长枪\\!\n"
                    "c\\#sharp # comment\n"
                    "\\%100\n"
                    "a\\\\ = b\n"
                    "x\\y\n";
  rules_lexicon *lx = NULL;
  rules_diags d;
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(lex_parse(src, &lx, &d), NP_OK);
  ASSERT(lx != NULL);
  ASSERT_EQ_INT(lx->n_terms, 6);
  ASSERT_STR_EQ(lx->terms[0].term, "出售手枪=货到付款");
  ASSERT_EQ_INT(lx->terms[0].n_variants, 0);
  ASSERT_STR_EQ(lx->terms[1].term, "手枪|阻击枪");
  ASSERT_EQ_INT(lx->terms[1].n_variants, 1);
  ASSERT_STR_EQ(lx->terms[1].variants[0], "长枪!");
  ASSERT_STR_EQ(lx->terms[2].term, "c#sharp");
  ASSERT_STR_EQ(lx->terms[3].term, "%100");
  ASSERT_STR_EQ(lx->terms[4].term, "a\\");
  ASSERT_EQ_INT(lx->terms[4].n_variants, 1);
  ASSERT_STR_EQ(lx->terms[5].term, "x\\y");
  rules_lexicon_free(NULL, lx);
  rules_diags_free(&d);
}

TEST(lexicon_errors_all_reported) {
  const char *src = "ok\n"
                    "= x\n"
                    "a = b || c\n"
                    "%pinyon on\n"
                    "%pinyin maybe\n"
                    "ok\n"
                    "b ! \n";
  rules_lexicon *lx = (rules_lexicon *)&src; /* must be reset to NULL */
  rules_diags d;
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(lex_parse(src, &lx, &d), NP_ERULE);
  ASSERT(lx == NULL);
  static const char *const want[] = {
      "lexicons/slang.txt:2:1: empty term\n= x\n^\n",
      "lexicons/slang.txt:3:8: empty variant\n",
      "lexicons/slang.txt:4:1: unknown directive '%pinyon'\n",
      "lexicons/slang.txt:5:9: expected 'on' or 'off' after %pinyin\n",
      "lexicons/slang.txt:6:1: duplicate term 'ok' (first on line 1)\n",
      "lexicons/slang.txt:7:4: empty exclusion context\n",
  };
  ASSERT_EQ_INT(d.items.len, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < d.items.len; i++) {
    const char *got = UTIL_VEC_AT(&d.items, char *, i);
    if (strncmp(got, want[i], strlen(want[i])) != 0) {
      dump_diags(&d);
      FAIL_AT("diagnostic %zu: wanted \"%s\"", i, want[i]);
    }
  }
  rules_diags_free(&d);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(lex_parse("ok\nb\xC3(\n", &lx, &d), NP_ERULE);
  ASSERT_EQ_INT(d.items.len, 1);
  ASSERT_CONTAINS(UTIL_VEC_AT(&d.items, char *, 0), "slang.txt:2:2: invalid UTF-8 or NUL byte");
  rules_diags_free(&d);
}

typedef struct forms {
  char text[64][64];
  size_t n;
  int stop_at; /* return 7 when this many were collected (0 = never) */
} forms;

static int collect(const char *form, size_t len, void *ctx) {
  forms *f = ctx;
  if (f->n < 64) snprintf(f->text[f->n], sizeof f->text[0], "%.*s", (int)len, form);
  f->n++;
  return f->stop_at && (int)f->n == f->stop_at ? 7 : 0;
}

TEST(term_expansion_without_pinyin) {
  char *variants[] = {"薇信", "weixin", "微信", "vx", "weixin"};
  rules_term t = {"微信", variants, 5, NULL, 0, 0, 1};
  forms f = {.n = 0};
  ASSERT_EQ_INT(rules_term_expand(&t, 100, collect, &f), 0);
  ASSERT_EQ_INT(f.n, 4); /* duplicates of the term and of earlier variants are skipped */
  ASSERT_STR_EQ(f.text[0], "微信");
  ASSERT_STR_EQ(f.text[1], "薇信");
  ASSERT_STR_EQ(f.text[2], "weixin");
  ASSERT_STR_EQ(f.text[3], "vx");
  f.n = 0;
  ASSERT_EQ_INT(rules_term_expand(&t, 2, collect, &f), 0);
  ASSERT_EQ_INT(f.n, 2);
  f.n = 0;
  ASSERT_EQ_INT(rules_term_expand(&t, 0, collect, &f), 0);
  ASSERT_EQ_INT(f.n, 0);
  f.n = 0;
  f.stop_at = 2; /* the callback's nonzero return stops and is returned */
  ASSERT_EQ_INT(rules_term_expand(&t, 100, collect, &f), 7);
  ASSERT_EQ_INT(f.n, 2);
}

static int has_form(const forms *f, const char *s) {
  for (size_t i = 0; i < f->n && i < 64; i++)
    if (strcmp(f->text[i], s) == 0) return 1;
  return 0;
}

/* (1 + readings) per Han character, from the text module's own table. */
static size_t combos(const char *term) {
  size_t n = 1, i = 0, len = strlen(term);
  while (i < len) {
    int32_t cp = util_utf8_next(term, len, &i);
    const char *const *r;
    n *= 1 + (text_is_han((uint32_t)cp) ? text_pinyin((uint32_t)cp, &r) : 0);
  }
  return n;
}

TEST(term_expansion_with_pinyin) {
  rules_term t = {"微信", NULL, 0, NULL, 0, 1, 1};
  forms f = {.n = 0}, again = {.n = 0};
  ASSERT(combos("微信") >= 4); /* 微 wei, 信 xin (and maybe more) */
  ASSERT_EQ_INT(rules_term_expand(&t, 100, collect, &f), 0);
  ASSERT_EQ_INT(f.n, combos("微信"));
  ASSERT_STR_EQ(f.text[0], "微信");
  ASSERT_STR_EQ(f.text[1], "微xin"); /* the last character turns fastest */
  ASSERT(has_form(&f, "wei信"));
  ASSERT(has_form(&f, "weixin"));
  for (size_t i = 0; i < f.n; i++)
    for (size_t j = i + 1; j < f.n; j++) ASSERT(strcmp(f.text[i], f.text[j]) != 0);
  ASSERT_EQ_INT(rules_term_expand(&t, 100, collect, &again), 0); /* deterministic */
  ASSERT_EQ_INT(again.n, f.n);
  for (size_t i = 0; i < f.n; i++) ASSERT_STR_EQ(again.text[i], f.text[i]);
  /* a declared variant equal to a pinyin form is emitted once; the cap applies */
  char *variants[] = {"weixin"};
  rules_term t2 = {"微信", variants, 1, NULL, 0, 1, 1};
  f.n = 0;
  ASSERT_EQ_INT(rules_term_expand(&t2, 100, collect, &f), 0);
  ASSERT_EQ_INT(f.n, combos("微信"));
  ASSERT_STR_EQ(f.text[1], "weixin");
  f.n = 0;
  ASSERT_EQ_INT(rules_term_expand(&t2, 3, collect, &f), 0);
  ASSERT_EQ_INT(f.n, 3);
  /* non-Han characters stay as written */
  rules_term t3 = {"加v信", NULL, 0, NULL, 0, 1, 1};
  f.n = 0;
  ASSERT_EQ_INT(rules_term_expand(&t3, 100, collect, &f), 0);
  ASSERT_EQ_INT(f.n, combos("加v信"));
  ASSERT(has_form(&f, "jiavxin"));
  ASSERT(has_form(&f, "加vxin"));
  /* pinyin off: no forms beyond the term */
  t3.pinyin = 0;
  f.n = 0;
  ASSERT_EQ_INT(rules_term_expand(&t3, 100, collect, &f), 0);
  ASSERT_EQ_INT(f.n, 1);
}

/* ---- the documentation's examples compile ------------------------------ */

TEST(doc_rule_blocks_parse) {
  char *doc = NULL;
  size_t len = 0;
  ASSERT_EQ_INT(util_read_file(NULL, "docs/rule-language.md", &doc, &len, NULL), 0);
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  int blocks = 0;
  for (char *p = strstr(doc, "```rule\n"); p; p = strstr(p, "```rule\n")) {
    p += 8;
    char *end = strstr(p, "```");
    ASSERT(end != NULL);
    if (rules_parse(&set, "docs/rule-language.md", p, (size_t)(end - p), NULL, NULL, &d)) {
      dump_diags(&d);
      FAIL_AT("rule block %d of the docs does not parse", blocks + 1);
    }
    blocks++;
    p = end;
  }
  ASSERT(blocks >= 3);
  ASSERT_EQ_INT(set.rules.len, (size_t)blocks);
  /* every keyword is documented */
  for (size_t i = 0; rules_keywords[i]; i++) {
    char quoted[40];
    snprintf(quoted, sizeof quoted, "`%s`", rules_keywords[i]);
    if (!strstr(doc, quoted)) FAIL_AT("docs/rule-language.md does not list %s", quoted);
  }
  rules_diags_free(&d);
  rules_set_free(&set);
  free(doc);
}

/* ---- huge inputs and allocation failure --------------------------------- */

TEST(huge_rule_file_and_long_chains) {
  util_buf b;
  util_buf_init(&b, NULL, 0);
  for (int i = 0; i < 3000; i++)
    ASSERT_EQ_INT(util_buf_printf(&b, "rule r%d : t { meta: category = \"bulk.r\" strings: "
                                      "$a = \"x%d\" $b = /y%d/ condition: $a and #b > 1 }\n",
                                  i, i, i),
                  0);
  /* one rule with a 20000-operand chain and a long set */
  ASSERT_EQ_INT(util_buf_printf(&b, "rule big { meta: category = \"bulk.big\" strings: "), 0);
  for (int i = 0; i < 500; i++) ASSERT_EQ_INT(util_buf_printf(&b, "$s%d = \"s%d\" ", i, i), 0);
  ASSERT_EQ_INT(util_buf_printf(&b, "condition: 250 of them and (0"), 0);
  for (int i = 0; i < 20000; i++) ASSERT_EQ_INT(util_buf_printf(&b, " + 1"), 0);
  ASSERT_EQ_INT(util_buf_printf(&b, ") == 20000 and ($s0"), 0);
  for (int i = 1; i < 20000; i++) ASSERT_EQ_INT(util_buf_printf(&b, " or $s%d", i % 500), 0);
  ASSERT_EQ_INT(util_buf_printf(&b, ") }\n"), 0);
  rules_set set;
  rules_diags d;
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(rules_parse(&set, "big.rules", b.data, b.len, NULL, NULL, &d), NP_OK);
  ASSERT_EQ_INT(set.rules.len, 3001);
  ASSERT_EQ_INT(set.n_strings, 6500);
  const rules_rule *big = rule_at(&set, 3000);
  uint32_t *count = calloc(set.n_strings, sizeof *count);
  rules_facts f = {count, NULL, NULL, NULL, NULL, NULL, NULL};
  ASSERT_EQ_INT(rules_eval(big, &f), 0);
  for (uint32_t i = 0; i < 250; i++) count[big->strings[i].index] = 1;
  ASSERT_EQ_INT(rules_eval(big, &f), 1);
  count[big->strings[0].index] = 0;
  ASSERT_EQ_INT(rules_eval(big, &f), 0);
  free(count);
  rules_diags_free(&d);
  rules_set_free(&set);
  /* a 1 MB literal */
  util_buf_reset(&b);
  ASSERT_EQ_INT(util_buf_printf(&b, "rule l { meta: category = \"a\" strings: $a = \""), 0);
  for (int i = 0; i < 1 << 20; i++) ASSERT_EQ_INT(util_buf_putc(&b, (char)('a' + i % 26)), 0);
  ASSERT_EQ_INT(util_buf_printf(&b, "\" condition: $a }"), 0);
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(rules_parse(&set, "l.rules", b.data, b.len, NULL, NULL, &d), NP_OK);
  ASSERT_EQ_INT(rule_at(&set, 0)->strings[0].value_len, 1 << 20);
  rules_diags_free(&d);
  rules_set_free(&set);
  /* many errors in one file: every one is reported */
  util_buf_reset(&b);
  for (int i = 0; i < 2000; i++)
    ASSERT_EQ_INT(util_buf_printf(&b, "rule e%d { condition: $x%d }\n", i, i), 0);
  rules_set_init(&set, NULL);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(rules_parse(&set, "e.rules", b.data, b.len, NULL, NULL, &d), NP_ERULE);
  ASSERT_EQ_INT(d.items.len, 4000); /* undefined string + missing category each */
  rules_diags_free(&d);
  rules_set_free(&set);
  util_buf_free(&b);
}

TEST(huge_lexicon) {
  util_buf b;
  util_buf_init(&b, NULL, 0);
  for (int i = 0; i < 50000; i++)
    ASSERT_EQ_INT(util_buf_printf(&b, "term%d = v%d | w%d ! ctx%d\n", i, i, i, i), 0);
  ASSERT_EQ_INT(util_buf_printf(&b, "term123\n"), 0);
  rules_lexicon *lx = NULL;
  rules_diags d;
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(rules_lexicon_parse(NULL, "big", "big.txt", b.data, b.len, &lx, &d), NP_ERULE);
  ASSERT_EQ_INT(d.items.len, 1);
  ASSERT_CONTAINS(UTIL_VEC_AT(&d.items, char *, 0),
                  "big.txt:50001:1: duplicate term 'term123' (first on line 124)");
  b.len -= 8;
  rules_diags_free(&d);
  rules_diags_init(&d, NULL);
  ASSERT_EQ_INT(rules_lexicon_parse(NULL, "big", "big.txt", b.data, b.len, &lx, &d), NP_OK);
  ASSERT_EQ_INT(lx->n_terms, 50000);
  ASSERT_STR_EQ(lx->terms[49999].exclusions[0], "ctx49999");
  rules_lexicon_free(NULL, lx);
  rules_diags_free(&d);
  util_buf_free(&b);
}

/* An allocator that fails the Nth allocation. */
typedef struct fail_alloc {
  long n, fail_at;
} fail_alloc;
static void *fa_malloc(size_t size, void *user) {
  fail_alloc *f = user;
  return ++f->n == f->fail_at ? NULL : malloc(size);
}
static void *fa_realloc(void *p, size_t size, void *user) {
  fail_alloc *f = user;
  return ++f->n == f->fail_at ? NULL : realloc(p, size);
}
static void fa_free(void *p, void *user) { (void)user; free(p); }

TEST(allocation_failures_return_enomem_without_leaks) {
  const char *bad = "rule x { meta: category = \"a\" condition: $nope }";
  int saw_enomem = 0, done = 0;
  for (long k = 1; k < 5000 && !done; k++) {
    fail_alloc fa = {0, k};
    np_allocator a = {fa_malloc, fa_realloc, fa_free, &fa};
    rules_set set;
    rules_diags d;
    rules_set_init(&set, &a);
    rules_diags_init(&d, &a);
    int rc = rules_parse(&set, "t.rules", EXAMPLE, strlen(EXAMPLE), NULL, NULL, &d);
    if (rc == NP_OK) {
      rc = rules_parse(&set, "u.rules", bad, strlen(bad), NULL, NULL, &d);
      if (rc == NP_ERULE) done = 1;
    }
    if (!done && rc != NP_ENOMEM) FAIL_AT("allocation %ld: rc %d", k, rc);
    saw_enomem |= rc == NP_ENOMEM;
    rules_diags_free(&d);
    rules_set_free(&set);
  }
  ASSERT(done && saw_enomem);
  const char *lsrc = "a = b | c ! d\n%pinyin on\ne\n";
  done = 0;
  for (long k = 1; k < 1000 && !done; k++) {
    fail_alloc fa = {0, k};
    np_allocator a = {fa_malloc, fa_realloc, fa_free, &fa};
    rules_lexicon *lx = NULL;
    rules_diags d;
    rules_diags_init(&d, &a);
    int rc = rules_lexicon_parse(&a, "l", "l.txt", lsrc, strlen(lsrc), &lx, &d);
    if (rc == NP_OK) done = 1;
    else if (rc != NP_ENOMEM) FAIL_AT("allocation %ld: rc %d", k, rc);
    rules_lexicon_free(&a, lx);
    rules_diags_free(&d);
  }
  ASSERT(done);
}

HARNESS_MAIN
