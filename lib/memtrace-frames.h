/* gst-memtrace: stacks as symbolised frames, for the analyses. */
#ifndef __MEMTRACE_FRAMES_H__
#define __MEMTRACE_FRAMES_H__

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 address;
  gchar *function;              /* NULL if unknown */
  gchar *file;                  /* NULL if unknown */
  guint line;                   /* 0 if unknown */
  gchar *module;                /* path, NULL if unknown */
} MemTraceFrame;

/* A cache of resolved stacks for one trace: each stack read once. */
typedef struct _MemTraceFrames MemTraceFrames;

MemTraceFrames *memtrace_frames_new (sqlite3 * db);
void memtrace_frames_free (MemTraceFrames * f);
/* The frames of a stack, innermost first (MemTraceFrame *); an empty array
 * for stack 0 or an unknown id.  Owned by the cache. */
GPtrArray *memtrace_frames_get (MemTraceFrames * f, gint64 stack_id);
/* The frame that says where a stack comes from: the innermost frame with a
 * source file (not a system header's inline) outside GStreamer's core, GLib
 * and libc; failing that, the innermost outside them; failing that, the
 * innermost.  NULL for no stack. */
const MemTraceFrame *memtrace_frames_site (MemTraceFrames * f,
    gint64 stack_id);
/* Whether a frame lies in GStreamer's core, GLib, libc or the tracer. */
gboolean memtrace_frame_is_runtime (const MemTraceFrame * frame);
/* Whether it is the tracer's own (its hooks, the wrappers it puts around
 * pool and allocator methods): not the program's. */
gboolean memtrace_frame_is_tracer (const MemTraceFrame * frame);
/* The file name of its module, without the directory; NULL if unknown. */
const gchar *memtrace_frame_module_name (const MemTraceFrame * frame);
/* "function (file:line)" or the best part of it; "0x..." at worst. */
gchar *memtrace_frame_describe (const MemTraceFrame * frame);
/* The same for a site from memtrace_frames_site(): "(no stack)" for
 * none. */
gchar *memtrace_frame_describe_site (const MemTraceFrame * site);

G_END_DECLS

#endif
