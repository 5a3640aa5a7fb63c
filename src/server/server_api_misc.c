/* server_api_misc.c — scan (one post or a batch, recorded as clues), gangs,
 * public reports (rate-limited, receipt numbers), statistics, the audit log
 * and health. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "server/server_int.h"

#define SCAN_BATCH_MAX 1000

int route_health(server *srv, request *rq) {
  util_buf_printf(&rq->out, "{\"ok\":true,\"version\":\"%s\",\"scan\":%s}", NP_VERSION,
                  srv->cfg.engine ? "true" : "false");
  return 200;
}

/* Body: {"post":{...}} or {"posts":[...]} or a post itself ({"text":...});
 * "record": false skips the store. */
int route_scan(server *srv, request *rq) {
  if (!srv->cfg.engine || !srv->scratch)
    return http_error(rq, 503, "ENOENGINE", "this server was started without rule packs");
  json_t *posts = json_object_get(rq->json, "posts"), *one = json_object_get(rq->json, "post");
  json_t *list = json_array();
  if (json_is_array(posts)) json_array_extend(list, posts);
  else if (json_is_object(one)) json_array_append(list, one);
  else if (json_object_get(rq->json, "text")) json_array_append(list, rq->json);
  size_t n = json_array_size(list);
  if (n == 0 || n > SCAN_BATCH_MAX) {
    json_decref(list);
    return http_error(rq, 400, "EFIELD", "send \"post\": {...} or \"posts\": [1..%d posts]",
                      SCAN_BATCH_MAX);
  }
  int record = !json_is_false(json_object_get(rq->json, "record"));
  int reveal = (auth_role_perms(rq->sess.role) & PERM_REVEAL) &&
               json_is_true(json_object_get(rq->json, "reveal"));
  util_buf_printf(&rq->out, "{\"verdicts\":[");
  int64_t clues = 0;
  int status = 200;
  for (size_t i = 0; i < n; i++) {
    json_t *p = json_array_get(list, i);
    char *line = json_dumps(p, JSON_COMPACT);
    if (!line) { status = http_error(rq, 500, "ENOMEM", "out of memory"); break; }
    const char *vj = NULL;
    size_t vlen = 0;
    int is_error = 0;
    np_error err = {0};
    int rc = np_scan_json(srv->cfg.engine, srv->scratch, line, strlen(line), i + 1, &vj, &vlen,
                          &is_error, &err);
    if (rc) {
      free(line);
      status = http_np_error(rq, &err);
      break;
    }
    while (vlen && vj[vlen - 1] == '\n') vlen--;
    int64_t clue = 0;
    if (record && !is_error &&
        store_record_verdict_json(srv->st, vj, vlen, line, strlen(line), srv->cfg.threshold, &clue,
                                  &err)) {
      free(line);
      status = http_np_error(rq, &err);
      break;
    }
    free(line);
    clues += clue > 0;
    if (i) util_buf_putc(&rq->out, ',');
    if (reveal || is_error) util_buf_append(&rq->out, vj, vlen);
    else http_mask_verdict(&rq->out, vj, vlen);
  }
  json_decref(list);
  store_flush(srv->st, NULL);
  if (status != 200) return status;
  util_buf_printf(&rq->out, "],\"clues\":%lld}", (long long)clues);
  if (record) {
    char detail[64];
    snprintf(detail, sizeof detail, "{\"posts\":%zu,\"clues\":%lld}", n, (long long)clues);
    http_audit(srv, rq, "scan", "posts", detail);
  }
  if (reveal) http_audit(srv, rq, "reveal", "scan", "{}");
  return 200;
}

int route_gangs(server *srv, request *rq) {
  np_error err = {0};
  if (store_gangs_json(srv->st, (int)http_query_int(rq, "min_size", 2),
                       (int)http_query_int(rq, "limit", 50), &rq->out, &err))
    return http_np_error(rq, &err);
  return 200;
}

