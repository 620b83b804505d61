/* No leak: dynamic pad linking.  The app writes a WAV file (audiotestsrc !
 * wavenc ! filesink), then plays it with uridecodebin, linking each new
 * audio pad to an audioconvert ! fakesink branch it adds in pad-added, and
 * removes the file. */
#include <glib/gstdio.h>
#include "../scenario.h"

static gint n_linked;

static void
on_pad_added (GstElement * dec, GstPad * pad, gpointer user_data)
{
  GstElement *pipeline = user_data;
  GstElement *convert = gst_element_factory_make ("audioconvert", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstPad *sinkpad;

  if (!convert || !sink)
    exit (30);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), convert, sink, NULL);
  if (!gst_element_link (convert, sink))
    exit (31);
  sinkpad = gst_element_get_static_pad (convert, "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    exit (32);
  gst_object_unref (sinkpad);
  gst_element_sync_state_with_parent (convert);
  gst_element_sync_state_with_parent (sink);
  n_linked++;
}

int
main (int argc, char **argv)
{
  gchar *dir, *path, *uri, *desc;
  GstElement *pipeline, *dec;

  gst_init (&argc, &argv);
  dir = g_dir_make_tmp ("scenario-XXXXXX", NULL);
  if (!dir)
    return 20;
  path = g_build_filename (dir, "tone.wav", NULL);
  desc = g_strdup_printf ("audiotestsrc num-buffers=30 ! wavenc "
      "! filesink location=\"%s\"", path);
  pipeline = scenario_parse (desc);
  g_free (desc);
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);

  uri = gst_filename_to_uri (path, NULL);
  pipeline = gst_pipeline_new ("player");
  dec = gst_element_factory_make ("uridecodebin", "dec");
  if (!dec)
    return 21;
  g_object_set (dec, "uri", uri, NULL);
  gst_bin_add (GST_BIN (pipeline), dec);
  g_signal_connect (dec, "pad-added", G_CALLBACK (on_pad_added), pipeline);
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  if (n_linked != 1)
    return 22;

  g_unlink (path);
  g_rmdir (dir);
  g_free (uri);
  g_free (path);
  g_free (dir);
  gst_deinit ();
  return 0;
}
