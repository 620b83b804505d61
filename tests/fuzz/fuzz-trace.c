/* gst-memtrace fuzzing: the trace reader on whole files.  The input is
 * written as a trace file, then opened (which checks it and, if it is not
 * finished, finishes it: decodes its blocks, indexes, symbolises), loaded
 * as `info` does and analysed as `report` does.  Whatever the file holds,
 * each step succeeds or fails with a clear MEMTRACE_ERROR; never a crash,
 * a hang or a leak.  Built and run by run-fuzz.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "memtrace-trace.h"
#include "memtrace-info.h"
#include "memtrace-report.h"
#include "memtrace-error.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static gchar *path;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  path = fuzz_scratch_path ("trace");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  fuzz_remove_trace (path);
  if (!g_file_set_contents (path, (const gchar *) data, size, NULL))
    __builtin_trap ();
  fuzz_read_trace (path);
  return 0;
}
