/* No leak: four branches streaming at once, each in its own thread. */
#include "app-common.h"

int
main (int argc, char **argv)
{
  GString *desc = g_string_new (NULL);
  GstElement *pipeline;
  gint i;

  gst_init (&argc, &argv);
  for (i = 0; i < 4; i++)
    g_string_append_printf (desc, "audiotestsrc num-buffers=50 "
        "samplesperbuffer=32 ! queue ! fakesink name=sink%d sync=false ", i);
  pipeline = app_parse (desc->str);
  g_string_free (desc, TRUE);
  app_run_to_eos (pipeline);
  app_stop (pipeline);
  gst_deinit ();
  return 0;
}
