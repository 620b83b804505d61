/* gst-memtrace: tests for lib/memtrace-symbolize.c.
 *
 * The trace is built from this very process: its own modules as
 * dl_iterate_phdr sees them and a stack captured with libunwind, exactly as
 * the recorder would store them, so the test proves that a real return
 * address comes back as the right function, file and line.
 */
#define _GNU_SOURCE
#include <check.h>
#include <elf.h>
#include <libunwind.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "memtrace-error.h"
#include "memtrace-schema.h"
#include "memtrace-symbolize.h"

/* libunwind probes stack pages by write()ing them to a pipe when it falls
 * back from DWARF unwinding, which memcheck reports as reading uninitialised
 * bytes: not our bug, so keep it out of a valgrind run of this test. */
#if defined (__has_include) && __has_include (<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define VALGRIND_DISABLE_ERROR_REPORTING
#define VALGRIND_ENABLE_ERROR_REPORTING
#endif

/* lib/memtrace-error.c is not linked into this standalone test. */
G_DEFINE_QUARK (memtrace-error-quark, memtrace_error)

#define TEST_MAX_FRAMES 64
#define TEST_BAD_BUILD_ID "00112233445566778899aabbccddeeff00112233"
#define TEST_GONE_PATH "/nonexistent/gst-memtrace/libgone.so.1"
#define TEST_GONE_BASE G_GUINT64_CONSTANT (0x7e0000000000)

static guint64 planted_frames[TEST_MAX_FRAMES];
static gint planted_n_frames;
static gint planted_line;

/* Not static, so that neither inlining nor cloning renames it. */
G_GNUC_NO_INLINE void memtrace_test_planted_function (void);

G_GNUC_NO_INLINE void
memtrace_test_planted_function (void)
{
  void *ips[TEST_MAX_FRAMES] = { NULL, };
  gint i;

  VALGRIND_DISABLE_ERROR_REPORTING;
  /* The call is alone on its line and its result unused, so its return
   * address is the first instruction of the next line: only looking up
   * address - 1 gives planted_line. */
  planted_line = __LINE__ + 1;
  unw_backtrace (ips, TEST_MAX_FRAMES);
  planted_n_frames = 0;
  VALGRIND_ENABLE_ERROR_REPORTING;
  for (i = 0; i < TEST_MAX_FRAMES && ips[i] != NULL; i++)
    planted_frames[planted_n_frames++] = (guint64) (guintptr) ips[i];
}

