/* gst-memtrace: capturing and interning backtraces on the streaming thread. */
#ifndef __MEMTRACE_STACKS_H__
#define __MEMTRACE_STACKS_H__

#include "memtrace-ring.h"

G_BEGIN_DECLS

#define MEMTRACE_MAX_STACK_DEPTH 128

void memtrace_stacks_init (guint depth);
/* The id of the calling thread's current stack (0 when depth is 0).  A stack
 * seen for the first time is queued to the writer on this thread's ring. */
guint32 memtrace_stacks_capture (MemTraceRing * ring);

G_END_DECLS

#endif
