/* gst-memtrace: the error domain of lib/. */
#include "memtrace-error.h"

G_DEFINE_QUARK (memtrace-error-quark, memtrace_error);
