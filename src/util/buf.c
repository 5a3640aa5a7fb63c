/* buf.c — bounded growable byte buffers and element vectors. */
#include <stdio.h>
#include <string.h>
#include "util/util.h"

void util_buf_init(util_buf *b, const np_allocator *a, size_t limit) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->limit = limit ? limit : SIZE_MAX - 1;
  b->alloc = a;
}

int util_buf_reserve(util_buf *b, size_t extra) {
  if (extra > b->limit || b->len > b->limit - extra) return NP_ETOOBIG;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return NP_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *p = util_realloc(b->alloc, b->data, cap);
  if (!p) return NP_ENOMEM;
  b->data = p;
  b->cap = cap;
  return NP_OK;
}

int util_buf_append(util_buf *b, const void *p, size_t n) {
  int rc = util_buf_reserve(b, n);
  if (rc) return rc;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = 0;
  return NP_OK;
}

int util_buf_putc(util_buf *b, char c) { return util_buf_append(b, &c, 1); }

int util_buf_printf(util_buf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return NP_EINTERNAL;
  if ((size_t)n < sizeof small) return util_buf_append(b, small, (size_t)n);
  int rc = util_buf_reserve(b, (size_t)n);
  if (rc) return rc;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return NP_OK;
}

int util_buf_json_str(util_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  int rc = util_buf_reserve(b, n + 2);
  if (rc) return rc;
  b->data[b->len++] = '"';
  size_t run = 0; /* start of a run of bytes that need no escaping */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    if ((rc = util_buf_append(b, s + run, i - run))) return rc;
    char esc[7] = {'\\', 0};
    size_t el = 2;
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      default:
        esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
        esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
        el = 6;
    }
    if ((rc = util_buf_append(b, esc, el))) return rc;
    run = i + 1;
  }
  if ((rc = util_buf_append(b, s + run, n - run))) return rc;
  return util_buf_putc(b, '"');
}

void util_buf_reset(util_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = 0;
}

void util_buf_free(util_buf *b) {
  util_free(b->alloc, b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void util_vec_init(util_vec *v, const np_allocator *a, size_t elem_size) {
  v->data = NULL;
  v->len = v->cap = 0;
  v->elem = elem_size;
  v->alloc = a;
}

void *util_vec_grow(util_vec *v, size_t n) {
  if (n > SIZE_MAX / v->elem - v->len) return NULL;
  if (v->len + n > v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 16;
    while (cap < v->len + n) cap *= 2;
    void *p = util_realloc(v->alloc, v->data, cap * v->elem);
    if (!p) return NULL;
    v->data = p;
    v->cap = cap;
  }
  void *at = (char *)v->data + v->len * v->elem;
  v->len += n;
  return at;
}

int util_vec_push(util_vec *v, const void *elem) {
  void *at = util_vec_grow(v, 1);
  if (!at) return NP_ENOMEM;
  memcpy(at, elem, v->elem);
  return NP_OK;
}

void util_vec_free(util_vec *v) {
  util_free(v->alloc, v->data);
  v->data = NULL;
  v->len = v->cap = 0;
}
