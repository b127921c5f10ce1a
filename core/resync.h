/* resync: a copy of a document that previews change and then put back.
 *
 * The editor previews each key on a copy of the session's document, and
 * a new copy (and freeing the last one) cost half of such a key.  Instead
 * a preview's copy is kept: each of its nodes remembers the original node
 * it copies (in the node's psvi, which nothing else in pcitopo uses), and
 * resync undoes whatever a preview did to it, node by node.  The marks
 * only make resync fast: it compares everything, so a copy ends up equal
 * to the original even when the marks no longer fit (the original
 * changed since). */
#ifndef PCITOPO_RESYNC_H
#define PCITOPO_RESYNC_H

#include <libxml/tree.h>

/* Marks each node of copy, a copy of orig made by xmlCopyDoc (so of the
 * same shape), with its original. */
void resync_mark(xmlDocPtr copy, xmlDocPtr orig);
/* Makes copy (marked, changed since) equal to orig again: every node,
 * attribute, text, line number and start-tag layout; nodes copy no longer
 * has are copied anew (and marked). */
void resync(xmlDocPtr copy, xmlDocPtr orig);

#endif
