/* Planted leak: a probe on identity's src pad takes an extra reference on
 * the first PROBE_LEAKS buffers and never drops it. */
#include "app-common.h"

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
  pipeline = app_parse ("audiotestsrc num-buffers=10 samplesperbuffer=64 "
      "! audio/x-raw,format=S16LE,channels=1,rate=8000 "
      "! identity name=ident ! fakesink name=fsink");
  ident = gst_bin_get_by_name (GST_BIN (pipeline), "ident");
  pad = gst_element_get_static_pad (ident, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, probe, NULL, NULL);
  gst_object_unref (pad);
  gst_object_unref (ident);
  app_run_to_eos (pipeline);
  app_stop (pipeline);
  if (n_seen != 10)
    return 20;
  gst_deinit ();
  return 0;
}
