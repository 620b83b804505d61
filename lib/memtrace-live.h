/* gst-memtrace: following a trace while it is being recorded. */
#ifndef __MEMTRACE_LIVE_H__
#define __MEMTRACE_LIVE_H__

#include "memtrace-trace.h"

G_BEGIN_DECLS

/* A live trace must not be finished in place while its process runs, so
 * this decodes it into a private snapshot database instead: a temporary
 * file, deleted at close, that holds copies of the recorded tables and the
 * finished tables, and reads the live file (attached read-only) for the
 * blocks.  Each update decodes the blocks recorded since the last one.
 *
 * The snapshot is an ordinary, finished-looking trace: the analyses run on
 * memtrace_live_trace() as on any other. */
typedef struct _MemTraceLive MemTraceLive;

MemTraceLive *memtrace_live_open (const gchar * path, GError ** error);
/* Brings the snapshot up to date; *changed (may be NULL) says whether
 * anything new was recorded since the last update.  For the thread that
 * owns the snapshot: no other thread may update or analyse it at the
 * same time, but readers (memtrace_live_open_reader) may read. */
gboolean memtrace_live_update (MemTraceLive * l, gboolean * changed,
    GError ** error);
/* The snapshot, for the thread that updates it. */
MemTraceTrace *memtrace_live_trace (MemTraceLive * l);
/* A connection of its own to the snapshot, for another thread; it sees
 * each update once it is complete.  memtrace_trace_close() it before
 * memtrace_live_close(). */
MemTraceTrace *memtrace_live_open_reader (MemTraceLive * l, GError ** error);
/* Whether the recording goes on: not complete, and its process runs. */
gboolean memtrace_live_recording (MemTraceLive * l);
/* The live trace's own path. */
const gchar *memtrace_live_path (MemTraceLive * l);
/* The snapshot's file (with -wal and -shm beside it), for a caller that
 * must exit while another thread still uses it: unlinking it is safe. */
const gchar *memtrace_live_snapshot_path (MemTraceLive * l);
/* What the last update decoded and derived: each proportional to what
 * was recorded since the one before, not to the trace. */
typedef struct
{
  gint64 blocks;                /* blocks decoded */
  gint64 block_events;          /* the events those blocks hold */
  gint64 events;                /* events rows added, and derived from */
  gint64 objects;               /* objects rows added */
  gint64 stacks;                /* new stacks, their frames expanded */
  /* Rows the derivation wrote: over all updates, each destroyed object
   * and each frame once. */
  gint64 destroyed;             /* objects given their destruction time */
  gint64 frames;                /* frames rows */
} MemTraceLiveStats;

void memtrace_live_stats (MemTraceLive * l, MemTraceLiveStats * stats);
/* Blocks decoded so far. */
gint64 memtrace_live_last_block (MemTraceLive * l);
void memtrace_live_close (MemTraceLive * l);

G_END_DECLS

#endif
