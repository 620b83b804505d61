#!/usr/bin/python3
# Planted leak from Python (PyGObject): five samples pulled from an appsink
# are kept in a Python list that a daemon thread holds while it blocks
# forever.  The app never calls Gst.deinit().
#
# Python tears its objects down at exit before the C exit handlers run, so
# a list held by a module global would be freed by then and nothing would
# leak; a daemon thread's frame is never torn down, so these samples are
# still alive when the process exits.
import sys
import threading

import gi
gi.require_version('Gst', '1.0')
from gi.repository import GObject, Gst

N_KEEP = 5


def log_live_objects():
    """For the cross-check: asks GStreamer's leaks tracer, when it is
    loaded, to log the objects alive now as it would at gst_deinit()."""
    for tracer in Gst.tracing_get_active_tracers():
        if GObject.signal_lookup('log-live-objects', tracer.__gtype__):
            tracer.emit('log-live-objects')


Gst.init(None)
pipeline = Gst.parse_launch(
    'audiotestsrc num-buffers=12 samplesperbuffer=120 '
    '! audio/x-raw,format=S16LE,channels=1,rate=8000 '
    '! appsink name=sink sync=false')
sink = pipeline.get_by_name('sink')
pipeline.set_state(Gst.State.PLAYING)
kept = []
for i in range(N_KEEP):
    sample = sink.emit('pull-sample')
    if sample is None:
        sys.exit(20)
    kept.append(sample)
sample = None
while True:
    rest = sink.emit('pull-sample')
    if rest is None:
        break
rest = None
pipeline.set_state(Gst.State.NULL)
sink = None
pipeline = None

held = threading.Event()


def hold(samples):
    held.set()
    threading.Event().wait()


threading.Thread(target=hold, args=(kept,), daemon=True).start()
held.wait()
kept = None
log_live_objects()
sys.exit(0)
