/* server_http.c — small helpers for handlers: the one JSON error shape
 * {"error":{"code","message"}}, np_error → HTTP status, query/header/body
 * field access, the audit hook and masking of verdict JSON by role. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "server/server_int.h"

int http_error(request *rq, int status, const char *code, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  util_buf_reset(&rq->out);
  util_buf_printf(&rq->out, "{\"error\":{\"code\":\"%s\",\"message\":", code);
  util_buf_json_str(&rq->out, msg, strlen(msg));
  util_buf_printf(&rq->out, "}}");
  return status;
}

int http_np_error(request *rq, const np_error *err) {
  int status = 500;
  switch (err->code) {
    case NP_EINVAL: case NP_EJSON: case NP_EFIELD: case NP_EUTF8: status = 400; break;
    case NP_ENOTFOUND: status = 404; break;
    case NP_ETOOBIG: status = 413; break;
    default: break;
  }
  return http_error(rq, status, np_errname(err->code), "%s", err->message);
}

int http_ok(request *rq, int status) {
  (void)rq;
  return status;
}

const char *http_query(request *rq, const char *key) {
  const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);
  return v && *v ? v : NULL;
}

int64_t http_query_int(request *rq, const char *key, int64_t dflt) {
  const char *v = http_query(rq, key);
  if (!v) return dflt;
  char *end;
  long long n = strtoll(v, &end, 10);
  return *end ? dflt : (int64_t)n;
}

const char *http_header(request *rq, const char *key) {
  return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, key);
}

const char *json_field_str(request *rq, const char *key) {
  json_t *v = json_object_get(rq->json, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

void http_audit(server *srv, request *rq, const char *action, const char *target,
                const char *detail) {
  char actor[128];
  if (rq->authed) snprintf(actor, sizeof actor, "%s", rq->sess.user);
  else snprintf(actor, sizeof actor, "anonymous@%s", rq->addr);
  store_audit(srv->st, actor, action, target ? target : "", detail ? detail : "{}", NULL);
}

int http_mask_verdict(util_buf *out, const char *verdict, size_t len) {
  json_t *v = json_loadb(verdict, len, 0, NULL);
  if (!v) return util_buf_append(out, verdict, len);
  size_t i;
  json_t *ind;
  json_array_foreach(json_object_get(v, "indicators"), i, ind) {
    const char *type = json_string_value(json_object_get(ind, "type"));
    const char *value = json_string_value(json_object_get(ind, "value"));
    if (!value) continue;
    char m[512];
    store_mask(type, value, m, sizeof m);
    json_object_set_new(ind, "value", json_string(m));
  }
  char *s = json_dumps(v, JSON_COMPACT);
  json_decref(v);
  if (!s) return NP_ENOMEM;
  int rc = util_buf_append(out, s, strlen(s));
  free(s);
  return rc;
}