static gchar *
test_hex (const guint8 * bytes, gsize len)
{
  GString *hex = g_string_sized_new (2 * len);
  gsize i;

  for (i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

static gchar *
test_note_build_id (ElfW (Addr) base, const ElfW (Phdr) * phdr)
{
  const guint8 *p = (const guint8 *) (base + phdr->p_vaddr);
  const guint8 *end = p + phdr->p_memsz;
  gsize align = phdr->p_align == 8 ? 8 : 4;

  while (p + sizeof (ElfW (Nhdr)) <= end) {
    const ElfW (Nhdr) * nhdr = (const ElfW (Nhdr) *) p;
    const guint8 *name = p + sizeof (ElfW (Nhdr));
    const guint8 *desc = name + ((nhdr->n_namesz + align - 1) & ~(align - 1));

    if (nhdr->n_type == NT_GNU_BUILD_ID && nhdr->n_namesz == 4
        && memcmp (name, "GNU", 4) == 0)
      return test_hex (desc, nhdr->n_descsz);
    p = desc + ((nhdr->n_descsz + align - 1) & ~(align - 1));
  }
  return NULL;
}

static gint
test_add_module (struct dl_phdr_info *info, size_t info_size, void *data)
{
  sqlite3_stmt *stmt = data;
  guint64 lo = G_MAXUINT64, hi = 0;
  gchar *build_id = NULL, *path;
  gint i;

  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW (Phdr) * phdr = &info->dlpi_phdr[i];

    if (phdr->p_type == PT_LOAD) {
      lo = MIN (lo, phdr->p_vaddr);
      hi = MAX (hi, phdr->p_vaddr + phdr->p_memsz);
    } else if (phdr->p_type == PT_NOTE && build_id == NULL) {
      build_id = test_note_build_id (info->dlpi_addr, phdr);
    }
  }
  path = info->dlpi_name[0] ? g_strdup (info->dlpi_name)
      : realpath ("/proc/self/exe", NULL);
  sqlite3_bind_text (stmt, 1, path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (gint64) info->dlpi_addr);
  sqlite3_bind_int64 (stmt, 3, lo < hi ? (gint64) (hi - lo) : 0);
  sqlite3_bind_text (stmt, 4, build_id, -1, SQLITE_TRANSIENT);
  ck_assert_int_eq (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_reset (stmt);
  free (path);
  g_free (build_id);
  return 0;
}

static void
test_exec (sqlite3 * db, const gchar * sql)
{
  GError *error = NULL;

  if (!memtrace_sql_exec (db, sql, &error))
    ck_abort_msg ("%s: %s", sql, error->message);
}

static void
test_add_stack (sqlite3 * db, const guint64 * frames, gsize len)
{
  guint8 *blob = g_malloc0 (len + 1);
  sqlite3_stmt *stmt;
  gsize i;

  for (i = 0; i < len; i++)
    blob[i] = (guint8) (frames[i / 8] >> (8 * (i % 8)));
  ck_assert_int_eq (sqlite3_prepare_v2 (db,
          "INSERT INTO stacks (frames) VALUES (?)", -1, &stmt, NULL),
      SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, blob, len, SQLITE_TRANSIENT);
  ck_assert_int_eq (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_free (blob);
}

/* A trace of this process with the planted stack, as the recorder makes. */
static sqlite3 *
test_open_trace (gboolean with_stack)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;

  ck_assert_int_eq (sqlite3_open (":memory:", &db), SQLITE_OK);
  test_exec (db, memtrace_schema_recording);
  test_exec (db, memtrace_schema_finished);
  ck_assert_int_eq (sqlite3_prepare_v2 (db, "INSERT INTO modules "
          "(path, base, size, build_id) VALUES (?, ?, ?, ?)", -1, &stmt, NULL),
      SQLITE_OK);
  dl_iterate_phdr (test_add_module, stmt);
  sqlite3_finalize (stmt);

  memtrace_test_planted_function ();
  ck_assert_int_gt (planted_n_frames, 2);
  if (with_stack)
    test_add_stack (db, planted_frames, 8 * planted_n_frames);
  return db;
}

static gint64
test_query_int (sqlite3 * db, const gchar * sql, gint64 arg)
{
  sqlite3_stmt *stmt;
  gint64 value = -1;

  ck_assert_int_eq (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  if (sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gchar *
test_query_text (sqlite3 * db, const gchar * sql, gint64 arg)
{
  sqlite3_stmt *stmt;
  gchar *value = NULL;

  ck_assert_int_eq (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, arg);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gchar *
test_function (sqlite3 * db, guint64 address)
{
  return test_query_text (db,
      "SELECT function FROM symbols WHERE address = ?", (gint64) address);
}

static gchar *
test_module_path (sqlite3 * db, guint64 address)
{
  return test_query_text (db, "SELECT m.path FROM symbols s JOIN modules m "
      "ON m.id = s.module WHERE s.address = ?", (gint64) address);
}

static gint
test_find_frame (sqlite3 * db, const gchar * function)
{
  gint i;

  for (i = 0; i < planted_n_frames; i++) {
    gchar *name = test_function (db, planted_frames[i]);
    gboolean found = g_strcmp0 (name, function) == 0;

    g_free (name);
    if (found)
      return i;
  }
  return -1;
}

/* A frame whose module is libc, e.g. __libc_start_call_main below main. */
static gint
test_find_libc_frame (sqlite3 * db)
{
  gint i;

  for (i = planted_n_frames - 1; i >= 0; i--) {
    gchar *path = test_module_path (db, planted_frames[i]);
    gboolean found = path != NULL && strstr (path, "/libc.so") != NULL;

    g_free (path);
    if (found)
      return i;
  }
  return -1;
}

static guint
test_symbolize (sqlite3 * db)
{
  GError *error = NULL;
  guint n_done = G_MAXUINT;

  if (!memtrace_symbolize_trace (db, &n_done, &error))
    ck_abort_msg ("symbolize failed: %s", error->message);
  return n_done;
}

static guint
test_n_distinct_frames (void)
{
  GHashTable *set = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint n;
  gint i;

  for (i = 0; i < planted_n_frames; i++)
    g_hash_table_add (set, &planted_frames[i]);
  n = g_hash_table_size (set);
  g_hash_table_unref (set);
  return n;
}

START_TEST (test_planted_frame)
{
  sqlite3 *db = test_open_trace (TRUE);
  gchar *file, *path, *exe = realpath ("/proc/self/exe", NULL);
  gint i;

  ck_assert_uint_eq (test_symbolize (db), test_n_distinct_frames ());

  i = test_find_frame (db, "memtrace_test_planted_function");
  ck_assert_int_ge (i, 0);
  file = test_query_text (db, "SELECT file FROM symbols WHERE address = ?",
      (gint64) planted_frames[i]);
  ck_assert_ptr_nonnull (file);
  ck_assert_msg (g_str_has_suffix (file, "test-symbolize.c"), "file %s", file);
  ck_assert_int_eq (test_query_int (db, "SELECT line FROM symbols "
          "WHERE address = ?", (gint64) planted_frames[i]), planted_line);
  path = test_module_path (db, planted_frames[i]);
  ck_assert_str_eq (path, exe);
  g_free (path);
  g_free (file);
  free (exe);

  i = test_find_libc_frame (db);
  ck_assert_int_ge (i, 0);
  file = test_function (db, planted_frames[i]);
  ck_assert_msg (file != NULL && *file != '\0', "libc frame has no function");
  g_free (file);
  sqlite3_close (db);
}
END_TEST

static guint test_n_warnings;
static gchar *test_last_warning;

static void
test_log_handler (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer user_data)
{
  if (!(level & G_LOG_LEVEL_WARNING))
    return;
  test_n_warnings++;
  g_free (test_last_warning);
  test_last_warning = g_strdup (message);
}

static gint64
test_add_gone_module (sqlite3 * db)
{
  guint64 frame = TEST_GONE_BASE + 0x1234;
  sqlite3_stmt *stmt;
  gint64 id;

  ck_assert_int_eq (sqlite3_prepare_v2 (db, "INSERT INTO modules "
          "(path, base, size, build_id) VALUES (?, ?, 65536, ?)", -1, &stmt,
          NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, TEST_GONE_PATH, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, (gint64) TEST_GONE_BASE);
  sqlite3_bind_text (stmt, 3, TEST_BAD_BUILD_ID, -1, SQLITE_STATIC);
  ck_assert_int_eq (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  id = sqlite3_last_insert_rowid (db);
  test_add_stack (db, &frame, sizeof frame);
  return id;
}

START_TEST (test_untrusted_modules)
{
  sqlite3 *db = test_open_trace (TRUE);
  gint64 libc_id, gone_id;
  gchar *function;
  GLogFunc old_handler;
  gint i;

  /* Pretend libc was upgraded since the recording. */
  test_exec (db, "UPDATE modules SET build_id = '" TEST_BAD_BUILD_ID "' "
      "WHERE path LIKE '%/libc.so%'");
  libc_id = test_query_int (db, "SELECT id FROM modules "
      "WHERE path LIKE '%/libc.so%'", 0);
  ck_assert_int_gt (libc_id, 0);
  gone_id = test_add_gone_module (db);

  old_handler = g_log_set_default_handler (test_log_handler, NULL);
  test_symbolize (db);
  g_log_set_default_handler (old_handler, NULL);

  /* One warning for libc however many of its frames; none for the gone one. */
  ck_assert_uint_eq (test_n_warnings, 1);
  ck_assert_ptr_nonnull (strstr (test_last_warning, "/libc.so"));
  g_clear_pointer (&test_last_warning, g_free);

  for (i = 0; i < planted_n_frames; i++) {
    gint64 module = test_query_int (db, "SELECT module FROM symbols "
        "WHERE address = ?", (gint64) planted_frames[i]);

    if (module != libc_id)
      continue;
    function = test_function (db, planted_frames[i]);
    ck_assert_ptr_null (function);
    ck_assert_int_eq (test_query_int (db, "SELECT count(*) FROM symbols "
            "WHERE address = ? AND file IS NULL AND line IS NULL",
            (gint64) planted_frames[i]), 1);
  }
  ck_assert_int_ge (test_query_int (db, "SELECT count(*) FROM symbols "
          "WHERE module = ?", libc_id), 1);
  ck_assert_int_eq (test_query_int (db, "SELECT module FROM symbols "
          "WHERE address = ?", (gint64) (TEST_GONE_BASE + 0x1234)), gone_id);
  function = test_function (db, TEST_GONE_BASE + 0x1234);
  ck_assert_ptr_null (function);
  /* The trusted modules are still symbolised. */
  ck_assert_int_ge (test_find_frame (db, "memtrace_test_planted_function"), 0);
  sqlite3_close (db);
}
END_TEST

START_TEST (test_second_run_adds_nothing)
{
  sqlite3 *db = test_open_trace (TRUE);
  guint n_first = test_symbolize (db);

  ck_assert_uint_gt (n_first, 0);
  ck_assert_uint_eq (test_symbolize (db), 0);
  ck_assert_int_eq (test_query_int (db, "SELECT count(*) FROM symbols", 0), n_first);
  sqlite3_close (db);
}
END_TEST

START_TEST (test_partial_frame)
{
  sqlite3 *db = test_open_trace (FALSE);
  guint64 frames[2] = { planted_frames[0], G_GUINT64_CONSTANT (0xdeadbeef) };

  /* 12 bytes: one whole frame and half of another. */
  test_add_stack (db, frames, 12);
  ck_assert_uint_eq (test_symbolize (db), 1);
  ck_assert_int_eq (test_query_int (db, "SELECT count(*) FROM symbols", 0), 1);
  ck_assert_int_eq (test_query_int (db, "SELECT count(*) FROM symbols "
          "WHERE address = ?", (gint64) planted_frames[0]), 1);
  sqlite3_close (db);
}
END_TEST

static Suite *
symbolize_suite (void)
{
  Suite *s = suite_create ("symbolize");
  TCase *tc = tcase_create ("symbolize");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_planted_frame);
  tcase_add_test (tc, test_untrusted_modules);
  tcase_add_test (tc, test_second_run_adds_nothing);
  tcase_add_test (tc, test_partial_frame);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *runner = srunner_create (symbolize_suite ());
  gint n_failed;

  srunner_run_all (runner, CK_NORMAL);
  n_failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return n_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
