/* gst-memtrace: the objects alive now, from address to their unique id.
 *
 * Lookups (every push, acquire and release) outnumber inserts and removes
 * (creation and destruction) by far, and two streaming threads look up the
 * same buffers: so lookups take no lock.  Each stripe is an open-addressing
 * table changed under the stripe's mutex and a sequence count; a reader
 * retries if the count moved while it read (a seqlock).  Tables that grow
 * are retired, never freed, since a reader may still be probing them; they
 * add up to less than the live table. */
#include <sched.h>
#include "memtrace-livemap.h"

#define N_STRIPES 64
#define STRIPE_BITS 6
#define FLAG_BITS 8
#define ID_BLOCK 1024
#define INITIAL_SLOTS 64

typedef struct
{
  gpointer key;
  guint64 value;
} Slot;

typedef struct
{
  guint mask;
  guint used;
  Slot slots[];
} Table;

typedef struct
{
  GMutex lock;
  guint seq;
  Table *table;
  gchar pad[64 - sizeof (GMutex) - sizeof (guint) - sizeof (gpointer)];
} Stripe;

static Stripe stripes[N_STRIPES];
static GSList *retired;         /* old tables, kept for late readers */
static GMutex retired_lock;
static guint64 next_id_block;   /* atomic */
static __thread guint64 my_next_id, my_id_end;

#define LOAD(p) __atomic_load_n ((p), __ATOMIC_RELAXED)
#define STORE(p, v) __atomic_store_n ((p), (v), __ATOMIC_RELAXED)
#define PACK(id, flags) (((id) << FLAG_BITS) | (flags))

static inline guint64
hash_ptr (gconstpointer obj)
{
  return ((guint64) (guintptr) obj >> 3) * 0x9E3779B97F4A7C15ULL;
}

static inline Stripe *
stripe_for (guint64 h)
{
  return &stripes[h >> (64 - STRIPE_BITS)];
}

static Table *
table_new (guint n_slots)
{
  Table *t = g_malloc0 (sizeof (Table) + n_slots * sizeof (Slot));

  t->mask = n_slots - 1;
  return t;
}

