/* server_auth.c — roles and permissions, session cookies (HttpOnly,
 * SameSite=Strict), the per-session CSRF token every state change must echo
 * in X-CSRF-Token, login/logout/me, user administration, and the
 * per-address token-bucket rate limits. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "server/server_int.h"

static const struct { const char *role; int perms; } ROLE_PERMS[] = {
    {"admin", PERM_READ | PERM_TRIAGE | PERM_REVEAL | PERM_AUDIT | PERM_ADMIN},
    {"supervisor", PERM_READ | PERM_TRIAGE | PERM_REVEAL},
    {"analyst", PERM_READ | PERM_TRIAGE},
    {"auditor", PERM_READ | PERM_AUDIT},
};

int auth_role_perms(const char *role) {
  for (size_t i = 0; role && i < sizeof ROLE_PERMS / sizeof ROLE_PERMS[0]; i++)
    if (!strcmp(role, ROLE_PERMS[i].role)) return ROLE_PERMS[i].perms;
  return 0;
}

int auth_session(server *srv, request *rq) {
  const char *tok = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "np_session");
  rq->authed = tok && store_session_get(srv->st, tok, &rq->sess, NULL) == 0;
  return rq->authed;
}

int auth_check_csrf(request *rq) {
  const char *t = http_header(rq, "X-CSRF-Token");
  return t && strlen(t) == 64 && rq->sess.csrf[0] && sodium_memcmp(t, rq->sess.csrf, 64) == 0;
}

/* Token buckets: bucket 0 all requests (per minute), 1 reports (per hour),
 * 2 logins (per minute).  A full table evicts the stalest slot. */
int rate_take(server *srv, const char *addr, int bucket) {
  double per[3] = {srv->cfg.api_per_minute / 60.0, srv->cfg.reports_per_hour / 3600.0,
                   srv->cfg.logins_per_minute / 60.0};
  double cap[3] = {srv->cfg.api_per_minute, srv->cfg.reports_per_hour, srv->cfg.logins_per_minute};
  if (cap[bucket] <= 0) return 1; /* limit disabled */
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  double now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
  size_t h = (size_t)util_hash64(addr, strlen(addr), 7) % RATE_SLOTS, pick = h;
  rate_slot *slot = NULL;
  for (size_t i = 0; i < 8; i++) {
    rate_slot *s = &srv->rate[(h + i) % RATE_SLOTS];
    if (!strcmp(s->addr, addr)) { slot = s; break; }
    if (s->last < srv->rate[pick].last) pick = (h + i) % RATE_SLOTS;
  }
  if (!slot) {
    slot = &srv->rate[pick];
    snprintf(slot->addr, sizeof slot->addr, "%s", addr);
    for (int b = 0; b < 3; b++) slot->tokens[b] = cap[b];
    slot->last = now;
  }
  double dt = now - slot->last;
  slot->last = now;
  for (int b = 0; b < 3; b++) {
    slot->tokens[b] += dt * per[b];
    if (slot->tokens[b] > cap[b]) slot->tokens[b] = cap[b];
  }
  if (slot->tokens[bucket] < 1) return 0;
  slot->tokens[bucket] -= 1;
  return 1;
}

static int session_json(request *rq) {
  util_buf_reset(&rq->out);
  util_buf_printf(&rq->out, "{\"user\":");
  util_buf_json_str(&rq->out, rq->sess.user, strlen(rq->sess.user));
  int p = auth_role_perms(rq->sess.role);
  util_buf_printf(&rq->out,
                  ",\"role\":\"%s\",\"csrf\":\"%s\",\"can\":{\"triage\":%s,\"reveal\":%s,"
                  "\"audit\":%s,\"admin\":%s}}",
                  rq->sess.role, rq->sess.csrf, p & PERM_TRIAGE ? "true" : "false",
                  p & PERM_REVEAL ? "true" : "false", p & PERM_AUDIT ? "true" : "false",
                  p & PERM_ADMIN ? "true" : "false");
  return 200;
}

int route_login(server *srv, request *rq) {
  if (!rate_take(srv, rq->addr, 2))
    return http_error(rq, 429, "ERATE", "too many login attempts; wait a minute");
  const char *user = json_field_str(rq, "user"), *pass = json_field_str(rq, "password");
  if (!user || !pass) return http_error(rq, 400, "EFIELD", "login needs \"user\" and \"password\"");
  char token[65];
  np_error err = {0};
  int rc = store_login(srv->st, user, pass, srv->cfg.session_ttl, token, &rq->sess, &err);
  char target[96];
  snprintf(target, sizeof target, "user:%.80s", user);
  if (rc) {
    http_audit(srv, rq, "login.failed", target, "{}");
    return rc == NP_ENOTFOUND ? http_error(rq, 401, "EAUTH", "wrong user name or password")
                              : http_np_error(rq, &err);
  }
  rq->authed = 1;
  http_audit(srv, rq, "login", target, "{}");
  snprintf(rq->cookie, sizeof rq->cookie,
           "np_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", token,
           (long long)srv->cfg.session_ttl, srv->cfg.secure_cookie ? "; Secure" : "");
  return session_json(rq);
}

int route_logout(server *srv, request *rq) {
  const char *tok = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "np_session");
  store_logout(srv->st, tok, NULL);
  http_audit(srv, rq, "logout", "", "{}");
  snprintf(rq->cookie, sizeof rq->cookie, "np_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  util_buf_printf(&rq->out, "{\"ok\":true}");
  return 200;
}

int route_me(server *srv, request *rq) {
  (void)srv;
  return session_json(rq);
}

int route_users(server *srv, request *rq) {
  np_error err = {0};
  if (store_users_json(srv->st, &rq->out, &err)) return http_np_error(rq, &err);
  return 200;
}

int route_user_add(server *srv, request *rq) {
  const char *name = json_field_str(rq, "name"), *role = json_field_str(rq, "role"),
             *pass = json_field_str(rq, "password");
  np_error err = {0};
  if (store_user_add(srv->st, name, role, pass, &err)) return http_np_error(rq, &err);
  char target[96], detail[64];
  snprintf(target, sizeof target, "user:%.80s", name);
  snprintf(detail, sizeof detail, "{\"role\":\"%s\"}", role);
  http_audit(srv, rq, "user.add", target, detail);
  util_buf_printf(&rq->out, "{\"ok\":true}");
  return 201;
}
