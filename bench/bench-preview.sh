#!/usr/bin/env bash
# The preview's first page against pdftocairo on the same file.
#
#   bench/bench-preview.sh [BUILDDIR] [ROUNDS]   (default: _build/bench, 15 rounds)
#
# Ours: gk-bench-preview opens a 300-page fixture PDF through the preview's
# render client, as the window does (spawn gongkai-render with its limits,
# open the document and read every page size, render page 1 at 150 dpi
# into a sealed memfd, map it), then exits.  Baseline: poppler's own
# `pdftocairo -f 1 -l 1 -png -r 150` of the same file (open, render page 1,
# write a PNG).  Rounds are interleaved (ours, baseline, ours, …) so that
# load on the machine hits both alike.  Prints the medians, the ratio, and
# whether the target holds: ours <= 1.3 x pdftocairo + 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
builddir="${1:-$top/_build/bench}"
rounds="${2:-15}"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dbuildtype=release >/dev/null
fi
ninja -C "$builddir" bench/gk-bench-preview src/core/gongkai-render tests/fixtures/gk-make-fixtures >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$builddir/tests/fixtures/gk-make-fixtures" "$work" --long 300 --no-corpus >/dev/null
pdf="$work/long-300.pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')

export GONGKAI_RENDER_HELPER="$builddir/src/core/gongkai-render"
ours_cmd=("$builddir/bench/gk-bench-preview" "$pdf")
base_cmd=(pdftocairo -f 1 -l 1 -png -r 150 "$pdf" "$work/page")

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One warm-up of each: the page cache holds the file and the libraries.
"${ours_cmd[@]}" && "${base_cmd[@]}"
ours_runs=()
base_runs=()
for _ in $(seq "$rounds"); do
  t0=$(now); "${ours_cmd[@]}"; t1=$(now)
  ours_runs+=("$(( (t1 - t0) / 1000 ))")
  t0=$(now); "${base_cmd[@]}"; t1=$(now)
  base_runs+=("$(( (t1 - t0) / 1000 ))")
done

ours=$(printf '%s\n' "${ours_runs[@]}" | median)
base=$(printf '%s\n' "${base_runs[@]}" | median)
awk -v ours="$ours" -v base="$base" -v pages="$pages" -v rounds="$rounds" -v cores="$(nproc)" 'BEGIN {
  target = 1.3 * base + 50000
  printf "file: %d pages; rounds: %d, interleaved; cores: %d\n", pages, rounds, cores
  printf "pdftocairo -f 1 -l 1 -png -r 150:     %.1f ms (median)\n", base / 1000
  printf "preview first page (gongkai-render): %.1f ms (median)\n", ours / 1000
  printf "ratio preview / pdftocairo:          %.2f\n", ours / base
  printf "target <= 1.3 x pdftocairo + 50 ms = %.1f ms: %s\n", target / 1000, ours <= target ? "holds" : "MISSED"
  exit ours <= target ? 0 : 1
}'
