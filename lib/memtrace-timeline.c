/* gst-memtrace: live memory over time, its peak and what made it.
 *
 * It streams: one pass over the objects in creation order (the objects_ts
 * index), with each object's memories row read in step with it
 * (MemTraceMemoryReader).  Destructions are not a second SQL stream: each
 * object that will die is put, when it is created, in a min-heap ordered by
 * its objects.destroyed, and taken out when the creations pass that time.
 * So the heap holds only what is live, and merging the two streams costs
 * no second scan, sort or index.  Everything else is fixed-size: per type
 * and per (type, creation stack) counters and one row per bin. */
#include <string.h>
#include "memtrace-timeline.h"
#include "memtrace-format.h"
#include "memtrace-sql.h"
#include "memtrace-index.h"
#include "memtrace-error.h"

#define DEFAULT_BINS 200
#define DEFAULT_TYPES 8
#define DEFAULT_PEAK_GROUPS 20

/* Scan connections */

sqlite3 *
memtrace_scan_db_open (MemTraceTrace * t)
{
  const gchar *path = memtrace_trace_path (t);
  sqlite3 *db = NULL;

  /* Whatever the path names must be the finished trace itself (not, say,
   * an empty in-memory database). */
  if (!path || !*path || sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY
          | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK
      || sqlite3_exec (db, "SELECT id FROM objects LIMIT 0", NULL, NULL,
          NULL) != SQLITE_OK) {
    sqlite3_close (db);
    return NULL;
  }
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* The row reader
 *
 * A thread of its own steps the statement (on its own connection) and
 * copies the rows into chunks of integers while the caller works on the
 * previous ones: SQLite's work and the analysis' run on two cores.  A few
 * chunks go round between the two, which bounds memory. */

#define CHUNK_ROWS 2048
#define N_CHUNKS 4

typedef struct
{
  guint n;                      /* rows; 0: the end */
  gint64 values[];              /* CHUNK_ROWS x n_columns */
} Chunk;

struct _MemTraceRowReader
{
  sqlite3 *db, *own_db;
  sqlite3_stmt *st;
  guint n_columns;
  gboolean done, failed;
  gboolean stepped_out;         /* the statement gave its last row */
  gchar *message;               /* of a failure */

  GThread *thread;              /* NULL: rows are read in next() */
  GAsyncQueue *full, *empty;    /* Chunk * */
  gint stop;                    /* atomic: the reader is being freed */
  Chunk *chunk;                 /* being consumed */
  guint pos;
};

/* Fills c; FALSE at the end of the rows or on an error. */
static gboolean
fill_chunk (MemTraceRowReader * r, Chunk * c)
{
  guint i, n = r->n_columns;
  gint rc = SQLITE_ROW;

  for (c->n = 0; c->n < CHUNK_ROWS; c->n++) {
    gint64 *row = c->values + (gsize) c->n * n;

    if ((rc = sqlite3_step (r->st)) != SQLITE_ROW)
      break;
    for (i = 0; i < n; i++)
      row[i] = sqlite3_column_int64 (r->st, i);
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE && !r->failed) {
    r->failed = TRUE;
    r->message = g_strdup (sqlite3_errmsg (r->db));
  }
  return rc == SQLITE_ROW;
}

static gpointer
produce (gpointer data)
{
  MemTraceRowReader *r = data;
  gboolean more = TRUE;
  Chunk *c;

  while (more && !g_atomic_int_get (&r->stop)) {
    c = g_async_queue_pop (r->empty);
    more = fill_chunk (r, c);
    g_async_queue_push (r->full, c);
  }
  /* The consumer sees the end as an empty chunk. */
  c = g_async_queue_pop (r->empty);
  c->n = 0;
  g_async_queue_push (r->full, c);
  return NULL;
}

static Chunk *
chunk_new (MemTraceRowReader * r)
{
  return g_malloc (sizeof (Chunk) + sizeof (gint64) * CHUNK_ROWS
      * r->n_columns);
}

static gboolean
prepare_rows (MemTraceRowReader * r, sqlite3 * db, const gchar * sql,
    const gint64 * params, guint n_params)
{
  guint i;

  r->db = db;
  if (sqlite3_prepare_v2 (db, sql, -1, &r->st, NULL) != SQLITE_OK)
    return FALSE;
  for (i = 0; i < n_params; i++)
    sqlite3_bind_int64 (r->st, i + 1, params[i]);
  r->n_columns = sqlite3_column_count (r->st);
  return TRUE;
}

/* Only a connection of its own may go to another thread. */
static void
start_thread (MemTraceRowReader * r)
{
  guint i;

  r->full = g_async_queue_new_full (g_free);
  r->empty = g_async_queue_new_full (g_free);
  for (i = 0; i < N_CHUNKS; i++)
    g_async_queue_push (r->empty, chunk_new (r));
  r->thread = g_thread_try_new ("memtrace-rows", produce, r, NULL);
  if (!r->thread) {
    g_async_queue_unref (r->full);
    g_async_queue_unref (r->empty);
  }
}

MemTraceRowReader *
memtrace_row_reader_new (MemTraceTrace * t, const gchar * sql,
    const gint64 * params, guint n_params, GError ** error)
{
  MemTraceRowReader *r = g_new0 (MemTraceRowReader, 1);

  r->own_db = memtrace_scan_db_open (t);
  if (r->own_db && prepare_rows (r, r->own_db, sql, params, n_params))
    start_thread (r);
  if (!r->thread) {
    /* Read in the caller's thread, on the trace's connection. */
    sqlite3_finalize (r->st);
    r->st = NULL;
    sqlite3_close (r->own_db);
    r->own_db = NULL;
    if (!prepare_rows (r, memtrace_trace_db (t), sql, params, n_params)) {
      g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_CORRUPT,
          "%s: cannot read the trace: %s", memtrace_trace_path (t),
          sqlite3_errmsg (r->db));
      memtrace_row_reader_free (r);
      return NULL;
    }
    r->chunk = chunk_new (r);
    r->chunk->n = 0;
  }
  return r;
}

