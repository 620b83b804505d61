/* gst-memtrace: what an object still alive at the end holds. */
#ifndef __MEMTRACE_HOLDS_H__
#define __MEMTRACE_HOLDS_H__

#include <gst/gst.h>
#include "memtrace-ring.h"

G_BEGIN_DECLS

/* Records a HOLDS event naming the tracked objects obj keeps a reference to:
 * a sample's buffer and caps, a list's buffers, what the structure of an
 * event, query or message holds, a message's source, an element's bus and
 * clock, a pool's configured caps.  Only at the end: nothing changes them
 * any more. */
void memtrace_holds_record (MemTraceRing * ring, guint64 ts, guint64 id,
    gpointer obj, gboolean is_gstobject);

G_END_DECLS

#endif
