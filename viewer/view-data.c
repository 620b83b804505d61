/* gst-memtrace view: the analyses the screens show.
 *
 * A worker thread computes them, one after the other, and hands each to
 * the main thread as soon as it is done, so the overview shows while the
 * slower analyses still run and no key waits for a query.  The results of
 * one computation (a "generation") are freed together, when no screen
 * shows any of them any more: the fragmentation analysis borrows the
 * timeline, pools and hotspots of its generation.
 *
 * Live, the worker brings the snapshot of the trace up to date about once
 * a second and computes everything again; when the recording ends it
 * opens the real trace (which finishes it) and computes the final
 * analyses.  Every thread reads through a connection of its own: SQLite
 * serialises the calls on one connection, and a long query in the worker
 * would otherwise hold up the screen. */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "view-data.h"
#include "memtrace-error.h"

#define LIVE_SPAN_NS (G_GINT64_CONSTANT (60) * 1000000000)
#define N_BINS MEMTRACE_SUMMARY_VIEW_BINS
#define LIVE_PERIOD_US G_USEC_PER_SEC

/* Where results come from: a finished trace, or a live one. */
typedef struct
{
  gint ref;
  MemTraceTrace *trace;         /* the worker's, if finished */
  MemTraceLive *live;           /* the worker's, if live */
  gchar *path;
  /* The main thread's connection, opened when first needed. */
  MemTraceTrace *reader;
  MemTraceFrames *frames;
  gboolean reader_failed;
} Source;

typedef struct _Gen Gen;

struct _Gen
{
  gint ref;
  Source *source;
  guint serial;                 /* of the window it was computed for */
  gint64 chart_span;
  gpointer results[VIEW_N_RESULTS];
  gchar *errors[VIEW_N_RESULTS];
  gboolean windowed[VIEW_N_RESULTS];
};

typedef enum
{
  MSG_RESULT,
  MSG_STATE,
  MSG_JOB,
} MsgKind;

typedef struct
{
  MsgKind kind;
  Gen *gen;
  ViewResult which;
  ViewState state;
  gchar *text;
  guint job;
  gpointer result;
  GDestroyNotify result_free;
  GError *error;
} Msg;

typedef struct
{
  gboolean quit;
  ViewWindow window;
  guint serial;
} Request;

struct _ViewData
{
  GThread *worker;
  GAsyncQueue *requests;        /* Request, to the worker */
  GAsyncQueue *replies;         /* Msg, to the main thread */
  gint quit;
  MemTraceSuppressions *suppressions;   /* the worker's */
  Source *first;                /* until the worker takes it */

  /* The main thread's. */
  Gen *shown[VIEW_N_RESULTS];
  Source *source;
  ViewState state;
  gchar *state_text;
  ViewWindow window;
  guint serial;
  GHashTable *jobs_done;        /* id -> Msg */
  GPtrArray *job_threads;
  guint next_job;
  gint running;                 /* threads not yet done */
  gchar *snapshot;              /* a live trace's snapshot file */
  ViewHeader header;

  /* MEMTRACE_VIEW_DEBUG=FILE: the worker's timings, for the benchmarks
   * and the tests. */
  FILE *debug;
  gint64 started;
};

static const gchar *const result_names[VIEW_N_RESULTS] = {
  "info", "timeline", "leaks", "pools", "hotspots", "lifetimes", "frag",
  "summary",
};

static void
debug_line (ViewData * d, const gchar * format, ...) G_GNUC_PRINTF (2, 3);

static void
debug_line (ViewData * d, const gchar * format, ...)
{
  va_list args;

  if (!d->debug)
    return;
  fprintf (d->debug, "%.1f ms: ", (g_get_monotonic_time () - d->started)
      / 1000.0);
  va_start (args, format);
  vfprintf (d->debug, format, args);
  va_end (args);
  fputc ('\n', d->debug);
  fflush (d->debug);
}

static void
debug_open (ViewData * d)
{
  const gchar *path = g_getenv ("MEMTRACE_VIEW_DEBUG");

  d->started = g_get_monotonic_time ();
  if (path && *path)
    d->debug = fopen (path, "a");
}

/* Sources */

static Source *
source_new (MemTraceTrace * trace, MemTraceLive * live)
{
  Source *s = g_new0 (Source, 1);

  s->ref = 1;
  s->trace = trace;
  s->live = live;
  s->path = g_strdup (live ? memtrace_live_path (live) :
      memtrace_trace_path (trace));
  return s;
}

