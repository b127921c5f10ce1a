/* layout: where new elements go in the document and how they are indented,
 * so that a diff of a saved file shows only what changed.  New elements go
 * where libvirt's own output would have them and copy the white space of
 * their neighbours. */
#include "config.h"
#include "layout.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "util.h"
#include "xmlutil.h"

/* A new element goes before the first existing one that libvirt writes
 * later (catalog_device_rank); unknown elements rank last. */
static int device_rank(const char *name)
{
    int r = catalog_device_rank(name);
    return r < 0 ? INT_MAX : r;
}

/* The indentation of a line in the document ("    "): the blanks after
 * the last newline of the text before n; NULL when n is not on a line of
 * its own (other text before it on its line is no indentation to copy). */
static char *indent_before(xmlNodePtr n)
{
    xmlNodePtr prev = n ? n->prev : NULL;
    if (!prev || prev->type != XML_TEXT_NODE || !prev->content)
        return NULL;
    const char *nl = strrchr((const char *)prev->content, '\n');
    if (!nl || nl[1 + strspn(nl + 1, " \t")] != '\0')
        return NULL;
    return xstrdup(nl + 1);
}

static char *child_indent(xmlNodePtr el, const struct layout *l);

struct layout layout_of(xmlNodePtr devices)
{
    struct layout l = { NULL, NULL, NULL };
    xmlNodePtr first = xml_first_element(devices);
    char *outer = indent_before(devices), *inner = indent_before(first);
    if (outer && inner && strlen(inner) > strlen(outer))
        l.unit = xstrdup(inner + strlen(outer));
    else if (outer || inner || !first)
        l.unit = xstrdup("  ");
    if (l.unit) {
        char *level1 = child_indent(devices, &l);
        l.outer = xasprintf("\n%s", level1);
        l.inner = xasprintf("\n%s%s", level1, l.unit);
        free(level1);
    }
    free(outer);
    free(inner);
    return l;
}

void layout_free(struct layout *l)
{
    free(l->unit);
    free(l->outer);
    free(l->inner);
}

/* The indentation of el's children: that of an existing child, else one
 * unit more than el's own. */
static char *child_indent(xmlNodePtr el, const struct layout *l)
{
    char *in = indent_before(xml_first_element(el));
    if (in)
        return in;
    char *own = indent_before(el);
    char *r = xasprintf("%s%s", own ? own : "", l->unit);
    free(own);
    return r;
}

static xmlNodePtr ws_node(xmlDocPtr doc, const char *newline_indent)
{
    return xmlNewDocText(doc, (const xmlChar *)newline_indent);
}

/* The line break and indentation for the children of parent. */
static char *child_break(xmlNodePtr parent, const struct layout *l)
{
    const char *name = (const char *)parent->name;
    if (str_eq(name, "devices"))
        return xstrdup(l->outer);
    if (!parent->_private && !xml_first_element(parent) && parent->parent
        && parent->parent->type == XML_ELEMENT_NODE
        && str_eq((const char *)parent->parent->name, "devices"))
        return xstrdup(l->inner);   /* an element pcitopo just made */
    char *indent = child_indent(parent, l);
    char *r = xasprintf("\n%s", indent);
    free(indent);
    return r;
}

void layout_insert_child(xmlNodePtr parent, xmlNodePtr child, xmlNodePtr before,
                         const struct layout *l)
{
    if (!l->unit) {
        if (before)
            xmlAddPrevSibling(before, child);
        else
            xmlAddChild(parent, child);
        return;
    }
    char *indent = child_break(parent, l);
    if (before) {
        /* ws <before>  →  ws <child> ws <before> */
        xmlAddPrevSibling(before, child);
        xmlAddPrevSibling(before, ws_node(parent->doc, indent));
    } else {
        xmlNodePtr last = parent->last;
        bool closing_ws = last && last->type == XML_TEXT_NODE;
        if (closing_ws) {
            /* ... <x> ws-closing  →  ... <x> ws <child> ws-closing.  libxml2
             * merges a text node added next to another, so the closing
             * white space becomes the child's and a new one follows it. */
            char *closing = xstrdup((const char *)last->content);
            xmlNodeSetContent(last, (const xmlChar *)indent);
            xmlAddNextSibling(last, child);
            xmlAddNextSibling(child, ws_node(parent->doc, closing));
            free(closing);
        } else if (parent->children) {
            /* <parent><x/><y/></parent>: its children share a line; so does the new one */
            xmlAddChild(parent, child);
        } else {
            /* <parent/>: open a line for the child and one for the closing tag */
            char *own = indent_before(parent);
            char *closing = xasprintf("\n%s", own ? own : "");
            xmlAddChild(parent, ws_node(parent->doc, indent));
            xmlAddChild(parent, child);
            xmlAddChild(parent, ws_node(parent->doc, closing));
            free(closing);
            free(own);
        }
    }
    free(indent);
}

