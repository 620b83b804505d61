/* gst-memtrace: buffer pools, what they were asked for and how they did.
 *
 * The acquires and releases are two streams in time order (kind 5 and kind
 * 6, each ordered by ts), merged here: only the buffers out of their pool
 * at a time are held, in a table of buffer -> acquire.  The rest are small
 * queries: pool-alloc and wait events are few (a pool makes its buffers
 * once and then recycles them), and so are configurations. */
#include <string.h>
#include "memtrace-pools.h"
#include "memtrace-timeline.h"
#include "memtrace-sql.h"

#define DEFAULT_BINS 200

/* Walking the acquires and releases */

typedef struct _Walk Walk;

struct _Walk
{
  MemTraceTrace *trace;
  GError **error;
  /* A buffer comes out of pool at ts (may be NULL). */
  void (*acquired) (Walk * w, gint64 pool, gint64 buffer, gint64 ts);
  /* It goes back at ts; acquired_ts -1: it had not come out (a fill). */
  void (*released) (Walk * w, gint64 pool, gint64 buffer, gint64 ts,
      gint64 acquired_ts);
  gpointer data;
};

typedef struct
{
  gint64 pool, ts;
} Out;

/* One kind of event in time order, read by a row reader. */
typedef struct
{
  MemTraceRowReader *rows;
  gboolean more;
  gint64 ts, buffer, pool;
} Cursor;

static void
cursor_next (Cursor * c)
{
  const gint64 *row = memtrace_row_reader_next (c->rows);

  c->more = row != NULL;
  if (c->more) {
    c->ts = row[0];
    c->buffer = row[1];
    c->pool = row[2];
  }
}

static gboolean
cursor_open (Walk * w, Cursor * c, gint kind)
{
  gint64 params[] = { kind };

  /* The IN term, always true here, lets SQLite use a partial index of
   * pool events WHERE kind IN (5, 6, 7, 8) if the trace has one: a range
   * of it in ts order.  Without, it sorts the rows of that kind. */
  c->rows = memtrace_row_reader_new (w->trace, "SELECT ts, obj, a "
      "FROM events WHERE kind = ?1 AND kind IN (5, 6, 7, 8) ORDER BY ts",
      params, 1, w->error);
  if (!c->rows)
    return FALSE;
  cursor_next (c);
  return TRUE;
}

/* The next event is the release if it comes first; at the same time, a
 * release goes first (the outstanding count does not peak on a swap),
 * unless it is of the very buffer being acquired. */
static gboolean
release_first (const Cursor * acq, const Cursor * rel)
{
  if (!rel->more)
    return FALSE;
  if (!acq->more)
    return TRUE;
  if (rel->ts != acq->ts)
    return rel->ts < acq->ts;
  return rel->buffer != acq->buffer;
}

static void
walk_release (Walk * w, GHashTable * out, const Cursor * rel)
{
  gpointer key = GSIZE_TO_POINTER (rel->buffer);
  Out *o = g_hash_table_lookup (out, key);

  w->released (w, rel->pool, rel->buffer, rel->ts, o ? o->ts : -1);
  if (o)
    g_hash_table_remove (out, key);
}

static void
walk_acquire (Walk * w, GHashTable * out, const Cursor * acq)
{
  gpointer key = GSIZE_TO_POINTER (acq->buffer);
  Out *o = g_hash_table_lookup (out, key);

  /* A buffer acquired while out lost its release (a damaged trace): count
   * it back in now, so that what is out stays what is out. */
  if (o)
    w->released (w, o->pool, acq->buffer, acq->ts, o->ts);
  else
    g_hash_table_insert (out, key, o = g_new (Out, 1));
  o->pool = acq->pool;
  o->ts = acq->ts;
  if (w->acquired)
    w->acquired (w, acq->pool, acq->buffer, acq->ts);
}

/* Returns the buffers still out at the end (buffer -> Out), or NULL on an
 * SQL error.  Each stream is read by a thread of its own. */
