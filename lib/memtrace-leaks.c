/* gst-memtrace: the leak analysis, with root causes.
 *
 * It works in SQL on temporary tables so that it streams: the candidates
 * (objects alive at the end, or made in a window and alive at its end), the
 * "holds" edges between candidates, the roots (candidates nobody holds) and
 * for every candidate the root it belongs to.  Roots of one type, creation
 * stack and acquire stack form a group: one line per forgotten unref. */
#include <string.h>
#include "memtrace-leaks.h"
#include "memtrace-sql.h"
#include "memtrace-error.h"

/* What a clean gst_deinit() releases: alive at exit, these are GStreamer's,
 * not the application's (and so is all they hold). */
static const gchar released_types_sql[] =
    "'GstRegistry', 'GstPlugin', 'GstPluginFeature', 'GstTracer', "
    "'GstTracerRecord', 'GstSystemClock', 'GstAllocator', 'GstTaskPool', "
    /* gst_deinit() waits for streaming tasks still winding down */
    "'GstTask', "
    "'GstDeviceMonitor'";

typedef struct
{
  MemTraceQuery q;
  MemTraceFrames *frames;
  const MemTraceLeakOptions *options;
  MemTraceLeaks *leaks;
  GHashTable *type_chains;      /* types.id -> gchar** (name, parents) */
} Analysis;

/* The shared helpers, on this analysis' query. */

static gboolean
exec (Analysis * a, const gchar * sql)
{
  return memtrace_query_exec (&a->q, sql);
}

static sqlite3_stmt *
prepare (Analysis * a, const gchar * sql)
{
  return memtrace_query_prepare (&a->q, sql);
}

static gint64
query_int (Analysis * a, const gchar * sql)
{
  return memtrace_query_int (&a->q, sql);
}

/* Candidates */

static const gchar leak_table_sql[] =
    "DROP TABLE IF EXISTS temp.leak;"
    "DROP TABLE IF EXISTS temp.edge;"
    "DROP TABLE IF EXISTS temp.reach;"
    "CREATE TEMP TABLE leak (obj INTEGER PRIMARY KEY, type INTEGER,"
    "  stack INTEGER, acq INTEGER, site INTEGER, state INTEGER, bytes INTEGER,"
    "  allocated INTEGER, released INTEGER DEFAULT 0, root INTEGER,"
    "  grp INTEGER, suppressed INTEGER DEFAULT 0);";

/* Own payload: a GstMemory's size, nothing for a sub-memory (its parent
 * counts), nothing for types without payload. */
#define OWN_BYTES "CASE WHEN m.parent IS NULL THEN coalesce (m.size, 0) " \
  "ELSE 0 END, coalesce (m.allocated, 0)"

static gboolean
fill_candidates (Analysis * a, gboolean complete)
{
  MemTraceLeaks *l = a->leaks;
  sqlite3_stmt *st;
  gboolean ok;

  if (l->from_checkpoint || l->to_checkpoint) {
    st = prepare (a, "INSERT INTO leak (obj, type, stack, state, bytes, "
        "allocated) SELECT o.id, o.type, o.stack, 3, " OWN_BYTES
        " FROM objects o LEFT JOIN memories m ON m.obj = o.id "
        "WHERE o.ts > ?1 AND o.ts <= ?2 AND (o.destroyed IS NULL "
        "OR o.destroyed > ?2) AND NOT EXISTS (SELECT 1 FROM alive "
        "WHERE alive.obj = o.id AND (alive.flags & 1)) AND NOT EXISTS ("
        "SELECT 1 FROM events f WHERE f.kind = 21 AND f.obj = o.id "
        "AND (f.a & 1))");
  } else if (complete) {
    st = prepare (a, "INSERT INTO leak (obj, type, stack, state, bytes, "
        "allocated) SELECT o.id, o.type, o.stack, a.state, " OWN_BYTES
        " FROM alive a JOIN objects o ON o.id = a.obj "
        "LEFT JOIN memories m ON m.obj = o.id WHERE (a.flags & 1) = 0");
  } else {
    st = prepare (a, "INSERT INTO leak (obj, type, stack, state, bytes, "
        "allocated) SELECT o.id, o.type, o.stack, 0, " OWN_BYTES
        " FROM objects o LEFT JOIN memories m ON m.obj = o.id "
        "WHERE o.destroyed IS NULL");
  }
  if (!st)
    return FALSE;
  sqlite3_bind_int64 (st, 1, l->from_ts);
  sqlite3_bind_int64 (st, 2, l->to_ts);
  ok = memtrace_query_step_done (&a->q, st);
  sqlite3_finalize (st);
  return ok;
}

