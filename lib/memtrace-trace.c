/* gst-memtrace: opening a trace file for reading. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "memtrace-trace.h"
#include "memtrace-format.h"
#include "memtrace-finish.h"
#include "memtrace-error.h"
#include "memtrace-sql.h"

struct _MemTraceTrace
{
  gchar *path;
  sqlite3 *db;
  gboolean live;
  gboolean owns_db;
};

static gboolean
check_header (const gchar * path, GError ** error)
{
  gchar head[16] = { 0 };
  struct stat st;
  gssize n;
  gint fd;

  /* Non-blocking: a FIFO given as the trace must not hang us in open(). */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO, "%s: %s", path,
        g_strerror (errno));
    return FALSE;
  }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)) {
    close (fd);
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_NOT_A_TRACE,
        "%s: not a gst-memtrace trace (not a regular file)", path);
    return FALSE;
  }
  do
    n = pread (fd, head, sizeof (head), 0);
  while (n < 0 && errno == EINTR);
  close (fd);
  if (n < (gssize) sizeof (head) || memcmp (head, "SQLite format 3", 16) != 0) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_NOT_A_TRACE,
        "%s: not a gst-memtrace trace (not an SQLite file)", path);
    return FALSE;
  }
  return TRUE;
}

gchar *
memtrace_trace_meta_text (MemTraceTrace * t, const gchar * key)
{
  return memtrace_sql_lookup_text (t->db, "SELECT value FROM meta "
      "WHERE key = ?", key);
}

gint64
memtrace_trace_meta_int (MemTraceTrace * t, const gchar * key, gint64 fallback)
{
  gchar *v = memtrace_trace_meta_text (t, key);
  gint64 n = v ? g_ascii_strtoll (v, NULL, 10) : fallback;

  g_free (v);
  return n;
}

static gboolean
check_format (MemTraceTrace * t, GError ** error)
{
  gchar *format = memtrace_trace_meta_text (t, "format");
  gint64 version = memtrace_trace_meta_int (t, "format_version", 0);
  gboolean ours = g_strcmp0 (format, MEMTRACE_FORMAT_NAME) == 0;

  g_free (format);
  if (!ours || version < 1) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_NOT_A_TRACE,
        "%s: not a gst-memtrace trace (no gst-memtrace metadata)", t->path);
    return FALSE;
  }
  if (version > MEMTRACE_FORMAT_VERSION) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_NEWER,
        "%s: trace format version %" G_GINT64_FORMAT " is newer than this "
        "gst-memtrace reads (%d): upgrade gst-memtrace", t->path, version,
        MEMTRACE_FORMAT_VERSION);
    return FALSE;
  }
  return TRUE;
}

gboolean
memtrace_trace_process_alive (gint64 pid, gint64 start_ticks,
    const gchar * boot_id)
{
  gchar *now_boot = NULL, *stat = NULL, *path, *p;
  gboolean alive = FALSE;
  gint field;

  g_file_get_contents ("/proc/sys/kernel/random/boot_id", &now_boot, NULL,
      NULL);
  path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  /* Field 22 is the start time; the command before it may hold spaces. */
  if (pid > 0 && boot_id && now_boot && !strcmp (boot_id,
          g_strstrip (now_boot))
      && g_file_get_contents (path, &stat, NULL, NULL)
      && (p = strrchr (stat, ')'))) {
    for (field = 2; field < 22 && p; field++)
      p = strchr (p + 1, ' ');
    alive = p && g_ascii_strtoll (p + 1, NULL, 10) == start_ticks;
  }
  g_free (path);
  g_free (stat);
  g_free (now_boot);
  return alive;
}

static gboolean
writer_alive (MemTraceTrace * t)
{
  gchar *boot = memtrace_trace_meta_text (t, "boot_id");
  gboolean alive = memtrace_trace_process_alive (memtrace_trace_meta_int (t,
          "pid", 0), memtrace_trace_meta_int (t, "process_start_ticks", -1),
      boot);

  g_free (boot);
  return alive;
}

static gboolean
open_db (MemTraceTrace * t, GError ** error)
{
  gint rc = sqlite3_open_v2 (t->path, &t->db, SQLITE_OPEN_READWRITE, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_exec (t->db, "SELECT count(*) FROM sqlite_master", NULL,
        NULL, NULL);
  if (rc == SQLITE_OK)
    return TRUE;
  g_set_error (error, MEMTRACE_ERROR, rc == SQLITE_NOTADB ?
      MEMTRACE_ERROR_NOT_A_TRACE : MEMTRACE_ERROR_CORRUPT,
      "%s: damaged trace (%s)", t->path, sqlite3_errmsg (t->db));
  return FALSE;
}

static gboolean
has_meta (MemTraceTrace * t, GError ** error)
{
  if (sqlite3_exec (t->db, "SELECT key, value FROM meta LIMIT 1", NULL, NULL,
          NULL) == SQLITE_OK)
    return TRUE;
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_NOT_A_TRACE,
      "%s: not a gst-memtrace trace (no gst-memtrace metadata)", t->path);
  return FALSE;
}

MemTraceTrace *
memtrace_trace_open (const gchar * path, GError ** error)
{
  MemTraceTrace *t = g_new0 (MemTraceTrace, 1);

  t->path = g_strdup (path);
  t->owns_db = TRUE;
  if (!check_header (path, error) || !open_db (t, error)
      || !has_meta (t, error) || !check_format (t, error))
    goto failed;
  sqlite3_busy_timeout (t->db, 5000);
  t->live = !memtrace_trace_meta_int (t, "complete", 0) && writer_alive (t);
  if (!t->live && !memtrace_finish_trace (t->db, error)) {
    /* SQLite says what ("database or disk is full"): say where. */
    g_prefix_error (error, "%s: cannot finish the trace: ", path);
    goto failed;
  }
  return t;

failed:
  memtrace_trace_close (t);
  return NULL;
}

MemTraceTrace *
memtrace_trace_new_for_db (sqlite3 * db, const gchar * path, gboolean live)
{
  MemTraceTrace *t = g_new0 (MemTraceTrace, 1);

  t->path = g_strdup (path);
  t->db = db;
  t->live = live;
  return t;
}

void
memtrace_trace_close (MemTraceTrace * t)
{
  if (!t)
    return;
  if (t->owns_db)
    sqlite3_close (t->db);
  g_free (t->path);
  g_free (t);
}

sqlite3 *
memtrace_trace_db (MemTraceTrace * t)
{
  return t->db;
}

const gchar *
memtrace_trace_path (MemTraceTrace * t)
{
  return t->path;
}

gboolean
memtrace_trace_is_live (MemTraceTrace * t)
{
  return t->live;
}

gboolean
memtrace_trace_check_finished (MemTraceTrace * t, GError ** error)
{
  if (!t->live)
    return TRUE;
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
      "%s: the recording is still going on: analyse it when it is over",
      t->path);
  return FALSE;
}
