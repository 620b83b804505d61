/* gst-memtrace view: the Lifetimes screen: how long objects live, by type,
 * pool (acquire to release) or site, and one distribution as a histogram. */
#include <curses.h>
#include "view-app.h"

typedef enum
{
  BY_TYPE,
  BY_POOL,
  BY_SITE,
  N_GROUPINGS
} Grouping;

static const gchar *const grouping_names[N_GROUPINGS] = {
  "type", "pool", "site",
};

typedef struct
{
  Grouping grouping;
  ViewTable *table;
  ViewText *detail;
  gboolean open;
  gint64 open_id;               /* to find it again in new results */
} Lifetimes;

static const ViewColumn columns[] = {
  {"Name", 0, FALSE},
  {"Count", 9, TRUE},
  {"p50", 9, TRUE},
  {"p90", 9, TRUE},
  {"p99", 9, TRUE},
  {"Max", 9, TRUE},
  {"Alive", 7, TRUE},
};

#define CMP(field) \
static gint \
by_##field (gconstpointer a, gconstpointer b) \
{ \
  const MemTraceLifetimeDist *da = a, *db = b; \
  return (db->field > da->field) - (db->field < da->field); \
}

CMP (count)
CMP (p50_ns)
CMP (p99_ns)
CMP (max_ns)

static const ViewSort sorts[] = {
  {"count", by_count},
  {"p50", by_p50_ns},
  {"p99", by_p99_ns},
  {"max", by_max_ns},
};

static gchar *
cell (gpointer row, guint column, gpointer user_data)
{
  const MemTraceLifetimeDist *d = row;
  const gint64 values[] = { 0, 0, d->p50_ns, d->p90_ns, d->p99_ns, d->max_ns };

  switch (column) {
    case 0:
      return g_strdup (d->name);
    case 1:
      return view_count (d->count);
    case 6:
      return view_count (d->alive_at_end);
    default:
      return d->count ? view_duration (values[column]) : g_strdup ("-");
  }
}

static GPtrArray *
dists_of (const MemTraceLifetimes * l, Grouping g)
{
  return g == BY_TYPE ? l->by_type : g == BY_POOL ? l->by_pool : l->by_site;
}

/* The lower bound of a bucket: 0, then 2^(i-1) ns. */
static gint64
bucket_start (guint i)
{
  return i ? G_GINT64_CONSTANT (1) << (i - 1) : 0;
}

static void
add_histogram (ViewText * t, const MemTraceLifetimeDist * d)
{
  gint64 max = 0;
  guint i, first = MEMTRACE_LIFETIME_N_BUCKETS, last = 0;

  for (i = 0; i < MEMTRACE_LIFETIME_N_BUCKETS; i++) {
    if (!d->buckets[i])
      continue;
    max = MAX (max, d->buckets[i]);
    first = MIN (first, i);
    last = i;
  }
  for (i = first; i <= last && max; i++) {
    gchar *from = view_duration (bucket_start (i));
    gint bar = (d->buckets[i] * 40 + max - 1) / max;
    GString *s = g_string_new (NULL);
    gint j;

    /* Padded by hand: a block is one column but three bytes. */
    for (j = 0; j < 40; j++)
      g_string_append (s, j < bar ? view_glyph (VIEW_GLYPH_FULL) : " ");
    view_text_add (t, VIEW_ATTR_NORMAL, 0, "  >= %-9s %s %" G_GINT64_FORMAT,
        from, s->str, d->buckets[i]);
    g_string_free (s, TRUE);
    g_free (from);
  }
}

static void
fill_detail (ViewScreen * s, const MemTraceLifetimeDist * d)
{
  Lifetimes *p = s->priv;
  gchar *mean = view_duration (d->count ? d->total_ns / d->count : 0);
  gchar *min = view_duration (d->min_ns), *max = view_duration (d->max_ns);

  view_text_clear (p->detail);
  view_text_add (p->detail, VIEW_ATTR_TITLE, 0, "%s (by %s)", d->name,
      grouping_names[p->grouping]);
  view_text_add (p->detail, VIEW_ATTR_NORMAL, 0, "%" G_GINT64_FORMAT
      " lifetimes, mean %s, min %s, max %s; %" G_GINT64_FORMAT " never %s",
      d->count, mean, min, max, d->alive_at_end,
      p->grouping == BY_POOL ? "released" : "destroyed");
  view_text_blank (p->detail);
  view_text_add (p->detail, VIEW_ATTR_TITLE, 0, "Histogram (lifetime, "
      "count):");
  add_histogram (p->detail, d);
  if (p->grouping == BY_SITE) {
    view_text_blank (p->detail);
    view_text_add (p->detail, VIEW_ATTR_TITLE, 0, "Main stack:");
    view_app_add_stack (s->app, p->detail, d->stack_id, "  ");
  }
  g_free (max);
  g_free (min);
  g_free (mean);
}

