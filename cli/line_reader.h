/* line_reader.h — reads JSON Lines with a hard per-line limit: an over-long
 * line is skipped to its end and reported, never loaded whole. */
#ifndef NP_CLI_LINE_READER_H
#define NP_CLI_LINE_READER_H
#include <stdint.h>
#include <stdio.h>

typedef struct line_reader {
  FILE *f;
  char *chunk;         /* read buffer */
  size_t chunk_len, chunk_pos;
  char *line;          /* assembled line (up to max bytes) */
  size_t line_cap;
  size_t max;          /* longest line kept */
  uint64_t line_no;    /* 1-based number of the line last returned */
  uint64_t bytes;      /* bytes consumed so far */
  int eof, error;
} line_reader;

int line_reader_init(line_reader *r, FILE *f, size_t max);
void line_reader_free(line_reader *r);
/* Next line without its '\n'.  Returns 1 and sets *line and *len, 0 at end of
 * input, -1 on a read error.  When the line is longer than max, *len is its
 * full length, *too_long is 1 and *line holds only its first max bytes. */
int line_reader_next(line_reader *r, const char **line, size_t *len, int *too_long);
#endif
