/* common.c — rules-directory discovery and engine loading for the CLI. */
#include "cli/common.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_rules_dir(const char *explicit_dir, char *buf, size_t size) {
  if (explicit_dir) return explicit_dir;
  const char *env = getenv("NETPATROL_RULES");
  if (env && *env) return env;
  if (is_dir("rules")) return "rules";
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0; /* build/<variant>/bin */
      snprintf(buf, size, "%s/../../../rules", exe);
      if (is_dir(buf)) return buf;
    }
  }
  return "rules";
}

static const char *sibling(const char *rules_dir, const char *rel, char *buf, size_t size) {
  snprintf(buf, size, "%s/%s", rules_dir, rel);
  struct stat st;
  return stat(buf, &st) == 0 ? buf : NULL;
}

void cli_pack_defaults(np_engine_config *cfg, const char *rules_dir, cli_pack_paths *p) {
  if (!cfg->hoax_path)
    cfg->hoax_path = sibling(rules_dir, "hoaxes/hoaxes.jsonl", p->hoaxes, sizeof p->hoaxes);
  if (!cfg->models_dir) cfg->models_dir = sibling(rules_dir, "../models", p->models, sizeof p->models);
}

int cli_load_engine(const np_engine_config *cfg, const char *dir, np_engine **out) {
  np_error err = {0};
  np_diagnostics *diag = NULL;
  np_engine_config c = *cfg;
  char cache[4096];
  if (!c.cache_dir) c.cache_dir = cli_cache_dir(cache, sizeof cache);
  int rc = np_engine_compile_dir(&c, dir, out, &diag, &err);
  for (size_t i = 0; i < np_diagnostics_count(diag); i++)
    fputs(np_diagnostics_text(diag, i), stderr);
  np_diagnostics_free(diag);
  if (rc == NP_OK) return EXIT_OK;
  char msg[1024];
  np_error_format(&err, msg, sizeof msg);
  fprintf(stderr, "netpatrol: %s\n", msg);
  return rc == NP_ERULE ? EXIT_INPUT : rc == NP_EIO ? EXIT_IO : rc == NP_ENOMEM ? EXIT_INTERNAL
                                                                                 : EXIT_INPUT;
}

static int mkdir_p(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    int bad = mkdir(path, 0700) != 0 && errno != EEXIST;
    *p = '/';
    if (bad) return -1;
  }
  return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

const char *cli_cache_dir(char *buf, size_t size) {
  const char *env = getenv("NETPATROL_CACHE_DIR");
  if (env && !strcmp(env, "off")) return NULL;
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  if (env && *env) snprintf(buf, size, "%s", env);
  else if (xdg && *xdg) snprintf(buf, size, "%s/netpatrol", xdg);
  else if (home && *home) snprintf(buf, size, "%s/.cache/netpatrol", home);
  else return NULL;
  return mkdir_p(buf) == 0 ? buf : NULL;
}

long long cli_parse_size(const char *s) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || v < 0) return -1;
  switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    default: break;
  }
  return *end ? -1 : v;
}
