/* gst-memtrace view: from a command line to the viewer.
 *
 * Everything that can go wrong with the input is said on stderr, in the
 * words `report` uses, before curses takes the terminal. */
#include <unistd.h>
#include "view-launch.h"
#include "report-cli.h"
#include "view-app.h"
#include "commands.h"

void
view_launch_options_add (GOptionGroup * group, ViewLaunchOptions * o)
{
  GOptionEntry entries[] = {
    {"suppressions", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->suppressions,
        "A file of leak:PATTERN and type:TYPE lines (repeatable)", "FILE"},
    {"no-default-suppressions", 0, 0, G_OPTION_ARG_NONE,
          &o->no_default_suppressions,
        "Do not apply the GStreamer suppressions shipped with gst-memtrace",
        NULL},
    {"from", 0, 0, G_OPTION_ARG_STRING, &o->from,
        "Start with the window from this checkpoint (label or number)", "CP"},
    {"to", 0, 0, G_OPTION_ARG_STRING, &o->to,
        "Start with the window to this checkpoint (label or number)", "CP"},
    {NULL}
  };

  g_option_group_add_entries (group, entries);
}

void
view_launch_options_clear (ViewLaunchOptions * o)
{
  g_strfreev (o->suppressions);
  g_free (o->from);
  g_free (o->to);
}

gboolean
view_launch_check_terminal (const gchar * path)
{
  if (isatty (STDIN_FILENO) && isatty (STDOUT_FILENO))
    return TRUE;
  g_printerr ("gst-memtrace: view needs a terminal; for a report use: "
      "gst-memtrace report %s\n", path ? path : "FILE");
  return FALSE;
}

/* A trace still being recorded is followed through a snapshot of its
 * own: it must not be finished in place while its process runs. */
static gboolean
open_trace (const gchar * path, MemTraceTrace ** t, MemTraceLive ** live,
    GError ** error)
{
  *live = NULL;
  if (!(*t = memtrace_trace_open (path, error)))
    return FALSE;
  if (!memtrace_trace_is_live (*t))
    return TRUE;
  memtrace_trace_close (*t);
  *t = NULL;
  return (*live = memtrace_live_open (path, error)) != NULL;
}

gint
view_launch (const ViewLaunchOptions * o, const gchar * path, GPid child,
    gint * child_status)
{
  ViewWindow window = { o->from, o->to, 0, 0 };
  ViewAppOptions ao = { NULL, child };
  MemTraceSuppressions *s;
  MemTraceTrace *t = NULL;
  MemTraceLive *live = NULL;
  GError *error = NULL;

  if (child_status)
    *child_status = -1;
  if (!(s = memtrace_report_cli_load_suppressions
          (o->no_default_suppressions, o->suppressions, &error)))
    return memtrace_cmd_fail (error);
  if (!open_trace (path, &t, &live, &error)) {
    memtrace_suppressions_free (s);
    return memtrace_cmd_fail (error);
  }
  if (!view_launch_check_terminal (path)) {
    memtrace_suppressions_free (s);
    memtrace_trace_close (t);
    memtrace_live_close (live);
    return MEMTRACE_EXIT_USAGE;
  }
  ao.data = view_data_new (t, live, s, &window);
  return view_app_run (&ao, child_status);
}
