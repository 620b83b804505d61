/* gst-memtrace: the SQL schema of a trace file. */
#ifndef __MEMTRACE_SCHEMA_H__
#define __MEMTRACE_SCHEMA_H__

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The tables the recorder writes while the process runs. */
extern const gchar memtrace_schema_recording[];
/* The tables and indexes finishing a trace derives from the blocks. */
extern const gchar memtrace_schema_finished[];

gboolean memtrace_sql_exec (sqlite3 *db, const gchar *sql, GError **error);

G_END_DECLS

#endif
