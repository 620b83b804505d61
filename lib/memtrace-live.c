/* gst-memtrace: following a trace while it is being recorded.
 *
 * The recorder keeps writing the live file, so we never write to it: it is
 * attached read-only (a WAL reader, which never blocks the writer) to a
 * private database where its blocks are decoded with the code that
 * finishes traces (memtrace-finish.c), a few at a time.
 *
 * A refresh costs what was recorded since the last one, not the trace:
 * only the new blocks are decoded, and what finishing derives from all
 * the events (destruction times, the frames of stacks) is derived here
 * from the new rows only.  The indexes are made once, on the empty
 * tables, and grow with them. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "memtrace-live.h"
#include "memtrace-finish.h"
#include "memtrace-schema.h"
#include "memtrace-symbolize.h"
#include "memtrace-sql.h"
#include "memtrace-error.h"

struct _MemTraceLive
{
  gchar *path;                  /* the live trace */
  gchar *db_path;               /* the snapshot */
  sqlite3 *db;                  /* to db_path, the live file attached */
  MemTraceTrace *trace;         /* over db */
  gint64 last_block;
  gint64 last_event;            /* events.rowid decoded so far */
  MemTraceLiveStats stats;
  gboolean derived;             /* once: the indexes are there */
  gboolean complete;
  /* Who writes it (meta pid, process_start_ticks, boot_id). */
  gint64 pid, start_ticks;
  gchar *boot_id;
};

/* The snapshot has the recorded tables too, not only the attached ones:
 * the analyses open connections of their own by path, which do not see
 * attachments.  Only blocks stay in the live file. */
#define COPY_META_SQL \
    "INSERT OR REPLACE INTO main.meta SELECT key, value FROM live.meta " \
    "  WHERE key NOT IN ('boot_id', 'finished');" \
    "INSERT OR REPLACE INTO main.modules SELECT * FROM live.modules;" \
    "INSERT OR REPLACE INTO main.threads SELECT * FROM live.threads;" \
    "INSERT OR IGNORE INTO main.types SELECT * FROM live.types;"

static const gchar copy_sql[] = COPY_META_SQL
    "INSERT INTO temp.new_stacks SELECT s.id FROM live.stacks s "
    "  WHERE s.id NOT IN (SELECT id FROM main.stacks);"
    "INSERT INTO main.stacks SELECT s.* FROM live.stacks s "
    "  JOIN temp.new_stacks n ON n.id = s.id;";

/* What one refresh decoded: objects made and stacks new since the last
 * one.  After the first, a trigger collects the objects as the blocks are
 * decoded. */
static const gchar temp_sql[] =
    "CREATE TEMP TABLE new_stacks (id INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE new_objects (id INTEGER PRIMARY KEY);";
static const gchar trigger_sql[] =
    "CREATE TEMP TRIGGER new_object AFTER INSERT ON main.objects BEGIN"
    "  INSERT OR IGNORE INTO new_objects VALUES (new.id); END;";

/* finish_derive's, on the new rows only.  A destruction decoded now may be
 * of an object decoded before, and an object decoded now may have been
 * destroyed in a block of another thread decoded before.  The plans are
 * forced (+kind, CROSS JOIN, MATERIALIZED): left to itself, SQLite walks
 * every destruction through the (kind, obj) index, or every object. */
static const gchar derive_sql[] =
    "UPDATE main.objects SET destroyed = e.ts FROM (SELECT obj, ts FROM"
    "  main.events WHERE rowid > ?1 AND +kind = 2) e"
    "  WHERE e.obj = objects.id;"
    "WITH d AS MATERIALIZED (SELECT n.id, e.ts FROM temp.new_objects n"
    "  CROSS JOIN main.events e ON e.kind = 2 AND e.obj = n.id)"
    "  UPDATE main.objects SET destroyed = d.ts FROM d"
    "  WHERE d.id = objects.id AND objects.destroyed IS NULL;"
    "INSERT OR REPLACE INTO main.frames WITH RECURSIVE depth (i) AS ("
    "  SELECT 0 UNION ALL SELECT i + 1 FROM depth WHERE i + 1 < (SELECT"
    "  max (length (frames)) / 8 FROM main.stacks WHERE id IN (SELECT id"
    "  FROM temp.new_stacks)))"
    "  SELECT s.id, d.i, memtrace_frame (s.frames, d.i) FROM temp.new_stacks"
    "  n CROSS JOIN main.stacks s ON s.id = n.id JOIN depth d"
    "  ON d.i < length (s.frames) / 8;";

/* The snapshot's meta says "finished" so that opening it never tries to
 * finish it, and it has no boot_id so that it never counts as live: it is
 * a still picture, which the analyses accept. */
static const gchar setup_sql[] =
    "DROP TABLE main.blocks;"
    "INSERT INTO main.env SELECT * FROM live.env;"
    "INSERT OR REPLACE INTO main.meta VALUES ('finished', 1);";

/* memtrace_frame (blob, i): the i-th instruction pointer of a stack's
 * frames, 8 bytes little-endian each, as the recorder stores them. */
static void
frame_function (sqlite3_context * ctx, gint argc, sqlite3_value ** argv)
{
  const guint8 *blob = sqlite3_value_blob (argv[0]);
  gint64 i = sqlite3_value_int64 (argv[1]);
  guint64 ip;

  if (!blob || i < 0 || (i + 1) * 8 > sqlite3_value_bytes (argv[0])) {
    sqlite3_result_null (ctx);
    return;
  }
  memcpy (&ip, blob + i * 8, 8);
  sqlite3_result_int64 (ctx, (gint64) GUINT64_FROM_LE (ip));
}

static gboolean
attach_live (sqlite3 * db, const gchar * path, GError ** error)
{
  gchar *escaped = g_uri_escape_string (path, "/", FALSE);
  gchar *uri = g_strdup_printf ("file:%s?mode=ro", escaped);
  sqlite3_stmt *st;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "ATTACH ? AS live", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text (st, 1, uri, -1, SQLITE_STATIC);
    ok = sqlite3_step (st) == SQLITE_DONE;
    sqlite3_finalize (st);
  }
  if (!ok)
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO,
        "%s: cannot read the live trace: %s", path, sqlite3_errmsg (db));
  g_free (uri);
  g_free (escaped);
  return ok;
}

/* Created in rollback mode so that the file has its header at once (the
 * trace opener checks it), then switched to WAL so that readers in other
 * threads never wait for an update. */
static gboolean
create_snapshot (MemTraceLive * l, GError ** error)
{
  sqlite3 *db = NULL;
  gboolean ok;

  if (sqlite3_open_v2 (l->db_path, &db, SQLITE_OPEN_READWRITE
          | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO, "%s: %s",
        l->db_path, sqlite3_errmsg (db));
    sqlite3_close (db);
    return FALSE;
  }
  sqlite3_busy_timeout (db, 5000);
  ok = memtrace_sql_exec (db, memtrace_schema_recording, error)
      && memtrace_sql_exec (db, memtrace_schema_finished, error)
      && attach_live (db, l->path, error)
      && memtrace_sql_exec (db, "BEGIN", error)
      && memtrace_sql_exec (db, setup_sql, error)
      && memtrace_sql_exec (db, COPY_META_SQL, error)
      && memtrace_sql_exec (db, "COMMIT", error)
      && memtrace_sql_exec (db, "PRAGMA journal_mode = WAL", error);
  sqlite3_close (db);
  return ok;
}

static void
read_writer (MemTraceLive * l)
{
  l->pid = memtrace_trace_meta_int (l->trace, "pid", 0);
  l->start_ticks = memtrace_trace_meta_int (l->trace, "process_start_ticks",
      -1);
}

/* The connection that updates the snapshot, with the live file attached. */
static gboolean
open_writer (MemTraceLive * l, GError ** error)
{
  if (sqlite3_open_v2 (l->db_path, &l->db, SQLITE_OPEN_READWRITE
          | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO, "%s: %s",
        l->db_path, sqlite3_errmsg (l->db));
    return FALSE;
  }
  sqlite3_busy_timeout (l->db, 5000);
  /* Indexes grow with every refresh: their pages had better stay. */
  sqlite3_exec (l->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
  sqlite3_create_function (l->db, "memtrace_frame", 2, SQLITE_UTF8
      | SQLITE_DETERMINISTIC, NULL, frame_function, NULL, NULL);
  if (!attach_live (l->db, l->path, error)
      || !memtrace_sql_exec (l->db, temp_sql, error))
    return FALSE;
  l->trace = memtrace_trace_new_for_db (l->db, l->db_path, FALSE);
  return TRUE;
}

MemTraceLive *
memtrace_live_open (const gchar * path, GError ** error)
{
  MemTraceLive *l = g_new0 (MemTraceLive, 1);
  gint fd;

  l->path = g_strdup (path);
  fd = g_file_open_tmp ("gst-memtrace-view-XXXXXX.db", &l->db_path, error);
  if (fd < 0)
    goto failed;
  close (fd);
  /* An empty file is not a database to SQLite's eyes until written. */
  g_unlink (l->db_path);
  if (!create_snapshot (l, error) || !open_writer (l, error))
    goto failed;
  read_writer (l);
  l->boot_id = memtrace_sql_lookup_text (l->db, "SELECT value FROM "
      "live.meta WHERE key = ?", "boot_id");
  return l;

failed:
  memtrace_live_close (l);
  return NULL;
}

/* The rows each statement of derive_sql writes are counted: the two
 * UPDATEs destruction times, the INSERT frames. */
static gboolean
derive_new (MemTraceLive * l, GError ** error)
{
  sqlite3_stmt *st;
  const gchar *sql = derive_sql;
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && *sql; i++) {
    ok = sqlite3_prepare_v2 (l->db, sql, -1, &st, &sql) == SQLITE_OK;
    if (ok && st) {
      if (sqlite3_bind_parameter_count (st))
        sqlite3_bind_int64 (st, 1, l->last_event);
      ok = sqlite3_step (st) == SQLITE_DONE;
      *(i < 2 ? &l->stats.destroyed : &l->stats.frames) +=
          sqlite3_changes (l->db);
    }
    sqlite3_finalize (st);
  }
  if (!ok)
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_SQL, "%s",
        sqlite3_errmsg (l->db));
  return ok;
}

/* The first time, what is there is derived as finishing does it, indexes
 * made after the rows; then only what is new, the indexes growing. */
static gboolean
derive (MemTraceLive * l, GError ** error)
{
  l->stats.destroyed = l->stats.frames = 0;
  if (l->derived)
    return derive_new (l, error);
  l->derived = memtrace_finish_derive (l->db, error)
      && memtrace_sql_exec (l->db, trigger_sql, error);
  l->stats.destroyed = memtrace_sql_int (l->db, "SELECT count (*) FROM "
      "main.objects WHERE destroyed IS NOT NULL", 0);
  l->stats.frames = memtrace_sql_int (l->db, "SELECT count (*) FROM "
      "main.frames", 0);
  return l->derived;
}

/* What this refresh decoded, for memtrace_live_stats(). */
static void
count_new (MemTraceLive * l, gint64 last_block)
{
  MemTraceLiveStats *s = &l->stats;
  gchar *sql = g_strdup_printf ("SELECT count (*), total (n_events) FROM "
      "live.blocks WHERE id > %" G_GINT64_FORMAT " AND id <= %"
      G_GINT64_FORMAT, l->last_block, last_block);
  sqlite3_stmt *st;

  s->blocks = s->block_events = 0;
  if (sqlite3_prepare_v2 (l->db, sql, -1, &st, NULL) == SQLITE_OK
      && sqlite3_step (st) == SQLITE_ROW) {
    s->blocks = sqlite3_column_int64 (st, 0);
    s->block_events = sqlite3_column_int64 (st, 1);
  }
  sqlite3_finalize (st);
  g_free (sql);
  s->events = memtrace_sql_int (l->db, "SELECT max (rowid) FROM "
      "main.events", 0) - l->last_event;
  s->objects = memtrace_sql_int (l->db, "SELECT count (*) FROM "
      "temp.new_objects", 0);
  s->stacks = memtrace_sql_int (l->db, "SELECT count (*) FROM "
      "temp.new_stacks", 0);
}

static gboolean
decode (MemTraceLive * l, gint64 * last, GError ** error)
{
  sqlite3 *db = l->db;
  gboolean derived = l->derived;

  if (!memtrace_sql_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (memtrace_sql_exec (db, "DELETE FROM temp.new_stacks;"
          "DELETE FROM temp.new_objects;", error)
      && memtrace_sql_exec (db, copy_sql, error)
      && memtrace_finish_decode_blocks (db, l->last_block, last, error)
      && derive (l, error)) {
    count_new (l, *last);
    if (memtrace_sql_exec (db, "COMMIT", error))
      return TRUE;
  }
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  /* The trigger went with the rest. */
  l->derived = derived;
  return FALSE;
}

gboolean
memtrace_live_update (MemTraceLive * l, gboolean * changed, GError ** error)
{
  gint64 last = l->last_block;
  gboolean complete;

  if (!decode (l, &last, error))
    return FALSE;
  complete = memtrace_trace_meta_int (l->trace, "complete", 0) == 1;
  if (changed)
    *changed = last != l->last_block || complete != l->complete;
  l->complete = complete;
  /* Only new stacks have addresses to resolve. */
  if (l->stats.stacks && !memtrace_symbolize_trace (l->db, NULL, error))
    return FALSE;
  l->last_block = last;
  l->last_event += l->stats.events;
  return TRUE;
}

void
memtrace_live_stats (MemTraceLive * l, MemTraceLiveStats * stats)
{
  *stats = l->stats;
}

MemTraceTrace *
memtrace_live_trace (MemTraceLive * l)
{
  return l->trace;
}

/* The snapshot's meta makes it look finished and not live (see
 * setup_sql), so the ordinary opener takes it as it is. */
MemTraceTrace *
memtrace_live_open_reader (MemTraceLive * l, GError ** error)
{
  return memtrace_trace_open (l->db_path, error);
}

gboolean
memtrace_live_recording (MemTraceLive * l)
{
  return !l->complete && memtrace_trace_process_alive (l->pid, l->start_ticks,
      l->boot_id);
}

const gchar *
memtrace_live_path (MemTraceLive * l)
{
  return l->path;
}

const gchar *
memtrace_live_snapshot_path (MemTraceLive * l)
{
  return l->db_path;
}

gint64
memtrace_live_last_block (MemTraceLive * l)
{
  return l->last_block;
}

void
memtrace_live_close (MemTraceLive * l)
{
  const gchar *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  guint i;

  if (!l)
    return;
  memtrace_trace_close (l->trace);
  sqlite3_close (l->db);
  for (i = 0; l->db_path && i < G_N_ELEMENTS (suffixes); i++) {
    gchar *p = g_strconcat (l->db_path, suffixes[i], NULL);

    g_unlink (p);
    g_free (p);
  }
  g_free (l->db_path);
  g_free (l->boot_id);
  g_free (l->path);
  g_free (l);
}
