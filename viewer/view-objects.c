/* gst-memtrace view: the Objects screen: find objects by id, address or
 * type, and one object's whole history.  Both are queries on demand, so
 * they run as jobs, off the input path. */
#include "view-app.h"
#include "memtrace-objects.h"

#define FIND_LIMIT 5000

typedef struct
{
  ViewTable *table;
  GArray *found;                /* MemTraceObject */
  gboolean more;
  gchar *query;
  ViewText *history;
  gint64 history_id;            /* 0: the list */
  guint job;                    /* pending, 0 if none */
  gchar *error;
} Objects;

typedef struct
{
  GArray *objects;
  gboolean more;
} Found;

static const ViewColumn columns[] = {
  {"Id", 9, TRUE},
  {"Type", 20, FALSE},
  {"Name", 14, FALSE},
  {"Created", 11, TRUE},
  {"Ended", 13, TRUE},
  {"Address", 0, FALSE},
};

static gint
by_type (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (((const MemTraceObject *) a)->type,
      ((const MemTraceObject *) b)->type);
}

static gint
by_alive (gconstpointer a, gconstpointer b)
{
  const MemTraceObject *oa = a, *ob = b;

  return (oa->destroyed_ts >= 0) - (ob->destroyed_ts >= 0);
}

static const ViewSort sorts[] = {
  {"id", NULL},
  {"type", by_type},
  {"alive first", by_alive},
};

static gchar *
ended (const MemTraceObject * o)
{
  if (o->destroyed_ts >= 0)
    return view_seconds (o->destroyed_ts);
  if (o->alive_state == 1)
    return g_strdup ("leaked");
  return g_strdup (o->alive_state == 2 ? "alive at exit" : "alive");
}

static gchar *
cell (gpointer row, guint column, gpointer user_data)
{
  const MemTraceObject *o = row;

  switch (column) {
    case 0:
      return g_strdup_printf ("#%" G_GINT64_FORMAT, o->id);
    case 1:
      return g_strdup (o->type ? o->type : "?");
    case 2:
      return g_strdup (o->name ? o->name : "");
    case 3:
      return view_seconds (o->created_ts);
    case 4:
      return ended (o);
    default:
      return g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", o->address);
  }
}

/* Jobs, in a thread of their own */

static gpointer
find_job (MemTraceTrace * t, gpointer arg, GError ** error)
{
  Found *f = g_new0 (Found, 1);

  f->objects = memtrace_objects_find (t, arg, FIND_LIMIT, &f->more, error);
  if (!f->objects) {
    g_free (f);
    return NULL;
  }
  return f;
}

static void
found_free (gpointer p)
{
  Found *f = p;

  g_array_unref (f->objects);
  g_free (f);
}

static void
add_related (ViewText * t, const gchar * title, GArray * objects)
{
  guint i;

  for (i = 0; i < objects->len; i++) {
    const MemTraceObject *o = &g_array_index (objects, MemTraceObject, i);

    view_text_add (t, VIEW_ATTR_NORMAL, o->id, "%s #%" G_GINT64_FORMAT " %s",
        title, o->id, o->type ? o->type : "?");
  }
}

static void
add_header (ViewText * t, const MemTraceObjectHistory * h)
{
  const MemTraceObject *o = &h->object;
  gchar *end = ended (o), *created = view_seconds (o->created_ts);

  view_text_add (t, VIEW_ATTR_TITLE, 0, "#%" G_GINT64_FORMAT " %s%s%s%s at "
      "0x%" G_GINT64_MODIFIER "x", o->id, o->type ? o->type : "?",
      o->name ? " \"" : "", o->name ? o->name : "", o->name ? "\"" : "",
      o->address);
  view_text_add (t, o->destroyed_ts < 0 && o->alive_state == 1 ?
      VIEW_ATTR_BAD : VIEW_ATTR_NORMAL, 0, "created at %s by thread %"
      G_GINT64_FORMAT "; %s%s", created, o->thread, o->destroyed_ts >= 0 ?
      "destroyed at " : "", end);
  if (h->parent)
    view_text_add (t, VIEW_ATTR_NORMAL, 0, "in %s", h->parent);
  if (o->size >= 0)
    view_text_add (t, VIEW_ATTR_NORMAL, 0, "payload: %" G_GINT64_FORMAT
        " bytes", o->size);
  add_related (t, "held by", h->held_by);
  add_related (t, "holds", h->holds);
  g_free (created);
  g_free (end);
}

static gpointer
history_job (MemTraceTrace * t, gpointer arg, GError ** error)
{
  MemTraceObjectHistory *h = memtrace_objects_history (t, *(gint64 *) arg,
      error);
  MemTraceFrames *frames;
  ViewText *text;
  guint i;

  if (!h)
    return NULL;
  frames = memtrace_frames_new (memtrace_trace_db (t));
  text = view_text_new ();
  add_header (text, h);
  view_text_blank (text);
  view_text_add (text, VIEW_ATTR_TITLE, 0, "History:");
  for (i = 0; i < h->events->len; i++) {
    const MemTraceObjectEvent *e = &g_array_index (h->events,
        MemTraceObjectEvent, i);
    gchar *ts = view_seconds (e->ts);

    view_text_add (text, e->kind == MEMTRACE_EV_ALIVE ? VIEW_ATTR_BAD :
        VIEW_ATTR_NORMAL, 0, "%12s  %s", ts, e->what);
    if (e->stack_id)
      view_add_stack_frames (text, frames, e->stack_id, "                ");
    g_free (ts);
  }
  memtrace_frames_free (frames);
  memtrace_object_history_free (h);
  return text;
}

