/* Stress: N_THREADS threads at once, each with its own appsrc ! fakesink
 * pipeline, each making N_BUFFERS buffers, reffing and unreffing each once
 * and pushing it.  No leak. */
#include <gst/app/gstappsrc.h>
#include "app-common.h"

#define N_THREADS 8
#define N_BUFFERS 20000

static gpointer
pump (gpointer data)
{
  GstElement *pipeline = data;
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  gint i;

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    exit (20);
  for (i = 0; i < N_BUFFERS; i++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, 64, NULL);

    gst_buffer_ref (buf);
    gst_buffer_unref (buf);
    if (gst_app_src_push_buffer (GST_APP_SRC (src), buf) != GST_FLOW_OK)
      exit (21);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (!msg || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS)
    exit (22);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return NULL;
}

int
main (int argc, char **argv)
{
  GstElement *pipelines[N_THREADS];
  GThread *threads[N_THREADS];
  gint i;

  gst_init (&argc, &argv);
  for (i = 0; i < N_THREADS; i++)
    pipelines[i] = app_parse ("appsrc name=src max-bytes=65536 block=true "
        "! fakesink sync=false");
  for (i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("pump", pump, pipelines[i]);
  for (i = 0; i < N_THREADS; i++) {
    g_thread_join (threads[i]);
    gst_object_unref (pipelines[i]);
  }
  gst_deinit ();
  return 0;
}
