/* gst-memtrace: the GStreamer tracing hooks, the hot path.
 *
 * Every hook does the same few things: find this thread's ring, map
 * addresses to ids, maybe capture a stack, and write one slot.  No I/O, no
 * symbols, no SQL, no global lock. */
#include <string.h>
#include "memtrace-hooks.h"
#include "memtrace-livemap.h"
#include "memtrace-record.h"
#include "memtrace-stacks.h"
#include "memtrace-clock.h"
#include "memtrace-vfuncs.h"
#include "memtrace-holds.h"

static gint recording;
static gchar **filter_names;
static GMutex filter_lock;
static GHashTable *filter_cache;        /* GType -> 1 (track) or 2 (skip) */
/* Bumped on every GstObject destroy so per-thread pad caches notice reuse. */
static gint object_generation;
static gint live_tasks;

void
memtrace_hooks_set_recording (gboolean on)
{
  g_atomic_int_set (&recording, on);
}

MemTraceRing *
memtrace_hooks_enter (void)
{
  MemTraceRing *ring;

  if (G_UNLIKELY (!g_atomic_int_get (&recording)))
    return NULL;
  ring = memtrace_ring_get ();
  return G_UNLIKELY (ring->in_tracer) ? NULL : ring;
}

guint64
memtrace_hooks_id (gconstpointer obj)
{
  guint64 id = 0;

  if (obj)
    memtrace_livemap_lookup (obj, &id);
  return id;
}

static gboolean
filter_match_slow (GType type)
{
  guint i;

  for (i = 0; filter_names[i]; i++) {
    GType t = g_type_from_name (filter_names[i]);

    if (t && g_type_is_a (type, t))
      return TRUE;
  }
  return FALSE;
}

static gboolean
tracked_type (GType type)
{
  guint v;

  if (G_LIKELY (!filter_names))
    return TRUE;
  g_mutex_lock (&filter_lock);
  v = GPOINTER_TO_UINT (g_hash_table_lookup (filter_cache,
          GSIZE_TO_POINTER (type)));
  if (!v) {
    v = filter_match_slow (type) ? 1 : 2;
    g_hash_table_insert (filter_cache, GSIZE_TO_POINTER (type),
        GUINT_TO_POINTER (v));
  }
  g_mutex_unlock (&filter_lock);
  return v == 1;
}

static void
record_created (MemTraceRing * ring, GstClockTime ts, gpointer obj,
    GType type, guint live_flags)
{
  guint64 id = memtrace_livemap_next_id ();
  guint32 stack;

  memtrace_livemap_insert (obj, id, live_flags);
  ring->last_created = obj;
  ring->last_created_id = id;
  ring->last_created_ts = ts;
  stack = memtrace_stacks_capture (ring);
  memtrace_record_small (ring, MEMTRACE_EV_CREATED, ts, id, stack, type,
      (guintptr) obj);
}

static void
on_mini_object_created (GObject * self, GstClockTime ts, GstMiniObject * obj)
{
  MemTraceRing *ring;

  memtrace_clock_calibrate (ts);
  ring = memtrace_hooks_enter ();
  if (!ring || !tracked_type (obj->type))
    return;
  record_created (ring, ts, obj, obj->type, 0);
}

/* When obj was made, if this thread just made it: the time of an event
 * that belongs with its creation (an allocator's alloc()) without reading
 * the clock again. */
guint64
memtrace_hooks_created_ts (MemTraceRing * ring, gpointer obj, guint64 id)
{
  if (obj == ring->last_created && id == ring->last_created_id)
    return ring->last_created_ts;
  return memtrace_clock_now ();
}

/* Pads, peers and allocators change rarely and are looked up often.  Their
 * ids are cached per thread until any GstObject is destroyed (it could be
 * them); an id not known yet is not cached, as it may be given later. */
static guint64
cached_id (MemTraceIdCache * c, gpointer obj)
{
  guint gen = g_atomic_int_get (&object_generation);

  if (obj != c->obj || gen != c->gen) {
    c->id = memtrace_hooks_id (obj);
    c->obj = c->id ? obj : NULL;
    c->gen = gen;
  }
  return c->id;
}

/* Memories */

/* A memory is described once: by its allocator's alloc() (which knows the
 * params), by memory-init (1.26), or else when it goes.  TRUE for the one
 * call that gets to, with its id. */
