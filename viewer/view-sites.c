/* gst-memtrace view: the Sites screen: where objects are created, by
 * count, bytes, what stayed alive and what leaked. */
#include "view-app.h"

typedef struct
{
  ViewTable *table;
  ViewText *detail;
  gboolean open;
  guint64 open_site;            /* to find it again in new results */
} Sites;

static const ViewColumn columns[] = {
  {"Site", 0, FALSE},
  {"Objects", 9, TRUE},
  {"Bytes", 10, TRUE},
  {"Alive", 7, TRUE},
  {"Leaked", 7, TRUE},
  {"Main type", 16, FALSE},
};

#define CMP(field) \
static gint \
by_##field (gconstpointer a, gconstpointer b) \
{ \
  const MemTraceHotspot *ha = a, *hb = b; \
  return (hb->field > ha->field) - (hb->field < ha->field); \
}

CMP (objects)
CMP (bytes)
CMP (live_at_end)
CMP (leaked)

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
fill_detail (ViewScreen * s, const MemTraceHotspot * h)
{
  Sites *p = s->priv;
  gchar *bytes = view_bytes (h->bytes), *leaked = view_bytes (h->leaked_bytes);
  guint i;

  view_text_clear (p->detail);
  view_text_add (p->detail, VIEW_ATTR_TITLE, 0, "%s", h->site_name);
  view_text_add (p->detail, VIEW_ATTR_NORMAL, 0, "%" G_GINT64_FORMAT
      " objects, %s; %" G_GINT64_FORMAT " alive at the end; %" G_GINT64_FORMAT
      " leaked (%s); %" G_GINT64_FORMAT " distinct stacks", h->objects, bytes,
      h->live_at_end, h->leaked, leaked, h->n_stacks);
  view_text_blank (p->detail);
  view_text_add (p->detail, VIEW_ATTR_TITLE, 0, "%-30s %10s %12s", "Type",
      "objects", "bytes");
  for (i = 0; i < h->types->len; i++) {
    const MemTraceTally *t = &g_array_index (h->types, MemTraceTally, i);
    gchar *b = view_bytes (t->bytes);

    view_text_add (p->detail, VIEW_ATTR_NORMAL, 0, "%-30s %10"
        G_GINT64_FORMAT " %12s", t->type, t->objects, b);
    g_free (b);
  }
  view_text_blank (p->detail);
  view_text_add (p->detail, VIEW_ATTR_TITLE, 0, "Main stack:");
  view_app_add_stack (s->app, p->detail, h->stack_id, "  ");
  g_free (leaked);
  g_free (bytes);
}

static void
draw (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  Sites *p = s->priv;
  const MemTraceHotspots *hs;

  if (!view_app_ready (s->app, VIEW_HOTSPOTS, y, x, h, w))
    return;
  if (p->open) {
    view_text_draw (p->detail, y + 1, x + 1, h - 1, w - 2);
    return;
  }
  hs = view_app_get (s->app, VIEW_HOTSPOTS);
  view_putf (y + 1, x + 1, w - 2, VIEW_ATTR_TITLE, "%u allocation sites, %"
      G_GINT64_FORMAT " objects, %" G_GINT64_FORMAT " leaked",
      hs->sites->len, hs->objects, hs->leaked);
  view_app_window_note (s->app, VIEW_HOTSPOTS, y + 2, x + 1, w - 2);
  view_table_draw (p->table, y + 3, x, h - 3, w);
}

static const MemTraceHotspot *
find_site (const MemTraceHotspots * hs, guint64 site)
{
  guint i;

  for (i = 0; hs && i < hs->sites->len; i++)
    if (g_array_index (hs->sites, MemTraceHotspot, i).site == site)
      return &g_array_index (hs->sites, MemTraceHotspot, i);
  return NULL;
}

static void
update (ViewScreen * s)
{
  Sites *p = s->priv;
  const MemTraceHotspots *hs = view_app_get (s->app, VIEW_HOTSPOTS);
  GPtrArray *rows = g_ptr_array_new ();
  const MemTraceHotspot *open;
  guint i;

  for (i = 0; hs && i < hs->sites->len; i++)
    g_ptr_array_add (rows, &g_array_index (hs->sites, MemTraceHotspot, i));
  view_table_set_rows (p->table, rows);
  open = p->open ? find_site (hs, p->open_site) : NULL;
  if (open)
    fill_detail (s, open);
  else
    p->open = FALSE;
}

static gboolean
key (ViewScreen * s, gint k)
{
  Sites *p = s->priv;
  const MemTraceHotspot *h;

  if (p->open) {
    if (view_key_is_back (k))
      p->open = FALSE;
    else
      return view_text_key (p->detail, k);
    return TRUE;
  }
  if (view_key_is_enter (k) && (h = view_table_selected (p->table))) {
    p->open = TRUE;
    p->open_site = h->site;
    fill_detail (s, h);
    return TRUE;
  }
  return view_table_key (p->table, k);
}

static const gchar *
keys (ViewScreen * s)
{
  return ((Sites *) s->priv)->open ? "Esc back" : "Enter open";
}

static ViewTable *
table (ViewScreen * s)
{
  Sites *p = s->priv;

  return p->open ? NULL : p->table;
}

static void
sites_free (ViewScreen * s)
{
  Sites *p = s->priv;

  view_table_free (p->table);
  view_text_free (p->detail);
  g_free (p);
}

ViewScreen *
view_sites_new (ViewApp * app)
{
  ViewScreen *s = g_new0 (ViewScreen, 1);
  Sites *p = g_new0 (Sites, 1);

  p->table = view_table_new (columns, G_N_ELEMENTS (columns), cell, s, sorts,
      G_N_ELEMENTS (sorts));
  p->detail = view_text_new ();
  s->name = "Sites";
  s->tab = "Sites";
  s->app = app;
  s->priv = p;
  s->draw = draw;
  s->key = key;
  s->keys = keys;
  s->table = table;
  s->update = update;
  s->free = sites_free;
  return s;
}