/* Holds edges between candidates: who keeps whom alive. */
static const gchar edges_sql[] =
    "CREATE TEMP TABLE edge (holder INTEGER, held INTEGER);"
    /* a buffer its memories */
    "INSERT INTO edge SELECT bm.buffer, bm.memory FROM buffer_memories bm "
    "  JOIN leak h ON h.obj = bm.buffer JOIN leak d ON d.obj = bm.memory;"
    /* a sub-memory its parent, a memory its allocator */
    "INSERT INTO edge SELECT m.obj, m.parent FROM memories m "
    "  JOIN leak h ON h.obj = m.obj JOIN leak d ON d.obj = m.parent;"
    "INSERT INTO edge SELECT m.obj, m.allocator FROM memories m "
    "  JOIN leak h ON h.obj = m.obj JOIN leak d ON d.obj = m.allocator;"
    /* an outstanding pooled buffer its pool; a pool its idle buffers */
    "INSERT INTO edge SELECT b.obj, b.pool FROM buffers b "
    "  JOIN leak h ON h.obj = b.obj JOIN leak d ON d.obj = b.pool;"
    "INSERT INTO edge SELECT e.a, e.obj FROM events e "
    "  JOIN leak h ON h.obj = e.a JOIN leak d ON d.obj = e.obj "
    "  JOIN buffers b ON b.obj = e.obj WHERE e.kind = 7 AND b.pool IS NULL;"
    /* a bin its elements, an element its pads */
    "INSERT INTO edge SELECT n.parent, n.obj FROM names n "
    "  JOIN leak h ON h.obj = n.parent JOIN leak d ON d.obj = n.obj;"
    /* a sample its buffer and caps, a list its buffers, a message its src */
    "INSERT INTO edge SELECT x.holder, x.held FROM holds x "
    "  JOIN leak h ON h.obj = x.holder JOIN leak d ON d.obj = x.held;"
    "CREATE INDEX temp.edge_holder ON edge (holder);"
    "CREATE INDEX temp.edge_held ON edge (held);";

/* Roots are candidates nobody holds; each candidate joins the first root
 * that reaches it.  A ring of candidates holding each other has no such
 * root: its oldest member becomes one, until every candidate has a root. */
static gboolean
assign_roots (Analysis * a)
{
  if (!exec (a, "UPDATE leak SET root = obj WHERE NOT EXISTS "
          "(SELECT 1 FROM edge WHERE edge.held = leak.obj "
          "AND edge.holder != leak.obj)"))
    return FALSE;
  for (;;) {
    if (!exec (a, "DROP TABLE IF EXISTS temp.reach;"
            "CREATE TEMP TABLE reach AS WITH RECURSIVE r (root, obj) AS ("
            "  SELECT obj, obj FROM leak WHERE root = obj"
            "  UNION SELECT r.root, e.held FROM r JOIN edge e "
            "  ON e.holder = r.obj) SELECT obj, min (root) AS root FROM r "
            "  GROUP BY obj;"
            "CREATE INDEX temp.reach_obj ON reach (obj);"
            "UPDATE leak SET root = (SELECT root FROM reach "
            "  WHERE reach.obj = leak.obj) WHERE root IS NULL;"))
      return FALSE;
    if (query_int (a, "SELECT count(*) FROM leak WHERE root IS NULL") == 0)
      return TRUE;
    if (!exec (a, "UPDATE leak SET root = obj WHERE obj = "
            "(SELECT min (obj) FROM leak WHERE root IS NULL)"))
      return FALSE;
  }
}

/* Alive at exit, what gst_deinit() would have released is not a leak:
 * objects of those types, and all they hold. */
