/* No leak: the app pushes 50 buffers of its own (some as buffer lists)
 * into appsrc, through videoconvert, and pulls every sample from appsink
 * (and the preroll sample), releasing all. */
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include "../scenario.h"

#define N 50
#define FRAME (64 * 48 * 4)

static GstBuffer *
frame (gint i)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, FRAME, NULL);

  gst_buffer_memset (buf, 0, i, FRAME);
  GST_BUFFER_PTS (buf) = i * GST_SECOND / 25;
  GST_BUFFER_DURATION (buf) = GST_SECOND / 25;
  return buf;
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *src, *sink;
  GstSample *sample;
  gint i = 0, n = 0;

  gst_init (&argc, &argv);
  pipeline = scenario_parse ("appsrc name=src format=time "
      "caps=video/x-raw,format=RGBA,width=64,height=48,framerate=25/1 "
      "! videoconvert ! video/x-raw,format=I420 "
      "! appsink name=sink sync=false max-buffers=5");
  src = scenario_get (pipeline, "src");
  sink = scenario_get (pipeline, "sink");
  scenario_play (pipeline);
  while (i < N) {
    if (i % 10 == 5) {
      GstBufferList *list = gst_buffer_list_new ();
      gint j;

      for (j = 0; j < 3; j++)
        gst_buffer_list_add (list, frame (i++));
      if (gst_app_src_push_buffer_list (GST_APP_SRC (src), list)
          != GST_FLOW_OK)
        return 20;
    } else if (gst_app_src_push_buffer (GST_APP_SRC (src), frame (i++))
        != GST_FLOW_OK) {
      return 21;
    }
    if (i == 1) {
      sample = gst_app_sink_pull_preroll (GST_APP_SINK (sink));
      if (!sample)
        return 22;
      gst_sample_unref (sample);
    }
    while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 0))) {
      gst_sample_unref (sample);
      n++;
    }
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    gst_sample_unref (sample);
    n++;
  }
  gst_object_unref (src);
  gst_object_unref (sink);
  scenario_wait_eos (pipeline);
  scenario_stop (pipeline);
  if (n != N)
    return 23;
  gst_deinit ();
  return 0;
}
