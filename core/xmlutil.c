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