static Source *
source_ref (Source * s)
{
  g_atomic_int_inc (&s->ref);
  return s;
}

static void
source_unref (Source * s)
{
  if (!s || !g_atomic_int_dec_and_test (&s->ref))
    return;
  memtrace_frames_free (s->frames);
  memtrace_trace_close (s->reader);
  memtrace_trace_close (s->trace);
  memtrace_live_close (s->live);
  g_free (s->path);
  g_free (s);
}

/* The worker's trace. */
static MemTraceTrace *
source_trace (Source * s)
{
  return s->live ? memtrace_live_trace (s->live) : s->trace;
}

/* A connection of the calling thread's own. */
static MemTraceTrace *
source_open_reader (Source * s, GError ** error)
{
  if (s->live)
    return memtrace_live_open_reader (s->live, error);
  return memtrace_trace_open (s->path, error);
}

/* Generations */

static Gen *
gen_new (Source * source, guint serial)
{
  Gen *g = g_new0 (Gen, 1);

  g->ref = 1;
  g->source = source_ref (source);
  g->serial = serial;
  return g;
}

static Gen *
gen_ref (Gen * g)
{
  g_atomic_int_inc (&g->ref);
  return g;
}

static void
result_free (ViewResult which, gpointer r)
{
  switch (which) {
    case VIEW_INFO:
      memtrace_info_free (r);
      break;
    case VIEW_TIMELINE:
      memtrace_timeline_free (r);
      break;
    case VIEW_LEAKS:
      memtrace_leaks_free (r);
      break;
    case VIEW_POOLS:
      memtrace_pools_free (r);
      break;
    case VIEW_HOTSPOTS:
      memtrace_hotspots_free (r);
      break;
    case VIEW_LIFETIMES:
      memtrace_lifetimes_free (r);
      break;
    case VIEW_FRAG:
      memtrace_frag_free (r);
      break;
    case VIEW_SUMMARY:
      memtrace_summary_free (r);
      break;
    default:
      break;
  }
}

static void
gen_unref (Gen * g)
{
  gint i;

  if (!g || !g_atomic_int_dec_and_test (&g->ref))
    return;
  /* The borrower first. */
  for (i = VIEW_N_RESULTS - 1; i >= 0; i--) {
    if (g->results[i])
      result_free (i, g->results[i]);
    g_free (g->errors[i]);
  }
  source_unref (g->source);
  g_free (g);
}

/* Windows */

void
view_window_clear (ViewWindow * w)
{
  g_free (w->from_checkpoint);
  g_free (w->to_checkpoint);
  memset (w, 0, sizeof (*w));
}

static void
window_copy (ViewWindow * to, const ViewWindow * from)
{
  view_window_clear (to);
  if (!from)
    return;
  to->from_checkpoint = g_strdup (from->from_checkpoint);
  to->to_checkpoint = g_strdup (from->to_checkpoint);
  to->from_ts = from->from_ts;
  to->to_ts = from->to_ts;
}

static gboolean
window_by_checkpoints (const ViewWindow * w)
{
  return w->from_checkpoint || w->to_checkpoint;
}

static gboolean
window_by_time (const ViewWindow * w)
{
  return w->from_ts > 0 || w->to_ts > 0;
}

/* The worker */

typedef struct
{
  ViewData *d;
  Source *source;
  MemTraceFrames *frames;       /* on the source's worker connection */
  ViewWindow window;
  guint serial;
  Source *computed;             /* what the last computation was of (not
                                 * a reference: only compared) */
  gint64 mark;                  /* when the last result was posted */
} Worker;

static void
post (ViewData * d, Msg * m)
{
  g_async_queue_push (d->replies, g_memdup2 (m, sizeof (*m)));
}

static void
post_state (ViewData * d, ViewState state, const gchar * text)
{
  Msg m = { MSG_STATE, NULL, 0, state, g_strdup (text), };

  post (d, &m);
}

static void
post_result (Worker * w, Gen * g, ViewResult which, gpointer result,
    GError * error)
{
  Msg m = { MSG_RESULT, gen_ref (g), which, };
  gint64 now = g_get_monotonic_time ();

  debug_line (w->d, "%s took %.1f ms", result_names[which],
      (now - w->mark) / 1000.0);
  w->mark = now;
  g->results[which] = result;
  if (error)
    g->errors[which] = g_strdup (error->message);
  g_clear_error (&error);
  post (w->d, &m);
}

