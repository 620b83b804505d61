/* gst-memtrace fuzzing: the tracer's parameter parser
 * (tracer/memtrace-params.c), with the input as the text inside
 * GST_TRACERS="memtrace(...)".  It must never crash or leak, whatever the
 * text: each bad key or value is one warning and keeps its default.
 * Built and run by tests/fuzz/run-fuzz.sh. */
#include <stdint.h>
#include <string.h>
#include <gst/gst.h>
#include "memtrace-params.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* No plugins: only GstStructure parsing is needed. */
  g_setenv ("GST_REGISTRY_DISABLE", "yes", TRUE);
  gst_init (NULL, NULL);
  return 0;
}

/* GStreamer's structure parser recurses once per nested array, list or
 * structure and leaks on some errors inside them (tests/fuzz/lsan.supp):
 * deeper than this, the leak's stack no longer reaches the frame the
 * suppression names.  Parameters never nest: nothing of ours is lost. */
#define MAX_NESTING 32

static gboolean
too_nested (const uint8_t * data, size_t size)
{
  size_t i, n = 0;

  for (i = 0; i < size; i++)
    if (strchr ("{<[(", data[i]) && data[i] && ++n > MAX_NESTING)
      return TRUE;
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  gchar *text;
  GPtrArray *warnings;
  MemTraceParams p;
  guint i;

  if (too_nested (data, size))
    return -1;                  /* not added to the corpus */
  text = g_strndup ((const gchar *) data, size);
  warnings = g_ptr_array_new_with_free_func (g_free);
  memtrace_params_parse (text, &p, warnings);
  /* What the tracer does with them next. */
  if (p.stack_depth > 128 || p.flush_interval_ms < 1
      || p.flush_interval_ms > 60000)
    __builtin_trap ();
  for (i = 0; p.filters && p.filters[i]; i++)
    if (strlen (p.filters[i]) < 3)
      __builtin_trap ();
  for (i = 0; i < warnings->len; i++)
    if (!g_str_has_prefix (g_ptr_array_index (warnings, i), "memtrace: "))
      __builtin_trap ();
  memtrace_params_clear (&p);
  g_ptr_array_unref (warnings);
  g_free (text);
  return 0;
}
