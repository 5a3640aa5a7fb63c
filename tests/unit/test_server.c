/* test_server.c — `netpatrol serve` end to end over real sockets on an
 * ephemeral loopback port: login and cookies, roles, CSRF, masking and
 * audited reveal, triage → case → action → stats, public reports with
 * receipts and rate limits, scanning through the engine, and malformed
 * requests answered with 4xx JSON errors. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
#include "tests/harness.h"
#include "server/server.h"

typedef struct resp {
  int status;
  char cookie[200];   /* np_session=... value */
  char body[65536];
} resp;

static uint16_t g_port;

/* One request with Connection: close; extra is raw header lines. */
static int http(const char *method, const char *path, const char *extra, const char *body,
                resp *r) {
  memset(r, 0, sizeof *r);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(g_port);
  sa.sin_addr.s_addr = htonl(0x7f000001);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) { close(fd); return -1; }
  static char req[1 << 21];
  size_t blen = body ? strlen(body) : 0;
  int n = snprintf(req, sizeof req,
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n%s%s"
                   "Content-Length: %zu\r\n\r\n",
                   method, path, g_port, extra ? extra : "",
                   body ? "Content-Type: application/json\r\n" : "", blen);
  if (write(fd, req, (size_t)n) != n) { close(fd); return -1; }
  for (size_t off = 0; off < blen;) {
    ssize_t w = write(fd, body + off, blen - off);
    if (w <= 0) break;
    off += (size_t)w;
  }
  static char buf[1 << 20];
  size_t got = 0;
  ssize_t k;
  while ((k = read(fd, buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)k;
  buf[got] = 0;
  close(fd);
  sscanf(buf, "HTTP/1.1 %d", &r->status);
  const char *c = strstr(buf, "np_session=");
  if (c) sscanf(c, "%199[^;]", r->cookie);
  const char *b = strstr(buf, "\r\n\r\n");
  if (b) snprintf(r->body, sizeof r->body, "%s", b + 4);
  return r->status;
}

/* Headers for a logged-in call: cookie + CSRF token from the login body. */
static void auth_headers(const resp *login, char *out, size_t size, int with_csrf) {
  char csrf[65] = "";
  const char *p = strstr(login->body, "\"csrf\":\"");
  if (p) sscanf(p + 8, "%64[0-9a-f]", csrf);
  snprintf(out, size, "Cookie: %s\r\n%s%s%s", login->cookie, with_csrf ? "X-CSRF-Token: " : "",
           with_csrf ? csrf : "", with_csrf ? "\r\n" : "");
}

static store *g_st;
static server *g_srv;
static np_engine *g_engine;
static char g_path[256];

static const char RULE[] =
    "rule t_loan_fee : t\n{\n  meta:\n    category = \"fraud.loan\"\n    severity = \"high\"\n"
    "    action = \"block\"\n  strings:\n    $fee = \"保证金\"\n  condition:\n    $fee\n}\n";

static int setup(void) {
  if (g_srv) return 1;
  snprintf(g_path, sizeof g_path, "/tmp/np_test_server_%d.db", (int)getpid());
  unlink(g_path);
  np_error err = {0};
  if (store_open(g_path, NULL, &g_st, &err)) return fprintf(stderr, "%s\n", err.message), 0;
  const char *users[][2] = {{"root", "admin"}, {"ana", "analyst"}, {"sup", "supervisor"},
                            {"aud", "auditor"}};
  for (int i = 0; i < 4; i++)
    if (store_user_add(g_st, users[i][0], users[i][1], "password-123", &err)) return 0;
  /* Two clues sharing a phone, recorded as scan --db would. */
  const char *v = "{\"id\":\"seed%d\",\"action\":\"block\",\"score\":0.9,\"categories\":[\"fraud.loan\"],"
                  "\"hits\":[{\"rule\":\"r_loan\",\"category\":\"fraud.loan\",\"severity\":\"high\","
                  "\"action\":\"block\",\"matches\":[{\"s\":\"$fee\",\"start\":0,\"end\":9,\"text\":\"保证金\"}]}],"
                  "\"indicators\":[{\"type\":\"phone\",\"start\":15,\"end\":26,\"value\":\"13912345678\"}]}";
  for (int i = 0; i < 2; i++) {
    char vj[1024], pj[256];
    snprintf(vj, sizeof vj, v, i);
    snprintf(pj, sizeof pj, "{\"id\":\"seed%d\",\"text\":\"保证金 call 13912345678\",\"author\":\"a%d\"}", i, i);
    if (store_record_verdict_json(g_st, vj, strlen(vj), pj, strlen(pj), 0.5, NULL, &err)) return 0;
  }
  store_flush(g_st, NULL);
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  cfg.reveal = 1;
  np_source src = {"rules", "t.rules", RULE, strlen(RULE)};
  if (np_engine_compile(&cfg, &src, 1, &g_engine, NULL, &err))
    fprintf(stderr, "engine unavailable (%s): scan tests will fail\n", err.message);
  server_config sc;
  server_config_init(&sc);
  sc.listen = "127.0.0.1:0";
  sc.engine = g_engine;
  sc.max_body = 64 * 1024;
  sc.reports_per_hour = 3;
  if (server_start(g_st, &sc, 0, &g_srv, &err)) return fprintf(stderr, "%s\n", err.message), 0;
  g_port = server_port(g_srv);
  return g_port != 0;
}

static resp g_login;

static int login(const char *user, resp *r) {
  char body[128];
  snprintf(body, sizeof body, "{\"user\":\"%s\",\"password\":\"password-123\"}", user);
  return http("POST", "/api/v1/session", NULL, body, r);
}

TEST(a_refuses_remote_listen_and_bad_addresses) {
  server_config sc;
  server_config_init(&sc);
  server *s = NULL;
  np_error err = {0};
  sc.listen = "0.0.0.0:0";
  ASSERT_EQ_INT(server_start(NULL, &sc, 0, &s, &err), NP_EINVAL);
  ASSERT_CONTAINS(err.message, "loopback");
  sc.listen = "nonsense";
  ASSERT_EQ_INT(server_start(NULL, &sc, 0, &s, &err), NP_EINVAL);
  ASSERT(s == NULL);
}

TEST(b_login_sets_a_strict_httponly_cookie) {
  ASSERT(setup());
  resp r;
  ASSERT_EQ_INT(http("GET", "/api/v1/health", NULL, NULL, &r), 200);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues", NULL, NULL, &r), 401);
  ASSERT_CONTAINS(r.body, "\"code\":\"EAUTH\"");
  ASSERT_EQ_INT(http("POST", "/api/v1/session", NULL, "{\"user\":\"ana\",\"password\":\"nope-nope\"}", &r), 401);
  ASSERT_EQ_INT(login("ana", &g_login), 200);
  ASSERT_CONTAINS(g_login.body, "\"role\":\"analyst\"");
  ASSERT(g_login.cookie[0]);
  /* The raw header carries the flags. */
  int fd = 0;
  (void)fd;
  char hdr[512];
  auth_headers(&g_login, hdr, sizeof hdr, 0);
  ASSERT_EQ_INT(http("GET", "/api/v1/session", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "\"user\":\"ana\"");
}

TEST(c_csrf_is_required_on_state_changes) {
  ASSERT(setup());
  char hdr[512];
  resp r;
  auth_headers(&g_login, hdr, sizeof hdr, 0);
  ASSERT_EQ_INT(http("POST", "/api/v1/clues/1/status", hdr, "{\"status\":\"confirmed\"}", &r), 403);
  ASSERT_CONTAINS(r.body, "ECSRF");
  char bad[600];
  snprintf(bad, sizeof bad, "%sX-CSRF-Token: %064d\r\n", hdr, 0);
  ASSERT_EQ_INT(http("POST", "/api/v1/clues/1/status", bad, "{\"status\":\"confirmed\"}", &r), 403);
  auth_headers(&g_login, hdr, sizeof hdr, 1);
  ASSERT_EQ_INT(http("POST", "/api/v1/clues/1/status", hdr, "{\"status\":\"confirmed\"}", &r), 200);
  /* Cross-origin requests are refused even with the token. */
  char xo[700];
  snprintf(xo, sizeof xo, "%sOrigin: http://evil.example\r\n", hdr);
  ASSERT_EQ_INT(http("POST", "/api/v1/clues/1/status", xo, "{\"status\":\"confirmed\"}", &r), 403);
}

TEST(d_masking_by_role_and_audited_reveal) {
  ASSERT(setup());
  char hdr[512];
  resp r;
  auth_headers(&g_login, hdr, sizeof hdr, 0);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues/1", hdr, NULL, &r), 200);
  ASSERT(strstr(r.body, "13912345678") == NULL);
  ASSERT_CONTAINS(r.body, "139****5678");
  ASSERT_EQ_INT(http("GET", "/api/v1/clues/1?reveal=1", hdr, NULL, &r), 403);
  resp sup;
  ASSERT_EQ_INT(login("sup", &sup), 200);
  auth_headers(&sup, hdr, sizeof hdr, 0);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues/1?reveal=1", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "13912345678");
  /* The auditor sees the reveal in the log; the analyst may not read it. */
  resp aud;
  ASSERT_EQ_INT(login("aud", &aud), 200);
  auth_headers(&aud, hdr, sizeof hdr, 0);
  ASSERT_EQ_INT(http("GET", "/api/v1/audit?limit=50", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "\"actor\":\"sup\",\"action\":\"reveal\",\"target\":\"clue:1\"");
  ASSERT_EQ_INT(http("GET", "/api/v1/audit/verify", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "\"ok\":true");
  auth_headers(&g_login, hdr, sizeof hdr, 0);
  ASSERT_EQ_INT(http("GET", "/api/v1/audit", hdr, NULL, &r), 403);
  ASSERT_EQ_INT(http("GET", "/api/v1/users", hdr, NULL, &r), 403);
}

TEST(e_triage_case_action_stats) {
  ASSERT(setup());
  char hdr[512];
  resp r;
  auth_headers(&g_login, hdr, sizeof hdr, 1);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues?status=new&category=fraud", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "\"total\":1"); /* clue 1 was confirmed above */
  ASSERT_EQ_INT(http("GET", "/api/v1/gangs", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "\"size\":2");
  ASSERT_EQ_INT(http("GET", "/api/v1/gangs/1", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "\"edges\":[{");
  ASSERT_EQ_INT(http("POST", "/api/v1/cases", hdr, "{\"title\":\"Deposit scam\",\"clue_ids\":[1,2]}", &r), 201);
  ASSERT_CONTAINS(r.body, "\"id\":1");
  ASSERT_EQ_INT(http("POST", "/api/v1/cases/1/notes", hdr, "{\"body\":\"same phone\"}", &r), 201);
  ASSERT_EQ_INT(http("POST", "/api/v1/cases/1/actions", hdr, "{\"type\":\"refer_police\",\"note\":\"sent\"}", &r), 201);
  ASSERT_EQ_INT(http("POST", "/api/v1/cases/1/actions", hdr, "{\"type\":\"nuke\"}", &r), 400);
  ASSERT_CONTAINS(r.body, "\"code\":\"EINVAL\"");
  ASSERT_EQ_INT(http("GET", "/api/v1/cases/1", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "same phone");
  ASSERT_CONTAINS(r.body, "refer_police");
  ASSERT_EQ_INT(http("GET", "/api/v1/stats?period=year", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "{\"type\":\"refer_police\",\"actions\":1}");
  ASSERT_EQ_INT(http("GET", "/api/v1/stats?period=decade", hdr, NULL, &r), 400);
  ASSERT_EQ_INT(http("GET", "/api/v1/cases/99", hdr, NULL, &r), 404);
  ASSERT_EQ_INT(http("POST", "/api/v1/cases", hdr, "{\"clue_ids\":[999]}", &r), 404);
}

TEST(f_public_reports_receipts_and_rate_limit) {
  ASSERT(setup());
  resp r;
  ASSERT_EQ_INT(http("POST", "/api/v1/reports", NULL,
                     "{\"category\":\"fraud\",\"body\":\"asked me for a deposit\"}", &r), 201);
  char receipt[32] = "", path[96];
  const char *p = strstr(r.body, "\"receipt\":\"");
  ASSERT(p != NULL);
  sscanf(p + 11, "%31[A-Z0-9-]", receipt);
  snprintf(path, sizeof path, "/api/v1/reports/status/%s", receipt);
  ASSERT_EQ_INT(http("GET", path, NULL, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "\"status\":\"received\"");
  ASSERT(strstr(r.body, "deposit") == NULL);
  ASSERT_EQ_INT(http("GET", "/api/v1/reports/status/R00000000-XXXXXX", NULL, NULL, &r), 404);
  ASSERT_EQ_INT(http("POST", "/api/v1/reports", NULL, "{\"body\":\"\"}", &r), 400);
  ASSERT_EQ_INT(http("POST", "/api/v1/reports", NULL, "{\"body\":\"third\"}", &r), 201);
  ASSERT_EQ_INT(http("POST", "/api/v1/reports", NULL, "{\"body\":\"fourth\"}", &r), 429);
  ASSERT_CONTAINS(r.body, "ERATE");
}

TEST(g_bad_requests_get_json_errors) {
  ASSERT(setup());
  char hdr[512];
  resp r;
  auth_headers(&g_login, hdr, sizeof hdr, 1);
  ASSERT_EQ_INT(http("POST", "/api/v1/cases", hdr, "{not json", &r), 400);
  ASSERT_CONTAINS(r.body, "\"code\":\"EJSON\"");
  ASSERT_EQ_INT(http("POST", "/api/v1/cases", hdr, "[1,2]", &r), 400);
  ASSERT_EQ_INT(http("POST", "/api/v1/cases", hdr, "{\"clue_ids\":\"1\"}", &r), 400);
  ASSERT_EQ_INT(http("GET", "/api/v1/nope", hdr, NULL, &r), 404);
  ASSERT_EQ_INT(http("DELETE", "/api/v1/clues", hdr, NULL, &r), 405);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues/abc", hdr, NULL, &r), 404);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues/99999", hdr, NULL, &r), 404);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues?severity=huge", hdr, NULL, &r), 400);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues?status=weird", hdr, NULL, &r), 400);
  static char big[100 * 1024];
  memset(big, 'x', sizeof big - 1);
  big[0] = '"';
  ASSERT_EQ_INT(http("POST", "/api/v1/cases", hdr, big, &r), 413);
  ASSERT_CONTAINS(r.body, "ETOOBIG");
  char plain[600];
  snprintf(plain, sizeof plain, "%s", hdr);
  ASSERT_EQ_INT(http("GET", "/../../etc/passwd", NULL, NULL, &r), 404);
  ASSERT_EQ_INT(http("GET", "/api/v1/health", NULL, NULL, &r), 200); /* still alive */
}

TEST(h_scan_records_and_masks) {
  ASSERT(setup());
  ASSERT(g_engine != NULL);
  char hdr[512];
  resp r;
  auth_headers(&g_login, hdr, sizeof hdr, 1);
  ASSERT_EQ_INT(http("POST", "/api/v1/scan", hdr,
                     "{\"posts\":[{\"id\":\"s1\",\"text\":\"无需保证金 联系13700001111\"},"
                     "{\"id\":\"s2\",\"text\":\"今天天气很好\"}]}", &r), 200);
  ASSERT_CONTAINS(r.body, "\"rule\":\"t_loan_fee\"");
  ASSERT_CONTAINS(r.body, "\"clues\":1");
  ASSERT(strstr(r.body, "13700001111") == NULL);
  ASSERT_EQ_INT(http("POST", "/api/v1/scan", hdr, "{\"posts\":[]}", &r), 400);
  ASSERT_EQ_INT(http("GET", "/api/v1/clues?limit=1", hdr, NULL, &r), 200);
  ASSERT_CONTAINS(r.body, "\"ext_id\":\"s1\"");
  resp aud;
  ASSERT_EQ_INT(login("aud", &aud), 200);
  auth_headers(&aud, hdr, sizeof hdr, 1);
  ASSERT_EQ_INT(http("POST", "/api/v1/scan", hdr, "{\"post\":{\"text\":\"x\"}}", &r), 403);
}

TEST(i_logout_and_audit_chain) {
  ASSERT(setup());
  char hdr[512];
  resp r;
  auth_headers(&g_login, hdr, sizeof hdr, 1);
  ASSERT_EQ_INT(http("DELETE", "/api/v1/session", hdr, NULL, &r), 200);
  ASSERT_EQ_INT(http("GET", "/api/v1/session", hdr, NULL, &r), 401);
  server_stop(g_srv);
  g_srv = NULL;
  store_audit_result res;
  np_error err = {0};
  ASSERT_EQ_INT(store_audit_verify(g_st, &res, &err), 0);
  ASSERT_EQ_INT(res.bad_id, 0);
  ASSERT(res.rows >= 10); /* logins, reveal, status, case, note, action, reports, scan... */
  store_close(g_st);
  np_engine_free(g_engine);
  unlink(g_path);
}

HARNESS_MAIN
