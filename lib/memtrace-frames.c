/* gst-memtrace: stacks as symbolised frames, for the analyses. */
#include <string.h>
#include "memtrace-frames.h"
#include "memtrace-sql.h"

struct _MemTraceFrames
{
  sqlite3 *db;
  sqlite3_stmt *select;
  GHashTable *stacks;           /* stack id -> GPtrArray of MemTraceFrame */
  GPtrArray *empty;
};

static void
frame_free (gpointer p)
{
  MemTraceFrame *f = p;

  g_free (f->function);
  g_free (f->file);
  g_free (f->module);
  g_free (f);
}

MemTraceFrames *
memtrace_frames_new (sqlite3 * db)
{
  MemTraceFrames *f = g_new0 (MemTraceFrames, 1);

  f->db = db;
  f->stacks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      (GDestroyNotify) g_ptr_array_unref);
  f->empty = g_ptr_array_new ();
  sqlite3_prepare_v2 (db, "SELECT f.address, s.function, s.file, s.line, "
      "m.path FROM frames f LEFT JOIN symbols s ON s.address = f.address "
      "LEFT JOIN modules m ON m.id = s.module WHERE f.stack = ? "
      "ORDER BY f.depth", -1, &f->select, NULL);
  return f;
}

void
memtrace_frames_free (MemTraceFrames * f)
{
  if (!f)
    return;
  sqlite3_finalize (f->select);
  g_hash_table_unref (f->stacks);
  g_ptr_array_unref (f->empty);
  g_free (f);
}

static GPtrArray *
load (MemTraceFrames * f, gint64 stack_id)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func (frame_free);

  if (!f->select)
    return frames;
  sqlite3_bind_int64 (f->select, 1, stack_id);
  while (sqlite3_step (f->select) == SQLITE_ROW) {
    MemTraceFrame *fr = g_new0 (MemTraceFrame, 1);

    fr->address = (guint64) sqlite3_column_int64 (f->select, 0);
    fr->function = memtrace_sql_column_text (f->select, 1);
    fr->file = memtrace_sql_column_text (f->select, 2);
    fr->line = sqlite3_column_int (f->select, 3);
    fr->module = memtrace_sql_column_text (f->select, 4);
    g_ptr_array_add (frames, fr);
  }
  sqlite3_reset (f->select);
  return frames;
}

GPtrArray *
memtrace_frames_get (MemTraceFrames * f, gint64 stack_id)
{
  GPtrArray *frames;

  if (stack_id <= 0)
    return f->empty;
  frames = g_hash_table_lookup (f->stacks, &stack_id);
  if (!frames) {
    frames = load (f, stack_id);
    g_hash_table_insert (f->stacks, g_memdup2 (&stack_id, sizeof (stack_id)),
        frames);
  }
  return frames;
}

gboolean
memtrace_frame_is_runtime (const MemTraceFrame * frame)
{
  static const gchar *const runtime[] = {
    "/libgstreamer-1.0.so", "/libglib-2.0.so", "/libgobject-2.0.so",
    "/libgthread-2.0.so", "/libc.so", "/libpthread.so", "/ld-linux",
    "/libunwind", "/libgstmemtrace.so", NULL
  };
  guint i;

  if (!frame->module)
    return FALSE;
  for (i = 0; runtime[i]; i++)
    if (strstr (frame->module, runtime[i]))
      return TRUE;
  return FALSE;
}

const MemTraceFrame *
memtrace_frames_site (MemTraceFrames * f, gint64 stack_id)
{
  GPtrArray *frames = memtrace_frames_get (f, stack_id);
  const MemTraceFrame *outside = NULL;
  guint i;

  for (i = 0; i < frames->len; i++) {
    const MemTraceFrame *fr = g_ptr_array_index (frames, i);

    if (memtrace_frame_is_runtime (fr))
      continue;
    /* An inline from a system header (gst_buffer_ref ()) names no site. */
    if (fr->file && !g_str_has_prefix (fr->file, "/usr/include/"))
      return fr;
    if (!outside)
      outside = fr;
  }
  if (outside)
    return outside;
  return frames->len ? g_ptr_array_index (frames, 0) : NULL;
}

gboolean
memtrace_frame_is_tracer (const MemTraceFrame * frame)
{
  return frame->module && strstr (frame->module, "/libgstmemtrace.so");
}

const gchar *
memtrace_frame_module_name (const MemTraceFrame * frame)
{
  const gchar *slash = frame->module ? strrchr (frame->module, '/') : NULL;

  return slash ? slash + 1 : frame->module;
}

gchar *
memtrace_frame_describe (const MemTraceFrame * fr)
{
  const gchar *mod = memtrace_frame_module_name (fr);

  if (fr->function && fr->file)
    return g_strdup_printf ("%s (%s:%u)", fr->function, fr->file, fr->line);
  if (fr->function)
    return g_strdup_printf ("%s (%s)", fr->function, mod ? mod : "?");
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "x (%s)", fr->address,
      mod ? mod : "?");
}

gchar *
memtrace_frame_describe_site (const MemTraceFrame * site)
{
  return site ? memtrace_frame_describe (site) : g_strdup ("(no stack)");
}
