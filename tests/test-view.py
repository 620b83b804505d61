#!/usr/bin/python3
"""gst-memtrace tests: the interactive viewer (gst-memtrace view and run
--view), driven in tmux on traces of the planted-leak apps.

Run by meson (tests/meson.build) with MEMTRACE_CLI, MEMTRACE_APPS_DIR,
MEMTRACE_APPS_SRCDIR, MEMTRACE_PLUGIN_DIR and MEMTRACE_REGISTRY set, or by
hand: MEMTRACE_BUILD_DIR (default: build/) stands for all of them.  The
apps are built with gcc and pkg-config when the build has none.  Needs tmux
and gst-launch-1.0 (audiotestsrc, fakesink).  Prints one line per check
and ends with "N passed, M failed"; exits 0 only when nothing failed.
MEMTRACE_VIEW_CAPTURES=DIR keeps the screens it captured there."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BUILD = os.environ.get("MEMTRACE_BUILD_DIR", os.path.join(REPO, "build"))
CLI = os.environ.get("MEMTRACE_CLI",
                     os.path.join(BUILD, "viewer", "gst-memtrace"))
APPS_DIR = os.environ.get("MEMTRACE_APPS_DIR", os.path.join(BUILD, "tests"))
APPS_SRCDIR = os.environ.get("MEMTRACE_APPS_SRCDIR",
                             os.path.join(REPO, "tests", "apps"))
PLUGIN_DIR = os.environ.get("MEMTRACE_PLUGIN_DIR",
                            os.path.join(BUILD, "tracer"))
REGISTRY = os.environ.get("MEMTRACE_REGISTRY")
CAPTURES = os.environ.get("MEMTRACE_VIEW_CAPTURES")

SOCKET = "memtrace-view-test-%d" % os.getpid()
TMP = tempfile.mkdtemp(prefix="test-view-")
results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print("%s: %s%s" % ("ok" if ok else "FAIL", name,
                        "" if ok or not detail else "\n    " + detail))
    return ok


def env(**extra):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if REGISTRY:
        e["GST_REGISTRY"] = REGISTRY
    e.update(extra)
    return e


# The apps and their traces

def app(name):
    path = os.path.join(APPS_DIR, "app-" + name)
    if os.access(path, os.X_OK):
        return path
    path = os.path.join(TMP, "app-" + name)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs",
                            "gstreamer-1.0", "gstreamer-app-1.0"],
                           capture_output=True, text=True,
                           check=True).stdout.split()
    subprocess.run(["gcc", "-O0", "-g", "-o", path,
                    os.path.join(APPS_SRCDIR, name + ".c"),
                    "-I" + APPS_SRCDIR] + flags, check=True)
    return path


RUN_STDERR = {}


def record(name, params=None):
    trace = os.path.join(TMP, name + ".trace")
    cmd = [CLI, "run", "-o", trace]
    if params:
        cmd += ["--params", params]
    p = subprocess.run(cmd + ["--", app(name)], env=env(), check=True,
                       capture_output=True, text=True)
    RUN_STDERR[trace] = p.stderr
    return trace


# tmux

def tmux(*args, check_rc=True):
    return subprocess.run(["tmux", "-L", SOCKET] + list(args),
                          capture_output=True, text=True, check=check_rc)


class Screen:
    """One viewer in a tmux session of its own; its exit status lands in a
    file when it ends."""

    def __init__(self, name, command, width=100, height=30, lang="C.UTF-8",
                 extra_env=""):
        self.name = name
        self.status_file = os.path.join(TMP, name + ".status")
        shell = "env LANG=%s LC_ALL=%s %s %s; " \
            "echo $? > %s; sleep 600" % (lang, lang, extra_env, command,
                                         self.status_file)
        tmux("new-session", "-d", "-s", name, "-x", str(width), "-y",
             str(height), shell)

    def text(self):
        r = tmux("capture-pane", "-t", self.name, "-p", check_rc=False)
        return r.stdout

    def lines(self):
        return self.text().split("\n")

    def stable(self, timeout=5.0):
        """The screen once it stopped changing: a full redraw reaches tmux
        in several pieces."""
        end = time.time() + timeout
        last = self.text()
        while time.time() < end:
            time.sleep(0.15)
            now = self.text()
            if now == last:
                return now
            last = now
        return last

    def keys(self, *keys):
        tmux("send-keys", "-t", self.name, *keys)

    def type(self, text):
        tmux("send-keys", "-t", self.name, "-l", text)

    def wait(self, pattern, timeout=10.0, absent=False):
        end = time.time() + timeout
        while time.time() < end:
            found = re.search(pattern, self.text(), re.M) is not None
            if found != absent:
                return True
            time.sleep(0.05)
        return False

    def status_line(self):
        lines = [l for l in self.lines()]
        while lines and not lines[-1].strip():
            lines.pop()
        return lines[-1] if lines else ""

    def exit_status(self, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            if os.path.exists(self.status_file):
                with open(self.status_file) as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            time.sleep(0.05)
        return None

    def keep(self, what):
        if CAPTURES:
            os.makedirs(CAPTURES, exist_ok=True)
            with open(os.path.join(CAPTURES, what + ".txt"), "w") as f:
                f.write(self.text())

    def close(self):
        tmux("kill-session", "-t", self.name, check_rc=False)


def view(name, trace, **kw):
    return Screen(name, "%s view %s" % (CLI, trace), **kw)


def row(text, *words):
    """The first line holding every word, in order."""
    pattern = ".*".join(re.escape(w) for w in words)
    m = re.search("^.*" + pattern + ".*$", text, re.M)
    return m.group(0) if m else None


def alter(path, sql):
    db = sqlite3.connect(path)
    db.executescript(sql)
    db.commit()
    db.close()


def altered_copy(trace, name, sql):
    path = os.path.join(TMP, name)
    shutil.copy(trace, path)
    alter(path, sql)
    return path


# Bad input

def test_bad_input(trace):
    r = subprocess.run([CLI, "view", trace], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, env=env())
    check("not a terminal: exit 2", r.returncode == 2, r.stderr)
    check("not a terminal: points to report",
          "gst-memtrace: view needs a terminal; for a report use: "
          "gst-memtrace report " in r.stderr, r.stderr)

    bad = os.path.join(TMP, "not-a-trace.txt")
    with open(bad, "w") as f:
        f.write("hello\n" * 10)
    newer = altered_copy(trace, "newer.trace", "UPDATE meta SET value = 99 "
                         "WHERE key = 'format_version'")
    corrupt = os.path.join(TMP, "corrupt.trace")
    with open(trace, "rb") as f:
        data = f.read()
    with open(corrupt, "wb") as f:
        f.write(data[:100] + b"\xff" * 4000 + data[4100:8192])
    for what, path in (("not a trace", bad), ("newer", newer),
                       ("corrupt", corrupt)):
        v = subprocess.run([CLI, "view", path], capture_output=True,
                           text=True, env=env(), stdin=subprocess.DEVNULL)
        rep = subprocess.run([CLI, "report", path], capture_output=True,
                             text=True, env=env())
        check("%s: exit 2 with report's error" % what,
              v.returncode == 2 and v.stderr == rep.stderr
              and v.stderr.count("\n") == 1
              and v.stderr.startswith("gst-memtrace: "),
              "view %d %r, report %r" % (v.returncode, v.stderr, rep.stderr))


# A finished trace: every screen

def test_overview_and_leaks(trace):
    s = view("keep", trace)
    try:
        ok = s.wait(r"Objects\s+[\d,]+ created, \d+ alive at the end, 16 "
                    r"leaked in 2 groups")
        check("overview: objects, alive, leaked", ok, s.text())
        check("overview: the chart", s.wait(r"live bytes over time")
              and s.wait(r"^\d.* B\s+\u2502.*\u2588", timeout=5), s.text())
        check("overview: state and peak",
              s.wait(r"State\s+complete") and s.wait(r"Peak\s+\S+ \S*B live at"),
              s.text())
        s.keep("overview")

        s.keys("2")
        ok = s.wait(r"LEAKS: 2 groups, 16 objects")
        line = row(s.text(), "GstSample", " 4 ", "sink:sink",
                   "plant_keep_samples")
        check("leaks: the planted group (type, count, last pad, site)",
              ok and line is not None, s.text())
        check("leaks: status line names the screen and keys",
              re.search(r"2 Leaks.*Enter open.*/ filter.*s sort:bytes.*q quit",
                        s.status_line()) is not None, s.status_line())
        s.keep("leaks")

        first = [l for l in s.lines() if "GstSample" in l]
        s.keys("Enter")
        check("leaks: Enter opens the group with its stack, file:line",
              s.wait(r"Created at:") and
              s.wait(r"#\d+\s+plant_keep_samples \(.*keep_samples\.c:\d+\)")
              and s.wait(r"holds: .*GstMemory") and s.wait(r"#\d+ GstSample$"),
              s.text())
        s.keep("leak-group")
        s.keys("End", "Enter")
        check("leaks: Enter on an object shows its history",
              s.wait(r"History:") and s.wait(r"leaked: alive after gst_deinit"),
              s.text())
        s.keys("Escape")
        check("objects: Esc goes back to the group", s.wait(r"Created at:"),
              s.text())
        s.keys("Escape")
        check("leaks: Esc goes back to the list",
              s.wait(r"LEAKS: 2 groups") and
              s.wait(r"Created at:", absent=True), s.text())

        s.keys("/")
        s.type("app_parse")
        s.keys("Enter")
        ok = s.wait(r"app_parse", timeout=3) and s.wait(
            r"plant_keep_samples", absent=True, timeout=3)
        shown = [l for l in s.lines() if l.startswith("GstSample")]
        check("leaks: / filters the list", ok and len(shown) == 1,
              "%r\n%s" % (first, s.text()))
        s.keys("/", *(["BSpace"] * 9), "Enter")
        check("leaks: an empty filter shows every group again",
              s.wait(r"plant_keep_samples") and len(
                  [l for l in s.lines() if l.startswith("GstSample")]) == 2,
              s.text())

        s.keys("3")
        line = None
        if s.wait(r"allocation sites"):
            line = row(s.text(), "plant_keep_samples", " 4 ", " 4 ",
                       "GstSample")
        check("sites: the planted site, alive and leaked", line is not None,
              s.text())
        test_sort_lifetimes(s)
        s.keys("6")
        check("fragmentation: waste, heap chart and allocators",
              s.wait(r"Waste .* allocated") and s.wait(r"heap span") and
              s.wait(r"Internal waste by allocator") and
              s.wait(r"Sysmem|Allocator|\?"), s.text())
        s.keys("Right")
        check("fragmentation: Left/Right shows sites",
              s.wait(r"Internal waste by site"), s.text())

        test_help_resize(s)
        s.keys("q")
        check("q quits with status 0", s.exit_status() == 0)
    finally:
        s.close()


DURATION = re.compile(r"([\d.]+) (ns|us|ms|s)$")
SCALE = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def column(lines, header, name):
    """Values of one right-aligned column, by the header's position."""
    end = header.index(name) + len(name)
    values = []
    for l in lines:
        cell = l[:end].split("  ")[-1].strip()
        m = DURATION.match(cell)
        if m:
            values.append(float(m.group(1)) * SCALE[m.group(2)])
        elif re.match(r"^[\d,]+$", cell):
            values.append(int(cell.replace(",", "")))
    return values


