/* gst-memtrace: the memtrace tracer. */
#ifndef __GST_MEMTRACE_H__
#define __GST_MEMTRACE_H__

#include <gst/gst.h>
#include <gst/gsttracer.h>

G_BEGIN_DECLS

#define GST_TYPE_MEMTRACE (gst_memtrace_get_type ())
G_DECLARE_FINAL_TYPE (GstMemTrace, gst_memtrace, GST, MEMTRACE, GstTracer);

G_END_DECLS

#endif
