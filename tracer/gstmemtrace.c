/* gst-memtrace: the memtrace tracer.
 *
 * GST_TRACERS="memtrace(output=app.trace,stack-depth=32)" records the life
 * of every buffer, memory, pool, allocator, mini-object and GstObject into
 * an SQLite trace file.  This file holds the tracer object: parameters,
 * start, checkpoints, and finishing at gst_deinit() or at exit. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <pthread.h>
#include "gstmemtrace.h"
#include "memtrace-params.h"
#include "memtrace-hooks.h"
#include "memtrace-livemap.h"
#include "memtrace-ring.h"
#include "memtrace-stacks.h"
#include "memtrace-record.h"
#include "memtrace-writer.h"
#include "memtrace-vfuncs.h"
#include "memtrace-clock.h"
#include "memtrace-warn.h"

GST_DEBUG_CATEGORY (gst_memtrace_debug);
#define GST_CAT_DEFAULT gst_memtrace_debug

#define RING_SLOTS 8192

struct _GstMemTrace
{
  GstTracer parent;
  MemTraceParams params;
};

enum
{
  SIGNAL_CHECKPOINT,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];
gint64 memtrace_clock_offset;
gboolean memtrace_clock_calibrating;

/* One recording per process: the state lives outside the object because
 * exit handlers and fork handlers have no object to hand. */
static GMutex finish_lock;
static MemTraceWriter *writer;
static pid_t owner_pid;

G_DEFINE_TYPE (GstMemTrace, gst_memtrace, GST_TYPE_TRACER);

static void
finish_recording (const gchar * reason, gint state)
{
  MemTraceRing *ring;
  guint64 ts;

  /* A forked child may have copied the lock held: never take it there. */
  if (getpid () != owner_pid)
    return;
  g_mutex_lock (&finish_lock);
  if (!writer) {
    g_mutex_unlock (&finish_lock);
    return;
  }
  ring = memtrace_ring_get ();
  ring->in_tracer++;
  ts = memtrace_clock_now ();
  memtrace_hooks_record_alive (ts, state);
  memtrace_hooks_set_recording (FALSE);
  memtrace_writer_finish (writer, reason, ts);
  writer = NULL;
  ring->in_tracer--;
  g_mutex_unlock (&finish_lock);
}

static void
finish_at_exit (void)
{
  if (getpid () != owner_pid || !writer)
    return;
  memtrace_hooks_wait_for_tasks (100 * G_TIME_SPAN_MILLISECOND);
  finish_recording ("exit", MEMTRACE_ALIVE_AT_EXIT);
}

/* A child must never write into its parent's trace: it records nothing. */
static void
forked_child (void)
{
  memtrace_hooks_set_recording (FALSE);
  if (writer)
    memtrace_writer_forget_in_child (writer);
  writer = NULL;
}

/* Async-signal-safe: it only counts and stamps; the writer, which wakes at
 * least every flush interval, records the checkpoint. */
static void
on_checkpoint_signal (int sig)
{
  /* The interrupted code may be about to read errno. */
  gint saved_errno = errno;

  memtrace_writer_signal_checkpoint ();
  errno = saved_errno;
}

static void
install_checkpoint_signal (gint sig)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof (sa));
  sa.sa_handler = on_checkpoint_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset (&sa.sa_mask);
  sigaction (sig, &sa, NULL);
}

/* `gst-memtrace run` asks to be told where each trace went. */
static void
announce_path (const gchar * path)
{
  const gchar *notify = g_getenv ("GST_MEMTRACE_NOTIFY");
  gchar *abs, *line;
  gint fd;

  if (!notify || !*notify)
    return;
  fd = open (notify, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return;
  abs = g_canonicalize_filename (path, NULL);
  line = g_strdup_printf ("%s\n", abs);
  if (write (fd, line, strlen (line)) < 0)
    GST_WARNING ("cannot announce the trace path");
  close (fd);
  g_free (line);
  g_free (abs);
}

static gchar *
read_params (GstMemTrace * self)
{
  gchar *params = NULL;

  g_object_get (self, "params", &params, NULL);
  return params;
}

static void
parse_params (GstMemTrace * self, const gchar * text)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  guint i;

  memtrace_params_parse (text, &self->params, warnings);
  for (i = 0; i < warnings->len; i++)
    memtrace_warn ("%s", (gchar *) g_ptr_array_index (warnings, i));
  g_ptr_array_unref (warnings);
}

