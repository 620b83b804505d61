/* gst-memtrace: everything a report shows, computed once for every format. */
#include "memtrace-report.h"
#include "memtrace-info.h"

static void
read_trace (MemTraceReport * r, MemTraceTrace * t, MemTraceInfo * info)
{
  guint i;

  r->file = g_strdup (memtrace_trace_path (t));
  r->pid = info->pid;
  r->command = g_strdup (info->command);
  r->gstreamer_version = g_strdup (info->gstreamer_version);
  r->complete = info->complete;
  r->end_reason = g_strdup (info->end_reason);
  r->duration_ns = info->duration_ns;
  r->dropped_events = info->dropped_events;
  for (i = 0; i < info->types->len; i++)
    r->objects_created +=
        g_array_index (info->types, MemTraceTypeCount, i).created;
}

MemTraceReport *
memtrace_report_build (MemTraceTrace * t,
    const MemTraceReportOptions * options, GError ** error)
{
  MemTraceReport *r = g_new0 (MemTraceReport, 1);
  MemTraceInfo *info = memtrace_info_load (t, error);
  MemTraceFragOptions frag = { 0, };

  if (!info)
    goto failed;
  read_trace (r, t, info);
  memtrace_info_free (info);
  r->frames = memtrace_frames_new (memtrace_trace_db (t));
  if (!(r->leaks = memtrace_leaks_analyse (t, r->frames,
              options ? &options->leaks : NULL, error))
      || !(r->timeline = memtrace_timeline_analyse (t, r->frames, NULL,
              error)))
    goto failed;
  r->peak_bytes = r->timeline->peak_bytes;
  r->peak_ts = r->timeline->peak_ts;
  if (options && options->leaks_only)
    return r;
  if (!(r->lifetimes = memtrace_lifetimes_analyse (t, r->frames, NULL, error))
      || !(r->pools = memtrace_pools_analyse (t, r->frames, NULL, error))
      || !(r->hotspots = memtrace_hotspots_analyse (t, r->frames, NULL,
              error)))
    goto failed;
  /* Fragmentation builds on the others' results rather than redoing them. */
  frag.timeline = r->timeline;
  frag.pools = r->pools;
  frag.hotspots = r->hotspots;
  if (!(r->frag = memtrace_frag_analyse (t, r->frames, &frag, error)))
    goto failed;
  return r;

failed:
  memtrace_report_free (r);
  return NULL;
}

void
memtrace_report_free (MemTraceReport * r)
{
  if (!r)
    return;
  g_free (r->file);
  g_free (r->command);
  g_free (r->gstreamer_version);
  g_free (r->end_reason);
  memtrace_leaks_free (r->leaks);
  memtrace_timeline_free (r->timeline);
  memtrace_lifetimes_free (r->lifetimes);
  memtrace_frag_free (r->frag);
  memtrace_pools_free (r->pools);
  memtrace_hotspots_free (r->hotspots);
  memtrace_frames_free (r->frames);
  g_free (r);
}
