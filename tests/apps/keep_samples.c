/* Planted leak: the first KEEP_SAMPLES samples pulled from an appsink are
 * never unreffed. */
#include <gst/app/gstappsink.h>
#include "app-common.h"

#define N_BUFFERS 20
#define KEEP_SAMPLES 5

static GstSample *kept[KEEP_SAMPLES];

G_GNUC_NO_INLINE void plant_keep_samples (GstAppSink * sink);

G_GNUC_NO_INLINE void
plant_keep_samples (GstAppSink * sink)
{
  gint i;

  for (i = 0; i < KEEP_SAMPLES; i++)
    kept[i] = gst_app_sink_pull_sample (sink);  /* planted */
}

static void
drain_samples (GstAppSink * sink)
{
  GstSample *sample;
  gint n = 0;

  while ((sample = gst_app_sink_pull_sample (sink))) {
    gst_sample_unref (sample);
    n++;
  }
  if (n != N_BUFFERS - KEEP_SAMPLES)
    exit (20);
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *sink;
  gint i;

  gst_init (&argc, &argv);
  /* 100 samples of mono S16: 200 bytes a buffer. */
  pipeline = app_parse ("audiotestsrc num-buffers=20 samplesperbuffer=100 "
      "! appsink name=sink caps=audio/x-raw,format=S16LE,channels=1,"
      "rate=8000");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  plant_keep_samples (GST_APP_SINK (sink));
  for (i = 0; i < KEEP_SAMPLES; i++)
    if (!kept[i])
      return 21;
  drain_samples (GST_APP_SINK (sink));
  gst_object_unref (sink);
  app_stop (pipeline);
  gst_deinit ();
  return 0;
}