def table(s):
    lines = s.lines()
    for i, l in enumerate(lines):
        if l.startswith("Name "):
            return l, [x for x in lines[i + 1:-2] if x.strip()]
    return "", []


def test_sort_lifetimes(s):
    s.keys("4")
    ok = s.wait(r"By type") and s.wait(r"^GstBuffer\s")
    header, rows = table(s)
    counts = column(rows, header, "Count")
    check("lifetimes: rows by type, by count", ok and len(counts) > 2 and
          counts == sorted(counts, reverse=True), s.text())
    s.keys("s")
    s.wait(r"s sort:p50")
    time.sleep(0.2)
    header, rows2 = table(s)
    p50 = column(rows2, header, "p50")
    check("lifetimes: s sorts by p50",
          "sort:p50" in s.status_line() and len(p50) > 2 and
          p50 == sorted(p50, reverse=True) and rows2 != rows, s.text())
    s.keys("Enter")
    check("lifetimes: Enter shows the histogram",
          s.wait(r"Histogram") and s.wait("\u2588"), s.text())
    s.keys("Escape", "Right")
    check("lifetimes: Right groups by pool", s.wait(r"By pool"), s.text())


def test_help_resize(s):
    s.keys("?")
    check("? shows the help", s.wait(r"switch screens") and
          s.wait(r"filter the list"), s.text())
    s.keys("x")
    s.keys("1")
    s.wait(r"live bytes over time")
    tmux("resize-window", "-t", s.name, "-x", "120", "-y", "40")
    ok = s.wait(r"^\u2500\u2500 live bytes over time \u2500{90,}$")
    lines = s.stable().rstrip("\n").split("\n")
    rule = [l for l in lines if "live bytes over time" in l]
    check("resize: redrawn at the new size", ok and len(lines) == 40 and
          "1 Overview" in lines[-1] and rule and len(rule[0]) == 120 and
          lines[-2].startswith("          ") and "s" in lines[-2], s.text())
    tmux("resize-window", "-t", s.name, "-x", "60", "-y", "20")
    check("resize: too small says so",
          s.wait(r"too small: 60x20") and s.wait(r"at least 80x24"),
          s.text())
    tmux("resize-window", "-t", s.name, "-x", "100", "-y", "30")
    check("resize: back to normal",
          s.wait(r"live bytes over time") and
          s.wait(r"too small", absent=True), s.text())


