#!/usr/bin/python3
"""gst-memtrace benchmark helper (standard library only).

Driven by tests/bench/run-bench.sh; see that script for the environment
variables.  Runs each workload untraced (B) and traced (C) alternately
(B, C, B, C, ...), reports median(C)/median(B) per pair series, peak RSS
(from /usr/bin/time -f '%e %M') and, for memtrace, trace statistics, and
writes a Markdown report.

Exit status: 0 all good; 1 a traced (or baseline) run failed, timed out, or
a trace was incomplete / dropped events; 2 setup error.
"""

import datetime
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import scale

HERE = os.path.dirname(os.path.abspath(__file__))
GST_LAUNCH = "gst-launch-1.0"
TIME = "/usr/bin/time"

A_BRANCH = "audiotestsrc num-buffers=10000 samplesperbuffer=64 ! queue ! fakesink"
WORKLOADS = {
    "A": ("audio, 50000 x 64-sample buffers",
          "audiotestsrc num-buffers=50000 samplesperbuffer=64 ! queue ! fakesink"),
    "V": ("video, 20000 x 64x48 black frames",
          "videotestsrc num-buffers=20000 pattern=black ! "
          "video/x-raw,width=64,height=48 ! queue ! fakesink"),
    "R": ("realistic: 600 x 640x480 -> convert/scale 320x240 -> tee, 2 sinks",
          "videotestsrc num-buffers=600 ! video/x-raw,width=640,height=480 ! "
          "videoconvert ! videoscale ! video/x-raw,width=320,height=240 ! "
          "tee name=t ! queue ! fakesink t. ! queue ! fakesink"),
    "T": ("threads: 8 independent audio branches x 10000 buffers",
          " ".join([A_BRANCH] * 8)),
}

# key -> (label, GST_TRACERS value or None; "{out}" is replaced by the trace path)
CONFIGS = [
    ("mt0", "memtrace stack-depth=0", "memtrace(output={out},stack-depth=0)"),
    ("mt32", "memtrace stack-depth=32", "memtrace(output={out},stack-depth=32)"),
    ("mt32rr", "memtrace stack-depth=32 record-refs=true",
     "memtrace(output={out},stack-depth=32,record-refs=true)"),
    ("leaks", "leaks", "leaks"),
    # The built-in `factories` tracer registers only hooks that fire when an
    # element or feature is made: what it costs is GStreamer's own price for
    # having any tracer at all (a timestamp and two hash lookups at every hook
    # site of the core), the floor under every tracer.
    ("floor", "tracing floor: `factories` tracer (no per-buffer hook)",
     "factories"),
    # The hooks memtrace registers, with callbacks that return at once
    # (tests/bench/hooks-floor.c): GStreamer's price for the events memtrace
    # needs, before memtrace does anything with them.
    ("hooks0", "hooks floor: memtrace's hooks doing nothing",
     "memtracehooks"),
    ("hooksrr", "hooks floor: memtrace's hooks and ref hooks doing nothing",
     "memtracehooks(record-refs=true)"),
    # The same hooks doing the least memtrace's configurations must do: keep
    # unique ids in memtrace's own map, and take the backtraces; nothing is
    # recorded.
    ("ids0", "ids floor: hooks keeping the id map",
     "memtracehooks(ids=true)"),
    ("ids32", "ids floor: hooks keeping the id map, 32-frame backtraces",
     "memtracehooks(ids=true,stacks=32)"),
    ("idsrr", "ids floor: id map, backtraces at creations, refs and unrefs",
     "memtracehooks(ids=true,record-refs=true,stacks=32)"),
    # The ids floor plus the trace's storage as the issue prescribes it: the
    # bytes memtrace's events take (9 each), written by a thread into SQLite
    # through the WAL, as memtrace's writer does; no rings, no encoding.
    ("store0", "storage floor: id map and the trace's bytes through SQLite",
     "memtracehooks(ids=true,store=true)"),
    ("store32", "storage floor, 32-frame backtraces",
     "memtracehooks(ids=true,stacks=32,store=true)"),
    ("storerr", "storage floor, backtraces at creations, refs and unrefs",
     "memtracehooks(ids=true,record-refs=true,stacks=32,store=true)"),
]
# Which floors each memtrace configuration stands on.
HOOKS_FLOOR = {"mt0": "hooks0", "mt32": "hooks0", "mt32rr": "hooksrr"}
IDS_FLOOR = {"mt0": "ids0", "mt32": "ids32", "mt32rr": "idsrr"}
STORE_FLOOR = {"mt0": "store0", "mt32": "store32", "mt32rr": "storerr"}
FLOOR_KEYS = (set(HOOKS_FLOOR.values()) | set(IDS_FLOOR.values())
              | set(STORE_FLOOR.values()))
