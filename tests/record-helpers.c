/* gst-memtrace tests: what the recorder tests share.  See
 * record-helpers.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "test-files.h"
#include "record-helpers.h"

const gchar *plugin_dir, *apps_dir, *apps_srcdir, *cli, *registry;
gchar *tmpdir;

gchar **
child_env (const gchar * tracers)
{
  gchar **env = g_get_environ ();
  const gchar *const drop[] = { "GST_TRACERS", "GST_DEBUG", "GST_DEBUG_FILE",
    "GST_MEMTRACE_NOTIFY", "G_DEBUG", "GST_PLUGIN_PATH_1_0",
    "GST_REGISTRY_1_0", "GST_REGISTRY_UPDATE", NULL
  };
  guint i;

  for (i = 0; drop[i]; i++)
    env = g_environ_unsetenv (env, drop[i]);
  env = g_environ_setenv (env, "GST_PLUGIN_PATH", plugin_dir, TRUE);
  env = g_environ_setenv (env, "GST_REGISTRY", registry, TRUE);
  env = g_environ_setenv (env, "PYTHONDONTWRITEBYTECODE", "1", TRUE);
  if (tracers)
    env = g_environ_setenv (env, "GST_TRACERS", tracers, TRUE);
  return env;
}

gint
spawn_full (gchar ** argv, gchar ** env, const gchar * cwd, gchar ** out_out,
    gchar ** err_out)
{
  GError *error = NULL;
  gchar *out = NULL, *err = NULL;
  gint status = 0;

  if (!g_spawn_sync (cwd, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
          &status, &error))
    ck_abort_msg ("cannot run %s: %s", argv[0], error->message);
  if (out_out)
    *out_out = out;
  else
    g_free (out);
  if (err_out)
    *err_out = err;
  else
    g_free (err);
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return WEXITSTATUS (status);
}

gint
spawn (gchar ** argv, gchar ** env, const gchar * cwd, gchar ** err_out)
{
  return spawn_full (argv, env, cwd, NULL, err_out);
}

gchar *
app_path (const gchar * app)
{
  gchar *name = g_strconcat ("app-", app, NULL);
  gchar *path = g_build_filename (apps_dir, name, NULL);

  g_free (name);
  ck_assert_msg (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE),
      "%s is not built", path);
  return path;
}

gint
run_app_full (const gchar * app, const gchar * const *args,
    const gchar * params, const gchar * cwd, gchar ** out_out,
    gchar ** err_out)
{
  gchar *path = app_path (app);
  gchar *tracers = g_strdup_printf ("memtrace(%s)", params);
  gchar **env = child_env (tracers);
  GPtrArray *argv = g_ptr_array_new ();
  gint status;

  g_ptr_array_add (argv, path);
  for (; args && *args; args++)
    g_ptr_array_add (argv, (gpointer) * args);
  g_ptr_array_add (argv, NULL);
  status = spawn_full ((gchar **) argv->pdata, env, cwd, out_out, err_out);
  g_ptr_array_free (argv, TRUE);
  g_strfreev (env);
  g_free (tracers);
  g_free (path);
  return status;
}

gint
run_app (const gchar * app, const gchar * params, const gchar * cwd,
    gchar ** err_out)
{
  return run_app_full (app, NULL, params, cwd, NULL, err_out);
}

MemTraceTrace *
open_trace (const gchar * path)
{
  GError *error = NULL;
  MemTraceTrace *t = memtrace_trace_open (path, &error);

  if (!t)
    ck_abort_msg ("cannot open %s: %s", path, error->message);
  return t;
}

/* Records app once per test run (the trace is shared by the tests that
 * look at it) with the given extra tracer parameters, and opens it. */
