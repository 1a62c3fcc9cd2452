#!/usr/bin/env bash
# The document list on a large library: does it open at once and scroll
# smoothly?  Not part of the test run; see bench/README.md.
#
#   bench/bench-list.sh [BUILDDIR] [N]     (defaults: _build/bench, 100000)
#
# 1. `gk-bench-list prepare` makes a library of N items through the public
#    store API (one gk_store_insert_item() transaction per item; one in
#    four also submitted for review).  Set BENCH_LIST_LIB=DIR to keep the
#    library in DIR and reuse it on the next run (it takes minutes).
# 2. `gk-bench-list open` times, median of 5, in one process: opening the
#    store, a GkItemList until its size and first item are known,
#    fetching items at random and consecutive positions, filtered queries.
# 3. Baseline on the same library.db: the sqlite3 command-line tool, in
#    one process, timing the same raw work (the ordered id query; 100 rows
#    of the list's columns by id), median of 5; ratios ours / sqlite3.
# 4. The real window: `gongkai` under Xvfb; from process start, xdotool
#    looks for the window every 50 ms, then screenshots of the root window
#    every 200 ms; the list counts as shown at the first
#    screenshot identical to the settled window (one taken 8 s after the
#    window was mapped, which shows the list and "N documents").  Set
#    BENCH_LIST_SHOT=FILE.png to keep that settled screenshot and look.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
build=${1:-$top/_build/bench}
n=${2:-100000}
build=$(cd "$(dirname "$build")" && pwd)/$(basename "$build")

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dbuildtype=release >/dev/null
fi
ninja -C "$build" bench/gk-bench-list src/app/gongkai data/gschemas.compiled >/dev/null 2>&1 ||
  ninja -C "$build" bench/gk-bench-list src/app/gongkai >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/gk-bench-list-XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -n "${BENCH_LIST_LIB:-}" ]; then
  lib=$BENCH_LIST_LIB
else
  lib=$work/library
fi
if [ ! -f "$lib/library.db" ]; then
  "$build/bench/gk-bench-list" prepare "$lib" "$n" | tee "$work/prepare.txt"
else
  echo "reusing the library in $lib"
fi
db=$lib/library.db

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# --- ours ---------------------------------------------------------------
"$build/bench/gk-bench-list" open "$lib" >"$work/ours.txt"
ours() { awk -v k="$1" '$1 == k {print $2}' "$work/ours.txt"; }

# --- sqlite3 ------------------------------------------------------------
# Time inside the sqlite3 process: the Unix time in ms before and after a
# statement (julianday('now') is fixed within a statement, so it marks
# the boundaries), output to /dev/null.
stamp="SELECT printf('T %.3f', (julianday('now') - 2440587.5) * 86400000.0);"
ids_sql="SELECT id FROM items ORDER BY created_at DESC, num DESC;"
# The same 100 ids gk-bench-list loads as one page (positions 5000..5099,
# or the last page of a smaller library), by id, with the list's columns.
offset=$(( n > 5100 ? 5000 : 0 ))
in_list=$(sqlite3 -readonly "$db" \
  "SELECT group_concat(quote(id)) FROM (SELECT id FROM items ORDER BY created_at DESC, num DESC LIMIT 100 OFFSET $offset);")
page_sql="SELECT id, title, doc_number, issuer, written_date, state, due_date,
  (SELECT group_concat(tags.name) FROM item_tags JOIN tags ON tags.id = item_tags.tag_id
   WHERE item_tags.item_id = items.id) FROM items WHERE id IN ($in_list);"
n_rows=$(sqlite3 -readonly "$db" "$ids_sql" | wc -l)

sqlite_time() {  # SQL REPEAT → ms per statement, median of 5 rounds
  local sql=$1 repeat=$2 round
  for round in 1 2 3 4 5; do
    {
      echo "$stamp"
      echo ".output /dev/null"
      for _ in $(seq "$repeat"); do echo "$sql"; done
      echo ".output stdout"
      echo "$stamp"
    } | sqlite3 -readonly "$db" | awk -v r="$repeat" '/^T / {t[++i] = $2} END {printf "%.4f\n", (t[2] - t[1]) / r}'
  done | median
}
sq_ids=$(sqlite_time "$ids_sql" 1)
sq_page=$(sqlite_time "$page_sql" 100)
# A whole sqlite3 process: start, open, count.
runs=()
for _ in 1 2 3 4 5; do
  t0=$(date +%s%N)
  sqlite3 -readonly "$db" "SELECT count(*) FROM items;" >/dev/null
  t1=$(date +%s%N)
  runs+=("$(awk "BEGIN {print ($t1 - $t0) / 1e6}")")
done
sq_proc=$(printf '%s\n' "${runs[@]}" | median)

