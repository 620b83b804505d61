/* gst-memtrace: tests of the recorder, end to end.
 *
 * Each test runs a real program (tests/apps/, each with leaks planted in
 * uniquely named functions) as a child process with the memtrace tracer on,
 * opens the trace it leaves with memtrace_trace_open() and checks exact
 * numbers: what was created, destroyed and left alive, where (the planted
 * function, file and line in the symbolised stack), how many bytes, and
 * through which pads.  The other tests cover how the tracer behaves around
 * the recording: a killed program, bad parameters, an unwritable or
 * existing output file, `gst-memtrace run` and a Python program.
 * test-record-more.c has more; record-helpers.h what they share (and where
 * the paths come from).
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "record-helpers.h"

#define PYTHON "/usr/bin/python3"

/* The name of a GstObject and of its parent, "parent:name". */
static gchar *
pad_path (MemTraceTrace * t, gint64 pad)
{
  gchar *name = q_text (t, "SELECT name FROM names WHERE obj = %"
      G_GINT64_FORMAT, pad);
  gchar *parent = q_text (t, "SELECT p.name FROM names n JOIN names p "
      "ON p.obj = n.parent WHERE n.obj = %" G_GINT64_FORMAT, pad);
  gchar *path = g_strdup_printf ("%s:%s", parent ? parent : "(no parent)",
      name ? name : "(no name)");

  g_free (name);
  g_free (parent);
  return path;
}

/* The peer pad of the latest push of each object the condition selects,
 * which must be one and the same pad; returns it. */
static gint64
common_last_peer (MemTraceTrace * t, const gchar * where)
{
  gchar *peers = q_list (t, "SELECT DISTINCT (SELECT e.b FROM events e "
      "WHERE e.obj = o.id AND e.kind = %d ORDER BY e.ts DESC LIMIT 1) "
      "FROM o WHERE %s", EV_PUSH, where);
  gint64 peer;

  ck_assert_msg (*peers && !strchr (peers, ',') && strcmp (peers, "NULL"),
      "last peer pads: '%s'", peers);
  peer = g_ascii_strtoll (peers, NULL, 10);
  g_free (peers);
  return peer;
}

/* A push goes from a pad to its peer: no pad is its own peer, and no pad
 * both pushes and is pushed into (the pipelines here have no ghost pads). */
static void
assert_push_pads (MemTraceTrace * t)
{
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d "
          "AND (a IS NULL OR b IS NULL OR a = b)", EV_PUSH), 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d "
          "AND b IN (SELECT a FROM events WHERE kind = %d)", EV_PUSH,
          EV_PUSH), 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events e JOIN o "
          "ON o.id = e.a JOIN o p ON p.id = e.b WHERE e.kind = %d "
          "AND o.type = 'GstPad' AND p.type = 'GstPad'", EV_PUSH),
      q_int (t, "SELECT count(*) FROM events WHERE kind = %d", EV_PUSH));
}

/* Apps with planted leaks */

/* appsink samples pulled and kept: 5 of 20, with their buffers. */
START_TEST (test_keep_samples)
{
  MemTraceTrace *t = record_app ("keep_samples", "record-refs=true");
  gchar *at = planted_at ("keep_samples"), *list;

  assert_meta (t, "deinit");
  /* appsink makes one sample at init, then copies it when the one it holds
   * is still in use: the first kept sample is appsink's own, the next four
   * are copies made in the planted function, and one more copy is made by
   * the first pull after it (destroyed with appsink). */
  ck_assert_int_eq (n_created (t, "GstSample"), 6);
  ck_assert_int_eq (n_destroyed (t, "GstSample"), 1);
  ck_assert_int_eq (n_leaked (t, "GstSample", ALIVE_AT_DEINIT), 5);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE state IS NOT NULL "
          "AND type = 'GstSample'"), 5);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE type = "
          "'GstSample' AND state = 1 AND refcount = 1"), 5);
  list = q_list (t, "SELECT stack_at(stack, 'plant_keep_samples') FROM o "
      "WHERE type = 'GstSample' AND state = 1 "
      "AND stack_has(stack, 'plant_keep_samples')");
  assert_all_at (list, at, 4);
  g_free (list);
  /* Each kept sample got its reference in the planted function. */
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT e.obj) FROM events e "
          "JOIN o ON o.id = e.obj WHERE e.kind = %d AND o.type = 'GstSample' "
          "AND o.state = 1 AND stack_has(e.stack, 'plant_keep_samples')",
          EV_REF), 5);
  list = q_list (t, "SELECT DISTINCT stack_at(e.stack, 'plant_keep_samples') "
      "FROM events e WHERE e.kind = %d AND stack_has(e.stack, "
      "'plant_keep_samples')", EV_REF);
  assert_all_at (list, at, 1);
  g_free (list);

  /* Their buffers and memories: 200 bytes each (100 S16 samples). */
  ck_assert_int_eq (n_created (t, "GstBuffer"), 20);
  ck_assert_int_eq (n_destroyed (t, "GstBuffer"), 15);
  ck_assert_int_eq (n_leaked (t, "GstBuffer", ALIVE_AT_DEINIT), 5);
  ck_assert_int_eq (n_leaked (t, "GstMemory", ALIVE_AT_DEINIT), 5);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o JOIN buffer_memories bm "
          "ON bm.buffer = o.id JOIN memories m ON m.obj = bm.memory "
          "JOIN o om ON om.id = m.obj WHERE o.type = 'GstBuffer' "
          "AND o.state = 1 AND om.state = 1 AND m.size = 200"), 5);
  ck_assert_int_eq (q_int (t, "SELECT sum(m.size) FROM o JOIN memories m "
          "ON m.obj = o.id WHERE o.state = 1"), 1000);
  /* Every one of the 20 buffers was pushed to appsink exactly once. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d",
          EV_PUSH), 20);
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT obj) FROM events "
          "WHERE kind = %d", EV_PUSH), 20);
  /* All from audiotestsrc's src pad to appsink's sink pad. */
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT a) FROM events "
          "WHERE kind = %d", EV_PUSH), 1);
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT b) FROM events "
          "WHERE kind = %d", EV_PUSH), 1);
  assert_push_pads (t);
  memtrace_trace_close (t);
  g_free (at);
}
END_TEST

