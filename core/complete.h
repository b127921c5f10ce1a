/* complete: what Tab offers at the ':' prompt — command names, then each
 * command's own arguments (device kinds for add, aliases and addresses for
 * explain, delete and goto, command names for help, file names from the
 * file system for save, save-as, save-copy and -o).  No terminal, so tests
 * cover it. */
#ifndef PCITOPO_COMPLETE_H
#define PCITOPO_COMPLETE_H

#include <stddef.h>

#include "session.h"

struct completion {
    char **words;       /* owned; candidates for the word being typed, sorted */
    size_t n;
    size_t word_start;  /* where that word starts in the line */
    char *common;       /* owned: the longest common prefix of words */
};

/* The candidates for the word that ends at cursor in line.  s may be NULL
 * (no aliases then).  Free with completion_free. */
struct completion *complete_line(const char *line, size_t cursor, const struct session *s);
void completion_free(struct completion *c);

#endif
