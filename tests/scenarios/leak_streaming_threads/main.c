/* Planted leak from several streaming threads at once: four branches
 * (audiotestsrc ! queue ! fakesink, each in its own streaming threads) with
 * a buffer probe on each queue's src pad that keeps a deep copy of the first
 * KEEP buffers of its branch in a list shared by all (under a lock), never
 * freed.  Each copy is a new 256-byte buffer (64 stereo S16 samples) with a
 * new memory, made in plant_keep_copy() on the queue's streaming thread. */
#include "../scenario.h"

#define N_BRANCHES 4
#define N_BUFFERS 40
#define KEEP 3

static GMutex lock;
static GSList *kept;
static gint seen[N_BRANCHES];

G_GNUC_NO_INLINE void plant_keep_copy (GstBuffer * buffer);

G_GNUC_NO_INLINE void
plant_keep_copy (GstBuffer * buffer)
{
  GstBuffer *copy = gst_buffer_copy_deep (buffer);      /* planted */

  g_mutex_lock (&lock);
  kept = g_slist_prepend (kept, copy);
  g_mutex_unlock (&lock);
}

static GstPadProbeReturn
probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  gint *n = user_data;

  if ((*n)++ < KEEP)
    plant_keep_copy (GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

int
main (int argc, char **argv)
{
  GString *desc = g_string_new (NULL);
  GstElement *pipeline;
  gint i;

  gst_init (&argc, &argv);
  for (i = 0; i < N_BRANCHES; i++)
    g_string_append_printf (desc, "audiotestsrc num-buffers=%d "
        "samplesperbuffer=64 ! audio/x-raw,format=S16LE,channels=2,"
        "rate=8000 ! queue name=q%d ! fakesink name=sink%d sync=false ",
        N_BUFFERS, i, i);
  pipeline = scenario_parse (desc->str);
  g_string_free (desc, TRUE);
  for (i = 0; i < N_BRANCHES; i++) {
    gchar *name = g_strdup_printf ("q%d", i);
    GstElement *q = scenario_get (pipeline, name);
    GstPad *pad = gst_element_get_static_pad (q, "src");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, probe, &seen[i],
        NULL);
    gst_object_unref (pad);
    gst_object_unref (q);
    g_free (name);
  }
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  for (i = 0; i < N_BRANCHES; i++)
    if (seen[i] != N_BUFFERS)
      return 20;
  if (g_slist_length (kept) != N_BRANCHES * KEEP)
    return 21;
  gst_deinit ();
  return 0;
}
