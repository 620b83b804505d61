/* gst-memtrace: offline symbolisation of the recorded stack frames. */
#ifndef __MEMTRACE_SYMBOLIZE_H__
#define __MEMTRACE_SYMBOLIZE_H__

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Symbolises every distinct frame address of `stacks` that has no row in
 * `symbols` yet, from the recorded `modules`, and inserts one row per address
 * (function/file/line NULL where unknown; module NULL when no module covers it).
 * Runs inside one transaction of its own.  Returns FALSE with error
 * (MEMTRACE_ERROR, MEMTRACE_ERROR_SQL / MEMTRACE_ERROR_IO) only on SQL failure;
 * a missing or changed module file is not an error: its addresses get only the
 * module id.  *n_done (may be NULL) receives the number of addresses added. */
gboolean memtrace_symbolize_trace (sqlite3 *db, guint *n_done, GError **error);

G_END_DECLS

#endif /* __MEMTRACE_SYMBOLIZE_H__ */
