/* report.h — the human-readable `scan --format text` report: one block per
 * flagged post with its evidence highlighted in the original text. */
#ifndef NP_CLI_REPORT_H
#define NP_CLI_REPORT_H
#include <stddef.h>
#include <stdint.h>
#include "netpatrol.h"
#include "util/util.h"

/* line is the post's JSON record; v its verdict (spans index the decoded text);
 * vjson the verdict as JSON (for the stage fields: indicators, hoax). */
void report_verdict_text(util_buf *out, const char *line, size_t len, uint64_t line_no,
                         const np_verdict *v, const char *vjson, size_t vlen, int color);
/* rec is an error record {"line":N,"error":{"code","message"}} as written in JSON. */
void report_error_text(util_buf *out, const char *rec, size_t len, int color);
#endif
