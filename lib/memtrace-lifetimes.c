/* gst-memtrace: how long objects live, and pool buffers stay out.
 *
 * One pass over the objects table in storage order (lifetimes need no
 * order), into fixed-size histograms: one per type, per site and overall,
 * each 64 log2 buckets plus a finer one for the percentiles.  Only the N
 * longest lives are kept, in a small heap.  Pool intervals come from the
 * pools analysis' walk of acquires and releases. */
#include <string.h>
#include "memtrace-lifetimes.h"
#include "memtrace-pools.h"
#include "memtrace-timeline.h"
#include "memtrace-sql.h"
#include "memtrace-index.h"

#define DEFAULT_TEMPORARY_NS (1000 * 1000)
#define DEFAULT_OUTLIERS 20
/* 16 steps per power of two: values below 16 exactly, then octaves 4..62. */
#define FINE_STEPS 16
#define N_FINE (FINE_STEPS * 60)

typedef struct
{
  MemTraceLifetimeDist d;
  gint64 fine[N_FINE];
} Hist;

typedef struct
{
  guint64 address;
  gchar *name;
  Hist *hist;
  gint64 best_stack, best_count;
} Site;

typedef struct
{
  gint64 lifetime, id, type, stack, ts;
} Outlier;

/* Temporaries of one type from one stack. */
typedef struct
{
  guint type;
  gint64 stack;
  gint64 count;
} TempGroup;

typedef struct
{
  MemTraceQuery q;
  MemTraceFrames *frames;
  MemTraceLifetimes *result;
  guint n_outliers;

  GPtrArray *type_names;        /* types.id -> name */
  Hist **by_type;               /* per types.id, NULL until seen */
  guint n_types;
  GArray *sites;                /* Site */
  guint *site_of_stack;         /* stacks.id -> site index + 1 */
  gint64 *stack_count;          /* stacks.id -> lifetimes counted */
  gint64 n_stacks;              /* stack ids are < this */
  GHashTable *site_index;       /* address -> site index + 1 */
  Hist all;
  GArray *outliers;             /* Outlier, a min-heap on lifetime */
  GArray *temps;                /* TempGroup */
  MemTraceIndex temp_index;     /* on type << 32 | stack */
  GHashTable *by_pool;          /* pool id -> Hist */
} Analysis;

guint
memtrace_lifetime_bucket (gint64 ns)
{
  if (ns <= 0)
    return 0;
  return 64 - __builtin_clzll ((guint64) ns);
}

static guint
fine_index (gint64 ns)
{
  guint octave;

  if (ns < FINE_STEPS)
    return ns < 0 ? 0 : ns;
  octave = 63 - __builtin_clzll ((guint64) ns);
  return FINE_STEPS * (octave - 3) + ((ns >> (octave - 4)) & (FINE_STEPS - 1));
}

/* The largest value that falls in a fine step. */
static gint64
fine_upper (guint i)
{
  guint octave, step;

  if (i < FINE_STEPS)
    return i;
  octave = i / FINE_STEPS + 3;
  step = i % FINE_STEPS;
  return (((gint64) (FINE_STEPS + step) + 1) << (octave - 4)) - 1;
}

static inline void
hist_add (Hist * h, gint64 ns)
{
  MemTraceLifetimeDist *d = &h->d;

  ns = MAX (ns, 0);
  if (d->count == 0 || ns < d->min_ns)
    d->min_ns = ns;
  if (ns > d->max_ns)
    d->max_ns = ns;
  d->count++;
  d->total_ns += ns;
  d->buckets[memtrace_lifetime_bucket (ns)]++;
  h->fine[fine_index (ns)]++;
}

/* Nearest rank: the smallest value with at least p of them at or below. */
static gint64
hist_percentile (const Hist * h, gdouble p)
{
  gint64 rank = (gint64) (p * h->d.count + 0.999999), seen = 0;
  guint i;

  rank = CLAMP (rank, 1, h->d.count);
  for (i = 0; i < N_FINE; i++) {
    seen += h->fine[i];
    if (seen >= rank)
      return CLAMP (fine_upper (i), h->d.min_ns, h->d.max_ns);
  }
  return h->d.max_ns;
}

