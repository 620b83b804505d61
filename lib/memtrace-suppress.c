/* gst-memtrace: suppression files ("expected to live" lists).
 *
 * The LeakSanitizer format people know, "leak:PATTERN", matched against the
 * function, module and source file of every frame of the creation stack;
 * plus "type:TYPENAME" for a type and its subclasses. */
#include <string.h>
#include "memtrace-suppress.h"
#include "memtrace-error.h"

typedef struct
{
  gchar *rule;                  /* as written: "leak:foo" */
  gboolean is_type;
  GPatternSpec *pattern;        /* leak: rules */
  gchar *type;                  /* type: rules */
} Rule;

struct _MemTraceSuppressions
{
  GPtrArray *rules;
};

static void
rule_free (gpointer p)
{
  Rule *r = p;

  g_free (r->rule);
  if (r->pattern)
    g_pattern_spec_free (r->pattern);
  g_free (r->type);
  g_free (r);
}

MemTraceSuppressions *
memtrace_suppressions_new (void)
{
  MemTraceSuppressions *s = g_new0 (MemTraceSuppressions, 1);

  s->rules = g_ptr_array_new_with_free_func (rule_free);
  return s;
}

void
memtrace_suppressions_free (MemTraceSuppressions * s)
{
  if (!s)
    return;
  g_ptr_array_unref (s->rules);
  g_free (s);
}

guint
memtrace_suppressions_count (MemTraceSuppressions * s)
{
  return s->rules->len;
}

gchar *
memtrace_suppressions_digest (MemTraceSuppressions * s)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA1);
  gchar *digest;
  guint i;

  for (i = 0; s && i < s->rules->len; i++) {
    const Rule *r = g_ptr_array_index (s->rules, i);

    /* With its NUL: "ab" + "c" is not "a" + "bc". */
    g_checksum_update (sum, (const guchar *) r->rule, strlen (r->rule) + 1);
  }
  digest = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  return digest;
}

/* A LeakSanitizer pattern matches anywhere unless anchored with ^ or $. */
static GPatternSpec *
leak_pattern (const gchar * text)
{
  gboolean start = text[0] == '^';
  gsize len = strlen (text);
  gboolean end = len > 0 && text[len - 1] == '$';
  gchar *core = g_strndup (text + start,
      len - start - (end && len > (gsize) start));
  gchar *glob = g_strconcat (start ? "" : "*", core, end ? "" : "*", NULL);
  GPatternSpec *spec = g_pattern_spec_new (glob);

  g_free (glob);
  g_free (core);
  return spec;
}

static gboolean
valid_type_name (const gchar * name)
{
  const gchar *p;

  if (!*name || !(g_ascii_isalpha (*name) || *name == '_'))
    return FALSE;
  for (p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("_-+", *p))
      return FALSE;
  return TRUE;
}

gboolean
memtrace_suppressions_add_line (MemTraceSuppressions * s, const gchar * line,
    const gchar * origin, GError ** error)
{
  gchar *text = g_strstrip (g_strdup (line));
  const gchar *colon = strchr (text, ':');
  Rule *r;

  if (!*text || *text == '#') {
    g_free (text);
    return TRUE;
  }
  /* GLib's patterns take UTF-8 only (they assert on anything else). */
  if (!g_utf8_validate (text, -1, NULL)) {
    gchar *shown = g_utf8_make_valid (text, -1);

    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
        "%s: bad suppression '%s' (not UTF-8)", origin, shown);
    g_free (shown);
    g_free (text);
    return FALSE;
  }
  if (!colon || colon[1] == '\0' || (!g_str_has_prefix (text, "leak:")
          && !g_str_has_prefix (text, "type:"))
      || (g_str_has_prefix (text, "type:") && !valid_type_name (colon + 1))) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
        "%s: bad suppression '%s' (expected leak:PATTERN or type:TYPENAME)",
        origin, text);
    g_free (text);
    return FALSE;
  }
  r = g_new0 (Rule, 1);
  r->rule = g_strdup (text);
  r->is_type = g_str_has_prefix (text, "type:");
  if (r->is_type)
    r->type = g_strdup (colon + 1);
  else
    r->pattern = leak_pattern (colon + 1);
  g_ptr_array_add (s->rules, r);
  g_free (text);
  return TRUE;
}

gboolean
memtrace_suppressions_load (MemTraceSuppressions * s, const gchar * path,
    GError ** error)
{
  gchar *contents = NULL, **lines;
  GError *err = NULL;
  gboolean ok = TRUE;
  guint i;

  if (!g_file_get_contents (path, &contents, NULL, &err)) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
        "cannot read suppressions: %s", err->message);
    g_error_free (err);
    return FALSE;
  }
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; ok && lines[i]; i++) {
    gchar *origin = g_strdup_printf ("%s:%u", path, i + 1);

    ok = memtrace_suppressions_add_line (s, lines[i], origin, error);
    g_free (origin);
  }
  g_strfreev (lines);
  g_free (contents);
  return ok;
}

/* Names come from the trace: one that is not UTF-8 is matched as its
 * valid form (GLib's patterns assert on anything else). */
static gboolean
match_name (GPatternSpec * p, const gchar * name)
{
  gchar *valid;
  gboolean m;

  if (!name)
    return FALSE;
  if (g_utf8_validate (name, -1, NULL))
    return g_pattern_spec_match_string (p, name);
  valid = g_utf8_make_valid (name, -1);
  m = g_pattern_spec_match_string (p, valid);
  g_free (valid);
  return m;
}

static gboolean
match_frame (GPatternSpec * p, const MemTraceFrame * f)
{
  return match_name (p, f->function) || match_name (p, f->module)
      || match_name (p, f->file);
}

static gboolean
rule_matches (Rule * r, const gchar * const *type_chain, GPtrArray * frames)
{
  guint i;

  if (r->is_type)
    return type_chain && g_strv_contains (type_chain, r->type);
  for (i = 0; frames && i < frames->len; i++)
    if (match_frame (r->pattern, g_ptr_array_index (frames, i)))
      return TRUE;
  return FALSE;
}

const gchar *
memtrace_suppressions_match (MemTraceSuppressions * s,
    const gchar * const *type_chain, GPtrArray * frames)
{
  guint i;

  for (i = 0; s && i < s->rules->len; i++) {
    Rule *r = g_ptr_array_index (s->rules, i);

    if (rule_matches (r, type_chain, frames))
      return r->rule;
  }
  return NULL;
}
