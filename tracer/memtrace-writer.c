/* gst-memtrace: the one thread that moves events from the rings into the
 * trace file.
 *
 * It encodes each thread's events into blocks and inserts whole blocks, in
 * one transaction per flush interval: a process killed at any moment leaves
 * every committed interval readable in the WAL. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <pthread.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <gst/gst.h>
#include "memtrace-writer.h"
#include "memtrace-record.h"
#include "memtrace-process.h"
#include "memtrace-schema.h"
#include "memtrace-error.h"
#include "memtrace-clock.h"
#include "memtrace-warn.h"

GST_DEBUG_CATEGORY_EXTERN (gst_memtrace_debug);
#define GST_CAT_DEFAULT gst_memtrace_debug

#define BLOCK_BYTES (32 * 1024)
/* The WAL frames of the end rows: three or four pages. */
#define RESERVE_BYTES (96 * 1024)
#define SIGNAL_SLOTS 64

struct _MemTraceWriter
{
  gchar *path;
  sqlite3 *db;
  sqlite3_stmt *insert_block, *insert_stack, *insert_type, *insert_thread;
  GHashTable *types;            /* GType -> id */
  guint next_type_id;
  MemTraceModules *modules;
  guint flush_interval_ms;
  gint64 last_commit;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean wake, stop;
  gboolean broken;              /* a write failed: count, don't write */
  guint64 lost;                 /* events decoded but not written */
  guint64 uncommitted;          /* events written since the last commit */
  gchar *write_error;
  gint64 broken_time;
  gint reserve_fd;              /* room kept for the end rows, or -1 */
  gint signal_checkpoints;      /* atomic, from the signal handler */
  guint64 signal_ts[SIGNAL_SLOTS];
  guint signal_checkpoints_done;
  MemTraceBlockWriter signal_block;
};

/* Read without a lock by any thread (a producer waking the writer, a
 * thread exiting, the checkpoint signal handler): atomic.  A writer that
 * finished is retired, not freed: one of them may still hold the pointer
 * and touch its lock, wake flag or signal slots. */
static MemTraceWriter *the_writer;
static MemTraceWriter *retired_writer;

/* A file size limit must fail our writes (EFBIG, then one warning), never
 * kill the application with SIGXFSZ: every thread that writes the trace
 * blocks it meanwhile and discards what its writes raised. */
static void
xfsz_block (sigset_t * saved)
{
  sigset_t xfsz;

  sigemptyset (&xfsz);
  sigaddset (&xfsz, SIGXFSZ);
  pthread_sigmask (SIG_BLOCK, &xfsz, saved);
}

static void
xfsz_restore (const sigset_t * saved)
{
  sigset_t xfsz;
  struct timespec now = { 0, 0 };

  sigemptyset (&xfsz);
  sigaddset (&xfsz, SIGXFSZ);
  while (sigtimedwait (&xfsz, NULL, &now) == SIGXFSZ);
  pthread_sigmask (SIG_SETMASK, saved, NULL);
}

/* On a full disk the end rows, which say that recording stopped and what
 * was lost, need room that the disk no longer has: an unnamed file in the
 * trace's directory keeps some, and gives it back when a write fails.  It
 * has no name, so a killed process leaves nothing behind.  It is taken
 * before the trace is made, so that no trace exists without that room; a
 * file system without O_TMPFILE keeps none. */
static gboolean
reserve_open (MemTraceWriter * w, GError ** error)
{
  gchar *dir = g_path_get_dirname (w->path);
  gint fd = open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600), err;

  g_free (dir);
  if (fd < 0)
    return TRUE;
  err = posix_fallocate (fd, 0, RESERVE_BYTES);
  if (err == 0) {
    w->reserve_fd = fd;
    return TRUE;
  }
  close (fd);
  if (err == EOPNOTSUPP || err == EINVAL)
    return TRUE;
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO, "cannot write %s: %s",
      w->path, g_strerror (err));
  return FALSE;
}

static void
reserve_release (MemTraceWriter * w)
{
  if (w->reserve_fd >= 0)
    close (w->reserve_fd);
  w->reserve_fd = -1;
}

void
memtrace_writer_forget_in_child (MemTraceWriter * w)
{
  reserve_release (w);
}

