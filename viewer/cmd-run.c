/* gst-memtrace run: a program with the memtrace tracer on.
 *
 * Once the program exits, every trace it recorded is finished and
 * summarised, and we exit as the program did. */
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>
#include "commands.h"
#include "run-traced.h"
#include "memtrace-info.h"
#include "memtrace-summary.h"
#include "report-cli.h"
#include "view-launch.h"

/* The overview's numbers, computed now that the trace is finished, so that
 * the first view of it is instant; and the leaks, to say them here. */
static MemTraceSummary *
precompute (MemTraceTrace * t)
{
  GError *error = NULL;
  MemTraceSuppressions *s = memtrace_report_cli_load_suppressions (FALSE,
      NULL, &error);
  MemTraceSummary *sum = s ? memtrace_summary_compute (t, NULL,
      MEMTRACE_SUMMARY_VIEW_BINS, s, &error) : NULL;

  if (!sum) {
    g_printerr ("gst-memtrace: %s\n", error->message);
    g_clear_error (&error);
  }
  memtrace_suppressions_free (s);
  return sum;
}

static void
summarise (const gchar * path)
{
  GError *error = NULL;
  MemTraceTrace *t = memtrace_trace_open (path, &error);
  MemTraceInfo *info = t ? memtrace_info_load (t, &error) : NULL;
  MemTraceSummary *sum;
  gchar *leaks;

  if (!info) {
    g_printerr ("gst-memtrace: %s\n", error->message);
    g_clear_error (&error);
    memtrace_trace_close (t);
    return;
  }
  /* Where the trace went is said even if the leaks could not be counted. */
  if (!(sum = precompute (t))) {
    sum = memtrace_summary_new ();
    memtrace_summary_set_info (sum, info);
  }
  leaks = sum->has_leaks ? g_strdup_printf (", %" G_GINT64_FORMAT " leaked "
      "in %u group%s", sum->leaked_objects, sum->leak_groups,
      sum->leak_groups == 1 ? "" : "s") : g_strdup ("");
  g_printerr ("gst-memtrace: trace written to %s: %" G_GINT64_FORMAT
      " objects, %" G_GINT64_FORMAT " still alive at the end%s%s%s\n", path,
      sum->created, sum->alive, leaks, info->complete ? "" :
      " (INCOMPLETE: the program was killed or crashed)",
      info->dropped_events ? " (events were dropped)" : "");
  g_printerr ("gst-memtrace: see: gst-memtrace report %s\n", path);
  g_free (leaks);
  memtrace_summary_free (sum);
  memtrace_info_free (info);
  memtrace_trace_close (t);
}

static gint
run (const MemTraceRunOptions * o, gchar ** argv)
{
  GPtrArray *traces = g_ptr_array_new_with_free_func (g_free);
  gint ret = memtrace_run_traced (o, argv, traces);
  guint i;

  if (!traces->len)
    g_printerr ("gst-memtrace: no trace was recorded (did the program use "
        "GStreamer?)\n");
  for (i = 0; i < traces->len; i++)
    summarise (g_ptr_array_index (traces, i));
  g_ptr_array_unref (traces);
  return ret;
}

/* run --view: the trace file appears once the program has called
 * gst_init(); until then there is nothing to show. */
static gchar *
wait_for_trace (GPid pid, const gchar * notify, gint * status)
{
  gchar *path;
  gint st;

  while (!(path = memtrace_run_traced_first (notify)) && *status < 0) {
    if (waitpid (pid, &st, WNOHANG) == pid)
      *status = WIFSIGNALED (st) ? 128 + WTERMSIG (st) : WEXITSTATUS (st);
    else
      g_usleep (50000);
  }
  return path ? path : memtrace_run_traced_first (notify);
}

/* The program's output would write over the viewer: it goes to a file. */
static gint
open_log (const MemTraceRunOptions * o, gchar ** log)
{
  GError *error = NULL;
  gint fd;

  if (o->output) {
    *log = g_strconcat (o->output, ".log", NULL);
    fd = open (*log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  } else {
    fd = g_file_open_tmp ("gst-memtrace-run-XXXXXX.log", log, &error);
    g_clear_error (&error);
  }
  if (fd < 0)
    g_printerr ("gst-memtrace: cannot write %s: %s\n", *log ? *log :
        "a log file", g_strerror (errno));
  return fd;
}

static gint
run_view (const MemTraceRunOptions * o, gchar ** argv)
{
  ViewLaunchOptions vo = { NULL, };
  gchar *notify = NULL, *path, *log = NULL;
  gint status = -1, ret = MEMTRACE_EXIT_OK, fd;
  GPid pid;

  if (!view_launch_check_terminal (o->output))
    return MEMTRACE_EXIT_USAGE;
  if ((fd = open_log (o, &log)) < 0) {
    g_free (log);
    return MEMTRACE_EXIT_ERROR;
  }
  pid = memtrace_run_traced_start (o, argv, fd, &notify);
  close (fd);
  if (pid < 0) {
    g_free (log);
    return 127;
  }
  if ((path = wait_for_trace (pid, notify, &status)))
    ret = view_launch (&vo, path, status < 0 ? pid : 0, status < 0 ?
        &status : NULL);
  else
    g_printerr ("gst-memtrace: no trace was recorded (did the program use "
        "GStreamer?)\n");
  if (status < 0)
    g_printerr ("gst-memtrace: waiting for %s (pid %d) to exit\n", argv[0],
        pid);
  memtrace_run_traced_finish (pid, &status, notify, NULL);
  g_printerr ("gst-memtrace: the program's output is in %s\n", log);
  g_free (log);
  g_free (path);
  return ret != MEMTRACE_EXIT_OK ? ret : status;
}

gint
memtrace_cmd_run (gint argc, gchar ** argv)
{
  MemTraceRunOptions o = MEMTRACE_RUN_OPTIONS_INIT;
  GOptionContext *ctx = g_option_context_new ("[--] COMMAND [ARGS...] - run "
      "COMMAND with the memtrace tracer");
  GOptionGroup *group = g_option_group_new ("run", "Run options:",
      "Show run options", NULL, NULL);
  gint ret = MEMTRACE_EXIT_USAGE;
  gboolean view = FALSE;
  GOptionEntry view_entry[] = {
    {"view", 0, 0, G_OPTION_ARG_NONE, &view,
        "Watch the trace in the interactive viewer while the program runs",
        NULL},
    {NULL}
  };

  memtrace_run_options_add (group, &o, TRUE);
  g_option_group_add_entries (group, view_entry);
  g_option_context_set_main_group (ctx, group);
  g_option_context_set_strict_posix (ctx, TRUE);
  if (!memtrace_cmd_parse (ctx, &argc, &argv)
      || !memtrace_run_options_check (&o))
    goto out;
  if (argc > 1 && !strcmp (argv[1], "--")) {
    argv++;
    argc--;
  }
  if (argc < 2)
    g_printerr ("gst-memtrace: run needs a command to run (see --help)\n");
  else
    ret = view ? run_view (&o, argv + 1) : run (&o, argv + 1);
out:
  memtrace_run_options_clear (&o);
  g_option_context_free (ctx);
  return ret;
}
