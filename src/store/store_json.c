/* store_json.c — small JSON writers over util_buf for query results: a
 * column as a JSON value, a row as an object, masked indicator values, and
 * the evidence "segments" of a post (text split at evidence and indicator
 * boundaries, so the workbench highlights without recomputing offsets and
 * indicator text is masked in place for roles without reveal). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_int.h"

int store_json_col(util_buf *b, sqlite3_stmt *s, int col) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_INTEGER: return util_buf_printf(b, "%lld", (long long)sqlite3_column_int64(s, col));
    case SQLITE_FLOAT: return util_buf_printf(b, "%.4g", sqlite3_column_double(s, col));
    case SQLITE_NULL: return util_buf_append(b, "null", 4);
    default:
      return util_buf_json_str(b, (const char *)sqlite3_column_text(s, col),
                               (size_t)sqlite3_column_bytes(s, col));
  }
}

int store_json_kv_str(util_buf *b, const char *key, const char *v, int comma) {
  int rc = util_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
  if (rc) return rc;
  return v ? util_buf_json_str(b, v, strlen(v)) : util_buf_append(b, "null", 4);
}

int store_json_row_object(util_buf *b, sqlite3_stmt *s) {
  int rc = util_buf_putc(b, '{');
  int n = sqlite3_column_count(s);
  for (int i = 0; !rc && i < n; i++) {
    rc = util_buf_printf(b, "%s\"%s\":", i ? "," : "", sqlite3_column_name(s, i));
    if (!rc) rc = store_json_col(b, s, i);
  }
  return rc ? rc : util_buf_putc(b, '}');
}

/* Keeps `head` leading and `tail` trailing bytes of an ASCII-ish value. */
static void keep_ends(const char *v, size_t head, size_t tail, char *out, size_t size) {
  size_t n = strlen(v), o = 0;
  if (head + tail >= n) { /* too short to show anything safely */
    head = n > 4 ? 1 : 0;
    tail = 0;
  }
  for (size_t i = 0; i < n && o + 1 < size; i++) {
    unsigned char c = (unsigned char)v[i];
    int keep = i < head || i >= n - tail || c == '.' || c == '@' || c == ':' || c == '/';
    if (!keep && (c & 0xC0) == 0x80) continue; /* one '*' per code point */
    out[o++] = keep ? (char)c : '*';
  }
  out[o] = 0;
}

void store_mask(const char *type, const char *value, char *out, size_t size) {
  if (!size) return;
  if (!value) value = "";
  if (!type) type = "";
  size_t n = strlen(value);
  if (strchr(value, '*')) snprintf(out, size, "%s", value); /* already masked */
  else if (!strcmp(type, "phone")) keep_ends(value, 3, 4, out, size);
  else if (!strcmp(type, "bank_card")) keep_ends(value, 4, 4, out, size);
  else if (!strcmp(type, "cn_id")) keep_ends(value, 6, 4, out, size);
  else if (!strcmp(type, "url") || !strcmp(type, "domain")) snprintf(out, size, "%s", value);
  else if (!strcmp(type, "email")) {
    const char *at = strchr(value, '@');
    size_t user = at ? (size_t)(at - value) : n;
    snprintf(out, size, "%.*s***%s", user > 1 ? 1 : 0, value, at ? at : "");
  } else keep_ends(value, n / 4, n / 4, out, size);
}

int store_json_indicator_value(util_buf *b, const char *type, const char *value, int reveal) {
  if (reveal || !value) return value ? util_buf_json_str(b, value, strlen(value)) : util_buf_append(b, "null", 4);
  char m[512];
  store_mask(type, value, m, sizeof m);
  return util_buf_json_str(b, m, strlen(m));
}

/* Spans of evidence (kind 0) and indicators (kind 1) within the text. */
typedef struct span {
  size_t start, end;
  int kind;
  const char *label; /* rule or indicator type (borrowed from the JSON) */
} span;

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

