/* gst-memtrace: the objects alive now, from address to their unique id.
 *
 * Striped so that threads creating and freeing objects at once rarely meet
 * on a lock; the value packs the id and a few flags into one word. */
#include "memtrace-livemap.h"

#define N_STRIPES 64
#define FLAG_BITS 8
#define ID_BLOCK 1024

typedef struct
{
  GMutex lock;
  GHashTable *table;
} Stripe;

static Stripe stripes[N_STRIPES];
static guint64 next_id_block;   /* atomic */
static __thread guint64 my_next_id, my_id_end;

void
memtrace_livemap_init (void)
{
  guint i;

  for (i = 0; i < N_STRIPES; i++) {
    g_mutex_init (&stripes[i].lock);
    stripes[i].table = g_hash_table_new (g_direct_hash, g_direct_equal);
  }
}

guint64
memtrace_livemap_next_id (void)
{
  /* Each thread takes ids in blocks so the counter is rarely contended. */
  if (G_UNLIKELY (my_next_id == my_id_end)) {
    guint64 block = __atomic_fetch_add (&next_id_block, 1, __ATOMIC_RELAXED);

    my_next_id = block * ID_BLOCK + 1;
    my_id_end = my_next_id + ID_BLOCK;
  }
  return my_next_id++;
}

static inline Stripe *
stripe_for (gconstpointer obj)
{
  guintptr p = (guintptr) obj;

  return &stripes[((p >> 4) ^ (p >> 12)) % N_STRIPES];
}

#define PACK(id, flags) GSIZE_TO_POINTER (((id) << FLAG_BITS) | (flags))
#define UNPACK_ID(v) (GPOINTER_TO_SIZE (v) >> FLAG_BITS)
#define UNPACK_FLAGS(v) (GPOINTER_TO_SIZE (v) & ((1 << FLAG_BITS) - 1))

void
memtrace_livemap_insert (gconstpointer obj, guint64 id)
{
  Stripe *s = stripe_for (obj);

  g_mutex_lock (&s->lock);
  g_hash_table_insert (s->table, (gpointer) obj, PACK (id, 0));
  g_mutex_unlock (&s->lock);
}

gboolean
memtrace_livemap_lookup (gconstpointer obj, guint64 * id)
{
  Stripe *s = stripe_for (obj);
  gpointer v;

  g_mutex_lock (&s->lock);
  v = g_hash_table_lookup (s->table, obj);
  g_mutex_unlock (&s->lock);
  *id = v ? UNPACK_ID (v) : 0;
  return v != NULL;
}

gboolean
memtrace_livemap_take (gconstpointer obj, guint64 * id, guint * flags)
{
  Stripe *s = stripe_for (obj);
  gpointer key, v = NULL;
  gboolean found;

  g_mutex_lock (&s->lock);
  found = g_hash_table_steal_extended (s->table, obj, &key, &v);
  g_mutex_unlock (&s->lock);
  *id = found ? UNPACK_ID (v) : 0;
  *flags = found ? UNPACK_FLAGS (v) : 0;
  return found;
}

guint
memtrace_livemap_set_flags (gconstpointer obj, guint flags)
{
  Stripe *s = stripe_for (obj);
  gpointer v;
  guint old = 0;

  g_mutex_lock (&s->lock);
  v = g_hash_table_lookup (s->table, obj);
  if (v) {
    old = UNPACK_FLAGS (v);
    g_hash_table_insert (s->table, (gpointer) obj,
        PACK ((guint64) UNPACK_ID (v), old | flags));
  }
  g_mutex_unlock (&s->lock);
  return old;
}

static gint
entry_cmp (gconstpointer a, gconstpointer b)
{
  const MemTraceLiveEntry *ea = a, *eb = b;

  return ea->id < eb->id ? -1 : ea->id > eb->id;
}

GArray *
memtrace_livemap_snapshot (void)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (MemTraceLiveEntry));
  guint i;

  for (i = 0; i < N_STRIPES; i++) {
    GHashTableIter iter;
    gpointer key, v;

    g_mutex_lock (&stripes[i].lock);
    g_hash_table_iter_init (&iter, stripes[i].table);
    while (g_hash_table_iter_next (&iter, &key, &v)) {
      MemTraceLiveEntry e = { key, UNPACK_ID (v), UNPACK_FLAGS (v) };

      g_array_append_val (out, e);
    }
    g_mutex_unlock (&stripes[i].lock);
  }
  g_array_sort (out, entry_cmp);
  return out;
}

guint
memtrace_livemap_size (void)
{
  guint i, n = 0;

  for (i = 0; i < N_STRIPES; i++) {
    g_mutex_lock (&stripes[i].lock);
    n += g_hash_table_size (stripes[i].table);
    g_mutex_unlock (&stripes[i].lock);
  }
  return n;
}
