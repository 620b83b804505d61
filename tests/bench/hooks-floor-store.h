/* gst-memtrace benchmark: the storage floor of the memtracehooks tracer
 * (store=true): memtrace's trace writes, without memtrace's events. */
#ifndef __HOOKS_FLOOR_STORE_H__
#define __HOOKS_FLOOR_STORE_H__

#include <glib.h>

G_BEGIN_DECLS

/* The mean size of an encoded event in memtrace's traces of workload A
 * (docs/performance.md: 8.8 to 8.9 bytes). */
#define FLOOR_STORE_EVENT_BYTES 9

extern __thread guint64 *floor_store_mine;
guint64 *floor_store_register (void);

/* n events' worth of bytes for the writer: a thread-local add, less than
 * any real hand-over costs. */
static inline void
floor_store_count (guint n)
{
  if (G_UNLIKELY (!floor_store_mine))
    floor_store_mine = floor_store_register ();
  /* Only this thread writes it; the writer thread reads it. */
  __atomic_store_n (floor_store_mine,
      *floor_store_mine + n * FLOOR_STORE_EVENT_BYTES, __ATOMIC_RELAXED);
}

gboolean floor_store_start (void);
void floor_store_stop (void);

G_END_DECLS

#endif