static void
draw_summary (ViewScreen * s, const MemTraceLifetimes * l, gint y, gint x,
    gint w)
{
  Lifetimes *p = s->priv;
  gchar *p50 = view_duration (l->all.p50_ns), *p99 =
      view_duration (l->all.p99_ns), *tmp = view_duration (l->temporary_ns);

  view_putf (y, x, w, VIEW_ATTR_TITLE, "By %s  (Left/Right: by type, pool "
      "or site)", grouping_names[p->grouping]);
  view_putf (y + 1, x, w, VIEW_ATTR_NORMAL, "%" G_GINT64_FORMAT " lifetimes: "
      "p50 %s, p99 %s; %" G_GINT64_FORMAT " temporaries (under %s)",
      l->all.count, p50, p99, l->n_temporaries, tmp);
  g_free (tmp);
  g_free (p99);
  g_free (p50);
}

static void
draw (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  Lifetimes *p = s->priv;

  if (!view_app_ready (s->app, VIEW_LIFETIMES, y, x, h, w))
    return;
  if (p->open) {
    view_text_draw (p->detail, y + 1, x + 1, h - 1, w - 2);
    return;
  }
  draw_summary (s, view_app_get (s->app, VIEW_LIFETIMES), y + 1,
      x + 1, w - 2);
  view_app_window_note (s->app, VIEW_LIFETIMES, y + 3, x + 1, w - 2);
  view_table_draw (p->table, y + 4, x, h - 4, w);
}

static const MemTraceLifetimeDist *
find_dist (GPtrArray * dists, gint64 id)
{
  guint i;

  for (i = 0; dists && i < dists->len; i++)
    if (((MemTraceLifetimeDist *) g_ptr_array_index (dists, i))->id == id)
      return g_ptr_array_index (dists, i);
  return NULL;
}

static void
update (ViewScreen * s)
{
  Lifetimes *p = s->priv;
  const MemTraceLifetimes *l = view_app_get (s->app, VIEW_LIFETIMES);
  GPtrArray *dists = l ? dists_of (l, p->grouping) : NULL;
  GPtrArray *rows = g_ptr_array_new ();
  const MemTraceLifetimeDist *open;
  guint i;

  for (i = 0; dists && i < dists->len; i++)
    g_ptr_array_add (rows, g_ptr_array_index (dists, i));
  view_table_set_rows (p->table, rows);
  open = p->open ? find_dist (dists, p->open_id) : NULL;
  if (open)
    fill_detail (s, open);
  else
    p->open = FALSE;
}

static gboolean
key (ViewScreen * s, gint k)
{
  Lifetimes *p = s->priv;
  const MemTraceLifetimeDist *d;

  if (p->open) {
    if (view_key_is_back (k))
      p->open = FALSE;
    else
      return view_text_key (p->detail, k);
    return TRUE;
  }
  if (k == KEY_RIGHT || k == KEY_LEFT) {
    p->grouping = (p->grouping + (k == KEY_RIGHT ? 1 : N_GROUPINGS - 1))
        % N_GROUPINGS;
    view_table_set_filter (p->table, NULL);
    update (s);
    return TRUE;
  }
  if (view_key_is_enter (k) && (d = view_table_selected (p->table))) {
    p->open = TRUE;
    p->open_id = d->id;
    fill_detail (s, d);
    return TRUE;
  }
  return view_table_key (p->table, k);
}

static const gchar *
keys (ViewScreen * s)
{
  return ((Lifetimes *) s->priv)->open ? "Esc back" :
      "Enter histogram  Left/Right group";
}

static ViewTable *
table (ViewScreen * s)
{
  Lifetimes *p = s->priv;

  return p->open ? NULL : p->table;
}

static void
lifetimes_free (ViewScreen * s)
{
  Lifetimes *p = s->priv;

  view_table_free (p->table);
  view_text_free (p->detail);
  g_free (p);
}

ViewScreen *
view_lifetimes_new (ViewApp * app)
{
  ViewScreen *s = g_new0 (ViewScreen, 1);
  Lifetimes *p = g_new0 (Lifetimes, 1);

  p->table = view_table_new (columns, G_N_ELEMENTS (columns), cell, s, sorts,
      G_N_ELEMENTS (sorts));
  p->detail = view_text_new ();
  s->name = "Lifetimes";
  s->tab = "Lifetimes";
  s->app = app;
  s->priv = p;
  s->draw = draw;
  s->key = key;
  s->keys = keys;
  s->table = table;
  s->update = update;
  s->free = lifetimes_free;
  return s;
}