static MemTraceTrace *
record_args (const gchar * app, const gchar * extra, const gchar * const *args)
{
  gchar *joined = args ? g_strjoinv ("-", (gchar **) args) : NULL;
  gchar *name = g_strdup_printf ("%s%s%s%s%s.trace", app,
      joined ? "+" : "", joined ? joined : "", extra ? "-" : "",
      extra ? extra : "");
  gchar *path, *params, *err = NULL;
  MemTraceTrace *t;

  g_strdelimit (name, "=,/", '_');
  path = g_build_filename (tmpdir, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    gint status;

    params = g_strdup_printf ("output=%s%s%s", path, extra ? "," : "",
        extra ? extra : "");
    status = run_app_full (app, args, params, tmpdir, NULL, &err);
    ck_assert_msg (status == 0, "app-%s exited with %d: %s", app, status,
        err);
    ck_assert_msg (g_file_test (path, G_FILE_TEST_IS_REGULAR),
        "app-%s left no trace at %s: %s", app, path, err);
    g_free (params);
    g_free (err);
  }
  t = open_trace (path);
  g_free (path);
  g_free (name);
  g_free (joined);
  return t;
}

MemTraceTrace *
record (const gchar * app, const gchar * extra)
{
  return record_args (app, extra, NULL);
}

MemTraceTrace *
record_app_args (const gchar * app, const gchar * extra,
    const gchar * const *args)
{
  return with_functions (record_args (app, extra, args));
}

static sqlite3_stmt *
prepare_va (sqlite3 * db, const gchar * fmt, va_list ap)
{
  gchar *sql = g_strdup_vprintf (fmt, ap);
  sqlite3_stmt *st = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &st, NULL) != SQLITE_OK)
    ck_abort_msg ("%s: %s", sql, sqlite3_errmsg (db));
  g_free (sql);
  return st;
}

/* The first column of the first row; -1 for no row or NULL. */
gint64
q_int (MemTraceTrace * t, const gchar * fmt, ...)
{
  sqlite3 *db = memtrace_trace_db (t);
  sqlite3_stmt *st;
  gint64 v = -1;
  va_list ap;
  gint rc;

  va_start (ap, fmt);
  st = prepare_va (db, fmt, ap);
  va_end (ap);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW && sqlite3_column_type (st, 0) != SQLITE_NULL)
    v = sqlite3_column_int64 (st, 0);
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ck_abort_msg ("query failed: %s", sqlite3_errmsg (db));
  sqlite3_finalize (st);
  return v;
}

