#!/usr/bin/python3
"""gst-memtrace benchmark: the viewer on a big finished trace.

    tests/bench/view-bench.py [BUILD_DIR]        (default: build)

Env: VIEW_BENCH_EVENTS (10000000), VIEW_BENCH_TRACE (an existing finished
trace to use instead of generating one; its summary table is dropped).

Writes a trace with tests/gen-trace, finishes it (gst-memtrace info), then
opens it in `gst-memtrace view` in tmux three times: with nothing kept in
the trace, again (the overview's numbers are then kept), and read-only.
Each time it timestamps, from the start of the command, when each part of
the overview appears on the screen, reads the worker's own timings
(MEMTRACE_VIEW_DEBUG), and while the analyses run presses 2, 3, 4, 1 and
times how long each takes to show its screen.  Prints a Markdown table;
docs/performance.md ("Viewer on a 10M-event trace") has the numbers."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..",
                                                           "build")
CLI = os.path.join(BUILD, "viewer", "gst-memtrace")
GEN = os.path.join(BUILD, "tests", "gen-trace")
SOCKET = "memtrace-view-bench-%d" % os.getpid()

PARTS = [("header", r"Duration\s+\S+ s"),
         ("counts", r"Objects\s+[\d,]+ created"),
         ("peak", r"Peak\s+\S+ \S*B live"),
         ("chart", r"^\S+ \S*B\s+\u2502.*\u2588"),
         ("leaks", r"leaked in \d+ group")]
KEYS = [("2", r"LEAKS:|No leaks|2 Leaks"), ("3", r"3 Sites"),
        ("4", r"4 Lifetimes"), ("1", r"1 Overview")]


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCKET] + list(args),
                          capture_output=True, text=True)


def screen():
    return tmux("capture-pane", "-t", "v", "-p").stdout


def status():
    lines = [l for l in screen().split("\n") if l.strip()]
    return lines[-1] if lines else ""


def one_view(trace, log):
    if os.path.exists(log):
        os.unlink(log)
    start = time.time()
    tmux("new-session", "-d", "-s", "v", "-x", "120", "-y", "40",
         "env LANG=C.UTF-8 MEMTRACE_VIEW_DEBUG=%s %s view %s; sleep 600"
         % (log, CLI, trace))
    seen = {}
    while len(seen) < len(PARTS) and time.time() - start < 60:
        text = screen()
        now = time.time() - start
        for name, pattern in PARTS:
            if name not in seen and re.search(pattern, text, re.M):
                seen[name] = now
        time.sleep(0.01)
    keys = {}
    for key, pattern in KEYS:
        t0 = time.time()
        tmux("send-keys", "-t", "v", key)
        while time.time() - t0 < 10:
            if re.search(pattern, status()):
                break
            time.sleep(0.005)
        keys[key] = time.time() - t0
    end = time.time() + 60
    while time.time() < end and "frag took" not in open(log).read():
        time.sleep(0.05)
    tmux("send-keys", "-t", "v", "q")
    time.sleep(0.3)
    tmux("kill-session", "-t", "v")
    worker = re.findall(r"([\d.]+) ms: (\w+) took ([\d.]+) ms",
                        open(log).read())
    return seen, keys, worker


def main():
    tmp = tempfile.mkdtemp(prefix="memtrace-view-bench-")
    tmux("new-session", "-d", "-s", "keepalive", "sleep 3600")
    try:
        trace = os.path.join(tmp, "big.trace")
        if os.environ.get("VIEW_BENCH_TRACE"):
            shutil.copy(os.environ["VIEW_BENCH_TRACE"], trace)
        else:
            n = os.environ.get("VIEW_BENCH_EVENTS", "10000000")
            subprocess.run([GEN, trace, n, "--leaks", "100"], check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run([CLI, "info", trace], check=True,
                           stdout=subprocess.DEVNULL)
        subprocess.run(["sqlite3", trace, "DROP TABLE IF EXISTS summary"],
                       check=True)
        runs = [("nothing kept", one_view(trace, os.path.join(tmp, "1.log"))),
                ("numbers kept", one_view(trace, os.path.join(tmp, "2.log")))]
        subprocess.run(["sqlite3", trace, "DROP TABLE summary"], check=True)
        os.chmod(trace, 0o444)
        # root writes a chmod'ed file anyway, not an immutable one
        subprocess.run(["chattr", "+i", trace], capture_output=True)
        runs.append(("read-only, nothing kept",
                     one_view(trace, os.path.join(tmp, "3.log"))))
        subprocess.run(["chattr", "-i", trace], capture_output=True)
    finally:
        tmux("kill-server")
        shutil.rmtree(tmp, ignore_errors=True)

    print("| run | header | counts | peak | chart | leak totals | "
          "keys 2/3/4/1 (ms) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, (seen, keys, _) in runs:
        cells = ["%.2f s" % seen[p] if p in seen else "-" for p, _ in PARTS]
        print("| %s | %s | %s |" % (name, " | ".join(cells), " / ".join(
            "%.0f" % (keys[k] * 1000) for k, _ in KEYS)))
    print()
    print("Worker (MEMTRACE_VIEW_DEBUG): each analysis' time, and when it "
          "was ready, from the start of the viewer:")
    print()
    names = []
    for _, (_, _, worker) in runs:
        names += [w[1] for w in worker if w[1] not in names]
    print("| run | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for name, (_, _, worker) in runs:
        took = {w[1]: (float(w[2]), float(w[0]) / 1000) for w in worker}
        print("| %s | %s |" % (name, " | ".join(
            "%.0f ms (at %.2f s)" % took[n] if n in took else "-"
            for n in names)))

if __name__ == "__main__":
    main()
