/* checkpoint-signal=SIGUSR2 while the application marks checkpoints of its
 * own: a thread sends SIGUSR2 to the main thread every SEND_US while the
 * main thread emits N_CHECKPOINTS "checkpoint" action signals.  A signal
 * can land anywhere, inside the tracer too: its handler must not take a
 * lock the interrupted code may hold. */
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "app-common.h"

#define N_CHECKPOINTS 50000
#define SEND_US 10

static pid_t main_tid;
static gint stop;

static gpointer
send_signals (gpointer data)
{
  while (!g_atomic_int_get (&stop)) {
    if (syscall (SYS_tgkill, getpid (), main_tid, SIGUSR2) != 0)
      exit (30);
    g_usleep (SEND_US);
  }
  return NULL;
}

static GstTracer *
find_memtrace (void)
{
  GList *tracers = gst_tracing_get_active_tracers (), *l;
  GstTracer *found = NULL;

  for (l = tracers; l; l = l->next)
    if (!found && g_signal_lookup ("checkpoint", G_OBJECT_TYPE (l->data)))
      found = gst_object_ref (l->data);
  g_list_free_full (tracers, gst_object_unref);
  return found;
}

int
main (int argc, char **argv)
{
  GstTracer *tracer;
  GThread *sender;
  gint i;

  gst_init (&argc, &argv);
  tracer = find_memtrace ();
  if (!tracer)
    return 20;
  main_tid = syscall (SYS_gettid);
  sender = g_thread_new ("sender", send_signals, NULL);
  for (i = 0; i < N_CHECKPOINTS; i++)
    g_signal_emit_by_name (tracer, "checkpoint", "app");
  g_atomic_int_set (&stop, 1);
  g_thread_join (sender);
  gst_object_unref (tracer);
  gst_deinit ();
  return 0;
}
