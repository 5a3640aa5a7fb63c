/* engine_detect.c — seam between the engine and src/detect/ (see
 * engine_int.h): registers the pii.* / indicator.* values, runs the detectors
 * on each post's canonical text, turns findings into np_indicator records
 * (masked value prepared before anything is written) and writes the
 * "indicators" array of the verdict JSON, unmasked only with cfg.reveal. */
#include <string.h>
#include <time.h>
#include "detect/detect.h"
#include "engine/engine_int.h"

/* Immutable per-engine state: value slots and the reference date. */
typedef struct detect_engine {
  int slots[DETECT_N_VALUES];
  int64_t compiled_at; /* "today" for birth dates when a post has no time */
} detect_engine;

int engine_detect_init(np_engine *e, np_error *err) {
  detect_engine *d = util_calloc(e->alloc, 1, sizeof *d);
  if (!d) return util_err(err, NP_ENOMEM, "out of memory");
  for (int v = 0; v < DETECT_N_VALUES; v++) {
    int slot = engine_value_register(e, detect_value_name((detect_value)v));
    if (slot < 0) {
      util_free(e->alloc, d);
      return util_err(err, slot, "out of memory");
    }
    d->slots[v] = slot;
  }
  d->compiled_at = (int64_t)time(NULL);
  e->detect = d;
  return NP_OK;
}

void engine_detect_free(np_engine *e) {
  if (!e) return;
  util_free(e->alloc, e->detect);
  e->detect = NULL;
}

int engine_detect_scratch(np_scratch *s, np_error *err) {
  detect_scratch *ds = util_calloc(s->alloc, 1, sizeof *ds);
  if (!ds) return util_err(err, NP_ENOMEM, "out of memory");
  detect_scratch_init(ds, s->alloc);
  s->detect = ds;
  return NP_OK;
}

void engine_detect_scratch_free(np_scratch *s) {
  if (!s || !s->detect) return;
  detect_scratch_free(s->detect);
  util_free(s->alloc, s->detect);
  s->detect = NULL;
}

/* DETECT_HINT_DIGIT / _ALPHA for canonical text (lower case), eight bytes at a
 * time: "has a byte strictly between m and n" for bytes below 0x80 (bytes of
 * multi-byte characters are >= 0x80 and never count). */
#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull
#define HAS_BETWEEN(x, m, n)                                                               \
  (((ONES * (127 + (n)) - ((x) & ONES * 127)) & ~(x) & (((x) & ONES * 127) + ONES * (127 - (m)))) & \
   HIGH)

static unsigned ascii_hints(const char *t, size_t n) {
  uint64_t d = 0, a = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, t + i, 8);
    d |= HAS_BETWEEN(w, '0' - 1, '9' + 1);
    a |= HAS_BETWEEN(w, 'a' - 1, 'z' + 1);
  }
  unsigned h = (d ? DETECT_HINT_DIGIT : 0) | (a ? DETECT_HINT_ALPHA : 0);
  for (; i < n; i++) {
    unsigned c = (unsigned char)t[i];
    if (c - '0' < 10u) h |= DETECT_HINT_DIGIT;
    if (c - 'a' < 26u) h |= DETECT_HINT_ALPHA;
  }
  return h;
}

int engine_detect_run(const np_engine *e, np_scratch *s, np_error *err) {
  const detect_engine *d = e->detect;
  detect_scratch *ds = s->detect;
  if (!d || !ds) return NP_OK;
  ds->items.len = 0;
  if (!e->cfg.detectors) return NP_OK;
  detect_input in = {
      .text = s->norm.text,
      .len = s->norm.len,
      .flags = s->norm.flags,
      .orig_start = s->norm.orig_start,
      .orig_end = s->norm.orig_end,
      .orig = s->post.text,
      .orig_len = s->post.text_len,
      .now = s->post.time > 0 ? s->post.time : d->compiled_at,
      /* what the text holds, so detect_run skips the scanners with nothing to find */
      .hints = DETECT_HINTS_VALID | ascii_hints(s->norm.text, s->norm.len) |
               ((s->triggers & ENGINE_TRIGGER_ADDRESS) ? DETECT_HINT_ADDRESS : 0),
  };
  int rc = detect_run(&in, ds, err);
  if (rc < 0) return rc;
  for (int v = 0; v < DETECT_N_VALUES; v++) s->values[d->slots[v]] = ds->values[v];
  /* indicators point into the detect scratch: valid until the next post */
  const detect_item *it = ds->items.data;
  for (size_t i = 0; i < ds->items.len; i++) {
    np_indicator ind = {detect_type_get(it[i].type)->name, it[i].start, it[i].end, it[i].value,
                        it[i].masked, it[i].confidence};
    if (util_vec_push(&s->indicators, &ind) < 0) return util_err(err, NP_ENOMEM, "out of memory");
  }
  return NP_OK;
}

int engine_detect_json(const np_engine *e, np_scratch *s, util_buf *out) {
  const np_indicator *ind = s->indicators.data;
  int rc = util_buf_append(out, ",\"indicators\":[", 15);
  for (size_t i = 0; rc == 0 && i < s->indicators.len; i++) {
    const char *v = e->cfg.reveal ? ind[i].value : ind[i].masked;
    rc = util_buf_printf(out, "%s{\"type\":\"%s\",\"start\":%u,\"end\":%u,\"value\":", i ? "," : "",
                         ind[i].type, ind[i].start, ind[i].end);
    if (!rc) rc = util_buf_json_str(out, v, strlen(v));
    if (!rc) rc = util_buf_printf(out, ",\"confidence\":%.2f}", ind[i].confidence);
  }
  if (!rc) rc = util_buf_putc(out, ']');
  return rc;
}
