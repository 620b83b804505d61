#!/usr/bin/env bash
# Builds the fuzz harnesses with clang (libFuzzer, ASan, UBSan; LeakSanitizer
# on) and runs each for SECONDS.
#
#   tests/fuzz/run-fuzz.sh [SECONDS] [HARNESS...]
#
# SECONDS defaults to 10 (what the meson test 'fuzz' runs in CI); run it
# longer by hand, e.g. tests/fuzz/run-fuzz.sh 3600 blocks.  HARNESS is any
# of params, suppress, trace, blocks (default: all, one after the other).
# FUZZ_JOBS=N runs N fuzzing processes per harness (libFuzzer -fork=N).
# FUZZ_BUILD_DIR (default build/fuzz) holds the objects, the harnesses,
# the growing corpora (corpus/NAME: new inputs go there, never into the
# seeds in tests/fuzz/corpus/NAME) and any crash or leak reproducer
# (artifacts/NAME-*).  Replay one with: $FUZZ_BUILD_DIR/fuzz-NAME FILE
# (ASAN_OPTIONS=fast_unwind_on_malloc=0 for whole stacks through GLib).
#
# Exits 1 if a harness crashed, leaked, hung (one input over 30 s) or ran
# out of memory, printing the end of its log and the reproducer; also when
# clang is missing (apt-get install clang; scripts/setup.sh installs it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${1:-10}
[ $# -gt 0 ] && shift
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(params suppress trace blocks)
out=${FUZZ_BUILD_DIR:-$repo/build/fuzz}
jobs=${FUZZ_JOBS:-0}

clang=${CLANG:-}
if [ -z "$clang" ]; then
  for c in clang clang-16 clang-15 clang-14; do
    if command -v "$c" >/dev/null; then clang=$c; break; fi
  done
fi
if [ -z "$clang" ]; then
  echo "run-fuzz: FAIL: clang is not installed, so nothing was fuzzed" \
    "(apt-get install clang; scripts/setup.sh installs it)" >&2
  exit 1
fi

# The fuzzers bring their own sanitizer runtime: none of a sanitizer
# test setup's preloading or options.
unset LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS MSAN_OPTIONS

pkgs="glib-2.0 gobject-2.0 sqlite3 libdw libelf gstreamer-1.0"
cflags=(-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
  -fno-sanitize-recover=all -D_GNU_SOURCE -DGST_USE_UNSTABLE_API
  -DPACKAGE_VERSION='"fuzz"' -DPACKAGE='"gst-memtrace"'
  -I"$repo/lib" -I"$repo/tracer" -I"$here" $(pkg-config --cflags $pkgs))
libs=($(pkg-config --libs $pkgs))

mkdir -p "$out/obj" "$out/artifacts"
# Recompile what changed (or everything when a header did).
newest_header=$(ls -t "$repo"/lib/*.h "$repo"/tracer/*.h "$here"/*.h | head -1)
compile() {   # src obj flags...
  local src=$1 obj=$2
  shift 2
  if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ] \
      || [ "$0" -nt "$obj" ]; then
    "$clang" "${cflags[@]}" "$@" -c "$src" -o "$obj"
  fi
}
export -f compile
export clang newest_header
objs=()
pids=()
for src in "$repo"/lib/*.c "$repo"/tracer/memtrace-params.c; do
  obj="$out/obj/$(basename "$(dirname "$src")")-$(basename "${src%.c}").o"
  objs+=("$obj")
  compile "$src" "$obj" -fsanitize=fuzzer-no-link -w &
  pids+=($!)
  if [ ${#pids[@]} -ge "$(nproc)" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p"; done

declare -A max_len=([params]=4096 [suppress]=8192 [trace]=65536 [blocks]=65536)
failed=0
for h in "${harnesses[@]}"; do
  if [ ! -f "$here/fuzz-$h.c" ]; then
    echo "run-fuzz: no harness $h (tests/fuzz/fuzz-$h.c)" >&2
    exit 2
  fi
  exe="$out/fuzz-$h"
  compile "$here/fuzz-$h.c" "$out/obj/fuzz-$h.o" -fsanitize=fuzzer
  objs_h=("${objs[@]}")
  # Only the params harness needs GStreamer's own code.
  [ "$h" = params ] || objs_h=("${objs[@]/*tracer-memtrace-params.o/}")
  "$clang" "${cflags[@]}" -fsanitize=fuzzer "$out/obj/fuzz-$h.o" \
    ${objs_h[@]} "${libs[@]}" -o "$exe"
  mkdir -p "$out/corpus/$h"
  dict=()
  [ -f "$here/$h.dict" ] && dict=(-dict="$here/$h.dict")
  fork=()
  [ "$jobs" -gt 0 ] && fork=(-fork="$jobs" -ignore_crashes=0)
  # Whole stacks through GStreamer (no frame pointers there) for the
  # params harness, so that lsan.supp recognises GStreamer's own leak.
  unwind=
  [ "$h" = params ] && unwind=:fast_unwind_on_malloc=0:malloc_context_size=255
  log="$out/fuzz-$h.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1$unwind \
  LSAN_OPTIONS=suppressions="$here/lsan.supp":print_suppressions=0 \
    "$exe" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
    -max_len="${max_len[$h]}" -print_final_stats=1 -detect_leaks=1 \
    -artifact_prefix="$out/artifacts/$h-" "${dict[@]}" "${fork[@]}" \
    "$out/corpus/$h" "$here/corpus/$h" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  corpus=$(ls "$out/corpus/$h" | wc -l)
  if [ $rc -eq 0 ]; then
    echo "fuzz-$h: ok: ${runs:-?} inputs in ${seconds} s (${rate:-?}/s), ${cov:-cov: ?}, corpus $corpus (+ $(ls "$here/corpus/$h" | wc -l) seeds)"
  else
    failed=1
    echo "fuzz-$h: FAIL (exit $rc) after ${runs:-?} inputs; log $log:"
    grep -E "^==[0-9]+==ERROR|SUMMARY|Test unit written|ALARM|out-of-memory|timeout" "$log" | head -20
    tail -60 "$log"
  fi
done
exit $failed
