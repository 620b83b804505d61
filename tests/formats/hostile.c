/* A planted leak whose strings are hostile, for the report formats' escaping
 * (tests/test-formats.py): a sample leaked from an appsink whose name is
 * markup, pulled in a function whose source file name (set with #line) holds
 * markup, Markdown, quotes, a fence and a control character.  The command
 * line argument, if any, is recorded as well. */
#include <stdlib.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>

#define SINK_NAME "<img src=x onerror=document.title='PWNED'>|`x`\001]]>"

static GstSample *kept;

G_GNUC_NO_INLINE void plant_hostile_leak (GstAppSink * sink);

#line 1 "<script>x</script>|`md` ```&\"q\"\001.c"
G_GNUC_NO_INLINE void
plant_hostile_leak (GstAppSink * sink)
{
  kept = gst_app_sink_pull_sample (sink);       /* planted */
}
#line 23 "hostile.c"

int
main (int argc, char **argv)
{
  GstElement *pipeline, *src, *sink;
  GstSample *sample;

  gst_init (&argc, &argv);
  pipeline = gst_pipeline_new ("p");
  src = gst_element_factory_make ("audiotestsrc", "src");
  sink = gst_element_factory_make ("appsink", SINK_NAME);
  if (!src || !sink)
    return 20;
  g_object_set (src, "num-buffers", 2, "samplesperbuffer", 64, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  if (!gst_element_link (src, sink))
    return 21;
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  plant_hostile_leak (GST_APP_SINK (sink));
  if (!kept)
    return 22;
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))))
    gst_sample_unref (sample);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  gst_deinit ();
  return 0;
}
