"""The recorder at scale, for tests/bench/bench.py.

tests/bench/event-storm.c makes and drops buffers as fast as it can, six
events a round; under memtrace almost all its time beyond the untraced run
is the recorder's.  Run from 10 thousand to 10 million events, it shows
whether the cost per event stays flat, how fast the writer keeps up (with
the default wait policy a writer that falls behind slows the app, so events
/ traced wall time is a lower bound of what it sustains), the bytes per
event on disk, and that memory does not grow with the run.
"""

import statistics

SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
# (threads, stack depth, sizes)
SERIES = (
    (1, 0, SIZES),
    (1, 32, SIZES),
    (4, 0, (1_000_000, 10_000_000)),
)


def _median(xs):
    return statistics.median(xs) if xs else float("nan")


def _row(n, threads, depth, r, fixed):
    events = _median([t["events"] for t in r["traces"] if t.get("events")])
    size = _median([t["size"] for t in r["traces"] if t.get("size")])
    b, c = _median(r["b"]), _median(r["c"])
    if not events or events != events:
        return "| %d | %d | %d | failed | | | | | | | |" % (n, threads, depth)
    return ("| %d | %d | %d | %.1f | %.1f | %.0f | %.0f | %d | %.1f | %.2f "
            "| %+.1f |" % (
                n, threads, depth, 1e3 * b, 1e3 * c, 1e9 * (c - b) / events,
                1e9 * (c - b - fixed) / events, events, size / events,
                events / c / 1e6, r["drss"]))


def _series(bench, storm, n, threads, depth):
    argv = [storm, str(n), str(threads)]
    return bench.pair_series(
        "scale", argv, argv, "memtrace(output={out},stack-depth=%d)" % depth,
        "scale: %d events, %d thread(s), stack-depth=%d" % (n, threads, depth),
        trace=True, full_size=False)


def scale_section(bench, storm):
    """Runs the series through bench.pair_series (untraced and traced runs
    alternated) and returns the Markdown lines of the section."""
    rows = []
    fixed = {}
    for threads, depth, sizes in SERIES:
        if depth not in fixed:
            # One round: what tracing costs before the first event (opening
            # the trace, the writer thread) and after the last (closing).
            r = _series(bench, storm, 6, 1, depth)
            fixed[depth] = _median(r["c"]) - _median(r["b"])
        for n in sizes:
            r = _series(bench, storm, n, threads, depth)
            rows.append(_row(n, threads, depth, r, fixed[depth]))
    return [
        "## The recorder at scale (synthetic events)", "",
        "`tests/bench/event-storm N THREADS` makes and drops buffers of one "
        "64-byte memory as fast as it can (six events a round). Untraced and "
        "traced runs alternate, %d of each; medians. *Added ns/event* is "
        "(traced - untraced) / events recorded; *beyond start-up* first takes "
        "off what a one-round run costs (%s), which small runs are "
        "made of: flat means the cost per event does not grow with the run. "
        "*Recorder M events/s* is events / "
        "traced wall time, a lower bound of what the writer sustains (it "
        "never dropped: with the default wait policy a writer that fell "
        "behind would have slowed the app instead). Bytes/event is the "
        "trace file's size / events. Targets: at least 1 M events/s, at "
        "most 40 bytes/event, ΔRSS at most 32 MiB." % (
            bench.runs, ", ".join("%.1f ms at stack-depth=%d" % (1e3 * v, d)
                                  for d, v in sorted(fixed.items()))), "",
        "| events asked | threads | stack depth | untraced ms | traced ms "
        "| added ns/event | beyond start-up | events recorded | bytes/event "
        "| recorder M events/s | ΔRSS MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ] + rows + [""]
