/* load_dir.c — np_engine_compile_dir: reads every .rules, lexicons/NAME.txt and
 * *.norm file below a directory (sorted, so compiles are reproducible) and
 * hands them to np_engine_compile.  Hidden entries are skipped. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "engine/engine_int.h"

typedef struct dir_files {
  util_vec paths;  /* char * */
  const np_allocator *alloc;
} dir_files;

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(dir_files *f, const char *dir, int depth, np_error *err) {
  if (depth > 8) return NP_OK;
  DIR *d = opendir(dir);
  if (!d) return util_err(err, NP_EIO, "cannot open rules directory %s", dir);
  util_vec names;
  util_vec_init(&names, f->alloc, sizeof(char *));
  struct dirent *ent;
  int rc = NP_OK;
  while ((ent = readdir(d)) != NULL) {
    if (ent->d_name[0] == '.') continue;
    char *p = util_malloc(f->alloc, strlen(dir) + strlen(ent->d_name) + 2);
    if (!p) { rc = NP_ENOMEM; break; }
    sprintf(p, "%s/%s", dir, ent->d_name);
    if (util_vec_push(&names, &p) < 0) { util_free(f->alloc, p); rc = NP_ENOMEM; break; }
  }
  closedir(d);
  if (names.len) qsort(names.data, names.len, sizeof(char *), cmp_str);
  for (size_t i = 0; i < names.len; i++) {
    char *p = UTIL_VEC_AT(&names, char *, i);
    struct stat st;
    if (rc == NP_OK && stat(p, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        rc = walk(f, p, depth + 1, err);
      } else if (ends_with(p, ".rules") || ends_with(p, ".norm") ||
                 (ends_with(p, ".txt") && strstr(p, "/lexicons/"))) {
        if (util_vec_push(&f->paths, &p) == 0) continue;
        rc = NP_ENOMEM;
      }
    }
    util_free(f->alloc, p);
  }
  util_vec_free(&names);
  return rc;
}

NP_API int np_engine_compile_dir(const np_engine_config *cfg, const char *dir, np_engine **out,
                                 np_diagnostics **diag_out, np_error *err) {
  np_engine_config defaults;
  if (!cfg) { np_engine_config_init(&defaults); cfg = &defaults; }
  *out = NULL;
  if (diag_out) *diag_out = NULL;
  dir_files f = {.alloc = &cfg->alloc};
  util_vec_init(&f.paths, f.alloc, sizeof(char *));
  np_source *srcs = NULL;
  size_t n = 0;
  int rc = walk(&f, dir, 0, err);
  if (rc == NP_OK) {
    srcs = util_calloc(f.alloc, f.paths.len + 1, sizeof *srcs);
    if (!srcs) rc = util_err(err, NP_ENOMEM, "out of memory loading %s", dir);
  }
  for (; rc == NP_OK && n < f.paths.len; n++) {
    const char *p = UTIL_VEC_AT(&f.paths, char *, n);
    char *text = NULL;
    size_t len = 0;
    rc = util_read_file(f.alloc, p, &text, &len, err);
    if (rc < 0) break;
    srcs[n].name = p;
    srcs[n].text = text;
    srcs[n].len = len;
    srcs[n].kind = ends_with(p, ".rules") ? "rules" : ends_with(p, ".norm") ? "normalize" : "lexicon";
  }
  if (rc == NP_OK) rc = np_engine_compile(cfg, srcs, n, out, diag_out, err);
  for (size_t i = 0; i < n; i++) util_free(f.alloc, (char *)srcs[i].text);
  util_free(f.alloc, srcs);
  for (size_t i = 0; i < f.paths.len; i++) util_free(f.alloc, UTIL_VEC_AT(&f.paths, char *, i));
  util_vec_free(&f.paths);
  return rc;
}