static const gint64 *
next_in_thread (MemTraceRowReader * r)
{
  if (r->chunk && r->pos == r->chunk->n) {
    g_async_queue_push (r->empty, r->chunk);
    r->chunk = NULL;
  }
  if (!r->chunk) {
    r->chunk = g_async_queue_pop (r->full);
    r->pos = 0;
    if (r->chunk->n == 0) {
      g_async_queue_push (r->empty, r->chunk);
      r->chunk = NULL;
      r->done = TRUE;
      return NULL;
    }
  }
  return r->chunk->values + (gsize) r->pos++ * r->n_columns;
}

const gint64 *
memtrace_row_reader_next (MemTraceRowReader * r)
{
  if (r->done)
    return NULL;
  if (r->thread)
    return next_in_thread (r);
  if (r->pos == r->chunk->n) {
    /* After the last row, sqlite3_step() would start over. */
    if (r->stepped_out) {
      r->done = TRUE;
      return NULL;
    }
    r->stepped_out = !fill_chunk (r, r->chunk);
    r->pos = 0;
    if (r->chunk->n == 0) {
      r->done = TRUE;
      return NULL;
    }
  }
  return r->chunk->values + (gsize) r->pos++ * r->n_columns;
}

gboolean
memtrace_row_reader_failed (MemTraceRowReader * r, GError ** error)
{
  if (!r->failed)
    return FALSE;
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_CORRUPT,
      "cannot read the trace: %s", r->message);
  return TRUE;
}

static void
stop_thread (MemTraceRowReader * r)
{
  Chunk *c;

  g_atomic_int_set (&r->stop, 1);
  if (r->chunk)
    g_async_queue_push (r->empty, r->chunk);
  r->chunk = NULL;
  /* Give back what comes until the producer, seeing the stop, ends. */
  while (!r->done) {
    c = g_async_queue_pop (r->full);
    r->done = c->n == 0;
    g_async_queue_push (r->empty, c);
  }
  g_thread_join (r->thread);
}

void
memtrace_row_reader_free (MemTraceRowReader * r)
{
  if (!r)
    return;
  if (r->thread) {
    stop_thread (r);
    g_async_queue_unref (r->full);
    g_async_queue_unref (r->empty);
  }
  g_free (r->chunk);
  sqlite3_finalize (r->st);
  sqlite3_close (r->own_db);
  g_free (r->message);
  g_free (r);
}

/* The memory reader */

typedef struct
{
  gint64 obj;
  MemTraceMemoryInfo info;
} PendingRow;

struct _MemTraceMemoryReader
{
  MemTraceRowReader *rows;
  MemTraceMemoryRead what;
  PendingRow next;              /* read, not yet asked for (obj 0: none) */
  gboolean done;
  /* Rows read past, for objects that come later in the object stream:
   * open addressing on obj (0 = free), linear probing, deletion by
   * backward shift so that no tombstones pile up. */
  PendingRow *pending;
  guint capacity, n_pending;
};

static const gchar *const memory_sql[] = {
  [MEMTRACE_MEMORY_READ_SIZES] = "SELECT obj, parent IS NULL, size, maxsize, "
      "align, allocated FROM memories ORDER BY obj",
  [MEMTRACE_MEMORY_READ_DETAILS] = "SELECT obj, parent IS NULL, size, "
      "maxsize, align, allocated, allocator, from_alloc, prefix, padding "
      "FROM memories ORDER BY obj",
};

MemTraceMemoryReader *
memtrace_memory_reader_new (MemTraceTrace * t, MemTraceMemoryRead what,
    GError ** error)
{
  MemTraceMemoryReader *r = g_new0 (MemTraceMemoryReader, 1);

  r->rows = memtrace_row_reader_new (t, memory_sql[what], NULL, 0, error);
  if (!r->rows) {
    g_free (r);
    return NULL;
  }
  r->what = what;
  r->capacity = 1024;
  r->pending = g_new0 (PendingRow, r->capacity);
  return r;
}

void
memtrace_memory_reader_free (MemTraceMemoryReader * r)
{
  if (!r)
    return;
  memtrace_row_reader_free (r->rows);
  g_free (r->pending);
  g_free (r);
}

gboolean
memtrace_memory_reader_failed (MemTraceMemoryReader * r, GError ** error)
{
  return memtrace_row_reader_failed (r->rows, error);
}

