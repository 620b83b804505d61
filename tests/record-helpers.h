/* gst-memtrace tests: what the recorder tests share (test-record.c and
 * test-record-more.c): running the apps under the tracer, opening their
 * traces and querying them.
 *
 * Paths come from the environment (set by tests/meson.build):
 *   MEMTRACE_PLUGIN_DIR   the directory of the built tracer plugin
 *   MEMTRACE_APPS_DIR     the directory of the built app-* programs
 *   MEMTRACE_APPS_SRCDIR  tests/apps in the source tree
 *   MEMTRACE_CLI          the built gst-memtrace
 *   MEMTRACE_REGISTRY     a private GStreamer registry file
 */
#ifndef __RECORD_HELPERS_H__
#define __RECORD_HELPERS_H__

#include <check.h>
#include <glib.h>
#include <sqlite3.h>

#include "memtrace-trace.h"

G_BEGIN_DECLS

/* Event kinds, as lib/memtrace-format.h numbers them in files (spelt out
 * here so that a renumbering breaks the tests, as it would old files). */
#define EV_CREATED 1
#define EV_DESTROYED 2
#define EV_REF 3
#define EV_UNREF 4
#define EV_POOL_ACQUIRE 5
#define EV_POOL_RELEASE 6
#define EV_POOL_ALLOC 7
#define EV_POOL_WAIT 8
#define EV_PUSH 9
#define EV_ALLOC 12
#define EV_LINK 16
#define EV_CHECKPOINT 19

#define ALIVE_AT_DEINIT 1
#define ALIVE_AT_EXIT 2
#define MAY_BE_LEAKED 1

extern const gchar *plugin_dir, *apps_dir, *apps_srcdir, *cli, *registry;
/* A fresh directory for this run's traces, removed at the end. */
extern gchar *tmpdir;

/* Environment and child processes */

/* The environment for a child: our plugin and registry, and
 * GST_TRACERS=tracers if not NULL. */
gchar **child_env (const gchar * tracers);
/* Runs argv to its end; returns its exit status (128 + signal if killed). */
gint spawn (gchar ** argv, gchar ** env, const gchar * cwd, gchar ** err_out);
/* The same, with its standard output too (out_out may be NULL). */
gint spawn_full (gchar ** argv, gchar ** env, const gchar * cwd,
    gchar ** out_out, gchar ** err_out);
gchar *app_path (const gchar * app);
/* Runs an app with GST_TRACERS=memtrace(<params>); returns its status. */
gint run_app (const gchar * app, const gchar * params, const gchar * cwd,
    gchar ** err_out);
/* The same, with arguments (NULL-terminated, may be NULL) and stdout. */
gint run_app_full (const gchar * app, const gchar * const *args,
    const gchar * params, const gchar * cwd, gchar ** out_out,
    gchar ** err_out);

MemTraceTrace *open_trace (const gchar * path);
/* Records app once per test run (the trace is shared by the tests that
 * look at it) with the given extra tracer parameters, and opens it. */
MemTraceTrace *record (const gchar * app, const gchar * extra);
/* record() with arguments for the app, and the SQL helpers below. */
MemTraceTrace *record_app_args (const gchar * app, const gchar * extra,
    const gchar * const *args);
/* record() with the SQL helpers below. */
MemTraceTrace *record_app (const gchar * app, const gchar * extra);

/* Queries */

/* The first column of the first row; -1 for no row or NULL. */
gint64 q_int (MemTraceTrace * t, const gchar * fmt, ...) G_GNUC_PRINTF (2, 3);
gchar *q_text (MemTraceTrace * t, const gchar * fmt, ...) G_GNUC_PRINTF (2, 3);
/* All values of the first column, comma-separated, in the query's order. */
gchar *q_list (MemTraceTrace * t, const gchar * fmt, ...) G_GNUC_PRINTF (2, 3);

/* Adds to the trace's connection the SQL functions stack_has(stack,
 * 'function') (1 if a frame of the stack is in that function) and
 * stack_at(stack, 'function') (that frame's "file:line"), and a temporary
 * view `o` of every object with its type name and end state (id, type,
 * stack, thread, destroyed, state, flags, refcount). */
MemTraceTrace *with_functions (MemTraceTrace * t);

gint64 n_created (MemTraceTrace * t, const gchar * type);
gint64 n_destroyed (MemTraceTrace * t, const gchar * type);
/* Alive at the end in that state, not flagged as maybe leaked. */
gint64 n_leaked (MemTraceTrace * t, const gchar * type, gint state);

/* "apps/<app>.c:N", N the line marked "planted" in a comment. */
gchar *planted_at (const gchar * app);
/* Every value in a comma-separated list of "file:line" ends with suffix,
 * and there are n of them. */
void assert_all_at (const gchar * list, const gchar * suffix, guint n);
/* Complete, ended for end_reason, nothing dropped, nothing corrupt. */
void assert_meta (MemTraceTrace * t, const gchar * end_reason);

guint count_lines (const gchar * text, const gchar * needle);
guint dir_n_entries (const gchar * path);

/* Sets up the paths, a temporary directory and the registry, runs the
 * suite and cleans up; returns the exit status for main(). */
gint record_helpers_run (Suite * suite, const gchar * prog);

G_END_DECLS

#endif
