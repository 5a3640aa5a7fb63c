/* json_in.h — private to src/engine/: a strict RFC 8259 parser for one JSON
 * Lines post record.  It validates the whole line (nesting, UTF-8, escapes,
 * numbers, duplicate keys at any depth) without building a tree and returns
 * only what the engine needs: decoded text/author/reply_to/time and the raw
 * id and unknown members.  No allocation once its buffers have grown. */
#ifndef NP_ENGINE_JSON_IN_H
#define NP_ENGINE_JSON_IN_H
#include "util/util.h"

/* Deepest nesting of arrays/objects accepted (the record object is depth 1). */
#define JSON_IN_MAX_DEPTH 64

typedef enum json_in_status {
  JSON_IN_OK = 0,
  JSON_IN_BAD_JSON,   /* not valid JSON (grammar, escapes, depth, duplicate keys) */
  JSON_IN_BAD_UTF8,   /* invalid UTF-8 (overlong, surrogate, truncated, > U+10FFFF) */
  JSON_IN_NUL_BYTE,   /* a raw NUL byte, or \u0000 in any string */
  JSON_IN_NOT_OBJECT, /* valid JSON whose top-level value is not an object */
} json_in_status;

typedef enum json_in_kind { JSON_IN_ABSENT = 0, JSON_IN_STRING, JSON_IN_OTHER } json_in_kind;

/* What one record holds.  Every pointer borrows either the input line or the
 * parser's buffers: valid until the next json_in_parse on the same parser. */
typedef struct json_in_rec {
  const char *id;        /* "id" as compact JSON (whitespace dropped), NULL if absent */
  size_t id_len;
  const char *id_str;    /* decoded, NUL-terminated when "id" is a string, else NULL */
  json_in_kind text_kind;
  const char *text;      /* decoded "text" (JSON_IN_STRING only; NOT NUL-terminated) */
  size_t text_len;
  const char *author;    /* decoded, NUL-terminated, or NULL (absent / not a string) */
  const char *reply_to;  /* likewise */
  int64_t time;          /* number (truncated) or ISO-8601 string; 0 if absent/unknown */
  const char *extra;     /* {"key":value,...} of unknown members (compact), NULL if none */
  size_t extra_len;
  /* when the status is not JSON_IN_OK: */
  size_t column;         /* 1-based byte column of the problem */
  const char *reason;    /* short text, e.g. "premature end of input" */
  char reason_buf[48];   /* backing store when the reason names a byte */
} json_in_rec;

typedef struct json_in json_in;

/* Creates / frees a parser (one per thread; it owns the decoding buffers). */
int json_in_new(const np_allocator *a, json_in **out);
void json_in_free(json_in *p);

/* Parses one line (no trailing newline needed; '\n' and '\r' count as JSON
 * whitespace).  Returns a json_in_status (>= 0) with rec filled, or
 * NP_ENOMEM.  Known members: id, text, author, source, time, url, reply_to,
 * lang; the others go to rec->extra. */
int json_in_parse(json_in *p, const char *line, size_t len, json_in_rec *rec);

/* "2026-11-01T08:00:00Z" / "+08:00" / "2026-11-01 08:00:00" → seconds since
 * the epoch; -1 if s is not such a time. */
int64_t json_in_iso_time(const char *s);
#endif
