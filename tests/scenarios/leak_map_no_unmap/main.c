/* Planted leak: gst_buffer_map() without gst_buffer_unmap().  In 1.22 a
 * map takes a reference on the memory it maps (gst_buffer_unmap() drops
 * it), so a buffer freed while still mapped leaves its memory behind:
 * - a buffer of one 700-byte memory, mapped for reading: the buffer's own
 *   memory leaks (made in make_buffer(), its extra ref taken by the map);
 * - a buffer of two memories (300 + 500 bytes) mapped for reading: the map
 *   merges them into a new 800-byte memory, made by the map, which leaks
 *   (the buffer and its two memories are freed).
 * A third buffer is mapped and unmapped properly. */
#include "../scenario.h"

G_GNUC_NO_INLINE GstBuffer *make_buffer (gsize a, gsize b);
G_GNUC_NO_INLINE void plant_map_single (GstBuffer * buffer);
G_GNUC_NO_INLINE void plant_map_merged (GstBuffer * buffer);

G_GNUC_NO_INLINE GstBuffer *
make_buffer (gsize a, gsize b)
{
  GstBuffer *buffer = gst_buffer_new ();

  gst_buffer_append_memory (buffer, gst_allocator_alloc (NULL, a, NULL));
  if (b)
    gst_buffer_append_memory (buffer, gst_allocator_alloc (NULL, b, NULL));
  return buffer;
}

G_GNUC_NO_INLINE void
plant_map_single (GstBuffer * buffer)
{
  GstMapInfo map;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))     /* planted */
    exit (20);
}

G_GNUC_NO_INLINE void
plant_map_merged (GstBuffer * buffer)
{
  GstMapInfo map;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))     /* planted */
    exit (21);
  if (map.size != 800)
    exit (22);
}

int
main (int argc, char **argv)
{
  GstBuffer *buffer;
  GstMapInfo map;

  gst_init (&argc, &argv);
  buffer = make_buffer (100, 0);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READWRITE))
    return 23;
  gst_buffer_unmap (buffer, &map);
  gst_buffer_unref (buffer);

  buffer = make_buffer (700, 0);
  plant_map_single (buffer);
  gst_buffer_unref (buffer);

  buffer = make_buffer (300, 500);
  plant_map_merged (buffer);
  gst_buffer_unref (buffer);
  gst_deinit ();
  return 0;
}
