/* gst-memtrace view: the Overview screen: what was recorded, in numbers,
 * and live bytes over time. */
#include <string.h>
#include "view-app.h"

#define LABEL 10

static void
put_field (gint y, gint x, gint w, const gchar * label, ViewAttr attr,
    const gchar * value)
{
  view_put (y, x, LABEL, VIEW_ATTR_TITLE, label);
  view_put (y, x + LABEL, w - LABEL, attr, value);
}

/* The overview's numbers: the analyses' once they are there, until then
 * those the trace kept of the whole recording (if it did, and the window
 * is the whole recording). */
static MemTraceSummary *
numbers (ViewApp * app)
{
  const MemTraceSummary *kept = view_app_get (app, VIEW_SUMMARY);
  const ViewWindow *w = view_data_window (view_app_data (app));
  MemTraceSummary *n = memtrace_summary_new ();

  if (kept) {
    GArray *bins = n->bins;

    *n = *kept;
    n->bins = g_array_append_vals (bins, kept->bins->data, kept->bins->len);
  }
  if (w->from_checkpoint || w->to_checkpoint || w->from_ts > 0
      || w->to_ts > 0)
    n->has_timeline = n->has_leaks = FALSE;
  memtrace_summary_set_info (n, view_app_get (app, VIEW_INFO));
  memtrace_summary_set_timeline (n, view_app_get (app, VIEW_TIMELINE));
  memtrace_summary_set_leaks (n, view_app_get (app, VIEW_LEAKS));
  return n;
}

/* The analysis says more than the header (the duration of a trace cut
 * off, live ones' state), once it is there. */
static ViewHeader
header_of (ViewApp * app, const MemTraceInfo * info)
{
  ViewHeader h = *view_data_header (view_app_data (app));

  if (info) {
    h.pid = info->pid;
    h.command = info->command;
    h.gstreamer_version = info->gstreamer_version;
    h.complete = info->complete;
    h.end_reason = info->end_reason;
    h.dropped_events = info->dropped_events;
    h.duration_ns = info->duration_ns;
  }
  return h;
}

static gchar *
state_text (ViewApp * app, const ViewHeader * h, ViewAttr * attr)
{
  ViewState state = view_data_state (view_app_data (app));

  *attr = VIEW_ATTR_GOOD;
  if (state == VIEW_STATE_RECORDING)
    return g_strdup ("recording (live: refreshed every second)");
  if (state == VIEW_STATE_FINISHING)
    return g_strdup ("recording finished: finishing the trace");
  if (h->complete)
    return g_strdup_printf ("complete (%s)", !g_strcmp0 (h->end_reason,
            "deinit") ? "gst_deinit() ran" : "exit without gst_deinit()");
  *attr = VIEW_ATTR_BAD;
  return g_strdup ("INCOMPLETE: the program was killed or crashed");
}

static void
draw_process (ViewApp * app, const MemTraceInfo * info,
    const MemTraceSummary * n, gint y, gint x, gint w)
{
  ViewHeader h = header_of (app, info);
  gchar *duration = view_seconds (h.duration_ns);
  gchar *events = n->has_info ? view_count (n->n_events) : g_strdup ("?");
  gchar *state;
  ViewAttr attr;

  put_field (y, x, w, "Trace", VIEW_ATTR_NORMAL,
      view_data_path (view_app_data (app)));
  view_put (y + 1, x, LABEL, VIEW_ATTR_TITLE, "Process");
  view_putf (y + 1, x + LABEL, w - LABEL, VIEW_ATTR_NORMAL, "%s (pid %"
      G_GINT64_FORMAT "), %s", h.command ? h.command : "?", h.pid,
      h.gstreamer_version ? h.gstreamer_version : "GStreamer ?");
  state = state_text (app, &h, &attr);
  put_field (y + 2, x, w, "State", attr, state);
  view_put (y + 3, x, LABEL, VIEW_ATTR_TITLE, "Duration");
  view_putf (y + 3, x + LABEL, w - LABEL, h.dropped_events ?
      VIEW_ATTR_BAD : VIEW_ATTR_NORMAL, "%s, %s events, %" G_GINT64_FORMAT
      " dropped", duration, events, h.dropped_events);
  g_free (state);
  g_free (events);
  g_free (duration);
}

static void
draw_objects (ViewApp * app, const MemTraceSummary * n, gint y, gint x,
    gint w)
{
  gboolean live = view_data_state (view_app_data (app)) == VIEW_STATE_RECORDING;
  gchar *c, *a, *leaked;

  c = view_count (n->created);
  a = view_count (n->alive);
  if (live)
    leaked = g_strdup ("leaked: known when it ends");
  else if (n->has_leaks)
    leaked = g_strdup_printf ("%" G_GINT64_FORMAT " leaked in %u group%s",
        n->leaked_objects, n->leak_groups, n->leak_groups == 1 ? "" : "s");
  else
    leaked = g_strdup ("leaked: computing");
  view_put (y, x, LABEL, VIEW_ATTR_TITLE, "Objects");
  view_putf (y, x + LABEL, w - LABEL, VIEW_ATTR_NORMAL, "%s created, %s %s, "
      "%s", c, a, live ? "live now" : "alive at the end", leaked);
  g_free (leaked);
  g_free (a);
  g_free (c);
}