static gboolean
quitting (Worker * w)
{
  return g_atomic_int_get (&w->d->quit);
}

/* The timeline's window and bins: live, the last LIVE_SPAN_NS in bins of
 * a fixed width, so that the chart scrolls. */
static void
timeline_options (Worker * w, Gen * g, MemTraceTimelineOptions * o)
{
  MemTraceTrace *t = source_trace (w->source);
  gint64 from, to;

  memset (o, 0, sizeof (*o));
  o->n_bins = N_BINS;
  if (g->windowed[VIEW_LEAKS] && window_by_checkpoints (&w->window)) {
    MemTraceLeaks *l = g->results[VIEW_LEAKS];

    o->from_ts = l->from_ts;
    o->to_ts = l->to_ts;
  } else if (window_by_time (&w->window)) {
    o->from_ts = w->window.from_ts;
    o->to_ts = w->window.to_ts;
  } else if (w->source->live) {
    memtrace_timeline_default_window (t, &from, &to);
    o->from_ts = MAX (from, to - LIVE_SPAN_NS);
    o->to_ts = to;
    /* Bins of about the same width however long it has run. */
    o->n_bins = CLAMP ((to - o->from_ts) / (LIVE_SPAN_NS / N_BINS) + 1, 1,
        N_BINS);
    g->chart_span = LIVE_SPAN_NS;
  }
  g->windowed[VIEW_TIMELINE] = window_by_time (&w->window)
      || (window_by_checkpoints (&w->window) && g->windowed[VIEW_LEAKS]);
}

static void
compute_leaks (Worker * w, Gen * g, MemTraceTrace * t)
{
  MemTraceLeakOptions o = { w->window.from_checkpoint,
    w->window.to_checkpoint, w->d->suppressions
  };
  GError *error = NULL;
  MemTraceLeaks *l = memtrace_leaks_analyse (t, w->frames, &o, &error);

  g->windowed[VIEW_LEAKS] = l && window_by_checkpoints (&w->window);
  post_result (w, g, VIEW_LEAKS, l, error);
}

static void
compute_timeline_and_pools (Worker * w, Gen * g, MemTraceTrace * t)
{
  MemTraceTimelineOptions to;
  MemTracePoolOptions po = { 0, };
  GError *error = NULL;
  gpointer r;

  timeline_options (w, g, &to);
  r = memtrace_timeline_analyse (t, w->frames, &to, &error);
  post_result (w, g, VIEW_TIMELINE, r, error);
  if (quitting (w))
    return;
  po.n_bins = to.n_bins;
  po.from_ts = to.from_ts;
  po.to_ts = to.to_ts;
  g->windowed[VIEW_POOLS] = g->windowed[VIEW_TIMELINE];
  r = memtrace_pools_analyse (t, w->frames, &po, &error);
  post_result (w, g, VIEW_POOLS, r, error);
}

static void
lib_window (Worker * w, MemTraceWindow * out)
{
  out->from_checkpoint = w->window.from_checkpoint;
  out->to_checkpoint = w->window.to_checkpoint;
  out->from_ts = w->window.from_ts;
  out->to_ts = w->window.to_ts;
}

/* Sites and lifetimes: of the objects created in the window. */
static void
compute_sites_and_lifetimes (Worker * w, Gen * g, MemTraceTrace * t)
{
  MemTraceHotspotOptions ho = { MEMTRACE_HOTSPOT_BY_COUNT, 0 };
  MemTraceLifetimeOptions lo = { 0, };
  GError *error = NULL;
  gpointer r;

  lib_window (w, &ho.window);
  r = memtrace_hotspots_analyse (t, w->frames, &ho, &error);
  g->windowed[VIEW_HOTSPOTS] = r && memtrace_window_is_set (&ho.window);
  post_result (w, g, VIEW_HOTSPOTS, r, error);
  if (quitting (w))
    return;
  lib_window (w, &lo.window);
  r = memtrace_lifetimes_analyse (t, w->frames, &lo, &error);
  g->windowed[VIEW_LIFETIMES] = r && memtrace_window_is_set (&lo.window);
  post_result (w, g, VIEW_LIFETIMES, r, error);
}

