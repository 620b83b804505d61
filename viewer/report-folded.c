/* gst-memtrace: folded stacks, for flamegraph.pl, inferno and speedscope.
 *
 * One line per distinct stack: "outer;...;inner COUNT", the outermost frame
 * (the root, _start or the thread's start) first.  A frame is its function
 * name, or "module@0xADDRESS" when it has none ("0xADDRESS" without a
 * module); spaces, semicolons and control characters in names become '_'.
 * The tracer's own frames (its hooks, and the wrappers it puts around
 * pool and allocator methods) are left out.  Lines are sorted, and
 * identical stacks merged.
 *
 * --cost (o->cost):
 *   leaked       leaked objects per leak group's stack: the roots and all
 *                they hold (a sample, its buffer and its memory are 3), at
 *                the root's creation stack, or for a pooled buffer its last
 *                acquire stack.  Unsuppressed groups only: the counts add up
 *                to the report's leaked_objects.  Objects rather than bytes
 *                because many leaks (elements, pads, caps, events) hold no
 *                payload and would not show at all.
 *   allocations  objects created per creation stack, over the whole trace;
 *   bytes        payload bytes created per creation stack;
 *   peak         payload bytes alive at the peak per creation stack:
 *                these need per-stack totals from lib/ (see
 *                STACK_TOTALS below), and fail with an error until then. */
#include <string.h>
#include "report-formats.h"
#include "memtrace-error.h"

typedef struct
{
  MemTraceReport *r;
  GHashTable *lines;            /* folded stack -> gint64 * count */
} Folded;

static void
append_name (GString * out, const gchar * s)
{
  const gchar *p;

  for (p = s; *p; p++)
    g_string_append_c (out, (guchar) * p <= ' ' || *p == ';' || *p == 0x7f ?
        '_' : *p);
}

static void
append_frame (GString * out, const MemTraceFrame * f)
{
  gchar *valid;
  const gchar *mod;
  gchar *addr;

  if (f->function && *f->function) {
    valid = g_utf8_make_valid (f->function, -1);
    append_name (out, valid);
    g_free (valid);
    return;
  }
  mod = memtrace_frame_module_name (f);
  if (mod && *mod) {
    valid = g_utf8_make_valid (mod, -1);
    append_name (out, valid);
    g_string_append_c (out, '@');
    g_free (valid);
  }
  addr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", f->address);
  g_string_append (out, addr);
  g_free (addr);
}

/* "outer;...;inner", or "[no stack]". */
static gchar *
fold_stack (MemTraceReport * r, gint64 stack_id)
{
  GPtrArray *frames = memtrace_frames_get (r->frames, stack_id);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = frames->len; i-- > 0;) {
    const MemTraceFrame *fr = g_ptr_array_index (frames, i);

    if (memtrace_frame_is_tracer (fr))
      continue;
    if (out->len)
      g_string_append_c (out, ';');
    append_frame (out, fr);
  }
  if (!out->len)
    g_string_append (out, "[no_stack]");
  return g_string_free (out, FALSE);
}

static void
folded_add (Folded * f, gint64 stack_id, gint64 count)
{
  gchar *key;
  gint64 *total;

  if (count <= 0)
    return;
  key = fold_stack (f->r, stack_id);
  total = g_hash_table_lookup (f->lines, key);
  if (total) {
    *total += count;
    g_free (key);
  } else {
    total = g_new (gint64, 1);
    *total = count;
    g_hash_table_insert (f->lines, key, total);
  }
}

static void
add_leaks (Folded * f)
{
  GPtrArray *groups = f->r->leaks->groups;
  guint i;

  for (i = 0; i < groups->len; i++) {
    MemTraceLeakGroup *g = g_ptr_array_index (groups, i);

    if (!g->suppressed_by)
      folded_add (f, memtrace_leak_group_site_stack (g),
          memtrace_leak_group_all_objects (g));
  }
}

static void
write_lines (Folded * f, FILE * out)
{
  GList *keys = g_list_sort (g_hash_table_get_keys (f->lines),
      (GCompareFunc) strcmp), *k;

  for (k = keys; k; k = k->next)
    fprintf (out, "%s %" G_GINT64_FORMAT "\n", (const gchar *) k->data,
        *(gint64 *) g_hash_table_lookup (f->lines, k->data));
  g_list_free (keys);
}

/* Objects (allocations) or payload bytes per creation stack, over the
 * whole recording or alive at the peak. */
static gboolean
add_totals (Folded * f, const MemTraceFormatOptions * o, GError ** error)
{
  gint64 at = o->cost == MEMTRACE_COST_PEAK ? f->r->peak_ts : -1;
  GArray *totals = memtrace_stack_totals (o->trace, at, error);
  guint i;

  if (!totals)
    return FALSE;
  for (i = 0; i < totals->len; i++) {
    MemTraceStackTotal *t = &g_array_index (totals, MemTraceStackTotal, i);
    gint64 count = o->cost == MEMTRACE_COST_ALLOCATIONS ? t->objects :
        t->bytes;

    if (count > 0)
      folded_add (f, t->stack_id, count);
  }
  g_array_unref (totals);
  return TRUE;
}

gboolean
memtrace_report_write_folded (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error)
{
  Folded f = { r, g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
          g_free)
  };

  switch (o->cost) {
    case MEMTRACE_COST_LEAKED:
      add_leaks (&f);
      break;
    case MEMTRACE_COST_ALLOCATIONS:
    case MEMTRACE_COST_BYTES:
    case MEMTRACE_COST_PEAK:
      if (!add_totals (&f, o, error)) {
        g_hash_table_unref (f.lines);
        return FALSE;
      }
      break;
  }
  write_lines (&f, out);
  g_hash_table_unref (f.lines);
  return TRUE;
}
