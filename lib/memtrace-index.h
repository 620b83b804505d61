/* gst-memtrace: dense indexes for sparse keys, for the analyses' passes. */
#ifndef __MEMTRACE_INDEX_H__
#define __MEMTRACE_INDEX_H__

#include <glib.h>

G_BEGIN_DECLS

#define MEMTRACE_INDEX_CACHE_BITS 12

/* Keys (such as type << 32 | stack) numbered 0, 1, 2... as they come, to
 * index an array of what is counted per key.  A direct-mapped cache sits
 * in front of the hash table: a pass over rows meets a run of rows from
 * one place, whose key hits the cache. */
typedef struct
{
  GHashTable *index;            /* key -> index + 1 */
  guint64 *cache_key;           /* key + 1; 0: empty */
  guint *cache_index;
} MemTraceIndex;

void memtrace_index_init (MemTraceIndex * x);
/* Frees what init made; harmless on a zeroed one. */
void memtrace_index_clear (MemTraceIndex * x);
guint memtrace_index_lookup (MemTraceIndex * x, guint64 key, guint slot,
    guint next, gboolean * added);

/* The index of key.  A key not seen before gets next (the caller's array
 * length, where it then appends the key's entry) and *added is set. */
static inline guint
memtrace_index_get (MemTraceIndex * x, guint64 key, guint next,
    gboolean * added)
{
  guint slot = (guint) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15))
      >> (64 - MEMTRACE_INDEX_CACHE_BITS));

  *added = FALSE;
  if (x->cache_key[slot] == key + 1)
    return x->cache_index[slot];
  return memtrace_index_lookup (x, key, slot, next, added);
}

G_END_DECLS

#endif
