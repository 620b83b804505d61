/* gst-memtrace: the overview's numbers, kept in a finished trace.
 *
 * Counting, the timeline and the leaks take seconds on a big trace, and a
 * finished trace never changes: the first time they are computed their
 * few numbers go into a table of the trace, one row per analysis, keyed
 * by the options they depend on and a version, so that the next view
 * shows them at once.  The rows are GVariants: a newer format is a new
 * version, and a reader never takes a row of a version it does not know. */
#include "memtrace-summary.h"
#include "memtrace-sql.h"

static const gchar table_sql[] =
    "CREATE TABLE IF NOT EXISTS summary (analysis TEXT, options TEXT,"
    "  version INTEGER, data BLOB, PRIMARY KEY (analysis, options, version))";

enum
{
  PART_INFO, PART_TIMELINE, PART_LEAKS, N_PARTS
};

static const gchar *const part_names[N_PARTS] = { "info", "timeline",
  "leaks"
};

static const gchar *const part_types[N_PARTS] = { "(xxx)", "(xxxxxax)",
  "(xu)"
};

/* What each part depends on, as its key. */
static gchar **
part_options (guint n_bins, MemTraceSuppressions * suppressions)
{
  gchar **options = g_new0 (gchar *, N_PARTS + 1);
  gchar *digest = memtrace_suppressions_digest (suppressions);

  options[PART_INFO] = g_strdup ("");
  options[PART_TIMELINE] = g_strdup_printf ("bins=%u", n_bins);
  options[PART_LEAKS] = g_strdup_printf ("suppressions=%s", digest);
  g_free (digest);
  return options;
}

MemTraceSummary *
memtrace_summary_new (void)
{
  MemTraceSummary *s = g_new0 (MemTraceSummary, 1);

  s->bins = g_array_new (FALSE, TRUE, sizeof (gint64));
  return s;
}

void
memtrace_summary_free (MemTraceSummary * s)
{
  if (!s)
    return;
  g_array_unref (s->bins);
  g_free (s);
}

void
memtrace_summary_set_info (MemTraceSummary * s, const MemTraceInfo * info)
{
  gint64 kinds = 0;
  guint i;

  if (!info)
    return;
  s->created = s->alive = 0;
  for (i = 0; i < info->types->len; i++) {
    const MemTraceTypeCount *c = &g_array_index (info->types,
        MemTraceTypeCount, i);

    s->created += c->created;
    s->alive += c->alive;
  }
  for (i = 0; i < info->kinds->len; i++)
    kinds += g_array_index (info->kinds, MemTraceKindCount, i).count;
  s->n_events = MAX (kinds, info->n_events);
  s->has_info = TRUE;
}

void
memtrace_summary_set_timeline (MemTraceSummary * s,
    const MemTraceTimeline * tl)
{
  guint i;

  if (!tl)
    return;
  s->from_ts = tl->from_ts;
  s->to_ts = tl->to_ts;
  s->peak_ts = tl->peak_ts;
  s->peak_bytes = tl->peak_bytes;
  s->peak_objects = tl->peak_objects;
  g_array_set_size (s->bins, tl->bins->len);
  for (i = 0; i < tl->bins->len; i++)
    g_array_index (s->bins, gint64, i) =
        g_array_index (tl->bins, MemTraceTimelineBin, i).bytes;
  s->has_timeline = TRUE;
}

void
memtrace_summary_set_leaks (MemTraceSummary * s, const MemTraceLeaks * l)
{
  if (!l)
    return;
  s->leaked_objects = l->leaked_objects;
  s->leak_groups = l->n_unsuppressed_groups;
  s->has_leaks = TRUE;
}

/* Rows */

static GVariant *
part_variant (const MemTraceSummary * s, guint part)
{
  switch (part) {
    case PART_INFO:
      return s->has_info ? g_variant_new ("(xxx)", s->n_events, s->created,
          s->alive) : NULL;
    case PART_TIMELINE:
      return s->has_timeline ? g_variant_new ("(xxxxx@ax)", s->from_ts,
          s->to_ts, s->peak_ts, s->peak_bytes, s->peak_objects,
          g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, s->bins->data,
              s->bins->len, sizeof (gint64))) : NULL;
    default:
      return s->has_leaks ? g_variant_new ("(xu)", s->leaked_objects,
          s->leak_groups) : NULL;
  }
}

static void
part_read (MemTraceSummary * s, guint part, GVariant * v)
{
  GVariant *bins;
  gconstpointer data;
  gsize n;

  switch (part) {
    case PART_INFO:
      g_variant_get (v, "(xxx)", &s->n_events, &s->created, &s->alive);
      s->has_info = TRUE;
      break;
    case PART_TIMELINE:
      g_variant_get (v, "(xxxxx@ax)", &s->from_ts, &s->to_ts, &s->peak_ts,
          &s->peak_bytes, &s->peak_objects, &bins);
      data = g_variant_get_fixed_array (bins, &n, sizeof (gint64));
      g_array_append_vals (s->bins, data, n);
      g_variant_unref (bins);
      s->has_timeline = TRUE;
      break;
    default:
      g_variant_get (v, "(xu)", &s->leaked_objects, &s->leak_groups);
      s->has_leaks = TRUE;
      break;
  }
}

/* Only what can never change is kept: a finished trace whose recording
 * is over. */
