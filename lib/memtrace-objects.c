/* gst-memtrace: single objects: finding them, and their whole history.
 *
 * For the viewer's Objects screen: every query here is by an indexed key
 * (an id, a type, an object's events) except a search by address, which
 * scans the objects once. */
#include <string.h>
#include "memtrace-objects.h"
#include "memtrace-sql.h"
#include "memtrace-error.h"

#define OBJECT_SELECT \
  "SELECT o.id, t.name, n.name, o.address, o.ts, o.destroyed, o.thread, " \
  "o.stack, a.state, m.size FROM objects o " \
  "LEFT JOIN types t ON t.id = o.type LEFT JOIN names n ON n.obj = o.id " \
  "LEFT JOIN alive a ON a.obj = o.id LEFT JOIN memories m ON m.obj = o.id "

/* These queries are no analysis: their failures are plain SQL errors. */
typedef struct
{
  MemTraceQuery sql;
  GHashTable *names;            /* id -> "element:pad" or name */
} Query;

static sqlite3_stmt *
prepare (Query * q, const gchar * sql)
{
  return memtrace_query_prepare (&q->sql, sql);
}

static void
read_object (sqlite3_stmt * st, MemTraceObject * o)
{
  o->id = sqlite3_column_int64 (st, 0);
  o->type = memtrace_sql_column_text (st, 1);
  o->name = memtrace_sql_column_text (st, 2);
  o->address = (guint64) sqlite3_column_int64 (st, 3);
  o->created_ts = sqlite3_column_int64 (st, 4);
  o->destroyed_ts = sqlite3_column_type (st, 5) == SQLITE_NULL ? -1 :
      sqlite3_column_int64 (st, 5);
  o->thread = sqlite3_column_int64 (st, 6);
  o->stack_id = sqlite3_column_int64 (st, 7);
  o->alive_state = sqlite3_column_int (st, 8);
  o->size = sqlite3_column_type (st, 9) == SQLITE_NULL ? -1 :
      sqlite3_column_int64 (st, 9);
}

void
memtrace_object_clear (MemTraceObject * o)
{
  g_free (o->type);
  g_free (o->name);
}

static void
object_clear (gpointer p)
{
  memtrace_object_clear (p);
}

static GArray *
objects_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (MemTraceObject));

  g_array_set_clear_func (a, object_clear);
  return a;
}

/* Steps st to its end (or limit rows), adding each object. */
static gboolean
collect (Query * q, sqlite3_stmt * st, GArray * out, guint limit,
    gboolean * more)
{
  gint rc;

  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    MemTraceObject o = { 0, };

    if (out->len >= limit) {
      if (more)
        *more = TRUE;
      rc = SQLITE_DONE;
      break;
    }
    read_object (st, &o);
    g_array_append_val (out, o);
  }
  return memtrace_query_finish (&q->sql, st, rc);
}

/* The objects that match where, in id order. */
static sqlite3_stmt *
prepare_objects (Query * q, const gchar * where)
{
  gchar *sql = g_strconcat (OBJECT_SELECT, where, " ORDER BY o.id", NULL);
  sqlite3_stmt *st = prepare (q, sql);

  g_free (sql);
  return st;
}

static gboolean
find_by_int (Query * q, const gchar * where, gint64 v, GArray * out,
    guint limit, gboolean * more)
{
  sqlite3_stmt *st = prepare_objects (q, where);

  if (!st)
    return FALSE;
  sqlite3_bind_int64 (st, 1, v);
  return collect (q, st, out, limit, more);
}

static gboolean
find_by_type (Query * q, const gchar * type, GArray * out, guint limit,
    gboolean * more)
{
  const gchar *const wheres[] = {
    "WHERE o.type IN (SELECT id FROM types WHERE name = ?1)",
    "WHERE o.type IN (SELECT id FROM types WHERE name LIKE '%' || ?1 || '%')",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (wheres) && !out->len; i++) {
    sqlite3_stmt *st = prepare_objects (q, wheres[i]);

    if (!st)
      return FALSE;
    sqlite3_bind_text (st, 1, type, -1, SQLITE_TRANSIENT);
    if (!collect (q, st, out, limit, more))
      return FALSE;
  }
  return TRUE;
}

static gboolean
parse_int (const gchar * s, guint base, gint64 * v)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (s, base, 0, G_MAXUINT64, &n, NULL))
    return FALSE;
  *v = (gint64) n;
  return TRUE;
}

