/* gst-memtrace: turning a recorded trace into tables the analyses query. */
#ifndef __MEMTRACE_FINISH_H__
#define __MEMTRACE_FINISH_H__

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Decodes every block into the finished tables, builds the indexes,
 * symbolises the stacks and marks the trace finished.  Idempotent: a
 * finished trace is left as it is. */
gboolean memtrace_finish_trace (sqlite3 * db, GError ** error);

G_END_DECLS

#endif
