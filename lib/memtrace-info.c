/* gst-memtrace: what a trace recorded, in numbers. */
#include "memtrace-info.h"
#include "memtrace-sql.h"
#include "memtrace-error.h"

static gint64
count (sqlite3 * db, const gchar * sql)
{
  return memtrace_sql_int (db, sql, 0);
}

static void
clear_type (gpointer p)
{
  g_free (((MemTraceTypeCount *) p)->type);
}

static void
clear_kind (gpointer p)
{
  g_free (((MemTraceKindCount *) p)->kind);
}

/* A finished trace has the counts in a table; a live snapshot, or a trace
 * finished by an older gst-memtrace, counts its objects. */
static const gchar types_kept_sql[] =
    "SELECT t.name, c.created, c.destroyed FROM type_counts c"
    "  JOIN types t ON t.id = c.type ORDER BY c.created DESC, t.name";
static const gchar types_counted_sql[] =
    "SELECT t.name, count(*), count(o.destroyed) FROM objects o"
    "  JOIN types t ON t.id = o.type GROUP BY o.type"
    "  ORDER BY count(*) DESC, t.name";

static gboolean
load_types (sqlite3 * db, GArray * out)
{
  sqlite3_stmt *st;
  gint rc;
  gboolean kept = count (db, "SELECT count(*) FROM sqlite_master WHERE "
      "type = 'table' AND name = 'type_counts'") > 0;

  if (sqlite3_prepare_v2 (db, kept ? types_kept_sql : types_counted_sql, -1,
          &st, NULL) != SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    MemTraceTypeCount c;

    c.type = memtrace_sql_column_text (st, 0);
    c.created = sqlite3_column_int64 (st, 1);
    c.destroyed = sqlite3_column_int64 (st, 2);
    c.alive = c.created - c.destroyed;
    g_array_append_val (out, c);
  }
  sqlite3_finalize (st);
  return rc == SQLITE_DONE;
}

static gboolean
load_kinds (sqlite3 * db, GArray * out)
{
  sqlite3_stmt *st;
  gint rc;

  if (sqlite3_prepare_v2 (db, "SELECT name, count FROM event_counts "
          "ORDER BY kind", -1, &st, NULL) != SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    MemTraceKindCount c;

    c.kind = memtrace_sql_column_text (st, 0);
    c.count = sqlite3_column_int64 (st, 1);
    g_array_append_val (out, c);
  }
  sqlite3_finalize (st);
  return rc == SQLITE_DONE;
}

static void
load_process (MemTraceTrace * t, MemTraceInfo * info)
{
  sqlite3 *db = memtrace_trace_db (t);

  info->pid = memtrace_trace_meta_int (t, "pid", 0);
  info->command = memtrace_trace_meta_text (t, "command");
  info->gstreamer_version = memtrace_trace_meta_text (t, "gstreamer_version");
  info->complete = memtrace_trace_meta_int (t, "complete", 0) == 1;
  info->end_reason = info->complete ?
      memtrace_trace_meta_text (t, "end_reason") : NULL;
  info->live = memtrace_trace_is_live (t);
  info->dropped_events = memtrace_trace_meta_int (t, "dropped_events", 0);
  info->corrupt_blocks = memtrace_trace_meta_int (t, "corrupt_blocks", 0);
  info->write_error = memtrace_trace_meta_text (t, "write_error");
  info->n_events = count (db, "SELECT coalesce (sum (n_events), 0) "
      "FROM blocks");
  info->duration_ns = memtrace_trace_meta_int (t, "end_ts", 0);
  if (!info->complete)
    info->duration_ns = count (db, "SELECT max (ts) FROM (SELECT max (ts) "
        "AS ts FROM objects UNION ALL SELECT max (ts) FROM events)");
  info->n_stacks = count (db, "SELECT count(*) FROM stacks");
  info->n_modules = count (db, "SELECT count(*) FROM modules");
  info->n_threads = count (db, "SELECT count(*) FROM threads");
  info->n_checkpoints = count (db, "SELECT count(*) FROM checkpoints");
}

MemTraceInfo *
memtrace_info_load (MemTraceTrace * t, GError ** error)
{
  MemTraceInfo *info = g_new0 (MemTraceInfo, 1);
  sqlite3 *db = memtrace_trace_db (t);

  info->kinds = g_array_new (FALSE, FALSE, sizeof (MemTraceKindCount));
  g_array_set_clear_func (info->kinds, clear_kind);
  info->types = g_array_new (FALSE, FALSE, sizeof (MemTraceTypeCount));
  g_array_set_clear_func (info->types, clear_type);
  load_process (t, info);
  if (info->live)
    return info;
  if (!load_kinds (db, info->kinds) || !load_types (db, info->types)) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_CORRUPT,
        "%s: damaged trace (%s)", memtrace_trace_path (t),
        sqlite3_errmsg (db));
    memtrace_info_free (info);
    return NULL;
  }
  return info;
}

void
memtrace_info_free (MemTraceInfo * info)
{
  if (!info)
    return;
  g_free (info->command);
  g_free (info->gstreamer_version);
  g_free (info->end_reason);
  g_free (info->write_error);
  g_array_unref (info->kinds);
  g_array_unref (info->types);
  g_free (info);
}
