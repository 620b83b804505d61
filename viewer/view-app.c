/* gst-memtrace view: the main loop, the keys every screen shares, the tab
 * bar and the status line.
 *
 * The loop wakes at least every 100 ms (getch() with a timeout) to take
 * what the worker computed, so a live trace refreshes while no key is
 * pressed, and a key is never kept waiting by the analyses. */
#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include "view-app.h"

#define MIN_COLS 80
#define MIN_LINES 24
#define TICK_MS 100
#define MESSAGE_US (3 * G_USEC_PER_SEC)

typedef enum
{
  PROMPT_NONE,
  PROMPT_FILTER,
  PROMPT_SEARCH,
  PROMPT_WINDOW,
} PromptKind;

struct _ViewApp
{
  ViewData *data;
  GPtrArray *screens;
  guint current;
  gboolean help;
  PromptKind prompt;
  GString *input;
  gchar *filter_before;         /* restored by Esc */
  gint return_to;               /* the screen an object was shown from */
  gchar *message;
  gint64 message_until;
  GPid child;
  gint child_status;
};

static volatile sig_atomic_t interrupted;
static GPid signal_child;

/* Quits cleanly (the terminal restored); run --view passes a TERM or HUP
 * on to the program, as run does. */
static void
on_signal (int sig)
{
  interrupted = 1;
  if (signal_child > 0 && sig != SIGINT)
    kill (signal_child, sig);
}

ViewData *
view_app_data (ViewApp * app)
{
  return app->data;
}

gconstpointer
view_app_get (ViewApp * app, ViewResult which)
{
  return view_data_get (app->data, which);
}

void
view_app_message (ViewApp * app, const gchar * fmt, ...)
{
  va_list args;

  g_free (app->message);
  va_start (args, fmt);
  app->message = g_strdup_vprintf (fmt, args);
  va_end (args);
  app->message_until = g_get_monotonic_time () + MESSAGE_US;
}

static ViewScreen *
current (ViewApp * app)
{
  return g_ptr_array_index (app->screens, app->current);
}

void
view_app_show_object (ViewApp * app, gint64 id)
{
  if (app->current != app->screens->len - 1)
    app->return_to = app->current;
  app->current = app->screens->len - 1;
  view_objects_show (current (app), id);
}

gboolean
view_app_return (ViewApp * app)
{
  if (app->return_to < 0)
    return FALSE;
  app->current = app->return_to;
  app->return_to = -1;
  return TRUE;
}

gboolean
view_app_ready (ViewApp * app, ViewResult which, gint y, gint x, gint h,
    gint w)
{
  const gchar *error;

  if (view_data_get (app->data, which))
    return TRUE;
  error = view_data_error (app->data, which);
  if (error)
    view_centered (y, x, h, w, VIEW_ATTR_BAD, error);
  else
    view_centered (y, x, h, w, VIEW_ATTR_DIM, view_widgets_unicode () ?
        "computing\u2026" : "computing...");
  return FALSE;
}

void
view_app_window_note (ViewApp * app, ViewResult which, gint y, gint x,
    gint w)
{
  gchar *window;

  if (view_data_windowed (app->data, which))
    return;
  window = view_data_window_text (app->data);
  if (strcmp (window, "whole recording"))
    view_putf (y, x, w, VIEW_ATTR_DIM, "(whole recording: the window %s "
        "does not apply here)", window);
  g_free (window);
}

void
view_add_stack_frames (ViewText * text, MemTraceFrames * frames,
    gint64 stack_id, const gchar * indent)
{
  GPtrArray *stack = memtrace_frames_get (frames, stack_id);
  guint i;

  if (!stack->len)
    view_text_add (text, VIEW_ATTR_DIM, 0, "%s(no stack recorded)", indent);
  for (i = 0; i < stack->len; i++) {
    const MemTraceFrame *f = g_ptr_array_index (stack, i);
    gchar *d = memtrace_frame_describe (f);

    view_text_add (text, memtrace_frame_is_runtime (f) ? VIEW_ATTR_DIM :
        VIEW_ATTR_NORMAL, 0, "%s#%-2u %s", indent, i, d);
    g_free (d);
  }
}

