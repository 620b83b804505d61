/* gst-memtrace: the report options `report` and `check` share, and what
 * they decide: which trace, which leaks, which format, which exit code. */
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include "report-cli.h"
#include "report-formats.h"
#include "commands.h"
#include "memtrace-error.h"

void
memtrace_report_cli_init (MemTraceReportCli * cli)
{
  memset (cli, 0, sizeof (*cli));
  cli->max_leaked_objects = -1;
  cli->max_leaked_bytes = -1;
  cli->max_peak_bytes = -1;
}

void
memtrace_report_cli_clear (MemTraceReportCli * cli)
{
  g_free (cli->format);
  g_free (cli->output);
  g_free (cli->fail_on);
  g_strfreev (cli->suppressions);
  g_free (cli->from);
  g_free (cli->to);
  g_free (cli->cost);
}

GOptionGroup *
memtrace_report_cli_group (MemTraceReportCli * cli)
{
  GOptionEntry entries[] = {
    {"format", 'f', 0, G_OPTION_ARG_STRING, &cli->format, "text (default), "
          "markdown, json, junit, sarif, html or folded", "FORMAT"},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &cli->output,
        "Write the report to FILE (default: standard output)", "FILE"},
    {"fail-on", 0, 0, G_OPTION_ARG_STRING, &cli->fail_on,
        "Exit 1 when there are leaks ('leaks') or never ('none')", "WHAT"},
    {"max-leaked-objects", 0, 0, G_OPTION_ARG_INT64, &cli->max_leaked_objects,
        "Exit 1 when more than N objects leaked", "N"},
    {"max-leaked-bytes", 0, 0, G_OPTION_ARG_INT64, &cli->max_leaked_bytes,
        "Exit 1 when more than N payload bytes leaked", "N"},
    {"max-peak-bytes", 0, 0, G_OPTION_ARG_INT64, &cli->max_peak_bytes,
        "Exit 1 when the peak of live payload bytes passed N", "N"},
    {"suppressions", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &cli->suppressions,
        "A file of leak:PATTERN and type:TYPE lines (repeatable)", "FILE"},
    {"no-default-suppressions", 0, 0, G_OPTION_ARG_NONE,
          &cli->no_default_suppressions,
        "Do not apply the GStreamer suppressions shipped with gst-memtrace",
        NULL},
    {"list-suppressed", 0, 0, G_OPTION_ARG_NONE, &cli->list_suppressed,
        "Show suppressed leaks too", NULL},
    {"from", 0, 0, G_OPTION_ARG_STRING, &cli->from,
        "Only leaks made after this checkpoint (label or number)", "CP"},
    {"to", 0, 0, G_OPTION_ARG_STRING, &cli->to,
        "Only leaks still alive at this checkpoint (label or number)", "CP"},
    {"cost", 0, 0, G_OPTION_ARG_STRING, &cli->cost, "folded: allocations "
          "(default), bytes, leaked or peak", "COST"},
    {NULL}
  };
  GOptionGroup *g = g_option_group_new ("report", "Report options:",
      "Show report options", NULL, NULL);

  g_option_group_add_entries (g, entries);
  return g;
}

static gboolean
bad (const gchar * what)
{
  g_printerr ("gst-memtrace: %s (see --help)\n", what);
  return FALSE;
}

gboolean
memtrace_report_cli_check (MemTraceReportCli * cli)
{
  gchar *names = memtrace_format_names (), *msg;
  gboolean ok = TRUE;

  if (cli->format && !memtrace_format_find (cli->format)) {
    msg = g_strdup_printf ("unknown format '%s' (known: %s)", cli->format,
        names);
    ok = bad (msg);
    g_free (msg);
  } else if (cli->fail_on && strcmp (cli->fail_on, "leaks")
      && strcmp (cli->fail_on, "none")) {
    ok = bad ("--fail-on takes 'leaks' or 'none'");
  } else if (cli->cost && strcmp (cli->cost, "allocations")
      && strcmp (cli->cost, "bytes") && strcmp (cli->cost, "leaked")
      && strcmp (cli->cost, "peak")) {
    ok = bad ("--cost takes allocations, bytes, leaked or peak");
  } else if (cli->max_leaked_objects < -1 || cli->max_leaked_bytes < -1
      || cli->max_peak_bytes < -1) {
    ok = bad ("the --max options take a number of 0 or more");
  }
  g_free (names);
  return ok;
}

/* The suppressions shipped for GStreamer itself: beside the build tree's
 * binary, or installed. */
static gchar *
default_suppressions (void)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *dir = exe ? g_path_get_dirname (exe) : g_strdup (".");
  gchar *path = g_build_filename (dir, "..", "data", "gstreamer.supp", NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_free (path);
    path = g_build_filename (MEMTRACE_DATADIR, "gstreamer.supp", NULL);
  }
  g_free (dir);
  g_free (exe);
  return path;
}

MemTraceSuppressions *
memtrace_report_cli_load_suppressions (gboolean no_defaults,
    gchar ** files, GError ** error)
{
  MemTraceSuppressions *s = memtrace_suppressions_new ();
  gchar *path = no_defaults ? NULL : default_suppressions ();
  gboolean ok = !path || !g_file_test (path, G_FILE_TEST_EXISTS)
      || memtrace_suppressions_load (s, path, error);
  guint i;

  for (i = 0; ok && files && files[i]; i++)
    ok = memtrace_suppressions_load (s, files[i], error);
  g_free (path);
  if (!ok) {
    memtrace_suppressions_free (s);
    return NULL;
  }
  return s;
}

