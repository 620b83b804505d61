/* gst-memtrace run: a program with the memtrace tracer on.
 *
 * The program is executed directly (never through a shell) with
 * GST_TRACERS extended by memtrace(...) and the plugin made findable.  Each
 * process that records announces its trace file; once the program exits,
 * every trace is finished and summarised, and we exit as the program did. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "commands.h"
#include "memtrace-info.h"

typedef struct
{
  gchar *output;
  gint stack_depth;
  gboolean record_refs;
  gchar *extra;
} RunOptions;

/* The plugin built beside this binary wins over an installed one, so the
 * build tree works without installing. */
static gchar *
plugin_dir (void)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *dir = exe ? g_path_get_dirname (exe) : g_strdup (".");
  gchar *tracer = g_build_filename (dir, "..", "tracer", NULL);
  gchar *so = g_build_filename (tracer, "libgstmemtrace.so", NULL);
  gchar *found = g_file_test (so, G_FILE_TEST_EXISTS) ?
      g_canonicalize_filename (tracer, NULL) : NULL;

  g_free (so);
  g_free (tracer);
  g_free (dir);
  g_free (exe);
  return found;
}

static void
prepend_env_path (const gchar * var, const gchar * dir)
{
  const gchar *old = g_getenv (var);
  gchar *v = old && *old ? g_strconcat (dir, ":", old, NULL) : g_strdup (dir);

  g_setenv (var, v, TRUE);
  g_free (v);
}

static gboolean
tracer_params (const RunOptions * o, GString * p, GError ** error)
{
  if (o->output) {
    /* GStreamer 1.22.0 ends the parameters at the first ')'. */
    if (strpbrk (o->output, ")\";\\")) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "the output path may not contain ) \" ; or \\: %s", o->output);
      return FALSE;
    }
    g_string_append_printf (p, "output=\"%s\",", o->output);
  }
  if (o->stack_depth >= 0)
    g_string_append_printf (p, "stack-depth=%d,", o->stack_depth);
  if (o->record_refs)
    g_string_append (p, "record-refs=true,");
  if (o->extra && *o->extra)
    g_string_append_printf (p, "%s,", o->extra);
  if (p->len)
    g_string_truncate (p, p->len - 1);
  return TRUE;
}

static gboolean
set_environment (const RunOptions * o, const gchar * notify, GError ** error)
{
  GString *params = g_string_new (NULL);
  const gchar *old = g_getenv ("GST_TRACERS");
  gchar *dir = plugin_dir (), *tracers;

  if (!tracer_params (o, params, error)) {
    g_string_free (params, TRUE);
    g_free (dir);
    return FALSE;
  }
  tracers = g_strdup_printf ("%s%smemtrace(%s)", old && *old ? old : "",
      old && *old ? ";" : "", params->str);
  g_setenv ("GST_TRACERS", tracers, TRUE);
  g_setenv ("GST_MEMTRACE_NOTIFY", notify, TRUE);
  if (dir)
    prepend_env_path ("GST_PLUGIN_PATH", dir);
  g_free (tracers);
  g_free (dir);
  g_string_free (params, TRUE);
  return TRUE;
}

static pid_t child;

static void
forward_signal (int sig)
{
  if (child > 0)
    kill (child, sig);
}

static gint
run_child (gchar ** argv)
{
  gint status;

  child = fork ();
  if (child < 0) {
    g_printerr ("gst-memtrace: cannot fork: %s\n", g_strerror (errno));
    return 127;
  }
  if (child == 0) {
    execvp (argv[0], argv);
    g_printerr ("gst-memtrace: cannot run %s: %s\n", argv[0],
        g_strerror (errno));
    _exit (127);
  }
  signal (SIGTERM, forward_signal);
  signal (SIGHUP, forward_signal);
  /* The terminal sends ^C to the whole group: the program decides. */
  signal (SIGINT, SIG_IGN);
  while (waitpid (child, &status, 0) < 0 && errno == EINTR);
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return WEXITSTATUS (status);
}

