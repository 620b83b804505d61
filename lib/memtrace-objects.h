/* gst-memtrace: single objects: finding them, and their whole history. */
#ifndef __MEMTRACE_OBJECTS_H__
#define __MEMTRACE_OBJECTS_H__

#include "memtrace-trace.h"
#include "memtrace-format.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  gchar *type;
  gchar *name;                  /* GstObject name, NULL if none */
  guint64 address;
  gint64 created_ts;
  gint64 destroyed_ts;          /* -1: never destroyed */
  gint64 thread;
  gint64 stack_id;              /* creation */
  gint alive_state;             /* 0, or MemTraceAliveState when alive at
                                 * the end of the recording */
  gint64 size;                  /* memories: payload size; -1 otherwise */
} MemTraceObject;

/* One thing that happened to an object.  kind MEMTRACE_EV_CREATED is its
 * creation (the objects row), MEMTRACE_EV_ALIVE that it was still alive
 * at the end (a = refcount, b = MemTraceAliveState). */
typedef struct
{
  gint64 ts;
  MemTraceEventKind kind;
  gint64 thread;
  gint64 stack_id;              /* 0: none recorded */
  gint64 a, b;                  /* as in the events table */
  gchar *what;                  /* what happened, in words: "ref -> 3",
                                 * "pushed src:src -> sink:sink",
                                 * "acquired from pool0" */
} MemTraceObjectEvent;

typedef struct
{
  MemTraceObject object;
  gchar *parent;                /* the bin or element it belongs to */
  GArray *events;               /* MemTraceObjectEvent, in time order */
  GArray *holds;                /* MemTraceObject it held a reference to
                                 * (a sample's buffer, a buffer's memories) */
  GArray *held_by;              /* MemTraceObject holding it */
} MemTraceObjectHistory;

/* Objects matching a query: "123" or "#123" (an id), "0x7f..." (an
 * address: every object that had it), or a type name (exact, or failing
 * that a case-insensitive part of it).  At most limit, by id (about
 * creation order); *more (may be NULL) says whether there were more. */
GArray *memtrace_objects_find (MemTraceTrace * t, const gchar * query,
    guint limit, gboolean * more, GError ** error);
/* NULL with error if there is no such object. */
MemTraceObjectHistory *memtrace_objects_history (MemTraceTrace * t,
    gint64 id, GError ** error);
void memtrace_object_history_free (MemTraceObjectHistory * h);
void memtrace_object_clear (MemTraceObject * o);

G_END_DECLS

#endif
