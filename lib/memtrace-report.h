/* gst-memtrace: everything a report shows, computed once for every format. */
#ifndef __MEMTRACE_REPORT_H__
#define __MEMTRACE_REPORT_H__

#include "memtrace-trace.h"
#include "memtrace-frames.h"
#include "memtrace-leaks.h"
#include "memtrace-timeline.h"
#include "memtrace-lifetimes.h"
#include "memtrace-frag.h"
#include "memtrace-pools.h"
#include "memtrace-hotspots.h"

G_BEGIN_DECLS

typedef struct
{
  MemTraceLeakOptions leaks;
  gboolean leaks_only;          /* skip every analysis but leaks and peak */
} MemTraceReportOptions;

typedef struct
{
  /* The trace */
  gchar *file;
  gint64 pid;
  gchar *command;
  gchar *gstreamer_version;
  gboolean complete;            /* the recording ended cleanly */
  gchar *end_reason;            /* "deinit", "exit" or NULL (cut off) */
  gint64 duration_ns;
  gint64 dropped_events;
  gint64 objects_created;
  gint64 peak_bytes;            /* live payload bytes at the peak */
  gint64 peak_ts;

  MemTraceLeaks *leaks;
  MemTraceTimeline *timeline;
  MemTraceLifetimes *lifetimes;   /* NULL with leaks_only, as below */
  MemTraceFrag *frag;
  MemTracePools *pools;
  MemTraceHotspots *hotspots;
  /* Resolves the stack ids the analyses return; owned by the report. */
  MemTraceFrames *frames;
} MemTraceReport;

MemTraceReport *memtrace_report_build (MemTraceTrace * t,
    const MemTraceReportOptions * options, GError ** error);
void memtrace_report_free (MemTraceReport * r);

G_END_DECLS

#endif
