/* gst-memtrace: the SARIF 2.1.0 report, for code scanning (GitHub's
 * upload-sarif, GitLab, IDE viewers).
 *
 * One result per leak group, rule "leak": located at the group's site (the
 * innermost frame with a source file outside GStreamer, GLib and libc: the
 * application's line that made, or acquired, what leaked), with the whole
 * creation stack, the acquire stack and the stacks of references never
 * given back as SARIF stacks, and the sites of those references as related
 * locations.  Suppressed groups are results too, with an external
 * suppression naming the rule. */
#include <string.h>
#include <json-glib/json-glib.h>
#include "report-formats.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

/* Strings from the trace as valid UTF-8: JSON needs it. */
static void
add_string (JsonBuilder * b, const gchar * name, const gchar * v)
{
  gchar *valid = g_utf8_make_valid (v ? v : "", -1);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, valid);
  g_free (valid);
}

static void
add_int (JsonBuilder * b, const gchar * name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_text (JsonBuilder * b, const gchar * name, const gchar * text)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_string (b, "text", text);
  json_builder_end_object (b);
}

/* A URI reference for a file name as recorded: a relative path stays
 * relative (relative to where it was compiled, as the compiler wrote it),
 * an absolute one becomes a file: URI. */
static gchar *
file_uri (const gchar * file)
{
  gchar *valid = g_utf8_make_valid (file, -1);
  gchar *path = g_uri_escape_string (valid, "/!$&'()*+,;=@", TRUE);
  gchar *uri = g_path_is_absolute (valid) ?
      g_strconcat ("file://", path, NULL) : g_strdup (path);

  g_free (path);
  g_free (valid);
  return uri;
}

static void
add_physical (JsonBuilder * b, const MemTraceFrame * f)
{
  gchar *uri;

  json_builder_set_member_name (b, "physicalLocation");
  json_builder_begin_object (b);
  if (f->file) {
    uri = file_uri (f->file);
    json_builder_set_member_name (b, "artifactLocation");
    json_builder_begin_object (b);
    add_string (b, "uri", uri);
    json_builder_end_object (b);
    g_free (uri);
    if (f->line) {
      json_builder_set_member_name (b, "region");
      json_builder_begin_object (b);
      add_int (b, "startLine", f->line);
      json_builder_end_object (b);
    }
  } else {
    /* Nothing else to locate it by. */
    json_builder_set_member_name (b, "address");
    json_builder_begin_object (b);
    add_int (b, "absoluteAddress", (gint64) f->address);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
}

static void
add_logical (JsonBuilder * b, const MemTraceFrame * f)
{
  if (!f->function)
    return;
  json_builder_set_member_name (b, "logicalLocations");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "name", f->function);
  add_string (b, "kind", "function");
  json_builder_end_object (b);
  json_builder_end_array (b);
}

/* A location object for one frame. */
static void
add_frame_location (JsonBuilder * b, const MemTraceFrame * f,
    const gchar * message)
{
  json_builder_begin_object (b);
  add_physical (b, f);
  add_logical (b, f);
  if (message)
    add_text (b, "message", message);
  json_builder_end_object (b);
}

typedef struct
{
  JsonBuilder *b;
  MemTraceFrames *frames;
} Stacks;