static gboolean
mark_released (Analysis * a)
{
  gchar *sql = g_strdup_printf ("WITH RECURSIVE rel (id) AS ("
      "  SELECT id FROM types WHERE name IN (%s)"
      "  UNION SELECT t.id FROM types t JOIN rel ON t.parent = rel.id) "
      "UPDATE leak SET released = 1 WHERE state = 2 AND root IN "
      "(SELECT obj FROM leak WHERE obj = root AND type IN rel)",
      released_types_sql);
  gboolean ok = exec (a, sql);

  g_free (sql);
  return ok;
}

/* Groups */

static const gchar groups_sql[] =
    "UPDATE leak SET acq = (SELECT e.stack FROM events e WHERE e.obj = "
    "  leak.obj AND e.kind = 5 ORDER BY e.ts DESC LIMIT 1) WHERE root = obj;"
    /* A pooled buffer is made wherever the pool filled itself: where it
     * was acquired is what tells one leak from another. */
    "UPDATE leak SET site = CASE WHEN coalesce (acq, 0) != 0 THEN 0 "
    "  ELSE coalesce (stack, 0) END WHERE root = obj;"
    "DROP TABLE IF EXISTS temp.grp;"
    "CREATE TEMP TABLE grp AS SELECT row_number () OVER () AS id, * FROM ("
    "  SELECT type, site, coalesce (acq, 0) AS acq, state,"
    "  min (coalesce (stack, 0)) AS stack FROM leak"
    "  WHERE root = obj AND released = 0 GROUP BY type, site, acq, state);"
    "UPDATE leak SET grp = (SELECT g.id FROM grp g WHERE g.type = leak.type"
    "  AND g.site = leak.site AND g.acq = coalesce (leak.acq, 0)"
    "  AND g.state = leak.state) WHERE root = obj AND released = 0;"
    "UPDATE leak SET grp = (SELECT r.grp FROM leak r WHERE r.obj = leak.root)"
    "  WHERE root != obj;"
    "CREATE INDEX temp.leak_grp ON leak (grp);";

static MemTraceLeakGroup *
group_new (sqlite3_stmt * st)
{
  MemTraceLeakGroup *g = g_new0 (MemTraceLeakGroup, 1);

  g->type = g_strdup ((const gchar *) sqlite3_column_text (st, 1));
  g->stack_id = sqlite3_column_int64 (st, 2);
  g->acquire_stack_id = sqlite3_column_int64 (st, 3);
  g->state = sqlite3_column_int (st, 4);
  g->holds = memtrace_tallies_new ();
  g->refs = g_array_new (FALSE, TRUE, sizeof (MemTraceRefSite));
  g->object_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return g;
}

static void
group_free (gpointer p)
{
  MemTraceLeakGroup *g = p;

  g_free (g->type);
  g_free (g->last_pad);
  g_free (g->suppressed_by);
  g_array_unref (g->holds);
  g_array_unref (g->refs);
  g_array_unref (g->object_ids);
  g_free (g);
}

/* Groups are numbered from 1 in `grp`; index i of the array is group i+1. */
static gboolean
load_groups (Analysis * a)
{
  sqlite3_stmt *st = prepare (a, "SELECT g.id, t.name, g.stack, g.acq, "
      "g.state FROM grp g JOIN types t ON t.id = g.type ORDER BY g.id");
  gint rc;

  if (!st)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (a->leaks->groups, group_new (st));
  sqlite3_finalize (st);
  return rc == SQLITE_DONE;
}

static MemTraceLeakGroup *
group_at (Analysis * a, gint64 id)
{
  if (id < 1 || id > a->leaks->groups->len)
    return NULL;
  return g_ptr_array_index (a->leaks->groups, id - 1);
}

/* A row's columns from column on: type name, objects, bytes, allocated
 * bytes. */
static MemTraceTally
read_tally (sqlite3_stmt * st, gint column)
{
  MemTraceTally t;

  t.type = memtrace_sql_column_text (st, column);
  t.objects = sqlite3_column_int64 (st, column + 1);
  t.bytes = sqlite3_column_int64 (st, column + 2);
  t.allocated_bytes = sqlite3_column_int64 (st, column + 3);
  return t;
}

typedef void (*GroupRowFunc) (MemTraceLeakGroup * g, sqlite3_stmt * st);

/* Gives each row of sql, whose first column is a group's number, to func
 * with its group; rows of no group are skipped. */
