/* gst-memtrace: the subcommands.  Each returns the process exit code. */
#ifndef __MEMTRACE_COMMANDS_H__
#define __MEMTRACE_COMMANDS_H__

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes shared by every command (docs/cli.md), as CI tools expect:
 * 1 for findings, 2 for anything that kept the command from its answer. */
#define MEMTRACE_EXIT_OK 0
#define MEMTRACE_EXIT_FINDINGS 1
#define MEMTRACE_EXIT_USAGE 2
#define MEMTRACE_EXIT_ERROR 2

gint memtrace_cmd_run (gint argc, gchar ** argv);
gint memtrace_cmd_info (gint argc, gchar ** argv);
gint memtrace_cmd_report (gint argc, gchar ** argv);
gint memtrace_cmd_check (gint argc, gchar ** argv);
gint memtrace_cmd_diff (gint argc, gchar ** argv);
gint memtrace_cmd_view (gint argc, gchar ** argv);

/* Prints "gst-memtrace: <message>" and returns the error's exit code. */
gint memtrace_cmd_fail (GError * error);
/* Parses a subcommand's options; on error prints it and returns FALSE. */
gboolean memtrace_cmd_parse (GOptionContext * ctx, gint * argc,
    gchar *** argv);

G_END_DECLS

#endif
