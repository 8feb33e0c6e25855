#!/bin/bash
# make test-fresh: proves that on a brand-new Debian 12 machine the FIRST `make test` passes.
# Usage: tools/test-fresh.sh [test|run]   (`run`: the first `make run` instead, which passes when it serves the UI)
#
# As root: builds a throwaway Debian 12 root (mmdebstrap --variant=apt bookworm, plus `make`, which a newcomer
# needs to type `make`), gives it the host's network set-up (CA certificates, apt proxy settings, http(s)_proxy,
# npm configuration, resolv.conf), clones this repository's committed HEAD into /root/liaison and runs
# `make test` there once, as root, with a clean environment — so `make deps` installs Debian's own nodejs 18 and
# npm, and everything else, exactly as for a newcomer.  Prints the timings; the exit status is make test's.
#
# Safety: everything happens in a private mount namespace and PID namespace (unshare), so nothing mounted for the
# root is visible on the host and every process started in it dies with it; the root is unmounted explicitly as
# well, and it is deleted only after findmnt shows nothing mounted under it (otherwise the script refuses).
#
# Nothing is cached between runs: every package and npm module is downloaded again.
#
# Environment: LIAISON_FRESH_DIR (where the root is built, default /var/tmp), LIAISON_FRESH_MIRROR (default
# http://deb.debian.org/debian), LIAISON_FRESH_SECURITY (default http://deb.debian.org/debian-security).
set -u

