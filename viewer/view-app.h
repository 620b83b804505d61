/* gst-memtrace view: the interactive viewer, its screens and main loop. */
#ifndef __MEMTRACE_VIEW_APP_H__
#define __MEMTRACE_VIEW_APP_H__

#include "view-data.h"
#include "view-widgets.h"

G_BEGIN_DECLS

typedef struct _ViewApp ViewApp;
typedef struct _ViewScreen ViewScreen;

/* One screen.  The app draws the tab bar and the status line; a screen
 * draws its area and takes the keys the app does not. */
struct _ViewScreen
{
  const gchar *name;            /* "Leaks" */
  const gchar *tab;             /* "Leaks", short for the tab bar */
  ViewApp *app;
  gpointer priv;

  void (*draw) (ViewScreen * s, gint y, gint x, gint h, gint w);
  /* TRUE if the screen took the key. */
  gboolean (*key) (ViewScreen * s, gint key);
  /* The screen's own keys now, for the status line ("Enter open"). */
  const gchar *(*keys) (ViewScreen * s);
  /* The list that '/' filters and 's' sorts now, or NULL. */
  ViewTable *(*table) (ViewScreen * s);
  /* Optional: '/' searches instead of filtering (the Objects screen). */
  void (*search) (ViewScreen * s, const gchar * text);
  const gchar *search_prompt;
  /* The results changed. */
  void (*update) (ViewScreen * s);
  void (*free) (ViewScreen * s);
};

typedef struct
{
  ViewData *data;               /* taken */
  GPid child;                   /* run --view: the traced program, or 0 */
} ViewAppOptions;

/* Runs the viewer until q.  *child_status gets the program's exit status
 * (-1 if it has not exited yet).  Returns the exit code. */
gint view_app_run (const ViewAppOptions * o, gint * child_status);

ViewData *view_app_data (ViewApp * app);
/* view_data_get() of the app's data. */
gconstpointer view_app_get (ViewApp * app, ViewResult which);
/* A note in the status line for a few seconds. */
void view_app_message (ViewApp * app, const gchar * fmt, ...)
    G_GNUC_PRINTF (2, 3);
/* Goes to the Objects screen, showing one object's history. */
void view_app_show_object (ViewApp * app, gint64 id);
/* Back to the screen that called view_app_show_object(), if any. */
gboolean view_app_return (ViewApp * app);

/* "computing..." or the error, in an area, for a result not at hand;
 * TRUE if it is at hand. */
gboolean view_app_ready (ViewApp * app, ViewResult which, gint y, gint x,
    gint h, gint w);
/* A note under a title when the window does not apply to a result. */
void view_app_window_note (ViewApp * app, ViewResult which, gint y, gint x,
    gint w);

/* Lines of a stack, with file:line, into text; runtime frames dimmed. */
void view_app_add_stack (ViewApp * app, ViewText * text, gint64 stack_id,
    const gchar * indent);
/* The same with frames of the caller's (in a job's thread). */
void view_add_stack_frames (ViewText * text, MemTraceFrames * frames,
    gint64 stack_id, const gchar * indent);
/* "function (file:line)" of the stack's site, or "?". */
gchar *view_app_site (ViewApp * app, gint64 stack_id);

/* The screens, in tab order. */
ViewScreen *view_overview_new (ViewApp * app);
ViewScreen *view_leaks_new (ViewApp * app);
ViewScreen *view_sites_new (ViewApp * app);
ViewScreen *view_lifetimes_new (ViewApp * app);
ViewScreen *view_pools_new (ViewApp * app);
ViewScreen *view_frag_new (ViewApp * app);
ViewScreen *view_objects_new (ViewApp * app);
/* For view_app_show_object(). */
void view_objects_show (ViewScreen * s, gint64 id);

G_END_DECLS

#endif
