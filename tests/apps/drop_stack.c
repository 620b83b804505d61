/* drop-when-full with a backtrace seen first while the ring is full.
 *
 *   app-drop_stack freeze   (with drop-when-full=true) freezes the tracer's
 *                           writer thread, fills this thread's ring until
 *                           events are dropped, makes a buffer in
 *                           plant_lost_stack() (a backtrace never seen
 *                           before) of LOST_SIZE - 1 bytes, thaws the
 *                           writer, lets it drain, and makes one more
 *                           buffer with the same backtrace, of LOST_SIZE
 *                           bytes, which it keeps.
 *   app-drop_stack          the same events without the freeze (nothing
 *                           is dropped): how many events the app makes.
 *
 * The writer is frozen in a signal handler of ours that blocks on a pipe,
 * sent to that thread only. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "app-common.h"

#define FILL_BUFFERS 4000
#define LOST_SIZE 4242

static gint frozen_pipe[2], thaw_pipe[2];
static GstBuffer *kept;

static void
on_freeze (int sig)
{
  char c = 'f';

  if (write (frozen_pipe[1], &c, 1) != 1)
    _exit (40);
  if (read (thaw_pipe[0], &c, 1) != 1)
    _exit (41);
}

static void
freeze_writer (void)
{
  struct sigaction sa;
  pid_t tid = app_memtrace_writer_tid ();
  char c;

  if (!tid)
    exit (31);
  if (pipe (frozen_pipe) != 0 || pipe (thaw_pipe) != 0)
    exit (32);
  memset (&sa, 0, sizeof (sa));
  sa.sa_handler = on_freeze;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGUSR1, &sa, NULL);
  if (syscall (SYS_tgkill, getpid (), tid, SIGUSR1) != 0)
    exit (33);
  if (read (frozen_pipe[0], &c, 1) != 1)
    exit (34);
}

static void
thaw_writer (void)
{
  char c = 't';

  if (write (thaw_pipe[1], &c, 1) != 1)
    exit (35);
}

static void
fill_ring (void)
{
  gint i;

  for (i = 0; i < FILL_BUFFERS; i++)
    gst_buffer_unref (gst_buffer_new_allocate (NULL, 10, NULL));
}

G_GNUC_NO_INLINE GstBuffer *plant_lost_stack (gsize size);

G_GNUC_NO_INLINE GstBuffer *
plant_lost_stack (gsize size)
{
  return gst_buffer_new_allocate (NULL, size, NULL);    /* planted */
}

int
main (int argc, char **argv)
{
  gboolean freeze = argc > 1 && !strcmp (argv[1], "freeze");
  GstBuffer *bufs[2];
  gint i;

  gst_init (&argc, &argv);
  if (freeze)
    freeze_writer ();
  fill_ring ();
  /* One call site, so that both buffers have the same backtrace. */
  for (i = 0; i < 2; i++) {
    bufs[i] = plant_lost_stack (LOST_SIZE - 1 + i);
    if (i == 0) {
      if (freeze)
        thaw_writer ();
      /* More than a flush interval: the writer drains every ring. */
      g_usleep (300 * 1000);
    }
  }
  gst_buffer_unref (bufs[0]);
  kept = bufs[1];
  gst_deinit ();
  return 0;
}
