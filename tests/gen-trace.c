/* gst-memtrace tests: a synthetic trace generator, for scale tests and
 * benchmarks.
 *
 *   gen-trace OUT.trace N_EVENTS [--leaks K] [--seed S]
 *       writes a *recorded* (unfinished) trace of about N_EVENTS events, as
 *       the tracer would have left it: the recording schema, the tracer's
 *       meta keys and varint blocks of 32 KiB per thread.
 *   gen-trace --analyse TRACE [--bins N]
 *       opens (and so finishes) TRACE and runs every analysis in lib/ once,
 *       printing how long each took and the peak RSS.
 *
 * The workload is like workload A of tests/bench (an audio source, a queue
 * and a sink), per buffer: CREATED buffer, CREATED memory, ALLOC memory, two
 * PAD_PUSH, then at its destruction BUFFER (its memory), DESTROYED buffer and
 * DESTROYED memory.  A tenth of the buffers go round a buffer pool of 8
 * (ACQUIRE, two pushes, RELEASE; a POOL_WAIT when it is empty), a few
 * events and caps come and go, and K buffers (with their memory) are leaked:
 * never destroyed, ALIVE at the end.  How many buffers are in flight swells
 * from 4 to about 80 around 60% of the run, so the timeline has one clear
 * peak.  Everything is deterministic for a given seed.
 *
 * The writer part (GenTrace) is also what tests/test-analyses.c uses to
 * write small traces with exactly known numbers: it includes this file with
 * GEN_TRACE_NO_MAIN defined.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "memtrace-block.h"
#include "memtrace-format.h"
#include "memtrace-schema.h"
#include "memtrace-trace.h"
#include "memtrace-frames.h"
#include "memtrace-timeline.h"
#include "memtrace-lifetimes.h"
#include "memtrace-frag.h"
#include "memtrace-pools.h"
#include "memtrace-hotspots.h"

#define GEN_BLOCK_BYTES (32 * 1024)
#define GEN_MAX_THREADS 8

/* The writer */

typedef struct
{
  sqlite3 *db;
  sqlite3_stmt *insert_block;
  MemTraceBlockWriter blocks[GEN_MAX_THREADS];
  guint64 n_events;
  guint64 last_ts;
} GenTrace;

static gboolean
gen_exec (GenTrace * g, const gchar * sql)
{
  gchar *msg = NULL;

  if (sqlite3_exec (g->db, sql, NULL, NULL, &msg) == SQLITE_OK)
    return TRUE;
  g_printerr ("gen-trace: %s: %s\n", sql, msg);
  sqlite3_free (msg);
  return FALSE;
}

