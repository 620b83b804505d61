/* gst-memtrace: tests of the analyses (timeline, lifetimes, pools,
 * hotspots, fragmentation).
 *
 * Two kinds of traces:
 * - written here event by event with the generator's writer (gen-trace.c,
 *   included), with exactly known numbers, and the generator's workload,
 *   checked against a brute-force computation;
 * - recorded from real programs under the tracer: gst-launch-1.0
 *   pipelines, and this very program run as a child (--child NAME) to
 *   drive a buffer pool and an allocator by hand.
 *
 * Paths come from the environment, as for tests/test-record.c:
 *   MEMTRACE_PLUGIN_DIR   the directory of the built tracer plugin
 *   MEMTRACE_REGISTRY     a private GStreamer registry file (optional)
 */
#define GEN_TRACE_NO_MAIN
#include "gen-trace.c"

#include <check.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <gst/gst.h>

#include "memtrace-error.h"
#include "memtrace-summary.h"
#include "test-files.h"
#include "memtrace-info.h"

static const gchar *plugin_dir;
static gchar *registry, *tmpdir, *self_path;

/* Hand-written traces */

/* Stacks of hand-written traces: a GStreamer frame, then the site frame in
 * the application, then an outer frame that tells variants apart. */
#define T_CORE G_GUINT64_CONSTANT (0x7f1000000000)
#define T_APP G_GUINT64_CONSTANT (0x555500000000)
#define SITE(n) (T_APP + 0x100 * (n))

static gchar *
trace_path (const gchar * name)
{
  gchar *file = g_strconcat (name, ".trace", NULL);
  gchar *path = g_build_filename (tmpdir, file, NULL);

  g_free (file);
  return path;
}

static GenTrace *
hand_new (const gchar * name)
{
  gchar *path = trace_path (name);
  GenTrace *g = gen_trace_new (path);

  ck_assert_ptr_nonnull (g);
  g_free (path);
  gen_standard_rows (g);
  gen_module (g, 1, "/nonexistent/test/libgstreamer-1.0.so.0", T_CORE,
      0x100000);
  gen_module (g, 2, "/nonexistent/test/app", T_APP, 0x100000);
  return g;
}

/* Stack id at site n; variant changes only an outer frame. */
static void
hand_stack (GenTrace * g, guint id, guint site, guint variant)
{
  guint64 frames[] = { T_CORE + 0x10 * id, SITE (site),
    T_APP + 0x8000 + 0x10 * variant
  };

  gen_stack (g, id, frames, G_N_ELEMENTS (frames));
}

static MemTraceTrace *
open_trace (const gchar * name)
{
  gchar *path = trace_path (name);
  GError *error = NULL;
  MemTraceTrace *t = memtrace_trace_open (path, &error);

  ck_assert_msg (t != NULL, "cannot open %s: %s", path,
      error ? error->message : "?");
  g_free (path);
  return t;
}

static MemTraceTrace *
hand_close (GenTrace * g, const gchar * name, guint64 end_ts)
{
  ck_assert (gen_trace_close (g, name, end_ts));
  return open_trace (name);
}

static void
mem (GenTrace * g, guint64 ts, guint64 id, guint32 stack, guint64 address,
    guint64 parent, guint64 size, guint64 maxsize)
{
  gen_created (g, 1, ts, id, GEN_T_MEMORY, stack, address);
  gen_alloc (g, 1, ts, id, 50, parent, size, maxsize, 7, 0, 0);
}

/* The timeline: buffer 10; memories 11, 12, 13 (a sub-memory of 12), 14,
 * 17 and 16 (never freed); event 15.  Live bytes: 100 from 1000, 400 from
 * 2000, 300 from 3000, 1300 from 5000, 100 from 6000 (12 and 14 go as 17
 * comes: never 1400), 0 from 6200, 10 from 6500. */
static MemTraceTrace *
timeline_trace (void)
{
  GenTrace *g = hand_new ("timeline");
  guint i;

  for (i = 1; i <= 5; i++)
    hand_stack (g, i, i == 2 ? 1 : i - 1, 0);
  gen_created (g, 1, 1000, 10, GEN_T_BUFFER, 1, 0x8000);
  mem (g, 1000, 11, 2, 0x1000, 0, 100, 107);
  mem (g, 2000, 12, 3, 0x3000, 0, 300, 307);
  gen_destroyed (g, 1, 3000, 11);
  mem (g, 4000, 13, 3, 0x5000, 12, 50, 307);
  mem (g, 5000, 14, 4, 0x2000, 0, 1000, 1007);
  gen_created (g, 1, 5100, 15, GEN_T_EVENT, 5, 0x9900);
  gen_destroyed (g, 1, 5500, 15);
  gen_destroyed (g, 1, 6000, 12);
  gen_destroyed (g, 1, 6000, 14);
  mem (g, 6000, 17, 4, 0xa000, 0, 100, 107);
  gen_destroyed (g, 1, 6200, 17);
  mem (g, 6500, 16, 4, 0x9000, 0, 10, 17);
  gen_destroyed (g, 1, 7000, 10);
  gen_destroyed (g, 1, 7000, 13);
  gen_alive (g, 1, 8000, 16, 0);
  return hand_close (g, "timeline", 8000);
}

static MemTraceTimeline *
timeline (MemTraceTrace * t, guint n_bins, gint64 from, gint64 to,
    guint n_types)
{
  MemTraceTimelineOptions o = { n_bins, from, to, n_types, 0 };
  GError *error = NULL;
  MemTraceTimeline *tl = memtrace_timeline_analyse (t, NULL, &o, &error);

  ck_assert_msg (tl != NULL, "timeline: %s", error ? error->message : "?");
  return tl;
}

#define BIN(tl, i) (&g_array_index ((tl)->bins, MemTraceTimelineBin, (i)))
#define SERIES(tl, i) \
    ((MemTraceTimelineSeries *) g_ptr_array_index ((tl)->series, (i)))
#define I64(a, i) g_array_index ((a), gint64, (i))

static void
assert_bin (MemTraceTimeline * tl, guint i, gint64 start, gint64 bytes,
    gint64 objects, gint64 span, gint64 heap_bytes)
{
  MemTraceTimelineBin *b = BIN (tl, i);

  ck_assert_msg (b->start_ts == start && b->bytes == bytes
      && b->objects == objects && b->heap_span == span
      && b->heap_bytes == heap_bytes, "bin %u: start %" G_GINT64_FORMAT
      " bytes %" G_GINT64_FORMAT " objects %" G_GINT64_FORMAT " span %"
      G_GINT64_FORMAT " heap bytes %" G_GINT64_FORMAT, i, b->start_ts,
      b->bytes, b->objects, b->heap_span, b->heap_bytes);
}

START_TEST (test_timeline_exact)
{
  MemTraceTrace *t = timeline_trace ();
  MemTraceTimeline *tl = timeline (t, 7, 1000, 8000, 2);
  MemTracePeakGroup *g;

  ck_assert_int_eq (tl->bin_width, 1000);
  ck_assert_int_eq (tl->bins->len, 7);
  /* Spans: [0x1000, +107), then with [0x3000, +307), ..., then only the
   * memory never freed, [0x9000, +17). */
  assert_bin (tl, 0, 1000, 100, 2, 107, 100);
  assert_bin (tl, 1, 2000, 400, 3, 0x3000 + 307 - 0x1000, 400);
  assert_bin (tl, 2, 3000, 300, 2, 307, 300);
  assert_bin (tl, 3, 4000, 300, 3, 307, 300);
  assert_bin (tl, 4, 5000, 1300, 5, 0x3000 + 307 - 0x2000, 1300);
  assert_bin (tl, 5, 6000, 100, 3, 17, 10);
  assert_bin (tl, 6, 7000, 10, 1, 17, 10);
  /* allocated = size + prefix + padding + align (memories.allocated) */
  ck_assert_int_eq (BIN (tl, 4)->allocated_bytes, (300 + 7) + (1000 + 7));
  ck_assert_int_eq (BIN (tl, 4)->created, 2);
  ck_assert_int_eq (BIN (tl, 5)->created, 2);
  ck_assert_int_eq (BIN (tl, 5)->destroyed, 3);
  ck_assert_int_eq (BIN (tl, 4)->heap_memories, 2);

  ck_assert_int_eq (tl->peak_bytes, 1300);
  ck_assert_int_eq (tl->peak_ts, 5000);
  ck_assert_int_eq (tl->peak_allocated_bytes, (300 + 7) + (1000 + 7));
  ck_assert_int_eq (tl->peak_objects, 4);
  ck_assert_int_eq (tl->max_objects, 5);
  ck_assert_int_eq (tl->max_objects_ts, 5100);

  /* At the peak: memory 14 (site 3), 12 and its sub-memory 13 (site 2),
   * buffer 10 (site 0). */
  ck_assert_int_eq (tl->at_peak->len, 3);
  g = &g_array_index (tl->at_peak, MemTracePeakGroup, 0);
  ck_assert_str_eq (g->type, "GstMemory");
  ck_assert_uint_eq (g->site, SITE (3));
  ck_assert_int_eq (g->stack_id, 4);
  ck_assert_int_eq (g->bytes, 1000);
  ck_assert_int_eq (g->allocated_bytes, 1000 + 7);
  g = &g_array_index (tl->at_peak, MemTracePeakGroup, 1);
  ck_assert_uint_eq (g->site, SITE (2));
  ck_assert_int_eq (g->objects, 2);
  ck_assert_int_eq (g->bytes, 300);
  g = &g_array_index (tl->at_peak, MemTracePeakGroup, 2);
  ck_assert_str_eq (g->type, "GstBuffer");
  ck_assert_int_eq (g->objects, 1);

  /* Two series and "other"; GstEvent before GstBuffer (same peaks, lower
   * type id).  They add up to the bins. */
  ck_assert_int_eq (tl->series->len, 3);
  ck_assert_str_eq (SERIES (tl, 0)->type, "GstMemory");
  ck_assert_int_eq (SERIES (tl, 0)->peak_bytes, 1300);
  ck_assert_int_eq (SERIES (tl, 0)->peak_objects, 3);
  ck_assert_str_eq (SERIES (tl, 1)->type, "GstEvent");
  ck_assert_str_eq (SERIES (tl, 2)->type, "other");
  ck_assert_int_eq (I64 (SERIES (tl, 0)->bytes, 4), 1300);
  ck_assert_int_eq (I64 (SERIES (tl, 0)->objects, 4), 3);
  ck_assert_int_eq (I64 (SERIES (tl, 1)->objects, 4), 1);
  ck_assert_int_eq (I64 (SERIES (tl, 2)->objects, 4), 1);
  ck_assert_int_eq (I64 (SERIES (tl, 2)->objects, 6), 0);
  ck_assert_int_eq (I64 (SERIES (tl, 0)->objects, 6), 1);
  memtrace_timeline_free (tl);
  memtrace_trace_close (t);
}
END_TEST