static void
compute_frag (Worker * w, Gen * g, MemTraceTrace * t)
{
  MemTraceFragOptions o = { 50, g->results[VIEW_TIMELINE],
    g->results[VIEW_POOLS], g->results[VIEW_HOTSPOTS], N_BINS
  };
  GError *error = NULL;
  gpointer r;

  /* Borrowed results that failed are computed again by the analysis. */
  r = memtrace_frag_analyse (t, w->frames, &o, &error);
  g->windowed[VIEW_FRAG] = g->windowed[VIEW_TIMELINE];
  post_result (w, g, VIEW_FRAG, r, error);
}

/* A finished trace keeps the overview's numbers of the whole recording:
 * read at once if they are there. */
static gboolean
load_summary (Worker * w, Gen * g, MemTraceTrace * t)
{
  MemTraceSummary *s = NULL;

  if (!w->source->live)
    s = memtrace_summary_load (t, N_BINS, w->d->suppressions);
  if (s)
    post_result (w, g, VIEW_SUMMARY, s, NULL);
  return s && s->has_info && s->has_timeline && s->has_leaks;
}

/* ... and kept the first time they are computed, if the trace can be
 * written. */
static void
store_summary (Worker * w, Gen * g, MemTraceTrace * t)
{
  MemTraceSummary *s;

  if (w->source->live || window_by_checkpoints (&w->window)
      || window_by_time (&w->window))
    return;
  s = memtrace_summary_new ();
  memtrace_summary_set_info (s, g->results[VIEW_INFO]);
  memtrace_summary_set_timeline (s, g->results[VIEW_TIMELINE]);
  memtrace_summary_set_leaks (s, g->results[VIEW_LEAKS]);
  if (s->has_info && s->has_timeline && s->has_leaks)
    debug_line (w->d, "summary %s", memtrace_summary_store (t, N_BINS,
            w->d->suppressions, s) ? "stored" : "not stored");
  memtrace_summary_free (s);
}

/* Everything, in the order the screens need it; after a change of
 * window, all but the trace's numbers, which do not depend on it. */
static void
compute (Worker * w, gboolean window_only)
{
  MemTraceTrace *t = source_trace (w->source);
  Gen *g = gen_new (w->source, w->serial);
  GError *error = NULL;
  gboolean cached = FALSE;
  gpointer r;

  w->mark = g_get_monotonic_time ();
  if (!w->frames)
    w->frames = memtrace_frames_new (memtrace_trace_db (t));
  window_only = window_only && w->computed == w->source;
  w->computed = w->source;
  if (!window_only) {
    cached = load_summary (w, g, t);
    r = memtrace_info_load (t, &error);
    post_result (w, g, VIEW_INFO, r, error);
  }
  /* The overview's chart first, unless checkpoints place it. */
  if (window_by_checkpoints (&w->window) && !quitting (w))
    compute_leaks (w, g, t);
  if (!quitting (w))
    compute_timeline_and_pools (w, g, t);
  if (!window_by_checkpoints (&w->window) && !quitting (w))
    compute_leaks (w, g, t);
  if (!window_only && !cached && !quitting (w))
    store_summary (w, g, t);
  if (!quitting (w))
    compute_sites_and_lifetimes (w, g, t);
  if (!quitting (w))
    compute_frag (w, g, t);
  gen_unref (g);
}

static void
switch_source (Worker * w, Source * s)
{
  memtrace_frames_free (w->frames);
  w->frames = NULL;
  w->computed = NULL;
  source_unref (w->source);
  w->source = s;
}

/* The recording is over: the real trace, finished now, replaces the
 * snapshot. */
static void
finish_live (Worker * w)
{
  gchar *path = g_strdup (w->source->path);
  GError *error = NULL;
  MemTraceTrace *t;

  post_state (w->d, VIEW_STATE_FINISHING, "recording finished: "
      "finishing the trace...");
  t = memtrace_trace_open (path, &error);
  if (t) {
    switch_source (w, source_new (t, NULL));
    post_state (w->d, VIEW_STATE_RECORDED, "recording finished");
  } else {
    gchar *text = g_strdup_printf ("recording finished, but %s",
        error->message);

    /* The snapshot stays: it is all there is. */
    post_state (w->d, VIEW_STATE_RECORDED, text);
    g_free (text);
    g_error_free (error);
  }
  g_free (path);
}

