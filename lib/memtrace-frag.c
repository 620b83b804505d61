/* gst-memtrace: fragmentation and waste.
 *
 * Mostly a reading of the other analyses: the waste per allocator and per
 * site is summed by the hotspots pass (which reads every memory anyway),
 * the pool figures come from the pools analysis and the heap span from the
 * timeline's bins.  Each is taken from the options when the caller already
 * has it, so a report that shows them all reads the trace once for each. */
#include "memtrace-frag.h"
#include "memtrace-sql.h"

#define DEFAULT_SITES 20

static void
waste_clear (gpointer p)
{
  g_free (((MemTraceWaste *) p)->name);
}

static void
waste_finish (MemTraceWaste * w)
{
  /* The same as memories.allocated: maxsize already holds the part of the
   * alignment allowance the system allocator did not use. */
  w->allocated_bytes = w->bytes + w->prefix + w->padding + w->align;
  w->waste = w->allocated_bytes - w->bytes;
  w->waste_ratio = w->allocated_bytes ?
      (gdouble) w->waste / w->allocated_bytes : 0.0;
}

static MemTraceWaste
waste_of (const MemTraceHotspot * h)
{
  MemTraceWaste w = { 0, };

  w.name = g_strdup (h->site_name);
  w.id = (gint64) h->site;
  w.stack_id = h->stack_id;
  w.memories = h->alloc_memories;
  w.bytes = h->alloc_bytes;
  w.slack = h->alloc_slack;
  w.align = h->alloc_align;
  w.prefix = h->alloc_prefix;
  w.padding = h->alloc_padding;
  waste_finish (&w);
  return w;
}

