/* gst-memtrace check: run a program traced, then fail on leaks, the way
 * `valgrind --error-exitcode` does, for CI. */
#include <string.h>
#include "commands.h"
#include "report-cli.h"
#include "run-traced.h"

/* Several traces (a program that starts others) get numbered reports. */
static gchar *
report_path (const gchar * output, guint i)
{
  if (!output || i == 0)
    return g_strdup (output);
  return g_strdup_printf ("%s.%u", output, i);
}

static gint
report_all (MemTraceReportCli * cli, GPtrArray * traces)
{
  gchar *output = cli->output;
  gint worst = MEMTRACE_EXIT_OK;
  guint i;

  for (i = 0; i < traces->len; i++) {
    gint code;

    cli->output = report_path (output, i);
    code = memtrace_report_cli_run (cli, g_ptr_array_index (traces, i));
    worst = MAX (worst, code);
    g_free (cli->output);
  }
  cli->output = output;
  return worst;
}

static gint
check (MemTraceReportCli * cli, const MemTraceRunOptions * o, gchar ** argv)
{
  GPtrArray *traces = g_ptr_array_new_with_free_func (g_free);
  gint status = memtrace_run_traced (o, argv, traces), code;

  if (!cli->fail_on)
    cli->fail_on = g_strdup ("leaks");
  if (!traces->len) {
    g_printerr ("gst-memtrace: no trace was recorded (did the program use "
        "GStreamer?)\n");
    code = MEMTRACE_EXIT_ERROR;
  } else {
    code = report_all (cli, traces);
  }
  g_ptr_array_unref (traces);
  /* Findings or errors first; otherwise the program's own failure. */
  return code != MEMTRACE_EXIT_OK ? code : status;
}

gint
memtrace_cmd_check (gint argc, gchar ** argv)
{
  MemTraceRunOptions o = MEMTRACE_RUN_OPTIONS_INIT;
  MemTraceReportCli cli;
  GOptionContext *ctx = g_option_context_new ("[--] COMMAND [ARGS...] - run "
      "COMMAND traced and fail on leaks");
  GOptionGroup *run = g_option_group_new ("run", "Run options:",
      "Show run options", NULL, NULL);
  gint ret = MEMTRACE_EXIT_USAGE;

  memtrace_report_cli_init (&cli);
  g_option_context_set_main_group (ctx, memtrace_report_cli_group (&cli));
  memtrace_run_options_add (run, &o, FALSE);
  g_option_context_add_group (ctx, run);
  g_option_context_set_strict_posix (ctx, TRUE);
  g_option_context_set_description (ctx, "Exit status: 1 on leaks (or a "
      "--max option exceeded), 2 on any error, otherwise COMMAND's own.");
  if (!memtrace_cmd_parse (ctx, &argc, &argv)
      || !memtrace_report_cli_check (&cli) || !memtrace_run_options_check (&o))
    goto out;
  if (argc > 1 && !strcmp (argv[1], "--")) {
    argv++;
    argc--;
  }
  if (argc < 2)
    g_printerr ("gst-memtrace: check needs a command to run (see --help)\n");
  else
    ret = check (&cli, &o, argv + 1);
out:
  memtrace_run_options_clear (&o);
  memtrace_report_cli_clear (&cli);
  g_option_context_free (ctx);
  return ret;
}
