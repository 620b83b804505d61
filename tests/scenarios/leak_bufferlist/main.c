/* Planted leak: a buffer list of four 512-byte buffers, built by the app
 * and never unreffed (it holds its buffers, they their memories).  Another
 * list is pushed through a pipeline and released. */
#include <gst/app/gstappsrc.h>
#include "../scenario.h"

#define N_IN_LIST 4

static GstBufferList *kept;

static GstBufferList *
make_list (gsize size)
{
  GstBufferList *list = gst_buffer_list_new ();
  gint i;

  for (i = 0; i < N_IN_LIST; i++)
    gst_buffer_list_add (list, gst_buffer_new_allocate (NULL, size, NULL));
  return list;
}

G_GNUC_NO_INLINE void plant_buffer_list (void);

G_GNUC_NO_INLINE void
plant_buffer_list (void)
{
  kept = make_list (512);       /* planted */
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *src;

  gst_init (&argc, &argv);
  pipeline = scenario_parse ("appsrc name=src format=bytes "
      "! fakesink sync=false");
  src = scenario_get (pipeline, "src");
  scenario_play (pipeline);
  if (gst_app_src_push_buffer_list (GST_APP_SRC (src), make_list (100))
      != GST_FLOW_OK)
    return 20;
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  gst_object_unref (src);
  scenario_wait_eos (pipeline);
  scenario_stop (pipeline);
  plant_buffer_list ();
  gst_deinit ();
  return 0;
}
