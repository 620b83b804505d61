/* gst-memtrace view: the interactive viewer, for a finished trace or one
 * still being recorded. */
#include "commands.h"
#include "view-launch.h"

gint
memtrace_cmd_view (gint argc, gchar ** argv)
{
  GOptionContext *ctx = g_option_context_new ("TRACE - browse a trace "
      "interactively, live while it is recorded");
  GOptionGroup *group = g_option_group_new ("view", "View options:",
      "Show view options", NULL, NULL);
  ViewLaunchOptions o = { NULL, };
  gint ret = MEMTRACE_EXIT_USAGE;

  view_launch_options_add (group, &o);
  g_option_context_set_main_group (ctx, group);
  g_option_context_set_description (ctx, "Keys: Tab and 1-7 switch "
      "screens, / filters, s sorts, t sets a time window, ? helps, q quits.\n"
      "Exit status: 0 ok, 2 on any error.");
  if (!memtrace_cmd_parse (ctx, &argc, &argv))
    goto out;
  if (argc != 2)
    g_printerr ("gst-memtrace: view takes one trace file (see --help)\n");
  else
    ret = view_launch (&o, argv[1], 0, NULL);
out:
  view_launch_options_clear (&o);
  g_option_context_free (ctx);
  return ret;
}
