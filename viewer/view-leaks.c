/* gst-memtrace view: the Leaks screen: root leak groups, and one group
 * opened: its stacks, what it holds, the refs never given back, its
 * objects. */
#include <string.h>
#include "view-app.h"
#include "report-formats.h"

#define MAX_OBJECTS 1000

typedef struct
{
  ViewTable *table;
  ViewText *detail;
  const MemTraceLeakGroup *open;        /* NULL: the list */
  /* Which group is open, to find it again in new results (live, or after
   * a change of window): the old ones may be gone. */
  gchar *open_type;
  gint64 open_stack, open_acquire;
  GHashTable *sites;            /* group -> its site, described */
} Leaks;

static const ViewColumn columns[] = {
  {"Type", 18, FALSE},
  {"Objects", 8, TRUE},
  {"Bytes", 10, TRUE},
  {"Last pad", 16, FALSE},
  {"Site", 0, FALSE},
};

static gint
by_objects (gconstpointer a, gconstpointer b)
{
  const MemTraceLeakGroup *ga = a, *gb = b;

  return (gb->objects > ga->objects) - (gb->objects < ga->objects);
}

static gint
by_type (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (((const MemTraceLeakGroup *) a)->type,
      ((const MemTraceLeakGroup *) b)->type);
}

static gint
by_pad (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (((const MemTraceLeakGroup *) a)->last_pad,
      ((const MemTraceLeakGroup *) b)->last_pad);
}

/* Bytes first: the analysis' own order. */
static const ViewSort sorts[] = {
  {"bytes", NULL},
  {"objects", by_objects},
  {"type", by_type},
  {"last pad", by_pad},
};

static gint64
site_stack (const MemTraceLeakGroup * g)
{
  return g->acquire_stack_id ? g->acquire_stack_id : g->stack_id;
}

static const gchar *
site_of (ViewScreen * s, const MemTraceLeakGroup * g)
{
  Leaks *l = s->priv;
  gchar *site = g_hash_table_lookup (l->sites, g);

  if (!site) {
    site = view_app_site (s->app, site_stack (g));
    g_hash_table_insert (l->sites, (gpointer) g, site);
  }
  return site;
}

static gchar *
cell (gpointer row, guint column, gpointer user_data)
{
  const MemTraceLeakGroup *g = row;

  switch (column) {
    case 0:
      return g_strdup (g->type);
    case 1:
      return view_count (g->objects);
    case 2:
      return view_bytes (g->bytes);
    case 3:
      return g_strdup (g->last_pad ? g->last_pad : "");
    default:
      return g_strdup (site_of (user_data, g));
  }
}

static void
add_holds (ViewText * t, const MemTraceLeakGroup * g)
{
  GString *s = g_string_new ("holds:");
  guint i;

  for (i = 0; i < g->holds->len; i++) {
    const MemTraceTally *h = &g_array_index (g->holds, MemTraceTally, i);
    gchar *b = view_bytes (h->bytes);

    g_string_append_printf (s, "%s %" G_GINT64_FORMAT " %s", i ? "," : "",
        h->objects, h->type);
    if (h->bytes)
      g_string_append_printf (s, " (%s)", b);
    g_free (b);
  }
  if (g->holds->len)
    view_text_add (t, VIEW_ATTR_NORMAL, 0, "%s", s->str);
  g_string_free (s, TRUE);
}

static void
add_refs (ViewScreen * s, ViewText * t, const MemTraceLeakGroup * g)
{
  guint i;

  for (i = 0; i < g->refs->len; i++) {
    const MemTraceRefSite *r = &g_array_index (g->refs, MemTraceRefSite, i);

    view_text_blank (t);
    view_text_add (t, VIEW_ATTR_TITLE, 0, "%" G_GINT64_FORMAT " reference%s "
        "never given back, taken at:", r->count, r->count > 1 ? "s" : "");
    view_app_add_stack (s->app, t, r->stack_id, "  ");
  }
}

static void
add_objects (ViewText * t, const MemTraceLeakGroup * g)
{
  guint i;

  view_text_blank (t);
  view_text_add (t, VIEW_ATTR_TITLE, 0, "Objects (Enter: the object's "
      "history):");
  for (i = 0; i < g->object_ids->len && i < MAX_OBJECTS; i++) {
    gint64 id = g_array_index (g->object_ids, gint64, i);

    view_text_add (t, VIEW_ATTR_NORMAL, id, "  #%" G_GINT64_FORMAT " %s", id,
        g->type);
  }
  if (g->object_ids->len > MAX_OBJECTS)
    view_text_add (t, VIEW_ATTR_DIM, 0, "  ... %u more",
        g->object_ids->len - MAX_OBJECTS);
}

static void
fill_detail (ViewScreen * s, const MemTraceLeakGroup * g)
{
  Leaks *l = s->priv;
  ViewText *t = l->detail;
  gchar *bytes = view_bytes (g->bytes);

  view_text_clear (t);
  view_text_add (t, VIEW_ATTR_TITLE, 0, "%" G_GINT64_FORMAT " %s%s, %s",
      g->objects, g->type, g->objects > 1 ? "s" : "", bytes);
  view_text_add (t, VIEW_ATTR_NORMAL, 0, "%s; %s %s",
      memtrace_leak_state_name (g->state), g->acquire_stack_id ?
      "acquired at" : "made at", site_of (s, g));
  if (g->last_pad)
    view_text_add (t, VIEW_ATTR_NORMAL, 0, "last pad: %s", g->last_pad);
  add_holds (t, g);
  view_text_blank (t);
  view_text_add (t, VIEW_ATTR_TITLE, 0, "Created at:");
  view_app_add_stack (s->app, t, g->stack_id, "  ");
  if (g->acquire_stack_id) {
    view_text_blank (t);
    view_text_add (t, VIEW_ATTR_TITLE, 0, "Acquired from its pool at:");
    view_app_add_stack (s->app, t, g->acquire_stack_id, "  ");
  }
  add_refs (s, t, g);
  add_objects (t, g);
  g_free (bytes);
}