MEMTRACE_KEYS = ("mt0", "mt32", "mt32rr")

TARGETS = {
    "mt0": {"A": 1.3, "V": 1.2, "R": 1.05, "T": 1.3},
    "mt32": {"A": 2.0, "V": 1.3, "R": 1.1, "T": 2.0},
    "mt32rr": {"A": 3.0, "V": 1.6, "R": 1.2, "T": 3.0},
}
RSS_TARGET_MIB = 32.0
BPE_TARGET = 40.0
LEAKS_FULL_DIVS = (100, 50)   # two scales -> fixed + per-buffer cost
EXTERNAL_TOOL_RUNS = 3        # valgrind and heaptrack pairs per workload


def env_int(name, default):
    v = os.environ.get(name, "")
    try:
        return int(v) if v.strip() else default
    except ValueError:
        sys.exit("bench: %s must be an integer, got %r" % (name, v))


def scaled(pipeline, div):
    return re.sub(r"num-buffers=(\d+)",
                  lambda m: "num-buffers=%d" % max(1, int(m.group(1)) // div),
                  pipeline)


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def mib(kib):
    return kib / 1024.0


class Bench:
    def __init__(self):
        self.quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
        self.runs = 3 if self.quick else env_int("BENCH_RUNS", 5)
        if self.runs < 1:
            sys.exit("bench: BENCH_RUNS must be >= 1")
        self.timeout = env_int("BENCH_TIMEOUT", 300)
        wl = os.environ.get("BENCH_WORKLOADS", "") or ("AV" if self.quick else "AVRT")
        self.workloads = [w for w in "AVRT" if w in wl.upper()]
        self.extras = not self.quick and os.environ.get("BENCH_EXTRAS", "1") != "0"
        self.scale = not self.quick and os.environ.get("BENCH_SCALE", "1") != "0"
        self.scale_lines = []
        self.reading_lines = []
        self.plugin_src = os.environ["BENCH_PLUGIN"]
        self.output = os.environ["BENCH_OUTPUT"]
        self.keep = os.environ.get("BENCH_KEEP", "") not in ("", "0")
        self.tmp = tempfile.mkdtemp(prefix="memtrace-bench-")
        self.failures = []      # human-readable lines
        self.results = {}       # (workload, key) -> dict
        self.extra_rows = []    # rows for the extra-tools table
        self.base_all = {}      # workload -> list of baseline walls (full size)
        self.base_rss_all = {}
        # Private plugin copy + private registry: others may rebuild the
        # plugin or use another GST_PLUGIN_PATH while we run.
        pdir = os.path.join(self.tmp, "plugin")
        os.mkdir(pdir)
        shutil.copy2(self.plugin_src, pdir)
        hooks = os.environ.get("BENCH_HOOKS_PLUGIN", "")
        self.have_hooks = bool(hooks) and os.path.exists(hooks)
        if self.have_hooks:
            shutil.copy2(hooks, pdir)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("GST_TRACER", "GST_DEBUG", "BENCH_"))}
        self.env.update({
            "GST_PLUGIN_PATH": pdir,
            "GST_REGISTRY": os.path.join(self.tmp, "registry.bin"),
            "LC_ALL": "C",
        })

    # ------------------------------------------------------------------ runs
    def run(self, argv, tracers=None, tag=""):
        env = dict(self.env)
        if tracers:
            env["GST_TRACERS"] = tracers
        tfile = os.path.join(self.tmp, "time.out")
        if os.path.exists(tfile):
            os.unlink(tfile)
        cmd = [TIME, "-f", "%e %M", "-o", tfile] + argv
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, start_new_session=True,
                             cwd=self.tmp)
        timed_out = False
        try:
            _, err = p.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(p.pid, signal.SIGKILL)
            _, err = p.communicate()
        wall = time.perf_counter() - t0
        rc = p.returncode
        rss = None
        elapsed = None
        try:
            with open(tfile) as f:
                lines = [l for l in f.read().splitlines() if l.strip()]
            # GNU time prefixes "Command exited with non-zero status N" etc.
            e, m = lines[-1].split()
            elapsed, rss = float(e), int(m)
        except (OSError, ValueError, IndexError):
            pass
        err = err.decode("utf-8", "replace")
        res = {"wall": wall, "elapsed": elapsed, "rss": rss, "rc": rc,
               "timeout": timed_out, "stderr": err}
        if timed_out or rc != 0 or rss is None:
            what = "TIMEOUT after %ds" % self.timeout if timed_out else "exit %s" % rc
            tail = "\n".join(err.strip().splitlines()[-15:])
            self.failures.append(
                "%s: %s\n  command: %s%s\n  stderr (tail):\n%s" % (
                    tag, what,
                    ("GST_TRACERS='%s' " % tracers) if tracers else "",
                    " ".join(argv), "\n".join("    " + l for l in tail.splitlines())))
            print("  FAIL %s: %s" % (tag, what), file=sys.stderr)
        return res

    def check_trace(self, path, tag):
        """Returns dict(events, size) or None; records failures."""
        info = {"events": None, "size": None}
        if not os.path.exists(path):
            self.failures.append("%s: no trace file %s" % (tag, path))
            return info
        info["size"] = os.path.getsize(path)
        wal = path + "-wal"
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            info["wal"] = os.path.getsize(wal)
        try:
            c = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
            meta = dict(c.execute("SELECT key, value FROM meta").fetchall())
            info["events"] = c.execute(
                "SELECT COALESCE(SUM(n_events), 0) FROM blocks").fetchone()[0]
            c.close()
        except sqlite3.Error as e:
            self.failures.append("%s: cannot read trace %s: %s" % (tag, path, e))
            return info
        dropped = meta.get("dropped_events")
        complete = meta.get("complete")
        if str(dropped) != "0" or str(complete) != "1":
            self.failures.append(
                "%s: trace %s has dropped_events=%r complete=%r (end_reason=%r)"
                % (tag, path, dropped, complete, meta.get("end_reason")))
            info["bad"] = True
        info["dropped"] = dropped
        return info

    def pair_series(self, wkey, base_argv, traced_argv, tracers, tag,
                    trace=False, full_size=True, cleanup=None, runs=None):
        b, c, pr = [], [], []
        b_rss, c_rss = [], []
        traces = []
        for i in range(runs or self.runs):
            rb = self.run(base_argv, None, "%s untraced run %d" % (tag, i + 1))
            out = None
            tr = tracers
            if trace:
                out = os.path.join(self.tmp, "t-%s-%d.trace" % (re.sub(r"\W+", "_", tag), i))
                for suf in ("", "-wal", "-shm", "-journal"):
                    if os.path.exists(out + suf):
                        os.unlink(out + suf)
                tr = tracers.format(out=out)
            rc = self.run(traced_argv, tr, "%s run %d" % (tag, i + 1))
            if cleanup:
                cleanup()
            ok_b = rb["rc"] == 0 and not rb["timeout"]
            ok_c = rc["rc"] == 0 and not rc["timeout"]
            if ok_b:
                b.append(rb["wall"])
                b_rss.append(rb["rss"])
            if ok_c:
                c.append(rc["wall"])
                c_rss.append(rc["rss"])
            if ok_b and ok_c:
                pr.append(rc["wall"] / rb["wall"])
            if trace and ok_c:
                info = self.check_trace(out, "%s run %d" % (tag, i + 1))
                info["wall"] = rc["wall"]
                traces.append(info)
                if info.get("bad") and self.keep is False:
                    self.keep = True    # keep the bad trace for inspection
                elif not info.get("bad"):
                    for suf in ("", "-wal", "-shm"):
                        if os.path.exists(out + suf):
                            os.unlink(out + suf)
            if rc["timeout"]:
                print("  %s timed out: skipping its remaining runs" % tag, file=sys.stderr)
                break
        if full_size:
            self.base_all.setdefault(wkey, []).extend(b)
            self.base_rss_all.setdefault(wkey, []).extend(b_rss)
        r = {"b": b, "c": c, "pairs": pr, "b_rss": b_rss, "c_rss": c_rss,
             "traces": traces}
        r["ratio"] = med(c) / med(b) if b and c else float("nan")
        r["drss"] = mib(med(c_rss) - med(b_rss)) if b_rss and c_rss else float("nan")
        print("  %-55s B %7.1f ms  C %8.1f ms  ratio %6.2f  dRSS %6.1f MiB" % (
            tag, 1e3 * med(b), 1e3 * med(c), r["ratio"], r["drss"]), file=sys.stderr)
        return r

    def gst(self, pipeline):
        return [GST_LAUNCH, "-q"] + pipeline.split()

    def bench(self):
        t_start = time.time()
        for w in self.workloads:
            desc, pipe = WORKLOADS[w]
            argv = self.gst(pipe)
            print("workload %s: %s" % (w, desc), file=sys.stderr)
            # warm-up (registry, page cache), discarded
            self.run(argv, None, "%s warm-up" % w)
            wout = os.path.join(self.tmp, "warmup.trace")
            self.run(argv, "memtrace(output=%s)" % wout, "%s warm-up (memtrace)" % w)
            for suf in ("", "-wal", "-shm"):
                if os.path.exists(wout + suf):
                    os.unlink(wout + suf)
            for key, label, tracers in CONFIGS:
                if key in FLOOR_KEYS and not self.have_hooks:
                    continue
                self.results[(w, key)] = self.pair_series(
                    w, argv, argv, tracers, "%s %s" % (w, label),
                    trace=key in MEMTRACE_KEYS)
        if self.extras:
            self.bench_extras()
        if self.scale:
            self.bench_scale()
        self.elapsed = time.time() - t_start

    def bench_scale(self):
        """The recorder on synthetic events from 10 thousand to 10 million,
        and the reading side (finishing, report) on 1 and 10 million."""
        storm = os.environ.get("BENCH_STORM", "")
        if os.path.exists(storm):
            print("scale: the recorder on synthetic events", file=sys.stderr)
            self.scale_lines = scale.scale_section(self, storm)
        else:
            self.failures.append("scale: %r not found (build the tests)" % storm)
        print("scale: the reading side (tests/bench/gen-trace-bench.sh)",
              file=sys.stderr)
        p = subprocess.run(
            ["bash", os.path.join(HERE, "gen-trace-bench.sh"),
             os.environ.get("BENCH_BUILD", "")], env=self.env,
            capture_output=True, text=True, timeout=self.timeout * 4)
        if p.returncode != 0:
            self.failures.append("gen-trace-bench.sh: exit %d\n%s"
                                 % (p.returncode, p.stderr[-2000:]))
        else:
            self.reading_lines = ["## Reading a trace at scale", "",
                                  p.stdout.rstrip("\n"), ""]

    def bench_extras(self):
        # leaks with full stack traces: far too slow at full size, so it is run
        # at num-buffers/100 and /50; the two scales give a fixed cost and a
        # per-buffer cost, extrapolated to the full-size workload.
        for w in self.workloads:
            pipe = WORKLOADS[w][1]
            series = {}
            for div in LEAKS_FULL_DIVS:
                argv = self.gst(scaled(pipe, div))
                series[div] = self.pair_series(
                    w, argv, argv, "leaks(stack-traces-flags=full)",
                    "%s leaks(stack-traces-flags=full) at num-buffers/%d" % (w, div),
                    full_size=False)
            d1, d2 = LEAKS_FULL_DIVS
            s1, s2 = series[d1], series[d2]
            n1, n2 = 1.0 / d1, 1.0 / d2          # fraction of the full workload
            ov1 = med(s1["c"]) - med(s1["b"])
            ov2 = med(s2["c"]) - med(s2["b"])
            per_full = max(0.0, (ov2 - ov1) / (n2 - n1))   # overhead of 1x workload
            fixed = ov1 - per_full * n1
            bfull = med(self.base_all.get(w, []))
            extrap = (bfull + fixed + per_full) / bfull if bfull else float("nan")
            naive = (bfull + ov1 / n1) / bfull if bfull else float("nan")
            self.extra_rows.append({
                "w": w, "label": "leaks(stack-traces-flags=full)",
                "how": "EXTRAPOLATED from num-buffers/%d and /%d" % (d1, d2),
                "ratio": extrap, "naive": naive,
                "scaled": "/%d: %.2f (%.0f vs %.0f ms); /%d: %.2f (%.0f vs %.0f ms)" % (
                    d1, s1["ratio"], 1e3 * med(s1["c"]), 1e3 * med(s1["b"]),
                    d2, s2["ratio"], 1e3 * med(s2["c"]), 1e3 * med(s2["b"])),
                "drss": s2["drss"], "rss_note": "at /%d" % d2,
                "est_s": bfull + fixed + per_full,
            })
            self.results[(w, "leaksfull")] = {"ratio": extrap}
        # valgrind memcheck and heaptrack, if installed, on every workload at
        # full size: R under valgrind takes over a minute a run, so these
        # take the medians of fewer pairs.
        for w in self.workloads:
            if shutil.which("valgrind"):
                self.external_tool(w, "valgrind --tool=memcheck",
                                   ["valgrind", "-q", "--tool=memcheck"],
                                   "valgrind process")
            if shutil.which("heaptrack"):
                self.external_tool(
                    w, "heaptrack (record only)",
                    ["heaptrack", "-o", os.path.join(self.tmp, "heaptrack.out")],
                    "largest of gst-launch / heaptrack_interpret",
                    cleanup=self.remove_heaptrack_output)

    def remove_heaptrack_output(self):
        for f in os.listdir(self.tmp):
            if f.startswith("heaptrack.out"):
                os.unlink(os.path.join(self.tmp, f))

    def external_tool(self, w, label, prefix, rss_note, cleanup=None):
        """A tool that runs the workload itself, at full size, alternated
        with untraced runs like the tracers."""
        argv = self.gst(WORKLOADS[w][1])
        runs = min(self.runs, EXTERNAL_TOOL_RUNS)
        r = self.pair_series(w, argv, prefix + argv, None,
                             "%s %s (full size)" % (w, label), cleanup=cleanup,
                             runs=runs)
        self.extra_rows.append({
            "w": w, "label": label,
            "how": "measured, full size, median of %d" % runs,
            "ratio": r["ratio"], "scaled": "%.0f vs %.0f ms" % (
                1e3 * med(r["c"]), 1e3 * med(r["b"])),
            "drss": r["drss"], "rss_note": rss_note})

    # ---------------------------------------------------------------- report
    def machine(self):
        cpu = "unknown"
        try:
            with open("/proc/cpuinfo") as f:
                for l in f:
                    if l.startswith("model name"):
                        cpu = l.split(":", 1)[1].strip()
                        break
        except OSError:
            pass
        try:
            gv = subprocess.run([GST_LAUNCH, "--version"], capture_output=True,
                                text=True, env=self.env).stdout
            gv = next((l for l in gv.splitlines() if l.startswith("GStreamer")), gv.strip())
        except OSError:
            gv = "unknown"
        mem = ""
        try:
            with open("/proc/meminfo") as f:
                kb = int(f.readline().split()[1])
                mem = "%.1f GiB RAM" % (kb / 1024.0 / 1024.0)
        except (OSError, ValueError, IndexError):
            pass
        return os.cpu_count(), cpu, gv, mem, os.uname().release

    def report(self):
        nproc, cpu, gv, mem, kernel = self.machine()
        commit = os.environ.get("BENCH_COMMIT", "") or "unknown"
        L = []
        L.append("# gst-memtrace performance")
        L.append("")
        L.append("Generated by `tests/bench/run-bench.sh`%s on %s (took %.0f s)." % (
            " (BENCH_QUICK=1)" if self.quick else "",
            datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            self.elapsed))
        L.append("")
        L.append("- Machine: %s CPUs (nproc), %s, %s, Linux %s" % (nproc, cpu, mem, kernel))
        L.append("- %s; tree at commit %s (plus any uncommitted changes); plugin %s"
                 % (gv, commit, self.plugin_src))
        L.append("- Runs: %d per configuration, each traced run alternated with an untraced "
                 "baseline run (B, C, B, C, ...); ratio = median(C) / median(B) of that pair "
                 "series. Times are wall-clock of the whole `gst-launch-1.0 -q` process "
                 "(start-up included); peak RSS is `/usr/bin/time -f '%%e %%M'` (%%M)." % self.runs)
        L.append("- Rerun: `tests/bench/run-bench.sh` (env: `BENCH_RUNS=n`, `BENCH_QUICK=1` for a "
                 "3-run A+V smoke test, `BENCH_OUTPUT=file`, `BENCH_KEEP=1`).")
        L.append("- **Numbers vary from run to run**: this is a shared %s-core VM, and the "
                 "untraced runs last only tens of milliseconds, so ratios can move by "
                 "10-20%% between invocations. The pair-ratio range column shows the spread of "
                 "C/B within the series." % nproc)
        L.append("")
        L.append("## Workloads")
        L.append("")
        for w in self.workloads:
            L.append("- **%s** (%s): `%s`" % (w, WORKLOADS[w][0],
                                             WORKLOADS[w][1] if w != "T" else
                                             "(%s) x 8 in one gst-launch line" % A_BRANCH))
        L.append("")
        L.append("## Results (medians; ratio to untraced)")
        L.append("")
        L.append("| Workload | Configuration | untraced ms | traced ms | ratio | target | "
                 "status | pair-ratio range | RSS untraced MiB | RSS traced MiB | "
                 "ΔRSS MiB | ΔRSS ≤ %g |" % RSS_TARGET_MIB)
        L.append("|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---|")
        for w in self.workloads:
            ball = self.base_all.get(w, [])
            brss = self.base_rss_all.get(w, [])
            L.append("| %s | untraced (all %d baseline runs) | %.1f | %.1f | 1.00 | | | | %.1f | %.1f | 0.0 | |" % (
                w, len(ball), 1e3 * med(ball), 1e3 * med(ball), mib(med(brss)), mib(med(brss))))
            for key, label, _ in CONFIGS:
                r = self.results.get((w, key))
                if not r:
                    continue
                tgt = TARGETS.get(key, {}).get(w)
                st = self.status(r["ratio"], tgt) if tgt else ""
                rst = self.status(r["drss"], RSS_TARGET_MIB) if key in MEMTRACE_KEYS else ""
                rng = "%.2f-%.2f" % (min(r["pairs"]), max(r["pairs"])) if r["pairs"] else "n/a"
                L.append("| %s | %s | %.1f | %.1f | %.2f | %s | %s | %s | %.1f | %.1f | %+.1f | %s |" % (
                    w, label, 1e3 * med(r["b"]), 1e3 * med(r["c"]), r["ratio"],
                    ("≤ %g" % tgt) if tgt else "", st, rng,
                    mib(med(r["b_rss"])) if r["b_rss"] else float("nan"),
                    mib(med(r["c_rss"])) if r["c_rss"] else float("nan"), r["drss"], rst))
            for x in self.extra_rows:
                if x["w"] == w and x["label"].startswith("leaks("):
                    L.append("| %s | %s — **%s** | %.1f | ~%.0f (est.) | **~%.1f (extrapolated)** | | | | | | %+.1f (%s) | |" % (
                        w, x["label"], x["how"], 1e3 * med(ball), 1e3 * x["est_s"],
                        x["ratio"], x["drss"], x["rss_note"]))
        L.append("")
        # memtrace trace statistics
        tw = [w for w in ("A", "V") if w in self.workloads]
        if tw:
            L.append("## memtrace trace statistics (A and V)")
            L.append("")
            L.append("Events = `SUM(blocks.n_events)`; bytes/event = size of the main trace file "
                     "(after the tracer's final `wal_checkpoint(TRUNCATE)`) / events; events/s = "
                     "events / wall time of the traced run. Medians over the runs.")
            L.append("")
            L.append("| Workload | Configuration | events | trace MiB | bytes/event | ≤ %g | events/s |"
                     % BPE_TARGET)
            L.append("|---|---|---:|---:|---:|---|---:|")
            for w in tw:
                for key, label, _ in CONFIGS:
                    if key not in MEMTRACE_KEYS or (w, key) not in self.results:
                        continue
                    ts = [t for t in self.results[(w, key)]["traces"]
                          if t.get("events") and t.get("size")]
                    if not ts:
                        L.append("| %s | %s | n/a | n/a | n/a | | n/a |" % (w, label))
                        continue
                    ev = med([t["events"] for t in ts])
                    sz = med([t["size"] for t in ts])
                    bpe = med([t["size"] / t["events"] for t in ts])
                    eps = med([t["events"] / t["wall"] for t in ts])
                    self.results[(w, key)]["bpe"] = bpe
                    L.append("| %s | %s | %d | %.2f | %.1f | %s | %.0f |" % (
                        w, label, ev, sz / 1048576.0, bpe,
                        self.status(bpe, BPE_TARGET), eps))
            wals = [t["wal"] for k, r in self.results.items() if "traces" in r
                    for t in r["traces"] if t.get("wal")]
            if wals:
                L.append("")
                L.append("Note: %d trace(s) still had a non-empty -wal file after the run "
                         "(largest %d bytes); it is not counted above." % (len(wals), max(wals)))
            L.append("")
        if self.extra_rows:
            L.append("## Other tools")
            L.append("")
            L.append("leaks with `stack-traces-flags=full` is too slow to run at full size; it is "
                     "run at num-buffers/100 and /50 and the full-size time is **extrapolated** "
                     "(fixed cost + per-buffer cost fitted through the two scales). The naive "
                     "column scales the /100 overhead linearly, start-up included (an upper "
                     "bound).")
            L.append("")
            L.append("| Workload | Tool | how | ratio | naive ratio | measured | ΔRSS MiB |")
            L.append("|---|---|---|---:|---:|---|---:|")
            for x in self.extra_rows:
                L.append("| %s | %s | %s | %.2f | %s | %s | %+.1f (%s) |" % (
                    x["w"], x["label"], x["how"], x["ratio"],
                    "%.2f" % x["naive"] if "naive" in x else "", x["scaled"],
                    x["drss"], x["rss_note"]))
            L.append("")
        # targets
        L.append("## Targets")
        L.append("")
        missed = []
        for w in self.workloads:
            for key, label, _ in CONFIGS:
                r = self.results.get((w, key))
                if not r or key not in MEMTRACE_KEYS:
                    continue
                tgt = TARGETS[key][w]
                if not r["ratio"] <= tgt:
                    missed.append("%s %s: ratio %.2f > %g (by %.2f, %+.0f%%)%s" % (
                        w, label, r["ratio"], tgt, r["ratio"] - tgt,
                        100.0 * (r["ratio"] / tgt - 1), self.floor_note(w, key)))
                if not r["drss"] <= RSS_TARGET_MIB:
                    missed.append("%s %s: ΔRSS %.1f MiB > %g MiB (by %.1f MiB)" % (
                        w, label, r["drss"], RSS_TARGET_MIB, r["drss"] - RSS_TARGET_MIB))
                b = r.get("bpe")
                if b is not None and not b <= BPE_TARGET:
                    missed.append("%s %s: %.1f bytes/event > %g (by %.1f)" % (
                        w, label, b, BPE_TARGET, b - BPE_TARGET))
        cheaper = []
        for w in self.workloads:
            m, lk = self.results.get((w, "mt0")), self.results.get((w, "leaks"))
            if not m or not lk:
                continue
            ok = m["ratio"] <= lk["ratio"]
            cheaper.append("| %s | %.2f | %.2f | %s |" % (
                w, m["ratio"], lk["ratio"], "met" if ok else "**MISSED**"))
            if not ok:
                missed.append("%s memtrace stack-depth=0 costs more than leaks: "
                              "%.2f > %.2f" % (w, m["ratio"], lk["ratio"]))
        if cheaper:
            L.append("The issue: memtrace records more than the `leaks` tracer "
                     "and must still cost less.")
            L.append("")
            L.append("| Workload | memtrace stack-depth=0 | leaks | cheaper |")
            L.append("|---|---:|---:|---|")
            L.extend(cheaper)
            L.append("")
        if missed:
            L.append("MISSED:")
            L.append("")
            L.extend("- " + m for m in missed)
        else:
            L.append("All targets met.")
        L.append("")
        L.extend(self.floor_section())
        L.extend(self.scale_lines)
        L.extend(self.reading_lines)
        L.append("## Failures")
        L.append("")
        if self.failures:
            L.append("```")
            L.extend(self.failures)
            L.append("```")
        else:
            L.append("None: every run exited 0, and every memtrace trace had "
                     "`dropped_events = 0` and `complete = 1`.")
        L.append("")
        text = "\n".join(L) + self.kept_sections()
        with open(self.output, "w") as f:
            f.write(text)
        return text

    def kept_sections(self):
        """Sections of the output that others write, kept as they are: the
        viewer's (tests/bench/view-bench.py) and those written by hand, whose
        title says so."""
        try:
            with open(self.output) as f:
                old = f.read()
        except OSError:
            return ""
        kept = re.findall(r"^## (?:Viewer on a 10M-event trace|[^\n]*"
                          r"\(by hand\))\n.*?(?=^## |\Z)", old, re.M | re.S)
        return "".join("\n" + k.rstrip("\n") + "\n" for k in kept)

    def floor_note(self, w, key):
        """The most basic floor measured in this run that already exceeds
        the target: the target is out of reach of any tracer standing on it."""
        tgt = TARGETS[key][w]
        for name, floors in (("hooks", HOOKS_FLOOR), ("ids", IDS_FLOOR),
                             ("storage", STORE_FLOOR)):
            f = self.results.get((w, floors[key]))
            if f and f["ratio"] > tgt:
                return "; the %s floor alone is %.2f" % (name, f["ratio"])
        return ""

    def floor_section(self):
        """What any tracer costs on this GStreamer, measured in this run, and
        what memtrace adds above it."""
        rows = []
        nan = {"ratio": float("nan")}
        for w in self.workloads:
            f = self.results.get((w, "floor"))
            if not f:
                continue
            for key in MEMTRACE_KEYS:
                r = self.results.get((w, key))
                h = self.results.get((w, HOOKS_FLOOR[key]), nan)
                i = self.results.get((w, IDS_FLOOR[key]), nan)
                st = self.results.get((w, STORE_FLOOR[key]), nan)
                if r:
                    rows.append("| %s | %.2f | %.2f | %.2f | %.2f | %s | %.2f "
                                "| %.2f | %.2f | %g |" % (
                                    w, f["ratio"], h["ratio"], i["ratio"],
                                    st["ratio"], key, r["ratio"],
                                    r["ratio"] / i["ratio"],
                                    r["ratio"] / st["ratio"],
                                    TARGETS[key][w]))
        if not rows:
            return []
        L = ["## The floor: what enabling any tracer costs", "",
             "GStreamer 1.22 computes a timestamp and looks up two hook lists at "
             "every hook site of the core (every ref, unref, push, query, event) "
             "as soon as any tracer is active, whether or not a tracer registered "
             "that hook. The `factories` tracer registers no per-buffer hook, so "
             "its ratio is that price alone. A target below the floor cannot be "
             "met by any tracer on this GStreamer.", "",
             "The hooks floor is the `memtracehooks` tracer "
             "(`tests/bench/hooks-floor.c`): the hooks memtrace registers (with "
             "record-refs, the ref hooks too), each returning at once. It is what "
             "GStreamer charges for delivering the events memtrace needs. The "
             "ids floor is the same tracer doing the least that configuration "
             "of memtrace must do: keep unique ids in memtrace's own map "
             "(`ids=true`) and, with stacks, take the backtraces "
             "(`stacks=32`), recording nothing. The `over ids` column (ratio / "
             "ids floor) is what recording itself adds: the rings, the event "
             "details, the pool and allocator wrappers and the writer thread.",
             "",
             "The storage floor (`store=true`, `tests/bench/hooks-floor-store.c`) "
             "adds to the ids floor the trace file the issue prescribes: as many "
             "bytes as memtrace's events take (9 each, the mean measured on A), "
             "counted by the hooks with a thread-local add and written by a "
             "thread into SQLite as memtrace's writer does (32 KiB blobs from a "
             "prepared statement, WAL, a commit every 100 ms, the WAL copied "
             "into the file). It has no rings and no encoding, so it is the "
             "least any tracer can cost that keeps unique ids and stores its "
             "events this way. `over storage` (ratio / storage floor) is what "
             "memtrace adds above it: handing events over, encoding them, and "
             "the pool and allocator wrappers. A target below the storage floor "
             "cannot be met by this design on this machine.",
             "",
             "| Workload | any-tracer floor | hooks floor | ids floor "
             "| storage floor | memtrace config | ratio | over ids "
             "| over storage | target |",
             "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
        return L + rows + [""]

    @staticmethod
    def status(v, tgt):
        if v != v:
            return "n/a"
        return "met" if v <= tgt else "**MISSED**"


def main():
    b = Bench()
    print("bench: %d runs, workloads %s, temp dir %s" % (b.runs, "".join(b.workloads), b.tmp),
          file=sys.stderr)
    try:
        b.bench()
    except KeyboardInterrupt:
        print("bench: interrupted; temp dir %s" % b.tmp, file=sys.stderr)
        return 130
    text = b.report()
    print(text)
    print("bench: wrote %s" % b.output, file=sys.stderr)
    if b.failures:
        print("bench: %d FAILURE(S); traces kept in %s" % (len(b.failures), b.tmp),
              file=sys.stderr)
        for f in b.failures:
            print(f, file=sys.stderr)
        return 1
    if b.keep:
        print("bench: temp dir kept: %s" % b.tmp, file=sys.stderr)
    else:
        shutil.rmtree(b.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
