/* gst-memtrace: the HTML report, one self-contained page.
 *
 * No script, no external resource: inline CSS and inline SVG charts, with
 * <details> for what folds, so that it opens offline, from a CI artifact,
 * with JavaScript off.  A Content-Security-Policy forbids scripts and every
 * load, as a second line behind the escaping: every string from the trace
 * (element and pad names, file names, the command line) goes through esc().
 *
 * The charts are drawn by functions that take plain arrays (put_line_chart,
 * put_histogram, put_icicle), fed by the analyses when the report carries
 * them; a chart without data is left out. */
#include <locale.h>
#include <string.h>
#include "report-formats.h"
#include "memtrace-timeline.h"
#include "memtrace-lifetimes.h"
#include "memtrace-hotspots.h"

/* The analyses the report may carry.  MemTraceReport does not have them
 * yet: until it does these are NULL, and the charts that need them are
 * left out.  Then: (r)->timeline, (r)->lifetimes, (r)->hotspots. */
#define REPORT_TIMELINE(r) ((r)->timeline)
#define REPORT_LIFETIMES(r) ((r)->lifetimes)
#define REPORT_HOTSPOTS(r) ((r)->hotspots)

#define STACK_LINES 48          /* frames shown per stack */
#define GROUPS_OPEN 3           /* leak groups unfolded at first */
#define MAX_GROUPS 500          /* groups shown in detail */
#define CHART_W 1000            /* SVG user units */
#define FLAME_ROW 18
#define FLAME_MAX_DEPTH 64
#define N_TYPE_HISTOGRAMS 5

typedef struct
{
  MemTraceReport *r;
  const MemTraceFormatOptions *o;
  GString *s;
} Html;

static void
put (Html * h, const gchar * format, ...) G_GNUC_PRINTF (2, 3);

static void
put (Html * h, const gchar * format, ...)
{
  va_list ap;

  va_start (ap, format);
  g_string_append_vprintf (h->s, format, ap);
  va_end (ap);
}

/* Text and attribute values alike. */
static void
esc (Html * h, const gchar * s)
{
  memtrace_format_append_markup (h->s, s, MEMTRACE_MARKUP_HTML);
}

static void
put_bytes (Html * h, gint64 bytes)
{
  gchar *b = memtrace_format_bytes (bytes);

  put (h, "%s", b);
  g_free (b);
}

/* "1.5 ms" */
static gchar *
format_ns (gint64 ns)
{
  if (ns < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " ns", ns);
  if (ns < 1000000)
    return g_strdup_printf ("%.3g µs", ns / 1e3);
  if (ns < 1000000000)
    return g_strdup_printf ("%.3g ms", ns / 1e6);
  return g_strdup_printf ("%.3g s", ns / 1e9);
}

/* Page */

