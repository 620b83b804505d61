#!/bin/bash
# gst-memtrace benchmark of the reading side: how long finishing a trace
# takes (decode + index + symbolise, done by `gst-memtrace info` on first
# open) and how long all the analyses in lib/ take on it, on synthetic
# traces of 1 and 10 million events from tests/gen-trace.
#
# Usage: tests/bench/gen-trace-bench.sh [BUILD_DIR]     (default: build)
#
# Environment:
#   BENCH_SIZES="1000000 10000000"   events per trace
#   BENCH_LEAKS=100                  leaked buffers per trace
#   BENCH_INDEX=1                    after finishing, add the partial index
#                                    of pool events the analyses use if the
#                                    finished trace lacks it (timed apart);
#                                    0 to measure without it
#   BENCH_KEEP=1                     keep the traces (in $TMPDIR)
#
# Prints Markdown (tests/bench/bench.py puts it in docs/performance.md): a
# row per size with the trace's size, the finishing time and peak RSS, and
# the time and peak RSS of `gst-memtrace report` in three formats; then the
# time of each analysis, wall-clock and CPU, and the analyses' peak RSS.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-$top/build}
gen=$build/tests/gen-trace
cli=$build/viewer/gst-memtrace
sizes=${BENCH_SIZES:-1000000 10000000}
leaks=${BENCH_LEAKS:-100}
add_index=${BENCH_INDEX:-1}

for tool in "$gen" "$cli"; do
    if [ ! -x "$tool" ]; then
        echo "gen-trace-bench: $tool not found; build first:" \
            "ninja -C $build" >&2
        exit 2
    fi
done
if [ ! -x /usr/bin/time ]; then
    echo "gen-trace-bench: /usr/bin/time is missing (install 'time')" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/memtrace-gen-bench-XXXXXX")
cleanup () {
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        echo "gen-trace-bench: traces kept in $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT

# The index the pools analysis (and the lifetimes' pool part) reads pool
# events through, in time order; finishing should make it.
index_sql="CREATE INDEX IF NOT EXISTS events_pool
    ON events (kind, ts, obj, a, stack) WHERE kind IN (5, 6, 7, 8);"

echo "Synthetic traces from \`tests/gen-trace N --leaks $leaks\`, on" \
    "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at the start." \
    "Finishing (decode, index, symbolise) happens once, on the first open" \
    "(here \`gst-memtrace info\`); then each \`gst-memtrace report\` format" \
    "runs on the finished trace. Times are wall-clock, RSS the process's" \
    "peak. Target: report at most 3 s and 256 MiB for 10 million events."
echo
echo "| events | recorded MiB | finished MiB | finishing s | finishing MiB RSS" \
    "| report text s / MiB | report json s / MiB | report html s / MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
details=$tmp/details
: >"$details"
timed () {
    /usr/bin/time -o "$tmp/time" -f "%e %M" "$@" >/dev/null
    read -r t_s t_kib <"$tmp/time"
    printf "%s / %d" "$t_s" "$((t_kib / 1024))"
}
for n in $sizes; do
    trace=$tmp/gen-$n.trace
    "$gen" "$trace" "$n" --leaks "$leaks" >/dev/null
    recorded=$(du -m "$trace" | cut -f1)

    # Finishing happens on the first open.
    /usr/bin/time -o "$tmp/time" -f "%e %M" "$cli" info "$trace" >/dev/null
    read -r finish_s finish_kib <"$tmp/time"
    finished=$(du -m "$trace" | cut -f1)
    if [ "$add_index" = 1 ] && command -v sqlite3 >/dev/null; then
        have=$(sqlite3 "$trace" "SELECT name FROM sqlite_master
            WHERE name = 'events_pool'")
        [ -n "$have" ] || sqlite3 "$trace" "$index_sql"
    fi
    row="| $n | $recorded | $finished | $finish_s | $((finish_kib / 1024))"
    for format in text json html; do
        row="$row | $(timed "$cli" report --format=$format "$trace")"
    done
    echo "$row |"
    {
        echo
        echo "Each analysis of lib/ on $n events (\`gen-trace --analyse\`):"
        echo
        echo '```'
        /usr/bin/time -o "$tmp/time" -f "%e %M" "$gen" --analyse "$trace"
        read -r analyse_s analyse_kib <"$tmp/time"
        printf "analyses process: %s s, peak RSS %d MiB\n" "$analyse_s" \
            "$((analyse_kib / 1024))"
        echo '```'
    } >>"$details"
done
cat "$details"