static gboolean
foreach_group_row (Analysis * a, const gchar * sql, GroupRowFunc func)
{
  sqlite3_stmt *st = prepare (a, sql);
  MemTraceLeakGroup *g;

  if (!st)
    return FALSE;
  while (sqlite3_step (st) == SQLITE_ROW)
    if ((g = group_at (a, sqlite3_column_int64 (st, 0))))
      func (g, st);
  sqlite3_finalize (st);
  return TRUE;
}

static void
add_totals (MemTraceLeakGroup * g, sqlite3_stmt * st)
{
  g->objects = sqlite3_column_int64 (st, 1);
  g->bytes = sqlite3_column_int64 (st, 2);
  g->allocated_bytes = sqlite3_column_int64 (st, 3);
}

static void
add_held (MemTraceLeakGroup * g, sqlite3_stmt * st)
{
  MemTraceTally t = read_tally (st, 1);

  g_array_append_val (g->holds, t);
}

static void
add_object_id (MemTraceLeakGroup * g, sqlite3_stmt * st)
{
  gint64 id = sqlite3_column_int64 (st, 1);

  g_array_append_val (g->object_ids, id);
}

static gboolean
load_group_rows (Analysis * a)
{
  return foreach_group_row (a, "SELECT grp, sum (obj = root), sum (bytes),"
      " sum (allocated) FROM leak WHERE grp IS NOT NULL GROUP BY grp",
      add_totals)
      && foreach_group_row (a, "SELECT l.grp, t.name, count(*), "
      "sum (l.bytes), sum (l.allocated) FROM leak l JOIN types t "
      "ON t.id = l.type WHERE l.grp IS NOT NULL AND l.obj != l.root "
      "GROUP BY l.grp, l.type ORDER BY l.grp, 4 DESC, 3 DESC", add_held)
      && foreach_group_row (a, "SELECT grp, obj FROM leak "
      "WHERE obj = root AND grp IS NOT NULL ORDER BY obj", add_object_id);
}

/* Last pad: where the object, the buffer holding it or the buffer it holds
 * last went.  A push ends at the peer pad, a pull at the pad that pulled. */
#define LAST_PAD_SAMPLE 64

static gchar *
last_pad_of (sqlite3_stmt * st, gint64 obj)
{
  gchar *pad = NULL;

  sqlite3_bind_int64 (st, 1, obj);
  if (sqlite3_step (st) == SQLITE_ROW && sqlite3_column_text (st, 1))
    pad = g_strdup_printf ("%s:%s", sqlite3_column_text (st, 0) ?
        (const gchar *) sqlite3_column_text (st, 0) : "?",
        sqlite3_column_text (st, 1));
  sqlite3_reset (st);
  return pad;
}

/* The pad most of the group's first roots last went through. */
static gchar *
group_last_pad (sqlite3_stmt * st, MemTraceLeakGroup * g)
{
  GHashTable *votes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  gchar *best = NULL;
  guint i, best_n = 0;

  for (i = 0; i < MIN (g->object_ids->len, LAST_PAD_SAMPLE); i++) {
    gchar *pad = last_pad_of (st, g_array_index (g->object_ids, gint64, i));
    guint n;

    if (!pad)
      continue;
    n = GPOINTER_TO_UINT (g_hash_table_lookup (votes, pad)) + 1;
    if (n > best_n) {
      best_n = n;
      g_free (best);
      best = g_strdup (pad);
    }
    g_hash_table_replace (votes, pad, GUINT_TO_POINTER (n));
  }
  g_hash_table_unref (votes);
  return best;
}

static gboolean
load_last_pads (Analysis * a)
{
  sqlite3_stmt *st = prepare (a, "SELECT en.name, pn.name FROM events e "
      "JOIN names pn ON pn.obj = CASE e.kind WHEN 9 THEN e.b ELSE e.a END "
      "LEFT JOIN names en ON en.obj = pn.parent "
      "WHERE e.kind IN (9, 11) AND e.obj IN (SELECT ?1 "
      "UNION SELECT held FROM holds WHERE holder = ?1 "
      "UNION SELECT buffer FROM buffer_memories WHERE memory = ?1) "
      "ORDER BY e.ts DESC LIMIT 1");
  guint i;

  if (!st)
    return FALSE;
  for (i = 0; i < a->leaks->groups->len; i++) {
    MemTraceLeakGroup *g = g_ptr_array_index (a->leaks->groups, i);

    g->last_pad = group_last_pad (st, g);
  }
  sqlite3_finalize (st);
  return TRUE;
}

