/* gst-memtrace: pool and allocator events that GStreamer has no hook for.
 *
 * GStreamer 1.22 has no pool hooks and no version has an allocator hook, so
 * we wrap the class methods of each pool and allocator class we see (once
 * per class, when its first instance is created).  The 1.28 pool hooks are
 * not used even where they exist: they only cover the default acquire and
 * release, and the wrappers cover subclasses too.
 *
 * A subclass method may chain up to its parent's, which may be our wrapper
 * again: the n-th nested call on the same object and method runs the n-th
 * patched class's original, going up the hierarchy, and only the outermost
 * call records. */
#include <string.h>
#include "memtrace-vfuncs.h"
#include "memtrace-hooks.h"
#include "memtrace-livemap.h"
#include "memtrace-record.h"
#include "memtrace-stacks.h"
#include "memtrace-clock.h"

typedef enum
{
  VF_ACQUIRE,
  VF_RELEASE,
  VF_ALLOC_BUFFER,
  VF_START,
  VF_ALLOC,
  N_VFUNCS
} VFunc;

typedef struct
{
  GType type;
  gpointer orig[N_VFUNCS];
} Patched;

#define MAX_PATCHED 256
#define MAX_NESTING 16

static Patched patched[MAX_PATCHED];
static gint n_patched;          /* atomic: entries below it are complete */
static GMutex patch_lock;

typedef struct
{
  gconstpointer obj;
  VFunc vf;
} Frame;

static __thread Frame frames[MAX_NESTING];
static __thread guint n_frames;

static guint
frame_push (gconstpointer obj, VFunc vf)
{
  guint i, depth = 0;

  for (i = 0; i < n_frames; i++)
    if (frames[i].obj == obj && frames[i].vf == vf)
      depth++;
  if (n_frames < MAX_NESTING) {
    frames[n_frames].obj = obj;
    frames[n_frames].vf = vf;
  }
  n_frames++;
  return depth;
}

static void
frame_pop (void)
{
  n_frames--;
}

static Patched *
find_patched (GType type)
{
  gint i, n = g_atomic_int_get (&n_patched);

  for (i = 0; i < n; i++)
    if (patched[i].type == type)
      return &patched[i];
  return NULL;
}

/* The original method for the depth-th patched class above obj's type.  A
 * deeper nesting than there are patched classes is a method calling itself
 * through the public API: that runs the most derived original again. */
static gpointer
walk_to_orig (gconstpointer obj, VFunc vf, guint depth)
{
  GType type;
  gpointer first = NULL;

  for (type = G_OBJECT_TYPE (obj); type; type = g_type_parent (type)) {
    Patched *p = find_patched (type);

    if (p && p->orig[vf]) {
      if (depth == 0)
        return p->orig[vf];
      if (!first)
        first = p->orig[vf];
      depth--;
    }
  }
  return first;
}

/* Every buffer passes a wrapper, and the answer only changes when a class
 * is patched: the outermost call's is kept per thread and method. */
typedef struct
{
  GType type;
  gint n_patched;
  gpointer orig;
} OrigCache;

static __thread OrigCache orig_cache[N_VFUNCS];

static gpointer
find_orig (gconstpointer obj, VFunc vf, guint depth)
{
  OrigCache *c = &orig_cache[vf];
  GType type = G_OBJECT_TYPE (obj);
  gint n = g_atomic_int_get (&n_patched);

  if (depth > 0)
    return walk_to_orig (obj, vf, depth);
  if (c->type != type || c->n_patched != n) {
    c->orig = walk_to_orig (obj, vf, 0);
    c->type = type;
    c->n_patched = n;
  }
  return c->orig;
}

static void
patch_slot (Patched * p, gpointer * slot, VFunc vf, gpointer wrapper)
{
  /* A class made after its parent was patched inherits the wrapper: the
   * parent's original serves it, found by walking up. */
  if (*slot && *slot != wrapper) {
    p->orig[vf] = *slot;
    *slot = wrapper;
  }
}

