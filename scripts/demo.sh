#!/usr/bin/env bash
# Sets everything up, records real pipelines and shows what it found: a clean
# one, then an app that keeps the samples it pulls from an appsink.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh -Dtests=enabled
dir=$(mktemp -d /tmp/gst-memtrace-demo-XXXXXX)

echo "== A clean pipeline: videotestsrc ! videoconvert ! tee ! 2 x (queue ! fakesink)"
build/viewer/gst-memtrace run -o "$dir/clean.trace" -- \
  gst-launch-1.0 -q videotestsrc num-buffers=300 ! video/x-raw,width=320,height=240 \
  ! videoconvert ! tee name=t ! queue ! fakesink t. ! queue ! fakesink
build/viewer/gst-memtrace report "$dir/clean.trace"

echo
echo "== An app that keeps 5 samples from audiotestsrc ! appsink (tests/apps/keep_samples.c)"
build/viewer/gst-memtrace run -o "$dir/leaky.trace" -- build/tests/app-keep_samples
build/viewer/gst-memtrace report "$dir/leaky.trace" || true

echo
echo "The traces are in $dir. Next: build/viewer/gst-memtrace view $dir/leaky.trace"
echo "or --format html -o report.html, or sqlite3 (docs/trace-format.md)."
