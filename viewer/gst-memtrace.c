/* gst-memtrace: the command line entry point. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "memtrace-error.h"

typedef struct
{
  const gchar *name;
  gint (*func) (gint argc, gchar ** argv);
  const gchar *summary;
} Command;

static const Command commands[] = {
  {"run", memtrace_cmd_run, "run a program with the memtrace tracer on"},
  {"info", memtrace_cmd_info, "say what a trace recorded"},
  {"report", memtrace_cmd_report, "report leaks and memory use"},
  {"check", memtrace_cmd_check, "run a program and fail on leaks (for CI)"},
  {"diff", memtrace_cmd_diff, "compare the leaks and peak of two traces"},
  {"view", memtrace_cmd_view, "browse a trace interactively, live too"},
};

gint
memtrace_cmd_fail (GError * error)
{
  g_printerr ("gst-memtrace: %s\n", error->message);
  g_error_free (error);
  return MEMTRACE_EXIT_ERROR;
}

gboolean
memtrace_cmd_parse (GOptionContext * ctx, gint * argc, gchar *** argv)
{
  GError *error = NULL;

  if (g_option_context_parse (ctx, argc, argv, &error))
    return TRUE;
  g_printerr ("gst-memtrace: %s (see --help)\n", error->message);
  g_error_free (error);
  return FALSE;
}

static void
usage (FILE * out)
{
  guint i;

  fprintf (out, "Usage: gst-memtrace COMMAND [OPTION...] ARGS\n\n"
      "Memory profiler and leak detector for GStreamer.\n\nCommands:\n");
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\n'gst-memtrace COMMAND --help' shows a command's options.\n");
}

gint
main (gint argc, gchar ** argv)
{
  guint i;

  setlocale (LC_ALL, "");
  if (argc < 2) {
    usage (stderr);
    return MEMTRACE_EXIT_USAGE;
  }
  if (!strcmp (argv[1], "--help") || !strcmp (argv[1], "-h")
      || !strcmp (argv[1], "help")) {
    usage (stdout);
    return MEMTRACE_EXIT_OK;
  }
  if (!strcmp (argv[1], "--version")) {
    printf ("gst-memtrace %s\n", PACKAGE_VERSION);
    return MEMTRACE_EXIT_OK;
  }
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    if (!strcmp (argv[1], commands[i].name))
      return commands[i].func (argc - 1, argv + 1);
  g_printerr ("gst-memtrace: unknown command '%s' (see gst-memtrace --help)\n",
      argv[1]);
  return MEMTRACE_EXIT_USAGE;
}
