/* cmd_serve.c — `netpatrol serve`: opens the store, compiles the rule packs
 * for POST /scan, starts the HTTP server (loopback by default) and runs until
 * SIGINT or SIGTERM. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/commands.h"
#include "cli/common.h"
#include "server/server.h"
#include "store/store.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: netpatrol serve --db FILE [options]\n"
          "  --db FILE              the clue store (created if missing)\n"
          "  --listen HOST:PORT     address to listen on (default 127.0.0.1:8080)\n"
          "  --allow-remote         allow a non-loopback address (put TLS in front)\n"
          "  --rules DIR            rule packs for POST /api/v1/scan (default: shipped rules/)\n"
          "  --no-scan              do not load rule packs; /scan answers 503\n"
          "  --web DIR              built workbench (default: web/dist)\n"
          "  --threshold X          verdict score that makes a clue (default 0.5)\n"
          "  --max-body N           request body limit, k/M suffix (default 1M)\n"
          "  --rate N               requests per minute per address (default 600)\n"
          "  --report-rate N        public reports per hour per address (default 10)\n"
          "  --login-rate N         login attempts per minute per address (default 10)\n"
          "  --secure-cookie        mark the session cookie Secure (behind HTTPS)\n"
          "  --port-file FILE       write the bound port there (with --listen ...:0)\n"
          "exit status: 0 stopped by a signal, 1 usage, 3 cannot open/listen, 2 bad rules\n");
}

static int is_dir(const char *p) {
  struct stat sb;
  return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* web/dist next to the working directory, else in the source tree of the binary. */
static const char *default_web(char *buf, size_t size) {
  if (is_dir("web/dist")) return "web/dist";
  char exe[1024];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return NULL;
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  if (!slash) return NULL;
  *slash = 0;
  snprintf(buf, size, "%s/../../../web/dist", exe);
  return is_dir(buf) ? buf : NULL;
}

int cmd_serve(int argc, char **argv) {
  server_config sc;
  server_config_init(&sc);
  const char *db = NULL, *rules = NULL, *web = NULL, *port_file = NULL;
  int no_scan = 0, allow_remote = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int takes = !strcmp(a, "--db") || !strcmp(a, "--listen") || !strcmp(a, "--rules") ||
                !strcmp(a, "--web") || !strcmp(a, "--threshold") || !strcmp(a, "--max-body") ||
                !strcmp(a, "--rate") || !strcmp(a, "--report-rate") ||
                !strcmp(a, "--login-rate") || !strcmp(a, "--port-file");
    if (takes && !v) {
      fprintf(stderr, "netpatrol serve: %s needs a value\n", a);
      return EXIT_USAGE;
    }
    if (takes) i++;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return EXIT_OK; }
    else if (!strcmp(a, "--db")) db = v;
    else if (!strcmp(a, "--listen")) sc.listen = v;
    else if (!strcmp(a, "--rules")) rules = v;
    else if (!strcmp(a, "--web")) web = v;
    else if (!strcmp(a, "--port-file")) port_file = v;
    else if (!strcmp(a, "--threshold")) sc.threshold = atof(v);
    else if (!strcmp(a, "--max-body")) {
      long long n = cli_parse_size(v);
      if (n <= 0) { fprintf(stderr, "netpatrol serve: bad --max-body '%s'\n", v); return EXIT_USAGE; }
      sc.max_body = (size_t)n;
    } else if (!strcmp(a, "--rate")) sc.api_per_minute = atoi(v);
    else if (!strcmp(a, "--report-rate")) sc.reports_per_hour = atoi(v);
    else if (!strcmp(a, "--login-rate")) sc.logins_per_minute = atoi(v);
    else if (!strcmp(a, "--no-scan")) no_scan = 1;
    else if (!strcmp(a, "--allow-remote")) allow_remote = 1;
    else if (!strcmp(a, "--secure-cookie")) sc.secure_cookie = 1;
    else {
      fprintf(stderr, "netpatrol serve: unknown option '%s'\n", a);
      usage(stderr);
      return EXIT_USAGE;
    }
  }
  if (!db) {
    fprintf(stderr, "netpatrol serve: --db FILE is required\n");
    usage(stderr);
    return EXIT_USAGE;
  }
  char wbuf[1100];
  sc.web_root = web ? web : default_web(wbuf, sizeof wbuf);
  if (!sc.web_root)
    fprintf(stderr, "netpatrol serve: no web/dist found (run tools/install-web-deps.sh and "
                    "`npm run build` in web/); serving the API only\n");
  np_engine *engine = NULL;
  if (!no_scan) {
    char rbuf[1100];
    const char *dir = cli_rules_dir(rules, rbuf, sizeof rbuf);
    np_engine_config cfg;
    np_engine_config_init(&cfg);
    cfg.reveal = 1; /* the store keeps raw values to link on; responses are masked by role */
    cli_pack_paths paths; /* same stages as `scan`: hoax.* and clf.* */
    cli_pack_defaults(&cfg, dir, &paths);
    int ec = cli_load_engine(&cfg, dir, &engine);
    if (ec) return ec;
    sc.engine = engine;
  }
  store *st = NULL;
  np_error err = {0};
  if (store_open(db, NULL, &st, &err)) {
    fprintf(stderr, "netpatrol serve: %s\n", err.message);
    np_engine_free(engine);
    return EXIT_IO;
  }
  int64_t users = 0;
  store_user_count(st, &users, NULL);
  if (users == 0)
    fprintf(stderr, "netpatrol serve: no users yet; create the first admin with\n"
                    "  netpatrol user add --db %s --name admin --role admin\n", db);
  /* Block the signals before the server thread starts so it inherits the mask. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  server *srv = NULL;
  if (server_start(st, &sc, allow_remote, &srv, &err)) {
    fprintf(stderr, "netpatrol serve: %s\n", err.message);
    store_close(st);
    np_engine_free(engine);
    return err.code == NP_EINVAL ? EXIT_USAGE : EXIT_IO;
  }
  const char *colon = strrchr(sc.listen, ':');
  fprintf(stderr, "netpatrol serve: listening on http://%.*s:%u/ (workbench%s), store %s\n",
          colon ? (int)(colon - sc.listen) : 0, sc.listen, server_port(srv),
          sc.web_root ? "" : " not built", db);
  if (port_file) {
    FILE *f = fopen(port_file, "w");
    if (f) {
      fprintf(f, "%u\n", server_port(srv));
      fclose(f);
    }
  }
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "netpatrol serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  server_stop(srv);
  store_close(st);
  np_engine_free(engine);
  return EXIT_OK;
}