void
view_app_add_stack (ViewApp * app, ViewText * text, gint64 stack_id,
    const gchar * indent)
{
  MemTraceFrames *frames = view_data_frames (app->data);

  if (frames)
    view_add_stack_frames (text, frames, stack_id, indent);
  else
    view_text_add (text, VIEW_ATTR_DIM, 0, "%s(the stack cannot be read)",
        indent);
}

gchar *
view_app_site (ViewApp * app, gint64 stack_id)
{
  MemTraceFrames *frames = view_data_frames (app->data);
  const MemTraceFrame *f = frames ? memtrace_frames_site (frames, stack_id) :
      NULL;

  return f ? memtrace_frame_describe (f) : g_strdup ("?");
}

/* Drawing */

static void
draw_tabs (ViewApp * app)
{
  gchar *window = view_data_window_text (app->data);
  gint x = 0;
  guint i;

  view_fill (0, 0, COLS, VIEW_ATTR_BAR);
  for (i = 0; i < app->screens->len; i++) {
    ViewScreen *s = g_ptr_array_index (app->screens, i);

    x += view_putf (0, x, COLS - x, i == app->current ?
        VIEW_ATTR_BAR_ACTIVE : VIEW_ATTR_BAR, " %u %s ", i + 1, s->tab);
  }
  if (strcmp (window, "whole recording") && COLS - x > 12) {
    gchar *text = g_strdup_printf ("[%s] ", window);
    gint w = MIN (view_width (text), COLS - x - 1);

    view_put (0, COLS - w, w, VIEW_ATTR_BAR, text);
    g_free (text);
  }
  g_free (window);
}

static const gchar *
prompt_label (ViewApp * app)
{
  switch (app->prompt) {
    case PROMPT_FILTER:
      return "Filter: ";
    case PROMPT_SEARCH:
      return current (app)->search_prompt;
    case PROMPT_WINDOW:
      return "Window (CP1 CP2 checkpoints, or 1.5s 3s; - for start or end; "
          "empty: all): ";
    default:
      return "";
  }
}

static gchar *
status_right (ViewApp * app)
{
  const gchar *state = view_data_state_text (app->data);

  if (app->message && g_get_monotonic_time () < app->message_until)
    return g_strdup (app->message);
  if (view_data_state (app->data) == VIEW_STATE_RECORDING)
    return g_strdup_printf ("%s LIVE %s", view_glyph (VIEW_GLYPH_DOT),
        state ? state : "");
  return g_strdup (state ? state : "");
}

static gchar *
status_keys (ViewApp * app)
{
  ViewScreen *s = current (app);
  ViewTable *t = s->table ? s->table (s) : NULL;
  const gchar *own = s->keys ? s->keys (s) : NULL;
  GString *k = g_string_new (NULL);

  if (own && *own)
    g_string_append_printf (k, "%s  ", own);
  if (s->search)
    g_string_append (k, "/ find  ");
  else if (t)
    g_string_append (k, "/ filter  ");
  if (t && view_table_sort_name (t))
    g_string_append_printf (k, "s sort:%s  ", view_table_sort_name (t));
  g_string_append (k, "t window  Tab screens  ? help  q quit");
  return g_string_free (k, FALSE);
}

