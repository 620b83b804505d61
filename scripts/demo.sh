#!/usr/bin/env bash
# Sets everything up, records a real pipeline and shows what it found.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
trace=$(mktemp -u --suffix=.trace /tmp/gst-memtrace-demo-XXXXXX)
build/viewer/gst-memtrace run -o "$trace" -- \
  gst-launch-1.0 -q videotestsrc num-buffers=300 ! video/x-raw,width=320,height=240 \
  ! videoconvert ! tee name=t ! queue ! fakesink t. ! queue ! fakesink
build/viewer/gst-memtrace info "$trace"
build/viewer/gst-memtrace report "$trace"
echo
echo "The trace is $trace; open it with: sqlite3 $trace (see docs/trace-format.md)"
