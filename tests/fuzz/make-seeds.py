#!/usr/bin/python3
"""Remakes the trace seeds of the fuzzers (tests/fuzz/corpus/trace and
corpus/blocks) from small real recordings.  Run by hand when the trace
format changes:

    tests/fuzz/make-seeds.py [BUILD_DIR]     (default: build/)

Each recording is shrunk before it is kept: rollback journal (a seed is one
self-contained file), 512-byte pages, vacuumed, modules without build-ids
pointing nowhere (so that fuzzing does not symbolise the system's
libraries at every input).  Traces are kept as recorded, and the smallest
also finished (finished traces are 4 times bigger: indexes);
the blocks seeds are their blocks in fuzz-blocks.c's input format."""

import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                        else os.path.join(REPO, "build"))
CLI = os.path.join(BUILD, "viewer", "gst-memtrace")

PIPELINES = {
    "audio": ("stack-depth=3", "audiotestsrc num-buffers=1 samplesperbuffer=16 "
              "! queue ! fakesink"),
    "refs": ("stack-depth=2,record-refs=true",
             "audiotestsrc num-buffers=1 samplesperbuffer=8 ! fakesink"),
    "nostack": ("stack-depth=0", "fakesrc num-buffers=2 sizetype=2 "
                "sizemax=100 ! fakesink"),
}


def shrink(src, dst):
    shutil.copyfile(src, dst)
    c = sqlite3.connect(dst)
    c.execute("PRAGMA journal_mode=DELETE")
    c.execute("UPDATE modules SET path = '/nonexistent/' || id || '.so', "
              "build_id = NULL")
    c.commit()
    c.execute("PRAGMA page_size=512")
    c.execute("VACUUM")
    c.close()


def blocks_seed(trace, dst):
    c = sqlite3.connect(trace)
    out = bytearray([1])                   # complete, ended at gst_deinit
    for thread, n, data in c.execute(
            "SELECT thread, n_events, data FROM blocks ORDER BY id"):
        data = data[:65535]
        out += struct.pack("<BHH", thread % 256, min(n, 65535), len(data))
        out += data
    c.close()
    with open(dst, "wb") as f:
        f.write(out)


def main():
    work = tempfile.mkdtemp(prefix="memtrace-seeds-")
    env = dict(os.environ, GST_PLUGIN_PATH=os.path.join(BUILD, "tracer"),
               GST_REGISTRY=os.path.join(work, "registry.bin"))
    for d in ("trace", "blocks"):
        os.makedirs(os.path.join(HERE, "corpus", d), exist_ok=True)
    for name, (params, pipeline) in PIPELINES.items():
        raw = os.path.join(work, name + ".trace")
        env["GST_TRACERS"] = "memtrace(output=%s,%s)" % (raw, params)
        subprocess.run(["gst-launch-1.0", "-q"] + pipeline.split(), env=env,
                       check=True)
        seed = os.path.join(HERE, "corpus", "trace", name + "-raw")
        shrink(raw, seed)
        blocks_seed(seed, os.path.join(HERE, "corpus", "blocks", name))
        if name != "nostack":       # finished traces are big: one seed
            continue
        finished = os.path.join(work, name + "-finished.trace")
        shutil.copyfile(seed, finished)
        subprocess.run([CLI, "info", finished], check=True,
                       stdout=subprocess.DEVNULL)
        shrink(finished, os.path.join(HERE, "corpus", "trace",
                                      name + "-finished"))
    shutil.rmtree(work)
    for d in ("trace", "blocks"):
        p = os.path.join(HERE, "corpus", d)
        print("%s: %s" % (d, ", ".join("%s %d B" % (f, os.path.getsize(
            os.path.join(p, f))) for f in sorted(os.listdir(p)))))


if __name__ == "__main__":
    main()
