/* gst-memtrace: the Markdown report, for CI job summaries ($GITHUB_STEP_SUMMARY,
 * GitLab) and merge-request comments.
 *
 * Every string from the trace goes through md() (or the code-block writer):
 * element names, pads, file names and commands can hold anything, and
 * Markdown renderers let HTML, links, mentions (@user), references (#12,
 * !12) and math ($x$) through.  md() turns every character that means
 * something to GitHub or GitLab into a numeric character reference, which
 * works the same in Markdown text, in table cells and inside HTML blocks
 * such as <summary>. */
#include <string.h>
#include "report-formats.h"

#define STACK_LINES 32          /* frames shown per stack */
#define MAX_GROUPS 50           /* groups shown in detail: comments have a
                                 * size limit (65536 characters on GitHub) */

/* Valid UTF-8, no control characters: "\xNN" stands for those. */
static gchar *
clean (const gchar * s)
{
  gchar *valid = g_utf8_make_valid (s ? s : "", -1);
  GString *out = g_string_new (NULL);
  const gchar *p;

  for (p = valid; *p; p++)
    if ((guchar) * p < 0x20 || *p == 0x7f)
      g_string_append_printf (out, "\\x%02x", (guchar) * p);
    else
      g_string_append_c (out, *p);
  g_free (valid);
  return g_string_free (out, FALSE);
}

/* For Markdown text, table cells and HTML blocks alike. */
static gchar *
md (const gchar * s)
{
  gchar *c = clean (s);
  GString *out = g_string_new (NULL);
  const gchar *p;

  for (p = c; *p; p++)
    if (strchr ("&<>\"'`\\*_[]|~$@#!%{}:", *p))
      g_string_append_printf (out, "&#%u;", (guchar) * p);
    else
      g_string_append_c (out, *p);
  g_free (c);
  return g_string_free (out, FALSE);
}

typedef struct
{
  MemTraceReport *r;
  const MemTraceFormatOptions *o;
  GString *s;
} Md;

static void
put (Md * m, const gchar * format, ...) G_GNUC_PRINTF (2, 3);

static void
put (Md * m, const gchar * format, ...)
{
  va_list ap;

  va_start (ap, format);
  g_string_append_vprintf (m->s, format, ap);
  va_end (ap);
}

/* Appends s escaped. */
static void
put_md (Md * m, const gchar * s)
{
  gchar *e = md (s);

  g_string_append (m->s, e);
  g_free (e);
}

static void
put_bytes (Md * m, gint64 bytes)
{
  gchar *b = memtrace_format_bytes (bytes);

  put (m, "%s", b);
  g_free (b);
}

static void
put_header (Md * m)
{
  MemTraceReport *r = m->r;
  MemTraceLeaks *l = r->leaks;
  gchar *base = g_path_get_basename (r->file ? r->file : "trace");
  gchar secs[G_ASCII_DTOSTR_BUF_SIZE];

  if (l->n_unsuppressed_groups == 0) {
    put (m, "## gst-memtrace: no leaks in ");
    put_md (m, base);
    put (m, "\n\n");
  } else {
    put (m, "## gst-memtrace: %u leak%s in ", l->n_unsuppressed_groups,
        l->n_unsuppressed_groups > 1 ? "s" : "");
    put_md (m, base);
    put (m, " (%" G_GINT64_FORMAT " objects, ", l->leaked_objects);
    put_bytes (m, l->leaked_bytes);
    put (m, ")\n\n");
  }
  g_free (base);

  put (m, "Trace ");
  put_md (m, r->file);
  put (m, " of ");
  put_md (m, r->command);
  put (m, " (pid %" G_GINT64_FORMAT "), ", r->pid);
  put_md (m, r->gstreamer_version ? r->gstreamer_version : "GStreamer ?");
  put (m, ", %s s.\n\n", g_ascii_formatd (secs, sizeof (secs), "%.3f",
          r->duration_ns / 1e9));
  if (!r->complete)
    put (m, "> **Incomplete trace**: the program was killed or crashed; "
        "this is everything up to its last flush.\n\n");
  else if (g_strcmp0 (r->end_reason, "deinit"))
    put (m, "> The program ended without `gst_deinit()`: objects are "
        "reported as alive at exit.\n\n");
  if (r->dropped_events)
    put (m, "> **%" G_GINT64_FORMAT " events were dropped**: the numbers "
        "below may be wrong.\n\n", r->dropped_events);
}

