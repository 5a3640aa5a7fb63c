/* line_reader.c — bounded line reading for JSON Lines input. */
#include "cli/line_reader.h"
#include <stdlib.h>
#include <string.h>

#define CHUNK (1u << 20)

int line_reader_init(line_reader *r, FILE *f, size_t max) {
  memset(r, 0, sizeof *r);
  r->f = f;
  r->max = max;
  r->chunk = malloc(CHUNK);
  r->line_cap = 4096;
  r->line = malloc(r->line_cap);
  return r->chunk && r->line ? 0 : -1;
}

void line_reader_free(line_reader *r) {
  free(r->chunk);
  free(r->line);
  r->chunk = r->line = NULL;
}

static int refill(line_reader *r) {
  if (r->eof) return 0;
  r->chunk_len = fread(r->chunk, 1, CHUNK, r->f);
  r->chunk_pos = 0;
  if (r->chunk_len == 0) {
    if (ferror(r->f)) r->error = 1;
    r->eof = 1;
    return 0;
  }
  return 1;
}

static int keep(line_reader *r, size_t have, const char *p, size_t n) {
  if (have >= r->max) return 0;
  if (n > r->max - have) n = r->max - have;
  if (have + n + 1 > r->line_cap) {
    size_t cap = r->line_cap;
    while (cap < have + n + 1) cap *= 2;
    char *nl = realloc(r->line, cap);
    if (!nl) return -1;
    r->line = nl;
    r->line_cap = cap;
  }
  memcpy(r->line + have, p, n);
  return 0;
}

int line_reader_next(line_reader *r, const char **line, size_t *len, int *too_long) {
  size_t total = 0;
  int any = 0;
  for (;;) {
    if (r->chunk_pos >= r->chunk_len && !refill(r)) break;
    any = 1;
    const char *start = r->chunk + r->chunk_pos;
    size_t avail = r->chunk_len - r->chunk_pos;
    const char *nl = memchr(start, '\n', avail);
    size_t n = nl ? (size_t)(nl - start) : avail;
    if (keep(r, total, start, n) < 0) { r->error = 1; return -1; }
    total += n;
    r->chunk_pos += n + (nl ? 1 : 0);
    r->bytes += n + (nl ? 1 : 0);
    if (nl) goto got;
  }
  if (r->error) return -1;
  if (!any || (total == 0 && r->eof && !any)) return 0;
  if (total == 0) return 0;
got:
  r->line_no++;
  *too_long = total > r->max;
  size_t kept = total > r->max ? r->max : total;
  r->line[kept] = 0;
  *line = r->line;
  *len = total;
  return 1;
}
