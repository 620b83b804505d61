/* A pool of at most one buffer: a thread holds that buffer for HOLD_MS
 * while the main thread asks the pool for another, and so waits. */
#include "app-common.h"

#define HOLD_MS 50

G_GNUC_NO_INLINE GstBuffer *plant_pool_wait (GstBufferPool * pool);

G_GNUC_NO_INLINE GstBuffer *
plant_pool_wait (GstBufferPool * pool)
{
  GstBuffer *buf = NULL;

  if (gst_buffer_pool_acquire_buffer (pool, &buf, NULL) != GST_FLOW_OK)  /* planted */
    exit (20);
  return buf;
}

static gpointer
hold_then_release (gpointer data)
{
  g_usleep (HOLD_MS * 1000);
  gst_buffer_unref (data);
  return NULL;
}

int
main (int argc, char **argv)
{
  GstBufferPool *pool;
  GstStructure *config;
  GstBuffer *first = NULL, *second;
  GThread *holder;
  gint64 t0, waited;

  gst_init (&argc, &argv);
  pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, NULL, 256, 0, 1);
  if (!gst_buffer_pool_set_config (pool, config)
      || !gst_buffer_pool_set_active (pool, TRUE)
      || gst_buffer_pool_acquire_buffer (pool, &first, NULL) != GST_FLOW_OK)
    return 21;
  t0 = g_get_monotonic_time ();
  holder = g_thread_new ("holder", hold_then_release, first);
  second = plant_pool_wait (pool);
  waited = g_get_monotonic_time () - t0;
  g_thread_join (holder);
  /* The pool's one buffer, back from the holder. */
  if (second != first)
    return 22;
  /* Only a real wait makes the test's numbers mean something. */
  if (waited < (HOLD_MS - 10) * 1000)
    return 23;
  gst_buffer_unref (second);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_deinit ();
  return 0;
}
