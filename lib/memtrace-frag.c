/* gst-memtrace: (being written) */
