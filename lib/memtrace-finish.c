/* gst-memtrace: turning a recorded trace into tables the analyses query.
 *
 * The recorder only appends compact blocks; this runs once afterwards, in
 * `gst-memtrace run` right after the traced program exits or in the first
 * command that opens the trace, so the traced program never pays for it. */
#include <string.h>
#include "memtrace-finish.h"
#include "memtrace-block.h"
#include "memtrace-schema.h"
#include "memtrace-symbolize.h"
#include "memtrace-error.h"

enum
{
  ST_OBJECT, ST_EVENT, ST_MEMORY, ST_BUFFER, ST_BUFFER_MEMORY, ST_NAME,
  ST_PARENT, ST_POOL_CONFIG, ST_ALIVE, ST_CHECKPOINT, ST_HOLDS, N_ST
};

static const gchar *const st_sql[N_ST] = {
  [ST_OBJECT] = "INSERT OR REPLACE INTO objects VALUES (?1, ?2, ?3, ?4, ?5, "
      "?6, NULL)",
  [ST_EVENT] = "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  [ST_MEMORY] = "INSERT OR REPLACE INTO memories VALUES (?1, ?2, ?3, ?4, ?5, "
      "?6, ?7, ?8, ?9, ?10, ?11)",
  [ST_BUFFER] = "INSERT OR REPLACE INTO buffers VALUES (?1, ?2, ?3)",
  [ST_BUFFER_MEMORY] = "INSERT INTO buffer_memories VALUES (?1, ?2, ?3)",
  [ST_NAME] = "INSERT INTO names VALUES (?1, ?2, ?3) ON CONFLICT (obj) DO "
      "UPDATE SET name = excluded.name, "
      "parent = coalesce (excluded.parent, names.parent)",
  [ST_PARENT] = "INSERT INTO names VALUES (?1, NULL, ?2) ON CONFLICT (obj) "
      "DO UPDATE SET parent = excluded.parent",
  [ST_POOL_CONFIG] = "INSERT INTO pool_configs VALUES (?1, ?2, ?3, ?4, ?5, "
      "?6, ?7, ?8, ?9)",
  [ST_ALIVE] = "INSERT OR REPLACE INTO alive VALUES (?1, ?2, ?3, ?4)",
  [ST_CHECKPOINT] = "INSERT INTO checkpoints (ts, thread, label) "
      "VALUES (?1, ?2, ?3)",
  [ST_HOLDS] = "INSERT INTO holds VALUES (?1, ?2)",
};

typedef struct
{
  sqlite3 *db;
  sqlite3_stmt *st[N_ST];
  guint thread;
  guint64 n_events, n_corrupt;
  guint64 counts[MEMTRACE_EV_LAST];
} Finisher;

static void
bind_id (sqlite3_stmt * st, gint col, guint64 id)
{
  if (id)
    sqlite3_bind_int64 (st, col, (gint64) id);
  else
    sqlite3_bind_null (st, col);
}

static gboolean
run (Finisher * f, gint which)
{
  gboolean ok = sqlite3_step (f->st[which]) == SQLITE_DONE;

  sqlite3_reset (f->st[which]);
  return ok;
}

static gboolean
put_event (Finisher * f, const MemTraceEvent * ev, guint n_args)
{
  sqlite3_stmt *st = f->st[ST_EVENT];

  sqlite3_bind_int64 (st, 1, ev->ts);
  sqlite3_bind_int (st, 2, ev->kind);
  sqlite3_bind_int64 (st, 3, ev->obj);
  sqlite3_bind_int (st, 4, f->thread);
  bind_id (st, 5, ev->stack);
  if (n_args > 0)
    sqlite3_bind_int64 (st, 6, ev->args[0]);
  else
    sqlite3_bind_null (st, 6);
  if (n_args > 1)
    bind_id (st, 7, ev->args[1]);
  else
    sqlite3_bind_null (st, 7);
  return run (f, ST_EVENT);
}

static gboolean
put_object (Finisher * f, const MemTraceEvent * ev)
{
  sqlite3_stmt *st = f->st[ST_OBJECT];

  sqlite3_bind_int64 (st, 1, ev->obj);
  sqlite3_bind_int64 (st, 2, ev->args[0]);
  sqlite3_bind_int64 (st, 3, ev->ts);
  sqlite3_bind_int (st, 4, f->thread);
  bind_id (st, 5, ev->stack);
  sqlite3_bind_int64 (st, 6, (gint64) ev->args[1]);
  return run (f, ST_OBJECT);
}

static gboolean
put_memory (Finisher * f, const MemTraceEvent * ev)
{
  sqlite3_stmt *st = f->st[ST_MEMORY];
  gboolean from_alloc = ev->kind == MEMTRACE_EV_ALLOC;
  gint i;

  sqlite3_bind_int64 (st, 1, ev->obj);
  bind_id (st, 2, ev->args[0]);
  bind_id (st, 3, ev->args[1]);
  for (i = 2; i < 7; i++)
    sqlite3_bind_int64 (st, i + 2, ev->args[i]);
  /* Prefix and padding are only known from the params of an alloc. */
  for (i = 7; i < 9; i++) {
    if (from_alloc)
      sqlite3_bind_int64 (st, i + 2, ev->args[i]);
    else
      sqlite3_bind_null (st, i + 2);
  }
  sqlite3_bind_int (st, 11, from_alloc);
  return run (f, ST_MEMORY);
}

static gboolean
put_holds (Finisher * f, const MemTraceEvent * ev)
{
  guint i;

  for (i = 0; i < ev->n_list; i++) {
    if (!ev->list[i])
      continue;
    sqlite3_bind_int64 (f->st[ST_HOLDS], 1, ev->obj);
    sqlite3_bind_int64 (f->st[ST_HOLDS], 2, ev->list[i]);
    if (!run (f, ST_HOLDS))
      return FALSE;
  }
  return TRUE;
}

static gboolean
put_buffer (Finisher * f, const MemTraceEvent * ev)
{
  guint i;

  sqlite3_bind_int64 (f->st[ST_BUFFER], 1, ev->obj);
  bind_id (f->st[ST_BUFFER], 2, ev->args[0]);
  sqlite3_bind_int64 (f->st[ST_BUFFER], 3, ev->args[1]);
  if (!run (f, ST_BUFFER))
    return FALSE;
  for (i = 0; i < ev->n_list; i++) {
    sqlite3_bind_int64 (f->st[ST_BUFFER_MEMORY], 1, ev->obj);
    sqlite3_bind_int (f->st[ST_BUFFER_MEMORY], 2, i);
    bind_id (f->st[ST_BUFFER_MEMORY], 3, ev->list[i]);
    if (!run (f, ST_BUFFER_MEMORY))
      return FALSE;
  }
  return TRUE;
}

static gboolean
put_name (Finisher * f, const MemTraceEvent * ev)
{
  sqlite3_stmt *st = f->st[ST_NAME];

  sqlite3_bind_int64 (st, 1, ev->obj);
  sqlite3_bind_text (st, 2, ev->text, ev->text_len, SQLITE_STATIC);
  bind_id (st, 3, ev->args[0]);
  return run (f, ST_NAME);
}

static gboolean
put_link (Finisher * f, const MemTraceEvent * ev)
{
  sqlite3_bind_int64 (f->st[ST_PARENT], 1, ev->obj);
  bind_id (f->st[ST_PARENT], 2, ev->args[0]);
  return run (f, ST_PARENT) && put_event (f, ev, 1);
}

static gboolean
put_args (Finisher * f, gint which, const MemTraceEvent * ev, guint first,
    guint n)
{
  sqlite3_stmt *st = f->st[which];
  guint i, col = first;

  sqlite3_bind_int64 (st, 1, ev->obj);
  for (i = 0; i < n; i++)
    sqlite3_bind_int64 (st, col++, ev->args[i]);
  return run (f, which);
}

static gboolean
put_checkpoint (Finisher * f, const MemTraceEvent * ev)
{
  sqlite3_stmt *st = f->st[ST_CHECKPOINT];

  sqlite3_bind_int64 (st, 1, ev->ts);
  sqlite3_bind_int (st, 2, f->thread);
  sqlite3_bind_text (st, 3, ev->text, ev->text_len, SQLITE_STATIC);
  return run (f, ST_CHECKPOINT);
}

static gboolean
put_pool_config (Finisher * f, const MemTraceEvent * ev)
{
  sqlite3_stmt *st = f->st[ST_POOL_CONFIG];
  guint i;

  sqlite3_bind_int64 (st, 1, ev->obj);
  sqlite3_bind_int64 (st, 2, ev->ts);
  for (i = 0; i < 7; i++)
    sqlite3_bind_int64 (st, i + 3, ev->args[i]);
  return run (f, ST_POOL_CONFIG);
}

static gboolean
put (Finisher * f, const MemTraceEvent * ev)
{
  switch (ev->kind) {
    case MEMTRACE_EV_CREATED:
      return put_object (f, ev);
    case MEMTRACE_EV_ALLOC:
    case MEMTRACE_EV_MEMORY:
      return put_memory (f, ev);
    case MEMTRACE_EV_BUFFER:
      return put_buffer (f, ev);
    case MEMTRACE_EV_NAME:
      return put_name (f, ev);
    case MEMTRACE_EV_LINK:
      return put_link (f, ev);
    case MEMTRACE_EV_POOL_CONFIG:
      return put_pool_config (f, ev);
    case MEMTRACE_EV_ALIVE:
      return put_args (f, ST_ALIVE, ev, 2, 3);
    case MEMTRACE_EV_CHECKPOINT:
      return put_checkpoint (f, ev);
    case MEMTRACE_EV_HOLDS:
      return put_holds (f, ev);
    default:
      return put_event (f, ev, memtrace_event_n_args (ev->kind));
  }
}

static gboolean
decode_block (Finisher * f, const guint8 * data, gsize len)
{
  MemTraceBlockReader r;
  MemTraceEvent ev;
  gboolean corrupt = FALSE;

  memtrace_block_reader_init (&r, data, len);
  while (memtrace_block_next (&r, &ev, &corrupt)) {
    if (!put (f, &ev))
      return FALSE;
    f->n_events++;
    f->counts[ev.kind]++;
  }
  /* A damaged block loses its remainder, and the trace says so. */
  if (corrupt)
    f->n_corrupt++;
  return TRUE;
}

static gboolean
decode_blocks (Finisher * f, gint64 after, gint64 * last)
{
  sqlite3_stmt *st;
  gint rc;

  if (sqlite3_prepare_v2 (f->db, "SELECT id, thread, data FROM blocks "
          "WHERE id > ? ORDER BY id", -1, &st, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (st, 1, after);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    f->thread = sqlite3_column_int (st, 1);
    if (!decode_block (f, sqlite3_column_blob (st, 2),
            sqlite3_column_bytes (st, 2))) {
      rc = SQLITE_ERROR;
      break;
    }
    *last = sqlite3_column_int64 (st, 0);
  }
  sqlite3_finalize (st);
  return rc == SQLITE_DONE;
}

/* Stacks are blobs for the recorder's sake; one row per frame lets plain
 * SQL join them to symbols. */
static gboolean
expand_frames (Finisher * f)
{
  sqlite3_stmt *sel, *ins;
  gint rc = SQLITE_ERROR;

  if (sqlite3_prepare_v2 (f->db, "SELECT id, frames FROM stacks", -1, &sel,
          NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_prepare_v2 (f->db, "INSERT OR REPLACE INTO frames "
          "VALUES (?, ?, ?)", -1, &ins, NULL) == SQLITE_OK) {
    while ((rc = sqlite3_step (sel)) == SQLITE_ROW) {
      const guint8 *blob = sqlite3_column_blob (sel, 1);
      gint i, n = sqlite3_column_bytes (sel, 1) / 8;

      for (i = 0; i < n; i++) {
        guint64 ip;

        memcpy (&ip, blob + i * 8, 8);
        sqlite3_bind_int64 (ins, 1, sqlite3_column_int64 (sel, 0));
        sqlite3_bind_int (ins, 2, i);
        sqlite3_bind_int64 (ins, 3, (gint64) GUINT64_FROM_LE (ip));
        if (sqlite3_step (ins) != SQLITE_DONE)
          rc = SQLITE_ERROR;
        sqlite3_reset (ins);
      }
      if (rc == SQLITE_ERROR)
        break;
    }
  }
  sqlite3_finalize (ins);
  sqlite3_finalize (sel);
  return rc == SQLITE_DONE;
}

static const gchar derive_sql[] =
    "CREATE INDEX IF NOT EXISTS events_kind_obj ON events (kind, obj);"
    "CREATE INDEX IF NOT EXISTS events_obj ON events (obj, ts);"
    "CREATE INDEX IF NOT EXISTS events_ts ON events (ts);"
    "UPDATE objects SET destroyed = e.ts FROM events e "
    "  WHERE e.kind = 2 AND e.obj = objects.id;"
    "CREATE INDEX IF NOT EXISTS objects_type ON objects (type);"
    "CREATE INDEX IF NOT EXISTS objects_stack ON objects (stack);"
    "CREATE INDEX IF NOT EXISTS objects_ts ON objects (ts);"
    "CREATE INDEX IF NOT EXISTS buffer_memories_memory "
    "  ON buffer_memories (memory);"
    "CREATE INDEX IF NOT EXISTS buffer_memories_buffer "
    "  ON buffer_memories (buffer);"
    "CREATE INDEX IF NOT EXISTS holds_holder ON holds (holder);"
    /* Pools and lifetimes walk the pool events in time order. */
    "CREATE INDEX IF NOT EXISTS events_pool ON events (kind, ts, obj, a, stack)"
    "  WHERE kind IN (5, 6, 7, 8);";

/* Every report and view counts objects by type: on a finished trace, which
 * never changes, once.  (Not in derive: a live snapshot keeps growing.) */
static const gchar type_counts_sql[] =
    "CREATE TABLE type_counts AS SELECT type, count(*) AS created,"
    "  count(destroyed) AS destroyed FROM objects GROUP BY type;";

static gboolean
set_meta_int (sqlite3 * db, const gchar * key, gint64 v)
{
  sqlite3_stmt *st;
  gboolean ok;

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO meta VALUES (?, ?)",
          -1, &st, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, v);
  ok = sqlite3_step (st) == SQLITE_DONE;
  sqlite3_finalize (st);
  return ok;
}

static gboolean
write_counts (Finisher * f)
{
  sqlite3_stmt *st;
  gboolean ok = TRUE;
  guint k;

  if (sqlite3_prepare_v2 (f->db, "INSERT INTO event_counts VALUES (?, ?, ?) "
          "ON CONFLICT (kind) DO UPDATE SET count = count + excluded.count",
          -1, &st, NULL) != SQLITE_OK)
    return FALSE;
  for (k = 1; k < MEMTRACE_EV_LAST && ok; k++) {
    if (!f->counts[k])
      continue;
    sqlite3_bind_int (st, 1, k);
    sqlite3_bind_text (st, 2, memtrace_event_kind_name (k), -1,
        SQLITE_STATIC);
    sqlite3_bind_int64 (st, 3, f->counts[k]);
    ok = sqlite3_step (st) == SQLITE_DONE;
    sqlite3_reset (st);
  }
  sqlite3_finalize (st);
  return ok;
}

static gboolean
is_finished (sqlite3 * db)
{
  sqlite3_stmt *st;
  gboolean done = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'finished'",
          -1, &st, NULL) == SQLITE_OK && sqlite3_step (st) == SQLITE_ROW)
    done = sqlite3_column_int (st, 0) == 1;
  sqlite3_finalize (st);
  return done;
}

