/* gst-memtrace view: the Pools screen: each buffer pool's configuration,
 * reuse, buffers outstanding over time and waits. */
#include "view-screen.h"

#define CHART_ROWS 8

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

VIEW_SORT_BIGGEST_FIRST (by_waits, MemTracePool, waits)
VIEW_SORT_BIGGEST_FIRST (by_peak_outstanding, MemTracePool, peak_outstanding)
VIEW_SORT_BIGGEST_FIRST (by_leaked_outstanding, MemTracePool,
    leaked_outstanding)

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
fill_detail (ViewScreen * s, ViewText * t, gconstpointer row)
{
  const MemTracePool *p = row;
  gchar *bytes = view_bytes (p->memory_bytes);
  gchar *alloc = view_bytes (p->memory_allocated_bytes);

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

/* The details, with the outstanding buffers' chart under them. */
static void
draw_detail (ViewScreen * s, ViewText * detail, gconstpointer row, gint y,
    gint x, gint h, gint w)
{
  view_text_draw (detail, y + 1, x + 1, h - CHART_ROWS - 2, w - 2);
  draw_outstanding (row, y + h - CHART_ROWS - 1, x, CHART_ROWS + 1, w);
}

static void
draw_list (ViewScreen * s, gconstpointer results, gint y, gint x, gint h,
    gint w)
{
  const MemTracePools *pools = results;

  view_putf (y + 1, x + 1, w - 2, VIEW_ATTR_TITLE, "%u buffer pool%s",
      pools->pools->len, pools->pools->len == 1 ? "" : "s");
  view_app_window_note (s->app, VIEW_POOLS, y + 2, x + 1, w - 2);
  view_table_draw (view_list_table (s), y + 3, x, h - 3, w);
}

static void
rows (ViewScreen * s, gconstpointer results, GPtrArray * rows)
{
  const MemTracePools *pools = results;
  guint i;

  for (i = 0; i < pools->pools->len; i++)
    g_ptr_array_add (rows, g_ptr_array_index (pools->pools, i));
}

static gchar *
row_key (gconstpointer row)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT,
      ((const MemTracePool *) row)->pool);
}

/* A pool gone from the results (another window) opens again when it is
 * back. */
static const ViewListClass pools = {
  .name = "Pools",
  .tab = "Pools",
  .result = VIEW_POOLS,
  VIEW_LIST_TABLE (columns, cell, sorts),
  .list_keys = "Enter open",
  .detail_keys = "Esc back",
  .rows = rows,
  .draw_list = draw_list,
  .fill = fill_detail,
  .row_key = row_key,
  .reopen = TRUE,
  .draw_detail = draw_detail,
};

ViewScreen *
view_pools_new (ViewApp * app)
{
  return view_list_screen_new (app, &pools, NULL);
}
