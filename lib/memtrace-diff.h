/* gst-memtrace: what changed between two traces. */
#ifndef __MEMTRACE_DIFF_H__
#define __MEMTRACE_DIFF_H__

#include "memtrace-report.h"

G_BEGIN_DECLS

typedef enum
{
  MEMTRACE_DIFF_NEW,            /* leaks at a site the base had none */
  MEMTRACE_DIFF_GROWN,          /* more objects or bytes than the base */
  MEMTRACE_DIFF_SHRUNK,
  MEMTRACE_DIFF_SAME,
  MEMTRACE_DIFF_GONE,           /* the base leaked there, this one not */
} MemTraceDiffKind;

/* One leak site (type and symbolised site) in both traces.  Sites are
 * matched by name, not address: two runs load libraries elsewhere. */
typedef struct
{
  gchar *key;                   /* "GstBuffer at func (file:line)" */
  MemTraceDiffKind kind;
  gint64 base_objects, base_bytes;
  gint64 objects, bytes;
  /* The group in the newer report (or in the base, when gone). */
  const MemTraceLeakGroup *group;
} MemTraceDiffSite;

typedef struct
{
  GArray *sites;                /* MemTraceDiffSite: new, grown, ... */
  guint n_new, n_grown, n_gone;
  gint64 base_leaked_bytes, leaked_bytes;
  gint64 base_peak_bytes, peak_bytes;
} MemTraceDiff;

/* Compares the unsuppressed leak groups of two reports. */
MemTraceDiff *memtrace_diff_reports (MemTraceReport * base,
    MemTraceReport * report);
void memtrace_diff_free (MemTraceDiff * d);
const gchar *memtrace_diff_kind_name (MemTraceDiffKind kind);

G_END_DECLS

#endif
