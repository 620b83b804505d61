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

static const gchar *
markup_entity (gunichar c, MemTraceMarkup markup)
{
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return markup == MEMTRACE_MARKUP_HTML ? "&#39;" : "&apos;";
    default:
      return NULL;
  }
}

void
memtrace_format_append_markup (GString * out, const gchar * s,
    MemTraceMarkup markup)
{
  gchar *valid = g_utf8_make_valid (s ? s : "", -1);
  gboolean xml = markup != MEMTRACE_MARKUP_HTML;
  const gchar *p, *next;

  for (p = valid; *p; p = next) {
    gunichar c = g_utf8_get_char (p);
    const gchar *entity = markup_entity (c, markup);

    next = g_utf8_next_char (p);
    if (entity)
      g_string_append (out, entity);
    else if ((c == '\t' || c == '\n') && markup == MEMTRACE_MARKUP_XML_TEXT)
      g_string_append_unichar (out, c);
    else if ((c == '\t' || c == '\n') && xml)
      g_string_append_printf (out, "&#%u;", c);
    else if (c < 0x20 || c == 0x7f)
      g_string_append_printf (out, "\\x%02x", c);
    else if ((c == 0xfffe || c == 0xffff) && xml)
      g_string_append_unichar (out, 0xfffd);
    else
      g_string_append_len (out, p, next - p);
  }
  g_free (valid);
}

gchar *
memtrace_format_group_where (MemTraceReport * r, const MemTraceLeakGroup * g)
{
  const MemTraceFrame *site = memtrace_frames_site (r->frames,
      memtrace_leak_group_site_stack (g));

  return site ? memtrace_frame_describe (site) : g_strdup ("?");
}

void
memtrace_format_group_stacks (const MemTraceLeakGroup * g,
    MemTraceStackFunc func, gpointer user_data)
{
  guint i;

  func (g->stack_id, "created at", user_data);
  if (g->acquire_stack_id)
    func (g->acquire_stack_id, "acquired from its pool at", user_data);
  for (i = 0; i < g->refs->len; i++) {
    MemTraceRefSite *s = &g_array_index (g->refs, MemTraceRefSite, i);
    gchar *title = g_strdup_printf ("%" G_GINT64_FORMAT " reference%s never "
        "given back, taken at", s->count, s->count > 1 ? "s" : "");

    func (s->stack_id, title, user_data);
    g_free (title);
  }
}

static void
append_frame_line (GString * out, const MemTraceFrame * f, guint i,
    const MemTraceStackStyle * style)
{
  gchar *d = memtrace_frame_describe (f);
  gchar *text = style->clean ? style->clean (d) : NULL;
  gboolean dim = style->dim && memtrace_frame_is_runtime (f);

  g_string_append_printf (out, "%s%s#%-2u %s%s\n", style->indent,
      dim ? style->dim : "", i, text ? text : d, dim ? style->undim : "");
  g_free (text);
  g_free (d);
}

gchar *
memtrace_format_stack_lines (MemTraceFrames * frames, gint64 stack_id,
    const MemTraceStackStyle * style)
{
  GPtrArray *stack = memtrace_frames_get (frames, stack_id);
  GString *out;
  guint i;

  if (!stack->len)
    return NULL;
  out = g_string_new (NULL);
  for (i = 0; i < stack->len && i < style->max_lines; i++)
    append_frame_line (out, g_ptr_array_index (stack, i), i, style);
  if (i < stack->len)
    g_string_append_printf (out, "%s... %u more frames\n", style->indent,
        stack->len - i);
  return g_string_free (out, FALSE);
}

void
memtrace_format_json_groups (JsonBuilder * b, const gchar * name,
    MemTraceReport * r, MemTraceJsonGroupFunc func)
{
  guint i;

  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (i = 0; i < r->leaks->groups->len; i++)
    func (b, r, g_ptr_array_index (r->leaks->groups, i));
  json_builder_end_array (b);
}

void
memtrace_format_write_json (JsonBuilder * b, FILE * out)
{
  JsonNode *root = json_builder_get_root (b);
  JsonGenerator *gen = json_generator_new ();
  gchar *text;

  g_object_unref (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  fputs (text, out);
  fputc ('\n', out);
  g_free (text);
  g_object_unref (gen);
  json_node_unref (root);
}
