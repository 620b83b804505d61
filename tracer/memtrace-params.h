/* gst-memtrace: the tracer's parameters, from GST_TRACERS="memtrace(...)". */
#ifndef __MEMTRACE_PARAMS_H__
#define __MEMTRACE_PARAMS_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *output;                /* NULL: gst-memtrace-<pid>.trace */
  guint stack_depth;
  gboolean record_refs;
  gchar **filters;              /* type names, NULL for all */
  guint flush_interval_ms;
  gint checkpoint_signal;       /* 0 for none */
  gboolean drop_when_full;
} MemTraceParams;

/* Parses `params` (may be NULL).  Never fails: each bad key or value is one
 * warning, appended to *warnings, and that setting keeps its default. */
void memtrace_params_parse (const gchar * params, MemTraceParams * out,
    GPtrArray * warnings);
void memtrace_params_clear (MemTraceParams * p);

G_END_DECLS

#endif
