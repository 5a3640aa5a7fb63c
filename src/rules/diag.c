/* diag.c — rule and lexicon diagnostics: each is rendered once, at report
 * time, as "file:line:col: message", the source line, and a caret under the
 * column (wide CJK characters count two cells, tabs are kept, so the caret
 * lines up in a terminal; invalid bytes and control characters of the source
 * line are shown as U+FFFD so a diagnostic is always clean UTF-8 text). */
#include <stdio.h>
#include <string.h>
#include "rules/rules.h"

void rules_diags_init(rules_diags *d, const np_allocator *a) {
  util_vec_init(&d->items, a, sizeof(char *));
  d->alloc = a;
}

void rules_diags_free(rules_diags *d) {
  if (!d) return;
  for (size_t i = 0; i < d->items.len; i++) util_free(d->alloc, UTIL_VEC_AT(&d->items, char *, i));
  util_vec_free(&d->items);
}

/* East Asian Wide / Fullwidth blocks: two terminal cells. */
static int is_wide(int32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
         (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Appends the source line `line` and the caret for `col` to b. */
static int put_source_line(util_buf *b, const char *src, size_t len, int line, int col) {
  size_t s = 0;
  for (int l = 1; l < line && s < len; s++)
    if (src[s] == '\n') l++;
  if (line < 1 || s > len) return NP_OK;
  size_t e = s;
  while (e < len && src[e] != '\n') e++;
  size_t shown = e;
  if (shown > s && src[shown - 1] == '\r') shown--;
  int rc = NP_OK;
  for (size_t i = s; !rc && i < shown;) { /* bad bytes and controls shown as U+FFFD */
    size_t p = i;
    int32_t cp = util_utf8_next(src, shown, &i);
    if (cp < 0 || (cp < 0x20 && cp != '\t') || cp == 0x7F)
      rc = util_buf_append(b, "\xEF\xBF\xBD", 3);
    else
      rc = util_buf_append(b, src + p, i - p);
  }
  if (!rc) rc = util_buf_putc(b, '\n');
  size_t i = s;
  for (int c = 1; !rc && c < col && i < shown; c++) {
    int32_t cp = util_utf8_next(src, shown, &i);
    if (cp == '\t') rc = util_buf_putc(b, '\t');
    else rc = util_buf_append(b, "  ", is_wide(cp) ? 2 : 1);
  }
  if (!rc) rc = util_buf_append(b, "^\n", 2);
  return rc;
}

int rules_diag_add(rules_diags *d, const char *file, const char *src, size_t len, int line,
                   int col, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  util_buf b;
  util_buf_init(&b, d->alloc, 0);
  int rc = util_buf_printf(&b, "%s:%d:%d: %s\n", file ? file : "<input>", line, col, msg);
  if (!rc && src) rc = put_source_line(&b, src, len, line, col);
  if (!rc && !b.data) rc = NP_ENOMEM;
  if (!rc) rc = util_vec_push(&d->items, &b.data);
  if (rc) util_buf_free(&b);
  return rc;
}