static void
draw_status (ViewApp * app)
{
  gint y = LINES - 1, x;
  gchar *right, *keys;

  view_fill (y, 0, COLS, VIEW_ATTR_BAR);
  if (app->prompt != PROMPT_NONE) {
    x = view_put (y, 0, COLS, VIEW_ATTR_BAR_ACTIVE, prompt_label (app));
    x += view_put (y, x, COLS - x - 1, VIEW_ATTR_BAR, app->input->str);
    view_put (y, x, 1, VIEW_ATTR_BAR_ACTIVE, "_");
    return;
  }
  right = status_right (app);
  keys = status_keys (app);
  x = view_putf (y, 0, COLS, VIEW_ATTR_BAR_ACTIVE, " %u %s ",
      app->current + 1, current (app)->name);
  x += view_put (y, x + 1, COLS - x - view_width (right) - 3,
      VIEW_ATTR_BAR, keys) + 1;
  if (*right)
    view_put (y, MAX (x + 2, COLS - view_width (right) - 1), COLS,
        VIEW_ATTR_BAR_ACTIVE, right);
  g_free (keys);
  g_free (right);
}

static const gchar *const help_lines[] = {
  "Keys",
  "",
  "Tab, Shift-Tab, 1-7   switch screens",
  "Up/Down, j/k          move",
  "PgUp/PgDn, Home/End   move by page, to the ends",
  "Enter                 open (a leak group, a site, a pool, an object)",
  "Esc, Backspace        go back",
  "Left/Right            change the grouping (Lifetimes, Fragmentation)",
  "/                     filter the list (Objects: find by id, 0xaddress,",
  "                      type)",
  "s                     change the sort",
  "t                     limit to a time window or between checkpoints",
  "?                     this help",
  "q                     quit",
  "",
  "Press any key.",
};

static void
draw_help (void)
{
  gint h = G_N_ELEMENTS (help_lines) + 2, w = 74;
  gint y = MAX (1, (LINES - h) / 2), x = MAX (0, (COLS - w) / 2), i;

  for (i = 0; i < h; i++)
    view_fill (y + i, x, w, VIEW_ATTR_BAR);
  for (i = 0; i < (gint) G_N_ELEMENTS (help_lines); i++)
    view_put (y + 1 + i, x + 2, w - 4, i ? VIEW_ATTR_BAR :
        VIEW_ATTR_BAR_ACTIVE, help_lines[i]);
}

static void
draw (ViewApp * app)
{
  ViewScreen *s = current (app);

  erase ();
  if (COLS < MIN_COLS || LINES < MIN_LINES) {
    gchar *text = g_strdup_printf ("The terminal is too small: %dx%d.\n"
        "gst-memtrace view needs at least %dx%d.\nMake it larger, or press "
        "q to quit.", COLS, LINES, MIN_COLS, MIN_LINES);

    view_centered (0, 0, LINES, COLS, VIEW_ATTR_BAD, text);
    g_free (text);
  } else {
    draw_tabs (app);
    s->draw (s, 1, 0, LINES - 2, COLS);
    draw_status (app);
    if (app->help)
      draw_help ();
  }
  refresh ();
}

static void
update_screens (ViewApp * app)
{
  guint i;

  for (i = 0; i < app->screens->len; i++) {
    ViewScreen *s = g_ptr_array_index (app->screens, i);

    if (s->update)
      s->update (s);
  }
}

/* The prompt */

static void
start_prompt (ViewApp * app, PromptKind kind)
{
  ViewScreen *s = current (app);
  ViewTable *t = s->table ? s->table (s) : NULL;

  if (kind == PROMPT_FILTER && s->search)
    kind = PROMPT_SEARCH;
  if (kind == PROMPT_FILTER && !t) {
    view_app_message (app, "nothing to filter here");
    return;
  }
  app->prompt = kind;
  g_string_truncate (app->input, 0);
  g_free (app->filter_before);
  app->filter_before = NULL;
  if (kind == PROMPT_FILTER) {
    app->filter_before = g_strdup (view_table_filter (t));
    g_string_assign (app->input, app->filter_before ?
        app->filter_before : "");
  }
}