static const gchar style[] =
    ":root{--fg:#1d2125;--bg:#fff;--dim:#6a737d;--line:#d8dee4;"
    "--card:#f6f8fa;--bad:#c62828;--good:#2e7d32;--accent:#1565c0}"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;"
    "--dim:#8b949e;--line:#30363d;--card:#161b22;--bad:#f47067;"
    "--good:#57ab5a;--accent:#539bf5}}"
    "*{box-sizing:border-box}"
    "body{margin:0 auto;max-width:1200px;padding:1.5em;color:var(--fg);"
    "background:var(--bg);font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
    "Roboto,sans-serif}"
    "h1{font-size:1.6em;margin:0 0 .3em}h2{font-size:1.25em;margin:1.6em 0 .6em;"
    "border-bottom:1px solid var(--line);padding-bottom:.2em}"
    "h3{font-size:1em;margin:1em 0 .4em}"
    "code,.mono,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
    "monospace;font-size:.9em}"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;"
    "margin:.5em 0}dl.meta dt{color:var(--dim)}dl.meta dd{margin:0;"
    "overflow-wrap:anywhere}"
    ".status{padding:.7em 1em;border-radius:6px;font-weight:600;margin:1em 0}"
    ".status.bad{background:color-mix(in srgb,var(--bad) 14%,transparent);"
    "color:var(--bad)}.status.good{background:color-mix(in srgb,var(--good) "
    "14%,transparent);color:var(--good)}"
    ".warn{border-left:4px solid var(--bad);padding:.3em .8em;margin:.5em 0}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,"
    "1fr));gap:.6em}.card{background:var(--card);border:1px solid var(--line);"
    "border-radius:6px;padding:.5em .8em}.card .v{font-size:1.35em;"
    "font-weight:600}.card .k{color:var(--dim);font-size:.85em}"
    "table{border-collapse:collapse;margin:.4em 0}th,td{border-bottom:1px "
    "solid var(--line);padding:.25em .8em;text-align:left;vertical-align:top}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "details.group{border:1px solid var(--line);border-radius:6px;margin:.5em 0;"
    "padding:.3em .8em;background:var(--card)}details.group>summary{cursor:"
    "pointer;font-weight:600;overflow-wrap:anywhere}"
    "details.group[open]>summary{margin-bottom:.4em}"
    "ol.stack{margin:.2em 0 .6em;padding-left:3.2em;font-family:ui-monospace,"
    "SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}"
    "ol.stack li{overflow-wrap:anywhere}ol.stack .rt{color:var(--dim)}"
    "ol.stack .loc{color:var(--accent)}ol.stack .mod{color:var(--dim)}"
    ".dim{color:var(--dim)}"
    "figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}"
    "svg.chart{width:100%;height:auto;display:block;background:var(--card);"
    "border:1px solid var(--line);border-radius:6px}"
    "svg text{fill:var(--fg);font:11px system-ui,sans-serif}"
    "svg .axis{stroke:var(--dim);stroke-width:1}svg .grid{stroke:var(--line);"
    "stroke-width:1}svg .area{fill:color-mix(in srgb,var(--accent) 30%,"
    "transparent);stroke:var(--accent);stroke-width:1.5}"
    "svg .bar{fill:var(--accent)}svg .peak{stroke:var(--bad);stroke-width:1;"
    "stroke-dasharray:4 3}"
    "svg.flame text{fill:#000;font:11px ui-monospace,Menlo,Consolas,"
    "monospace;pointer-events:none}svg.flame rect{stroke:var(--card);"
    "stroke-width:.5}"
    ".hists{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,"
    "1fr));gap:.8em}"
    "footer{margin-top:2em;color:var(--dim);font-size:.85em}";

static void
put_head (Html * h)
{
  gchar *base = g_path_get_basename (h->r->file ? h->r->file : "trace");

  put (h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
      "<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"gst-memtrace " PACKAGE_VERSION
      "\">\n<title>gst-memtrace: ");
  esc (h, base);
  put (h, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
  g_free (base);
}

static void
put_meta_row (Html * h, const gchar * key, const gchar * value)
{
  put (h, "<dt>%s</dt><dd>", key);
  esc (h, value);
  put (h, "</dd>\n");
}

static void
put_header (Html * h)
{
  MemTraceReport *r = h->r;
  MemTraceLeaks *l = r->leaks;
  gchar *v;

  put (h, "<header>\n<h1>gst-memtrace report</h1>\n<dl class=\"meta\">\n");
  put_meta_row (h, "Trace", r->file);
  put_meta_row (h, "Command", r->command);
  v = g_strdup_printf ("%" G_GINT64_FORMAT, r->pid);
  put_meta_row (h, "Process", v);
  g_free (v);
  put_meta_row (h, "GStreamer", r->gstreamer_version ? r->gstreamer_version :
      "unknown");
  put_meta_row (h, "Recording", !r->complete ? "incomplete: the program was "
      "killed or crashed; this is everything up to its last flush" :
      !g_strcmp0 (r->end_reason, "deinit") ? "complete, ended at gst_deinit()"
      : "complete, ended without gst_deinit(): objects are reported as "
      "alive at exit");
  v = format_ns (r->duration_ns);
  put_meta_row (h, "Duration", v);
  g_free (v);
  if (r->dropped_events) {
    v = g_strdup_printf ("%" G_GINT64_FORMAT " (the numbers below may be "
        "wrong)", r->dropped_events);
    put_meta_row (h, "Dropped events", v);
    g_free (v);
  }
  if (l->from_checkpoint || l->to_checkpoint) {
    v = g_strdup_printf ("leaks made from %s to %s", l->from_checkpoint ?
        l->from_checkpoint : "the start", l->to_checkpoint ?
        l->to_checkpoint : "the end");
    put_meta_row (h, "Window", v);
    g_free (v);
  }
  put (h, "</dl>\n");
  if (!r->complete)
    put (h, "<p class=\"warn\">This trace is incomplete: the program was "
        "killed or crashed.</p>\n");
  put (h, "</header>\n");
}

static void
put_card (Html * h, const gchar * key, const gchar * value)
{
  put (h, "<div class=\"card\"><div class=\"v\">%s</div><div class=\"k\">%s"
      "</div></div>\n", value, key);
}

static void
put_card_int (Html * h, const gchar * key, gint64 value)
{
  gchar *v = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  put_card (h, key, v);
  g_free (v);
}

static void
put_card_bytes (Html * h, const gchar * key, gint64 value)
{
  gchar *v = memtrace_format_bytes (value);

  put_card (h, key, v);
  g_free (v);
}

static void
put_summary (Html * h)
{
  MemTraceReport *r = h->r;
  MemTraceLeaks *l = r->leaks;

  put (h, "<section id=\"summary\">\n");
  if (l->n_unsuppressed_groups) {
    put (h, "<div class=\"status bad\">Leaks: %u group%s, %" G_GINT64_FORMAT
        " objects, ", l->n_unsuppressed_groups,
        l->n_unsuppressed_groups > 1 ? "s" : "", l->leaked_objects);
    put_bytes (h, l->leaked_bytes);
    put (h, "</div>\n");
  } else {
    put (h, "<div class=\"status good\">No leaks</div>\n");
  }
  put (h, "<div class=\"cards\">\n");
  put_card_int (h, "objects created", r->objects_created);
  put_card_int (h, "leaked objects", l->leaked_objects);
  put_card_bytes (h, "leaked bytes (payload)", l->leaked_bytes);
  put_card_int (h, "leak groups", l->n_unsuppressed_groups);
  put_card_int (h, "suppressed objects", l->suppressed_objects);
  put_card_int (h, "flagged MAY_BE_LEAKED (not counted)",
      l->may_be_leaked_objects);
  put_card_int (h, "released by gst_deinit (not counted)",
      l->released_by_deinit);
  put_card_bytes (h, "peak live bytes (payload)", r->peak_bytes);
  put (h, "</div>\n</section>\n");
}

/* Charts: plain arrays in, inline SVG out. */

static void
put_svg_open (Html * h, const gchar * cls, gint width, gint height,
    const gchar * label)
{
  put (h, "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" "
      "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"",
      cls, width, height);
  esc (h, label);
  put (h, "\">\n");
}

/* A series over time as a step area: x_ns[i] is the start of bin i, y[i]
 * its value (bytes); mark_ns, if >= 0, is marked (the peak). */
static void
put_line_chart (Html * h, const gchar * title, const gint64 * x_ns,
    const gint64 * y, guint n, gint64 end_ns, gint64 mark_ns)
{
  const gint H = 260, L = 80, R = 20, T = 15, B = 35;
  gint64 x0, x1, ymax = 1;
  gdouble sx, sy;
  guint i;
  gint t;

  if (!n)
    return;
  x0 = x_ns[0];
  x1 = MAX (end_ns, x_ns[n - 1] + 1);
  for (i = 0; i < n; i++)
    ymax = MAX (ymax, y[i]);
  sx = (gdouble) (CHART_W - L - R) / (x1 - x0);
  sy = (gdouble) (H - T - B) / ymax;
  put (h, "<figure>\n<figcaption>");
  esc (h, title);
  put (h, "</figcaption>\n");
  put_svg_open (h, "timeline", CHART_W, H, title);
  for (t = 0; t <= 4; t++) {
    gint64 v = ymax * t / 4;
    gdouble py = H - B - v * sy;
    gchar *label = memtrace_format_bytes (v);

    put (h, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" "
        "y2=\"%.1f\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s"
        "</text>\n", L, CHART_W - R, py, py, L - 6, py + 4, label);
    g_free (label);
  }
  for (t = 0; t <= 5; t++) {
    gint64 v = (x1 - x0) * t / 5;
    gdouble px = L + v * sx;
    gchar *label = format_ns (x0 + v);

    put (h, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
        "y2=\"%d\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s"
        "</text>\n", px, px, H - B, H - B + 5, px, H - B + 18, label);
    g_free (label);
  }
  put (h, "<path class=\"area\" d=\"M%d %d", L, H - B);
  for (i = 0; i < n; i++) {
    gdouble px0 = L + (x_ns[i] - x0) * sx;
    gdouble px1 = L + ((i + 1 < n ? x_ns[i + 1] : x1) - x0) * sx;
    gdouble py = H - B - y[i] * sy;

    put (h, " L%.1f %.1f L%.1f %.1f", px0, py, px1, py);
  }
  put (h, " L%d %d Z\"/>\n", CHART_W - R, H - B);
  put (h, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n",
      L, CHART_W - R, H - B, H - B);
  if (mark_ns >= x0 && mark_ns <= x1) {
    gdouble px = L + (mark_ns - x0) * sx;

    put (h, "<line class=\"peak\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
        "y2=\"%d\"/><text x=\"%.1f\" y=\"%d\">peak</text>\n", px, px, T,
        H - B, px + 4, T + 10);
  }
  put (h, "</svg>\n</figure>\n");
}

/* Bars: labels[i] under each, counts[i] its height; width in SVG units
 * (smaller for small multiples, so that their text stays legible). */
static void
put_histogram (Html * h, const gchar * title, const gchar * const *labels,
    const gint64 * counts, guint n, gint width)
{
  const gint H = width < CHART_W ? 170 : 200, L = 50, R = 10, T = 12, B = 40;
  guint max_labels = width / 45;
  gint64 cmax = 1;
  gdouble w, sy;
  guint i;

  if (!n)
    return;
  for (i = 0; i < n; i++)
    cmax = MAX (cmax, counts[i]);
  w = (gdouble) (width - L - R) / n;
  sy = (gdouble) (H - T - B) / cmax;
  put (h, "<figure>\n<figcaption>");
  esc (h, title);
  put (h, "</figcaption>\n");
  put_svg_open (h, "hist", width, H, title);
  put (h, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%" G_GINT64_FORMAT
      "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
      L - 6, T + 8, cmax, L - 6, H - B);
  for (i = 0; i < n; i++) {
    gdouble bh = counts[i] * sy;

    put (h, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
        "height=\"%.1f\"><title>", L + i * w + 1, H - B - bh, MAX (w - 2,
            1), bh);
    esc (h, labels[i]);
    put (h, ": %" G_GINT64_FORMAT "</title></rect>\n", counts[i]);
    if (n <= max_labels || i % ((n + max_labels - 1) / max_labels) == 0) {
      put (h, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", L + (i +
              0.5) * w, H - B + 14 + (i % 2) * 12);
      esc (h, labels[i]);
      put (h, "</text>\n");
    }
  }
  put (h, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n",
      L, width - R, H - B, H - B);
  put (h, "</svg>\n</figure>\n");
}

/* Flame graph as an icicle: the outermost frame on top. */
typedef struct _Flame Flame;
struct _Flame
{
  gchar *name;                  /* shown in the box */
  gchar *detail;                /* in the tooltip */
  gboolean runtime;
  gint64 weight;
  GPtrArray *children;          /* Flame * */
};

static Flame *
flame_new (const gchar * name, const gchar * detail, gboolean runtime)
{
  Flame *f = g_new0 (Flame, 1);

  f->name = g_strdup (name);
  f->detail = g_strdup (detail);
  f->runtime = runtime;
  return f;
}

static void
flame_free (Flame * f)
{
  if (f->children)
    g_ptr_array_unref (f->children);
  g_free (f->name);
  g_free (f->detail);
  g_free (f);
}

static Flame *
flame_child (Flame * parent, const gchar * name, const gchar * detail,
    gboolean runtime)
{
  Flame *c;
  guint i;

  if (!parent->children)
    parent->children = g_ptr_array_new_with_free_func ((GDestroyNotify)
        flame_free);
  for (i = 0; i < parent->children->len; i++) {
    c = g_ptr_array_index (parent->children, i);
    if (!strcmp (c->name, name))
      return c;
  }
  c = flame_new (name, detail, runtime);
  g_ptr_array_add (parent->children, c);
  return c;
}

static gchar *
frame_label (const MemTraceFrame * f)
{
  const gchar *mod = memtrace_frame_module_name (f);

  if (f->function)
    return g_strdup (f->function);
  return g_strdup_printf ("%s@0x%" G_GINT64_MODIFIER "x", mod ? mod : "",
      f->address);
}

/* Adds weight along a stack (innermost first, as the frames come). */
static void
flame_add (Flame * root, GPtrArray * frames, gint64 weight)
{
  Flame *node = root;
  guint i;

  root->weight += weight;
  for (i = frames->len; i-- > 0;) {
    const MemTraceFrame *f = g_ptr_array_index (frames, i);
    gchar *label, *detail;

    if (memtrace_frame_is_tracer (f))
      continue;
    label = frame_label (f);
    detail = memtrace_frame_describe (f);

    node = flame_child (node, label, detail, memtrace_frame_is_runtime (f));
    node->weight += weight;
    g_free (detail);
    g_free (label);
  }
  if (node == root) {
    node = flame_child (node, "[no stack]", "no stack recorded", TRUE);
    node->weight += weight;
  }
}

static gint
flame_cmp (gconstpointer a, gconstpointer b)
{
  const Flame *x = *(Flame **) a, *y = *(Flame **) b;

  if (x->weight != y->weight)
    return x->weight < y->weight ? 1 : -1;
  return strcmp (x->name, y->name);
}

static guint
flame_depth (Flame * f)
{
  guint i, d = 0;

  /* Not MAX (d, flame_depth (...)): the macro would evaluate the call
   * twice, 2^depth calls in all unless the optimiser merges them. */
  for (i = 0; f->children && i < f->children->len; i++) {
    guint c = flame_depth (g_ptr_array_index (f->children, i));

    d = MAX (d, c);
  }
  return d + 1;
}

/* A warm colour from the name, as flamegraph.pl does; GStreamer, GLib and
 * libc in cool grey-blue. */
static void
flame_colour (const Flame * f, gchar * buf, gsize size)
{
  guint hash = g_str_hash (f->name);

  if (f->runtime)
    g_snprintf (buf, size, "hsl(%u,25%%,%u%%)", 200 + hash % 30,
        70 + (hash >> 8) % 12);
  else
    g_snprintf (buf, size, "hsl(%u,85%%,%u%%)", 10 + hash % 40,
        58 + (hash >> 8) % 14);
}

static void
flame_draw (Html * h, Flame * f, gdouble x, gdouble w, guint depth,
    gint64 total, const gchar * unit)
{
  gdouble y = depth * FLAME_ROW, cx = x;
  gchar colour[32];
  guint i, chars;

  if (w < 0.3 || depth >= FLAME_MAX_DEPTH)
    return;
  flame_colour (f, colour, sizeof (colour));
  put (h, "<g><title>");
  esc (h, f->detail);
  put (h, "\n%" G_GINT64_FORMAT " %s (%.1f%%)</title><rect x=\"%.2f\" "
      "y=\"%.0f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>", f->weight, unit,
      100.0 * f->weight / MAX (total, 1), x, y, w, FLAME_ROW - 1, colour);
  chars = w > 14 ? (guint) ((w - 6) / 6.7) : 0;
  if (chars >= 3) {
    glong len = g_utf8_strlen (f->name, -1);
    gchar *cut = g_utf8_substring (f->name, 0, MIN (len, (glong) chars - 1));
    gchar *text = len <= chars ? g_strdup (f->name) :
        g_strconcat (cut, "…", NULL);

    put (h, "<text x=\"%.2f\" y=\"%.0f\">", x + 3, y + FLAME_ROW - 5);
    esc (h, text);
    put (h, "</text>");
    g_free (text);
    g_free (cut);
  }
  put (h, "</g>\n");
  if (!f->children)
    return;
  g_ptr_array_sort (f->children, flame_cmp);
  for (i = 0; i < f->children->len; i++) {
    Flame *c = g_ptr_array_index (f->children, i);
    gdouble cw = w * c->weight / MAX (f->weight, 1);

    flame_draw (h, c, cx, cw, depth + 1, total, unit);
    cx += cw;
  }
}

static void
put_icicle (Html * h, const gchar * id, const gchar * title, Flame * root,
    const gchar * unit)
{
  guint depth = flame_depth (root);
  gint height = MIN (depth, FLAME_MAX_DEPTH) * FLAME_ROW;

  if (!root->weight)
    return;
  put (h, "<figure id=\"%s\">\n<figcaption>", id);
  esc (h, title);
  put (h, "</figcaption>\n<p class=\"dim\">Outermost frame on top; the width "
      "of a box is its share. Hover for the frame and its weight. Warm: the "
      "program and its plugins; grey-blue: GStreamer, GLib and libc.</p>\n");
  put (h, "<svg class=\"chart flame\" viewBox=\"0 0 %d %d\" "
      "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"",
      CHART_W, height);
  esc (h, title);
  put (h, "\">\n");
  flame_draw (h, root, 0, CHART_W, 0, root->weight, unit);
  put (h, "</svg>\n</figure>\n");
}

/* What the analyses give the charts. */

static void
put_timeline (Html * h, const MemTraceTimeline * tl)
{
  gint64 *x, *y;
  guint i;

  if (!tl || !tl->bins || !tl->bins->len)
    return;
  x = g_new (gint64, tl->bins->len);
  y = g_new (gint64, tl->bins->len);
  for (i = 0; i < tl->bins->len; i++) {
    MemTraceTimelineBin *b = &g_array_index (tl->bins, MemTraceTimelineBin,
        i);

    x[i] = b->start_ts;
    y[i] = b->bytes;
  }
  put_line_chart (h, "Live payload bytes over time", x, y, tl->bins->len,
      tl->to_ts, tl->peak_ts);
  g_free (y);
  g_free (x);
}

/* Buckets of a lifetime distribution, from the first to the last used. */
static void
put_lifetime_dist (Html * h, const gchar * title,
    const MemTraceLifetimeDist * d, gint width)
{
  gchar *labels[MEMTRACE_LIFETIME_N_BUCKETS];
  guint first = MEMTRACE_LIFETIME_N_BUCKETS, last = 0, i;

  for (i = 0; i < MEMTRACE_LIFETIME_N_BUCKETS; i++)
    if (d->buckets[i]) {
      first = MIN (first, i);
      last = i;
    }
  if (first > last)
    return;
  for (i = first; i <= last; i++)
    labels[i] = i ? format_ns ((gint64) 1 << (i - 1)) : g_strdup ("0");
  put_histogram (h, title, (const gchar * const *) labels + first,
      d->buckets + first, last - first + 1, width);
  for (i = first; i <= last; i++)
    g_free (labels[i]);
}

static void
put_lifetimes (Html * h, const MemTraceLifetimes * lt)
{
  guint i;

  if (!lt || !lt->all.count)
    return;
  put (h, "<h3>Lifetimes</h3>\n<p class=\"dim\">Objects destroyed, by how "
      "long they lived (each bar from the time under it to twice "
      "that).</p>\n");
  put_lifetime_dist (h, "All objects", &lt->all, CHART_W);
  put (h, "<div class=\"hists\">\n");
  for (i = 0; lt->by_type && i < lt->by_type->len && i < N_TYPE_HISTOGRAMS;
      i++) {
    const MemTraceLifetimeDist *d = g_ptr_array_index (lt->by_type, i);

    put_lifetime_dist (h, d->name, d, CHART_W / 2);
  }
  put (h, "</div>\n");
}

/* Objects created, by site: each site's objects drawn on the stack that
 * made most of them (the hotspots analysis keeps one stack per site), so
 * the totals are right and the callers above a site are approximate. */
static void
put_hotspots_flame (Html * h, const MemTraceHotspots * hs)
{
  Flame *root;
  guint i;

  if (!hs || !hs->sites || !hs->sites->len)
    return;
  root = flame_new ("all", "all objects created", TRUE);
  for (i = 0; i < hs->sites->len; i++) {
    MemTraceHotspot *s = &g_array_index (hs->sites, MemTraceHotspot, i);

    flame_add (root, memtrace_frames_get (h->r->frames, s->stack_id),
        s->objects);
  }
  put_icicle (h, "flame-allocations", "Objects created, by site (on each "
      "site's main stack)", root, "objects");
  flame_free (root);
}

/* Leaked objects (roots and all they hold) by the root's creation stack,
 * or its pool acquire stack. */
static void
put_leaks_flame (Html * h)
{
  GPtrArray *groups = h->r->leaks->groups;
  Flame *root = flame_new ("all", "all leaked objects", TRUE);
  guint i;

  for (i = 0; i < groups->len; i++) {
    MemTraceLeakGroup *g = g_ptr_array_index (groups, i);

    if (!g->suppressed_by)
      flame_add (root, memtrace_frames_get (h->r->frames,
              memtrace_leak_group_site_stack (g)),
          memtrace_leak_group_all_objects (g));
  }
  put_icicle (h, "flame-leaks", "Leaked objects, by creation stack", root,
      "objects");
  flame_free (root);
}

static void
put_charts (Html * h)
{
  MemTraceReport *r = h->r;
  GString *saved = h->s;
  GString *charts = g_string_new (NULL);

  h->s = charts;
  put_timeline (h, REPORT_TIMELINE (r));
  put_lifetimes (h, REPORT_LIFETIMES (r));
  put_hotspots_flame (h, REPORT_HOTSPOTS (r));
  put_leaks_flame (h);
  h->s = saved;
  if (charts->len)
    put (h, "<section id=\"charts\">\n<h2>Charts</h2>\n%s</section>\n",
        charts->str);
  g_string_free (charts, TRUE);
}

/* Leak groups */

static void
put_stack (Html * h, gint64 stack_id, const gchar * title)
{
  GPtrArray *frames = memtrace_frames_get (h->r->frames, stack_id);
  guint i;

  if (!frames->len)
    return;
  put (h, "<h3>%s</h3>\n<ol class=\"stack\" start=\"0\">\n", title);
  for (i = 0; i < frames->len && i < STACK_LINES; i++) {
    const MemTraceFrame *f = g_ptr_array_index (frames, i);
    const gchar *mod = memtrace_frame_module_name (f);

    put (h, "<li%s>", memtrace_frame_is_runtime (f) ? " class=\"rt\"" : "");
    if (f->function) {
      put (h, "<span class=\"fn\">");
      esc (h, f->function);
      put (h, "</span>");
    } else {
      put (h, "<span class=\"fn\">0x%" G_GINT64_MODIFIER "x</span>",
          f->address);
    }
    if (f->file) {
      put (h, " <span class=\"loc\">");
      esc (h, f->file);
      if (f->line)
        put (h, ":%u", f->line);
      put (h, "</span>");
    }
    if (mod) {
      put (h, " <span class=\"mod\">");
      esc (h, mod);
      put (h, "</span>");
    }
    put (h, "</li>\n");
  }
  put (h, "</ol>\n");
  if (i < frames->len)
    put (h, "<p class=\"dim\">… %u more frames</p>\n", frames->len - i);
}

/* The formats' stack titles, as headings: capitalised. */
static void
put_group_stack (gint64 stack_id, const gchar * title, gpointer data)
{
  gchar *heading = g_strdup (title);

  heading[0] = g_ascii_toupper (heading[0]);
  put_stack (data, stack_id, heading);
  g_free (heading);
}

static void
put_group (Html * h, MemTraceLeakGroup * g, guint n, gboolean open)
{
  gchar *where = memtrace_format_group_where (h->r, g);
  guint i;

  put (h, "<details class=\"group\" id=\"leak-%u\"%s>\n<summary>#%u %"
      G_GINT64_FORMAT " ", n, open ? " open" : "", n, g->objects);
  esc (h, g->type);
  put (h, ", ");
  put_bytes (h, g->bytes);
  put (h, " <span class=\"dim\">%s ", g->acquire_stack_id ? "acquired at" :
      "made at");
  esc (h, where);
  put (h, "</span></summary>\n<table>\n");
  put (h, "<tr><th>type</th><td>");
  esc (h, g->type);
  put (h, "</td></tr>\n<tr><th>objects</th><td>%" G_GINT64_FORMAT
      " (roots of the leak)</td></tr>\n", g->objects);
  put (h, "<tr><th>bytes</th><td>");
  put_bytes (h, g->bytes);
  put (h, " payload, %" G_GINT64_FORMAT " allocated, with all it holds"
      "</td></tr>\n", g->allocated_bytes);
  put (h, "<tr><th>state</th><td>%s</td></tr>\n",
      memtrace_leak_state_name (g->state));
  if (g->last_pad) {
    put (h, "<tr><th>last pad</th><td class=\"mono\">");
    esc (h, g->last_pad);
    put (h, "</td></tr>\n");
  }
  if (g->holds->len) {
    put (h, "<tr><th>holds</th><td>");
    for (i = 0; i < g->holds->len; i++) {
      MemTraceTally *t = &g_array_index (g->holds, MemTraceTally, i);

      put (h, "%s%" G_GINT64_FORMAT " ", i ? ", " : "", t->objects);
      esc (h, t->type);
      if (t->bytes) {
        put (h, " (");
        put_bytes (h, t->bytes);
        put (h, ")");
      }
    }
    put (h, "</td></tr>\n");
  }
  if (g->suppressed_by) {
    put (h, "<tr><th>suppressed by</th><td class=\"mono\">");
    esc (h, g->suppressed_by);
    put (h, "</td></tr>\n");
  }
  put (h, "</table>\n");
  memtrace_format_group_stacks (g, put_group_stack, h);
  put (h, "</details>\n");
  g_free (where);
}

static void
put_groups (Html * h, gboolean suppressed)
{
  GPtrArray *groups = h->r->leaks->groups;
  guint i, shown = 0, left = 0;

  for (i = 0; i < groups->len; i++) {
    MemTraceLeakGroup *g = g_ptr_array_index (groups, i);

    if (!g->suppressed_by != !suppressed)
      continue;
    if (shown < MAX_GROUPS)
      put_group (h, g, i + 1, !suppressed && shown < GROUPS_OPEN);
    else
      left++;
    shown++;
  }
  if (left)
    put (h, "<p>… and %u more groups (the JSON report has them all).</p>\n",
        left);
}

static void
put_leaks (Html * h)
{
  MemTraceLeaks *l = h->r->leaks;
  guint n_suppressed = l->groups->len - l->n_unsuppressed_groups;

  put (h, "<section id=\"leaks\">\n<h2>Leaks</h2>\n");
  put (h, "<p class=\"dim\">One group per type and site: the objects nobody "
      "else leaked holds (roots), with what they hold. %" G_GINT64_FORMAT
      " objects flagged MAY_BE_LEAKED and %" G_GINT64_FORMAT " that "
      "gst_deinit() would have released are not counted.</p>\n",
      l->may_be_leaked_objects, l->released_by_deinit);
  if (l->n_unsuppressed_groups)
    put_groups (h, FALSE);
  else
    put (h, "<p>No leaks.</p>\n");
  put (h, "</section>\n");

  if (l->leaked_by_type->len) {
    guint i;

    put (h, "<section id=\"by-type\">\n<h2>Leaked by type</h2>\n<table>\n"
        "<tr><th>type</th><th class=\"n\">objects</th><th class=\"n\">bytes"
        "</th><th class=\"n\">allocated bytes</th></tr>\n");
    for (i = 0; i < l->leaked_by_type->len; i++) {
      MemTraceTally *t = &g_array_index (l->leaked_by_type, MemTraceTally, i);

      put (h, "<tr><td>");
      esc (h, t->type);
      put (h, "</td><td class=\"n\">%" G_GINT64_FORMAT "</td><td class=\"n\">"
          "%" G_GINT64_FORMAT "</td><td class=\"n\">%" G_GINT64_FORMAT
          "</td></tr>\n", t->objects, t->bytes, t->allocated_bytes);
    }
    put (h, "</table>\n</section>\n");
  }

  if (n_suppressed) {
    put (h, "<section id=\"suppressed\">\n<h2>Suppressed</h2>\n<details>"
        "<summary>%u suppressed group%s, %" G_GINT64_FORMAT " objects"
        "</summary>\n", n_suppressed, n_suppressed > 1 ? "s" : "",
        l->suppressed_objects);
    put_groups (h, TRUE);
    put (h, "</details>\n</section>\n");
  }
}

gboolean
memtrace_report_write_html (MemTraceReport * r,
    const MemTraceFormatOptions * o, FILE * out, GError ** error)
{
  Html h = { r, o, g_string_new (NULL) };
  /* SVG numbers take a dot, whatever the user's locale. */
  locale_t c = newlocale (LC_NUMERIC_MASK, "C", (locale_t) 0);
  locale_t old = uselocale (c);

  put_head (&h);
  put_header (&h);
  put_summary (&h);
  put_leaks (&h);
  put_charts (&h);
  put (&h, "<footer>Made by gst-memtrace " PACKAGE_VERSION " from ");
  esc (&h, r->file);
  put (&h, ". Every number is in the JSON report too (<code>--format "
      "json</code>).</footer>\n</body>\n</html>\n");
  uselocale (old);
  freelocale (c);
  fwrite (h.s->str, 1, h.s->len, out);
  g_string_free (h.s, TRUE);
  return TRUE;
}
