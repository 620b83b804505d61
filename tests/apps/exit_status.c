/* Initialises GStreamer, makes one buffer, and exits with status 3. */
#include "app-common.h"

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  gst_buffer_unref (gst_buffer_new ());
  return 3;
}
