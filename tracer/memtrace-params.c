/* gst-memtrace: the tracer's parameters, from GST_TRACERS="memtrace(...)".
 *
 * GStreamer 1.22 hands a tracer its parameters as the raw `params` string;
 * like the leaks tracer we parse it as the fields of a GstStructure. */
#include <signal.h>
#include <string.h>
#include <gst/gst.h>
#include "memtrace-params.h"

#define ACCEPTED "output, stack-depth, record-refs, filters, flush-interval, " \
  "checkpoint-signal, drop-when-full"

static void
defaults (MemTraceParams * p)
{
  memset (p, 0, sizeof (*p));
  p->stack_depth = 32;
  p->flush_interval_ms = 100;
}

static gboolean
get_uint (const GstStructure * s, const gchar * key, guint max, guint * out)
{
  const GValue *v = gst_structure_get_value (s, key);
  gint64 n = -1;

  if (G_VALUE_HOLDS_INT (v))
    n = g_value_get_int (v);
  else if (G_VALUE_HOLDS_UINT (v))
    n = g_value_get_uint (v);
  else if (G_VALUE_HOLDS_STRING (v) && g_value_get_string (v)) {
    /* "NULL" parses as a string value that is NULL: checked above. */
    gchar *end = NULL;
    const gchar *str = g_value_get_string (v);

    n = g_ascii_strtoll (str, &end, 10);
    if (!end || *end || end == str)
      n = -1;
  }
  if (n < 0 || n > max)
    return FALSE;
  *out = n;
  return TRUE;
}

static gboolean
get_bool (const GstStructure * s, const gchar * key, gboolean * out)
{
  const GValue *v = gst_structure_get_value (s, key);

  if (G_VALUE_HOLDS_BOOLEAN (v)) {
    *out = g_value_get_boolean (v);
    return TRUE;
  }
  if (G_VALUE_HOLDS_INT (v) && g_value_get_int (v) >= 0
      && g_value_get_int (v) <= 1) {
    *out = g_value_get_int (v);
    return TRUE;
  }
  return FALSE;
}

static gboolean
get_signal (const GstStructure * s, const gchar * key, gint * out)
{
  const gchar *name = gst_structure_get_string (s, key);

  if (!name)
    return FALSE;
  if (!g_ascii_strcasecmp (name, "SIGUSR1") || !g_ascii_strcasecmp (name,
          "USR1"))
    *out = SIGUSR1;
  else if (!g_ascii_strcasecmp (name, "SIGUSR2")
      || !g_ascii_strcasecmp (name, "USR2"))
    *out = SIGUSR2;
  else
    return FALSE;
  return TRUE;
}

/* GLib 2.74 has no g_type_name_is_valid(): the same rule, by hand. */
static gboolean
type_name_valid (const gchar * name)
{
  const gchar *p;

  if (strlen (name) < 3 || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("-_+", *p))
      return FALSE;
  return TRUE;
}

static gboolean
get_filters (const GstStructure * s, const gchar * key, gchar *** out)
{
  const gchar *list = gst_structure_get_string (s, key);
  gchar **names;
  guint i;

  if (!list || !*list)
    return FALSE;
  /* ',' ends a field in GstStructure syntax, so a list is '+' separated
   * (or a quoted string with commas). */
  names = g_strsplit_set (list, "+,", -1);
  for (i = 0; names[i]; i++) {
    g_strstrip (names[i]);
    if (!type_name_valid (names[i])) {
      g_strfreev (names);
      return FALSE;
    }
  }
  *out = names;
  return TRUE;
}

static gboolean
parse_field (const GstStructure * s, const gchar * key, MemTraceParams * p,
    const gchar ** accepted)
{
  if (!strcmp (key, "output")) {
    *accepted = "a file path";
    if (!gst_structure_get_string (s, key)
        || !*gst_structure_get_string (s, key))
      return FALSE;
    g_free (p->output);
    p->output = g_strdup (gst_structure_get_string (s, key));
    return TRUE;
  }
  if (!strcmp (key, "stack-depth")) {
    *accepted = "a whole number from 0 to 128";
    return get_uint (s, key, 128, &p->stack_depth);
  }
  if (!strcmp (key, "record-refs")) {
    *accepted = "true or false";
    return get_bool (s, key, &p->record_refs);
  }
  if (!strcmp (key, "drop-when-full")) {
    *accepted = "true or false";
    return get_bool (s, key, &p->drop_when_full);
  }
  if (!strcmp (key, "flush-interval")) {
    *accepted = "milliseconds from 1 to 60000";
    return get_uint (s, key, 60000, &p->flush_interval_ms)
        && p->flush_interval_ms > 0;
  }
  if (!strcmp (key, "checkpoint-signal")) {
    *accepted = "SIGUSR1 or SIGUSR2";
    return get_signal (s, key, &p->checkpoint_signal);
  }
  if (!strcmp (key, "filters")) {
    *accepted = "type names separated by '+'";
    return get_filters (s, key, &p->filters);
  }
  *accepted = NULL;
  return FALSE;
}

static void
parse_fields (const GstStructure * s, MemTraceParams * p, GPtrArray * warnings)
{
  gint i, n = gst_structure_n_fields (s);

  for (i = 0; i < n; i++) {
    const gchar *key = gst_structure_nth_field_name (s, i);
    const gchar *accepted = NULL;
    MemTraceParams saved = *p;

    if (parse_field (s, key, p, &accepted))
      continue;
    if (accepted) {
      gchar *v = gst_value_serialize (gst_structure_get_value (s, key));

      g_ptr_array_add (warnings, g_strdup_printf ("memtrace: bad value '%s' "
              "for '%s' (expected %s): using the default", v ? v : "NULL",
              key, accepted));
      g_free (v);
      *p = saved;
    } else {
      g_ptr_array_add (warnings, g_strdup_printf ("memtrace: unknown "
              "parameter '%s' ignored (accepted: " ACCEPTED ")", key));
    }
  }
}

void
memtrace_params_parse (const gchar * params, MemTraceParams * out,
    GPtrArray * warnings)
{
  GstStructure *s;
  gchar *text, *end = NULL;

  defaults (out);
  if (!params || !*params)
    return;
  text = g_strdup_printf ("memtrace,%s", params);
  /* With an end pointer: without one, text left over (after a ';') is a
   * g_warning, which G_DEBUG=fatal-warnings turns into an abort. */
  s = gst_structure_from_string (text, &end);
  while (end && g_ascii_isspace (*end))
    end++;
  if (s && end && *end) {
    gst_structure_free (s);
    s = NULL;
  }
  if (s) {
    parse_fields (s, out, warnings);
    gst_structure_free (s);
  } else {
    g_ptr_array_add (warnings, g_strdup_printf ("memtrace: cannot parse "
            "parameters '%s' (expected key=value pairs separated by ','; "
            "accepted keys: " ACCEPTED "): using the defaults", params));
  }
  g_free (text);
}

void
memtrace_params_clear (MemTraceParams * p)
{
  g_free (p->output);
  g_strfreev (p->filters);
  memset (p, 0, sizeof (*p));
}
