/* server_api_clues.c — clue and case routes: the queue with filters and
 * paging, the clue page (reveal audited and limited to roles that may),
 * triage, promotion to a case, notes and dispositions. */
#include <stdio.h>
#include <string.h>
#include "server/server_int.h"

static int wants_reveal(server *srv, request *rq, const char *target, int *reveal) {
  *reveal = 0;
  const char *r = http_query(rq, "reveal");
  if (!r || !strcmp(r, "0")) return 0;
  if (!(auth_role_perms(rq->sess.role) & PERM_REVEAL))
    return http_error(rq, 403, "EPERM", "role '%s' may not reveal personal data", rq->sess.role);
  *reveal = 1;
  http_audit(srv, rq, "reveal", target, "{}");
  return 0;
}

static int store_result(request *rq, int rc, const np_error *err, int ok_status) {
  return rc ? http_np_error(rq, err) : ok_status;
}

int route_clues(server *srv, request *rq) {
  store_clue_filter f;
  memset(&f, 0, sizeof f);
  f.category = http_query(rq, "category");
  f.status = http_query(rq, "status");
  const char *sev = http_query(rq, "severity");
  if (sev) {
    f.min_severity = store_severity_of(sev);
    if (!f.min_severity)
      return http_error(rq, 400, "EINVAL", "severity must be low, medium, high or critical");
  }
  f.since = http_query_int(rq, "since", 0);
  f.until = http_query_int(rq, "until", 0);
  f.gang = http_query_int(rq, "gang", 0);
  f.after_id = http_query_int(rq, "before", 0);
  f.limit = (int)http_query_int(rq, "limit", 50);
  f.offset = (int)http_query_int(rq, "offset", 0);
  if (f.limit < 0 || f.offset < 0) return http_error(rq, 400, "EINVAL", "negative limit or offset");
  int reveal, st;
  if ((st = wants_reveal(srv, rq, "clues", &reveal))) return st;
  np_error err = {0};
  return store_result(rq, store_clues_json(srv->st, &f, reveal, &rq->out, &err), &err, 200);
}

int route_clue(server *srv, request *rq) {
  char target[48];
  snprintf(target, sizeof target, "clue:%lld", (long long)rq->id[0]);
  int reveal, st;
  if ((st = wants_reveal(srv, rq, target, &reveal))) return st;
  np_error err = {0};
  return store_result(rq, store_clue_json(srv->st, rq->id[0], reveal, &rq->out, &err), &err, 200);
}

int route_clue_status(server *srv, request *rq) {
  const char *status = json_field_str(rq, "status");
  np_error err = {0};
  int rc = store_clue_set_status(srv->st, rq->id[0], status, &err);
  if (rc) return http_np_error(rq, &err);
  char target[48], detail[64];
  snprintf(target, sizeof target, "clue:%lld", (long long)rq->id[0]);
  snprintf(detail, sizeof detail, "{\"status\":\"%s\"}", status);
  http_audit(srv, rq, "clue.status", target, detail);
  util_buf_printf(&rq->out, "{\"id\":%lld,\"status\":\"%s\"}", (long long)rq->id[0], status);
  return 200;
}

static int record_action(server *srv, request *rq, int64_t case_id, int64_t clue_id) {
  const char *type = json_field_str(rq, "type"), *note = json_field_str(rq, "note");
  if (note && strlen(note) > 4000) return http_error(rq, 413, "ETOOBIG", "note longer than 4000 bytes");
  np_error err = {0};
  int64_t id = 0;
  int rc = store_action_record(srv->st, case_id, clue_id, type, note, rq->sess.user, &id, &err);
  if (rc) return http_np_error(rq, &err);
  char target[48], detail[96];
  snprintf(target, sizeof target, case_id ? "case:%lld" : "clue:%lld",
           (long long)(case_id ? case_id : clue_id));
  snprintf(detail, sizeof detail, "{\"type\":\"%s\",\"action_id\":%lld}", type, (long long)id);
  http_audit(srv, rq, "action", target, detail);
  util_buf_printf(&rq->out, "{\"id\":%lld,\"type\":\"%s\"}", (long long)id, type);
  return 201;
}