int store_json_segments(util_buf *b, const char *text, const char *verdict_json,
                        const char *unused, int reveal) {
  (void)unused;
  size_t tlen = strlen(text);
  json_t *v = json_loads(verdict_json, 0, NULL);
  util_vec spans, cuts;
  util_vec_init(&spans, NULL, sizeof(span));
  util_vec_init(&cuts, NULL, sizeof(size_t));
  int rc = 0;
  size_t i, j;
  json_t *h, *m;
  json_array_foreach(json_object_get(v, "hits"), i, h) {
    json_array_foreach(json_object_get(h, "matches"), j, m) {
      span sp = {(size_t)json_integer_value(json_object_get(m, "start")),
                 (size_t)json_integer_value(json_object_get(m, "end")), 0,
                 json_string_value(json_object_get(h, "rule"))};
      if (sp.start < sp.end && sp.end <= tlen && !rc) rc = util_vec_push(&spans, &sp);
    }
  }
  json_array_foreach(json_object_get(v, "indicators"), i, m) {
    span sp = {(size_t)json_integer_value(json_object_get(m, "start")),
               (size_t)json_integer_value(json_object_get(m, "end")), 1,
               json_string_value(json_object_get(m, "type"))};
    if (sp.start < sp.end && sp.end <= tlen && !rc) rc = util_vec_push(&spans, &sp);
  }
  size_t zero = 0;
  if (!rc) rc = util_vec_push(&cuts, &zero);
  if (!rc) rc = util_vec_push(&cuts, &tlen);
  for (i = 0; !rc && i < spans.len; i++) {
    span *sp = &UTIL_VEC_AT(&spans, span, i);
    if (!(rc = util_vec_push(&cuts, &sp->start))) rc = util_vec_push(&cuts, &sp->end);
  }
  if (!rc) qsort(cuts.data, cuts.len, sizeof(size_t), cmp_size);
  if (!rc) rc = util_buf_putc(b, '[');
  int first = 1;
  for (i = 0; !rc && i + 1 < cuts.len; i++) {
    size_t a = UTIL_VEC_AT(&cuts, size_t, i), e = UTIL_VEC_AT(&cuts, size_t, i + 1);
    if (a == e) continue;
    const char *ind = NULL;
    int whole = 0; /* the piece is a whole indicator span */
    util_buf rules;
    util_buf_init(&rules, NULL, 0);
    for (j = 0; j < spans.len; j++) {
      span *sp = &UTIL_VEC_AT(&spans, span, j);
      if (sp->start > a || sp->end < e) continue;
      if (sp->kind == 1) {
        ind = sp->label ? sp->label : "indicator";
        whole = sp->start == a && sp->end == e;
      }
      else if (sp->label && !strstr(rules.data ? rules.data : "", sp->label)) {
        if (rules.len) util_buf_putc(&rules, ',');
        util_buf_json_str(&rules, sp->label, strlen(sp->label));
      }
    }
    rc = util_buf_printf(b, "%s{\"text\":", first ? "" : ",");
    first = 0;
    if (!rc && ind && !reveal) {
      char *piece = util_strndup(NULL, text + a, e - a);
      char masked[1024];
      /* A part of a split indicator is hidden entirely: masking each part
       * separately would show more of the value than the whole mask does. */
      store_mask(whole ? ind : "", piece ? piece : "", masked, sizeof masked);
      if (!whole) keep_ends(piece ? piece : "", 0, 0, masked, sizeof masked);
      util_free(NULL, piece);
      rc = util_buf_json_str(b, masked, strlen(masked));
    } else if (!rc) {
      rc = util_buf_json_str(b, text + a, e - a);
    }
    if (!rc && rules.len) rc = util_buf_printf(b, ",\"rules\":[%s]", rules.data);
    if (!rc && ind) rc = store_json_kv_str(b, "indicator", ind, 1);
    if (!rc && ind && !reveal) rc = util_buf_append(b, ",\"masked\":true", 14);
    if (!rc) rc = util_buf_putc(b, '}');
    util_buf_free(&rules);
  }
  if (!rc) rc = util_buf_putc(b, ']');
  util_vec_free(&spans);
  util_vec_free(&cuts);
  json_decref(v);
  return rc;
}

/* Appends ,"key":[rows...] for a query with one integer parameter. */
int store_json_rows(store *st, util_buf *b, const char *key, const char *sql, int64_t id) {
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) return NP_EDB;
  sqlite3_bind_int64(q, 1, id);
  int rc = util_buf_printf(b, ",\"%s\":[", key);
  for (int first = 1; !rc && sqlite3_step(q) == SQLITE_ROW; first = 0) {
    if (!first) rc = util_buf_putc(b, ',');
    if (!rc) rc = store_json_row_object(b, q);
  }
  sqlite3_finalize(q);
  return rc ? rc : util_buf_putc(b, ']');
}
