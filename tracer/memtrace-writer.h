/* gst-memtrace: the one thread that moves events from the rings into the
 * trace file. */
#ifndef __MEMTRACE_WRITER_H__
#define __MEMTRACE_WRITER_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MemTraceWriter MemTraceWriter;

/* How the trace file is written, set before anything else (see open_db()
 * in memtrace-writer.c for why); the benchmark's storage floor writes the
 * same way. */
#define MEMTRACE_WRITER_PRAGMAS "PRAGMA page_size=16384;" \
    "PRAGMA synchronous=OFF;" "PRAGMA journal_mode=WAL;" \
    "PRAGMA wal_autocheckpoint=64;"

/* Creates the trace file (never overwriting: a numeric suffix instead),
 * writes the process description and starts the writer thread. */
MemTraceWriter *memtrace_writer_start (const gchar * path, const gchar * params,
    guint flush_interval_ms, GError ** error);
const gchar *memtrace_writer_path (MemTraceWriter * w);
void memtrace_writer_wake (void);
/* A checkpoint asked for from a signal handler: async-signal-safe. */
void memtrace_writer_signal_checkpoint (void);
/* In a forked child, which never writes its parent's trace: gives back
 * the room kept on the disk.  Async-signal-safe. */
void memtrace_writer_forget_in_child (MemTraceWriter * w);
/* Drains every ring, marks the trace complete and closes it. */
void memtrace_writer_finish (MemTraceWriter * w, const gchar * end_reason,
    guint64 end_ts);

G_END_DECLS

#endif
