/* engine_classify.c — seam between the engine and src/classify/ (see engine_int.h).
 * Until the classify stage is wired in, it registers no values and does nothing. */
#include "engine/engine_int.h"

int engine_classify_init(np_engine *e, np_error *err) { (void)e; (void)err; return NP_OK; }
void engine_classify_free(np_engine *e) { (void)e; }
int engine_classify_scratch(np_scratch *s, np_error *err) { (void)s; (void)err; return NP_OK; }
void engine_classify_scratch_free(np_scratch *s) { (void)s; }
int engine_classify_run(const np_engine *e, np_scratch *s, np_error *err) {
  (void)e; (void)s; (void)err;
  return NP_OK;
}
int engine_classify_prepare(np_engine *e, np_error *err) { (void)e; (void)err; return NP_OK; }
