/* Planted leak: a bin with three linked children (and their pads, and a
 * ghost pad on the bin), never unreffed: one root that holds them all. */
#include "../scenario.h"

static GstElement *kept_bin;

G_GNUC_NO_INLINE void plant_bin (void);

G_GNUC_NO_INLINE void
plant_bin (void)
{
  GstElement *bin = gst_bin_new ("leakybin");  /* planted */
  GstElement *a = gst_element_factory_make ("queue", "q");
  GstElement *b = gst_element_factory_make ("identity", "id");
  GstElement *c = gst_element_factory_make ("fakesink", "sink");
  GstPad *pad;

  if (!a || !b || !c)
    exit (20);
  gst_bin_add_many (GST_BIN (bin), a, b, c, NULL);
  if (!gst_element_link_many (a, b, c, NULL))
    exit (21);
  pad = gst_element_get_static_pad (a, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
  gst_object_unref (pad);
  kept_bin = gst_object_ref_sink (bin);
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;

  gst_init (&argc, &argv);
  /* A pipeline used and released before. */
  pipeline = scenario_parse ("fakesrc num-buffers=5 ! queue ! fakesink");
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  plant_bin ();
  gst_deinit ();
  return 0;
}
