/* gst-memtrace: one time base for hooks and for our own events. */
#ifndef __MEMTRACE_CLOCK_H__
#define __MEMTRACE_CLOCK_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* Hooks receive nanoseconds since GStreamer started, a base that is private
 * to libgstreamer; a hook tells us its offset from the monotonic clock so
 * that events we time ourselves (pool waits, checkpoints) match. */
extern gint64 memtrace_clock_offset;
extern gboolean memtrace_clock_calibrating;

/* Each sample overestimates the offset by however long passed between the
 * hook's clock read and ours (a preemption can make that milliseconds): the
 * smallest of many samples is the truest. */
static inline void
memtrace_clock_calibrate (GstClockTime ts)
{
  if (G_UNLIKELY (memtrace_clock_calibrating || memtrace_clock_offset == 0)) {
    gint64 offset = (gint64) gst_util_get_timestamp () - (gint64) ts;

    if (memtrace_clock_offset == 0 || offset < memtrace_clock_offset)
      memtrace_clock_offset = offset;
  }
}

/* Async-signal-safe: gst_util_get_timestamp() is clock_gettime(). */
static inline guint64
memtrace_clock_now (void)
{
  return (guint64) ((gint64) gst_util_get_timestamp () -
      memtrace_clock_offset);
}

G_END_DECLS

#endif