/* The first failed write (a full disk, a file size limit) ends recording:
 * what the open transaction held is lost and counted.  No checkpoint here:
 * it would grow the main file into the room kept for the end rows. */
static void
writer_broke (MemTraceWriter * w)
{
  if (w->broken)
    return;
  w->broken = TRUE;
  w->broken_time = g_get_real_time ();
  w->write_error = g_strdup (sqlite3_errmsg (w->db));
  reserve_release (w);
  memtrace_warn ("memtrace: cannot write %s (%s): recording stops here, "
      "later events are counted as dropped", w->path, w->write_error);
  sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
  w->lost += w->uncommitted;
  w->uncommitted = 0;
}

static gboolean
step_ok (MemTraceWriter * w, sqlite3_stmt * st)
{
  gboolean ok = sqlite3_step (st) == SQLITE_DONE;

  sqlite3_reset (st);
  if (!ok)
    writer_broke (w);
  return ok;
}

static void
insert_block (MemTraceWriter * w, guint thread, MemTraceBlockWriter * b)
{
  if (b->n_events == 0)
    return;
  if (w->broken) {
    w->lost += b->n_events;
  } else {
    sqlite3_bind_int (w->insert_block, 1, thread);
    sqlite3_bind_int (w->insert_block, 2, b->n_events);
    sqlite3_bind_blob (w->insert_block, 3, b->data, b->len,
        SQLITE_STATIC);
    if (step_ok (w, w->insert_block))
      w->uncommitted += b->n_events;
    else
      w->lost += b->n_events;
  }
  memtrace_block_writer_reset (b);
}

static guint
intern_type (MemTraceWriter * w, GType type)
{
  guint id = GPOINTER_TO_UINT (g_hash_table_lookup (w->types,
          GSIZE_TO_POINTER (type)));
  guint parent = 0;

  if (id || type == 0)
    return id;
  if (g_type_parent (type))
    parent = intern_type (w, g_type_parent (type));
  id = w->next_type_id++;
  g_hash_table_insert (w->types, GSIZE_TO_POINTER (type),
      GUINT_TO_POINTER (id));
  sqlite3_bind_int (w->insert_type, 1, id);
  sqlite3_bind_text (w->insert_type, 2, g_type_name (type), -1,
      SQLITE_STATIC);
  if (parent)
    sqlite3_bind_int (w->insert_type, 3, parent);
  else
    sqlite3_bind_null (w->insert_type, 3);
  sqlite3_bind_int (w->insert_type, 4, g_type_is_a (type, GST_TYPE_OBJECT));
  if (!w->broken)
    step_ok (w, w->insert_type);
  return id;
}

static void
insert_stack (MemTraceWriter * w, MemTraceRing * ring, guint64 idx,
    const MemTraceEvent * ev)
{
  guint64 frames[MEMTRACE_EVENT_MAX_ARGS + 128];
  guint n = MIN (ev->args[0], 128);

  memtrace_ring_read_extra (ring, idx, frames, n * sizeof (guint64));
  if (w->broken)
    return;
  sqlite3_bind_int64 (w->insert_stack, 1, ev->obj);
  sqlite3_bind_blob (w->insert_stack, 2, frames, n * sizeof (guint64),
      SQLITE_STATIC);
  step_ok (w, w->insert_stack);
}

static void
register_thread (MemTraceWriter * w, MemTraceRing * ring)
{
  ring->registered_in_db = TRUE;
  if (w->broken)
    return;
  sqlite3_bind_int (w->insert_thread, 1, ring->id);
  sqlite3_bind_int (w->insert_thread, 2, ring->tid);
  sqlite3_bind_text (w->insert_thread, 3, ring->name, -1, SQLITE_STATIC);
  step_ok (w, w->insert_thread);
}

/* Encodes the event at idx into the ring's block; returns its slots. */
static guint
drain_one (MemTraceWriter * w, MemTraceRing * ring, guint64 idx)
{
  MemTraceEvent ev;
  guint n = memtrace_record_read (ring, idx, &ev);

  if (ev.kind == MEMTRACE_RING_STACK) {
    insert_stack (w, ring, idx, &ev);
    return n;
  }
  if (ev.kind == MEMTRACE_EV_CREATED)
    ev.args[0] = intern_type (w, (GType) ev.args[0]);
  memtrace_block_append (&ring->block, &ev);
  return n;
}

