/* cmd_rules.c — `netpatrol rules check|test|keywords DIR`: validate packs,
 * run every rule's examples (positives must hit, counter-examples must not),
 * list the language keywords. */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/commands.h"
#include "cli/common.h"
#include "netpatrol.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: netpatrol rules check [DIR]     validate rule packs (all errors reported)\n"
          "       netpatrol rules test [DIR]      run every rule's examples*.jsonl\n"
          "       netpatrol rules keywords        list the rule-language keywords\n"
          "DIR defaults to the shipped rules/.  Exit status 0 ok, 2 errors or failed examples.\n");
}

static int cmd_check(const char *dir) {
  np_engine *e = NULL;
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  /* Same stages as `rules test` and `scan`, so clf.* names resolve. */
  cli_pack_paths paths;
  cli_pack_defaults(&cfg, dir, &paths);
  int rc = cli_load_engine(&cfg, dir, &e);
  if (rc) return rc;
  np_engine_info info;
  np_engine_get_info(e, &info);
  printf("%s: %zu rules, %zu strings, %zu lexicon terms, %zu patterns, database %zu bytes\n", dir,
         info.rules, info.strings, info.lexicon_terms, info.patterns, info.db_bytes);
  np_engine_free(e);
  return 0;
}

typedef struct example_stats {
  size_t passed, failed;
  size_t n_rules;
  unsigned char *has_pos, *has_neg;
} example_stats;

static int rule_index(const np_engine *e, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(np_engine_rule_name(e, i), name)) return (int)i;
  return -1;
}

static void run_examples_file(const np_engine *e, np_scratch *s, const char *path,
                              example_stats *st) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "%s: cannot open\n", path); st->failed++; return; }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int line_no = 0;
  while ((n = getline(&line, &cap, f)) > 0) {
    line_no++;
    if (n <= 1 || line[0] == '#') continue;
    json_error_t je;
    json_t *root = json_loads(line, 0, &je);
    const char *rule = json_string_value(json_object_get(root, "rule"));
    json_t *jt = json_object_get(root, "text"), *jh = json_object_get(root, "hit");
    if (!root || !rule || !json_is_string(jt) || !json_is_boolean(jh)) {
      fprintf(stderr, "%s:%d:1: example needs \"rule\", \"text\" and \"hit\" (%s)\n", path,
              line_no, root ? "missing field" : je.text);
      st->failed++;
      json_decref(root);
      continue;
    }
    int ri = rule_index(e, st->n_rules, rule);
    if (ri < 0) {
      fprintf(stderr, "%s:%d:1: example for unknown rule %s\n", path, line_no, rule);
      st->failed++;
      json_decref(root);
      continue;
    }
    int want = json_is_true(jh);
    (want ? st->has_pos : st->has_neg)[ri] = 1;
    np_post post = {0};
    post.text = json_string_value(jt);
    post.text_len = json_string_length(jt);
    const np_verdict *v = NULL;
    np_error err = {0};
    int got = 0;
    if (np_scan(e, s, &post, &v, &err) == NP_OK)
      for (size_t h = 0; h < v->n_hits; h++) got |= !strcmp(v->hits[h].rule, rule);
    if (got == want) {
      st->passed++;
    } else {
      st->failed++;
      fprintf(stderr, "%s:%d:1: rule %s should %s: %s\n", path, line_no, rule,
              want ? "hit but did not" : "not hit but did", post.text);
    }
    json_decref(root);
  }
  free(line);
  fclose(f);
}

static void walk_examples(const np_engine *e, np_scratch *s, const char *dir, example_stats *st,
                          int depth) {
  struct dirent **ents = NULL;
  int n = scandir(dir, &ents, NULL, alphasort);
  for (int i = 0; i < n; i++) {
    const char *name = ents[i]->d_name;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat sb;
    if (name[0] != '.' && stat(path, &sb) == 0) {
      size_t l = strlen(name);
      if (S_ISDIR(sb.st_mode) && depth < 8) walk_examples(e, s, path, st, depth + 1);
      else if (strstr(name, "examples") && l > 6 && !strcmp(name + l - 6, ".jsonl"))
        run_examples_file(e, s, path, st);
    }
    free(ents[i]);
  }
  free(ents);
}

static int cmd_test(const char *dir) {
  np_engine *e = NULL;
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  cli_pack_paths paths;
  cli_pack_defaults(&cfg, dir, &paths);
  int rc = cli_load_engine(&cfg, dir, &e);
  if (rc) return rc;
  np_scratch *s = NULL;
  np_error err = {0};
  if (np_scratch_alloc(e, &s, &err) < 0) {
    fprintf(stderr, "netpatrol rules test: %s\n", err.message);
    np_engine_free(e);
    return EXIT_INTERNAL;
  }
  np_engine_info info;
  np_engine_get_info(e, &info);
  example_stats st = {0};
  st.n_rules = info.rules;
  st.has_pos = calloc(info.rules + 1, 1);
  st.has_neg = calloc(info.rules + 1, 1);
  walk_examples(e, s, dir, &st, 0);
  for (size_t i = 0; i < info.rules; i++) {
    if (st.has_pos[i] && st.has_neg[i]) continue;
    fprintf(stderr, "rule %s has no %s example\n", np_engine_rule_name(e, i),
            st.has_pos[i] ? "negative" : "positive");
    st.failed++;
  }
  printf("%zu passed, %zu failed\n", st.passed, st.failed);
  free(st.has_pos);
  free(st.has_neg);
  np_scratch_free(s);
  np_engine_free(e);
  return st.failed ? EXIT_INPUT : EXIT_OK;
}

int cmd_rules(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  char buf[4096];
  const char *dir = cli_rules_dir(argc > 2 ? argv[2] : NULL, buf, sizeof buf);
  if (!strcmp(argv[1], "check")) return cmd_check(dir);
  if (!strcmp(argv[1], "test")) return cmd_test(dir);
  if (!strcmp(argv[1], "keywords")) {
    for (size_t i = 0; np_rule_keyword(i); i++) puts(np_rule_keyword(i));
    return EXIT_OK;
  }
  fprintf(stderr, "netpatrol rules: unknown action '%s'\n", argv[1]);
  usage(stderr);
  return EXIT_USAGE;
}
