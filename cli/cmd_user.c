/* cmd_user.c — `netpatrol user add|passwd|list`: manage workbench users in
 * the store.  The password comes from --password-file, from stdin when it is
 * not a terminal, or from a prompt with echo off; never from argv, where
 * other local users could read it. */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "cli/commands.h"
#include "cli/common.h"
#include "store/store.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: netpatrol user add    --db FILE --name NAME --role ROLE [--password-file F]\n"
          "       netpatrol user passwd --db FILE --name NAME [--password-file F]\n"
          "       netpatrol user list   --db FILE\n"
          "roles: admin, supervisor, analyst, auditor.  Without --password-file the\n"
          "password is read from stdin (one line) or prompted for on a terminal.\n");
}

static int read_password(const char *file, char *out, size_t size) {
  FILE *f = file ? fopen(file, "r") : stdin;
  if (!f) return -1;
  struct termios old, quiet;
  int tty = !file && isatty(fileno(stdin));
  if (tty) {
    fprintf(stderr, "password: ");
    tcgetattr(fileno(stdin), &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fileno(stdin), TCSANOW, &quiet);
  }
  char *ok = fgets(out, (int)size, f);
  if (tty) {
    tcsetattr(fileno(stdin), TCSANOW, &old);
    fputc('\n', stderr);
  }
  if (file) fclose(f);
  if (!ok) return -1;
  out[strcspn(out, "\r\n")] = 0;
  return 0;
}

int cmd_user(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  const char *verb = argv[1], *db = NULL, *name = NULL, *role = NULL, *pwfile = NULL;
  for (int i = 2; i < argc; i += 2) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) { fprintf(stderr, "netpatrol user: %s needs a value\n", a); return EXIT_USAGE; }
    if (!strcmp(a, "--db")) db = v;
    else if (!strcmp(a, "--name")) name = v;
    else if (!strcmp(a, "--role")) role = v;
    else if (!strcmp(a, "--password-file")) pwfile = v;
    else { fprintf(stderr, "netpatrol user: unknown option '%s'\n", a); return EXIT_USAGE; }
  }
  int add = !strcmp(verb, "add"), passwd = !strcmp(verb, "passwd"), list = !strcmp(verb, "list");
  if (!db || (!add && !passwd && !list) || ((add || passwd) && !name) || (add && !role)) {
    usage(stderr);
    return EXIT_USAGE;
  }
  store *st = NULL;
  np_error err = {0};
  if (store_open(db, NULL, &st, &err)) {
    fprintf(stderr, "netpatrol user: %s\n", err.message);
    return EXIT_IO;
  }
  int rc = EXIT_OK;
  if (list) {
    util_buf b;
    util_buf_init(&b, NULL, 0);
    if (store_users_json(st, &b, &err) == 0) printf("%s\n", b.data);
    else rc = EXIT_IO;
    util_buf_free(&b);
  } else {
    char pw[1100];
    if (read_password(pwfile, pw, sizeof pw)) {
      fprintf(stderr, "netpatrol user: no password given\n");
      rc = EXIT_USAGE;
    } else if ((add ? store_user_add(st, name, role, pw, &err)
                    : store_user_set_password(st, name, pw, &err)) != 0) {
      fprintf(stderr, "netpatrol user: %s\n", err.message);
      rc = err.code == NP_EDB ? EXIT_IO : EXIT_INPUT;
    } else {
      char target[96], detail[64];
      snprintf(target, sizeof target, "user:%s", name);
      snprintf(detail, sizeof detail, add ? "{\"role\":\"%s\"}" : "{}", role);
      store_audit(st, "cli", add ? "user.add" : "user.passwd", target, detail, NULL);
      fprintf(stderr, "netpatrol user: %s %s\n", add ? "added" : "password changed for", name);
    }
    memset(pw, 0, sizeof pw);
  }
  store_close(st);
  return rc;
}
