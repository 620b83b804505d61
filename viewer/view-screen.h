/* gst-memtrace view: the plumbing of the screens that list the rows of
 * one result in a table, where Enter opens a row's details. */
#ifndef __MEMTRACE_VIEW_SCREEN_H__
#define __MEMTRACE_VIEW_SCREEN_H__

#include "view-app.h"

G_BEGIN_DECLS

/* What a list screen is made of.  The screen keeps the table, the detail
 * text and which row is open; Esc closes it, Enter on a line with a link
 * shows that object.  When the results change, the open row is found
 * again by its key. */
typedef struct
{
  const gchar *name;
  const gchar *tab;
  ViewResult result;            /* whose rows are listed */
  const ViewColumn *columns;
  guint n_columns;
  ViewCellFunc cell;            /* its user_data is the ViewScreen */
  const ViewSort *sorts;
  guint n_sorts;
  /* More than one: Left/Right go round the groupings (by type, by
   * site...), and rows() lists those of view_list_grouping(). */
  guint n_groupings;
  const gchar *list_keys;       /* for the status line */
  const gchar *detail_keys;

  /* Adds the rows (borrowed from results, never NULL) to rows. */
  void (*rows) (ViewScreen * s, gconstpointer results, GPtrArray * rows);
  /* Draws what is above the table, and the table. */
  void (*draw_list) (ViewScreen * s, gconstpointer results, gint y, gint x,
      gint h, gint w);
  /* NULL: rows do not open.  Else adds a row's details to the (cleared)
   * detail text. */
  void (*fill) (ViewScreen * s, ViewText * detail, gconstpointer row);
  /* What tells a row from the others, across results. */
  gchar *(*row_key) (gconstpointer row);
  /* Whether an open row that is gone from new results opens again when it
   * comes back (else it is closed for good). */
  gboolean reopen;
  /* Optional: draws an open row (default: the detail text). */
  void (*draw_detail) (ViewScreen * s, ViewText * detail,
      gconstpointer row, gint y, gint x, gint h, gint w);
  /* Optional: frees the data given to view_list_screen_new(). */
  GDestroyNotify free_data;
} ViewListClass;

/* The table's fields of a ViewListClass, from arrays of columns and
 * sorts. */
#define VIEW_LIST_TABLE(columns_, cell_, sorts_) \
  .columns = columns_, .n_columns = G_N_ELEMENTS (columns_), \
  .cell = cell_, .sorts = sorts_, .n_sorts = G_N_ELEMENTS (sorts_)

ViewScreen *view_list_screen_new (ViewApp * app, const ViewListClass * klass,
    gpointer data);
/* The screen's own data. */
gpointer view_list_data (ViewScreen * s);
guint view_list_grouping (ViewScreen * s);
ViewTable *view_list_table (ViewScreen * s);

G_END_DECLS

#endif
