/* Planted leak: tag lists never unreffed: one built by the app, and one
 * merged from two others (gst_tag_list_merge() returns a new list). */
#include "../scenario.h"

static GstTagList *kept_built, *kept_merged;

G_GNUC_NO_INLINE void plant_tag_list (void);
G_GNUC_NO_INLINE void plant_tag_merge (const GstTagList * a,
    const GstTagList * b);

G_GNUC_NO_INLINE void
plant_tag_list (void)
{
  kept_built = gst_tag_list_new (GST_TAG_TITLE, "planted", /* planted */
      GST_TAG_TRACK_NUMBER, 7, NULL);
}

G_GNUC_NO_INLINE void
plant_tag_merge (const GstTagList * a, const GstTagList * b)
{
  kept_merged = gst_tag_list_merge (a, b, GST_TAG_MERGE_APPEND);        /* planted */
}

int
main (int argc, char **argv)
{
  GstTagList *a, *b;

  gst_init (&argc, &argv);
  a = gst_tag_list_new (GST_TAG_ARTIST, "someone", NULL);
  b = gst_tag_list_new (GST_TAG_ALBUM, "something", NULL);
  plant_tag_list ();
  plant_tag_merge (a, b);
  gst_tag_list_unref (a);
  gst_tag_list_unref (b);
  gst_deinit ();
  return 0;
}
