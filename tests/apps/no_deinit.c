/* Planted leak, and the app exits without gst_deinit(). */
#include "app-common.h"

#define LEAKED 3

static GstBuffer *kept[LEAKED];

G_GNUC_NO_INLINE void plant_no_deinit_leak (void);

G_GNUC_NO_INLINE void
plant_no_deinit_leak (void)
{
  gint i;

  for (i = 0; i < LEAKED; i++)
    kept[i] = gst_buffer_new_allocate (NULL, 300, NULL);   /* planted */
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;

  gst_init (&argc, &argv);
  pipeline = app_parse ("audiotestsrc num-buffers=5 ! fakesink");
  app_run_to_eos (pipeline);
  app_stop (pipeline);
  plant_no_deinit_leak ();
  return kept[LEAKED - 1] ? 0 : 20;
}
