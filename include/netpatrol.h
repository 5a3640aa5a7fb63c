/* netpatrol.h — the one public header of libnetpatrol.
 *
 * Ownership, stated once for the whole API:
 *  - If you call np_X_new / np_X_compile / np_X_alloc / np_X_open, you own the
 *    result and release it with np_X_free.  Every free function accepts NULL.
 *  - Every other pointer argument is borrowed for the duration of the call; the
 *    library copies whatever it keeps.
 *  - Pointers the library returns are borrowed; each prototype says how long
 *    they stay valid (typically "until the next np_scan on this scratch").
 *
 * Errors: every fallible function returns 0 (NP_OK) or a negative NP_E* code,
 * and fills the optional caller-owned np_error with a detailed message.
 *
 * Threads: an np_engine is immutable after np_engine_compile and may be shared
 * by any number of threads; each thread owns its np_scratch.  The library has
 * no global mutable state and never prints or exits.
 */
#ifndef NETPATROL_H
#define NETPATROL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define NP_API __attribute__((visibility("default")))
#else
#define NP_API
#endif

#define NP_VERSION "0.1.0"

/* Error codes: XX(name, value, fixed text).  docs/errors.md lists the same. */
#define NP_ERRNO_MAP(XX)                                                   \
  XX(OK, 0, "success")                                                     \
  XX(ENOMEM, -1, "out of memory")                                          \
  XX(EINVAL, -2, "invalid argument")                                       \
  XX(ERULE, -3, "invalid rule pack")                                       \
  XX(EIO, -4, "input/output error")                                        \
  XX(ETOOBIG, -5, "input exceeds a configured limit")                      \
  XX(EUTF8, -6, "invalid UTF-8")                                           \
  XX(EJSON, -7, "malformed JSON")                                          \
  XX(EFIELD, -8, "missing or mistyped field")                              \
  XX(EMATCH, -9, "pattern matcher failure")                                \
  XX(EMODEL, -10, "invalid model file")                                    \
  XX(EVERSION, -11, "unsupported file version")                            \
  XX(EDB, -12, "database error")                                           \
  XX(ENOTFOUND, -13, "not found")                                          \
  XX(EINTERNAL, -14, "internal error")

enum {
#define NP_XX_ENUM(name, value, text) NP_##name = (value),
  NP_ERRNO_MAP(NP_XX_ENUM)
#undef NP_XX_ENUM
};

/* Detailed error: "file:line:col: message" when file is set, else message. */
typedef struct np_error {
  int code;          /* NP_E* */
  char file[256];    /* source file (rule pack, model, input), "" if none */
  int line, col;     /* 1-based; 0 if unknown */
  char message[512]; /* one sentence, no trailing newline */
} np_error;

/* Fixed text for a code ("out of memory"), and its name ("ENOMEM"). */
NP_API const char *np_strerror(int code);
NP_API const char *np_errname(int code);
/* Formats err as "file:line:col: message" (or the message alone) into buf. */
NP_API void np_error_format(const np_error *err, char *buf, size_t size);

/* Allocator hook (per engine, never global).  NULL members mean libc. */
typedef struct np_allocator {
  void *(*malloc)(size_t size, void *user);
  void *(*realloc)(void *ptr, size_t size, void *user);
  void (*free)(void *ptr, void *user);
  void *user;
} np_allocator;

/* Verdict actions, from mild to strong. */
typedef enum { NP_ACTION_PASS = 0, NP_ACTION_REVIEW = 1, NP_ACTION_BLOCK = 2 } np_action;
typedef enum {
  NP_SEVERITY_LOW = 1, NP_SEVERITY_MEDIUM = 2, NP_SEVERITY_HIGH = 3, NP_SEVERITY_CRITICAL = 4
} np_severity;

typedef struct np_engine_config {
  np_allocator alloc;
  uint64_t seed;            /* for anything randomised (hash seeds); default fixed */
  size_t max_text_bytes;    /* longer post texts are NP_ETOOBIG (default 1 MiB) */
  size_t max_line_bytes;    /* longer JSON lines are NP_ETOOBIG (default 8 MiB) */
  int reveal;               /* 1: indicators unmasked in output (default 0) */
  int detectors;            /* 1: run PII/indicator detectors (default 1) */
  const char *hoax_path;    /* hoax database JSONL; NULL = none */
  const char *models_dir;   /* directory of *.npm model files; NULL = none */
  const char *cache_dir;    /* compiled matcher databases are cached here (an existing,
                               writable directory); NULL = compile every time */
  /* Optional log callback; the library never prints. level: 0 error .. 3 debug */
  void (*log)(int level, const char *message, void *user);
  void *log_user;
} np_engine_config;

/* Fills cfg with defaults. */
NP_API void np_engine_config_init(np_engine_config *cfg);

/* An in-memory source file.  kind: "rules" (*.rules), "lexicon" (name without
 * extension, *.txt), "examples" (*.jsonl), "normalize" (*.norm). */
typedef struct np_source {
  const char *kind;
  const char *name;   /* path for messages, or lexicon name */
  const char *text;
  size_t len;
} np_source;

