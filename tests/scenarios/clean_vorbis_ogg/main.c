/* No leak: encode and decode through real plugins.
 *   audiotestsrc ! vorbisenc ! oggmux ! filesink     (to a temporary file)
 *   filesrc ! decodebin ! audioconvert ! fakesink   (decodebin's pad linked
 *                                                     in pad-added)
 * then the file is removed and gst_deinit() called. */
#include <glib/gstdio.h>
#include "../scenario.h"

static gint n_linked;

static void
on_pad_added (GstElement * decodebin, GstPad * pad, gpointer user_data)
{
  GstElement *convert = user_data;
  GstPad *sinkpad = gst_element_get_static_pad (convert, "sink");

  if (!gst_pad_is_linked (sinkpad)
      && gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK)
    n_linked++;
  gst_object_unref (sinkpad);
}

int
main (int argc, char **argv)
{
  gchar *dir, *path, *desc;
  GstElement *pipeline, *decodebin, *convert;

  gst_init (&argc, &argv);
  dir = g_dir_make_tmp ("scenario-XXXXXX", NULL);
  if (!dir)
    return 20;
  path = g_build_filename (dir, "tone.ogg", NULL);

  desc = g_strdup_printf ("audiotestsrc num-buffers=40 ! audioconvert "
      "! vorbisenc ! oggmux ! filesink location=\"%s\"", path);
  pipeline = scenario_parse (desc);
  g_free (desc);
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);

  desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin name=dec "
      "audioconvert name=conv ! fakesink sync=false", path);
  pipeline = scenario_parse (desc);
  g_free (desc);
  decodebin = scenario_get (pipeline, "dec");
  convert = scenario_get (pipeline, "conv");
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_pad_added),
      convert);
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  gst_object_unref (decodebin);
  gst_object_unref (convert);
  if (n_linked != 1)
    return 21;

  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  gst_deinit ();
  return 0;
}
