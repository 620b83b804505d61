/* gst-memtrace info: what a trace recorded. */
#include <stdio.h>
#include "commands.h"
#include "memtrace-info.h"

/* Strings from the trace may hold anything: terminal controls (C0, DEL
 * and C1) are shown escaped, never sent to the terminal. */
static const gchar *
clean (const gchar * s)
{
  static GString *out;
  const gchar *p;

  if (!out)
    out = g_string_new (NULL);
  g_string_truncate (out, 0);
  for (p = s ? s : "?"; *p; p++)
    if ((guchar) * p < 0x20 || *p == 0x7f)
      g_string_append_printf (out, "\\x%02x", (guchar) * p);
    else if ((guchar) p[0] == 0xc2 && (guchar) p[1] >= 0x80
        && (guchar) p[1] <= 0x9f)
      g_string_append_printf (out, "\\u%04x", (guchar) * ++p);
    else
      g_string_append_c (out, *p);
  return out->str;
}

static void
print_header (const gchar * path, const MemTraceInfo * info)
{
  printf ("Trace:        %s\n", clean (path));
  printf ("Process:      pid %" G_GINT64_FORMAT ": %s\n", info->pid,
      clean (info->command));
  printf ("GStreamer:    %s\n", clean (info->gstreamer_version));
  if (info->live)
    printf ("Recording:    still running\n");
  else if (info->complete)
    printf ("Recording:    complete (ended at %s)\n",
        g_strcmp0 (info->end_reason, "deinit") == 0 ? "gst_deinit" :
        "process exit, without gst_deinit");
  else
    printf ("Recording:    INCOMPLETE (the process was killed or crashed; "
        "the trace holds everything up to its last flush)\n");
  printf ("Duration:     %.3f s\n", info->duration_ns / 1e9);
  printf ("Events:       %" G_GINT64_FORMAT " recorded, %" G_GINT64_FORMAT
      " dropped\n", info->n_events, info->dropped_events);
  if (info->write_error)
    printf ("Write error:  %s: recording stopped there; what came after is "
        "counted as dropped\n", clean (info->write_error));
  if (info->corrupt_blocks)
    printf ("Damaged:      %" G_GINT64_FORMAT " blocks could not be read to "
        "their end\n", info->corrupt_blocks);
  printf ("Stacks:       %" G_GINT64_FORMAT " distinct, %" G_GINT64_FORMAT
      " modules, %" G_GINT64_FORMAT " threads, %" G_GINT64_FORMAT
      " checkpoints\n", info->n_stacks, info->n_modules, info->n_threads,
      info->n_checkpoints);
}

static void
print_tables (const MemTraceInfo * info)
{
  guint i;

  printf ("\nEvents by kind:\n");
  for (i = 0; i < info->kinds->len; i++) {
    MemTraceKindCount *k = &g_array_index (info->kinds, MemTraceKindCount, i);

    printf ("  %-14s %12" G_GINT64_FORMAT "\n", k->kind, k->count);
  }
  printf ("\n  %-30s %10s %10s %10s\n", "Objects by type", "created",
      "destroyed", "alive");
  for (i = 0; i < info->types->len; i++) {
    MemTraceTypeCount *c = &g_array_index (info->types, MemTraceTypeCount, i);

    printf ("  %-30s %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %10"
        G_GINT64_FORMAT "\n", clean (c->type), c->created, c->destroyed,
        c->alive);
  }
}

gint
memtrace_cmd_info (gint argc, gchar ** argv)
{
  GOptionContext *ctx = g_option_context_new ("TRACE - say what a trace "
      "recorded");
  MemTraceTrace *t;
  MemTraceInfo *info;
  GError *error = NULL;
  gint ret = MEMTRACE_EXIT_USAGE;

  if (!memtrace_cmd_parse (ctx, &argc, &argv))
    goto out;
  if (argc != 2) {
    g_printerr ("gst-memtrace: info takes one trace file (see --help)\n");
    goto out;
  }
  if (!(t = memtrace_trace_open (argv[1], &error))) {
    ret = memtrace_cmd_fail (error);
    goto out;
  }
  if ((info = memtrace_info_load (t, &error))) {
    print_header (argv[1], info);
    if (!info->live)
      print_tables (info);
    memtrace_info_free (info);
    ret = MEMTRACE_EXIT_OK;
  } else {
    ret = memtrace_cmd_fail (error);
  }
  memtrace_trace_close (t);
out:
  g_option_context_free (ctx);
  return ret;
}
