#!/bin/sh
# Installs what the web workbench and its browser test need: Debian chromium
# (apt, when missing) and the npm packages of web/package-lock.json (npm ci,
# when node_modules is missing or older than the lock file).  Idempotent.
set -e
cd "$(dirname "$0")/.."
# chromium for the browser test; a CJK font so screenshots show the Chinese text.
missing=""
for p in chromium fonts-wqy-zenhei; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
# Node.js and npm from Debian when the machine has none of its own
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ] && [ -z "${NP_SKIP_APT:-}" ]; then
  echo "install-web-deps: installing:$missing" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-web-deps: npm not found (apt-get install npm)" >&2
  exit 1
fi
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
  echo "install-web-deps: npm ci in web/" >&2
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  touch web/node_modules
fi
