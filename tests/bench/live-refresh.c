/* gst-memtrace benchmark and test: what one live refresh costs as a trace
 * grows, and that refreshing bit by bit gives what finishing gives.
 *
 *   live-refresh RECORDED.trace [BASE_EVENTS [STEP_EVENTS [N_STEPS]]]
 *   live-refresh --check        (the test: meson test live-refresh)
 *
 * RECORDED.trace is a recorded, unfinished trace (tests/gen-trace OUT N).
 * Its blocks are copied, in order, into a live file beside it, as a
 * recorder would write them: first those of BASE_EVENTS events (default
 * 1000000), which the viewer's first update decodes, then N_STEPS (5) times
 * STEP_EVENTS (100000) more, each followed by one memtrace_live_update(),
 * timed.  A refresh that scales with the new events takes about the same
 * time at every base; one that goes over the whole trace grows with it.
 *
 * --check writes a trace of 200000 events over several threads with
 * tests/gen-trace.c, follows it in steps of 5000 events, and compares the
 * snapshot with the same trace finished at once: objects and their
 * destruction times, events, frames; and that each step decoded exactly
 * the blocks added since the one before. */
#define GEN_TRACE_NO_MAIN
#include "../gen-trace.c"
#include "memtrace-live.h"

static const gchar copy_sql[] =
    "INSERT INTO meta SELECT * FROM src.meta WHERE key <> 'complete';"
    "INSERT INTO env SELECT * FROM src.env;"
    "INSERT INTO modules SELECT * FROM src.modules;"
    "INSERT INTO threads SELECT * FROM src.threads;"
    "INSERT INTO types SELECT * FROM src.types;"
    "INSERT INTO stacks SELECT * FROM src.stacks;";

static void
die (sqlite3 * db, const gchar * what)
{
  g_printerr ("live-refresh: %s: %s\n", what, db ? sqlite3_errmsg (db) : "");
  exit (1);
}

static void
exec (sqlite3 * db, const gchar * sql)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    die (db, sql);
}

/* A live file beside the recorded one, with its tables but no blocks. */
static sqlite3 *
live_file (const gchar * recorded, gchar ** path)
{
  gchar *attach = sqlite3_mprintf ("ATTACH %Q AS src", recorded);
  sqlite3 *db;

  *path = g_strconcat (recorded, ".live", NULL);
  g_unlink (*path);
  if (sqlite3_open (*path, &db) != SQLITE_OK)
    die (db, *path);
  exec (db, "PRAGMA journal_mode = WAL");
  exec (db, memtrace_schema_recording);
  exec (db, attach);
  exec (db, copy_sql);
  sqlite3_free (attach);
  return db;
}

/* Copies the source's blocks after *last until n_events more events;
 * returns the blocks copied. */
static gint64
feed (sqlite3 * db, gint64 * last, gint64 n_events)
{
  sqlite3_stmt *sel, *ins;
  gint64 events = 0, blocks = 0;

  if (sqlite3_prepare_v2 (db, "SELECT * FROM src.blocks WHERE id > ? "
          "ORDER BY id", -1, &sel, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO main.blocks VALUES "
          "(?, ?, ?, ?)", -1, &ins, NULL) != SQLITE_OK)
    die (db, "prepare");
  exec (db, "BEGIN");
  sqlite3_bind_int64 (sel, 1, *last);
  while (events < n_events && sqlite3_step (sel) == SQLITE_ROW) {
    gint i;

    for (i = 0; i < 4; i++)
      sqlite3_bind_value (ins, i + 1, sqlite3_column_value (sel, i));
    if (sqlite3_step (ins) != SQLITE_DONE)
      die (db, "insert");
    sqlite3_reset (ins);
    *last = sqlite3_column_int64 (sel, 0);
    events += sqlite3_column_int64 (sel, 2);
    blocks++;
  }
  exec (db, "COMMIT");
  sqlite3_finalize (sel);
  sqlite3_finalize (ins);
  return blocks;
}

static gdouble
timed_update (MemTraceLive * l)
{
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!memtrace_live_update (l, NULL, &error)) {
    g_printerr ("live-refresh: %s\n", error->message);
    exit (1);
  }
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Sums over what the decoding derives, the same however it was cut. */
static const gchar *const sums_sql[] = {
  "SELECT count (*), total (id * 7 + ifnull (destroyed, -1) % 1000003) "
      "FROM objects",
  "SELECT count (*), total (ts % 1000003 + kind * 3 + obj) FROM events",
  "SELECT count (*), total (stack * 7 + depth * 3 + address % 1000003) "
      "FROM frames",
  "SELECT count (*), total (obj + size) FROM memories",
};

