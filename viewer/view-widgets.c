/* gst-memtrace view: drawing shared by the screens. */
#include <curses.h>
#include <string.h>
#include "view-widgets.h"

static gboolean unicode;
static gint attrs[VIEW_N_ATTRS];

static const gchar *const utf8_glyphs[VIEW_N_GLYPHS] = {
  "\u2500", "\u2502", "\u2588", "\u2591", "\u2192", "\u2026", "\u25cf",
};

static const gchar *const ascii_glyphs[VIEW_N_GLYPHS] = {
  "-", "|", "#", ":", "->", "...", "*",
};

/* Eighths of a block, from empty to full. */
static const gchar *const eighths[9] = {
  " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
  "\u2588",
};

static void
init_colors (void)
{
  static const struct
  {
    ViewAttr attr;
    gshort fg, bg;
    gint extra;
  } pairs[] = {
    {VIEW_ATTR_TITLE, COLOR_CYAN, -1, A_BOLD},
    {VIEW_ATTR_SELECTED, COLOR_BLACK, COLOR_CYAN, 0},
    {VIEW_ATTR_BAD, COLOR_RED, -1, A_BOLD},
    {VIEW_ATTR_GOOD, COLOR_GREEN, -1, 0},
    {VIEW_ATTR_CHART, COLOR_CYAN, -1, 0},
    {VIEW_ATTR_CHART2, COLOR_BLUE, -1, 0},
    {VIEW_ATTR_HEADER, COLOR_YELLOW, -1, A_BOLD},
    {VIEW_ATTR_BAR, COLOR_BLACK, COLOR_WHITE, 0},
    {VIEW_ATTR_BAR_ACTIVE, COLOR_BLACK, COLOR_YELLOW, A_BOLD},
  };
  guint i;

  start_color ();
  use_default_colors ();
  for (i = 0; i < G_N_ELEMENTS (pairs); i++) {
    init_pair (i + 1, pairs[i].fg, pairs[i].bg);
    attrs[pairs[i].attr] = COLOR_PAIR (i + 1) | pairs[i].extra;
  }
}

void
view_widgets_init (gboolean color, gboolean utf8)
{
  unicode = utf8;
  attrs[VIEW_ATTR_NORMAL] = A_NORMAL;
  attrs[VIEW_ATTR_TITLE] = A_BOLD;
  attrs[VIEW_ATTR_SELECTED] = A_REVERSE;
  attrs[VIEW_ATTR_DIM] = A_DIM;
  attrs[VIEW_ATTR_BAD] = A_BOLD;
  attrs[VIEW_ATTR_GOOD] = A_NORMAL;
  attrs[VIEW_ATTR_CHART] = A_NORMAL;
  attrs[VIEW_ATTR_CHART2] = A_DIM;
  attrs[VIEW_ATTR_HEADER] = A_BOLD | A_UNDERLINE;
  attrs[VIEW_ATTR_BAR] = A_REVERSE;
  attrs[VIEW_ATTR_BAR_ACTIVE] = A_BOLD;
  if (color && has_colors ())
    init_colors ();
}

gboolean
view_widgets_unicode (void)
{
  return unicode;
}

gint
view_attr (ViewAttr a)
{
  return attrs[a];
}

const gchar *
view_glyph (ViewGlyph g)
{
  return unicode ? utf8_glyphs[g] : ascii_glyphs[g];
}

gint
view_width (const gchar * s)
{
  return s ? (gint) g_utf8_strlen (s, -1) : 0;
}

/* Text from a trace may hold anything: control characters must never
 * reach the terminal, nor bytes that are not UTF-8 when it expects it. */
static gchar *
printable (const gchar * s)
{
  gchar *out = unicode ? g_utf8_make_valid (s, -1) : g_strdup (s);
  gchar *p;

  for (p = out; *p; p++)
    if ((guchar) * p < 0x20 || *p == 0x7f || (!unicode && (guchar) * p > 0x7f))
      *p = '?';
  return out;
}

