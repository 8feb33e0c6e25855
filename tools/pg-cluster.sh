#!/bin/sh
# A throwaway PostgreSQL 15 cluster for tests, in a directory of its own.
#   tools/pg-cluster.sh start DIR   initdb in DIR/data, start it on a free loopback port (socket in DIR), create the
#                                   role `liaison` (LOGIN CREATEDB) and its database `liaison`; prints the lines
#                                   PGHOST=... PGPORT=... LIAISON_TEST_PG=postgres://liaison@127.0.0.1:PORT/
#                                   (source them with eval); exit 1 when it cannot.
#   tools/pg-cluster.sh stop DIR    stop it (immediately) and remove DIR, whatever state it is in.
# PostgreSQL refuses to run as root: as root, the cluster belongs to the unprivileged user `nobody`.
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin).
set -u
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

as_owner() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  uid=$(id -u nobody) && gid=$(id -g nobody) || { echo "pg-cluster: running as root, and there is no user nobody" >&2; exit 1; }
  as_owner() { (cd "$dir" && setpriv --reuid="$uid" --regid="$gid" --clear-groups -- env HOME="$dir" "$@"); }
fi

case $cmd in
  start)
    for t in initdb pg_ctl postgres psql; do
      [ -x "$PG_BIN/$t" ] || { echo "pg-cluster: $PG_BIN/$t is missing: install Debian's postgresql-15 (make deps)" >&2; exit 1; }
    done
    mkdir -p "$dir" && chmod 755 "$dir" || exit 1
    [ "$(id -u)" = 0 ] && chown "$uid:$gid" "$dir"
    if ! as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
      >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2; echo "pg-cluster: initdb failed" >&2; exit 1
    fi
    started=""
    for attempt in 1 2 3; do
      port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
      if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
        "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300" \
        start >/dev/null 2>&1; then
        started=1
        break
      fi
      tail -n 5 "$dir/server.log" >&2 2>/dev/null
    done
    [ -n "$started" ] || { echo "pg-cluster: PostgreSQL did not start" >&2; exit 1; }
    if ! PGHOST="$dir" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE liaison LOGIN CREATEDB" -c "CREATE DATABASE liaison OWNER liaison" >/dev/null; then
      echo "pg-cluster: cannot create the role and database" >&2; exit 1
    fi
    echo "PGHOST=$dir"
    echo "PGPORT=$port"
    echo "LIAISON_TEST_PG=postgres://liaison@127.0.0.1:$port/"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 ||
        echo "pg-cluster: pg_ctl stop failed; see $dir/server.log" >&2
    fi
    # A server that is still running holds postmaster.pid: then keep the directory, and say so.
    if [ -f "$dir/data/postmaster.pid" ] && kill -0 "$(head -n 1 "$dir/data/postmaster.pid")" 2>/dev/null; then
      echo "pg-cluster: PostgreSQL is still running in $dir, NOT deleting it" >&2
      exit 1
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
