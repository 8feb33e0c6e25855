#!/bin/sh
# Replays the fuzz corpus (tests/fuzz/corpus/*/) through the replay driver, one test per file, and prints
# "   fuzz: N passed, N failed".  With --add "N passed, N failed" (the totals line of tools/run-tests.sh)
# it then prints the sum of both as the last line, "N passed, N failed".  Exits 1 when anything failed.
# Environment: FUZZ_REPLAY_BIN (default build/fuzz-replay), SANITIZE=1 (a sanitizer report fails the file).
set -u
cd "$(dirname "$0")/.."
BIN=${FUZZ_REPLAY_BIN:-build/fuzz-replay}
add=""
if [ "${1:-}" = "--add" ]; then add=${2:-}; fi
out=tests/out
mkdir -p "$out"
log="$out/fuzz.log"
: >"$log"
echo "== fuzz corpus replay"

# One run of the driver over the remaining files; when it dies, the file it was running failed and the
# rest are run again by the next round.
files=$(find tests/fuzz/corpus -type f ! -name '.*' | LC_ALL=C sort)
passed=0
failed=0
rounds=0
while [ -n "$files" ] && [ "$rounds" -lt 100 ]; do
  rounds=$((rounds + 1))
  # shellcheck disable=SC2086
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 timeout 300 "$BIN" $files >"$out/fuzz-round.log" 2>&1
  rc=$?
  cat "$out/fuzz-round.log" >>"$log"
  ok=$(grep -c '^ok ' "$out/fuzz-round.log")
  if [ "${SANITIZE:-0}" = 1 ] && grep -aqE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$out/fuzz-round.log"; then
    rc=1
    ok=0 # which file caused the report is unclear: the round fails as a whole
    failed=$((failed + $(echo "$files" | wc -w)))
    grep -aE -A5 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$out/fuzz-round.log" | head -20
    break
  fi
  passed=$((passed + ok))
  if [ "$rc" -eq 0 ]; then break; fi
  bad=$(grep '^run ' "$out/fuzz-round.log" | tail -n 1 | cut -c5-)
  if [ -z "$bad" ] || grep -qxF "ok $bad" "$out/fuzz-round.log"; then
    # died outside a file (start-up): every remaining file fails
    failed=$((failed + $(echo "$files" | wc -w) - ok))
    echo "the replay driver failed outside a corpus file:"; tail -n 20 "$out/fuzz-round.log"
    break
  fi
  failed=$((failed + 1))
  echo "fuzz corpus file failed: $bad"; grep -vE '^(run|ok) ' "$out/fuzz-round.log" | tail -n 20
  files=$(echo "$files" | awk -v done_="$out/fuzz-round.log" -v bad="$bad" '
    BEGIN { while ((getline l < done_) > 0) if (l ~ /^ok /) seen[substr(l, 4)] = 1 }
    $0 != bad && !($0 in seen)')
done
echo "   fuzz: $passed passed, $failed failed"
status=0
[ "$failed" -eq 0 ] || { status=1; echo "(full output: $log)"; }
if [ -n "$add" ]; then
  p=$(echo "$add" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')
  f=$(echo "$add" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')
  if [ -z "$p" ]; then p=0; f=1; echo "no totals line from the other suites: counted as one failure"; fi
  [ "$f" -eq 0 ] || status=1
  echo "$((passed + p)) passed, $((failed + f)) failed"
fi
exit $status
