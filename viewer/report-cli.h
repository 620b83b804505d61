/* gst-memtrace: the report options `report` and `check` share. */
#ifndef __MEMTRACE_REPORT_CLI_H__
#define __MEMTRACE_REPORT_CLI_H__

#include <glib.h>
#include "memtrace-report.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *format;
  gchar *output;
  gchar *fail_on;
  gint64 max_leaked_objects;
  gint64 max_leaked_bytes;
  gint64 max_peak_bytes;
  gchar **suppressions;
  gboolean no_default_suppressions;
  gchar *from;
  gchar *to;
  gchar *cost;
  gboolean list_suppressed;
} MemTraceReportCli;

void memtrace_report_cli_init (MemTraceReportCli * cli);
void memtrace_report_cli_clear (MemTraceReportCli * cli);
GOptionGroup *memtrace_report_cli_group (MemTraceReportCli * cli);
/* Checks the options once parsed; FALSE after printing what is wrong. */
gboolean memtrace_report_cli_check (MemTraceReportCli * cli);
/* The suppressions shipped for GStreamer (unless no_defaults) and files. */
MemTraceSuppressions *memtrace_report_cli_load_suppressions (gboolean
    no_defaults, gchar ** files, GError ** error);
/* Opens a trace and analyses it with these options (suppressions, window);
 * NULL with error when it cannot. */
MemTraceReport *memtrace_report_cli_build (MemTraceReportCli * cli,
    const gchar * path, MemTraceTrace ** trace, GError ** error);
/* Reports one trace; returns the exit code (0, 1 on findings, 2). */
gint memtrace_report_cli_run (MemTraceReportCli * cli, const gchar * path);

G_END_DECLS

#endif
