/* Planted leak: memories from an allocator of the application's own, never
 * freed.  LeakyAllocator makes real custom memory (a LeakyMemory embeds the
 * GstMemory, its own free vfunc frees it).  Five of 3000 bytes are made, two
 * are kept.  Each memory holds a reference on its allocator, which the app
 * drops: the allocator stays alive with the kept memories. */
#include "../scenario.h"

#define N_MADE 5
#define N_KEPT 2
#define SIZE 3000

typedef struct
{
  GstMemory mem;
  guint8 *data;
} LeakyMemory;

typedef struct
{
  GstAllocator parent;
} LeakyAllocator;

typedef struct
{
  GstAllocatorClass parent_class;
} LeakyAllocatorClass;

GType leaky_allocator_get_type (void);
G_DEFINE_TYPE (LeakyAllocator, leaky_allocator, GST_TYPE_ALLOCATOR);

static GstMemory *
leaky_alloc (GstAllocator * allocator, gsize size,
    GstAllocationParams * params)
{
  LeakyMemory *mem = g_new0 (LeakyMemory, 1);
  gsize maxsize = size + params->prefix + params->padding;

  gst_memory_init (GST_MEMORY_CAST (mem), 0, allocator, NULL, maxsize,
      params->align, params->prefix, size);
  mem->data = g_malloc0 (maxsize);
  return GST_MEMORY_CAST (mem);
}

static void
leaky_free (GstAllocator * allocator, GstMemory * memory)
{
  g_free (((LeakyMemory *) memory)->data);
  g_free (memory);
}

static gpointer
leaky_map (GstMemory * memory, gsize maxsize, GstMapFlags flags)
{
  return ((LeakyMemory *) memory)->data;
}

static void
leaky_unmap (GstMemory * memory)
{
}

static void
leaky_allocator_class_init (LeakyAllocatorClass * klass)
{
  GST_ALLOCATOR_CLASS (klass)->alloc = leaky_alloc;
  GST_ALLOCATOR_CLASS (klass)->free = leaky_free;
}

static void
leaky_allocator_init (LeakyAllocator * self)
{
  GstAllocator *allocator = GST_ALLOCATOR_CAST (self);

  allocator->mem_type = "LeakyMemory";
  allocator->mem_map = leaky_map;
  allocator->mem_unmap = leaky_unmap;
  GST_OBJECT_FLAG_SET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

static GstMemory *kept[N_KEPT];

G_GNUC_NO_INLINE GstMemory *plant_custom_memory (GstAllocator * allocator);

G_GNUC_NO_INLINE GstMemory *
plant_custom_memory (GstAllocator * allocator)
{
  return gst_allocator_alloc (allocator, SIZE, NULL);   /* planted */
}

int
main (int argc, char **argv)
{
  GstAllocator *allocator;
  GstMapInfo map;
  gint i;

  gst_init (&argc, &argv);
  allocator = gst_object_ref_sink (g_object_new (leaky_allocator_get_type (),
          "name", "leaky", NULL));
  for (i = 0; i < N_MADE; i++) {
    GstMemory *mem = plant_custom_memory (allocator);

    if (!mem || !gst_memory_map (mem, &map, GST_MAP_WRITE))
      return 20;
    memset (map.data, i, map.size);
    gst_memory_unmap (mem, &map);
    if (i < N_KEPT)
      kept[i] = mem;
    else
      gst_memory_unref (mem);
  }
  gst_object_unref (allocator);
  gst_deinit ();
  return 0;
}
