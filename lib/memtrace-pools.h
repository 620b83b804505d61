/* gst-memtrace: buffer pools, what they were asked for and how they did. */
#ifndef __MEMTRACE_POOLS_H__
#define __MEMTRACE_POOLS_H__

#include "memtrace-trace.h"
#include "memtrace-frames.h"

G_BEGIN_DECLS

typedef struct
{
  guint n_bins;                 /* for the outstanding series; 0: 200 */
  gint64 from_ts;               /* window of the series, as in
                                 * MemTraceTimelineOptions; <= 0: the */
  gint64 to_ts;                 /* whole recording.  The counts are always
                                 * for the whole recording. */
} MemTracePoolOptions;

/* A configuration the pool was activated with (pool_configs). */
typedef struct
{
  gint64 ts;
  gint64 size, min_buffers, max_buffers;        /* max 0: unlimited */
  gint64 allocator;             /* object id, 0 for the default */
  gint64 align, prefix, padding;
} MemTracePoolConfig;

typedef struct
{
  gint64 pool;                  /* object id */
  gchar *name;                  /* its GstObject name, or "pool <id>" */
  gchar *type;                  /* its GType name */
  gchar *owner;                 /* its parent's name, NULL if none known */
  GArray *configs;              /* MemTracePoolConfig, by ts */

  gint64 buffers_allocated;     /* made by the pool (pool-alloc) */
  gint64 acquires;
  gint64 releases;              /* releases of an acquired buffer */
  gint64 fills;                 /* releases with no acquire before: the
                                 * pool filling itself at activation */
  gdouble reuse_ratio;          /* acquires / buffers_allocated */
  gint64 peak_outstanding;      /* acquired and not yet released */
  gint64 peak_outstanding_ts;
  gint64 leaked_outstanding;    /* still acquired at the end */
  GArray *outstanding;          /* gint64 per bin: the most outstanding */

  /* Waits for a free buffer when the pool was empty. */
  gint64 waits;
  gint64 wait_total_ns;
  gint64 wait_max_ns;
  gint64 wait_max_ts;
  gint64 wait_max_stack_id;     /* who waited longest */

  /* The memories of the buffers the pool made (as last seen): payload and
   * allocated bytes against what the configuration asked for. */
  gint64 memory_count;
  gint64 memory_bytes;
  gint64 memory_allocated_bytes;
} MemTracePool;

typedef struct
{
  gint64 from_ts, to_ts, bin_width;
  guint n_bins;
  GPtrArray *pools;             /* MemTracePool *, by acquires */
} MemTracePools;

MemTracePools *memtrace_pools_analyse (MemTraceTrace * t,
    MemTraceFrames * frames, const MemTracePoolOptions * options,
    GError ** error);
void memtrace_pools_free (MemTracePools * pools);

/* One acquire -> release interval of a pool's buffer. */
typedef void (*MemTracePoolIntervalFunc) (gint64 pool, gint64 buffer,
    gint64 acquired_ts, gint64 released_ts, gpointer user_data);

/* Walks the acquires and releases of every pool in time order and calls
 * func for each interval, as it ends (released_ts -1: still out at the
 * end).  The lifetimes analysis uses it. */
gboolean memtrace_pools_foreach_interval (MemTraceTrace * t,
    MemTracePoolIntervalFunc func, gpointer user_data, GError ** error);

G_END_DECLS

#endif