static gboolean
update_live (Worker * w, MemTraceLive * l, gboolean * changed,
    GError ** error)
{
  gint64 start = g_get_monotonic_time ();
  MemTraceLiveStats s;

  if (!memtrace_live_update (l, changed, error))
    return FALSE;
  memtrace_live_stats (l, &s);
  debug_line (w->d, "refresh: %" G_GINT64_FORMAT " blocks of %"
      G_GINT64_FORMAT " events decoded, %" G_GINT64_FORMAT " events, %"
      G_GINT64_FORMAT " objects and %" G_GINT64_FORMAT " stacks new; %"
      G_GINT64_FORMAT " destructions and %" G_GINT64_FORMAT " frames "
      "derived; %.1f ms", s.blocks, s.block_events, s.events, s.objects,
      s.stacks, s.destroyed, s.frames,
      (g_get_monotonic_time () - start) / 1000.0);
  return TRUE;
}

/* Live: TRUE if there is something new to show. */
static gboolean
follow (Worker * w, gboolean * live)
{
  MemTraceLive *l = w->source->live;
  GError *error = NULL;
  gboolean changed = FALSE;

  *live = l != NULL;
  if (!l)
    return FALSE;
  if (!update_live (w, l, &changed, &error)) {
    gchar *text = g_strdup_printf ("live: %s", error->message);

    post_state (w->d, VIEW_STATE_RECORDING, text);
    g_free (text);
    g_error_free (error);
    return FALSE;
  }
  if (memtrace_live_recording (l))
    return changed;
  finish_live (w);
  *live = FALSE;
  return TRUE;
}

/* Waits for a request, live at most until the next refresh; the latest
 * window wins.  FALSE to quit. */
static gboolean
wait_request (Worker * w, gboolean live, gint64 started,
    gboolean * window_changed)
{
  gint64 wait = started + LIVE_PERIOD_US - g_get_monotonic_time ();
  Request *r = live ? g_async_queue_timeout_pop (w->d->requests,
      MAX (wait, 1)) : g_async_queue_pop (w->d->requests);
  gboolean go_on = TRUE;

  while (r) {
    if (r->quit)
      go_on = FALSE;
    else {
      window_copy (&w->window, &r->window);
      w->serial = r->serial;
      *window_changed = TRUE;
    }
    view_window_clear (&r->window);
    g_free (r);
    r = g_async_queue_try_pop (w->d->requests);
  }
  return go_on && !quitting (w);
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
  gboolean dirty = TRUE, window_only = FALSE, live;

  do {
    gint64 started = g_get_monotonic_time ();
    gboolean window_changed = FALSE;

    if (follow (w, &live))
      dirty = TRUE;
    if (dirty && !quitting (w))
      compute (w, window_only && !live);
    dirty = FALSE;
    if (!wait_request (w, live, started, &window_changed))
      break;
    dirty = window_changed;
    window_only = window_changed;
  } while (TRUE);
  switch_source (w, NULL);
  view_window_clear (&w->window);
  g_atomic_int_dec_and_test (&w->d->running);
  g_free (w);
  return NULL;
}

/* The main thread's side */

/* Meta only: instant, before the worker starts. */
static void
read_header (ViewHeader * h, MemTraceTrace * t)
{
  h->pid = memtrace_trace_meta_int (t, "pid", 0);
  h->command = memtrace_trace_meta_text (t, "command");
  h->gstreamer_version = memtrace_trace_meta_text (t, "gstreamer_version");
  h->complete = memtrace_trace_meta_int (t, "complete", 0) == 1;
  h->end_reason = memtrace_trace_meta_text (t, "end_reason");
  h->dropped_events = memtrace_trace_meta_int (t, "dropped_events", 0);
  h->duration_ns = memtrace_trace_meta_int (t, "end_ts", 0);
}

const ViewHeader *
view_data_header (ViewData * d)
{
  return &d->header;
}

ViewData *
view_data_new (MemTraceTrace * trace, MemTraceLive * live,
    MemTraceSuppressions * suppressions, const ViewWindow * window)
{
  ViewData *d = g_new0 (ViewData, 1);
  Worker *w = g_new0 (Worker, 1);

  d->requests = g_async_queue_new ();
  d->replies = g_async_queue_new ();
  d->suppressions = suppressions;
  d->source = source_new (trace, live);
  d->state = live ? VIEW_STATE_RECORDING : VIEW_STATE_FINISHED;
  d->state_text = g_strdup (live ? "recording" : NULL);
  d->jobs_done = g_hash_table_new (NULL, NULL);
  d->job_threads = g_ptr_array_new ();
  debug_open (d);
  window_copy (&d->window, window);
  w->d = d;
  w->source = source_ref (d->source);
  window_copy (&w->window, window);
  read_header (&d->header, source_trace (d->source));
  d->snapshot = live ? g_strdup (memtrace_live_snapshot_path (live)) : NULL;
  d->running = 1;
  d->worker = g_thread_new ("view-worker", worker_main, w);
  return d;
}