/* The main thread's side */

static void
start_job (ViewScreen * s, ViewJobFunc func, gpointer arg,
    GDestroyNotify result_free)
{
  Objects *p = s->priv;

  g_clear_pointer (&p->error, g_free);
  p->job = view_data_run_job (view_app_data (s->app), func, arg, g_free,
      result_free);
}

static void
search (ViewScreen * s, const gchar * text)
{
  Objects *p = s->priv;

  g_free (p->query);
  p->query = g_strdup (text);
  p->history_id = 0;
  start_job (s, find_job, g_strdup (text), found_free);
}

void
view_objects_show (ViewScreen * s, gint64 id)
{
  Objects *p = s->priv;

  p->history_id = id;
  start_job (s, history_job, g_memdup2 (&id, sizeof (id)),
      (GDestroyNotify) view_text_free);
}

static void
take_found (ViewScreen * s, Found * f)
{
  Objects *p = s->priv;
  GPtrArray *rows = g_ptr_array_new ();
  guint i;

  for (i = 0; i < f->objects->len; i++)
    g_ptr_array_add (rows, &g_array_index (f->objects, MemTraceObject, i));
  view_table_set_filter (p->table, NULL);
  view_table_set_rows (p->table, rows);
  if (p->found)
    g_array_unref (p->found);
  p->found = g_array_ref (f->objects);
  p->more = f->more;
  found_free (f);
}

/* Takes a job's result once it is there. */
static void
poll_job (ViewScreen * s)
{
  Objects *p = s->priv;
  gpointer result = NULL;
  GError *error = NULL;

  if (!p->job || !view_data_take_job (view_app_data (s->app), p->job,
          &result, &error))
    return;
  p->job = 0;
  if (error) {
    p->error = g_strdup (error->message);
    g_error_free (error);
  } else if (p->history_id) {
    view_text_free (p->history);
    p->history = result;
  } else {
    take_found (s, result);
  }
}

static void
draw_list (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  Objects *p = s->priv;

  if (!p->query) {
    view_centered (y, x, h, w, VIEW_ATTR_DIM, "Press / to find objects: by "
        "id (123), by address (0x7f...) or by type (GstBuffer).\nEnter "
        "shows an object's whole history.");
    return;
  }
  view_putf (y + 1, x + 1, w - 2, VIEW_ATTR_TITLE, "%u object%s for \"%s\"%s",
      view_table_n_rows (p->table), view_table_n_rows (p->table) == 1 ? "" :
      "s", p->query, p->more ? " (the first ones only)" : "");
  view_table_draw (p->table, y + 3, x, h - 3, w);
}

static void
draw (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  Objects *p = s->priv;

  poll_job (s);
  if (p->job)
    view_centered (y, x, h, w, VIEW_ATTR_DIM, p->history_id ?
        "reading the object's history..." : "searching...");
  else if (p->error)
    view_centered (y, x, h, w, VIEW_ATTR_BAD, p->error);
  else if (p->history_id && p->history)
    view_text_draw (p->history, y + 1, x + 1, h - 1, w - 2);
  else
    draw_list (s, y, x, h, w);
}

static gboolean
key (ViewScreen * s, gint k)
{
  Objects *p = s->priv;
  const MemTraceObject *o;

  if (p->job)
    return FALSE;
  if (p->history_id || p->error) {
    if (view_key_is_back (k)) {
      p->history_id = 0;
      g_clear_pointer (&p->error, g_free);
      view_app_return (s->app);
    } else if (view_key_is_enter (k) && p->history
        && view_text_link (p->history))
      view_objects_show (s, view_text_link (p->history));
    else
      return p->history && view_text_key (p->history, k);
    return TRUE;
  }
  if (view_key_is_enter (k) && (o = view_table_selected (p->table))) {
    view_objects_show (s, o->id);
    return TRUE;
  }
  return view_table_key (p->table, k);
}

static const gchar *
keys (ViewScreen * s)
{
  return ((Objects *) s->priv)->history_id ? "Esc back  Enter follow" :
      "Enter history";
}

static ViewTable *
table (ViewScreen * s)
{
  Objects *p = s->priv;

  return p->history_id ? NULL : p->table;
}

static void
objects_free (ViewScreen * s)
{
  Objects *p = s->priv;

  view_table_free (p->table);
  if (p->found)
    g_array_unref (p->found);
  view_text_free (p->history);
  g_free (p->query);
  g_free (p->error);
  g_free (p);
}

ViewScreen *
view_objects_new (ViewApp * app)
{
  ViewScreen *s = g_new0 (ViewScreen, 1);
  Objects *p = g_new0 (Objects, 1);

  p->table = view_table_new (columns, G_N_ELEMENTS (columns), cell, s, sorts,
      G_N_ELEMENTS (sorts));
  s->name = "Objects";
  s->tab = "Objects";
  s->app = app;
  s->priv = p;
  s->draw = draw;
  s->key = key;
  s->keys = keys;
  s->table = table;
  s->search = search;
  s->search_prompt = "Find (id, 0xaddress or type): ";
  s->free = objects_free;
  return s;
}
