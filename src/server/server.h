/* server.h — `netpatrol serve`: the JSON API under /api/v1 and the analyst
 * workbench, on libmicrohttpd.  Sees the engine only through netpatrol.h and
 * keeps everything in the store.  One internal polling thread serves every
 * request, so the store connection and the scan scratch are never shared. */
#ifndef NP_SERVER_H
#define NP_SERVER_H
#include <stdint.h>
#include "netpatrol.h"
#include "store/store.h"

typedef struct server_config {
  const char *listen;        /* "127.0.0.1:8080" (default); port 0 picks a free one */
  const char *web_root;      /* built workbench assets (web/dist); NULL = API only */
  const np_engine *engine;   /* for POST /scan; NULL = scanning disabled (503) */
  double threshold;          /* verdict score that makes a clue (default 0.5) */
  size_t max_body;           /* request body limit in bytes (default 1 MiB) */
  int api_per_minute;        /* per client address, all routes (default 600) */
  int reports_per_hour;      /* public report submissions per address (default 10) */
  int logins_per_minute;     /* login attempts per address (default 10) */
  int64_t session_ttl;       /* seconds (default 12 h) */
  int secure_cookie;         /* add Secure to the cookie (behind TLS) */
} server_config;

typedef struct server server;

/* Fills cfg with the defaults. */
void server_config_init(server_config *cfg);
/* Starts serving on cfg->listen in a background thread.  st and cfg->engine
 * are borrowed and must outlive the server; the caller must not use st while
 * the server runs.  Refuses a non-loopback address unless allow_remote.
 * Returns 0, NP_EINVAL (bad address) or NP_EIO (cannot bind). */
int server_start(store *st, const server_config *cfg, int allow_remote, server **out,
                 np_error *err);
/* The bound port (useful with port 0). */
uint16_t server_port(const server *srv);
/* Stops and frees; waits for the request in progress.  NULL is a no-op. */
void server_stop(server *srv);
#endif
