/* The application's own signal handlers, installed after gst_init().
 *
 *   app-signals own    handles SIGUSR1 and SIGUSR2 and raises both; the
 *                      tracer must have left both at their default.
 *   app-signals usr1   (with checkpoint-signal=SIGUSR2) handles SIGUSR1
 *                      only and raises both: SIGUSR2 is the tracer's.
 *
 * It exits 0 only if every handler of its own ran, once. */
#include <signal.h>
#include <string.h>
#include "app-common.h"

static volatile sig_atomic_t got_usr1, got_usr2;

static void
on_usr1 (int sig)
{
  got_usr1++;
}

static void
on_usr2 (int sig)
{
  got_usr2++;
}

static gboolean
is_default (int sig)
{
  struct sigaction sa;

  return sigaction (sig, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL;
}

static void
handle (int sig, void (*handler) (int))
{
  struct sigaction sa;

  memset (&sa, 0, sizeof (sa));
  sa.sa_handler = handler;
  sigemptyset (&sa.sa_mask);
  if (sigaction (sig, &sa, NULL) != 0)
    exit (30);
}

int
main (int argc, char **argv)
{
  gboolean own = argc > 1 && !strcmp (argv[1], "own");
  GstBuffer *buf;

  gst_init (&argc, &argv);
  /* Something to record, so the trace is not empty. */
  buf = gst_buffer_new_allocate (NULL, 10, NULL);
  if (!is_default (SIGUSR1))
    return 20;
  if (own && !is_default (SIGUSR2))
    return 21;
  if (!own && is_default (SIGUSR2))
    return 22;
  handle (SIGUSR1, on_usr1);
  if (own)
    handle (SIGUSR2, on_usr2);
  raise (SIGUSR1);
  raise (SIGUSR2);
  if (got_usr1 != 1)
    return 23;
  if (got_usr2 != (own ? 1 : 0))
    return 24;
  gst_buffer_unref (buf);
  gst_deinit ();
  return 0;
}
