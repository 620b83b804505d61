/* gst-memtrace benchmark: the `memtracehooks` tracer registers the hooks
 * memtrace registers (memtrace_hooks_register() in tracer/memtrace-hooks.c)
 * and does nothing in them.
 *
 * On GStreamer 1.22 every registered hook costs a timestamp and an indirect
 * call at each hook site, whatever the callback does.  This tracer measures
 * that price alone, so the benchmark can tell what GStreamer charges for the
 * events memtrace needs from what memtrace itself adds.  Not installed.
 *
 * With ids=true the hooks also keep memtrace's own map from addresses to
 * unique ids (tracer/memtrace-livemap.c) as memtrace's hooks do, and record
 * nothing: the least any tracer giving objects unique ids has to do.
 *
 * With store=true (and ids=true) they also count the events memtrace
 * records and write as many bytes to an SQLite file as memtrace's writer
 * would (hooks-floor-store.c): the least a tracer that stores its trace as
 * the issue asks (SQLite, WAL, a writer thread) has to do.
 *
 * With stacks=N the creation hooks (and the ref hooks, with record-refs)
 * also take an N-frame backtrace with unw_backtrace(), as memtrace does,
 * and throw it away.
 *
 * GST_TRACERS="memtracehooks"                     hooks of stack-depth=0/32
 * GST_TRACERS="memtracehooks(record-refs=true)"   plus the ref/unref hooks
 * GST_TRACERS="memtracehooks(ids=true)"           plus the id map
 * GST_TRACERS="memtracehooks(ids=true,store=true)"  plus the storage
 * GST_TRACERS="memtracehooks(ids=true,record-refs=true,stacks=32)"  all */
#include <stdlib.h>
#include <string.h>
#include <libunwind.h>
#include <gst/gst.h>
#include "memtrace-livemap.h"
#include "hooks-floor-store.h"

#define MAX_FRAMES 128

static gint stack_frames;
static gboolean with_ids, with_store;

#define GST_TYPE_MEMTRACE_HOOKS (gst_memtrace_hooks_get_type ())
G_DECLARE_FINAL_TYPE (GstMemTraceHooks, gst_memtrace_hooks, GST,
    MEMTRACE_HOOKS, GstTracer);

struct _GstMemTraceHooks
{
  GstTracer parent;
};

G_DEFINE_TYPE (GstMemTraceHooks, gst_memtrace_hooks, GST_TYPE_TRACER);

/* Every hook's arguments are ignored: one callback serves them all. */
static void
on_any_hook (void)
{
}

static const gchar *const hooks[] = {
  "mini-object-created", "mini-object-destroyed", "object-created",
  "object-destroyed", "element-add-pad", "bin-add-post", "pad-push-pre",
  "pad-push-list-pre", "pad-pull-range-post", NULL
};

static void
on_stacked_hook (void)
{
  void *frames[MAX_FRAMES];

  unw_backtrace (frames, stack_frames);
}

/* The map's work in memtrace's hooks: an id at creation, a lookup for a
 * push and for each memory of a buffer going away, the id given back.  The
 * store counts the events memtrace records there. */
static void
count (guint n_events)
{
  if (with_store)
    floor_store_count (n_events);
}

static void
on_created (gpointer obj, guint n_events)
{
  memtrace_livemap_insert (obj, memtrace_livemap_next_id (), 0);
  count (n_events);
  if (stack_frames)
    on_stacked_hook ();
}

/* A memory also has its allocation described; an object, its name. */
static void
on_mini_object_created (GObject * self, GstClockTime ts, GstMiniObject * obj)
{
  on_created (obj, obj->type == GST_TYPE_MEMORY ? 2 : 1);
}

static void
on_object_created (GObject * self, GstClockTime ts, GstObject * obj)
{
  on_created (obj, 2);
}

static void
on_mini_object_destroyed (GObject * self, GstClockTime ts,
    GstMiniObject * obj)
{
  guint64 id;
  guint flags, i;

  if (!memtrace_livemap_take (obj, &id, &flags))
    return;
  count (1);
  if (obj->type != GST_TYPE_BUFFER)
    return;
  count (1);
  for (i = 0; i < gst_buffer_n_memory (GST_BUFFER_CAST (obj)); i++)
    memtrace_livemap_lookup (gst_buffer_peek_memory (GST_BUFFER_CAST (obj),
            i), &id);
}