gboolean
memtrace_hooks_claim_memory (GstMemory * mem, guint64 * id)
{
  guint old;

  return memtrace_livemap_mark (mem, MEMTRACE_LIVE_INFO_DONE, id, &old)
      && !(old & MEMTRACE_LIVE_INFO_DONE);
}

void
memtrace_hooks_record_memory (MemTraceRing * ring, guint kind, guint64 ts,
    guint64 id, GstMemory * mem, gsize prefix, gsize padding)
{
  MemTraceEvent ev;

  ev.kind = kind;
  ev.ts = ts;
  ev.obj = id;
  ev.stack = 0;
  ev.args[0] = cached_id (&ring->allocator, mem->allocator);
  ev.args[1] = memtrace_hooks_id (mem->parent);
  ev.args[2] = mem->size;
  ev.args[3] = mem->maxsize;
  ev.args[4] = mem->offset;
  ev.args[5] = mem->align;
  ev.args[6] = GST_MINI_OBJECT_FLAGS (mem);
  ev.args[7] = prefix;
  ev.args[8] = padding;
  ev.n_list = 0;
  ev.text_len = 0;
  memtrace_record (ring, &ev);
}

static void
record_buffer (MemTraceRing * ring, guint64 ts, guint64 id, GstBuffer * buf)
{
  MemTraceEvent ev;
  guint i, n = MIN (gst_buffer_n_memory (buf), MEMTRACE_EVENT_MAX_LIST);

  ev.kind = MEMTRACE_EV_BUFFER;
  ev.ts = ts;
  ev.obj = id;
  ev.stack = 0;
  ev.args[0] = memtrace_hooks_id (buf->pool);
  ev.args[1] = GST_MINI_OBJECT_FLAGS (buf);
  ev.n_list = n;
  for (i = 0; i < n; i++)
    ev.list[i] = memtrace_hooks_id (gst_buffer_peek_memory (buf, i));
  ev.text_len = 0;
  memtrace_record (ring, &ev);
}

/* Objects meant to live to the end may still go in gst_deinit(): the flag
 * keeps them out of leaks between checkpoints. */
static void
record_may_be_leaked (MemTraceRing * ring, guint64 ts, guint64 id)
{
  memtrace_record_small (ring, MEMTRACE_EV_FLAGS, ts, id, 0,
      MEMTRACE_ALIVE_FLAG_MAY_BE_LEAKED, 0);
}

/* What a mini-object holds is only known once it is filled in: record it
 * when it goes away, or at the end for those still alive. */
static void
record_mini_object_details (MemTraceRing * ring, guint64 ts, guint64 id,
    GstMiniObject * obj, guint flags)
{
  if (obj->type == GST_TYPE_BUFFER)
    record_buffer (ring, ts, id, GST_BUFFER_CAST (obj));
  else if (obj->type == GST_TYPE_MEMORY && !(flags & MEMTRACE_LIVE_INFO_DONE))
    memtrace_hooks_record_memory (ring, MEMTRACE_EV_MEMORY, ts, id,
        GST_MEMORY_CAST (obj), 0, 0);
}

static void
on_mini_object_destroyed (GObject * self, GstClockTime ts,
    GstMiniObject * obj)
{
  MemTraceRing *ring = memtrace_hooks_enter ();
  guint64 id;
  guint flags;

  if (!ring || !memtrace_livemap_take (obj, &id, &flags))
    return;
  record_mini_object_details (ring, ts, id, obj, flags);
  if (G_UNLIKELY (GST_MINI_OBJECT_FLAG_IS_SET (obj,
              GST_MINI_OBJECT_FLAG_MAY_BE_LEAKED)))
    record_may_be_leaked (ring, ts, id);
  memtrace_record_small (ring, MEMTRACE_EV_DESTROYED, ts, id, 0, 0, 0);
}

/* GstObjects */

static void
record_name (MemTraceRing * ring, guint64 ts, guint64 id, GstObject * obj)
{
  MemTraceEvent ev;
  const gchar *name = GST_OBJECT_NAME (obj);

  ev.kind = MEMTRACE_EV_NAME;
  ev.ts = ts;
  ev.obj = id;
  ev.stack = 0;
  ev.args[0] = memtrace_hooks_id (GST_OBJECT_PARENT (obj));
  ev.n_list = 0;
  ev.text_len = name ? MIN (strlen (name), MEMTRACE_EVENT_MAX_TEXT) : 0;
  memcpy (ev.text, name ? name : "", ev.text_len);
  ev.text[ev.text_len] = '\0';
  memtrace_record (ring, &ev);
}

