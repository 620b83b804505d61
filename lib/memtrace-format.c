/* gst-memtrace: what each event kind carries. */
#include "memtrace-format.h"

typedef struct
{
  const gchar *name;
  guint n_args;
  gboolean has_stack;
} KindInfo;

static const KindInfo kinds[MEMTRACE_EV_LAST] = {
  [MEMTRACE_EV_NONE] = {"none", 0, FALSE},
  [MEMTRACE_EV_CREATED] = {"created", 2, TRUE},
  [MEMTRACE_EV_DESTROYED] = {"destroyed", 0, FALSE},
  [MEMTRACE_EV_REF] = {"ref", 1, TRUE},
  [MEMTRACE_EV_UNREF] = {"unref", 1, TRUE},
  [MEMTRACE_EV_POOL_ACQUIRE] = {"acquire", 1, TRUE},
  [MEMTRACE_EV_POOL_RELEASE] = {"release", 1, FALSE},
  [MEMTRACE_EV_POOL_ALLOC] = {"pool-alloc", 1, FALSE},
  [MEMTRACE_EV_POOL_WAIT] = {"pool-wait", 1, TRUE},
  [MEMTRACE_EV_PAD_PUSH] = {"push", 2, FALSE},
  [MEMTRACE_EV_PAD_CHAIN] = {"chain", 2, FALSE},
  [MEMTRACE_EV_PAD_PULL] = {"pull", 2, FALSE},
  [MEMTRACE_EV_ALLOC] = {"alloc", 9, FALSE},
  [MEMTRACE_EV_MEMORY] = {"memory", 9, FALSE},
  [MEMTRACE_EV_BUFFER] = {"buffer", 2, FALSE},
  [MEMTRACE_EV_NAME] = {"name", 1, FALSE},
  [MEMTRACE_EV_LINK] = {"link", 1, FALSE},
  [MEMTRACE_EV_POOL_CONFIG] = {"pool-config", 7, FALSE},
  [MEMTRACE_EV_ALIVE] = {"alive", 3, FALSE},
  [MEMTRACE_EV_CHECKPOINT] = {"checkpoint", 0, FALSE},
  [MEMTRACE_EV_HOLDS] = {"holds", 0, FALSE},
  [MEMTRACE_EV_FLAGS] = {"flags", 1, FALSE},
};

guint
memtrace_event_n_args (MemTraceEventKind kind)
{
  return kind < MEMTRACE_EV_LAST ? kinds[kind].n_args : 0;
}

gboolean
memtrace_event_has_stack (MemTraceEventKind kind)
{
  return kind < MEMTRACE_EV_LAST && kinds[kind].has_stack;
}

const gchar *
memtrace_event_kind_name (MemTraceEventKind kind)
{
  return kind < MEMTRACE_EV_LAST ? kinds[kind].name : "unknown";
}

gboolean
memtrace_event_has_list (MemTraceEventKind kind)
{
  return kind == MEMTRACE_EV_BUFFER || kind == MEMTRACE_EV_HOLDS;
}

gboolean
memtrace_event_has_text (MemTraceEventKind kind)
{
  return kind == MEMTRACE_EV_NAME || kind == MEMTRACE_EV_CHECKPOINT;
}