static void
hist_finish (Hist * h)
{
  if (!h->d.count)
    return;
  h->d.p50_ns = hist_percentile (h, 0.50);
  h->d.p90_ns = hist_percentile (h, 0.90);
  h->d.p99_ns = hist_percentile (h, 0.99);
}

/* The result keeps the MemTraceLifetimeDist; the fine steps go. */
static MemTraceLifetimeDist *
hist_take (Hist * h, const gchar * name, gint64 id)
{
  MemTraceLifetimeDist *d = g_new (MemTraceLifetimeDist, 1);

  hist_finish (h);
  *d = h->d;
  d->name = g_strdup (name);
  d->id = id;
  return d;
}

static gboolean
load_types (Analysis * a)
{
  a->type_names = memtrace_query_type_names (&a->q);
  if (!a->type_names)
    return FALSE;
  a->n_types = a->type_names->len;
  a->by_type = g_new0 (Hist *, a->n_types);
  return TRUE;
}

static const gchar *
type_name (Analysis * a, guint type)
{
  return memtrace_type_name (a->type_names, type);
}

/* The site of a stack, made on first sight. */
static Site *
site_of (Analysis * a, gint64 stack)
{
  const MemTraceFrame *frame;
  guint64 address;
  gpointer found;
  guint index;
  Site s = { 0, };

  if (stack < 0 || stack >= a->n_stacks)
    stack = 0;
  if (a->site_of_stack[stack])
    return &g_array_index (a->sites, Site, a->site_of_stack[stack] - 1);
  frame = memtrace_frames_site (a->frames, stack);
  address = frame ? frame->address : 0;
  found = g_hash_table_lookup (a->site_index, GSIZE_TO_POINTER (address));
  if (found) {
    index = GPOINTER_TO_UINT (found) - 1;
  } else {
    s.address = address;
    s.name = memtrace_frame_describe_site (frame);
    s.hist = g_new0 (Hist, 1);
    index = a->sites->len;
    g_array_append_val (a->sites, s);
    g_hash_table_insert (a->site_index, GSIZE_TO_POINTER (address),
        GUINT_TO_POINTER (index + 1));
  }
  a->site_of_stack[stack] = index + 1;
  return &g_array_index (a->sites, Site, index);
}

static void
outlier_sift_down (GArray * heap)
{
  Outlier *v = (Outlier *) heap->data, top = v[0];
  guint i = 0, n = heap->len;

  for (;;) {
    guint c = 2 * i + 1;

    if (c >= n)
      break;
    if (c + 1 < n && v[c + 1].lifetime < v[c].lifetime)
      c++;
    if (top.lifetime <= v[c].lifetime)
      break;
    v[i] = v[c];
    i = c;
  }
  v[i] = top;
}

static void
outlier_push (GArray * heap, const Outlier * o)
{
  Outlier *v;
  guint i;

  g_array_append_vals (heap, o, 1);
  v = (Outlier *) heap->data;
  for (i = heap->len - 1; i > 0 && v[(i - 1) / 2].lifetime > v[i].lifetime;
      i = (i - 1) / 2) {
    Outlier tmp = v[i];

    v[i] = v[(i - 1) / 2];
    v[(i - 1) / 2] = tmp;
  }
}

/* Keeps the n longest. */
static void
consider_outlier (Analysis * a, gint64 id, gint64 lifetime, guint type,
    gint64 stack, gint64 ts)
{
  GArray *heap = a->outliers;
  Outlier o = { lifetime, id, type, stack, ts };

  if (!a->n_outliers)
    return;
  if (heap->len == a->n_outliers
      && lifetime <= g_array_index (heap, Outlier, 0).lifetime)
    return;
  if (heap->len < a->n_outliers) {
    outlier_push (heap, &o);
  } else {
    g_array_index (heap, Outlier, 0) = o;
    outlier_sift_down (heap);
  }
}

