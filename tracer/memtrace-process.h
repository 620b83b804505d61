/* gst-memtrace: what the trace records about the traced process. */
#ifndef __MEMTRACE_PROCESS_H__
#define __MEMTRACE_PROCESS_H__

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _MemTraceModules MemTraceModules;

/* pid, command line, GStreamer version, start time, GST_* environment. */
gboolean memtrace_process_write_meta (sqlite3 * db, const gchar * params);
/* Records loaded ELF modules not recorded before; cheap when none changed. */
MemTraceModules *memtrace_modules_new (void);
gboolean memtrace_modules_update (MemTraceModules * m, sqlite3 * db);
void memtrace_modules_free (MemTraceModules * m);

/* The start time of a process in clock ticks since boot, or 0. */
guint64 memtrace_process_start_ticks (gint pid);

gboolean memtrace_meta_set_int (sqlite3 * db, const gchar * key, gint64 v);
gboolean memtrace_meta_set_text (sqlite3 * db, const gchar * key,
    const gchar * v);

G_END_DECLS

#endif
