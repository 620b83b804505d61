/* gst-memtrace: the JUnit XML report, for GitLab's artifacts:reports:junit,
 * Jenkins and the like: one failed test case per unsuppressed leak group,
 * one skipped test case per suppressed group, and one passing "no leaks"
 * test case when there is nothing else.  tests/formats/junit.xsd describes
 * what is written. */
#include <string.h>
#include "report-formats.h"

#define STACK_LINES 64

static void
put (GString * out, const gchar * format, ...) G_GNUC_PRINTF (2, 3);

static void
put (GString * out, const gchar * format, ...)
{
  va_list ap;

  va_start (ap, format);
  g_string_append_vprintf (out, format, ap);
  va_end (ap);
}

/* name="value" with value escaped. */
static void
put_attr (GString * out, const gchar * name, const gchar * value)
{
  put (out, " %s=\"", name);
  memtrace_format_append_markup (out, value, MEMTRACE_MARKUP_XML_ATTRIBUTE);
  g_string_append_c (out, '"');
}

typedef struct
{
  GString *text;
  MemTraceFrames *frames;
} StackText;

/* The text is escaped as a whole when it is written. */
static void
stack_text (gint64 stack_id, const gchar * title, gpointer data)
{
  static const MemTraceStackStyle style = { "  ", STACK_LINES, NULL, NULL,
    NULL
  };
  StackText *t = data;
  gchar *lines = memtrace_format_stack_lines (t->frames, stack_id, &style);

  if (!lines)
    return;
  g_string_append_printf (t->text, "%s:\n%s", title, lines);
  g_free (lines);
}

/* What a failure says: the group's facts, then its stacks. */
static gchar *
group_text (MemTraceReport * r, MemTraceLeakGroup * g)
{
  GString *t = g_string_new (NULL);
  StackText stacks = { t, r->frames };
  gchar *b = memtrace_format_bytes (g->bytes);
  guint i;

  g_string_append_printf (t, "%" G_GINT64_FORMAT " %s leaked, %s payload "
      "(%" G_GINT64_FORMAT " bytes allocated) with all it holds; %s\n",
      g->objects, g->type, b, g->allocated_bytes,
      memtrace_leak_state_name (g->state));
  if (g->last_pad)
    g_string_append_printf (t, "last pad: %s\n", g->last_pad);
  if (g->holds->len) {
    g_string_append (t, "holds:");
    for (i = 0; i < g->holds->len; i++) {
      MemTraceTally *h = &g_array_index (g->holds, MemTraceTally, i);

      g_string_append_printf (t, "%s %" G_GINT64_FORMAT " %s (%"
          G_GINT64_FORMAT " bytes)", i ? "," : "", h->objects, h->type,
          h->bytes);
    }
    g_string_append_c (t, '\n');
  }
  if (g->suppressed_by)
    g_string_append_printf (t, "suppressed by: %s\n", g->suppressed_by);
  memtrace_format_group_stacks (g, stack_text, &stacks);
  g_free (b);
  return g_string_free (t, FALSE);
}

static const MemTraceFrame *
group_site (MemTraceReport * r, MemTraceLeakGroup * g)
{
  return memtrace_frames_site (r->frames,
      memtrace_leak_group_site_stack (g));
}

/* The site's source file, else its module's file name. */
static gchar *
class_name (const MemTraceFrame * site)
{
  if (site && site->file)
    return g_strdup (site->file);
  if (site && site->module)
    return g_path_get_basename (site->module);
  return g_strdup ("unknown");
}

/* "TYPE leak at SITE", made unique: viewers merge test cases of one name. */
static gchar *
case_name (MemTraceReport * r, MemTraceLeakGroup * g, GHashTable * seen)
{
  gchar *where = memtrace_format_group_where (r, g);
  gchar *name = g_strdup_printf ("%s leak at %s", g->type, where);
  guint n = 1;

  while (g_hash_table_contains (seen, name)) {
    g_free (name);
    name = g_strdup_printf ("%s leak at %s [%u]", g->type, where, ++n);
  }
  g_hash_table_add (seen, g_strdup (name));
  g_free (where);
  return name;
}

