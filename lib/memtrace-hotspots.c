/* gst-memtrace: where objects and bytes are allocated.
 *
 * One merge, in id order, of three tables that are all stored in id order:
 * objects, memories (MemTraceMemoryReader) and alive.  No join, no sort:
 * each table is read once, front to back.  Objects are counted per (type,
 * creation stack) and memories also per (type, allocator), both small; then
 * stacks are folded into their sites. */
#include <string.h>
#include "memtrace-hotspots.h"
#include "memtrace-timeline.h"
#include "memtrace-sql.h"
#include "memtrace-index.h"

/* What was made of one type at one stack (or by one allocator). */
typedef struct
{
  guint type;
  gint64 key;                   /* the stack, or the allocator */
  gint64 objects, bytes, allocated, live_at_end, leaked, leaked_bytes;
  gint64 memories, alloc_memories, alloc_bytes, slack, align, prefix,
      padding;
} Acc;

/* Accs by (type, key). */
typedef struct
{
  GArray *accs;                 /* Acc */
  MemTraceIndex index;          /* on type << 40 ^ key */
} AccTable;

typedef struct
{
  MemTraceQuery q;
  MemTraceFrames *frames;
  MemTraceHotspots *result;
  GPtrArray *type_names;
  AccTable by_stack, by_allocator;
} Analysis;

static void
acc_table_init (AccTable * t)
{
  t->accs = g_array_new (FALSE, TRUE, sizeof (Acc));
  memtrace_index_init (&t->index);
}

static void
acc_table_clear (AccTable * t)
{
  if (t->accs)
    g_array_unref (t->accs);
  memtrace_index_clear (&t->index);
}

/* Stack and allocator ids are taken to fit 40 bits, types 24. */
static Acc *
acc_get (AccTable * t, guint type, gint64 key)
{
  guint64 k = ((guint64) type << 40) ^ (guint64) key;
  gboolean added;
  guint index = memtrace_index_get (&t->index, k, t->accs->len, &added);

  if (added) {
    Acc acc = { 0, };

    acc.type = type;
    acc.key = key;
    g_array_append_val (t->accs, acc);
  }
  return &g_array_index (t->accs, Acc, index);
}

static const gchar *
type_name (Analysis * a, guint type)
{
  return memtrace_type_name (a->type_names, type);
}

/* The merge */

typedef struct
{
  sqlite3_stmt *st;
  gboolean more;
  gint64 obj;
  gboolean leaked;
} AliveCursor;

static gboolean
alive_next (AliveCursor * c)
{
  gint rc = sqlite3_step (c->st);

  c->more = rc == SQLITE_ROW;
  if (c->more) {
    gint64 state = sqlite3_column_int64 (c->st, 1);
    gint64 flags = sqlite3_column_int64 (c->st, 2);

    c->obj = sqlite3_column_int64 (c->st, 0);
    c->leaked = (state == 1 || state == 2) && !(flags & 1);
  }
  return c->more || rc == SQLITE_DONE;
}

/* Whether obj leaked: the alive cursor is moved up to it. */
static gboolean
alive_leaked (AliveCursor * c, gint64 obj, gboolean * ok)
{
  while (c->more && c->obj < obj)
    *ok = alive_next (c) && *ok;
  return c->more && c->obj == obj && c->leaked;
}

static void
add_memory (Analysis * a, Acc * acc, guint type, const MemTraceMemoryInfo * m,
    gboolean live, gboolean leaked)
{
  Acc *by_alloc = acc_get (&a->by_allocator, type, m->allocator);
  Acc *both[2] = { acc, by_alloc };
  guint i;

  for (i = 0; i < 2; i++) {
    Acc *x = both[i];

    x->bytes += m->bytes;
    x->allocated += m->allocated_bytes;
    if (leaked)
      x->leaked_bytes += m->bytes;
    if (!m->owns_payload)
      continue;
    x->memories++;
    if (!m->from_alloc)
      continue;
    x->alloc_memories++;
    x->alloc_bytes += m->bytes;
    x->slack += m->slack;
    x->align += m->align;
    x->prefix += m->prefix;
    x->padding += m->padding;
  }
  by_alloc->objects++;
  by_alloc->live_at_end += live;
  by_alloc->leaked += leaked;
}

/* Columns of the object scan. */
enum
{
  COL_ID, COL_TYPE, COL_STACK, COL_LIVE, COL_TS
};