/* The kept buffers were last pushed into appsink's sink pad. */
START_TEST (test_keep_samples_last_pad)
{
  MemTraceTrace *t = record_app ("keep_samples", "record-refs=true");
  gint64 pad = common_last_peer (t, "o.type = 'GstBuffer' AND o.state = 1");
  gchar *path;

  ck_assert_int_gt (pad, 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE id = %"
          G_GINT64_FORMAT " AND type = 'GstPad'", pad), 1);
  /* BUG (tracer): the pad's element is unknown when the pad is added in the
   * element's instance init, and names of destroyed objects are read after
   * GStreamer freed them: see the report. */
  path = pad_path (t, pad);
  ck_assert_msg (q_int (t, "SELECT count(*) FROM names n JOIN o "
          "ON o.id = n.parent WHERE n.obj = %" G_GINT64_FORMAT
          " AND o.type = 'GstAppSink'", pad) == 1,
      "the parent of the last pad (%s) is not the GstAppSink", path);
  ck_assert_str_eq (path, "sink:sink");
  g_free (path);
  memtrace_trace_close (t);
}
END_TEST

/* A probe on identity's src pad keeps an extra ref on 3 of 10 buffers. */
START_TEST (test_probe_ref)
{
  MemTraceTrace *t = record_app ("probe_ref", "record-refs=true");
  gchar *at = planted_at ("probe_ref"), *list;
  gint64 peer;

  assert_meta (t, "deinit");
  ck_assert_int_eq (n_created (t, "GstBuffer"), 10);
  ck_assert_int_eq (n_destroyed (t, "GstBuffer"), 7);
  ck_assert_int_eq (n_leaked (t, "GstBuffer", ALIVE_AT_DEINIT), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE type = "
          "'GstBuffer' AND state = 1 AND refcount = 1"), 3);
  ck_assert_int_eq (n_leaked (t, "GstMemory", ALIVE_AT_DEINIT), 3);
  /* The planted references: exactly one each on the three leaked buffers,
   * none on any other object. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d "
          "AND stack_has(stack, 'plant_probe_ref')", EV_REF), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT e.obj) FROM events e "
          "JOIN o ON o.id = e.obj WHERE e.kind = %d AND o.state = 1 "
          "AND o.type = 'GstBuffer' AND stack_has(e.stack, "
          "'plant_probe_ref')", EV_REF), 3);
  list = q_list (t, "SELECT stack_at(stack, 'plant_probe_ref') FROM events "
      "WHERE kind = %d AND stack_has(stack, 'plant_probe_ref')", EV_REF);
  assert_all_at (list, at, 3);
  g_free (list);
  /* Created by audiotestsrc, not by the probe. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE "
          "stack_has(stack, 'plant_probe_ref')"), 0);
  /* src ! capsfilter ! identity ! fakesink: three pushes per buffer, the
   * last into fakesink, which all ten buffers reached. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d",
          EV_PUSH), 30);
  peer = common_last_peer (t, "o.type = 'GstBuffer' AND o.state = 1");
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT obj) FROM events "
          "WHERE kind = %d AND b = %" G_GINT64_FORMAT, EV_PUSH, peer), 10);
  ck_assert_int_eq (peer, common_last_peer (t, "o.type = 'GstBuffer'"));
  /* Three hops: three pads push, each into its own peer. */
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT a) FROM events "
          "WHERE kind = %d", EV_PUSH), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT a || '>' || b) FROM "
          "events WHERE kind = %d", EV_PUSH), 3);
  assert_push_pads (t);
  memtrace_trace_close (t);
  g_free (at);
}
END_TEST

