/* gst-memtrace: the leak analysis, with root causes. */
#ifndef __MEMTRACE_LEAKS_H__
#define __MEMTRACE_LEAKS_H__

#include "memtrace-trace.h"
#include "memtrace-frames.h"
#include "memtrace-suppress.h"

G_BEGIN_DECLS

/* Objects and bytes of one type.  bytes is payload (the size of each
 * GstMemory, a sub-memory adding nothing); allocated_bytes is what the
 * allocator reserved (maxsize plus alignment). */
typedef struct
{
  gchar *type;
  gint64 objects;
  gint64 bytes;
  gint64 allocated_bytes;
} MemTraceTally;

/* An array of MemTraceTally that frees their type names. */
GArray *memtrace_tallies_new (void);

/* References taken at one stack and never given back (record-refs). */
typedef struct
{
  gint64 stack_id;
  gint64 count;
} MemTraceRefSite;

typedef enum
{
  MEMTRACE_LEAK_AT_END = 0,     /* the recording was cut off: alive then */
  MEMTRACE_LEAK_AT_DEINIT = 1,  /* alive after gst_deinit(): leaked */
  MEMTRACE_LEAK_AT_EXIT = 2,    /* alive at exit, gst_deinit() never ran */
  MEMTRACE_LEAK_IN_WINDOW = 3,  /* made between two checkpoints, alive at
                                 * the second */
} MemTraceLeakState;

/* Root leaks of one type from one site.  An object kept alive only by
 * another leaked object (a memory in a leaked buffer, a buffer in a leaked
 * sample, the pads and children of a leaked bin, a pool kept by its
 * outstanding buffers) is not a root: it is in its root's holds. */
typedef struct
{
  gchar *type;
  gint64 objects;               /* roots */
  gint64 bytes;                 /* payload of the roots and all they hold */
  gint64 allocated_bytes;
  gint64 stack_id;              /* creation stack */
  gint64 acquire_stack_id;      /* latest pool acquire, 0 if never pooled */
  gchar *last_pad;              /* "element:pad" that last had it, or NULL */
  GArray *holds;                /* MemTraceTally per held type */
  GArray *refs;                 /* MemTraceRefSite, biggest first */
  GArray *object_ids;           /* gint64: the roots */
  MemTraceLeakState state;
  gchar *suppressed_by;         /* the rule, or NULL when not suppressed */
} MemTraceLeakGroup;

typedef struct
{
  /* What is reported: a whole run, or between two checkpoints. */
  gchar *from_checkpoint;       /* label, NULL for the start */
  gchar *to_checkpoint;         /* label, NULL for the end */
  gint64 from_ts, to_ts;

  gint64 leaked_objects;        /* unsuppressed, roots and held */
  gint64 leaked_bytes;
  gint64 leaked_allocated_bytes;
  gint64 suppressed_objects;
  gint64 may_be_leaked_objects; /* flagged by GStreamer, never reported */
  gint64 released_by_deinit;    /* alive at exit, but what gst_deinit()
                                 * would have released: not the app's */
  GArray *leaked_by_type;       /* MemTraceTally, unsuppressed, by bytes */
  GPtrArray *groups;            /* MemTraceLeakGroup *: unsuppressed by
                                 * bytes then objects, then suppressed */
  guint n_unsuppressed_groups;
} MemTraceLeaks;

typedef struct
{
  const gchar *from_checkpoint; /* label or 1-based index, NULL: start */
  const gchar *to_checkpoint;   /* label or 1-based index, NULL: end */
  MemTraceSuppressions *suppressions;   /* may be NULL */
} MemTraceLeakOptions;

MemTraceLeaks *memtrace_leaks_analyse (MemTraceTrace * t,
    MemTraceFrames * frames, const MemTraceLeakOptions * options,
    GError ** error);
void memtrace_leaks_free (MemTraceLeaks * leaks);

/* The stack that tells where a group comes from: for a pooled buffer,
 * where it was last acquired (a pool makes all its buffers in one place),
 * for anything else, where it was made. */
gint64 memtrace_leak_group_site_stack (const MemTraceLeakGroup * g);
/* Its roots and all they hold. */
gint64 memtrace_leak_group_all_objects (const MemTraceLeakGroup * g);

G_END_DECLS

#endif
