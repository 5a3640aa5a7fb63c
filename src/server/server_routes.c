/* server_routes.c — the route table (method, path pattern, handler,
 * permission) and the dispatcher: pattern matching, authentication, role
 * check, CSRF check on every state change and JSON body parsing.
 * docs/http-api.md documents each entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "server/server_int.h"

static const route ROUTES[] = {
    {"GET", "/api/v1/health", route_health, PERM_PUBLIC},
    {"POST", "/api/v1/session", route_login, PERM_PUBLIC},
    {"GET", "/api/v1/session", route_me, PERM_READ},
    {"DELETE", "/api/v1/session", route_logout, PERM_READ},
    {"POST", "/api/v1/scan", route_scan, PERM_TRIAGE},
    {"GET", "/api/v1/clues", route_clues, PERM_READ},
    {"GET", "/api/v1/clues/#", route_clue, PERM_READ},
    {"POST", "/api/v1/clues/#/status", route_clue_status, PERM_TRIAGE},
    {"POST", "/api/v1/clues/#/actions", route_clue_action, PERM_TRIAGE},
    {"GET", "/api/v1/cases", route_cases, PERM_READ},
    {"POST", "/api/v1/cases", route_case_create, PERM_TRIAGE},
    {"GET", "/api/v1/cases/#", route_case, PERM_READ},
    {"POST", "/api/v1/cases/#/clues", route_case_clues, PERM_TRIAGE},
    {"POST", "/api/v1/cases/#/notes", route_case_note, PERM_TRIAGE},
    {"POST", "/api/v1/cases/#/actions", route_case_action, PERM_TRIAGE},
    {"POST", "/api/v1/cases/#/status", route_case_status, PERM_TRIAGE},
    {"GET", "/api/v1/gangs", route_gangs, PERM_READ},
    {"GET", "/api/v1/gangs/#", route_gang, PERM_READ},
    {"POST", "/api/v1/reports", route_report_create, PERM_PUBLIC},
    {"GET", "/api/v1/reports/status/*", route_report_status, PERM_PUBLIC},
    {"GET", "/api/v1/reports", route_reports, PERM_READ},
    {"POST", "/api/v1/reports/#/status", route_report_set, PERM_TRIAGE},
    {"GET", "/api/v1/stats", route_stats, PERM_READ},
    {"GET", "/api/v1/audit", route_audit, PERM_AUDIT},
    {"GET", "/api/v1/audit/verify", route_audit_verify, PERM_AUDIT},
    {"GET", "/api/v1/users", route_users, PERM_ADMIN},
    {"POST", "/api/v1/users", route_user_add, PERM_ADMIN},
};

/* Matches url against pattern, capturing # (integers) and * (one segment). */
static int match(const char *pattern, const char *url, request *rq) {
  int ni = 0;
  const char *p = pattern, *u = url;
  while (*p && *u) {
    if (*p == '#' || *p == '*') {
      const char *end = u;
      while (*end && *end != '/') end++;
      size_t n = (size_t)(end - u);
      if (n == 0) return 0;
      if (*p == '#') {
        if (n > 18 || ni >= 2) return 0;
        for (size_t i = 0; i < n; i++)
          if (u[i] < '0' || u[i] > '9') return 0;
        rq->id[ni++] = strtoll(u, NULL, 10);
      } else {
        if (n >= sizeof rq->seg) return 0;
        memcpy(rq->seg, u, n);
        rq->seg[n] = 0;
      }
      p++;
      u = end;
    } else if (*p++ != *u++) {
      return 0;
    }
  }
  if (*u == '/' && u[1] == 0) u++; /* tolerate one trailing slash */
  return *p == 0 && *u == 0;
}

static int state_changing(const char *m) { return strcmp(m, "GET") && strcmp(m, "HEAD"); }

int server_dispatch(server *srv, request *rq) {
  const route *found = NULL;
  int path_known = 0;
  for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
    if (!match(ROUTES[i].pattern, rq->url, rq)) continue;
    path_known = 1;
    if (!strcmp(ROUTES[i].method, rq->method)) {
      found = &ROUTES[i];
      break;
    }
  }
  if (!found)
    return path_known ? http_error(rq, 405, "EMETHOD", "%s not allowed on %s", rq->method, rq->url)
                      : http_error(rq, 404, "ENOTFOUND", "no route %s", rq->url);
  auth_session(srv, rq);
  if (found->perm != PERM_PUBLIC) {
    if (!rq->authed) return http_error(rq, 401, "EAUTH", "log in first");
    if ((auth_role_perms(rq->sess.role) & found->perm) != found->perm)
      return http_error(rq, 403, "EPERM", "role '%s' may not do this", rq->sess.role);
  }
  if (state_changing(rq->method)) {
    /* Logged in: the session's CSRF token.  Anonymous (login, public
     * reports): a JSON content type, which a cross-site form cannot send
     * without a CORS preflight we never grant, and a same-origin Origin. */
    if (rq->authed && found->fn != route_login && !auth_check_csrf(rq))
      return http_error(rq, 403, "ECSRF", "missing or wrong X-CSRF-Token");
    const char *ct = http_header(rq, "Content-Type");
    if (rq->body.len && (!ct || strncmp(ct, "application/json", 16) != 0))
      return http_error(rq, 415, "EMEDIA", "send the body as application/json");
    const char *origin = http_header(rq, "Origin"), *host = http_header(rq, "Host");
    if (origin && host) {
      const char *o = strstr(origin, "://");
      if (!o || strcmp(o + 3, host) != 0)
        return http_error(rq, 403, "ECSRF", "cross-origin request refused");
    }
    if (rq->body.len) {
      json_error_t je;
      rq->json = json_loadb(rq->body.data, rq->body.len, 0, &je);
      if (!json_is_object(rq->json))
        return http_error(rq, 400, "EJSON", "body is not a JSON object: %s (line %d col %d)",
                          rq->json ? "wrong type" : je.text, je.line, je.column);
    } else {
      rq->json = json_object();
    }
  }
  return found->fn(srv, rq);
}