/* Elements add their pads in instance init, before their own constructed()
 * gives them an id: such links wait, on this thread, for that moment. */
#define MAX_PENDING_LINKS 32

typedef struct
{
  gpointer parent;
  guint64 child;
  GstClockTime ts;
} PendingLink;

static __thread PendingLink pending_links[MAX_PENDING_LINKS];
static __thread guint n_pending_links;

static void
record_pending_links (MemTraceRing * ring, gpointer parent, guint64 parent_id)
{
  guint i = 0;

  while (i < n_pending_links) {
    PendingLink *l = &pending_links[i];

    if (l->parent != parent) {
      i++;
      continue;
    }
    memtrace_record_small (ring, MEMTRACE_EV_LINK, l->ts, l->child, 0,
        parent_id, 0);
    *l = pending_links[--n_pending_links];
  }
}

static void
record_link (MemTraceRing * ring, GstClockTime ts, gpointer child,
    gpointer parent)
{
  guint64 child_id = memtrace_hooks_id (child);
  guint64 parent_id = memtrace_hooks_id (parent);

  if (!child_id)
    return;
  if (parent_id || n_pending_links == MAX_PENDING_LINKS) {
    memtrace_record_small (ring, MEMTRACE_EV_LINK, ts, child_id, 0,
        parent_id, 0);
    return;
  }
  pending_links[n_pending_links].parent = parent;
  pending_links[n_pending_links].child = child_id;
  pending_links[n_pending_links].ts = ts;
  n_pending_links++;
}

static void
on_object_created (GObject * self, GstClockTime ts, GstObject * obj)
{
  MemTraceRing *ring = memtrace_hooks_enter ();
  GType type = G_OBJECT_TYPE (obj);
  guint64 id;

  if (!ring)
    return;
  /* Patch even filtered-out pools and allocators: what they make may be
   * tracked. */
  if (GST_IS_BUFFER_POOL (obj))
    memtrace_vfuncs_patch_pool (GST_BUFFER_POOL (obj));
  else if (GST_IS_ALLOCATOR (obj))
    memtrace_vfuncs_patch_allocator (GST_ALLOCATOR (obj));
  if (!tracked_type (type))
    return;
  memtrace_clock_calibrate (ts);
  if (GST_IS_TASK (obj))
    g_atomic_int_inc (&live_tasks);
  record_created (ring, ts, obj, type, MEMTRACE_LIVE_GSTOBJECT);
  id = memtrace_hooks_id (obj);
  record_name (ring, ts, id, obj);
  if (G_UNLIKELY (n_pending_links))
    record_pending_links (ring, obj, id);
}

#define CALIBRATION_SAMPLES 64

/* Exit without gst_deinit(): a streaming thread may still be letting go of
 * its pipeline, which gst_deinit() would have waited for.  Wait for the
 * tasks a little, never long: a pipeline left playing keeps its tasks. */
void
memtrace_hooks_wait_for_tasks (gint64 max_us)
{
  gint64 end = g_get_monotonic_time () + max_us;

  while (g_atomic_int_get (&live_tasks) > 0 && g_get_monotonic_time () < end)
    g_usleep (1000);
}

void
memtrace_hooks_calibrate_clock (void)
{
  MemTraceRing *ring = memtrace_ring_get ();
  guint i;

  /* Hooks get time since gst_init(), whose origin is private: hooks of our
   * own making tell it, and are not recorded. */
  ring->in_tracer++;
  memtrace_clock_calibrating = TRUE;
  for (i = 0; i < CALIBRATION_SAMPLES; i++)
    gst_caps_unref (gst_caps_new_empty ());
  memtrace_clock_calibrating = FALSE;
  ring->in_tracer--;
}

void
memtrace_hooks_adopt (GstObject * obj)
{
  MemTraceRing *ring = memtrace_hooks_enter ();

  if (ring && !memtrace_hooks_id (obj) && tracked_type (G_OBJECT_TYPE (obj))) {
    record_created (ring, memtrace_clock_now (), obj, G_OBJECT_TYPE (obj),
        MEMTRACE_LIVE_GSTOBJECT);
    record_name (ring, memtrace_clock_now (), memtrace_hooks_id (obj), obj);
  }
}