/* The leaked buffers went last from identity's src to fakesink's sink. */
START_TEST (test_probe_ref_last_pad)
{
  MemTraceTrace *t = record_app ("probe_ref", "record-refs=true");
  gint64 peer = common_last_peer (t, "o.type = 'GstBuffer' AND o.state = 1");
  gint64 pad = q_int (t, "SELECT a FROM events WHERE kind = %d AND b = %"
      G_GINT64_FORMAT " LIMIT 1", EV_PUSH, peer);
  gchar *path;

  /* BUG (tracer): names of destroyed objects and parents of pads made in
   * instance init, see test_keep_samples_last_pad. */
  path = pad_path (t, peer);
  ck_assert_str_eq (path, "fsink:sink");
  g_free (path);
  path = pad_path (t, pad);
  ck_assert_str_eq (path, "ident:src");
  g_free (path);
  memtrace_trace_close (t);
}
END_TEST

/* Three buffers acquired from our own pool and never released. */
START_TEST (test_pool_starve)
{
  MemTraceTrace *t = record_app ("pool_starve", NULL);
  gchar *at = planted_at ("pool_starve"), *list;
  gint64 pool;

  assert_meta (t, "deinit");
  ck_assert_int_eq (n_created (t, "GstBufferPool"), 1);
  ck_assert_int_eq (n_leaked (t, "GstBufferPool", ALIVE_AT_DEINIT), 1);
  pool = q_int (t, "SELECT id FROM o WHERE type = 'GstBufferPool'");
  /* Each outstanding buffer holds a reference on its pool. */
  ck_assert_int_eq (q_int (t, "SELECT refcount FROM o WHERE id = %"
          G_GINT64_FORMAT, pool), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM pool_configs WHERE "
          "pool = %" G_GINT64_FORMAT " AND size = 1024 AND min_buffers = 2 "
          "AND max_buffers = 4", pool), 1);

  /* Two made when the pool started, one more for the third acquire. */
  ck_assert_int_eq (n_created (t, "GstBuffer"), 3);
  ck_assert_int_eq (n_destroyed (t, "GstBuffer"), 0);
  ck_assert_int_eq (n_leaked (t, "GstBuffer", ALIVE_AT_DEINIT), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o JOIN buffers b "
          "ON b.obj = o.id WHERE o.state = 1 AND b.pool = %" G_GINT64_FORMAT,
          pool), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d "
          "AND a = %" G_GINT64_FORMAT, EV_POOL_ALLOC, pool), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o JOIN buffer_memories bm "
          "ON bm.buffer = o.id JOIN memories m ON m.obj = bm.memory "
          "WHERE o.type = 'GstBuffer' AND o.state = 1 AND m.size = 1024"), 3);

  /* 2 acquires going round, then the 3 planted ones. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d "
          "AND a = %" G_GINT64_FORMAT, EV_POOL_ACQUIRE, pool), 5);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d "
          "AND stack_has(stack, 'plant_pool_starve')", EV_POOL_ACQUIRE), 3);
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT e.obj) FROM events e "
          "JOIN o ON o.id = e.obj WHERE e.kind = %d AND o.state = 1 AND "
          "e.a = %" G_GINT64_FORMAT " AND stack_has(e.stack, "
          "'plant_pool_starve')", EV_POOL_ACQUIRE, pool), 3);
  list = q_list (t, "SELECT stack_at(stack, 'plant_pool_starve') FROM events "
      "WHERE kind = %d AND stack_has(stack, 'plant_pool_starve')",
      EV_POOL_ACQUIRE);
  assert_all_at (list, at, 3);
  g_free (list);
  /* Nothing went back to the pool after the planted acquires. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d "
          "AND ts > (SELECT min(ts) FROM events WHERE kind = %d AND "
          "stack_has(stack, 'plant_pool_starve'))", EV_POOL_RELEASE,
          EV_POOL_ACQUIRE), 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE o.state = 1 AND "
          "(SELECT e.kind FROM events e WHERE e.obj = o.id AND e.kind IN "
          "(%d, %d) ORDER BY e.ts DESC LIMIT 1) = %d", EV_POOL_ACQUIRE,
          EV_POOL_RELEASE, EV_POOL_ACQUIRE), 3);
  memtrace_trace_close (t);
  g_free (at);
}
END_TEST

/* Two 4096-byte memories from gst_allocator_alloc() never freed. */
START_TEST (test_alloc_memory)
{
  MemTraceTrace *t = record_app ("alloc_memory", NULL);
  gchar *at = planted_at ("alloc_memory"), *list;

  assert_meta (t, "deinit");
  ck_assert_int_eq (n_created (t, "GstMemory"), 3);
  ck_assert_int_eq (n_destroyed (t, "GstMemory"), 1);
  ck_assert_int_eq (n_leaked (t, "GstMemory", ALIVE_AT_DEINIT), 2);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o JOIN memories m "
          "ON m.obj = o.id WHERE o.state = 1 AND m.size = 4096 "
          "AND m.from_alloc = 1 AND m.parent IS NULL"), 2);
  ck_assert_int_eq (q_int (t, "SELECT sum(m.size) FROM o JOIN memories m "
          "ON m.obj = o.id WHERE o.state = 1"), 8192);
  ck_assert_int_eq (q_int (t, "SELECT m.size FROM o JOIN memories m "
          "ON m.obj = o.id WHERE o.destroyed IS NOT NULL"), 777);
  list = q_list (t, "SELECT stack_at(stack, 'plant_alloc_memories') FROM o "
      "WHERE state = 1 AND type = 'GstMemory'");
  assert_all_at (list, at, 2);
  g_free (list);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE "
          "stack_has(stack, 'plant_alloc_memories')"), 2);
  memtrace_trace_close (t);
  g_free (at);
}
END_TEST

