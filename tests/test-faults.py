#!/usr/bin/python3
"""gst-memtrace tests: faults, stress and hostile input (issue 7).

Never hurt the app, never lose the trace:
  - SIGKILL at a random moment of a busy pipeline, 20 times;
  - the app crashing (SIGSEGV from a NULL write, abort());
  - a full disk (RLIMIT_FSIZE, and a 512 KiB tmpfs when mount is allowed);
  - an unwritable directory, paths through symlinks;
  - fork() from a streaming thread, with and without exec;
  - pipelines and 12 threads making, reffing, pushing and freeing buffers
    for 10 s (FAULTS_LONG=1: 60 s);
and every command answers hostile input (not SQLite, truncated at every
4 KiB, tables missing, a newer format, hostile strings) with one line of
error or a correct, escaped report, never a crash or a hang.  Plus the
security rules: traces 0600, O_EXCL, never through a final symlink, never
overwritten; `run` and `check` never use a shell.

Run by meson (tests/meson.build) with MEMTRACE_CLI, MEMTRACE_PLUGIN_DIR
set, or by hand: MEMTRACE_BUILD_DIR (default: build/) stands for them.
Builds its app with gcc and pkg-config.  Some checks need root (mount,
running a child as nobody); they say "skip" with the reason otherwise.
FAULTS_SEED=N repeats a run's random moments.  Prints one line per check
and ends with "N passed, M failed"; exits 0 only when nothing failed."""

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BUILD = os.environ.get("MEMTRACE_BUILD_DIR", os.path.join(REPO, "build"))
CLI = os.environ.get("MEMTRACE_CLI",
                     os.path.join(BUILD, "viewer", "gst-memtrace"))
PLUGIN_DIR = os.environ.get("MEMTRACE_PLUGIN_DIR",
                            os.path.join(BUILD, "tracer"))
LONG = os.environ.get("FAULTS_LONG") == "1"
SEED = int(os.environ.get("FAULTS_SEED") or time.time_ns() % 1000000)
# Under a sanitizer (tests/meson.build passes -Db_sanitize): the app is
# built with it too, and uninstrumented hosts (gst-inspect-1.0) get the
# runtime preloaded (MEMTRACE_PRELOAD).
SANITIZE = os.environ.get("MEMTRACE_SANITIZE", "none")
PRELOAD = os.environ.get("MEMTRACE_PRELOAD", "")
# Everything waits at most this much longer under a sanitizer.
SLOW = 1 if SANITIZE in ("", "none") else 4

passed = failed = 0
work = None
APP = None
REGISTRY = None