gint
view_put (gint y, gint x, gint w, ViewAttr attr, const gchar * s)
{
  gchar *clean;
  const gchar *end;
  gint n;

  if (w <= 0 || !s || y < 0 || y >= LINES || x >= COLS)
    return 0;
  w = MIN (w, COLS - x);
  clean = printable (s);
  n = MIN (view_width (clean), w);
  end = g_utf8_offset_to_pointer (clean, n);
  attrset (attrs[attr]);
  mvaddnstr (y, x, clean, end - clean);
  attrset (A_NORMAL);
  g_free (clean);
  return n;
}

gint
view_putf (gint y, gint x, gint w, ViewAttr attr, const gchar * fmt, ...)
{
  va_list args;
  gchar *s;
  gint n;

  va_start (args, fmt);
  s = g_strdup_vprintf (fmt, args);
  va_end (args);
  n = view_put (y, x, w, attr, s);
  g_free (s);
  return n;
}

void
view_fill (gint y, gint x, gint w, ViewAttr attr)
{
  gint i;

  if (y < 0 || y >= LINES)
    return;
  attrset (attrs[attr]);
  for (i = 0; i < w && x + i < COLS; i++)
    mvaddch (y, x + i, ' ');
  attrset (A_NORMAL);
}

void
view_rule (gint y, gint x, gint w, const gchar * title)
{
  gint i, used = 0;

  for (i = 0; i < w; i++)
    view_put (y, x + i, 1, VIEW_ATTR_DIM, view_glyph (VIEW_GLYPH_HLINE));
  if (title) {
    used = view_put (y, x + 2, w - 4, VIEW_ATTR_TITLE, " ");
    used += view_put (y, x + 2 + used, w - 4 - used, VIEW_ATTR_TITLE, title);
    view_put (y, x + 2 + used, w - 4 - used, VIEW_ATTR_TITLE, " ");
  }
}

void
view_centered (gint y, gint x, gint h, gint w, ViewAttr attr,
    const gchar * text)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  gint n = g_strv_length (lines), i;

  for (i = 0; i < n; i++) {
    gint lw = MIN (view_width (lines[i]), w);

    view_put (y + MAX (0, (h - n) / 2) + i, x + MAX (0, (w - lw) / 2), w,
        attr, lines[i]);
  }
  g_strfreev (lines);
}

gchar *
view_bytes (gint64 b)
{
  const gchar *const units[] = { "KiB", "MiB", "GiB", "TiB" };
  gdouble v = b;
  gint u = -1;

  if (ABS (b) < 1024)
    return g_strdup_printf ("%" G_GINT64_FORMAT " B", b);
  while (ABS (v) >= 1024 && u < 3) {
    v /= 1024;
    u++;
  }
  return g_strdup_printf ("%.1f %s", v, units[u]);
}

gchar *
view_duration (gint64 ns)
{
  if (ns < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " ns", ns);
  if (ns < 1000000)
    return g_strdup_printf ("%.1f us", ns / 1e3);
  if (ns < G_GINT64_CONSTANT (1000000000))
    return g_strdup_printf ("%.1f ms", ns / 1e6);
  return g_strdup_printf ("%.2f s", ns / 1e9);
}

gchar *
view_seconds (gint64 ns)
{
  return g_strdup_printf ("%.3f s", ns / 1e9);
}

gchar *
view_count (gint64 n)
{
  gchar *plain = g_strdup_printf ("%" G_GINT64_FORMAT, ABS (n));
  GString *s = g_string_new (n < 0 ? "-" : "");
  gint len = strlen (plain), i;

  for (i = 0; i < len; i++) {
    if (i && (len - i) % 3 == 0)
      g_string_append_c (s, ',');
    g_string_append_c (s, plain[i]);
  }
  g_free (plain);
  return g_string_free (s, FALSE);
}