static void
count_temporary (Analysis * a, guint type, gint64 stack)
{
  guint64 key = ((guint64) type << 32) | (guint32) stack;
  gboolean added;
  guint index = memtrace_index_get (&a->temp_index, key, a->temps->len,
      &added);

  if (added) {
    TempGroup g = { type, stack, 0 };

    g_array_append_val (a->temps, g);
  }
  g_array_index (a->temps, TempGroup, index).count++;
  a->result->n_temporaries++;
}

static Hist *
type_hist (Analysis * a, guint type)
{
  if (!a->by_type[type])
    a->by_type[type] = g_new0 (Hist, 1);
  return a->by_type[type];
}

/* Columns of the object scan. */
enum
{
  COL_TYPE, COL_STACK, COL_TS, COL_DESTROYED, COL_ID
};

static void
add_object (Analysis * a, const gint64 * row)
{
  gint64 type = row[COL_TYPE], stack = MAX (row[COL_STACK], 0);
  Site *site;
  Hist *th;
  gint64 lifetime;

  if (type < 0 || type >= a->n_types)
    type = 0;
  site = site_of (a, stack);
  th = type_hist (a, type);
  if (row[COL_DESTROYED] < 0) {
    th->d.alive_at_end++;
    site->hist->d.alive_at_end++;
    a->all.d.alive_at_end++;
    return;
  }
  lifetime = MAX (row[COL_DESTROYED] - row[COL_TS], 0);
  hist_add (th, lifetime);
  hist_add (site->hist, lifetime);
  hist_add (&a->all, lifetime);
  if (stack < a->n_stacks)
    a->stack_count[stack]++;
  if (lifetime < a->result->temporary_ns)
    count_temporary (a, type, stack);
  consider_outlier (a, row[COL_ID], lifetime, type, stack, row[COL_TS]);
}

static gboolean
in_window (Analysis * a, gint64 ts)
{
  return ts >= a->result->from_ts && ts < a->result->to_ts;
}

/* The whole recording in storage order: a condition on ts could have
 * SQLite read every object through the ts index. */
static MemTraceRowReader *
object_rows (Analysis * a)
{
  MemTraceLifetimes *r = a->result;
  gint64 window[] = { r->from_ts, r->to_ts };

  if (r->from_ts == G_MININT64 && r->to_ts == G_MAXINT64)
    return memtrace_row_reader_new (a->q.trace, "SELECT type, stack, ts, "
        "ifnull (destroyed, -1), id FROM objects", NULL, 0, a->q.error);
  return memtrace_row_reader_new (a->q.trace, "SELECT type, stack, ts, "
      "ifnull (destroyed, -1), id FROM objects WHERE ts >= ?1 AND ts < ?2",
      window, 2, a->q.error);
}

static gboolean
scan_objects (Analysis * a)
{
  MemTraceRowReader *rows = object_rows (a);
  const gint64 *row;
  gboolean ok;

  if (!rows)
    return FALSE;
  while ((row = memtrace_row_reader_next (rows)))
    add_object (a, row);
  ok = !memtrace_row_reader_failed (rows, a->q.error);
  memtrace_row_reader_free (rows);
  return ok;
}

/* Pools */

static void
add_interval (gint64 pool, gint64 buffer, gint64 acquired_ts,
    gint64 released_ts, gpointer user_data)
{
  Analysis *a = user_data;
  Hist *h = g_hash_table_lookup (a->by_pool, GSIZE_TO_POINTER (pool));

  if (!in_window (a, acquired_ts))
    return;
  if (!h) {
    h = g_new0 (Hist, 1);
    g_hash_table_insert (a->by_pool, GSIZE_TO_POINTER (pool), h);
  }
  if (released_ts < 0)
    h->d.alive_at_end++;
  else
    hist_add (h, released_ts - acquired_ts);
}

