/* gst-memtrace view: the Pools screen: each buffer pool's configuration,
 * reuse, buffers outstanding over time and waits. */
#include "view-app.h"

#define CHART_ROWS 8

typedef struct
{
  ViewTable *table;
  ViewText *detail;
  const MemTracePool *open;
  gint64 open_id;               /* to find it again in new results */
} Pools;

static const ViewColumn columns[] = {
  {"Pool", 0, FALSE},
  {"Size", 9, TRUE},
  {"Max", 5, TRUE},
  {"Acquires", 9, TRUE},
  {"Made", 6, TRUE},
  {"Reuse", 6, TRUE},
  {"Peak out", 8, TRUE},
  {"Waits", 6, TRUE},
  {"Left out", 8, TRUE},
};

#define CMP(field) \
static gint \
by_##field (gconstpointer a, gconstpointer b) \
{ \
  const MemTracePool *pa = a, *pb = b; \
  return (pb->field > pa->field) - (pb->field < pa->field); \
}

CMP (waits)
CMP (peak_outstanding)
CMP (leaked_outstanding)

static const ViewSort sorts[] = {
  {"acquires", NULL},
  {"waits", by_waits},
  {"peak out", by_peak_outstanding},
  {"left out", by_leaked_outstanding},
};

static const MemTracePoolConfig *
last_config (const MemTracePool * p)
{
  return p->configs->len ? &g_array_index (p->configs, MemTracePoolConfig,
      p->configs->len - 1) : NULL;
}

static gchar *
cell (gpointer row, guint column, gpointer user_data)
{
  const MemTracePool *p = row;
  const MemTracePoolConfig *c = last_config (p);

  switch (column) {
    case 0:
      return g_strdup (p->name);
    case 1:
      return c ? view_bytes (c->size) : g_strdup ("?");
    case 2:
      return c && c->max_buffers ? view_count (c->max_buffers) :
          g_strdup (c ? "-" : "?");
    case 3:
      return view_count (p->acquires);
    case 4:
      return view_count (p->buffers_allocated);
    case 5:
      return g_strdup_printf ("%.1f", p->reuse_ratio);
    case 6:
      return view_count (p->peak_outstanding);
    case 7:
      return view_count (p->waits);
    default:
      return view_count (p->leaked_outstanding);
  }
}

static void
add_configs (ViewText * t, const MemTracePool * p)
{
  guint i;

  view_text_add (t, VIEW_ATTR_TITLE, 0, "Configurations:");
  if (!p->configs->len)
    view_text_add (t, VIEW_ATTR_DIM, 0, "  (never activated)");
  for (i = 0; i < p->configs->len; i++) {
    const MemTracePoolConfig *c = &g_array_index (p->configs,
        MemTracePoolConfig, i);
    gchar *at = view_seconds (c->ts), *size = view_bytes (c->size);

    view_text_add (t, VIEW_ATTR_NORMAL, 0, "  at %s: size %s, min %"
        G_GINT64_FORMAT ", max %" G_GINT64_FORMAT "%s, align %"
        G_GINT64_FORMAT ", prefix %" G_GINT64_FORMAT ", padding %"
        G_GINT64_FORMAT, at, size, c->min_buffers, c->max_buffers,
        c->max_buffers ? "" : " (unlimited)", c->align, c->prefix,
        c->padding);
    g_free (size);
    g_free (at);
  }
}

static void
add_waits (ViewScreen * s, ViewText * t, const MemTracePool * p)
{
  gchar *total = view_duration (p->wait_total_ns);
  gchar *max = view_duration (p->wait_max_ns);
  gchar *when = view_seconds (p->wait_max_ts);

  view_text_add (t, VIEW_ATTR_TITLE, 0, "Waits for a free buffer:");
  if (!p->waits) {
    view_text_add (t, VIEW_ATTR_GOOD, 0, "  none");
  } else {
    view_text_add (t, VIEW_ATTR_BAD, 0, "  %" G_GINT64_FORMAT " waits, %s "
        "in all; the longest %s at %s, by:", p->waits, total, max, when);
    view_app_add_stack (s->app, t, p->wait_max_stack_id, "    ");
  }
  g_free (when);
  g_free (max);
  g_free (total);
}