static void
summarise (const gchar * path)
{
  GError *error = NULL;
  MemTraceTrace *t = memtrace_trace_open (path, &error);
  MemTraceInfo *info = t ? memtrace_info_load (t, &error) : NULL;
  gint64 objects = 0, alive = 0;
  guint i;

  if (!info) {
    g_printerr ("gst-memtrace: %s\n", error->message);
    g_clear_error (&error);
    memtrace_trace_close (t);
    return;
  }
  for (i = 0; i < info->types->len; i++) {
    objects += g_array_index (info->types, MemTraceTypeCount, i).created;
    alive += g_array_index (info->types, MemTraceTypeCount, i).alive;
  }
  g_printerr ("gst-memtrace: trace written to %s: %" G_GINT64_FORMAT
      " objects, %" G_GINT64_FORMAT " still alive at the end%s%s\n", path,
      objects, alive, info->complete ? "" : " (INCOMPLETE: the program was "
      "killed or crashed)", info->dropped_events ? " (events were dropped)" :
      "");
  g_printerr ("gst-memtrace: see: gst-memtrace info %s\n", path);
  memtrace_info_free (info);
  memtrace_trace_close (t);
}

static void
summarise_all (const gchar * notify)
{
  gchar *text = NULL, **lines;
  guint i;

  if (!g_file_get_contents (notify, &text, NULL, NULL) || !*text) {
    g_printerr ("gst-memtrace: no trace was recorded (did the program use "
        "GStreamer?)\n");
    g_free (text);
    return;
  }
  lines = g_strsplit (g_strstrip (text), "\n", -1);
  for (i = 0; lines[i]; i++)
    if (*lines[i])
      summarise (lines[i]);
  g_strfreev (lines);
  g_free (text);
}

static gint
run_traced (const RunOptions * o, gchar ** argv)
{
  GError *error = NULL;
  gchar *notify = NULL;
  gint fd = g_file_open_tmp ("gst-memtrace-XXXXXX", &notify, &error), ret;

  if (fd < 0)
    return memtrace_cmd_fail (error);
  close (fd);
  if (!set_environment (o, notify, &error)) {
    g_printerr ("gst-memtrace: %s\n", error->message);
    g_error_free (error);
    g_unlink (notify);
    g_free (notify);
    return MEMTRACE_EXIT_USAGE;
  }
  ret = run_child (argv);
  summarise_all (notify);
  g_unlink (notify);
  g_free (notify);
  return ret;
}

gint
memtrace_cmd_run (gint argc, gchar ** argv)
{
  RunOptions o = { NULL, -1, FALSE, NULL };
  GOptionEntry entries[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
        "Trace file (default gst-memtrace-PID.trace)", "FILE"},
    {"stack-depth", 0, 0, G_OPTION_ARG_INT, &o.stack_depth,
        "Frames per backtrace, 0 for none (default 32)", "N"},
    {"record-refs", 0, 0, G_OPTION_ARG_NONE, &o.record_refs,
        "Record every ref and unref with its backtrace", NULL},
    {"params", 0, 0, G_OPTION_ARG_STRING, &o.extra,
        "More tracer parameters, as in GST_TRACERS", "K=V,..."},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("[--] COMMAND [ARGS...] - run "
      "COMMAND with the memtrace tracer");
  gint ret = MEMTRACE_EXIT_USAGE;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_strict_posix (ctx, TRUE);
  if (!memtrace_cmd_parse (ctx, &argc, &argv))
    goto out;
  if (argc > 1 && !strcmp (argv[1], "--")) {
    argv++;
    argc--;
  }
  if (argc < 2)
    g_printerr ("gst-memtrace: run needs a command to run (see --help)\n");
  else if (o.stack_depth > 128)
    g_printerr ("gst-memtrace: --stack-depth takes 0 to 128\n");
  else
    ret = run_traced (&o, argv + 1);
out:
  g_free (o.output);
  g_free (o.extra);
  g_option_context_free (ctx);
  return ret;
}
