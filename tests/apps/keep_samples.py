#!/usr/bin/python3
# Planted leak from Python: four samples pulled from an appsink are kept;
# Python never calls gst_deinit().
#
# By default they are kept in a module-level list, which Python's own
# interpreter teardown releases before the C exit handlers run.  With
# --hold-in-thread a daemon thread holds them while blocked forever: Python
# never tears down a daemon thread's frame, so they are alive at exit.
import sys
import threading

import gi
gi.require_version('Gst', '1.0')
from gi.repository import Gst

N_KEEP = 4

Gst.init(None)
pipeline = Gst.parse_launch(
    'audiotestsrc num-buffers=10 samplesperbuffer=50 '
    '! appsink name=sink caps=audio/x-raw,format=S16LE,channels=1,rate=8000')
sink = pipeline.get_by_name('sink')
pipeline.set_state(Gst.State.PLAYING)
kept = []
for i in range(N_KEEP):
    sample = sink.emit('pull-sample')
    if sample is None:
        sys.exit(20)
    kept.append(sample)
sample = None
pipeline.set_state(Gst.State.NULL)

if '--hold-in-thread' in sys.argv:
    held = threading.Event()

    def hold(samples):
        held.set()
        threading.Event().wait()

    threading.Thread(target=hold, args=(kept,), daemon=True).start()
    held.wait()
    kept = None

sys.exit(0)
