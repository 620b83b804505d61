/* No leak: one pipeline taken NULL -> PLAYING -> NULL five times (each
 * time it streams for a while: a live source, a queue, a converter). */
#include "../scenario.h"

#define CYCLES 5

int
main (int argc, char **argv)
{
  GstElement *pipeline;
  GstBus *bus;
  gint i;

  gst_init (&argc, &argv);
  pipeline = scenario_parse ("audiotestsrc is-live=true samplesperbuffer=441 "
      "! queue ! audioconvert ! audio/x-raw,format=F32LE ! fakesink");
  bus = gst_element_get_bus (pipeline);
  for (i = 0; i < CYCLES; i++) {
    GstMessage *msg;

    scenario_play (pipeline);
    if (gst_element_get_state (pipeline, NULL, NULL, 10 * GST_SECOND)
        != GST_STATE_CHANGE_SUCCESS)
      return 20;
    g_usleep (50 * 1000);
    if (gst_element_set_state (pipeline, GST_STATE_NULL)
        != GST_STATE_CHANGE_SUCCESS)
      return 21;
    /* Drop what the bus collected meanwhile. */
    while ((msg = gst_bus_pop (bus))) {
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        return 22;
      gst_message_unref (msg);
    }
  }
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  gst_deinit ();
  return 0;
}
