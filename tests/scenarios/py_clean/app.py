#!/usr/bin/python3
# No leak, from Python (PyGObject): appsrc pushes 20 buffers of its own
# through a pipeline to an appsink, the app pulls and drops every sample,
# listens on the bus, stops the pipeline and drops every reference.  It
# never calls Gst.deinit() (few Python apps do): nothing it made may be
# alive at exit.
import sys

import gi
gi.require_version('Gst', '1.0')
from gi.repository import GObject, Gst

N = 20


def log_live_objects():
    """For the cross-check: asks GStreamer's leaks tracer, when it is
    loaded, to log the objects alive now as it would at gst_deinit()."""
    for tracer in Gst.tracing_get_active_tracers():
        if GObject.signal_lookup('log-live-objects', tracer.__gtype__):
            tracer.emit('log-live-objects')


Gst.init(None)
pipeline = Gst.parse_launch(
    'appsrc name=src format=time caps=audio/x-raw,format=S16LE,channels=1,'
    'rate=8000,layout=interleaved ! audioconvert ! queue '
    '! appsink name=sink sync=false')
src = pipeline.get_by_name('src')
sink = pipeline.get_by_name('sink')
pipeline.set_state(Gst.State.PLAYING)
for i in range(N):
    buf = Gst.Buffer.new_allocate(None, 320, None)
    buf.pts = i * 20 * Gst.MSECOND
    buf.duration = 20 * Gst.MSECOND
    if src.emit('push-buffer', buf) != Gst.FlowReturn.OK:
        sys.exit(20)
buf = None
src.emit('end-of-stream')
n = 0
while True:
    sample = sink.emit('pull-sample')
    if sample is None:
        break
    n += 1
sample = None
bus = pipeline.get_bus()
msg = bus.timed_pop_filtered(10 * Gst.SECOND,
                             Gst.MessageType.EOS | Gst.MessageType.ERROR)
if msg is None or msg.type != Gst.MessageType.EOS or n != N:
    sys.exit(21)
msg = None
bus = None
pipeline.set_state(Gst.State.NULL)
src = None
sink = None
pipeline = None
log_live_objects()
sys.exit(0)
