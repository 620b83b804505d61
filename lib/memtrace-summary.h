/* gst-memtrace: the overview's numbers, kept in a finished trace. */
#ifndef __MEMTRACE_SUMMARY_H__
#define __MEMTRACE_SUMMARY_H__

#include "memtrace-trace.h"
#include "memtrace-info.h"
#include "memtrace-timeline.h"
#include "memtrace-leaks.h"
#include "memtrace-suppress.h"

G_BEGIN_DECLS

/* Bump when what a row holds changes: rows of another version are never
 * read (and stay for the gst-memtrace that wrote them). */
#define MEMTRACE_SUMMARY_VERSION 1

/* The timeline bins the viewer's overview asks for: a summary computed
 * for it (memtrace_summary_compute) must use these. */
#define MEMTRACE_SUMMARY_VIEW_BINS 600

/* What the first screen shows of the counts, the timeline of the whole
 * recording and the leaks, with which parts are there. */
typedef struct
{
  gboolean has_info;
  gint64 n_events;              /* decoded, or counted by kind: the more */
  gint64 created;
  gint64 alive;                 /* at the end of the recording */

  gboolean has_timeline;
  gint64 from_ts, to_ts;
  gint64 peak_ts, peak_bytes, peak_objects;
  GArray *bins;                 /* gint64: live bytes, as the bins' bytes */

  gboolean has_leaks;
  gint64 leaked_objects;
  guint leak_groups;            /* unsuppressed */
} MemTraceSummary;

MemTraceSummary *memtrace_summary_new (void);
void memtrace_summary_free (MemTraceSummary * s);
/* Fill in a part from the full result (NULL: left as it is). */
void memtrace_summary_set_info (MemTraceSummary * s, const MemTraceInfo * i);
void memtrace_summary_set_timeline (MemTraceSummary * s,
    const MemTraceTimeline * tl);
void memtrace_summary_set_leaks (MemTraceSummary * s,
    const MemTraceLeaks * l);

/* The parts stored in a finished, complete trace for these options (a
 * timeline of the whole recording in n_bins bins, the leaks with these
 * suppressions), or NULL if there is none.  Never an error: a trace
 * without them is computed as before. */
MemTraceSummary *memtrace_summary_load (MemTraceTrace * t, guint n_bins,
    MemTraceSuppressions * suppressions);
/* Keeps the parts s has in the trace, in a table of its own.  FALSE
 * (without an error: there is nothing to tell) if the trace cannot be
 * written, is not finished and complete, or another connection holds it. */
gboolean memtrace_summary_store (MemTraceTrace * t, guint n_bins,
    MemTraceSuppressions * suppressions, const MemTraceSummary * s);
/* Computes the three analyses and stores them: for a command that has
 * just finished a trace (gst-memtrace run), so that the first view of it
 * is instant.  frames may be NULL: it then reads the stacks itself.  NULL,
 * with the error set, if an analysis fails. */
MemTraceSummary *memtrace_summary_compute (MemTraceTrace * t,
    MemTraceFrames * frames, guint n_bins,
    MemTraceSuppressions * suppressions, GError ** error);

G_END_DECLS

#endif
