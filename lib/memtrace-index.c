/* gst-memtrace: dense indexes for sparse keys, for the analyses' passes. */
#include "memtrace-index.h"

#define CACHE_SIZE (1 << MEMTRACE_INDEX_CACHE_BITS)

void
memtrace_index_init (MemTraceIndex * x)
{
  x->index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
  /* On the heap: analyses keep their state on the stack of threads. */
  x->cache_key = g_new0 (guint64, CACHE_SIZE);
  x->cache_index = g_new0 (guint, CACHE_SIZE);
}

void
memtrace_index_clear (MemTraceIndex * x)
{
  if (x->index)
    g_hash_table_unref (x->index);
  g_free (x->cache_key);
  g_free (x->cache_index);
  x->index = NULL;
  x->cache_key = NULL;
  x->cache_index = NULL;
}

/* The cache missed: the hash table decides, and the slot remembers. */
guint
memtrace_index_lookup (MemTraceIndex * x, guint64 key, guint slot,
    guint next, gboolean * added)
{
  gpointer found = g_hash_table_lookup (x->index, &key);
  guint index;

  if (found) {
    index = GPOINTER_TO_UINT (found) - 1;
  } else {
    index = next;
    g_hash_table_insert (x->index, g_memdup2 (&key, sizeof (key)),
        GUINT_TO_POINTER (index + 1));
    *added = TRUE;
  }
  x->cache_key[slot] = key + 1;
  x->cache_index[slot] = index;
  return index;
}