typedef struct np_engine np_engine;
typedef struct np_scratch np_scratch;

/* Compiles rule packs, lexicons and normalization declarations into one
 * immutable engine.  On a rule error returns NP_ERULE; every diagnostic of every
 * file is then available through np_diagnostics_* on *diag_out if non-NULL
 * (caller frees with np_diagnostics_free).  Thread-safe only on distinct outputs. */
typedef struct np_diagnostics np_diagnostics;
NP_API int np_engine_compile(const np_engine_config *cfg, const np_source *srcs, size_t n,
                             np_engine **out, np_diagnostics **diag_out, np_error *err);
/* Loads every *.rules, lexicons/NAME.txt and *.norm file below dir (sorted) and compiles. */
NP_API int np_engine_compile_dir(const np_engine_config *cfg, const char *dir, np_engine **out,
                                 np_diagnostics **diag_out, np_error *err);
NP_API void np_engine_free(np_engine *e);

/* Diagnostics collected by the compiler: each rendered as
 * "file:line:col: message\n<source line>\n<caret>\n". */
NP_API size_t np_diagnostics_count(const np_diagnostics *d);
NP_API const char *np_diagnostics_text(const np_diagnostics *d, size_t i);
NP_API void np_diagnostics_free(np_diagnostics *d);

/* Engine statistics for `rules check` and benchmarks. */
typedef struct np_engine_info {
  size_t rules, strings, patterns, lexicon_terms, db_bytes;
} np_engine_info;
NP_API void np_engine_get_info(const np_engine *e, np_engine_info *info);
/* The i-th rule's name and category (i < info.rules); borrowed for e's lifetime. */
NP_API const char *np_engine_rule_name(const np_engine *e, size_t i);
NP_API const char *np_engine_rule_category(const np_engine *e, size_t i);

/* One scratch per thread; reused from post to post without allocating. */
NP_API int np_scratch_alloc(const np_engine *e, np_scratch **out, np_error *err);
NP_API void np_scratch_free(np_scratch *s);

/* A post.  text must be valid UTF-8 of text_len bytes (checked: NP_EUTF8). */
typedef struct np_post {
  const char *id;       /* may be NULL */
  const char *text;
  size_t text_len;
  const char *author;   /* may be NULL */
  int64_t time;         /* seconds since the epoch; 0 if unknown */
  const char *reply_to; /* may be NULL */
} np_post;

typedef struct np_span {
  const char *name;     /* string name, e.g. "$fee" */
  const char *term;     /* lexicon term that matched (as written in the lexicon), or NULL */
  uint32_t start, end;  /* byte offsets into the ORIGINAL text */
} np_span;

typedef struct np_hit {
  const char *rule;
  const char *category;
  np_severity severity;
  np_action action;
  const np_span *spans;
  size_t n_spans;
} np_hit;

typedef struct np_indicator {
  const char *type;      /* "cn_id", "phone", "bank_card", "url", ... */
  uint32_t start, end;   /* byte offsets into the original text */
  const char *value;     /* canonical value (unmasked) */
  const char *masked;    /* masked value for output */
  double confidence;     /* 0..1 */
} np_indicator;

typedef struct np_verdict {
  np_action action;
  double score;          /* 0..1 */
  const np_hit *hits;
  size_t n_hits;
  const np_indicator *indicators;
  size_t n_indicators;
} np_verdict;

/* Scans one post.  *out is owned by the scratch and valid until the next
 * np_scan on the same scratch.  Thread-safe with distinct scratches. */
NP_API int np_scan(const np_engine *e, np_scratch *s, const np_post *post, const np_verdict **out,
                   np_error *err);

/* Decodes one JSON Lines record, scans it and appends the verdict JSON (one
 * line, with '\n') to the scratch's output buffer.  Malformed input never
 * fails the call: an error record {"line":N,"error":{...}} is written instead
 * and *is_error set to 1.  Returns a negative code only for NP_ENOMEM.
 * The output stays valid until the next call on this scratch. */
NP_API int np_scan_json(const np_engine *e, np_scratch *s, const char *line, size_t len,
                        uint64_t line_no, const char **json_out, size_t *json_len, int *is_error,
                        np_error *err);

/* The verdict of the last np_scan_json on this scratch, or NULL if that
 * record was an error record.  Valid until the next scan on the scratch. */
NP_API const np_verdict *np_scratch_verdict(const np_scratch *s);

/* The i-th keyword of the rule language (for `netpatrol rules keywords`), NULL past the end. */
NP_API const char *np_rule_keyword(size_t i);

/* Named values visible to rule conditions (pii.*, indicator.*, clf.*, ...):
 * the i-th name known to this engine, NULL past the end. */
NP_API const char *np_engine_value_name(const np_engine *e, size_t i);

/* Normalizes text with the engine's normalizer (for tools and tests): the
 * canonical text is borrowed from the scratch until its next use. */
NP_API int np_normalize(const np_engine *e, np_scratch *s, const char *text, size_t len,
                        const char **canon, size_t *canon_len, np_error *err);

#ifdef __cplusplus
}
#endif
#endif