/* A bin with two linked children, never unreffed. */
START_TEST (test_leaked_bin)
{
  MemTraceTrace *t = record_app ("leaked_bin", NULL);
  gchar *at = planted_at ("leaked_bin"), *list;
  gint64 bin, child1, child2;

  assert_meta (t, "deinit");
  ck_assert_int_eq (n_leaked (t, "GstBin", ALIVE_AT_DEINIT), 1);
  bin = q_int (t, "SELECT id FROM o WHERE type = 'GstBin'");
  ck_assert_int_eq (q_int (t, "SELECT refcount FROM o WHERE id = %"
          G_GINT64_FORMAT, bin), 1);
  list = q_text (t, "SELECT name FROM names WHERE obj = %" G_GINT64_FORMAT,
      bin);
  ck_assert_str_eq (list, "leakybin");
  g_free (list);
  list = q_text (t, "SELECT stack_at(stack, 'plant_leaked_bin') FROM o "
      "WHERE id = %" G_GINT64_FORMAT, bin);
  assert_all_at (list, at, 1);
  g_free (list);
  /* Stacks start at the code that made the object: however the compiler
   * inlined the hooks, none of the tracer's own frames are kept. */
  ck_assert_int_gt (q_int (t, "SELECT count(*) FROM frames f JOIN symbols s "
          "ON s.address = f.address WHERE s.module IS NOT NULL"), 100);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM frames f JOIN symbols s "
          "ON s.address = f.address JOIN modules m ON m.id = s.module "
          "WHERE m.path LIKE '%%libgstmemtrace%%'"), 0);

  ck_assert_int_eq (n_leaked (t, "GstIdentity", ALIVE_AT_DEINIT), 1);
  ck_assert_int_eq (n_leaked (t, "GstFakeSink", ALIVE_AT_DEINIT), 1);
  child1 = q_int (t, "SELECT id FROM o WHERE type = 'GstIdentity'");
  child2 = q_int (t, "SELECT id FROM o WHERE type = 'GstFakeSink'");
  list = q_list (t, "SELECT n.name FROM names n JOIN o ON o.id = n.obj "
      "WHERE n.parent = %" G_GINT64_FORMAT " AND o.state = 1 ORDER BY n.name",
      bin);
  ck_assert_str_eq (list, "child1,child2");
  g_free (list);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM names WHERE obj IN (%"
          G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") AND parent = %"
          G_GINT64_FORMAT, child1, child2, bin), 2);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d "
          "AND a = %" G_GINT64_FORMAT, EV_LINK, bin), 2);
  /* Their pads, alive with them. */
  list = q_list (t, "SELECT n.name FROM names n JOIN o ON o.id = n.obj "
      "WHERE o.type = 'GstPad' AND o.state = 1 AND n.parent = %"
      G_GINT64_FORMAT " ORDER BY n.name", child1);
  ck_assert_str_eq (list, "sink,src");
  g_free (list);
  list = q_list (t, "SELECT n.name FROM names n JOIN o ON o.id = n.obj "
      "WHERE o.type = 'GstPad' AND o.state = 1 AND n.parent = %"
      G_GINT64_FORMAT, child2);
  ck_assert_str_eq (list, "sink");
  g_free (list);
  ck_assert_int_eq (n_leaked (t, "GstPad", ALIVE_AT_DEINIT), 3);
  memtrace_trace_close (t);
  g_free (at);
}
END_TEST