APP_SOURCE = r"""/* The app test-faults.py runs under the tracer; the first argument picks
 * what it does:
 *   busy HOLD_MS      a busy pipeline; the main thread makes a batch of
 *                     BATCH buffers of 5000 + b bytes, waits HOLD_MS, then
 *                     prints "batch b"; forever (until killed)
 *   segv|abort N      the same for N batches, then crashes
 *   forkprobe         forks from a pad probe in a streaming thread
 *   stress SECONDS    pipelines and threads making, reffing, pushing and
 *                     freeing buffers for SECONDS
 *   hostile NAME_LEN  leaks an appsink (and a sample from it) whose name is
 *                     NAME_LEN bytes of terminal escapes and markup
 *   run [N]           a pipeline of N (3000) buffers to EOS, exit 0
 *   echo ARG          prints ARG (after gst_init), exit 0 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>

#define BATCH 10

static GstElement *
parse (const gchar * desc)
{
  GError *error = NULL;
  GstElement *p = gst_parse_launch (desc, &error);

  if (!p) {
    fprintf (stderr, "app: %s\n", error->message);
    exit (12);
  }
  return p;
}

static GstElement *
start (const gchar * desc)
{
  GstElement *p = parse (desc);

  if (gst_element_set_state (p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    exit (10);
  return p;
}

static void
wait_eos (GstElement * p)
{
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  if (!msg || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS) {
    fprintf (stderr, "app: no EOS\n");
    exit (11);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
}

static void
stop (GstElement * p)
{
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
}

static void
make_batch (gint b)
{
  gint i;

  for (i = 0; i < BATCH; i++)
    gst_buffer_unref (gst_buffer_new_allocate (NULL, 5000 + b, NULL));
}

static int
batches (gint n, guint hold_ms)
{
  gint b;

  /* Endless and not live: as busy as the writer lets it be. */
  start ("audiotestsrc samplesperbuffer=128 ! queue ! fakesink sync=false");
  for (b = 0; n < 0 || b < n; b++) {
    make_batch (b);
    g_usleep (hold_ms * 1000);
    printf ("batch %d\n", b);
    fflush (stdout);
  }
  return 0;
}

/* forkprobe */

static gint fork_failures, forks;

static void
child_buffers (void)
{
  gint i;

  for (i = 0; i < 3000; i++)
    gst_buffer_unref (gst_buffer_new_allocate (NULL, 5151, NULL));
}

static GstPadProbeReturn
fork_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  static gint n;
  pid_t pid;
  gint status, how;

  n++;
  if (n % 40 != 0 || n > 160)
    return GST_PAD_PROBE_OK;
  how = n / 40;
  pid = fork ();
  if (pid < 0) {
    fork_failures++;
    return GST_PAD_PROBE_OK;
  }
  if (pid == 0) {
    switch (how) {
      case 1:
        child_buffers ();
        _exit (0);
      case 2:
        child_buffers ();
        exit (0);
      case 3:
        execl ("/bin/true", "true", (char *) NULL);
        _exit (127);
      default:
        /* exec with GST_TRACERS gone: a fresh GStreamer program. */
        unsetenv ("GST_TRACERS");
        execl ("/proc/self/exe", "faults-app", "run", (char *) NULL);
        _exit (127);
    }
  }
  forks++;
  if (waitpid (pid, &status, 0) != pid || !WIFEXITED (status)
      || WEXITSTATUS (status) != 0) {
    fprintf (stderr, "app: child %d (how %d) ended with status %d\n",
        (gint) pid, how, status);
    fork_failures++;
  }
  return GST_PAD_PROBE_OK;
}

static int
forkprobe (void)
{
  GstElement *p, *busy, *sink;
  GstPad *pad;
  gint i;

  /* Another thread keeps streaming while we fork: its locks get copied. */
  busy = start ("audiotestsrc num-buffers=20000 samplesperbuffer=64 "
      "! queue ! fakesink sync=false");
  p = parse ("audiotestsrc num-buffers=300 samplesperbuffer=64 ! queue "
      "! fakesink name=sink sync=false");
  sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, fork_probe, NULL, NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  if (gst_element_set_state (p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return 10;
  wait_eos (p);
  stop (p);
  wait_eos (busy);
  stop (busy);
  for (i = 0; i < 7; i++)
    gst_buffer_unref (gst_buffer_new_allocate (NULL, 4321, NULL));
  printf ("forks %d failures %d\n", forks, fork_failures);
  gst_deinit ();
  return fork_failures || forks != 4 ? 30 : 0;
}

/* stress */

#define N_PIPES 4
#define N_PUSHERS 8
#define N_CHURNERS 4

static gint64 deadline;
static GstElement *pipes[N_PIPES];
static GstBufferPool *pool;

static gpointer
pusher (gpointer data)
{
  gint idx = GPOINTER_TO_INT (data);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipes[idx % N_PIPES]),
      "src");
  guint n = 0;

  while (g_get_monotonic_time () < deadline) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, 64 + n % 512, NULL);
    GstFlowReturn ret;

    gst_buffer_ref (buf);
    gst_buffer_unref (buf);
    if (n % 7 == 0) {
      GstBufferList *list = gst_buffer_list_new ();

      gst_buffer_list_add (list, gst_buffer_copy_region (buf,
              GST_BUFFER_COPY_ALL, 0, 16));
      gst_buffer_list_add (list, gst_buffer_copy_deep (buf));
      gst_buffer_list_add (list, buf);
      ret = gst_app_src_push_buffer_list (GST_APP_SRC (src), list);
    } else {
      ret = gst_app_src_push_buffer (GST_APP_SRC (src), buf);
    }
    if (ret != GST_FLOW_OK) {
      fprintf (stderr, "app: push failed: %s\n", gst_flow_get_name (ret));
      exit (21);
    }
    /* Bursts, and about 1000 buffers a second a thread: enough to
     * contend, and a trace that finishes in seconds. */
    if (++n % 16 == 0)
      g_usleep (16000);
  }
  gst_object_unref (src);
  return NULL;
}

static gpointer
churner (gpointer data)
{
  guint n = 0;

  while (g_get_monotonic_time () < deadline) {
    GstBuffer *a = NULL, *b;
    GstCaps *caps;
    GstEvent *ev;

    if (gst_buffer_pool_acquire_buffer (pool, &a, NULL) != GST_FLOW_OK) {
      fprintf (stderr, "app: acquire failed\n");
      exit (22);
    }
    b = gst_buffer_new_allocate (NULL, 128, NULL);
    gst_buffer_append_memory (b, gst_memory_ref (gst_buffer_peek_memory (a,
                0)));
    gst_buffer_ref (b);
    caps = gst_caps_new_simple ("video/x-raw", "width", G_TYPE_INT, n, NULL);
    ev = gst_event_new_caps (caps);
    gst_caps_unref (caps);
    gst_event_unref (ev);
    gst_buffer_unref (b);
    gst_buffer_unref (a);
    gst_buffer_unref (b);
    if (++n % 16 == 0)
      g_usleep (16000);
  }
  return NULL;
}

static int
stress (gint seconds)
{
  GThread *threads[N_PUSHERS + N_CHURNERS];
  GstStructure *config;
  gint i;

  gst_init (NULL, NULL);
  deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  /* Fewer buffers than churners: some wait for one. */
  gst_buffer_pool_config_set_params (config, NULL, 256, 2, 3);
  if (!gst_buffer_pool_set_config (pool, config)
      || !gst_buffer_pool_set_active (pool, TRUE))
    return 23;
  for (i = 0; i < N_PIPES; i++)
    pipes[i] = start ("appsrc name=src block=true max-bytes=32768 "
        "! queue max-size-buffers=64 ! tee name=t "
        "t. ! queue ! fakesink sync=false t. ! fakesink sync=false");
  for (i = 0; i < N_PUSHERS; i++)
    threads[i] = g_thread_new ("pusher", pusher, GINT_TO_POINTER (i));
  for (i = 0; i < N_CHURNERS; i++)
    threads[N_PUSHERS + i] = g_thread_new ("churner", churner, NULL);
  for (i = 0; i < N_PUSHERS + N_CHURNERS; i++)
    g_thread_join (threads[i]);
  for (i = 0; i < N_PIPES; i++) {
    GstElement *src = gst_bin_get_by_name (GST_BIN (pipes[i]), "src");

    gst_app_src_end_of_stream (GST_APP_SRC (src));
    gst_object_unref (src);
    wait_eos (pipes[i]);
    stop (pipes[i]);
  }
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_deinit ();
  return 0;
}

/* hostile */

static GstSample *kept_sample;
static GstElement *kept_sink;

static int
hostile (gint len)
{
  static const gchar piece[] = "\x1b[31m<script>alert(1)</script>&\"'`|*_"
      "[x](javascript:y)\x07\r\x1b]0;pwned\x07";
  GString *name = g_string_new (NULL);
  GstElement *p, *src, *sink;
  GstSample *s;

  while (name->len < (gsize) len)
    g_string_append (name, piece);
  g_string_truncate (name, len);
  p = gst_pipeline_new ("p");
  src = gst_element_factory_make ("audiotestsrc", "src");
  sink = gst_element_factory_make ("appsink", name->str);
  if (!src || !sink)
    return 20;
  g_object_set (src, "num-buffers", 3, "samplesperbuffer", 64, NULL);
  gst_bin_add_many (GST_BIN (p), src, sink, NULL);
  if (!gst_element_link (src, sink))
    return 21;
  kept_sink = gst_object_ref (sink);    /* leaked */
  gst_element_set_state (p, GST_STATE_PLAYING);
  kept_sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));   /* leaked */
  if (!kept_sample)
    return 22;
  while ((s = gst_app_sink_pull_sample (GST_APP_SINK (sink))))
    gst_sample_unref (s);
  stop (p);
  g_string_free (name, TRUE);
  gst_deinit ();
  return 0;
}

/* A NULL write the compiler cannot see (nor UBSan turn into an abort). */
static int *volatile nowhere;

__attribute__ ((noinline, no_sanitize_undefined))
static void
crash_segv (void)
{
  *nowhere = 1;
}

int
main (int argc, char **argv)
{
  const gchar *mode = argc > 1 ? argv[1] : "run";
  gint n = argc > 2 ? atoi (argv[2]) : 0;

  if (!strcmp (mode, "stress"))
    return stress (n);
  gst_init (NULL, NULL);
  if (!strcmp (mode, "busy"))
    return batches (-1, n);
  if (!strcmp (mode, "segv") || !strcmp (mode, "abort")) {
    batches (n, 150);
    if (!strcmp (mode, "abort"))
      abort ();
    crash_segv ();
    return 40;
  }
  if (!strcmp (mode, "echo")) {
    printf ("%s\n", argc > 2 ? argv[2] : "");
    gst_buffer_unref (gst_buffer_new ());
    gst_deinit ();
    return 0;
  }
  if (!strcmp (mode, "forkprobe"))
    return forkprobe ();
  if (!strcmp (mode, "hostile"))
    return hostile (n);
  if (!strcmp (mode, "run")) {
    gchar *desc = g_strdup_printf ("audiotestsrc num-buffers=%d "
        "samplesperbuffer=64 ! queue ! fakesink sync=false", n ? n : 3000);
    GstElement *p = start (desc);

    g_free (desc);

    wait_eos (p);
    stop (p);
    gst_deinit ();
    return 0;
  }
  fprintf (stderr, "app: unknown mode %s\n", mode);
  return 2;
}
"""


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok    %s" % name)
    else:
        failed += 1
        print("FAIL  %s%s" % (name, (": " + str(detail)[:2000]) if detail
                              else ""))
    sys.stdout.flush()
    return ok


