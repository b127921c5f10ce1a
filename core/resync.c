#include "config.h"
#include "resync.h"

#include <stdbool.h>
#include <string.h>

#include "util.h"

/* The copy of a node keeps what domain_copy gives each: its original's
 * line and start-tag layout (the element's _private, tagfmt.h). */
static void mark_node(xmlNodePtr c, xmlNodePtr o)
{
    c->psvi = o;
    if (c->type == XML_ELEMENT_NODE) {
        c->line = o->line;
        c->_private = o->_private;
    }
}

static void mark_tree(xmlNodePtr c, xmlNodePtr o)
{
    for (; c && o; c = c->next, o = o->next) {
        mark_node(c, o);
        if (c->type == XML_ELEMENT_NODE)
            mark_tree(c->children, o->children);
    }
}

void resync_mark(xmlDocPtr copy, xmlDocPtr orig)
{
    mark_tree(copy->children, orig->children);
}

static bool same_text(const xmlChar *a, const xmlChar *b)
{
    if (!a || !b)
        return a == b;
    return str_eq((const char *)a, (const char *)b);
}

static bool same_ns(const xmlNs *a, const xmlNs *b)
{
    if (!a || !b)
        return a == b;
    return same_text(a->href, b->href) && same_text(a->prefix, b->prefix);
}

/* Whether c can stand for o: the same kind of node with the same name. */
static bool same_kind(const xmlNode *o, const xmlNode *c)
{
    if (o->type != c->type)
        return false;
    switch (o->type) {
    case XML_ELEMENT_NODE:
        return same_text(o->name, c->name) && same_ns(o->ns, c->ns);
    case XML_PI_NODE:
    case XML_ENTITY_REF_NODE:
        return same_text(o->name, c->name);
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
    case XML_COMMENT_NODE:
        return true;
    default:   /* a DTD: left as the copy has it */
        return true;
    }
}

/* An attribute's value as libxml2 keeps it: one text child, normally. */
static const xmlChar *attr_value(const xmlAttr *a)
{
    return a->children && !a->children->next ? a->children->content : NULL;
}

static bool same_attrs(const xmlNode *o, const xmlNode *c)
{
    const xmlAttr *a = o->properties, *b = c->properties;
    for (; a && b; a = a->next, b = b->next) {
        const xmlChar *va = attr_value(a), *vb = attr_value(b);
        if (!same_text(a->name, b->name) || !same_ns(a->ns, b->ns) || !va || !vb || !same_text(va, vb))
            return false;
    }
    return !a && !b;
}

static void sync_children(xmlNodePtr o_parent, xmlNodePtr c_parent, xmlDocPtr doc);

static void sync_node(xmlNodePtr o, xmlNodePtr c, xmlDocPtr doc)
{
    if (o->type == XML_ELEMENT_NODE) {
        if (!same_attrs(o, c)) {
            xmlFreePropList(c->properties);
            c->properties = xmlCopyPropList(c, o->properties);
        }
        mark_node(c, o);
        sync_children(o, c, doc);
    } else if (o->type == XML_TEXT_NODE || o->type == XML_CDATA_SECTION_NODE
               || o->type == XML_COMMENT_NODE || o->type == XML_PI_NODE) {
        if (!same_text(o->content, c->content))
            xmlNodeSetContent(c, o->content);
        mark_node(c, o);
    }
}

/* A node the copy lost (or never matched): copied anew, marked. */
static xmlNodePtr copy_of(xmlNodePtr o, xmlDocPtr doc)
{
    xmlNodePtr c = xmlDocCopyNode(o, doc, 1);
    if (c) {
        mark_node(c, o);
        if (c->type == XML_ELEMENT_NODE)
            mark_tree(c->children, o->children);
    }
    return c;
}

/* Links c before next (at the end when next is NULL) by hand: libxml2's
 * xmlAddPrevSibling and xmlAddChild merge a text node into a text
 * neighbour, and the copy must keep the original's nodes one for one. */
static void link_before(xmlNodePtr parent, xmlNodePtr next, xmlNodePtr c)
{
    c->parent = parent;
    c->next = next;
    c->prev = next ? next->prev : parent->last;
    if (c->prev)
        c->prev->next = c;
    else
        parent->children = c;
    if (next)
        next->prev = c;
    else
        parent->last = c;
}

static void drop(xmlNodePtr c)
{
    xmlUnlinkNode(c);
    xmlFreeNode(c);
}

/* The copy's children of c_parent become o_parent's, in order: a child
 * marked with the next original child is kept (and synced), one a preview
 * added (unmarked) goes, and an original child without its copy there is
 * copied in. */
static void sync_children(xmlNodePtr o_parent, xmlNodePtr c_parent, xmlDocPtr doc)
{
    xmlNodePtr c = c_parent->children;
    for (xmlNodePtr o = o_parent->children; o; o = o->next) {
        while (c && !c->psvi) {
            xmlNodePtr next = c->next;
            drop(c);
            c = next;
        }
        if (c && c->psvi == o && same_kind(o, c)) {
            sync_node(o, c, doc);
            c = c->next;
            continue;
        }
        xmlNodePtr fresh = copy_of(o, doc);
        if (!fresh)
            continue;   /* out of memory: the copy stays short; the
                         * next resync tries again */
        link_before(c_parent, c, fresh);
    }
    while (c) {
        xmlNodePtr next = c->next;
        drop(c);
        c = next;
    }
}

void resync(xmlDocPtr copy, xmlDocPtr orig)
{
    sync_children((xmlNodePtr)orig, (xmlNodePtr)copy, copy);
}