static void
add_stack (gint64 stack_id, const gchar * message, gpointer data)
{
  Stacks *s = data;
  JsonBuilder *b = s->b;
  GPtrArray *frames = memtrace_frames_get (s->frames, stack_id);
  guint i;

  if (!frames->len)
    return;
  json_builder_begin_object (b);
  add_text (b, "message", message);
  json_builder_set_member_name (b, "frames");
  json_builder_begin_array (b);
  for (i = 0; i < frames->len; i++) {
    const MemTraceFrame *f = g_ptr_array_index (frames, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "location");
    add_frame_location (b, f, NULL);
    if (f->module)
      add_string (b, "module", f->module);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* The innermost frame outside GStreamer, GLib and libc with a source file,
 * preferring the program's own files to system headers (an inline
 * gst_buffer_ref() in /usr/include is not what to fix). */
static const MemTraceFrame *
source_frame (MemTraceReport * r, gint64 stack_id, gboolean any)
{
  GPtrArray *frames = memtrace_frames_get (r->frames, stack_id);
  const MemTraceFrame *system = NULL;
  guint i;

  for (i = 0; i < frames->len; i++) {
    const MemTraceFrame *f = g_ptr_array_index (frames, i);

    if (!f->file || (!any && memtrace_frame_is_runtime (f)))
      continue;
    if (!g_str_has_prefix (f->file, "/usr/"))
      return f;
    if (!system)
      system = f;
  }
  return system;
}

/* What the result points at, as code scanning wants a file: the site of
 * the creation (or acquire) stack; failing that, where a reference never
 * given back was taken; failing that, any frame with a source file;
 * failing that, the site's module. */
static void
add_locations (JsonBuilder * b, MemTraceReport * r, MemTraceLeakGroup * g)
{
  gint64 site_stack = memtrace_leak_group_site_stack (g);
  const MemTraceFrame *f = source_frame (r, site_stack, FALSE);
  const MemTraceFrame *site = memtrace_frames_site (r->frames, site_stack);
  guint i;

  for (i = 0; !f && i < g->refs->len; i++)
    f = source_frame (r, g_array_index (g->refs, MemTraceRefSite,
            i).stack_id, FALSE);
  if (!f)
    f = source_frame (r, site_stack, TRUE);
  json_builder_set_member_name (b, "locations");
  json_builder_begin_array (b);
  if (f) {
    add_frame_location (b, f, NULL);
  } else if (site) {
    MemTraceFrame m = *site;

    m.file = site->module;
    m.line = 0;
    add_frame_location (b, &m, NULL);
  }
  json_builder_end_array (b);
}

/* Where references were taken and never given back. */
static void
add_related (JsonBuilder * b, MemTraceReport * r, MemTraceLeakGroup * g)
{
  guint i, id = 1, n = 0;

  for (i = 0; i < g->refs->len; i++) {
    MemTraceRefSite *s = &g_array_index (g->refs, MemTraceRefSite, i);
    n += source_frame (r, s->stack_id, FALSE) != NULL;
  }
  if (!n)
    return;
  json_builder_set_member_name (b, "relatedLocations");
  json_builder_begin_array (b);
  for (i = 0; i < g->refs->len; i++) {
    MemTraceRefSite *s = &g_array_index (g->refs, MemTraceRefSite, i);
    const MemTraceFrame *f = source_frame (r, s->stack_id, FALSE);
    gchar *msg;

    if (!f)
      continue;
    msg = g_strdup_printf ("%" G_GINT64_FORMAT " reference%s taken here "
        "never given back", s->count, s->count > 1 ? "s" : "");
    json_builder_begin_object (b);
    add_int (b, "id", id++);
    add_physical (b, f);
    add_logical (b, f);
    add_text (b, "message", msg);
    json_builder_end_object (b);
    g_free (msg);
  }
  json_builder_end_array (b);
}

static void
add_stacks (JsonBuilder * b, MemTraceReport * r, MemTraceLeakGroup * g)
{
  Stacks s = { b, r->frames };

  json_builder_set_member_name (b, "stacks");
  json_builder_begin_array (b);
  memtrace_format_group_stacks (g, add_stack, &s);
  json_builder_end_array (b);
}

static gchar *
message_text (MemTraceReport * r, MemTraceLeakGroup * g)
{
  GString *t = g_string_new (NULL);
  gchar *bytes = memtrace_format_bytes (g->bytes);
  gchar *where = memtrace_format_group_where (r, g);
  guint i;

  g_string_append_printf (t, "%" G_GINT64_FORMAT " %s leaked (%s with all "
      "it holds), %s at %s; %s.", g->objects, g->type, bytes,
      g->acquire_stack_id ? "acquired" : "made", where,
      memtrace_leak_state_name (g->state));
  if (g->last_pad)
    g_string_append_printf (t, " Last pad: %s.", g->last_pad);
  if (g->holds->len) {
    g_string_append (t, " Holds:");
    for (i = 0; i < g->holds->len; i++) {
      MemTraceTally *h = &g_array_index (g->holds, MemTraceTally, i);

      g_string_append_printf (t, "%s %" G_GINT64_FORMAT " %s", i ? "," : "",
          h->objects, h->type);
    }
    g_string_append_c (t, '.');
  }
  if (g->refs->len)
    g_string_append_printf (t, " References never given back: taken at %u "
        "place%s (see related locations and stacks).", g->refs->len,
        g->refs->len > 1 ? "s" : "");
  g_free (where);
  g_free (bytes);
  return g_string_free (t, FALSE);
}

/* Stable across runs and edits elsewhere in the file: the type, the state
 * and the functions of the creation and acquire stacks (no addresses, no
 * lines). */
static gchar *
fingerprint (MemTraceReport * r, MemTraceLeakGroup * g)
{
  GString *key = g_string_new (g->type);
  gint64 stacks[2] = { g->stack_id, g->acquire_stack_id };
  gchar *sum;
  guint s, i;

  g_string_append_printf (key, "|%d", g->state);
  for (s = 0; s < 2; s++) {
    GPtrArray *frames = memtrace_frames_get (r->frames, stacks[s]);

    g_string_append_c (key, '|');
    for (i = 0; i < frames->len; i++) {
      const MemTraceFrame *f = g_ptr_array_index (frames, i);

      g_string_append_printf (key, "%s;", f->function ? f->function : "?");
    }
  }
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key->str, -1);
  g_string_free (key, TRUE);
  return sum;
}

