/* gst-memtrace: suppression files ("expected to live" lists). */
#ifndef __MEMTRACE_SUPPRESS_H__
#define __MEMTRACE_SUPPRESS_H__

#include <glib.h>
#include "memtrace-frames.h"

G_BEGIN_DECLS

typedef struct _MemTraceSuppressions MemTraceSuppressions;

MemTraceSuppressions *memtrace_suppressions_new (void);
void memtrace_suppressions_free (MemTraceSuppressions * s);
/* Adds a file of lines "leak:PATTERN" (matched against every frame's
 * function, module and source file, '*' and '?' as wildcards) and
 * "type:TYPENAME" (the leaked object's type or a parent type); '#' starts a
 * comment.  A bad line is an error naming file:line and what is wrong. */
gboolean memtrace_suppressions_load (MemTraceSuppressions * s,
    const gchar * path, GError ** error);
gboolean memtrace_suppressions_add_line (MemTraceSuppressions * s,
    const gchar * line, const gchar * origin, GError ** error);
/* The rule ("leak:x" / "type:y") that suppresses an object of type_chain
 * (its type name, then its parents'), created at frames; NULL if none. */
const gchar *memtrace_suppressions_match (MemTraceSuppressions * s,
    const gchar * const *type_chain, GPtrArray * frames);
guint memtrace_suppressions_count (MemTraceSuppressions * s);
/* A digest of the rules, in order (s may be NULL: no rules), for keys of
 * results that depend on them. */
gchar *memtrace_suppressions_digest (MemTraceSuppressions * s);

G_END_DECLS

#endif