/* Four branches streaming at once, all torn down cleanly. */
START_TEST (test_threads)
{
  MemTraceTrace *t = record_app ("threads", NULL);
  gchar *list;

  assert_meta (t, "deinit");
  ck_assert_int_eq (n_created (t, "GstBuffer"), 200);
  ck_assert_int_eq (n_destroyed (t, "GstBuffer"), 200);
  ck_assert_int_eq (n_created (t, "GstMemory"), 200);
  ck_assert_int_eq (n_destroyed (t, "GstMemory"), 200);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE state IS NOT NULL "
          "AND type IN ('GstBuffer', 'GstMemory')"), 0);
  /* One streaming thread per audiotestsrc made its 50 buffers. */
  list = q_list (t, "SELECT count(*) FROM o WHERE type = 'GstBuffer' "
      "GROUP BY thread");
  ck_assert_str_eq (list, "50,50,50,50");
  g_free (list);
  /* src -> queue and queue -> fakesink in each branch: 8 pads that each
   * received 50 buffers, each pad from one thread. */
  list = q_list (t, "SELECT count(*) || '/' || count(DISTINCT obj) || '/' || "
      "count(DISTINCT thread) FROM events WHERE kind = %d GROUP BY b",
      EV_PUSH);
  ck_assert_str_eq (list, "50/50/1,50/50/1,50/50/1,50/50/1,50/50/1,50/50/1,"
      "50/50/1,50/50/1");
  g_free (list);
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT a || '>' || b) FROM "
          "events WHERE kind = %d", EV_PUSH), 8);
  ck_assert_int_eq (q_int (t, "SELECT count(DISTINCT a) FROM events "
          "WHERE kind = %d", EV_PUSH), 8);
  assert_push_pads (t);
  memtrace_trace_close (t);
}
END_TEST

/* Names of GstObjects destroyed before the end, and pads' parents. */
START_TEST (test_names_of_destroyed)
{
  MemTraceTrace *t = record_app ("threads", NULL);
  gchar *list;

  /* BUG (tracer): GstObject's finalize frees the name before the
   * object-destroyed hook, which reads it: garbage names. */
  list = q_list (t, "SELECT n.name FROM names n JOIN o ON o.id = n.obj "
      "WHERE o.type = 'GstFakeSink' ORDER BY n.name");
  ck_assert_str_eq (list, "sink0,sink1,sink2,sink3");
  g_free (list);
  /* BUG (tracer): a pad added in its element's instance init (most are)
   * is linked before the element is known, so has no parent. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM names n JOIN o "
          "ON o.id = n.obj JOIN o p ON p.id = n.parent WHERE o.type = "
          "'GstPad' AND p.type = 'GstFakeSink'"), 4);
  memtrace_trace_close (t);
}
END_TEST

/* The app exits without gst_deinit(): leaks are alive at exit. */
START_TEST (test_no_deinit)
{
  MemTraceTrace *t = record_app ("no_deinit", NULL);
  gchar *at = planted_at ("no_deinit"), *list;

  assert_meta (t, "exit");
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM alive WHERE state = %d",
          ALIVE_AT_DEINIT), 0);
  ck_assert_int_gt (q_int (t, "SELECT count(*) FROM alive WHERE state = %d",
          ALIVE_AT_EXIT), 0);
  ck_assert_int_eq (n_leaked (t, "GstBuffer", ALIVE_AT_EXIT), 3);
  ck_assert_int_eq (n_leaked (t, "GstMemory", ALIVE_AT_EXIT), 3);
  list = q_list (t, "SELECT stack_at(stack, 'plant_no_deinit_leak') FROM o "
      "WHERE type = 'GstBuffer' AND state = %d", ALIVE_AT_EXIT);
  assert_all_at (list, at, 3);
  g_free (list);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o JOIN buffer_memories bm "
          "ON bm.buffer = o.id JOIN memories m ON m.obj = bm.memory "
          "WHERE o.state = %d AND m.size = 300", ALIVE_AT_EXIT), 3);
  /* The pipeline before it was torn down. */
  ck_assert_int_eq (n_created (t, "GstBuffer"), 8);
  ck_assert_int_eq (n_destroyed (t, "GstBuffer"), 5);
  memtrace_trace_close (t);
  g_free (at);
}
END_TEST

/* Everything released, then gst_deinit(): nothing leaked. */
START_TEST (test_clean)
{
  MemTraceTrace *t = record_app ("clean", NULL);

  assert_meta (t, "deinit");
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM alive WHERE flags & %d "
          "= 0", MAY_BE_LEAKED), 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM alive WHERE state != %d",
          ALIVE_AT_DEINIT), 0);
  /* What it did was recorded: 10 buffers through appsink, one pooled. */
  ck_assert_int_eq (n_created (t, "GstBuffer"), 11);
  ck_assert_int_eq (n_destroyed (t, "GstBuffer"), 11);
  ck_assert_int_eq (n_created (t, "GstBufferPool"), 1);
  ck_assert_int_eq (n_destroyed (t, "GstBufferPool"), 1);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o JOIN memories m "
          "ON m.obj = o.id WHERE m.size = 4096 AND o.destroyed IS NOT NULL"),
      1);
  ck_assert_int_eq (n_created (t, "GstSample"),
      n_destroyed (t, "GstSample"));
  ck_assert_int_gt (n_created (t, "GstSample"), 0);
  memtrace_trace_close (t);
}
END_TEST

/* Around the recording */