static void
msg_free (Msg * m)
{
  gen_unref (m->gen);
  g_free (m->text);
  if (m->result && m->result_free)
    m->result_free (m->result);
  g_clear_error (&m->error);
  g_free (m);
}

static void
free_done_job (gpointer key, gpointer value, gpointer user_data)
{
  msg_free (value);
}

/* Waits a little for the threads to end; TRUE if they did. */
static gboolean
threads_done (ViewData * d)
{
  gint i;

  for (i = 0; i < 15 && g_atomic_int_get (&d->running) > 0; i++)
    g_usleep (10000);
  return g_atomic_int_get (&d->running) == 0;
}

/* Quitting must not wait for an analysis in the middle of a big trace:
 * if the threads do not end at once, the process exits under them, and
 * only the live snapshot's files need removing. */
static void
abandon (ViewData * d)
{
  const gchar *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  guint i;

  for (i = 0; d->snapshot && i < G_N_ELEMENTS (suffixes); i++) {
    gchar *p = g_strconcat (d->snapshot, suffixes[i], NULL);

    g_unlink (p);
    g_free (p);
  }
}

static void
header_clear (ViewHeader * h)
{
  g_free (h->command);
  g_free (h->gstreamer_version);
  g_free (h->end_reason);
}

void
view_data_free (ViewData * d)
{
  Request *quit = g_new0 (Request, 1);
  Msg *m;
  guint i;

  if (!d)
    return;
  g_atomic_int_set (&d->quit, 1);
  quit->quit = TRUE;
  g_async_queue_push (d->requests, quit);
  if (!threads_done (d)) {
    abandon (d);
    return;
  }
  g_thread_join (d->worker);
  for (i = 0; i < d->job_threads->len; i++)
    g_thread_join (g_ptr_array_index (d->job_threads, i));
  while ((m = g_async_queue_try_pop (d->replies)))
    msg_free (m);
  g_hash_table_foreach (d->jobs_done, free_done_job, NULL);
  for (i = 0; i < VIEW_N_RESULTS; i++)
    gen_unref (d->shown[i]);
  source_unref (d->source);
  g_hash_table_unref (d->jobs_done);
  g_ptr_array_unref (d->job_threads);
  g_async_queue_unref (d->requests);
  g_async_queue_unref (d->replies);
  memtrace_suppressions_free (d->suppressions);
  view_window_clear (&d->window);
  header_clear (&d->header);
  g_free (d->snapshot);
  g_free (d->state_text);
  if (d->debug)
    fclose (d->debug);
  g_free (d);
}

static gboolean
depends_on_window (ViewResult which)
{
  return which != VIEW_INFO && which != VIEW_SUMMARY;
}

static void
take_result (ViewData * d, Msg * m)
{
  if (depends_on_window (m->which) && m->gen->serial != d->serial)
    return;
  gen_unref (d->shown[m->which]);
  d->shown[m->which] = gen_ref (m->gen);
  if (m->gen->source != d->source) {
    source_unref (d->source);
    d->source = source_ref (m->gen->source);
  }
}

gboolean
view_data_poll (ViewData * d)
{
  gboolean changed = FALSE;
  Msg *m;

  while ((m = g_async_queue_try_pop (d->replies))) {
    changed = TRUE;
    if (m->kind == MSG_RESULT)
      take_result (d, m);
    else if (m->kind == MSG_STATE) {
      d->state = m->state;
      g_free (d->state_text);
      d->state_text = g_steal_pointer (&m->text);
    } else {
      g_hash_table_insert (d->jobs_done, GUINT_TO_POINTER (m->job), m);
      continue;
    }
    msg_free (m);
  }
  return changed;
}

gconstpointer
view_data_get (ViewData * d, ViewResult which)
{
  return d->shown[which] ? d->shown[which]->results[which] : NULL;
}

