/* gst-memtrace: how long objects live, and pool buffers stay out. */
#ifndef __MEMTRACE_LIFETIMES_H__
#define __MEMTRACE_LIFETIMES_H__

#include "memtrace-trace.h"
#include "memtrace-frames.h"
#include "memtrace-sql.h"

G_BEGIN_DECLS

/* Bucket 0 holds lifetimes of 0 ns; bucket i >= 1 those in
 * [2^(i-1), 2^i) ns. */
#define MEMTRACE_LIFETIME_N_BUCKETS 64

typedef struct
{
  gint64 temporary_ns;          /* shorter lives are temporary; 0: 1 ms */
  guint n_outliers;             /* the longest lives kept; 0: 20 */
  MemTraceWindow window;        /* only objects created in it (pools:
                                 * buffers acquired in it), followed to
                                 * their end, after the window or not */
} MemTraceLifetimeOptions;

/* A distribution of lifetimes (ns).  Percentiles are read from a finer
 * histogram (16 steps per power of two), so they are within 1/16 above the
 * true value, and never outside [min_ns, max_ns], which are exact. */
typedef struct
{
  gchar *name;                  /* the type, the pool or the site */
  gint64 id;                    /* types.id, the pool's object id, or the
                                 * site's frame address */
  gint64 stack_id;              /* sites: the stack with most lifetimes */
  gint64 count;                 /* lifetimes counted */
  gint64 alive_at_end;          /* never destroyed (pools: never released):
                                 * not in the distribution */
  gint64 total_ns;              /* for the mean */
  gint64 min_ns, p50_ns, p90_ns, p99_ns, max_ns;
  gint64 buckets[MEMTRACE_LIFETIME_N_BUCKETS];
} MemTraceLifetimeDist;

/* One of the longest-lived objects (destroyed ones: what never was is the
 * leak analysis' business). */
typedef struct
{
  gint64 object;
  gchar *type;
  gint64 created_ts;
  gint64 lifetime_ns;
  gint64 stack_id;
  gchar *site_name;
} MemTraceLifetimeOutlier;

/* Objects of one type from one site that lived less than temporary_ns. */
typedef struct
{
  gchar *type;
  guint64 site;
  gchar *site_name;
  gint64 stack_id;              /* the stack with most of them */
  gint64 count;
} MemTraceTemporaries;

typedef struct
{
  gint64 temporary_ns;
  MemTraceLifetimeDist all;     /* every destroyed object */
  GPtrArray *by_type;           /* MemTraceLifetimeDist *, by count */
  GPtrArray *by_site;           /* MemTraceLifetimeDist *, by count; a site
                                 * is memtrace_frames_site() of the creation
                                 * stack, standing for the element or code
                                 * that made the objects */
  GPtrArray *by_pool;           /* MemTraceLifetimeDist *: each pool's
                                 * acquire -> release intervals */
  GArray *outliers;             /* MemTraceLifetimeOutlier, longest first */
  GArray *temporaries;          /* MemTraceTemporaries, by count */
  gint64 n_temporaries;
  gint64 from_ts, to_ts;        /* the creation window [from, to):
                                 * G_MININT64 and G_MAXINT64 unless set */
} MemTraceLifetimes;

MemTraceLifetimes *memtrace_lifetimes_analyse (MemTraceTrace * t,
    MemTraceFrames * frames, const MemTraceLifetimeOptions * options,
    GError ** error);
void memtrace_lifetimes_free (MemTraceLifetimes * lifetimes);

/* Shared with the pools analysis: the bucket a lifetime falls in. */
guint memtrace_lifetime_bucket (gint64 ns);

G_END_DECLS

#endif
