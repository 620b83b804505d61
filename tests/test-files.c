/* gst-memtrace tests: files the tests make and clean up. */
#include <glib/gstdio.h>
#include "test-files.h"

void
test_files_remove_tree (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (dir) {
    while ((name = g_dir_read_name (dir))) {
      gchar *child = g_build_filename (path, name, NULL);

      test_files_remove_tree (child);
      g_free (child);
    }
    g_dir_close (dir);
  }
  g_remove (path);
}