GArray *
memtrace_objects_find (MemTraceTrace * t, const gchar * query, guint limit,
    gboolean * more, GError ** error)
{
  Query q = { {NULL,}, NULL };
  GArray *out = objects_new ();
  gchar *s = g_strstrip (g_strdup (query ? query : ""));
  gboolean ok;
  gint64 v;

  memtrace_query_init (&q.sql, t, NULL, error);
  if (more)
    *more = FALSE;
  if (g_str_has_prefix (s, "0x") && parse_int (s + 2, 16, &v))
    ok = find_by_int (&q, "WHERE o.address = ?1", v, out, limit, more);
  else if (parse_int (s[0] == '#' ? s + 1 : s, 10, &v))
    ok = find_by_int (&q, "WHERE o.id = ?1", v, out, limit, more);
  else
    ok = find_by_type (&q, s, out, limit, more);
  g_free (s);
  if (!ok) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}

/* "element:pad" for a pad, the plain name for anything else, "#id" for
 * an object without a name.  Cached: a history names the same pads often. */
static const gchar *
name_of (Query * q, gint64 id)
{
  sqlite3_stmt *st;
  gchar *name = NULL;

  if (!id)
    return "?";
  if ((name = g_hash_table_lookup (q->names, &id)))
    return name;
  st = prepare (q, "SELECT n.name, p.name, pt.name FROM names n "
      "LEFT JOIN names p ON p.obj = n.parent "
      "LEFT JOIN objects o ON o.id = n.obj "
      "LEFT JOIN types pt ON pt.id = o.type WHERE n.obj = ?");
  if (st) {
    sqlite3_bind_int64 (st, 1, id);
    if (sqlite3_step (st) == SQLITE_ROW && sqlite3_column_text (st, 0)) {
      const gchar *own = (const gchar *) sqlite3_column_text (st, 0);
      const gchar *parent = (const gchar *) sqlite3_column_text (st, 1);
      const gchar *type = (const gchar *) sqlite3_column_text (st, 2);
      gboolean pad = type && g_str_has_suffix (type, "Pad");

      name = pad ? g_strdup_printf ("%s:%s", parent ? parent : "?", own) :
          g_strdup (own);
    }
    sqlite3_finalize (st);
  }
  if (!name)
    name = g_strdup_printf ("#%" G_GINT64_FORMAT, id);
  g_hash_table_insert (q->names, g_memdup2 (&id, sizeof (id)), name);
  return name;
}

static gchar *
describe (Query * q, const MemTraceObjectEvent * e)
{
  switch (e->kind) {
    case MEMTRACE_EV_CREATED:
      return g_strdup ("created");
    case MEMTRACE_EV_DESTROYED:
      return g_strdup ("destroyed");
    case MEMTRACE_EV_REF:
      return g_strdup_printf ("ref -> %" G_GINT64_FORMAT, e->a);
    case MEMTRACE_EV_UNREF:
      return g_strdup_printf ("unref -> %" G_GINT64_FORMAT, e->a);
    case MEMTRACE_EV_POOL_ACQUIRE:
      return g_strdup_printf ("acquired from %s", name_of (q, e->a));
    case MEMTRACE_EV_POOL_RELEASE:
      return g_strdup_printf ("released to %s", name_of (q, e->a));
    case MEMTRACE_EV_POOL_ALLOC:
      return g_strdup_printf ("made by %s", name_of (q, e->a));
    case MEMTRACE_EV_POOL_WAIT:
      return g_strdup_printf ("waited %" G_GINT64_FORMAT " ns for a free "
          "buffer", e->a);
    case MEMTRACE_EV_PAD_PUSH:
      return g_strdup_printf ("pushed %s -> %s", name_of (q, e->a),
          e->b ? name_of (q, e->b) : "?");
    case MEMTRACE_EV_PAD_PULL:
      return g_strdup_printf ("pulled by %s from %s", name_of (q, e->a),
          e->b ? name_of (q, e->b) : "?");
    case MEMTRACE_EV_LINK:
      return g_strdup_printf ("added to %s", name_of (q, e->a));
    case MEMTRACE_EV_ALIVE:
      return g_strdup_printf ("%s (refcount %" G_GINT64_FORMAT ")",
          e->b == MEMTRACE_ALIVE_AT_DEINIT ? "leaked: alive after "
          "gst_deinit()" : e->b == MEMTRACE_ALIVE_AT_EXIT ? "alive at exit "
          "(gst_deinit() never ran)" : "alive at the end", e->a);
    default:
      return g_strdup (memtrace_event_kind_name (e->kind));
  }
}

static void
event_clear (gpointer p)
{
  g_free (((MemTraceObjectEvent *) p)->what);
}

static void
add_event (Query * q, GArray * events, MemTraceObjectEvent * e)
{
  e->what = describe (q, e);
  g_array_append_val (events, *e);
}

