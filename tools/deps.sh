#!/bin/sh
# Installs what liaison needs to build and test when it is missing: Debian packages (compiler, libraries, Criterion,
# chromium and a CJK font, PostgreSQL 15 for the pg suite (tools/pg-check.sh; pg_trgm is in the server package),
# Node and npm — Debian's own nodejs 18 unless a node is already there), then the npm test tools of
# package-lock.json (playwright-core).  Not root: prints the apt-get command to run and stops.
set -eu
cd "$(dirname "$0")/.."

PKGS="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcsv-dev libxlsxwriter-dev libpq-dev
      libcriterion-dev sqlite3 chromium fonts-wqy-microhei ca-certificates tzdata postgresql-15"
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

# The browser tests need Node 18 or newer (playwright-core's engines); Debian 12's nodejs is 18.
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "liaison's tests need Node 18 or newer; $(command -v node) is $(node --version)" >&2
  exit 1
fi

# npm ci when playwright-core is missing or is not the version package-lock.json pins.
want=$(node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version')
have=$(node -p 'try { require("./node_modules/playwright-core/package.json").version } catch { "" }')
if [ "$have" != "$want" ]; then
  echo "installing npm test tools (playwright-core $want)"
  npm ci --no-audit --no-fund --loglevel=error
fi
