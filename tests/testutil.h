/* Helpers shared by the unit tests: temporary directories, whole-file
 * reads and writes, running command lines on a session.  Test code only. */
#ifndef PCITOPO_TESTUTIL_H
#define PCITOPO_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

/* Creates a fresh temporary directory; returns its path (static buffer). */
const char *tu_tmpdir(void);
/* Returns a new string "dir/name"; caller frees. */
char *tu_path(const char *dir, const char *name);
bool tu_write(const char *path, const char *data, size_t len);
/* Returns the file's bytes, NUL-terminated (caller frees), or NULL. */
char *tu_read(const char *path, size_t *len);
/* Removes a directory tree made by the tests. */
void tu_rmtree(const char *dir);
/* Number of entries in dir other than . and .. */
int tu_count_entries(const char *dir);
/* $top_srcdir, or "." when it is not set. */
const char *tu_srcdir(void);
/* Directory of the test data: $top_srcdir/tests/data (static buffer). */
const char *tu_datadir(void);
/* A session on tests/golden/SET/STEM.xml; NULL, with the reason as a TAP
 * comment, when it does not open. */
struct session *tu_open_golden(const char *set, const char *stem);
/* A session on text, through a file as a user would open it; NULL with e
 * set when it does not load. */
struct session *tu_open_text(const char *text, struct err *e);

/* Runs a command line (several commands with ';') on s as batch mode
 * does, stopping at the first failure (e set).  note (may be NULL) gets
 * the last command's note followed by its output. */
bool tu_run(struct session *s, const char *line, struct err *e, char *note, size_t size);
/* How many PCI controllers other than the root t has. */
int tu_pci_controllers(const struct topology *t);
/* The bytes a save of s would write; caller frees. */
char *tu_bytes(const struct session *s);

#endif
