/* gst-memtrace diff: what a change did to leaks and peak memory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include "commands.h"
#include "report-cli.h"
#include "report-formats.h"
#include "memtrace-diff.h"

typedef struct
{
  gboolean new_leaks, grown_leaks;
  gdouble peak_increase;        /* percent, < 0 for no limit */
} FailOn;

/* "new-leaks,grown-leaks,peak-increase=10" */
static gboolean
parse_fail_on (const gchar * text, FailOn * f)
{
  gchar **parts = g_strsplit (text ? text : "", ",", -1);
  gboolean ok = TRUE;
  guint i;

  f->new_leaks = f->grown_leaks = FALSE;
  f->peak_increase = -1;
  for (i = 0; ok && parts[i]; i++) {
    gchar *p = g_strstrip (parts[i]), *end = NULL;

    if (!strcmp (p, "new-leaks"))
      f->new_leaks = TRUE;
    else if (!strcmp (p, "grown-leaks"))
      f->grown_leaks = TRUE;
    else if (g_str_has_prefix (p, "peak-increase=")) {
      f->peak_increase = g_ascii_strtod (p + strlen ("peak-increase="), &end);
      ok = end && !*end && f->peak_increase >= 0;
    } else
      ok = !*p;
  }
  g_strfreev (parts);
  return ok;
}

static void
print_text (MemTraceDiff * d, FILE * out)
{
  guint i;

  fprintf (out, "leaked bytes: %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
      "; peak bytes: %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT "\n",
      d->base_leaked_bytes, d->leaked_bytes, d->base_peak_bytes,
      d->peak_bytes);
  fprintf (out, "%u new leak sites, %u grown, %u gone\n", d->n_new,
      d->n_grown, d->n_gone);
  for (i = 0; i < d->sites->len; i++) {
    MemTraceDiffSite *s = &g_array_index (d->sites, MemTraceDiffSite, i);

    if (s->kind == MEMTRACE_DIFF_SAME)
      continue;
    fprintf (out, "  %-6s %s: %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
        " objects, %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " bytes\n",
        memtrace_diff_kind_name (s->kind), s->key, s->base_objects,
        s->objects, s->base_bytes, s->bytes);
  }
}

static void
add_int (JsonBuilder * b, const gchar * name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
print_json (MemTraceDiff * d, FILE * out)
{
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *gen = json_generator_new ();
  JsonNode *root;
  gchar *text;
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "gst-memtrace-diff");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  add_int (b, "base_leaked_bytes", d->base_leaked_bytes);
  add_int (b, "leaked_bytes", d->leaked_bytes);
  add_int (b, "base_peak_bytes", d->base_peak_bytes);
  add_int (b, "peak_bytes", d->peak_bytes);
  json_builder_set_member_name (b, "sites");
  json_builder_begin_array (b);
  for (i = 0; i < d->sites->len; i++) {
    MemTraceDiffSite *s = &g_array_index (d->sites, MemTraceDiffSite, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "site");
    json_builder_add_string_value (b, s->key);
    json_builder_set_member_name (b, "change");
    json_builder_add_string_value (b, memtrace_diff_kind_name (s->kind));
    add_int (b, "base_objects", s->base_objects);
    add_int (b, "objects", s->objects);
    add_int (b, "base_bytes", s->base_bytes);
    add_int (b, "bytes", s->bytes);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  fprintf (out, "%s\n", text);
  g_free (text);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (b);
}

static gint
verdict (const FailOn * f, MemTraceDiff * d)
{
  gint code = MEMTRACE_EXIT_OK;

  if (f->new_leaks && d->n_new) {
    g_printerr ("gst-memtrace: %u new leak sites\n", d->n_new);
    code = MEMTRACE_EXIT_FINDINGS;
  }
  if (f->grown_leaks && d->n_grown) {
    g_printerr ("gst-memtrace: %u leak sites grew\n", d->n_grown);
    code = MEMTRACE_EXIT_FINDINGS;
  }
  if (f->peak_increase >= 0 && d->peak_bytes > d->base_peak_bytes *
      (1 + f->peak_increase / 100.0)) {
    g_printerr ("gst-memtrace: the peak grew from %" G_GINT64_FORMAT " to %"
        G_GINT64_FORMAT " bytes, more than %g%%\n", d->base_peak_bytes,
        d->peak_bytes, f->peak_increase);
    code = MEMTRACE_EXIT_FINDINGS;
  }
  return code;
}

static gint
diff (MemTraceReportCli * cli, const FailOn * f, const gchar * base_path,
    const gchar * path)
{
  MemTraceTrace *bt = NULL, *t = NULL;
  MemTraceReport *base = NULL, *r = NULL;
  GError *error = NULL;
  MemTraceDiff *d;
  FILE *out = stdout;
  gint code;

  if (!(base = memtrace_report_cli_build (cli, base_path, &bt, &error))
      || !(r = memtrace_report_cli_build (cli, path, &t, &error))) {
    code = memtrace_cmd_fail (error);
    goto out;
  }
  if (cli->output && !(out = fopen (cli->output, "w"))) {
    g_printerr ("gst-memtrace: cannot write %s: %s\n", cli->output,
        g_strerror (errno));
    code = MEMTRACE_EXIT_ERROR;
    goto out;
  }
  d = memtrace_diff_reports (base, r);
  if (!g_strcmp0 (cli->format, "json"))
    print_json (d, out);
  else
    print_text (d, out);
  code = verdict (f, d);
  memtrace_diff_free (d);
  if (out != stdout)
    fclose (out);
out:
  memtrace_report_free (r);
  memtrace_report_free (base);
  memtrace_trace_close (t);
  memtrace_trace_close (bt);
  return code;
}

gint
memtrace_cmd_diff (gint argc, gchar ** argv)
{
  GOptionContext *ctx = g_option_context_new ("BASE.trace NEW.trace - what "
      "changed between two traces");
  MemTraceReportCli cli;
  FailOn f;
  gint ret = MEMTRACE_EXIT_USAGE;

  memtrace_report_cli_init (&cli);
  g_option_context_set_main_group (ctx, memtrace_report_cli_group (&cli));
  g_option_context_set_description (ctx, "--fail-on takes a comma list of "
      "new-leaks, grown-leaks and peak-increase=PERCENT; --format text or "
      "json.  Exit status: 0 ok, 1 when a --fail-on condition holds, 2 on "
      "any error.");
  if (!memtrace_cmd_parse (ctx, &argc, &argv))
    goto out;
  if (!parse_fail_on (cli.fail_on, &f))
    g_printerr ("gst-memtrace: --fail-on takes new-leaks, grown-leaks and "
        "peak-increase=PERCENT (see --help)\n");
  else if (cli.format && strcmp (cli.format, "text")
      && strcmp (cli.format, "json"))
    g_printerr ("gst-memtrace: diff writes text or json (see --help)\n");
  else if (argc != 3)
    g_printerr ("gst-memtrace: diff takes two trace files (see --help)\n");
  else
    ret = diff (&cli, &f, argv[1], argv[2]);
out:
  memtrace_report_cli_clear (&cli);
  g_option_context_free (ctx);
  return ret;
}
