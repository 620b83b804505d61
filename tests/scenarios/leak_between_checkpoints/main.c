/* Planted leak only between two checkpoints: a cache grows between the
 * checkpoints "warm" and "steady" (5 buffers of 1500 bytes, made in
 * plant_cache_grow(), still alive at "steady") and is flushed at shutdown,
 * so nothing is alive at gst_deinit().  Also between the checkpoints, 3
 * scratch buffers are made and freed (not a leak of the window); before
 * "warm", a 4096-byte buffer is made that lives until shutdown (alive at
 * "steady" too, but made before the window). */
#include "../scenario.h"

#define N_CACHE 5
#define N_SCRATCH 3

static GstBuffer *cache[N_CACHE];

G_GNUC_NO_INLINE void plant_cache_grow (void);

G_GNUC_NO_INLINE void
plant_cache_grow (void)
{
  gint i;

  for (i = 0; i < N_CACHE; i++)
    cache[i] = gst_buffer_new_allocate (NULL, 1500, NULL);      /* planted */
}

static void
checkpoint (GstTracer * tracer, const gchar * label)
{
  if (tracer)
    g_signal_emit_by_name (tracer, "checkpoint", label);
}

int
main (int argc, char **argv)
{
  GstTracer *tracer;
  GstBuffer *early;
  gint i;

  gst_init (&argc, &argv);
  tracer = scenario_find_memtrace ();
  early = gst_buffer_new_allocate (NULL, 4096, NULL);
  checkpoint (tracer, "warm");
  for (i = 0; i < N_SCRATCH; i++)
    gst_buffer_unref (gst_buffer_new_allocate (NULL, 100, NULL));
  plant_cache_grow ();
  checkpoint (tracer, "steady");
  /* Shutdown: the cache is flushed. */
  for (i = 0; i < N_CACHE; i++)
    gst_buffer_unref (cache[i]);
  gst_buffer_unref (early);
  if (tracer)
    gst_object_unref (tracer);
  gst_deinit ();
  return 0;
}
