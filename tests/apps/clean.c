/* No leak: a pipeline, an appsink, a pool and the allocator, all released,
 * then gst_deinit(). */
#include <gst/app/gstappsink.h>
#include "app-common.h"

static void
use_pool (void)
{
  GstBufferPool *pool = gst_buffer_pool_new ();
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstBuffer *buf = NULL;

  gst_buffer_pool_config_set_params (config, NULL, 512, 1, 2);
  if (!gst_buffer_pool_set_config (pool, config)
      || !gst_buffer_pool_set_active (pool, TRUE)
      || gst_buffer_pool_acquire_buffer (pool, &buf, NULL) != GST_FLOW_OK)
    exit (20);
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *sink;
  GstSample *sample;
  gint n = 0;

  gst_init (&argc, &argv);
  pipeline = app_parse ("audiotestsrc num-buffers=10 ! identity "
      "! appsink name=sink");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    gst_sample_unref (sample);
    n++;
  }
  gst_object_unref (sink);
  app_stop (pipeline);
  if (n != 10)
    return 21;
  use_pool ();
  gst_memory_unref (gst_allocator_alloc (NULL, 4096, NULL));
  gst_deinit ();
  return 0;
}