void
view_resample (const gint64 * in, guint n_in, gint64 * out, guint n_out)
{
  guint c, i;

  for (c = 0; c < n_out; c++) {
    guint from = (guint64) c * n_in / n_out;
    guint to = MAX (from + 1, (guint) ((guint64) (c + 1) * n_in / n_out));

    out[c] = 0;
    for (i = from; i < to && i < n_in; i++)
      out[c] = MAX (out[c], in[i]);
  }
}

/* One column: eighths of a row, from the bottom. */
static void
chart_column (gint y, gint x, gint h, gint64 v, gint64 max, ViewAttr attr,
    gboolean shade)
{
  gint64 units = max > 0 ? (v * h * 8 + max - 1) / max : 0;
  gint r;

  for (r = 0; r < h && units > 0; r++, units -= 8) {
    const gchar *g;

    if (shade)
      g = view_glyph (VIEW_GLYPH_SHADE);
    else if (unicode)
      g = eighths[MIN (units, 8)];
    else
      g = units >= 4 || r == 0 ? (units >= 4 ? "#" : ".") : " ";
    view_put (y + h - 1 - r, x, 1, attr, g);
  }
}

void
view_chart (gint y, gint x, gint h, gint w, const gint64 * values,
    const gint64 * back, guint n, gint64 max)
{
  guint i;

  for (i = 0; !max && i < n; i++)
    max = MAX (max, MAX (values[i], back ? back[i] : 0));
  for (i = 0; i < n && (gint) i < w; i++) {
    if (back)
      chart_column (y, x + i, h, back[i], max, VIEW_ATTR_CHART2, TRUE);
    chart_column (y, x + i, h, values[i], max, VIEW_ATTR_CHART, FALSE);
  }
}

gboolean
view_key_is_enter (gint key)
{
  return key == '\n' || key == '\r' || key == KEY_ENTER;
}

gboolean
view_key_is_back (gint key)
{
  return key == 27 || key == KEY_BACKSPACE || key == 127 || key == 8;
}

/* Moves a cursor over n items with page-sized jumps; TRUE if key moves. */
static gboolean
move_cursor (guint * cursor, guint n, gint page, gint key)
{
  gint64 c = *cursor;

  switch (key) {
    case KEY_UP:
    case 'k':
      c--;
      break;
    case KEY_DOWN:
    case 'j':
      c++;
      break;
    case KEY_PPAGE:
      c -= MAX (1, page - 1);
      break;
    case KEY_NPAGE:
    case ' ':
      c += MAX (1, page - 1);
      break;
    case KEY_HOME:
    case 'g':
      c = 0;
      break;
    case KEY_END:
    case 'G':
      c = (gint64) n - 1;
      break;
    default:
      return FALSE;
  }
  *cursor = n ? CLAMP (c, 0, (gint64) n - 1) : 0;
  return TRUE;
}

/* Keeps the cursor in view. */
static void
scroll_to (guint * top, guint cursor, gint page)
{
  if (page <= 0)
    return;
  if (cursor < *top)
    *top = cursor;
  else if (cursor >= *top + page)
    *top = cursor - page + 1;
}

/* Tables */

struct _ViewTable
{
  const ViewColumn *columns;
  guint n_columns;
  ViewCellFunc cell;
  gpointer user_data;
  const ViewSort *sorts;
  guint n_sorts, sort;
  GPtrArray *rows;              /* all, as given */
  GPtrArray *shown;             /* filtered and sorted */
  gchar *filter;
  guint cursor, top;
  gint page;
};

ViewTable *
view_table_new (const ViewColumn * columns, guint n_columns,
    ViewCellFunc cell, gpointer user_data, const ViewSort * sorts,
    guint n_sorts)
{
  ViewTable *t = g_new0 (ViewTable, 1);

  t->columns = columns;
  t->n_columns = n_columns;
  t->cell = cell;
  t->user_data = user_data;
  t->sorts = sorts;
  t->n_sorts = n_sorts;
  t->rows = g_ptr_array_new ();
  t->shown = g_ptr_array_new ();
  t->page = 10;
  return t;
}

void
view_table_free (ViewTable * t)
{
  if (!t)
    return;
  g_ptr_array_unref (t->rows);
  g_ptr_array_unref (t->shown);
  g_free (t->filter);
  g_free (t);
}

