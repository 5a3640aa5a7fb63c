/* cmd_audit.c — `netpatrol audit verify|log`: checks the audit log's hash
 * chain (exit 0 intact, 2 broken) and prints its head so it can be anchored
 * outside the database; `log` prints the newest entries as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/common.h"
#include "store/store.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: netpatrol audit verify --db FILE\n"
          "       netpatrol audit log    --db FILE [--limit N]\n"
          "verify exits 0 when the chain is intact, 2 when a row was edited, inserted or\n"
          "deleted (the first bad row is named), 3 when the database cannot be read.\n");
}

int cmd_audit(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  const char *verb = argv[1], *db = NULL;
  int limit = 50;
  for (int i = 2; i < argc; i += 2) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) { fprintf(stderr, "netpatrol audit: %s needs a value\n", a); return EXIT_USAGE; }
    if (!strcmp(a, "--db")) db = v;
    else if (!strcmp(a, "--limit")) limit = atoi(v);
    else { fprintf(stderr, "netpatrol audit: unknown option '%s'\n", a); return EXIT_USAGE; }
  }
  if (!db || (strcmp(verb, "verify") && strcmp(verb, "log"))) {
    usage(stderr);
    return EXIT_USAGE;
  }
  store *st = NULL;
  np_error err = {0};
  if (store_open(db, NULL, &st, &err)) {
    fprintf(stderr, "netpatrol audit: %s\n", err.message);
    return EXIT_IO;
  }
  int rc = EXIT_OK;
  if (!strcmp(verb, "verify")) {
    store_audit_result r;
    if (store_audit_verify(st, &r, &err)) {
      fprintf(stderr, "netpatrol audit: %s\n", err.message);
      rc = EXIT_IO;
    } else if (r.bad_id) {
      printf("BROKEN at row %lld: %s\n", (long long)r.bad_id, r.problem);
      printf("intact rows before it: %lld\n", (long long)r.rows);
      rc = EXIT_INPUT;
    } else {
      printf("OK %lld rows, head %s\n", (long long)r.rows, r.head);
    }
  } else {
    util_buf b;
    util_buf_init(&b, NULL, 0);
    if (store_audit_json(st, limit, 0, &b, &err) == 0) printf("%s\n", b.data);
    else rc = EXIT_IO;
    util_buf_free(&b);
  }
  store_close(st);
  return rc;
}
