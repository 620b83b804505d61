"""gst-memtrace scenarios: what tests/test-scenarios.py and
tests/test-leaks-crosscheck.py share.

The corpus is every directory of tests/scenarios/ with an expect.json.  A
C scenario (main.c) is built by tests/scenarios/meson.build as
scenario-<name> in the scenarios' build directory; a Python one (app.py)
runs with /usr/bin/python3 (PyGObject).  expect.json is described in
docs/accuracy.md.

Paths come from the environment tests/meson.build gives its tests
(MEMTRACE_CLI, MEMTRACE_APPS_DIR, MEMTRACE_PLUGIN_DIR, MEMTRACE_REGISTRY);
run by hand, MEMTRACE_BUILD_DIR (default: build/) stands for them all."""

import json
import os
import re
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
REPO = os.path.dirname(TESTS)
BUILD = os.environ.get("MEMTRACE_BUILD_DIR", os.path.join(REPO, "build"))
CLI = os.environ.get("MEMTRACE_CLI",
                     os.path.join(BUILD, "viewer", "gst-memtrace"))
APPS_DIR = os.environ.get("MEMTRACE_APPS_DIR", os.path.join(BUILD, "tests"))
PLUGIN_DIR = os.environ.get("MEMTRACE_PLUGIN_DIR",
                            os.path.join(BUILD, "tracer"))
REGISTRY = os.environ.get("MEMTRACE_REGISTRY")
SCENARIOS_BUILD = os.path.join(APPS_DIR, "scenarios")
PYTHON = "/usr/bin/python3"
TIMEOUT = 90


class Scenario:
    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(HERE, name)
        with open(os.path.join(self.dir, "expect.json")) as f:
            self.expect = json.load(f)
        self.program = self.expect.get("program", "main.c")

    @property
    def is_python(self):
        return self.program.endswith(".py")

    @property
    def clean(self):
        return all(sum(t["objects"] for t in r["leaked_by_type"].values())
                   == 0 for r in self.expect["reports"])

    def argv(self):
        """The command line, or None if the program is not built."""
        if self.is_python:
            return [PYTHON, os.path.join(self.dir, self.program)] + \
                self.expect.get("args", [])
        exe = os.path.join(SCENARIOS_BUILD, "scenario-" + self.name)
        if not os.access(exe, os.X_OK):
            return None
        return [exe] + self.expect.get("args", [])


def scenarios(only=None):
    names = sorted(d for d in os.listdir(HERE)
                   if os.path.isfile(os.path.join(HERE, d, "expect.json")))
    if only:
        names = [n for n in names if n in only]
    return [Scenario(n) for n in names]


def child_env(work, extra=None):
    env = dict(os.environ)
    for v in ("GST_TRACERS", "GST_DEBUG", "GST_DEBUG_FILE",
              "GST_DEBUG_NO_COLOR", "GST_MEMTRACE_NOTIFY", "G_DEBUG",
              "GST_PLUGIN_PATH_1_0", "GST_REGISTRY_1_0",
              "GST_REGISTRY_UPDATE", "GST_LEAKS_TRACER_SIG",
              "GST_LEAKS_TRACER_STACK_TRACE", "NO_COLOR"):
        env.pop(v, None)
    env["GST_PLUGIN_PATH"] = PLUGIN_DIR
    env["GST_REGISTRY"] = REGISTRY or os.path.join(work, "registry.bin")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["LC_ALL"] = "C.UTF-8"
    env.update(extra or {})
    return env


def run(argv, work, extra_env=None, timeout=TIMEOUT):
    return subprocess.run(argv, env=child_env(work, extra_env), cwd=work,
                          capture_output=True, timeout=timeout)


def warm_registry(work):
    """Scans the plugins into the private registry once, untraced, so that
    no traced run scans them."""
    app = os.path.join(APPS_DIR, "app-exit_status")
    if os.access(app, os.X_OK):
        run([app], work)
    else:
        run([PYTHON, "-c", "import gi; gi.require_version('Gst', '1.0'); "
             "from gi.repository import Gst; Gst.init(None)"], work)


