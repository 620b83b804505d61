/* gst-memtrace benchmark: the `memtracehooks` tracer registers the hooks
 * memtrace registers (memtrace_hooks_register() in tracer/memtrace-hooks.c)
 * and does nothing in them.
 *
 * On GStreamer 1.22 every registered hook costs a timestamp and an indirect
 * call at each hook site, whatever the callback does.  This tracer measures
 * that price alone, so the benchmark can tell what GStreamer charges for the
 * events memtrace needs from what memtrace itself adds.  Not installed.
 *
 * GST_TRACERS="memtracehooks"                     hooks of stack-depth=0/32
 * GST_TRACERS="memtracehooks(record-refs=true)"   plus the ref/unref hooks */
#include <string.h>
#include <gst/gst.h>

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

static const gchar *const ref_hooks[] = {
  "mini-object-reffed", "mini-object-unreffed", "object-reffed",
  "object-unreffed", NULL
};

static void
register_all (GstTracer * tracer, const gchar * const *names)
{
  guint i;

  for (i = 0; names[i]; i++)
    gst_tracing_register_hook (tracer, names[i], G_CALLBACK (on_any_hook));
}

static void
gst_memtrace_hooks_constructed (GObject * object)
{
  GstTracer *tracer = GST_TRACER (object);
  gchar *params = NULL;

  G_OBJECT_CLASS (gst_memtrace_hooks_parent_class)->constructed (object);
  g_object_get (object, "params", &params, NULL);
  register_all (tracer, hooks);
  if (params && strstr (params, "record-refs=true"))
    register_all (tracer, ref_hooks);
  g_free (params);
}

static void
gst_memtrace_hooks_class_init (GstMemTraceHooksClass * klass)
{
  G_OBJECT_CLASS (klass)->constructed = gst_memtrace_hooks_constructed;
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
