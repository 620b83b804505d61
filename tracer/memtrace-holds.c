/* gst-memtrace: what an object still alive at the end holds.
 *
 * For root causes: a leaked object kept alive only by another leaked one is
 * that one's "held" object, not a leak of its own. */
#include <string.h>
#include "memtrace-holds.h"
#include "memtrace-hooks.h"
#include "memtrace-record.h"

typedef struct
{
  guint64 ids[MEMTRACE_EVENT_MAX_LIST];
  guint n;
} Held;

static void
hold (Held * h, gconstpointer obj)
{
  guint64 id = obj ? memtrace_hooks_id (obj) : 0;
  guint i;

  if (!id || h->n == MEMTRACE_EVENT_MAX_LIST)
    return;
  for (i = 0; i < h->n; i++)
    if (h->ids[i] == id)
      return;
  h->ids[h->n++] = id;
}

static void hold_structure (Held * h, const GstStructure * s);

/* Any object or boxed value may be one we track: a live structure or
 * segment can never share an address with a live tracked object. */
static void
hold_value (Held * h, const GValue * v)
{
  GType type = G_VALUE_TYPE (v);
  guint i;

  if (type == GST_TYPE_ARRAY) {
    for (i = 0; i < gst_value_array_get_size (v); i++)
      hold_value (h, gst_value_array_get_value (v, i));
  } else if (type == GST_TYPE_LIST) {
    for (i = 0; i < gst_value_list_get_size (v); i++)
      hold_value (h, gst_value_list_get_value (v, i));
  } else if (type == GST_TYPE_STRUCTURE) {
    hold_structure (h, gst_value_get_structure (v));
  } else if (G_TYPE_IS_BOXED (type)) {
    hold (h, g_value_get_boxed (v));
  } else if (g_type_is_a (type, G_TYPE_OBJECT)) {
    hold (h, g_value_get_object (v));
  }
}

static gboolean
hold_field (GQuark field, const GValue * v, gpointer h)
{
  hold_value (h, v);
  return TRUE;
}

static void
hold_structure (Held * h, const GstStructure * s)
{
  if (s)
    gst_structure_foreach (s, hold_field, h);
}

static void
hold_allocation_pools (Held * h, GstQuery * q)
{
  guint i;

  for (i = 0; i < gst_query_get_n_allocation_pools (q); i++) {
    GstBufferPool *pool = NULL;

    gst_query_parse_nth_allocation_pool (q, i, &pool, NULL, NULL, NULL);
    hold (h, pool);
    if (pool)
      gst_object_unref (pool);
  }
}

static void
hold_mini_object (Held * h, GstMiniObject * obj)
{
  guint i;

  if (obj->type == GST_TYPE_SAMPLE) {
    hold (h, gst_sample_get_buffer (GST_SAMPLE_CAST (obj)));
    hold (h, gst_sample_get_caps (GST_SAMPLE_CAST (obj)));
    hold (h, gst_sample_get_buffer_list (GST_SAMPLE_CAST (obj)));
  } else if (obj->type == GST_TYPE_BUFFER_LIST) {
    GstBufferList *l = GST_BUFFER_LIST_CAST (obj);

    for (i = 0; i < gst_buffer_list_length (l); i++)
      hold (h, gst_buffer_list_get (l, i));
  } else if (obj->type == GST_TYPE_MESSAGE) {
    hold (h, GST_MESSAGE_SRC (obj));
    hold_structure (h, gst_message_get_structure (GST_MESSAGE_CAST (obj)));
  } else if (obj->type == GST_TYPE_EVENT) {
    hold_structure (h, gst_event_get_structure (GST_EVENT_CAST (obj)));
  } else if (obj->type == GST_TYPE_QUERY) {
    hold_structure (h, gst_query_get_structure (GST_QUERY_CAST (obj)));
    if (GST_QUERY_TYPE (obj) == GST_QUERY_ALLOCATION)
      hold_allocation_pools (h, GST_QUERY_CAST (obj));
  }
}

static void
hold_gst_object (Held * h, GstObject * obj)
{
  if (GST_IS_ELEMENT (obj)) {
    hold (h, GST_ELEMENT_BUS (obj));
    hold (h, GST_ELEMENT_CLOCK (obj));
    if (GST_IS_BIN (obj))
      hold (h, GST_BIN_CAST (obj)->child_bus);
  } else if (GST_IS_BUFFER_POOL (obj)) {
    GstStructure *config = gst_buffer_pool_get_config (GST_BUFFER_POOL (obj));

    hold_structure (h, config);
    gst_structure_free (config);
  }
}

void
memtrace_holds_record (MemTraceRing * ring, guint64 ts, guint64 id,
    gpointer obj, gboolean is_gstobject)
{
  MemTraceEvent ev = { 0, };
  Held h = { {0}, 0 };

  /* Copying a pool's config refs its caps: not an event of the app's. */
  ring->in_tracer++;
  if (is_gstobject)
    hold_gst_object (&h, obj);
  else
    hold_mini_object (&h, obj);
  ring->in_tracer--;
  if (!h.n)
    return;
  ev.kind = MEMTRACE_EV_HOLDS;
  ev.ts = ts;
  ev.obj = id;
  ev.n_list = h.n;
  memcpy (ev.list, h.ids, h.n * sizeof (guint64));
  memtrace_record (ring, &ev);
}