static void
to_info (MemTraceMemoryReader * r, const gint64 * row, MemTraceMemoryInfo * m)
{
  gint64 size = row[2], maxsize = row[3], align = row[4];

  m->owns_payload = row[1] == 1;
  m->bytes = m->owns_payload ? size : 0;
  m->allocated_bytes = row[5];
  m->maxsize = maxsize;
  if (r->what != MEMTRACE_MEMORY_READ_DETAILS)
    return;
  m->allocator = row[6];
  m->from_alloc = row[7] == 1;
  m->slack = maxsize - size;
  m->align = align;
  m->prefix = row[8];
  m->padding = row[9];
}

/* Reads the next row into r->next; FALSE at the end. */
static gboolean
read_next (MemTraceMemoryReader * r)
{
  const gint64 *row;

  if (r->done)
    return FALSE;
  row = memtrace_row_reader_next (r->rows);
  if (!row) {
    r->done = TRUE;
    return FALSE;
  }
  r->next.obj = row[0];
  to_info (r, row, &r->next.info);
  return TRUE;
}

static inline guint
slot_of (MemTraceMemoryReader * r, gint64 obj)
{
  return (guint) (((guint64) obj * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15))
      >> 40) & (r->capacity - 1);
}

static void pending_put (MemTraceMemoryReader * r, const PendingRow * row);

static void
pending_grow (MemTraceMemoryReader * r)
{
  PendingRow *old = r->pending;
  guint i, old_capacity = r->capacity;

  r->capacity *= 2;
  r->pending = g_new0 (PendingRow, r->capacity);
  r->n_pending = 0;
  for (i = 0; i < old_capacity; i++)
    if (old[i].obj)
      pending_put (r, &old[i]);
  g_free (old);
}

static void
pending_put (MemTraceMemoryReader * r, const PendingRow * row)
{
  guint i;

  if (2 * (r->n_pending + 1) > r->capacity)
    pending_grow (r);
  for (i = slot_of (r, row->obj); r->pending[i].obj;
      i = (i + 1) & (r->capacity - 1))
    if (r->pending[i].obj == row->obj)
      break;
  if (!r->pending[i].obj)
    r->n_pending++;
  r->pending[i] = *row;
}

static gboolean
pending_take (MemTraceMemoryReader * r, gint64 obj, MemTraceMemoryInfo * info)
{
  guint mask = r->capacity - 1, i, j, home;

  for (i = slot_of (r, obj); r->pending[i].obj != obj; i = (i + 1) & mask)
    if (!r->pending[i].obj)
      return FALSE;
  *info = r->pending[i].info;
  /* Backward shift: pull later rows of the cluster into the hole when
   * their home slot allows it. */
  for (j = (i + 1) & mask; r->pending[j].obj; j = (j + 1) & mask) {
    home = slot_of (r, r->pending[j].obj);
    if (((j - home) & mask) >= ((j - i) & mask)) {
      r->pending[i] = r->pending[j];
      i = j;
    }
  }
  r->pending[i].obj = 0;
  r->n_pending--;
  return TRUE;
}

gboolean
memtrace_memory_reader_find (MemTraceMemoryReader * r, gint64 obj,
    MemTraceMemoryInfo * info)
{
  for (;;) {
    if (!r->next.obj && !read_next (r))
      break;
    if (r->next.obj > obj)
      break;
    if (r->next.obj == obj) {
      *info = r->next.info;
      r->next.obj = 0;
      return TRUE;
    }
    /* Its object comes later in the stream. */
    pending_put (r, &r->next);
    r->next.obj = 0;
  }
  return r->n_pending && pending_take (r, obj, info);
}

/* The timeline */

/* An object that will be destroyed, in the heap of what is live. */
typedef struct
{
  gint64 destroyed;
  guint group;
  gboolean is_memory;           /* owns payload: counts in the heap span */
  gint64 bytes, allocated;
  guint64 address, end;
} Live;

/* What is live of one type from one creation stack. */
typedef struct
{
  gint type;
  gint64 stack;
  gint64 objects, bytes, allocated;
  gint64 peak_objects, peak_bytes, peak_allocated;  /* at the peak */
} Group;

/* Indexes changed since they were last copied, each listed once. */
typedef struct
{
  GArray *list;                 /* guint */
  guint8 *flags;
  guint size;
} Dirty;

typedef struct
{
  MemTraceQuery q;
  MemTraceFrames *frames;
  MemTraceTimeline *tl;

  guint n_bins, n_types, n_peak_groups;
  GPtrArray *type_names;        /* types.id -> name (NULL if none) */
  guint n_type_ids;             /* type ids are < this; 0 is "unknown" */

  /* Live now */
  gint64 bytes, allocated, objects;
  gint64 *type_bytes, *type_objects;
  GArray *heap;                 /* Live, a min-heap on destroyed */
  GArray *groups;               /* Group */
  MemTraceIndex group_index;    /* on type << 32 | stack */
  /* Memories never destroyed: they only widen the heap span. */
  guint64 kept_min, kept_max;
  gint64 n_memories;
  guint64 heap_min, heap_max;
  gboolean span_dirty;          /* an end of the span was freed */

  /* In the window */
  gboolean in_window;
  gint bin;                     /* the current bin, -1 before */
  MemTraceTimelineBin *cur;
  /* Time is still at the bin's start: events there set its values rather
   * than raise them (it began with what was live just before). */
  gboolean at_start;
  gint64 *bin_type_bytes, *bin_type_objects;    /* n_bins x n_type_ids */
  gint64 *type_peak_bytes, *type_peak_objects;
  Dirty dirty_bytes, dirty_objects, dirty_groups;
} Timeline;

