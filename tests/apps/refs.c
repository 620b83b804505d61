/* References: a buffer gets two extra ones in plant_extra_refs() and loses
 * one in drop_one_ref(); it is left with two (a leak). */
#include "app-common.h"

static GstBuffer *kept;

G_GNUC_NO_INLINE void plant_extra_refs (GstBuffer * buf);
G_GNUC_NO_INLINE void drop_one_ref (GstBuffer * buf);

G_GNUC_NO_INLINE void
plant_extra_refs (GstBuffer * buf)
{
  gint i;

  for (i = 0; i < 2; i++)
    gst_buffer_ref (buf);       /* planted */
}

G_GNUC_NO_INLINE void
drop_one_ref (GstBuffer * buf)
{
  gst_buffer_unref (buf);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  kept = gst_buffer_new ();
  plant_extra_refs (kept);
  drop_one_ref (kept);
  if (GST_MINI_OBJECT_REFCOUNT_VALUE (kept) != 2)
    return 20;
  gst_deinit ();
  return 0;
}