def test_too_small_and_ascii(trace):
    s = view("small", trace, width=70, height=20)
    try:
        check("too small from the start",
              s.wait(r"The terminal is too small: 70x20"), s.text())
        s.keys("q")
        check("too small: q quits with 0", s.exit_status() == 0)
    finally:
        s.close()
    s = view("ascii", trace, lang="C", extra_env="NO_COLOR=1")
    try:
        check("ASCII fallback outside UTF-8 (and NO_COLOR)",
              s.wait(r"^-- live bytes over time -+$") and
              s.wait(r"\|\s*#") and "\u2500" not in s.text(), s.text())
        s.keys("q")
        s.exit_status()
    finally:
        s.close()


def test_pools(trace):
    s = view("pools", trace)
    try:
        s.keys("2")
        ok = s.wait(r"LEAKS: 1 group")
        check("pool_starve leaks: the buffers and where they were acquired",
              ok and row(s.text(), "GstBuffer", " 3 ", "plant_pool_starve")
              is not None, s.text())
        s.keys("Enter")
        check("pool_starve leaks: the acquire stack",
              s.wait(r"Acquired from its pool at:") and
              s.wait(r"plant_pool_starve \(.*pool_starve\.c:\d+\)"), s.text())
        s.keys("5")
        ok = s.wait(r"1 buffer pool")
        line = row(s.text(), "bufferpool0", "1.0 KiB", " 4 ", " 5 ")
        check("pools: the pool, its size, max and acquires",
              ok and line is not None and line.rstrip().endswith(" 3"),
              s.text())
        s.keys("Enter")
        check("pools: Enter shows its configuration and chart",
              s.wait(r"size 1.0 KiB, min 2, max 4") and
              s.wait(r"3 still out at the end") and
              s.wait(r"buffers out over time"), s.text())
    finally:
        s.close()