static void
on_object_destroyed (GObject * self, GstClockTime ts, GstObject * obj)
{
  MemTraceRing *ring = memtrace_hooks_enter ();
  guint64 id;
  guint flags;

  g_atomic_int_inc (&object_generation);
  if (!ring || !memtrace_livemap_take (obj, &id, &flags))
    return;
  if (GST_IS_TASK (obj))
    g_atomic_int_add (&live_tasks, -1);
  /* No name here: gst_object_finalize() has freed it already. */
  if (G_UNLIKELY (GST_OBJECT_FLAG_IS_SET (obj,
              GST_OBJECT_FLAG_MAY_BE_LEAKED)))
    record_may_be_leaked (ring, ts, id);
  memtrace_record_small (ring, MEMTRACE_EV_DESTROYED, ts, id, 0, 0, 0);
}

static void
on_element_add_pad (GObject * self, GstClockTime ts, GstElement * element,
    GstPad * pad)
{
  MemTraceRing *ring = memtrace_hooks_enter ();

  if (ring)
    record_link (ring, ts, pad, element);
}

static void
on_bin_add_post (GObject * self, GstClockTime ts, GstBin * bin,
    GstElement * element, gboolean result)
{
  MemTraceRing *ring = memtrace_hooks_enter ();

  if (ring && result)
    record_link (ring, ts, element, bin);
}

/* Buffer flow */

static void
pad_ids (MemTraceRing * ring, GstPad * pad, guint64 * pid, guint64 * peer_id)
{
  /* Reading the peer unlocked is a snapshot: the pad is in use right now,
   * so it cannot be freed, and a relink race only costs the peer column. */
  *pid = cached_id (&ring->pad, pad);
  *peer_id = cached_id (&ring->peer, GST_PAD_PEER (pad));
}

static void
record_flow (guint kind, GstClockTime ts, GstPad * pad, gpointer data)
{
  MemTraceRing *ring = memtrace_hooks_enter ();
  guint64 id, pid, peer;

  if (!ring || !data || !(id = memtrace_hooks_id (data)))
    return;
  pad_ids (ring, pad, &pid, &peer);
  memtrace_record_small (ring, kind, ts, id, 0, pid, peer);
}

static void
on_pad_push_pre (GObject * self, GstClockTime ts, GstPad * pad,
    GstBuffer * buffer)
{
  record_flow (MEMTRACE_EV_PAD_PUSH, ts, pad, buffer);
}

static void
on_pad_push_list_pre (GObject * self, GstClockTime ts, GstPad * pad,
    GstBufferList * list)
{
  record_flow (MEMTRACE_EV_PAD_PUSH, ts, pad, list);
}

static void
on_pad_pull_range_post (GObject * self, GstClockTime ts, GstPad * pad,
    GstBuffer * buffer, GstFlowReturn res)
{
  if (res == GST_FLOW_OK)
    record_flow (MEMTRACE_EV_PAD_PULL, ts, pad, buffer);
}

/* References (record-refs=true) */

static void
record_ref (guint kind, GstClockTime ts, gpointer obj, gint refcount)
{
  MemTraceRing *ring = memtrace_hooks_enter ();
  guint64 id;

  if (!ring || !memtrace_livemap_lookup (obj, &id))
    return;
  memtrace_record_small (ring, kind, ts, id, memtrace_stacks_capture (ring),
      refcount, 0);
}

static void
on_mini_object_reffed (GObject * self, GstClockTime ts, GstMiniObject * obj,
    gint refcount)
{
  record_ref (MEMTRACE_EV_REF, ts, obj, refcount);
}

static void
on_mini_object_unreffed (GObject * self, GstClockTime ts, GstMiniObject * obj,
    gint refcount)
{
  record_ref (MEMTRACE_EV_UNREF, ts, obj, refcount);
}

static void
on_object_reffed (GObject * self, GstClockTime ts, GstObject * obj,
    gint refcount)
{
  record_ref (MEMTRACE_EV_REF, ts, obj, refcount);
}

static void
on_object_unreffed (GObject * self, GstClockTime ts, GstObject * obj,
    gint refcount)
{
  record_ref (MEMTRACE_EV_UNREF, ts, obj, refcount);
}

