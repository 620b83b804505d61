/* gst-memtrace: the trace format shared by the recorder and the readers.
 *
 * A trace is an SQLite database.  While recording, high-rate events go into
 * `blocks` as varint-encoded per-thread batches (one row per batch), because
 * one SQLite row per event costs more than the streaming thread can afford.
 * Finishing the trace (lib/memtrace-finish.c) decodes the blocks into the
 * indexed tables that the analyses and users query.  See docs/trace-format.md.
 */
#ifndef __MEMTRACE_FORMAT_H__
#define __MEMTRACE_FORMAT_H__

#include <glib.h>

G_BEGIN_DECLS

/* Bump when a reader of the previous version would misread the file. */
#define MEMTRACE_FORMAT_VERSION 1
#define MEMTRACE_FORMAT_NAME "gst-memtrace"

/* Event kinds.  The numeric values are stored in files: never renumber. */
typedef enum
{
  MEMTRACE_EV_NONE = 0,
  MEMTRACE_EV_CREATED = 1,      /* obj; type, stack, address, is_gstobject */
  MEMTRACE_EV_DESTROYED = 2,    /* obj */
  MEMTRACE_EV_REF = 3,          /* obj; a = new refcount, stack */
  MEMTRACE_EV_UNREF = 4,        /* obj; a = new refcount, stack */
  MEMTRACE_EV_POOL_ACQUIRE = 5, /* obj = buffer; a = pool, stack */
  MEMTRACE_EV_POOL_RELEASE = 6, /* obj = buffer; a = pool */
  MEMTRACE_EV_POOL_ALLOC = 7,   /* obj = buffer; a = pool (made by the pool) */
  MEMTRACE_EV_POOL_WAIT = 8,    /* obj = pool; a = ns waited, stack */
  MEMTRACE_EV_PAD_PUSH = 9,     /* obj = buffer or list; a = pad,
                                 * b = its peer (0 if unknown) */
  MEMTRACE_EV_PAD_CHAIN = 10,   /* obj = buffer or list; a = pad, b = peer */
  MEMTRACE_EV_PAD_PULL = 11,    /* obj = buffer; a = pad, b = peer */
  MEMTRACE_EV_ALLOC = 12,       /* obj = memory, as an allocator's alloc()
                                 * returned it: a = allocator, b = parent,
                                 * c = size, d = maxsize, e = offset,
                                 * f = align mask, g = flags, h = prefix,
                                 * i = padding (from the params asked) */
  MEMTRACE_EV_MEMORY = 13,      /* obj = memory seen at destroy or at the end
                                 * without an ALLOC: a..g as ALLOC */
  MEMTRACE_EV_BUFFER = 14,      /* obj = buffer; a = pool, b = flags, then
                                 * the memory ids (list) */
  MEMTRACE_EV_NAME = 15,        /* obj = GstObject; a = parent; text = name */
  MEMTRACE_EV_LINK = 16,        /* obj = child; a = parent (bin/element) */
  MEMTRACE_EV_POOL_CONFIG = 17, /* obj = pool; a = size, b = min, c = max,
                                 * d = allocator, e = align, f = prefix,
                                 * g = padding */
  MEMTRACE_EV_ALIVE = 18,       /* obj; a = refcount, b = flags,
                                 * c = MemTraceAliveState */
  MEMTRACE_EV_CHECKPOINT = 19,  /* text = label */
  MEMTRACE_EV_HOLDS = 20,       /* obj; list = the objects it holds a
                                 * reference to (a sample's buffer and caps,
                                 * a list's buffers, a message's source) */
  MEMTRACE_EV_FLAGS = 21,       /* obj, as it is destroyed; a = flags
                                 * (MEMTRACE_ALIVE_FLAG_*) */
  MEMTRACE_EV_LAST
} MemTraceEventKind;

/* Why an object was still alive when the recording ended. */
typedef enum
{
  MEMTRACE_ALIVE_AT_DEINIT = 1, /* gst_deinit() ran: a leak */
  MEMTRACE_ALIVE_AT_EXIT = 2,   /* the process exited without gst_deinit() */
} MemTraceAliveState;

/* Flags stored with MEMTRACE_EV_ALIVE. */
#define MEMTRACE_ALIVE_FLAG_MAY_BE_LEAKED (1 << 0)

/* Most numeric fields an event carries besides obj and ts (a..i). */
#define MEMTRACE_EVENT_MAX_ARGS 9
/* Most memory ids listed in one MEMTRACE_EV_BUFFER event. */
#define MEMTRACE_EVENT_MAX_LIST 16
#define MEMTRACE_EVENT_MAX_TEXT 255

/* No real time comes near this (73 years in nanoseconds); within it, the
 * difference of any two times, and a window's width, fit in a gint64. */
#define MEMTRACE_TS_LIMIT (G_GINT64_CONSTANT (1) << 61)

/* A decoded event.  Times are nanoseconds since GStreamer started. */
typedef struct
{
  MemTraceEventKind kind;
  guint64 ts;
  guint64 obj;
  guint32 stack;
  guint64 args[MEMTRACE_EVENT_MAX_ARGS];
  guint n_list;
  guint64 list[MEMTRACE_EVENT_MAX_LIST];
  guint text_len;
  gchar text[MEMTRACE_EVENT_MAX_TEXT + 1];
} MemTraceEvent;

/* What each kind carries.  The encoder asks for every event, so the table
 * is read inline rather than through calls. */
#define MEMTRACE_KIND_STACK (1 << 0)
#define MEMTRACE_KIND_LIST (1 << 1)     /* a list of ids: BUFFER, HOLDS */
#define MEMTRACE_KIND_TEXT (1 << 2)     /* NAME, CHECKPOINT */

typedef struct
{
  const gchar *name;
  guint8 n_args;
  guint8 flags;
} MemTraceKindInfo;

extern const MemTraceKindInfo memtrace_kinds[MEMTRACE_EV_LAST];

static inline guint
memtrace_event_n_args (MemTraceEventKind kind)
{
  return kind < MEMTRACE_EV_LAST ? memtrace_kinds[kind].n_args : 0;
}

static inline gboolean
memtrace_event_kind_has (MemTraceEventKind kind, guint flag)
{
  return kind < MEMTRACE_EV_LAST && (memtrace_kinds[kind].flags & flag);
}

#define memtrace_event_has_stack(kind) \
    memtrace_event_kind_has ((kind), MEMTRACE_KIND_STACK)
#define memtrace_event_has_list(kind) \
    memtrace_event_kind_has ((kind), MEMTRACE_KIND_LIST)
#define memtrace_event_has_text(kind) \
    memtrace_event_kind_has ((kind), MEMTRACE_KIND_TEXT)

const gchar *memtrace_event_kind_name (MemTraceEventKind kind);

G_END_DECLS

#endif /* __MEMTRACE_FORMAT_H__ */
