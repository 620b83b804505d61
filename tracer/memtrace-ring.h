/* gst-memtrace: per-thread rings that carry events from the hooks to the
 * writer thread without a lock on the common path. */
#ifndef __MEMTRACE_RING_H__
#define __MEMTRACE_RING_H__

#include <glib.h>
#include "memtrace-format.h"
#include "memtrace-block.h"

G_BEGIN_DECLS

/* Ring-only records the writer turns into table rows, not block events. */
#define MEMTRACE_RING_STACK 200

/* One slot.  An event with more than four args, a list or a text spills
 * into the following slots (n_extra of them) as raw bytes. */
typedef struct
{
  guint8 kind;
  guint8 n_extra;
  guint16 reserved;
  guint32 stack;
  guint64 ts;
  guint64 obj;
  guint64 args[5];
} MemTraceSlot;

#define MEMTRACE_STACK_CACHE 256

typedef struct
{
  guint64 hash;
  guint32 id;
} MemTraceStackCacheEntry;

/* A one-entry cache of a GstObject's id, good until any GstObject goes. */
typedef struct
{
  gpointer obj;
  guint64 id;
  guint gen;
} MemTraceIdCache;

typedef struct _MemTraceRing MemTraceRing;
struct _MemTraceRing
{
  /* Producer side: only the owning thread writes these. */
  guint64 head;                 /* atomic, release */
  guint64 tail_cache;
  guint id;                     /* threads.id */
  gint tid;
  gchar name[16];
  MemTraceStackCacheEntry stacks[MEMTRACE_STACK_CACHE];
  MemTraceIdCache pad, peer, allocator;
  gpointer last_created;        /* the object this thread made last */
  guint64 last_created_id, last_created_ts;
  gint in_tracer;               /* re-entrancy guard */

  /* Consumer side: only the writer thread writes these. */
  guint64 tail;                 /* atomic, release */
  MemTraceBlockWriter block;
  gboolean registered_in_db;

  gint dead;                    /* atomic: the thread has exited */
  gint wake_sent;               /* atomic */
  guint64 dropped;              /* atomic */
  guint capacity;               /* slots, a power of two */
  MemTraceSlot *slots;
  MemTraceRing *next;           /* in the writer's list */
};

typedef enum
{
  MEMTRACE_FULL_WAIT,
  MEMTRACE_FULL_DROP,
} MemTraceFullPolicy;

/* Called once before any ring exists. */
void memtrace_rings_init (guint capacity, MemTraceFullPolicy policy,
    void (*wake_writer) (void));
/* The calling thread's ring, created on first use. */
MemTraceRing *memtrace_ring_get (void);
/* Reserves n consecutive slots (n <= capacity / 4) or returns NULL if the
 * event must be dropped (count it with memtrace_ring_count_drop); commit
 * with memtrace_ring_commit. */
MemTraceSlot *memtrace_ring_reserve (MemTraceRing * ring, guint n,
    guint64 * index);
void memtrace_ring_commit (MemTraceRing * ring, guint n);
void memtrace_ring_count_drop (MemTraceRing * ring);

static inline MemTraceSlot *
memtrace_ring_slot (MemTraceRing * ring, guint64 index)
{
  return &ring->slots[index & (ring->capacity - 1)];
}

/* Writes len bytes into the extra slots that follow slot `index`. */
void memtrace_ring_write_extra (MemTraceRing * ring, guint64 index,
    const void *data, gsize len);
void memtrace_ring_read_extra (MemTraceRing * ring, guint64 index,
    void *data, gsize len);
guint memtrace_ring_extra_slots (gsize len);

/* Writer side: what the producer published, and handing slots back. */
guint64 memtrace_ring_published (MemTraceRing * ring);
void memtrace_ring_consumed (MemTraceRing * ring, guint64 tail);
/* Writer side: a snapshot of every ring, and freeing dead, drained rings. */
GPtrArray *memtrace_rings_list (void);
void memtrace_rings_reap (MemTraceRing * ring);
/* Stops producers from waiting: after this, a full ring drops. */
void memtrace_rings_stop_waiting (void);
guint64 memtrace_rings_dropped (void);

G_END_DECLS

#endif
