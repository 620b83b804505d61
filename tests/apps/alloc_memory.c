/* Planted leak: two 4096-byte memories from the default allocator are
 * never freed; one more is freed. */
#include "app-common.h"

#define LEAKED 2

static GstMemory *kept[LEAKED];

G_GNUC_NO_INLINE void plant_alloc_memories (void);

G_GNUC_NO_INLINE void
plant_alloc_memories (void)
{
  gint i;

  for (i = 0; i < LEAKED; i++)
    kept[i] = gst_allocator_alloc (NULL, 4096, NULL);  /* planted */
}

static void
alloc_and_free (void)
{
  GstMemory *mem = gst_allocator_alloc (NULL, 777, NULL);

  gst_memory_unref (mem);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  alloc_and_free ();
  plant_alloc_memories ();
  if (!kept[0] || !kept[1])
    return 20;
  gst_deinit ();
  return 0;
}
