/* gst-memtrace: what a trace recorded, in numbers (for `gst-memtrace info`). */
#ifndef __MEMTRACE_INFO_H__
#define __MEMTRACE_INFO_H__

#include "memtrace-trace.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *type;
  gint64 created;
  gint64 destroyed;
  gint64 alive;                 /* not destroyed when the recording ended */
} MemTraceTypeCount;

typedef struct
{
  gchar *kind;
  gint64 count;
} MemTraceKindCount;

typedef struct
{
  gint64 pid;
  gchar *command;
  gchar *gstreamer_version;
  gboolean complete;            /* the recording ended cleanly */
  gchar *end_reason;            /* "deinit", "exit", or NULL when cut off */
  gboolean live;                /* still being recorded */
  gint64 duration_ns;
  gint64 n_events;
  gint64 dropped_events;
  gchar *write_error;           /* why recording stopped early, or NULL */
  gint64 corrupt_blocks;
  gint64 n_stacks;
  gint64 n_modules;
  gint64 n_threads;
  gint64 n_checkpoints;
  GArray *kinds;                /* MemTraceKindCount */
  GArray *types;                /* MemTraceTypeCount, most created first */
} MemTraceInfo;

MemTraceInfo *memtrace_info_load (MemTraceTrace * t, GError ** error);
void memtrace_info_free (MemTraceInfo * info);

G_END_DECLS

#endif