static gboolean
row_matches (ViewTable * t, gpointer row, const gchar * needle)
{
  gboolean found = FALSE;
  guint c;

  for (c = 0; c < t->n_columns && !found; c++) {
    gchar *text = t->cell (row, c, t->user_data);
    gchar *folded = g_utf8_casefold (text ? text : "", -1);

    found = strstr (folded, needle) != NULL;
    g_free (folded);
    g_free (text);
  }
  return found;
}

static gint
compare_rows (gconstpointer a, gconstpointer b, gpointer data)
{
  ViewRowCompare compare = data;

  return compare (*(gpointer *) a, *(gpointer *) b);
}

/* Rebuilds what is shown, keeping the cursor on the same row if it is
 * still there. */
static void
refresh_shown (ViewTable * t)
{
  gpointer selected = view_table_selected (t);
  gchar *needle = t->filter && *t->filter ?
      g_utf8_casefold (t->filter, -1) : NULL;
  guint i;

  g_ptr_array_set_size (t->shown, 0);
  for (i = 0; i < t->rows->len; i++) {
    gpointer row = g_ptr_array_index (t->rows, i);

    if (!needle || row_matches (t, row, needle))
      g_ptr_array_add (t->shown, row);
  }
  if (t->n_sorts && t->sorts[t->sort].compare)
    g_ptr_array_sort_with_data (t->shown, compare_rows,
        t->sorts[t->sort].compare);
  for (i = 0; selected && i < t->shown->len; i++)
    if (g_ptr_array_index (t->shown, i) == selected)
      t->cursor = i;
  if (t->cursor >= t->shown->len)
    t->cursor = t->shown->len ? t->shown->len - 1 : 0;
  g_free (needle);
}

void
view_table_set_rows (ViewTable * t, GPtrArray * rows)
{
  g_ptr_array_set_size (t->shown, 0);
  g_ptr_array_unref (t->rows);
  t->rows = rows ? rows : g_ptr_array_new ();
  refresh_shown (t);
}

void
view_table_set_filter (ViewTable * t, const gchar * filter)
{
  g_free (t->filter);
  t->filter = g_strdup (filter);
  t->cursor = 0;
  t->top = 0;
  refresh_shown (t);
}

const gchar *
view_table_filter (ViewTable * t)
{
  return t->filter;
}

void
view_table_next_sort (ViewTable * t)
{
  if (!t->n_sorts)
    return;
  t->sort = (t->sort + 1) % t->n_sorts;
  t->cursor = 0;
  t->top = 0;
  g_ptr_array_set_size (t->shown, 0);
  refresh_shown (t);
}

const gchar *
view_table_sort_name (ViewTable * t)
{
  return t->n_sorts ? t->sorts[t->sort].name : NULL;
}

gpointer
view_table_selected (ViewTable * t)
{
  return t->cursor < t->shown->len ?
      g_ptr_array_index (t->shown, t->cursor) : NULL;
}

guint
view_table_n_rows (ViewTable * t)
{
  return t->rows->len;
}

guint
view_table_n_shown (ViewTable * t)
{
  return t->shown->len;
}

gboolean
view_table_key (ViewTable * t, gint key)
{
  return move_cursor (&t->cursor, t->shown->len, t->page, key);
}

/* Column widths for w columns: the flexible ones share what is left. */
static void
layout (ViewTable * t, gint w, gint * widths)
{
  gint fixed = 0, n_flex = 0, c;

  for (c = 0; c < (gint) t->n_columns; c++) {
    fixed += t->columns[c].width + 1;
    n_flex += t->columns[c].width == 0;
  }
  for (c = 0; c < (gint) t->n_columns; c++)
    widths[c] = t->columns[c].width ? t->columns[c].width :
        MAX (6, (w - fixed) / MAX (1, n_flex));
}

