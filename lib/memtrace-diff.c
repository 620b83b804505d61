/* gst-memtrace: what changed between two traces. */
#include <string.h>
#include "memtrace-diff.h"

/* A site by name: function and source line, or the module's file name. */
static gchar *
site_key (MemTraceReport * r, const MemTraceLeakGroup * g)
{
  const MemTraceFrame *f = memtrace_frames_site (r->frames,
      memtrace_leak_group_site_stack (g));
  const gchar *mod;

  if (!f)
    return g_strdup_printf ("%s at ?", g->type);
  if (f->function && f->file)
    return g_strdup_printf ("%s at %s (%s:%u)", g->type, f->function, f->file,
        f->line);
  if (f->function)
    return g_strdup_printf ("%s at %s", g->type, f->function);
  mod = f->module ? strrchr (f->module, '/') : NULL;
  return g_strdup_printf ("%s in %s", g->type, mod ? mod + 1 : "?");
}

typedef struct
{
  gint64 objects, bytes;
  const MemTraceLeakGroup *group;
} SiteSum;

static GHashTable *
sum_sites (MemTraceReport * r)
{
  GHashTable *sites = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  guint i;

  for (i = 0; i < r->leaks->groups->len; i++) {
    const MemTraceLeakGroup *g = g_ptr_array_index (r->leaks->groups, i);
    gchar *key;
    SiteSum *s;

    if (g->suppressed_by)
      continue;
    key = site_key (r, g);
    if (!(s = g_hash_table_lookup (sites, key))) {
      s = g_new0 (SiteSum, 1);
      s->group = g;
      g_hash_table_insert (sites, g_strdup (key), s);
    }
    s->objects += g->objects;
    s->bytes += g->bytes;
    g_free (key);
  }
  return sites;
}

static MemTraceDiffKind
classify (const SiteSum * base, const SiteSum * now)
{
  if (!base)
    return MEMTRACE_DIFF_NEW;
  if (!now)
    return MEMTRACE_DIFF_GONE;
  if (now->objects > base->objects || now->bytes > base->bytes)
    return MEMTRACE_DIFF_GROWN;
  if (now->objects < base->objects || now->bytes < base->bytes)
    return MEMTRACE_DIFF_SHRUNK;
  return MEMTRACE_DIFF_SAME;
}

static void
add_site (MemTraceDiff * d, const gchar * key, const SiteSum * base,
    const SiteSum * now)
{
  MemTraceDiffSite s = { g_strdup (key), classify (base, now), 0, };

  s.base_objects = base ? base->objects : 0;
  s.base_bytes = base ? base->bytes : 0;
  s.objects = now ? now->objects : 0;
  s.bytes = now ? now->bytes : 0;
  s.group = now ? now->group : base->group;
  d->n_new += s.kind == MEMTRACE_DIFF_NEW;
  d->n_grown += s.kind == MEMTRACE_DIFF_GROWN;
  d->n_gone += s.kind == MEMTRACE_DIFF_GONE;
  g_array_append_val (d->sites, s);
}

static gint
site_cmp (gconstpointer x, gconstpointer y)
{
  const MemTraceDiffSite *a = x, *b = y;
  gint64 da = a->bytes - a->base_bytes, db = b->bytes - b->base_bytes;

  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  if (da != db)
    return da < db ? 1 : -1;
  return strcmp (a->key, b->key);
}

static void
site_clear (gpointer p)
{
  g_free (((MemTraceDiffSite *) p)->key);
}

MemTraceDiff *
memtrace_diff_reports (MemTraceReport * base, MemTraceReport * report)
{
  MemTraceDiff *d = g_new0 (MemTraceDiff, 1);
  GHashTable *before = sum_sites (base), *after = sum_sites (report);
  GHashTableIter iter;
  const gchar *key;
  SiteSum *s;

  d->sites = g_array_new (FALSE, TRUE, sizeof (MemTraceDiffSite));
  g_array_set_clear_func (d->sites, site_clear);
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, (gpointer *) & key, (gpointer *) & s))
    add_site (d, key, g_hash_table_lookup (before, key), s);
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, (gpointer *) & key, (gpointer *) & s))
    if (!g_hash_table_contains (after, key))
      add_site (d, key, s, NULL);
  g_array_sort (d->sites, site_cmp);
  d->base_leaked_bytes = base->leaks->leaked_bytes;
  d->leaked_bytes = report->leaks->leaked_bytes;
  d->base_peak_bytes = base->peak_bytes;
  d->peak_bytes = report->peak_bytes;
  g_hash_table_unref (before);
  g_hash_table_unref (after);
  return d;
}

void
memtrace_diff_free (MemTraceDiff * d)
{
  if (!d)
    return;
  g_array_unref (d->sites);
  g_free (d);
}

const gchar *
memtrace_diff_kind_name (MemTraceDiffKind kind)
{
  static const gchar *const names[] = { "new", "grown", "shrunk", "same",
    "gone"
  };

  return kind <= MEMTRACE_DIFF_GONE ? names[kind] : "?";
}