def record(scenario, work, trace, extra_env=None):
    """Runs the scenario under `gst-memtrace run --record-refs`; returns the
    completed process."""
    argv = scenario.argv()
    return run([CLI, "run", "-o", trace, "--record-refs", "--"] + argv, work,
               extra_env)


def report(trace, work, args=()):
    """The JSON report (a dict) and the completed process."""
    p = run([CLI, "report", "--format", "json"] + list(args) + [trace], work)
    try:
        return json.loads(p.stdout.decode("utf-8")), p
    except ValueError:
        return None, p


def fail_on_leaks(trace, work, args=()):
    """The exit code of `report --fail-on leaks`."""
    return run([CLI, "report", "--fail-on", "leaks"] + list(args) + [trace],
               work).returncode


# GStreamer's leaks tracer

ALIVE_RE = re.compile(r"object-alive, type-name=\(string\)([^,]*), "
                      r"address=\(gpointer\)(\S+?),")
TIME_RE = re.compile(r"^(\d+):(\d\d):(\d\d)\.(\d{9}) ")


def leaks_records(text, times=None):
    """The object-alive records of the leaks tracer in a GST_DEBUG log:
    [(type, address)].  The record's format, logged when the tracer starts
    ("new format string: object-alive, type-name=(string)%s, ..."), is not
    one.  If times is a list, the time of each record (ns since gst_init(),
    the time base of the tracing hooks and so of our trace) is appended."""
    out = []
    for line in text.splitlines():
        m = ALIVE_RE.search(line)
        if not m or not m.group(2).startswith("0x"):
            continue
        out.append((m.group(1), int(m.group(2), 16)))
        t = TIME_RE.match(line)
        if times is not None and t:
            h, mi, se, ns = (int(x) for x in t.groups())
            times.append(((h * 60 + mi) * 60 + se) * 1000000000 + ns)
    return out


def leaks_env(log):
    return {"GST_TRACERS": "leaks", "GST_DEBUG": "GST_TRACER:7",
            "GST_DEBUG_NO_COLOR": "1", "GST_DEBUG_FILE": log}


def by_type(pairs):
    counts = {}
    for t, _ in pairs:
        counts[t] = counts.get(t, 0) + 1
    return counts


def alive_at_deinit(trace):
    """Our alive rows with state 1 (alive at gst_deinit) and not flagged
    MAY_BE_LEAKED: [(type, address)]."""
    db = sqlite3.connect("file:%s?mode=ro" % trace, uri=True)
    try:
        return [(t, a or 0) for t, a in db.execute(
            "SELECT t.name, o.address FROM alive a JOIN objects o "
            "ON o.id = a.obj JOIN types t ON t.id = o.type "
            "WHERE a.state = 1 AND (a.flags & 1) = 0")]
    finally:
        db.close()


def alive_at(trace, ts):
    """Objects of our trace alive at ts (made at or before it, destroyed
    after it or never) and not flagged MAY_BE_LEAKED at the end:
    {(type, address): destroyed or None}."""
    db = sqlite3.connect("file:%s?mode=ro" % trace, uri=True)
    try:
        return {(t, a or 0): d for t, a, d in db.execute(
            "SELECT t.name, o.address, o.destroyed FROM objects o "
            "JOIN types t ON t.id = o.type WHERE o.ts <= ?1 "
            "AND (o.destroyed IS NULL OR o.destroyed > ?1) AND NOT EXISTS "
            "(SELECT 1 FROM alive a WHERE a.obj = o.id AND (a.flags & 1))",
            (ts,))}
    finally:
        db.close()


def frames(stack):
    return [f.get("function") or "" for f in (stack or [])]


def say(line):
    print(line)
    sys.stdout.flush()
