/* gst-memtrace view: the Lifetimes screen: how long objects live, by type,
 * pool (acquire to release) or site, and one distribution as a histogram. */
#include "view-screen.h"

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

static const ViewColumn columns[] = {
  {"Name", 0, FALSE},
  {"Count", 9, TRUE},
  {"p50", 9, TRUE},
  {"p90", 9, TRUE},
  {"p99", 9, TRUE},
  {"Max", 9, TRUE},
  {"Alive", 7, TRUE},
};

VIEW_SORT_BIGGEST_FIRST (by_count, MemTraceLifetimeDist, count)
VIEW_SORT_BIGGEST_FIRST (by_p50_ns, MemTraceLifetimeDist, p50_ns)
VIEW_SORT_BIGGEST_FIRST (by_p99_ns, MemTraceLifetimeDist, p99_ns)
VIEW_SORT_BIGGEST_FIRST (by_max_ns, MemTraceLifetimeDist, max_ns)

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
fill_detail (ViewScreen * s, ViewText * t, gconstpointer row)
{
  const MemTraceLifetimeDist *d = row;
  Grouping grouping = view_list_grouping (s);
  gchar *mean = view_duration (d->count ? d->total_ns / d->count : 0);
  gchar *min = view_duration (d->min_ns), *max = view_duration (d->max_ns);

  view_text_add (t, VIEW_ATTR_TITLE, 0, "%s (by %s)", d->name,
      grouping_names[grouping]);
  view_text_add (t, VIEW_ATTR_NORMAL, 0, "%" G_GINT64_FORMAT
      " lifetimes, mean %s, min %s, max %s; %" G_GINT64_FORMAT " never %s",
      d->count, mean, min, max, d->alive_at_end,
      grouping == BY_POOL ? "released" : "destroyed");
  view_text_blank (t);
  view_text_add (t, VIEW_ATTR_TITLE, 0, "Histogram (lifetime, count):");
  add_histogram (t, d);
  if (grouping == BY_SITE) {
    view_text_blank (t);
    view_text_add (t, VIEW_ATTR_TITLE, 0, "Main stack:");
    view_app_add_stack (s->app, t, d->stack_id, "  ");
  }
  g_free (max);
  g_free (min);
  g_free (mean);
}

static void
draw_summary (ViewScreen * s, const MemTraceLifetimes * l, gint y, gint x,
    gint w)
{
  gchar *p50 = view_duration (l->all.p50_ns), *p99 =
      view_duration (l->all.p99_ns), *tmp = view_duration (l->temporary_ns);

  view_putf (y, x, w, VIEW_ATTR_TITLE, "By %s  (Left/Right: by type, pool "
      "or site)", grouping_names[view_list_grouping (s)]);
  view_putf (y + 1, x, w, VIEW_ATTR_NORMAL, "%" G_GINT64_FORMAT " lifetimes: "
      "p50 %s, p99 %s; %" G_GINT64_FORMAT " temporaries (under %s)",
      l->all.count, p50, p99, l->n_temporaries, tmp);
  g_free (tmp);
  g_free (p99);
  g_free (p50);
}

static void
draw_list (ViewScreen * s, gconstpointer results, gint y, gint x, gint h,
    gint w)
{
  draw_summary (s, results, y + 1, x + 1, w - 2);
  view_app_window_note (s->app, VIEW_LIFETIMES, y + 3, x + 1, w - 2);
  view_table_draw (view_list_table (s), y + 4, x, h - 4, w);
}

static void
rows (ViewScreen * s, gconstpointer results, GPtrArray * rows)
{
  GPtrArray *dists = dists_of (results, view_list_grouping (s));
  guint i;

  for (i = 0; dists && i < dists->len; i++)
    g_ptr_array_add (rows, g_ptr_array_index (dists, i));
}

static gchar *
row_key (gconstpointer row)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT,
      ((const MemTraceLifetimeDist *) row)->id);
}

static const ViewListClass lifetimes = {
  .name = "Lifetimes",
  .tab = "Lifetimes",
  .result = VIEW_LIFETIMES,
  VIEW_LIST_TABLE (columns, cell, sorts),
  .n_groupings = N_GROUPINGS,
  .list_keys = "Enter histogram  Left/Right group",
  .detail_keys = "Esc back",
  .rows = rows,
  .draw_list = draw_list,
  .fill = fill_detail,
  .row_key = row_key,
};

ViewScreen *
view_lifetimes_new (ViewApp * app)
{
  return view_list_screen_new (app, &lifetimes, NULL);
}
