/* Planted leak: three buffers acquired from our own pool are never
 * released; two more go round the pool normally first. */
#include "app-common.h"

#define STARVE 3

static GstBuffer *kept[STARVE];

G_GNUC_NO_INLINE void plant_pool_starve (GstBufferPool * pool);

G_GNUC_NO_INLINE void
plant_pool_starve (GstBufferPool * pool)
{
  gint i;

  for (i = 0; i < STARVE; i++)
    if (gst_buffer_pool_acquire_buffer (pool, &kept[i], NULL) != GST_FLOW_OK)  /* planted */
      exit (20);
}

static void
cycle_pool (GstBufferPool * pool)
{
  GstBuffer *a = NULL, *b = NULL;

  if (gst_buffer_pool_acquire_buffer (pool, &a, NULL) != GST_FLOW_OK
      || gst_buffer_pool_acquire_buffer (pool, &b, NULL) != GST_FLOW_OK)
    exit (21);
  gst_buffer_unref (a);
  gst_buffer_unref (b);
}

int
main (int argc, char **argv)
{
  GstBufferPool *pool;
  GstStructure *config;

  gst_init (&argc, &argv);
  pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, NULL, 1024, 2, 4);
  if (!gst_buffer_pool_set_config (pool, config)
      || !gst_buffer_pool_set_active (pool, TRUE))
    return 22;
  cycle_pool (pool);
  plant_pool_starve (pool);
  /* Deactivating waits for the outstanding buffers: they keep the pool. */
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_deinit ();
  return 0;
}
