/* gst-memtrace: what each event kind carries. */
#include "memtrace-format.h"

#define S MEMTRACE_KIND_STACK
#define L MEMTRACE_KIND_LIST
#define T MEMTRACE_KIND_TEXT

const MemTraceKindInfo memtrace_kinds[MEMTRACE_EV_LAST] = {
  [MEMTRACE_EV_NONE] = {"none", 0, 0},
  [MEMTRACE_EV_CREATED] = {"created", 2, S},
  [MEMTRACE_EV_DESTROYED] = {"destroyed", 0, 0},
  [MEMTRACE_EV_REF] = {"ref", 1, S},
  [MEMTRACE_EV_UNREF] = {"unref", 1, S},
  [MEMTRACE_EV_POOL_ACQUIRE] = {"acquire", 1, S},
  [MEMTRACE_EV_POOL_RELEASE] = {"release", 1, 0},
  [MEMTRACE_EV_POOL_ALLOC] = {"pool-alloc", 1, 0},
  [MEMTRACE_EV_POOL_WAIT] = {"pool-wait", 1, S},
  [MEMTRACE_EV_PAD_PUSH] = {"push", 2, 0},
  [MEMTRACE_EV_PAD_CHAIN] = {"chain", 2, 0},
  [MEMTRACE_EV_PAD_PULL] = {"pull", 2, 0},
  [MEMTRACE_EV_ALLOC] = {"alloc", 9, 0},
  [MEMTRACE_EV_MEMORY] = {"memory", 9, 0},
  [MEMTRACE_EV_BUFFER] = {"buffer", 2, L},
  [MEMTRACE_EV_NAME] = {"name", 1, T},
  [MEMTRACE_EV_LINK] = {"link", 1, 0},
  [MEMTRACE_EV_POOL_CONFIG] = {"pool-config", 7, 0},
  [MEMTRACE_EV_ALIVE] = {"alive", 3, 0},
  [MEMTRACE_EV_CHECKPOINT] = {"checkpoint", 0, T},
  [MEMTRACE_EV_HOLDS] = {"holds", 0, L},
  [MEMTRACE_EV_FLAGS] = {"flags", 1, 0},
};

const gchar *
memtrace_event_kind_name (MemTraceEventKind kind)
{
  return kind < MEMTRACE_EV_LAST ? memtrace_kinds[kind].name : "unknown";
}
