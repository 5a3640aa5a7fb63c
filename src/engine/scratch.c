/* scratch.c — per-thread scan state: matcher scratch, normalization buffers,
 * per-string counts and positions, hit and verdict storage.  Allocated once
 * per thread and reused from post to post. */
#include <string.h>
#include "engine/engine_int.h"

NP_API int np_scratch_alloc(const np_engine *e, np_scratch **out, np_error *err) {
  *out = NULL;
  np_scratch *s = util_calloc(e->alloc, 1, sizeof *s);
  if (!s) return util_err(err, NP_ENOMEM, "out of memory allocating a scratch");
  s->engine = e;
  s->alloc = e->alloc;
  int rc = NP_OK;
  size_t ns = e->rules.n_strings ? e->rules.n_strings : 1;
  text_norm_out_init(&s->norm, e->alloc);
  util_vec_init(&s->raw, e->alloc, sizeof(engine_raw));
  util_vec_init(&s->hits, e->alloc, sizeof(np_hit));
  util_vec_init(&s->hit_spans, e->alloc, sizeof(np_span));
  util_vec_init(&s->indicators, e->alloc, sizeof(np_indicator));
  util_buf_init(&s->out, e->alloc, 0);
  s->count = util_calloc(e->alloc, ns, sizeof *s->count);
  s->n_pos = util_calloc(e->alloc, ns, sizeof *s->n_pos);
  s->pos_ptr = util_calloc(e->alloc, ns, sizeof *s->pos_ptr);
  s->touched = util_calloc(e->alloc, ns, sizeof *s->touched);
  s->pos = util_calloc(e->alloc, ns, sizeof *s->pos);
  s->spans = util_calloc(e->alloc, ns, sizeof *s->spans);
  s->values = util_calloc(e->alloc, e->values.len ? e->values.len : 1, sizeof *s->values);
  if (!s->count || !s->n_pos || !s->pos_ptr || !s->touched || !s->pos || !s->spans || !s->values) {
    rc = util_err(err, NP_ENOMEM, "out of memory allocating a scratch");
    goto fail;
  }
  for (size_t i = 0; i < ns; i++) {
    util_vec_init(&s->pos[i], e->alloc, sizeof(rules_pos));
    util_vec_init(&s->spans[i], e->alloc, sizeof(np_span));
  }
  TRY(match_scratch_alloc(e->db, e->alloc, &s->ms, err));
  TRY(engine_detect_scratch(s, err));
  TRY(engine_similar_scratch(s, err));
  TRY(engine_classify_scratch(s, err));
  *out = s;
  return NP_OK;
fail:
  np_scratch_free(s);
  return rc;
}

NP_API void np_scratch_free(np_scratch *s) {
  if (!s) return;
  const np_engine *e = s->engine;
  engine_classify_scratch_free(s);
  engine_similar_scratch_free(s);
  engine_detect_scratch_free(s);
  engine_json_scratch_free(s);
  match_scratch_free(s->ms);
  size_t ns = e->rules.n_strings ? e->rules.n_strings : 1;
  if (s->pos)
    for (size_t i = 0; i < ns; i++) util_vec_free(&s->pos[i]);
  if (s->spans)
    for (size_t i = 0; i < ns; i++) util_vec_free(&s->spans[i]);
  util_free(s->alloc, s->pos);
  util_free(s->alloc, s->spans);
  util_free(s->alloc, s->count);
  util_free(s->alloc, s->n_pos);
  util_free(s->alloc, s->pos_ptr);
  util_free(s->alloc, s->touched);
  util_free(s->alloc, s->values);
  text_norm_out_free(&s->norm);
  util_vec_free(&s->raw);
  util_vec_free(&s->hits);
  util_vec_free(&s->hit_spans);
  util_vec_free(&s->indicators);
  util_buf_free(&s->out);
  util_free(s->alloc, s);
}
