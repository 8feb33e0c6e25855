#!/bin/sh
# Checks that the schema and every SQL statement are ready for PostgreSQL 15, against a real one.
# Usage: tools/pg-check.sh [--verbose] [TRACE...]
#   TRACE: files written by LIAISON_SQL_TRACE (src/store/db_sqlite.c), default tests/out/sql-trace.jsonl, which
#   `tools/run-tests.sh api` writes.  The SQL written in src/ is checked as well, traced or not.
# Starts a throwaway PostgreSQL 15 cluster in a temporary directory (initdb, pg_ctl; its socket in that
# directory, listening on a free loopback port), as the current user — or, for root, which PostgreSQL refuses
# to run as, as the unprivileged user `nobody` — creates an ordinary role owning a database, and runs
# tools/pg-check.js there: each migration applied (`liaison schema --dialect postgres`), each table compared
# with SQLite's, each statement PREPAREd.  The cluster is always stopped and the directory removed.
# Prints a line per check and last "pg: N passed, N failed"; exits 1 when a check failed.
# Environment: LIAISON_BIN (default ./liaison), PG_BIN (default /usr/lib/postgresql/15/bin), CC.
set -u
cd "$(dirname "$0")/.."
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BIN=${LIAISON_BIN:-$PWD/liaison}
verbose=""
if [ "${1:-}" = --verbose ]; then verbose=--verbose; shift; fi
[ $# -gt 0 ] || set -- tests/out/sql-trace.jsonl

for t in initdb pg_ctl postgres psql; do
  if [ ! -x "$PG_BIN/$t" ]; then
    echo "pg-check: $PG_BIN/$t is missing: install Debian's postgresql-15 (make deps)"
    echo "pg: 0 passed, 1 failed"
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/liaison-pg.XXXXXX") || exit 1
chmod 755 "$tmp"
started=""
as_owner() { "$@"; } # runs a command as the cluster's owner
if [ "$(id -u)" = 0 ]; then
  uid=$(id -u nobody) && gid=$(id -g nobody) || { echo "pg-check: running as root, and there is no user nobody"; exit 1; }
  chown "$uid:$gid" "$tmp"
  as_owner() { (cd "$tmp" && setpriv --reuid="$uid" --regid="$gid" --clear-groups -- env HOME="$tmp" "$@"); }
fi
cleanup() {
  st=$?
  trap '' INT TERM
  if [ -n "$started" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 ||
      echo "pg-check: pg_ctl stop failed; see $tmp/server.log"
  fi
  # A server that is still running holds postmaster.pid: then keep the directory, and say so.
  if [ -f "$tmp/data/postmaster.pid" ] && kill -0 "$(head -n 1 "$tmp/data/postmaster.pid")" 2>/dev/null; then
    echo "pg-check: PostgreSQL is still running in $tmp, NOT deleting it"
  else
    rm -rf "$tmp"
  fi
  exit "$st"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! as_owner "$PG_BIN/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$tmp/initdb.log" 2>&1; then
  cat "$tmp/initdb.log"; echo "pg-check: initdb failed"; echo "pg: 0 passed, 1 failed"; exit 1
fi
# A free loopback port (asked of the kernel), tried again should another process take it first.
for attempt in 1 2 3; do
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  if as_owner "$PG_BIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 -o \
    "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$tmp -c fsync=off -c full_page_writes=off" \
    start >/dev/null 2>&1; then
    started=1
    break
  fi
  tail -n 5 "$tmp/server.log" 2>/dev/null
done
if [ -z "$started" ]; then echo "pg-check: PostgreSQL did not start"; echo "pg: 0 passed, 1 failed"; exit 1; fi
echo "== PostgreSQL $("$PG_BIN/postgres" --version | sed -E 's/^[^0-9]*([0-9.]+).*/\1/') on 127.0.0.1:$port (data, socket: $tmp)"

export PGHOST="$tmp" PGPORT="$port"
# The schema is applied by an ordinary role that owns its database, as a deployment's would be (pg_trgm is a
# trusted extension: a database owner may create it).
if ! PGUSER=postgres PGDATABASE=postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE liaison LOGIN" -c "CREATE DATABASE liaison OWNER liaison" >/dev/null; then
  echo "pg-check: cannot create the role and database"; echo "pg: 0 passed, 1 failed"; exit 1
fi
export PGUSER=liaison PGDATABASE=liaison
# shellcheck disable=SC2086
node tools/pg-check.js --liaison "$BIN" --psql "$PG_BIN/psql" --src src \
  --cpp "${CC:-cc} -E -std=c17 -D_GNU_SOURCE -Isrc -Ibuild $(pkg-config --cflags libmicrohttpd jansson sqlite3 libsodium libpq 2>/dev/null)" \
  $verbose "$@"