/* A program killed while streaming leaves a readable, incomplete trace. */
START_TEST (test_sigkill)
{
  gchar *launch = g_find_program_in_path ("gst-launch-1.0");
  gchar *path = g_build_filename (tmpdir, "killed.trace", NULL);
  gchar *tracers = g_strdup_printf ("memtrace(output=%s)", path);
  gchar **env = child_env (tracers);
  gchar *argv[] = { launch, (gchar *) "-q", (gchar *) "audiotestsrc",
    (gchar *) "is-live=false", (gchar *) "!", (gchar *) "fakesink", NULL
  };
  GError *error = NULL;
  MemTraceTrace *t;
  GPid pid;
  gint status;

  ck_assert_msg (launch != NULL, "gst-launch-1.0 not found");
  if (!g_spawn_async (tmpdir, argv, env, G_SPAWN_DO_NOT_REAP_CHILD |
          G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
          &pid, &error))
    ck_abort_msg ("cannot run %s: %s", launch, error->message);
  g_usleep (G_USEC_PER_SEC);
  ck_assert_int_eq (kill (pid, SIGKILL), 0);
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  /* It was still running: SIGKILL ended it. */
  ck_assert (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

  t = with_functions (open_trace (path));
  ck_assert (!memtrace_trace_is_live (t));
  ck_assert_int_eq (memtrace_trace_meta_int (t, "complete", -1), 0);
  ck_assert_ptr_null (memtrace_trace_meta_text (t, "end_reason"));
  ck_assert_int_eq (memtrace_trace_meta_int (t, "finished", 0), 1);
  ck_assert_int_gt (q_int (t, "SELECT count(*) FROM objects"), 0);
  ck_assert_int_gt (n_created (t, "GstBuffer"), 100);
  ck_assert_int_gt (q_int (t, "SELECT count(*) FROM events WHERE kind = %d",
          EV_PUSH), 100);
  /* Nothing ran to the end, so nothing is known to be alive at it. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM alive"), 0);
  memtrace_trace_close (t);
  /* Opening it again reads the finished trace. */
  t = open_trace (path);
  ck_assert_int_eq (memtrace_trace_meta_int (t, "complete", -1), 0);
  memtrace_trace_close (t);
  g_strfreev (env);
  g_free (tracers);
  g_free (path);
  g_free (launch);
}
END_TEST


static gint64
max_stack_depth (MemTraceTrace * t)
{
  return q_int (t, "SELECT max(length(frames)) / 8 FROM stacks");
}

/* Bad parameters: one warning each, the defaults, and a trace all the same. */
START_TEST (test_bad_params)
{
  gchar *path = g_build_filename (tmpdir, "badparams.trace", NULL);
  gchar *params = g_strdup_printf ("output=%s,stack-depth=abc,bogus=1", path);
  gchar *err = NULL;
  MemTraceTrace *t;

  ck_assert_int_eq (run_app ("clean", params, tmpdir, &err), 0);
  ck_assert_msg (count_lines (err, "'stack-depth'") == 1, "stderr: %s", err);
  ck_assert_msg (count_lines (err, "'bogus'") == 1, "stderr: %s", err);
  ck_assert_msg (count_lines (err, "memtrace:") == 2, "stderr: %s", err);
  t = with_functions (open_trace (path));
  assert_meta (t, "deinit");
  ck_assert_int_gt (q_int (t, "SELECT count(*) FROM objects"), 0);
  /* The default depth, 32 frames: the streaming threads go deeper. */
  ck_assert_int_eq (max_stack_depth (t), 32);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE stack IS NULL"),
      0);
  /* record-refs stays off. */
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM events WHERE kind = %d",
          EV_REF), 0);
  memtrace_trace_close (t);
  g_free (err);
  g_free (params);
  g_free (path);
}
END_TEST

/* A good stack-depth is obeyed (so that 32 above is the default's doing). */
START_TEST (test_stack_depth)
{
  MemTraceTrace *t = record_app ("clean", "stack-depth=4");

  ck_assert_int_eq (max_stack_depth (t), 4);
  memtrace_trace_close (t);
  t = record_app ("clean", "stack-depth=0");
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM stacks"), 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM objects WHERE stack IS "
          "NOT NULL"), 0);
  ck_assert_int_gt (q_int (t, "SELECT count(*) FROM objects"), 0);
  memtrace_trace_close (t);
}
END_TEST

/* filters: only the named types (and their subtypes) are recorded. */
START_TEST (test_filters)
{
  MemTraceTrace *t = record_app ("keep_samples",
      "filters=GstSample+GstBuffer");
  gchar *list;

  assert_meta (t, "deinit");
  list = q_list (t, "SELECT DISTINCT type FROM o ORDER BY type");
  ck_assert_str_eq (list, "GstBuffer,GstSample");
  g_free (list);
  ck_assert_int_eq (n_created (t, "GstSample"), 6);
  ck_assert_int_eq (n_created (t, "GstBuffer"), 20);
  ck_assert_int_eq (n_leaked (t, "GstSample", ALIVE_AT_DEINIT), 5);
  ck_assert_int_eq (n_leaked (t, "GstBuffer", ALIVE_AT_DEINIT), 5);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM alive"), 10);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM memories"), 0);
  memtrace_trace_close (t);
}
END_TEST