static gchar *
pool_name (Analysis * a, sqlite3_stmt * st, gint64 pool)
{
  gchar *name = NULL;

  sqlite3_bind_int64 (st, 1, pool);
  if (sqlite3_step (st) == SQLITE_ROW && sqlite3_column_text (st, 0))
    name = g_strdup ((const gchar *) sqlite3_column_text (st, 0));
  sqlite3_reset (st);
  return name ? name : g_strdup_printf ("pool %" G_GINT64_FORMAT, pool);
}

/* The pools' walk runs in a thread of its own, beside the objects scan:
 * it has its own connection and only touches by_pool. */
typedef struct
{
  Analysis *a;
  GError *error;
  gboolean ok;
} PoolWalk;

static gpointer
walk_pools (gpointer data)
{
  PoolWalk *w = data;

  w->ok = memtrace_pools_foreach_interval (w->a->q.trace, add_interval,
      w->a, &w->error);
  return NULL;
}

/* Only when connections of its own can be had: the walk must not share
 * the trace's connection with this thread. */
static GThread *
start_pools (Analysis * a, PoolWalk * w)
{
  sqlite3 *probe = memtrace_scan_db_open (a->q.trace);
  GThread *thread = NULL;

  w->a = a;
  if (probe)
    thread = g_thread_try_new ("memtrace-pools", walk_pools, w, NULL);
  sqlite3_close (probe);
  if (!thread)
    walk_pools (w);
  return thread;
}

static gboolean
finish_pools (Analysis * a, GThread * thread, PoolWalk * w)
{
  sqlite3_stmt *st;
  GHashTableIter it;
  gpointer key, value;

  if (thread)
    g_thread_join (thread);
  if (!w->ok) {
    /* The first error is the one told. */
    if (a->q.error && *a->q.error)
      g_clear_error (&w->error);
    else
      g_propagate_error (a->q.error, w->error);
    return FALSE;
  }
  st = memtrace_query_prepare (&a->q, "SELECT name FROM names WHERE obj = ?");
  if (!st)
    return FALSE;
  g_hash_table_iter_init (&it, a->by_pool);
  while (g_hash_table_iter_next (&it, &key, &value)) {
    gchar *name = pool_name (a, st, GPOINTER_TO_SIZE (key));

    g_ptr_array_add (a->result->by_pool, hist_take (value, name,
            GPOINTER_TO_SIZE (key)));
    g_free (name);
  }
  sqlite3_finalize (st);
  return TRUE;
}

/* Results */

static void
dist_free (gpointer p)
{
  MemTraceLifetimeDist *d = p;

  g_free (d->name);
  g_free (d);
}

static gint
dist_cmp (gconstpointer x, gconstpointer y)
{
  const MemTraceLifetimeDist *a = *(MemTraceLifetimeDist * const *) x;
  const MemTraceLifetimeDist *b = *(MemTraceLifetimeDist * const *) y;

  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  if (a->alive_at_end != b->alive_at_end)
    return a->alive_at_end > b->alive_at_end ? -1 : 1;
  return g_strcmp0 (a->name, b->name);
}

static void
make_dists (Analysis * a)
{
  MemTraceLifetimes *r = a->result;
  guint i;
  gint64 s;

  for (i = 0; i < a->n_types; i++)
    if (a->by_type[i])
      g_ptr_array_add (r->by_type, hist_take (a->by_type[i],
              type_name (a, i), i));
  /* Each site's stack: the one with most lifetimes. */
  for (s = 1; s < a->n_stacks; s++) {
    Site *site;

    if (!a->site_of_stack[s] || !a->stack_count[s])
      continue;
    site = &g_array_index (a->sites, Site, a->site_of_stack[s] - 1);
    if (a->stack_count[s] > site->best_count) {
      site->best_count = a->stack_count[s];
      site->best_stack = s;
    }
  }
  for (i = 0; i < a->sites->len; i++) {
    Site *site = &g_array_index (a->sites, Site, i);
    MemTraceLifetimeDist *d = hist_take (site->hist, site->name,
        (gint64) site->address);

    d->stack_id = site->best_stack;
    g_ptr_array_add (r->by_site, d);
  }
  hist_finish (&a->all);
  r->all = a->all.d;
  r->all.name = g_strdup ("all");
  g_ptr_array_sort (r->by_type, dist_cmp);
  g_ptr_array_sort (r->by_site, dist_cmp);
  g_ptr_array_sort (r->by_pool, dist_cmp);
}

