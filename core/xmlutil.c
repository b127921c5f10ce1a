#include "config.h"
#include "xmlutil.h"

#include <string.h>

const char *xml_attr(xmlNodePtr el, const char *name)
{
    if (!el)
        return NULL;
    for (xmlAttrPtr a = el->properties; a; a = a->next)
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
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
        if (is_plain_element(c) && strcmp((const char *)c->name, name) == 0)
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