/* "1.5s", "200ms", "-" (none), or a checkpoint. */
static gboolean
parse_time (const gchar * s, gint64 * ns)
{
  gchar *end;
  gdouble v = g_ascii_strtod (s, &end);

  if (end == s)
    return FALSE;
  if (!strcmp (end, "s"))
    *ns = v * 1e9;
  else if (!strcmp (end, "ms"))
    *ns = v * 1e6;
  else if (!strcmp (end, "us"))
    *ns = v * 1e3;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_window (const gchar * text, ViewWindow * w)
{
  gchar **words = g_strsplit_set (text, " \t", -1);
  GPtrArray *ends = g_ptr_array_new ();
  gboolean times = FALSE, checkpoints = FALSE, ok;
  gint64 ts[2] = { 0, 0 };
  guint i;

  memset (w, 0, sizeof (*w));
  for (i = 0; words[i]; i++)
    if (*words[i])
      g_ptr_array_add (ends, words[i]);
  ok = ends->len <= 2;
  for (i = 0; ok && i < ends->len; i++) {
    const gchar *end = g_ptr_array_index (ends, i);

    if (!strcmp (end, "-"))
      g_ptr_array_index (ends, i) = NULL;
    else if (parse_time (end, &ts[i])) {
      g_ptr_array_index (ends, i) = NULL;
      times = TRUE;
    } else
      checkpoints = TRUE;
  }
  ok = ok && !(times && checkpoints);
  if (ok && checkpoints) {
    w->from_checkpoint = g_strdup (ends->len > 0 ?
        g_ptr_array_index (ends, 0) : NULL);
    w->to_checkpoint = g_strdup (ends->len > 1 ?
        g_ptr_array_index (ends, 1) : NULL);
  } else if (ok) {
    w->from_ts = ts[0];
    w->to_ts = ts[1];
  }
  g_ptr_array_unref (ends);
  g_strfreev (words);
  return ok;
}

static void
apply_window (ViewApp * app, const gchar * text)
{
  ViewWindow w;
  gchar *desc;

  if (!parse_window (text, &w)) {
    view_app_message (app, "a window is two checkpoints or two times "
        "(1.5s 3s), not both");
    return;
  }
  view_data_set_window (app->data, &w);
  view_window_clear (&w);
  update_screens (app);
  desc = view_data_window_text (app->data);
  view_app_message (app, "window: %s", desc);
  g_free (desc);
}

static void
filter_now (ViewApp * app, const gchar * text)
{
  ViewScreen *s = current (app);
  ViewTable *t = s->table ? s->table (s) : NULL;

  if (t)
    view_table_set_filter (t, text && *text ? text : NULL);
}

static void
end_prompt (ViewApp * app, gboolean accept)
{
  ViewScreen *s = current (app);
  PromptKind kind = app->prompt;

  app->prompt = PROMPT_NONE;
  if (kind == PROMPT_FILTER && !accept)
    filter_now (app, app->filter_before);
  else if (kind == PROMPT_SEARCH && accept)
    s->search (s, app->input->str);
  else if (kind == PROMPT_WINDOW && accept)
    apply_window (app, app->input->str);
}

static void
prompt_key (ViewApp * app, gint key)
{
  if (view_key_is_enter (key))
    end_prompt (app, TRUE);
  else if (key == 27)
    end_prompt (app, FALSE);
  else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
    const gchar *end = app->input->str + app->input->len;
    const gchar *prev = g_utf8_find_prev_char (app->input->str, end);

    g_string_truncate (app->input, prev ? prev - app->input->str : 0);
  } else if (key >= 0x20 && key < 0x100 && key != 0x7f)
    g_string_append_c (app->input, (gchar) key);
  else
    return;
  /* The list narrows as one types. */
  if (app->prompt == PROMPT_FILTER)
    filter_now (app, app->input->str);
}

/* Keys */

static void
switch_to (ViewApp * app, gint n)
{
  gint len = app->screens->len;

  app->return_to = -1;
  app->current = ((n % len) + len) % len;
}

static void
sort (ViewApp * app)
{
  ViewScreen *s = current (app);
  ViewTable *t = s->table ? s->table (s) : NULL;

  if (!t || !view_table_sort_name (t)) {
    view_app_message (app, "nothing to sort here");
    return;
  }
  view_table_next_sort (t);
  view_app_message (app, "sorted by %s", view_table_sort_name (t));
}

