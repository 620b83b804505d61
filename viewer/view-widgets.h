/* gst-memtrace view: drawing shared by the screens: text, tables,
 * scrollable text and charts. */
#ifndef __MEMTRACE_VIEW_WIDGETS_H__
#define __MEMTRACE_VIEW_WIDGETS_H__

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  VIEW_ATTR_NORMAL,
  VIEW_ATTR_TITLE,              /* headings */
  VIEW_ATTR_SELECTED,           /* the cursor */
  VIEW_ATTR_DIM,                /* runtime frames, notes */
  VIEW_ATTR_BAD,                /* leaks, incomplete */
  VIEW_ATTR_GOOD,               /* no leaks, complete */
  VIEW_ATTR_CHART,
  VIEW_ATTR_CHART2,             /* a second series behind the first */
  VIEW_ATTR_HEADER,             /* table headers */
  VIEW_ATTR_BAR,                /* the tab bar and the status line */
  VIEW_ATTR_BAR_ACTIVE,         /* the current tab */
  VIEW_N_ATTRS
} ViewAttr;

typedef enum
{
  VIEW_GLYPH_HLINE,
  VIEW_GLYPH_VLINE,
  VIEW_GLYPH_FULL,              /* a full block */
  VIEW_GLYPH_SHADE,             /* a light shade */
  VIEW_GLYPH_ARROW,             /* -> */
  VIEW_GLYPH_ELLIPSIS,
  VIEW_GLYPH_DOT,
  VIEW_N_GLYPHS
} ViewGlyph;

/* After initscr(): colours unless monochrome or NO_COLOR; Unicode when
 * the locale's charset is UTF-8. */
void view_widgets_init (gboolean color, gboolean unicode);
gboolean view_widgets_unicode (void);
gint view_attr (ViewAttr a);
const gchar *view_glyph (ViewGlyph g);

/* Draws s at (y, x) in at most w columns, control characters replaced;
 * returns the columns used. */
gint view_put (gint y, gint x, gint w, ViewAttr attr, const gchar * s);
gint view_putf (gint y, gint x, gint w, ViewAttr attr, const gchar * fmt,
    ...) G_GNUC_PRINTF (5, 6);
/* w spaces in attr. */
void view_fill (gint y, gint x, gint w, ViewAttr attr);
/* A horizontal rule with an optional title in it. */
void view_rule (gint y, gint x, gint w, const gchar * title);
/* The text centred in the area. */
void view_centered (gint y, gint x, gint h, gint w, ViewAttr attr,
    const gchar * text);
/* Display width of a UTF-8 string, one column a character. */
gint view_width (const gchar * s);

/* Numbers for humans. */
gchar *view_bytes (gint64 bytes);
gchar *view_duration (gint64 ns);       /* "12.3 ms" */
gchar *view_seconds (gint64 ns);        /* "1.234 s" */
gchar *view_count (gint64 n);           /* "12,345" */

/* Charts: one column per value, scaled to max (0: the largest value),
 * with eighths of a block in Unicode.  back (may be NULL) is drawn first,
 * in VIEW_ATTR_CHART2 shades, for a second series. */
void view_chart (gint y, gint x, gint h, gint w, const gint64 * values,
    const gint64 * back, guint n, gint64 max);
/* Resamples n_in values to n_out columns, each the largest of its span. */
void view_resample (const gint64 * in, guint n_in, gint64 * out,
    guint n_out);

/* A table: rows (borrowed pointers) that can be filtered by text, sorted
 * in a few ways and moved through. */
typedef struct
{
  const gchar *title;
  gint width;                   /* 0: what the others leave */
  gboolean right;               /* right-aligned (numbers) */
} ViewColumn;

typedef gchar *(*ViewCellFunc) (gpointer row, guint column,
    gpointer user_data);
typedef gint (*ViewRowCompare) (gconstpointer a, gconstpointer b);

typedef struct
{
  const gchar *name;
  ViewRowCompare compare;       /* on two rows; NULL: as given */
} ViewSort;

/* Defines a ViewRowCompare, func, that puts rows of Type with the biggest
 * field first. */
#define VIEW_SORT_BIGGEST_FIRST(func, Type, field) \
static gint \
func (gconstpointer a, gconstpointer b) \
{ \
  const Type *ra = a, *rb = b; \
  return (rb->field > ra->field) - (rb->field < ra->field); \
}

typedef struct _ViewTable ViewTable;

ViewTable *view_table_new (const ViewColumn * columns, guint n_columns,
    ViewCellFunc cell, gpointer user_data, const ViewSort * sorts,
    guint n_sorts);
void view_table_free (ViewTable * t);
/* Takes the array (of borrowed rows); keeps the cursor's position. */
void view_table_set_rows (ViewTable * t, GPtrArray * rows);
void view_table_set_filter (ViewTable * t, const gchar * filter);
const gchar *view_table_filter (ViewTable * t);
void view_table_next_sort (ViewTable * t);
const gchar *view_table_sort_name (ViewTable * t);
gpointer view_table_selected (ViewTable * t);
guint view_table_n_rows (ViewTable * t);
guint view_table_n_shown (ViewTable * t);
/* Movement keys; TRUE if it was one. */
gboolean view_table_key (ViewTable * t, gint key);
void view_table_draw (ViewTable * t, gint y, gint x, gint h, gint w);

/* Scrollable lines with a cursor; a line may carry a link (non-zero),
 * such as an object id, that Enter follows. */
typedef struct _ViewText ViewText;

ViewText *view_text_new (void);
void view_text_free (ViewText * t);
void view_text_clear (ViewText * t);
void view_text_add (ViewText * t, ViewAttr attr, gint64 link,
    const gchar * fmt, ...) G_GNUC_PRINTF (4, 5);
void view_text_blank (ViewText * t);
guint view_text_n_lines (ViewText * t);
/* The link of the line under the cursor, 0 if none. */
gint64 view_text_link (ViewText * t);
gboolean view_text_key (ViewText * t, gint key);
void view_text_draw (ViewText * t, gint y, gint x, gint h, gint w);

/* Whether key is Enter, or a key that goes back (Esc, Backspace). */
gboolean view_key_is_enter (gint key);
gboolean view_key_is_back (gint key);

G_END_DECLS

#endif
