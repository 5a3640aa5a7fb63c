/* report.c — renders verdicts for people: ANSI colour on a terminal, ⟦…⟧
 * markers otherwise, so the evidence stands out either way. */
#include "cli/report.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define C_ON(c, s) ((c) ? (s) : "")
static const char *action_word(np_action a) {
  return a == NP_ACTION_BLOCK ? "BLOCK" : a == NP_ACTION_REVIEW ? "REVIEW" : "PASS";
}
static const char *sev_word(np_severity s) {
  return s == NP_SEVERITY_LOW ? "low" : s == NP_SEVERITY_MEDIUM ? "medium"
         : s == NP_SEVERITY_HIGH ? "high" : "critical";
}

/* 1 if byte i of the text lies inside some evidence span. */
static int marked(const np_verdict *v, size_t i) {
  for (size_t h = 0; h < v->n_hits; h++)
    for (size_t k = 0; k < v->hits[h].n_spans; k++)
      if (i >= v->hits[h].spans[k].start && i < v->hits[h].spans[k].end) return 1;
  return 0;
}

static void put_text(util_buf *out, const char *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    util_buf_putc(out, c < 0x20 ? ' ' : (char)c);
  }
}

void report_verdict_text(util_buf *out, const char *line, size_t len, uint64_t line_no,
                         const np_verdict *v, int color) {
  json_t *root = json_loadb(line, len, 0, NULL);
  json_t *jt = root ? json_object_get(root, "text") : NULL;
  json_t *jid = root ? json_object_get(root, "id") : NULL;
  const char *text = jt ? json_string_value(jt) : "";
  size_t tlen = jt ? json_string_length(jt) : 0;
  const char *acol = v->action == NP_ACTION_BLOCK ? "\033[1;31m" : "\033[1;33m";
  util_buf_printf(out, "%s── line %llu", C_ON(color, "\033[2m"), (unsigned long long)line_no);
  if (jid) {
    char *id = json_dumps(jid, JSON_COMPACT | JSON_ENCODE_ANY);
    if (id) util_buf_printf(out, "  id %s", id);
    free(id);
  }
  util_buf_printf(out, "%s  %s%s%s  score %.2f ", C_ON(color, "\033[0m"), C_ON(color, acol),
                  action_word(v->action), C_ON(color, "\033[0m"), v->score);
  for (size_t h = 0; h < v->n_hits; h++) {
    int seen = 0;
    for (size_t j = 0; j < h; j++) seen |= strcmp(v->hits[j].category, v->hits[h].category) == 0;
    if (!seen) util_buf_printf(out, " %s", v->hits[h].category);
  }
  util_buf_append(out, "\n  ", 3);
  int in = 0;
  for (size_t i = 0; i <= tlen; i++) {
    int m = i < tlen && marked(v, i);
    if (m != in) {
      util_buf_printf(out, "%s", m ? (color ? "\033[1;4;31m" : "⟦") : (color ? "\033[0m" : "⟧"));
      in = m;
    }
    if (i < tlen) put_text(out, text + i, 1);
  }
  util_buf_putc(out, '\n');
  for (size_t h = 0; h < v->n_hits; h++) {
    const np_hit *hit = &v->hits[h];
    util_buf_printf(out, "  • %s%s%s  %s  %s → %s\n", C_ON(color, "\033[1m"), hit->rule,
                    C_ON(color, "\033[0m"), hit->category, sev_word(hit->severity),
                    hit->action == NP_ACTION_BLOCK ? "block"
                    : hit->action == NP_ACTION_REVIEW ? "review" : "pass");
    for (size_t k = 0; k < hit->n_spans && k < 8; k++) {
      const np_span *sp = &hit->spans[k];
      util_buf_printf(out, "      %s \"", sp->name);
      if (sp->end <= tlen) put_text(out, text + sp->start, sp->end - sp->start);
      util_buf_printf(out, "\"");
      if (sp->term) util_buf_printf(out, " = %s", sp->term);
      util_buf_printf(out, "  [%u,%u)\n", sp->start, sp->end);
    }
    if (hit->n_spans > 8) util_buf_printf(out, "      … %zu more\n", hit->n_spans - 8);
  }
  json_decref(root);
}

void report_error_text(util_buf *out, const char *rec, size_t len, int color) {
  json_t *root = json_loadb(rec, len, 0, NULL);
  json_t *err = root ? json_object_get(root, "error") : NULL;
  const char *code = json_string_value(json_object_get(err, "code"));
  const char *msg = json_string_value(json_object_get(err, "message"));
  util_buf_printf(out, "%s── line %lld  ERROR %s: %s%s\n", C_ON(color, "\033[1;35m"),
                  (long long)json_integer_value(json_object_get(root, "line")), code ? code : "?",
                  msg ? msg : "?", C_ON(color, "\033[0m"));
  json_decref(root);
}
