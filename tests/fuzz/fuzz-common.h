/* gst-memtrace fuzzing: what the trace harnesses share. */
#ifndef __FUZZ_COMMON_H__
#define __FUZZ_COMMON_H__

#include <stdlib.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "memtrace-trace.h"
#include "memtrace-info.h"
#include "memtrace-report.h"
#include "memtrace-error.h"

/* A file of our own on a RAM disk if there is one: each run writes a
 * trace (and SQLite its -wal, -shm, -journal beside it) per input. */
static inline gchar *
fuzz_scratch_path (const gchar * what)
{
  const gchar *dir = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ?
      "/dev/shm" : g_get_tmp_dir ();

  /* GLib's warnings (a module that is not the recorded file) are
   * expected on hostile input; they must not abort. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  return g_strdup_printf ("%s/memtrace-fuzz-%s-%d.trace", dir, what,
      (int) getpid ());
}

static inline void
fuzz_remove_trace (const gchar * path)
{
  static const gchar *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    gchar *p = g_strconcat (path, suffixes[i], NULL);

    g_unlink (p);
    g_free (p);
  }
}

/* A clear error: ours, with a message, on one line. */
static inline void
fuzz_check_error (GError * error)
{
  if (!error || error->domain != MEMTRACE_ERROR || !error->message
      || !*error->message || strchr (error->message, '\n'))
    __builtin_trap ();
  g_error_free (error);
}

/* What `gst-memtrace info` and `report` do with a trace. */
static inline void
fuzz_read_trace (const gchar * path)
{
  GError *error = NULL;
  MemTraceTrace *t = memtrace_trace_open (path, &error);
  MemTraceReportOptions options = { {NULL, NULL, NULL}, FALSE };
  MemTraceInfo *info;
  MemTraceReport *r;

  if (!t) {
    fuzz_check_error (error);
    return;
  }
  if ((info = memtrace_info_load (t, &error)))
    memtrace_info_free (info);
  else
    fuzz_check_error (error);
  error = NULL;
  if ((r = memtrace_report_build (t, &options, &error)))
    memtrace_report_free (r);
  else
    fuzz_check_error (error);
  /* Between checkpoints, as --from 1 --to 2 asks. */
  error = NULL;
  options.leaks.from_checkpoint = "1";
  options.leaks.to_checkpoint = "2";
  if ((r = memtrace_report_build (t, &options, &error)))
    memtrace_report_free (r);
  else
    fuzz_check_error (error);
  memtrace_trace_close (t);
}

#endif
