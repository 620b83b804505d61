/* No leak: a tee feeding three queues, each to its own sink, one through
 * an audioconvert and an audioresample. */
#include "../scenario.h"

int
main (int argc, char **argv)
{
  GstElement *pipeline;

  gst_init (&argc, &argv);
  pipeline = scenario_parse ("audiotestsrc num-buffers=60 ! tee name=t "
      "t. ! queue ! fakesink sync=false "
      "t. ! queue max-size-buffers=2 ! audioconvert ! audioresample "
      "! audio/x-raw,rate=22050 ! fakesink sync=false "
      "t. ! queue leaky=downstream max-size-buffers=1 ! fakesink sync=false");
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  gst_deinit ();
  return 0;
}