/* An output that cannot be created: one warning, the app runs untraced. */
START_TEST (test_unwritable_output)
{
  gchar *cwd = g_build_filename (tmpdir, "unwritable", NULL);
  gchar *err = NULL;

  ck_assert_int_eq (g_mkdir (cwd, 0700), 0);
  ck_assert_int_eq (run_app ("clean", "output=/proc/nope/x.trace", cwd,
          &err), 0);
  ck_assert_msg (count_lines (err, "memtrace: cannot create") == 1,
      "stderr: %s", err);
  ck_assert_msg (count_lines (err, "/proc/nope/x.trace") == 1, "stderr: %s",
      err);
  ck_assert_msg (count_lines (err, "memtrace:") == 1, "stderr: %s", err);
  ck_assert (!g_file_test ("/proc/nope/x.trace", G_FILE_TEST_EXISTS));
  /* No trace elsewhere either. */
  ck_assert_int_eq (dir_n_entries (cwd), 0);
  g_free (err);
  g_free (cwd);
}
END_TEST

static gchar *
file_checksum (const gchar * path)
{
  gchar *data = NULL, *sum;
  gsize len = 0;

  ck_assert_msg (g_file_get_contents (path, &data, &len, NULL),
      "cannot read %s", path);
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) data, len);
  g_free (data);
  return sum;
}

static void
assert_new_trace (const gchar * path)
{
  GStatBuf st;
  MemTraceTrace *t;

  ck_assert_msg (g_stat (path, &st) == 0, "%s: %s", path, g_strerror (errno));
  ck_assert_msg ((st.st_mode & 07777) == 0600, "%s has mode %o", path,
      st.st_mode & 07777);
  t = open_trace (path);
  ck_assert_int_eq (memtrace_trace_meta_int (t, "complete", -1), 1);
  memtrace_trace_close (t);
}

/* An existing output is never overwritten: the next suffix is used. */
START_TEST (test_existing_output)
{
  gchar *dir = g_build_filename (tmpdir, "existing", NULL);
  gchar *path = g_build_filename (dir, "x.trace", NULL);
  gchar *first = g_build_filename (dir, "x.1.trace", NULL);
  gchar *second = g_build_filename (dir, "x.2.trace", NULL);
  gchar *params = g_strdup_printf ("output=%s", path);
  const gchar original[] = "original bytes, not a trace\n";
  gchar *sum, *first_sum;
  GStatBuf st;

  ck_assert_int_eq (g_mkdir (dir, 0700), 0);
  ck_assert (g_file_set_contents (path, original, -1, NULL));
  ck_assert_int_eq (g_chmod (path, 0644), 0);
  sum = file_checksum (path);

  ck_assert_int_eq (run_app ("clean", params, dir, NULL), 0);
  assert_new_trace (first);
  ck_assert (!g_file_test (second, G_FILE_TEST_EXISTS));
  first_sum = file_checksum (first);

  ck_assert_int_eq (run_app ("clean", params, dir, NULL), 0);
  assert_new_trace (second);
  /* x.1.trace was opened above (which finishes it), not overwritten now. */
  ck_assert_str_eq (file_checksum (first), first_sum);

  ck_assert_str_eq (file_checksum (path), sum);
  ck_assert_int_eq (g_stat (path, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0644);
  ck_assert_int_eq (st.st_size, sizeof (original) - 1);
  g_free (first_sum);
  g_free (sum);
  g_free (params);
  g_free (second);
  g_free (first);
  g_free (path);
  g_free (dir);
}
END_TEST

/* `gst-memtrace run` exits as the program did and names the trace. */
START_TEST (test_run_exit_status)
{
  gchar *path = g_build_filename (tmpdir, "run-exit.trace", NULL);
  gchar *app = app_path ("exit_status");
  gchar *argv[] = { (gchar *) cli, (gchar *) "run", (gchar *) "-o", path,
    (gchar *) "--", app, NULL
  };
  gchar **env = child_env (NULL);
  gchar *err = NULL, *written;
  MemTraceTrace *t;

  ck_assert_int_eq (spawn (argv, env, tmpdir, &err), 3);
  written = g_strdup_printf ("trace written to %s:", path);
  ck_assert_msg (count_lines (err, written) == 1, "stderr: %s", err);
  t = with_functions (open_trace (path));
  assert_meta (t, "exit");
  ck_assert_int_eq (n_created (t, "GstBuffer"), 1);
  ck_assert_int_eq (n_destroyed (t, "GstBuffer"), 1);
  memtrace_trace_close (t);
  g_free (written);
  g_free (err);
  g_strfreev (env);
  g_free (app);
  g_free (path);
}
END_TEST

/* A program without GStreamer: its status, and no trace. */
START_TEST (test_run_no_gstreamer)
{
  gchar *path = g_build_filename (tmpdir, "run-sh.trace", NULL);
  gchar *argv[] = { (gchar *) cli, (gchar *) "run", (gchar *) "-o", path,
    (gchar *) "--", (gchar *) "/bin/sh", (gchar *) "-c", (gchar *) "exit 4",
    NULL
  };
  gchar **env = child_env (NULL);
  gchar *err = NULL;

  ck_assert_int_eq (spawn (argv, env, tmpdir, &err), 4);
  ck_assert_msg (count_lines (err, "no trace was recorded") == 1,
      "stderr: %s", err);
  ck_assert (!g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (err);
  g_strfreev (env);
  g_free (path);
}
END_TEST

static MemTraceTrace *
run_python (const gchar * name, const gchar * arg)
{
  gchar *path = g_build_filename (tmpdir, name, NULL);
  gchar *script = g_build_filename (apps_srcdir, "keep_samples.py", NULL);
  gchar *argv[] = { (gchar *) cli, (gchar *) "run", (gchar *) "-o", path,
    (gchar *) "--", (gchar *) PYTHON, script, (gchar *) arg, NULL
  };
  gchar **env = child_env (NULL);
  gchar *err = NULL;
  gint status;
  MemTraceTrace *t;

  ck_assert_msg (g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE),
      PYTHON " not found");
  status = spawn (argv, env, tmpdir, &err);
  ck_assert_msg (status == 0, "python exited with %d: %s", status, err);
  t = with_functions (open_trace (path));
  g_free (err);
  g_strfreev (env);
  g_free (script);
  g_free (path);
  return t;
}

/* PyGObject: Python ends without gst_deinit().  Its interpreter teardown
 * releases the samples kept in a module-level list before the C exit
 * handlers run, so none is alive at exit. */
START_TEST (test_python_list)
{
  MemTraceTrace *t = run_python ("python-list.trace", NULL);

  assert_meta (t, "exit");
  /* appsink's own sample, then a copy for each pull while it is kept. */
  ck_assert_int_eq (n_created (t, "GstSample"), 4);
  ck_assert_int_eq (n_destroyed (t, "GstSample"), 4);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM alive WHERE state = %d",
          ALIVE_AT_DEINIT), 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o WHERE state IS NOT NULL "
          "AND type IN ('GstSample', 'GstBuffer', 'GstMemory')"), 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o JOIN memories m "
          "ON m.obj = o.id WHERE m.size = 100"), n_created (t, "GstMemory"));
  memtrace_trace_close (t);
}
END_TEST

