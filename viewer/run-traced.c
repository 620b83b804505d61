/* gst-memtrace: running a program with the memtrace tracer on, for `run`
 * and `check`.
 *
 * The program is executed directly (never through a shell) with
 * GST_TRACERS extended by memtrace(...) and the plugin made findable.  Each
 * process that records announces its trace file in a file we name. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "run-traced.h"
#include "commands.h"

/* The plugin built beside this binary wins over an installed one, so the
 * build tree works without installing. */
static gchar *
plugin_dir (void)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *dir = exe ? g_path_get_dirname (exe) : g_strdup (".");
  gchar *tracer = g_build_filename (dir, "..", "tracer", NULL);
  gchar *so = g_build_filename (tracer, "libgstmemtrace.so", NULL);
  gchar *found = g_file_test (so, G_FILE_TEST_EXISTS) ?
      g_canonicalize_filename (tracer, NULL) : NULL;

  g_free (so);
  g_free (tracer);
  g_free (dir);
  g_free (exe);
  return found;
}

static void
prepend_env_path (const gchar * var, const gchar * dir)
{
  const gchar *old = g_getenv (var);
  gchar *v = old && *old ? g_strconcat (dir, ":", old, NULL) : g_strdup (dir);

  g_setenv (var, v, TRUE);
  g_free (v);
}

static gboolean
tracer_params (const MemTraceRunOptions * o, GString * p, GError ** error)
{
  if (o->output) {
    /* GStreamer 1.22.0 ends the parameters at the first ')'. */
    if (strpbrk (o->output, ")\";\\")) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "the output path may not contain ) \" ; or \\: %s", o->output);
      return FALSE;
    }
    g_string_append_printf (p, "output=\"%s\",", o->output);
  }
  if (o->stack_depth >= 0)
    g_string_append_printf (p, "stack-depth=%d,", o->stack_depth);
  if (o->record_refs)
    g_string_append (p, "record-refs=true,");
  if (o->extra && *o->extra)
    g_string_append_printf (p, "%s,", o->extra);
  if (p->len)
    g_string_truncate (p, p->len - 1);
  return TRUE;
}

static gboolean
set_environment (const MemTraceRunOptions * o, const gchar * notify, GError ** error)
{
  GString *params = g_string_new (NULL);
  const gchar *old = g_getenv ("GST_TRACERS");
  gchar *dir = plugin_dir (), *tracers;

  if (!tracer_params (o, params, error)) {
    g_string_free (params, TRUE);
    g_free (dir);
    return FALSE;
  }
  tracers = g_strdup_printf ("%s%smemtrace(%s)", old && *old ? old : "",
      old && *old ? ";" : "", params->str);
  g_setenv ("GST_TRACERS", tracers, TRUE);
  g_setenv ("GST_MEMTRACE_NOTIFY", notify, TRUE);
  if (dir)
    prepend_env_path ("GST_PLUGIN_PATH", dir);
  g_free (tracers);
  g_free (dir);
  g_string_free (params, TRUE);
  return TRUE;
}

static pid_t child;

static void
forward_signal (int sig)
{
  if (child > 0)
    kill (child, sig);
}

/* out_fd >= 0 (run --view): the program's output goes there and its
 * input is empty, so that it never writes over the viewer nor reads its
 * keys. */
static gboolean
start_child (gchar ** argv, gint out_fd)
{
  child = fork ();
  if (child < 0) {
    g_printerr ("gst-memtrace: cannot fork: %s\n", g_strerror (errno));
    return FALSE;
  }
  if (child == 0) {
    if (out_fd >= 0) {
      gint null = open ("/dev/null", O_RDONLY);

      dup2 (null, STDIN_FILENO);
      dup2 (out_fd, STDOUT_FILENO);
      dup2 (out_fd, STDERR_FILENO);
    }
    execvp (argv[0], argv);
    g_printerr ("gst-memtrace: cannot run %s: %s\n", argv[0],
        g_strerror (errno));
    _exit (127);
  }
  signal (SIGTERM, forward_signal);
  signal (SIGHUP, forward_signal);
  /* The terminal sends ^C to the whole group: the program decides. */
  signal (SIGINT, SIG_IGN);
  return TRUE;
}