static GHashTable *
walk (Walk * w)
{
  GHashTable *out = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  Cursor acq = { 0, }, rel = { 0, };
  gboolean ok = cursor_open (w, &acq, 5) && cursor_open (w, &rel, 6);

  while (ok && (acq.more || rel.more)) {
    if (release_first (&acq, &rel)) {
      walk_release (w, out, &rel);
      cursor_next (&rel);
    } else {
      walk_acquire (w, out, &acq);
      cursor_next (&acq);
    }
  }
  ok = ok && !memtrace_row_reader_failed (acq.rows, w->error)
      && !memtrace_row_reader_failed (rel.rows, w->error);
  memtrace_row_reader_free (acq.rows);
  memtrace_row_reader_free (rel.rows);
  if (!ok) {
    g_hash_table_unref (out);
    return NULL;
  }
  return out;
}

/* Intervals, for the lifetimes */

typedef struct
{
  MemTracePoolIntervalFunc func;
  gpointer user_data;
} IntervalWalk;

static void
interval_released (Walk * w, gint64 pool, gint64 buffer, gint64 ts,
    gint64 acquired_ts)
{
  IntervalWalk *iw = w->data;

  if (acquired_ts >= 0)
    iw->func (pool, buffer, acquired_ts, ts, iw->user_data);
}

gboolean
memtrace_pools_foreach_interval (MemTraceTrace * t,
    MemTracePoolIntervalFunc func, gpointer user_data, GError ** error)
{
  IntervalWalk iw = { func, user_data };
  Walk w = { t, error, NULL, interval_released, &iw };
  GHashTable *out = walk (&w);
  GHashTableIter it;
  gpointer key, value;

  if (!out)
    return FALSE;
  g_hash_table_iter_init (&it, out);
  while (g_hash_table_iter_next (&it, &key, &value)) {
    Out *o = value;

    func (o->pool, GPOINTER_TO_SIZE (key), o->ts, -1, user_data);
  }
  g_hash_table_unref (out);
  return TRUE;
}

/* The analysis */

typedef struct
{
  MemTraceQuery q;
  MemTracePools *result;
  GHashTable *by_id;            /* pool id -> Pool */
} Analysis;

/* A pool, with what the walk needs beyond the result. */
typedef struct
{
  MemTracePool p;
  gint64 outstanding;
  gint last_bin;                /* the last bin given a value */
} Pool;

static void
pool_free (gpointer p)
{
  MemTracePool *pool = p;

  g_free (pool->name);
  g_free (pool->type);
  g_free (pool->owner);
  g_array_unref (pool->configs);
  g_array_unref (pool->outstanding);
  g_free (pool);
}

static Pool *
pool_get (Analysis * a, gint64 id)
{
  Pool *p = g_hash_table_lookup (a->by_id, GSIZE_TO_POINTER (id));

  if (p)
    return p;
  p = g_new0 (Pool, 1);
  p->p.pool = id;
  p->p.configs = g_array_new (FALSE, TRUE, sizeof (MemTracePoolConfig));
  p->p.outstanding = g_array_sized_new (FALSE, TRUE, sizeof (gint64),
      a->result->n_bins);
  g_array_set_size (p->p.outstanding, a->result->n_bins);
  p->last_bin = -1;
  g_hash_table_insert (a->by_id, GSIZE_TO_POINTER (id), p);
  g_ptr_array_add (a->result->pools, p);
  return p;
}

/* The outstanding series: each bin holds the most seen in it; a bin with
 * no event holds what was out as it began. */
static void
fill_bins (Analysis * a, Pool * p, gint upto)
{
  for (; p->last_bin < upto; p->last_bin++)
    g_array_index (p->p.outstanding, gint64, p->last_bin + 1) =
        p->outstanding;
}

/* What was out changes by delta at ts.  Bins up to ts's are first given
 * what was out before; an event past the window closes it. */
static void
outstanding_step (Analysis * a, Pool * p, gint64 ts, gint delta)
{
  MemTracePools *r = a->result;
  gint64 bin = -1;

  if (ts >= r->to_ts)
    fill_bins (a, p, r->n_bins - 1);
  else if (ts >= r->from_ts)
    bin = MIN ((ts - r->from_ts) / r->bin_width, (gint64) r->n_bins - 1);
  if (bin >= 0)
    fill_bins (a, p, bin);
  p->outstanding += delta;
  if (p->outstanding > p->p.peak_outstanding) {
    p->p.peak_outstanding = p->outstanding;
    p->p.peak_outstanding_ts = ts;
  }
  if (bin >= 0)
    g_array_index (p->p.outstanding, gint64, bin) =
        MAX (g_array_index (p->p.outstanding, gint64, bin), p->outstanding);
}

