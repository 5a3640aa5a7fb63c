/* file.c — whole-file reads with clear errors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "util/util.h"

int util_read_file(const np_allocator *a, const char *path, char **out, size_t *len,
                   np_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) return util_err(err, NP_EIO, "cannot open %s: %s", path, strerror(errno));
  util_buf b;
  util_buf_init(&b, a, 0);
  char chunk[65536];
  size_t n;
  int rc = util_buf_reserve(&b, 0);
  while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0) rc = util_buf_append(&b, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (rc || bad) {
    util_buf_free(&b);
    if (rc) return util_err(err, rc, "cannot read %s: %s", path, np_strerror(rc));
    return util_err(err, NP_EIO, "cannot read %s", path);
  }
  *out = b.data;
  *len = b.len;
  return NP_OK;
}
