/* Planted leak: queries never unreffed: three position queries made in a
 * loop, answered by a pipeline, and an allocation query that carries caps
 * (the query holds them; the app drops its own reference). */
#include "../scenario.h"

#define N_POSITION 3

static GstQuery *kept[N_POSITION + 1];

G_GNUC_NO_INLINE void plant_position_queries (GstElement * pipeline);
G_GNUC_NO_INLINE void plant_allocation_query (void);

G_GNUC_NO_INLINE void
plant_position_queries (GstElement * pipeline)
{
  gint i;

  for (i = 0; i < N_POSITION; i++) {
    kept[i] = gst_query_new_position (GST_FORMAT_TIME);   /* planted */
    gst_element_query (pipeline, kept[i]);
  }
}

G_GNUC_NO_INLINE void
plant_allocation_query (void)
{
  GstCaps *caps = gst_caps_from_string ("video/x-raw,format=RGBA,"
      "width=64,height=64");

  kept[N_POSITION] = gst_query_new_allocation (caps, TRUE);     /* planted */
  gst_caps_unref (caps);
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;
  GstQuery *q;

  gst_init (&argc, &argv);
  pipeline = scenario_parse ("audiotestsrc num-buffers=5 ! fakesink");
  scenario_play (pipeline);
  if (gst_element_get_state (pipeline, NULL, NULL, 10 * GST_SECOND)
      != GST_STATE_CHANGE_SUCCESS)
    return 20;
  q = gst_query_new_duration (GST_FORMAT_TIME);
  gst_element_query (pipeline, q);
  gst_query_unref (q);
  plant_position_queries (pipeline);
  scenario_wait_eos (pipeline);
  scenario_stop (pipeline);
  plant_allocation_query ();
  gst_deinit ();
  return 0;
}
