/* gst-memtrace: putting events into a ring, and reading them back out.
 *
 * A slot holds five args.  Whatever does not fit follows in extra slots as
 * raw 64-bit words: the remaining args, then for a list its length and ids,
 * then for a text its length and bytes. */
#include <string.h>
#include "memtrace-record.h"

#define MAX_EXTRA_WORDS (MEMTRACE_EVENT_MAX_ARGS + 2 + MEMTRACE_EVENT_MAX_LIST \
    + MEMTRACE_EVENT_MAX_TEXT / 8 + 1)

static gsize
pack_extra (const MemTraceEvent * ev, guint64 * words)
{
  guint n_args = memtrace_event_n_args (ev->kind);
  gsize n = 0;
  guint i;

  for (i = 5; i < n_args; i++)
    words[n++] = ev->args[i];
  if (memtrace_event_has_list (ev->kind)) {
    guint n_list = MIN (ev->n_list, MEMTRACE_EVENT_MAX_LIST);

    words[n++] = n_list;
    for (i = 0; i < n_list; i++)
      words[n++] = ev->list[i];
  }
  if (memtrace_event_has_text (ev->kind)) {
    guint len = MIN (ev->text_len, MEMTRACE_EVENT_MAX_TEXT);

    words[n++] = len;
    memcpy (&words[n], ev->text, len);
    n += (len + 7) / 8;
  }
  return n * sizeof (guint64);
}

void
memtrace_record (MemTraceRing * ring, const MemTraceEvent * ev)
{
  guint64 words[MAX_EXTRA_WORDS];
  gsize len = pack_extra (ev, words);
  guint extra = memtrace_ring_extra_slots (len);
  guint64 idx;
  MemTraceSlot *s = memtrace_ring_reserve (ring, 1 + extra, &idx);

  if (G_UNLIKELY (!s)) {
    memtrace_ring_count_drop (ring);
    return;
  }
  s->kind = ev->kind;
  s->n_extra = extra;
  s->stack = ev->stack;
  s->ts = ev->ts;
  s->obj = ev->obj;
  memcpy (s->args, ev->args, sizeof (s->args));
  if (extra)
    memtrace_ring_write_extra (ring, idx, words, len);
  memtrace_ring_commit (ring, 1 + extra);
}

static void
unpack_extra (MemTraceEvent * ev, const guint64 * words, gsize n_words)
{
  guint n_args = memtrace_event_n_args (ev->kind);
  gsize n = 0;
  guint i;

  for (i = 5; i < n_args && n < n_words; i++)
    ev->args[i] = words[n++];
  ev->n_list = 0;
  if (memtrace_event_has_list (ev->kind) && n < n_words) {
    ev->n_list = MIN (words[n], MEMTRACE_EVENT_MAX_LIST);
    n++;
    for (i = 0; i < ev->n_list && n < n_words; i++)
      ev->list[i] = words[n++];
  }
  ev->text_len = 0;
  if (memtrace_event_has_text (ev->kind) && n < n_words) {
    ev->text_len = MIN (words[n], MEMTRACE_EVENT_MAX_TEXT);
    n++;
    memcpy (ev->text, &words[n], MIN (ev->text_len, (n_words - n) * 8));
  }
  ev->text[ev->text_len] = '\0';
}

guint
memtrace_record_read (MemTraceRing * ring, guint64 index, MemTraceEvent * ev)
{
  const MemTraceSlot *s = memtrace_ring_slot (ring, index);
  guint64 words[MAX_EXTRA_WORDS];
  gsize len = MIN ((gsize) s->n_extra * sizeof (MemTraceSlot),
      sizeof (words));

  ev->kind = s->kind;
  ev->ts = s->ts;
  ev->obj = s->obj;
  ev->stack = s->stack;
  memcpy (ev->args, s->args, sizeof (s->args));
  ev->n_list = 0;
  ev->text_len = 0;
  ev->text[0] = '\0';
  if (s->n_extra && s->kind < MEMTRACE_EV_LAST) {
    memtrace_ring_read_extra (ring, index, words, len);
    unpack_extra (ev, words, len / sizeof (guint64));
  }
  return 1 + s->n_extra;
}