START_TEST (test_timeline_window)
{
  MemTraceTrace *t = timeline_trace ();
  MemTraceTimeline *tl;
  MemTracePeakGroup *g;

  /* What was made before the window is live in it: the peak is its start. */
  tl = timeline (t, 2, 2500, 4500, 0);
  ck_assert_int_eq (tl->from_ts, 2500);
  ck_assert_int_eq (tl->to_ts, 4500);
  assert_bin (tl, 0, 2500, 400, 3, 307, 300);
  assert_bin (tl, 1, 3500, 300, 3, 307, 300);
  ck_assert_int_eq (tl->peak_bytes, 400);
  ck_assert_int_eq (tl->peak_ts, 2500);
  ck_assert_int_eq (tl->peak_objects, 3);
  g = &g_array_index (tl->at_peak, MemTracePeakGroup, 0);
  ck_assert_uint_eq (g->site, SITE (2));
  ck_assert_int_eq (g->bytes, 300);
  g = &g_array_index (tl->at_peak, MemTracePeakGroup, 1);
  ck_assert_uint_eq (g->site, SITE (1));
  ck_assert_int_eq (g->bytes, 100);
  memtrace_timeline_free (tl);

  /* A window that starts as memory 11 is freed: it is not live then. */
  tl = timeline (t, 3, 3000, 4500, 0);
  assert_bin (tl, 0, 3000, 300, 2, 307, 300);
  assert_bin (tl, 2, 4000, 300, 3, 307, 300);
  ck_assert_int_eq (tl->peak_bytes, 300);
  ck_assert_int_eq (tl->peak_ts, 3000);
  ck_assert_int_eq (tl->at_peak->len, 2);
  memtrace_timeline_free (tl);

  /* A window asked to end at the largest time there is: its arithmetic
   * stays in range (UBSan, in the sanitizer pass, aborts on overflow), and
   * the whole trace falls in the first bin, peak and all. */
  tl = timeline (t, 2, 2500, G_MAXINT64, 0);
  ck_assert_int_eq (tl->from_ts, 2500);
  ck_assert_int_eq (tl->to_ts, MEMTRACE_TS_LIMIT);
  ck_assert_int_eq (tl->bin_width, (MEMTRACE_TS_LIMIT - 2500 + 1) / 2);
  ck_assert_int_eq (BIN (tl, 0)->bytes, 1300);
  ck_assert_int_eq (tl->peak_bytes, 1300);
  memtrace_timeline_free (tl);
  memtrace_trace_close (t);
}
END_TEST

/* Lifetimes: GstEvents living 0 .. 3e9 ns from sites 1 and 2, two
 * GstBuffers, one event never destroyed. */
static const gint64 event_lives[] = { 0, 1, 2, 3, 1000, 1023, 1024, 500000,
  2000000, G_GINT64_CONSTANT (3000000000)
};

