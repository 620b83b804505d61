/* gst-memtrace view: the analyses the screens show, computed off the
 * input path, and refreshed while a live trace is recorded. */
#ifndef __MEMTRACE_VIEW_DATA_H__
#define __MEMTRACE_VIEW_DATA_H__

#include "memtrace-trace.h"
#include "memtrace-live.h"
#include "memtrace-info.h"
#include "memtrace-leaks.h"
#include "memtrace-timeline.h"
#include "memtrace-lifetimes.h"
#include "memtrace-pools.h"
#include "memtrace-hotspots.h"
#include "memtrace-frag.h"
#include "memtrace-suppress.h"
#include "memtrace-summary.h"

G_BEGIN_DECLS

typedef enum
{
  VIEW_INFO,                    /* MemTraceInfo */
  VIEW_TIMELINE,                /* MemTraceTimeline */
  VIEW_LEAKS,                   /* MemTraceLeaks */
  VIEW_POOLS,                   /* MemTracePools */
  VIEW_HOTSPOTS,                /* MemTraceHotspots */
  VIEW_LIFETIMES,               /* MemTraceLifetimes */
  VIEW_FRAG,                    /* MemTraceFrag */
  VIEW_SUMMARY,                 /* MemTraceSummary: kept in a finished
                                 * trace, of the whole recording; for the
                                 * overview until the others are there */
  VIEW_N_RESULTS
} ViewResult;

typedef enum
{
  VIEW_STATE_FINISHED,          /* a trace whose recording was over */
  VIEW_STATE_RECORDING,         /* live: refreshed about once a second */
  VIEW_STATE_FINISHING,         /* the recording just ended */
  VIEW_STATE_RECORDED,          /* was live, now the final analysis */
} ViewState;

/* What every screen is limited to: between two checkpoints (labels or
 * 1-based numbers) or two times, NULL or <= 0 for the start or the end. */
typedef struct
{
  gchar *from_checkpoint;
  gchar *to_checkpoint;
  gint64 from_ts;
  gint64 to_ts;
} ViewWindow;

/* What the trace says of itself, read at once (no scan): the first
 * screen shows it while the analyses run. */
typedef struct
{
  gint64 pid;
  gchar *command;
  gchar *gstreamer_version;
  gboolean complete;
  gchar *end_reason;
  gint64 dropped_events;
  gint64 duration_ns;           /* 0 if not known yet */
} ViewHeader;

typedef struct _ViewData ViewData;

/* Takes the trace (finished) or the live trace, and the suppressions;
 * starts computing at once. */
ViewData *view_data_new (MemTraceTrace * trace, MemTraceLive * live,
    MemTraceSuppressions * suppressions, const ViewWindow * window);
void view_data_free (ViewData * d);

const ViewHeader *view_data_header (ViewData * d);
/* Takes what the worker has finished; TRUE if anything changed. */
gboolean view_data_poll (ViewData * d);
/* A result, or NULL while it is being computed. */
gconstpointer view_data_get (ViewData * d, ViewResult which);
/* Why a result could not be computed, or NULL. */
const gchar *view_data_error (ViewData * d, ViewResult which);
/* The chart span of the timeline: 0 for its whole window; live, a fixed
 * span that scrolls. */
gint64 view_data_chart_span (ViewData * d);
/* Resolves stacks on a connection of the main thread's own. */
MemTraceFrames *view_data_frames (ViewData * d);
ViewState view_data_state (ViewData * d);
/* A word on the state for the status line ("recording finished"...). */
const gchar *view_data_state_text (ViewData * d);
const gchar *view_data_path (ViewData * d);

void view_data_set_window (ViewData * d, const ViewWindow * window);
const ViewWindow *view_data_window (ViewData * d);
/* "whole recording", "checkpoints a to b", "0.500 s to 1.000 s". */
gchar *view_data_window_text (ViewData * d);
/* Whether results are limited by the window (some analyses cannot be). */
gboolean view_data_windowed (ViewData * d, ViewResult which);
void view_window_clear (ViewWindow * w);

/* Jobs: one query run in a thread of its own, on a connection of its
 * own, for the screens that query on demand (the Objects screen). */
typedef gpointer (*ViewJobFunc) (MemTraceTrace * t, gpointer arg,
    GError ** error);

guint view_data_run_job (ViewData * d, ViewJobFunc func, gpointer arg,
    GDestroyNotify arg_free, GDestroyNotify result_free);
/* TRUE once job is done: then *result or *error is set (and the caller
 * owns them). */
gboolean view_data_take_job (ViewData * d, guint job, gpointer * result,
    GError ** error);

G_END_DECLS

#endif
