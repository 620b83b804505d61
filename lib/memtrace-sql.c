/* gst-memtrace: the SQL plumbing the analyses share. */
#include "memtrace-sql.h"
#include "memtrace-error.h"

void
memtrace_query_init (MemTraceQuery * q, MemTraceTrace * t,
    const gchar * what, GError ** error)
{
  q->trace = t;
  q->db = memtrace_trace_db (t);
  q->what = what;
  q->error = error;
}

static void
set_error (MemTraceQuery * q, const gchar * message)
{
  /* A later failure is most often a consequence of the first. */
  if (!q->error || *q->error)
    return;
  if (q->what)
    g_set_error (q->error, MEMTRACE_ERROR, MEMTRACE_ERROR_CORRUPT,
        "%s: cannot analyse %s: %s", memtrace_trace_path (q->trace),
        q->what, message);
  else
    g_set_error (q->error, MEMTRACE_ERROR, MEMTRACE_ERROR_SQL, "%s",
        message);
}

gboolean
memtrace_query_failed (MemTraceQuery * q)
{
  set_error (q, sqlite3_errmsg (q->db));
  return FALSE;
}

sqlite3_stmt *
memtrace_query_prepare (MemTraceQuery * q, const gchar * sql)
{
  sqlite3_stmt *st = NULL;

  if (sqlite3_prepare_v2 (q->db, sql, -1, &st, NULL) != SQLITE_OK)
    memtrace_query_failed (q);
  return st;
}

gboolean
memtrace_query_exec (MemTraceQuery * q, const gchar * sql)
{
  gchar *msg = NULL;

  if (sqlite3_exec (q->db, sql, NULL, NULL, &msg) == SQLITE_OK)
    return TRUE;
  set_error (q, msg);
  sqlite3_free (msg);
  return FALSE;
}

gboolean
memtrace_query_step_done (MemTraceQuery * q, sqlite3_stmt * st)
{
  return sqlite3_step (st) == SQLITE_DONE || memtrace_query_failed (q);
}

gboolean
memtrace_query_finish (MemTraceQuery * q, sqlite3_stmt * st, gint rc)
{
  /* The message is read after the finalize, which keeps it. */
  sqlite3_finalize (st);
  return rc == SQLITE_DONE || memtrace_query_failed (q);
}

gboolean
memtrace_query_checkpoint_ts (MemTraceQuery * q, const gchar * which,
    gint64 * ts)
{
  sqlite3_stmt *st = memtrace_query_prepare (q, "SELECT ts FROM checkpoints "
      "WHERE label = ?1 OR (?2 > 0 AND id = (SELECT id FROM checkpoints "
      "ORDER BY ts, id LIMIT 1 OFFSET ?2 - 1)) ORDER BY ts LIMIT 1");
  gchar *end = NULL;
  gint64 index = g_ascii_strtoll (which, &end, 10);
  gboolean found;

  if (!st)
    return FALSE;
  sqlite3_bind_text (st, 1, which, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, end && !*end ? index : 0);
  found = sqlite3_step (st) == SQLITE_ROW;
  if (found)
    *ts = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  if (!found && q->error && !*q->error)
    g_set_error (q->error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
        "no checkpoint '%s' in %s", which, memtrace_trace_path (q->trace));
  return found;
}

gboolean
memtrace_window_is_set (const MemTraceWindow * w)
{
  return w && (w->from_checkpoint || w->to_checkpoint || w->from_ts > 0
      || w->to_ts > 0);
}

/* Checkpoints bound (from, to], as the leaks between them: shifted by one
 * nanosecond they are [lo, hi) like times. */
gboolean
memtrace_query_window (MemTraceQuery * q, const MemTraceWindow * w,
    gint64 * lo, gint64 * hi)
{
  *lo = G_MININT64;
  *hi = G_MAXINT64;
  if (!w)
    return TRUE;
  if (!w->from_checkpoint && !w->to_checkpoint) {
    *lo = w->from_ts > 0 ? w->from_ts : G_MININT64;
    *hi = w->to_ts > 0 ? w->to_ts : G_MAXINT64;
    return TRUE;
  }
  if (w->from_checkpoint && !memtrace_query_checkpoint_ts (q,
          w->from_checkpoint, lo))
    return FALSE;
  if (w->to_checkpoint && !memtrace_query_checkpoint_ts (q, w->to_checkpoint,
          hi))
    return FALSE;
  if (*lo > *hi) {
    if (q->error && !*q->error)
      g_set_error (q->error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
          "checkpoint '%s' comes after '%s'", w->from_checkpoint,
          w->to_checkpoint);
    return FALSE;
  }
  if (w->from_checkpoint)
    (*lo)++;
  if (w->to_checkpoint)
    (*hi)++;
  return TRUE;
}

/* Takes st (may be NULL). */
static gint64
first_int (sqlite3_stmt * st, gint64 fallback)
{
  gint64 v = fallback;

  if (st && sqlite3_step (st) == SQLITE_ROW
      && sqlite3_column_type (st, 0) != SQLITE_NULL)
    v = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  return v;
}

gint64
memtrace_query_int (MemTraceQuery * q, const gchar * sql)
{
  return first_int (memtrace_query_prepare (q, sql), 0);
}

gint64
memtrace_sql_int (sqlite3 * db, const gchar * sql, gint64 fallback)
{
  sqlite3_stmt *st = NULL;

  /* A statement that does not compile is left NULL. */
  sqlite3_prepare_v2 (db, sql, -1, &st, NULL);
  return first_int (st, fallback);
}

/* Ids beyond this are not types but damage: they would make the table
 * huge. */
#define MAX_TYPE_ID 1000000

GPtrArray *
memtrace_query_type_names (MemTraceQuery * q)
{
  sqlite3_stmt *st = memtrace_query_prepare (q, "SELECT id, name FROM types "
      "ORDER BY id");
  GPtrArray *names;
  gint rc;

  if (!st)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (names, NULL);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64 (st, 0);

    if (id <= 0 || id > MAX_TYPE_ID)
      continue;
    if (id >= names->len)
      g_ptr_array_set_size (names, id + 1);
    g_free (g_ptr_array_index (names, id));
    g_ptr_array_index (names, id) = memtrace_sql_column_text (st, 1);
  }
  if (!memtrace_query_finish (q, st, rc)) {
    g_ptr_array_unref (names);
    return NULL;
  }
  return names;
}

const gchar *
memtrace_type_name (GPtrArray * names, guint type)
{
  const gchar *name = type < names->len ?
      g_ptr_array_index (names, type) : NULL;

  return name ? name : "(unknown type)";
}

gchar *
memtrace_sql_lookup_text (sqlite3 * db, const gchar * sql, const gchar * key)
{
  sqlite3_stmt *st;
  gchar *v = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (st) == SQLITE_ROW)
    v = memtrace_sql_column_text (st, 0);
  sqlite3_finalize (st);
  return v;
}

gchar *
memtrace_sql_column_text (sqlite3_stmt * st, gint column)
{
  const guchar *text = sqlite3_column_text (st, column);

  return text ? g_strdup ((const gchar *) text) : NULL;
}
