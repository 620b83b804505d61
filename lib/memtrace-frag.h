/* gst-memtrace: fragmentation and waste: what allocations cost beyond
 * their payload, how well pools are used, and churn. */
#ifndef __MEMTRACE_FRAG_H__
#define __MEMTRACE_FRAG_H__

#include "memtrace-trace.h"
#include "memtrace-frames.h"
#include "memtrace-timeline.h"
#include "memtrace-pools.h"
#include "memtrace-hotspots.h"

G_BEGIN_DECLS

typedef struct
{
  guint n_sites;                /* sites kept, by waste; 0: 20 */
  /* Results already at hand, borrowed (may be NULL: then computed here
   * over the whole recording, with n_bins bins).  A hotspots list cut by
   * n_sites is not used. */
  MemTraceTimeline *timeline;
  MemTracePools *pools;
  MemTraceHotspots *hotspots;
  guint n_bins;                 /* 0: 200 */
} MemTraceFragOptions;

/* Internal waste of the memories an allocator's alloc() returned
 * (memories.from_alloc = 1; sub-memories left out): maxsize - size is what
 * the prefix, the padding and the alignment slack took. */
typedef struct
{
  gchar *name;                  /* the allocator's name, or the site */
  gint64 id;                    /* allocator object id (0: unknown), or the
                                 * site's frame address */
  gint64 stack_id;              /* sites: its main stack (hotspots) */
  gint64 memories;
  gint64 bytes;                 /* sum size */
  gint64 allocated_bytes;       /* sum (maxsize + align) */
  gint64 slack;                 /* sum (maxsize - size) */
  gint64 align;                 /* sum align (the mask) */
  gint64 prefix;
  gint64 padding;
  gint64 waste;                 /* allocated_bytes - bytes */
  gdouble waste_ratio;          /* waste / allocated_bytes */
} MemTraceWaste;

/* How a pool's buffers were used. */
typedef struct
{
  const MemTracePool *pool;     /* in pools */
  gint64 config_size;           /* of the latest configuration */
  gint64 max_buffers;           /* 0: unlimited */
  gdouble used_per_buffer;      /* payload bytes per buffer made */
  gdouble used_ratio;           /* used_per_buffer / config_size */
  gdouble reuse_ratio;          /* acquires per buffer made */
  gint64 peak_outstanding;
  gdouble outstanding_ratio;    /* peak_outstanding / max_buffers (0 if
                                 * unlimited) */
  gint64 waits, wait_total_ns, wait_max_ns;
} MemTracePoolUse;

typedef struct
{
  MemTraceWaste total;          /* name NULL */
  GArray *by_allocator;         /* MemTraceWaste, by waste */
  GArray *by_site;              /* MemTraceWaste, by waste, at most
                                 * n_sites */
  gint64 other_memories;        /* memories without alloc() details
                                 * (sizes as seen at their end) */

  GArray *pool_use;             /* MemTracePoolUse, as pools->pools */

  /* Heap span against live bytes over time: timeline->bins, fields heap_*
   * (and bytes). */
  const MemTraceTimeline *timeline;
  const MemTracePools *pools;

  /* Churn: memories (not sub-memories) made outside any pool buffer. */
  gint64 duration_ns;
  gint64 memories;              /* every memory that owns its payload */
  gint64 pooled_memories;       /* of them, held by a buffer a pool made */
  gint64 churn;                 /* memories - pooled_memories */
  gdouble churn_per_second;

  /* What this analysis computed itself and frees. */
  MemTraceTimeline *own_timeline;
  MemTracePools *own_pools;
} MemTraceFrag;

MemTraceFrag *memtrace_frag_analyse (MemTraceTrace * t,
    MemTraceFrames * frames, const MemTraceFragOptions * options,
    GError ** error);
void memtrace_frag_free (MemTraceFrag * frag);

G_END_DECLS

#endif