static gboolean
load_events (Query * q, MemTraceObjectHistory * h)
{
  const MemTraceObject *o = &h->object;
  MemTraceObjectEvent created = { o->created_ts, MEMTRACE_EV_CREATED,
    o->thread, o->stack_id, 0, 0, NULL
  };
  sqlite3_stmt *st = prepare (q, "SELECT ts, kind, thread, stack, a, b "
      "FROM events WHERE obj = ? ORDER BY ts, rowid");
  gint rc;

  if (!st)
    return FALSE;
  add_event (q, h->events, &created);
  sqlite3_bind_int64 (st, 1, o->id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    MemTraceObjectEvent e = { sqlite3_column_int64 (st, 0),
      sqlite3_column_int (st, 1), sqlite3_column_int64 (st, 2),
      sqlite3_column_int64 (st, 3), sqlite3_column_int64 (st, 4),
      sqlite3_column_int64 (st, 5), NULL
    };

    add_event (q, h->events, &e);
  }
  return memtrace_query_finish (&q->sql, st, rc);
}

static gboolean
load_alive (Query * q, MemTraceObjectHistory * h, gint64 end_ts)
{
  sqlite3_stmt *st = prepare (q, "SELECT refcount, state FROM alive "
      "WHERE obj = ?");

  if (!st)
    return FALSE;
  sqlite3_bind_int64 (st, 1, h->object.id);
  if (sqlite3_step (st) == SQLITE_ROW) {
    MemTraceObjectEvent e = { end_ts, MEMTRACE_EV_ALIVE, 0, 0,
      sqlite3_column_int64 (st, 0), sqlite3_column_int64 (st, 1), NULL
    };

    add_event (q, h->events, &e);
  }
  sqlite3_finalize (st);
  return TRUE;
}

/* The objects whose ids a query on ?1 returns. */
static gboolean
load_related (Query * q, const gchar * ids_sql, gint64 id, GArray * out)
{
  gchar *where = g_strconcat ("WHERE o.id IN (", ids_sql, ")", NULL);
  gboolean ok = find_by_int (q, where, id, out, G_MAXUINT, NULL);

  g_free (where);
  return ok;
}

static gboolean
load_parent (Query * q, MemTraceObjectHistory * h)
{
  sqlite3_stmt *st = prepare (q, "SELECT parent FROM names WHERE obj = ?");

  if (!st)
    return FALSE;
  sqlite3_bind_int64 (st, 1, h->object.id);
  if (sqlite3_step (st) == SQLITE_ROW && sqlite3_column_int64 (st, 0))
    h->parent = g_strdup (name_of (q, sqlite3_column_int64 (st, 0)));
  sqlite3_finalize (st);
  return TRUE;
}

static gboolean
find_one (Query * q, gint64 id, MemTraceObject * o)
{
  GArray *found = objects_new ();
  gboolean ok = find_by_int (q, "WHERE o.id = ?1", id, found, 1, NULL);

  if (ok && !found->len) {
    g_set_error (q->sql.error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
        "no object #%" G_GINT64_FORMAT, id);
    ok = FALSE;
  }
  if (ok) {
    *o = g_array_index (found, MemTraceObject, 0);
    /* Moved out: the array must not free its strings. */
    g_array_set_clear_func (found, NULL);
  }
  g_array_unref (found);
  return ok;
}

static gint64
end_of_recording (MemTraceTrace * t, const MemTraceObjectHistory * h)
{
  gint64 end = memtrace_trace_meta_int (t, "end_ts", 0);
  guint i;

  for (i = 0; i < h->events->len; i++)
    end = MAX (end, g_array_index (h->events, MemTraceObjectEvent, i).ts);
  return end;
}

MemTraceObjectHistory *
memtrace_objects_history (MemTraceTrace * t, gint64 id, GError ** error)
{
  Query q = { {NULL,}, NULL };
  MemTraceObjectHistory *h = g_new0 (MemTraceObjectHistory, 1);
  gboolean ok;

  memtrace_query_init (&q.sql, t, NULL, error);
  q.names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      g_free);
  h->events = g_array_new (FALSE, TRUE, sizeof (MemTraceObjectEvent));
  g_array_set_clear_func (h->events, event_clear);
  h->holds = objects_new ();
  h->held_by = objects_new ();
  ok = find_one (&q, id, &h->object) && load_events (&q, h)
      && load_alive (&q, h, end_of_recording (t, h)) && load_parent (&q, h)
      && load_related (&q, "SELECT held FROM holds WHERE holder = ?1 "
      "UNION SELECT memory FROM buffer_memories WHERE buffer = ?1", id,
      h->holds)
      && load_related (&q, "SELECT holder FROM holds WHERE held = ?1 "
      "UNION SELECT buffer FROM buffer_memories WHERE memory = ?1", id,
      h->held_by);
  g_hash_table_unref (q.names);
  if (!ok) {
    memtrace_object_history_free (h);
    return NULL;
  }
  return h;
}

void
memtrace_object_history_free (MemTraceObjectHistory * h)
{
  if (!h)
    return;
  memtrace_object_clear (&h->object);
  g_free (h->parent);
  g_array_unref (h->events);
  g_array_unref (h->holds);
  g_array_unref (h->held_by);
  g_free (h);
}