static gboolean
load_types (Timeline * a)
{
  a->type_names = memtrace_query_type_names (&a->q);
  if (!a->type_names)
    return FALSE;
  a->n_type_ids = a->type_names->len;
  return TRUE;
}

static const gchar *
type_name (Timeline * a, guint type)
{
  return memtrace_type_name (a->type_names, type);
}

static void
dirty_init (Dirty * d, guint n)
{
  d->list = g_array_new (FALSE, FALSE, sizeof (guint));
  d->size = MAX (n, 64);
  d->flags = g_new0 (guint8, d->size);
}

static inline void
dirty_mark (Dirty * d, guint i)
{
  if (G_UNLIKELY (i >= d->size)) {
    guint old = d->size;

    d->size = MAX (2 * d->size, i + 1);
    d->flags = g_renew (guint8, d->flags, d->size);
    memset (d->flags + old, 0, d->size - old);
  }
  if (!d->flags[i]) {
    d->flags[i] = 1;
    g_array_append_val (d->list, i);
  }
}

static void
dirty_clear (Dirty * d)
{
  guint i;

  for (i = 0; i < d->list->len; i++)
    d->flags[g_array_index (d->list, guint, i)] = 0;
  g_array_set_size (d->list, 0);
}

static void
dirty_free (Dirty * d)
{
  if (d->list)
    g_array_unref (d->list);
  g_free (d->flags);
}

/* Options, window and bins */

/* Times asked for, or read from a damaged trace, can be anything: within
 * the limit, the arithmetic on a window cannot overflow. */
static void
clamp_window (gint64 * from_ts, gint64 * to_ts)
{
  *from_ts = CLAMP (*from_ts, -MEMTRACE_TS_LIMIT, MEMTRACE_TS_LIMIT);
  *to_ts = CLAMP (*to_ts, -MEMTRACE_TS_LIMIT, MEMTRACE_TS_LIMIT);
}

void
memtrace_timeline_default_window (MemTraceTrace * t, gint64 * from_ts,
    gint64 * to_ts)
{
  sqlite3 *db = memtrace_trace_db (t);
  gint64 end = memtrace_trace_meta_int (t, "end_ts", 0);
  gint64 last_object, last_event;

  /* Both indexed: no scan.  Destructions are events.  (Not inside MAX ():
   * the macro would run each query twice.) */
  last_object = memtrace_sql_int (db, "SELECT max (ts) FROM objects", 0);
  last_event = memtrace_sql_int (db, "SELECT max (ts) FROM events", 0);
  end = MAX (end, MAX (last_object, last_event));
  *from_ts = memtrace_sql_int (db, "SELECT min (ts) FROM objects", 0);
  clamp_window (from_ts, &end);
  *to_ts = MAX (end + 1, *from_ts + 1);
}

void
memtrace_timeline_bin_window (MemTraceTrace * t, guint n_bins,
    gint64 * from_ts, gint64 * to_ts, gint64 * bin_width)
{
  gint64 from, to;

  memtrace_timeline_default_window (t, &from, &to);
  if (*from_ts <= 0)
    *from_ts = from;
  if (*to_ts <= 0)
    *to_ts = to;
  clamp_window (from_ts, to_ts);
  if (*to_ts <= *from_ts)
    *to_ts = *from_ts + 1;
  *bin_width = MAX ((*to_ts - *from_ts + n_bins - 1) / n_bins, 1);
}

static void
set_window (Timeline * a, const MemTraceTimelineOptions * o)
{
  MemTraceTimeline *tl = a->tl;

  a->n_bins = o && o->n_bins ? o->n_bins : DEFAULT_BINS;
  a->n_types = o && o->n_types ? o->n_types : DEFAULT_TYPES;
  a->n_peak_groups = o && o->n_peak_groups ? o->n_peak_groups :
      DEFAULT_PEAK_GROUPS;
  tl->from_ts = o ? o->from_ts : 0;
  tl->to_ts = o ? o->to_ts : 0;
  memtrace_timeline_bin_window (a->q.trace, a->n_bins, &tl->from_ts,
      &tl->to_ts, &tl->bin_width);
}

/* The heap span of what is live now; recomputed from the heap only when
 * the memory at one of its ends went away. */
static void
update_span (Timeline * a)
{
  guint i;

  if (!a->span_dirty)
    return;
  a->heap_min = a->kept_min;
  a->heap_max = a->kept_max;
  for (i = 0; i < a->heap->len; i++) {
    Live *l = &g_array_index (a->heap, Live, i);

    if (!l->is_memory)
      continue;
    a->heap_min = MIN (a->heap_min, l->address);
    a->heap_max = MAX (a->heap_max, l->end);
  }
  a->span_dirty = FALSE;
}

static void
close_bin (Timeline * a)
{
  MemTraceTimelineBin *b = a->cur;

  update_span (a);
  b->heap_memories = a->n_memories;
  b->heap_span = a->n_memories && a->heap_max > a->heap_min ?
      (gint64) (a->heap_max - a->heap_min) : 0;
  b->heap_bytes = a->bytes;
  b->heap_allocated_bytes = a->allocated;
}

