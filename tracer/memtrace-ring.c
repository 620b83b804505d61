/* gst-memtrace: per-thread single-producer single-consumer rings.
 *
 * The owning thread fills slots and publishes them with a release store of
 * `head`; the writer thread drains up to `head` and publishes `tail`.  The
 * only lock is taken when a thread first records (to join the list) and when
 * a ring passes half full (to wake the writer). */
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <pthread.h>
#include "memtrace-ring.h"

static guint ring_capacity;
static MemTraceFullPolicy full_policy;
static void (*wake_writer_func) (void);
static gint stop_waiting;
static guint next_thread_id = 1;
static guint64 reaped_dropped;

static GMutex rings_lock;
static MemTraceRing *rings;

static __thread MemTraceRing *my_ring;

/* 64-bit counters shared by exactly two threads: plain acquire/release. */
#define LOAD_ACQ(p) __atomic_load_n ((p), __ATOMIC_ACQUIRE)
#define STORE_REL(p, v) __atomic_store_n ((p), (v), __ATOMIC_RELEASE)
static GPrivate ring_key;

static void
ring_thread_exited (gpointer data)
{
  MemTraceRing *ring = data;

  /* Events from later thread-exit destructors start a new ring: this one
   * is the writer's to free from now on. */
  my_ring = NULL;
  g_atomic_int_set (&ring->dead, 1);
  if (wake_writer_func)
    wake_writer_func ();
}

void
memtrace_rings_init (guint capacity, MemTraceFullPolicy policy,
    void (*wake_writer) (void))
{
  GPrivate key = G_PRIVATE_INIT (ring_thread_exited);

  ring_capacity = capacity;
  full_policy = policy;
  wake_writer_func = wake_writer;
  ring_key = key;
}

static MemTraceRing *
ring_new (void)
{
  MemTraceRing *ring = g_new0 (MemTraceRing, 1);

  ring->capacity = ring_capacity;
  ring->slots = g_new (MemTraceSlot, ring_capacity);
  ring->tid = syscall (SYS_gettid);
  pthread_getname_np (pthread_self (), ring->name, sizeof (ring->name));
  memtrace_block_writer_init (&ring->block);

  g_mutex_lock (&rings_lock);
  ring->id = next_thread_id++;
  ring->next = rings;
  rings = ring;
  g_mutex_unlock (&rings_lock);
  return ring;
}

MemTraceRing *
memtrace_ring_get (void)
{
  if (G_LIKELY (my_ring))
    return my_ring;
  my_ring = ring_new ();
  g_private_set (&ring_key, my_ring);
  return my_ring;
}

static gboolean
ring_wait_for_room (MemTraceRing * ring, guint n)
{
  guint spins = 0;

  for (;;) {
    ring->tail_cache = LOAD_ACQ (&ring->tail);
    if (ring->head - ring->tail_cache + n <= ring->capacity)
      return TRUE;
    if (full_policy == MEMTRACE_FULL_DROP || g_atomic_int_get (&stop_waiting))
      return FALSE;
    if (wake_writer_func)
      wake_writer_func ();
    /* The writer drains a whole ring in well under a millisecond. */
    g_usleep (spins++ < 10 ? 20 : 200);
  }
}

MemTraceSlot *
memtrace_ring_reserve (MemTraceRing * ring, guint n, guint64 * index)
{
  if (G_UNLIKELY (ring->head - ring->tail_cache + n > ring->capacity)
      && !ring_wait_for_room (ring, n))
    return NULL;
  *index = ring->head;
  return &ring->slots[ring->head & (ring->capacity - 1)];
}

void
memtrace_ring_commit (MemTraceRing * ring, guint n)
{
  guint64 fill;

  STORE_REL (&ring->head, ring->head + n);
  fill = ring->head - ring->tail_cache;
  if (G_UNLIKELY (fill > ring->capacity / 2)) {
    /* The cached tail may be old: only a ring really half full wakes. */
    ring->tail_cache = LOAD_ACQ (&ring->tail);
    fill = ring->head - ring->tail_cache;
  }
  if (G_UNLIKELY (fill > ring->capacity / 2)
      && !g_atomic_int_get (&ring->wake_sent)) {
    g_atomic_int_set (&ring->wake_sent, 1);
    if (wake_writer_func)
      wake_writer_func ();
  }
}

void
memtrace_ring_count_drop (MemTraceRing * ring)
{
  __atomic_add_fetch (&ring->dropped, 1, __ATOMIC_RELAXED);
}

guint
memtrace_ring_extra_slots (gsize len)
{
  return (len + sizeof (MemTraceSlot) - 1) / sizeof (MemTraceSlot);
}

void
memtrace_ring_write_extra (MemTraceRing * ring, guint64 index,
    const void *data, gsize len)
{
  const guint8 *p = data;
  guint64 i = index + 1;

  while (len > 0) {
    gsize n = MIN (len, sizeof (MemTraceSlot));

    memcpy (memtrace_ring_slot (ring, i++), p, n);
    p += n;
    len -= n;
  }
}

void
memtrace_ring_read_extra (MemTraceRing * ring, guint64 index,
    void *data, gsize len)
{
  guint8 *p = data;
  guint64 i = index + 1;

  while (len > 0) {
    gsize n = MIN (len, sizeof (MemTraceSlot));

    memcpy (p, memtrace_ring_slot (ring, i++), n);
    p += n;
    len -= n;
  }
}

GPtrArray *
memtrace_rings_list (void)
{
  GPtrArray *list = g_ptr_array_new ();
  MemTraceRing *r;

  g_mutex_lock (&rings_lock);
  for (r = rings; r; r = r->next)
    g_ptr_array_add (list, r);
  g_mutex_unlock (&rings_lock);
  return list;
}

void
memtrace_rings_reap (MemTraceRing * ring)
{
  MemTraceRing **p;

  g_mutex_lock (&rings_lock);
  for (p = &rings; *p; p = &(*p)->next) {
    if (*p == ring) {
      *p = ring->next;
      break;
    }
  }
  reaped_dropped += ring->dropped;
  g_mutex_unlock (&rings_lock);
  memtrace_block_writer_clear (&ring->block);
  g_free (ring->slots);
  g_free (ring);
}

void
memtrace_rings_stop_waiting (void)
{
  g_atomic_int_set (&stop_waiting, 1);
}

guint64
memtrace_rings_dropped (void)
{
  guint64 total;
  MemTraceRing *r;

  g_mutex_lock (&rings_lock);
  total = reaped_dropped;
  for (r = rings; r; r = r->next)
    total += __atomic_load_n (&r->dropped, __ATOMIC_RELAXED);
  g_mutex_unlock (&rings_lock);
  return total;
}

guint64
memtrace_ring_published (MemTraceRing * ring)
{
  return LOAD_ACQ (&ring->head);
}

void
memtrace_ring_consumed (MemTraceRing * ring, guint64 tail)
{
  STORE_REL (&ring->tail, tail);
  g_atomic_int_set (&ring->wake_sent, 0);
}
