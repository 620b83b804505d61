/* gst-memtrace: the report formats. */
#ifndef __MEMTRACE_REPORT_FORMATS_H__
#define __MEMTRACE_REPORT_FORMATS_H__

#include <stdio.h>
#include <json-glib/json-glib.h>
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
/* Strings from the trace may hold anything: for markup they are made
 * valid UTF-8, with & < > " ' as entities and control characters (none
 * is allowed in HTML, few in XML 1.0) as "\xNN". */
typedef enum
{
  MEMTRACE_MARKUP_HTML,         /* tab and newline as "\x09", "\x0a" */
  MEMTRACE_MARKUP_XML_TEXT,     /* tab and newline kept */
  MEMTRACE_MARKUP_XML_ATTRIBUTE,        /* tab and newline as "&#9;" */
} MemTraceMarkup;

/* Appends s (NULL: nothing) escaped; in XML, U+FFFE and U+FFFF become
 * U+FFFD. */
void memtrace_format_append_markup (GString * out, const gchar * s,
    MemTraceMarkup markup);

/* Where a group comes from: its site, described, or "?". */
gchar *memtrace_format_group_where (MemTraceReport * r,
    const MemTraceLeakGroup * g);

/* A group's stacks, each with its title: "created at", "acquired from its
 * pool at" (if it was) and "N references never given back, taken at" per
 * place references were kept. */
typedef void (*MemTraceStackFunc) (gint64 stack_id, const gchar * title,
    gpointer user_data);
void memtrace_format_group_stacks (const MemTraceLeakGroup * g,
    MemTraceStackFunc func, gpointer user_data);

/* How a stack is written as text lines, "#N  function (file:line)". */
typedef struct
{
  const gchar *indent;          /* before each line */
  guint max_lines;              /* frames shown; the others are counted */
  gchar *(*clean) (const gchar * s);    /* for each frame's text, or NULL */
  const gchar *dim, *undim;     /* around runtime frames, or NULL */
} MemTraceStackStyle;

/* The lines, each ending in a newline; NULL for a stack without frames. */
gchar *memtrace_format_stack_lines (MemTraceFrames * frames, gint64 stack_id,
    const MemTraceStackStyle * style);

/* JSON formats: a member name, then an array of what func adds for each
 * leak group; and the document b has built, pretty-printed and ended by a
 * newline (b is freed). */
typedef void (*MemTraceJsonGroupFunc) (JsonBuilder * b, MemTraceReport * r,
    MemTraceLeakGroup * g);
void memtrace_format_json_groups (JsonBuilder * b, const gchar * name,
    MemTraceReport * r, MemTraceJsonGroupFunc func);
void memtrace_format_write_json (JsonBuilder * b, FILE * out);

G_END_DECLS

#endif
