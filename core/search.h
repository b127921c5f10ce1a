/* search: which lines of the tree a pattern finds, and which line a
 * `goto` names — the editor's '/', n, N and :goto, without curses.
 *
 * A device line is found by its alias, model, kind, element name, XML
 * address, host address and its line's text (what the tree says of it);
 * other lines by their text.  Matching is a substring search, ignoring
 * case unless the pattern has a capital (less and vim's smartcase). */
#ifndef PCITOPO_SEARCH_H
#define PCITOPO_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "tree.h"

/* Whether pattern finds line l.  An empty pattern finds nothing. */
bool search_line_matches(const struct tree_line *l, const char *pattern);

/* The next line pattern finds after from (before it when !forward),
 * going round the end; from itself last.  -1 when it finds none.
 * *wrapped says whether the search went round. */
long search_find(const struct tree *tr, size_t from, bool forward, const char *pattern,
                 bool *wrapped);

/* The line `goto TARGET` means: the device with that alias, the device
 * at BB:SS.F (or [DDDD:]BB:SS, function 0 or the slot's group line), or
 * the line of an empty slot at that address.  -1 when there is none. */
long search_goto(const struct tree *tr, const char *target);

#endif
