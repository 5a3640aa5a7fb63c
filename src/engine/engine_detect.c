/* engine_detect.c — seam between the engine and src/detect/ (see engine_int.h).
 * Until the detect stage is wired in, it registers no values and does nothing. */
#include "engine/engine_int.h"

int engine_detect_init(np_engine *e, np_error *err) { (void)e; (void)err; return NP_OK; }
void engine_detect_free(np_engine *e) { (void)e; }
int engine_detect_scratch(np_scratch *s, np_error *err) { (void)s; (void)err; return NP_OK; }
void engine_detect_scratch_free(np_scratch *s) { (void)s; }
int engine_detect_run(const np_engine *e, np_scratch *s, np_error *err) {
  (void)e; (void)s; (void)err;
  return NP_OK;
}
int engine_detect_json(const np_engine *e, np_scratch *s, util_buf *out) {
  (void)e; (void)s; (void)out;
  return NP_OK;
}
