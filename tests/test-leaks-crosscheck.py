#!/usr/bin/python3
"""gst-memtrace tests: the scenario corpus (tests/scenarios/) cross-checked
against GStreamer's own leaks tracer.

Each program runs twice:
- alone under the leaks tracer (GST_TRACERS=leaks, GST_DEBUG=GST_TRACER:7):
  at gst_deinit() it logs one object-alive record per object still alive
  that GStreamer did not flag MAY_BE_LEAKED;
- under `gst-memtrace run` with the leaks tracer on too, in the same
  process: both tracers see the very same objects.
For a program that calls gst_deinit(), type by type and then address by
address:
- the leaks tracer finds the same objects with and without gst-memtrace
  (recording changes nothing that is alive at the end);
- our alive rows with state 1 (alive at gst_deinit) and not flagged
  MAY_BE_LEAKED are exactly the objects of its object-alive records;
- our report's leaked_by_type counts exactly as many objects of each type
  (it counts held objects too, not only roots).
A program that never calls gst_deinit() says so in its expect.json
("crosscheck": "no-deinit").  The leaks tracer would log nothing then, so
such a program asks it to log what is alive at the end of main() (its
"log-live-objects" action signal).  Our trace must hold exactly those
objects alive at that moment (the log's timestamps and our trace share
GStreamer's time base), and our report (alive at exit) must count them all,
except those our trace shows destroyed between that moment and the exit.
Any other difference fails; docs/accuracy.md explains the ones that
remain by design.

Run by meson with the environment of tests/meson.build, or by hand
(MEMTRACE_BUILD_DIR, default build/).  Arguments: scenario names, to run
only those.  Ends with "N passed, M failed"; exits 0 only when nothing
failed."""

import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True     # nothing written into the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "scenarios"))
import corpus  # noqa: E402

passed = failed = 0
agreed_objects = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        corpus.say("ok    %s" % name)
    else:
        failed += 1
        corpus.say("FAIL  %s%s" % (name, (": " + detail) if detail else ""))
    return ok


def diff(a, b):
    """The types whose counts differ: {type: (a, b)}."""
    return {t: (a.get(t, 0), b.get(t, 0)) for t in sorted(set(a) | set(b))
            if a.get(t, 0) != b.get(t, 0)}


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def no_deinit(s, trace, d, ours, both_log, alone):
    """A program that never calls gst_deinit() logs the leaks tracer's view
    itself, at the end of main() ("log-live-objects"): the same objects
    must be alive in our trace at that moment, and our report (alive at
    exit) must count them all, except those our trace shows destroyed
    between that moment and the exit."""
    global agreed_objects
    check("%s: never calls gst_deinit()" % s.name,
          d["trace"]["end_reason"] == "exit", "%r" % d["trace"]["end_reason"])
    times = []
    both = corpus.leaks_records(read(both_log), times)
    # Not compared with the run without gst-memtrace: at the end of main()
    # a streaming thread may still be dropping its GstTask (gst_deinit()
    # would have waited for it), in one run and not in the other.
    corpus.say("      %s: leaks tracer alone: %s; with gst-memtrace: %s" % (
        s.name, corpus.by_type(alone), corpus.by_type(both)))
    if not both:
        check("%s: nothing alive at the end of main(), nothing leaked at "
              "exit" % s.name, not ours, "%s" % ours)
        return
    at = min(times)
    alive = corpus.alive_at(trace, at)
    theirs = sorted(both)
    check("%s: our objects alive when the leaks tracer logged (%d) = its "
          "object-alive records, object by object" % (s.name, len(both)),
          sorted(alive) == theirs, "only ours: %s; only leaks: %s" % (
              sorted(set(alive) - set(theirs))[:6],
              sorted(set(theirs) - set(alive))[:6]))
    gone = {k: v for k, v in alive.items() if v is not None}
    still = corpus.by_type([k for k in theirs if k not in gone])
    check("%s: our report's leaked_by_type (alive at exit) = its records "
          "but %d object(s) our trace shows destroyed after it logged"
          % (s.name, len(gone)), ours == still,
          "ours vs leaks: %s" % diff(ours, still))
    for (t, addr), destroyed in sorted(gone.items()):
        corpus.say("      %s: %s 0x%x destroyed %.3f ms after the leaks "
                   "tracer logged it alive" % (s.name, t, addr,
                                               (destroyed - at) / 1e6))
    if ours == still:
        agreed_objects += sum(still.values())


