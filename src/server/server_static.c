/* server_static.c — serves the built workbench (web/dist) read-only: no
 * directory listing, no path with "..", a short content-type table;
 * "/" is the workbench and "/report" the public report form. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "server/server_int.h"

static const struct { const char *ext, *type; } TYPES[] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
    {".json", "application/json"}, {".map", "application/json"},
};

int server_static(server *srv, request *rq, struct MHD_Response **resp) {
  *resp = NULL;
  if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
    return http_error(rq, 405, "EMETHOD", "static files are read-only");
  if (!srv->cfg.web_root) return http_error(rq, 404, "ENOTFOUND", "no workbench (API only)");
  const char *path = rq->url;
  if (!strcmp(path, "/")) path = "/index.html";
  else if (!strcmp(path, "/report") || !strcmp(path, "/report/")) path = "/report.html";
  if (path[0] != '/' || strstr(path, "..") || strstr(path, "//") || strlen(path) > 200)
    return http_error(rq, 404, "ENOTFOUND", "no such file");
  const char *type = NULL, *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof TYPES / sizeof TYPES[0]; i++)
    if (!strcmp(dot, TYPES[i].ext)) type = TYPES[i].type;
  if (!type) return http_error(rq, 404, "ENOTFOUND", "no such file");
  char full[1400];
  snprintf(full, sizeof full, "%s%s", srv->cfg.web_root, path);
  int fd = open(full, O_RDONLY | O_CLOEXEC);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    if (fd >= 0) close(fd);
    return http_error(rq, 404, "ENOTFOUND", "no such file");
  }
  *resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd); /* MHD closes fd */
  if (!*resp) {
    close(fd);
    return http_error(rq, 500, "EIO", "cannot send file");
  }
  MHD_add_response_header(*resp, "Content-Type", type);
  MHD_add_response_header(*resp, "Cache-Control", "no-cache");
  return 200;
}