/* Creates path afresh with the recording schema; NULL on failure. */
static GenTrace *
gen_trace_new (const gchar * path)
{
  GenTrace *g = g_new0 (GenTrace, 1);
  guint i;

  g_unlink (path);
  if (sqlite3_open (path, &g->db) != SQLITE_OK
      || !gen_exec (g, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF")
      || !gen_exec (g, memtrace_schema_recording)
      || !gen_exec (g, "BEGIN")
      || sqlite3_prepare_v2 (g->db, "INSERT INTO blocks (thread, n_events, "
          "data) VALUES (?, ?, ?)", -1, &g->insert_block, NULL) != SQLITE_OK) {
    g_printerr ("gen-trace: cannot write %s: %s\n", path,
        sqlite3_errmsg (g->db));
    sqlite3_close (g->db);
    g_free (g);
    return NULL;
  }
  for (i = 0; i < GEN_MAX_THREADS; i++)
    memtrace_block_writer_init (&g->blocks[i]);
  return g;
}

static void
gen_flush (GenTrace * g, guint thread)
{
  MemTraceBlockWriter *b = &g->blocks[thread];

  if (b->n_events == 0)
    return;
  sqlite3_bind_int (g->insert_block, 1, thread);
  sqlite3_bind_int (g->insert_block, 2, b->n_events);
  sqlite3_bind_blob (g->insert_block, 3, b->data, b->len,
      SQLITE_STATIC);
  if (sqlite3_step (g->insert_block) != SQLITE_DONE)
    g_error ("gen-trace: cannot insert a block: %s", sqlite3_errmsg (g->db));
  sqlite3_reset (g->insert_block);
  memtrace_block_writer_reset (b);
}

/* Appends one event to its thread's block, which goes into the file when
 * it reaches the tracer's 32 KiB. */
static void
gen_event (GenTrace * g, guint thread, const MemTraceEvent * ev)
{
  g_assert (thread < GEN_MAX_THREADS);
  memtrace_block_append (&g->blocks[thread], ev);
  g->n_events++;
  g->last_ts = MAX (g->last_ts, ev->ts);
  if (g->blocks[thread].len >= GEN_BLOCK_BYTES)
    gen_flush (g, thread);
}

/* An event with up to 9 arguments (the rest 0). */
static void
gen_ev (GenTrace * g, guint thread, MemTraceEventKind kind, guint64 ts,
    guint64 obj, guint32 stack, guint64 a, guint64 b, guint64 c)
{
  MemTraceEvent ev = { 0, };

  ev.kind = kind;
  ev.ts = ts;
  ev.obj = obj;
  ev.stack = stack;
  ev.args[0] = a;
  ev.args[1] = b;
  ev.args[2] = c;
  gen_event (g, thread, &ev);
}

static void
gen_created (GenTrace * g, guint thread, guint64 ts, guint64 obj,
    guint type, guint32 stack, guint64 address)
{
  gen_ev (g, thread, MEMTRACE_EV_CREATED, ts, obj, stack, type, address, 0);
}

static void
gen_destroyed (GenTrace * g, guint thread, guint64 ts, guint64 obj)
{
  gen_ev (g, thread, MEMTRACE_EV_DESTROYED, ts, obj, 0, 0, 0, 0);
}

/* An allocator's alloc() returning a memory, with the params asked for. */
static void
gen_alloc (GenTrace * g, guint thread, guint64 ts, guint64 mem,
    guint64 allocator, guint64 parent, guint64 size, guint64 maxsize,
    guint64 align, guint64 prefix, guint64 padding)
{
  MemTraceEvent ev = { 0, };

  ev.kind = MEMTRACE_EV_ALLOC;
  ev.ts = ts;
  ev.obj = mem;
  ev.args[0] = allocator;
  ev.args[1] = parent;
  ev.args[2] = size;
  ev.args[3] = maxsize;
  ev.args[4] = prefix;          /* offset: the prefix is skipped */
  ev.args[5] = align;
  ev.args[6] = 0;
  ev.args[7] = prefix;
  ev.args[8] = padding;
  gen_event (g, thread, &ev);
}

/* A memory seen only at its destruction (or the end): no alloc() params,
 * so no prefix and padding; a sub-memory names its parent.  (The tests use
 * it; the workload does not.) */
static G_GNUC_UNUSED void
gen_memory (GenTrace * g, guint thread, guint64 ts, guint64 mem,
    guint64 allocator, guint64 parent, guint64 size, guint64 maxsize,
    guint64 align)
{
  MemTraceEvent ev = { 0, };

  ev.kind = MEMTRACE_EV_MEMORY;
  ev.ts = ts;
  ev.obj = mem;
  ev.args[0] = allocator;
  ev.args[1] = parent;
  ev.args[2] = size;
  ev.args[3] = maxsize;
  ev.args[5] = align;
  gen_event (g, thread, &ev);
}

/* The details of a buffer at its destruction: its pool and memories. */
static void
gen_buffer (GenTrace * g, guint thread, guint64 ts, guint64 buf,
    guint64 pool, const guint64 * mems, guint n_mems)
{
  MemTraceEvent ev = { 0, };

  ev.kind = MEMTRACE_EV_BUFFER;
  ev.ts = ts;
  ev.obj = buf;
  ev.args[0] = pool;
  ev.n_list = MIN (n_mems, MEMTRACE_EVENT_MAX_LIST);
  memcpy (ev.list, mems, ev.n_list * sizeof (guint64));
  gen_event (g, thread, &ev);
}

static void
gen_name (GenTrace * g, guint thread, guint64 ts, guint64 obj,
    guint64 parent, const gchar * name)
{
  MemTraceEvent ev = { 0, };

  ev.kind = MEMTRACE_EV_NAME;
  ev.ts = ts;
  ev.obj = obj;
  ev.args[0] = parent;
  ev.text_len = MIN (strlen (name), MEMTRACE_EVENT_MAX_TEXT);
  memcpy (ev.text, name, ev.text_len);
  gen_event (g, thread, &ev);
}

static void
gen_pool_config (GenTrace * g, guint thread, guint64 ts, guint64 pool,
    guint64 size, guint64 min, guint64 max)
{
  MemTraceEvent ev = { 0, };

  ev.kind = MEMTRACE_EV_POOL_CONFIG;
  ev.ts = ts;
  ev.obj = pool;
  ev.args[0] = size;
  ev.args[1] = min;
  ev.args[2] = max;
  gen_event (g, thread, &ev);
}

static void
gen_alive (GenTrace * g, guint thread, guint64 ts, guint64 obj, guint flags)
{
  gen_ev (g, thread, MEMTRACE_EV_ALIVE, ts, obj, 0, 1, flags,
      MEMTRACE_ALIVE_AT_DEINIT);
}

/* fmt is for sqlite3_vmprintf (%Q quotes): no G_GNUC_PRINTF. */
static void
gen_row (GenTrace * g, const gchar * fmt, ...)
{
  va_list ap;
  gchar *sql;

  va_start (ap, fmt);
  sql = sqlite3_vmprintf (fmt, ap);
  va_end (ap);
  if (!gen_exec (g, sql))
    g_error ("gen-trace: cannot write a row");
  sqlite3_free (sql);
}

static void
gen_type (GenTrace * g, guint id, const gchar * name, guint parent,
    gboolean is_gstobject)
{
  if (parent)
    gen_row (g, "INSERT INTO types VALUES (%u, %Q, %u, %d)", id, name,
        parent, is_gstobject);
  else
    gen_row (g, "INSERT INTO types VALUES (%u, %Q, NULL, %d)", id, name,
        is_gstobject);
}

/* A stack of n frames (innermost first), stored as the tracer does. */
static void
gen_stack (GenTrace * g, guint id, const guint64 * frames, guint n)
{
  sqlite3_stmt *st;
  guint64 le[64];
  guint i;

  n = MIN (n, G_N_ELEMENTS (le));
  for (i = 0; i < n; i++)
    le[i] = GUINT64_TO_LE (frames[i]);
  sqlite3_prepare_v2 (g->db, "INSERT INTO stacks VALUES (?, ?)", -1, &st,
      NULL);
  sqlite3_bind_int (st, 1, id);
  sqlite3_bind_blob (st, 2, le, n * 8, SQLITE_TRANSIENT);
  if (sqlite3_step (st) != SQLITE_DONE)
    g_error ("gen-trace: cannot write a stack");
  sqlite3_finalize (st);
}

static void
gen_thread (GenTrace * g, guint id, guint tid, const gchar * name)
{
  gen_row (g, "INSERT INTO threads VALUES (%u, %u, %Q)", id, tid, name);
}

static void
gen_module (GenTrace * g, guint id, const gchar * path, guint64 base,
    guint64 size)
{
  gen_row (g, "INSERT INTO modules VALUES (%u, %Q, %lld, %lld, '')", id,
      path, (long long) base, (long long) size);
}

static void
gen_meta (GenTrace * g, const gchar * key, const gchar * value)
{
  gen_row (g, "INSERT OR REPLACE INTO meta VALUES (%Q, %Q)", key, value);
}

static void
gen_meta_int (GenTrace * g, const gchar * key, gint64 value)
{
  gen_row (g, "INSERT OR REPLACE INTO meta VALUES (%Q, %lld)", key,
      (long long) value);
}

static gchar *
gen_boot_id (void)
{
  gchar *id = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &id, NULL,
          NULL))
    return g_strdup ("unknown");
  return g_strstrip (id);
}