/* Refs never given back (record-refs): per object, references taken and
 * dropped are balanced per site (the frame that names the caller); a site
 * that took more than it gave back holds what is left.  Pairing each unref
 * with "its" ref is impossible in general; by site, the usual cases come
 * out right: a temporary ref balances, an extra ref in a probe does not. */
typedef struct
{
  gint64 balance;
  gint64 stack_id;              /* the latest ref taken there */
} SiteBalance;

/* A site is the calling function, not the return address: the ref and
 * the unref of one function come back to different lines of it. */
static guint64
site_key (Analysis * a, gint64 stack_id)
{
  const MemTraceFrame *site = memtrace_frames_site (a->frames, stack_id);
  guint64 key;
  gchar *name;

  if (!site)
    return (guint64) stack_id;
  if (!site->function)
    return site->address;
  name = g_strconcat (site->function, "@", site->module ? site->module : "",
      NULL);
  key = ((guint64) g_str_hash (name) << 1) | 1;
  g_free (name);
  return key;
}

static void
balance_object (Analysis * a, sqlite3_stmt * st, gint64 obj,
    GHashTable * sites)
{
  sqlite3_bind_int64 (st, 1, obj);
  while (sqlite3_step (st) == SQLITE_ROW) {
    gint64 stack = sqlite3_column_int64 (st, 1);
    guint64 key = site_key (a, stack);
    SiteBalance *b = g_hash_table_lookup (sites, &key);

    if (!b) {
      b = g_new0 (SiteBalance, 1);
      g_hash_table_insert (sites, g_memdup2 (&key, sizeof (key)), b);
    }
    if (sqlite3_column_int (st, 0) == 3) {
      b->balance++;
      b->stack_id = stack;
    } else {
      b->balance--;
    }
  }
  sqlite3_reset (st);
}

static gint
ref_site_cmp (gconstpointer x, gconstpointer y)
{
  const MemTraceRefSite *a = x, *b = y;

  return a->count < b->count ? 1 : a->count > b->count ? -1 : 0;
}

static void
group_refs (Analysis * a, sqlite3_stmt * st, MemTraceLeakGroup * g)
{
  GHashTable *sites = g_hash_table_new_full (g_int64_hash, g_int64_equal,
      g_free, g_free);
  GHashTableIter iter;
  SiteBalance *b;
  guint i;

  for (i = 0; i < MIN (g->object_ids->len, LAST_PAD_SAMPLE); i++)
    balance_object (a, st, g_array_index (g->object_ids, gint64, i), sites);
  g_hash_table_iter_init (&iter, sites);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & b)) {
    MemTraceRefSite r = { b->stack_id, b->balance };

    if (b->balance > 0 && b->stack_id)
      g_array_append_val (g->refs, r);
  }
  g_array_sort (g->refs, ref_site_cmp);
  g_hash_table_unref (sites);
}

static gboolean
load_refs (Analysis * a)
{
  sqlite3_stmt *st;
  guint i;

  if (query_int (a, "SELECT count(*) FROM event_counts WHERE kind = 3") == 0)
    return TRUE;
  st = prepare (a, "SELECT kind, stack FROM events WHERE obj = ?1 "
      "AND kind IN (3, 4) ORDER BY ts");
  if (!st)
    return FALSE;
  for (i = 0; i < a->leaks->groups->len; i++)
    group_refs (a, st, g_ptr_array_index (a->leaks->groups, i));
  sqlite3_finalize (st);
  return TRUE;
}

/* Suppressions */

/* Type name -> its name and its parents' names (a NULL-terminated strv),
 * for "type:" rules that match subclasses. */