if [ "${1:-}" = --inside ]; then
  # ---- inside the private mount + PID namespace: build the root, mount, run make test (or run), unmount ----
  work=$2
  mode=$3
  root=$work/root
  host=$work/host
  exec 9>>"$work/inner.lock" && flock 9 # held by everything started here; the host waits for it before deleting
  mounted=""
  unmount_all() {
    for m in $mounted; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "test-fresh: cannot unmount $m" >&2; done
    mounted=""
    # Whatever else is still mounted under the root (e.g. by an interrupted mmdebstrap), deepest first.
    for m in $(findmnt -rn -o TARGET | awk -v r="$root" 'index($0, r "/") == 1' | sort -r); do umount -l "$m" 2>/dev/null; done
  }
  # This shell is PID 1 of its own PID namespace: kill -1 reaches every other process in it, and nothing else.
  stop_all() { kill -KILL -1 2>/dev/null; wait 2>/dev/null; unmount_all; }
  trap 'unmount_all' EXIT
  trap 'stop_all; exit 130' INT
  trap 'stop_all; exit 143' TERM
  run() { "$@" & wait $!; } # in the background, so that a signal's trap runs at once
  mnt() { # mnt TARGET mount-args...: mounts and remembers it (most recent first, for unmounting)
    t=$1; shift
    mount "$@" "$t" || return 1
    mounted="$t $mounted"
  }
  now() { date +%s; }

  t0=$(now)
  mirror=${LIAISON_FRESH_MIRROR:-http://deb.debian.org/debian}
  security=${LIAISON_FRESH_SECURITY:-http://deb.debian.org/debian-security}
  hooks=()
  echo "== test-fresh: building a Debian 12 root (mmdebstrap --variant=apt bookworm, plus make)"
  [ -s "$host/apt-proxy.conf" ] && hooks+=(--aptopt="$host/apt-proxy.conf")
  run mmdebstrap --mode=root --variant=apt --include=make "${hooks[@]}" \
    bookworm "$root" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb $security bookworm-security main" </dev/null >"$work/mmdebstrap.log" 2>&1
  st=$?
  if [ $st -ne 0 ]; then tail -n 30 "$work/mmdebstrap.log"; echo "test-fresh: mmdebstrap failed ($st)"; exit 3; fi
  t1=$(now)
  echo "   root built in $((t1 - t0)) s"

  # The host's network set-up: CA certificates (a proxy may have its own CA), name resolution, npm configuration.
  mkdir -p "$root/etc/ssl/certs" "$root/usr/local/share/ca-certificates"
  cp "$host/ca-certificates.crt" "$root/etc/ssl/certs/ca-certificates.crt" 2>/dev/null
  cp -r "$host/local-ca/." "$root/usr/local/share/ca-certificates/"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
  [ -s "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  [ -f "$host/npmrc.user" ] && install -m 600 "$host/npmrc.user" "$root/root/.npmrc"
  [ -f "$host/npmrc.global" ] && install -m 644 "$host/npmrc.global" "$root/etc/npmrc"
  [ -d "$host/npm-cafiles" ] && cp -a "$host/npm-cafiles/." "$root/"

  cp -a "$work/src" "$root/root/liaison"

  mnt "$root/proc" -t proc proc &&
    mnt "$root/sys" -t sysfs -o ro sysfs &&
    mnt "$root/dev" --bind /dev &&
    mnt "$root/dev/pts" --bind /dev/pts &&
    mnt "$root/dev/shm" -t tmpfs -o mode=1777,size=1g shm || { echo "test-fresh: mounting failed"; exit 3; }

  # shellcheck disable=SC2046
  in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TERM=dumb $(cat "$host/proxy.env") /bin/sh -c "cd /root/liaison && $1"; }
  t2=$(now)
  if [ "$mode" = test ]; then
    echo "== test-fresh: make test (as root in the new root, clean environment)"
    run in_root 'make test'
    st=$?
  else
    # make run: it installs, builds and serves; it passes when the UI's page and script are served.  The host's
    # network is shared, so it listens on a port that is free here.
    port=18080
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "== test-fresh: make run LISTEN=127.0.0.1:$port (as root in the new root, clean environment)"
    in_root "make run LISTEN=127.0.0.1:$port" &
    server=$!
    get() { # get PATH -> the whole HTTP answer
      (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$1" >&3 && timeout 10 cat <&3) 2>/dev/null
    }
    st=1
    for _ in $(seq 1 1200); do
      kill -0 "$server" 2>/dev/null || { echo "test-fresh: make run stopped"; break; }
      page=$(get /)
      if [ -n "$page" ]; then
        script=$(get /static/app.js)
        if printf '%s' "$page" | grep -q '^HTTP/1.1 200' && printf '%s' "$page" | grep -qi '<!doctype html>' &&
          printf '%s' "$script" | grep -q '^HTTP/1.1 200'; then
          st=0; echo "   the UI is served: GET / and GET /static/app.js answer 200"
        else
          echo "test-fresh: the server answered, but not the UI:"; printf '%s\n' "$page" | head -5
        fi
        break
      fi
      sleep 0.5
    done
    kill -KILL -1 2>/dev/null; wait 2>/dev/null # every process here but this one: make run and its server
  fi
  t3=$(now)
  echo "   make $mode exited $st after $((t3 - t2)) s (in the root: node $(chroot "$root" node --version 2>/dev/null)," \
    "npm $(chroot "$root" npm --version 2>/dev/null), $(chroot "$root" chromium --version 2>/dev/null))"
  if [ $st -ne 0 ] && [ -d "$root/root/liaison/tests/out" ]; then
    mkdir -p "$work/out" && cp -a "$root/root/liaison/tests/out/." "$work/out/"
  fi
  printf '%s %s\n' "$((t1 - t0))" "$((t3 - t2))" >"$work/times"
  unmount_all
  exit $st
fi

# ---- on the host ----
here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-test}
case $mode in test|run) ;; *) echo "usage: tools/test-fresh.sh [test|run]" >&2; exit 2 ;; esac
if [ "$(id -u)" != 0 ]; then
  echo "make test-fresh builds a Debian root with mmdebstrap and chroots into it: run it as root" >&2
  exit 1
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
  echo "installing mmdebstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 mmdebstrap >/dev/null || exit 1
fi
head=$(git -C "$here" rev-parse HEAD) || exit 1
if [ -n "$(git -C "$here" status --porcelain --untracked-files=no)" ]; then
  echo "test-fresh: note: uncommitted changes are not tested, only the committed HEAD $head"
fi

start=$(date +%s)
base=${LIAISON_FRESH_DIR:-/var/tmp}
work=$(mktemp -d "$base/liaison-fresh.XXXXXX") || exit 1
case $work in /?*/liaison-fresh.??????) ;; *) echo "test-fresh: unexpected work directory '$work'" >&2; exit 1 ;; esac
inner=""
: >"$work/inner.lock"