gchar *
q_text (MemTraceTrace * t, const gchar * fmt, ...)
{
  sqlite3 *db = memtrace_trace_db (t);
  sqlite3_stmt *st;
  gchar *v = NULL;
  va_list ap;

  va_start (ap, fmt);
  st = prepare_va (db, fmt, ap);
  va_end (ap);
  if (sqlite3_step (st) == SQLITE_ROW && sqlite3_column_text (st, 0))
    v = g_strdup ((const gchar *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return v;
}

/* All values of the first column, as a sorted comma-separated string. */
gchar *
q_list (MemTraceTrace * t, const gchar * fmt, ...)
{
  sqlite3 *db = memtrace_trace_db (t);
  GString *s = g_string_new (NULL);
  sqlite3_stmt *st;
  va_list ap;

  va_start (ap, fmt);
  st = prepare_va (db, fmt, ap);
  va_end (ap);
  while (sqlite3_step (st) == SQLITE_ROW)
    g_string_append_printf (s, "%s%s", s->len ? "," : "",
        sqlite3_column_text (st, 0) ? (const gchar *)
        sqlite3_column_text (st, 0) : "NULL");
  sqlite3_finalize (st);
  return g_string_free (s, FALSE);
}

/* The innermost frame of a stack whose symbol is function, as "file:line"
 * (or "?:0" without line info); NULL if no frame is. */
static gchar *
stack_frame (sqlite3 * db, gint64 stack, const gchar * function)
{
  sqlite3_stmt *st, *sym;
  gchar *found = NULL;
  const guint8 *blob;
  gint i, n;

  if (sqlite3_prepare_v2 (db, "SELECT frames FROM stacks WHERE id = ?", -1,
          &st, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT function, file, line FROM symbols "
          "WHERE address = ?", -1, &sym, NULL) != SQLITE_OK)
    ck_abort_msg ("stack query: %s", sqlite3_errmsg (db));
  sqlite3_bind_int64 (st, 1, stack);
  if (sqlite3_step (st) == SQLITE_ROW) {
    blob = sqlite3_column_blob (st, 0);
    n = sqlite3_column_bytes (st, 0) / 8;
    for (i = 0; i < n && !found; i++) {
      guint64 address = 0;
      gint k;

      for (k = 7; k >= 0; k--)
        address = (address << 8) | blob[8 * i + k];
      sqlite3_bind_int64 (sym, 1, (gint64) address);
      if (sqlite3_step (sym) == SQLITE_ROW
          && !g_strcmp0 ((const gchar *) sqlite3_column_text (sym, 0),
              function))
        found = g_strdup_printf ("%s:%d", sqlite3_column_text (sym, 1) ?
            (const gchar *) sqlite3_column_text (sym, 1) : "?",
            sqlite3_column_int (sym, 2));
      sqlite3_reset (sym);
    }
  }
  sqlite3_finalize (sym);
  sqlite3_finalize (st);
  return found;
}

/* SQL: stack_has(stack, 'function') is 1 if a frame of the stack is in
 * that function; stack_at(stack, 'function') its "file:line". */
static void
sql_stack_has (sqlite3_context * ctx, int argc, sqlite3_value ** argv)
{
  gchar *frame = NULL;

  if (sqlite3_value_type (argv[0]) != SQLITE_NULL)
    frame = stack_frame (sqlite3_context_db_handle (ctx),
        sqlite3_value_int64 (argv[0]),
        (const gchar *) sqlite3_value_text (argv[1]));
  sqlite3_result_int (ctx, frame != NULL);
  g_free (frame);
}

static void
sql_stack_at (sqlite3_context * ctx, int argc, sqlite3_value ** argv)
{
  gchar *frame = NULL;

  if (sqlite3_value_type (argv[0]) != SQLITE_NULL)
    frame = stack_frame (sqlite3_context_db_handle (ctx),
        sqlite3_value_int64 (argv[0]),
        (const gchar *) sqlite3_value_text (argv[1]));
  if (frame)
    sqlite3_result_text (ctx, frame, -1, g_free);
  else
    sqlite3_result_null (ctx);
}

MemTraceTrace *
with_functions (MemTraceTrace * t)
{
  sqlite3 *db = memtrace_trace_db (t);

  ck_assert_int_eq (sqlite3_create_function_v2 (db, "stack_has", 2,
          SQLITE_UTF8, NULL, sql_stack_has, NULL, NULL, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_create_function_v2 (db, "stack_at", 2,
          SQLITE_UTF8, NULL, sql_stack_at, NULL, NULL, NULL), SQLITE_OK);
  /* A view of every object with its type name and end state. */
  ck_assert_int_eq (sqlite3_exec (db, "CREATE TEMP VIEW o AS SELECT "
          "o.id, t.name AS type, o.stack, o.thread, o.destroyed, "
          "a.state, a.flags, a.refcount FROM objects o "
          "JOIN types t ON t.id = o.type LEFT JOIN alive a ON a.obj = o.id",
          NULL, NULL, NULL), SQLITE_OK);
  return t;
}

MemTraceTrace *
record_app (const gchar * app, const gchar * extra)
{
  return with_functions (record (app, extra));
}

gint64
n_created (MemTraceTrace * t, const gchar * type)
{
  return q_int (t, "SELECT count(*) FROM o WHERE type = '%s'", type);
}

gint64
n_destroyed (MemTraceTrace * t, const gchar * type)
{
  return q_int (t, "SELECT count(*) FROM o WHERE type = '%s' "
      "AND destroyed IS NOT NULL", type);
}

/* Alive at the end in that state, not flagged as maybe leaked. */
gint64
n_leaked (MemTraceTrace * t, const gchar * type, gint state)
{
  return q_int (t, "SELECT count(*) FROM o WHERE type = '%s' AND state = %d "
      "AND flags & %d = 0", type, state, MAY_BE_LEAKED);
}

/* "apps/<app>.c:N", N the line marked "planted" in a comment. */
gchar *
planted_at (const gchar * app)
{
  gchar *file = g_strconcat (app, ".c", NULL);
  gchar *path = g_build_filename (apps_srcdir, file, NULL);
  gchar *text = NULL, **lines, *at = NULL;
  guint i;

  ck_assert_msg (g_file_get_contents (path, &text, NULL, NULL),
      "cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++)
    if (strstr (lines[i], "/* planted */")) {
      ck_assert_msg (at == NULL, "two planted lines in %s", path);
      at = g_strdup_printf ("apps/%s:%u", file, i + 1);
    }
  ck_assert_msg (at != NULL, "no planted line in %s", path);
  g_strfreev (lines);
  g_free (text);
  g_free (path);
  g_free (file);
  return at;
}

/* Every value in a comma-separated list of "file:line" ends with suffix. */
void
assert_all_at (const gchar * list, const gchar * suffix, guint n)
{
  gchar **items = g_strsplit (list, ",", -1);
  guint i;

  ck_assert_msg (g_strv_length (items) == n, "%u frames expected, got '%s'",
      n, list);
  for (i = 0; items[i]; i++)
    ck_assert_msg (g_str_has_suffix (items[i], suffix),
        "planted frame at %s, expected ...%s", items[i], suffix);
  g_strfreev (items);
}

void
assert_meta (MemTraceTrace * t, const gchar * end_reason)
{
  gchar *reason = memtrace_trace_meta_text (t, "end_reason");

  ck_assert_int_eq (memtrace_trace_meta_int (t, "complete", -1), 1);
  ck_assert_str_eq (reason ? reason : "(none)", end_reason);
  ck_assert_int_eq (memtrace_trace_meta_int (t, "dropped_events", -1), 0);
  ck_assert_int_eq (memtrace_trace_meta_int (t, "corrupt_blocks", -1), 0);
  g_free (reason);
}


guint
count_lines (const gchar * text, const gchar * needle)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  guint i, n = 0;

  for (i = 0; lines[i]; i++)
    if (strstr (lines[i], needle))
      n++;
  g_strfreev (lines);
  return n;
}

guint
dir_n_entries (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  ck_assert_ptr_nonnull (dir);
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

static const gchar *
need_env (const gchar * prog, const gchar * name)
{
  const gchar *v = g_getenv (name);

  if (!v || !*v) {
    g_printerr ("%s: %s is not set (run it with meson test)\n", prog,
        name);
    exit (77);
  }
  return v;
}

/* Loads the plugin into the private registry once, untraced, so that no
 * traced run scans plugins. */
static void
warm_registry (void)
{
  gchar *app = g_build_filename (apps_dir, "app-exit_status", NULL);
  gchar *argv[] = { app, NULL };
  gchar **env = child_env (NULL);

  g_spawn_sync (tmpdir, argv, env, G_SPAWN_STDOUT_TO_DEV_NULL |
      G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  g_strfreev (env);
  g_free (app);
}

gint
record_helpers_run (Suite * suite, const gchar * prog)
{
  SRunner *runner;
  gint n_failed;

  plugin_dir = need_env (prog, "MEMTRACE_PLUGIN_DIR");
  apps_dir = need_env (prog, "MEMTRACE_APPS_DIR");
  apps_srcdir = need_env (prog, "MEMTRACE_APPS_SRCDIR");
  cli = need_env (prog, "MEMTRACE_CLI");
  registry = need_env (prog, "MEMTRACE_REGISTRY");
  tmpdir = g_dir_make_tmp ("memtrace-test-record-XXXXXX", NULL);
  if (!tmpdir)
    return EXIT_FAILURE;
  warm_registry ();

  runner = srunner_create (suite);
  srunner_run_all (runner, CK_NORMAL);
  n_failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  if (n_failed == 0 || !g_getenv ("MEMTRACE_KEEP_TRACES"))
    test_files_remove_tree (tmpdir);
  else
    g_printerr ("%s: traces kept in %s\n", prog, tmpdir);
  g_free (tmpdir);
  return n_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
