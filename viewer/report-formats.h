/* gst-memtrace: the report formats. */
#ifndef __MEMTRACE_REPORT_FORMATS_H__
#define __MEMTRACE_REPORT_FORMATS_H__

#include <stdio.h>
#include "memtrace-report.h"

G_BEGIN_DECLS

typedef enum
{
  MEMTRACE_COST_ALLOCATIONS,    /* folded: objects created */
  MEMTRACE_COST_BYTES,          /* folded: payload bytes created */
  MEMTRACE_COST_LEAKED,         /* folded: objects leaked (roots and held) */
  MEMTRACE_COST_PEAK,           /* folded: payload bytes alive at the peak */
} MemTraceCost;

typedef struct
{
  gboolean color;               /* text: ANSI colours */
  gboolean list_suppressed;     /* text, markdown: show suppressed groups */
  MemTraceCost cost;            /* folded */
  MemTraceTrace *trace;         /* for formats that query more (folded) */
} MemTraceFormatOptions;

typedef gboolean (*MemTraceFormatFunc) (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error);

typedef struct
{
  const gchar *name;
  MemTraceFormatFunc write;
  const gchar *description;
} MemTraceFormat;

/* NULL if there is no such format. */
const MemTraceFormat *memtrace_format_find (const gchar * name);
/* "text, markdown, json, ..." */
gchar *memtrace_format_names (void);

gboolean memtrace_report_write_text (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error);
gboolean memtrace_report_write_markdown (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error);
gboolean memtrace_report_write_json (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error);
gboolean memtrace_report_write_junit (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error);
gboolean memtrace_report_write_sarif (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error);
gboolean memtrace_report_write_html (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error);
gboolean memtrace_report_write_folded (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error);

/* Shared by the formats: a human size ("1.5 KiB") and a leak group's
 * one-line title ("5 GstSample, 1000 bytes"). */
gchar *memtrace_format_bytes (gint64 bytes);
const gchar *memtrace_leak_state_name (MemTraceLeakState state);

G_END_DECLS

#endif
