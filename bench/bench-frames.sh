#!/usr/bin/env bash
# The window's longest frame gap and main-loop gap while the store works.
#
#   bench/bench-frames.sh [BUILDDIR]   (default: _build/bench)
#
# gk-bench-frames opens a real window under Xvfb on a new library, keeps
# the frame clock ticking and records the longest gap between two frames
# and between two wake-ups of a 1 ms heartbeat while (1) the window
# imports 60 generated PDFs and (2) a gongkai-ctl process imports 60
# more into the same library.  The frame budget at 60 Hz is 16.7 ms.
# Baseline in the same run: the same window left idle for as long.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
builddir="${1:-$top/_build/bench}"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dbuildtype=release >/dev/null
fi
ninja -C "$builddir" bench/gk-bench-frames src/cli/gongkai-ctl src/extract/gongkai-extract \
  src/core/gongkai-render >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
export GONGKAI_EXTRACT_HELPER="$builddir/src/extract/gongkai-extract"
export GONGKAI_RENDER_HELPER="$builddir/src/core/gongkai-render"
export GONGKAI_DATA_DIR="$top/data"
export GSETTINGS_SCHEMA_DIR="$builddir/data"
echo "cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
  "$builddir/bench/gk-bench-frames" "$work" "$builddir/src/cli/gongkai-ctl" 2>/dev/null
