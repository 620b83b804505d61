/* Planted leak (pool starvation): a pool of 2048-byte buffers (min 1, max
 * 6); a worker goes round it five times, then plant_pool_hold() acquires
 * four buffers and never gives them back.  The outstanding buffers keep the
 * pool alive after the app drops it; the pool keeps its idle buffers. */
#include "../scenario.h"

#define N_HELD 4

static GstBuffer *kept[N_HELD];

G_GNUC_NO_INLINE void plant_pool_hold (GstBufferPool * pool);

G_GNUC_NO_INLINE void
plant_pool_hold (GstBufferPool * pool)
{
  gint i;

  for (i = 0; i < N_HELD; i++)
    if (gst_buffer_pool_acquire_buffer (pool, &kept[i], NULL)   /* planted */
        != GST_FLOW_OK)
      exit (20);
}

static void
go_round (GstBufferPool * pool)
{
  gint i;

  for (i = 0; i < 5; i++) {
    GstBuffer *a = NULL, *b = NULL;

    if (gst_buffer_pool_acquire_buffer (pool, &a, NULL) != GST_FLOW_OK
        || gst_buffer_pool_acquire_buffer (pool, &b, NULL) != GST_FLOW_OK)
      exit (21);
    gst_buffer_unref (a);
    gst_buffer_unref (b);
  }
}

int
main (int argc, char **argv)
{
  GstBufferPool *pool;
  GstStructure *config;

  gst_init (&argc, &argv);
  pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, NULL, 2048, 1, 6);
  if (!gst_buffer_pool_set_config (pool, config)
      || !gst_buffer_pool_set_active (pool, TRUE))
    return 22;
  go_round (pool);
  plant_pool_hold (pool);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_deinit ();
  return 0;
}
