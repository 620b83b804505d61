/* Planted leak: a bin holding two elements, never unreffed. */
#include "app-common.h"

static GstElement *kept_bin;

G_GNUC_NO_INLINE void plant_leaked_bin (void);

G_GNUC_NO_INLINE void
plant_leaked_bin (void)
{
  GstElement *bin = gst_bin_new ("leakybin");      /* planted */
  GstElement *a = gst_element_factory_make ("identity", "child1");
  GstElement *b = gst_element_factory_make ("fakesink", "child2");

  if (!a || !b)
    exit (20);
  gst_bin_add_many (GST_BIN (bin), a, b, NULL);
  if (!gst_element_link (a, b))
    exit (21);
  /* Sink the floating reference: this one reference is what leaks. */
  kept_bin = gst_object_ref_sink (bin);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  plant_leaked_bin ();
  gst_deinit ();
  return 0;
}