static void
put_case (GString * out, MemTraceReport * r, MemTraceLeakGroup * g,
    GHashTable * seen)
{
  const MemTraceFrame *site = group_site (r, g);
  gchar *name = case_name (r, g, seen), *cls = class_name (site);
  gchar *text = group_text (r, g), *b = memtrace_format_bytes (g->bytes);
  gchar *message;

  put (out, "    <testcase");
  put_attr (out, "name", name);
  put_attr (out, "classname", cls);
  if (site && site->file) {
    put_attr (out, "file", site->file);
    if (site->line)
      put (out, " line=\"%u\"", site->line);
  }
  put (out, " time=\"0\">\n");
  if (g->suppressed_by) {
    message = g_strdup_printf ("suppressed by %s", g->suppressed_by);
    put (out, "      <skipped");
    put_attr (out, "message", message);
    put (out, "/>\n");
    put (out, "      <system-out>");
    memtrace_format_append_markup (out, text, MEMTRACE_MARKUP_XML_TEXT);
    put (out, "</system-out>\n");
  } else {
    message = g_strdup_printf ("%" G_GINT64_FORMAT " %s leaked (%s)%s%s",
        g->objects, g->type, b, g->last_pad ? ", last pad " : "",
        g->last_pad ? g->last_pad : "");
    put (out, "      <failure");
    put_attr (out, "message", message);
    put (out, " type=\"leak\">");
    memtrace_format_append_markup (out, text, MEMTRACE_MARKUP_XML_TEXT);
    put (out, "</failure>\n");
  }
  put (out, "    </testcase>\n");
  g_free (message);
  g_free (b);
  g_free (text);
  g_free (cls);
  g_free (name);
}

static void
put_property (GString * out, const gchar * name, const gchar * value)
{
  put (out, "      <property");
  put_attr (out, "name", name);
  put_attr (out, "value", value ? value : "");
  put (out, "/>\n");
}

static void
put_properties (GString * out, MemTraceReport * r)
{
  MemTraceLeaks *l = r->leaks;
  gchar *v;

  put (out, "    <properties>\n");
  put_property (out, "trace", r->file);
  put_property (out, "command", r->command);
  put_property (out, "gstreamer_version", r->gstreamer_version);
  put_property (out, "complete", r->complete ? "true" : "false");
  put_property (out, "end_reason", r->end_reason);
#define INT_PROPERTY(name, value) \
  v = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) (value)); \
  put_property (out, name, v); \
  g_free (v)
  INT_PROPERTY ("pid", r->pid);
  INT_PROPERTY ("objects_created", r->objects_created);
  INT_PROPERTY ("leaked_objects", l->leaked_objects);
  INT_PROPERTY ("leaked_bytes", l->leaked_bytes);
  INT_PROPERTY ("suppressed_objects", l->suppressed_objects);
  INT_PROPERTY ("peak_bytes", r->peak_bytes);
#undef INT_PROPERTY
  put (out, "    </properties>\n");
}

gboolean
memtrace_report_write_junit (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error)
{
  MemTraceLeaks *l = r->leaks;
  GString *s = g_string_new (NULL);
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  guint failures = l->n_unsuppressed_groups;
  guint skipped = l->groups->len - failures;
  guint tests = l->groups->len + (failures == 0);
  gchar time[G_ASCII_DTOSTR_BUF_SIZE];
  gchar *counts;
  guint i;

  g_ascii_formatd (time, sizeof (time), "%.3f", r->duration_ns / 1e9);
  counts = g_strdup_printf ("tests=\"%u\" failures=\"%u\" errors=\"0\" "
      "skipped=\"%u\" time=\"%s\"", tests, failures, skipped, time);
  put (s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  put (s, "<testsuites name=\"gst-memtrace\" %s>\n", counts);
  put (s, "  <testsuite name=\"gst-memtrace\" %s>\n", counts);
  put_properties (s, r);
  for (i = 0; i < l->groups->len; i++)
    put_case (s, r, g_ptr_array_index (l->groups, i), seen);
  if (!failures)
    put (s, "    <testcase name=\"no leaks\" classname=\"gst-memtrace\" "
        "time=\"0\"/>\n");
  put (s, "  </testsuite>\n</testsuites>\n");
  fwrite (s->str, 1, s->len, out);
  g_string_free (s, TRUE);
  g_hash_table_unref (seen);
  g_free (counts);
  return TRUE;
}
