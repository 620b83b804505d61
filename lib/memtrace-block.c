/* gst-memtrace: the varint encoding of a block of events from one thread.
 *
 * An event is: kind (1 byte), zigzag delta of ts, zigzag delta of obj,
 * the stack id if the kind has one, its args, then for BUFFER a count and
 * the memory ids, and for NAME and CHECKPOINT a length and the text. */
#include <string.h>
#include "memtrace-block.h"

/* The most an event can take: kind, ts, obj, stack, args, list, text. */
#define MAX_EVENT_BYTES (1 + 10 * (4 + MEMTRACE_EVENT_MAX_ARGS \
      + MEMTRACE_EVENT_MAX_LIST) + MEMTRACE_EVENT_MAX_TEXT)

static inline guint8 *
put_varint (guint8 * p, guint64 v)
{
  while (v >= 0x80) {
    *p++ = (v & 0x7f) | 0x80;
    v >>= 7;
  }
  *p++ = v;
  return p;
}

static inline guint64
zigzag (gint64 v)
{
  return ((guint64) v << 1) ^ (guint64) (v >> 63);
}

static inline gint64
unzigzag (guint64 v)
{
  return (gint64) (v >> 1) ^ -(gint64) (v & 1);
}

void
memtrace_block_writer_init (MemTraceBlockWriter * w)
{
  w->alloc = 64 * 1024;
  w->data = g_malloc (w->alloc);
  memtrace_block_writer_reset (w);
}

void
memtrace_block_writer_reset (MemTraceBlockWriter * w)
{
  w->len = 0;
  w->n_events = 0;
  w->last_ts = 0;
  w->last_obj = 0;
}

void
memtrace_block_writer_clear (MemTraceBlockWriter * w)
{
  g_free (w->data);
  w->data = NULL;
  w->alloc = w->len = 0;
}

void
memtrace_block_append (MemTraceBlockWriter * w, const MemTraceEvent * ev)
{
  guint i, n = memtrace_event_n_args (ev->kind);
  guint8 *p;

  /* The writer thread appends millions of events a second: grow rarely,
   * and never resize per event. */
  if (G_UNLIKELY (w->len + MAX_EVENT_BYTES > w->alloc)) {
    w->alloc = MAX (w->alloc * 2, w->len + MAX_EVENT_BYTES);
    w->data = g_realloc (w->data, w->alloc);
  }
  p = w->data + w->len;
  *p++ = ev->kind;
  p = put_varint (p, zigzag ((gint64) (ev->ts - w->last_ts)));
  p = put_varint (p, zigzag ((gint64) (ev->obj - w->last_obj)));
  w->last_ts = ev->ts;
  w->last_obj = ev->obj;
  if (memtrace_event_has_stack (ev->kind))
    p = put_varint (p, ev->stack);
  for (i = 0; i < n; i++)
    p = put_varint (p, ev->args[i]);
  if (memtrace_event_has_list (ev->kind)) {
    guint n_list = MIN (ev->n_list, MEMTRACE_EVENT_MAX_LIST);

    p = put_varint (p, n_list);
    for (i = 0; i < n_list; i++)
      p = put_varint (p, ev->list[i]);
  }
  if (memtrace_event_has_text (ev->kind)) {
    guint len = MIN (ev->text_len, MEMTRACE_EVENT_MAX_TEXT);

    p = put_varint (p, len);
    memcpy (p, ev->text, len);
    p += len;
  }
  w->len = p - w->data;
  w->n_events++;
}

void
memtrace_block_reader_init (MemTraceBlockReader * r, const guint8 * data,
    gsize len)
{
  r->pos = data;
  /* An empty blob is NULL: no arithmetic on it. */
  r->end = data ? data + len : data;
  r->last_ts = 0;
  r->last_obj = 0;
}

static gboolean
get_varint (MemTraceBlockReader * r, guint64 * v)
{
  guint shift = 0;

  *v = 0;
  while (r->pos < r->end && shift < 64) {
    guint8 b = *r->pos++;

    *v |= (guint64) (b & 0x7f) << shift;
    if (!(b & 0x80))
      return TRUE;
    shift += 7;
  }
  return FALSE;
}

static gboolean
read_tail (MemTraceBlockReader * r, MemTraceEvent * ev)
{
  guint64 v;
  guint i;

  ev->n_list = 0;
  ev->text_len = 0;
  ev->text[0] = '\0';
  if (memtrace_event_has_list (ev->kind)) {
    if (!get_varint (r, &v) || v > MEMTRACE_EVENT_MAX_LIST)
      return FALSE;
    ev->n_list = v;
    for (i = 0; i < ev->n_list; i++)
      if (!get_varint (r, &ev->list[i]))
        return FALSE;
  }
  if (memtrace_event_has_text (ev->kind)) {
    if (!get_varint (r, &v) || v > MEMTRACE_EVENT_MAX_TEXT
        || v > (guint64) (r->end - r->pos))
      return FALSE;
    memcpy (ev->text, r->pos, v);
    ev->text[v] = '\0';
    ev->text_len = v;
    r->pos += v;
  }
  return TRUE;
}

gboolean
memtrace_block_next (MemTraceBlockReader * r, MemTraceEvent * ev,
    gboolean * corrupt)
{
  guint64 v;
  guint i, n;

  *corrupt = FALSE;
  if (r->pos >= r->end)
    return FALSE;
  ev->kind = *r->pos++;
  if (ev->kind == MEMTRACE_EV_NONE || ev->kind >= MEMTRACE_EV_LAST)
    goto corrupt;
  if (!get_varint (r, &v))
    goto corrupt;
  ev->ts = r->last_ts += unzigzag (v);
  if ((gint64) ev->ts > MEMTRACE_TS_LIMIT
      || (gint64) ev->ts < -MEMTRACE_TS_LIMIT)
    goto corrupt;
  if (!get_varint (r, &v))
    goto corrupt;
  ev->obj = r->last_obj += unzigzag (v);
  ev->stack = 0;
  if (memtrace_event_has_stack (ev->kind)) {
    if (!get_varint (r, &v))
      goto corrupt;
    ev->stack = v;
  }
  n = memtrace_event_n_args (ev->kind);
  for (i = 0; i < n; i++)
    if (!get_varint (r, &ev->args[i]))
      goto corrupt;
  if (!read_tail (r, ev))
    goto corrupt;
  return TRUE;

corrupt:
  *corrupt = TRUE;
  return FALSE;
}
