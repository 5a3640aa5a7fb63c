/* test_match.c — the matcher: literals and regexes in one database, match
 * offsets, bad regexes named by index, the empty database, and the on-disk
 * cache of compiled databases (hit, miss on other patterns, corrupt files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "match/match.h"
#include "tests/harness.h"

typedef struct seen {
  unsigned id[16];
  uint32_t start[16], end[16];
  int n;
} seen;

static int record(unsigned id, uint32_t start, uint32_t end, void *ctx) {
  seen *s = ctx;
  if (s->n < 16) {
    s->id[s->n] = id;
    s->start[s->n] = start;
    s->end[s->n] = end;
    s->n++;
  }
  return 0;
}

static const match_pattern PATS[] = {
    {"保证金", 9, MATCH_LITERAL, 0, 7},
    {"a.b", 3, MATCH_LITERAL, 0, 8}, /* '.' is literal in a literal */
    {"[0-9]{3,}", 9, MATCH_REGEX, 0, 9},
};

static int scan_all(match_db *db, const char *text, seen *out) {
  match_scratch *ms = NULL;
  memset(out, 0, sizeof *out);
  if (match_scratch_alloc(db, NULL, &ms, NULL)) return -1;
  int rc = match_scan(db, ms, text, strlen(text), record, out, NULL);
  match_scratch_free(ms);
  return rc;
}

TEST(literals_and_regexes_report_offsets) {
  match_db *db = NULL;
  ASSERT_EQ_INT(match_db_build(PATS, 3, NULL, &db, NULL, NULL), NP_OK);
  seen s;
  ASSERT_EQ_INT(scan_all(db, "先交保证金 axb a.b 12345", &s), NP_OK);
  int lit = 0, dot = 0, num = 0;
  for (int i = 0; i < s.n; i++) {
    if (s.id[i] == 7) { lit++; ASSERT_EQ_INT(s.start[i], 6); ASSERT_EQ_INT(s.end[i], 15); }
    if (s.id[i] == 8) { dot++; ASSERT_EQ_INT(s.start[i], 20); }
    if (s.id[i] == 9) { num++; ASSERT_EQ_INT(s.start[i], 24); }
  }
  ASSERT_EQ_INT(lit, 1);
  ASSERT_EQ_INT(dot, 1);
  ASSERT(num >= 1); /* a regex reports each end: 123, 1234, 12345 */
  match_db_free(db);
}

TEST(bad_regex_is_named_by_index) {
  match_pattern p[2] = {{"ok", 2, MATCH_LITERAL, 0, 1}, {"(unclosed", 9, MATCH_REGEX, 0, 2}};
  match_db *db = NULL;
  size_t bad = 99;
  np_error err = {0};
  ASSERT_EQ_INT(match_db_build(p, 2, NULL, &db, &bad, &err), NP_ERULE);
  ASSERT(db == NULL);
  ASSERT_EQ_INT(bad, 1);
  ASSERT(err.message[0] != 0);
}

TEST(empty_database_matches_nothing) {
  match_db *db = NULL;
  ASSERT_EQ_INT(match_db_build(NULL, 0, NULL, &db, NULL, NULL), NP_OK);
  seen s;
  ASSERT_EQ_INT(scan_all(db, "anything", &s), NP_OK);
  ASSERT_EQ_INT(s.n, 0);
  match_db_free(db);
}

static int count_files(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "ls %s | wc -l", dir);
  FILE *p = popen(cmd, "r");
  int n = -1;
  if (p) {
    if (fscanf(p, "%d", &n) != 1) n = -1;
    pclose(p);
  }
  return n;
}

TEST(cache_hit_miss_and_corrupt_files) {
  char dir[] = "/tmp/np-match-cache-XXXXXX";
  ASSERT(mkdtemp(dir) != NULL);
  match_db *db = NULL;
  seen s1, s2;
  ASSERT_EQ_INT(match_db_build_cached(PATS, 3, NULL, dir, &db, NULL, NULL), NP_OK);
  ASSERT_EQ_INT(scan_all(db, "保证金 123", &s1), NP_OK);
  match_db_free(db);
  ASSERT_EQ_INT(count_files(dir), 1);
  /* hit: same patterns, loaded from the file, same matches */
  ASSERT_EQ_INT(match_db_build_cached(PATS, 3, NULL, dir, &db, NULL, NULL), NP_OK);
  ASSERT_EQ_INT(scan_all(db, "保证金 123", &s2), NP_OK);
  ASSERT_EQ_INT(s1.n, s2.n);
  ASSERT_MEM_EQ(s1.id, s2.id, sizeof s1.id);
  match_db_free(db);
  ASSERT_EQ_INT(count_files(dir), 1);
  /* other patterns: another key, another file, other matches */
  ASSERT_EQ_INT(match_db_build_cached(PATS, 2, NULL, dir, &db, NULL, NULL), NP_OK);
  ASSERT_EQ_INT(scan_all(db, "保证金 123", &s2), NP_OK);
  ASSERT_EQ_INT(s2.n, 1);
  match_db_free(db);
  ASSERT_EQ_INT(count_files(dir), 2);
  /* corrupt every cached file: the database is compiled again, still correct */
  char cmd[512];
  snprintf(cmd, sizeof cmd, "for f in %s/*.hsdb; do printf 'garbage' | dd of=$f bs=1 seek=40 "
           "conv=notrunc 2>/dev/null; done", dir);
  ASSERT_EQ_INT(system(cmd), 0);
  ASSERT_EQ_INT(match_db_build_cached(PATS, 3, NULL, dir, &db, NULL, NULL), NP_OK);
  ASSERT_EQ_INT(scan_all(db, "保证金 123", &s2), NP_OK);
  ASSERT_EQ_INT(s1.n, s2.n);
  match_db_free(db);
  /* an unwritable cache directory only costs time */
  ASSERT_EQ_INT(match_db_build_cached(PATS, 3, NULL, "/nonexistent/dir", &db, NULL, NULL), NP_OK);
  match_db_free(db);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  ASSERT_EQ_INT(system(cmd), 0);
}

HARNESS_MAIN
