/* gst-memtrace report: what a trace found, in one of several formats. */
#include "commands.h"
#include "report-cli.h"

gint
memtrace_cmd_report (gint argc, gchar ** argv)
{
  GOptionContext *ctx = g_option_context_new ("TRACE - report leaks and "
      "memory use");
  MemTraceReportCli cli;
  gint ret = MEMTRACE_EXIT_USAGE;

  memtrace_report_cli_init (&cli);
  g_option_context_set_main_group (ctx, memtrace_report_cli_group (&cli));
  g_option_context_set_description (ctx, "Exit status: 0 ok, 1 when a "
      "--fail-on or --max option is exceeded, 2 on any error.");
  if (!memtrace_cmd_parse (ctx, &argc, &argv)
      || !memtrace_report_cli_check (&cli))
    goto out;
  if (argc != 2)
    g_printerr ("gst-memtrace: report takes one trace file (see --help)\n");
  else
    ret = memtrace_report_cli_run (&cli, argv[1]);
out:
  memtrace_report_cli_clear (&cli);
  g_option_context_free (ctx);
  return ret;
}
