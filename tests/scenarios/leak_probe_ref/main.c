/* Planted leak: a buffer probe on identity's src pad takes an extra
 * reference on the first PROBE_LEAKS buffers and never drops it.  The
 * buffers are made by videotestsrc (320x240 GRAY8: 76800 bytes). */
#include "../scenario.h"

#define N_BUFFERS 12
#define PROBE_LEAKS 3

static gint n_seen;

G_GNUC_NO_INLINE void plant_probe_ref (GstBuffer * buffer);

G_GNUC_NO_INLINE void
plant_probe_ref (GstBuffer * buffer)
{
  gst_buffer_ref (buffer);      /* planted */
}

static GstPadProbeReturn
probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  if (n_seen++ < PROBE_LEAKS)
    plant_probe_ref (GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *ident;
  GstPad *pad;

  gst_init (&argc, &argv);
  pipeline = scenario_parse ("videotestsrc num-buffers=12 "
      "! video/x-raw,format=GRAY8,width=320,height=240,framerate=30/1 "
      "! identity name=ident ! fakesink name=fsink sync=false");
  ident = scenario_get (pipeline, "ident");
  pad = gst_element_get_static_pad (ident, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, probe, NULL, NULL);
  gst_object_unref (pad);
  gst_object_unref (ident);
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  if (n_seen != N_BUFFERS)
    return 20;
  gst_deinit ();
  return 0;
}