static void
on_object_destroyed (GObject * self, GstClockTime ts, gpointer obj)
{
  guint64 id;
  guint flags;

  if (memtrace_livemap_take (obj, &id, &flags))
    count (1);
}

static void
on_pad_push_pre (GObject * self, GstClockTime ts, GstPad * pad, gpointer data)
{
  guint64 id;

  if (memtrace_livemap_lookup (data, &id))
    count (1);
}

/* record-refs: the reference's object looked up, its event recorded. */
static void
on_ref (GObject * self, GstClockTime ts, gpointer obj)
{
  guint64 id;

  if (memtrace_livemap_lookup (obj, &id))
    count (1);
  if (stack_frames)
    on_stacked_hook ();
}

static const gchar *const ref_hooks[] = {
  "mini-object-reffed", "mini-object-unreffed", "object-reffed",
  "object-unreffed", NULL
};

/* Creations and references are where memtrace takes a backtrace. */
static gboolean
stacked (const gchar * name)
{
  return stack_frames > 0 && (g_str_has_suffix (name, "-created")
      || g_str_has_suffix (name, "reffed"));
}

/* One callback per hook: each registered callback costs a timestamp. */
static GCallback
callback_for (const gchar * name)
{
  if (with_ids && !strcmp (name, "mini-object-created"))
    return G_CALLBACK (on_mini_object_created);
  if (with_ids && !strcmp (name, "object-created"))
    return G_CALLBACK (on_object_created);
  if (with_ids && !strcmp (name, "mini-object-destroyed"))
    return G_CALLBACK (on_mini_object_destroyed);
  if (with_ids && !strcmp (name, "object-destroyed"))
    return G_CALLBACK (on_object_destroyed);
  if (with_ids && g_str_has_prefix (name, "pad-push"))
    return G_CALLBACK (on_pad_push_pre);
  if (with_ids && g_str_has_suffix (name, "reffed"))
    return G_CALLBACK (on_ref);
  if (stacked (name))
    return G_CALLBACK (on_stacked_hook);
  return G_CALLBACK (on_any_hook);
}

static void
register_all (GstTracer * tracer, const gchar * const *names)
{
  guint i;

  for (i = 0; names[i]; i++)
    gst_tracing_register_hook (tracer, names[i], callback_for (names[i]));
}

static void
gst_memtrace_hooks_constructed (GObject * object)
{
  GstTracer *tracer = GST_TRACER (object);
  gchar *params = NULL;
  const gchar *stacks;

  G_OBJECT_CLASS (gst_memtrace_hooks_parent_class)->constructed (object);
  g_object_get (object, "params", &params, NULL);
  if (params && (stacks = strstr (params, "stacks=")))
    stack_frames = CLAMP (atoi (stacks + strlen ("stacks=")), 0, MAX_FRAMES);
  with_ids = params && strstr (params, "ids=true");
  if (with_ids)
    memtrace_livemap_init ();
  with_store = with_ids && strstr (params, "store=true") && floor_store_start ();
  register_all (tracer, hooks);
  if (params && strstr (params, "record-refs=true"))
    register_all (tracer, ref_hooks);
  g_free (params);
}

/* The last reference goes in gst_deinit(), where memtrace finishes too. */
static void
gst_memtrace_hooks_finalize (GObject * object)
{
  floor_store_stop ();
  G_OBJECT_CLASS (gst_memtrace_hooks_parent_class)->finalize (object);
}

static void
gst_memtrace_hooks_class_init (GstMemTraceHooksClass * klass)
{
  G_OBJECT_CLASS (klass)->constructed = gst_memtrace_hooks_constructed;
  G_OBJECT_CLASS (klass)->finalize = gst_memtrace_hooks_finalize;
}

static void
gst_memtrace_hooks_init (GstMemTraceHooks * self)
{
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  return gst_tracer_register (plugin, "memtracehooks",
      GST_TYPE_MEMTRACE_HOOKS);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, memtracehooks,
    "memtrace's hooks doing nothing (benchmark floor)", plugin_init, "0",
    "LGPL", "gst-memtrace", "https://gstreamer.freedesktop.org/")
