#!/usr/bin/env bash
# Sync benchmark: N small approved items published to a local
# gongkai-portal by `gongkai-ctl sync`, against curl sending the same
# requests (HEAD and PUT of every file, PUT of every document with the
# same bodies and If-None-Match: *) with the same concurrency, each side
# on a fresh portal, ROUNDS times; prints the medians and their ratio.
# Not part of the test run; see bench/README.md.
#
#   bench/run-sync.sh [BUILD_DIR] [N] [CONCURRENCY] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
build=${1:-$top/_build/bench}
n=${2:-1000}
jobs=${3:-4}
rounds=${4:-3}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dbuildtype=release >/dev/null
fi
ninja -C "$build" src/cli/gongkai-ctl src/portal/gongkai-portal bench/gk-bench-sync >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/gk-bench-sync-XXXXXX")
portal_pid=
stop_portal() {
  if [ -n "$portal_pid" ]; then
    kill "$portal_pid" 2>/dev/null || true
    wait "$portal_pid" 2>/dev/null || true
    portal_pid=
  fi
}
cleanup() {
  stop_portal
  rm -rf "$work"
}
trap cleanup EXIT

token_file=$work/token
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$token_file"
chmod 600 "$token_file"

# A fresh portal on an ephemeral port; sets $url.
start_portal() {
  rm -rf "$work/portal" "$work/port"
  "$build/src/portal/gongkai-portal" --data "$work/portal" --port 0 --port-file "$work/port" \
    --token-file "$token_file" >"$work/portal.log" 2>&1 &
  portal_pid=$!
  for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.05; done
  url="http://127.0.0.1:$(cat "$work/port")/api/v1"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "Preparing a library with $n approved items…"
"$build/bench/gk-bench-sync" prepare "$work/library" "$n"
# curl's requests, written while the items are approved (the URLs are
# fixed up per round: the port changes).
"$build/bench/gk-bench-sync" curl-config "$work/library" "http://PORTAL/api/v1" "$token_file" \
  "$work/requests" >/dev/null

ours_times=()
curl_times=()
for round in $(seq "$rounds"); do
  # gongkai-ctl sync: process start, outbox, health check, then per item
  # HEAD, PUT file, PUT document, and a transaction with its audit entry.
  rm -rf "$work/run"
  cp -r "$work/library" "$work/run"
  start_portal
  t0=$(now)
  GONGKAI_LIBRARY="$work/run" "$build/src/cli/gongkai-ctl" --as publisher sync \
    --portal "$url" --token-file "$token_file" --concurrency "$jobs" >"$work/sync.out"
  t1=$(now)
  stop_portal
  "$build/bench/gk-bench-sync" verify "$work/run" >/dev/null
  ours_times+=("$(elapsed "$t0" "$t1")")

  # curl, phase by phase (inside one parallel run curl cannot order a
  # file before its document).
  start_portal
  mkdir -p "$work/round"
  for phase in heads files documents; do
    sed "s|http://PORTAL/api/v1|$url|" "$work/requests/$phase.cfg" >"$work/round/$phase.cfg"
  done
  t0=$(now)
  for phase in heads files documents; do
    curl --silent --show-error --parallel --parallel-max "$jobs" -K "$work/round/$phase.cfg" \
      >"$work/round/$phase.codes" 2>"$work/round/$phase.err"
  done
  t1=$(now)
  stop_portal
  bad=$(cat "$work/round/files.codes" "$work/round/documents.codes" | grep -cvE '^20[01]$' || true)
  if [ "$bad" != "0" ]; then
    echo "curl: $bad requests failed" >&2
    cat "$work/round/"*.err >&2
    exit 1
  fi
  curl_times+=("$(elapsed "$t0" "$t1")")
  echo "round $round: gongkai-ctl sync ${ours_times[-1]} s, curl ${curl_times[-1]} s"
done

ours=$(echo "${ours_times[*]}" | median)
theirs=$(echo "${curl_times[*]}" | median)
printf 'items            %d\n' "$n"
printf 'concurrency      %d\n' "$jobs"
printf 'rounds           %d (medians below)\n' "$rounds"
awk -v n="$n" -v ours="$ours" -v theirs="$theirs" 'BEGIN {
  printf "gongkai-ctl sync %.2f s  (%.0f items/s)\n", ours, n / ours
  printf "curl --parallel  %.2f s  (%.0f items/s)\n", theirs, n / theirs
  printf "ratio            %.2f\n", ours / theirs
}'