static void
fill_detail (ViewScreen * s, const MemTracePool * p)
{
  Pools *pp = s->priv;
  ViewText *t = pp->detail;
  gchar *bytes = view_bytes (p->memory_bytes);
  gchar *alloc = view_bytes (p->memory_allocated_bytes);

  view_text_clear (t);
  view_text_add (t, VIEW_ATTR_TITLE, 0, "%s (%s)%s%s", p->name, p->type,
      p->owner ? " of " : "", p->owner ? p->owner : "");
  view_text_add (t, VIEW_ATTR_NORMAL, 0, "%" G_GINT64_FORMAT " buffers made, "
      "%" G_GINT64_FORMAT " acquires (reuse %.1f), %" G_GINT64_FORMAT
      " releases, %" G_GINT64_FORMAT " fills", p->buffers_allocated,
      p->acquires, p->reuse_ratio, p->releases, p->fills);
  view_text_add (t, p->leaked_outstanding ? VIEW_ATTR_BAD : VIEW_ATTR_NORMAL,
      0, "at most %" G_GINT64_FORMAT " out at once; %" G_GINT64_FORMAT
      " still out at the end", p->peak_outstanding, p->leaked_outstanding);
  view_text_add (t, VIEW_ATTR_NORMAL, 0, "its memories: %" G_GINT64_FORMAT
      ", %s payload, %s allocated", p->memory_count, bytes, alloc);
  add_configs (t, p);
  add_waits (s, t, p);
  g_free (alloc);
  g_free (bytes);
}

static void
draw_outstanding (const MemTracePool * p, gint y, gint x, gint h, gint w)
{
  gint64 *cols = g_new0 (gint64, w);
  gchar *title = g_strdup_printf ("buffers out over time (at most %"
      G_GINT64_FORMAT ")", p->peak_outstanding);

  view_rule (y, x, w, title);
  g_free (title);
  if (p->outstanding && p->outstanding->len) {
    view_resample ((const gint64 *) p->outstanding->data,
        p->outstanding->len, cols, w);
    view_chart (y + 1, x, h - 1, w, cols, NULL, w, 0);
  }
  g_free (cols);
}

static void
draw (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  Pools *p = s->priv;
  const MemTracePools *pools;

  if (!view_app_ready (s->app, VIEW_POOLS, y, x, h, w))
    return;
  if (p->open) {
    view_text_draw (p->detail, y + 1, x + 1, h - CHART_ROWS - 2, w - 2);
    draw_outstanding (p->open, y + h - CHART_ROWS - 1, x, CHART_ROWS + 1, w);
    return;
  }
  pools = view_app_get (s->app, VIEW_POOLS);
  view_putf (y + 1, x + 1, w - 2, VIEW_ATTR_TITLE, "%u buffer pool%s",
      pools->pools->len, pools->pools->len == 1 ? "" : "s");
  view_app_window_note (s->app, VIEW_POOLS, y + 2, x + 1, w - 2);
  view_table_draw (p->table, y + 3, x, h - 3, w);
}

static void
update (ViewScreen * s)
{
  Pools *p = s->priv;
  const MemTracePools *pools = view_app_get (s->app, VIEW_POOLS);
  GPtrArray *rows = g_ptr_array_new ();
  guint i;

  p->open = NULL;
  for (i = 0; pools && i < pools->pools->len; i++) {
    const MemTracePool *pool = g_ptr_array_index (pools->pools, i);

    g_ptr_array_add (rows, (gpointer) pool);
    if (p->open_id && pool->pool == p->open_id)
      p->open = pool;
  }
  view_table_set_rows (p->table, rows);
  if (p->open)
    fill_detail (s, p->open);
}

static gboolean
key (ViewScreen * s, gint k)
{
  Pools *p = s->priv;
  const MemTracePool *pool;

  if (p->open) {
    if (view_key_is_back (k)) {
      p->open = NULL;
      p->open_id = 0;
    } else
      return view_text_key (p->detail, k);
    return TRUE;
  }
  if (view_key_is_enter (k) && (pool = view_table_selected (p->table))) {
    p->open = pool;
    p->open_id = pool->pool;
    fill_detail (s, pool);
    return TRUE;
  }
  return view_table_key (p->table, k);
}

static const gchar *
keys (ViewScreen * s)
{
  return ((Pools *) s->priv)->open ? "Esc back" : "Enter open";
}

static ViewTable *
table (ViewScreen * s)
{
  Pools *p = s->priv;

  return p->open ? NULL : p->table;
}

static void
pools_free (ViewScreen * s)
{
  Pools *p = s->priv;

  view_table_free (p->table);
  view_text_free (p->detail);
  g_free (p);
}

ViewScreen *
view_pools_new (ViewApp * app)
{
  ViewScreen *s = g_new0 (ViewScreen, 1);
  Pools *p = g_new0 (Pools, 1);

  p->table = view_table_new (columns, G_N_ELEMENTS (columns), cell, s, sorts,
      G_N_ELEMENTS (sorts));
  p->detail = view_text_new ();
  s->name = "Pools";
  s->tab = "Pools";
  s->app = app;
  s->priv = p;
  s->draw = draw;
  s->key = key;
  s->keys = keys;
  s->table = table;
  s->update = update;
  s->free = pools_free;
  return s;
}