def skip(name, reason):
    print("skip  %s: %s" % (name, reason))
    sys.stdout.flush()


# Children

def child_env(params=None, **extra):
    env = dict(os.environ)
    for v in ("GST_TRACERS", "GST_DEBUG", "GST_DEBUG_FILE",
              "GST_MEMTRACE_NOTIFY", "G_DEBUG", "GST_PLUGIN_PATH_1_0",
              "GST_REGISTRY_1_0", "NO_COLOR", "LD_PRELOAD"):
        env.pop(v, None)
    env["GST_PLUGIN_PATH"] = PLUGIN_DIR
    env["GST_REGISTRY"] = REGISTRY
    # Warmed once in setup(): nobody rescans or rewrites it (under a file
    # size limit, GStreamer's own registry write would meet SIGXFSZ).
    env["GST_REGISTRY_UPDATE"] = "no"
    env["LC_ALL"] = "C.UTF-8"
    if params is not None:
        env["GST_TRACERS"] = "memtrace(%s)" % params
    env.update(extra)
    return env


def no_core():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(argv, env=None, timeout=60, cwd=None, preexec=None):
    """(status, stdout, stderr): status is the exit code, -N for signal N,
    or None when it hung (then its process group is killed)."""
    def pre():
        no_core()
        if preexec:
            preexec()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env if env is not None else child_env(),
                         cwd=cwd or work, preexec_fn=pre,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout * SLOW)
        status = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        status = None
    return (status, out.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"))


def tool(*args, timeout=60):
    return run([CLI] + list(args), env=child_env(), timeout=timeout)


def warnings(err):
    return [l for l in err.splitlines() if "memtrace" in l]


def describe(status):
    if status is None:
        return "hung (killed after the timeout)"
    if status < 0:
        return "killed by %s" % signal.Signals(-status).name
    return "exit %d" % status


def answered(status, err, ok=(0, 2)):
    """None if a command answered properly: an allowed exit code, and for
    an error one line on stderr starting with gst-memtrace:; otherwise
    what was wrong."""
    lines = [l for l in err.splitlines() if l.strip()]
    if status is None or status < 0 or status not in ok:
        return "%s: %s" % (describe(status), err[-300:])
    if status == 2 and (len(lines) != 1
                        or not lines[0].startswith("gst-memtrace: ")):
        return "exit 2 with %d lines on stderr: %r" % (len(lines), err[-300:])
    return None


# Traces

def db(path):
    return sqlite3.connect(path, timeout=30)


def q1(path, sql, *args):
    c = db(path)
    try:
        row = c.execute(sql, args).fetchone()
        return row[0] if row else None
    finally:
        c.close()


def meta(path, key):
    return q1(path, "SELECT value FROM meta WHERE key = ?", key)


def report_json(trace):
    status, out, err = tool("report", "--format", "json", trace)
    if status != 0:
        return None, "report: %s: %s" % (describe(status), err[-300:])
    try:
        return json.loads(out), None
    except ValueError as e:
        return None, "report: not JSON: %s" % e


def batch_missing(trace, batches):
    """The printed batches whose BATCH buffers the trace does not hold."""
    c = db(trace)
    try:
        return [b for b in batches if c.execute(
            "SELECT count(*) FROM memories WHERE size = ?",
            (5000 + b,)).fetchone()[0] != BATCH]
    finally:
        c.close()


def mount(*args):
    if os.geteuid() != 0:
        return "not root"
    p = subprocess.run(["mount"] + list(args), capture_output=True, text=True)
    return None if p.returncode == 0 else (p.stderr.strip()
                                           or "mount failed")


def umount(path):
    subprocess.run(["umount", path], capture_output=True)


def setup():
    global APP, REGISTRY
    if not check("gst-memtrace built", os.access(CLI, os.X_OK), CLI):
        return False
    src = os.path.join(work, "faults-app.c")
    with open(src, "w") as f:
        f.write(APP_SOURCE)
    APP = os.path.join(work, "faults-app")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs",
                            "gstreamer-1.0", "gstreamer-app-1.0"],
                           capture_output=True, text=True).stdout.split()
    san = ["-fsanitize=" + SANITIZE] if SANITIZE not in ("", "none") else []
    p = subprocess.run(["gcc", "-O1", "-g", "-o", APP, src] + san + flags,
                       capture_output=True, text=True)
    if not check("build the fault app", p.returncode == 0, p.stderr[-1000:]):
        return False
    # A private registry, warmed before any limit applies; readable by
    # the nobody user of the unwritable-directory check.
    REGISTRY = os.path.join(work, "registry.bin")
    env = child_env()
    del env["GST_REGISTRY_UPDATE"]
    if PRELOAD:
        env["LD_PRELOAD"] = PRELOAD
    status, out, err = run(["gst-inspect-1.0", "memtrace"], env=env,
                           timeout=120)
    if not check("registry warmed with the memtrace plugin",
                 status == 0 and "memtrace" in out, err[-500:]):
        return False
    os.chmod(REGISTRY, 0o644)
    return True


def fresh_dir(name):
    d = os.path.join(work, name)
    os.mkdir(d)
    return d


# 1. SIGKILL

BATCH = 10


