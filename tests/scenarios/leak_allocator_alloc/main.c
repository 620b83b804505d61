/* Planted leak: memories from gst_allocator_alloc() never freed: two of
 * 4096 bytes from the default allocator, and one of 1000 bytes with
 * allocation parameters (64-byte alignment, 16 bytes of prefix and 32 of
 * padding).  Memories made the same ways are freed. */
#include "../scenario.h"

static GstMemory *kept[3];

G_GNUC_NO_INLINE void plant_alloc_default (void);
G_GNUC_NO_INLINE void plant_alloc_params (void);

G_GNUC_NO_INLINE void
plant_alloc_default (void)
{
  gint i;

  for (i = 0; i < 2; i++)
    kept[i] = gst_allocator_alloc (NULL, 4096, NULL);   /* planted */
}

G_GNUC_NO_INLINE void
plant_alloc_params (void)
{
  GstAllocationParams params;

  gst_allocation_params_init (&params);
  params.align = 63;
  params.prefix = 16;
  params.padding = 32;
  kept[2] = gst_allocator_alloc (NULL, 1000, &params);  /* planted */
}

int
main (int argc, char **argv)
{
  GstAllocationParams params;
  GstAllocator *sysmem;

  gst_init (&argc, &argv);
  gst_allocation_params_init (&params);
  params.align = 63;
  gst_memory_unref (gst_allocator_alloc (NULL, 4096, NULL));
  sysmem = gst_allocator_find (GST_ALLOCATOR_SYSMEM);
  gst_memory_unref (gst_allocator_alloc (sysmem, 1000, &params));
  gst_object_unref (sysmem);
  plant_alloc_default ();
  plant_alloc_params ();
  if (!kept[0] || !kept[1] || !kept[2])
    return 20;
  gst_deinit ();
  return 0;
}
