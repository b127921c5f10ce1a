#include "config.h"
#include "xmlutil.h"
#include "util.h"

#include <string.h>

const char *xml_attr(xmlNodePtr el, const char *name)
{
    if (!el)
        return NULL;
    for (xmlAttrPtr a = el->properties; a; a = a->next)
        if (a->ns == NULL && str_eq((const char *)a->name, name))
            return a->children && a->children->content
                ? (const char *)a->children->content : "";
    return NULL;
}

static bool is_plain_element(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->ns == NULL;
}

xmlNodePtr xml_child(xmlNodePtr el, const char *name)
{
    for (xmlNodePtr c = el ? el->children : NULL; c; c = c->next)
        if (is_plain_element(c) && str_eq((const char *)c->name, name))
            return c;
    return NULL;
}

xmlNodePtr xml_first_element(xmlNodePtr el)
{
    for (xmlNodePtr c = el ? el->children : NULL; c; c = c->next)
        if (is_plain_element(c))
            return c;
    return NULL;
}

xmlNodePtr xml_next_element(xmlNodePtr n)
{
    for (n = n ? n->next : NULL; n; n = n->next)
        if (is_plain_element(n))
            return n;
    return NULL;
}

/* The first element of the first non-empty <devices> from `devices` on. */
static xmlNodePtr first_in_devices_from(xmlNodePtr devices)
{
    for (; devices; devices = xml_next_element(devices)) {
        if (strcmp((const char *)devices->name, "devices") != 0)
            continue;
        xmlNodePtr el = xml_first_element(devices);
        if (el)
            return el;
    }
    return NULL;
}

xmlNodePtr xml_first_device(xmlNodePtr root)
{
    return first_in_devices_from(xml_child(root, "devices"));
}

xmlNodePtr xml_next_device(xmlNodePtr el)
{
    xmlNodePtr next = xml_next_element(el);
    return next ? next : first_in_devices_from(xml_next_element(el->parent));
}

/* n's position among its siblings. */
static size_t sibling_index(const xmlNode *n)
{
    size_t i = 0;
    for (const xmlNode *p = n->prev; p; p = p->prev)
        i++;
    return i;
}

xmlNodePtr xml_twin(const xmlNode *n, xmlDocPtr copy)
{
    if (!n || !copy)
        return NULL;
    if (n->type == XML_DOCUMENT_NODE)
        return (xmlNodePtr)copy;
    xmlNodePtr parent = xml_twin(n->parent, copy);
    if (!parent)
        return NULL;
    xmlNodePtr c = parent->children;
    for (size_t i = sibling_index(n); c && i; i--)
        c = c->next;
    return c && c->type == n->type ? c : NULL;
}