/* Samples a daemon thread holds are never released: alive at exit. */
START_TEST (test_python_held)
{
  MemTraceTrace *t = run_python ("python-held.trace", "--hold-in-thread");

  assert_meta (t, "exit");
  ck_assert_int_eq (n_created (t, "GstSample"), 4);
  ck_assert_int_eq (n_leaked (t, "GstSample", ALIVE_AT_EXIT), 4);
  ck_assert_int_eq (n_leaked (t, "GstBuffer", ALIVE_AT_EXIT), 4);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM alive WHERE state = %d",
          ALIVE_AT_DEINIT), 0);
  ck_assert_int_eq (q_int (t, "SELECT count(*) FROM o JOIN buffer_memories bm "
          "ON bm.buffer = o.id JOIN memories m ON m.obj = bm.memory "
          "WHERE o.state = %d AND m.size = 100", ALIVE_AT_EXIT), 4);
  memtrace_trace_close (t);
}
END_TEST

static Suite *
record_suite (void)
{
  Suite *s = suite_create ("record");
  TCase *apps = tcase_create ("apps");
  TCase *around = tcase_create ("around");

  tcase_set_timeout (apps, 60);
  tcase_add_test (apps, test_keep_samples);
  tcase_add_test (apps, test_keep_samples_last_pad);
  tcase_add_test (apps, test_probe_ref);
  tcase_add_test (apps, test_probe_ref_last_pad);
  tcase_add_test (apps, test_pool_starve);
  tcase_add_test (apps, test_alloc_memory);
  tcase_add_test (apps, test_leaked_bin);
  tcase_add_test (apps, test_threads);
  tcase_add_test (apps, test_names_of_destroyed);
  tcase_add_test (apps, test_no_deinit);
  tcase_add_test (apps, test_clean);
  suite_add_tcase (s, apps);

  tcase_set_timeout (around, 60);
  tcase_add_test (around, test_sigkill);
  tcase_add_test (around, test_bad_params);
  tcase_add_test (around, test_stack_depth);
  tcase_add_test (around, test_filters);
  tcase_add_test (around, test_unwritable_output);
  tcase_add_test (around, test_existing_output);
  tcase_add_test (around, test_run_exit_status);
  tcase_add_test (around, test_run_no_gstreamer);
  tcase_add_test (around, test_python_list);
  tcase_add_test (around, test_python_held);
  suite_add_tcase (s, around);
  return s;
}

int
main (void)
{
  return record_helpers_run (record_suite (), "test-record");
}
