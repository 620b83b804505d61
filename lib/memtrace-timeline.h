/* gst-memtrace: live memory over time, its peak and what made it. */
#ifndef __MEMTRACE_TIMELINE_H__
#define __MEMTRACE_TIMELINE_H__

#include "memtrace-trace.h"
#include "memtrace-frames.h"

G_BEGIN_DECLS

/* "Bytes" are payload bytes: the size of each GstMemory as asked for, 0 for
 * a sub-memory (its parent holds them) and for types without payload.
 * "Allocated bytes" are what the allocator reserved: maxsize + align, 0 for
 * a sub-memory.  An object is live from its creation to its destruction;
 * one never destroyed stays live to the end. */

typedef struct
{
  guint n_bins;                 /* 0: 200 */
  gint64 from_ts;               /* window, ns since gst_init(); <= 0: from */
  gint64 to_ts;                 /* the first object; <= 0: to the end of the
                                 * recording.  What was created before the
                                 * window still counts as live in it. */
  guint n_types;                /* types with a series of their own; 0: 8 */
  guint n_peak_groups;          /* (type, site) groups kept at the peak;
                                 * 0: 20 */
} MemTraceTimelineOptions;

/* One fixed-width time bin: [start_ts, start_ts + bin_width). */
typedef struct
{
  gint64 start_ts;
  gint64 bytes;                 /* the most live bytes at any moment in it */
  gint64 allocated_bytes;       /* live allocated bytes at that moment */
  gint64 objects;               /* the most live objects at any moment */
  gint64 created;               /* objects created in the bin */
  gint64 destroyed;             /* objects destroyed in the bin */
  /* The heap at the end of the bin, over the live memories that own their
   * payload (not sub-memories): the address span max (address + maxsize) -
   * min (address), against the bytes they hold.  objects.address is the
   * GstMemory struct, which the system allocator puts right before the
   * payload, so the span is approximate (other allocators may place the
   * payload elsewhere); it shows spread, not exact pages. */
  gint64 heap_span;
  gint64 heap_bytes;
  gint64 heap_allocated_bytes;
  gint64 heap_memories;
} MemTraceTimelineBin;

/* One type's share of each bin.  Values are taken at the moment the bin's
 * total peaked (bytes at the bytes peak, objects at the objects peak), so
 * the series of a bin add up to its totals: they stack. */
typedef struct
{
  gchar *type;                  /* "other" for the types without a series */
  gint64 peak_bytes;            /* this type's own highest live bytes */
  gint64 peak_objects;          /* and objects, in the window */
  GArray *bytes;                /* gint64, one per bin */
  GArray *objects;              /* gint64, one per bin */
} MemTraceTimelineSeries;

/* What was live at the peak, of one type from one creation site. */
typedef struct
{
  gchar *type;
  guint64 site;                 /* address of memtrace_frames_site(), 0 if
                                 * no stack */
  gchar *site_name;             /* memtrace_frame_describe() of it */
  gint64 stack_id;              /* the creation stack holding most bytes
                                 * (then objects) in the group */
  gint64 objects;
  gint64 bytes;
  gint64 allocated_bytes;
} MemTracePeakGroup;

typedef struct
{
  gint64 from_ts, to_ts;        /* the window actually used */
  gint64 bin_width;             /* ns */
  GArray *bins;                 /* MemTraceTimelineBin */
  GPtrArray *series;            /* MemTraceTimelineSeries *: the top types by
                                 * peak bytes then peak objects, then
                                 * "other" if any type is left out */

  /* The peak: the first moment in the window with the most live bytes (the
   * window's start if nothing had payload). */
  gint64 peak_ts;
  gint64 peak_bytes;
  gint64 peak_allocated_bytes;
  gint64 peak_objects;          /* live objects at that moment */
  GArray *at_peak;              /* MemTracePeakGroup, by bytes then objects,
                                 * at most n_peak_groups */
  MemTracePeakGroup at_peak_rest;  /* the groups left out, summed (type and
                                    * site_name NULL) */
  /* The most live objects, and its first moment. */
  gint64 max_objects;
  gint64 max_objects_ts;
} MemTraceTimeline;

