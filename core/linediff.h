/* linediff: what changed between two texts, line by line, as `diff -u`
 * shows it — for saying what a define changes in libvirt, and what
 * someone else changed there meanwhile. */
#ifndef PCITOPO_LINEDIFF_H
#define PCITOPO_LINEDIFF_H

#include <stddef.h>

#include "util.h"

/* Appends to out the differences from text a (named a_name) to text b
 * (b_name) in unified form, three lines of context, control characters
 * written as \xNN; nothing when they are equal.  Returns how many lines
 * were removed plus added.  Linear in the texts for the one-stretch
 * changes an edit makes; two long stretches that differ everywhere are
 * shown as all removed, then all added, rather than searched for common
 * lines at quadratic cost. */
size_t linediff(struct strbuf *out, const char *a, const char *a_name,
                const char *b, const char *b_name);

#endif
