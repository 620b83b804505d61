/* gst-memtrace: offline symbolisation of the recorded stack frames.
 *
 * The recorder only stores raw return addresses and the list of loaded ELF
 * objects, so that the traced process never pays for reading DWARF.  Here
 * libdwfl is used offline: every recorded module is reported at its recorded
 * load bias, and separate debug info (Debian -dbgsym packages under
 * /usr/lib/debug/.build-id) is found by the standard callbacks.
 */
#include "memtrace-symbolize.h"
#include "memtrace-error.h"
#include "memtrace-schema.h"

#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define SYMBOLIZE_CREATE_TABLE \
  "CREATE TABLE IF NOT EXISTS symbols (address INTEGER PRIMARY KEY," \
  "  function TEXT, file TEXT, line INTEGER, module INTEGER)"
#define SYMBOLIZE_INSERT \
  "INSERT INTO symbols (address, function, file, line, module)" \
  "  VALUES (?1, ?2, ?3, ?4, ?5)"

/* A module libdwfl must not read (no file, or rebuilt since the recording):
 * its addresses only get the module id. */
typedef struct
{
  guint64 start;
  guint64 end;
  gint64 id;
} SymbolizeRange;

typedef struct
{
  Dwfl *dwfl;
  GHashTable *module_ids;       /* Dwfl_Module * -> gint64 * (modules.id) */
  GArray *untrusted;            /* SymbolizeRange */
} Symbolizer;

typedef struct
{
  const gchar *function;        /* owned by the Dwfl */
  const gchar *file;            /* owned by the Dwfl */
  gint line;
  gboolean has_module;
  gint64 module;
} SymbolizeInfo;

typedef enum
{
  SYMBOLIZE_FILE_OK,
  SYMBOLIZE_FILE_MISSING,
  SYMBOLIZE_FILE_CHANGED,
} SymbolizeFileState;

typedef void (*SymbolizeRowFunc) (sqlite3_stmt * stmt, gpointer user_data);

static const Dwfl_Callbacks symbolize_callbacks = {
  .find_elf = dwfl_build_id_find_elf,
  .find_debuginfo = dwfl_standard_find_debuginfo,
  .section_address = dwfl_offline_section_address,
};

static gboolean
symbolize_sql_error (sqlite3 *db, GError **error)
{
  g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_SQL, "%s",
      sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
symbolize_prepare (sqlite3 *db, const gchar *sql, sqlite3_stmt **stmt,
    GError **error)
{
  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) == SQLITE_OK)
    return TRUE;
  return symbolize_sql_error (db, error);
}