def test_sigkill():
    d = fresh_dir("kill")
    n, verified, problems = 20, 0, []
    for i in range(n):
        trace = os.path.join(d, "kill-%d.trace" % i)
        p = subprocess.Popen([APP, "busy", "150"], cwd=d,
                             env=child_env("output=%s,flush-interval=20"
                                           % trace),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=no_core, start_new_session=True)
        # The tracer makes the file in gst_init(): from then on, a random
        # moment 100 to 400 ms later.
        t0 = time.monotonic()
        while (not os.path.exists(trace) and p.poll() is None
               and time.monotonic() - t0 < 30 * SLOW):
            time.sleep(0.002)
        time.sleep(random.uniform(0.1, 0.4))
        os.kill(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        out, err = out.decode(errors="replace"), err.decode(errors="replace")
        batches = [int(l.split()[1]) for l in out.splitlines()
                   if l.startswith("batch ")]
        what = "kill %d (after %d batches)" % (i, len(batches))
        if p.returncode != -signal.SIGKILL:
            problems.append("%s: app %s: %s" % (what, describe(p.returncode),
                                                err[-300:]))
            continue
        if warnings(err):
            problems.append("%s: warnings: %s" % (what, err[-300:]))
        status, info, err = tool("info", trace)
        if status != 0 or "INCOMPLETE" not in info:
            problems.append("%s: info %s: %s%s" % (what, describe(status),
                                                   info[:300], err[-300:]))
            continue
        j, why = report_json(trace)
        if not j:
            problems.append("%s: %s" % (what, why))
            continue
        if j["trace"]["complete"] is not False:
            problems.append("%s: complete is %r" % (what,
                                                    j["trace"]["complete"]))
        if not j["summary"]["objects_created"] > 0:
            problems.append("%s: no objects" % what)
        missing = batch_missing(trace, batches)
        if missing:
            problems.append("%s: batches printed but not in the trace: %s"
                            % (what, missing))
        verified += len(batches)
    check("SIGKILL at a random moment, %d times: every trace opens, says "
          "it is incomplete, holds objects and each of the %d batches the "
          "app had made 150 ms before it printed them" % (n, verified),
          not problems, "\n      ".join(problems))


# 2. Crashes

def test_crash():
    d = fresh_dir("crash")
    # Under ASan, its SEGV handler would turn the crash into an abort.
    extra = {}
    if "ASAN_OPTIONS" in os.environ:
        extra["ASAN_OPTIONS"] = os.environ["ASAN_OPTIONS"] + ":handle_segv=0"
    for mode, sig in (("segv", signal.SIGSEGV), ("abort", signal.SIGABRT)):
        status, _, err = run([APP, mode, "3"], env=child_env(**extra), cwd=d)
        check("%s without the tracer: %s" % (mode, sig.name),
              status == -sig, describe(status))
        trace = os.path.join(d, mode + ".trace")
        status, out, err = run([APP, mode, "3"], cwd=d,
                               env=child_env("output=%s,flush-interval=20"
                                             % trace, **extra))
        check("%s under the tracer: still %s, no warning" % (mode, sig.name),
              status == -sig and not warnings(err),
              "%s: %s" % (describe(status), err[-300:]))
        batches = [int(l.split()[1]) for l in out.splitlines()
                   if l.startswith("batch ")]
        st, info, err = tool("info", trace)
        check("%s: the trace opens and says it is incomplete" % mode,
              st == 0 and "INCOMPLETE" in info, describe(st) + err)
        if st == 0:
            check("%s: it holds every batch made before the crash" % mode,
                  batches == [0, 1, 2] and not batch_missing(trace, batches),
                  "printed %s, missing %s" % (batches,
                                              batch_missing(trace, batches)))
        # `run` exits as the program did: 128 + the signal.
        trace = os.path.join(d, mode + "-run.trace")
        status, out, err = run([CLI, "run", "-o", trace, "--params",
                                "flush-interval=20", "--", APP, mode, "1"],
                               cwd=d, env=child_env(**extra))
        check("%s under gst-memtrace run: exit %d" % (mode, 128 + sig),
              status == 128 + sig, "%s: %s" % (describe(status), err[-300:]))
        j, why = report_json(trace)
        check("%s under run: the trace opens, incomplete" % mode,
              j is not None and j["trace"]["complete"] is False
              and j["summary"]["objects_created"] > 0, why)


# 3. Full disk

def check_write_error(name, trace):
    st, info, err = tool("info", trace)
    check("%s: the trace opens and shows the write error" % name,
          st == 0 and "Write error:" in info, describe(st) + err + info[:500])
    j, why = report_json(trace)
    check("%s: complete, ended at deinit, dropped_events > 0" % name,
          j is not None and j["trace"]["complete"] is True
          and j["trace"]["end_reason"] == "deinit"
          and j["trace"]["dropped_events"] > 0,
          why or json.dumps(j and j["trace"]))
    if j:
        check("%s: meta write_error says why" % name,
              bool(meta(trace, "write_error")), meta(trace, "write_error"))


def test_file_size_limit():
    d = fresh_dir("fsize")
    limit = 1 << 20
    trace = os.path.join(d, "fsize.trace")

    def fsize():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    status, _, err = run([APP, "run", "100000"], cwd=d, preexec=fsize,
                         env=child_env("output=%s,flush-interval=20" % trace))
    w = warnings(err)
    check("RLIMIT_FSIZE 1 MiB: the app exits 0 (no SIGXFSZ), one warning",
          status == 0 and len(w) == 1 and "cannot write" in w[0],
          "%s: %s" % (describe(status), err[-500:]))
    check("RLIMIT_FSIZE: the trace stays within the limit",
          os.path.getsize(trace) <= limit, os.path.getsize(trace))
    check_write_error("RLIMIT_FSIZE", trace)


def fill_tmpfs(name, size, buffers, flush_ms):
    """Runs the app with its trace on a tmpfs of `size`; returns the mount
    point, the trace and the run's (status, stdout, stderr), or None when no
    tmpfs can be mounted.  The caller unmounts it."""
    d = fresh_dir(name)
    why = mount("-t", "tmpfs", "-o", "size=" + size, "tmpfs", d)
    if why:
        skip("full disk on a %s tmpfs" % size, "cannot mount one (%s)" % why)
        return None
    trace = os.path.join(d, "full.trace")
    result = run([APP, "run", str(buffers)], cwd=work,
                 env=child_env("output=%s,flush-interval=%d"
                               % (trace, flush_ms)))
    return d, trace, result


def test_full_tmpfs():
    filled = fill_tmpfs("tmpfs", "512k", 100000, 20)
    if not filled:
        return
    d, trace, (status, _, err) = filled
    try:
        w = warnings(err)
        check("full 512 KiB tmpfs: the app exits 0, one warning",
              status == 0 and len(w) == 1 and "cannot write" in w[0],
              "%s: %s" % (describe(status), err[-500:]))
        # Still full: the trace cannot be finished there; a clear error.
        status, out, err = tool("info", trace)
        check("full tmpfs: info on the full disk answers (%s)"
              % (err.strip() or "exit 0"), answered(status, err) is None,
              answered(status, err))
        # Room again: the trace opens and says what was lost.
        why = mount("-o", "remount,size=64m", d)
        if check("full tmpfs: remount it bigger", why is None, why):
            check_write_error("full tmpfs", trace)
    finally:
        umount(d)


def test_full_tmpfs_sizes():
    """The disk can fill at any point of a commit or a checkpoint: a trace
    that exists must say in its end rows what was lost (they have room
    kept); a disk too small for a trace and that room gives one warning and
    no trace."""
    traced = 0
    for size in ("160k", "256k", "384k", "640k", "900k"):
        filled = fill_tmpfs("tmpfs-" + size, size, 30000, 5)
        if not filled:
            return
        d, trace, (status, _, err) = filled
        try:
            w = warnings(err)
            check("full %s tmpfs: the app exits 0, one warning" % size,
                  status == 0 and len(w) == 1 and "cannot write" in w[0],
                  "%s: %s" % (describe(status), err[-500:]))
            why = mount("-o", "remount,size=64m", d)
            if not check("full %s tmpfs: remount it bigger" % size,
                         why is None, why):
                continue
            if not os.path.exists(trace):
                check("full %s tmpfs: no trace, and the warning says the app "
                      "runs untraced" % size, "untraced" in err, err[-500:])
                continue
            traced += 1
            check("full %s tmpfs: meta write_error says why" % size,
                  bool(meta(trace, "write_error")),
                  meta(trace, "write_error"))
        finally:
            umount(d)
    check("full tmpfs: the three larger disks held a trace", traced >= 3,
          traced)


# 4. Unwritable directories, symlinks

def check_untraced(name, d, params, preexec=None, expect="cannot create"):
    status, _, err = run([APP, "run", "300"], cwd=d, preexec=preexec,
                         env=child_env(params))
    w = warnings(err)
    check("%s: the app runs (exit 0), one warning" % name,
          status == 0 and len(w) == 1 and expect in w[0],
          "%s: %s" % (describe(status), err[-500:]))


def test_unwritable():
    d = fresh_dir("ro")
    why = mount("-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", d)
    if why:
        skip("read-only directory (a read-only tmpfs)", why)
    else:
        try:
            check_untraced("read-only tmpfs", work,
                           "output=%s/x.trace" % d)
            check("read-only tmpfs: nothing created", not os.listdir(d),
                  os.listdir(d))
        finally:
            umount(d)
    d = fresh_dir("r-x")
    os.chmod(d, 0o555)
    if os.geteuid() == 0:
        # Root ignores the mode: the app runs as nobody.
        os.chmod(work, 0o755)

        def nobody():
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
        check_untraced("directory 0555, app run as nobody", d,
                       "output=%s/x.trace" % d, preexec=nobody)
    else:
        check_untraced("directory 0555", d, "output=%s/x.trace" % d)
    check("directory 0555: nothing created", not os.listdir(d), os.listdir(d))
    check_untraced("output under /proc", work,
                   "output=/proc/self/no-such/x.trace")


def sha(path):
    with open(path, "rb") as f:
        return hash(f.read())


def test_symlinks():
    d = fresh_dir("links")
    real = os.path.join(d, "real")
    os.mkdir(real)
    os.symlink(real, os.path.join(d, "linkdir"))
    status, _, err = run([APP, "run", "300"], cwd=d,
                         env=child_env("output=linkdir/x.trace"))
    check("through a directory symlink: traced, no warning",
          status == 0 and not warnings(err)
          and os.path.isfile(os.path.join(real, "x.trace")),
          "%s: %s %s" % (describe(status), err[-300:], os.listdir(real)))

    # A final symlink is never followed: the next suffix instead.
    target = os.path.join(d, "target.txt")
    with open(target, "w") as f:
        f.write("not a trace\n")
    before = sha(target)
    link = os.path.join(d, "link.trace")
    os.symlink(target, link)
    status, _, err = run([APP, "run", "300"], cwd=d,
                         env=child_env("output=%s" % link))
    alt = os.path.join(d, "link.1.trace")
    check("final symlink to a file: not followed, link.1.trace instead",
          status == 0 and len(warnings(err)) <= 1 and sha(target) == before
          and os.path.islink(link) and os.path.isfile(alt)
          and not os.path.islink(alt),
          "%s: %s %s" % (describe(status), err[-300:], os.listdir(d)))
    dangling = os.path.join(d, "dangling.trace")
    os.symlink(os.path.join(d, "created-through-link"), dangling)
    status, _, err = run([APP, "run", "300"], cwd=d,
                         env=child_env("output=%s" % dangling))
    check("dangling final symlink: its target is never created",
          status == 0 and not os.path.exists(os.path.join(
              d, "created-through-link"))
          and os.path.isfile(os.path.join(d, "dangling.1.trace")),
          "%s: %s %s" % (describe(status), err[-300:], os.listdir(d)))
    # A symlinked WAL would let SQLite write through it: a suffix too.
    os.symlink(os.path.join(d, "wal-target"), os.path.join(d, "w.trace-wal"))
    status, _, err = run([APP, "run", "300"], cwd=d,
                         env=child_env("output=%s/w.trace" % d))
    check("symlinked -wal beside the output: a suffix, the link's target "
          "never created",
          status == 0 and not os.path.exists(os.path.join(d, "wal-target"))
          and not os.path.exists(os.path.join(d, "w.trace"))
          and os.path.isfile(os.path.join(d, "w.1.trace")),
          "%s: %s %s" % (describe(status), err[-300:], os.listdir(d)))


# 5. fork from a streaming thread

def test_fork_in_probe():
    d = fresh_dir("fork")
    trace = os.path.join(d, "fork.trace")
    status, out, err = run([APP, "forkprobe"], cwd=d, timeout=120,
                           env=child_env("output=%s,flush-interval=20"
                                         % trace))
    check("fork from a pad probe (4 children: _exit, exit, exec /bin/true, "
          "exec a GStreamer program): no deadlock, all exit 0",
          status == 0 and "forks 4 failures 0" in out,
          "%s: %s %s" % (describe(status), out, err[-500:]))
    check("fork: only the parent's trace in the directory",
          os.listdir(d) == ["fork.trace"], os.listdir(d))
    j, why = report_json(trace)
    check("fork: the parent's trace is intact (complete, nothing dropped, "
          "nothing damaged)",
          j is not None and j["trace"]["complete"] is True
          and j["trace"]["end_reason"] == "deinit"
          and j["trace"]["dropped_events"] == 0
          and meta(trace, "corrupt_blocks") in ("0", 0), why)
    if j:
        c = db(trace)
        child = c.execute("SELECT count(*) FROM memories WHERE size = 5151"
                          ).fetchone()[0]
        parent = c.execute("SELECT count(*) FROM memories WHERE size = 4321"
                           ).fetchone()[0]
        c.close()
        check("fork: none of the children's 6000 buffers in it, all 7 of "
              "the parent's made after", child == 0 and parent == 7,
              "child %d parent %d" % (child, parent))


# 6. Stress

def balance(trace):
    """Per type: (name, created, destroyed, alive)."""
    c = db(trace)
    try:
        return c.execute(
            "SELECT t.name, count(*), count(o.destroyed), "
            "  (SELECT count(*) FROM alive a JOIN objects o2 ON o2.id = a.obj "
            "   WHERE o2.type = t.id), "
            "  (SELECT count(*) FROM alive a JOIN objects o3 ON o3.id = a.obj "
            "   WHERE o3.type = t.id AND o3.destroyed IS NOT NULL) "
            "FROM objects o JOIN types t ON t.id = o.type "
            "GROUP BY t.id ORDER BY t.name").fetchall()
    finally:
        c.close()


def test_stress():
    d = fresh_dir("stress")
    seconds = 60 if LONG else 10
    trace = os.path.join(d, "stress.trace")
    t0 = time.monotonic()
    status, out, err = run([APP, "stress", str(seconds)], cwd=d,
                           timeout=seconds + 120,
                           env=child_env("output=%s" % trace))
    took = time.monotonic() - t0
    if not check("stress: 4 pipelines, 8 pushers, 4 churners on a pool for "
                 "%d s: no crash, no deadlock, exit 0 (%.1f s)"
                 % (seconds, took), status == 0 and not warnings(err),
                 "%s: %s" % (describe(status), err[-500:])):
        return
    status, info, err = tool("info", trace, timeout=300)
    check("stress: the trace opens", status == 0, err)
    j, why = report_json(trace)
    if not check("stress: complete, ended at deinit, nothing dropped, "
                 "nothing damaged",
                 j is not None and j["trace"]["complete"] is True
                 and j["trace"]["dropped_events"] == 0
                 and meta(trace, "corrupt_blocks") in ("0", 0), why):
        return
    rows = balance(trace)
    bad = [r for r in rows if r[1] != r[2] + r[3] or r[4]]
    buffers = [r[1] for r in rows if r[0] == "GstBuffer"]
    check("stress: per type, created = destroyed + alive exactly "
          "(%d types, %d buffers)" % (len(rows), buffers[0] if buffers
                                      else 0),
          rows and not bad and buffers and buffers[0] > 10000,
          "type, created, destroyed, alive, both: %s" % bad)
    nthreads = q1(trace, "SELECT count(*) FROM threads")
    check("stress: 12 or more threads recorded", nthreads >= 13, nthreads)

    # drop-when-full: what is lost is counted, never more.
    trace = os.path.join(d, "drop.trace")
    status, out, err = run([APP, "stress", "3"], cwd=d, timeout=120,
                           env=child_env("output=%s,drop-when-full=true"
                                         % trace))
    j, why = report_json(trace) if status == 0 else (None, describe(status))
    if check("stress with drop-when-full: exit 0, the trace opens",
             j is not None, why or err):
        rows = balance(trace)
        dropped = j["trace"]["dropped_events"]
        gap = sum(r[1] - r[2] - r[3] for r in rows)
        check("drop-when-full: per type created >= destroyed + alive, and "
              "all types together created <= destroyed + alive + dropped "
              "(%d dropped)" % dropped,
              all(r[1] >= r[2] + r[3] and not r[4] for r in rows)
              and gap <= dropped, "gap %d: %s" % (gap, rows))
        if dropped == 0:
            check("drop-when-full, nothing dropped: balanced exactly",
                  all(r[1] == r[2] + r[3] for r in rows), rows)


# 7. Hostile input to the tools

COMMANDS = (("info",), ("report", "--format", "json"), ("report",))


def ask_all(path, commands=COMMANDS):
    """What went wrong when each command read path (copied fresh for each,
    since opening finishes a trace): a list, empty when all answered."""
    problems = []
    for cmd in commands:
        copy = path + ".try"
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(copy + suffix):
                os.unlink(copy + suffix)
        if os.path.isfile(path):
            shutil.copyfile(path, copy)
            if os.path.exists(path + "-wal"):
                shutil.copyfile(path + "-wal", copy + "-wal")
        else:
            copy = path
        status, out, err = tool(*(cmd + (copy,)), timeout=60)
        why = answered(status, err)
        if why:
            problems.append("%s %s: %s" % (" ".join(cmd),
                                            os.path.basename(path), why))
    return problems


def record_plain(d, name, n="3000", checkpoint=True):
    trace = os.path.join(d, name + ".trace")
    status, _, err = run([APP, "run", n], cwd=d,
                         env=child_env("output=%s" % trace))
    if not check("record %s" % name, status == 0 and os.path.exists(trace),
                 describe(status) + err[-300:]):
        return None
    return trace


def test_bad_default_suppressions():
    """run still says where the trace went when the leaks cannot be counted
    (here: a broken suppression file installed beside gst-memtrace)."""
    d = fresh_dir("badsupp")
    os.makedirs(os.path.join(d, "bin"))
    os.makedirs(os.path.join(d, "data"))
    cli = os.path.join(d, "bin", "gst-memtrace")
    shutil.copy2(CLI, cli)
    with open(os.path.join(d, "data", "gstreamer.supp"), "w") as f:
        f.write("not a rule\n")
    trace = os.path.join(d, "app.trace")
    env = child_env()
    if PRELOAD:
        env["LD_PRELOAD"] = PRELOAD     # gst-launch-1.0 is not instrumented
    st, _, err = run([cli, "run", "-o", trace, "--", "gst-launch-1.0", "-q",
                      "fakesrc", "num-buffers=3", "!", "fakesink"],
                     env=env, timeout=60 * SLOW)
    check("bad default suppressions: run exits with the program's status",
          st == 0, err)
    check("bad default suppressions: the file and line are named",
          "gstreamer.supp:1: bad suppression 'not a rule'" in err, err)
    check("bad default suppressions: where the trace went, without leaks",
          ("trace written to %s: " % trace) in err
          and "still alive at the end\n" in err and "leaked in" not in err
          and os.path.exists(trace), err)


def test_not_traces():
    d = fresh_dir("junk")
    cases = {}

    def add(name, data):
        p = os.path.join(d, name)
        with open(p, "wb") as f:
            f.write(data)
        cases[name] = p
    rnd = random.Random(SEED)
    add("empty", b"")
    add("text", b"hello, world\n" * 100)
    add("random", bytes(rnd.getrandbits(8) for _ in range(65536)))
    add("sqlite-header-only", b"SQLite format 3\0")
    add("sqlite-header-garbage", b"SQLite format 3\0"
        + bytes(rnd.getrandbits(8) for _ in range(8192)))
    other = os.path.join(d, "other-sqlite")
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    cases["other-sqlite"] = other
    foreign = os.path.join(d, "foreign-meta")
    c = sqlite3.connect(foreign)
    c.execute("CREATE TABLE meta (key, value)")
    c.execute("INSERT INTO meta VALUES ('format', 'not-ours'), "
              "('format_version', 1)")
    c.commit()
    c.close()
    cases["foreign-meta"] = foreign
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    cases["fifo"] = fifo
    cases["directory"] = d
    cases["missing"] = os.path.join(d, "no-such-file")
    cases["/dev/zero"] = "/dev/zero"
    problems, codes = [], set()
    for name, path in cases.items():
        for cmd in COMMANDS:
            status, out, err = tool(*(cmd + (path,)), timeout=30)
            why = answered(status, err, ok=(2,))
            codes.add(status)
            if why:
                problems.append("%s on %s: %s" % (" ".join(cmd), name, why))
    check("not a trace (%s): info and report exit 2 with one line"
          % ", ".join(cases), not problems, "\n      ".join(problems))


def truncations(trace, label):
    size = os.path.getsize(trace)
    problems, n = [], 0
    cut = os.path.join(os.path.dirname(trace), "cut-" + label)
    with open(trace, "rb") as f:
        data = f.read()
    for k in range(0, size + 1, 4096):
        with open(cut, "wb") as f:
            f.write(data[:k])
        n += 1
        for p in ask_all(cut, COMMANDS[:2]):
            problems.append("at %d: %s" % (k, p))
    check("%s trace of %d KiB truncated at each of its %d 4 KiB boundaries: "
          "info and report answer" % (label, size // 1024, n),
          not problems, "\n      ".join(problems[:20]))


def tables(trace):
    return [r[0] for r in db(trace).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()]


def test_damaged():
    d = fresh_dir("damaged")
    raw = record_plain(d, "plain", "2000")
    if not raw:
        return
    # The raw trace as the tracer left it, and the same once finished.
    raw_copy = os.path.join(d, "raw.trace")
    shutil.copyfile(raw, raw_copy)
    status, _, err = tool("info", raw)
    if not check("finish the plain trace", status == 0, err):
        return
    truncations(raw_copy, "raw")
    truncations(raw, "finished")

    for label, src in (("raw", raw_copy), ("finished", raw)):
        problems, names = [], tables(src)
        for t in names:
            p = os.path.join(d, "drop-%s-%s" % (label, t))
            shutil.copyfile(src, p)
            c = sqlite3.connect(p)
            c.execute('DROP TABLE "%s"' % t)
            c.commit()
            c.close()
            problems += ask_all(p)
        check("%s trace with each of its %d tables dropped in turn: every "
              "command answers" % (label, len(names)), not problems,
              "\n      ".join(problems))

    # Newer, older, odd versions.
    for label, version, expect in (("newer", "2", "newer"),
                                   ("far newer", "999999999999", "newer"),
                                   ("zero", "0", "not a gst-memtrace"),
                                   ("text", "'x'", "not a gst-memtrace")):
        p = os.path.join(d, "version-%s" % label.replace(" ", "-"))
        shutil.copyfile(raw_copy, p)
        c = sqlite3.connect(p)
        c.execute("UPDATE meta SET value = %s WHERE key = 'format_version'"
                  % version)
        c.commit()
        c.close()
        status, out, err = tool("info", p)
        check("format_version %s: exit 2, one line saying %s"
              % (version, expect),
              answered(status, err, ok=(2,)) is None and expect in err,
              describe(status) + err)

    # Modules the symboliser must not open: a FIFO (open() would wait for
    # a writer forever), devices, a directory, a file that is not ELF.
    fifo = os.path.join(d, "module-fifo")
    os.mkfifo(fifo)
    junk = os.path.join(d, "module-junk.so")
    with open(junk, "wb") as f:
        f.write(b"\x7fELF" + b"\xff" * 4096)
    p = os.path.join(d, "modules-hostile")
    shutil.copyfile(raw_copy, p)
    c = sqlite3.connect(p)
    paths = [fifo, "/dev/zero", "/dev/stdin", d, junk, "", "x" * 5000]
    ids = [r[0] for r in c.execute("SELECT id FROM modules ORDER BY id")]
    for mid, path in zip(ids, paths):
        c.execute("UPDATE modules SET path = ?, build_id = ? WHERE id = ?",
                  (path, "00" if mid % 2 else None, mid))
    c.commit()
    c.close()
    problems = ask_all(p)
    check("modules pointing at a FIFO, /dev/zero, /dev/stdin, a directory, "
          "a broken ELF, '' and a 5000-byte name: every command answers",
          not problems, "\n      ".join(problems))

    # Blocks of random bytes, and lying event counts: the decoder.
    rnd = random.Random(SEED)
    problems = []
    for i in range(20):
        p = os.path.join(d, "blocks-%d" % i)
        shutil.copyfile(raw_copy, p)
        c = sqlite3.connect(p)
        ids = [r[0] for r in c.execute("SELECT id FROM blocks")]
        for bid in rnd.sample(ids, min(len(ids), 3)):
            (data,) = c.execute("SELECT data FROM blocks WHERE id = ?",
                                (bid,)).fetchone()
            data = bytearray(data)
            how = rnd.randrange(4)
            if how == 0:
                data = bytes(rnd.getrandbits(8) for _ in range(len(data)))
            elif how == 1:
                for _ in range(rnd.randrange(1, 50)):
                    data[rnd.randrange(len(data))] = rnd.getrandbits(8)
            elif how == 2:
                data = data[:rnd.randrange(len(data) + 1)]
            else:
                data = b"\xff" * rnd.randrange(1, 64)
            c.execute("UPDATE blocks SET data = ?, n_events = ? WHERE id = ?",
                      (bytes(data), rnd.choice([0, 1, 2 ** 31 - 1, -1,
                                                rnd.randrange(100000)]), bid))
        c.commit()
        c.close()
        problems += ask_all(p)
    check("20 traces with 3 blocks each of random, flipped, cut or 0xff "
          "bytes and lying event counts: every command answers",
          not problems, "\n      ".join(problems))


PIECE = ("\x1b[31m<script>alert(1)</script>&\"'`|*_[x](javascript:y)\x07\r"
         "\x1b]0;pwned\x07")


def json_strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from json_strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from json_strings(x)


HOSTILE_ARG = "\x1b[2J\x1b]0;title\x07<script>alert('arg')</script>"


def test_hostile_strings():
    d = fresh_dir("hostile")
    trace = os.path.join(d, "hostile.trace")
    status, _, err = run([APP, "hostile", "10240", HOSTILE_ARG], cwd=d,
                         env=child_env("output=%s" % trace))
    if not check("record an app whose appsink has a 10 KB name of escapes "
                 "and markup", status == 0, describe(status) + err[-300:]):
        return
    # And what a crafted file may hold in the strings the app cannot set.
    crafted = os.path.join(d, "crafted.trace")
    shutil.copyfile(trace, crafted)
    evil = "\x1b[31mEVIL\x1b[0m<script>alert('x')</script>\x9b2J\r"
    c = sqlite3.connect(crafted)
    c.execute("UPDATE meta SET value = ? WHERE key IN ('gstreamer_version', "
              "'command')", (evil,))
    c.execute("INSERT OR REPLACE INTO meta VALUES ('write_error', ?)",
              (evil,))
    c.execute("UPDATE types SET name = ? || name WHERE name = 'GstSample'",
              (evil,))
    c.commit()
    c.close()
    for label, t in (("recorded", trace), ("crafted", crafted)):
        status, out, err = tool("info", t)
        check("%s: info has no raw control character" % label,
              status == 0 and not any(ch in out for ch in "\x1b\x07\x9b\r"),
              describe(status) + err + repr([l for l in out.splitlines()
                                             if "\x1b" in l][:3])[:500])
        status, out, err = tool("report", t)
        check("%s: text report has no raw control character" % label,
              status == 0 and "<script>" in out
              and not any(ch in out for ch in "\x1b\x07\x9b\r"),
              describe(status) + err + repr([l for l in out.splitlines()
                                             if "\x1b" in l][:3])[:500])
        status, out, err = tool("report", "--format", "html", t)
        check("%s: html escapes the markup" % label,
              status == 0 and "<script>alert(" not in out
              and "&lt;script&gt;alert(" in out and "\x1b" not in out,
              describe(status) + err)
        status, out, err = tool("report", "--format", "markdown", t)
        check("%s: markdown escapes the markup" % label,
              status == 0 and "<script>alert(" not in out
              and "\x1b" not in out, describe(status) + err)
        status, out, err = tool("report", "--format", "junit", t)
        ok = status == 0 and "<script>alert(" not in out and "\x1b" not in out
        if ok:
            import xml.etree.ElementTree as ET
            try:
                ET.fromstring(out.encode())
            except ET.ParseError as e:
                ok, err = False, "not XML: %s" % e
        check("%s: junit is well-formed XML, escaped" % label, ok,
              describe(status) + err)
        status, out, err = tool("report", "--format", "json", t)
        ok = status == 0
        if ok:
            try:
                strings = list(json_strings(json.loads(out)))
                want = evil if label == "crafted" else PIECE + PIECE
                ok = any(want in v for v in strings)
                err = "the strings did not survive JSON"
            except ValueError as e:
                ok, err = False, "not JSON: %s" % e
        check("%s: json is valid and keeps the strings as they are" % label,
              ok, describe(status) + err)


# 8. Security

def test_security():
    d = fresh_dir("security")
    trace = os.path.join(d, "umask.trace")
    status, _, err = run([APP, "run", "100"], cwd=d,
                         preexec=lambda: os.umask(0),
                         env=child_env("output=%s" % trace))
    mode = stat.S_IMODE(os.stat(trace).st_mode) if os.path.exists(trace) \
        else None
    check("trace made with umask 0 has mode 0600", status == 0
          and mode == 0o600, "%s, mode %s" % (describe(status),
                                               mode and oct(mode)))
    # An existing file is never overwritten, nor its mode changed.
    old = os.path.join(d, "old.trace")
    with open(old, "w") as f:
        f.write("precious\n")
    os.chmod(old, 0o644)
    status, _, err = run([APP, "run", "100"], cwd=d,
                         env=child_env("output=%s" % old))
    with open(old) as f:
        kept = f.read() == "precious\n"
    check("an existing output is left alone (old.1.trace made instead)",
          status == 0 and kept
          and stat.S_IMODE(os.stat(old).st_mode) == 0o644
          and os.path.isfile(os.path.join(d, "old.1.trace")), os.listdir(d))

    # `run` and `check` never go through a shell.
    pwned = os.path.join(d, "pwned")
    arg = "x; touch %s; echo $HOME `id` $(id) | cat" % pwned
    for cmd in ("run", "check"):
        t = os.path.join(d, "exec-%s.trace" % cmd)
        opt = "-o" if cmd == "run" else "-t"
        status, out, err = run([CLI, cmd, opt, t, "--", APP, "echo", arg],
                               cwd=d)
        check("%s: the argument reaches the program as it is, no shell"
              % cmd, status == 0 and out.startswith(arg + "\n")
              and not os.path.exists(pwned),
              "%s: %r %s" % (describe(status), out, err[-300:]))
        status, out, err = run([CLI, cmd, opt, t + "2", "--",
                                "true; touch %s" % pwned], cwd=d)
        check("%s: a command with a ; in its name is not found, not run by "
              "a shell (%s)" % (cmd, describe(status)),
              status == (127 if cmd == "run" else 2)
              and not os.path.exists(pwned), describe(status) + err[-300:])
    # Values reach SQL bound, never pasted: a path with quotes, checkpoint
    # names that would be SQL if pasted.
    t = os.path.join(d, "it's a 'quoted' trace")
    status, _, err = run([CLI, "run", "-o", t, "--", APP, "run", "100"],
                         cwd=d)
    if check("record to a path with quotes and spaces", status == 0
             and os.path.isfile(t), describe(status) + err[-300:]):
        status, out, err = tool("report", "--from", "1' OR '1'='1", "--to",
                                "x'); DROP TABLE meta; --", t)
        check("checkpoint names that would be SQL stay values: a clear "
              "error, the trace intact (%s)" % err.strip(),
              answered(status, err, ok=(2,)) is None and "SQL" not in err
              and "syntax" not in err
              and q1(t, "SELECT count(*) FROM meta") > 0,
              describe(status) + err)


# 9. Under AddressSanitizer: the tools leak nothing

def test_tool_leaks():
    if "address" not in SANITIZE:
        skip("LeakSanitizer on the tools", "not an ASan build "
             "(meson setup -Db_sanitize=address,undefined)")
        return
    d = fresh_dir("lsan")
    opts = os.environ.get("ASAN_OPTIONS", "").replace("detect_leaks=0", "")
    env = child_env(ASAN_OPTIONS=opts + ":detect_leaks=1")
    env.pop("LD_PRELOAD", None)
    traces = []
    for name, argv in (("plain", [APP, "run", "500"]),
                       ("hostile", [APP, "hostile", "300", HOSTILE_ARG])):
        t = os.path.join(d, name + ".trace")
        status, _, err = run(argv, cwd=d, env=child_env("output=%s,"
                                                         "record-refs=true"
                                                         % t))
        if check("record %s" % name, status == 0, describe(status) + err):
            traces.append(t)
    if len(traces) < 2:
        return
    supp = os.path.join(d, "s.supp")
    with open(supp, "w") as f:
        f.write("leak:gst_app_sink\ntype:GstPad\n")
    runs = [["info", traces[0]], ["diff", traces[0], traces[1]],
            ["check", "-t", os.path.join(d, "check.trace"), "--", APP, "run",
             "100"]]
    for fmt in ("text", "json", "markdown", "junit", "sarif", "html",
                "folded"):
        runs.append(["report", "--format", fmt, "--suppressions", supp,
                     "--list-suppressed", traces[1]])
    problems = []
    for args in runs:
        status, out, err = run([CLI] + args, env=env, cwd=d, timeout=120)
        if "LeakSanitizer" in err or "ERROR: AddressSanitizer" in err \
                or "runtime error" in err or status is None or status < 0:
            problems.append("%s: %s: %s" % (" ".join(args[:3]),
                                            describe(status), err[-1500:]))
    check("LeakSanitizer on: info, diff, check and report in 7 formats leak "
          "nothing", not problems, "\n      ".join(problems))


def main():
    global work
    random.seed(SEED)
    print("seed %d (FAULTS_SEED=%d repeats it)" % (SEED, SEED))
    work = tempfile.mkdtemp(prefix="test-faults-")
    if not setup():
        return
    tests = [test_sigkill, test_crash, test_file_size_limit, test_full_tmpfs,
             test_full_tmpfs_sizes,
             test_unwritable, test_symlinks, test_fork_in_probe, test_stress,
             test_not_traces, test_damaged, test_hostile_strings,
             test_security, test_tool_leaks, test_bad_default_suppressions]
    only = os.environ.get("FAULTS_ONLY")
    for t in tests:
        if only and only not in t.__name__:
            continue
        t0 = time.monotonic()
        try:
            t()
        except Exception as e:      # a crash is a failure, with what it was
            import traceback
            traceback.print_exc()
            check("%s raised no exception" % t.__name__, False, repr(e))
        print("      (%s: %.1f s)" % (t.__name__, time.monotonic() - t0))


if __name__ == "__main__":
    t0 = time.monotonic()
    try:
        main()
    except Exception as e:
        import traceback
        traceback.print_exc()
        check("no exception", False, repr(e))
    print("%d passed, %d failed (%.0f s)" % (passed, failed,
                                             time.monotonic() - t0))
    if failed:
        print("kept %s" % work)
    elif work:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)