static gboolean
sql_failed (sqlite3 * db, GError ** error)
{
  if (error && !*error)
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_SQL,
        "cannot finish the trace: %s", sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
decode_after (sqlite3 * db, gint64 after, gint64 * last_block_id,
    Finisher * f)
{
  gint64 last = after;
  gboolean ok = TRUE;
  gint i;

  f->db = db;
  for (i = 0; ok && i < N_ST; i++)
    ok = sqlite3_prepare_v2 (db, st_sql[i], -1, &f->st[i], NULL) == SQLITE_OK;
  ok = ok && decode_blocks (f, after, &last) && write_counts (f);
  for (i = 0; i < N_ST; i++)
    sqlite3_finalize (f->st[i]);
  if (last_block_id)
    *last_block_id = last;
  return ok;
}

gboolean
memtrace_finish_decode_blocks (sqlite3 * db, gint64 after_block_id,
    gint64 * last_block_id, GError ** error)
{
  Finisher f = { NULL, };

  return decode_after (db, after_block_id, last_block_id, &f)
      || sql_failed (db, error);
}

gboolean
memtrace_finish_derive (sqlite3 * db, GError ** error)
{
  Finisher f = { db, };

  if (!expand_frames (&f))
    return sql_failed (db, error);
  return memtrace_sql_exec (db, derive_sql, error);
}

gboolean
memtrace_finish_trace (sqlite3 * db, GError ** error)
{
  Finisher f = { NULL, };
  gboolean ok;

  if (is_finished (db))
    return TRUE;
  /* The recording is over: WAL would write every new page twice, and a
   * rollback journal has nothing to save for pages the file did not have.
   * If another reader holds the file the mode stays WAL, which is fine. */
  sqlite3_exec (db, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF;"
      "PRAGMA cache_size=-65536", NULL, NULL, NULL);
  if (!memtrace_sql_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* Another reader may have finished it while we waited for the lock. */
  if (is_finished (db))
    return memtrace_sql_exec (db, "COMMIT", error);
  ok = memtrace_sql_exec (db, memtrace_schema_finished, error)
      && (decode_after (db, 0, NULL, &f) || sql_failed (db, error))
      && memtrace_finish_derive (db, error)
      && memtrace_sql_exec (db, type_counts_sql, error)
      && ((set_meta_int (db, "finished_events", f.n_events)
              && set_meta_int (db, "corrupt_blocks", f.n_corrupt)
              && set_meta_int (db, "finished", 1)) || sql_failed (db, error));
  if (!ok) {
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    return FALSE;
  }
  if (!memtrace_sql_exec (db, "COMMIT", error))
    return FALSE;
  return memtrace_symbolize_trace (db, NULL, error);
}
