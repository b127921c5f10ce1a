/* xmlutil: the few libxml2 tree lookups every core module needs.  Only
 * elements and attributes without a namespace count: libvirt ignores the
 * foreign ones, and so does pcitopo (it keeps them, of course). */
#ifndef PCITOPO_XMLUTIL_H
#define PCITOPO_XMLUTIL_H

#include <libxml/tree.h>

/* Value of attribute name of el, borrowed from the document ("" for an
 * empty value), or NULL when absent. */
const char *xml_attr(xmlNodePtr el, const char *name);
/* First child element called name, or NULL. */
xmlNodePtr xml_child(xmlNodePtr el, const char *name);
/* Next element sibling after n (NULL at the end). */
xmlNodePtr xml_next_element(xmlNodePtr n);
/* First child element of el, or NULL. */
xmlNodePtr xml_first_element(xmlNodePtr el);
/* The devices of a domain (root element), in document order across every
 * <devices> element: libvirt reads them all, a second <devices> too. */
xmlNodePtr xml_first_device(xmlNodePtr root);
xmlNodePtr xml_next_device(xmlNodePtr el);
/* The node at n's place in copy, a copy of n's whole document
 * (xmlCopyDoc keeps every node, in order), or NULL if copy has no node
 * there.  Linear in n's depth and its preceding siblings. */
xmlNodePtr xml_twin(const xmlNode *n, xmlDocPtr copy);

#endif
