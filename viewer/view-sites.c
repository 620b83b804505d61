/* gst-memtrace view: the Sites screen: where objects are created, by
 * count, bytes, what stayed alive and what leaked. */
#include "view-screen.h"

static const ViewColumn columns[] = {
  {"Site", 0, FALSE},
  {"Objects", 9, TRUE},
  {"Bytes", 10, TRUE},
  {"Alive", 7, TRUE},
  {"Leaked", 7, TRUE},
  {"Main type", 16, FALSE},
};

VIEW_SORT_BIGGEST_FIRST (by_objects, MemTraceHotspot, objects)
VIEW_SORT_BIGGEST_FIRST (by_bytes, MemTraceHotspot, bytes)
VIEW_SORT_BIGGEST_FIRST (by_live_at_end, MemTraceHotspot, live_at_end)
VIEW_SORT_BIGGEST_FIRST (by_leaked, MemTraceHotspot, leaked)

static const ViewSort sorts[] = {
  {"count", by_objects},
  {"bytes", by_bytes},
  {"alive", by_live_at_end},
  {"leaked", by_leaked},
};

static const gchar *
main_type (const MemTraceHotspot * h)
{
  return h->types->len ? g_array_index (h->types, MemTraceTally, 0).type : "";
}

static gchar *
cell (gpointer row, guint column, gpointer user_data)
{
  const MemTraceHotspot *h = row;

  switch (column) {
    case 0:
      return g_strdup (h->site_name);
    case 1:
      return view_count (h->objects);
    case 2:
      return view_bytes (h->bytes);
    case 3:
      return view_count (h->live_at_end);
    case 4:
      return view_count (h->leaked);
    default:
      return g_strdup (main_type (h));
  }
}

static void
fill_detail (ViewScreen * s, ViewText * t, gconstpointer row)
{
  const MemTraceHotspot *h = row;
  gchar *bytes = view_bytes (h->bytes), *leaked = view_bytes (h->leaked_bytes);
  guint i;

  view_text_add (t, VIEW_ATTR_TITLE, 0, "%s", h->site_name);
  view_text_add (t, VIEW_ATTR_NORMAL, 0, "%" G_GINT64_FORMAT
      " objects, %s; %" G_GINT64_FORMAT " alive at the end; %" G_GINT64_FORMAT
      " leaked (%s); %" G_GINT64_FORMAT " distinct stacks", h->objects, bytes,
      h->live_at_end, h->leaked, leaked, h->n_stacks);
  view_text_blank (t);
  view_text_add (t, VIEW_ATTR_TITLE, 0, "%-30s %10s %12s", "Type", "objects",
      "bytes");
  for (i = 0; i < h->types->len; i++) {
    const MemTraceTally *tally = &g_array_index (h->types, MemTraceTally,
        i);
    gchar *b = view_bytes (tally->bytes);

    view_text_add (t, VIEW_ATTR_NORMAL, 0, "%-30s %10" G_GINT64_FORMAT
        " %12s", tally->type, tally->objects, b);
    g_free (b);
  }
  view_text_blank (t);
  view_text_add (t, VIEW_ATTR_TITLE, 0, "Main stack:");
  view_app_add_stack (s->app, t, h->stack_id, "  ");
  g_free (leaked);
  g_free (bytes);
}

static void
draw_list (ViewScreen * s, gconstpointer results, gint y, gint x, gint h,
    gint w)
{
  const MemTraceHotspots *hs = results;

  view_putf (y + 1, x + 1, w - 2, VIEW_ATTR_TITLE, "%u allocation sites, %"
      G_GINT64_FORMAT " objects, %" G_GINT64_FORMAT " leaked",
      hs->sites->len, hs->objects, hs->leaked);
  view_app_window_note (s->app, VIEW_HOTSPOTS, y + 2, x + 1, w - 2);
  view_table_draw (view_list_table (s), y + 3, x, h - 3, w);
}

static void
rows (ViewScreen * s, gconstpointer results, GPtrArray * rows)
{
  const MemTraceHotspots *hs = results;
  guint i;

  for (i = 0; i < hs->sites->len; i++)
    g_ptr_array_add (rows, &g_array_index (hs->sites, MemTraceHotspot, i));
}

static gchar *
row_key (gconstpointer row)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT,
      ((const MemTraceHotspot *) row)->site);
}

static const ViewListClass sites = {
  .name = "Sites",
  .tab = "Sites",
  .result = VIEW_HOTSPOTS,
  VIEW_LIST_TABLE (columns, cell, sorts),
  .list_keys = "Enter open",
  .detail_keys = "Esc back",
  .rows = rows,
  .draw_list = draw_list,
  .fill = fill_detail,
  .row_key = row_key,
};

ViewScreen *
view_sites_new (ViewApp * app)
{
  return view_list_screen_new (app, &sites, NULL);
}