static gboolean
same_sums (sqlite3 * a, sqlite3 * b)
{
  gboolean same = TRUE;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sums_sql); i++) {
    sqlite3_stmt *sa, *sb;

    sqlite3_prepare_v2 (a, sums_sql[i], -1, &sa, NULL);
    sqlite3_prepare_v2 (b, sums_sql[i], -1, &sb, NULL);
    if (sqlite3_step (sa) != SQLITE_ROW || sqlite3_step (sb) != SQLITE_ROW
        || sqlite3_column_int64 (sa, 0) != sqlite3_column_int64 (sb, 0)
        || sqlite3_column_double (sa, 1) != sqlite3_column_double (sb, 1)) {
      g_printerr ("live-refresh: differs from finishing: %s\n", sums_sql[i]);
      same = FALSE;
    }
    sqlite3_finalize (sa);
    sqlite3_finalize (sb);
  }
  return same;
}

static gint
check (void)
{
  gchar *dir = g_dir_make_tmp ("live-refresh-XXXXXX", NULL);
  gchar *recorded = g_build_filename (dir, "rec.trace", NULL);
  gchar *finished = g_build_filename (dir, "fin.trace", NULL);
  gchar *path, *data;
  sqlite3 *db;
  MemTraceLive *l;
  MemTraceLiveStats s;
  MemTraceTrace *t, *snap;
  GError *error = NULL;
  gint64 last = 0, blocks = 0, added, decoded = 0, destroyed = 0, frames = 0;
  gint64 want_destroyed, want_frames;
  gsize len;
  gboolean ok = TRUE;

  if (!generate (recorded, 200000, 10, 1, "live-refresh", NULL, NULL)
      || !g_file_get_contents (recorded, &data, &len, NULL)
      || !g_file_set_contents (finished, data, len, NULL))
    die (NULL, "cannot write the traces");
  g_free (data);
  db = live_file (recorded, &path);
  l = memtrace_live_open (path, &error);
  if (!l)
    die (NULL, error->message);
  while ((added = feed (db, &last, 5000)) > 0) {
    timed_update (l);
    memtrace_live_stats (l, &s);
    /* Only the new blocks: never one decoded before. */
    ok = ok && s.blocks == added;
    blocks += added;
    decoded += s.blocks;
    destroyed += s.destroyed;
    frames += s.frames;
  }
  t = memtrace_trace_open (finished, &error);
  snap = memtrace_live_open_reader (l, &error);
  if (!t || !snap)
    die (NULL, error->message);
  if (!ok || decoded != blocks)
    g_printerr ("live-refresh: %" G_GINT64_FORMAT " blocks decoded for %"
        G_GINT64_FORMAT " written\n", decoded, blocks);
  /* Derived once each, not again at every step. */
  want_destroyed = memtrace_sql_int (memtrace_trace_db (t),
      "SELECT count (*) FROM objects WHERE destroyed IS NOT NULL", -1);
  want_frames = memtrace_sql_int (memtrace_trace_db (t),
      "SELECT count (*) FROM frames", -1);
  if (destroyed != want_destroyed || frames != want_frames) {
    g_printerr ("live-refresh: %" G_GINT64_FORMAT " destructions and %"
        G_GINT64_FORMAT " frames derived, for %" G_GINT64_FORMAT " and %"
        G_GINT64_FORMAT "\n", destroyed, frames, want_destroyed,
        want_frames);
    ok = FALSE;
  }
  ok = same_sums (memtrace_trace_db (snap), memtrace_trace_db (t)) && ok
      && decoded == blocks && blocks > 20;
  printf ("%s: %" G_GINT64_FORMAT " blocks followed in steps\n",
      ok ? "ok" : "FAIL", blocks);
  memtrace_trace_close (snap);
  memtrace_trace_close (t);
  memtrace_live_close (l);
  sqlite3_close (db);
  g_unlink (path);
  g_unlink (recorded);
  g_unlink (finished);
  g_rmdir (dir);
  g_free (path);
  g_free (recorded);
  g_free (finished);
  g_free (dir);
  return ok ? 0 : 1;
}

int
main (int argc, char **argv)
{
  gint64 base = argc > 2 ? g_ascii_strtoll (argv[2], NULL, 10) : 1000000;
  gint64 step = argc > 3 ? g_ascii_strtoll (argv[3], NULL, 10) : 100000;
  gint n_steps = argc > 4 ? atoi (argv[4]) : 5;
  gchar *path;
  sqlite3 *db;
  MemTraceLive *l;
  GError *error = NULL;
  gint64 last = 0, blocks;
  gint i;

  if (argc < 2)
    die (NULL, "usage: live-refresh RECORDED.trace [BASE [STEP [N]]]");
  if (!strcmp (argv[1], "--check"))
    return check ();
  db = live_file (argv[1], &path);
  blocks = feed (db, &last, base);
  l = memtrace_live_open (path, &error);
  if (!l)
    die (NULL, error->message);
  printf ("base %" G_GINT64_FORMAT " events (%" G_GINT64_FORMAT " blocks): "
      "first update %.1f ms\n", base, blocks, timed_update (l));
  for (i = 0; i < n_steps; i++) {
    blocks = feed (db, &last, step);
    printf ("  +%" G_GINT64_FORMAT " events (%" G_GINT64_FORMAT " blocks): "
        "refresh %.1f ms\n", step, blocks, timed_update (l));
  }
  memtrace_live_close (l);
  sqlite3_close (db);
  g_unlink (path);
  g_free (path);
  return 0;
}