static void
add_object (Analysis * a, const gint64 * row, MemTraceMemoryReader * mr,
    AliveCursor * alive, gboolean * ok)
{
  gint64 id = row[COL_ID], type = row[COL_TYPE];
  gboolean live = row[COL_LIVE] == 1;
  gboolean leaked = live && alive_leaked (alive, id, ok);
  MemTraceMemoryInfo m;
  Acc *acc;

  /* Outside the window its memory is still read past: the reader would
   * otherwise keep every memory skipped. */
  if (row[COL_TS] < a->result->from_ts || row[COL_TS] >= a->result->to_ts) {
    memtrace_memory_reader_find (mr, id, &m);
    return;
  }
  if (type < 0 || type >= a->type_names->len)
    type = 0;
  acc = acc_get (&a->by_stack, type, MAX (row[COL_STACK], 0));
  acc->objects++;
  acc->live_at_end += live;
  acc->leaked += leaked;
  if (memtrace_memory_reader_find (mr, id, &m))
    add_memory (a, acc, type, &m, live, leaked);
}

static gboolean
scan (Analysis * a)
{
  MemTraceRowReader *rows = memtrace_row_reader_new (a->q.trace,
      "SELECT id, type, stack, destroyed IS NULL, ts FROM objects "
      "ORDER BY id", NULL, 0, a->q.error);
  MemTraceMemoryReader *mr = NULL;
  AliveCursor alive = { NULL, };
  const gint64 *row;
  gboolean ok = FALSE;

  if (rows)
    mr = memtrace_memory_reader_new (a->q.trace,
        MEMTRACE_MEMORY_READ_DETAILS, a->q.error);
  if (mr)
    alive.st = memtrace_query_prepare (&a->q, "SELECT obj, state, flags "
        "FROM alive ORDER BY obj");
  if (alive.st) {
    ok = alive_next (&alive);
    while (ok && (row = memtrace_row_reader_next (rows)))
      add_object (a, row, mr, &alive, &ok);
    if (!ok)
      memtrace_query_failed (&a->q);
    else
      ok = !memtrace_row_reader_failed (rows, a->q.error)
          && !memtrace_memory_reader_failed (mr, a->q.error);
  }
  sqlite3_finalize (alive.st);
  memtrace_memory_reader_free (mr);
  memtrace_row_reader_free (rows);
  return ok;
}

/* Folding stacks into sites */

static void
hotspot_clear (gpointer p)
{
  MemTraceHotspot *h = p;

  g_free (h->site_name);
  g_array_unref (h->types);
}

/* The sort: by bytes then objects, or the other way round. */
static gint
order (MemTraceHotspotSort sort, gint64 objects_a, gint64 bytes_a,
    gint64 objects_b, gint64 bytes_b)
{
  gint64 first_a = sort == MEMTRACE_HOTSPOT_BY_COUNT ? objects_a : bytes_a;
  gint64 first_b = sort == MEMTRACE_HOTSPOT_BY_COUNT ? objects_b : bytes_b;
  gint64 second_a = sort == MEMTRACE_HOTSPOT_BY_COUNT ? bytes_a : objects_a;
  gint64 second_b = sort == MEMTRACE_HOTSPOT_BY_COUNT ? bytes_b : objects_b;

  if (first_a != first_b)
    return first_a > first_b ? -1 : 1;
  if (second_a != second_b)
    return second_a > second_b ? -1 : 1;
  return 0;
}

static gint
tally_cmp (gconstpointer x, gconstpointer y, gpointer sort)
{
  const MemTraceTally *a = x, *b = y;
  gint c = order (GPOINTER_TO_INT (sort), a->objects, a->bytes, b->objects,
      b->bytes);

  return c ? c : g_strcmp0 (a->type, b->type);
}

static gint
hotspot_cmp (gconstpointer x, gconstpointer y, gpointer sort)
{
  const MemTraceHotspot *a = x, *b = y;
  gint c = order (GPOINTER_TO_INT (sort), a->objects, a->bytes, b->objects,
      b->bytes);

  if (c)
    return c;
  return a->site < b->site ? -1 : a->site > b->site;
}

typedef struct
{
  MemTraceHotspot h;
  GHashTable *stacks;           /* stack -> Acc totals of that stack */
} Fold;

