/* gst-memtrace: the SQL schema of a trace file.  docs/trace-format.md
 * documents every table; keep the two in step. */
#include "memtrace-schema.h"
#include "memtrace-error.h"

const gchar memtrace_schema_recording[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value);"
    "CREATE TABLE env (name TEXT, value TEXT);"
    "CREATE TABLE modules (id INTEGER PRIMARY KEY, path TEXT, base INTEGER,"
    "  size INTEGER, build_id TEXT);"
    "CREATE TABLE threads (id INTEGER PRIMARY KEY, tid INTEGER, name TEXT);"
    "CREATE TABLE types (id INTEGER PRIMARY KEY, name TEXT, parent INTEGER,"
    "  is_gstobject INTEGER);"
    "CREATE TABLE stacks (id INTEGER PRIMARY KEY, frames BLOB);"
    "CREATE TABLE blocks (id INTEGER PRIMARY KEY, thread INTEGER,"
    "  n_events INTEGER, data BLOB);";

const gchar memtrace_schema_finished[] =
    "CREATE TABLE IF NOT EXISTS objects (id INTEGER PRIMARY KEY, type INTEGER,"
    "  ts INTEGER, thread INTEGER, stack INTEGER, address INTEGER,"
    "  destroyed INTEGER);"
    "CREATE TABLE IF NOT EXISTS events (ts INTEGER, kind INTEGER, obj INTEGER,"
    "  thread INTEGER, stack INTEGER, a INTEGER, b INTEGER);"
    "CREATE TABLE IF NOT EXISTS memories (obj INTEGER PRIMARY KEY,"
    "  allocator INTEGER, parent INTEGER, size INTEGER, maxsize INTEGER,"
    "  offset INTEGER, align INTEGER, flags INTEGER, prefix INTEGER,"
    "  padding INTEGER, from_alloc INTEGER,"
    /* What the allocator reserved.  An alloc()ed memory: size, prefix,
     * padding and the alignment it had to allow for (the system allocator
     * keeps the unused part of that in maxsize, so maxsize + align would
     * count it twice).  Otherwise maxsize; a sub-memory reserves nothing. */
    "  allocated INTEGER GENERATED ALWAYS AS (CASE"
    "    WHEN parent IS NOT NULL THEN 0"
    "    WHEN from_alloc = 1 THEN size + coalesce (prefix, 0)"
    "      + coalesce (padding, 0) + align"
    "    ELSE maxsize END) VIRTUAL);"
    "CREATE TABLE IF NOT EXISTS buffers (obj INTEGER PRIMARY KEY, pool INTEGER,"
    "  flags INTEGER);"
    "CREATE TABLE IF NOT EXISTS buffer_memories (buffer INTEGER, idx INTEGER,"
    "  memory INTEGER);"
    "CREATE TABLE IF NOT EXISTS names (obj INTEGER PRIMARY KEY, name TEXT,"
    "  parent INTEGER);"
    "CREATE TABLE IF NOT EXISTS pool_configs (pool INTEGER, ts INTEGER,"
    "  size INTEGER, min_buffers INTEGER, max_buffers INTEGER,"
    "  allocator INTEGER, align INTEGER, prefix INTEGER, padding INTEGER);"
    "CREATE TABLE IF NOT EXISTS alive (obj INTEGER PRIMARY KEY,"
    "  refcount INTEGER, flags INTEGER, state INTEGER);"
    "CREATE TABLE IF NOT EXISTS holds (holder INTEGER, held INTEGER);"
    "CREATE TABLE IF NOT EXISTS checkpoints (id INTEGER PRIMARY KEY,"
    "  ts INTEGER, thread INTEGER, label TEXT);"
    "CREATE TABLE IF NOT EXISTS frames (stack INTEGER, depth INTEGER,"
    "  address INTEGER, PRIMARY KEY (stack, depth)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS event_counts (kind INTEGER PRIMARY KEY,"
    "  name TEXT, count INTEGER);"
    "CREATE TABLE IF NOT EXISTS symbols (address INTEGER PRIMARY KEY,"
    "  function TEXT, file TEXT, line INTEGER, module INTEGER);";

gboolean
memtrace_sql_exec (sqlite3 *db, const gchar *sql, GError **error)
{
  gchar *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) == SQLITE_OK)
    return TRUE;
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_SQL, "%s",
      msg ? msg : sqlite3_errmsg (db));
  sqlite3_free (msg);
  return FALSE;
}
