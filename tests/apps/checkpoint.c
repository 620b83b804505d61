/* Checkpoints: one asked for through the tracer's "checkpoint" action
 * signal, one by SIGUSR2 (run with checkpoint-signal=SIGUSR2).  A buffer of
 * 1, 2 and 3 bytes is made before, between and after them, so that the
 * checkpoints' times can be placed among the objects'. */
#include <signal.h>
#include "app-common.h"

static GstBuffer *
make (gsize size)
{
  return gst_buffer_new_allocate (NULL, size, NULL);
}

/* The memtrace tracer, found as an application would find it. */
static GstTracer *
find_memtrace (void)
{
  GList *tracers = gst_tracing_get_active_tracers (), *l;
  GstTracer *found = NULL;

  for (l = tracers; l; l = l->next)
    if (!found && g_signal_lookup ("checkpoint", G_OBJECT_TYPE (l->data)))
      found = gst_object_ref (l->data);
  g_list_free_full (tracers, gst_object_unref);
  return found;
}

int
main (int argc, char **argv)
{
  GstBuffer *before, *between, *after;
  GstTracer *tracer;

  gst_init (&argc, &argv);
  tracer = find_memtrace ();
  if (!tracer)
    return 20;
  before = make (1);
  g_signal_emit_by_name (tracer, "checkpoint", "label");
  between = make (2);
  if (raise (SIGUSR2) != 0)
    return 21;
  after = make (3);
  gst_buffer_unref (before);
  gst_buffer_unref (between);
  gst_buffer_unref (after);
  gst_object_unref (tracer);
  gst_deinit ();
  return 0;
}