static GstFlowReturn wrap_acquire (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params);
static void wrap_release (GstBufferPool * pool, GstBuffer * buffer);
static GstFlowReturn wrap_alloc_buffer (GstBufferPool * pool,
    GstBuffer ** buffer, GstBufferPoolAcquireParams * params);
static gboolean wrap_start (GstBufferPool * pool);
static GstMemory *wrap_alloc (GstAllocator * allocator, gsize size,
    GstAllocationParams * params);

static void
patch_class (GType type, gpointer klass)
{
  Patched *p;

  g_mutex_lock (&patch_lock);
  if (find_patched (type) || n_patched >= MAX_PATCHED) {
    g_mutex_unlock (&patch_lock);
    return;
  }
  p = &patched[n_patched];
  p->type = type;
  if (g_type_is_a (type, GST_TYPE_BUFFER_POOL)) {
    GstBufferPoolClass *c = klass;

    patch_slot (p, (gpointer *) & c->acquire_buffer, VF_ACQUIRE, wrap_acquire);
    patch_slot (p, (gpointer *) & c->release_buffer, VF_RELEASE, wrap_release);
    patch_slot (p, (gpointer *) & c->alloc_buffer, VF_ALLOC_BUFFER,
        wrap_alloc_buffer);
    patch_slot (p, (gpointer *) & c->start, VF_START, wrap_start);
  } else {
    GstAllocatorClass *c = klass;

    patch_slot (p, (gpointer *) & c->alloc, VF_ALLOC, wrap_alloc);
  }
  g_atomic_int_inc (&n_patched);
  g_mutex_unlock (&patch_lock);
}

void
memtrace_vfuncs_patch_pool (GstBufferPool * pool)
{
  patch_class (G_OBJECT_TYPE (pool), G_OBJECT_GET_CLASS (pool));
}

void
memtrace_vfuncs_patch_allocator (GstAllocator * allocator)
{
  patch_class (G_OBJECT_TYPE (allocator), G_OBJECT_GET_CLASS (allocator));
}

/* Pools */

typedef GstFlowReturn (*AcquireFunc) (GstBufferPool *, GstBuffer **,
    GstBufferPoolAcquireParams *);

/* Asks once without waiting: only if that fails for want of a free buffer
 * does the real call wait, and then we time it. */
static GstFlowReturn
acquire_timing_wait (AcquireFunc orig, GstBufferPool * pool,
    GstBuffer ** buffer, GstBufferPoolAcquireParams * params,
    guint64 * waited)
{
  GstBufferPoolAcquireParams probe = { 0, };
  GstFlowReturn ret;
  guint64 t0;

  *waited = 0;
  if (params && (params->flags & GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT))
    return orig (pool, buffer, params);
  if (params)
    probe = *params;
  probe.flags |= GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT;
  ret = orig (pool, buffer, &probe);
  if (ret != GST_FLOW_EOS)
    return ret;
  t0 = memtrace_clock_now ();
  ret = orig (pool, buffer, params);
  *waited = MAX (memtrace_clock_now () - t0, 1);
  return ret;
}

static GstFlowReturn
wrap_acquire (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  guint depth = frame_push (pool, VF_ACQUIRE);
  AcquireFunc orig = find_orig (pool, VF_ACQUIRE, depth);
  MemTraceRing *ring = memtrace_hooks_enter ();
  GstFlowReturn ret;
  guint64 waited, ts, pool_id;
  guint32 stack;

  if (!ring || depth > 0 || !(pool_id = memtrace_hooks_id (pool))) {
    ret = orig (pool, buffer, params);
    frame_pop ();
    return ret;
  }
  ret = acquire_timing_wait (orig, pool, buffer, params, &waited);
  ts = memtrace_clock_now ();
  stack = memtrace_stacks_capture (ring);
  if (waited)
    memtrace_record_small (ring, MEMTRACE_EV_POOL_WAIT, ts, pool_id, stack,
        waited, 0);
  if (ret == GST_FLOW_OK && *buffer)
    memtrace_record_small (ring, MEMTRACE_EV_POOL_ACQUIRE, ts,
        memtrace_hooks_id (*buffer), stack, pool_id, 0);
  frame_pop ();
  return ret;
}

