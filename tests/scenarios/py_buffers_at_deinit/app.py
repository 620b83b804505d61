#!/usr/bin/python3
# Planted leak from Python (PyGObject): the buffers of the first four
# samples pulled from an appsink are kept in a Python list (the samples
# themselves are dropped), and the app calls Gst.deinit() while the list
# still holds them: they are alive after gst_deinit().  Python frees them
# afterwards, at its own exit.
import sys

import gi
gi.require_version('Gst', '1.0')
from gi.repository import Gst

N_KEEP = 4

Gst.init(None)
pipeline = Gst.parse_launch(
    'audiotestsrc num-buffers=10 samplesperbuffer=256 '
    '! audio/x-raw,format=S16LE,channels=1,rate=8000 '
    '! appsink name=sink sync=false')
sink = pipeline.get_by_name('sink')
pipeline.set_state(Gst.State.PLAYING)
kept = []
n = 0
while True:
    sample = sink.emit('pull-sample')
    if sample is None:
        break
    if n < N_KEEP:
        kept.append(sample.get_buffer())
    n += 1
sample = None
pipeline.set_state(Gst.State.NULL)
sink = None
pipeline = None
if n != 10 or len(kept) != N_KEEP:
    sys.exit(20)
Gst.deinit()
sys.exit(0)
