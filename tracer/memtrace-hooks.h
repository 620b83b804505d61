/* gst-memtrace: the GStreamer tracing hooks, the hot path. */
#ifndef __MEMTRACE_HOOKS_H__
#define __MEMTRACE_HOOKS_H__

#include <gst/gst.h>
#include "memtrace-params.h"
#include "memtrace-ring.h"

G_BEGIN_DECLS

/* Per-object flags in the live map (beside MEMTRACE_LIVE_INFO_DONE). */
#define MEMTRACE_LIVE_GSTOBJECT (1 << 1)

void memtrace_hooks_register (GstTracer * tracer, const MemTraceParams * p);
void memtrace_hooks_set_recording (gboolean recording);
/* The calling thread's ring if this event should be recorded, else NULL. */
MemTraceRing *memtrace_hooks_enter (void);
/* Records what is still alive, as `state`, from the calling thread. */
void memtrace_hooks_record_alive (guint64 ts, gint state);
/* Waits, at most max_us, while GstTasks are alive. */
void memtrace_hooks_wait_for_tasks (gint64 max_us);
/* Learns the hooks' time base: call once the hooks are registered. */
void memtrace_hooks_calibrate_clock (void);
/* Tracks an object that existed before the tracer (the system allocator),
 * so that what refers to it can name it. */
void memtrace_hooks_adopt (GstObject * obj);
/* The id of an object, 0 if it is not tracked. */
guint64 memtrace_hooks_id (gconstpointer obj);
guint64 memtrace_hooks_created_ts (MemTraceRing * ring, gpointer obj,
    guint64 id);
gboolean memtrace_hooks_claim_memory (GstMemory * mem, guint64 * id);
void memtrace_hooks_record_memory (MemTraceRing * ring, guint kind,
    guint64 ts, guint64 id, GstMemory * mem, gsize prefix, gsize padding);

G_END_DECLS

#endif
