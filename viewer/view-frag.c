/* gst-memtrace view: the Fragmentation screen: what allocations cost
 * beyond their payload, per allocator and site, and the heap's span
 * against the bytes live in it over time. */
#include "view-screen.h"

#define CHART_ROWS 7

/* The groupings, in Left/Right order. */
enum
{
  BY_ALLOCATOR,
  BY_SITE,
  N_GROUPINGS
};

static const ViewColumn columns[] = {
  {"Allocator or site", 0, FALSE},
  {"Memories", 9, TRUE},
  {"Payload", 10, TRUE},
  {"Allocated", 10, TRUE},
  {"Waste", 10, TRUE},
  {"Waste %", 7, TRUE},
};

VIEW_SORT_BIGGEST_FIRST (by_ratio, MemTraceWaste, waste_ratio)
VIEW_SORT_BIGGEST_FIRST (by_memories, MemTraceWaste, memories)

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
draw_list (ViewScreen * s, gconstpointer results, gint y, gint x, gint h,
    gint w)
{
  const MemTraceFrag *f = results;

  draw_totals (f, y + 1, x + 1, w - 2);
  view_app_window_note (s->app, VIEW_FRAG, y + 3, x + 1, w - 2);
  draw_heap (f, y + 4, x, CHART_ROWS + 1, w);
  view_putf (y + CHART_ROWS + 6, x + 1, w - 2, VIEW_ATTR_TITLE,
      "Internal waste by %s  (Left/Right: by allocator or site)",
      view_list_grouping (s) == BY_SITE ? "site" : "allocator");
  view_table_draw (view_list_table (s), y + CHART_ROWS + 7, x,
      h - CHART_ROWS - 7, w);
}

static void
rows (ViewScreen * s, gconstpointer results, GPtrArray * rows)
{
  const MemTraceFrag *f = results;
  GArray *list = view_list_grouping (s) == BY_SITE ? f->by_site :
      f->by_allocator;
  guint i;

  for (i = 0; i < list->len; i++)
    g_ptr_array_add (rows, &g_array_index (list, MemTraceWaste, i));
}

/* A table only: rows do not open. */
static const ViewListClass frag = {
  .name = "Fragmentation",
  .tab = "Frag",
  .result = VIEW_FRAG,
  VIEW_LIST_TABLE (columns, cell, sorts),
  .n_groupings = N_GROUPINGS,
  .list_keys = "Left/Right group",
  .rows = rows,
  .draw_list = draw_list,
};

ViewScreen *
view_frag_new (ViewApp * app)
{
  return view_list_screen_new (app, &frag, NULL);
}