int route_gang(server *srv, request *rq) {
  int reveal = 0;
  const char *r = http_query(rq, "reveal");
  if (r && strcmp(r, "0")) {
    if (!(auth_role_perms(rq->sess.role) & PERM_REVEAL))
      return http_error(rq, 403, "EPERM", "role '%s' may not reveal personal data", rq->sess.role);
    char target[48];
    snprintf(target, sizeof target, "gang:%lld", (long long)rq->id[0]);
    http_audit(srv, rq, "reveal", target, "{}");
    reveal = 1;
  }
  np_error err = {0};
  if (store_gang_json(srv->st, rq->id[0], reveal, &rq->out, &err)) return http_np_error(rq, &err);
  return 200;
}

int route_report_create(server *srv, request *rq) {
  if (!rate_take(srv, rq->addr, 1))
    return http_error(rq, 429, "ERATE", "too many reports from this address; try again later");
  char receipt[32];
  np_error err = {0};
  if (store_report_create(srv->st, json_field_str(rq, "category"), json_field_str(rq, "url"),
                          json_field_str(rq, "body"), json_field_str(rq, "contact"), receipt,
                          sizeof receipt, &err))
    return http_np_error(rq, &err);
  char target[48];
  snprintf(target, sizeof target, "report:%s", receipt);
  http_audit(srv, rq, "report.create", target, "{}");
  util_buf_printf(&rq->out, "{\"receipt\":\"%s\",\"status\":\"received\"}", receipt);
  return 201;
}

int route_report_status(server *srv, request *rq) {
  np_error err = {0};
  if (store_report_status_json(srv->st, rq->seg, &rq->out, &err)) return http_np_error(rq, &err);
  return 200;
}

int route_reports(server *srv, request *rq) {
  int reveal = 0;
  const char *r = http_query(rq, "reveal");
  if (r && strcmp(r, "0")) {
    if (!(auth_role_perms(rq->sess.role) & PERM_REVEAL))
      return http_error(rq, 403, "EPERM", "role '%s' may not reveal personal data", rq->sess.role);
    http_audit(srv, rq, "reveal", "reports", "{}");
    reveal = 1;
  }
  np_error err = {0};
  if (store_reports_json(srv->st, http_query(rq, "status"), (int)http_query_int(rq, "limit", 50),
                         (int)http_query_int(rq, "offset", 0), reveal, &rq->out, &err))
    return http_np_error(rq, &err);
  return 200;
}

int route_report_set(server *srv, request *rq) {
  const char *status = json_field_str(rq, "status");
  np_error err = {0};
  if (store_report_set_status(srv->st, rq->id[0], status, &err)) return http_np_error(rq, &err);
  char target[48], detail[48];
  snprintf(target, sizeof target, "report:%lld", (long long)rq->id[0]);
  snprintf(detail, sizeof detail, "{\"status\":\"%s\"}", status);
  http_audit(srv, rq, "report.status", target, detail);
  util_buf_printf(&rq->out, "{\"ok\":true}");
  return 200;
}

int route_stats(server *srv, request *rq) {
  np_error err = {0};
  const char *period = http_query(rq, "period");
  if (store_stats_json(srv->st, period ? period : "month", http_query_int(rq, "since", 0),
                       http_query_int(rq, "until", 0), &rq->out, &err))
    return http_np_error(rq, &err);
  return 200;
}

int route_audit(server *srv, request *rq) {
  np_error err = {0};
  if (store_audit_json(srv->st, (int)http_query_int(rq, "limit", 100),
                       http_query_int(rq, "before", 0), &rq->out, &err))
    return http_np_error(rq, &err);
  return 200;
}

int route_audit_verify(server *srv, request *rq) {
  store_audit_result r;
  np_error err = {0};
  if (store_audit_verify(srv->st, &r, &err)) return http_np_error(rq, &err);
  util_buf_printf(&rq->out, "{\"ok\":%s,\"rows\":%lld,\"bad_id\":%lld,\"head\":\"%s\",\"problem\":",
                  r.bad_id ? "false" : "true", (long long)r.rows, (long long)r.bad_id, r.head);
  util_buf_json_str(&rq->out, r.problem, strlen(r.problem));
  util_buf_putc(&rq->out, '}');
  return 200;
}