static void
stats_acquired (Walk * w, gint64 pool, gint64 buffer, gint64 ts)
{
  Analysis *a = w->data;
  Pool *p = pool_get (a, pool);

  p->p.acquires++;
  outstanding_step (a, p, ts, 1);
}

static void
stats_released (Walk * w, gint64 pool, gint64 buffer, gint64 ts,
    gint64 acquired_ts)
{
  Analysis *a = w->data;
  Pool *p = pool_get (a, pool);

  if (acquired_ts < 0) {
    p->p.fills++;
    return;
  }
  p->p.releases++;
  outstanding_step (a, p, ts, -1);
}

static gboolean
walk_pools (Analysis * a)
{
  Walk w = { a->q.trace, a->q.error, stats_acquired, stats_released, a };
  GHashTable *out;
  GHashTableIter it;
  gpointer value;
  guint i;

  out = walk (&w);
  if (!out)
    return FALSE;
  g_hash_table_iter_init (&it, out);
  while (g_hash_table_iter_next (&it, NULL, &value))
    pool_get (a, ((Out *) value)->pool)->p.leaked_outstanding++;
  g_hash_table_unref (out);
  for (i = 0; i < a->result->pools->len; i++)
    fill_bins (a, g_ptr_array_index (a->result->pools, i),
        a->result->n_bins - 1);
  return TRUE;
}

typedef void (*PoolRowFunc) (Pool * p, sqlite3_stmt * st);

/* Gives each row of sql, whose first column is a pool's id, to func with
 * that pool. */
static gboolean
foreach_pool_row (Analysis * a, const gchar * sql, PoolRowFunc func)
{
  sqlite3_stmt *st = memtrace_query_prepare (&a->q, sql);
  gint rc;

  if (!st)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    func (pool_get (a, sqlite3_column_int64 (st, 0)), st);
  return memtrace_query_finish (&a->q, st, rc);
}

static void
add_config (Pool * p, sqlite3_stmt * st)
{
  MemTracePoolConfig c;

  c.ts = sqlite3_column_int64 (st, 1);
  c.size = sqlite3_column_int64 (st, 2);
  c.min_buffers = sqlite3_column_int64 (st, 3);
  c.max_buffers = sqlite3_column_int64 (st, 4);
  c.allocator = sqlite3_column_int64 (st, 5);
  c.align = sqlite3_column_int64 (st, 6);
  c.prefix = sqlite3_column_int64 (st, 7);
  c.padding = sqlite3_column_int64 (st, 8);
  g_array_append_val (p->p.configs, c);
}

static gboolean
load_configs (Analysis * a)
{
  return foreach_pool_row (a, "SELECT pool, ts, size, min_buffers, "
      "max_buffers, allocator, align, prefix, padding FROM pool_configs "
      "ORDER BY pool, ts", add_config);
}

static void
add_allocs (Pool * p, sqlite3_stmt * st)
{
  p->p.buffers_allocated = sqlite3_column_int64 (st, 1);
  p->p.memory_count = sqlite3_column_int64 (st, 2);
  p->p.memory_bytes = sqlite3_column_int64 (st, 3);
  p->p.memory_allocated_bytes = sqlite3_column_int64 (st, 4);
}

/* What each pool made, and the memories of those buffers. */
static gboolean
load_allocs (Analysis * a)
{
  return foreach_pool_row (a, "SELECT e.a, count (DISTINCT e.obj), "
      "count (m.obj), total (CASE WHEN m.parent IS NULL THEN m.size END), "
      "total (m.allocated) "
      "FROM events e LEFT JOIN buffer_memories bm ON bm.buffer = e.obj "
      "LEFT JOIN memories m ON m.obj = bm.memory "
      "WHERE e.kind = 7 AND e.kind IN (5, 6, 7, 8) GROUP BY e.a",
      add_allocs);
}

