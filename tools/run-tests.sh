#!/bin/sh
# Runs the test suites and prints one totals line, "N passed, N failed", for all of them together.
# Usage: tools/run-tests.sh [unit] [unit-pg] [api] [api-pg] [e2e] [fuzz] [pg]   (default: all seven; fuzz replays
#        tests/fuzz/corpus; unit-pg runs the unit tests again with every store test on a database of its own in a
#        throwaway PostgreSQL 15 (tests/unit/store_fixture.c);
#        api-pg is the api suite again with every server on its own database of a throwaway PostgreSQL 15
#        (tools/pg-cluster.sh), but the files about SQLite files (SQLITE_ONLY below), and tests/cluster
#        (several servers on one store);
#        pg checks the schema and every SQL statement on a throwaway PostgreSQL 15: tools/pg-check.sh, which
#        prepares the statements the api suite ran, traced to tests/out/sql-trace.jsonl, and those written in src/)
# Environment: UNIT_BIN (default build/unit-tests), LIAISON_BIN (the server binary the node tests start),
#              FUZZ_REPLAY_BIN (default build/fuzz-replay),
#              SANITIZE=1 (also fail on sanitizer reports in the suites' own output).
# Every server the node tests start writes its stderr to server.log in its own directory under
# tests/out/servers/<suite>/ (tests/lib/server.js); a sanitizer report in any of them fails the suite.  The
# directories are deleted when the suite passed, and kept for a look when it failed.
set -u
cd "$(dirname "$0")/.."
suites=${*:-unit unit-pg api api-pg e2e fuzz pg}
# api tests about the SQLite store file itself (its permissions, a SQLite file of an old release): not run on
# PostgreSQL.
SQLITE_ONLY="readonly-store.test.js stage1-upgrade.test.js"
UNIT_BIN=${UNIT_BIN:-build/unit-tests}
out=tests/out
mkdir -p "$out"
SANITIZER_RE='ERROR: (Address|Leak|Thread|Memory|UndefinedBehavior)Sanitizer|runtime error:'
passed=0
failed=0
status=0

# on_pg LOG COMMAND...: runs COMMAND (output to LOG) with a throwaway PostgreSQL 15 (tools/pg-cluster.sh; under
# /tmp, since as root it runs as nobody, who must reach its directory) named by $PGHOST, $PGPORT and
# $LIAISON_TEST_PG; sets rc (and f when the cluster failed); the cluster is always stopped and removed.
on_pg() {
  log=$1; shift
  cluster=$(mktemp -d "${TMPDIR:-/tmp}/liaison-pg.XXXXXX")
  if env=$(tools/pg-cluster.sh start "$cluster" 2>"$log.cluster"); then
    # shellcheck disable=SC2046
    env $env "$@" >"$log" 2>&1
    rc=$?
  else
    cat "$log.cluster" >"$log"
    echo "PostgreSQL did not start" >>"$log"
    rc=1
  fi
  tools/pg-cluster.sh stop "$cluster" || rc=1
}

count() { # file pattern -> number after the pattern (last match), 0 when none
  v=$(grep -aE "$2" "$1" | tail -n 1 | sed -E "s/.*$2 *([0-9]+).*/\1/")
  echo "${v:-0}"
}

for s in $suites; do
  log="$out/$s.log"
  echo "== $s tests"
  case $s in
    unit)
      # Criterion prints its summary on stderr: "Synthesis: Tested: N | Passing: N | Failing: N | Crashing: N"
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$UNIT_BIN" --jobs 2 >"$log" 2>&1
      rc=$?
      p=$(count "$log" 'Passing:')
      f=$(count "$log" 'Failing:')
      ;;
    unit-pg)
      on_pg "$log" env UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$UNIT_BIN" --jobs 2
      p=$(count "$log" 'Passing:')
      f=$(count "$log" 'Failing:')
      ;;
    fuzz)
      FUZZ_REPLAY_BIN=${FUZZ_REPLAY_BIN:-build/fuzz-replay} tools/fuzz-replay.sh >"$log" 2>&1
      rc=$?
      p=$(sed -nE 's/.*fuzz: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' "$log" | tail -n 1)
      f=$(sed -nE 's/.*fuzz: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' "$log" | tail -n 1)
      p=${p:-0}
      f=${f:-0}
      ;;
    pg)
      tools/pg-check.sh "$out/sql-trace.jsonl" >"$log" 2>&1
      rc=$?
      p=$(sed -nE 's/^pg: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' "$log" | tail -n 1)
      f=$(sed -nE 's/^pg: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' "$log" | tail -n 1)
      p=${p:-0}
      f=${f:-0}
      ;;
    api-pg)
      servers="$PWD/$out/servers/$s"
      rm -rf "$servers" && mkdir -p "$servers"
      files="tests/cluster/*.test.js" # several servers on one store: PostgreSQL only
      for f in tests/api/*.test.js; do
        case " $SQLITE_ONLY " in *" $(basename "$f") "*) ;; *) files="$files $f" ;; esac
      done
      # shellcheck disable=SC2086
      on_pg "$log" env LIAISON_TEST_TMP="$servers" LIAISON_TEST_KEEP=1 \
        node --test --test-reporter=tap --test-concurrency=2 $files
      p=$(count "$log" '^# pass')
      f=$(count "$log" '^# fail')
      ;;
    api|e2e)
      servers="$PWD/$out/servers/$s"
      rm -rf "$servers" && mkdir -p "$servers"
      # The api suite records every SQL text the servers and commands run, for the pg suite.
      trace=""
      if [ "$s" = api ]; then trace="$PWD/$out/sql-trace.jsonl"; rm -f "$trace"; fi
      LIAISON_SQL_TRACE="$trace" LIAISON_TEST_TMP="$servers" LIAISON_TEST_KEEP=1 \
        node --test --test-reporter=tap --test-concurrency=2 tests/$s/ >"$log" 2>&1
      rc=$?
      p=$(count "$log" '^# pass')
      f=$(count "$log" '^# fail')
      ;;
    *) echo "unknown suite $s"; exit 2 ;;
  esac
  if [ "${SANITIZE:-0}" = 1 ] && grep -aqE "$SANITIZER_RE" "$log"; then
    echo "sanitizer report in $s:"; grep -aE -A5 "$SANITIZER_RE" "$log" | head -40
    f=$((f + 1)); rc=1
  fi
  if [ "$s" = api ] || [ "$s" = api-pg ] || [ "$s" = e2e ] || [ "$s" = fuzz ]; then
    reports=$(grep -alE "$SANITIZER_RE" "$servers"/*/server.log 2>/dev/null)
    if [ -n "$reports" ]; then
      echo "sanitizer report from a server under test in $s:"
      for r in $reports; do echo "  $r"; grep -aE -A8 "$SANITIZER_RE" "$r" | head -20; done
      f=$((f + 1)); rc=1
    fi
    if [ "$rc" -eq 0 ]; then rm -rf "$servers"; else echo "(servers' stores and logs: $servers)"; fi
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # a crash that counted nothing still fails
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -aE '^not ok|Failing|Assertion|FAIL|error' "$log" | head -40
    echo "(full output: $log)"
  fi
  echo "   $s: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
done

echo "$passed passed, $failed failed"
exit $status
