/* gst-memtrace: what the trace records about the traced process. */
#include <link.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <gst/gst.h>
#include "memtrace-process.h"
#include "memtrace-format.h"

extern char **environ;

static gboolean
meta_set (sqlite3 * db, const gchar * key, gboolean is_int, gint64 i,
    const gchar * text)
{
  sqlite3_stmt *st;
  gboolean ok;

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO meta VALUES (?, ?)",
          -1, &st, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  if (is_int)
    sqlite3_bind_int64 (st, 2, i);
  else
    sqlite3_bind_text (st, 2, text, -1, SQLITE_TRANSIENT);
  ok = sqlite3_step (st) == SQLITE_DONE;
  sqlite3_finalize (st);
  return ok;
}

gboolean
memtrace_meta_set_int (sqlite3 * db, const gchar * key, gint64 v)
{
  return meta_set (db, key, TRUE, v, NULL);
}

gboolean
memtrace_meta_set_text (sqlite3 * db, const gchar * key, const gchar * v)
{
  return meta_set (db, key, FALSE, 0, v);
}

static gchar *
read_command_line (void)
{
  gchar *raw = NULL;
  gsize len = 0, i;
  GString *cmd = g_string_new (NULL);

  if (g_file_get_contents ("/proc/self/cmdline", &raw, &len, NULL)) {
    for (i = 0; i < len; i += strlen (raw + i) + 1) {
      gchar *q = g_shell_quote (raw + i);

      g_string_append_printf (cmd, "%s%s", cmd->len ? " " : "", q);
      g_free (q);
    }
  }
  g_free (raw);
  return g_string_free (cmd, FALSE);
}

guint64
memtrace_process_start_ticks (gint pid)
{
  gchar *path = g_strdup_printf ("/proc/%d/stat", pid);
  gchar *text = NULL, *p;
  guint64 ticks = 0;
  gint field;

  /* Field 22; the command (field 2) may hold spaces, so count from its ')'. */
  if (g_file_get_contents (path, &text, NULL, NULL)
      && (p = strrchr (text, ')'))) {
    for (field = 2; field < 22 && p; field++)
      p = strchr (p + 1, ' ');
    if (p)
      ticks = g_ascii_strtoull (p + 1, NULL, 10);
  }
  g_free (text);
  g_free (path);
  return ticks;
}

static gboolean
write_env (sqlite3 * db)
{
  sqlite3_stmt *st;
  gchar **e;

  if (sqlite3_prepare_v2 (db, "INSERT INTO env VALUES (?, ?)", -1, &st,
          NULL) != SQLITE_OK)
    return FALSE;
  for (e = environ; e && *e; e++) {
    const gchar *eq = strchr (*e, '=');

    if (!eq || !(g_str_has_prefix (*e, "GST_") || g_str_has_prefix (*e,
                "G_SLICE=") || g_str_has_prefix (*e, "G_DEBUG=")))
      continue;
    sqlite3_bind_text (st, 1, *e, eq - *e, SQLITE_TRANSIENT);
    sqlite3_bind_text (st, 2, eq + 1, -1, SQLITE_TRANSIENT);
    sqlite3_step (st);
    sqlite3_reset (st);
  }
  sqlite3_finalize (st);
  return TRUE;
}

gboolean
memtrace_process_write_meta (sqlite3 * db, const gchar * params)
{
  gchar *cmd = read_command_line ();
  gchar *boot_id = NULL;
  gchar *version = gst_version_string ();
  gboolean ok;

  g_file_get_contents ("/proc/sys/kernel/random/boot_id", &boot_id, NULL,
      NULL);
  ok = memtrace_meta_set_text (db, "format", MEMTRACE_FORMAT_NAME)
      && memtrace_meta_set_int (db, "format_version", MEMTRACE_FORMAT_VERSION)
      && memtrace_meta_set_int (db, "pid", getpid ())
      && memtrace_meta_set_int (db, "process_start_ticks",
      memtrace_process_start_ticks (getpid ()))
      && memtrace_meta_set_text (db, "boot_id",
      boot_id ? g_strstrip (boot_id) : "")
      && memtrace_meta_set_text (db, "command", cmd)
      && memtrace_meta_set_text (db, "gstreamer_version", version)
      && memtrace_meta_set_int (db, "start_time", g_get_real_time ())
      && memtrace_meta_set_text (db, "params", params ? params : "")
      && memtrace_meta_set_int (db, "complete", 0)
      && memtrace_meta_set_int (db, "dropped_events", 0)
      && write_env (db);
  g_free (version);
  g_free (boot_id);
  g_free (cmd);
  return ok;
}