const gchar *
view_data_error (ViewData * d, ViewResult which)
{
  return d->shown[which] ? d->shown[which]->errors[which] : NULL;
}

gint64
view_data_chart_span (ViewData * d)
{
  return d->shown[VIEW_TIMELINE] ? d->shown[VIEW_TIMELINE]->chart_span : 0;
}

MemTraceFrames *
view_data_frames (ViewData * d)
{
  Source *s = d->source;

  if (!s->frames && !s->reader_failed) {
    s->reader = source_open_reader (s, NULL);
    s->reader_failed = !s->reader;
    if (s->reader)
      s->frames = memtrace_frames_new (memtrace_trace_db (s->reader));
  }
  return s->frames;
}

ViewState
view_data_state (ViewData * d)
{
  return d->state;
}

const gchar *
view_data_state_text (ViewData * d)
{
  return d->state_text;
}

const gchar *
view_data_path (ViewData * d)
{
  return d->source->path;
}

void
view_data_set_window (ViewData * d, const ViewWindow * window)
{
  Request *r = g_new0 (Request, 1);
  guint i;

  window_copy (&d->window, window);
  r->serial = ++d->serial;
  window_copy (&r->window, window);
  /* What depends on the window is computing again. */
  for (i = 0; i < VIEW_N_RESULTS; i++)
    if (depends_on_window (i))
      g_clear_pointer (&d->shown[i], gen_unref);
  g_async_queue_push (d->requests, r);
}

const ViewWindow *
view_data_window (ViewData * d)
{
  return &d->window;
}

gchar *
view_data_window_text (ViewData * d)
{
  const ViewWindow *w = &d->window;

  if (window_by_checkpoints (w))
    return g_strdup_printf ("checkpoint %s to %s",
        w->from_checkpoint ? w->from_checkpoint : "start",
        w->to_checkpoint ? w->to_checkpoint : "end");
  if (window_by_time (w)) {
    gchar *from = w->from_ts > 0 ? g_strdup_printf ("%.3f s",
        w->from_ts / 1e9) : g_strdup ("start");
    gchar *to = w->to_ts > 0 ? g_strdup_printf ("%.3f s", w->to_ts / 1e9) :
        g_strdup ("end");
    gchar *text = g_strdup_printf ("%s to %s", from, to);

    g_free (from);
    g_free (to);
    return text;
  }
  return g_strdup ("whole recording");
}

gboolean
view_data_windowed (ViewData * d, ViewResult which)
{
  return d->shown[which] && d->shown[which]->windowed[which];
}

/* Jobs */

typedef struct
{
  ViewData *d;
  Source *source;
  ViewJobFunc func;
  gpointer arg;
  GDestroyNotify arg_free;
  GDestroyNotify result_free;
  guint id;
} Job;

static gpointer
job_main (gpointer data)
{
  Job *j = data;
  Msg m = { MSG_JOB, };
  MemTraceTrace *t = source_open_reader (j->source, &m.error);

  if (t)
    m.result = j->func (t, j->arg, &m.error);
  memtrace_trace_close (t);
  m.job = j->id;
  m.result_free = j->result_free;
  post (j->d, &m);
  if (j->arg_free)
    j->arg_free (j->arg);
  source_unref (j->source);
  g_atomic_int_dec_and_test (&j->d->running);
  g_free (j);
  return NULL;
}

guint
view_data_run_job (ViewData * d, ViewJobFunc func, gpointer arg,
    GDestroyNotify arg_free, GDestroyNotify result_free)
{
  Job *j = g_new0 (Job, 1);

  j->d = d;
  j->source = source_ref (d->source);
  j->func = func;
  j->arg = arg;
  j->arg_free = arg_free;
  j->result_free = result_free;
  j->id = ++d->next_job;
  g_atomic_int_inc (&d->running);
  g_ptr_array_add (d->job_threads, g_thread_new ("view-job", job_main, j));
  return j->id;
}

gboolean
view_data_take_job (ViewData * d, guint job, gpointer * result,
    GError ** error)
{
  Msg *m = g_hash_table_lookup (d->jobs_done, GUINT_TO_POINTER (job));

  if (!m)
    return FALSE;
  g_hash_table_remove (d->jobs_done, GUINT_TO_POINTER (job));
  *result = g_steal_pointer (&m->result);
  if (m->error)
    g_propagate_error (error, g_steal_pointer (&m->error));
  msg_free (m);
  return TRUE;
}
