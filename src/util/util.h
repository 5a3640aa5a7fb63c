/* util — allocation through the engine's allocator, error filling, bounded
 * growable buffers and small vectors.  Depends on libc only. */
#ifndef NP_UTIL_H
#define NP_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "netpatrol.h"

#if defined(__GNUC__)
#define UTIL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define UTIL_PRINTF(a, b)
#endif

/* Pass an error code up: TRY(expr) jumps to `fail` with rc set. */
#define TRY(expr)                      \
  do {                                 \
    if ((rc = (expr)) < 0) goto fail;  \
  } while (0)

/* Allocation through an np_allocator (NULL or NULL members mean libc). */
void *util_malloc(const np_allocator *a, size_t n);
void *util_calloc(const np_allocator *a, size_t count, size_t size);
void *util_realloc(const np_allocator *a, void *p, size_t n);
void util_free(const np_allocator *a, void *p);
char *util_strdup(const np_allocator *a, const char *s);
char *util_strndup(const np_allocator *a, const char *s, size_t n);

/* Fills err (may be NULL) and returns code.  util_err_at adds a location. */
int util_err(np_error *err, int code, const char *fmt, ...) UTIL_PRINTF(3, 4);
int util_err_at(np_error *err, int code, const char *file, int line, int col, const char *fmt,
                ...) UTIL_PRINTF(6, 7);

/* A growable byte buffer with a hard limit (0 = SIZE_MAX): growth past the
 * limit is NP_ETOOBIG, not an allocation failure.  data is NUL-terminated. */
typedef struct util_buf {
  char *data;
  size_t len, cap, limit;
  const np_allocator *alloc;
} util_buf;
void util_buf_init(util_buf *b, const np_allocator *a, size_t limit);
int util_buf_reserve(util_buf *b, size_t extra);
int util_buf_append(util_buf *b, const void *p, size_t n);
int util_buf_putc(util_buf *b, char c);
int util_buf_printf(util_buf *b, const char *fmt, ...) UTIL_PRINTF(2, 3);
/* Appends s as a JSON string literal (with quotes), escaping as RFC 8259 asks. */
int util_buf_json_str(util_buf *b, const char *s, size_t n);
void util_buf_reset(util_buf *b);
void util_buf_free(util_buf *b);

/* A growable array of fixed-size elements. */
typedef struct util_vec {
  void *data;
  size_t len, cap, elem;
  const np_allocator *alloc;
} util_vec;
void util_vec_init(util_vec *v, const np_allocator *a, size_t elem_size);
/* Appends one element (copied from elem); returns 0 or NP_ENOMEM. */
int util_vec_push(util_vec *v, const void *elem);
/* Makes room for n more elements and returns a pointer to them (len grows). */
void *util_vec_grow(util_vec *v, size_t n);
#define UTIL_VEC_AT(v, type, i) (((type *)(v)->data)[i])
void util_vec_free(util_vec *v);

/* Reads a whole file into a NUL-terminated buffer (caller frees with util_free). */
int util_read_file(const np_allocator *a, const char *path, char **out, size_t *len, np_error *err);

/* UTF-8: decodes one code point at s[*i] (advancing *i); returns -1 on an
 * invalid or truncated sequence (advancing *i by one byte). */
int32_t util_utf8_next(const char *s, size_t len, size_t *i);
/* Encodes cp into out (at least 4 bytes); returns the number of bytes. */
size_t util_utf8_put(uint32_t cp, char *out);
/* 1 if s[0..len) is valid UTF-8 without NUL bytes; else 0 and *bad = offset. */
int util_utf8_valid(const char *s, size_t len, size_t *bad);

/* 64-bit hash of bytes (xxh3) with a seed. */
uint64_t util_hash64(const void *p, size_t n, uint64_t seed);
#endif
