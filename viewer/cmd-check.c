/* gst-memtrace check: run a program traced, then fail on leaks (for CI). */
#include "commands.h"
#include "memtrace-error.h"

gint
memtrace_cmd_check (gint argc, gchar ** argv)
{
  g_printerr ("gst-memtrace: check is not available yet\n");
  return MEMTRACE_EXIT_USAGE;
}