/* A bin starts with what is live as it starts. */
static void
open_bin (Timeline * a, gint bin)
{
  MemTraceTimelineBin *b = &g_array_index (a->tl->bins,
      MemTraceTimelineBin, bin);
  gsize row = (gsize) bin * a->n_type_ids;

  a->bin = bin;
  a->cur = b;
  a->at_start = TRUE;
  b->bytes = a->bytes;
  b->allocated_bytes = a->allocated;
  b->objects = a->objects;
  memcpy (a->bin_type_bytes + row, a->type_bytes,
      a->n_type_ids * sizeof (gint64));
  memcpy (a->bin_type_objects + row, a->type_objects,
      a->n_type_ids * sizeof (gint64));
  dirty_clear (&a->dirty_bytes);
  dirty_clear (&a->dirty_objects);
}

static void
snapshot_groups (Timeline * a)
{
  guint i;

  for (i = 0; i < a->dirty_groups.list->len; i++) {
    Group *g = &g_array_index (a->groups, Group,
        g_array_index (a->dirty_groups.list, guint, i));

    g->peak_objects = g->objects;
    g->peak_bytes = g->bytes;
    g->peak_allocated = g->allocated;
  }
  dirty_clear (&a->dirty_groups);
}

static void
new_peak (Timeline * a, gint64 ts)
{
  MemTraceTimeline *tl = a->tl;

  tl->peak_ts = ts;
  tl->peak_bytes = a->bytes;
  tl->peak_allocated_bytes = a->allocated;
  tl->peak_objects = a->objects;
  snapshot_groups (a);
}

/* The window opens: its first bin, and the live state as the first peak
 * candidate (every group copied). */
static void
open_window (Timeline * a)
{
  guint i;

  a->in_window = TRUE;
  open_bin (a, 0);
  for (i = 0; i < a->groups->len; i++)
    dirty_mark (&a->dirty_groups, i);
  new_peak (a, a->tl->from_ts);
  a->tl->max_objects = a->objects;
  a->tl->max_objects_ts = a->tl->from_ts;
  memcpy (a->type_peak_bytes, a->type_bytes, a->n_type_ids * sizeof (gint64));
  memcpy (a->type_peak_objects, a->type_objects,
      a->n_type_ids * sizeof (gint64));
}

/* Time moves to ts (which is before the end of the window). */
static void
advance (Timeline * a, gint64 ts)
{
  gint64 bin;

  if (ts < a->tl->from_ts)
    return;
  if (!a->in_window)
    open_window (a);
  bin = (ts - a->tl->from_ts) / a->tl->bin_width;
  bin = MIN (bin, (gint64) a->n_bins - 1);
  while (a->bin < bin) {
    close_bin (a);
    open_bin (a, a->bin + 1);
  }
  if (ts > a->cur->start_ts)
    a->at_start = FALSE;
}

static void
copy_dirty_types (Dirty * d, const gint64 * live, gint64 * row)
{
  guint i;

  for (i = 0; i < d->list->len; i++) {
    guint type = g_array_index (d->list, guint, i);

    row[type] = live[type];
  }
  dirty_clear (d);
}

/* After a change at ts, in the window: the maxima of the bin, of each type
 * and of the whole window.  At the very start of a bin, the values become
 * what is live then; at the start of the window, so does the peak. */
static void
record_maxima (Timeline * a, guint type, gint64 ts)
{
  MemTraceTimeline *tl = a->tl;
  MemTraceTimelineBin *b = a->cur;
  gsize row = (gsize) a->bin * a->n_type_ids;
  gboolean reset = a->at_start && ts == b->start_ts;
  gboolean first = reset && a->bin == 0;

  if (reset || a->bytes > b->bytes) {
    b->bytes = a->bytes;
    b->allocated_bytes = a->allocated;
    copy_dirty_types (&a->dirty_bytes, a->type_bytes,
        a->bin_type_bytes + row);
  }
  if (reset || a->objects > b->objects) {
    b->objects = a->objects;
    copy_dirty_types (&a->dirty_objects, a->type_objects,
        a->bin_type_objects + row);
  }
  if (first || a->bytes > tl->peak_bytes)
    new_peak (a, ts);
  if (first || a->objects > tl->max_objects) {
    tl->max_objects = a->objects;
    tl->max_objects_ts = ts;
  }
  if (first) {
    a->type_peak_bytes[type] = a->type_bytes[type];
    a->type_peak_objects[type] = a->type_objects[type];
  } else {
    a->type_peak_bytes[type] = MAX (a->type_peak_bytes[type],
        a->type_bytes[type]);
    a->type_peak_objects[type] = MAX (a->type_peak_objects[type],
        a->type_objects[type]);
  }
}

/* An object comes (sign 1) or goes (sign -1). */
static void
change (Timeline * a, gint64 ts, guint group_index, gint sign, gint64 bytes,
    gint64 allocated)
{
  Group *g = &g_array_index (a->groups, Group, group_index);
  guint type = g->type;

  a->objects += sign;
  a->bytes += sign * bytes;
  a->allocated += sign * allocated;
  a->type_objects[type] += sign;
  a->type_bytes[type] += sign * bytes;
  g->objects += sign;
  g->bytes += sign * bytes;
  g->allocated += sign * allocated;
  if (!a->in_window)
    return;
  if (bytes)
    dirty_mark (&a->dirty_bytes, type);
  dirty_mark (&a->dirty_objects, type);
  dirty_mark (&a->dirty_groups, group_index);
  if (sign > 0)
    a->cur->created++;
  else
    a->cur->destroyed++;
  record_maxima (a, type, ts);
}