static gint
outlier_cmp (gconstpointer x, gconstpointer y)
{
  const MemTraceLifetimeOutlier *a = x, *b = y;

  if (a->lifetime_ns != b->lifetime_ns)
    return a->lifetime_ns > b->lifetime_ns ? -1 : 1;
  return a->object < b->object ? -1 : a->object > b->object;
}

static void
make_outliers (Analysis * a)
{
  guint i;

  for (i = 0; i < a->outliers->len; i++) {
    Outlier *o = &g_array_index (a->outliers, Outlier, i);
    MemTraceLifetimeOutlier out;

    out.object = o->id;
    out.type = g_strdup (type_name (a, o->type));
    out.created_ts = o->ts;
    out.lifetime_ns = o->lifetime;
    out.stack_id = o->stack;
    out.site_name = g_strdup (site_of (a, o->stack)->name);
    g_array_append_val (a->result->outliers, out);
  }
  g_array_sort (a->result->outliers, outlier_cmp);
}

typedef struct
{
  MemTraceTemporaries t;
  gint64 best;
} TempAcc;

static gint
temporaries_cmp (gconstpointer x, gconstpointer y)
{
  const MemTraceTemporaries *a = x, *b = y;

  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  if (a->site != b->site)
    return a->site < b->site ? -1 : 1;
  return g_strcmp0 (a->type, b->type);
}

/* Temporaries by (type, site), from the (type, stack) counts. */
static void
make_temporaries (Analysis * a)
{
  GHashTable *by_key = g_hash_table_new_full (g_int64_hash, g_int64_equal,
      g_free, g_free);
  GHashTableIter it;
  gpointer value;
  guint i;

  for (i = 0; i < a->temps->len; i++) {
    TempGroup *g = &g_array_index (a->temps, TempGroup, i);
    Site *site = site_of (a, g->stack);
    gint64 key = ((gint64) g->type << 32) | (site - (Site *) a->sites->data);
    TempAcc *acc = g_hash_table_lookup (by_key, &key);

    if (!acc) {
      acc = g_new0 (TempAcc, 1);
      acc->t.type = g_strdup (type_name (a, g->type));
      acc->t.site = site->address;
      acc->t.site_name = g_strdup (site->name);
      g_hash_table_insert (by_key, g_memdup2 (&key, sizeof (key)), acc);
    }
    acc->t.count += g->count;
    if (g->count > acc->best) {
      acc->best = g->count;
      acc->t.stack_id = g->stack;
    }
  }
  g_hash_table_iter_init (&it, by_key);
  while (g_hash_table_iter_next (&it, NULL, &value))
    g_array_append_val (a->result->temporaries, ((TempAcc *) value)->t);
  g_hash_table_unref (by_key);
  g_array_sort (a->result->temporaries, temporaries_cmp);
}

/* Setting up and tearing down */

static void
outlier_clear (gpointer p)
{
  MemTraceLifetimeOutlier *o = p;

  g_free (o->type);
  g_free (o->site_name);
}

static void
temporaries_clear (gpointer p)
{
  MemTraceTemporaries *t = p;

  g_free (t->type);
  g_free (t->site_name);
}

