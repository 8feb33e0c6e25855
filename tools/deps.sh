#!/bin/sh
# Installs what liaison needs to build and test when it is missing: Debian packages, then npm test tools.
set -eu
cd "$(dirname "$0")/.."

PKGS="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcsv-dev
      libcriterion-dev chromium fonts-wqy-microhei ca-certificates tzdata"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

missing=""
for p in $PKGS; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done

if [ -n "$missing" ]; then
  cmd="apt-get update && apt-get install -y -o DPkg::Lock::Timeout=600$missing"
  if [ "$(id -u)" != 0 ]; then
    echo "liaison needs these Debian packages:$missing" >&2
    echo "run as root: $cmd" >&2
    exit 1
  fi
  echo "installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 $missing >/dev/null
fi

if [ ! -f node_modules/playwright-core/package.json ]; then
  echo "installing npm test tools (playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi
