/* gst-memtrace: following a trace while it is being recorded.
 *
 * The recorder keeps writing the live file, so we never write to it: it is
 * attached read-only (a WAL reader, which never blocks the writer) to a
 * private database where its blocks are decoded with the code that
 * finishes traces (memtrace-finish.c), a few at a time. */
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
  gboolean complete;
  /* Who writes it (meta pid, process_start_ticks, boot_id). */
  gint64 pid, start_ticks;
  gchar *boot_id;
};

/* The snapshot has the recorded tables too, not only the attached ones:
 * the analyses open connections of their own by path, which do not see
 * attachments.  Only blocks stay in the live file. */
static const gchar copy_sql[] =
    "INSERT OR REPLACE INTO main.meta SELECT key, value FROM live.meta "
    "  WHERE key NOT IN ('boot_id', 'finished');"
    "INSERT OR REPLACE INTO main.modules SELECT * FROM live.modules;"
    "INSERT OR REPLACE INTO main.threads SELECT * FROM live.threads;"
    "INSERT OR IGNORE INTO main.types SELECT * FROM live.types;"
    "INSERT INTO main.stacks SELECT s.* FROM live.stacks s "
    "  WHERE s.id NOT IN (SELECT id FROM main.stacks);";

/* The snapshot's meta says "finished" so that opening it never tries to
 * finish it, and it has no boot_id so that it never counts as live: it is
 * a still picture, which the analyses accept. */
static const gchar setup_sql[] =
    "DROP TABLE main.blocks;"
    "INSERT INTO main.env SELECT * FROM live.env;"
    "INSERT OR REPLACE INTO main.meta VALUES ('finished', 1);";

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
      && memtrace_sql_exec (db, copy_sql, error)
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
  if (!attach_live (l->db, l->path, error))
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

static gboolean
decode (MemTraceLive * l, gint64 * last, GError ** error)
{
  sqlite3 *db = l->db;

  if (!memtrace_sql_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (memtrace_sql_exec (db, copy_sql, error)
      && memtrace_finish_decode_blocks (db, l->last_block, last, error)
      && memtrace_finish_derive (db, error)
      && memtrace_sql_exec (db, "COMMIT", error))
    return TRUE;
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
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
  if (last != l->last_block && !memtrace_symbolize_trace (l->db, NULL,
          error))
    return FALSE;
  l->last_block = last;
  return TRUE;
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
