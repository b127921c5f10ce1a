/* tagfmt: how each start tag was written, which libxml2's tree forgets —
 * the order of attributes and namespace declarations, each attribute's
 * quote and the white space before it (attributes on several lines), and
 * whether an empty element was written <a></a>.
 *
 * A scan of the raw text records one entry per element and hangs it on the
 * element's _private pointer; the serializer follows it where it can, so a
 * saved file differs from the loaded one only where pcitopo changed it.
 * Elements created later have no entry and get the default layout. */
#ifndef PCITOPO_TAGFMT_H
#define PCITOPO_TAGFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>

struct attr_fmt {
    const char *name;   /* as written: "type", "xmlns:qemu", "xmlns" */
    size_t name_len;
    const char *ws;     /* white space before the name */
    size_t ws_len;
    char quote;
};

struct tag_fmt {
    struct attr_fmt *attrs;
    size_t nattrs;
    const char *end_ws;   /* white space before > or /> */
    size_t end_ws_len;
    bool empty_pair;      /* <a></a> rather than <a/> */
};

struct tagfmt_set;

/* Scans raw (the root element's text, from its '<' to its end) and attaches
 * an entry to every element under and including root.  Returns the set
 * owning the entries (free with tagfmt_free after the document), or NULL
 * when the text and the tree disagree; then nothing is attached. */
struct tagfmt_set *tagfmt_scan(xmlNodePtr root, const char *raw, size_t len);
/* Another document shares set (a copy whose elements point into it):
 * returns set, freed only when the last of them calls tagfmt_free. */
struct tagfmt_set *tagfmt_ref(struct tagfmt_set *set);
void tagfmt_free(struct tagfmt_set *set);

/* The entry of an element, or NULL. */
const struct tag_fmt *tagfmt_of(const xmlNode *n);

#endif
