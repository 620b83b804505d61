/* Planted leak in an app that never calls gst_deinit(): it leaks 3
 * buffers of 1234 bytes and one caps, then runs a real pipeline
 * (videotestsrc ! videoconvert ! fakesink), releases it, and returns from
 * main() at once.  Everything gst_deinit() would have released (registry,
 * plugins, features, allocators, the system clock, the streaming threads'
 * tasks, which gst_deinit() waits for...) is not a leak. */
#include "../scenario.h"

#define LEAKED 3

static GstBuffer *kept[LEAKED];
static GstCaps *kept_caps;

G_GNUC_NO_INLINE void plant_exit_buffers (void);
G_GNUC_NO_INLINE void plant_exit_caps (void);

G_GNUC_NO_INLINE void
plant_exit_buffers (void)
{
  gint i;

  for (i = 0; i < LEAKED; i++)
    kept[i] = gst_buffer_new_allocate (NULL, 1234, NULL);       /* planted */
}

G_GNUC_NO_INLINE void
plant_exit_caps (void)
{
  kept_caps = gst_caps_new_empty_simple ("application/x-planted");       /* planted */
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;

  gst_init (&argc, &argv);
  plant_exit_buffers ();
  plant_exit_caps ();
  pipeline = scenario_parse ("videotestsrc num-buffers=5 "
      "! video/x-raw,format=I420,width=160,height=120 ! videoconvert "
      "! video/x-raw,format=RGB ! fakesink sync=false");
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  scenario_log_live_objects ();
  return kept[LEAKED - 1] && kept_caps ? 0 : 20;
}
