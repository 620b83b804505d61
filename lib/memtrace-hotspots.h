/* gst-memtrace: where objects and bytes are allocated. */
#ifndef __MEMTRACE_HOTSPOTS_H__
#define __MEMTRACE_HOTSPOTS_H__

#include "memtrace-trace.h"
#include "memtrace-frames.h"
#include "memtrace-leaks.h"
#include "memtrace-sql.h"

G_BEGIN_DECLS

typedef enum
{
  MEMTRACE_HOTSPOT_BY_BYTES = 0,        /* bytes, then objects */
  MEMTRACE_HOTSPOT_BY_COUNT = 1,        /* objects, then bytes */
} MemTraceHotspotSort;

typedef struct
{
  MemTraceHotspotSort sort;
  guint n_sites;                /* the first n after sorting; 0: all */
  MemTraceWindow window;        /* only objects created in it; the other
                                 * numbers (alive at the end, leaked) are
                                 * still those of the end of the recording */
} MemTraceHotspotOptions;

/* Every object created at one site: memtrace_frames_site() of its creation
 * stack, grouped by the frame's address.  The same for every memory of one
 * allocator, in MemTraceHotspots.allocators. */
typedef struct
{
  guint64 site;                 /* the frame's address; 0: no stack.
                                 * allocators: the allocator's object id,
                                 * 0 if unknown */
  gchar *site_name;             /* memtrace_frame_describe(), or
                                 * "(no stack)"; allocators: its name */
  GArray *types;                /* MemTraceTally, by the sort */
  gint64 objects;
  gint64 bytes;                 /* payload (see memtrace-leaks.h) */
  gint64 allocated_bytes;
  gint64 live_at_end;           /* never destroyed */
  gint64 leaked;                /* alive at the end (state 1 or 2) and not
                                 * flagged MAY_BE_LEAKED */
  gint64 leaked_bytes;          /* their payload */
  gint64 stack_id;              /* the creation stack that contributed most
                                 * (by the sort); allocators: 0 */
  gint64 n_stacks;              /* distinct creation stacks; allocators: 0 */
  gint64 memories;              /* memories that own their payload */

  /* Internal waste of its memories that an allocator's alloc() returned
   * (memories.from_alloc = 1, not sub-memories); the fragmentation
   * analysis reports it. */
  gint64 alloc_memories;
  gint64 alloc_bytes;           /* their size */
  gint64 alloc_slack;           /* sum (maxsize - size) */
  gint64 alloc_align;           /* sum align */
  gint64 alloc_prefix;
  gint64 alloc_padding;
} MemTraceHotspot;

typedef struct
{
  MemTraceHotspotSort sort;
  GArray *sites;                /* MemTraceHotspot, sorted */
  guint n_sites_total;          /* before n_sites cut the list */
  GArray *allocators;           /* MemTraceHotspot per allocator, sorted,
                                 * all of them */
  gint64 objects;               /* over every site */
  gint64 bytes;
  gint64 allocated_bytes;
  gint64 leaked;
  gint64 from_ts, to_ts;        /* the creation window [from, to):
                                 * G_MININT64 and G_MAXINT64 unless set */
} MemTraceHotspots;

/* Totals per creation stack, every stack: for flame graphs. */
typedef struct
{
  gint64 stack_id;              /* 0: no stack */
  gint64 objects;
  gint64 bytes;                 /* payload */
  gint64 allocated_bytes;
} MemTraceStackTotal;

/* Objects and bytes made at each creation stack over the whole recording,
 * or with at_ts >= 0 those alive at at_ts (the peak, say).  NULL with the
 * error set if the trace cannot be read. */
GArray *memtrace_stack_totals (MemTraceTrace * t, gint64 at_ts,
    GError ** error);

MemTraceHotspots *memtrace_hotspots_analyse (MemTraceTrace * t,
    MemTraceFrames * frames, const MemTraceHotspotOptions * options,
    GError ** error);
void memtrace_hotspots_free (MemTraceHotspots * hotspots);

G_END_DECLS

#endif
