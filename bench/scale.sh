#!/bin/sh
# Several servers on one PostgreSQL store: the throughput of reads (a request page, a list of 20) and of
# writes (creating a request) with 1, 2 and 3 `liaison serve` processes, each measured as the sum over the
# servers of a load generator per server (32 connections in all), and as a ratio to one server in the same
# run.  A throwaway PostgreSQL 15 cluster (tools/pg-cluster.sh) holds the store: init --demo plus 200
# requests of 王芳's (bench/setup.py).  docs/performance.md records a run.
# Usage: bench/scale.sh [SECONDS per measurement, default 5]
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-5}
THREADS=2
B=build/bench
mkdir -p $B
cc -O2 -Wall -Wextra -Werror -o $B/load bench/load.c -lpthread
[ -x ./liaison ] || make liaison >/dev/null

cluster=$(mktemp -d "${TMPDIR:-/tmp}/liaison-scale.XXXXXX")
logs=$(mktemp -d)
pids=""
trap 'kill $pids 2>/dev/null; wait 2>/dev/null; tools/pg-cluster.sh stop "$cluster"; rm -rf "$logs"' EXIT INT TERM
eval "$(tools/pg-cluster.sh start "$cluster")"
export PGHOST PGPORT
psql -X -q -U liaison -d liaison -c "SELECT 1" >/dev/null
URL="${LIAISON_TEST_PG}liaison"
LIAISON_ADMIN_PASSWORD=bench-admin-1 LIAISON_PWHASH=min ./liaison init --db "$URL" --demo >/dev/null

ports="18101 18102 18103"
start() { # port
  ./liaison serve --db "$URL" --listen "127.0.0.1:$1" --threads $THREADS 2>"$logs/$1.log" &
  pids="$pids $!"
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "server on $1 did not start"; cat "$logs/$1.log"; exit 1
}
start 18101
TOKEN=$(python3 bench/setup.py http://127.0.0.1:18101 wangfang demo1234 200)

# The sum of one load generator per server, run at the same time; path on each.
measure() { # n path
  n=$1; path=$2; i=0; files=""
  for p in $ports; do
    i=$((i + 1)); [ $i -le "$n" ] || break
    $B/load "$p" "$path" $((32 / n)) 1 "$SECS" "$TOKEN" >"$logs/out.$p" &
    files="$files $logs/out.$p"
  done
  wait_loads
  cat $files | awk '{s += $1; bad += $2} END {print s, bad}'
}
wait_loads() { while pgrep -f "$B/load" >/dev/null; do sleep 0.2; done; }

printf '%-8s %14s %8s %14s %8s\n' servers "request req/s" ratio "list req/s" ratio
base_r=""; base_l=""
for n in 1 2 3; do
  [ "$n" -gt 1 ] && start "$(echo $ports | cut -d' ' -f$n)"
  set -- $(measure "$n" /api/v1/requests/1); r=$1
  set -- $(measure "$n" "/api/v1/requests?limit=20"); l=$1
  [ -n "$base_r" ] || { base_r=$r; base_l=$l; }
  printf '%-8s %14s %8s %14s %8s\n' "$n" "$r" "$(python3 -c "print(f'{$r/$base_r:.2f}')")" "$l" "$(python3 -c "print(f'{$l/$base_l:.2f}')")"
done
echo "($(nproc) cores shared by the servers, PostgreSQL and the load generators; $THREADS threads a server, ${SECS}s each)"