/* Modules */

struct _MemTraceModules
{
  GHashTable *seen;             /* "path@base" */
  guint64 last_adds;
  sqlite3_stmt *insert;
};

typedef struct
{
  MemTraceModules *m;
  gboolean ok;
} ScanCtx;

static gchar *
hex_string (const guint8 * data, gsize len)
{
  GString *s = g_string_sized_new (len * 2);
  gsize k;

  for (k = 0; k < len; k++)
    g_string_append_printf (s, "%02x", data[k]);
  return g_string_free (s, FALSE);
}

static gchar *
build_id_hex (struct dl_phdr_info *info)
{
  gint i;

  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW (Phdr) * ph = &info->dlpi_phdr[i];
    const guint8 *p, *end;

    if (ph->p_type != PT_NOTE)
      continue;
    p = (const guint8 *) (info->dlpi_addr + ph->p_vaddr);
    end = p + ph->p_memsz;
    while (p + sizeof (ElfW (Nhdr)) <= end) {
      const ElfW (Nhdr) * nh = (const ElfW (Nhdr) *) p;
      const guint8 *name = p + sizeof (*nh);
      const guint8 *desc = name + ((nh->n_namesz + 3) & ~3);

      if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4
          && memcmp (name, "GNU", 4) == 0 && desc + nh->n_descsz <= end)
        return hex_string (desc, nh->n_descsz);
      p = desc + ((nh->n_descsz + 3) & ~3);
    }
  }
  return NULL;
}

static void
module_extent (struct dl_phdr_info *info, guint64 * size)
{
  guint64 lo = G_MAXUINT64, hi = 0;
  gint i;

  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW (Phdr) * ph = &info->dlpi_phdr[i];

    if (ph->p_type != PT_LOAD)
      continue;
    lo = MIN (lo, ph->p_vaddr);
    hi = MAX (hi, ph->p_vaddr + ph->p_memsz);
  }
  *size = hi > lo ? hi - lo : 0;
}

static int
scan_one (struct dl_phdr_info *info, size_t sz, void *data)
{
  ScanCtx *ctx = data;
  gchar *path, *key, *bid;
  guint64 size;

  if (info->dlpi_name && info->dlpi_name[0])
    path = g_strdup (info->dlpi_name);
  else if (!(path = g_file_read_link ("/proc/self/exe", NULL)))
    return 0;
  key = g_strdup_printf ("%s@%" G_GINT64_MODIFIER "x", path,
      (guint64) info->dlpi_addr);
  if (g_str_has_prefix (path, "linux-vdso")
      || g_hash_table_contains (ctx->m->seen, key)) {
    g_free (key);
    g_free (path);
    return 0;
  }
  g_hash_table_add (ctx->m->seen, key);
  module_extent (info, &size);
  bid = build_id_hex (info);
  sqlite3_bind_text (ctx->m->insert, 1, path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (ctx->m->insert, 2, (gint64) info->dlpi_addr);
  sqlite3_bind_int64 (ctx->m->insert, 3, (gint64) size);
  sqlite3_bind_text (ctx->m->insert, 4, bid, -1, SQLITE_TRANSIENT);
  ctx->ok &= sqlite3_step (ctx->m->insert) == SQLITE_DONE;
  sqlite3_reset (ctx->m->insert);
  g_free (bid);
  g_free (path);
  return 0;
}

static int
count_adds (struct dl_phdr_info *info, size_t sz, void *data)
{
  *(guint64 *) data = info->dlpi_adds;
  return 1;
}

MemTraceModules *
memtrace_modules_new (void)
{
  MemTraceModules *m = g_new0 (MemTraceModules, 1);

  m->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  m->last_adds = G_MAXUINT64;
  return m;
}

gboolean
memtrace_modules_update (MemTraceModules * m, sqlite3 * db)
{
  ScanCtx ctx = { m, TRUE };
  guint64 adds = 0;

  dl_iterate_phdr (count_adds, &adds);
  if (adds == m->last_adds)
    return TRUE;
  m->last_adds = adds;
  if (!m->insert && sqlite3_prepare_v2 (db, "INSERT INTO modules "
          "(path, base, size, build_id) VALUES (?, ?, ?, ?)", -1, &m->insert,
          NULL) != SQLITE_OK)
    return FALSE;
  dl_iterate_phdr (scan_one, &ctx);
  return ctx.ok;
}

void
memtrace_modules_free (MemTraceModules * m)
{
  if (!m)
    return;
  sqlite3_finalize (m->insert);
  g_hash_table_unref (m->seen);
  g_free (m);
}
