/* Planted leak: caps from three call sites, never unreffed: two made
 * with gst_caps_new_simple() in a loop, one parsed from a string, and the
 * result of gst_caps_intersect() (the caller owns it).  Other caps made the
 * same ways are released. */
#include "../scenario.h"

#define LOOP 2

static GstCaps *kept[LOOP + 2];

G_GNUC_NO_INLINE void plant_caps_new (void);
G_GNUC_NO_INLINE void plant_caps_from_string (void);
G_GNUC_NO_INLINE void plant_caps_intersect (GstCaps * a, GstCaps * b);

G_GNUC_NO_INLINE void
plant_caps_new (void)
{
  gint i;

  for (i = 0; i < LOOP; i++)
    kept[i] = gst_caps_new_simple ("video/x-raw", "width", G_TYPE_INT,  /* planted */
        320 + i, "height", G_TYPE_INT, 240, NULL);
}

G_GNUC_NO_INLINE void
plant_caps_from_string (void)
{
  kept[LOOP] = gst_caps_from_string ("audio/x-raw,rate=48000");  /* planted */
}

G_GNUC_NO_INLINE void
plant_caps_intersect (GstCaps * a, GstCaps * b)
{
  kept[LOOP + 1] = gst_caps_intersect (a, b);   /* planted */
}

static void
caps_released (GstCaps * a, GstCaps * b)
{
  gst_caps_unref (gst_caps_new_simple ("video/x-raw", "width", G_TYPE_INT,
          1, NULL));
  gst_caps_unref (gst_caps_from_string ("audio/x-raw,rate=8000"));
  gst_caps_unref (gst_caps_intersect (a, b));
}

int
main (int argc, char **argv)
{
  GstCaps *a, *b;

  gst_init (&argc, &argv);
  a = gst_caps_from_string ("video/x-raw,width=[1,1000];image/jpeg");
  b = gst_caps_from_string ("video/x-raw,width=640,height=[1,480]");
  caps_released (a, b);
  plant_caps_new ();
  plant_caps_from_string ();
  plant_caps_intersect (a, b);
  if (!kept[LOOP + 1] || gst_caps_is_empty (kept[LOOP + 1]))
    return 20;
  gst_caps_unref (a);
  gst_caps_unref (b);
  gst_deinit ();
  return 0;
}