static gboolean
global_key (ViewApp * app, gint key)
{
  switch (key) {
    case 'q':
      interrupted = 1;
      return TRUE;
    case '\t':
      switch_to (app, app->current + 1);
      return TRUE;
    case KEY_BTAB:
      switch_to (app, app->current - 1);
      return TRUE;
    case '?':
      app->help = TRUE;
      return TRUE;
    case '/':
      start_prompt (app, PROMPT_FILTER);
      return TRUE;
    case 's':
      sort (app);
      return TRUE;
    case 't':
      start_prompt (app, PROMPT_WINDOW);
      return TRUE;
    default:
      if (key >= '1' && key < '1' + (gint) app->screens->len) {
        switch_to (app, key - '1');
        return TRUE;
      }
      return FALSE;
  }
}

static void
handle_key (ViewApp * app, gint key)
{
  ViewScreen *s = current (app);

  if (key == KEY_RESIZE) {
    clear ();
    return;
  }
  if (app->help) {
    app->help = FALSE;
    return;
  }
  if (app->prompt != PROMPT_NONE) {
    prompt_key (app, key);
    return;
  }
  if (COLS < MIN_COLS || LINES < MIN_LINES) {
    if (key == 'q')
      interrupted = 1;
    return;
  }
  if (!global_key (app, key) && s->key)
    s->key (s, key);
}

/* run --view: the program is ours to reap; its status is our exit code. */
static void
reap_child (ViewApp * app)
{
  gint status;

  if (app->child <= 0 || app->child_status >= 0
      || waitpid (app->child, &status, WNOHANG) != app->child)
    return;
  app->child_status = WIFSIGNALED (status) ? 128 + WTERMSIG (status) :
      WEXITSTATUS (status);
  view_app_message (app, "the program exited with status %d",
      app->child_status);
}

static void
start_curses (void)
{
  const gchar *no_color = g_getenv ("NO_COLOR");
  gboolean color = !(no_color && *no_color)
      && g_strcmp0 (g_getenv ("TERM"), "dumb");

  initscr ();
  cbreak ();
  noecho ();
  nonl ();
  keypad (stdscr, TRUE);
  curs_set (0);
  set_escdelay (25);
  timeout (TICK_MS);
  view_widgets_init (color, g_get_charset (NULL));
}

static void
add_screens (ViewApp * app)
{
  ViewScreen *(*const news[]) (ViewApp *) = {
    view_overview_new, view_leaks_new, view_sites_new, view_lifetimes_new,
    view_pools_new, view_frag_new, view_objects_new,
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (news); i++)
    g_ptr_array_add (app->screens, news[i] (app));
}

static void
screen_free (gpointer p)
{
  ViewScreen *s = p;

  if (s->free)
    s->free (s);
  g_free (s);
}

static void
main_loop (ViewApp * app)
{
  while (!interrupted) {
    gint key;

    if (view_data_poll (app->data))
      update_screens (app);
    reap_child (app);
    draw (app);
    key = getch ();
    if (key != ERR)
      handle_key (app, key);
  }
}

gint
view_app_run (const ViewAppOptions * o, gint * child_status)
{
  ViewApp *app = g_new0 (ViewApp, 1);
  struct sigaction sa = { 0 };

  app->data = o->data;
  app->child = o->child;
  signal_child = o->child;
  app->child_status = -1;
  app->return_to = -1;
  app->input = g_string_new (NULL);
  app->screens = g_ptr_array_new_with_free_func (screen_free);
  sa.sa_handler = on_signal;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGHUP, &sa, NULL);
  start_curses ();
  add_screens (app);
  main_loop (app);
  endwin ();
  if (child_status)
    *child_status = app->child_status;
  g_ptr_array_unref (app->screens);
  view_data_free (app->data);
  g_string_free (app->input, TRUE);
  g_free (app->filter_before);
  g_free (app->message);
  g_free (app);
  return 0;
}
