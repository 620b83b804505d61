/* gst-memtrace view: the plumbing of the screens that list the rows of
 * one result in a table, where Enter opens a row's details. */
#include <curses.h>
#include "view-screen.h"

typedef struct
{
  const ViewListClass *klass;
  gpointer data;
  ViewTable *table;
  ViewText *detail;
  guint grouping;
  gconstpointer open;           /* the row shown in detail, NULL: the list */
  gchar *open_key;              /* to find it again in new results */
} ViewList;

static void
open_row (ViewScreen * s, gconstpointer row)
{
  ViewList *l = s->priv;

  l->open = row;
  view_text_clear (l->detail);
  l->klass->fill (s, l->detail, row);
}

static void
close_row (ViewList * l)
{
  l->open = NULL;
  g_clear_pointer (&l->open_key, g_free);
}

/* The row of the new results that is the one open, if any.  The rows
 * point into the results, which may just have been replaced. */
static gconstpointer
find_open (ViewList * l, GPtrArray * rows)
{
  gconstpointer found = NULL;
  guint i;

  if (!l->open_key || (!l->open && !l->klass->reopen))
    return NULL;
  for (i = 0; i < rows->len && !found; i++) {
    gchar *key = l->klass->row_key (g_ptr_array_index (rows, i));

    if (!g_strcmp0 (key, l->open_key))
      found = g_ptr_array_index (rows, i);
    g_free (key);
  }
  return found;
}

static void
update (ViewScreen * s)
{
  ViewList *l = s->priv;
  gconstpointer results = view_app_get (s->app, l->klass->result);
  GPtrArray *rows = g_ptr_array_new ();
  gconstpointer open;

  if (results)
    l->klass->rows (s, results, rows);
  open = find_open (l, rows);
  view_table_set_rows (l->table, rows);
  if (open)
    open_row (s, open);
  else if (l->klass->reopen)
    l->open = NULL;
  else
    close_row (l);
}

static void
draw (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  ViewList *l = s->priv;

  if (!view_app_ready (s->app, l->klass->result, y, x, h, w))
    return;
  if (l->open && l->klass->draw_detail)
    l->klass->draw_detail (s, l->detail, l->open, y, x, h, w);
  else if (l->open)
    view_text_draw (l->detail, y + 1, x + 1, h - 1, w - 2);
  else
    l->klass->draw_list (s, view_app_get (s->app, l->klass->result), y, x,
        h, w);
}

static gboolean
detail_key (ViewScreen * s, gint k)
{
  ViewList *l = s->priv;

  if (view_key_is_back (k))
    close_row (l);
  else if (view_key_is_enter (k) && view_text_link (l->detail))
    view_app_show_object (s->app, view_text_link (l->detail));
  else
    return view_text_key (l->detail, k);
  return TRUE;
}

/* Another grouping lists other rows: the filter was for the old ones. */
static void
next_grouping (ViewScreen * s, gint k)
{
  ViewList *l = s->priv;
  guint n = l->klass->n_groupings;

  l->grouping = (l->grouping + (k == KEY_RIGHT ? 1 : n - 1)) % n;
  view_table_set_filter (l->table, NULL);
  update (s);
}

static gboolean
key (ViewScreen * s, gint k)
{
  ViewList *l = s->priv;
  gconstpointer row;

  if (l->open)
    return detail_key (s, k);
  if (l->klass->n_groupings > 1 && (k == KEY_LEFT || k == KEY_RIGHT)) {
    next_grouping (s, k);
    return TRUE;
  }
  if (l->klass->fill && view_key_is_enter (k)
      && (row = view_table_selected (l->table))) {
    g_free (l->open_key);
    l->open_key = l->klass->row_key (row);
    open_row (s, row);
    return TRUE;
  }
  return view_table_key (l->table, k);
}

static const gchar *
keys (ViewScreen * s)
{
  ViewList *l = s->priv;

  return l->open ? l->klass->detail_keys : l->klass->list_keys;
}

static ViewTable *
table (ViewScreen * s)
{
  ViewList *l = s->priv;

  return l->open ? NULL : l->table;
}

static void
list_free (ViewScreen * s)
{
  ViewList *l = s->priv;

  view_table_free (l->table);
  view_text_free (l->detail);
  g_free (l->open_key);
  if (l->klass->free_data)
    l->klass->free_data (l->data);
  g_free (l);
}

ViewScreen *
view_list_screen_new (ViewApp * app, const ViewListClass * klass,
    gpointer data)
{
  ViewScreen *s = g_new0 (ViewScreen, 1);
  ViewList *l = g_new0 (ViewList, 1);

  l->klass = klass;
  l->data = data;
  l->table = view_table_new (klass->columns, klass->n_columns, klass->cell,
      s, klass->sorts, klass->n_sorts);
  l->detail = view_text_new ();
  s->name = klass->name;
  s->tab = klass->tab;
  s->app = app;
  s->priv = l;
  s->draw = draw;
  s->key = key;
  s->keys = keys;
  s->table = table;
  s->update = update;
  s->free = list_free;
  return s;
}

gpointer
view_list_data (ViewScreen * s)
{
  return ((ViewList *) s->priv)->data;
}

guint
view_list_grouping (ViewScreen * s)
{
  return ((ViewList *) s->priv)->grouping;
}

ViewTable *
view_list_table (ViewScreen * s)
{
  return ((ViewList *) s->priv)->table;
}