static MemTraceLifetimes *
result_new (const MemTraceLifetimeOptions * o)
{
  MemTraceLifetimes *r = g_new0 (MemTraceLifetimes, 1);

  r->temporary_ns = o && o->temporary_ns > 0 ? o->temporary_ns :
      DEFAULT_TEMPORARY_NS;
  r->by_type = g_ptr_array_new_with_free_func (dist_free);
  r->by_site = g_ptr_array_new_with_free_func (dist_free);
  r->by_pool = g_ptr_array_new_with_free_func (dist_free);
  r->outliers = g_array_new (FALSE, TRUE, sizeof (MemTraceLifetimeOutlier));
  g_array_set_clear_func (r->outliers, outlier_clear);
  r->temporaries = g_array_new (FALSE, TRUE, sizeof (MemTraceTemporaries));
  g_array_set_clear_func (r->temporaries, temporaries_clear);
  return r;
}

static void
init (Analysis * a, const MemTraceLifetimeOptions * o)
{
  a->n_outliers = o && o->n_outliers ? o->n_outliers : DEFAULT_OUTLIERS;
  a->n_stacks = memtrace_query_int (&a->q, "SELECT max (id) FROM stacks") + 1;
  a->n_stacks = MAX (a->n_stacks, 1);
  a->site_of_stack = g_new0 (guint, a->n_stacks);
  a->stack_count = g_new0 (gint64, a->n_stacks);
  a->sites = g_array_new (FALSE, FALSE, sizeof (Site));
  a->site_index = g_hash_table_new (NULL, NULL);
  a->outliers = g_array_new (FALSE, FALSE, sizeof (Outlier));
  a->temps = g_array_new (FALSE, FALSE, sizeof (TempGroup));
  memtrace_index_init (&a->temp_index);
  a->by_pool = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

static void
clear (Analysis * a)
{
  guint i;

  for (i = 0; i < a->n_types; i++)
    g_free (a->by_type[i]);
  g_free (a->by_type);
  if (a->type_names)
    g_ptr_array_unref (a->type_names);
  for (i = 0; a->sites && i < a->sites->len; i++) {
    g_free (g_array_index (a->sites, Site, i).name);
    g_free (g_array_index (a->sites, Site, i).hist);
  }
  if (a->sites)
    g_array_unref (a->sites);
  g_free (a->site_of_stack);
  g_free (a->stack_count);
  if (a->site_index)
    g_hash_table_unref (a->site_index);
  if (a->outliers)
    g_array_unref (a->outliers);
  if (a->temps)
    g_array_unref (a->temps);
  memtrace_index_clear (&a->temp_index);
  if (a->by_pool)
    g_hash_table_unref (a->by_pool);
}

MemTraceLifetimes *
memtrace_lifetimes_analyse (MemTraceTrace * t, MemTraceFrames * frames,
    const MemTraceLifetimeOptions * options, GError ** error)
{
  Analysis *a;
  MemTraceFrames *own_frames = NULL;
  MemTraceLifetimes *r;
  gboolean ok;

  if (!memtrace_trace_check_finished (t, error))
    return NULL;
  a = g_new0 (Analysis, 1);
  memtrace_query_init (&a->q, t, "lifetimes", error);
  a->frames = frames ? frames :
      (own_frames = memtrace_frames_new (a->q.db));
  a->result = r = result_new (options);
  ok = load_types (a) && memtrace_query_window (&a->q, options ?
      &options->window : NULL, &r->from_ts, &r->to_ts);
  if (ok) {
    PoolWalk w = { NULL, };
    GThread *thread;

    init (a, options);
    thread = start_pools (a, &w);
    ok = scan_objects (a);
    ok = finish_pools (a, thread, &w) && ok;
  }
  if (ok) {
    make_dists (a);
    make_outliers (a);
    make_temporaries (a);
  }
  clear (a);
  g_free (a);
  memtrace_frames_free (own_frames);
  if (!ok) {
    memtrace_lifetimes_free (r);
    return NULL;
  }
  return r;
}

void
memtrace_lifetimes_free (MemTraceLifetimes * r)
{
  if (!r)
    return;
  g_free (r->all.name);
  g_ptr_array_unref (r->by_type);
  g_ptr_array_unref (r->by_site);
  g_ptr_array_unref (r->by_pool);
  g_array_unref (r->outliers);
  g_array_unref (r->temporaries);
  g_free (r);
}