xmlNodePtr layout_new_element(xmlDocPtr doc, const char *name)
{
    xmlNodePtr el = xmlNewDocNode(doc, NULL, (const xmlChar *)name, NULL);
    return el;
}

void layout_set_attr(xmlNodePtr el, const char *name, const char *value)
{
    xmlSetProp(el, (const xmlChar *)name, (const xmlChar *)value);
}

/* Elements whose first in document order libvirt treats apart: the first
 * <video> is the primary one (unless another says primary='yes'), and a
 * new one must not take its place behind the user's back. */
static bool order_matters(const char *element)
{
    static const char *const firsts[] = { "video" };
    for (size_t i = 0; i < ARRAY_LEN(firsts); i++)
        if (str_eq(firsts[i], element))
            return true;
    return false;
}

/* Whether el comes before `before` among its siblings (NULL: the end). */
static bool comes_before(xmlNodePtr el, xmlNodePtr before)
{
    if (!before)
        return true;
    for (xmlNodePtr c = xml_next_element(el); c; c = xml_next_element(c))
        if (c == before)
            return true;
    return false;
}

xmlNodePtr layout_insertion_point(xmlNodePtr devices, const char *element,
                                  struct layout_insertion *memo)
{
    int rank = device_rank(element);
    if (memo->rank == rank)
        return memo->before;
    xmlNodePtr before = NULL, last_same = NULL;
    bool keep_after = order_matters(element);
    for (xmlNodePtr c = xml_first_element(devices); c; c = xml_next_element(c)) {
        if (!before && device_rank((const char *)c->name) > rank)
            before = c;
        if (keep_after && str_eq((const char *)c->name, element))
            last_same = c;
    }
    /* In a file whose order is not libvirt's, the place libvirt would
     * write it can be before an element of its kind whose being first
     * means something: after them, then. */
    if (last_same && !comes_before(last_same, before))
        before = xml_next_element(last_same);
    memo->rank = rank;
    memo->before = before;
    return before;
}



/* Whether a text node is only white space (the indentation before an
 * element). */
static bool blank_text(xmlNodePtr n)
{
    if (!n || n->type != XML_TEXT_NODE)
        return false;
    for (const xmlChar *c = n->content; c && *c; c++)
        if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
            return false;
    return true;
}

void layout_insert_tree(xmlNodePtr parent, xmlNodePtr el, xmlNodePtr before,
                        const struct layout *l)
{
    /* Take the element children off, insert el, then put each child back
     * through layout_insert_child so that every level is indented. */
    bool only_text = !xml_first_element(el);
    xmlNodePtr kids = only_text ? NULL : el->children;
    if (kids) {
        el->children = el->last = NULL;
        for (xmlNodePtr k = kids; k; k = k->next)
            k->parent = NULL;
    }
    layout_insert_child(parent, el, before, l);
    for (xmlNodePtr k = kids, next; k; k = next) {
        next = k->next;
        k->prev = k->next = NULL;
        if (k->type == XML_ELEMENT_NODE)
            layout_insert_tree(el, k, NULL, l);
        else
            xmlFreeNode(k);
    }
}

void layout_move_before(xmlNodePtr el, xmlNodePtr before, const struct layout *l)
{
    xmlNodePtr prev = el->prev;
    if (blank_text(prev)) {
        xmlUnlinkNode(prev);
        xmlFreeNode(prev);
    }
    xmlUnlinkNode(el);
    layout_insert_child(before->parent, el, before, l);
}

void layout_remove(xmlNodePtr el)
{
    xmlNodePtr prev = el->prev;
    if (blank_text(prev)) {
        xmlUnlinkNode(prev);
        xmlFreeNode(prev);
    }
    xmlUnlinkNode(el);
    xmlFreeNode(el);
}
