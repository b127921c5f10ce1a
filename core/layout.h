/* layout: where new elements go among the children of <devices> and how
 * they are indented.  apply.c (placement) and edit.c (adding and deleting
 * devices) write the document only through these, so a diff of a saved
 * file shows only what changed. */
#ifndef PCITOPO_LAYOUT_H
#define PCITOPO_LAYOUT_H

#include <libxml/tree.h>

/* The white space of a <devices> element and its children. */
struct layout {
    char *unit;    /* one level of indentation ("  "), or NULL for no newlines */
    char *outer;   /* "\n" + indentation of the children of <devices> */
    char *inner;   /* "\n" + indentation of their children */
};

/* Reads the layout of devices; free with layout_free. */
struct layout layout_of(xmlNodePtr devices);
void layout_free(struct layout *l);

/* Inserts child into parent before the element `before` (NULL: last),
 * with the white space its siblings have. */
void layout_insert_child(xmlNodePtr parent, xmlNodePtr child, xmlNodePtr before,
                         const struct layout *l);
/* Inserts el and, level by level, its element children (their white
 * space is replaced by the document's indentation). */
void layout_insert_tree(xmlNodePtr parent, xmlNodePtr el, xmlNodePtr before,
                        const struct layout *l);
/* Moves el (with the line break before it) to just before `before`, a
 * sibling at the same depth. */
void layout_move_before(xmlNodePtr el, xmlNodePtr before, const struct layout *l);
/* Unlinks and frees el and the indentation before it. */
void layout_remove(xmlNodePtr el);

/* A new element of doc, not linked anywhere yet. */
xmlNodePtr layout_new_element(xmlDocPtr doc, const char *name);
void layout_set_attr(xmlNodePtr el, const char *name, const char *value);

/* Where a new element goes among the children of <devices>: before the
 * first one libvirt writes later (NULL: at the end).  Elements of one kind
 * come in runs (all the new controllers), so the answer for the last kind
 * asked is kept in memo; start it as { -1, NULL }. */
struct layout_insertion {
    int rank;
    xmlNodePtr before;
};
xmlNodePtr layout_insertion_point(xmlNodePtr devices, const char *element,
                                  struct layout_insertion *memo);

#endif