/* Flushes every block, writes the meta keys of a recording that ended at
 * gst_deinit() and closes the file.  The pid is ours and the start ticks
 * 0: once we have exited, nobody takes the trace for a live one (and it is
 * complete anyway). */
static gboolean
gen_trace_close (GenTrace * g, const gchar * command, guint64 end_ts)
{
  gchar *boot = gen_boot_id ();
  guint i;
  gboolean ok;

  for (i = 0; i < GEN_MAX_THREADS; i++) {
    gen_flush (g, i);
    memtrace_block_writer_clear (&g->blocks[i]);
  }
  gen_meta (g, "format", MEMTRACE_FORMAT_NAME);
  gen_meta_int (g, "format_version", MEMTRACE_FORMAT_VERSION);
  gen_meta_int (g, "pid", getpid ());
  gen_meta_int (g, "process_start_ticks", 0);
  gen_meta (g, "boot_id", boot);
  gen_meta (g, "command", command);
  gen_meta (g, "gstreamer_version", "GStreamer 1.22.0");
  gen_meta (g, "params", "");
  gen_meta_int (g, "start_time", g_get_real_time ());
  gen_meta_int (g, "end_time", g_get_real_time () + end_ts / 1000);
  gen_meta_int (g, "end_ts", end_ts);
  gen_meta (g, "end_reason", "deinit");
  gen_meta_int (g, "complete", 1);
  gen_meta_int (g, "dropped_events", 0);
  sqlite3_finalize (g->insert_block);
  ok = gen_exec (g, "COMMIT")
      && gen_exec (g, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (g->db);
  g_free (boot);
  g_free (g);
  return ok;
}

/* The schema rows every generated trace shares: GStreamer's types with the
 * ids a real trace gives them, and three threads. */
enum
{
  GEN_T_EVENT = 4, GEN_T_CAPS = 5, GEN_T_MEMORY = 6, GEN_T_BUFFER = 7,
  GEN_T_GOBJECT = 9, GEN_T_UNOWNED = 10, GEN_T_OBJECT = 11,
  GEN_T_ALLOCATOR = 12, GEN_T_SYSMEM = 13, GEN_T_PAD = 15,
  GEN_T_ELEMENT = 16, GEN_T_BIN = 23, GEN_T_PIPELINE = 24, GEN_T_POOL = 29,
  GEN_T_SRC = 30, GEN_T_QUEUE = 31, GEN_T_SINK = 32,
};

static void
gen_standard_rows (GenTrace * g)
{
  gen_type (g, 1, "GBoxed", 0, FALSE);
  gen_type (g, GEN_T_EVENT, "GstEvent", 1, FALSE);
  gen_type (g, GEN_T_CAPS, "GstCaps", 1, FALSE);
  gen_type (g, GEN_T_MEMORY, "GstMemory", 1, FALSE);
  gen_type (g, GEN_T_BUFFER, "GstBuffer", 1, FALSE);
  gen_type (g, GEN_T_GOBJECT, "GObject", 0, FALSE);
  gen_type (g, GEN_T_UNOWNED, "GInitiallyUnowned", GEN_T_GOBJECT, FALSE);
  gen_type (g, GEN_T_OBJECT, "GstObject", GEN_T_UNOWNED, TRUE);
  gen_type (g, GEN_T_ALLOCATOR, "GstAllocator", GEN_T_OBJECT, TRUE);
  gen_type (g, GEN_T_SYSMEM, "GstAllocatorSysmem", GEN_T_ALLOCATOR, TRUE);
  gen_type (g, GEN_T_PAD, "GstPad", GEN_T_OBJECT, TRUE);
  gen_type (g, GEN_T_ELEMENT, "GstElement", GEN_T_OBJECT, TRUE);
  gen_type (g, GEN_T_BIN, "GstBin", GEN_T_ELEMENT, TRUE);
  gen_type (g, GEN_T_PIPELINE, "GstPipeline", GEN_T_BIN, TRUE);
  gen_type (g, GEN_T_POOL, "GstBufferPool", GEN_T_OBJECT, TRUE);
  gen_type (g, GEN_T_SRC, "GstAudioTestSrc", GEN_T_ELEMENT, TRUE);
  gen_type (g, GEN_T_QUEUE, "GstQueue", GEN_T_ELEMENT, TRUE);
  gen_type (g, GEN_T_SINK, "GstFakeSink", GEN_T_ELEMENT, TRUE);
  gen_thread (g, 1, 1001, "gen-main");
  gen_thread (g, 2, 1002, "src:src");
  gen_thread (g, 3, 1003, "queue:src");
}

/* The workload */

/* Modules: GStreamer's core (runtime frames), the source plugin and the
 * application.  The paths do not exist: frames keep only their module, and
 * a site is the innermost frame outside the core. */
#define CORE G_GUINT64_CONSTANT (0x7f1000000000)
#define PLUGIN G_GUINT64_CONSTANT (0x7f2000000000)
#define APP G_GUINT64_CONSTANT (0x555500000000)

enum
{
  S_SMALL_BUF = 1, S_SMALL_MEM, S_BIG_BUF, S_BIG_MEM, S_POOL_BUF, S_POOL_MEM,
  S_ACQUIRE, S_WAIT, S_LEAK_BUF, S_LEAK_MEM, S_EVENT, S_CAPS, S_SETUP,
  N_STACKS
};

/* Where each stack's frames come from: the first frames are GStreamer's,
 * the site is at +0x100 * its number in the plugin (or the app). */
static void
write_stacks (GenTrace * g)
{
  guint id;

  gen_module (g, 1, "/nonexistent/gen-trace/libgstreamer-1.0.so.0", CORE,
      0x200000);
  gen_module (g, 2, "/nonexistent/gen-trace/libgstaudiotestsrc.so", PLUGIN,
      0x100000);
  gen_module (g, 3, "/nonexistent/gen-trace/gen-app", APP, 0x100000);
  for (id = 1; id < N_STACKS; id++) {
    gboolean app = id == S_LEAK_BUF || id == S_LEAK_MEM || id == S_SETUP;
    guint64 site = (app ? APP : PLUGIN) + 0x100 * ((id + 1) / 2);
    guint64 frames[] = { CORE + 0x1000 + id * 0x10, CORE + 0x2000, site,
      CORE + 0x3000, APP + 0x10
    };

    /* Events and caps are made by GStreamer alone: no site outside it. */
    if (id == S_EVENT || id == S_CAPS)
      frames[2] = CORE + 0x4000 + id;
    gen_stack (g, id, frames, G_N_ELEMENTS (frames));
  }
}

typedef struct
{
  guint64 buf, mem;
  guint64 buf_addr, mem_addr;
  guint klass;
  gboolean pooled;
} Flight;

typedef struct
{
  GenTrace *g;
  guint64 ts, next_id, seed;
  guint64 sysmem, pool, src_pad, queue_sink, queue_src, sink_pad;
  guint64 pipeline, src, queue, sink;
  GQueue flight;                /* Flight *: buffers in flight, oldest first */
  GQueue pool_free;             /* Flight *: the pool's free buffers */
  guint pool_allocated;
  GArray *free_addr[4];         /* guint64: addresses freed, per size class */
  guint64 next_addr;
  GArray *leaked;               /* Flight */
} Gen;

#define POOL_SIZE 614400
#define POOL_MAX 8
#define ALIGN 7

static guint32
rnd (Gen * w)
{
  w->seed = w->seed * G_GUINT64_CONSTANT (6364136223846793005)
      + G_GUINT64_CONSTANT (1442695040888963407);
  return w->seed >> 33;
}

static guint64
new_id (Gen * w)
{
  return ++w->next_id;
}

/* malloc, roughly: each size class reuses what it freed last first. */
static guint64
get_addr (Gen * w, guint klass, guint64 size)
{
  GArray *a = w->free_addr[klass];
  guint64 addr;

  if (a->len) {
    addr = g_array_index (a, guint64, a->len - 1);
    g_array_set_size (a, a->len - 1);
    return addr;
  }
  addr = w->next_addr;
  w->next_addr += (size + 64 + 15) & ~G_GUINT64_CONSTANT (15);
  return addr;
}

static void
put_addr (Gen * w, guint klass, guint64 addr)
{
  g_array_append_val (w->free_addr[klass], addr);
}

static guint64
tick (Gen * w)
{
  w->ts += 1500 + rnd (w) % 1000;
  return w->ts;
}

/* A buffer and its memory of size bytes, made in thread 2. */
static Flight *
make_buffer (Gen * w, guint32 buf_stack, guint64 size, guint klass)
{
  Flight *f = g_new0 (Flight, 1);
  guint64 maxsize = size + ALIGN;

  f->buf = new_id (w);
  f->mem = new_id (w);
  f->buf_addr = get_addr (w, 3, 256);
  f->mem_addr = get_addr (w, klass, maxsize);
  f->klass = klass;
  gen_created (w->g, 2, tick (w), f->buf, GEN_T_BUFFER, buf_stack,
      f->buf_addr);
  gen_created (w->g, 2, w->ts, f->mem, GEN_T_MEMORY, buf_stack + 1,
      f->mem_addr);
  gen_alloc (w->g, 2, w->ts, f->mem, w->sysmem, 0, size, maxsize, ALIGN, 0,
      0);
  return f;
}

static void
push (Gen * w, Flight * f)
{
  gen_ev (w->g, 2, MEMTRACE_EV_PAD_PUSH, tick (w), f->buf, 0, w->src_pad,
      w->queue_sink, 0);
  g_queue_push_tail (&w->flight, f);
}

/* The sink is done with the oldest buffer in flight: back to the pool, or
 * destroyed with its memory. */
static Flight *
finish_oldest (Gen * w)
{
  Flight *f = g_queue_pop_head (&w->flight);

  gen_ev (w->g, 3, MEMTRACE_EV_PAD_PUSH, tick (w), f->buf, 0, w->queue_src,
      w->sink_pad, 0);
  if (f->pooled) {
    gen_ev (w->g, 3, MEMTRACE_EV_POOL_RELEASE, tick (w), f->buf, 0, w->pool,
        0, 0);
    g_queue_push_tail (&w->pool_free, f);
    return f;
  }
  gen_buffer (w->g, 3, tick (w), f->buf, 0, &f->mem, 1);
  gen_destroyed (w->g, 3, w->ts, f->buf);
  put_addr (w, 3, f->buf_addr);
  gen_destroyed (w->g, 3, w->ts, f->mem);
  put_addr (w, f->klass, f->mem_addr);
  g_free (f);
  return NULL;
}

static Flight *
pool_alloc (Gen * w)
{
  Flight *f = make_buffer (w, S_POOL_BUF, POOL_SIZE, 2);

  f->pooled = TRUE;
  gen_ev (w->g, 2, MEMTRACE_EV_POOL_ALLOC, w->ts, f->buf, 0, w->pool, 0, 0);
  w->pool_allocated++;
  return f;
}

/* Acquires from the pool; when it is empty, waits for the sink to release
 * one of its buffers. */
static void
pooled_buffer (Gen * w)
{
  Flight *f = g_queue_pop_head (&w->pool_free);

  if (!f && w->pool_allocated < POOL_MAX)
    f = pool_alloc (w);
  if (!f) {
    guint64 start = w->ts;

    while (!(f = g_queue_pop_head (&w->pool_free)))
      finish_oldest (w);
    gen_ev (w->g, 2, MEMTRACE_EV_POOL_WAIT, w->ts, w->pool, S_WAIT,
        w->ts - start, 0, 0);
  }
  gen_ev (w->g, 2, MEMTRACE_EV_POOL_ACQUIRE, tick (w), f->buf, S_ACQUIRE,
      w->pool, 0, 0);
  push (w, f);
}

static void
plain_buffer (Gen * w)
{
  guint r = rnd (w) % 8;

  if (r < 6)
    push (w, make_buffer (w, S_SMALL_BUF, 128, 0));
  else
    push (w, make_buffer (w, S_BIG_BUF, 4096, 1));
}

/* A short-lived miniobject without payload. */
static void
transient (Gen * w, guint type, guint32 stack)
{
  guint64 id = new_id (w);

  gen_created (w->g, 1, tick (w), id, type, stack, 0x1000 + id * 64);
  gen_destroyed (w->g, 1, tick (w), id);
}

static void
leak_buffer (Gen * w)
{
  Flight *f = make_buffer (w, S_LEAK_BUF, 1000, 1);

  g_array_append_val (w->leaked, *f);
  g_free (f);
}

/* How many buffers may be in flight at unit i of n: 4 to 20, and up to 80
 * in a swell around 60% of the run. */
static guint
depth (guint64 i, guint64 n)
{
  gdouble x = (gdouble) i / MAX (n, 1), swell = 1.0 - ABS (x - 0.6) / 0.05;

  return 4 + i % 17 + (swell > 0 ? (guint) (60 * swell) : 0);
}

static guint64
make_object (Gen * w, guint type, guint64 parent, const gchar * name)
{
  guint64 id = new_id (w);

  gen_created (w->g, 1, tick (w), id, type, S_SETUP, 0x2000 + id * 512);
  gen_name (w->g, 1, w->ts, id, parent, name);
  return id;
}

static void
setup (Gen * w)
{
  guint i;

  w->pipeline = make_object (w, GEN_T_PIPELINE, 0, "pipeline0");
  w->src = make_object (w, GEN_T_SRC, w->pipeline, "src");
  w->queue = make_object (w, GEN_T_QUEUE, w->pipeline, "queue");
  w->sink = make_object (w, GEN_T_SINK, w->pipeline, "sink");
  w->src_pad = make_object (w, GEN_T_PAD, w->src, "src");
  w->queue_sink = make_object (w, GEN_T_PAD, w->queue, "sink");
  w->queue_src = make_object (w, GEN_T_PAD, w->queue, "src");
  w->sink_pad = make_object (w, GEN_T_PAD, w->sink, "sink");
  w->sysmem = make_object (w, GEN_T_SYSMEM, 0, "SystemMemory");
  w->pool = make_object (w, GEN_T_POOL, w->src, "bufferpool0");
  gen_pool_config (w->g, 2, tick (w), w->pool, POOL_SIZE, 2, POOL_MAX);
  /* Activation fills the pool with min_buffers: releases with no acquire. */
  for (i = 0; i < 2; i++) {
    Flight *f = pool_alloc (w);

    gen_ev (w->g, 2, MEMTRACE_EV_POOL_RELEASE, w->ts, f->buf, 0, w->pool,
        0, 0);
    g_queue_push_tail (&w->pool_free, f);
  }
}

static void
destroy_object (Gen * w, guint64 id)
{
  gen_destroyed (w->g, 1, tick (w), id);
}

/* Drains what is in flight, frees the pool's buffers and the pipeline,
 * then records the leaked buffers as alive at gst_deinit(). */
static void
teardown (Gen * w)
{
  Flight *f;
  guint i;

  while (w->flight.length)
    finish_oldest (w);
  while ((f = g_queue_pop_head (&w->pool_free))) {
    gen_buffer (w->g, 1, tick (w), f->buf, 0, &f->mem, 1);
    gen_destroyed (w->g, 1, w->ts, f->buf);
    gen_destroyed (w->g, 1, w->ts, f->mem);
    g_free (f);
  }
  destroy_object (w, w->pool);
  for (i = 0; i < 4; i++)
    destroy_object (w, w->src_pad + i);
  destroy_object (w, w->src);
  destroy_object (w, w->queue);
  destroy_object (w, w->sink);
  destroy_object (w, w->pipeline);
  tick (w);
  for (i = 0; i < w->leaked->len; i++) {
    Flight *l = &g_array_index (w->leaked, Flight, i);

    gen_buffer (w->g, 1, w->ts, l->buf, 0, &l->mem, 1);
    gen_alive (w->g, 1, w->ts, l->buf, 0);
    gen_alive (w->g, 1, w->ts, l->mem, 0);
  }
  /* The default allocator lives on: GStreamer flags it. */
  gen_alive (w->g, 1, w->ts, w->sysmem, MEMTRACE_ALIVE_FLAG_MAY_BE_LEAKED);
}

static void
run_workload (Gen * w, guint64 n_events, guint n_leaks)
{
  /* About 8 events a unit; what the teardown adds is kept in reserve. */
  guint64 n_units = n_events / 8, i, reserve = 120 + 6 * (guint64) n_leaks;
  guint64 leak_every = n_leaks ? MAX (n_units / n_leaks, 1) : 0;
  guint leaks_made = 0;

  setup (w);
  for (i = 0; w->g->n_events + reserve + 4 * w->flight.length < n_events;
      i++) {
    if (leak_every && i % leak_every == leak_every / 2
        && leaks_made < n_leaks) {
      leak_buffer (w);
      leaks_made++;
    }
    if (i % 64 == 0)
      transient (w, i % 256 ? GEN_T_EVENT : GEN_T_CAPS,
          i % 256 ? S_EVENT : S_CAPS);
    if (rnd (w) % 10 == 0)
      pooled_buffer (w);
    else
      plain_buffer (w);
    while (w->flight.length > depth (i, n_units))
      finish_oldest (w);
  }
  while (leaks_made++ < n_leaks)
    leak_buffer (w);
  teardown (w);
}

/* Writes the workload; FALSE on failure.  *n_events and *n_objects (may
 * be NULL) say what it wrote. */
static gboolean
generate (const gchar * path, guint64 n_events, guint n_leaks, guint64 seed,
    const gchar * command, guint64 * n_written, guint64 * n_objects)
{
  Gen w = { 0, };
  gboolean ok;
  guint i;

  w.g = gen_trace_new (path);
  if (!w.g)
    return FALSE;
  w.seed = seed;
  w.ts = 10000000;
  w.next_addr = G_GUINT64_CONSTANT (0x55aa00000000);
  for (i = 0; i < G_N_ELEMENTS (w.free_addr); i++)
    w.free_addr[i] = g_array_new (FALSE, FALSE, sizeof (guint64));
  w.leaked = g_array_new (FALSE, FALSE, sizeof (Flight));
  gen_standard_rows (w.g);
  write_stacks (w.g);
  run_workload (&w, n_events, n_leaks);
  if (n_written)
    *n_written = w.g->n_events;
  if (n_objects)
    *n_objects = w.next_id;
  ok = gen_trace_close (w.g, command, w.ts + 1000);
  for (i = 0; i < G_N_ELEMENTS (w.free_addr); i++)
    g_array_unref (w.free_addr[i]);
  g_array_unref (w.leaked);
  g_queue_clear_full (&w.flight, g_free);
  g_queue_clear_full (&w.pool_free, g_free);
  return ok;
}

#ifndef GEN_TRACE_NO_MAIN

/* The analysis driver */

static gdouble
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static glong
peak_rss_kib (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

/* User and system time of the whole process, all threads. */
static gdouble
cpu_s (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
      + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static gboolean
report (const gchar * what, gdouble start, gdouble cpu_start,
    gpointer result, GError * error)
{
  if (!result) {
    g_printerr ("gen-trace: %s failed: %s\n", what, error->message);
    return FALSE;
  }
  g_print ("%-12s %7.3f s  (cpu %.3f s)\n", what, now_s () - start,
      cpu_s () - cpu_start);
  return TRUE;
}

/* Runs every analysis once, as a report showing them all would: the
 * fragmentation analysis is given what the others found. */
static gboolean
run_analyses (MemTraceTrace * t, MemTraceFrames * frames, guint n_bins,
    const gchar * only)
{
  GError *error = NULL;
  MemTraceTimelineOptions tlo = { 0, };
  MemTraceLifetimeOptions lo = { 0, };
  MemTraceFragOptions fo = { 0, };
  MemTracePoolOptions po = { 0, };
  MemTraceHotspotOptions ho = { MEMTRACE_HOTSPOT_BY_BYTES, 0 };
  MemTraceLifetimes *lifetimes = NULL;
  MemTraceFrag *frag = NULL;
  gboolean ok = TRUE;
  gdouble t0, c0;

  tlo.n_bins = po.n_bins = fo.n_bins = n_bins;
#define RUN(name, var, call) G_STMT_START {                             \
    if (!only || !strcmp (only, name)) {                                \
      t0 = now_s ();                                                    \
      c0 = cpu_s ();                                                    \
      var = (call);                                                     \
      ok = report (name, t0, c0, var, error) && ok;                     \
      g_clear_error (&error);                                           \
    }                                                                   \
  } G_STMT_END
  RUN ("timeline", fo.timeline, memtrace_timeline_analyse (t, frames, &tlo,
          &error));
  RUN ("lifetimes", lifetimes, memtrace_lifetimes_analyse (t, frames, &lo,
          &error));
  RUN ("pools", fo.pools, memtrace_pools_analyse (t, frames, &po, &error));
  RUN ("hotspots", fo.hotspots, memtrace_hotspots_analyse (t, frames, &ho,
          &error));
  RUN ("frag", frag, memtrace_frag_analyse (t, frames, &fo, &error));
#undef RUN
  memtrace_frag_free (frag);
  memtrace_timeline_free (fo.timeline);
  memtrace_lifetimes_free (lifetimes);
  memtrace_pools_free (fo.pools);
  memtrace_hotspots_free (fo.hotspots);
  return ok;
}

static gint
analyse (const gchar * path, guint n_bins, const gchar * only)
{
  GError *error = NULL;
  MemTraceTrace *t;
  MemTraceFrames *frames;
  gdouble start = now_s (), t1, c1;
  gboolean ok;

  t = memtrace_trace_open (path, &error);
  if (!t) {
    g_printerr ("gen-trace: %s\n", error->message);
    g_error_free (error);
    return 1;
  }
  t1 = now_s ();
  c1 = cpu_s ();
  g_print ("%-12s %7.3f s\n", "open", t1 - start);
  frames = memtrace_frames_new (memtrace_trace_db (t));
  ok = run_analyses (t, frames, n_bins, only);
  g_print ("%-12s %7.3f s  (cpu %.3f s)\n", "analyses", now_s () - t1,
      cpu_s () - c1);
  g_print ("%-12s %7.1f MiB\n", "peak RSS", peak_rss_kib () / 1024.0);
  memtrace_frames_free (frames);
  memtrace_trace_close (t);
  return ok ? 0 : 1;
}

static void
usage (void)
{
  g_printerr ("usage: gen-trace OUT.trace N_EVENTS [--leaks K] [--seed S]\n"
      "       gen-trace --analyse TRACE [--bins N] [--only ANALYSIS]\n");
  exit (2);
}

int
main (int argc, char **argv)
{
  guint64 n_events = 0, n_objects = 0, seed = 1;
  guint n_leaks = 0, n_bins = 200;
  const gchar *only = NULL;
  gchar *command;
  gint i, rc;

  if (argc >= 3 && !strcmp (argv[1], "--analyse")) {
    for (i = 3; i + 1 < argc; i += 2)
      if (!strcmp (argv[i], "--bins"))
        n_bins = g_ascii_strtoull (argv[i + 1], NULL, 10);
      else if (!strcmp (argv[i], "--only"))
        only = argv[i + 1];
      else
        usage ();
    return analyse (argv[2], n_bins, only);
  }
  if (argc < 3 || !(n_events = g_ascii_strtoull (argv[2], NULL, 10)))
    usage ();
  for (i = 3; i < argc; i += 2) {
    if (i + 1 >= argc)
      usage ();
    if (!strcmp (argv[i], "--leaks"))
      n_leaks = g_ascii_strtoull (argv[i + 1], NULL, 10);
    else if (!strcmp (argv[i], "--seed"))
      seed = g_ascii_strtoull (argv[i + 1], NULL, 10);
    else
      usage ();
  }
  command = g_strjoinv (" ", argv);
  rc = generate (argv[1], n_events, n_leaks, seed, command, &n_events,
      &n_objects) ? 0 : 1;
  if (rc == 0)
    g_print ("%s: %" G_GUINT64_FORMAT " events, %" G_GUINT64_FORMAT
        " objects, %u leaked buffers\n", argv[1], n_events, n_objects,
        n_leaks);
  g_free (command);
  return rc;
}

#endif /* GEN_TRACE_NO_MAIN */
