/* gst-memtrace view: from a command line to the viewer: the checks that
 * come before curses, and the trace, live or not. */
#ifndef __MEMTRACE_VIEW_LAUNCH_H__
#define __MEMTRACE_VIEW_LAUNCH_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gchar **suppressions;
  gboolean no_default_suppressions;
  gchar *from;                  /* checkpoints of the first window */
  gchar *to;
} ViewLaunchOptions;

void view_launch_options_add (GOptionGroup * group, ViewLaunchOptions * o);
void view_launch_options_clear (ViewLaunchOptions * o);
/* Whether standard input and output are a terminal; if not, says what to
 * do instead about path. */
gboolean view_launch_check_terminal (const gchar * path);
/* Opens the trace (the same errors as report, before curses starts) and
 * views it until q.  child (run --view) is the traced program, reaped by
 * the viewer: *child_status gets its exit status, or -1 if it still runs.
 * Returns the exit code. */
gint view_launch (const ViewLaunchOptions * o, const gchar * path,
    GPid child, gint * child_status);

G_END_DECLS

#endif
