/* gst-memtrace: the SQL plumbing the analyses share. */
#ifndef __MEMTRACE_SQL_H__
#define __MEMTRACE_SQL_H__

#include "memtrace-trace.h"

G_BEGIN_DECLS

/* Statements of one analysis on a trace.  A failure becomes a
 * MEMTRACE_ERROR_CORRUPT error "PATH: cannot analyse WHAT: MESSAGE" (what
 * is NULL: a MEMTRACE_ERROR_SQL error of the message alone); the first
 * error is the one told. */
typedef struct
{
  MemTraceTrace *trace;
  sqlite3 *db;
  const gchar *what;            /* "leaks", "the timeline" */
  GError **error;
} MemTraceQuery;

void memtrace_query_init (MemTraceQuery * q, MemTraceTrace * t,
    const gchar * what, GError ** error);
/* Sets the error from the connection's last message; returns FALSE. */
gboolean memtrace_query_failed (MemTraceQuery * q);
/* NULL, with the error set, if sql does not compile. */
sqlite3_stmt *memtrace_query_prepare (MemTraceQuery * q, const gchar * sql);
/* Runs statements that return no rows. */
gboolean memtrace_query_exec (MemTraceQuery * q, const gchar * sql);
/* Steps a statement that must run to its end in one step. */
gboolean memtrace_query_step_done (MemTraceQuery * q, sqlite3_stmt * st);
/* Finalizes a statement stepped until rc: FALSE, with the error set,
 * unless rc says it ran to its end. */
gboolean memtrace_query_finish (MemTraceQuery * q, sqlite3_stmt * st,
    gint rc);
/* The first column of the first row; 0 if none (or NULL). */
gint64 memtrace_query_int (MemTraceQuery * q, const gchar * sql);
/* types.id -> name (NULL where no type has the id, and at 0); NULL, with
 * the error set, if the types cannot be read. */
GPtrArray *memtrace_query_type_names (MemTraceQuery * q);
/* A name of those, "(unknown type)" for an id without one. */
const gchar *memtrace_type_name (GPtrArray * names, guint type);

/* The objects an analysis is limited to: those created between two
 * checkpoints (after the first, up to and with the second, as the leaks
 * between them), or else from from_ts up to before to_ts.  NULL or <= 0
 * for the start or the end. */
typedef struct
{
  const gchar *from_checkpoint; /* label or 1-based number */
  const gchar *to_checkpoint;
  gint64 from_ts;
  gint64 to_ts;
} MemTraceWindow;

/* A checkpoint's time, by label or 1-based number; a
 * MEMTRACE_ERROR_USAGE error if the trace has no such checkpoint. */
gboolean memtrace_query_checkpoint_ts (MemTraceQuery * q,
    const gchar * which, gint64 * ts);
/* The window (may be NULL) as creation times [*lo, *hi): G_MININT64 and
 * G_MAXINT64 for no limit.  FALSE, with the error set, for an unknown
 * checkpoint or checkpoints in the wrong order. */
gboolean memtrace_query_window (MemTraceQuery * q, const MemTraceWindow * w,
    gint64 * lo, gint64 * hi);
/* Whether a window limits anything. */
gboolean memtrace_window_is_set (const MemTraceWindow * w);

/* The same without an error: fallback when the query fails or gives no
 * row, or a NULL. */
gint64 memtrace_sql_int (sqlite3 * db, const gchar * sql, gint64 fallback);
/* The text of the first row of a query on ?1 = key, or NULL. */
gchar *memtrace_sql_lookup_text (sqlite3 * db, const gchar * sql,
    const gchar * key);
/* A copy of a column's text, NULL for NULL. */
gchar *memtrace_sql_column_text (sqlite3_stmt * st, gint column);

G_END_DECLS

#endif