static gboolean
cacheable (MemTraceTrace * t)
{
  return !memtrace_trace_is_live (t)
      && memtrace_trace_meta_int (t, "finished", 0) == 1
      && memtrace_trace_meta_int (t, "complete", 0) == 1;
}

static gboolean
load_part (sqlite3_stmt * st, MemTraceSummary * s, guint part,
    const gchar * options)
{
  gboolean found = FALSE;

  sqlite3_bind_text (st, 1, part_names[part], -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, options, -1, SQLITE_STATIC);
  sqlite3_bind_int (st, 3, MEMTRACE_SUMMARY_VERSION);
  if (sqlite3_step (st) == SQLITE_ROW) {
    GBytes *bytes = g_bytes_new (sqlite3_column_blob (st, 0),
        sqlite3_column_bytes (st, 0));
    GVariant *v = g_variant_new_from_bytes (G_VARIANT_TYPE
        (part_types[part]), bytes, FALSE);

    /* A damaged row is not trusted: it is computed again. */
    found = g_variant_is_normal_form (v);
    if (found)
      part_read (s, part, v);
    g_variant_unref (v);
    g_bytes_unref (bytes);
  }
  sqlite3_reset (st);
  return found;
}

MemTraceSummary *
memtrace_summary_load (MemTraceTrace * t, guint n_bins,
    MemTraceSuppressions * suppressions)
{
  MemTraceSummary *s;
  sqlite3_stmt *st = NULL;
  gchar **options;
  gboolean any = FALSE;
  guint i;

  if (!cacheable (t) || sqlite3_prepare_v2 (memtrace_trace_db (t),
          "SELECT data FROM summary WHERE analysis = ? AND options = ? "
          "AND version = ?", -1, &st, NULL) != SQLITE_OK) {
    sqlite3_finalize (st);
    return NULL;
  }
  s = memtrace_summary_new ();
  options = part_options (n_bins, suppressions);
  for (i = 0; i < N_PARTS; i++)
    any = load_part (st, s, i, options[i]) || any;
  sqlite3_finalize (st);
  g_strfreev (options);
  if (!any)
    g_clear_pointer (&s, memtrace_summary_free);
  return s;
}

static gboolean
store_parts (sqlite3 * db, const MemTraceSummary * s, gchar ** options)
{
  sqlite3_stmt *st;
  gboolean ok = TRUE;
  guint i;

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO summary VALUES "
          "(?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
    return FALSE;
  for (i = 0; i < N_PARTS && ok; i++) {
    GVariant *v = part_variant (s, i);

    if (!v)
      continue;
    g_variant_ref_sink (v);
    sqlite3_bind_text (st, 1, part_names[i], -1, SQLITE_STATIC);
    sqlite3_bind_text (st, 2, options[i], -1, SQLITE_STATIC);
    sqlite3_bind_int (st, 3, MEMTRACE_SUMMARY_VERSION);
    sqlite3_bind_blob (st, 4, g_variant_get_data (v), g_variant_get_size (v),
        SQLITE_TRANSIENT);
    ok = sqlite3_step (st) == SQLITE_DONE;
    sqlite3_reset (st);
    g_variant_unref (v);
  }
  sqlite3_finalize (st);
  return ok;
}

gboolean
memtrace_summary_store (MemTraceTrace * t, guint n_bins,
    MemTraceSuppressions * suppressions, const MemTraceSummary * s)
{
  sqlite3 *db = memtrace_trace_db (t);
  gchar **options;
  gboolean ok;

  if (!cacheable (t) || sqlite3_db_readonly (db, "main") == 1)
    return FALSE;
  /* A reader elsewhere holds the file: better no cache than a wait. */
  sqlite3_busy_timeout (db, 100);
  options = part_options (n_bins, suppressions);
  ok = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
  if (ok) {
    ok = sqlite3_exec (db, table_sql, NULL, NULL, NULL) == SQLITE_OK
        && store_parts (db, s, options);
    ok = sqlite3_exec (db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL,
        NULL) == SQLITE_OK && ok;
  }
  if (!ok && !sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_busy_timeout (db, 5000);
  g_strfreev (options);
  return ok;
}

MemTraceSummary *
memtrace_summary_compute (MemTraceTrace * t, MemTraceFrames * frames,
    guint n_bins, MemTraceSuppressions * suppressions, GError ** error)
{
  MemTraceTimelineOptions to = { n_bins, };
  MemTraceLeakOptions lo = { NULL, NULL, suppressions };
  MemTraceFrames *own = frames ? NULL : memtrace_frames_new
      (memtrace_trace_db (t));
  MemTraceSummary *s = memtrace_summary_new ();
  MemTraceInfo *info;

  frames = frames ? frames : own;
  info = memtrace_info_load (t, error);
  MemTraceTimeline *tl = info ? memtrace_timeline_analyse (t, frames, &to,
      error) : NULL;
  MemTraceLeaks *l = tl ? memtrace_leaks_analyse (t, frames, &lo,
      error) : NULL;

  memtrace_summary_set_info (s, info);
  memtrace_summary_set_timeline (s, tl);
  memtrace_summary_set_leaks (s, l);
  memtrace_info_free (info);
  memtrace_timeline_free (tl);
  memtrace_leaks_free (l);
  memtrace_frames_free (own);
  if (!l) {
    memtrace_summary_free (s);
    return NULL;
  }
  memtrace_summary_store (t, n_bins, suppressions, s);
  return s;
}
