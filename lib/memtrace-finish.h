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

/* The steps of finishing, for a reader that follows a live trace into a
 * database of its own (the finished tables must exist there):
 * decode the blocks after after_block_id, then rebuild what derives from
 * all the events (frames, indexes, destruction times). */
gboolean memtrace_finish_decode_blocks (sqlite3 * db, gint64 after_block_id,
    gint64 * last_block_id, GError ** error);
gboolean memtrace_finish_derive (sqlite3 * db, GError ** error);

G_END_DECLS

#endif