static void
put_summary (Md * m)
{
  MemTraceReport *r = m->r;
  MemTraceLeaks *l = r->leaks;

  put (m, "| | |\n|:--|--:|\n");
  put (m, "| objects created | %" G_GINT64_FORMAT " |\n", r->objects_created);
  put (m, "| leaked objects | %" G_GINT64_FORMAT " |\n", l->leaked_objects);
  put (m, "| leaked bytes (payload) | ");
  put_bytes (m, l->leaked_bytes);
  put (m, " |\n| leak groups | %u |\n", l->n_unsuppressed_groups);
  put (m, "| suppressed objects | %" G_GINT64_FORMAT " |\n",
      l->suppressed_objects);
  put (m, "| flagged MAY_BE_LEAKED (not counted) | %" G_GINT64_FORMAT " |\n",
      l->may_be_leaked_objects);
  put (m, "| released by gst_deinit (not counted) | %" G_GINT64_FORMAT
      " |\n", l->released_by_deinit);
  put (m, "| peak live bytes (payload) | ");
  put_bytes (m, r->peak_bytes);
  put (m, " |\n");
  if (l->from_checkpoint || l->to_checkpoint) {
    put (m, "| window | from ");
    put_md (m, l->from_checkpoint ? l->from_checkpoint : "the start");
    put (m, " to ");
    put_md (m, l->to_checkpoint ? l->to_checkpoint : "the end");
    put (m, " |\n");
  }
  put (m, "\n");
}

/* A fenced code block whose fence no line of it can close. */
static void
put_stack (gint64 stack_id, const gchar * title, gpointer data)
{
  static const MemTraceStackStyle style = { "", STACK_LINES, clean, NULL,
    NULL
  };
  Md *m = data;
  gchar *block = memtrace_format_stack_lines (m->r->frames, stack_id,
      &style);
  guint i, run = 0, longest = 0;
  const gchar *p;

  if (!block)
    return;
  for (p = block; *p; p++) {
    run = *p == '`' ? run + 1 : 0;
    longest = MAX (longest, run);
  }
  put (m, "**%s**\n\n", title);
  for (i = 0; i < MAX (3, longest + 1); i++)
    g_string_append_c (m->s, '`');
  put (m, "\n%s", block);
  for (i = 0; i < MAX (3, longest + 1); i++)
    g_string_append_c (m->s, '`');
  put (m, "\n\n");
  g_free (block);
}