static void
add_properties (JsonBuilder * b, MemTraceLeakGroup * g)
{
  guint i;

  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  add_string (b, "type", g->type);
  add_int (b, "objects", g->objects);
  add_int (b, "bytes", g->bytes);
  add_int (b, "allocatedBytes", g->allocated_bytes);
  add_string (b, "state", memtrace_leak_state_name (g->state));
  if (g->last_pad)
    add_string (b, "lastPad", g->last_pad);
  json_builder_set_member_name (b, "holds");
  json_builder_begin_object (b);
  for (i = 0; i < g->holds->len; i++) {
    MemTraceTally *h = &g_array_index (g->holds, MemTraceTally, i);

    json_builder_set_member_name (b, h->type);
    json_builder_begin_object (b);
    add_int (b, "objects", h->objects);
    add_int (b, "bytes", h->bytes);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_result (JsonBuilder * b, MemTraceReport * r, MemTraceLeakGroup * g)
{
  gchar *text = message_text (r, g), *fp = fingerprint (r, g);

  json_builder_begin_object (b);
  add_string (b, "ruleId", "leak");
  add_int (b, "ruleIndex", 0);
  add_string (b, "level", "error");
  add_text (b, "message", text);
  add_locations (b, r, g);
  add_related (b, r, g);
  add_stacks (b, r, g);
  json_builder_set_member_name (b, "partialFingerprints");
  json_builder_begin_object (b);
  add_string (b, "gstMemtraceLeak/v1", fp);
  json_builder_end_object (b);
  if (g->suppressed_by) {
    json_builder_set_member_name (b, "suppressions");
    json_builder_begin_array (b);
    json_builder_begin_object (b);
    add_string (b, "kind", "external");
    add_string (b, "justification", g->suppressed_by);
    json_builder_end_object (b);
    json_builder_end_array (b);
  }
  add_properties (b, g);
  json_builder_end_object (b);
  g_free (fp);
  g_free (text);
}

static void
add_driver (JsonBuilder * b)
{
  json_builder_set_member_name (b, "driver");
  json_builder_begin_object (b);
  add_string (b, "name", "gst-memtrace");
  add_string (b, "version", PACKAGE_VERSION);
  add_string (b, "semanticVersion", PACKAGE_VERSION);
#ifdef MEMTRACE_INFORMATION_URI
  add_string (b, "informationUri", MEMTRACE_INFORMATION_URI);
#endif
  json_builder_set_member_name (b, "rules");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "id", "leak");
  add_string (b, "name", "GStreamerObjectLeak");
  add_text (b, "shortDescription", "GStreamer object leaked");
  add_text (b, "fullDescription", "A GStreamer object (buffer, memory, "
      "sample, caps, event, element, pad, pool...) was still alive when the "
      "program ended: a reference taken here was never given back.");
  add_text (b, "help", "Find who keeps the reference: the stack of where "
      "the object was made (or acquired from its pool), the references "
      "taken and never given back (recorded with record-refs=true) and the "
      "last pad it went through. Unref it, or add a leak:PATTERN or "
      "type:TYPENAME line to a suppression file if it is meant to live.");
  json_builder_set_member_name (b, "defaultConfiguration");
  json_builder_begin_object (b);
  add_string (b, "level", "error");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "memory");
  json_builder_add_string_value (b, "leak");
  json_builder_add_string_value (b, "gstreamer");
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_invocation (JsonBuilder * b, MemTraceReport * r)
{
  json_builder_set_member_name (b, "invocations");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "executionSuccessful");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  add_string (b, "trace", r->file);
  add_string (b, "command", r->command);
  add_string (b, "gstreamerVersion", r->gstreamer_version);
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, r->complete);
  add_int (b, "pid", r->pid);
  add_int (b, "objectsCreated", r->objects_created);
  add_int (b, "leakedObjects", r->leaks->leaked_objects);
  add_int (b, "leakedBytes", r->leaks->leaked_bytes);
  add_int (b, "peakBytes", r->peak_bytes);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
}

static void
build (JsonBuilder * b, MemTraceReport * r)
{
  json_builder_begin_object (b);
  add_string (b, "$schema", SARIF_SCHEMA);
  add_string (b, "version", "2.1.0");
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tool");
  json_builder_begin_object (b);
  add_driver (b);
  json_builder_end_object (b);
  add_invocation (b, r);
  memtrace_format_json_groups (b, "results", r, add_result);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

gboolean
memtrace_report_write_sarif (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error)
{
  JsonBuilder *b = json_builder_new ();

  build (b, r);
  memtrace_format_write_json (b, out);
  return TRUE;
}