void
memtrace_livemap_init (void)
{
  guint i;

  for (i = 0; i < N_STRIPES; i++) {
    g_mutex_init (&stripes[i].lock);
    stripes[i].table = table_new (INITIAL_SLOTS);
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

/* Readers */

static inline gboolean
probe (Table * t, gconstpointer obj, guint64 h, guint64 * value)
{
  guint n, idx = (h >> 16) & t->mask;

  for (n = 0; n <= t->mask; n++, idx = (idx + 1) & t->mask) {
    gpointer k = LOAD (&t->slots[idx].key);

    if (k == obj) {
      *value = LOAD (&t->slots[idx].value);
      return TRUE;
    }
    if (!k)
      return FALSE;
  }
  return FALSE;
}

static gboolean
read_value (gconstpointer obj, guint64 * value)
{
  guint64 h = hash_ptr (obj);
  Stripe *s = stripe_for (h);
  guint spins = 0;

  for (;;) {
    guint seq = __atomic_load_n (&s->seq, __ATOMIC_ACQUIRE);
    gboolean found;

    if (G_LIKELY (!(seq & 1))) {
      found = probe (__atomic_load_n (&s->table, __ATOMIC_ACQUIRE), obj, h,
          value);
      __atomic_thread_fence (__ATOMIC_ACQUIRE);
      if (LOAD (&s->seq) == seq)
        return found;
    }
    /* A writer holds the stripe: it may have been preempted. */
    if (++spins > 64)
      sched_yield ();
  }
}

gboolean
memtrace_livemap_lookup (gconstpointer obj, guint64 * id)
{
  guint64 v = 0;
  gboolean found = read_value (obj, &v);

  *id = found ? v >> FLAG_BITS : 0;
  return found;
}

/* Writers: under the stripe lock, between two sequence bumps. */

static void
write_begin (Stripe * s)
{
  g_mutex_lock (&s->lock);
  STORE (&s->seq, s->seq + 1);
  __atomic_thread_fence (__ATOMIC_RELEASE);
}

static void
write_end (Stripe * s)
{
  __atomic_store_n (&s->seq, s->seq + 1, __ATOMIC_RELEASE);
  g_mutex_unlock (&s->lock);
}

static guint
find_slot (Table * t, gconstpointer obj, guint64 h)
{
  guint idx = (h >> 16) & t->mask;

  while (t->slots[idx].key && t->slots[idx].key != obj)
    idx = (idx + 1) & t->mask;
  return idx;
}

static void
put (Table * t, gpointer obj, guint64 value)
{
  guint idx = find_slot (t, obj, hash_ptr (obj));

  if (!t->slots[idx].key)
    t->used++;
  STORE (&t->slots[idx].value, value);
  STORE (&t->slots[idx].key, obj);
}

/* Called with the stripe written: readers will retry on the new table. */
static void
grow (Stripe * s)
{
  Table *old = s->table, *t = table_new ((old->mask + 1) * 2);
  guint i;

  for (i = 0; i <= old->mask; i++)
    if (old->slots[i].key)
      put (t, old->slots[i].key, old->slots[i].value);
  __atomic_store_n (&s->table, t, __ATOMIC_RELEASE);
  g_mutex_lock (&retired_lock);
  retired = g_slist_prepend (retired, old);
  g_mutex_unlock (&retired_lock);
}

void
memtrace_livemap_insert (gconstpointer obj, guint64 id, guint flags)
{
  Stripe *s = stripe_for (hash_ptr (obj));

  write_begin (s);
  if ((s->table->used + 1) * 2 > s->table->mask + 1)
    grow (s);
  put (s->table, (gpointer) obj, PACK (id, flags));
  write_end (s);
}

/* Backward-shift deletion keeps probe chains whole without tombstones. */
static void
delete_at (Table * t, guint i)
{
  guint j = i;

  for (;;) {
    guint k;

    j = (j + 1) & t->mask;
    if (!t->slots[j].key)
      break;
    k = (hash_ptr (t->slots[j].key) >> 16) & t->mask;
    if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
      continue;
    STORE (&t->slots[i].value, t->slots[j].value);
    STORE (&t->slots[i].key, t->slots[j].key);
    i = j;
  }
  STORE (&t->slots[i].key, NULL);
  t->used--;
}

gboolean
memtrace_livemap_take (gconstpointer obj, guint64 * id, guint * flags)
{
  guint64 h = hash_ptr (obj);
  Stripe *s = stripe_for (h);
  guint idx;
  gboolean found;

  write_begin (s);
  idx = find_slot (s->table, obj, h);
  found = s->table->slots[idx].key != NULL;
  *id = found ? s->table->slots[idx].value >> FLAG_BITS : 0;
  *flags = found ? s->table->slots[idx].value & ((1 << FLAG_BITS) - 1) : 0;
  if (found)
    delete_at (s->table, idx);
  write_end (s);
  return found;
}

gboolean
memtrace_livemap_mark (gconstpointer obj, guint flags, guint64 * id,
    guint * old_flags)
{
  guint64 h = hash_ptr (obj);
  Stripe *s = stripe_for (h);
  guint idx;
  gboolean found;

  write_begin (s);
  idx = find_slot (s->table, obj, h);
  found = s->table->slots[idx].key != NULL;
  *id = 0;
  *old_flags = 0;
  if (found) {
    guint64 v = s->table->slots[idx].value;

    *id = v >> FLAG_BITS;
    *old_flags = v & ((1 << FLAG_BITS) - 1);
    STORE (&s->table->slots[idx].value, v | flags);
  }
  write_end (s);
  return found;
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
  guint i, j;

  for (i = 0; i < N_STRIPES; i++) {
    Table *t;

    g_mutex_lock (&stripes[i].lock);
    t = stripes[i].table;
    for (j = 0; j <= t->mask; j++) {
      MemTraceLiveEntry e = { t->slots[j].key,
        t->slots[j].value >> FLAG_BITS,
        t->slots[j].value & ((1 << FLAG_BITS) - 1)
      };

      if (e.obj)
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
    n += stripes[i].table->used;
    g_mutex_unlock (&stripes[i].lock);
  }
  return n;
}
