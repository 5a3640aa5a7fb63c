/* engine_similar.c — seam between the engine and src/similar/ (see engine_int.h).
 * Until the similar stage is wired in, it registers no values and does nothing. */
#include "engine/engine_int.h"

int engine_similar_init(np_engine *e, np_error *err) { (void)e; (void)err; return NP_OK; }
void engine_similar_free(np_engine *e) { (void)e; }
int engine_similar_scratch(np_scratch *s, np_error *err) { (void)s; (void)err; return NP_OK; }
void engine_similar_scratch_free(np_scratch *s) { (void)s; }
int engine_similar_run(const np_engine *e, np_scratch *s, np_error *err) {
  (void)e; (void)s; (void)err;
  return NP_OK;
}
int engine_similar_json(const np_engine *e, np_scratch *s, util_buf *out) {
  (void)e; (void)s; (void)out;
  return NP_OK;
}