static guint
group_of (Timeline * a, guint type, gint64 stack)
{
  guint64 key = ((guint64) type << 32) | (guint32) stack;
  gboolean added;
  guint index = memtrace_index_get (&a->group_index, key, a->groups->len,
      &added);

  if (added) {
    Group g = { 0, };

    g.type = type;
    g.stack = stack;
    g_array_append_val (a->groups, g);
  }
  return index;
}

/* The min-heap of live objects on their destruction time */

static void
heap_push (GArray * heap, const Live * l)
{
  Live *v;
  guint i;

  g_array_append_vals (heap, l, 1);
  v = (Live *) heap->data;
  for (i = heap->len - 1; i > 0; i = (i - 1) / 2) {
    Live tmp;

    if (v[(i - 1) / 2].destroyed <= v[i].destroyed)
      break;
    tmp = v[i];
    v[i] = v[(i - 1) / 2];
    v[(i - 1) / 2] = tmp;
  }
}

static void
heap_pop (GArray * heap, Live * out)
{
  Live *v = (Live *) heap->data, last;
  guint i = 0, n;

  *out = v[0];
  last = v[heap->len - 1];
  g_array_set_size (heap, heap->len - 1);
  n = heap->len;
  if (!n)
    return;
  for (;;) {
    guint c = 2 * i + 1;

    if (c >= n)
      break;
    if (c + 1 < n && v[c + 1].destroyed < v[c].destroyed)
      c++;
    if (last.destroyed <= v[c].destroyed)
      break;
    v[i] = v[c];
    i = c;
  }
  v[i] = last;
}

/* Destructions up to ts (inclusive), before the end of the window. */
static void
destroy_until (Timeline * a, gint64 ts)
{
  while (a->heap->len
      && g_array_index (a->heap, Live, 0).destroyed <= ts) {
    Live l;

    heap_pop (a->heap, &l);
    advance (a, l.destroyed);
    if (l.is_memory) {
      a->n_memories--;
      if (l.address == a->heap_min || l.end == a->heap_max)
        a->span_dirty = TRUE;
    }
    change (a, l.destroyed, l.group, -1, l.bytes, l.allocated);
  }
}

/* Columns of the object stream. */
enum
{
  COL_ID, COL_TS, COL_DESTROYED, COL_TYPE, COL_STACK, COL_ADDRESS
};

static void
create (Timeline * a, const gint64 * row, MemTraceMemoryReader * mr)
{
  gint64 ts = row[COL_TS], type = row[COL_TYPE];
  MemTraceMemoryInfo m;
  Live l = { 0, };

  if (type < 0 || type >= a->n_type_ids)
    type = 0;
  l.group = group_of (a, type, MAX (row[COL_STACK], 0));
  if (memtrace_memory_reader_find (mr, row[COL_ID], &m)) {
    l.bytes = m.bytes;
    l.allocated = m.allocated_bytes;
    l.is_memory = m.owns_payload;
    l.address = MAX (row[COL_ADDRESS], 0);
    l.end = l.address + m.maxsize;
  }
  destroy_until (a, ts);
  advance (a, ts);
  if (l.is_memory) {
    a->n_memories++;
    a->heap_min = a->n_memories == 1 ? l.address : MIN (a->heap_min,
        l.address);
    a->heap_max = a->n_memories == 1 ? l.end : MAX (a->heap_max, l.end);
  }
  change (a, ts, l.group, 1, l.bytes, l.allocated);
  if (row[COL_DESTROYED] >= 0) {
    l.destroyed = row[COL_DESTROYED];
    heap_push (a->heap, &l);
  } else if (l.is_memory) {
    a->kept_min = MIN (a->kept_min, l.address);
    a->kept_max = MAX (a->kept_max, l.end);
  }
}

static gboolean
stream (Timeline * a)
{
  /* Objects that died before the window are read all the same: each
   * memories row read ahead is kept until its object comes. */
  gint64 params[] = { a->tl->to_ts };
  MemTraceRowReader *rows = memtrace_row_reader_new (a->q.trace,
      "SELECT id, ts, ifnull (destroyed, -1), type, stack, address "
      "FROM objects WHERE ts < ?1 ORDER BY ts", params, 1, a->q.error);
  MemTraceMemoryReader *mr = NULL;
  const gint64 *row;
  gboolean ok;

  if (rows)
    mr = memtrace_memory_reader_new (a->q.trace, MEMTRACE_MEMORY_READ_SIZES,
        a->q.error);
  ok = mr != NULL;
  while (ok && (row = memtrace_row_reader_next (rows)))
    create (a, row, mr);
  if (ok && (memtrace_row_reader_failed (rows, a->q.error)
          || memtrace_memory_reader_failed (mr, a->q.error)))
    ok = FALSE;
  memtrace_memory_reader_free (mr);
  memtrace_row_reader_free (rows);
  if (!ok)
    return FALSE;
  destroy_until (a, a->tl->to_ts - 1);
  advance (a, a->tl->to_ts - 1);
  /* Bins rounded up past the window's end keep its last state. */
  while (a->bin < (gint) a->n_bins - 1) {
    close_bin (a);
    open_bin (a, a->bin + 1);
  }
  close_bin (a);
  return TRUE;
}