static gint
waste_cmp (gconstpointer x, gconstpointer y)
{
  const MemTraceWaste *a = x, *b = y;

  if (a->waste != b->waste)
    return a->waste > b->waste ? -1 : 1;
  if (a->memories != b->memories)
    return a->memories > b->memories ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* Waste entries of the hotspots with alloc() details, by waste. */
static void
add_wastes (GArray * out, GArray * hotspots, guint keep)
{
  guint i;

  for (i = 0; i < hotspots->len; i++) {
    const MemTraceHotspot *h = &g_array_index (hotspots, MemTraceHotspot, i);
    MemTraceWaste w;

    if (!h->alloc_memories)
      continue;
    w = waste_of (h);
    g_array_append_val (out, w);
  }
  g_array_sort (out, waste_cmp);
  if (keep && out->len > keep)
    g_array_set_size (out, keep);
}

static void
add_totals (MemTraceFrag * f, GArray * allocators)
{
  MemTraceWaste *t = &f->total;
  guint i;

  for (i = 0; i < allocators->len; i++) {
    const MemTraceHotspot *h = &g_array_index (allocators, MemTraceHotspot,
        i);

    t->memories += h->alloc_memories;
    t->bytes += h->alloc_bytes;
    t->slack += h->alloc_slack;
    t->align += h->alloc_align;
    t->prefix += h->alloc_prefix;
    t->padding += h->alloc_padding;
    f->memories += h->memories;
  }
  waste_finish (t);
  f->other_memories = f->memories - t->memories;
}

static MemTracePoolUse
pool_use (const MemTracePool * p)
{
  MemTracePoolUse u = { p, };

  if (p->configs->len) {
    const MemTracePoolConfig *c = &g_array_index (p->configs,
        MemTracePoolConfig, p->configs->len - 1);

    u.config_size = c->size;
    u.max_buffers = c->max_buffers;
  }
  u.used_per_buffer = p->buffers_allocated ?
      (gdouble) p->memory_bytes / p->buffers_allocated : 0.0;
  u.used_ratio = u.config_size ? u.used_per_buffer / u.config_size : 0.0;
  u.reuse_ratio = p->reuse_ratio;
  u.peak_outstanding = p->peak_outstanding;
  u.outstanding_ratio = u.max_buffers ?
      (gdouble) p->peak_outstanding / u.max_buffers : 0.0;
  u.waits = p->waits;
  u.wait_total_ns = p->wait_total_ns;
  u.wait_max_ns = p->wait_max_ns;
  return u;
}

/* Memories that own their payload and sit in a buffer a pool made. */
static gboolean
count_pooled (MemTraceTrace * t, MemTraceFrag * f, GError ** error)
{
  MemTraceQuery q;
  sqlite3_stmt *st;
  gboolean ok;

  memtrace_query_init (&q, t, "fragmentation", error);
  st = memtrace_query_prepare (&q, "SELECT count (DISTINCT bm.memory) "
      "FROM events e JOIN buffer_memories bm ON bm.buffer = e.obj "
      "JOIN memories m ON m.obj = bm.memory "
      "WHERE e.kind = 7 AND m.parent IS NULL");
  ok = st && (sqlite3_step (st) == SQLITE_ROW || memtrace_query_failed (&q));
  if (ok)
    f->pooled_memories = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  return ok;
}

static void
churn (MemTraceTrace * t, MemTraceFrag * f)
{
  gint64 from, to;

  memtrace_timeline_default_window (t, &from, &to);
  f->duration_ns = to - from;
  f->churn = MAX (f->memories - f->pooled_memories, 0);
  f->churn_per_second = f->duration_ns > 0 ?
      f->churn / (f->duration_ns / 1e9) : 0.0;
}

/* What the options do not bring is computed here. */
static gboolean
gather (MemTraceTrace * t, MemTraceFrames * frames,
    const MemTraceFragOptions * o, MemTraceFrag * f,
    MemTraceHotspots ** hotspots, GError ** error)
{
  MemTraceTimelineOptions tlo = { 0, };
  MemTracePoolOptions po = { 0, };
  MemTraceHotspotOptions ho = { MEMTRACE_HOTSPOT_BY_BYTES, 0 };

  tlo.n_bins = po.n_bins = o ? o->n_bins : 0;
  f->timeline = o ? o->timeline : NULL;
  if (!f->timeline)
    f->timeline = f->own_timeline = memtrace_timeline_analyse (t, frames,
        &tlo, error);
  f->pools = o ? o->pools : NULL;
  if (f->timeline && !f->pools)
    f->pools = f->own_pools = memtrace_pools_analyse (t, frames, &po, error);
  *hotspots = o ? o->hotspots : NULL;
  if (*hotspots && (*hotspots)->n_sites_total != (*hotspots)->sites->len)
    *hotspots = NULL;
  if (f->pools && !*hotspots)
    *hotspots = memtrace_hotspots_analyse (t, frames, &ho, error);
  return *hotspots != NULL;
}

MemTraceFrag *
memtrace_frag_analyse (MemTraceTrace * t, MemTraceFrames * frames,
    const MemTraceFragOptions * options, GError ** error)
{
  MemTraceFrag *f = g_new0 (MemTraceFrag, 1);
  MemTraceHotspots *hotspots = NULL;
  gboolean ok;
  guint i;

  f->by_allocator = g_array_new (FALSE, TRUE, sizeof (MemTraceWaste));
  g_array_set_clear_func (f->by_allocator, waste_clear);
  f->by_site = g_array_new (FALSE, TRUE, sizeof (MemTraceWaste));
  g_array_set_clear_func (f->by_site, waste_clear);
  f->pool_use = g_array_new (FALSE, TRUE, sizeof (MemTracePoolUse));
  ok = gather (t, frames, options, f, &hotspots, error);
  if (ok) {
    add_wastes (f->by_allocator, hotspots->allocators, 0);
    add_wastes (f->by_site, hotspots->sites, options && options->n_sites ?
        options->n_sites : DEFAULT_SITES);
    add_totals (f, hotspots->allocators);
    for (i = 0; i < f->pools->pools->len; i++) {
      MemTracePoolUse u = pool_use (g_ptr_array_index (f->pools->pools, i));

      g_array_append_val (f->pool_use, u);
    }
    ok = count_pooled (t, f, error);
    churn (t, f);
  }
  if (hotspots && (!options || hotspots != options->hotspots))
    memtrace_hotspots_free (hotspots);
  if (!ok) {
    memtrace_frag_free (f);
    return NULL;
  }
  return f;
}

void
memtrace_frag_free (MemTraceFrag * f)
{
  if (!f)
    return;
  g_array_unref (f->by_allocator);
  g_array_unref (f->by_site);
  g_array_unref (f->pool_use);
  memtrace_timeline_free (f->own_timeline);
  memtrace_pools_free (f->own_pools);
  g_free (f);
}