static void
put_group (Md * m, MemTraceLeakGroup * g, guint n)
{
  gchar *where = memtrace_format_group_where (m->r, g);
  guint i;

  /* One line: an HTML block ends at the first blank line. */
  put (m, "<details><summary><b>#%u</b> %" G_GINT64_FORMAT " ", n,
      g->objects);
  put_md (m, g->type);
  put (m, ", ");
  put_bytes (m, g->bytes);
  put (m, ", %s ", g->acquire_stack_id ? "acquired at" : "made at");
  put_md (m, where);
  put (m, "</summary>\n\n");

  put (m, "- type: ");
  put_md (m, g->type);
  put (m, "\n- objects: %" G_GINT64_FORMAT " (roots of the leak)\n",
      g->objects);
  put (m, "- bytes: ");
  put_bytes (m, g->bytes);
  put (m, " payload, %" G_GINT64_FORMAT " allocated (with all it holds)\n",
      g->allocated_bytes);
  put (m, "- %s\n", memtrace_leak_state_name (g->state));
  if (g->last_pad) {
    put (m, "- last pad: ");
    put_md (m, g->last_pad);
    put (m, "\n");
  }
  if (g->holds->len) {
    put (m, "- holds:");
    for (i = 0; i < g->holds->len; i++) {
      MemTraceTally *t = &g_array_index (g->holds, MemTraceTally, i);

      put (m, "%s %" G_GINT64_FORMAT " ", i ? "," : "", t->objects);
      put_md (m, t->type);
      if (t->bytes) {
        put (m, " (");
        put_bytes (m, t->bytes);
        put (m, ")");
      }
    }
    put (m, "\n");
  }
  if (g->refs->len) {
    gint64 total = 0;

    for (i = 0; i < g->refs->len; i++)
      total += g_array_index (g->refs, MemTraceRefSite, i).count;
    put (m, "- references never given back: %" G_GINT64_FORMAT " (from %u "
        "place%s)\n", total, g->refs->len, g->refs->len > 1 ? "s" : "");
  }
  if (g->suppressed_by) {
    put (m, "- suppressed by: ");
    put_md (m, g->suppressed_by);
    put (m, "\n");
  }
  put (m, "\n");
  memtrace_format_group_stacks (g, put_stack, m);
  put (m, "</details>\n\n");
  g_free (where);
}

static void
put_groups (Md * m, gboolean suppressed)
{
  GPtrArray *groups = m->r->leaks->groups;
  guint i, shown = 0, skipped = 0;

  for (i = 0; i < groups->len; i++) {
    MemTraceLeakGroup *g = g_ptr_array_index (groups, i);

    if (!g->suppressed_by != !suppressed)
      continue;
    if (shown < MAX_GROUPS) {
      put_group (m, g, i + 1);
      shown++;
    } else {
      skipped++;
    }
  }
  if (skipped)
    put (m, "and %u more group%s: see the full report (`--format html` or "
        "`--format json`).\n\n", skipped, skipped > 1 ? "s" : "");
}

static void
put_by_type (Md * m)
{
  GArray *types = m->r->leaks->leaked_by_type;
  guint i;

  if (!types->len)
    return;
  put (m, "### Leaked by type\n\n");
  put (m, "| type | objects | bytes | allocated bytes |\n"
      "|:--|--:|--:|--:|\n");
  for (i = 0; i < types->len; i++) {
    MemTraceTally *t = &g_array_index (types, MemTraceTally, i);

    put (m, "| ");
    put_md (m, t->type);
    put (m, " | %" G_GINT64_FORMAT " | %" G_GINT64_FORMAT " | %"
        G_GINT64_FORMAT " |\n", t->objects, t->bytes, t->allocated_bytes);
  }
  put (m, "\n");
}

gboolean
memtrace_report_write_markdown (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error)
{
  MemTraceLeaks *l = r->leaks;
  Md m = { r, o, g_string_new (NULL) };
  guint n_suppressed = l->groups->len - l->n_unsuppressed_groups;

  put_header (&m);
  put_summary (&m);
  if (l->n_unsuppressed_groups) {
    put (&m, "### Leaks\n\n");
    put_groups (&m, FALSE);
  }
  put_by_type (&m);
  if (n_suppressed && o->list_suppressed) {
    put (&m, "### Suppressed\n\n");
    put_groups (&m, TRUE);
  } else if (n_suppressed) {
    put (&m, "%u suppressed group%s (%" G_GINT64_FORMAT " objects) not "
        "shown: `--list-suppressed` shows them.\n", n_suppressed,
        n_suppressed > 1 ? "s" : "", l->suppressed_objects);
  }
  fwrite (m.s->str, 1, m.s->len, out);
  g_string_free (m.s, TRUE);
  return TRUE;
}