/* GStreamer 1.26 and later: memory fields as soon as they are filled in. */
static void
on_memory_init (GObject * self, GstClockTime ts, GstMemory * mem)
{
  MemTraceRing *ring = memtrace_hooks_enter ();
  guint64 id;

  if (ring && memtrace_hooks_claim_memory (mem, &id))
    memtrace_hooks_record_memory (ring, MEMTRACE_EV_MEMORY, ts, id, mem, 0, 0);
}

/* The end */

static void
record_alive_one (MemTraceRing * ring, guint64 ts, gint state,
    const MemTraceLiveEntry * e)
{
  guint refcount, flags = 0;
  MemTraceEvent ev;

  if (e->flags & MEMTRACE_LIVE_GSTOBJECT) {
    GstObject *obj = e->obj;

    refcount = G_OBJECT (obj)->ref_count;
    if (GST_OBJECT_FLAG_IS_SET (obj, GST_OBJECT_FLAG_MAY_BE_LEAKED))
      flags |= MEMTRACE_ALIVE_FLAG_MAY_BE_LEAKED;
    record_name (ring, ts, e->id, obj);
    memtrace_holds_record (ring, ts, e->id, obj, TRUE);
  } else {
    GstMiniObject *obj = e->obj;

    refcount = GST_MINI_OBJECT_REFCOUNT_VALUE (obj);
    if (GST_MINI_OBJECT_FLAG_IS_SET (obj, GST_MINI_OBJECT_FLAG_MAY_BE_LEAKED))
      flags |= MEMTRACE_ALIVE_FLAG_MAY_BE_LEAKED;
    record_mini_object_details (ring, ts, e->id, obj, e->flags);
    memtrace_holds_record (ring, ts, e->id, obj, FALSE);
  }
  memset (&ev, 0, sizeof (ev));
  ev.kind = MEMTRACE_EV_ALIVE;
  ev.ts = ts;
  ev.obj = e->id;
  ev.args[0] = refcount;
  ev.args[1] = flags;
  ev.args[2] = state;
  memtrace_record (ring, &ev);
}

void
memtrace_hooks_record_alive (guint64 ts, gint state)
{
  MemTraceRing *ring = memtrace_ring_get ();
  GArray *live = memtrace_livemap_snapshot ();
  guint i;

  for (i = 0; i < live->len; i++)
    record_alive_one (ring, ts, state,
        &g_array_index (live, MemTraceLiveEntry, i));
  g_array_free (live, TRUE);
}

/* Registration */

static gboolean
gst_at_least (guint major, guint minor)
{
  guint ma, mi, mc, na;

  gst_version (&ma, &mi, &mc, &na);
  return ma > major || (ma == major && mi >= minor);
}

void
memtrace_hooks_register (GstTracer * tracer, const MemTraceParams * p)
{
#define HOOK(name, fn) gst_tracing_register_hook (tracer, name, G_CALLBACK (fn))
  filter_names = g_strdupv (p->filters);
  filter_cache = g_hash_table_new (NULL, NULL);
  HOOK ("mini-object-created", on_mini_object_created);
  HOOK ("mini-object-destroyed", on_mini_object_destroyed);
  HOOK ("object-created", on_object_created);
  HOOK ("object-destroyed", on_object_destroyed);
  HOOK ("element-add-pad", on_element_add_pad);
  HOOK ("bin-add-post", on_bin_add_post);
  HOOK ("pad-push-pre", on_pad_push_pre);
  HOOK ("pad-push-list-pre", on_pad_push_list_pre);
  /* No pad-chain-pre: on 1.22 it fires inside every gst_pad_push() too, so
   * it would double the cost of buffer flow to add only direct
   * gst_pad_chain() calls, which elements do not make. */
  HOOK ("pad-pull-range-post", on_pad_pull_range_post);
  if (p->record_refs) {
    HOOK ("mini-object-reffed", on_mini_object_reffed);
    HOOK ("mini-object-unreffed", on_mini_object_unreffed);
    HOOK ("object-reffed", on_object_reffed);
    HOOK ("object-unreffed", on_object_unreffed);
  }
  /* An unknown hook name registers for every hook (see the facts file):
   * only name hooks the running GStreamer has. */
  if (gst_at_least (1, 26))
    HOOK ("memory-init", on_memory_init);
#undef HOOK
}
