#!/bin/sh
# Benchmarks: throughput of liaison's routes as a ratio to a bare libmicrohttpd server measured in the
# same run on the same machine, and liaison's peak memory.  Prints a table; docs/performance.md
# records a run.  Usage: bench/run.sh [SECONDS per measurement, default 5]
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-5}
export LIAISON_METRICS_TOKEN=bench-metrics-token-0123456789 # the server reads /metrics for this token (bench/stmts.py)
CONNS=32
THREADS=2
B=build/bench
mkdir -p $B
cc -O2 -Wall -Wextra -Werror -o $B/load bench/load.c -lpthread
cc -O2 -Wall -Wextra -Werror -o $B/ref bench/ref.c $(pkg-config --cflags --libs libmicrohttpd)
[ -x ./liaison ] || make liaison >/dev/null

dir=$(mktemp -d)
pids=""
trap 'kill $pids 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
LIAISON_ADMIN_PASSWORD=bench-admin-1 LIAISON_PWHASH=min ./liaison init --db "$dir/db" --demo >/dev/null
./liaison serve --db "$dir/db" --listen 127.0.0.1:18090 --threads $THREADS 2>"$dir/log" &
lpid=$!
$B/ref 18091 $THREADS &
rpid=$!
pids="$lpid $rpid"
sleep 0.5

# A bearer token for 王芳 and 200 requests to list.
TOKEN=$(python3 bench/setup.py http://127.0.0.1:18090 wangfang demo1234 200)

measure() { # label port path [token]
  out=$($B/load "$2" "$3" $CONNS $THREADS "$SECS" ${4:-})
  echo "$out"
}

# Each route is measured REPS times, each time between two measurements of the reference (A B A), and its
# ratio is the median over the rounds of its rate against the mean of the reference just before and just
# after: a machine busy with something else for a while skews both sides of a round alike, and one bad round
# does not decide the figure.
REPS=${REPS:-3}
ref_last=$(measure ref 18091 /x | cut -d' ' -f1)
printf '%-44s %10s %8s %6s %10s\n' "what" "req/s" "ratio" "non2xx" "stmts/req"
printf '%-44s %10s %8s %6s %10s\n' "reference: bare libmicrohttpd, 300-byte JSON" "$ref_last" "1.00" "0" "-"
# label | path | route (as /metrics names it) | token
for spec in "GET /healthz|/healthz|GET /healthz|" \
            "GET /api/v1/departments/4 (bearer)|/api/v1/departments/4|GET /api/v1/departments/{id}|$TOKEN" \
            "GET /api/v1/requests/1 (bearer)|/api/v1/requests/1|GET /api/v1/requests/{id}|$TOKEN" \
            "GET /api/v1/requests?limit=20 (bearer)|/api/v1/requests?limit=20|GET /api/v1/requests|$TOKEN" \
            "GET /api/v1/me/work, 20 items (bearer)|/api/v1/me/work|GET /api/v1/me/work|$TOKEN"; do
  label=${spec%%|*}; rest=${spec#*|}; path=${rest%%|*}; rest=${rest#*|}; route=${rest%%|*}; tok=${rest#*|}
  set -- $(python3 bench/stmts.py http://127.0.0.1:18090 "$route")
  s0=$1; r0=$2
  rates=""; ratios=""; bad=0
  for _ in $(seq "$REPS"); do
    set -- $(measure liaison 18090 "$path" $tok)
    rates="$rates $1"; bad=$((bad + $2))
    ref_next=$(measure ref 18091 /x | cut -d' ' -f1)
    ratios="$ratios $(python3 -c "print($1 / (($ref_last + $ref_next) / 2))")"
    ref_last=$ref_next
  done
  set -- $(python3 bench/stmts.py http://127.0.0.1:18090 "$route")
  per=$(python3 -c "print(f'{($1-$s0)/max(1,$2-$r0):.1f}')")
  rate=$(python3 -c "import statistics; print(int(statistics.median([$(echo $rates | tr ' ' ',')])))")
  ratio=$(python3 -c "import statistics; print(f'{statistics.median([$(echo $ratios | tr ' ' ',')]):.2f}')")
  printf '%-44s %10s %8s %6s %10s\n' "$label" "$rate" "$ratio" "$bad" "$per"
done
echo "liaison peak resident memory: $(grep VmHWM /proc/$lpid/status | awk '{print $2, $3}') (reference: $(grep VmHWM /proc/$rpid/status | awk '{print $2, $3}'))"
echo "($CONNS keep-alive connections, $THREADS client threads, $THREADS server threads, ${SECS}s each, $(nproc) cores;"
echo " each figure the median of $REPS rounds, each ratio against the reference measured just before and just after)"
