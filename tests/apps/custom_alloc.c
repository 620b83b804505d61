/* Two allocators of the application's own.
 *
 * MyAllocator ("myalloc") makes real custom memory: a MyMemory embeds the
 * GstMemory, gst_memory_init() fills it in, its own free vfunc frees it.
 * N_CUSTOM of CUSTOM_SIZE bytes are made, one is kept (leaked).
 *
 * WrapAllocator ("wrapalloc") only wraps: its alloc returns system memory,
 * N_WRAPPED of WRAPPED_SIZE bytes, all freed. */
#include <string.h>
#include "app-common.h"

#define N_CUSTOM 3
#define CUSTOM_SIZE 1000
#define N_WRAPPED 2
#define WRAPPED_SIZE 333

/* Custom memory */

typedef struct
{
  GstMemory mem;
  guint8 *data;
} MyMemory;

typedef struct
{
  GstAllocator parent;
} MyAllocator;

typedef struct
{
  GstAllocatorClass parent_class;
} MyAllocatorClass;

GType my_allocator_get_type (void);
G_DEFINE_TYPE (MyAllocator, my_allocator, GST_TYPE_ALLOCATOR);

static gint n_freed;

static GstMemory *
my_memory_new (GstAllocator * allocator, GstMemory * parent, guint8 * data,
    gsize maxsize, gsize align, gsize offset, gsize size)
{
  MyMemory *mem = g_new0 (MyMemory, 1);

  gst_memory_init (GST_MEMORY_CAST (mem), 0, allocator, parent, maxsize,
      align, offset, size);
  mem->data = data;
  return GST_MEMORY_CAST (mem);
}

static GstMemory *
my_alloc (GstAllocator * allocator, gsize size, GstAllocationParams * params)
{
  gsize maxsize = size + params->prefix + params->padding;

  return my_memory_new (allocator, NULL, g_malloc0 (maxsize), maxsize,
      params->align, params->prefix, size);
}

static void
my_free (GstAllocator * allocator, GstMemory * memory)
{
  MyMemory *mem = (MyMemory *) memory;

  /* Shares point into their parent's data. */
  if (!memory->parent)
    g_free (mem->data);
  g_free (mem);
  n_freed++;
}

static gpointer
my_map (GstMemory * memory, gsize maxsize, GstMapFlags flags)
{
  return ((MyMemory *) memory)->data;
}

static void
my_unmap (GstMemory * memory)
{
}

static GstMemory *
my_share (GstMemory * memory, gssize offset, gssize size)
{
  GstMemory *parent = memory->parent ? memory->parent : memory;

  if (size == -1)
    size = memory->size - offset;
  return my_memory_new (memory->allocator, parent,
      ((MyMemory *) memory)->data, memory->maxsize, memory->align,
      memory->offset + offset, size);
}

static void
my_allocator_class_init (MyAllocatorClass * klass)
{
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  allocator_class->alloc = my_alloc;
  allocator_class->free = my_free;
}

static void
my_allocator_init (MyAllocator * self)
{
  GstAllocator *allocator = GST_ALLOCATOR_CAST (self);

  allocator->mem_type = "MyMemory";
  allocator->mem_map = my_map;
  allocator->mem_unmap = my_unmap;
  allocator->mem_share = my_share;
  GST_OBJECT_FLAG_SET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

/* An allocator that hands out system memory */

typedef struct
{
  GstAllocator parent;
} WrapAllocator;

typedef struct
{
  GstAllocatorClass parent_class;
} WrapAllocatorClass;

GType wrap_allocator_get_type (void);
G_DEFINE_TYPE (WrapAllocator, wrap_allocator, GST_TYPE_ALLOCATOR);

static GstMemory *
wrap_alloc (GstAllocator * allocator, gsize size,
    GstAllocationParams * params)
{
  return gst_allocator_alloc (NULL, size, params);
}

static void
wrap_allocator_class_init (WrapAllocatorClass * klass)
{
  GST_ALLOCATOR_CLASS (klass)->alloc = wrap_alloc;
}

static void
wrap_allocator_init (WrapAllocator * self)
{
  GST_OBJECT_FLAG_SET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

/* The app */

static GstMemory *kept;

G_GNUC_NO_INLINE void plant_custom_alloc (GstAllocator * allocator);

G_GNUC_NO_INLINE void
plant_custom_alloc (GstAllocator * allocator)
{
  GstMemory *mems[N_CUSTOM];
  GstMapInfo map;
  gint i;

  for (i = 0; i < N_CUSTOM; i++) {
    mems[i] = gst_allocator_alloc (allocator, CUSTOM_SIZE, NULL);  /* planted */
    if (!mems[i] || mems[i]->allocator != allocator
        || !gst_memory_map (mems[i], &map, GST_MAP_WRITE))
      exit (20);
    memset (map.data, i, map.size);
    gst_memory_unmap (mems[i], &map);
  }
  kept = mems[0];
  for (i = 1; i < N_CUSTOM; i++)
    gst_memory_unref (mems[i]);
}

static void
use_wrapper (GstAllocator * allocator)
{
  gint i;

  for (i = 0; i < N_WRAPPED; i++) {
    GstMemory *mem = gst_allocator_alloc (allocator, WRAPPED_SIZE, NULL);

    if (!mem || mem->size != WRAPPED_SIZE)
      exit (21);
    gst_memory_unref (mem);
  }
}

int
main (int argc, char **argv)
{
  GstAllocator *mine, *wrapper;

  gst_init (&argc, &argv);
  mine = gst_object_ref_sink (g_object_new (my_allocator_get_type (),
          "name", "myalloc", NULL));
  wrapper = gst_object_ref_sink (g_object_new (wrap_allocator_get_type (),
          "name", "wrapalloc", NULL));
  plant_custom_alloc (mine);
  if (n_freed != N_CUSTOM - 1)
    return 22;
  use_wrapper (wrapper);
  gst_object_unref (wrapper);
  /* The kept memory holds a reference on its allocator. */
  gst_object_unref (mine);
  gst_deinit ();
  return 0;
}
