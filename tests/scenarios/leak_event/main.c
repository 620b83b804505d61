/* Planted leak: events never unreffed: a segment event, and a caps event
 * (which holds its caps; the app drops its own reference to them) taken
 * back from a pad as a sticky event with gst_pad_get_sticky_event(), which
 * returns a reference the caller must drop. */
#include "../scenario.h"

static GstEvent *kept_segment, *kept_caps;

G_GNUC_NO_INLINE void plant_segment_event (void);
G_GNUC_NO_INLINE void plant_sticky_event (GstPad * pad);

G_GNUC_NO_INLINE void
plant_segment_event (void)
{
  GstSegment segment;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  kept_segment = gst_event_new_segment (&segment);      /* planted */
}

G_GNUC_NO_INLINE void
plant_sticky_event (GstPad * pad)
{
  kept_caps = gst_pad_get_sticky_event (pad, GST_EVENT_CAPS, 0);  /* planted */
}

static void
store_caps_event (GstPad * pad)
{
  GstCaps *caps = gst_caps_from_string ("audio/x-raw,format=S16LE,"
      "rate=8000,channels=1,layout=interleaved");
  GstEvent *event = gst_event_new_caps (caps);

  gst_caps_unref (caps);
  if (gst_pad_store_sticky_event (pad, event) != GST_FLOW_OK)
    exit (21);
  gst_event_unref (event);
}

int
main (int argc, char **argv)
{
  GstPad *pad;
  GstEvent *ev;

  gst_init (&argc, &argv);
  pad = gst_pad_new ("src", GST_PAD_SRC);
  gst_object_ref_sink (pad);
  gst_pad_set_active (pad, TRUE);
  /* Released: the stored event is dropped with the pad. */
  ev = gst_event_new_stream_start ("s");
  gst_pad_store_sticky_event (pad, ev);
  gst_event_unref (ev);
  store_caps_event (pad);
  plant_segment_event ();
  plant_sticky_event (pad);
  if (!kept_caps)
    return 20;
  gst_pad_set_active (pad, FALSE);
  gst_object_unref (pad);
  gst_deinit ();
  return 0;
}