static MemTraceCost
cost_of (const gchar * name)
{
  if (!g_strcmp0 (name, "bytes"))
    return MEMTRACE_COST_BYTES;
  if (!g_strcmp0 (name, "leaked"))
    return MEMTRACE_COST_LEAKED;
  if (!g_strcmp0 (name, "peak"))
    return MEMTRACE_COST_PEAK;
  return MEMTRACE_COST_ALLOCATIONS;
}

static gboolean
use_color (FILE * out)
{
  return isatty (fileno (out)) && !g_getenv ("NO_COLOR")
      && g_strcmp0 (g_getenv ("TERM"), "dumb");
}

/* Written to a temporary file renamed into place, so that a failed report
 * never leaves half a file where the last good one was. */
static gboolean
write_report (MemTraceReportCli * cli, MemTraceReport * r,
    MemTraceTrace * t, GError ** error)
{
  const MemTraceFormat *fmt = memtrace_format_find (cli->format ?
      cli->format : "text");
  MemTraceFormatOptions o = { FALSE, cli->list_suppressed,
    cost_of (cli->cost), t
  };
  gchar *tmp = cli->output ? g_strconcat (cli->output, ".XXXXXX", NULL) : NULL;
  FILE *out = stdout;
  gboolean ok;
  gint fd = -1;

  if (tmp && ((fd = g_mkstemp (tmp)) < 0 || !(out = fdopen (fd, "w")))) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO,
        "cannot write %s: %s", cli->output, g_strerror (errno));
    g_free (tmp);
    return FALSE;
  }
  o.color = use_color (out) && !g_strcmp0 (fmt->name, "text");
  ok = fmt->write (r, &o, out, error);
  if (fflush (out) != 0 && ok) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO,
        "cannot write %s: %s", cli->output ? cli->output : "the report",
        g_strerror (errno));
    ok = FALSE;
  }
  if (tmp) {
    fclose (out);
    if (ok && rename (tmp, cli->output) != 0) {
      g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO,
          "cannot write %s: %s", cli->output, g_strerror (errno));
      ok = FALSE;
    }
    if (!ok)
      unlink (tmp);
  }
  g_free (tmp);
  return ok;
}

/* 1 when a --fail-on or --max option is exceeded; the reason on stderr. */
static gint
findings (MemTraceReportCli * cli, MemTraceReport * r)
{
  MemTraceLeaks *l = r->leaks;
  gint code = MEMTRACE_EXIT_OK;

  if (!g_strcmp0 (cli->fail_on, "leaks") && l->n_unsuppressed_groups) {
    g_printerr ("gst-memtrace: %" G_GINT64_FORMAT " objects leaked (%"
        G_GINT64_FORMAT " bytes) in %u groups\n", l->leaked_objects,
        l->leaked_bytes, l->n_unsuppressed_groups);
    code = MEMTRACE_EXIT_FINDINGS;
  }
  if (cli->max_leaked_objects >= 0
      && l->leaked_objects > cli->max_leaked_objects) {
    g_printerr ("gst-memtrace: %" G_GINT64_FORMAT " objects leaked, more "
        "than %" G_GINT64_FORMAT "\n", l->leaked_objects,
        cli->max_leaked_objects);
    code = MEMTRACE_EXIT_FINDINGS;
  }
  if (cli->max_leaked_bytes >= 0 && l->leaked_bytes > cli->max_leaked_bytes) {
    g_printerr ("gst-memtrace: %" G_GINT64_FORMAT " bytes leaked, more "
        "than %" G_GINT64_FORMAT "\n", l->leaked_bytes, cli->max_leaked_bytes);
    code = MEMTRACE_EXIT_FINDINGS;
  }
  if (cli->max_peak_bytes >= 0 && r->peak_bytes > cli->max_peak_bytes) {
    g_printerr ("gst-memtrace: peak of %" G_GINT64_FORMAT " bytes, more "
        "than %" G_GINT64_FORMAT "\n", r->peak_bytes, cli->max_peak_bytes);
    code = MEMTRACE_EXIT_FINDINGS;
  }
  return code;
}

MemTraceReport *
memtrace_report_cli_build (MemTraceReportCli * cli, const gchar * path,
    MemTraceTrace ** trace, GError ** error)
{
  MemTraceReportOptions options = { {cli->from, cli->to, NULL}, FALSE };

  /* Only the HTML page shows lifetimes, pools and hotspots: the other
   * formats need leaks and the peak, and a big trace answers sooner. */
  options.leaks_only = g_strcmp0 (cli->format, "html") != 0;
  MemTraceReport *r = NULL;

  *trace = NULL;
  if (!(options.leaks.suppressions = memtrace_report_cli_load_suppressions
          (cli->no_default_suppressions, cli->suppressions, error))
      || !(*trace = memtrace_trace_open (path, error))
      || !(r = memtrace_report_build (*trace, &options, error))) {
    memtrace_trace_close (*trace);
    *trace = NULL;
  } else if (!r->complete) {
    g_printerr ("gst-memtrace: %s is incomplete (the program was killed or "
        "crashed): reporting what it holds\n", path);
  }
  memtrace_suppressions_free (options.leaks.suppressions);
  return r;
}

gint
memtrace_report_cli_run (MemTraceReportCli * cli, const gchar * path)
{
  MemTraceTrace *t = NULL;
  MemTraceReport *r;
  GError *error = NULL;
  gint code;

  if (!(r = memtrace_report_cli_build (cli, path, &t, &error))
      || !write_report (cli, r, t, &error))
    code = memtrace_cmd_fail (error);
  else
    code = findings (cli, r);
  memtrace_report_free (r);
  memtrace_trace_close (t);
  return code;
}
