/* gst-memtrace: the terminal report. */
#include "report-formats.h"

#define STACK_LINES 12

typedef struct
{
  FILE *out;
  gboolean color;
  MemTraceFrames *frames;
} Out;

static const gchar *
c (Out * o, const gchar * code)
{
  return o->color ? code : "";
}

#define BOLD "\033[1m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* Strings from the trace may hold anything: never let them move the
 * cursor or change colours. */
static gchar *
clean (const gchar * s)
{
  GString *out = g_string_new (NULL);
  const gchar *p;

  for (p = s ? s : ""; *p; p++)
    if ((guchar) * p < 0x20 || *p == 0x7f)
      g_string_append_printf (out, "\\x%02x", (guchar) * p);
    else if ((guchar) p[0] == 0xc2 && (guchar) p[1] >= 0x80
        && (guchar) p[1] <= 0x9f) {
      /* U+0080..U+009F: C1 controls (0x9b is a CSI) */
      g_string_append_printf (out, "\\u%04x", (guchar) p[1]);
      p++;
    } else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
print_header (Out * o, MemTraceReport * r)
{
  gchar *file = clean (r->file), *cmd = clean (r->command);
  gchar *version = clean (r->gstreamer_version ? r->gstreamer_version : "?");
  gchar *peak = memtrace_format_bytes (r->peak_bytes);

  fprintf (o->out, "%sgst-memtrace report%s %s\n", c (o, BOLD), c (o, RESET),
      file);
  fprintf (o->out, "  %s (pid %" G_GINT64_FORMAT "), %s, %.3f s\n", cmd,
      r->pid, version, r->duration_ns / 1e9);
  if (!r->complete)
    fprintf (o->out, "  %sINCOMPLETE%s: the program was killed or crashed; "
        "this is everything up to its last flush\n", c (o, RED), c (o, RESET));
  else if (g_strcmp0 (r->end_reason, "deinit"))
    fprintf (o->out, "  ended without gst_deinit(): objects are reported as "
        "alive at exit\n");
  if (r->dropped_events)
    fprintf (o->out, "  %s%" G_GINT64_FORMAT " events were dropped%s\n",
        c (o, RED), r->dropped_events, c (o, RESET));
  fprintf (o->out, "  %" G_GINT64_FORMAT " objects created, peak %s\n",
      r->objects_created, peak);
  g_free (peak);
  g_free (version);
  g_free (cmd);
  g_free (file);
}

static void
print_frames (gint64 stack_id, const gchar * title, gpointer data)
{
  Out *o = data;
  MemTraceStackStyle style = { "      ", STACK_LINES, clean, c (o, DIM),
    c (o, RESET)
  };
  gchar *lines = memtrace_format_stack_lines (o->frames, stack_id, &style);

  if (!lines)
    return;
  fprintf (o->out, "    %s:\n%s", title, lines);
  g_free (lines);
}

static void
print_holds (Out * o, MemTraceLeakGroup * g)
{
  guint i;

  if (!g->holds->len)
    return;
  fprintf (o->out, "    holds:");
  for (i = 0; i < g->holds->len; i++) {
    MemTraceTally *t = &g_array_index (g->holds, MemTraceTally, i);
    gchar *b = memtrace_format_bytes (t->bytes), *type = clean (t->type);

    fprintf (o->out, "%s %" G_GINT64_FORMAT " %s%s%s%s", i ? "," : "",
        t->objects, type, t->bytes ? " (" : "", t->bytes ? b : "",
        t->bytes ? ")" : "");
    g_free (type);
    g_free (b);
  }
  fprintf (o->out, "\n");
}

static void
print_group (Out * o, MemTraceReport * r, MemTraceLeakGroup * g, guint n)
{
  gchar *bytes = memtrace_format_bytes (g->bytes);
  gchar *pad = clean (g->last_pad);
  gchar *where = memtrace_format_group_where (r, g);
  gchar *wc = clean (where), *type = clean (g->type);

  fprintf (o->out, "\n%s#%u %" G_GINT64_FORMAT " %s%s, %s%s%s\n",
      c (o, BOLD), n, g->objects, type, g->objects > 1 ? "s" : "",
      bytes, g->suppressed_by ? " (suppressed)" : "", c (o, RESET));
  fprintf (o->out, "    %s; %s %s\n", memtrace_leak_state_name (g->state),
      g->acquire_stack_id ? "acquired at" : "made at", wc);
  if (g->last_pad)
    fprintf (o->out, "    last pad: %s\n", pad);
  if (g->suppressed_by)
    fprintf (o->out, "    suppressed by: %s\n", g->suppressed_by);
  print_holds (o, g);
  memtrace_format_group_stacks (g, print_frames, o);
  g_free (type);
  g_free (wc);
  g_free (where);
  g_free (pad);
  g_free (bytes);
}

static void
print_by_type (Out * o, MemTraceLeaks * l)
{
  guint i;

  if (!l->leaked_by_type->len)
    return;
  fprintf (o->out, "\n  %-28s %10s %12s\n", "leaked by type", "objects",
      "bytes");
  for (i = 0; i < l->leaked_by_type->len; i++) {
    MemTraceTally *t = &g_array_index (l->leaked_by_type, MemTraceTally, i);
    gchar *type = clean (t->type);

    fprintf (o->out, "  %-28s %10" G_GINT64_FORMAT " %12" G_GINT64_FORMAT
        "\n", type, t->objects, t->bytes);
    g_free (type);
  }
}

static void
print_leaks (Out * o, MemTraceReport * r, const MemTraceFormatOptions * opt)
{
  MemTraceLeaks *l = r->leaks;
  gchar *bytes = memtrace_format_bytes (l->leaked_bytes);
  guint i;

  if (l->n_unsuppressed_groups == 0)
    fprintf (o->out, "\n%sNo leaks.%s", c (o, GREEN), c (o, RESET));
  else
    fprintf (o->out, "\n%sLEAKS: %u group%s, %" G_GINT64_FORMAT " objects, "
        "%s%s", c (o, RED), l->n_unsuppressed_groups,
        l->n_unsuppressed_groups > 1 ? "s" : "", l->leaked_objects, bytes,
        c (o, RESET));
  fprintf (o->out, " (%" G_GINT64_FORMAT " suppressed, %" G_GINT64_FORMAT
      " flagged MAY_BE_LEAKED, %" G_GINT64_FORMAT " released by "
      "gst_deinit: not counted)\n", l->suppressed_objects,
      l->may_be_leaked_objects, l->released_by_deinit);
  for (i = 0; i < l->groups->len; i++) {
    MemTraceLeakGroup *g = g_ptr_array_index (l->groups, i);

    if (!g->suppressed_by || opt->list_suppressed)
      print_group (o, r, g, i + 1);
  }
  print_by_type (o, l);
  g_free (bytes);
}

gboolean
memtrace_report_write_text (MemTraceReport * r,
    const MemTraceFormatOptions * opt, FILE * out, GError ** error)
{
  Out o = { out, opt->color, r->frames };

  print_header (&o, r);
  print_leaks (&o, r, opt);
  return TRUE;
}
