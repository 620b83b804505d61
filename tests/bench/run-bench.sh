#!/bin/bash
# gst-memtrace benchmark: one command that measures the memtrace tracer against
# untraced runs (and GStreamer's leaks tracer, valgrind, heaptrack) and writes
# docs/performance.md.
#
# Usage: tests/bench/run-bench.sh
#
# Environment:
#   BENCH_RUNS=n       runs per configuration (default 5), each alternated with
#                      an untraced baseline run: B, C, B, C, ...
#   BENCH_QUICK=1      CI smoke test: 3 runs, workloads A and V only, no extra
#                      tools; writes to $TMPDIR/memtrace-bench-quick.md unless
#                      BENCH_OUTPUT is set (so it does not clobber the docs)
#   BENCH_OUTPUT=file  report path (default docs/performance.md)
#   BENCH_WORKLOADS=AVRT  subset of workloads
#   BENCH_EXTRAS=0     skip leaks(stack-traces-flags=full), valgrind, heaptrack
#   BENCH_TIMEOUT=s    per-run timeout in seconds (default 300)
#   BENCH_PLUGIN=path  tracer plugin (default build/tracer/libgstmemtrace.so)
#   BENCH_HOOKS_PLUGIN=path  the hooks-floor tracer (default
#                      build/tests/libgstmemtracehooks.so; skipped if absent)
#   BENCH_SCALE=0      skip the scale sections: the recorder on synthetic
#                      events (tests/bench/event-storm, 10 thousand to 10
#                      million) and the reading side (gen-trace-bench.sh)
#   BENCH_KEEP=1       keep the temporary directory (traces of failed checks
#                      are always kept)
#
# Exit status: non-zero if any run fails or times out, or any memtrace trace
# has meta dropped_events != 0 or complete != 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "run-bench: /usr/bin/time missing, installing package 'time'" >&2
        apt-get install -y time >&2
    else
        echo "run-bench: /usr/bin/time is missing (install the 'time' package)" >&2
        exit 2
    fi
fi
for tool in gst-launch-1.0 /usr/bin/python3; do
    command -v "$tool" >/dev/null || { echo "run-bench: $tool not found" >&2; exit 2; }
done

export BENCH_PLUGIN=${BENCH_PLUGIN:-$top/build/tracer/libgstmemtrace.so}
export BENCH_BUILD=${BENCH_BUILD:-$top/build}
export BENCH_STORM=${BENCH_STORM:-$BENCH_BUILD/tests/event-storm}
export BENCH_HOOKS_PLUGIN=${BENCH_HOOKS_PLUGIN:-$top/build/tests/libgstmemtracehooks.so}
if [ ! -f "$BENCH_PLUGIN" ]; then
    echo "run-bench: $BENCH_PLUGIN not found; build first: ninja -C $top/build" >&2
    exit 2
fi
if [ "${BENCH_QUICK:-0}" != 0 ] && [ -n "${BENCH_QUICK:-}" ]; then
    export BENCH_OUTPUT=${BENCH_OUTPUT:-${TMPDIR:-/tmp}/memtrace-bench-quick.md}
else
    export BENCH_OUTPUT=${BENCH_OUTPUT:-$top/docs/performance.md}
fi
mkdir -p "$(dirname "$BENCH_OUTPUT")"
BENCH_COMMIT=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
export BENCH_COMMIT

exec /usr/bin/python3 "$here/bench.py"
