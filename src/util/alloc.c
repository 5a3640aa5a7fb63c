/* alloc.c — allocation through the per-engine np_allocator (never global). */
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

void *util_malloc(const np_allocator *a, size_t n) {
  if (n == 0) n = 1;
  if (a && a->malloc) return a->malloc(n, a->user);
  return malloc(n);
}

void *util_calloc(const np_allocator *a, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  void *p = util_malloc(a, count * size);
  if (p) memset(p, 0, count * size == 0 ? 1 : count * size);
  return p;
}

void *util_realloc(const np_allocator *a, void *p, size_t n) {
  if (n == 0) n = 1;
  if (a && a->realloc) return a->realloc(p, n, a->user);
  return realloc(p, n);
}

void util_free(const np_allocator *a, void *p) {
  if (!p) return;
  if (a && a->free) a->free(p, a->user);
  else free(p);
}

char *util_strndup(const np_allocator *a, const char *s, size_t n) {
  char *d = util_malloc(a, n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

char *util_strdup(const np_allocator *a, const char *s) {
  return s ? util_strndup(a, s, strlen(s)) : NULL;
}