def test_objects(trace):
    s = view("bin", trace)
    try:
        s.keys("2")
        check("leaked_bin leaks: the bin",
              s.wait(r"LEAKS: 1 group") and
              row(s.text(), "GstBin", " 1 ", "plant_leaked_bin") is not None,
              s.text())
        s.keys("7")
        check("objects: says how to search", s.wait(r"Press / to find"),
              s.text())
        s.keys("/")
        s.type("GstBin")
        s.keys("Enter")
        ok = s.wait(r"1 object for \"GstBin\"")
        check("objects: found by type", ok and row(
            s.text(), "#", "GstBin", "leakybin", "leaked") is not None,
            s.text())
        s.keys("Enter")
        check("objects: the history, with stacks",
              s.wait(r"History:") and s.wait(r"created$") and
              s.wait(r"plant_leaked_bin \(.*leaked_bin\.c:\d+\)") and
              s.wait(r"leaked: alive after gst_deinit"), s.text())
        s.keys("/")
        s.type("0x0")
        s.keys("Enter")
        check("objects: an address nothing had",
              s.wait(r"0 objects for \"0x0\""), s.text())
    finally:
        s.close()


def test_window(trace):
    s = view("window", trace)
    try:
        s.keys("2")
        s.wait(r"LEAKS|No leaks")
        s.keys("t")
        s.type("label 2")
        s.keys("Enter")
        ok = s.wait(r"\[checkpoint label to 2\]") and s.wait(r"LEAKS: 1 group")
        check("t: a window between two checkpoints limits the leaks",
              ok and row(s.text(), "GstBuffer", " 1 ", "2 B") is not None,
              s.text())
        s.keys("t", "Enter")
        check("t: an empty window is the whole recording again",
              s.wait(r"No leaks\.") and s.wait(r"\[checkpoint", absent=True),
              s.text())
        s.keys("t")
        s.type("nosuch 2")
        s.keys("Enter")
        check("t: an unknown checkpoint says so",
              s.wait(r"no checkpoint 'nosuch'"), s.text())
    finally:
        s.close()