static gboolean
start_writer (GstMemTrace * self, const gchar * text)
{
  GError *error = NULL;
  gchar *path = self->params.output ? g_strdup (self->params.output) :
      g_strdup_printf ("gst-memtrace-%d.trace", getpid ());

  writer = memtrace_writer_start (path, text, self->params.flush_interval_ms,
      &error);
  if (!writer) {
    memtrace_warn ("memtrace: %s; the application runs on untraced",
        error->message);
    g_error_free (error);
  } else {
    GST_INFO ("recording to %s", memtrace_writer_path (writer));
    announce_path (memtrace_writer_path (writer));
  }
  g_free (path);
  return writer != NULL;
}

static void
adopt_default_allocator (void)
{
  GstAllocator *sysmem = gst_allocator_find (NULL);

  /* The system allocator exists before any tracer does. */
  if (sysmem) {
    memtrace_vfuncs_patch_allocator (sysmem);
    memtrace_hooks_adopt (GST_OBJECT (sysmem));
    gst_object_unref (sysmem);
  }
}

static void
gst_memtrace_constructed (GObject * object)
{
  GstMemTrace *self = GST_MEMTRACE (object);
  gchar *text = read_params (self);

  G_OBJECT_CLASS (gst_memtrace_parent_class)->constructed (object);
  parse_params (self, text);
  g_mutex_lock (&finish_lock);
  if (writer) {
    memtrace_warn ("memtrace: only one memtrace tracer per process records; "
        "this one is ignored");
  } else {
    memtrace_livemap_init ();
    memtrace_stacks_init (self->params.stack_depth);
    memtrace_rings_init (RING_SLOTS, self->params.drop_when_full ?
        MEMTRACE_FULL_DROP : MEMTRACE_FULL_WAIT, memtrace_writer_wake);
    if (start_writer (self, text)) {
      owner_pid = getpid ();
      memtrace_hooks_register (GST_TRACER (self), &self->params);
      memtrace_hooks_set_recording (TRUE);
      memtrace_hooks_calibrate_clock ();
      adopt_default_allocator ();
      pthread_atfork (NULL, NULL, forked_child);
      atexit (finish_at_exit);
      if (self->params.checkpoint_signal)
        install_checkpoint_signal (self->params.checkpoint_signal);
    }
  }
  g_mutex_unlock (&finish_lock);
  g_free (text);
}

/* The last reference goes in gst_deinit(), after GStreamer released all it
 * owns: what is alive now has leaked. */
static void
gst_memtrace_finalize (GObject * object)
{
  GstMemTrace *self = GST_MEMTRACE (object);

  finish_recording ("deinit", MEMTRACE_ALIVE_AT_DEINIT);
  memtrace_params_clear (&self->params);
  G_OBJECT_CLASS (gst_memtrace_parent_class)->finalize (object);
}

static void
gst_memtrace_checkpoint (GstMemTrace * self, const gchar * label)
{
  MemTraceRing *ring = memtrace_hooks_enter ();
  MemTraceEvent ev = { 0, };

  if (!ring)
    return;
  ev.kind = MEMTRACE_EV_CHECKPOINT;
  ev.ts = memtrace_clock_now ();
  ev.text_len = label ? MIN (strlen (label), MEMTRACE_EVENT_MAX_TEXT) : 0;
  memcpy (ev.text, label ? label : "", ev.text_len);
  memtrace_record (ring, &ev);
  /* A checkpoint is a moment the user wants on disk. */
  memtrace_writer_wake ();
}

static void
gst_memtrace_class_init (GstMemTraceClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->constructed = gst_memtrace_constructed;
  gobject_class->finalize = gst_memtrace_finalize;

  /**
   * GstMemTrace::checkpoint:
   * @tracer: the memtrace tracer
   * @label: what the moment is called in reports
   *
   * Marks this moment in the trace, so that leaks can be reported between
   * two checkpoints.
   */
  signals[SIGNAL_CHECKPOINT] = g_signal_new_class_handler ("checkpoint",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_memtrace_checkpoint), NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_STRING);
}

static void
gst_memtrace_init (GstMemTrace * self)
{
}

void
memtrace_warn (const gchar * format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  GST_WARNING ("%s", msg);
  g_printerr ("%s\n", msg);
  g_free (msg);
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  GST_DEBUG_CATEGORY_INIT (gst_memtrace_debug, "memtrace", 0,
      "memory tracer");
  return gst_tracer_register (plugin, "memtrace", GST_TYPE_MEMTRACE);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, memtrace,
    "Records buffer, memory, pool and object lifetimes into a trace file",
    plugin_init, PACKAGE_VERSION, "LGPL", "gst-memtrace",
    "https://gstreamer.freedesktop.org/")