START_TEST (test_lifetimes_exact)
{
  GenTrace *g = hand_new ("lifetimes");
  MemTraceLifetimeOptions o = { 0, 3 };
  MemTraceLifetimes *lt;
  MemTraceLifetimeDist *d;
  MemTraceTemporaries *tmp;
  MemTraceTrace *t;
  GError *error = NULL;
  gint64 total = 0;
  guint i;

  hand_stack (g, 1, 1, 0);
  hand_stack (g, 2, 2, 0);
  for (i = 0; i < G_N_ELEMENTS (event_lives); i++) {
    gen_created (g, 1, 1000 + i, 100 + i, GEN_T_EVENT, i < 5 ? 1 : 2, 0);
    gen_destroyed (g, 1, 1000 + i + event_lives[i], 100 + i);
    total += event_lives[i];
  }
  gen_created (g, 1, 1000, 200, GEN_T_EVENT, 1, 0);
  gen_created (g, 1, 1000, 201, GEN_T_BUFFER, 1, 0);
  gen_destroyed (g, 1, 1010, 201);
  gen_created (g, 1, 1000, 202, GEN_T_BUFFER, 1, 0);
  gen_destroyed (g, 1, 1020, 202);
  t = hand_close (g, "lifetimes", G_GINT64_CONSTANT (3000002000));
  lt = memtrace_lifetimes_analyse (t, NULL, &o, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");

  ck_assert_int_eq (lt->all.count, 12);
  ck_assert_int_eq (lt->all.alive_at_end, 1);
  ck_assert_int_eq (lt->by_type->len, 2);
  d = g_ptr_array_index (lt->by_type, 0);
  ck_assert_str_eq (d->name, "GstEvent");
  ck_assert_int_eq (d->id, GEN_T_EVENT);
  ck_assert_int_eq (d->count, 10);
  ck_assert_int_eq (d->alive_at_end, 1);
  ck_assert_int_eq (d->total_ns, total);
  ck_assert_int_eq (d->min_ns, 0);
  ck_assert_int_eq (d->max_ns, 3000000000);
  /* Bucket i holds [2^(i-1), 2^i). */
  ck_assert_int_eq (d->buckets[0], 1);
  ck_assert_int_eq (d->buckets[1], 1);
  ck_assert_int_eq (d->buckets[2], 2);
  ck_assert_int_eq (d->buckets[10], 2);
  ck_assert_int_eq (d->buckets[11], 1);
  ck_assert_int_eq (d->buckets[19], 1);
  ck_assert_int_eq (d->buckets[21], 1);
  ck_assert_int_eq (d->buckets[32], 1);
  /* Nearest rank, at the top of its sixteenth of an octave. */
  ck_assert_int_eq (d->p50_ns, 1023);
  ck_assert_int_eq (d->p90_ns, 31 * 65536 - 1);
  ck_assert_int_eq (d->p99_ns, 3000000000);
  d = g_ptr_array_index (lt->by_type, 1);
  ck_assert_str_eq (d->name, "GstBuffer");
  ck_assert_int_eq (d->buckets[4], 1);
  ck_assert_int_eq (d->buckets[5], 1);
  ck_assert_int_eq (d->p50_ns, 10);

  /* Sites: 1 has events 0-4 and both buffers, 2 the other five. */
  ck_assert_int_eq (lt->by_site->len, 2);
  d = g_ptr_array_index (lt->by_site, 0);
  ck_assert_int_eq (d->id, (gint64) SITE (1));
  ck_assert_int_eq (d->count, 7);
  ck_assert_int_eq (d->stack_id, 1);
  d = g_ptr_array_index (lt->by_site, 1);
  ck_assert_int_eq (d->count, 5);

  /* The three longest, longest first. */
  ck_assert_int_eq (lt->outliers->len, 3);
  ck_assert_int_eq (g_array_index (lt->outliers, MemTraceLifetimeOutlier,
          0).object, 109);
  ck_assert_int_eq (g_array_index (lt->outliers, MemTraceLifetimeOutlier,
          0).lifetime_ns, 3000000000);
  ck_assert_int_eq (g_array_index (lt->outliers, MemTraceLifetimeOutlier,
          1).object, 108);
  ck_assert_int_eq (g_array_index (lt->outliers, MemTraceLifetimeOutlier,
          2).object, 107);

  /* Under 1 ms: events 0-7 and both buffers. */
  ck_assert_int_eq (lt->n_temporaries, 10);
  ck_assert_int_eq (lt->temporaries->len, 3);
  tmp = &g_array_index (lt->temporaries, MemTraceTemporaries, 0);
  ck_assert_str_eq (tmp->type, "GstEvent");
  ck_assert_uint_eq (tmp->site, SITE (1));
  ck_assert_int_eq (tmp->count, 5);
  tmp = &g_array_index (lt->temporaries, MemTraceTemporaries, 1);
  ck_assert_uint_eq (tmp->site, SITE (2));
  ck_assert_int_eq (tmp->count, 3);
  ck_assert_int_eq (tmp->stack_id, 2);
  memtrace_lifetimes_free (lt);
  memtrace_trace_close (t);
}
END_TEST

/* Pools: pool 100 ("mypool" in element 101) of max 4 buffers, two made
 * and filled in at activation; buffer 110 out 1000-4000 and 6500-7000,
 * 112 out 2000-6000 and 7000-7200 (the same time 110 is back: never 3
 * out then) and for no time at all at 7500, 114 (made at 3000) never
 * back; two waits. */
static MemTraceTrace *
pool_trace (void)
{
  GenTrace *g = hand_new ("pools");
  guint64 buffers[] = { 110, 112, 114 };
  guint i;

  hand_stack (g, 1, 1, 0);
  hand_stack (g, 7, 7, 0);
  hand_stack (g, 8, 8, 0);
  gen_created (g, 1, 50, 101, GEN_T_SRC, 1, 0x100);
  gen_name (g, 1, 50, 101, 0, "mysrc");
  gen_created (g, 1, 60, 100, GEN_T_POOL, 1, 0x200);
  gen_name (g, 1, 60, 100, 101, "mypool");
  gen_pool_config (g, 1, 100, 100, 4096, 2, 4);
  for (i = 0; i < 3; i++) {
    guint64 ts = i < 2 ? 100 : 3000;

    gen_created (g, 1, ts, buffers[i], GEN_T_BUFFER, 1, 0x1000 * (i + 1));
    mem (g, ts, buffers[i] + 1, 1, 0x10000 * (i + 1), 0, 4096, 4103);
    gen_ev (g, 1, MEMTRACE_EV_POOL_ALLOC, ts, buffers[i], 0, 100, 0, 0);
    if (i < 2)
      gen_ev (g, 1, MEMTRACE_EV_POOL_RELEASE, ts, buffers[i], 0, 100, 0, 0);
  }
  gen_ev (g, 2, MEMTRACE_EV_POOL_ACQUIRE, 1000, 110, 1, 100, 0, 0);
  gen_ev (g, 2, MEMTRACE_EV_POOL_ACQUIRE, 2000, 112, 1, 100, 0, 0);
  gen_ev (g, 2, MEMTRACE_EV_POOL_ACQUIRE, 3000, 114, 1, 100, 0, 0);
  gen_ev (g, 3, MEMTRACE_EV_POOL_RELEASE, 4000, 110, 0, 100, 0, 0);
  gen_ev (g, 2, MEMTRACE_EV_POOL_WAIT, 5000, 100, 7, 700, 0, 0);
  gen_ev (g, 2, MEMTRACE_EV_POOL_WAIT, 5500, 100, 8, 300, 0, 0);
  gen_ev (g, 3, MEMTRACE_EV_POOL_RELEASE, 6000, 112, 0, 100, 0, 0);
  gen_ev (g, 2, MEMTRACE_EV_POOL_ACQUIRE, 6500, 110, 1, 100, 0, 0);
  gen_ev (g, 2, MEMTRACE_EV_POOL_ACQUIRE, 7000, 112, 1, 100, 0, 0);
  gen_ev (g, 3, MEMTRACE_EV_POOL_RELEASE, 7000, 110, 0, 100, 0, 0);
  gen_ev (g, 3, MEMTRACE_EV_POOL_RELEASE, 7200, 112, 0, 100, 0, 0);
  gen_ev (g, 2, MEMTRACE_EV_POOL_ACQUIRE, 7500, 110, 1, 100, 0, 0);
  gen_ev (g, 3, MEMTRACE_EV_POOL_RELEASE, 7500, 110, 0, 100, 0, 0);
  for (i = 0; i < 3; i++) {
    guint64 mem_id = buffers[i] + 1;

    gen_buffer (g, 1, 7500, buffers[i], 0, &mem_id, 1);
    if (i < 2) {
      gen_destroyed (g, 1, 7500, buffers[i]);
      gen_destroyed (g, 1, 7500, mem_id);
    } else {
      gen_alive (g, 1, 8000, buffers[i], 0);
      gen_alive (g, 1, 8000, mem_id, 0);
    }
  }
  return hand_close (g, "pools", 8000);
}

START_TEST (test_pools_exact)
{
  MemTraceTrace *t = pool_trace ();
  MemTracePoolOptions o = { 8, 100, 8100 };
  MemTraceLifetimes *lt;
  MemTracePools *pools;
  MemTracePool *p;
  MemTracePoolConfig *c;
  MemTraceLifetimeDist *d;
  GError *error = NULL;
  static const gint64 outstanding[] = { 1, 2, 3, 3, 2, 2, 2, 2 };
  guint i;

  pools = memtrace_pools_analyse (t, NULL, &o, &error);
  ck_assert_msg (pools != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (pools->pools->len, 1);
  p = g_ptr_array_index (pools->pools, 0);
  ck_assert_int_eq (p->pool, 100);
  ck_assert_str_eq (p->name, "mypool");
  ck_assert_str_eq (p->type, "GstBufferPool");
  ck_assert_str_eq (p->owner, "mysrc");
  ck_assert_int_eq (p->configs->len, 1);
  c = &g_array_index (p->configs, MemTracePoolConfig, 0);
  ck_assert_int_eq (c->size, 4096);
  ck_assert_int_eq (c->min_buffers, 2);
  ck_assert_int_eq (c->max_buffers, 4);
  ck_assert_int_eq (p->buffers_allocated, 3);
  ck_assert_int_eq (p->acquires, 6);
  ck_assert_int_eq (p->releases, 5);
  ck_assert_int_eq (p->fills, 2);
  ck_assert_int_eq (p->peak_outstanding, 3);
  ck_assert_int_eq (p->peak_outstanding_ts, 3000);
  ck_assert_int_eq (p->leaked_outstanding, 1);
  ck_assert_int_eq (p->waits, 2);
  ck_assert_int_eq (p->wait_total_ns, 1000);
  ck_assert_int_eq (p->wait_max_ns, 700);
  ck_assert_int_eq (p->wait_max_ts, 5000);
  ck_assert_int_eq (p->wait_max_stack_id, 7);
  ck_assert_int_eq (p->memory_count, 3);
  ck_assert_int_eq (p->memory_bytes, 3 * 4096);
  ck_assert_int_eq (p->memory_allocated_bytes, 3 * (4096 + 7));
  ck_assert (p->reuse_ratio == 2.0);
  ck_assert_int_eq (pools->bin_width, 1000);
  for (i = 0; i < G_N_ELEMENTS (outstanding); i++)
    ck_assert_msg (I64 (p->outstanding, i) == outstanding[i],
        "bin %u: %" G_GINT64_FORMAT " out", i, I64 (p->outstanding, i));

  /* The lifetimes' view: 3000, 4000, 500, 200 and 0 ns out, one still
   * out. */
  lt = memtrace_lifetimes_analyse (t, NULL, NULL, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (lt->by_pool->len, 1);
  d = g_ptr_array_index (lt->by_pool, 0);
  ck_assert_str_eq (d->name, "mypool");
  ck_assert_int_eq (d->id, 100);
  ck_assert_int_eq (d->count, 5);
  ck_assert_int_eq (d->alive_at_end, 1);
  ck_assert_int_eq (d->min_ns, 0);
  ck_assert_int_eq (d->max_ns, 4000);
  ck_assert_int_eq (d->buckets[0], 1);
  ck_assert_int_eq (d->buckets[8], 1);
  ck_assert_int_eq (d->buckets[9], 1);
  ck_assert_int_eq (d->buckets[12], 2);
  memtrace_lifetimes_free (lt);
  memtrace_pools_free (pools);
  memtrace_trace_close (t);
}
END_TEST

/* Hotspots: site 1 makes 10 buffers and 7 memories of 100 bytes at stack
 * 1, 3 memories of 1000 at stack 2; site 2 two of 4000; site 3 fifty
 * events.  A memory of site 1 leaks, a buffer there is only "may be
 * leaked". */
static MemTraceTrace *
hotspots_trace (void)
{
  GenTrace *g = hand_new ("hotspots");
  guint64 id = 1000, ts = 1000;
  guint i;

  hand_stack (g, 1, 1, 0);
  hand_stack (g, 2, 1, 1);
  hand_stack (g, 3, 2, 0);
  hand_stack (g, 4, 3, 0);
  hand_stack (g, 5, 4, 0);
  gen_created (g, 1, 10, 50, GEN_T_SYSMEM, 5, 0x50);
  gen_name (g, 1, 10, 50, 0, "SystemMemory");
  for (i = 0; i < 10; i++) {
    gen_created (g, 1, ts++, id, GEN_T_BUFFER, 1, 0x100);
    if (i)
      gen_destroyed (g, 1, ts++, id);
    else
      gen_alive (g, 1, 9000, id, MEMTRACE_ALIVE_FLAG_MAY_BE_LEAKED);
    id++;
  }
  for (i = 0; i < 10; i++) {
    mem (g, ts++, id, i < 7 ? 1 : 2, 0x1000, 0, i < 7 ? 100 : 1000,
        i < 7 ? 107 : 1007);
    if (i)
      gen_destroyed (g, 1, ts++, id);
    else
      gen_alive (g, 1, 9000, id, 0);
    id++;
  }
  for (i = 0; i < 2; i++) {
    mem (g, ts++, id, 3, 0x1000, 0, 4000, 4007);
    gen_destroyed (g, 1, ts++, id++);
  }
  for (i = 0; i < 50; i++) {
    gen_created (g, 1, ts++, id, GEN_T_EVENT, 4, 0x300);
    gen_destroyed (g, 1, ts++, id++);
  }
  return hand_close (g, "hotspots", 9000);
}

static MemTraceHotspots *
hotspots (MemTraceTrace * t, MemTraceHotspotSort sort, guint n)
{
  MemTraceHotspotOptions o = { sort, n };
  GError *error = NULL;
  MemTraceHotspots *hs = memtrace_hotspots_analyse (t, NULL, &o, &error);

  ck_assert_msg (hs != NULL, "%s", error ? error->message : "?");
  return hs;
}

#define HOT(hs, i) (&g_array_index ((hs)->sites, MemTraceHotspot, (i)))

START_TEST (test_hotspots_order)
{
  MemTraceTrace *t = hotspots_trace ();
  MemTraceHotspots *hs = hotspots (t, MEMTRACE_HOTSPOT_BY_BYTES, 0);
  MemTraceHotspot *h;
  MemTraceTally *tally;

  ck_assert_int_eq (hs->sites->len, 4);       /* and the allocator's */
  ck_assert_uint_eq (HOT (hs, 0)->site, SITE (2));
  ck_assert_uint_eq (HOT (hs, 1)->site, SITE (1));
  ck_assert_uint_eq (HOT (hs, 2)->site, SITE (3));
  h = HOT (hs, 1);
  ck_assert_int_eq (h->objects, 20);
  ck_assert_int_eq (h->bytes, 3700);
  ck_assert_int_eq (h->allocated_bytes, 7 * (100 + 7) + 3 * (1000 + 7));
  ck_assert_int_eq (h->live_at_end, 2);
  ck_assert_int_eq (h->leaked, 1);
  ck_assert_int_eq (h->leaked_bytes, 100);
  ck_assert_int_eq (h->n_stacks, 2);
  ck_assert_int_eq (h->stack_id, 2);  /* the most bytes */
  ck_assert_int_eq (h->memories, 10);
  ck_assert_int_eq (h->types->len, 2);
  tally = &g_array_index (h->types, MemTraceTally, 0);
  ck_assert_str_eq (tally->type, "GstMemory");
  ck_assert_int_eq (tally->objects, 10);
  ck_assert_int_eq (tally->bytes, 3700);
  ck_assert_int_eq (hs->objects, 73);
  ck_assert_int_eq (hs->bytes, 11700);
  ck_assert_int_eq (hs->leaked, 1);
  ck_assert_int_eq (hs->allocators->len, 1);
  ck_assert_str_eq (g_array_index (hs->allocators, MemTraceHotspot,
          0).site_name, "SystemMemory");
  ck_assert_int_eq (g_array_index (hs->allocators, MemTraceHotspot,
          0).memories, 12);
  memtrace_hotspots_free (hs);

  hs = hotspots (t, MEMTRACE_HOTSPOT_BY_COUNT, 2);
  ck_assert_int_eq (hs->sites->len, 2);
  ck_assert_int_eq (hs->n_sites_total, 4);
  ck_assert_uint_eq (HOT (hs, 0)->site, SITE (3));
  ck_assert_int_eq (HOT (hs, 0)->objects, 50);
  ck_assert_uint_eq (HOT (hs, 1)->site, SITE (1));
  ck_assert_int_eq (HOT (hs, 1)->stack_id, 1);        /* the most objects */
  memtrace_hotspots_free (hs);
  memtrace_trace_close (t);
}
END_TEST

/* Windows: of the hotspots trace, [1019, 1042) holds the 10 memories of
 * site 1 (the leaked one first) and the 2 of site 2, and no buffer or
 * event; of the pools trace, [2500, 7100) the acquires at 3000 (never
 * back), 6500 (500 ns out) and 7000 (200 ns). */
START_TEST (test_window_options)
{
  MemTraceTrace *t = hotspots_trace ();
  MemTraceHotspotOptions ho = { MEMTRACE_HOTSPOT_BY_BYTES, 0 };
  MemTraceLifetimeOptions lo = { 0, };
  MemTraceHotspots *hs;
  MemTraceLifetimes *lt;
  MemTraceLifetimeDist *d;
  GError *error = NULL;

  ho.window.from_ts = lo.window.from_ts = 1019;
  ho.window.to_ts = lo.window.to_ts = 1042;
  hs = memtrace_hotspots_analyse (t, NULL, &ho, &error);
  ck_assert_msg (hs != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (hs->sites->len, 2);
  ck_assert_int_eq (hs->objects, 12);
  ck_assert_int_eq (hs->bytes, 3700 + 8000);
  ck_assert_int_eq (hs->leaked, 1);
  ck_assert_uint_eq (HOT (hs, 0)->site, SITE (2));
  ck_assert_int_eq (HOT (hs, 0)->objects, 2);
  ck_assert_uint_eq (HOT (hs, 1)->site, SITE (1));
  ck_assert_int_eq (HOT (hs, 1)->objects, 10);
  ck_assert_int_eq (HOT (hs, 1)->live_at_end, 1);
  ck_assert_int_eq (HOT (hs, 1)->types->len, 1);
  ck_assert_int_eq (hs->from_ts, 1019);
  ck_assert_int_eq (hs->to_ts, 1042);
  memtrace_hotspots_free (hs);

  lt = memtrace_lifetimes_analyse (t, NULL, &lo, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (lt->all.count, 11);
  ck_assert_int_eq (lt->all.alive_at_end, 1);
  ck_assert_int_eq (lt->all.total_ns, 11);
  ck_assert_int_eq (lt->by_type->len, 1);
  ck_assert_str_eq (((MemTraceLifetimeDist *) g_ptr_array_index
          (lt->by_type, 0))->name, "GstMemory");
  memtrace_lifetimes_free (lt);

  /* A checkpoint that does not exist is an error, as for the leaks. */
  ho.window.from_checkpoint = "nosuch";
  hs = memtrace_hotspots_analyse (t, NULL, &ho, &error);
  ck_assert (hs == NULL);
  ck_assert_msg (g_error_matches (error, MEMTRACE_ERROR,
          MEMTRACE_ERROR_USAGE), "%s", error ? error->message : "?");
  g_clear_error (&error);
  memtrace_trace_close (t);

  t = pool_trace ();
  lo.window.from_ts = 2500;
  lo.window.to_ts = 7100;
  lt = memtrace_lifetimes_analyse (t, NULL, &lo, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (lt->by_pool->len, 1);
  d = g_ptr_array_index (lt->by_pool, 0);
  ck_assert_int_eq (d->count, 2);
  ck_assert_int_eq (d->alive_at_end, 1);
  ck_assert_int_eq (d->min_ns, 200);
  ck_assert_int_eq (d->max_ns, 500);
  memtrace_lifetimes_free (lt);
  memtrace_trace_close (t);
}
END_TEST

/* Checkpoints bound a window as they bound the leaks: made after the
 * first, up to and with the second.  Buffers at 100, 200, 300 and 400
 * (living 1, 2, 3 and 4 ns), checkpoints "a" at 150 and "b" at 300. */
START_TEST (test_window_checkpoints)
{
  GenTrace *g = hand_new ("window-checkpoints");
  MemTraceHotspotOptions ho = { MEMTRACE_HOTSPOT_BY_COUNT, 0 };
  MemTraceLifetimeOptions lo = { 0, };
  MemTraceEvent cp = { 0, };
  MemTraceHotspots *hs;
  MemTraceLifetimes *lt;
  MemTraceTrace *t;
  GError *error = NULL;
  guint i;

  hand_stack (g, 1, 1, 0);
  cp.kind = MEMTRACE_EV_CHECKPOINT;
  for (i = 1; i <= 4; i++) {
    gen_created (g, 1, 100 * i, 10 + i, GEN_T_BUFFER, 1, 0x100);
    gen_destroyed (g, 1, 100 * i + i, 10 + i);
    if (i == 1 || i == 3) {
      cp.ts = i == 1 ? 150 : 300;
      cp.text_len = 1;
      cp.text[0] = i == 1 ? 'a' : 'b';
      gen_event (g, 1, &cp);
    }
  }
  t = hand_close (g, "window-checkpoints", 1000);
  ho.window.from_checkpoint = lo.window.from_checkpoint = "a";
  ho.window.to_checkpoint = lo.window.to_checkpoint = "2";
  hs = memtrace_hotspots_analyse (t, NULL, &ho, &error);
  ck_assert_msg (hs != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (hs->objects, 2);
  ck_assert_int_eq (hs->from_ts, 151);
  ck_assert_int_eq (hs->to_ts, 301);
  memtrace_hotspots_free (hs);
  lt = memtrace_lifetimes_analyse (t, NULL, &lo, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (lt->all.count, 2);
  ck_assert_int_eq (lt->all.min_ns, 2);
  ck_assert_int_eq (lt->all.max_ns, 3);
  memtrace_lifetimes_free (lt);

  /* The wrong way round. */
  lo.window.from_checkpoint = "b";
  lo.window.to_checkpoint = "a";
  lt = memtrace_lifetimes_analyse (t, NULL, &lo, &error);
  ck_assert (lt == NULL);
  ck_assert_msg (g_error_matches (error, MEMTRACE_ERROR,
          MEMTRACE_ERROR_USAGE), "%s", error ? error->message : "?");
  g_clear_error (&error);
  memtrace_trace_close (t);
}
END_TEST

/* The overview's numbers, kept in the trace: of the timeline trace, 8
 * objects, memory 16 alive at the end (leaked), the peak of 1300 bytes at
 * 5000.  Another number of bins is another key for the timeline (not for
 * the others); a read-only connection keeps nothing. */
START_TEST (test_summary_kept)
{
  MemTraceTrace *t = timeline_trace (), *ro;
  MemTraceSummary *s, *kept;
  GError *error = NULL;
  sqlite3 *db;

  ck_assert (memtrace_summary_load (t, 10, NULL) == NULL);
  s = memtrace_summary_compute (t, NULL, 10, NULL, &error);
  ck_assert_msg (s != NULL, "%s", error ? error->message : "?");
  kept = memtrace_summary_load (t, 10, NULL);
  ck_assert (kept && kept->has_info && kept->has_timeline && kept->has_leaks);
  ck_assert_int_eq (kept->created, 8);
  ck_assert_int_eq (kept->alive, 1);
  ck_assert_int_eq (kept->n_events, s->n_events);
  ck_assert_int_eq (kept->peak_bytes, 1300);
  ck_assert_int_eq (kept->peak_ts, 5000);
  ck_assert_int_eq (kept->leaked_objects, 1);
  ck_assert_int_eq (kept->leak_groups, 1);
  ck_assert_int_eq (kept->bins->len, 10);
  ck_assert (memcmp (kept->bins->data, s->bins->data, 10 * 8) == 0);
  ck_assert_int_eq (kept->from_ts, s->from_ts);
  ck_assert_int_eq (kept->to_ts, s->to_ts);
  memtrace_summary_free (kept);
  kept = memtrace_summary_load (t, 20, NULL);
  ck_assert (kept && kept->has_info && !kept->has_timeline);
  memtrace_summary_free (kept);

  ck_assert (sqlite3_open_v2 (memtrace_trace_path (t), &db,
          SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
  ro = memtrace_trace_new_for_db (db, memtrace_trace_path (t), FALSE);
  ck_assert (!memtrace_summary_store (ro, 20, NULL, s));
  kept = memtrace_summary_load (ro, 20, NULL);
  ck_assert (kept && !kept->has_timeline);
  memtrace_summary_free (kept);
  memtrace_trace_close (ro);
  sqlite3_close (db);
  memtrace_summary_free (s);
  memtrace_trace_close (t);
}
END_TEST

/* Waste: memory 11 from the default allocator with prefix 16, padding 32
 * and align 63, 12 from "myalloc" with 100 of padding, 13 a sub-memory of
 * 11 and 14 seen only at its end. */
START_TEST (test_frag_exact)
{
  GenTrace *g = hand_new ("frag");
  MemTraceFragOptions o = { 0, };
  MemTraceFrag *f;
  MemTraceWaste *w;
  MemTraceTrace *t;
  GError *error = NULL;

  hand_stack (g, 1, 1, 0);
  hand_stack (g, 2, 2, 0);
  gen_created (g, 1, 10, 50, GEN_T_SYSMEM, 1, 0x50);
  gen_name (g, 1, 10, 50, 0, "SystemMemory");
  gen_created (g, 1, 10, 51, GEN_T_ALLOCATOR, 1, 0x60);
  gen_name (g, 1, 10, 51, 0, "myalloc");
  gen_created (g, 1, 1000, 11, GEN_T_MEMORY, 1, 0x1000);
  gen_alloc (g, 1, 1000, 11, 50, 0, 1000, 1111, 63, 16, 32);
  gen_created (g, 1, 2000, 12, GEN_T_MEMORY, 2, 0x2000);
  gen_alloc (g, 1, 2000, 12, 51, 0, 500, 600, 0, 0, 100);
  gen_created (g, 1, 3000, 13, GEN_T_MEMORY, 1, 0x3000);
  gen_created (g, 1, 3000, 14, GEN_T_MEMORY, 2, 0x4000);
  gen_memory (g, 1, 4000, 13, 50, 11, 100, 1111, 63);
  gen_destroyed (g, 1, 4000, 13);
  gen_memory (g, 1, 4000, 14, 50, 0, 10, 20, 0);
  gen_destroyed (g, 1, 4000, 14);
  gen_destroyed (g, 1, 5000, 11);
  gen_destroyed (g, 1, 5000, 12);
  t = hand_close (g, "frag", 10000);
  f = memtrace_frag_analyse (t, NULL, &o, &error);
  ck_assert_msg (f != NULL, "%s", error ? error->message : "?");

  ck_assert_int_eq (f->by_allocator->len, 2);
  w = &g_array_index (f->by_allocator, MemTraceWaste, 0);
  ck_assert_str_eq (w->name, "SystemMemory");
  ck_assert_int_eq (w->id, 50);
  ck_assert_int_eq (w->memories, 1);
  ck_assert_int_eq (w->bytes, 1000);
  ck_assert_int_eq (w->slack, 111);
  ck_assert_int_eq (w->align, 63);
  ck_assert_int_eq (w->prefix, 16);
  ck_assert_int_eq (w->padding, 32);
  /* size + prefix + padding + align, as memories.allocated */
  ck_assert_int_eq (w->allocated_bytes, 1000 + 16 + 32 + 63);
  ck_assert_int_eq (w->waste, 16 + 32 + 63);
  ck_assert (w->waste_ratio == 111.0 / 1111);
  w = &g_array_index (f->by_allocator, MemTraceWaste, 1);
  ck_assert_str_eq (w->name, "myalloc");
  ck_assert_int_eq (w->padding, 100);
  ck_assert_int_eq (w->waste, 100);

  ck_assert_int_eq (f->by_site->len, 2);
  w = &g_array_index (f->by_site, MemTraceWaste, 0);
  ck_assert_int_eq (w->id, (gint64) SITE (1));
  ck_assert_int_eq (w->waste, 16 + 32 + 63);
  ck_assert_int_eq (w->stack_id, 1);

  ck_assert_int_eq (f->total.memories, 2);
  ck_assert_int_eq (f->total.bytes, 1500);
  ck_assert_int_eq (f->total.waste, 16 + 32 + 63 + 100);
  ck_assert_int_eq (f->total.prefix, 16);
  ck_assert_int_eq (f->total.padding, 132);
  ck_assert_int_eq (f->memories, 3);
  ck_assert_int_eq (f->other_memories, 1);
  ck_assert_int_eq (f->pooled_memories, 0);
  ck_assert_int_eq (f->churn, 3);
  ck_assert_int_eq (f->duration_ns, 10001 - 10);
  ck_assert_ptr_nonnull (f->timeline);
  /* 11, 12 and 14 (its size as seen at its end). */
  ck_assert_int_eq (f->timeline->peak_bytes, 1510);
  ck_assert_ptr_nonnull (f->pools);
  ck_assert_int_eq (f->pool_use->len, 0);
  memtrace_frag_free (f);
  memtrace_trace_close (t);
}
END_TEST

START_TEST (test_frag_pools)
{
  MemTraceTrace *t = pool_trace ();
  MemTraceFragOptions o = { 0, };
  MemTraceFrag *f;
  MemTracePoolUse *u;
  GError *error = NULL;

  f = memtrace_frag_analyse (t, NULL, &o, &error);
  ck_assert_msg (f != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (f->pool_use->len, 1);
  u = &g_array_index (f->pool_use, MemTracePoolUse, 0);
  ck_assert_int_eq (u->pool->pool, 100);
  ck_assert_int_eq (u->config_size, 4096);
  ck_assert_int_eq (u->max_buffers, 4);
  ck_assert (u->used_per_buffer == 4096.0);
  ck_assert (u->used_ratio == 1.0);
  ck_assert (u->outstanding_ratio == 0.75);
  ck_assert_int_eq (u->waits, 2);
  ck_assert_int_eq (f->memories, 3);
  ck_assert_int_eq (f->pooled_memories, 3);
  ck_assert_int_eq (f->churn, 0);
  memtrace_frag_free (f);
  memtrace_trace_close (t);
}
END_TEST

static gint64
q_int (MemTraceTrace * t, const gchar * sql)
{
  sqlite3_stmt *st;
  gint64 v = -1;

  ck_assert_int_eq (sqlite3_prepare_v2 (memtrace_trace_db (t), sql, -1, &st,
          NULL), SQLITE_OK);
  if (sqlite3_step (st) == SQLITE_ROW)
    v = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  return v;
}

/* Without a connection of their own (the file is gone: only the trace's
 * connection still reads it), the analyses read in the calling thread and
 * find the same. */
START_TEST (test_own_connection_fallback)
{
  MemTraceTrace *t = pool_trace ();
  gchar *path = trace_path ("pools");
  MemTraceLifetimes *lt;
  MemTracePools *pools;
  MemTraceHotspots *hs;
  MemTraceTimeline *tl;
  GError *error = NULL;
  sqlite3 *db;

  ck_assert_int_eq (g_unlink (path), 0);
  db = memtrace_scan_db_open (t);
  ck_assert_ptr_null (db);
  tl = timeline (t, 8, 100, 8100, 0);
  ck_assert_int_eq (tl->peak_bytes, 3 * 4096);
  ck_assert_int_eq (tl->peak_ts, 3000);
  ck_assert_int_eq (BIN (tl, 0)->bytes, 2 * 4096);
  hs = hotspots (t, MEMTRACE_HOTSPOT_BY_BYTES, 0);
  ck_assert_int_eq (hs->bytes, 3 * 4096);
  ck_assert_int_eq (HOT (hs, 0)->memories, 3);
  ck_assert_int_eq (hs->leaked, 2);
  pools = memtrace_pools_analyse (t, NULL, NULL, &error);
  ck_assert_msg (pools != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (((MemTracePool *) g_ptr_array_index (pools->pools,
              0))->acquires, 6);
  ck_assert_int_eq (((MemTracePool *) g_ptr_array_index (pools->pools,
              0))->leaked_outstanding, 1);
  lt = memtrace_lifetimes_analyse (t, NULL, NULL, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (((MemTraceLifetimeDist *) g_ptr_array_index
          (lt->by_pool, 0))->count, 5);
  ck_assert_int_eq (lt->all.count, q_int (t, "SELECT count (destroyed) "
          "FROM objects"));
  memtrace_lifetimes_free (lt);
  memtrace_pools_free (pools);
  memtrace_hotspots_free (hs);
  memtrace_timeline_free (tl);
  memtrace_trace_close (t);
  g_free (path);
}
END_TEST

/* The generator's workload */

typedef struct
{
  gint64 *bytes, *objects;
  gint64 peak, peak_ts, max_objects;
} Brute;

/* Live bytes and objects per bin, from every creation and destruction in
 * time order: the state at a time is after everything at that time, and a
 * bin starts with the state at its start. */
static void
brute_force (MemTraceTrace * t, MemTraceTimeline * tl, Brute * b)
{
  sqlite3_stmt *st;
  guint n = tl->bins->len, bin = 0;
  gint64 bytes = 0, objects = 0;
  gboolean *set = g_new0 (gboolean, n);
  gint rc;

  b->bytes = g_new0 (gint64, n);
  b->objects = g_new0 (gint64, n);
  b->peak = b->max_objects = -1;
  ck_assert_int_eq (sqlite3_prepare_v2 (memtrace_trace_db (t),
          "WITH o AS (SELECT o.ts, o.destroyed, CASE WHEN m.parent IS NULL "
          "THEN coalesce (m.size, 0) ELSE 0 END AS size FROM objects o "
          "LEFT JOIN memories m ON m.obj = o.id), d AS (SELECT ts, size, 1 "
          "AS n FROM o UNION ALL SELECT destroyed, -size, -1 FROM o "
          "WHERE destroyed IS NOT NULL) SELECT ts, sum (size), sum (n) "
          "FROM d GROUP BY ts ORDER BY ts", -1, &st, NULL), SQLITE_OK);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    gint64 ts = sqlite3_column_int64 (st, 0);
    gint64 bytes_before = bytes, objects_before = objects;

    bytes += sqlite3_column_int64 (st, 1);
    objects += sqlite3_column_int64 (st, 2);
    /* Bins passed with nothing in them keep the state before this. */
    for (; bin + 1 < n && ts >= BIN (tl, bin + 1)->start_ts; bin++)
      if (!set[bin]) {
        b->bytes[bin] = bytes_before;
        b->objects[bin] = objects_before;
        set[bin] = TRUE;
      }
    if (!set[bin] && ts > BIN (tl, bin)->start_ts) {
      b->bytes[bin] = bytes_before;
      b->objects[bin] = objects_before;
      set[bin] = TRUE;
    }
    b->bytes[bin] = set[bin] ? MAX (b->bytes[bin], bytes) : bytes;
    b->objects[bin] = set[bin] ? MAX (b->objects[bin], objects) : objects;
    set[bin] = TRUE;
    if (bytes > b->peak) {
      b->peak = bytes;
      b->peak_ts = ts;
    }
    b->max_objects = MAX (b->max_objects, objects);
  }
  ck_assert_int_eq (rc, SQLITE_DONE);
  for (; bin < n; bin++)
    if (!set[bin]) {
      b->bytes[bin] = bytes;
      b->objects[bin] = objects;
    }
  sqlite3_finalize (st);
  g_free (set);
}

START_TEST (test_workload)
{
  gchar *path = trace_path ("workload");
  MemTraceTimeline *tl;
  MemTraceHotspots *hs;
  MemTracePools *pools;
  MemTraceLifetimes *lt;
  MemTraceTrace *t;
  GError *error = NULL;
  Brute b;
  guint64 n_events, n_objects;
  guint i;

  ck_assert (generate (path, 200000, 7, 3, "test-analyses", &n_events,
          &n_objects));
  ck_assert_uint_ge (n_events, 199000);
  t = open_trace ("workload");
  tl = timeline (t, 200, 0, 0, 0);
  brute_force (t, tl, &b);
  ck_assert_int_eq (tl->peak_bytes, b.peak);
  ck_assert_int_eq (tl->peak_ts, b.peak_ts);
  ck_assert_int_eq (tl->max_objects, b.max_objects);
  ck_assert_int_gt (tl->peak_bytes, 614400);
  for (i = 0; i < tl->bins->len; i++)
    ck_assert_msg (BIN (tl, i)->bytes == b.bytes[i]
        && BIN (tl, i)->objects == b.objects[i], "bin %u: %" G_GINT64_FORMAT
        " bytes, %" G_GINT64_FORMAT " objects, brute force %"
        G_GINT64_FORMAT ", %" G_GINT64_FORMAT, i, BIN (tl, i)->bytes,
        BIN (tl, i)->objects, b.bytes[i], b.objects[i]);
  /* The peak is the swell at 60% of the run. */
  ck_assert_int_gt (tl->peak_ts, tl->from_ts + (tl->to_ts - tl->from_ts) / 2);
  g_free (b.bytes);
  g_free (b.objects);

  hs = hotspots (t, MEMTRACE_HOTSPOT_BY_BYTES, 0);
  /* 7 leaked buffers and their memories; the allocator is flagged. */
  ck_assert_int_eq (hs->leaked, 14);
  ck_assert_int_eq (hs->objects, (gint64) n_objects);
  ck_assert_int_eq (hs->bytes, q_int (t, "SELECT sum (size) FROM memories "
          "WHERE parent IS NULL"));
  ck_assert_int_eq (hs->allocated_bytes, q_int (t, "SELECT sum (allocated) "
          "FROM memories WHERE parent IS NULL"));
  /* The 4096-byte buffers (site of stacks 3 and 4) come first by bytes,
   * then the pool's (5 and 6), then the 128-byte ones (1 and 2). */
  ck_assert_uint_eq (HOT (hs, 0)->site, PLUGIN + 0x100 * 2);
  ck_assert_int_eq (HOT (hs, 0)->bytes, q_int (t, "SELECT sum (size) "
          "FROM memories WHERE size = 4096"));
  ck_assert_uint_eq (HOT (hs, 1)->site, PLUGIN + 0x100 * 3);
  ck_assert_int_eq (HOT (hs, 1)->bytes, q_int (t, "SELECT sum (size) "
          "FROM memories WHERE size = 614400"));
  ck_assert_uint_eq (HOT (hs, 2)->site, PLUGIN + 0x100 * 1);

  pools = memtrace_pools_analyse (t, NULL, NULL, &error);
  ck_assert_msg (pools != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (pools->pools->len, 1);
  ck_assert_int_eq (((MemTracePool *) g_ptr_array_index (pools->pools,
              0))->acquires, q_int (t, "SELECT count (*) FROM events "
          "WHERE kind = 5"));
  ck_assert_int_eq (((MemTracePool *) g_ptr_array_index (pools->pools,
              0))->peak_outstanding, POOL_MAX);
  ck_assert_int_eq (((MemTracePool *) g_ptr_array_index (pools->pools,
              0))->waits, q_int (t, "SELECT count (*) FROM events "
          "WHERE kind = 8"));

  lt = memtrace_lifetimes_analyse (t, NULL, NULL, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (lt->all.count, q_int (t, "SELECT count (destroyed) "
          "FROM objects"));
  ck_assert_int_eq (lt->all.max_ns, q_int (t, "SELECT max (destroyed - ts) "
          "FROM objects"));
  ck_assert_int_eq (lt->n_temporaries, q_int (t, "SELECT count (*) "
          "FROM objects WHERE destroyed - ts < 1000000"));
  memtrace_lifetimes_free (lt);
  memtrace_pools_free (pools);
  memtrace_hotspots_free (hs);
  memtrace_timeline_free (tl);
  memtrace_trace_close (t);
  g_free (path);
}
END_TEST

/* Real recordings */

/* The environment of a traced child: our plugin and registry. */
static gchar **
child_env (const gchar * output)
{
  gchar **env = g_get_environ ();
  const gchar *const drop[] = { "GST_TRACERS", "GST_DEBUG", "GST_DEBUG_FILE",
    "G_DEBUG", "GST_PLUGIN_PATH_1_0", "GST_REGISTRY_1_0",
    "GST_REGISTRY_UPDATE", NULL
  };
  guint i;

  for (i = 0; drop[i]; i++)
    env = g_environ_unsetenv (env, drop[i]);
  env = g_environ_setenv (env, "GST_PLUGIN_PATH", plugin_dir, TRUE);
  env = g_environ_setenv (env, "GST_REGISTRY", registry, TRUE);
  if (output) {
    gchar *tracers = g_strdup_printf ("memtrace(output=%s)", output);

    env = g_environ_setenv (env, "GST_TRACERS", tracers, TRUE);
    g_free (tracers);
  }
  return env;
}

/* Runs argv under the tracer into trace name; returns its stdout. */
static gchar *
record (const gchar * name, gchar ** argv)
{
  gchar *path = trace_path (name), **env = child_env (path);
  gchar *out = NULL, *err = NULL;
  GError *error = NULL;
  gint status = 0;

  g_unlink (path);
  if (!g_spawn_sync (tmpdir, argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
          &out, &err, &status, &error))
    ck_abort_msg ("cannot run %s: %s", argv[0], error->message);
  ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0,
      "%s failed (%d): %s", argv[0], status, err);
  ck_assert_msg (g_file_test (path, G_FILE_TEST_IS_REGULAR),
      "%s left no trace: %s", argv[0], err);
  g_strfreev (env);
  g_free (err);
  g_free (path);
  return out;
}

static void
record_launch (const gchar * name, const gchar * pipeline)
{
  gchar **words = g_strsplit (pipeline, " ", -1);
  GPtrArray *argv = g_ptr_array_new ();
  guint i;

  g_ptr_array_add (argv, (gpointer) "gst-launch-1.0");
  g_ptr_array_add (argv, (gpointer) "-q");
  for (i = 0; words[i]; i++)
    g_ptr_array_add (argv, words[i]);
  g_ptr_array_add (argv, NULL);
  g_free (record (name, (gchar **) argv->pdata));
  g_ptr_array_free (argv, TRUE);
  g_strfreev (words);
}

static gchar *
record_child (const gchar * name)
{
  gchar *argv[] = { self_path, (gchar *) "--child", (gchar *) name, NULL };

  return record (name, argv);
}

/* audiotestsrc without a queue and a sink that keeps nothing: each 64
 * samples of S16 mono (128 bytes) is freed before the next is made. */
START_TEST (test_real_audio)
{
  MemTraceTrace *t;
  MemTraceTimeline *tl;
  MemTraceHotspots *hs;
  MemTraceLifetimes *lt;
  MemTraceFrag *f;
  MemTraceFragOptions fo = { 0, };
  GError *error = NULL;
  MemTracePeakGroup *g;
  gint64 slack;
  guint i;

  record_launch ("audio", "audiotestsrc samplesperbuffer=64 num-buffers=50 "
      "! fakesink enable-last-sample=false");
  t = open_trace ("audio");
  ck_assert_int_eq (q_int (t, "SELECT count (*) FROM memories "
          "WHERE size = 128 AND parent IS NULL"), 50);
  tl = timeline (t, 0, 0, 0, 0);
  ck_assert_int_eq (tl->peak_bytes, 128);
  g = &g_array_index (tl->at_peak, MemTracePeakGroup, 0);
  ck_assert_str_eq (g->type, "GstMemory");
  ck_assert_int_eq (g->objects, 1);
  ck_assert_int_eq (g->bytes, 128);

  hs = hotspots (t, MEMTRACE_HOTSPOT_BY_BYTES, 0);
  ck_assert_int_eq (HOT (hs, 0)->bytes, 50 * 128);
  ck_assert_int_eq (HOT (hs, 0)->memories, 50);
  ck_assert_int_eq (hs->bytes, 50 * 128);
  ck_assert_int_eq (hs->leaked, 0);
  for (i = 1; i < hs->sites->len; i++)
    ck_assert_int_eq (HOT (hs, i)->bytes, 0);

  fo.timeline = tl;
  fo.hotspots = hs;
  f = memtrace_frag_analyse (t, NULL, &fo, &error);
  ck_assert_msg (f != NULL, "%s", error ? error->message : "?");
  slack = q_int (t, "SELECT sum (maxsize - size) FROM memories");
  ck_assert_int_eq (f->total.memories, 50);
  ck_assert_int_eq (f->total.slack, slack);
  ck_assert_int_eq (f->total.waste, q_int (t, "SELECT sum (coalesce (prefix, "
          "0) + coalesce (padding, 0) + align) FROM memories"));
  ck_assert_int_eq (f->churn, 50);
  ck_assert (f->churn_per_second > 0);
  ck_assert_int_eq (f->pool_use->len, 0);

  lt = memtrace_lifetimes_analyse (t, NULL, NULL, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");
  for (i = 0; i < lt->by_type->len; i++) {
    MemTraceLifetimeDist *d = g_ptr_array_index (lt->by_type, i);

    if (!strcmp (d->name, "GstMemory"))
      ck_assert_int_eq (d->count, 50);
  }
  memtrace_lifetimes_free (lt);
  memtrace_frag_free (f);
  memtrace_hotspots_free (hs);
  memtrace_timeline_free (tl);
  memtrace_trace_close (t);
}
END_TEST

/* Objects per type are counted once, when the trace is finished; a trace
 * without that table (finished by an older gst-memtrace) says the same. */
static GArray *
info_types (MemTraceTrace * t)
{
  GError *error = NULL;
  MemTraceInfo *info = memtrace_info_load (t, &error);
  GArray *types;

  ck_assert_msg (info != NULL, "%s", error ? error->message : "?");
  types = g_array_ref (info->types);
  memtrace_info_free (info);
  return types;
}

START_TEST (test_real_type_counts)
{
  MemTraceTrace *t;
  GArray *kept, *counted;
  guint i, buffers = 0;

  record_launch ("types", "audiotestsrc num-buffers=20 ! fakesink");
  t = open_trace ("types");
  ck_assert_int_gt (q_int (t, "SELECT count(*) FROM type_counts"), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM (SELECT * FROM "
          "type_counts EXCEPT SELECT type, count(*), count(destroyed) FROM "
          "objects GROUP BY type)"), 0);
  kept = info_types (t);
  ck_assert_int_eq (sqlite3_exec (memtrace_trace_db (t), "DROP TABLE "
          "type_counts", NULL, NULL, NULL), SQLITE_OK);
  counted = info_types (t);
  ck_assert_int_eq (kept->len, counted->len);
  for (i = 0; i < kept->len; i++) {
    MemTraceTypeCount *a = &g_array_index (kept, MemTraceTypeCount, i);
    MemTraceTypeCount *b = &g_array_index (counted, MemTraceTypeCount, i);

    ck_assert_str_eq (a->type, b->type);
    ck_assert_int_eq (a->created, b->created);
    ck_assert_int_eq (a->destroyed, b->destroyed);
    if (!strcmp (a->type, "GstBuffer"))
      buffers = a->created;
  }
  ck_assert_int_eq (buffers, 20);
  g_array_unref (kept);
  g_array_unref (counted);
  memtrace_trace_close (t);
}
END_TEST

START_TEST (test_real_video_pool)
{
  MemTraceTrace *t;
  MemTracePools *pools;
  MemTracePool *p;
  GError *error = NULL;
  gint64 size;

  record_launch ("video", "videotestsrc num-buffers=30 ! "
      "video/x-raw,width=64,height=48 ! fakesink");
  t = open_trace ("video");
  pools = memtrace_pools_analyse (t, NULL, NULL, &error);
  ck_assert_msg (pools != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (pools->pools->len, 1);
  p = g_ptr_array_index (pools->pools, 0);
  ck_assert_msg (g_str_has_prefix (p->name, "videobufferpool"), "%s",
      p->name);
  ck_assert_str_eq (p->type, "GstVideoBufferPool");
  ck_assert_int_eq (p->acquires, 30);
  ck_assert_int_eq (p->releases, 30);
  ck_assert_int_eq (p->leaked_outstanding, 0);
  ck_assert_int_ge (p->peak_outstanding, 1);
  ck_assert_int_eq (p->buffers_allocated, q_int (t, "SELECT count (*) "
          "FROM events WHERE kind = 7"));
  ck_assert_uint_ge (p->configs->len, 1);
  size = g_array_index (p->configs, MemTracePoolConfig, 0).size;
  ck_assert_int_gt (size, 0);
  ck_assert_int_eq (p->memory_bytes, size * p->buffers_allocated);
  memtrace_pools_free (pools);
  memtrace_trace_close (t);
}
END_TEST

/* A pool driven by hand (--child pool): 3 acquired, 2 released. */
START_TEST (test_real_pool_by_hand)
{
  MemTraceTrace *t;
  MemTracePools *pools;
  MemTraceLifetimes *lt;
  MemTracePool *p;
  MemTraceLifetimeDist *d;
  GError *error = NULL;

  g_free (record_child ("pool"));
  t = open_trace ("pool");
  pools = memtrace_pools_analyse (t, NULL, NULL, &error);
  ck_assert_msg (pools != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (pools->pools->len, 1);
  p = g_ptr_array_index (pools->pools, 0);
  ck_assert_str_eq (p->name, "handpool");
  ck_assert_int_eq (p->acquires, 3);
  ck_assert_int_eq (p->releases, 2);
  ck_assert_int_eq (p->fills, 0);
  ck_assert_int_eq (p->peak_outstanding, 3);
  ck_assert_int_eq (p->leaked_outstanding, 1);
  ck_assert_int_eq (p->buffers_allocated, 3);
  ck_assert_int_eq (g_array_index (p->configs, MemTracePoolConfig, 0).size,
      1000);
  ck_assert_int_eq (g_array_index (p->configs, MemTracePoolConfig,
          0).max_buffers, 4);
  ck_assert_int_eq (p->memory_bytes, 3 * 1000);
  lt = memtrace_lifetimes_analyse (t, NULL, NULL, &error);
  ck_assert_msg (lt != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (lt->by_pool->len, 1);
  d = g_ptr_array_index (lt->by_pool, 0);
  ck_assert_int_eq (d->count, 2);
  ck_assert_int_eq (d->alive_at_end, 1);
  memtrace_lifetimes_free (lt);
  memtrace_pools_free (pools);
  memtrace_trace_close (t);
}
END_TEST

/* gst_allocator_alloc() with prefix 16, padding 32, align 63 (--child
 * alloc, which prints the memory's maxsize: the system allocator takes the
 * alignment slack off it). */
START_TEST (test_real_alloc_params)
{
  gchar *out = record_child ("alloc");
  gint64 maxsize = g_ascii_strtoll (out, NULL, 10);
  MemTraceTrace *t;
  MemTraceFrag *f;
  MemTraceWaste *w;
  GError *error = NULL;

  ck_assert_int_ge (maxsize, 1000 + 16 + 32);
  t = open_trace ("alloc");
  f = memtrace_frag_analyse (t, NULL, NULL, &error);
  ck_assert_msg (f != NULL, "%s", error ? error->message : "?");
  ck_assert_int_eq (f->by_allocator->len, 1);
  w = &g_array_index (f->by_allocator, MemTraceWaste, 0);
  ck_assert_int_eq (w->memories, 1);
  ck_assert_int_eq (w->bytes, 1000);
  ck_assert_int_eq (w->prefix, 16);
  ck_assert_int_eq (w->padding, 32);
  ck_assert_int_eq (w->align, 63);
  ck_assert_int_eq (w->slack, maxsize - 1000);
  /* size + prefix + padding + the alignment allowance: maxsize alone
   * varies with where the block landed */
  ck_assert_int_eq (w->allocated_bytes, 1000 + 16 + 32 + 63);
  ck_assert_int_eq (w->waste, 16 + 32 + 63);
  ck_assert_int_eq (f->timeline->peak_bytes, 1000);
  ck_assert_int_eq (f->timeline->peak_allocated_bytes, 1000 + 16 + 32 + 63);
  memtrace_frag_free (f);
  memtrace_trace_close (t);
  g_free (out);
}
END_TEST

/* The children */

static gint
child_pool (void)
{
  GstBufferPool *pool = gst_object_ref_sink (g_object_new
      (GST_TYPE_BUFFER_POOL, "name", "handpool", NULL));
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstBuffer *buffers[3];
  guint i;

  gst_buffer_pool_config_set_params (config, NULL, 1000, 0, 4);
  if (!gst_buffer_pool_set_config (pool, config)
      || !gst_buffer_pool_set_active (pool, TRUE))
    return 10;
  for (i = 0; i < 3; i++)
    if (gst_buffer_pool_acquire_buffer (pool, &buffers[i], NULL)
        != GST_FLOW_OK)
      return 11;
  gst_buffer_unref (buffers[0]);
  gst_buffer_unref (buffers[1]);
  /* buffers[2] is kept: it holds the pool. */
  gst_object_unref (pool);
  return 0;
}

static gint
child_alloc (void)
{
  GstAllocationParams params;
  GstMemory *m;

  gst_allocation_params_init (&params);
  params.prefix = 16;
  params.padding = 32;
  params.align = 63;
  m = gst_allocator_alloc (NULL, 1000, &params);
  if (!m || m->size != 1000 || m->align != 63)
    return 10;
  g_print ("%" G_GSIZE_FORMAT "\n", m->maxsize);
  gst_memory_unref (m);
  return 0;
}

static gint
run_child (const gchar * name)
{
  gint rc = 2;

  gst_init (NULL, NULL);
  if (!strcmp (name, "pool"))
    rc = child_pool ();
  else if (!strcmp (name, "alloc"))
    rc = child_alloc ();
  else if (!strcmp (name, "warm"))
    rc = 0;
  gst_deinit ();
  return rc;
}

/* Setting up */

static Suite *
analyses_suite (void)
{
  Suite *s = suite_create ("analyses");
  TCase *tc = tcase_create ("generated");
  TCase *real = tcase_create ("recorded");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_timeline_exact);
  tcase_add_test (tc, test_timeline_window);
  tcase_add_test (tc, test_lifetimes_exact);
  tcase_add_test (tc, test_pools_exact);
  tcase_add_test (tc, test_hotspots_order);
  tcase_add_test (tc, test_window_options);
  tcase_add_test (tc, test_window_checkpoints);
  tcase_add_test (tc, test_summary_kept);
  tcase_add_test (tc, test_frag_exact);
  tcase_add_test (tc, test_frag_pools);
  tcase_add_test (tc, test_own_connection_fallback);
  tcase_add_test (tc, test_workload);
  suite_add_tcase (s, tc);
  tcase_set_timeout (real, 120);
  tcase_add_test (real, test_real_audio);
  tcase_add_test (real, test_real_type_counts);
  tcase_add_test (real, test_real_video_pool);
  tcase_add_test (real, test_real_pool_by_hand);
  tcase_add_test (real, test_real_alloc_params);
  suite_add_tcase (s, real);
  return s;
}

/* Loads the plugins into the registry once, untraced, so that no traced
 * run scans them (the scanner would be traced too). */
static void
warm_registry (void)
{
  gchar *argv[] = { self_path, (gchar *) "--child", (gchar *) "warm", NULL };
  gchar **env = child_env (NULL);

  g_spawn_sync (tmpdir, argv, env, G_SPAWN_STDOUT_TO_DEV_NULL |
      G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  g_strfreev (env);
}

int
main (int argc, char **argv)
{
  SRunner *runner;
  gint n_failed;

  if (argc == 3 && !strcmp (argv[1], "--child"))
    return run_child (argv[2]);
  plugin_dir = g_getenv ("MEMTRACE_PLUGIN_DIR");
  if (!plugin_dir || !*plugin_dir) {
    g_printerr ("test-analyses: MEMTRACE_PLUGIN_DIR is not set (run it "
        "with meson test)\n");
    return 77;
  }
  tmpdir = g_dir_make_tmp ("memtrace-test-analyses-XXXXXX", NULL);
  if (!tmpdir)
    return EXIT_FAILURE;
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  registry = g_strdup (g_getenv ("MEMTRACE_REGISTRY"));
  if (!registry || !*registry) {
    g_free (registry);
    registry = g_build_filename (tmpdir, "registry.bin", NULL);
  }
  warm_registry ();
  runner = srunner_create (analyses_suite ());
  srunner_run_all (runner, CK_NORMAL);
  n_failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  if (n_failed == 0 || !g_getenv ("MEMTRACE_KEEP_TRACES"))
    test_files_remove_tree (tmpdir);
  else
    g_printerr ("test-analyses: traces kept in %s\n", tmpdir);
  g_free (tmpdir);
  g_free (registry);
  g_free (self_path);
  return n_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
