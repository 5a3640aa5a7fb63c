/* error.c — the error table (from NP_ERRNO_MAP) and np_error filling. */
#include <stdio.h>
#include <string.h>
#include "util/util.h"

NP_API const char *np_strerror(int code) {
  switch (code) {
#define XX(name, value, text) case value: return text;
    NP_ERRNO_MAP(XX)
#undef XX
  }
  return "unknown error";
}

NP_API const char *np_errname(int code) {
  switch (code) {
#define XX(name, value, text) case value: return #name;
    NP_ERRNO_MAP(XX)
#undef XX
  }
  return "EUNKNOWN";
}

static int vfill(np_error *err, int code, const char *file, int line, int col, const char *fmt,
                 va_list ap) {
  if (!err) return code;
  err->code = code;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  err->col = col;
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  return code;
}

int util_err(np_error *err, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfill(err, code, NULL, 0, 0, fmt, ap);
  va_end(ap);
  return code;
}

int util_err_at(np_error *err, int code, const char *file, int line, int col, const char *fmt,
                ...) {
  va_list ap;
  va_start(ap, fmt);
  vfill(err, code, file, line, col, fmt, ap);
  va_end(ap);
  return code;
}

NP_API void np_error_format(const np_error *err, char *buf, size_t size) {
  if (!buf || !size) return;
  if (!err) { snprintf(buf, size, "unknown error"); return; }
  const char *msg = err->message[0] ? err->message : np_strerror(err->code);
  if (err->file[0] && err->line > 0)
    snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->col, msg);
  else if (err->file[0])
    snprintf(buf, size, "%s: %s", err->file, msg);
  else
    snprintf(buf, size, "%s", msg);
}