def crosscheck(s, work):
    global agreed_objects
    argv = s.argv()
    if not check("%s: program built" % s.name, argv is not None):
        return
    alone_log = os.path.join(work, s.name + ".alone.log")
    p = corpus.run(argv, work, corpus.leaks_env(alone_log))
    if not check("%s: runs under the leaks tracer, exit 0" % s.name,
                 p.returncode == 0, "exit %d: %s" % (
                     p.returncode, p.stderr.decode(errors="replace")[-400:])):
        return
    alone = corpus.leaks_records(read(alone_log))

    both_log = os.path.join(work, s.name + ".both.log")
    trace = os.path.join(work, s.name + ".trace")
    p = corpus.record(s, work, trace, corpus.leaks_env(both_log))
    if not check("%s: runs under gst-memtrace and the leaks tracer, exit 0"
                 % s.name, p.returncode == 0 and os.path.exists(trace),
                 "exit %d: %s" % (p.returncode,
                                  p.stderr.decode(errors="replace")[-400:])):
        return
    both = corpus.leaks_records(read(both_log))
    d, p = corpus.report(trace, work)
    if not check("%s: report --format json" % s.name, d is not None,
                 p.stderr.decode(errors="replace")[-300:]):
        return
    ours = {t: v["objects"] for t, v in d["leaked_by_type"].items()}

    if s.expect.get("crosscheck") == "no-deinit":
        no_deinit(s, trace, d, ours, both_log, alone)
        return

    check("%s: calls gst_deinit()" % s.name,
          d["trace"]["end_reason"] == "deinit",
          "%r" % d["trace"]["end_reason"])
    theirs_alone = corpus.by_type(alone)
    theirs = corpus.by_type(both)
    check("%s: leaks tracer, with and without gst-memtrace: same objects "
          "alive, type by type" % s.name, theirs == theirs_alone,
          "with vs without: %s" % diff(theirs, theirs_alone))

    alive = corpus.alive_at_deinit(trace)
    check("%s: our alive at gst_deinit (not MAY_BE_LEAKED) = its "
          "object-alive records, type by type (%d objects)"
          % (s.name, len(both)), corpus.by_type(alive) == theirs,
          "ours vs leaks: %s" % diff(corpus.by_type(alive), theirs))
    ours_addr = sorted(alive)
    theirs_addr = sorted(both)
    check("%s: ... and object by object (same addresses)" % s.name,
          ours_addr == theirs_addr,
          "only ours: %s; only leaks: %s" % (
              sorted(set(ours_addr) - set(theirs_addr))[:6],
              sorted(set(theirs_addr) - set(ours_addr))[:6]))
    if check("%s: our report's leaked_by_type = its object-alive records, "
             "type by type" % s.name, ours == theirs,
             "ours vs leaks: %s" % diff(ours, theirs)):
        agreed_objects += len(both)


def main():
    work = tempfile.mkdtemp(prefix="test-leaks-crosscheck-")
    only = set(sys.argv[1:])
    n = 0
    try:
        if not check("gst-memtrace built", os.access(corpus.CLI, os.X_OK),
                     corpus.CLI):
            return 1
        corpus.warm_registry(work)
        for s in corpus.scenarios(only):
            crosscheck(s, work)
            n += 1
    finally:
        if failed and os.environ.get("MEMTRACE_KEEP_TRACES"):
            corpus.say("traces and logs kept in %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    corpus.say("%d programs; %d objects alive at gst_deinit found alike by "
               "both tracers" % (n, agreed_objects))
    corpus.say("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
