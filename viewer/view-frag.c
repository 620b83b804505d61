/* gst-memtrace view: the Fragmentation screen: what allocations cost
 * beyond their payload, per allocator and site, and the heap's span
 * against the bytes live in it over time. */
#include <curses.h>
#include "view-app.h"

#define CHART_ROWS 7

typedef struct
{
  gboolean by_site;             /* else by allocator */
  ViewTable *table;
} Frag;

static const ViewColumn columns[] = {
  {"Allocator or site", 0, FALSE},
  {"Memories", 9, TRUE},
  {"Payload", 10, TRUE},
  {"Allocated", 10, TRUE},
  {"Waste", 10, TRUE},
  {"Waste %", 7, TRUE},
};

static gint
by_ratio (gconstpointer a, gconstpointer b)
{
  const MemTraceWaste *wa = a, *wb = b;

  return (wb->waste_ratio > wa->waste_ratio) -
      (wb->waste_ratio < wa->waste_ratio);
}

static gint
by_memories (gconstpointer a, gconstpointer b)
{
  const MemTraceWaste *wa = a, *wb = b;

  return (wb->memories > wa->memories) - (wb->memories < wa->memories);
}

static const ViewSort sorts[] = {
  {"waste", NULL},
  {"waste %", by_ratio},
  {"memories", by_memories},
};

static gchar *
cell (gpointer row, guint column, gpointer user_data)
{
  const MemTraceWaste *w = row;

  switch (column) {
    case 0:
      return g_strdup (w->name ? w->name : "?");
    case 1:
      return view_count (w->memories);
    case 2:
      return view_bytes (w->bytes);
    case 3:
      return view_bytes (w->allocated_bytes);
    case 4:
      return view_bytes (w->waste);
    default:
      return g_strdup_printf ("%.1f", w->waste_ratio * 100);
  }
}

static void
draw_totals (const MemTraceFrag * f, gint y, gint x, gint w)
{
  gchar *waste = view_bytes (f->total.waste);
  gchar *alloc = view_bytes (f->total.allocated_bytes);

  view_putf (y, x, w, VIEW_ATTR_TITLE, "Waste %s of %s allocated (%.1f%%) "
      "in %" G_GINT64_FORMAT " memories", waste, alloc,
      f->total.waste_ratio * 100, f->total.memories);
  view_putf (y + 1, x, w, VIEW_ATTR_NORMAL, "Churn: %" G_GINT64_FORMAT
      " of %" G_GINT64_FORMAT " memories made outside pools (%.0f/s)",
      f->churn, f->memories, f->churn_per_second);
  g_free (alloc);
  g_free (waste);
}

/* The heap's span, shaded, behind the live bytes. */
static void
draw_heap (const MemTraceFrag * f, gint y, gint x, gint h, gint w)
{
  const MemTraceTimeline *tl = f->timeline;
  guint n = tl ? tl->bins->len : 0, i;
  gint64 *span = g_new0 (gint64, MAX (n, 1)), *bytes = g_new0 (gint64,
      MAX (n, 1));
  gint64 *cspan = g_new0 (gint64, w), *cbytes = g_new0 (gint64, w);

  view_rule (y, x, w, "heap span (shaded) against live bytes");
  for (i = 0; i < n; i++) {
    const MemTraceTimelineBin *b = &g_array_index (tl->bins,
        MemTraceTimelineBin, i);

    span[i] = b->heap_span;
    bytes[i] = b->heap_bytes;
  }
  if (n) {
    view_resample (span, n, cspan, w);
    view_resample (bytes, n, cbytes, w);
    view_chart (y + 1, x, h - 1, w, cbytes, cspan, w, 0);
  }
  g_free (cbytes);
  g_free (cspan);
  g_free (bytes);
  g_free (span);
}

static void
draw (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  Frag *p = s->priv;
  const MemTraceFrag *f;

  if (!view_app_ready (s->app, VIEW_FRAG, y, x, h, w))
    return;
  f = view_app_get (s->app, VIEW_FRAG);
  draw_totals (f, y + 1, x + 1, w - 2);
  view_app_window_note (s->app, VIEW_FRAG, y + 3, x + 1, w - 2);
  draw_heap (f, y + 4, x, CHART_ROWS + 1, w);
  view_putf (y + CHART_ROWS + 6, x + 1, w - 2, VIEW_ATTR_TITLE,
      "Internal waste by %s  (Left/Right: by allocator or site)",
      p->by_site ? "site" : "allocator");
  view_table_draw (p->table, y + CHART_ROWS + 7, x, h - CHART_ROWS - 7, w);
}

static void
update (ViewScreen * s)
{
  Frag *p = s->priv;
  const MemTraceFrag *f = view_app_get (s->app, VIEW_FRAG);
  GArray *list = f ? (p->by_site ? f->by_site : f->by_allocator) : NULL;
  GPtrArray *rows = g_ptr_array_new ();
  guint i;

  for (i = 0; list && i < list->len; i++)
    g_ptr_array_add (rows, &g_array_index (list, MemTraceWaste, i));
  view_table_set_rows (p->table, rows);
}

static gboolean
key (ViewScreen * s, gint k)
{
  Frag *p = s->priv;

  if (k == KEY_LEFT || k == KEY_RIGHT) {
    p->by_site = !p->by_site;
    view_table_set_filter (p->table, NULL);
    update (s);
    return TRUE;
  }
  return view_table_key (p->table, k);
}

static const gchar *
keys (ViewScreen * s)
{
  return "Left/Right group";
}

static ViewTable *
table (ViewScreen * s)
{
  return ((Frag *) s->priv)->table;
}

static void
frag_free (ViewScreen * s)
{
  Frag *p = s->priv;

  view_table_free (p->table);
  g_free (p);
}

ViewScreen *
view_frag_new (ViewApp * app)
{
  ViewScreen *s = g_new0 (ViewScreen, 1);
  Frag *p = g_new0 (Frag, 1);

  p->table = view_table_new (columns, G_N_ELEMENTS (columns), cell, s, sorts,
      G_N_ELEMENTS (sorts));
  s->name = "Fragmentation";
  s->tab = "Frag";
  s->app = app;
  s->priv = p;
  s->draw = draw;
  s->key = key;
  s->keys = keys;
  s->table = table;
  s->update = update;
  s->free = frag_free;
  return s;
}
