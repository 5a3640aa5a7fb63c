#!/bin/sh
# Installs the Debian packages netpatrol needs to build, test and benchmark.
# Idempotent: does nothing when everything is present (checked with dpkg -s).
set -e
PKGS="build-essential pkg-config clang libclang-rt-14-dev
libvectorscan-dev libopencc-dev opencc libutf8proc-dev libxxhash-dev libjansson-dev
libsqlite3-dev libmicrohttpd-dev libsodium-dev libicu-dev unicode-data bzip2
bc python3 python3-jsonschema python3-ahocorasick ripgrep hyperfine fasttext time"
missing=""
for p in $PKGS; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
