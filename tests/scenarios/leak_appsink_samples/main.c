/* Planted leak: an appsink "new-sample" callback, in the streaming thread,
 * pulls every sample and keeps the first KEEP of them in an array that is
 * never freed.  30 buffers of 160 mono S16 samples: 320 bytes each. */
#include <gst/app/gstappsink.h>
#include "../scenario.h"

#define N_BUFFERS 30
#define KEEP 6

static GPtrArray *kept;
static gint n_pulled;

G_GNUC_NO_INLINE void plant_keep_sample (GstAppSink * sink);

G_GNUC_NO_INLINE void
plant_keep_sample (GstAppSink * sink)
{
  g_ptr_array_add (kept, gst_app_sink_pull_sample (sink));      /* planted */
}

static GstFlowReturn
on_new_sample (GstAppSink * sink, gpointer user_data)
{
  if (n_pulled++ < KEEP) {
    plant_keep_sample (sink);
  } else {
    GstSample *sample = gst_app_sink_pull_sample (sink);

    if (!sample)
      return GST_FLOW_ERROR;
    gst_sample_unref (sample);
  }
  return GST_FLOW_OK;
}

int
main (int argc, char **argv)
{
  GstAppSinkCallbacks callbacks = { NULL, NULL, on_new_sample, };
  GstElement *pipeline, *sink;

  gst_init (&argc, &argv);
  kept = g_ptr_array_new ();
  pipeline = scenario_parse ("audiotestsrc num-buffers=30 "
      "samplesperbuffer=160 ! audio/x-raw,format=S16LE,channels=1,rate=16000 "
      "! appsink name=sink sync=false");
  sink = scenario_get (pipeline, "sink");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, NULL, NULL);
  gst_object_unref (sink);
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  if (n_pulled != N_BUFFERS || kept->len != KEEP)
    return 20;
  gst_deinit ();
  return 0;
}
