/* server_int.h — private to src/server/: the server and request structs,
 * the route table types and the helpers the handler files share. */
#ifndef NP_SERVER_INT_H
#define NP_SERVER_INT_H
#include <jansson.h>
#include <microhttpd.h>
#include "server/server.h"

/* Permissions; each role holds a set (server_auth.c). */
enum {
  PERM_PUBLIC = 0,
  PERM_READ = 1,    /* staff: see clues, cases, gangs, stats */
  PERM_TRIAGE = 2,  /* triage, cases, dispositions, scan */
  PERM_REVEAL = 4,  /* unmasked personal data (every reveal audited) */
  PERM_AUDIT = 8,   /* audit log */
  PERM_ADMIN = 16,  /* users */
};

#define RATE_SLOTS 256

typedef struct rate_slot {
  char addr[48];
  double tokens[3];     /* api, reports, logins */
  double last;          /* seconds */
} rate_slot;

struct server {
  struct MHD_Daemon *daemon;
  store *st;
  server_config cfg;
  np_scratch *scratch;
  uint16_t port;
  rate_slot rate[RATE_SLOTS];
  char web_root[1024];
};

typedef struct request {
  struct MHD_Connection *conn;
  const char *method, *url;
  util_buf body;
  int too_big;
  char addr[48];
  int authed;
  store_session sess;
  int64_t id[2];          /* integer path segments */
  char seg[96];           /* a string path segment */
  json_t *json;           /* parsed body (object) for POST */
  util_buf out;           /* response body */
  const char *content_type;
  char cookie[320];       /* Set-Cookie value, "" if none */
} request;

typedef int (*route_fn)(server *srv, request *rq);

typedef struct route {
  const char *method;
  const char *pattern;    /* "/api/v1/clues/#/status": # an integer, * a string segment */
  route_fn fn;
  int perm;
} route;

/* Routes (server_routes.c) and dispatch. */
int server_dispatch(server *srv, request *rq);
/* Static workbench files (server_static.c); returns an HTTP status. */
int server_static(server *srv, request *rq, struct MHD_Response **resp);

/* Helpers (server_http.c).  Each returns the HTTP status to send. */
int http_error(request *rq, int status, const char *code, const char *fmt, ...)
    UTIL_PRINTF(4, 5);
int http_np_error(request *rq, const np_error *err);   /* status from err->code */
int http_ok(request *rq, int status);                   /* out already holds JSON */
const char *http_query(request *rq, const char *key);
int64_t http_query_int(request *rq, const char *key, int64_t dflt);
const char *http_header(request *rq, const char *key);
const char *json_field_str(request *rq, const char *key);
/* Records a state change or reveal in the audit log (actor = session user). */
void http_audit(server *srv, request *rq, const char *action, const char *target,
                const char *detail);
/* Rewrites the indicator values of a verdict JSON to their masked form. */
int http_mask_verdict(util_buf *out, const char *verdict, size_t len);

/* Auth (server_auth.c). */
int auth_role_perms(const char *role);
int auth_session(server *srv, request *rq);            /* loads rq->sess from the cookie */
int auth_check_csrf(request *rq);                      /* 1 if the token matches */
int route_login(server *srv, request *rq);
int route_logout(server *srv, request *rq);
int route_me(server *srv, request *rq);
int route_users(server *srv, request *rq);
int route_user_add(server *srv, request *rq);
int rate_take(server *srv, const char *addr, int bucket);  /* 1 if allowed */

/* Resource handlers (server_api_*.c). */
int route_clues(server *srv, request *rq);
int route_clue(server *srv, request *rq);
int route_clue_status(server *srv, request *rq);
int route_clue_action(server *srv, request *rq);
int route_cases(server *srv, request *rq);
int route_case_create(server *srv, request *rq);
int route_case(server *srv, request *rq);
int route_case_clues(server *srv, request *rq);
int route_case_note(server *srv, request *rq);
int route_case_action(server *srv, request *rq);
int route_case_status(server *srv, request *rq);
int route_gangs(server *srv, request *rq);
int route_gang(server *srv, request *rq);
int route_scan(server *srv, request *rq);
int route_report_create(server *srv, request *rq);
int route_report_status(server *srv, request *rq);
int route_reports(server *srv, request *rq);
int route_report_set(server *srv, request *rq);
int route_stats(server *srv, request *rq);
int route_audit(server *srv, request *rq);
int route_audit_verify(server *srv, request *rq);
int route_health(server *srv, request *rq);
#endif