MemTraceTimeline *memtrace_timeline_analyse (MemTraceTrace * t,
    MemTraceFrames * frames, const MemTraceTimelineOptions * options,
    GError ** error);
void memtrace_timeline_free (MemTraceTimeline * timeline);

/* The window the analyses use by default: from the first object's creation
 * to just after the last thing recorded. */
void memtrace_timeline_default_window (MemTraceTrace * t, gint64 * from_ts,
    gint64 * to_ts);
/* A window cut into n_bins bins: *from_ts and *to_ts (<= 0: the default
 * window's ends) are set to the window used, never empty, and *bin_width
 * to the width of bins that cover it. */
void memtrace_timeline_bin_window (MemTraceTrace * t, guint n_bins,
    gint64 * from_ts, gint64 * to_ts, gint64 * bin_width);

/* For the analyses: a connection of their own to the trace, for long
 * scans, or NULL if it cannot be opened (then use memtrace_trace_db()).
 * Connections are "serialized" by default: every call, each
 * sqlite3_column_*() included, takes a mutex, which costs about 40% of a
 * scan.  This one is opened with SQLITE_OPEN_NOMUTEX, read-only, and is
 * for the calling thread only.  sqlite3_close() it. */
sqlite3 *memtrace_scan_db_open (MemTraceTrace * t);

/* For the analyses: the rows of a query, read by a thread of its own (on
 * a connection of its own) while the caller works on the rows before: a
 * scan and the work on it run on two cores.  Every column is read as an
 * integer, NULL as 0 (ask for ifnull (x, -1) or x IS NULL to tell).
 * Without a thread, it reads in memtrace_row_reader_next() on the trace's
 * connection. */
typedef struct _MemTraceRowReader MemTraceRowReader;

MemTraceRowReader *memtrace_row_reader_new (MemTraceTrace * t,
    const gchar * sql, const gint64 * params, guint n_params,
    GError ** error);
/* The next row (as many values as the query has columns), NULL at the
 * end.  Valid until the next call. */
const gint64 *memtrace_row_reader_next (MemTraceRowReader * r);
/* Whether reading failed (then the rows were cut short). */
gboolean memtrace_row_reader_failed (MemTraceRowReader * r, GError ** error);
void memtrace_row_reader_free (MemTraceRowReader * r);

/* For the analyses: the memories row of each object of a stream, read in
 * step with it instead of joined in SQL.  A join probes the memories table
 * once per object; this reads it once, in order, and keeps aside (in a
 * small table) the rows read ahead of an object stream in time order,
 * which are few because ids are handed out in creation order (in blocks of
 * 1024 per thread). */
typedef struct _MemTraceMemoryReader MemTraceMemoryReader;

typedef struct
{
  gboolean owns_payload;        /* not a sub-memory */
  gint64 bytes;                 /* size; 0 for a sub-memory */
  gint64 allocated_bytes;       /* maxsize + align; 0 for a sub-memory */
  gint64 maxsize;
  /* With MEMTRACE_MEMORY_READ_DETAILS only: */
  gint64 allocator;             /* object id, 0 if unknown */
  gboolean from_alloc;
  gint64 slack;                 /* maxsize - size */
  gint64 align, prefix, padding;
} MemTraceMemoryInfo;

typedef enum
{
  MEMTRACE_MEMORY_READ_SIZES = 0,
  MEMTRACE_MEMORY_READ_DETAILS = 1,
} MemTraceMemoryRead;

/* It reads in a thread of its own when it can. */
MemTraceMemoryReader *memtrace_memory_reader_new (MemTraceTrace * t,
    MemTraceMemoryRead what, GError ** error);
/* Whether obj is a memory, and its row.  Each object is found once. */
gboolean memtrace_memory_reader_find (MemTraceMemoryReader * r, gint64 obj,
    MemTraceMemoryInfo * info);
/* Whether reading failed. */
gboolean memtrace_memory_reader_failed (MemTraceMemoryReader * r,
    GError ** error);
void memtrace_memory_reader_free (MemTraceMemoryReader * r);

G_END_DECLS

#endif
