/* gst-memtrace fuzzing: the event blocks of a trace (the varint decoder and
 * everything finishing and the analyses make of the events).  Each input
 * becomes a fresh, otherwise valid recorded trace whose blocks are the
 * input's:
 *   byte 0: bit 0 the recording is complete, bit 1 it ended at exit
 *           (else at gst_deinit), bit 2 a checkpoint-signal thread block;
 *   then records of: thread (1 byte), n_events (2 bytes LE),
 *           length (2 bytes LE), that many bytes of block data.
 * The types are those of a gst-launch-1.0 audiotestsrc ! queue ! fakesink
 * trace (the seeds come from such traces: make-seeds.py), with a few
 * stacks and no modules.  Then as fuzz-trace.c: open (finish), info,
 * report.  Built and run by run-fuzz.sh. */
#include <stdint.h>
#include <string.h>
#include <sqlite3.h>
#include "memtrace-schema.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static gchar *path;

static const gchar fixed_sql[] =
    "INSERT INTO meta VALUES ('format', 'gst-memtrace'),"
    "  ('format_version', 1), ('pid', 0), ('command', 'fuzz'),"
    "  ('gstreamer_version', 'GStreamer 1.22.0'), ('start_time', 1),"
    "  ('dropped_events', 0);"
    "INSERT INTO types VALUES (1, 'GBoxed', NULL, 0), (2, 'GstMessage', 1, 0),"
    "  (3, 'GstQuery', 1, 0), (4, 'GstEvent', 1, 0), (5, 'GstCaps', 1, 0),"
    "  (6, 'GstMemory', 1, 0), (7, 'GstBuffer', 1, 0),"
    "  (8, 'GstTagList', 1, 0), (9, 'GObject', NULL, 0),"
    "  (10, 'GInitiallyUnowned', 9, 0), (11, 'GstObject', 10, 1),"
    "  (12, 'GstAllocator', 11, 1), (13, 'GstAllocatorSysmem', 12, 1),"
    "  (14, 'GstPadTemplate', 11, 1), (15, 'GstPad', 11, 1),"
    "  (16, 'GstElement', 11, 1), (17, 'GstBaseSrc', 16, 1),"
    "  (18, 'GstAudioTestSrc', 17, 1), (19, 'GstQueue', 16, 1),"
    "  (20, 'GstBaseSink', 16, 1), (21, 'GstFakeSink', 20, 1),"
    "  (22, 'GstBus', 11, 1), (23, 'GstBin', 16, 1), (24, 'GstPipeline', 23, 1),"
    "  (25, 'GstTaskPool', 11, 1), (26, 'GstTask', 11, 1),"
    "  (27, 'GstClock', 11, 1), (28, 'GstSystemClock', 27, 1),"
    "  (29, 'GstBufferPool', 11, 1), (30, 'GstBufferList', 1, 0),"
    "  (31, 'GstSample', 1, 0);"
    "INSERT INTO threads VALUES (1, 100, 'main'), (2, 101, 'src:src'),"
    "  (3, 102, 'queue:src'), (4, 103, 'pool');"
    "INSERT INTO stacks VALUES"
    "  (1, x'0010000000000000' || x'0020000000000000'),"
    "  (2, x'0030000000000000'), (3, x''), (4, x'01'),"
    "  (5, x'ffffffffffffffff0000000000000000');";

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  path = fuzz_scratch_path ("blocks");
  return 0;
}

static gboolean
build (const uint8_t * data, size_t size)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  gboolean ok;
  gsize pos = 1;
  guint8 flags = size ? data[0] : 0;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
          NULL) != SQLITE_OK)
    return FALSE;
  ok = memtrace_sql_exec (db, "PRAGMA journal_mode=OFF; BEGIN", NULL)
      && memtrace_sql_exec (db, memtrace_schema_recording, NULL)
      && memtrace_sql_exec (db, fixed_sql, NULL)
      && memtrace_sql_exec (db, (flags & 1) ? "INSERT INTO meta VALUES "
      "('complete', 1), ('end_ts', 1000000)" : "SELECT 1", NULL)
      && memtrace_sql_exec (db, (flags & 1) ? ((flags & 2) ?
          "INSERT INTO meta VALUES ('end_reason', 'exit')" :
          "INSERT INTO meta VALUES ('end_reason', 'deinit')") : "SELECT 1",
      NULL)
      && sqlite3_prepare_v2 (db, "INSERT INTO blocks (thread, n_events, data) "
      "VALUES (?, ?, ?)", -1, &st, NULL) == SQLITE_OK;
  while (ok && pos + 5 <= size) {
    guint thread = data[pos];
    guint n_events = data[pos + 1] | data[pos + 2] << 8;
    gsize len = data[pos + 3] | data[pos + 4] << 8;

    pos += 5;
    len = MIN (len, size - pos);
    sqlite3_bind_int (st, 1, (flags & 4) ? thread : thread % 5);
    sqlite3_bind_int (st, 2, n_events);
    sqlite3_bind_blob (st, 3, data + pos, len, SQLITE_STATIC);
    ok = sqlite3_step (st) == SQLITE_DONE;
    sqlite3_reset (st);
    pos += len;
  }
  sqlite3_finalize (st);
  ok = ok && memtrace_sql_exec (db, "COMMIT", NULL);
  sqlite3_close (db);
  return ok;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  fuzz_remove_trace (path);
  if (!build (data, size))
    __builtin_trap ();
  fuzz_read_trace (path);
  return 0;
}
