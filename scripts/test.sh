#!/usr/bin/env bash
# Sets everything up and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh -Dtests=enabled
meson test -C build --print-errorlogs "$@"

# Then, unless tests were named or MEMTRACE_NO_ASAN=1, the suite again with
# AddressSanitizer and UndefinedBehaviorSanitizer (docs/reliability.md), in
# build/asan.  Not the fuzzers: they are already built with both, above.
if [ $# -eq 0 ] && [ -z "${MEMTRACE_NO_ASAN:-}" ]; then
  asan_options=(-Dtests=enabled -Dfuzz=disabled -Db_sanitize=address,undefined)
  if [ -f build/asan/build.ninja ]; then
    meson setup --reconfigure build/asan "${asan_options[@]}" >/dev/null
  else
    meson setup build/asan "${asan_options[@]}"
  fi
  meson compile -C build/asan
  mapfile -t asan_tests < <(meson test -C build/asan --list --no-rebuild 2>/dev/null \
    | grep -vxE 'fuzz')
  meson test -C build/asan --print-errorlogs "${asan_tests[@]}"
fi
