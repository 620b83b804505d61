/* gst-memtrace: the varint encoding of a block of events from one thread. */
#ifndef __MEMTRACE_BLOCK_H__
#define __MEMTRACE_BLOCK_H__

#include "memtrace-format.h"

G_BEGIN_DECLS

/* Encoding state: times and object ids are stored as deltas from the
 * previous event of the same block, which keeps most events near 10 bytes. */
typedef struct
{
  guint8 *data;
  gsize len;
  gsize alloc;
  guint n_events;
  guint64 last_ts;
  guint64 last_obj;
} MemTraceBlockWriter;

void memtrace_block_writer_init (MemTraceBlockWriter * w);
void memtrace_block_writer_reset (MemTraceBlockWriter * w);
void memtrace_block_writer_clear (MemTraceBlockWriter * w);
void memtrace_block_append (MemTraceBlockWriter * w, const MemTraceEvent * ev);

typedef struct
{
  const guint8 *pos;
  const guint8 *end;
  guint64 last_ts;
  guint64 last_obj;
} MemTraceBlockReader;

void memtrace_block_reader_init (MemTraceBlockReader * r, const guint8 * data,
    gsize len);
/* Returns FALSE at the end of the block; sets *corrupt on malformed data. */
gboolean memtrace_block_next (MemTraceBlockReader * r, MemTraceEvent * ev,
    gboolean * corrupt);

G_END_DECLS

#endif