static void
drain_ring (MemTraceWriter * w, MemTraceRing * ring)
{
  guint64 tail = ring->tail, head = memtrace_ring_published (ring);

  if (!ring->registered_in_db && head != tail)
    register_thread (w, ring);
  while (tail < head) {
    tail += drain_one (w, ring, tail);
    if (ring->block.len >= BLOCK_BYTES)
      insert_block (w, ring->id, &ring->block);
  }
  memtrace_ring_consumed (ring, tail);
}

static void
emit_signal_checkpoints (MemTraceWriter * w)
{
  guint n = g_atomic_int_get (&w->signal_checkpoints);
  MemTraceEvent ev = { 0, };

  ev.kind = MEMTRACE_EV_CHECKPOINT;
  while (w->signal_checkpoints_done < n) {
    ev.ts = w->signal_ts[w->signal_checkpoints_done % SIGNAL_SLOTS];
    w->signal_checkpoints_done++;
    ev.text_len = g_snprintf (ev.text, sizeof (ev.text), "signal %u",
        w->signal_checkpoints_done);
    memtrace_block_append (&w->signal_block, &ev);
  }
}

/* Thread 0 in blocks is the writer itself: checkpoints asked for by signal. */
static void
drain_all (MemTraceWriter * w, gboolean final)
{
  GPtrArray *rings = memtrace_rings_list ();
  guint i;

  for (i = 0; i < rings->len; i++) {
    MemTraceRing *ring = g_ptr_array_index (rings, i);
    gboolean dead = g_atomic_int_get (&ring->dead);

    drain_ring (w, ring);
    if (dead || final)
      insert_block (w, ring->id, &ring->block);
    if (dead)
      memtrace_rings_reap (ring);
  }
  g_ptr_array_free (rings, TRUE);
  emit_signal_checkpoints (w);
}

static void
commit (MemTraceWriter * w)
{
  GPtrArray *rings = memtrace_rings_list ();
  guint i;

  for (i = 0; i < rings->len; i++) {
    MemTraceRing *ring = g_ptr_array_index (rings, i);

    insert_block (w, ring->id, &ring->block);
  }
  g_ptr_array_free (rings, TRUE);
  insert_block (w, 0, &w->signal_block);
  if (!w->broken) {
    memtrace_modules_update (w->modules, w->db);
    memtrace_meta_set_int (w->db, "dropped_events",
        memtrace_rings_dropped () + w->lost);
    if (memtrace_sql_exec (w->db, "COMMIT; BEGIN", NULL))
      w->uncommitted = 0;
    else
      writer_broke (w);
  }
  w->last_commit = g_get_monotonic_time ();
}

static gpointer
writer_thread (gpointer data)
{
  MemTraceWriter *w = data;
  MemTraceRing *self = memtrace_ring_get ();
  sigset_t saved;

  xfsz_block (&saved);

  /* The writer's own allocations are not the app's: never record them. */
  self->in_tracer = 1;
  g_mutex_lock (&w->lock);
  while (!w->stop) {
    gint64 deadline = w->last_commit + w->flush_interval_ms * 1000;

    if (!w->wake)
      g_cond_wait_until (&w->cond, &w->lock, deadline);
    w->wake = FALSE;
    g_mutex_unlock (&w->lock);
    drain_all (w, FALSE);
    if (g_get_monotonic_time () >= deadline)
      commit (w);
    g_mutex_lock (&w->lock);
  }
  g_mutex_unlock (&w->lock);
  return NULL;
}

/* Opening */

static gchar *
suffixed_path (const gchar * path, guint n)
{
  const gchar *base = strrchr (path, '/');
  const gchar *dot = strrchr (base ? base : path, '.');

  if (n == 0)
    return g_strdup (path);
  if (!dot || dot == (base ? base + 1 : path))
    return g_strdup_printf ("%s.%u", path, n);
  return g_strdup_printf ("%.*s.%u%s", (gint) (dot - path), path, n, dot);
}