static GHashTable *
load_type_chains (Analysis * a)
{
  GHashTable *chains = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, (GDestroyNotify) g_strfreev);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GArray *parents = g_array_new (FALSE, TRUE, sizeof (gint64));
  sqlite3_stmt *st = prepare (a, "SELECT id, name, coalesce (parent, 0) "
      "FROM types WHERE id BETWEEN 1 AND 100000 ORDER BY id");
  guint id;

  while (st && sqlite3_step (st) == SQLITE_ROW) {
    gint64 parent = sqlite3_column_int64 (st, 2);

    id = sqlite3_column_int (st, 0);
    g_ptr_array_set_size (names, MAX (names->len, id + 1));
    g_array_set_size (parents, MAX (parents->len, id + 1));
    g_free (g_ptr_array_index (names, id));
    g_ptr_array_index (names, id) =
        g_strdup ((const gchar *) sqlite3_column_text (st, 1));
    g_array_index (parents, gint64, id) = parent;
  }
  sqlite3_finalize (st);
  for (id = 1; id < names->len; id++) {
    GStrvBuilder *chain = g_strv_builder_new ();
    gint64 t = id;
    guint depth = 0;

    if (!g_ptr_array_index (names, id))
      continue;
    while (t > 0 && t < names->len && g_ptr_array_index (names, t)
        && depth++ < 64) {
      g_strv_builder_add (chain, g_ptr_array_index (names, t));
      t = g_array_index (parents, gint64, t);
    }
    g_hash_table_replace (chains, g_strdup (g_ptr_array_index (names, id)),
        g_strv_builder_end (chain));
    g_strv_builder_unref (chain);
  }
  g_array_unref (parents);
  g_ptr_array_unref (names);
  return chains;
}

static const gchar *
group_suppression (Analysis * a, MemTraceLeakGroup * g)
{
  MemTraceSuppressions *s = a->options->suppressions;
  const gchar *const *chain = g_hash_table_lookup (a->type_chains, g->type);
  const gchar *rule;

  rule = memtrace_suppressions_match (s, chain,
      memtrace_frames_get (a->frames, g->stack_id));
  if (!rule && g->acquire_stack_id)
    rule = memtrace_suppressions_match (s, NULL,
        memtrace_frames_get (a->frames, g->acquire_stack_id));
  return rule;
}

static gboolean
apply_suppressions (Analysis * a)
{
  sqlite3_stmt *st;
  guint i;
  gboolean ok = TRUE;

  if (!a->options->suppressions
      || !memtrace_suppressions_count (a->options->suppressions))
    return TRUE;
  a->type_chains = load_type_chains (a);
  if (!(st = prepare (a, "UPDATE leak SET suppressed = 1 WHERE grp = ?")))
    return FALSE;
  for (i = 0; ok && i < a->leaks->groups->len; i++) {
    MemTraceLeakGroup *g = g_ptr_array_index (a->leaks->groups, i);
    const gchar *rule = group_suppression (a, g);

    if (!rule)
      continue;
    g->suppressed_by = g_strdup (rule);
    sqlite3_bind_int64 (st, 1, i + 1);
    ok = memtrace_query_step_done (&a->q, st);
    sqlite3_reset (st);
  }
  sqlite3_finalize (st);
  return ok;
}

/* Totals */

static gboolean
load_totals (Analysis * a)
{
  MemTraceLeaks *l = a->leaks;
  sqlite3_stmt *st = prepare (a, "SELECT t.name, count(*), sum (l.bytes), "
      "sum (l.allocated) FROM leak l JOIN types t ON t.id = l.type "
      "WHERE l.grp IS NOT NULL AND l.suppressed = 0 GROUP BY l.type "
      "ORDER BY 3 DESC, 2 DESC, t.name");

  if (!st)
    return FALSE;
  while (sqlite3_step (st) == SQLITE_ROW) {
    MemTraceTally t = read_tally (st, 0);

    g_array_append_val (l->leaked_by_type, t);
    l->leaked_objects += t.objects;
    l->leaked_bytes += t.bytes;
    l->leaked_allocated_bytes += t.allocated_bytes;
  }
  sqlite3_finalize (st);
  l->suppressed_objects = query_int (a, "SELECT count(*) FROM leak "
      "WHERE suppressed = 1");
  l->released_by_deinit = query_int (a, "SELECT count(*) FROM leak "
      "WHERE released = 1");
  l->may_be_leaked_objects = query_int (a, "SELECT count(*) FROM alive "
      "WHERE flags & 1");
  return TRUE;
}

