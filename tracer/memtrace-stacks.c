/* gst-memtrace: capturing and interning backtraces on the streaming thread.
 *
 * unw_backtrace() only collects return addresses (no symbols, no I/O).  A
 * stack is known by a 64-bit hash of its frames: a per-thread cache answers
 * repeated stacks without a lock; only a stack this thread has not seen takes
 * the global lock, and only a stack no thread has seen is sent to the writer.
 * Waiting for room in the ring under that lock cannot deadlock: the writer
 * never takes it. */
#include <link.h>
#include <string.h>
#include <libunwind.h>
#include "memtrace-stacks.h"

/* The most frames of our own (capture, helpers, hook or vfunc wrapper) a
 * stack can start with: three today.  How many depends on what the compiler
 * inlined, so they are recognised by address, not counted; each frame asked
 * for beyond them is walked for nothing on the streaming thread. */
#define MAX_OWN_FRAMES 4

static guintptr own_text_start, own_text_end;

static guint stack_depth;
static GMutex stacks_lock;
static GHashTable *stack_ids;   /* hash -> id */
static guint32 next_stack_id = 1;

static gint
find_own_text (struct dl_phdr_info *info, size_t size, void *data)
{
  guintptr here = (guintptr) data;
  gint i;

  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW (Phdr) * ph = &info->dlpi_phdr[i];
    guintptr start = info->dlpi_addr + ph->p_vaddr;

    if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && here >= start
        && here < start + ph->p_memsz) {
      own_text_start = start;
      own_text_end = start + ph->p_memsz;
      return 1;
    }
  }
  return 0;
}

void
memtrace_stacks_init (guint depth)
{
  stack_depth = MIN (depth, MEMTRACE_MAX_STACK_DEPTH);
  dl_iterate_phdr (find_own_text, (void *) (guintptr) memtrace_stacks_init);
  stack_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
}

static inline guint64
mix (guint64 h, guint64 v)
{
  h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 29);
}

/* Four independent lanes: a single chain of 32 multiplies would make every
 * captured stack wait on their latency, one after the other (32 frames:
 * 20 ns instead of 33 on this machine). */
static guint64
hash_frames (void **frames, gint n)
{
  guint64 h0 = 0x243F6A8885A308D3ULL, h1 = 0x13198A2E03707344ULL;
  guint64 h2 = 0xA4093822299F31D0ULL, h3 = 0x082EFA98EC4E6C89ULL;
  gint i;

  for (i = 0; i + 4 <= n; i += 4) {
    h0 = mix (h0, (guintptr) frames[i]);
    h1 = mix (h1, (guintptr) frames[i + 1]);
    h2 = mix (h2, (guintptr) frames[i + 2]);
    h3 = mix (h3, (guintptr) frames[i + 3]);
  }
  for (; i < n; i++)
    h0 = mix (h0, (guintptr) frames[i]);
  return mix (mix (mix (mix (h0, h1), h2), h3), (guint64) n);
}

/* A stack no thread has seen: its frames go to the writer before its id is
 * handed out, so that no event ever names a stack the trace lacks.  When the
 * ring has no room and events are being dropped, the stack is not kept
 * (its events get no stack) and it is not an event lost. */
static guint32
intern_stack (MemTraceRing * ring, guint64 hash, void **frames, gint n)
{
  gsize len = n * sizeof (guint64);
  guint extra = memtrace_ring_extra_slots (len);
  guint64 ips[MEMTRACE_MAX_STACK_DEPTH], idx;
  MemTraceSlot *slot;
  guint32 id;
  gint i;

  g_mutex_lock (&stacks_lock);
  id = GPOINTER_TO_UINT (g_hash_table_lookup (stack_ids, &hash));
  if (!id && (slot = memtrace_ring_reserve (ring, 1 + extra, &idx))) {
    id = next_stack_id++;
    g_hash_table_insert (stack_ids, g_memdup2 (&hash, sizeof (hash)),
        GUINT_TO_POINTER (id));
    for (i = 0; i < n; i++)
      ips[i] = (guint64) (guintptr) frames[i];
    slot->kind = MEMTRACE_RING_STACK;
    slot->n_extra = extra;
    slot->obj = id;
    slot->args[0] = n;
    memtrace_ring_write_extra (ring, idx, ips, len);
    memtrace_ring_commit (ring, 1 + extra);
  }
  g_mutex_unlock (&stacks_lock);
  return id;
}

guint32
memtrace_stacks_capture (MemTraceRing * ring)
{
  void *all[MEMTRACE_MAX_STACK_DEPTH + MAX_OWN_FRAMES], **frames;
  MemTraceStackCacheEntry *e;
  guint64 hash;
  guint32 id;
  gint n, own = 0;

  if (stack_depth == 0)
    return 0;
  n = unw_backtrace (all, stack_depth + MAX_OWN_FRAMES);
  while (own < n && (guintptr) all[own] >= own_text_start
      && (guintptr) all[own] < own_text_end)
    own++;
  frames = all + own;
  n = MIN (n - own, (gint) stack_depth);
  if (n <= 0)
    return 0;
  hash = hash_frames (frames, n);
  e = &ring->stacks[hash % MEMTRACE_STACK_CACHE];
  if (G_LIKELY (e->hash == hash && e->id))
    return e->id;
  id = intern_stack (ring, hash, frames, n);
  if (id) {
    e->hash = hash;
    e->id = id;
  }
  return id;
}