static gboolean
sidecars_exist (const gchar * path)
{
  gchar *wal = g_strconcat (path, "-wal", NULL);
  gchar *shm = g_strconcat (path, "-shm", NULL);
  gboolean exist = g_file_test (wal, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK)
      || g_file_test (shm, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);

  g_free (wal);
  g_free (shm);
  return exist;
}

/* Creates the file new, 0600, never through a symlink; a file that exists
 * (or a stale WAL that SQLite would replay into ours) means the next suffix. */
static gchar *
create_file (const gchar * path, GError ** error)
{
  guint n;

  for (n = 0; n < 1000; n++) {
    gchar *p = suffixed_path (path, n);
    gint fd;

    if (!sidecars_exist (p)) {
      fd = open (p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
          0600);
      if (fd >= 0) {
        close (fd);
        return p;
      }
      if (errno != EEXIST) {
        g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO,
            "cannot create %s: %s", p, g_strerror (errno));
        g_free (p);
        return NULL;
      }
    }
    g_free (p);
  }
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO,
      "cannot create %s: 1000 files of that name exist", path);
  return NULL;
}

static gboolean
prepare (MemTraceWriter * w)
{
  return sqlite3_prepare_v2 (w->db, "INSERT INTO blocks (thread, n_events, "
      "data) VALUES (?, ?, ?)", -1, &w->insert_block, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (w->db, "INSERT INTO stacks VALUES (?, ?)", -1,
      &w->insert_stack, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (w->db, "INSERT INTO types VALUES (?, ?, ?, ?)",
      -1, &w->insert_type, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (w->db, "INSERT INTO threads VALUES (?, ?, ?)",
      -1, &w->insert_thread, NULL) == SQLITE_OK;
}

/* SQLITE_OPEN_NOFOLLOW refuses a symlink anywhere in the path, but only the
 * file itself must not be one (create_file made it): SQLite gets the path
 * with its directory resolved. */
static gchar *
resolved_path (const gchar * path)
{
  gchar *dir = g_path_get_dirname (path), *base = g_path_get_basename (path);
  gchar *real = realpath (dir, NULL);
  gchar *out = real ? g_build_filename (real, base, NULL) : g_strdup (path);

  free (real);
  g_free (base);
  g_free (dir);
  return out;
}

static gboolean
open_db (MemTraceWriter * w, const gchar * params, GError ** error)
{
  gchar *real = resolved_path (w->path);
  gint rc = sqlite3_open_v2 (real, &w->db, SQLITE_OPEN_READWRITE
      | SQLITE_OPEN_NOFOLLOW, NULL);

  g_free (real);
  if (rc != SQLITE_OK)
    goto failed;
  /* synchronous=OFF: a killed process loses nothing the kernel has; only a
   * machine crash could, and the streaming thread never waits for a disk.
   * Set first: switching to WAL would otherwise sync the new file.
   * 16 KiB pages write the WAL and copy it in a quarter of the system
   * calls (T with record-refs: 3.14 -> 2.94 times untraced).  A 1 MiB
   * checkpoint threshold copies the WAL into the trace while recording, on
   * this thread, rather than all of it in gst_deinit(). */
  if (!memtrace_sql_exec (w->db, MEMTRACE_WRITER_PRAGMAS, NULL)
      || !memtrace_sql_exec (w->db, "BEGIN", NULL)
      || !memtrace_sql_exec (w->db, memtrace_schema_recording, NULL)
      || !prepare (w) || !memtrace_process_write_meta (w->db, params)
      || !memtrace_modules_update (w->modules, w->db)
      || !memtrace_sql_exec (w->db, "COMMIT; BEGIN", NULL))
    goto failed;
  return TRUE;

failed:
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO, "cannot write %s: %s",
      w->path, w->db ? sqlite3_errmsg (w->db) : "out of memory");
  return FALSE;
}

/* A trace that could not even be started leaves nothing behind. */
static void
remove_files (const gchar * path)
{
  gchar *wal, *shm;

  if (!path)
    return;
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  unlink (path);
  unlink (wal);
  unlink (shm);
  g_free (wal);
  g_free (shm);
}

/* Everything but the struct itself (see retired_writer). */
static void
writer_clear (MemTraceWriter * w)
{
  sqlite3_finalize (w->insert_block);
  sqlite3_finalize (w->insert_stack);
  sqlite3_finalize (w->insert_type);
  sqlite3_finalize (w->insert_thread);
  reserve_release (w);
  memtrace_modules_free (w->modules);
  if (w->db)
    sqlite3_close (w->db);
  g_hash_table_unref (w->types);
  memtrace_block_writer_clear (&w->signal_block);
  g_free (w->write_error);
  g_free (w->path);
  w->db = NULL;
  w->modules = NULL;
  w->types = NULL;
  w->write_error = w->path = NULL;
}

static void
writer_free (MemTraceWriter * w)
{
  writer_clear (w);
  g_free (w);
}

MemTraceWriter *
memtrace_writer_start (const gchar * path, const gchar * params,
    guint flush_interval_ms, GError ** error)
{
  MemTraceWriter *w = g_new0 (MemTraceWriter, 1);
  sigset_t saved;
  gboolean ok;

  w->types = g_hash_table_new (NULL, NULL);
  w->next_type_id = 1;
  w->modules = memtrace_modules_new ();
  w->flush_interval_ms = MAX (flush_interval_ms, 1);
  memtrace_block_writer_init (&w->signal_block);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->reserve_fd = -1;
  xfsz_block (&saved);
  w->path = create_file (path, error);
  ok = w->path && reserve_open (w, error) && open_db (w, params, error);
  xfsz_restore (&saved);
  if (!ok) {
    gchar *path_copy = g_strdup (w->path);

    writer_free (w);
    remove_files (path_copy);
    g_free (path_copy);
    return NULL;
  }
  w->last_commit = g_get_monotonic_time ();
  g_atomic_pointer_set (&the_writer, w);
  w->thread = g_thread_new ("memtrace-writer", writer_thread, w);
  return w;
}

const gchar *
memtrace_writer_path (MemTraceWriter * w)
{
  return w->path;
}

void
memtrace_writer_wake (void)
{
  MemTraceWriter *w = g_atomic_pointer_get (&the_writer);

  if (!w)
    return;
  g_mutex_lock (&w->lock);
  w->wake = TRUE;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->lock);
}

void
memtrace_writer_signal_checkpoint (void)
{
  MemTraceWriter *w = g_atomic_pointer_get (&the_writer);
  guint n;

  if (!w)
    return;
  n = g_atomic_int_get (&w->signal_checkpoints);
  w->signal_ts[n % SIGNAL_SLOTS] = memtrace_clock_now ();
  g_atomic_int_inc (&w->signal_checkpoints);
}

/* The last rows, in a transaction of their own so that after a failed
 * write they still say where recording stopped and what was lost. */
static void
write_end (MemTraceWriter * w, const gchar * end_reason, guint64 end_ts)
{
  if (w->broken)
    sqlite3_exec (w->db, "BEGIN", NULL, NULL, NULL);
  memtrace_meta_set_int (w->db, "dropped_events",
      memtrace_rings_dropped () + w->lost);
  if (w->broken) {
    memtrace_meta_set_text (w->db, "write_error", w->write_error);
    memtrace_meta_set_int (w->db, "write_error_time", w->broken_time);
  }
  memtrace_meta_set_int (w->db, "end_time", g_get_real_time ());
  memtrace_meta_set_int (w->db, "end_ts", end_ts);
  memtrace_meta_set_text (w->db, "end_reason", end_reason);
  memtrace_meta_set_int (w->db, "complete", 1);
  sqlite3_exec (w->db, "COMMIT", NULL, NULL, NULL);
  sqlite3_exec (w->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

void
memtrace_writer_finish (MemTraceWriter * w, const gchar * end_reason,
    guint64 end_ts)
{
  sigset_t saved;

  g_mutex_lock (&w->lock);
  w->stop = TRUE;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);
  /* Producers that still run (an exit without gst_deinit) must not wait for
   * a writer that is gone: from here a full ring drops and counts. */
  memtrace_rings_stop_waiting ();
  g_atomic_pointer_set (&the_writer, NULL);
  xfsz_block (&saved);
  drain_all (w, TRUE);
  commit (w);
  write_end (w, end_reason, end_ts);
  writer_clear (w);
  xfsz_restore (&saved);
  /* Other threads may still wake it: keep its lock and flags. */
  g_free (retired_writer);
  retired_writer = w;
}
