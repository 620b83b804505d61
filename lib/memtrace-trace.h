/* gst-memtrace: opening a trace file for reading. */
#ifndef __MEMTRACE_TRACE_H__
#define __MEMTRACE_TRACE_H__

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _MemTraceTrace MemTraceTrace;

/* Opens and checks a trace: a clear MEMTRACE_ERROR for anything that is
 * not one of ours, is newer, or is damaged.  A trace whose recording has
 * ended (cleanly or not) is finished on first open. */
MemTraceTrace *memtrace_trace_open (const gchar * path, GError ** error);
void memtrace_trace_close (MemTraceTrace * t);
/* A trace over a connection the caller keeps (and closes after this), for
 * a reader that builds the finished tables in a database of its own. */
MemTraceTrace *memtrace_trace_new_for_db (sqlite3 * db, const gchar * path,
    gboolean live);
sqlite3 *memtrace_trace_db (MemTraceTrace * t);
const gchar *memtrace_trace_path (MemTraceTrace * t);
/* Whether the process with this pid, started at start_ticks (clock ticks
 * since boot) in the boot boot_id, still runs: a recording's writer. */
gboolean memtrace_trace_process_alive (gint64 pid, gint64 start_ticks,
    const gchar * boot_id);
/* The process that writes it is still running. */
gboolean memtrace_trace_is_live (MemTraceTrace * t);
/* FALSE, with a MEMTRACE_ERROR_USAGE error, while it is live: the
 * analyses read a trace whose recording is over. */
gboolean memtrace_trace_check_finished (MemTraceTrace * t, GError ** error);
gchar *memtrace_trace_meta_text (MemTraceTrace * t, const gchar * key);
gint64 memtrace_trace_meta_int (MemTraceTrace * t, const gchar * key,
    gint64 fallback);

G_END_DECLS

#endif
