/* Planted leak: an element of the application's own, "historian", keeps a
 * reference to every HISTORY_EVERY-th buffer it passes on in a GQueue of its
 * private state (to look back at later), and its finalize forgets to clear
 * that queue.  audiotestsrc makes 24 buffers of 100 stereo S16 samples (400
 * bytes); the queue keeps 6 of them. */
#include "../scenario.h"

#define N_BUFFERS 24
#define HISTORY_EVERY 4

typedef struct
{
  GstElement parent;
  GstPad *sinkpad, *srcpad;
  GQueue history;
  guint n;
} Historian;

typedef struct
{
  GstElementClass parent_class;
} HistorianClass;

GType historian_get_type (void);
G_DEFINE_TYPE (Historian, historian, GST_TYPE_ELEMENT);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_GNUC_NO_INLINE void plant_remember (Historian * self, GstBuffer * buffer);

G_GNUC_NO_INLINE void
plant_remember (Historian * self, GstBuffer * buffer)
{
  g_queue_push_tail (&self->history, gst_buffer_ref (buffer));  /* planted */
}

static GstFlowReturn
historian_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  Historian *self = (Historian *) parent;

  if (self->n++ % HISTORY_EVERY == 0)
    plant_remember (self, buffer);
  return gst_pad_push (self->srcpad, buffer);
}

static void
historian_finalize (GObject * object)
{
  /* The bug: self->history is never cleared. */
  G_OBJECT_CLASS (historian_parent_class)->finalize (object);
}

static void
historian_class_init (HistorianClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = historian_finalize;
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Historian",
      "Filter", "Remembers some buffers", "gst-memtrace");
}

static void
historian_init (Historian * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad, historian_chain);
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  GST_PAD_SET_PROXY_ALLOCATION (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
  g_queue_init (&self->history);
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;

  gst_init (&argc, &argv);
  if (!gst_element_register (NULL, "historian", GST_RANK_NONE,
          historian_get_type ()))
    return 20;
  pipeline = scenario_parse ("audiotestsrc num-buffers=24 "
      "samplesperbuffer=100 ! audio/x-raw,format=S16LE,channels=2,rate=8000 "
      "! historian name=hist ! fakesink name=out sync=false");
  scenario_run_to_eos (pipeline);
  scenario_stop (pipeline);
  gst_deinit ();
  return 0;
}
