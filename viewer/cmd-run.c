/* gst-memtrace run: a program with the memtrace tracer on.
 *
 * Once the program exits, every trace it recorded is finished and
 * summarised, and we exit as the program did. */
#include <string.h>
#include "commands.h"
#include "run-traced.h"
#include "memtrace-info.h"

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

gint
memtrace_cmd_run (gint argc, gchar ** argv)
{
  MemTraceRunOptions o = MEMTRACE_RUN_OPTIONS_INIT;
  GOptionContext *ctx = g_option_context_new ("[--] COMMAND [ARGS...] - run "
      "COMMAND with the memtrace tracer");
  GOptionGroup *group = g_option_group_new ("run", "Run options:",
      "Show run options", NULL, NULL);
  gint ret = MEMTRACE_EXIT_USAGE;

  memtrace_run_options_add (group, &o, TRUE);
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
    ret = run (&o, argv + 1);
out:
  memtrace_run_options_clear (&o);
  g_option_context_free (ctx);
  return ret;
}
