/* gst-memtrace fuzzing: suppression files (lib/memtrace-suppress.c).  The
 * input is a whole file, loaded through memtrace_suppressions_load (from a
 * memfd, so no disk is touched), and line by line through
 * memtrace_suppressions_add_line; every rule is then matched against a few
 * frames and a type chain.  A bad line must be a clear error (file:line),
 * never a crash, a hang or a leak.  Built and run by run-fuzz.sh. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "memtrace-suppress.h"
#include "memtrace-error.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static MemTraceFrame frames[] = {
  {0x1000, "gst_mini_object_init", NULL, 0,
      "/usr/lib/x86_64-linux-gnu/libgstreamer-1.0.so.0"},
  {0x2000, "plant_leak", "apps/keep_samples.c", 19, "/tmp/app"},
  {0x3000, NULL, NULL, 0, NULL},
  {0x4000, "\xc3\xa9t\xc3\xa9*?[]\\", "\xff\xfe.c", 1, "m\xe2\x82\xac"},
};

static const gchar *const chain[] = { "GstBuffer", "GstMiniObject", NULL };

static void
match_all (MemTraceSuppressions * s)
{
  GPtrArray *f = g_ptr_array_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (frames); i++) {
    g_ptr_array_add (f, &frames[i]);
    memtrace_suppressions_match (s, chain, f);
  }
  g_ptr_array_free (f, TRUE);
}

static void
check_error (GError * error)
{
  /* A clear error: says where, one line. */
  if (!error || error->domain != MEMTRACE_ERROR || !error->message
      || !*error->message)
    __builtin_trap ();
  g_error_free (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  MemTraceSuppressions *s = memtrace_suppressions_new ();
  GError *error = NULL;
  gchar *text, **lines, path[64];
  guint i;
  gint fd;

  /* The whole file. */
  fd = memfd_create ("fuzz.supp", MFD_CLOEXEC);
  if (fd < 0 || write (fd, data, size) != (ssize_t) size)
    __builtin_trap ();
  g_snprintf (path, sizeof (path), "/proc/self/fd/%d", fd);
  if (!memtrace_suppressions_load (s, path, &error))
    check_error (error);
  close (fd);
  match_all (s);
  memtrace_suppressions_free (s);

  /* Line by line, going on after bad lines. */
  s = memtrace_suppressions_new ();
  text = g_strndup ((const gchar *) data, size);
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    error = NULL;
    if (!memtrace_suppressions_add_line (s, lines[i], "fuzz:1", &error))
      check_error (error);
  }
  match_all (s);
  (void) memtrace_suppressions_count (s);
  g_strfreev (lines);
  g_free (text);
  memtrace_suppressions_free (s);
  return 0;
}