static void
draw_peak (ViewApp * app, const MemTraceSummary * n, gint y, gint x, gint w)
{
  gchar *window = view_data_window_text (view_app_data (app));
  gchar *bytes, *when;

  view_put (y, x, LABEL, VIEW_ATTR_TITLE, "Peak");
  if (n->has_timeline) {
    bytes = view_bytes (n->peak_bytes);
    when = view_seconds (n->peak_ts);
    view_putf (y, x + LABEL, w - LABEL, VIEW_ATTR_NORMAL, "%s live at %s "
        "(%" G_GINT64_FORMAT " objects)", bytes, when, n->peak_objects);
    g_free (when);
    g_free (bytes);
  } else {
    view_put (y, x + LABEL, w - LABEL, VIEW_ATTR_DIM,
        view_data_error (view_app_data (app), VIEW_TIMELINE) ?
        view_data_error (view_app_data (app), VIEW_TIMELINE) : "computing");
  }
  put_field (y + 1, x, w, "Window", VIEW_ATTR_NORMAL, window);
  g_free (window);
}

/* Columns of the chart: each the most live bytes of the bins in its
 * time span.  Live, the span is fixed, so the chart fills and then
 * scrolls. */
static guint
chart_columns (const MemTraceSummary * n, const MemTraceTimeline * tl,
    gint64 span, gint64 * cols, guint n_cols)
{
  guint i, used = 0;

  if (!span || !tl) {
    view_resample ((const gint64 *) n->bins->data, n->bins->len, cols,
        n_cols);
    return n_cols;
  }
  memset (cols, 0, n_cols * sizeof (gint64));
  for (i = 0; i < tl->bins->len; i++) {
    const MemTraceTimelineBin *b = &g_array_index (tl->bins,
        MemTraceTimelineBin, i);
    guint c = (b->start_ts - tl->from_ts) * n_cols / span;

    if (c < n_cols) {
      cols[c] = MAX (cols[c], b->bytes);
      used = c + 1;
    }
  }
  return used;
}

static void
draw_axes (const MemTraceSummary * n, gint64 span, gint64 max, gint y,
    gint x, gint h, gint w, gint axis)
{
  gchar *top = view_bytes (max);
  gchar *from = view_seconds (n->from_ts);
  gchar *to = view_seconds (span ? n->from_ts + span : n->to_ts);
  gint i;

  view_put (y, x, axis - 1, VIEW_ATTR_DIM, top);
  view_put (y + h - 1, x, axis - 1, VIEW_ATTR_DIM, "0 B");
  for (i = 0; i < h; i++)
    view_put (y + i, x + axis - 1, 1, VIEW_ATTR_DIM,
        view_glyph (VIEW_GLYPH_VLINE));
  view_put (y + h, x + axis, w - axis, VIEW_ATTR_DIM, from);
  view_put (y + h, x + w - view_width (to), view_width (to), VIEW_ATTR_DIM,
      to);
  g_free (to);
  g_free (from);
  g_free (top);
}

static void
draw_chart (ViewApp * app, const MemTraceSummary * n, gint y, gint x, gint h,
    gint w)
{
  const MemTraceTimeline *tl = view_app_get (app, VIEW_TIMELINE);
  gint64 span = view_data_chart_span (view_app_data (app)), max = 0, *cols;
  gint axis = 11, cw = w - axis;
  guint used, i;

  view_rule (y, x, w, "live bytes over time");
  if (h < 4 || (!n->has_timeline && !view_app_ready (app, VIEW_TIMELINE,
              y + 1, x, h - 1, w)))
    return;
  if (!n->bins->len) {
    view_centered (y + 1, x, h - 1, w, VIEW_ATTR_DIM, "nothing recorded yet");
    return;
  }
  cols = g_new0 (gint64, cw);
  used = chart_columns (n, tl, span, cols, cw);
  for (i = 0; i < used; i++)
    max = MAX (max, cols[i]);
  draw_axes (n, span, max, y + 1, x, h - 2, w, axis);
  view_chart (y + 1, x + axis, h - 2, cw, cols, NULL, used, max);
  g_free (cols);
}

static void
draw (ViewScreen * s, gint y, gint x, gint h, gint w)
{
  ViewApp *app = s->app;
  const MemTraceInfo *info = view_app_get (app, VIEW_INFO);
  MemTraceSummary *n = numbers (app);

  draw_process (app, info, n, y + 1, x + 1, w - 2);
  if (n->has_info)
    draw_objects (app, n, y + 5, x + 1, w - 2);
  else
    put_field (y + 5, x + 1, w - 2, "Objects", VIEW_ATTR_DIM,
        view_data_error (view_app_data (app), VIEW_INFO) ?
        view_data_error (view_app_data (app), VIEW_INFO) : "counting");
  draw_peak (app, n, y + 6, x + 1, w - 2);
  draw_chart (app, n, y + 9, x, h - 9, w);
  memtrace_summary_free (n);
}

ViewScreen *
view_overview_new (ViewApp * app)
{
  ViewScreen *s = g_new0 (ViewScreen, 1);

  s->name = "Overview";
  s->tab = "Overview";
  s->app = app;
  s->draw = draw;
  return s;
}
