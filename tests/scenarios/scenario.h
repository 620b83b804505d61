/* gst-memtrace scenarios (tests/scenarios/): what the C programs share.
 *
 * Each program plants its leaks, if any, in uniquely named
 * G_GNUC_NO_INLINE functions called plant_*(), and is built -O0 -g so that
 * they keep their frames.  Any unexpected condition exits with a status
 * of 10 or more, so that a broken program never passes for a clean one. */
#ifndef __SCENARIO_H__
#define __SCENARIO_H__

#include <stdlib.h>
#include <string.h>
#include <gst/gst.h>

static inline void
scenario_fail (gint status, const gchar * what)
{
  g_printerr ("scenario: %s\n", what);
  exit (status);
}

static inline GstElement *
scenario_parse (const gchar * description)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);

  if (!pipeline) {
    g_printerr ("scenario: %s: %s\n", description, error->message);
    exit (12);
  }
  return pipeline;
}

/* Waits for EOS (or fails on an error or after 60 s). */
static inline void
scenario_wait_eos (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  if (!msg || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS) {
    if (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *err = NULL;

      gst_message_parse_error (msg, &err, NULL);
      g_printerr ("scenario: error from %s: %s\n",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message);
    }
    scenario_fail (11, "the pipeline did not reach EOS");
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
}

static inline void
scenario_play (GstElement * pipeline)
{
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    scenario_fail (10, "cannot start the pipeline");
}

static inline void
scenario_run_to_eos (GstElement * pipeline)
{
  scenario_play (pipeline);
  scenario_wait_eos (pipeline);
}

static inline void
scenario_stop (GstElement * pipeline)
{
  if (gst_element_set_state (pipeline, GST_STATE_NULL)
      == GST_STATE_CHANGE_FAILURE)
    scenario_fail (13, "cannot stop the pipeline");
  gst_object_unref (pipeline);
}

static inline GstElement *
scenario_get (GstElement * bin, const gchar * name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (bin), name);

  if (!e)
    scenario_fail (14, name);
  return e;
}

/* The memtrace tracer, as an application finds it; NULL when it is not
 * loaded (under GStreamer's leaks tracer alone, for the cross-check). */
static inline GstTracer *
scenario_find_memtrace (void)
{
  GList *tracers = gst_tracing_get_active_tracers (), *l;
  GstTracer *found = NULL;

  for (l = tracers; l; l = l->next)
    if (!found && g_signal_lookup ("checkpoint", G_OBJECT_TYPE (l->data)))
      found = gst_object_ref (l->data);
  g_list_free_full (tracers, gst_object_unref);
  return found;
}

/* For a program that never calls gst_deinit(): asks GStreamer's leaks
 * tracer, when it is loaded (the cross-check), to log the objects alive now
 * as it would at gst_deinit() (its "log-live-objects" action signal). */
static inline void
scenario_log_live_objects (void)
{
  GList *tracers = gst_tracing_get_active_tracers (), *l;

  for (l = tracers; l; l = l->next)
    if (g_signal_lookup ("log-live-objects", G_OBJECT_TYPE (l->data)))
      g_signal_emit_by_name (l->data, "log-live-objects");
  g_list_free_full (tracers, gst_object_unref);
}

#endif