static gboolean
symbolize_foreach_row (sqlite3 *db, const gchar *sql, SymbolizeRowFunc func,
    gpointer user_data, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  gint rc;

  if (!symbolize_prepare (db, sql, &stmt, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (stmt, user_data);
  if (rc != SQLITE_DONE)
    ok = symbolize_sql_error (db, error);
  sqlite3_finalize (stmt);
  return ok;
}

static void
symbolize_add_stack_row (sqlite3_stmt *stmt, gpointer user_data)
{
  GHashTable *addresses = user_data;
  const guint8 *frames = sqlite3_column_blob (stmt, 0);
  gsize len = sqlite3_column_bytes (stmt, 0);
  gsize i;

  /* A trailing partial frame holds no whole address: ignore it. */
  for (i = 0; i + sizeof (guint64) <= len; i += sizeof (guint64)) {
    guint64 address;

    memcpy (&address, frames + i, sizeof address);
    address = GUINT64_FROM_LE (address);
    if (!g_hash_table_contains (addresses, &address))
      g_hash_table_add (addresses, g_memdup2 (&address, sizeof address));
  }
}

static void
symbolize_drop_known_row (sqlite3_stmt *stmt, gpointer user_data)
{
  guint64 address = (guint64) sqlite3_column_int64 (stmt, 0);

  g_hash_table_remove (user_data, &address);
}

static gboolean
symbolize_collect_addresses (sqlite3 *db, GHashTable *addresses,
    GError **error)
{
  return symbolize_foreach_row (db, "SELECT frames FROM stacks",
      symbolize_add_stack_row, addresses, error)
      && symbolize_foreach_row (db, "SELECT address FROM symbols",
      symbolize_drop_known_row, addresses, error);
}

static gchar *
symbolize_elf_build_id (Elf *elf)
{
  const void *bits;
  ssize_t len = dwelf_elf_gnu_build_id (elf, &bits);
  GString *hex;
  ssize_t i;

  if (len <= 0)
    return NULL;
  hex = g_string_sized_new (2 * len);
  for (i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", ((const guint8 *) bits)[i]);
  return g_string_free (hex, FALSE);
}

/* The recorder measures a module from its lowest PT_LOAD p_vaddr. */
static guint64
symbolize_elf_min_vaddr (Elf *elf)
{
  guint64 min_vaddr = G_MAXUINT64;
  size_t n_phdrs, i;

  if (elf_getphdrnum (elf, &n_phdrs) != 0)
    return 0;
  for (i = 0; i < n_phdrs; i++) {
    GElf_Phdr mem, *phdr = gelf_getphdr (elf, i, &mem);

    if (phdr != NULL && phdr->p_type == PT_LOAD && phdr->p_vaddr < min_vaddr)
      min_vaddr = phdr->p_vaddr;
  }
  return min_vaddr == G_MAXUINT64 ? 0 : min_vaddr;
}

static SymbolizeFileState
symbolize_check_file (const gchar *path, const gchar *build_id,
    guint64 *min_vaddr)
{
  SymbolizeFileState state = SYMBOLIZE_FILE_CHANGED;
  struct stat st;
  Elf *elf;
  gint fd;

  /* The path comes from the trace: a FIFO or a device there must neither
   * hang us in open() nor be read. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return SYMBOLIZE_FILE_MISSING;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)) {
    close (fd);
    return SYMBOLIZE_FILE_MISSING;
  }
  elf = elf_begin (fd, ELF_C_READ_MMAP, NULL);
  if (elf != NULL && elf_kind (elf) == ELF_K_ELF) {
    gchar *file_id = symbolize_elf_build_id (elf);

    *min_vaddr = symbolize_elf_min_vaddr (elf);
    /* Without a recorded id there is nothing to compare: trust the path. */
    if (build_id == NULL || *build_id == '\0'
        || g_strcmp0 (file_id, build_id) == 0)
      state = SYMBOLIZE_FILE_OK;
    g_free (file_id);
  }
  elf_end (elf);
  close (fd);
  return state;
}

static void
symbolize_add_untrusted (Symbolizer *s, gint64 id, guint64 start,
    guint64 size)
{
  SymbolizeRange range = { start, start + size, id };

  /* Nothing is mapped at 0: a start of 0 means the layout is unknown (the
   * file of a non-PIE executable is gone), and guessing would misattribute. */
  if (start != 0 && size != 0)
    g_array_append_val (s->untrusted, range);
}

static gboolean
symbolize_report_elf (Symbolizer *s, gint64 id, const gchar *path,
    guint64 base)
{
  Dwfl_Module *mod;

  /* base is dlpi_addr, the load bias: add_p_vaddr = true makes libdwfl use
   * it as the bias.  With false it is taken as the address of the first
   * PT_LOAD, which only coincides when that segment starts at vaddr 0. */
  mod = dwfl_report_elf (s->dwfl, path, path, -1, base, true);
  if (mod == NULL)
    return FALSE;
  g_hash_table_insert (s->module_ids, mod, g_memdup2 (&id, sizeof id));
  return TRUE;
}

static void
symbolize_report_file (Symbolizer *s, gint64 id, const gchar *path,
    guint64 base, guint64 size, const gchar *build_id)
{
  guint64 min_vaddr = 0;

  switch (symbolize_check_file (path, build_id, &min_vaddr)) {
    case SYMBOLIZE_FILE_OK:
      if (symbolize_report_elf (s, id, path, base))
        return;
      g_debug ("cannot load %s: %s", path, dwfl_errmsg (-1));
      break;
    case SYMBOLIZE_FILE_MISSING:
      g_debug ("%s is gone, its frames keep only their module", path);
      break;
    case SYMBOLIZE_FILE_CHANGED:
      g_warning ("%s is not the file that was recorded (build-id differs), "
          "not symbolising its frames", path);
      break;
  }
  symbolize_add_untrusted (s, id, base + min_vaddr, size);
}

static void
symbolize_report_row (sqlite3_stmt *stmt, gpointer user_data)
{
  Symbolizer *s = user_data;
  gint64 id = sqlite3_column_int64 (stmt, 0);
  const gchar *path = (const gchar *) sqlite3_column_text (stmt, 1);
  guint64 base = (guint64) sqlite3_column_int64 (stmt, 2);
  guint64 size = (guint64) sqlite3_column_int64 (stmt, 3);
  const gchar *build_id = (const gchar *) sqlite3_column_text (stmt, 4);

  if (path == NULL || *path == '\0')
    return;
  /* Kernel-provided images (vdso) have no file, but still own their range. */
  if (path[0] == '[' || g_str_has_prefix (path, "linux-vdso")) {
    symbolize_add_untrusted (s, id, base, size);
    return;
  }
  symbolize_report_file (s, id, path, base, size, build_id);
}

static gboolean
symbolize_report_modules (sqlite3 *db, Symbolizer *s, GError **error)
{
  gboolean ok;

  dwfl_report_begin (s->dwfl);
  ok = symbolize_foreach_row (db,
      "SELECT id, path, base, size, build_id FROM modules",
      symbolize_report_row, s, error);
  if (dwfl_report_end (s->dwfl, NULL, NULL) != 0)
    g_debug ("dwfl_report_end: %s", dwfl_errmsg (-1));
  return ok;
}

static gboolean
symbolize_init (Symbolizer *s, GError **error)
{
  s->dwfl = dwfl_begin (&symbolize_callbacks);
  if (s->dwfl == NULL) {
    g_set_error (error, MEMTRACE_ERROR, MEMTRACE_ERROR_IO,
        "cannot start libdwfl: %s", dwfl_errmsg (-1));
    return FALSE;
  }
  s->module_ids = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  s->untrusted = g_array_new (FALSE, FALSE, sizeof (SymbolizeRange));
  return TRUE;
}

static void
symbolize_clear (Symbolizer *s)
{
  g_hash_table_unref (s->module_ids);
  g_array_unref (s->untrusted);
  dwfl_end (s->dwfl);
}

static void
symbolize_lookup_untrusted (Symbolizer *s, guint64 pc, SymbolizeInfo *info)
{
  guint i;

  for (i = 0; i < s->untrusted->len; i++) {
    SymbolizeRange *range = &g_array_index (s->untrusted, SymbolizeRange, i);

    if (pc >= range->start && pc < range->end) {
      info->has_module = TRUE;
      info->module = range->id;
      return;
    }
  }
}

static void
symbolize_lookup_source (Dwfl_Module *mod, Dwarf_Addr pc, SymbolizeInfo *info)
{
  GElf_Off offset;
  GElf_Sym sym;
  Dwfl_Line *line;

  info->function = dwfl_module_addrinfo (mod, pc, &offset, &sym, NULL, NULL,
      NULL);
  line = dwfl_module_getsrc (mod, pc);
  if (line != NULL)
    info->file = dwfl_lineinfo (line, NULL, &info->line, NULL, NULL, NULL);
  if (info->file == NULL)
    info->line = 0;
}

static void
symbolize_lookup (Symbolizer *s, guint64 address, SymbolizeInfo *info)
{
  Dwfl_Module *mod;
  const gint64 *id;
  guint64 pc;

  memset (info, 0, sizeof *info);
  if (address == 0)
    return;
  /* A return address follows the call: the call itself is one byte before,
   * and may be on another line or even the end of another function. */
  pc = address - 1;
  mod = dwfl_addrmodule (s->dwfl, pc);
  id = mod != NULL ? g_hash_table_lookup (s->module_ids, mod) : NULL;
  if (id == NULL) {
    symbolize_lookup_untrusted (s, pc, info);
    return;
  }
  info->has_module = TRUE;
  info->module = *id;
  symbolize_lookup_source (mod, pc, info);
}

static gboolean
symbolize_insert (sqlite3 *db, sqlite3_stmt *stmt, guint64 address,
    const SymbolizeInfo *info, GError **error)
{
  gboolean ok = TRUE;

  /* Binding a NULL string stores SQL NULL, which is what "unknown" is. */
  sqlite3_bind_int64 (stmt, 1, (gint64) address);
  sqlite3_bind_text (stmt, 2, info->function, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, info->file, -1, SQLITE_STATIC);
  if (info->line > 0)
    sqlite3_bind_int (stmt, 4, info->line);
  else
    sqlite3_bind_null (stmt, 4);
  if (info->has_module)
    sqlite3_bind_int64 (stmt, 5, info->module);
  else
    sqlite3_bind_null (stmt, 5);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    ok = symbolize_sql_error (db, error);
  sqlite3_reset (stmt);
  return ok;
}

static gboolean
symbolize_insert_all (sqlite3 *db, Symbolizer *s, GHashTable *addresses,
    guint *n_done, GError **error)
{
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key;
  gboolean ok = TRUE;

  if (!symbolize_prepare (db, SYMBOLIZE_INSERT, &stmt, error))
    return FALSE;
  g_hash_table_iter_init (&iter, addresses);
  while (ok && g_hash_table_iter_next (&iter, &key, NULL)) {
    guint64 address = *(const guint64 *) key;
    SymbolizeInfo info;

    symbolize_lookup (s, address, &info);
    ok = symbolize_insert (db, stmt, address, &info, error);
    if (ok)
      (*n_done)++;
  }
  /* Before dwfl_end (): the statement may still point at its strings. */
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
symbolize_resolve (sqlite3 *db, GHashTable *addresses, guint *n_done,
    GError **error)
{
  Symbolizer s;
  gboolean ok;

  /* Re-running on a symbolised trace is common: skip loading every module. */
  if (g_hash_table_size (addresses) == 0)
    return TRUE;
  if (!symbolize_init (&s, error))
    return FALSE;
  ok = symbolize_report_modules (db, &s, error)
      && symbolize_insert_all (db, &s, addresses, n_done, error);
  symbolize_clear (&s);
  return ok;
}

gboolean
memtrace_symbolize_trace (sqlite3 *db, guint *n_done, GError **error)
{
  GHashTable *addresses;
  guint n = 0;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_done != NULL)
    *n_done = 0;
  /* IMMEDIATE: we read then write, and a deferred transaction could fail to
   * take the write lock half way through. */
  if (!memtrace_sql_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  addresses = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
  ok = memtrace_sql_exec (db, SYMBOLIZE_CREATE_TABLE, error)
      && symbolize_collect_addresses (db, addresses, error)
      && symbolize_resolve (db, addresses, &n, error)
      && memtrace_sql_exec (db, "COMMIT", error);
  g_hash_table_unref (addresses);
  if (!ok) {
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    return FALSE;
  }
  if (n_done != NULL)
    *n_done = n;
  return TRUE;
}
