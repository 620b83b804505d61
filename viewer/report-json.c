/* gst-memtrace: the JSON report, version 1 (docs/report-json.md). */
#include <json-glib/json-glib.h>
#include "report-formats.h"

#define REPORT_VERSION 1

static void
add_int (JsonBuilder * b, const gchar * name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_string (JsonBuilder * b, const gchar * name, const gchar * v)
{
  json_builder_set_member_name (b, name);
  if (v)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_trace (JsonBuilder * b, MemTraceReport * r)
{
  json_builder_set_member_name (b, "trace");
  json_builder_begin_object (b);
  add_string (b, "file", r->file);
  add_int (b, "pid", r->pid);
  add_string (b, "command", r->command);
  add_string (b, "gstreamer_version", r->gstreamer_version);
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, r->complete);
  add_string (b, "end_reason", r->end_reason);
  add_int (b, "duration_ns", r->duration_ns);
  add_int (b, "dropped_events", r->dropped_events);
  json_builder_end_object (b);
}

static void
add_summary (JsonBuilder * b, MemTraceReport * r)
{
  MemTraceLeaks *l = r->leaks;

  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  add_int (b, "objects_created", r->objects_created);
  add_int (b, "leaked_objects", l->leaked_objects);
  add_int (b, "leaked_bytes", l->leaked_bytes);
  add_int (b, "leaked_allocated_bytes", l->leaked_allocated_bytes);
  add_int (b, "leak_groups", l->n_unsuppressed_groups);
  add_int (b, "suppressed_objects", l->suppressed_objects);
  add_int (b, "may_be_leaked_objects", l->may_be_leaked_objects);
  add_int (b, "released_by_deinit", l->released_by_deinit);
  add_int (b, "peak_bytes", r->peak_bytes);
  add_int (b, "peak_ts", r->peak_ts);
  add_string (b, "from_checkpoint", l->from_checkpoint);
  add_string (b, "to_checkpoint", l->to_checkpoint);
  json_builder_end_object (b);
}

static void
add_tallies (JsonBuilder * b, const gchar * name, GArray * tallies)
{
  guint i;

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (i = 0; i < tallies->len; i++) {
    MemTraceTally *t = &g_array_index (tallies, MemTraceTally, i);

    json_builder_set_member_name (b, t->type);
    json_builder_begin_object (b);
    add_int (b, "objects", t->objects);
    add_int (b, "bytes", t->bytes);
    add_int (b, "allocated_bytes", t->allocated_bytes);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
}

static void
add_stack (JsonBuilder * b, MemTraceReport * r, const gchar * name,
    gint64 stack_id)
{
  GPtrArray *frames = memtrace_frames_get (r->frames, stack_id);
  guint i;

  json_builder_set_member_name (b, name);
  if (!stack_id) {
    json_builder_add_null_value (b);
    return;
  }
  json_builder_begin_array (b);
  for (i = 0; i < frames->len; i++) {
    const MemTraceFrame *f = g_ptr_array_index (frames, i);
    gchar *addr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", f->address);

    json_builder_begin_object (b);
    add_string (b, "function", f->function);
    add_string (b, "file", f->file);
    json_builder_set_member_name (b, "line");
    if (f->line)
      json_builder_add_int_value (b, f->line);
    else
      json_builder_add_null_value (b);
    add_string (b, "module", f->module);
    add_string (b, "address", addr);
    json_builder_end_object (b);
    g_free (addr);
  }
  json_builder_end_array (b);
}

static void
add_refs (JsonBuilder * b, MemTraceReport * r, MemTraceLeakGroup * g)
{
  guint i;

  json_builder_set_member_name (b, "refs_not_given_back");
  json_builder_begin_array (b);
  for (i = 0; i < g->refs->len; i++) {
    MemTraceRefSite *s = &g_array_index (g->refs, MemTraceRefSite, i);

    json_builder_begin_object (b);
    add_int (b, "count", s->count);
    add_stack (b, r, "stack", s->stack_id);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
}

static void
add_group (JsonBuilder * b, MemTraceReport * r, MemTraceLeakGroup * g)
{
  guint i;

  json_builder_begin_object (b);
  add_string (b, "type", g->type);
  add_int (b, "objects", g->objects);
  add_int (b, "bytes", g->bytes);
  add_int (b, "allocated_bytes", g->allocated_bytes);
  add_string (b, "state", memtrace_leak_state_name (g->state));
  add_stack (b, r, "stack", g->stack_id);
  add_stack (b, r, "acquire_stack", g->acquire_stack_id);
  add_string (b, "last_pad", g->last_pad);
  add_tallies (b, "holds", g->holds);
  add_refs (b, r, g);
  json_builder_set_member_name (b, "suppressed");
  json_builder_add_boolean_value (b, g->suppressed_by != NULL);
  add_string (b, "suppressed_by", g->suppressed_by);
  json_builder_set_member_name (b, "object_ids");
  json_builder_begin_array (b);
  for (i = 0; i < g->object_ids->len; i++)
    json_builder_add_int_value (b, g_array_index (g->object_ids, gint64, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
build (JsonBuilder * b, MemTraceReport * r)
{
  json_builder_begin_object (b);
  add_string (b, "format", "gst-memtrace-report");
  add_int (b, "version", REPORT_VERSION);
  add_trace (b, r);
  add_summary (b, r);
  add_tallies (b, "leaked_by_type", r->leaks->leaked_by_type);
  memtrace_format_json_groups (b, "leaks", r, add_group);
  json_builder_end_object (b);
}

gboolean
memtrace_report_write_json (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error)
{
  JsonBuilder *b = json_builder_new ();

  build (b, r);
  memtrace_format_write_json (b, out);
  return TRUE;
}
