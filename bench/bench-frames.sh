#!/usr/bin/env bash
# The window's longest frame gap and main-loop gap while the store works.
#
#   bench/bench-frames.sh [BUILDDIR]   (default: _build/bench)
#
# gk-bench-frames opens a real window under Xvfb on a new library, keeps
# the frame clock ticking and records the longest gap between two frames
# and between two wake-ups of a 1 ms heartbeat while (1) the window
# imports 60 generated PDFs and (2) a gongkai-ctl process imports 60
# more into the same library, and (3) its publish page syncs N_SYNC
# (default 1000) approved items to a local gongkai-portal.  The frame
# budget at 60 Hz is 16.7 ms.
# Baseline in the same run: the same window left idle for as long.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
builddir="${1:-$top/_build/bench}"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dbuildtype=release >/dev/null
fi
ninja -C "$builddir" bench/gk-bench-frames bench/gk-bench-sync src/cli/gongkai-ctl \
  src/extract/gongkai-extract src/core/gongkai-render src/portal/gongkai-portal >/dev/null
n_sync=${N_SYNC:-1000}

work=$(mktemp -d)
portal_pid=
cleanup() {
  [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null && wait "$portal_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
"$builddir/bench/gk-bench-sync" prepare "$work/sync-library" "$n_sync" >/dev/null
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/token"
"$builddir/src/portal/gongkai-portal" --data "$work/portal" --port 0 --port-file "$work/port" \
  --token-file "$work/token" >"$work/portal.log" 2>&1 &
portal_pid=$!
for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.05; done
export GONGKAI_PORTAL_TOKEN
GONGKAI_PORTAL_TOKEN=$(cat "$work/token")
export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
export GONGKAI_EXTRACT_HELPER="$builddir/src/extract/gongkai-extract"
export GONGKAI_RENDER_HELPER="$builddir/src/core/gongkai-render"
export GONGKAI_DATA_DIR="$top/data"
export GSETTINGS_SCHEMA_DIR="$builddir/data"
echo "cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
  ${BENCH_WRAP:-} "$builddir/bench/gk-bench-frames" "$work" "$builddir/src/cli/gongkai-ctl" \
  "$work/sync-library" "http://127.0.0.1:$(cat "$work/port")/api/v1" 2>"${BENCH_STDERR:-/dev/null}"
