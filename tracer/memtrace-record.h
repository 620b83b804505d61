/* gst-memtrace: putting events into a ring, and reading them back out. */
#ifndef __MEMTRACE_RECORD_H__
#define __MEMTRACE_RECORD_H__

#include "memtrace-ring.h"

G_BEGIN_DECLS

/* Events with up to five args and no list or text take one slot. */
static inline void
memtrace_record_small (MemTraceRing * ring, MemTraceEventKind kind,
    guint64 ts, guint64 obj, guint32 stack, guint64 a, guint64 b)
{
  guint64 idx;
  MemTraceSlot *s = memtrace_ring_reserve (ring, 1, &idx);

  if (G_UNLIKELY (!s)) {
    memtrace_ring_count_drop (ring);
    return;
  }
  s->kind = kind;
  s->n_extra = 0;
  s->stack = stack;
  s->ts = ts;
  s->obj = obj;
  s->args[0] = a;
  s->args[1] = b;
  memtrace_ring_commit (ring, 1);
}

void memtrace_record (MemTraceRing * ring, const MemTraceEvent * ev);

/* Reads the event at index into ev (a ring-only record leaves ev->kind as
 * its MEMTRACE_RING_* value); returns how many slots it took. */
guint memtrace_record_read (MemTraceRing * ring, guint64 index,
    MemTraceEvent * ev);

G_END_DECLS

#endif
