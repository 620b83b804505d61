/* No leak: videoconvert and videoscale with caps changes in the middle of
 * the stream.  videotestsrc ! videoconvert ! videoscale ! capsfilter !
 * fakesink; a probe on fakesink's pad changes the capsfilter's caps (size
 * and format) at buffers 15 and 30, which renegotiates both converters. */
#include "../scenario.h"

static const gchar *const caps_steps[] = {
  "video/x-raw,format=RGB,width=96,height=64",
  "video/x-raw,format=I420,width=200,height=150",
  "video/x-raw,format=GRAY8,width=33,height=17",
};

static gint n_buffers;
static GHashTable *sizes;

static GstPadProbeReturn
probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstElement *filter = user_data;

  n_buffers++;
  g_hash_table_add (sizes,
      GSIZE_TO_POINTER (gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info))));
  if (n_buffers == 15 || n_buffers == 30) {
    GstCaps *caps = gst_caps_from_string (caps_steps[n_buffers / 15]);

    g_object_set (filter, "caps", caps, NULL);
    gst_caps_unref (caps);
  }
  return GST_PAD_PROBE_OK;
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *filter, *sink;
  GstPad *pad;
  gchar *desc;

  gst_init (&argc, &argv);
  sizes = g_hash_table_new (NULL, NULL);
  desc = g_strdup_printf ("videotestsrc num-buffers=45 "
      "! video/x-raw,format=AYUV,width=160,height=120 ! videoconvert "
      "! videoscale ! capsfilter name=filter caps=\"%s\" "
      "! fakesink name=sink sync=false", caps_steps[0]);
  pipeline = scenario_parse (desc);
  g_free (desc);
  filter = scenario_get (pipeline, "filter");
  sink = scenario_get (pipeline, "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, probe, filter, NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  gst_object_unref (filter);
  /* Three sizes: the caps did change, twice. */
  if (n_buffers != 45 || g_hash_table_size (sizes) != 3)
    return 20;
  g_hash_table_unref (sizes);
  gst_deinit ();
  return 0;
}
