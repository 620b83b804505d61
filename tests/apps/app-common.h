/* gst-memtrace tests: what the planted-leak apps share. */
#ifndef __APP_COMMON_H__
#define __APP_COMMON_H__

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <gst/gst.h>

/* Runs a pipeline to EOS (or error, which fails the app). */
static inline void
app_run_to_eos (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_printerr ("app: cannot start the pipeline\n");
    exit (10);
  }
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (!msg || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS) {
    g_printerr ("app: the pipeline did not reach EOS\n");
    exit (11);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
}

static inline GstElement *
app_parse (const gchar * description)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);

  if (!pipeline) {
    g_printerr ("app: %s\n", error->message);
    exit (12);
  }
  return pipeline;
}

static inline void
app_stop (GstElement * pipeline)
{
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

/* The thread id of the memtrace tracer's writer thread, found by its name
 * (it names itself once it runs, so this waits up to 2 s); 0 if none. */
static inline pid_t
app_memtrace_writer_tid (void)
{
  pid_t tid = 0;
  gint tries;

  for (tries = 0; tries < 200 && !tid; tries++) {
    DIR *dir = opendir ("/proc/self/task");
    struct dirent *d;

    while (dir && (d = readdir (dir))) {
      gchar *path = g_strdup_printf ("/proc/self/task/%s/comm", d->d_name);
      gchar *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL)
          && !strcmp (g_strstrip (comm), "memtrace-writer"))
        tid = atoi (d->d_name);
      g_free (comm);
      g_free (path);
    }
    if (dir)
      closedir (dir);
    if (!tid)
      g_usleep (10 * 1000);
  }
  return tid;
}

#endif