# --- the real window ----------------------------------------------------
window_run() {  # OUT_DIR → prints "mapped_ms"; screenshots OUT_DIR/shot-MS.png
  local out=$1
  mkdir -p "$out"
  xvfb-run -a -s '-screen 0 1400x900x24' dbus-run-session -- bash -c '
    out=$1; app=$2; lib=$3
    t0=$(date +%s%N)
    "$app" --library "$lib" --as bench >"$out/app.log" 2>&1 &
    pid=$!
    mapped=
    while :; do
      t=$(( ($(date +%s%N) - t0) / 1000000 ))
      if [ -z "$mapped" ] && xdotool search --onlyvisible --name "Gongkai Desk" >/dev/null 2>&1; then
        mapped=$t
      fi
      if [ -n "$mapped" ]; then
        import -window root "$out/shot-$(printf %06d "$t").png"
        [ "$t" -gt $(( mapped + 8000 )) ] && break
      fi
      [ "$t" -gt 60000 ] && break
      if [ -n "$mapped" ]; then sleep 0.2; else sleep 0.05; fi
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "${mapped:-none}" >"$out/mapped"
  ' _ "$out" "$build/src/app/gongkai" "$lib" >"$out/xvfb.log" 2>&1
  cat "$out/mapped"
}

export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data"
export GONGKAI_DATA_DIR="$top/data" LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=
# No accessibility bus: a desktop session has one running already.
export NO_AT_BRIDGE=1
win_mapped=()
win_drawn=()
win_before=()
for round in 1 2 3; do
  out=$work/window$round
  mapped=$(window_run "$out")
  mapfile -t shots < <(ls "$out"/shot-*.png 2>/dev/null | sort)
  if [ "$mapped" = none ] || [ "${#shots[@]}" -lt 2 ]; then
    echo "round $round: the window did not appear (see $out/app.log)" >&2
    continue
  fi
  final=${shots[-1]}
  drawn=none
  before=$mapped
  for s in "${shots[@]}"; do
    t=$(basename "$s" .png); t=$((10#${t#shot-}))
    # Pixels that differ (2% fuzz) from the settled window.
    ae=$(compare -metric AE -fuzz 2% "$s" "$final" null: 2>&1 || true)
    ae=${ae%% *}
    if [ "${ae%.*}" -le 50 ] 2>/dev/null; then drawn=$t; break; fi
    before=$t
  done
  win_mapped+=("$mapped"); win_drawn+=("$drawn"); win_before+=("$before")
  if [ "$round" = 1 ] && [ -n "${BENCH_LIST_SHOT:-}" ]; then cp "$final" "$BENCH_LIST_SHOT"; fi
done
w_mapped=$(printf '%s\n' "${win_mapped[@]}" | median)
w_drawn=$(printf '%s\n' "${win_drawn[@]}" | median)
w_before=$(printf '%s\n' "${win_before[@]}" | median)

# --- table --------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1f×", a / b; else print "–"}'; }
row() { printf '%-52s %12s %12s %8s\n' "$1" "$2" "$3" "$4"; }
echo
printf 'library: %s items (%s rows by sqlite3), %s cores; times in ms, median of 5\n' \
  "$(ours n_items)" "$n_rows" "$(nproc)"
[ -f "$work/prepare.txt" ] && cat "$work/prepare.txt"
row "" "gongkai" "sqlite3" "ratio"
row "(a) open the library (gk_store_open /" "$(ours store_open)" "$sq_proc" "$(ratio "$(ours store_open)" "$sq_proc")"
row "    a whole sqlite3 process with count(*))" "" "" ""
row "(b) list size known (query_ids / SELECT id …)" "$(ours list_n_items)" "$sq_ids" "$(ratio "$(ours list_n_items)" "$sq_ids")"
row "    + first item (loads page 0: 100 items)" "$(ours list_first_item)" "$sq_page" "$(ratio "$(ours list_first_item)" "$sq_page")"
row "    = list open, total" "$(ours list_open_total)" "" ""
row "(c) 100 items by id (gk_store_get_items / SELECT)" "$(ours store_get_items_100)" "$sq_page" "$(ratio "$(ours store_get_items_100)" "$sq_page")"
row "    random position, per item (page miss)" "$(ours scroll_random_per_item)" "" ""
row "    consecutive 0..2000, per item" "$(ours scroll_consecutive_per_item)" "$(awk -v p="$sq_page" 'BEGIN {printf "%.4f", p / 100}')" \
  "$(ratio "$(ours scroll_consecutive_per_item)" "$(awk -v p="$sq_page" 'BEGIN {print p / 100}')")"
for f in state text tag all; do
  label="(d) filter $f → first page ($(ours filter_${f}_matches) match)"
  row "$label" "$(ours filter_$f)" "" ""
done
echo "    (state=draft, text “应急” (2 characters: substring scan), tag “应急管理”, all three)"
echo
printf 'window (gongkai under Xvfb 1400x900, 3 runs, median, ms from process start):\n'
printf '  window mapped (xdotool finds "Gongkai Desk"):         %s\n' "$w_mapped"
printf '  list drawn (first screenshot = settled window):        %s (previous screenshot: %s)\n' "$w_drawn" "$w_before"
printf '  runs: mapped %s; drawn %s\n' "${win_mapped[*]}" "${win_drawn[*]}"