static gint
wait_child (void)
{
  gint status;

  while (waitpid (child, &status, 0) < 0 && errno == EINTR);
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return WEXITSTATUS (status);
}

static gint
run_child (gchar ** argv)
{
  return start_child (argv, -1) ? wait_child () : 127;
}

/* The traces the program's processes announced, one path a line. */
static void
read_announced (const gchar * notify, GPtrArray * traces)
{
  gchar *text = NULL, **lines;
  guint i;

  if (!g_file_get_contents (notify, &text, NULL, NULL)) {
    g_free (text);
    return;
  }
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++)
    if (*lines[i])
      g_ptr_array_add (traces, g_strdup (lines[i]));
  g_strfreev (lines);
  g_free (text);
}

gint
memtrace_run_traced (const MemTraceRunOptions * o, gchar ** argv,
    GPtrArray * traces)
{
  GError *error = NULL;
  gchar *notify = NULL;
  gint fd = g_file_open_tmp ("gst-memtrace-XXXXXX", &notify, &error), ret;

  if (fd < 0)
    return memtrace_cmd_fail (error);
  close (fd);
  if (!set_environment (o, notify, &error)) {
    g_printerr ("gst-memtrace: %s\n", error->message);
    g_error_free (error);
    g_unlink (notify);
    g_free (notify);
    return MEMTRACE_EXIT_USAGE;
  }
  ret = run_child (argv);
  read_announced (notify, traces);
  g_unlink (notify);
  g_free (notify);
  return ret;
}

GPid
memtrace_run_traced_start (const MemTraceRunOptions * o, gchar ** argv,
    gint out_fd, gchar ** notify)
{
  GError *error = NULL;
  gint fd = g_file_open_tmp ("gst-memtrace-XXXXXX", notify, &error);

  if (fd < 0) {
    memtrace_cmd_fail (error);
    return -1;
  }
  close (fd);
  if (!set_environment (o, *notify, &error)) {
    g_printerr ("gst-memtrace: %s\n", error->message);
    g_error_free (error);
  } else if (start_child (argv, out_fd)) {
    return child;
  }
  g_unlink (*notify);
  g_clear_pointer (notify, g_free);
  return -1;
}

gchar *
memtrace_run_traced_first (const gchar * notify)
{
  GPtrArray *traces = g_ptr_array_new_with_free_func (g_free);
  gchar *first;

  read_announced (notify, traces);
  first = traces->len ? g_strdup (g_ptr_array_index (traces, 0)) : NULL;
  g_ptr_array_unref (traces);
  return first;
}

void
memtrace_run_traced_finish (GPid pid, gint * status, gchar * notify,
    GPtrArray * traces)
{
  child = pid;
  if (*status < 0)
    *status = wait_child ();
  if (traces)
    read_announced (notify, traces);
  g_unlink (notify);
  g_free (notify);
}

void
memtrace_run_options_add (GOptionGroup * group, MemTraceRunOptions * o,
    gboolean with_output)
{
  GOptionEntry entries[] = {
    {"stack-depth", 0, 0, G_OPTION_ARG_INT, &o->stack_depth,
        "Frames per backtrace, 0 for none (default 32)", "N"},
    {"record-refs", 0, 0, G_OPTION_ARG_NONE, &o->record_refs,
        "Record every ref and unref with its backtrace", NULL},
    {"params", 0, 0, G_OPTION_ARG_STRING, &o->extra,
        "More tracer parameters, as in GST_TRACERS", "K=V,..."},
    {NULL}
  };
  GOptionEntry output[] = {
    {with_output ? "output" : "trace", with_output ? 'o' : 't', 0,
          G_OPTION_ARG_FILENAME, &o->output,
        "Trace file (default gst-memtrace-PID.trace)", "FILE"},
    {NULL}
  };

  g_option_group_add_entries (group, output);
  g_option_group_add_entries (group, entries);
}

gboolean
memtrace_run_options_check (const MemTraceRunOptions * o)
{
  if (o->stack_depth > 128 || o->stack_depth < -1) {
    g_printerr ("gst-memtrace: --stack-depth takes 0 to 128\n");
    return FALSE;
  }
  return TRUE;
}

void
memtrace_run_options_clear (MemTraceRunOptions * o)
{
  g_free (o->output);
  g_free (o->extra);
}
