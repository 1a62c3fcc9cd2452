#!/usr/bin/env bash
# Import throughput against pdftotext on the same files, in the same run.
#
#   bench/bench-import.sh [BUILDDIR]      (default: _build/bench, built if missing)
#
# The baseline is poppler's own pdftotext extracting the text of every
# file, one after another (what any import must at least do).  Gongkai
# Desk does more per file: SHA-256, dedupe, text extraction in an
# isolated helper process, 公文 field detection, screening, an SQLite
# transaction with the full-text index and the audit entry, copying the
# file into the library; and it uses every core.  Prints the median of
# 5 runs of each and the ratio (gongkai / pdftotext).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
builddir="${1:-$top/_build/bench}"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dbuildtype=release >/dev/null
fi
ninja -C "$builddir" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$builddir/tests/fixtures/gk-make-fixtures" --long 400 "$work/corpus" >/dev/null
mapfile -t files < <(find "$work/corpus" -name '*.pdf' | sort)
pages=0
for f in "${files[@]}"; do
  p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  pages=$((pages + ${p:-0}))
done

export GONGKAI_EXTRACT_HELPER="$builddir/src/extract/gongkai-extract"
export GONGKAI_DATA_DIR="$top/data"
ctl="$builddir/src/cli/gongkai-ctl"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

baseline_runs=()
ours_runs=()
for run in 1 2 3 4 5; do
  t0=$(now)
  for f in "${files[@]}"; do pdftotext -enc UTF-8 "$f" - >/dev/null; done
  t1=$(now)
  baseline_runs+=("$(awk "BEGIN {print $t1 - $t0}")")

  lib="$work/lib$run"
  "$ctl" --library "$lib" --as bench init >/dev/null
  t0=$(now)
  "$ctl" --library "$lib" --as bench import "$work/corpus" >/dev/null
  t1=$(now)
  ours_runs+=("$(awk "BEGIN {print $t1 - $t0}")")
done

base=$(printf '%s\n' "${baseline_runs[@]}" | median)
ours=$(printf '%s\n' "${ours_runs[@]}" | median)
ratio=$(awk "BEGIN {print $ours / $base}")
printf 'files: %d, pages: %d, cores: %d\n' "${#files[@]}" "$pages" "$(nproc)"
printf 'pdftotext (sequential):       %.3f s\n' "$base"
printf 'gongkai-ctl import (all work): %.3f s\n' "$ours"
printf 'ratio gongkai / pdftotext:     %.2f\n' "$ratio"
