/* fork() while a pipeline streams.  Three children, none of which may
 * write a trace or touch the parent's:
 *   - one makes and frees CHILD_BUFFERS buffers (more events than a ring
 *     holds: a child that still recorded would wait for a writer thread
 *     it does not have), then _exit(0)s;
 *   - one does the same, then exit(0)s (atexit handlers run);
 *   - one execs /bin/true.
 * The first also checks that it holds no descriptor of an unnamed file:
 * the parent's tracer keeps its disk room in one (exit 3 if not let go).
 * The parent then makes and frees PARENT_BUFFERS buffers of its own.
 * Prints "<parent pid> <child pid> <child pid> <child pid>". */
#include <unistd.h>
#include <sys/wait.h>
#include "app-common.h"

#define PIPELINE_BUFFERS 20
#define CHILD_BUFFERS 3000
#define PARENT_BUFFERS 7

G_GNUC_NO_INLINE void child_make_buffers (void);
G_GNUC_NO_INLINE void parent_make_buffers (void);

G_GNUC_NO_INLINE void
child_make_buffers (void)
{
  gint i;

  for (i = 0; i < CHILD_BUFFERS; i++)
    gst_buffer_unref (gst_buffer_new_allocate (NULL, 50, NULL));
}

G_GNUC_NO_INLINE void
parent_make_buffers (void)
{
  gint i;

  for (i = 0; i < PARENT_BUFFERS; i++)
    gst_buffer_unref (gst_buffer_new_allocate (NULL, 70, NULL));
}

/* Open descriptors of files that have no name (the tracer's room for the
 * end rows of its trace is one). */
static gint
n_unnamed_files (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const gchar *name;
  gint n = 0;

  while (dir && (name = g_dir_read_name (dir))) {
    gchar *link = g_build_filename ("/proc/self/fd", name, NULL);
    gchar *target = g_file_read_link (link, NULL);

    if (target && g_str_has_suffix (target, " (deleted)"))
      n++;
    g_free (target);
    g_free (link);
  }
  if (dir)
    g_dir_close (dir);
  return n;
}

static pid_t
start_child (gint how)
{
  pid_t pid = fork ();

  if (pid < 0)
    exit (30);
  if (pid > 0)
    return pid;
  switch (how) {
    case 0:
      if (n_unnamed_files () != 0)
        _exit (3);
      child_make_buffers ();
      _exit (0);
    case 1:
      child_make_buffers ();
      exit (0);
    default:
      execl ("/bin/true", "true", (char *) NULL);
      _exit (127);
  }
}

static gboolean
child_ok (pid_t pid)
{
  gint status;

  return waitpid (pid, &status, 0) == pid && WIFEXITED (status)
      && WEXITSTATUS (status) == 0;
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  pid_t children[3];
  gint i;

  gst_init (&argc, &argv);
  /* Live: 10 ms a buffer, so it is streaming while we fork. */
  pipeline = app_parse ("audiotestsrc is-live=true num-buffers=20 "
      "samplesperbuffer=441 ! audio/x-raw,rate=44100 ! fakesink");
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    return 20;
  bus = gst_element_get_bus (pipeline);
  /* Wait for the stream to run. */
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
  if (!msg || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ASYNC_DONE)
    return 21;
  gst_message_unref (msg);
  if (n_unnamed_files () != 1)
    return 27;
  for (i = 0; i < 3; i++)
    children[i] = start_child (i);
  for (i = 0; i < 3; i++)
    if (!child_ok (children[i]))
      return 22 + i;
  parent_make_buffers ();
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (!msg || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS)
    return 26;
  gst_message_unref (msg);
  gst_object_unref (bus);
  app_stop (pipeline);
  g_print ("%d %d %d %d\n", (gint) getpid (), (gint) children[0],
      (gint) children[1], (gint) children[2]);
  gst_deinit ();
  return 0;
}
