#!/bin/sh
# Checks that the schema and every SQL statement are ready for PostgreSQL 15, against a real one.
# Usage: tools/pg-check.sh [--verbose] [TRACE...]
#   TRACE: files written by LIAISON_SQL_TRACE (src/store/db_sqlite.c), default tests/out/sql-trace.jsonl, which
#   `tools/run-tests.sh api` writes.  The SQL written in src/ is checked as well, traced or not.
# Starts a throwaway PostgreSQL 15 cluster with tools/pg-cluster.sh (a temporary directory, a free loopback port;
# as `nobody` when run as root), which creates an ordinary role owning a database, and runs
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/liaison-pg.XXXXXX") || exit 1
trap 'tools/pg-cluster.sh stop "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The cluster (tools/pg-cluster.sh): an ordinary role `liaison` owning its database `liaison`, as a deployment's
# would be (pg_trgm is a trusted extension: a database owner may create it).
if ! env=$(tools/pg-cluster.sh start "$tmp"); then
  echo "pg-check: PostgreSQL did not start"; echo "pg: 0 passed, 1 failed"; exit 1
fi
eval "$env"
export PGHOST PGPORT PGUSER=liaison PGDATABASE=liaison
echo "== PostgreSQL $("$PG_BIN/postgres" --version | sed -E 's/^[^0-9]*([0-9.]+).*/\1/') on 127.0.0.1:$PGPORT (data, socket: $tmp)"
# shellcheck disable=SC2086
node tools/pg-check.js --liaison "$BIN" --psql "$PG_BIN/psql" --src src \
  --cpp "${CC:-cc} -E -std=c17 -D_GNU_SOURCE -Isrc -Ibuild $(pkg-config --cflags libmicrohttpd jansson sqlite3 libsodium libpq 2>/dev/null)" \
  $verbose "$@"
