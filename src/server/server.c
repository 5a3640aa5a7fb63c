/* server.c — the libmicrohttpd daemon: binds (loopback unless told
 * otherwise), accumulates request bodies under a size limit, applies the
 * per-address rate limit, hands complete requests to the router and sends
 * the response with security headers. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "server/server_int.h"

void server_config_init(server_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->listen = "127.0.0.1:8080";
  cfg->threshold = 0.5;
  cfg->max_body = 1 << 20;
  cfg->api_per_minute = 600;
  cfg->reports_per_hour = 10;
  cfg->logins_per_minute = 10;
  cfg->session_ttl = 12 * 3600;
}

static void add_headers(struct MHD_Response *r, request *rq, int api) {
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; style-src 'self' "
                          "'unsafe-inline'; object-src 'none'; frame-ancestors 'none'");
  if (api) {
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
  }
  if (rq->cookie[0]) MHD_add_response_header(r, "Set-Cookie", rq->cookie);
}

static void client_addr(struct MHD_Connection *c, char *out, size_t size) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(out, size, "?");
  if (!ci || !ci->client_addr) return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

static enum MHD_Result respond(struct MHD_Connection *c, request *rq, int status,
                            struct MHD_Response *r, int api) {
  add_headers(r, rq, api);
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *data_size, void **con_cls) {
  (void)version;
  server *srv = cls;
  request *rq = *con_cls;
  if (!rq) {
    rq = util_calloc(NULL, 1, sizeof *rq);
    if (!rq) return MHD_NO;
    rq->conn = c;
    rq->url = url;
    rq->method = method;
    util_buf_init(&rq->body, NULL, srv->cfg.max_body);
    util_buf_init(&rq->out, NULL, 64u << 20);
    client_addr(c, rq->addr, sizeof rq->addr);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > srv->cfg.max_body) rq->too_big = 1;
    *con_cls = rq;
    return MHD_YES;
  }
  if (*data_size) { /* more body: keep it if it fits, else drain and refuse at the end */
    if (!rq->too_big && util_buf_append(&rq->body, data, *data_size)) rq->too_big = 1;
    *data_size = 0;
    return MHD_YES;
  }
  int api = strncmp(url, "/api/", 5) == 0;
  int status;
  struct MHD_Response *r = NULL;
  if (!rate_take(srv, rq->addr, 0)) {
    status = http_error(rq, 429, "ERATE", "too many requests; slow down");
    api = 1;
  } else if (rq->too_big) {
    status = http_error(rq, 413, "ETOOBIG", "request body exceeds %zu bytes", srv->cfg.max_body);
    api = 1;
  } else if (api) {
    status = server_dispatch(srv, rq);
  } else {
    status = server_static(srv, rq, &r);
    if (!r) api = 1; /* an error body in rq->out */
  }
  if (!r)
    r = MHD_create_response_from_buffer(rq->out.len, rq->out.data ? rq->out.data : (char *)"",
                                        MHD_RESPMEM_MUST_COPY);
  if (!r) return MHD_NO;
  return respond(c, rq, status, r, api);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)c, (void)toe;
  request *rq = *con_cls;
  if (!rq) return;
  util_buf_free(&rq->body);
  util_buf_free(&rq->out);
  json_decref(rq->json);
  util_free(NULL, rq);
  *con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, int allow_remote,
                        np_error *err) {
  char host[64];
  const char *colon = strrchr(listen ? listen : "", ':');
  if (!colon || (size_t)(colon - listen) >= sizeof host)
    return util_err(err, NP_EINVAL, "--listen wants HOST:PORT, got '%s'", listen ? listen : "");
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = 0;
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port < 0 || port > 65535) return util_err(err, NP_EINVAL, "bad port in '%s'", listen);
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (!strcmp(host, "localhost")) snprintf(host, sizeof host, "127.0.0.1");
  if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
    return util_err(err, NP_EINVAL, "'%s' is not an IPv4 address", host);
  if (!allow_remote && (ntohl(sa->sin_addr.s_addr) >> 24) != 127)
    return util_err(err, NP_EINVAL,
                    "refusing to listen on %s: not a loopback address (use --allow-remote behind "
                    "a TLS proxy)", host);
  return 0;
}

int server_start(store *st, const server_config *cfg, int allow_remote, server **out,
                 np_error *err) {
  *out = NULL;
  server *srv = util_calloc(NULL, 1, sizeof *srv);
  if (!srv) return util_err(err, NP_ENOMEM, "out of memory");
  srv->st = st;
  if (cfg) srv->cfg = *cfg;
  else server_config_init(&srv->cfg);
  if (!srv->cfg.max_body) srv->cfg.max_body = 1 << 20;
  if (srv->cfg.web_root) {
    snprintf(srv->web_root, sizeof srv->web_root, "%s", srv->cfg.web_root);
    srv->cfg.web_root = srv->web_root;
  }
  struct sockaddr_in sa;
  int rc = parse_listen(srv->cfg.listen, &sa, allow_remote, err);
  if (rc) goto fail;
  if (srv->cfg.engine && (rc = np_scratch_alloc(srv->cfg.engine, &srv->scratch, err))) goto fail;
  srv->daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, handle, srv,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)32,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
  if (!srv->daemon) {
    rc = util_err(err, NP_EIO, "cannot listen on %s (address in use?)", srv->cfg.listen);
    goto fail;
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = di ? di->port : ntohs(sa.sin_port);
  *out = srv;
  return 0;
fail:
  server_stop(srv);
  return rc;
}

uint16_t server_port(const server *srv) { return srv ? srv->port : 0; }

void server_stop(server *srv) {
  if (!srv) return;
  if (srv->daemon) MHD_stop_daemon(srv->daemon);
  np_scratch_free(srv->scratch);
  if (srv->st) store_flush(srv->st, NULL);
  util_free(NULL, srv);
}
