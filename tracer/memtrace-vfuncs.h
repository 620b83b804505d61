/* gst-memtrace: pool and allocator events that GStreamer has no hook for. */
#ifndef __MEMTRACE_VFUNCS_H__
#define __MEMTRACE_VFUNCS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

void memtrace_vfuncs_patch_pool (GstBufferPool * pool);
void memtrace_vfuncs_patch_allocator (GstAllocator * allocator);

G_END_DECLS

#endif
