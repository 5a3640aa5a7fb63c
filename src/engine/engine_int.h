/* engine_int.h — private to src/engine/: the engine and scratch structs and
 * the seams through which each pipeline stage plugs in.
 *
 * Stage seams (one file each, owned by the stage):
 *   engine_detect.c    PII / indicator detectors      (src/detect)
 *   engine_similar.c   hoax matching                  (src/similar)
 *   engine_classify.c  linear text classifiers        (src/classify)
 * Each stage keeps its compiled state behind a void * in np_engine and its
 * per-thread state behind a void * in np_scratch, registers the named values
 * it produces at init (engine_value_register), and fills them per post.
 */
#ifndef NP_ENGINE_INT_H
#define NP_ENGINE_INT_H
#include "match/match.h"
#include "netpatrol.h"
#include "rules/rules.h"
#include "text/text.h"
#include "util/util.h"

/* Hints the one matcher scan gives the stages for free: what a post contains
 * decides which detectors can find anything in it. */
enum {
  ENGINE_TRIGGER_ADDRESS = 4 /* a character that ends an address (号 栋 室 …) */
};

/* What a rule's condition needs, known at compile time. */
enum {
  ENGINE_RULE_NEEDS_STRINGS = 1 /* false unless one of its strings matched: skip otherwise */
};

/* One compiled matcher pattern and what an accepted match means. */
typedef struct engine_pattern {
  uint32_t string;      /* rules_string.index this pattern reports to */
  int32_t term;         /* index into the engine's term table, -1 for rule literals/regexes */
  uint8_t bound_left;   /* require an ASCII word boundary at the start */
  uint8_t bound_right;  /* ... and at the end */
  uint8_t is_exclusion; /* matches veto overlapping matches of the same term */
  uint8_t squeezed;     /* the pattern itself contains squeezed repeats */
  uint8_t trigger;      /* ENGINE_TRIGGER_* bit: not a rule string, a stage hint */
  uint16_t n_chars;     /* canonical characters in the pattern (literals), 0 for regex */
  uint8_t *repeat;      /* per character repeat count of the pattern (NULL if none > 1) */
} engine_pattern;

struct np_engine {
  np_engine_config cfg;
  const np_allocator *alloc; /* &cfg.alloc */
  text_normalizer *norm;
  rules_set rules;
  util_vec lexicons;       /* rules_lexicon * */
  util_vec values;         /* char * value names; index = slot */
  uint8_t *value_used;     /* [values.len] referenced by some rule condition */
  match_db *db;
  engine_pattern *patterns;
  size_t n_patterns;
  size_t n_terms;
  char **term_names;       /* [n_terms] canonical term text (for evidence) */
  uint8_t *rule_flags;     /* [rules] ENGINE_RULE_* */
  uint8_t *value_lazy;     /* [values] computed on first read (classifier scores) */
  uint32_t slot_text_length;
  /* stage state, owned by the stage seam files */
  void *detect;
  void *similar;
  void *classify;
};

/* A raw match from the scanner, before filtering. */
typedef struct engine_raw {
  uint32_t pattern, start, end;
} engine_raw;

struct np_scratch {
  const np_engine *engine;
  const np_allocator *alloc;
  match_scratch *ms;
  text_norm_out norm;
  util_vec raw;            /* engine_raw */
  int raw_oom;             /* the match callback could not record a match */
  unsigned triggers;       /* ENGINE_TRIGGER_* seen in this post */
  int classified;          /* classifier scores of this post are in values */
  int classify_rc;         /* their error, reported after the rules */
  np_error *classify_err;
  uint32_t *count;         /* [n_strings] */
  util_vec *pos;           /* [n_strings] vectors of rules_pos (canonical chars) */
  util_vec *spans;         /* [n_strings] vectors of np_span-compatible (orig bytes) */
  const rules_pos **pos_ptr;
  uint32_t *n_pos;
  uint32_t *touched;       /* strings with count > 0 this post */
  size_t n_touched;
  double *values;          /* [values.len] */
  util_vec hits;           /* np_hit */
  util_vec hit_spans;      /* np_span */
  util_vec indicators;     /* np_indicator (filled by the detect stage) */
  np_verdict verdict;
  int verdict_ok;          /* the last np_scan_json produced a verdict */
  util_buf out;            /* JSON output */
  np_post post;            /* the post being scanned (borrowed) */
  void *json;              /* JSON Lines reader/writer state (json_io.c), made on first use */
  void *detect;
  void *similar;
  void *classify;
};

/* Registers a named value ("pii.phone") and returns its slot (>= 0) or a
 * negative error.  Registering an existing name returns its slot. */
int engine_value_register(np_engine *e, const char *name);
/* Slot of a name, or -1. */
int engine_value_slot(const np_engine *e, const char *name);

/* Private helpers shared by the engine's files. */
int engine_values_init(np_engine *e);
void engine_values_free(np_engine *e);
/* Builds the matcher patterns from the parsed rules and lexicons. */
int engine_patterns_build(np_engine *e, const np_source *srcs, size_t n_srcs, rules_diags *diags,
                          np_error *err);
void engine_patterns_free(np_engine *e);
/* Writes the verdict of the last np_scan as one JSON line into out. */
int engine_verdict_json(const np_engine *e, np_scratch *s, const char *id_json, size_t id_len,
                        const char *extra_json, size_t extra_len, util_buf *out);
/* Frees s->json (json_io.c). */
void engine_json_scratch_free(np_scratch *s);
/* Runs one post (text already known to be valid UTF-8) into s->verdict. */
int engine_scan_post(const np_engine *e, np_scratch *s, const np_post *post, np_error *err);
/* Index of a lexicon by name, or -1. */
int engine_lexicon_find(const np_engine *e, const char *name);

/* ---- stage seams: each returns 0 or a negative NP_E* ------------------ */
/* Called once at compile time, before rules are parsed (register values). */
int engine_detect_init(np_engine *e, np_error *err);
int engine_similar_init(np_engine *e, np_error *err);
int engine_classify_init(np_engine *e, np_error *err);
/* Called after rules are parsed (e->value_used is known). */
int engine_classify_prepare(np_engine *e, np_error *err);
void engine_detect_free(np_engine *e);
void engine_similar_free(np_engine *e);
void engine_classify_free(np_engine *e);

int engine_detect_scratch(np_scratch *s, np_error *err);
int engine_similar_scratch(np_scratch *s, np_error *err);
int engine_classify_scratch(np_scratch *s, np_error *err);
void engine_detect_scratch_free(np_scratch *s);
void engine_similar_scratch_free(np_scratch *s);
void engine_classify_scratch_free(np_scratch *s);

/* Per post, after normalization and matching, before rules: fill s->values
 * (and s->indicators for detect).  s->norm holds the canonical text. */
int engine_detect_run(const np_engine *e, np_scratch *s, np_error *err);
int engine_similar_run(const np_engine *e, np_scratch *s, np_error *err);
int engine_classify_run(const np_engine *e, np_scratch *s, np_error *err);

/* Appends this stage's verdict fields to the JSON object being written
 * (each starts with a comma, e.g. ,"indicators":[...]); may append nothing. */
int engine_detect_json(const np_engine *e, np_scratch *s, util_buf *out);
int engine_similar_json(const np_engine *e, np_scratch *s, util_buf *out);
#endif
