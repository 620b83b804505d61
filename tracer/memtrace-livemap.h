/* gst-memtrace: the objects alive now, from address to their unique id. */
#ifndef __MEMTRACE_LIVEMAP_H__
#define __MEMTRACE_LIVEMAP_H__

#include <glib.h>

G_BEGIN_DECLS

/* Per-object flags kept beside the id. */
#define MEMTRACE_LIVE_INFO_DONE (1 << 0)  /* its MEMORY/ALLOC event is out */

void memtrace_livemap_init (void);
/* A new unique id for an object: ids are never reused, addresses are. */
guint64 memtrace_livemap_next_id (void);
void memtrace_livemap_insert (gconstpointer obj, guint64 id, guint flags);
gboolean memtrace_livemap_lookup (gconstpointer obj, guint64 * id);
gboolean memtrace_livemap_take (gconstpointer obj, guint64 * id,
    guint * flags);
/* Sets flags on obj, giving its id and the flags it had before: FALSE if
 * obj is not in the map. */
gboolean memtrace_livemap_mark (gconstpointer obj, guint flags, guint64 * id,
    guint * old_flags);

typedef struct
{
  gpointer obj;
  guint64 id;
  guint flags;
} MemTraceLiveEntry;

/* Every live object, oldest id first.  Only safe to read the objects when
 * no other thread can be freeing them (gst_deinit, or exit). */
GArray *memtrace_livemap_snapshot (void);
guint memtrace_livemap_size (void);

G_END_DECLS

#endif
