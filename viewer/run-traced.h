/* gst-memtrace: running a program with the memtrace tracer on. */
#ifndef __MEMTRACE_RUN_TRACED_H__
#define __MEMTRACE_RUN_TRACED_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *output;                /* trace file, NULL for the tracer's default */
  gint stack_depth;             /* -1: the tracer's default */
  gboolean record_refs;
  gchar *extra;                 /* more tracer parameters */
} MemTraceRunOptions;

#define MEMTRACE_RUN_OPTIONS_INIT { NULL, -1, FALSE, NULL }

/* Adds --stack-depth, --record-refs, --params, and the trace file as
 * -o/--output (run) or -t/--trace (check, where -o is the report's). */
void memtrace_run_options_add (GOptionGroup * group, MemTraceRunOptions * o,
    gboolean with_output);
gboolean memtrace_run_options_check (const MemTraceRunOptions * o);
void memtrace_run_options_clear (MemTraceRunOptions * o);
/* Runs argv traced; adds the path of every trace recorded to traces and
 * returns the program's exit status (128 + N if signal N killed it, 127 if
 * it could not be started). */
gint memtrace_run_traced (const MemTraceRunOptions * o, gchar ** argv,
    GPtrArray * traces);

/* run --view: starts argv traced, its output to out_fd (if >= 0) and its
 * input empty, and returns its pid without waiting (-1 if it could not be
 * started, said on stderr), and the file where its processes announce
 * their traces. */
GPid memtrace_run_traced_start (const MemTraceRunOptions * o, gchar ** argv,
    gint out_fd, gchar ** notify);
/* The first trace announced so far, or NULL. */
gchar *memtrace_run_traced_first (const gchar * notify);
/* Waits for the program unless *status (its exit status) is known
 * already, adds the traces announced to traces (may be NULL) and removes
 * notify (taken). */
void memtrace_run_traced_finish (GPid pid, gint * status, gchar * notify,
    GPtrArray * traces);

G_END_DECLS

#endif
