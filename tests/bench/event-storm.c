/* gst-memtrace benchmark: a synthetic event generator for the recorder.
 *
 * event-storm N_EVENTS [N_THREADS]
 *
 * Each thread makes and drops buffers of one 64-byte memory as fast as it
 * can: outside of GStreamer's own work, the time goes to the tracer.  One
 * round is six events for memtrace (buffer and memory created, the
 * allocation, the buffer's contents, buffer and memory destroyed), so the
 * program runs N_EVENTS / 6 rounds in all, split over the threads. */
#include <stdlib.h>
#include <gst/gst.h>

#define EVENTS_PER_ROUND 6

static gpointer
storm (gpointer data)
{
  guint64 i, rounds = GPOINTER_TO_SIZE (data);

  for (i = 0; i < rounds; i++)
    gst_buffer_unref (gst_buffer_new_allocate (NULL, 64, NULL));
  return NULL;
}

int
main (int argc, char **argv)
{
  guint64 n_events;
  guint i, n_threads;
  GThread **threads;

  gst_init (&argc, &argv);
  if (argc < 2 || (n_events = g_ascii_strtoull (argv[1], NULL, 10)) == 0) {
    g_printerr ("usage: event-storm N_EVENTS [N_THREADS]\n");
    return 2;
  }
  n_threads = argc > 2 ? CLAMP (atoi (argv[2]), 1, 64) : 1;
  threads = g_new (GThread *, n_threads);
  for (i = 0; i < n_threads; i++)
    threads[i] = g_thread_new ("storm", storm,
        GSIZE_TO_POINTER (n_events / EVENTS_PER_ROUND / n_threads));
  for (i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);
  g_free (threads);
  gst_deinit ();
  return 0;
}
