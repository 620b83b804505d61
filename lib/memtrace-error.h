/* gst-memtrace: the errors lib/ reports, and the exit codes they map to. */
#ifndef __MEMTRACE_ERROR_H__
#define __MEMTRACE_ERROR_H__

#include <glib.h>

G_BEGIN_DECLS

#define MEMTRACE_ERROR (memtrace_error_quark ())

typedef enum
{
  MEMTRACE_ERROR_USAGE = 2,       /* bad option, argument or input file */
  MEMTRACE_ERROR_NOT_A_TRACE = 3, /* not SQLite, or not our schema */
  MEMTRACE_ERROR_NEWER = 4,       /* written by a newer gst-memtrace */
  MEMTRACE_ERROR_CORRUPT = 5,     /* truncated or damaged */
  MEMTRACE_ERROR_IO = 6,          /* cannot open, read or write */
  MEMTRACE_ERROR_SQL = 7,         /* unexpected SQLite failure */
} MemTraceErrorCode;

GQuark memtrace_error_quark (void);

G_END_DECLS

#endif