static void
fold_add (Analysis * a, Fold * f, const Acc * acc)
{
  MemTraceHotspot *h = &f->h;
  MemTraceTally *tally = NULL;
  guint i;

  h->objects += acc->objects;
  h->bytes += acc->bytes;
  h->allocated_bytes += acc->allocated;
  h->live_at_end += acc->live_at_end;
  h->leaked += acc->leaked;
  h->leaked_bytes += acc->leaked_bytes;
  h->memories += acc->memories;
  h->alloc_memories += acc->alloc_memories;
  h->alloc_bytes += acc->alloc_bytes;
  h->alloc_slack += acc->slack;
  h->alloc_align += acc->align;
  h->alloc_prefix += acc->prefix;
  h->alloc_padding += acc->padding;
  for (i = 0; i < h->types->len && !tally; i++)
    if (!strcmp (g_array_index (h->types, MemTraceTally, i).type,
            type_name (a, acc->type)))
      tally = &g_array_index (h->types, MemTraceTally, i);
  if (!tally) {
    MemTraceTally t = { g_strdup (type_name (a, acc->type)), 0, 0, 0 };

    g_array_append_val (h->types, t);
    tally = &g_array_index (h->types, MemTraceTally, h->types->len - 1);
  }
  tally->objects += acc->objects;
  tally->bytes += acc->bytes;
  tally->allocated_bytes += acc->allocated;
}

/* Per stack of a site: its objects and bytes, for the biggest one. */
static void
fold_stack (Fold * f, const Acc * acc)
{
  gint64 *totals = g_hash_table_lookup (f->stacks, &acc->key);

  if (!totals) {
    totals = g_new0 (gint64, 3);
    totals[0] = acc->key;
    g_hash_table_insert (f->stacks, totals, totals);
  }
  totals[1] += acc->objects;
  totals[2] += acc->bytes;
}

static void
fold_finish (Fold * f, MemTraceHotspotSort sort)
{
  GHashTableIter it;
  gpointer value;
  gint64 best_objects = -1, best_bytes = -1;

  g_hash_table_iter_init (&it, f->stacks);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    gint64 *t = value;
    gint c = best_objects < 0 ? -1 :
        order (sort, t[1], t[2], best_objects, best_bytes);

    if (c < 0 || (c == 0 && t[0] < f->h.stack_id)) {
      best_objects = t[1];
      best_bytes = t[2];
      f->h.stack_id = t[0];
    }
  }
  f->h.n_stacks = g_hash_table_size (f->stacks);
  g_hash_table_unref (f->stacks);
  g_array_sort_with_data (f->h.types, tally_cmp, GINT_TO_POINTER (sort));
}

static Fold *
fold_new (guint64 site, gchar * name)
{
  Fold *f = g_new0 (Fold, 1);

  f->h.site = site;
  f->h.site_name = name;
  f->h.types = memtrace_tallies_new ();
  f->stacks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
  return f;
}

static Fold *
site_fold (Analysis * a, GHashTable * folds, gint64 stack)
{
  const MemTraceFrame *frame = memtrace_frames_site (a->frames, stack);
  guint64 site = frame ? frame->address : 0;
  Fold *f = g_hash_table_lookup (folds, GSIZE_TO_POINTER (site));

  if (!f) {
    f = fold_new (site, memtrace_frame_describe_site (frame));
    g_hash_table_insert (folds, GSIZE_TO_POINTER (site), f);
  }
  return f;
}

static gchar *
allocator_name (Analysis * a, gint64 allocator)
{
  sqlite3_stmt *st = memtrace_query_prepare (&a->q, "SELECT name FROM names "
      "WHERE obj = ?");
  gchar *name = NULL;

  if (st) {
    sqlite3_bind_int64 (st, 1, allocator);
    if (sqlite3_step (st) == SQLITE_ROW)
      name = memtrace_sql_column_text (st, 0);
    sqlite3_finalize (st);
  }
  if (name)
    return name;
  if (!allocator)
    return g_strdup ("(unknown allocator)");
  return g_strdup_printf ("allocator %" G_GINT64_FORMAT, allocator);
}

static Fold *
allocator_fold (Analysis * a, GHashTable * folds, gint64 allocator)
{
  Fold *f = g_hash_table_lookup (folds, GSIZE_TO_POINTER (allocator));

  if (!f) {
    f = fold_new (allocator, allocator_name (a, allocator));
    g_hash_table_insert (folds, GSIZE_TO_POINTER (allocator), f);
  }
  return f;
}

/* Accs grouped into hotspots, sorted into out. */
static void
fold (Analysis * a, AccTable * t, gboolean by_site, GArray * out)
{
  GHashTable *folds = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  MemTraceHotspotSort sort = a->result->sort;
  GHashTableIter it;
  gpointer value;
  guint i;

  for (i = 0; i < t->accs->len; i++) {
    Acc *acc = &g_array_index (t->accs, Acc, i);
    Fold *f = by_site ? site_fold (a, folds, acc->key) :
        allocator_fold (a, folds, acc->key);

    fold_add (a, f, acc);
    if (by_site)
      fold_stack (f, acc);
  }
  g_hash_table_iter_init (&it, folds);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    Fold *f = value;

    fold_finish (f, sort);
    if (!by_site)
      f->h.n_stacks = 0;
    g_array_append_val (out, f->h);
  }
  g_hash_table_unref (folds);
  g_array_sort_with_data (out, hotspot_cmp, GINT_TO_POINTER (sort));
}

