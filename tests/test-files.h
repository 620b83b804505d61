/* gst-memtrace tests: files the tests make and clean up. */
#ifndef __TEST_FILES_H__
#define __TEST_FILES_H__

#include <glib.h>

G_BEGIN_DECLS

/* Removes path and, if it is a directory, everything below it. */
void test_files_remove_tree (const gchar * path);

G_END_DECLS

#endif
