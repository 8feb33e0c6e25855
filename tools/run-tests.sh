#!/bin/sh
# Runs the test suites and prints one totals line, "N passed, N failed", for all of them together.
# Usage: tools/run-tests.sh [unit] [api] [e2e]   (default: all three)
# Environment: UNIT_BIN (default build/unit-tests), LIAISON_BIN (the server binary the node tests start),
#              SANITIZE=1 (fail on sanitizer reports in the output).
set -u
cd "$(dirname "$0")/.."
suites=${*:-unit api e2e}
UNIT_BIN=${UNIT_BIN:-build/unit-tests}
out=tests/out
mkdir -p "$out"
passed=0
failed=0
status=0

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
    api|e2e)
      node --test --test-reporter=tap --test-concurrency=2 tests/$s/ >"$log" 2>&1
      rc=$?
      p=$(count "$log" '^# pass')
      f=$(count "$log" '^# fail')
      ;;
    *) echo "unknown suite $s"; exit 2 ;;
  esac
  if [ "${SANITIZE:-0}" = 1 ] && grep -aqE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" "${TMPDIR:-/tmp}"/liaison-test-*/server.log 2>/dev/null; then
    echo "sanitizer report in $s:"; grep -aE -A5 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" | head -40
    f=$((f + 1)); rc=1
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