int route_clue_action(server *srv, request *rq) { return record_action(srv, rq, 0, rq->id[0]); }
int route_case_action(server *srv, request *rq) { return record_action(srv, rq, rq->id[0], 0); }

int route_cases(server *srv, request *rq) {
  np_error err = {0};
  int rc = store_cases_json(srv->st, http_query(rq, "status"), (int)http_query_int(rq, "limit", 50),
                            (int)http_query_int(rq, "offset", 0), &rq->out, &err);
  return store_result(rq, rc, &err, 200);
}

/* Reads "clue_ids": [n, ...] (1..500 positive integers). */
static int clue_ids(request *rq, int64_t *ids, size_t *n) {
  json_t *a = json_object_get(rq->json, "clue_ids");
  *n = 0;
  if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > 500)
    return http_error(rq, 400, "EFIELD", "\"clue_ids\" must be an array of 1 to 500 clue ids");
  size_t i;
  json_t *v;
  json_array_foreach(a, i, v) {
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
      return http_error(rq, 400, "EFIELD", "clue_ids[%zu] is not a clue id", i);
    ids[(*n)++] = (int64_t)json_integer_value(v);
  }
  return 0;
}

int route_case_create(server *srv, request *rq) {
  int64_t ids[500];
  size_t n;
  int st = clue_ids(rq, ids, &n);
  if (st) return st;
  np_error err = {0};
  int64_t kase = 0;
  int rc = store_case_create(srv->st, json_field_str(rq, "title"), ids, n, rq->sess.user, &kase,
                             &err);
  if (rc) return http_np_error(rq, &err);
  char target[48], detail[64];
  snprintf(target, sizeof target, "case:%lld", (long long)kase);
  snprintf(detail, sizeof detail, "{\"clues\":%zu}", n);
  http_audit(srv, rq, "case.create", target, detail);
  util_buf_printf(&rq->out, "{\"id\":%lld}", (long long)kase);
  return 201;
}

int route_case(server *srv, request *rq) {
  np_error err = {0};
  return store_result(rq, store_case_json(srv->st, rq->id[0], 0, &rq->out, &err), &err, 200);
}

int route_case_clues(server *srv, request *rq) {
  int64_t ids[500];
  size_t n;
  int st = clue_ids(rq, ids, &n);
  if (st) return st;
  np_error err = {0};
  if (store_case_add_clues(srv->st, rq->id[0], ids, n, &err)) return http_np_error(rq, &err);
  char target[48], detail[64];
  snprintf(target, sizeof target, "case:%lld", (long long)rq->id[0]);
  snprintf(detail, sizeof detail, "{\"clues\":%zu}", n);
  http_audit(srv, rq, "case.add_clues", target, detail);
  util_buf_printf(&rq->out, "{\"ok\":true}");
  return 200;
}

int route_case_note(server *srv, request *rq) {
  const char *body = json_field_str(rq, "body");
  if (body && strlen(body) > 20000) return http_error(rq, 413, "ETOOBIG", "note too long");
  np_error err = {0};
  if (store_case_note(srv->st, rq->id[0], rq->sess.user, body, &err)) return http_np_error(rq, &err);
  char target[48];
  snprintf(target, sizeof target, "case:%lld", (long long)rq->id[0]);
  http_audit(srv, rq, "case.note", target, "{}");
  util_buf_printf(&rq->out, "{\"ok\":true}");
  return 201;
}

int route_case_status(server *srv, request *rq) {
  const char *status = json_field_str(rq, "status");
  np_error err = {0};
  if (store_case_set_status(srv->st, rq->id[0], status, &err)) return http_np_error(rq, &err);
  char target[48], detail[48];
  snprintf(target, sizeof target, "case:%lld", (long long)rq->id[0]);
  snprintf(detail, sizeof detail, "{\"status\":\"%s\"}", status);
  http_audit(srv, rq, "case.status", target, detail);
  util_buf_printf(&rq->out, "{\"ok\":true}");
  return 200;
}