def created_by_type(trace, from_ns):
    """Objects created from from_ns on, by type: what the viewer must count
    in a window of times that starts there."""
    db = sqlite3.connect(trace)
    try:
        return dict(db.execute(
            "SELECT t.name, count(*) FROM objects o JOIN types t "
            "ON t.id = o.type WHERE o.ts >= ? GROUP BY t.name", (from_ns,)))
    finally:
        db.close()


def lifetime_counts(s):
    """Type -> Count on the Lifetimes screen (by type)."""
    header, rows = table(s)
    counts = {}
    for l in rows:
        values = column([l], header, "Count")
        if values:
            counts[l[:header.index("Count") - 8].strip()] = values[0]
    return counts


def test_window_sites_lifetimes(trace):
    """The checkpoint app makes a buffer (and its memory) of 1, 2 and 3
    bytes at make(): before, between and after the checkpoints."""
    s = view("window-sites", trace)
    try:
        s.keys("3")
        ok = s.wait(r"3 allocation sites, 8 objects")
        check("sites: the whole recording, make() made 6 objects",
              ok and row(s.text(), "make (", " 6 ", "6 B") is not None,
              s.text())
        s.keys("t")
        s.type("label 2")
        s.keys("Enter")
        ok = s.wait(r"1 allocation sites, 2 objects, 0 leaked")
        check("sites: between the checkpoints, only the 2-byte buffer and "
              "its memory", ok and row(s.text(), "make (", " 2 ", "2 B")
              is not None and "does not apply" not in s.text(), s.text())
        s.keys("4")
        ok = s.wait(r"^ 2 lifetimes") and s.wait(r"^GstMemory\s")
        check("lifetimes: between the checkpoints, one buffer and one memory",
              ok and lifetime_counts(s) == {"GstBuffer": 1, "GstMemory": 1}
              and "does not apply" not in s.text(), s.text())

        db = sqlite3.connect(trace)
        label_ts = db.execute("SELECT ts FROM checkpoints WHERE label = "
                              "'label'").fetchone()[0]
        db.close()
        from_us = label_ts // 1000 + 1
        expected = created_by_type(trace, from_us * 1000)
        s.keys("t")
        s.type("%dus -" % from_us)
        s.keys("Enter")
        ok = s.wait(r"^ %d lifetimes" % sum(expected.values()))
        check("lifetimes: a window of times from the first checkpoint on "
              "(%s)" % expected, ok and lifetime_counts(s) == expected
              and expected.get("GstBuffer") == 2, s.text())
        s.keys("3")
        ok = s.wait(r"2 allocation sites, %d objects" %
                    sum(expected.values()))
        check("sites: the same window of times: make() made 4 of them",
              ok and row(s.text(), "make (", " 4 ", "5 B") is not None,
              s.text())
        s.keys("t", "Enter")
        check("sites: an empty window is the whole recording again",
              s.wait(r"3 allocation sites, 8 objects"), s.text())
    finally:
        s.close()


# The overview's numbers, kept in the trace

