/* gst-memtrace: the table of report formats, and what they share. */
#include "report-formats.h"

static const MemTraceFormat formats[] = {
  {"text", memtrace_report_write_text, "a terminal summary (default)"},
  {"markdown", memtrace_report_write_markdown,
      "for CI job summaries and merge-request comments"},
  {"json", memtrace_report_write_json, "versioned, see docs/report-json.md"},
  {"junit", memtrace_report_write_junit, "one failed test case per leak"},
  {"sarif", memtrace_report_write_sarif, "SARIF 2.1.0 for code scanning"},
  {"html", memtrace_report_write_html, "one self-contained page"},
  {"folded", memtrace_report_write_folded,
      "folded stacks for flamegraph.pl, inferno, speedscope"},
};

const MemTraceFormat *
memtrace_format_find (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    if (!g_strcmp0 (formats[i].name, name))
      return &formats[i];
  return NULL;
}

gchar *
memtrace_format_names (void)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", formats[i].name);
  return g_string_free (s, FALSE);
}

gchar *
memtrace_format_bytes (gint64 bytes)
{
  if (bytes < 1024)
    return g_strdup_printf ("%" G_GINT64_FORMAT " B", bytes);
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

const gchar *
memtrace_leak_state_name (MemTraceLeakState state)
{
  switch (state) {
    case MEMTRACE_LEAK_AT_DEINIT:
      return "alive after gst_deinit";
    case MEMTRACE_LEAK_AT_EXIT:
      return "alive at exit (no gst_deinit)";
    case MEMTRACE_LEAK_IN_WINDOW:
      return "made between the checkpoints, alive at the second";
    default:
      return "alive when the recording was cut off";
  }
}
