/* Planted leak: messages never unreffed.
 * - An application message posted on a pipeline's bus (post_app_message())
 *   and popped from it in plant_pop_message(), which owns it then and never
 *   unrefs it.  The message holds its source, the pipeline: the whole
 *   pipeline leaks with it.  The pop takes no reference (the bus hands its
 *   own over), so only the creation stack, in post_app_message(), shows.
 * - An element message whose source is an element the app otherwise
 *   drops: the message holds the element, and the element its pads. */
#include "../scenario.h"

static GstMessage *kept_popped, *kept_element;

G_GNUC_NO_INLINE void post_app_message (GstElement * pipeline,
    const gchar * name);
G_GNUC_NO_INLINE void plant_pop_message (GstBus * bus);
G_GNUC_NO_INLINE void plant_element_message (GstElement * src);

G_GNUC_NO_INLINE void
post_app_message (GstElement * pipeline, const gchar * name)
{
  gst_element_post_message (pipeline,
      gst_message_new_application (GST_OBJECT (pipeline),
          gst_structure_new_empty (name)));
}

G_GNUC_NO_INLINE void
plant_pop_message (GstBus * bus)
{
  kept_popped = gst_bus_pop_filtered (bus, GST_MESSAGE_APPLICATION);     /* planted */
}

G_GNUC_NO_INLINE void
plant_element_message (GstElement * src)
{
  kept_element = gst_message_new_element (GST_OBJECT (src),   /* planted */
      gst_structure_new ("progress", "percent", G_TYPE_INT, 50, NULL));
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *lonely;
  GstBus *bus;
  GstMessage *msg;

  gst_init (&argc, &argv);
  pipeline = scenario_parse ("fakesrc num-buffers=3 ! fakesink");
  bus = gst_element_get_bus (pipeline);
  post_app_message (pipeline, "hello");
  plant_pop_message (bus);
  if (!kept_popped)
    return 20;
  /* Released: another application message. */
  post_app_message (pipeline, "bye");
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_APPLICATION);
  if (!msg)
    return 21;
  gst_message_unref (msg);
  gst_object_unref (bus);
  scenario_run_to_eos (pipeline);
  lonely = gst_element_factory_make ("identity", "lonely");
  gst_object_ref_sink (lonely);
  plant_element_message (lonely);
  gst_object_unref (lonely);
  scenario_stop (pipeline);
  gst_deinit ();
  return 0;
}