static gint
group_cmp (gconstpointer x, gconstpointer y)
{
  const MemTraceLeakGroup *a = *(MemTraceLeakGroup **) x;
  const MemTraceLeakGroup *b = *(MemTraceLeakGroup **) y;

  if (!a->suppressed_by != !b->suppressed_by)
    return a->suppressed_by ? 1 : -1;
  if (a->bytes != b->bytes)
    return a->bytes < b->bytes ? 1 : -1;
  if (a->objects != b->objects)
    return a->objects < b->objects ? 1 : -1;
  return g_strcmp0 (a->type, b->type);
}

static void
order_groups (MemTraceLeaks * l)
{
  guint i;

  g_ptr_array_sort (l->groups, group_cmp);
  for (i = 0; i < l->groups->len; i++)
    if (!((MemTraceLeakGroup *) g_ptr_array_index (l->groups, i))->
        suppressed_by)
      l->n_unsuppressed_groups++;
}

/* Entry point */

static gboolean
set_window (Analysis * a)
{
  MemTraceLeaks *l = a->leaks;
  const MemTraceLeakOptions *o = a->options;

  l->from_ts = G_MININT64;
  l->to_ts = G_MAXINT64;
  if (o->from_checkpoint && !memtrace_query_checkpoint_ts (&a->q,
          o->from_checkpoint, &l->from_ts))
    return FALSE;
  if (o->to_checkpoint && !memtrace_query_checkpoint_ts (&a->q,
          o->to_checkpoint, &l->to_ts))
    return FALSE;
  l->from_checkpoint = g_strdup (o->from_checkpoint);
  l->to_checkpoint = g_strdup (o->to_checkpoint);
  if (l->from_ts > l->to_ts) {
    g_set_error (a->q.error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
        "checkpoint '%s' comes after '%s'", o->from_checkpoint,
        o->to_checkpoint);
    return FALSE;
  }
  return TRUE;
}

static gboolean
analyse (Analysis * a)
{
  gboolean complete = memtrace_trace_meta_int (a->q.trace, "complete",
      0) == 1;

  return set_window (a) && exec (a, leak_table_sql)
      && fill_candidates (a, complete) && exec (a, edges_sql)
      && assign_roots (a) && mark_released (a) && exec (a, groups_sql)
      && load_groups (a) && load_group_rows (a) && apply_suppressions (a)
      && load_last_pads (a) && load_refs (a) && load_totals (a);
}

MemTraceLeaks *
memtrace_leaks_analyse (MemTraceTrace * t, MemTraceFrames * frames,
    const MemTraceLeakOptions * options, GError ** error)
{
  MemTraceLeakOptions none = { NULL, };
  MemTraceLeaks *l = g_new0 (MemTraceLeaks, 1);
  Analysis a = { {NULL,}, frames, options ? options : &none, l, NULL };
  gboolean ok;

  memtrace_query_init (&a.q, t, "leaks", error);
  l->leaked_by_type = memtrace_tallies_new ();
  l->groups = g_ptr_array_new_with_free_func (group_free);
  ok = exec (&a, "SAVEPOINT leaks") && analyse (&a);
  sqlite3_exec (a.q.db, "ROLLBACK TO leaks; RELEASE leaks", NULL, NULL,
      NULL);
  if (a.type_chains)
    g_hash_table_unref (a.type_chains);
  if (!ok) {
    memtrace_leaks_free (l);
    return NULL;
  }
  order_groups (l);
  return l;
}

void
memtrace_leaks_free (MemTraceLeaks * l)
{
  if (!l)
    return;
  g_free (l->from_checkpoint);
  g_free (l->to_checkpoint);
  g_array_unref (l->leaked_by_type);
  g_ptr_array_unref (l->groups);
  g_free (l);
}

gint64
memtrace_leak_group_site_stack (const MemTraceLeakGroup * g)
{
  return g->acquire_stack_id ? g->acquire_stack_id : g->stack_id;
}

gint64
memtrace_leak_group_all_objects (const MemTraceLeakGroup * g)
{
  gint64 n = g->objects;
  guint i;

  for (i = 0; i < g->holds->len; i++)
    n += g_array_index (g->holds, MemTraceTally, i).objects;
  return n;
}

static void
tally_clear (gpointer p)
{
  g_free (((MemTraceTally *) p)->type);
}

GArray *
memtrace_tallies_new (void)
{
  GArray *tallies = g_array_new (FALSE, TRUE, sizeof (MemTraceTally));

  g_array_set_clear_func (tallies, tally_clear);
  return tallies;
}
