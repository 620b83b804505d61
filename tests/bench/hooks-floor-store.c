/* gst-memtrace benchmark: the storage floor of the memtracehooks tracer.
 *
 * With store=true, each hook counts the events memtrace would record, and a
 * thread writes as many bytes (FLOOR_STORE_EVENT_BYTES each) into an SQLite
 * file the way memtrace's writer (tracer/memtrace-writer.c) does: 32 KiB
 * blobs from a prepared statement, the writer's pragmas (16 KiB pages, WAL,
 * synchronous=OFF, a checkpoint every 1 MiB), a commit every 100 ms, the
 * WAL copied into the file at the end.
 * No rings, no encoding, no event: what remains is what the trace file's
 * design costs, and the file is deleted afterwards. */
#include <unistd.h>
#include <sqlite3.h>
#include "hooks-floor-store.h"
#include "memtrace-writer.h"

#define BLOB_BYTES (32 * 1024)
#define POLL_US 1000
#define COMMIT_US (100 * 1000)

__thread guint64 *floor_store_mine;

static GMutex lock;
static GPtrArray *counters;     /* guint64 *, one per thread, never freed */
static GThread *thread;
static gint stop;
static sqlite3 *db;
static sqlite3_stmt *insert;
static gchar *path;

guint64 *
floor_store_register (void)
{
  guint64 *c = g_new0 (guint64, 1);

  g_mutex_lock (&lock);
  g_ptr_array_add (counters, c);
  g_mutex_unlock (&lock);
  return c;
}

static guint64
counted (void)
{
  guint64 total = 0;
  guint i;

  g_mutex_lock (&lock);
  for (i = 0; i < counters->len; i++)
    total += __atomic_load_n ((guint64 *) counters->pdata[i],
        __ATOMIC_RELAXED);
  g_mutex_unlock (&lock);
  return total;
}

static void
insert_blob (gsize len)
{
  static const guint8 zeros[BLOB_BYTES];

  sqlite3_bind_blob (insert, 1, zeros, len, SQLITE_STATIC);
  sqlite3_step (insert);
  sqlite3_reset (insert);
}

/* Writes what was counted since `written`, in whole blobs unless `all`. */
static guint64
write_up_to (guint64 written, gboolean all)
{
  guint64 total = counted ();

  while (total - written >= BLOB_BYTES) {
    insert_blob (BLOB_BYTES);
    written += BLOB_BYTES;
  }
  if (all && total > written) {
    insert_blob (total - written);
    written = total;
  }
  return written;
}

static gpointer
writer (gpointer data)
{
  gint64 last_commit = g_get_monotonic_time ();
  guint64 written = 0;

  while (!g_atomic_int_get (&stop)) {
    gboolean commit;

    g_usleep (POLL_US);
    commit = g_get_monotonic_time () - last_commit >= COMMIT_US;
    written = write_up_to (written, commit);
    if (commit) {
      sqlite3_exec (db, "COMMIT; BEGIN", NULL, NULL, NULL);
      last_commit = g_get_monotonic_time ();
    }
  }
  write_up_to (written, TRUE);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  return NULL;
}

gboolean
floor_store_start (void)
{
  counters = g_ptr_array_new ();
  path = g_strdup_printf ("memtracehooks-%d.db", (gint) getpid ());
  if (sqlite3_open (path, &db) != SQLITE_OK
      || sqlite3_exec (db, MEMTRACE_WRITER_PRAGMAS
          "CREATE TABLE blocks (id INTEGER PRIMARY KEY, data BLOB); BEGIN",
          NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO blocks (data) VALUES (?)", -1,
          &insert, NULL) != SQLITE_OK) {
    g_printerr ("memtracehooks: cannot write %s: %s\n", path,
        sqlite3_errmsg (db));
    return FALSE;
  }
  thread = g_thread_new ("memtracehooks-store", writer, NULL);
  return TRUE;
}

void
floor_store_stop (void)
{
  static const gchar *const suffixes[] = { "", "-wal", "-shm" };
  guint i;

  if (!thread)
    return;
  g_atomic_int_set (&stop, 1);
  g_thread_join (thread);
  thread = NULL;
  sqlite3_finalize (insert);
  sqlite3_close (db);
  for (i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    gchar *f = g_strconcat (path, suffixes[i], NULL);

    unlink (f);
    g_free (f);
  }
  g_free (path);
}