/* Results */

static void
series_free (gpointer p)
{
  MemTraceTimelineSeries *s = p;

  g_free (s->type);
  g_array_unref (s->bytes);
  g_array_unref (s->objects);
  g_free (s);
}

static MemTraceTimelineSeries *
series_new (const gchar * type, guint n_bins)
{
  MemTraceTimelineSeries *s = g_new0 (MemTraceTimelineSeries, 1);

  s->type = g_strdup (type);
  s->bytes = g_array_sized_new (FALSE, TRUE, sizeof (gint64), n_bins);
  g_array_set_size (s->bytes, n_bins);
  s->objects = g_array_sized_new (FALSE, TRUE, sizeof (gint64), n_bins);
  g_array_set_size (s->objects, n_bins);
  return s;
}

static gint
type_cmp (gconstpointer x, gconstpointer y, gpointer data)
{
  guint i = *(const guint *) x, j = *(const guint *) y;
  Timeline *a = data;

  if (a->type_peak_bytes[i] != a->type_peak_bytes[j])
    return a->type_peak_bytes[i] > a->type_peak_bytes[j] ? -1 : 1;
  if (a->type_peak_objects[i] != a->type_peak_objects[j])
    return a->type_peak_objects[i] > a->type_peak_objects[j] ? -1 : 1;
  return i < j ? -1 : i > j;
}

/* The types seen in the window, best first. */
static GArray *
ranked_types (Timeline * a)
{
  GArray *types = g_array_new (FALSE, FALSE, sizeof (guint));
  guint t;

  for (t = 0; t < a->n_type_ids; t++)
    if (a->type_peak_objects[t] > 0)
      g_array_append_val (types, t);
  g_array_sort_with_data (types, type_cmp, a);
  return types;
}

static void
add_series (Timeline * a, MemTraceTimelineSeries * s, guint type)
{
  guint b;

  for (b = 0; b < a->n_bins; b++) {
    gsize i = (gsize) b * a->n_type_ids + type;

    g_array_index (s->bytes, gint64, b) += a->bin_type_bytes[i];
    g_array_index (s->objects, gint64, b) += a->bin_type_objects[i];
  }
}

static void
make_series (Timeline * a)
{
  GArray *types = ranked_types (a);
  MemTraceTimelineSeries *other = NULL;
  guint i, b;

  for (i = 0; i < types->len; i++) {
    guint t = g_array_index (types, guint, i);
    MemTraceTimelineSeries *s;

    if (i < a->n_types) {
      s = series_new (type_name (a, t), a->n_bins);
      s->peak_bytes = a->type_peak_bytes[t];
      s->peak_objects = a->type_peak_objects[t];
      g_ptr_array_add (a->tl->series, s);
    } else {
      if (!other)
        other = series_new ("other", a->n_bins);
      s = other;
    }
    add_series (a, s, t);
  }
  /* Types summed into "other" peak at different times: its peak is the
   * highest of its bins. */
  for (b = 0; other && b < a->n_bins; b++) {
    other->peak_bytes = MAX (other->peak_bytes,
        g_array_index (other->bytes, gint64, b));
    other->peak_objects = MAX (other->peak_objects,
        g_array_index (other->objects, gint64, b));
  }
  if (other)
    g_ptr_array_add (a->tl->series, other);
  g_array_unref (types);
}

static void
peak_group_clear (gpointer p)
{
  MemTracePeakGroup *g = p;

  g_free (g->type);
  g_free (g->site_name);
}

static gint
peak_group_cmp (gconstpointer x, gconstpointer y)
{
  const MemTracePeakGroup *a = x, *b = y;

  if (a->bytes != b->bytes)
    return a->bytes > b->bytes ? -1 : 1;
  if (a->objects != b->objects)
    return a->objects > b->objects ? -1 : 1;
  if (a->site != b->site)
    return a->site < b->site ? -1 : 1;
  return g_strcmp0 (a->type, b->type);
}

typedef struct
{
  MemTracePeakGroup g;
  gint64 best_bytes, best_objects;      /* of the stack in stack_id */
} PeakAcc;

static void
add_to_peak_group (Timeline * a, GHashTable * by_key, const Group * g)
{
  const MemTraceFrame *site = memtrace_frames_site (a->frames, g->stack);
  guint64 address = site ? site->address : 0;
  gchar *key = g_strdup_printf ("%d:%" G_GINT64_MODIFIER "x", g->type,
      address);
  PeakAcc *acc = g_hash_table_lookup (by_key, key);

  if (!acc) {
    acc = g_new0 (PeakAcc, 1);
    acc->g.type = g_strdup (type_name (a, g->type));
    acc->g.site = address;
    acc->g.site_name = memtrace_frame_describe_site (site);
    acc->g.stack_id = g->stack;
    g_hash_table_insert (by_key, key, acc);
  } else {
    g_free (key);
  }
  acc->g.objects += g->peak_objects;
  acc->g.bytes += g->peak_bytes;
  acc->g.allocated_bytes += g->peak_allocated;
  if (g->peak_bytes > acc->best_bytes || (g->peak_bytes == acc->best_bytes
          && g->peak_objects > acc->best_objects)) {
    acc->best_bytes = g->peak_bytes;
    acc->best_objects = g->peak_objects;
    acc->g.stack_id = g->stack;
  }
}

