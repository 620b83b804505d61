/* gst-memtrace: how the tracer tells the user something went wrong. */
#ifndef __MEMTRACE_WARN_H__
#define __MEMTRACE_WARN_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* Not g_warning(): with G_DEBUG=fatal-warnings, or under gst-check, that
 * would abort or fail the traced application, and the application comes
 * first.  One line on stderr, and the same in the GStreamer debug log. */
void memtrace_warn (const gchar * format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS

#endif