static void
wrap_release (GstBufferPool * pool, GstBuffer * buffer)
{
  guint depth = frame_push (pool, VF_RELEASE);
  void (*orig) (GstBufferPool *, GstBuffer *) = find_orig (pool, VF_RELEASE,
      depth);
  MemTraceRing *ring = memtrace_hooks_enter ();

  /* Before the call: an inactive pool frees the buffer inside it. */
  if (ring && depth == 0)
    memtrace_record_small (ring, MEMTRACE_EV_POOL_RELEASE,
        memtrace_clock_now (), memtrace_hooks_id (buffer), 0,
        memtrace_hooks_id (pool), 0);
  orig (pool, buffer);
  frame_pop ();
}

static GstFlowReturn
wrap_alloc_buffer (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  guint depth = frame_push (pool, VF_ALLOC_BUFFER);
  AcquireFunc orig = find_orig (pool, VF_ALLOC_BUFFER, depth);
  GstFlowReturn ret = orig (pool, buffer, params);
  MemTraceRing *ring = memtrace_hooks_enter ();

  if (ring && depth == 0 && ret == GST_FLOW_OK && *buffer)
    memtrace_record_small (ring, MEMTRACE_EV_POOL_ALLOC,
        memtrace_clock_now (), memtrace_hooks_id (*buffer), 0,
        memtrace_hooks_id (pool), 0);
  frame_pop ();
  return ret;
}

static void
record_pool_config (MemTraceRing * ring, GstBufferPool * pool)
{
  GstStructure *config;
  GstAllocator *allocator = NULL;
  GstAllocationParams params = { 0, };
  guint size = 0, min = 0, max = 0;
  MemTraceEvent ev = { 0, };

  /* Copying the config refs its caps: not an event of the app's. */
  ring->in_tracer++;
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_get_params (config, NULL, &size, &min, &max);
  gst_buffer_pool_config_get_allocator (config, &allocator, &params);
  ev.kind = MEMTRACE_EV_POOL_CONFIG;
  ev.ts = memtrace_clock_now ();
  ev.obj = memtrace_hooks_id (pool);
  ev.args[0] = size;
  ev.args[1] = min;
  ev.args[2] = max;
  ev.args[3] = memtrace_hooks_id (allocator);
  ev.args[4] = params.align;
  ev.args[5] = params.prefix;
  ev.args[6] = params.padding;
  gst_structure_free (config);
  ring->in_tracer--;
  memtrace_record (ring, &ev);
}

static gboolean
wrap_start (GstBufferPool * pool)
{
  guint depth = frame_push (pool, VF_START);
  gboolean (*orig) (GstBufferPool *) = find_orig (pool, VF_START, depth);
  gboolean ok = orig (pool);
  MemTraceRing *ring = memtrace_hooks_enter ();

  if (ok && ring && depth == 0 && memtrace_hooks_id (pool))
    record_pool_config (ring, pool);
  frame_pop ();
  return ok;
}

/* Allocators */

static GstMemory *
wrap_alloc (GstAllocator * allocator, gsize size, GstAllocationParams * params)
{
  guint depth = frame_push (allocator, VF_ALLOC);
  GstMemory *(*orig) (GstAllocator *, gsize, GstAllocationParams *) =
      find_orig (allocator, VF_ALLOC, depth);
  GstMemory *mem = orig (allocator, size, params);
  MemTraceRing *ring = memtrace_hooks_enter ();
  guint64 id;

  if (mem && ring && depth == 0 && memtrace_hooks_claim_memory (mem, &id))
    memtrace_hooks_record_memory (ring, MEMTRACE_EV_ALLOC,
        memtrace_hooks_created_ts (ring, mem, id), id, mem,
        params ? params->prefix : 0, params ? params->padding : 0);
  frame_pop ();
  return mem;
}