mounts_under() { # lists what is mounted at or under $work, as the host sees it
  findmnt -rn -o TARGET | sed 's/\\x20/ /g' | awk -v w="$work" 'index($0, w "/") == 1 || $0 == w'
}
cleanup() {
  st=$?
  trap '' INT TERM
  if [ -n "$inner" ]; then
    # unshare blocks INT and TERM while it waits, so KILL it: --kill-child then sends TERM to the namespace's first
    # process, which kills every other process in it and unmounts.
    kill -KILL "$inner" 2>/dev/null
    wait "$inner" 2>/dev/null
  fi
  # Wait until every process that ran in the namespace is gone (they hold inner.lock).
  if ! flock -w 120 "$work/inner.lock" true; then
    echo "test-fresh: processes of the test root are still running, NOT deleting $work" >&2
    exit 1
  fi
  # The mounts lived in the private namespace, which is gone; check, and unmount whatever shows anyway.
  for m in $(mounts_under | sort -r); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
  if [ -n "$(mounts_under)" ]; then
    echo "test-fresh: still mounted under $work, NOT deleting it:" >&2
    mounts_under >&2
    exit 1
  fi
  if [ -d "$work/out" ]; then
    rm -rf "$here/tests/out/fresh" && mkdir -p "$here/tests/out" && cp -a "$work/out" "$here/tests/out/fresh" &&
      echo "test-fresh: the failed run's test logs are in tests/out/fresh/"
  fi
  times=$(cat "$work/times" 2>/dev/null)
  t_clean=$(date +%s)
  rm -rf --one-file-system "$work"
  end=$(date +%s)
  if [ -n "$times" ]; then
    set -- $times
    verdict=passed; [ "$st" = 0 ] || verdict="FAILED (exit $st)"
    what=tests; [ "$mode" = test ] || what="serving the UI"
    echo "test-fresh: $verdict; root built in $1 s, first make $mode (deps, build, $what) $2 s," \
      "cleaning up $((end - t_clean)) s; total $((end - start)) s"
  else
    echo "test-fresh: FAILED (exit $st) before make $mode finished; total $((end - start)) s"
  fi
  exit "$st"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# What the root gets from the host, gathered here (the namespace sees the same files, but this keeps it in one place).
mkdir -p "$work/host/local-ca"
cp /etc/ssl/certs/ca-certificates.crt "$work/host/" 2>/dev/null
cp -L /usr/local/share/ca-certificates/* "$work/host/local-ca/" 2>/dev/null
apt-config dump 2>/dev/null | grep -iE '^Acquire::[a-z]+::proxy' >"$work/host/apt-proxy.conf"
env | grep -E '^(http_proxy|https_proxy|no_proxy|HTTP_PROXY|HTTPS_PROXY|NO_PROXY|npm_config_[a-z_]+)=' | grep -v ' ' >"$work/host/proxy.env"
[ -f "$HOME/.npmrc" ] && cp "$HOME/.npmrc" "$work/host/npmrc.user"
[ -f /etc/npmrc ] && cp /etc/npmrc "$work/host/npmrc.global"
if command -v npm >/dev/null 2>&1; then
  reg=$(npm config get registry 2>/dev/null)
  case $reg in ''|https://registry.npmjs.org/) ;; *) echo "registry=$reg" >>"$work/host/npmrc.user" ;; esac
fi
for f in $(cat "$work/host"/npmrc.* 2>/dev/null | sed -n 's/^ *cafile *= *//p'); do
  [ -f "$f" ] && mkdir -p "$work/host/npm-cafiles$(dirname "$f")" && cp "$f" "$work/host/npm-cafiles$f"
done
git clone -q --no-checkout "$here" "$work/src" && git -C "$work/src" checkout -q --detach "$head" || exit 1
echo "== test-fresh: testing commit $(git -C "$here" log -1 --format='%h %s' "$head")"

unshare --mount --propagation private --pid --fork --mount-proc --kill-child=TERM -- /bin/bash "$0" --inside "$work" "$mode" &
inner=$!
wait "$inner"
status=$?
inner=""
exit "$status"