static void
draw_cell (gint y, gint x, gint w, ViewAttr attr, const ViewColumn * col,
    const gchar * text)
{
  gint tw = view_width (text);

  if (col->right && tw < w)
    x += w - tw;
  view_put (y, x, w, attr, text);
}

static void
draw_row (ViewTable * t, gint y, gint x, gint w, const gint * widths,
    gpointer row, ViewAttr attr)
{
  gint c, cx = x;

  view_fill (y, x, w, attr);
  for (c = 0; c < (gint) t->n_columns && cx < x + w; c++) {
    gchar *text = row ? t->cell (row, c, t->user_data) :
        g_strdup (t->columns[c].title);

    draw_cell (y, cx, MIN (widths[c], x + w - cx), attr, &t->columns[c],
        text ? text : "");
    cx += widths[c] + 1;
    g_free (text);
  }
}

void
view_table_draw (ViewTable * t, gint y, gint x, gint h, gint w)
{
  gint *widths = g_new0 (gint, t->n_columns), r;

  layout (t, w, widths);
  draw_row (t, y, x, w, widths, NULL, VIEW_ATTR_HEADER);
  t->page = h - 1;
  scroll_to (&t->top, t->cursor, t->page);
  for (r = 0; r < t->page && t->top + r < t->shown->len; r++)
    draw_row (t, y + 1 + r, x, w, widths,
        g_ptr_array_index (t->shown, t->top + r),
        t->top + r == t->cursor ? VIEW_ATTR_SELECTED : VIEW_ATTR_NORMAL);
  if (!t->shown->len && t->rows->len)
    view_put (y + 2, x + 2, w - 2, VIEW_ATTR_DIM, "nothing matches the "
        "filter (/ to change it)");
  g_free (widths);
}

/* Scrollable text */

typedef struct
{
  gchar *text;
  ViewAttr attr;
  gint64 link;
} Line;

struct _ViewText
{
  GArray *lines;
  guint cursor, top;
  gint page;
};

static void
line_clear (gpointer p)
{
  g_free (((Line *) p)->text);
}

ViewText *
view_text_new (void)
{
  ViewText *t = g_new0 (ViewText, 1);

  t->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (t->lines, line_clear);
  t->page = 10;
  return t;
}

void
view_text_free (ViewText * t)
{
  if (!t)
    return;
  g_array_unref (t->lines);
  g_free (t);
}

/* The cursor and scroll stay where they were, so that a live refresh
 * does not move the reader. */
void
view_text_clear (ViewText * t)
{
  g_array_set_size (t->lines, 0);
}

void
view_text_add (ViewText * t, ViewAttr attr, gint64 link, const gchar * fmt,
    ...)
{
  va_list args;
  Line l = { NULL, attr, link };

  va_start (args, fmt);
  l.text = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_array_append_val (t->lines, l);
}

void
view_text_blank (ViewText * t)
{
  Line l = { g_strdup (""), VIEW_ATTR_NORMAL, 0 };

  g_array_append_val (t->lines, l);
}

guint
view_text_n_lines (ViewText * t)
{
  return t->lines->len;
}

gint64
view_text_link (ViewText * t)
{
  return t->cursor < t->lines->len ?
      g_array_index (t->lines, Line, t->cursor).link : 0;
}

gboolean
view_text_key (ViewText * t, gint key)
{
  return move_cursor (&t->cursor, t->lines->len, t->page, key);
}

void
view_text_draw (ViewText * t, gint y, gint x, gint h, gint w)
{
  gint r;

  t->page = h;
  if (t->cursor >= t->lines->len)
    t->cursor = t->lines->len ? t->lines->len - 1 : 0;
  scroll_to (&t->top, t->cursor, t->page);
  for (r = 0; r < h && t->top + r < t->lines->len; r++) {
    Line *l = &g_array_index (t->lines, Line, t->top + r);
    gboolean here = t->top + r == t->cursor;

    if (here)
      view_fill (y + r, x, w, VIEW_ATTR_SELECTED);
    view_put (y + r, x, w, here ? VIEW_ATTR_SELECTED : l->attr, l->text);
  }
}