def debug_log(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ""


def view_logged(name, trace):
    """Views trace until the overview is complete; returns what the worker
    logged (MEMTRACE_VIEW_DEBUG)."""
    log = os.path.join(TMP, name + ".log")
    s = Screen(name, "%s view %s" % (CLI, trace),
               extra_env="MEMTRACE_VIEW_DEBUG=%s" % log)
    try:
        ok = s.wait(r"16 leaked in 2 groups") and s.wait(r"^\d.* B\s+\u2502")
        check("%s: the overview, complete" % name, ok, s.text())
        end = time.time() + 10
        while time.time() < end and "frag took" not in debug_log(log):
            time.sleep(0.05)
        s.keys("q")
        s.exit_status()
    finally:
        s.close()
    return debug_log(log)


def summary_rows(trace):
    db = sqlite3.connect("file:%s?mode=ro" % trace, uri=True)
    try:
        return db.execute("SELECT analysis, version FROM summary ORDER BY "
                          "analysis").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def make_read_only(path):
    os.chmod(path, 0o444)
    if os.access(path, os.W_OK):
        # root writes anyway: an immutable file it cannot
        subprocess.run(["chattr", "+i", path], capture_output=True)
    return not os.access(path, os.W_OK) or b"i" in subprocess.run(
        ["lsattr", path], capture_output=True).stdout.split(b" ")[0]


def test_summary(keep):
    # gst-memtrace run computes it as soon as the trace is finished, and
    # says what leaked: the first view of that trace reads it.
    check("summary: run says what leaked",
          "16 leaked in 2 groups" in RUN_STDERR.get(keep, ""),
          RUN_STDERR.get(keep))
    rows = summary_rows(keep)
    check("summary: stored by gst-memtrace run",
          [r[0] for r in rows] == ["info", "leaks", "timeline"], rows)
    log = view_logged("summary-run", keep)
    check("summary: the first view of a trace from run reads it",
          "summary took" in log and "summary stored" not in log, log)
    unkept = "DROP TABLE IF EXISTS summary"
    trace = altered_copy(keep, "summary.trace", unkept)

    log = view_logged("summary-first", trace)
    rows = summary_rows(trace)
    check("summary: computed the first time, then kept in the trace",
          "summary took" not in log and "summary stored" in log and
          [r[0] for r in rows] == ["info", "leaks", "timeline"], log)
    log = view_logged("summary-again", trace)
    check("summary: read the next time, before any analysis",
          re.search(r"summary took.*\n.*info took", log) is not None and
          "summary stored" not in log, log)

    alter(trace, "UPDATE summary SET version = version + 1000")
    log = view_logged("summary-newer", trace)
    check("summary: rows of another version are never read",
          "summary took" not in log and "summary stored" in log, log)

    ro = altered_copy(keep, "summary-ro.trace", unkept)
    check("summary: a read-only trace (chmod, or chattr +i as root)",
          make_read_only(ro))
    try:
        log = view_logged("summary-ro", ro)
        check("summary: a read-only trace is computed and not written",
              "summary not stored" in log and summary_rows(ro) == [], log)
    finally:
        subprocess.run(["chattr", "-i", ro], capture_output=True)
        os.chmod(ro, 0o644)


# Live

def objects_created(s):
    m = re.search(r"Objects\s+([\d,]+) created", s.text())
    return int(m.group(1).replace(",", "")) if m else None


def test_live():
    trace = os.path.join(TMP, "live.trace")
    e = env(GST_PLUGIN_PATH=PLUGIN_DIR,
            GST_TRACERS="memtrace(output=%s,flush-interval=50)" % trace)
    p = subprocess.Popen(["gst-launch-1.0", "-q", "audiotestsrc",
                          "is-live=true", "num-buffers=300", "!", "fakesink"],
                         env=e, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    s = None
    try:
        end = time.time() + 10
        while time.time() < end and not os.path.exists(trace):
            time.sleep(0.05)
        time.sleep(0.3)
        log = os.path.join(TMP, "live.log")
        s = view("live", trace, extra_env="MEMTRACE_VIEW_DEBUG=%s" % log)
        ok = s.wait(r"State\s+recording \(live") and s.wait(r"LIVE recording")
        check("live: the recording is shown as it goes", ok, s.text())
        s.wait(r"Objects\s+[\d,]+ created")
        first = objects_created(s)
        time.sleep(2)
        second = objects_created(s)
        check("live: picks up events written after it started (%s -> %s)"
              % (first, second), first is not None and second is not None
              and second > first, s.text())
        check("live: the chart is there", s.wait(r"\u2502.*\u2588"), s.text())
        check("live: the trace is not finished in place while recorded",
              not has_finished_tables(trace))
        p.wait(timeout=30)
        ok = s.wait(r"recording finished\s*$", timeout=20)
        check("live: says when the recording finished", ok, s.text())
        check("live: shows the final analysis",
              s.wait(r"State\s+complete") and
              s.wait(r"alive at the end, \d+ leaked"), s.text())
        s.keys("q")
        check("live: q quits with 0", s.exit_status() == 0)
        check_incremental(trace, debug_log(log))
        check("live: the snapshot is removed", not [
            f for f in os.listdir(tempfile.gettempdir())
            if f.startswith("gst-memtrace-view-")
            and os.path.getmtime(os.path.join(tempfile.gettempdir(), f))
            > START])
    finally:
        if p.poll() is None:
            p.kill()
        if s:
            s.close()


REFRESH = re.compile(r"refresh: (\d+) blocks of (\d+) events decoded, "
                     r"(\d+) events, \d+ objects and \d+ stacks new; "
                     r"(\d+) destructions and (\d+) frames derived")


def check_incremental(trace, log):
    """Each refresh decoded the blocks written since the one before, and
    derived from their events only: over all refreshes, every block and
    every event once."""
    refreshes = [tuple(map(int, m.groups())) for m in REFRESH.finditer(log)]
    busy = [r for r in refreshes if r[0]]
    db = sqlite3.connect("file:%s?mode=ro" % trace, uri=True)
    try:
        blocks, events = db.execute(
            "SELECT count(*), total(n_events) FROM blocks").fetchone()
        rows, destroyed, frames = [db.execute(sql).fetchone()[0] for sql in (
            "SELECT count(*) FROM events",
            "SELECT count(*) FROM objects WHERE destroyed IS NOT NULL",
            "SELECT count(*) FROM frames")]
    finally:
        db.close()
    check("live: each refresh decodes only the new blocks (%d refreshes "
          "with new blocks, %d blocks in all)" % (len(busy), blocks),
          len(busy) >= 3 and max(r[0] for r in busy) < blocks and
          sum(r[0] for r in refreshes) == blocks and
          sum(r[1] for r in refreshes) == events, log)
    check("live: and derives from the new rows only: each event, "
          "destruction and frame once (%d, %d, %d)" % (rows, destroyed,
                                                        frames),
          sum(r[2] for r in refreshes) == rows and
          sum(r[3] for r in refreshes) == destroyed and
          sum(r[4] for r in refreshes) == frames and destroyed > 0, log)


def has_finished_tables(trace):
    db = sqlite3.connect("file:%s?mode=ro" % trace, uri=True)
    try:
        return db.execute("SELECT count(*) FROM sqlite_master WHERE name = "
                          "'objects'").fetchone()[0] > 0
    finally:
        db.close()


def test_run_view():
    trace = os.path.join(TMP, "run-view.trace")
    cmd = "%s run --view --params flush-interval=50 -o %s -- sh -c " \
        "'gst-launch-1.0 audiotestsrc is-live=true num-buffers=100 ! " \
        "fakesink; exit 3'" % (CLI, trace)
    s = Screen("runview", cmd, extra_env="GST_PLUGIN_PATH=%s%s" % (
        PLUGIN_DIR, " GST_REGISTRY=" + REGISTRY if REGISTRY else ""))
    try:
        check("run --view: live while the program runs",
              s.wait(r"State\s+recording \(live", timeout=15), s.text())
        check("run --view: the program's output does not reach the screen",
              "Setting pipeline" not in s.text(), s.text())
        ok = s.wait(r"the program exited with status 3|recording finished",
                    timeout=20)
        check("run --view: stays open at the end", ok and
              s.wait(r"State\s+complete", timeout=10), s.text())
        s.keys("q")
        check("run --view: exits with the program's status",
              s.exit_status() == 3)
        log = trace + ".log"
        check("run --view: the program's output went to a log",
              os.path.exists(log) and "Setting pipeline" in open(log).read())
    finally:
        s.close()


START = time.time()


def main():
    for tool in ("tmux", "gst-launch-1.0"):
        if not shutil.which(tool):
            print("SKIP: no %s" % tool)
            return 77
    # One session that stays, so that the server never exits between the
    # viewers' sessions (a new session then races its shutdown).
    tmux("new-session", "-d", "-s", "keepalive", "sleep 3600")
    try:
        keep = record("keep_samples")
        test_bad_input(keep)
        test_overview_and_leaks(keep)
        test_summary(keep)
        test_too_small_and_ascii(keep)
        test_pools(record("pool_starve"))
        test_objects(record("leaked_bin"))
        checkpoints = record("checkpoint", "checkpoint-signal=SIGUSR2")
        test_window(checkpoints)
        test_window_sites_lifetimes(checkpoints)
        test_live()
        test_run_view()
    finally:
        tmux("kill-server", check_rc=False)
        shutil.rmtree(TMP, ignore_errors=True)
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
