/* gst-memtrace view: the Leaks screen: root leak groups, and one group
 * opened: its stacks, what it holds, the refs never given back, its
 * objects. */
#include <string.h>
#include "view-screen.h"
#include "report-formats.h"

#define MAX_OBJECTS 1000

static const ViewColumn columns[] = {
  {"Type", 18, FALSE},
  {"Objects", 8, TRUE},
  {"Bytes", 10, TRUE},
  {"Last pad", 16, FALSE},
  {"Site", 0, FALSE},
};

VIEW_SORT_BIGGEST_FIRST (by_objects, MemTraceLeakGroup, objects)

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

/* The screen's data: group -> its site, described. */
static const gchar *
site_of (ViewScreen * s, const MemTraceLeakGroup * g)
{
  GHashTable *sites = view_list_data (s);
  gchar *site = g_hash_table_lookup (sites, g);

  if (!site) {
    site = view_app_site (s->app, memtrace_leak_group_site_stack (g));
    g_hash_table_insert (sites, (gpointer) g, site);
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

typedef struct
{
  ViewScreen *screen;
  ViewText *text;
} Stacks;

/* The reports' stack titles, as headings. */
static void
add_stack (gint64 stack_id, const gchar * title, gpointer data)
{
  Stacks *stacks = data;

  view_text_blank (stacks->text);
  view_text_add (stacks->text, VIEW_ATTR_TITLE, 0, "%c%s:",
      g_ascii_toupper (title[0]), title + 1);
  view_app_add_stack (stacks->screen->app, stacks->text, stack_id, "  ");
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
fill_detail (ViewScreen * s, ViewText * t, gconstpointer row)
{
  const MemTraceLeakGroup *g = row;
  Stacks stacks = { s, t };
  gchar *bytes = view_bytes (g->bytes);

  view_text_add (t, VIEW_ATTR_TITLE, 0, "%" G_GINT64_FORMAT " %s%s, %s",
      g->objects, g->type, g->objects > 1 ? "s" : "", bytes);
  view_text_add (t, VIEW_ATTR_NORMAL, 0, "%s; %s %s",
      memtrace_leak_state_name (g->state), g->acquire_stack_id ?
      "acquired at" : "made at", site_of (s, g));
  if (g->last_pad)
    view_text_add (t, VIEW_ATTR_NORMAL, 0, "last pad: %s", g->last_pad);
  add_holds (t, g);
  memtrace_format_group_stacks (g, add_stack, &stacks);
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
draw_list (ViewScreen * s, gconstpointer results, gint y, gint x, gint h,
    gint w)
{
  draw_summary (s, results, y + 1, x + 1, w - 2);
  view_app_window_note (s->app, VIEW_LEAKS, y + 2, x + 1, w - 2);
  view_table_draw (view_list_table (s), y + 3, x, h - 3, w);
}

/* The rows point into the results, which may just have been replaced:
 * so may the groups the sites were described for. */
static void
rows (ViewScreen * s, gconstpointer results, GPtrArray * rows)
{
  const MemTraceLeaks *leaks = results;
  guint i;

  g_hash_table_remove_all (view_list_data (s));
  for (i = 0; i < leaks->n_unsuppressed_groups; i++)
    g_ptr_array_add (rows, g_ptr_array_index (leaks->groups, i));
}

static gchar *
row_key (gconstpointer row)
{
  const MemTraceLeakGroup *g = row;

  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s",
      g->stack_id, g->acquire_stack_id, g->type);
}

/* A group that went away (live, or in another window) opens again when it
 * is back. */
static const ViewListClass leaks = {
  .name = "Leaks",
  .tab = "Leaks",
  .result = VIEW_LEAKS,
  VIEW_LIST_TABLE (columns, cell, sorts),
  .list_keys = "Enter open",
  .detail_keys = "Esc back  Enter object history",
  .rows = rows,
  .draw_list = draw_list,
  .fill = fill_detail,
  .row_key = row_key,
  .reopen = TRUE,
  .free_data = (GDestroyNotify) g_hash_table_unref,
};

ViewScreen *
view_leaks_new (ViewApp * app)
{
  return view_list_screen_new (app, &leaks, g_hash_table_new_full (NULL,
          NULL, NULL, g_free));
}