static void
totals (MemTraceHotspots * r)
{
  guint i;

  for (i = 0; i < r->sites->len; i++) {
    MemTraceHotspot *h = &g_array_index (r->sites, MemTraceHotspot, i);

    r->objects += h->objects;
    r->bytes += h->bytes;
    r->allocated_bytes += h->allocated_bytes;
    r->leaked += h->leaked;
  }
}

static MemTraceHotspots *
result_new (const MemTraceHotspotOptions * o)
{
  MemTraceHotspots *r = g_new0 (MemTraceHotspots, 1);

  r->sort = o ? o->sort : MEMTRACE_HOTSPOT_BY_BYTES;
  r->sites = g_array_new (FALSE, TRUE, sizeof (MemTraceHotspot));
  g_array_set_clear_func (r->sites, hotspot_clear);
  r->allocators = g_array_new (FALSE, TRUE, sizeof (MemTraceHotspot));
  g_array_set_clear_func (r->allocators, hotspot_clear);
  return r;
}

MemTraceHotspots *
memtrace_hotspots_analyse (MemTraceTrace * t, MemTraceFrames * frames,
    const MemTraceHotspotOptions * options, GError ** error)
{
  Analysis a = { {NULL,}, frames, NULL };
  MemTraceFrames *own_frames = NULL;
  gboolean ok;

  if (!memtrace_trace_check_finished (t, error))
    return NULL;
  memtrace_query_init (&a.q, t, "allocation sites", error);
  if (!frames)
    a.frames = own_frames = memtrace_frames_new (a.q.db);
  a.result = result_new (options);
  acc_table_init (&a.by_stack);
  acc_table_init (&a.by_allocator);
  a.type_names = memtrace_query_type_names (&a.q);
  ok = a.type_names && memtrace_query_window (&a.q, options ?
      &options->window : NULL, &a.result->from_ts, &a.result->to_ts)
      && scan (&a);
  if (ok) {
    fold (&a, &a.by_stack, TRUE, a.result->sites);
    fold (&a, &a.by_allocator, FALSE, a.result->allocators);
    totals (a.result);
    a.result->n_sites_total = a.result->sites->len;
    if (options && options->n_sites && a.result->sites->len > options->n_sites)
      g_array_set_size (a.result->sites, options->n_sites);
  }
  acc_table_clear (&a.by_stack);
  acc_table_clear (&a.by_allocator);
  if (a.type_names)
    g_ptr_array_unref (a.type_names);
  memtrace_frames_free (own_frames);
  if (!ok) {
    memtrace_hotspots_free (a.result);
    return NULL;
  }
  return a.result;
}

void
memtrace_hotspots_free (MemTraceHotspots * r)
{
  if (!r)
    return;
  g_array_unref (r->sites);
  g_array_unref (r->allocators);
  g_free (r);
}

/* One grouped pass over objects (by the objects_stack index) with their
 * memories: as much streaming as a GROUP BY gets. */
GArray *
memtrace_stack_totals (MemTraceTrace * t, gint64 at_ts, GError ** error)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (MemTraceStackTotal));
  MemTraceQuery q;
  sqlite3_stmt *st;
  gint rc;

  memtrace_query_init (&q, t, "stack totals", error);
  st = memtrace_query_prepare (&q, "SELECT coalesce (o.stack, 0), count(*), "
      "total (CASE WHEN m.parent IS NULL THEN m.size ELSE 0 END), "
      "total (m.allocated) FROM objects o LEFT JOIN memories m "
      "ON m.obj = o.id WHERE ?1 < 0 OR (o.ts <= ?1 AND (o.destroyed IS NULL "
      "OR o.destroyed > ?1)) GROUP BY o.stack");
  if (!st) {
    g_array_unref (out);
    return NULL;
  }
  sqlite3_bind_int64 (st, 1, at_ts);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    MemTraceStackTotal s = { sqlite3_column_int64 (st, 0),
      sqlite3_column_int64 (st, 1), sqlite3_column_int64 (st, 2),
      sqlite3_column_int64 (st, 3)
    };

    g_array_append_val (out, s);
  }
  if (!memtrace_query_finish (&q, st, rc)) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}