static void
add_wait (Pool * p, sqlite3_stmt * st)
{
  gint64 ns = sqlite3_column_int64 (st, 1);

  p->p.waits++;
  p->p.wait_total_ns += ns;
  if (p->p.waits == 1 || ns > p->p.wait_max_ns) {
    p->p.wait_max_ns = ns;
    p->p.wait_max_ts = sqlite3_column_int64 (st, 2);
    p->p.wait_max_stack_id = sqlite3_column_int64 (st, 3);
  }
}

static gboolean
load_waits (Analysis * a)
{
  return foreach_pool_row (a, "SELECT obj, a, ts, stack FROM events "
      "WHERE kind = 8 AND kind IN (5, 6, 7, 8) ORDER BY ts", add_wait);
}

static gboolean
load_names (Analysis * a)
{
  sqlite3_stmt *st = memtrace_query_prepare (&a->q, "SELECT n.name, t.name, "
      "p.name FROM (SELECT ?1 AS id) x LEFT JOIN names n ON n.obj = x.id "
      "LEFT JOIN objects o ON o.id = x.id LEFT JOIN types t ON t.id = o.type "
      "LEFT JOIN names p ON p.obj = n.parent");
  guint i;

  if (!st)
    return FALSE;
  for (i = 0; i < a->result->pools->len; i++) {
    MemTracePool *p = g_ptr_array_index (a->result->pools, i);

    sqlite3_bind_int64 (st, 1, p->pool);
    if (sqlite3_step (st) == SQLITE_ROW) {
      p->name = memtrace_sql_column_text (st, 0);
      p->type = memtrace_sql_column_text (st, 1);
      p->owner = memtrace_sql_column_text (st, 2);
    }
    sqlite3_reset (st);
    if (!p->name)
      p->name = g_strdup_printf ("pool %" G_GINT64_FORMAT, p->pool);
    if (!p->type)
      p->type = g_strdup ("GstBufferPool");
  }
  sqlite3_finalize (st);
  return TRUE;
}

static gint
pool_cmp (gconstpointer x, gconstpointer y)
{
  const MemTracePool *a = *(MemTracePool * const *) x;
  const MemTracePool *b = *(MemTracePool * const *) y;

  if (a->acquires != b->acquires)
    return a->acquires > b->acquires ? -1 : 1;
  if (a->buffers_allocated != b->buffers_allocated)
    return a->buffers_allocated > b->buffers_allocated ? -1 : 1;
  return a->pool < b->pool ? -1 : a->pool > b->pool;
}

static void
finish (Analysis * a)
{
  guint i;

  for (i = 0; i < a->result->pools->len; i++) {
    MemTracePool *p = g_ptr_array_index (a->result->pools, i);

    p->reuse_ratio = p->buffers_allocated ?
        (gdouble) p->acquires / p->buffers_allocated : 0.0;
  }
  g_ptr_array_sort (a->result->pools, pool_cmp);
}

static void
set_window (Analysis * a, const MemTracePoolOptions * o)
{
  MemTracePools *r = a->result;

  r->n_bins = o && o->n_bins ? o->n_bins : DEFAULT_BINS;
  r->from_ts = o ? o->from_ts : 0;
  r->to_ts = o ? o->to_ts : 0;
  memtrace_timeline_bin_window (a->q.trace, r->n_bins, &r->from_ts,
      &r->to_ts, &r->bin_width);
}

MemTracePools *
memtrace_pools_analyse (MemTraceTrace * t, MemTraceFrames * frames,
    const MemTracePoolOptions * options, GError ** error)
{
  Analysis a = { {NULL,}, NULL, NULL };
  gboolean ok;

  if (!memtrace_trace_check_finished (t, error))
    return NULL;
  memtrace_query_init (&a.q, t, "pools", error);
  a.result = g_new0 (MemTracePools, 1);
  a.result->pools = g_ptr_array_new_with_free_func (pool_free);
  a.by_id = g_hash_table_new (NULL, NULL);
  set_window (&a, options);
  ok = load_configs (&a) && walk_pools (&a) && load_allocs (&a)
      && load_waits (&a) && load_names (&a);
  g_hash_table_unref (a.by_id);
  if (!ok) {
    memtrace_pools_free (a.result);
    return NULL;
  }
  finish (&a);
  return a.result;
}

void
memtrace_pools_free (MemTracePools * pools)
{
  if (!pools)
    return;
  g_ptr_array_unref (pools->pools);
  g_free (pools);
}