static void
draw_summary (ViewScreen * s, const MemTraceLeaks * l, gint y, gint x,
    gint w)
{
  gchar *bytes = view_bytes (l->leaked_bytes);
  gboolean live =
      view_data_state (view_app_data (s->app)) == VIEW_STATE_RECORDING;

  if (live)
    view_putf (y, x, w, VIEW_ATTR_TITLE, "Alive now (still recording: "
        "leaks are known when it ends): %u groups, %" G_GINT64_FORMAT
        " objects, %s", l->n_unsuppressed_groups, l->leaked_objects, bytes);
  else if (!l->n_unsuppressed_groups)
    view_put (y, x, w, VIEW_ATTR_GOOD, "No leaks.");
  else
    view_putf (y, x, w, VIEW_ATTR_BAD, "LEAKS: %u group%s, %"
        G_GINT64_FORMAT " objects, %s", l->n_unsuppressed_groups,
        l->n_unsuppressed_groups > 1 ? "s" : "", l->leaked_objects, bytes);
  view_putf (y + 1, x, w, VIEW_ATTR_DIM, "not counted: %" G_GINT64_FORMAT
      " suppressed, %" G_GINT64_FORMAT " flagged MAY_BE_LEAKED, %"
      G_GINT64_FORMAT " released by gst_deinit", l->suppressed_objects,
      l->may_be_leaked_objects, l->released_by_deinit);
  g_free (bytes);
}

static void
draw (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  Leaks *l = s->priv;
  const MemTraceLeaks *leaks = view_app_get (s->app, VIEW_LEAKS);

  if (!view_app_ready (s->app, VIEW_LEAKS, y, x, h, w))
    return;
  if (l->open) {
    view_text_draw (l->detail, y + 1, x + 1, h - 1, w - 2);
    return;
  }
  draw_summary (s, leaks, y + 1, x + 1, w - 2);
  view_app_window_note (s->app, VIEW_LEAKS, y + 2, x + 1, w - 2);
  view_table_draw (l->table, y + 3, x, h - 3, w);
}

/* The group of the new results that is the one open, if any. */
static const MemTraceLeakGroup *
same_group (Leaks * l, const MemTraceLeaks * leaks)
{
  guint i;

  for (i = 0; leaks && l->open_type && i < leaks->n_unsuppressed_groups;
      i++) {
    const MemTraceLeakGroup *g = g_ptr_array_index (leaks->groups, i);

    if (g->stack_id == l->open_stack && g->acquire_stack_id == l->open_acquire
        && !g_strcmp0 (g->type, l->open_type))
      return g;
  }
  return NULL;
}

static void
set_open (ViewScreen * s, const MemTraceLeakGroup * g)
{
  Leaks *l = s->priv;

  l->open = g;
  g_free (l->open_type);
  l->open_type = g ? g_strdup (g->type) : NULL;
  l->open_stack = g ? g->stack_id : 0;
  l->open_acquire = g ? g->acquire_stack_id : 0;
  if (g)
    fill_detail (s, g);
}

/* The rows point into the results, which may just have been replaced. */
static void
update (ViewScreen * s)
{
  Leaks *l = s->priv;
  const MemTraceLeaks *leaks = view_app_get (s->app, VIEW_LEAKS);
  GPtrArray *rows = g_ptr_array_new ();
  guint i;

  g_hash_table_remove_all (l->sites);
  for (i = 0; leaks && i < leaks->n_unsuppressed_groups; i++)
    g_ptr_array_add (rows, g_ptr_array_index (leaks->groups, i));
  view_table_set_rows (l->table, rows);
  l->open = same_group (l, leaks);
  if (l->open)
    fill_detail (s, l->open);
}

static gboolean
key (ViewScreen * s, gint k)
{
  Leaks *l = s->priv;
  const MemTraceLeakGroup *g;

  if (l->open) {
    if (view_key_is_back (k))
      set_open (s, NULL);
    else if (view_key_is_enter (k) && view_text_link (l->detail))
      view_app_show_object (s->app, view_text_link (l->detail));
    else
      return view_text_key (l->detail, k);
    return TRUE;
  }
  if (view_key_is_enter (k) && (g = view_table_selected (l->table))) {
    set_open (s, g);
    return TRUE;
  }
  return view_table_key (l->table, k);
}

static const gchar *
keys (ViewScreen * s)
{
  Leaks *l = s->priv;

  return l->open ? "Esc back  Enter object history" : "Enter open";
}

static ViewTable *
table (ViewScreen * s)
{
  Leaks *l = s->priv;

  return l->open ? NULL : l->table;
}

static void
leaks_free (ViewScreen * s)
{
  Leaks *l = s->priv;

  view_table_free (l->table);
  view_text_free (l->detail);
  g_hash_table_unref (l->sites);
  g_free (l->open_type);
  g_free (l);
}

ViewScreen *
view_leaks_new (ViewApp * app)
{
  ViewScreen *s = g_new0 (ViewScreen, 1);
  Leaks *l = g_new0 (Leaks, 1);

  l->table = view_table_new (columns, G_N_ELEMENTS (columns), cell, s, sorts,
      G_N_ELEMENTS (sorts));
  l->detail = view_text_new ();
  l->sites = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  s->name = "Leaks";
  s->tab = "Leaks";
  s->app = app;
  s->priv = l;
  s->draw = draw;
  s->key = key;
  s->keys = keys;
  s->table = table;
  s->update = update;
  s->free = leaks_free;
  return s;
}