/* What was live at the peak, by type and site; the first n_peak_groups
 * kept, the rest summed. */
static void
make_at_peak (Timeline * a)
{
  GHashTable *by_key = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_free);
  MemTraceTimeline *tl = a->tl;
  GHashTableIter it;
  gpointer value;
  guint i;

  for (i = 0; i < a->groups->len; i++) {
    Group *g = &g_array_index (a->groups, Group, i);

    if (g->peak_objects > 0)
      add_to_peak_group (a, by_key, g);
  }
  g_hash_table_iter_init (&it, by_key);
  while (g_hash_table_iter_next (&it, NULL, &value))
    g_array_append_val (tl->at_peak, ((PeakAcc *) value)->g);
  g_hash_table_unref (by_key);
  g_array_sort (tl->at_peak, peak_group_cmp);
  for (i = a->n_peak_groups; i < tl->at_peak->len; i++) {
    MemTracePeakGroup *g = &g_array_index (tl->at_peak, MemTracePeakGroup,
        i);

    tl->at_peak_rest.objects += g->objects;
    tl->at_peak_rest.bytes += g->bytes;
    tl->at_peak_rest.allocated_bytes += g->allocated_bytes;
  }
  if (tl->at_peak->len > a->n_peak_groups)
    g_array_set_size (tl->at_peak, a->n_peak_groups);
}

/* Setting up and tearing down */

static void
init (Timeline * a)
{
  MemTraceTimeline *tl = a->tl;
  guint i;

  tl->bins = g_array_sized_new (FALSE, TRUE, sizeof (MemTraceTimelineBin),
      a->n_bins);
  g_array_set_size (tl->bins, a->n_bins);
  for (i = 0; i < a->n_bins; i++)
    g_array_index (tl->bins, MemTraceTimelineBin, i).start_ts =
        tl->from_ts + (gint64) i *tl->bin_width;
  tl->series = g_ptr_array_new_with_free_func (series_free);
  tl->at_peak = g_array_new (FALSE, TRUE, sizeof (MemTracePeakGroup));
  g_array_set_clear_func (tl->at_peak, peak_group_clear);
  tl->peak_ts = tl->max_objects_ts = tl->from_ts;

  a->type_bytes = g_new0 (gint64, a->n_type_ids);
  a->type_objects = g_new0 (gint64, a->n_type_ids);
  a->type_peak_bytes = g_new0 (gint64, a->n_type_ids);
  a->type_peak_objects = g_new0 (gint64, a->n_type_ids);
  a->bin_type_bytes = g_new0 (gint64, (gsize) a->n_bins * a->n_type_ids);
  a->bin_type_objects = g_new0 (gint64, (gsize) a->n_bins * a->n_type_ids);
  a->heap = g_array_new (FALSE, FALSE, sizeof (Live));
  a->groups = g_array_new (FALSE, FALSE, sizeof (Group));
  memtrace_index_init (&a->group_index);
  dirty_init (&a->dirty_bytes, a->n_type_ids);
  dirty_init (&a->dirty_objects, a->n_type_ids);
  dirty_init (&a->dirty_groups, 128);
  a->kept_min = G_MAXUINT64;
  a->bin = -1;
}

static void
clear (Timeline * a)
{
  if (a->type_names)
    g_ptr_array_unref (a->type_names);
  g_free (a->type_bytes);
  g_free (a->type_objects);
  g_free (a->type_peak_bytes);
  g_free (a->type_peak_objects);
  g_free (a->bin_type_bytes);
  g_free (a->bin_type_objects);
  if (a->heap)
    g_array_unref (a->heap);
  if (a->groups)
    g_array_unref (a->groups);
  memtrace_index_clear (&a->group_index);
  dirty_free (&a->dirty_bytes);
  dirty_free (&a->dirty_objects);
  dirty_free (&a->dirty_groups);
}

MemTraceTimeline *
memtrace_timeline_analyse (MemTraceTrace * t, MemTraceFrames * frames,
    const MemTraceTimelineOptions * options, GError ** error)
{
  Timeline *a;
  MemTraceTimeline *tl;
  MemTraceFrames *own_frames = NULL;
  gboolean ok;

  if (!memtrace_trace_check_finished (t, error))
    return NULL;
  a = g_new0 (Timeline, 1);
  memtrace_query_init (&a->q, t, "the timeline", error);
  a->frames = frames ? frames :
      (own_frames = memtrace_frames_new (a->q.db));
  a->tl = tl = g_new0 (MemTraceTimeline, 1);
  ok = load_types (a);
  if (ok) {
    set_window (a, options);
    init (a);
    ok = stream (a);
  }
  if (ok) {
    make_series (a);
    make_at_peak (a);
  }
  clear (a);
  g_free (a);
  memtrace_frames_free (own_frames);
  if (!ok) {
    memtrace_timeline_free (tl);
    return NULL;
  }
  return tl;
}

void
memtrace_timeline_free (MemTraceTimeline * tl)
{
  if (!tl)
    return;
  if (tl->bins)
    g_array_unref (tl->bins);
  if (tl->series)
    g_ptr_array_unref (tl->series);
  if (tl->at_peak)
    g_array_unref (tl->at_peak);
  g_free (tl);
}
