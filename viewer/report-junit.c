/* gst-memtrace: the junit report (being written). */
#include "report-formats.h"
#include "memtrace-error.h"

gboolean
memtrace_report_write_junit (MemTraceReport * r, const MemTraceFormatOptions * o,
    FILE * out, GError ** error)
{
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_USAGE,
      "the junit format is not available yet");
  return FALSE;
}
