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

/* The stage fields of the verdict JSON: indicators (already masked unless
 * --reveal) and the known-hoax match with its debunk reference. */
static void report_stage_fields(util_buf *out, const char *vjson, size_t vlen, int color) {
  json_t *root = json_loadb(vjson, vlen, 0, NULL);
  if (!root) return;
  json_t *inds = json_object_get(root, "indicators");
  size_t i;
  json_t *ind;
  if (json_array_size(inds)) {
    util_buf_printf(out, "  %sindicators:%s", C_ON(color, "\033[1m"), C_ON(color, "\033[0m"));
    json_array_foreach(inds, i, ind) {
      const char *t = json_string_value(json_object_get(ind, "type"));
      const char *val = json_string_value(json_object_get(ind, "value"));
      util_buf_printf(out, "%s %s %s", i ? "," : "", t ? t : "?", val ? val : "?");
    }
    util_buf_putc(out, '\n');
  }
  json_t *hoax = json_object_get(root, "hoax");
  if (hoax) {
    const char *f[] = {"id", "claim", "stance", "debunked_by", "debunk_url"};
    const char *val[5];
    for (int k = 0; k < 5; k++) val[k] = json_string_value(json_object_get(hoax, f[k]));
    util_buf_printf(out, "  %sknown hoax%s %s (similarity %.2f, %s): %s\n    debunked by %s %s\n",
                    C_ON(color, "\033[1;35m"), C_ON(color, "\033[0m"), val[0] ? val[0] : "?",
                    json_number_value(json_object_get(hoax, "similarity")),
                    val[2] ? val[2] : "spread", val[1] ? val[1] : "", val[3] ? val[3] : "?",
                    val[4] ? val[4] : "");
  }
  json_t *coord = json_object_get(root, "coord");
  if (coord) {
    char *c = json_dumps(coord, JSON_COMPACT);
    if (c) util_buf_printf(out, "  %scoordination%s %s\n", C_ON(color, "\033[1;35m"),
                           C_ON(color, "\033[0m"), c);
    free(c);
  }
  json_decref(root);
}

void report_verdict_text(util_buf *out, const char *line, size_t len, uint64_t line_no,
                         const np_verdict *v, const char *vjson, size_t vlen, int color) {
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
  report_stage_fields(out, vjson, vlen, color);
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
