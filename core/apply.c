/* apply: the one place that writes placement results into the document.
 * New elements copy the indentation of their neighbours and go where
 * libvirt's own output would have them, so a diff shows only what changed. */
#include "config.h"
#include "place.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmlutil.h"

/* The order in which libvirt writes the children of <devices>; a new
 * element goes before the first existing one that libvirt writes later. */
static const char *const device_order[] = {
    "emulator", "disk", "controller", "lease", "filesystem", "interface", "smartcard",
    "serial", "parallel", "console", "channel", "input", "tpm", "graphics", "sound",
    "audio", "video", "hostdev", "redirdev", "redirfilter", "hub", "watchdog",
    "memballoon", "rng", "panic", "shmem", "memory", "iommu", "vsock", "crypto",
};

static int device_rank(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(device_order); i++)
        if (strcmp(device_order[i], name) == 0)
            return (int)i;
    return (int)ARRAY_LEN(device_order);
}

/* The indentation of a line in the document ("    "): the text after the
 * last newline of the white space before n; NULL when n is not on a line
 * of its own. */
static char *indent_before(xmlNodePtr n)
{
    xmlNodePtr prev = n ? n->prev : NULL;
    if (!prev || prev->type != XML_TEXT_NODE || !prev->content)
        return NULL;
    const char *nl = strrchr((const char *)prev->content, '\n');
    return nl ? xstrdup(nl + 1) : NULL;
}

struct layout {
    char *unit;    /* one level of indentation ("  "), or NULL for no newlines */
    char *outer;   /* "\n" + indentation of the children of <devices> */
    char *inner;   /* "\n" + indentation of their children */
};

static char *child_indent(xmlNodePtr el, const struct layout *l);

static struct layout layout_of(xmlNodePtr devices)
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

static void layout_free(struct layout *l)
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
    if (strcmp(name, "devices") == 0)
        return xstrdup(l->outer);
    if (!parent->_private && !xml_first_element(parent) && parent->parent
        && parent->parent->type == XML_ELEMENT_NODE
        && strcmp((const char *)parent->parent->name, "devices") == 0)
        return xstrdup(l->inner);   /* an element pcitopo just made */
    char *indent = child_indent(parent, l);
    char *r = xasprintf("\n%s", indent);
    free(indent);
    return r;
}

/* Inserts child into parent before the element `before` (NULL: last),
 * with the white space its siblings have. */
static void insert_child(xmlNodePtr parent, xmlNodePtr child, xmlNodePtr before,
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

/* Sets a number attribute, in hex with at least `digits` digits (libvirt's
 * spelling of addresses and ports), or in decimal when digits is 0.  (Not
 * snprintf: placing 250 devices writes thousands of these.) */
static void set_number(xmlNodePtr el, const char *name, long v, int digits)
{
    char buf[32], *p = buf + sizeof buf;
    unsigned long u = v < 0 ? 0 : (unsigned long)v;
    unsigned base = digits ? 16 : 10;
    int n = 0;
    *--p = '\0';
    do {
        *--p = "0123456789abcdef"[u % base];
        u /= base;
        n++;
    } while (u || n < digits);
    if (digits) {
        *--p = 'x';
        *--p = '0';
    }
    xmlSetProp(el, (const xmlChar *)name, (const xmlChar *)p);
}

static void fill_address(xmlNodePtr a, const struct plan_item *it)
{
    /* Rewrite the attributes in libvirt's order and spelling. */
    while (a->properties)
        xmlRemoveProp(a->properties);
    xmlSetProp(a, (const xmlChar *)"type", (const xmlChar *)"pci");
    set_number(a, "domain", 0, 4);
    set_number(a, "bus", it->addr.bus, 2);
    set_number(a, "slot", it->addr.slot, 2);
    set_number(a, "function", it->addr.function, 1);
    if (it->mf_on)
        xmlSetProp(a, (const xmlChar *)"multifunction", (const xmlChar *)"on");
}

static xmlNodePtr new_element(xmlDocPtr doc, const char *name)
{
    xmlNodePtr el = xmlNewDocNode(doc, NULL, (const xmlChar *)name, NULL);
    return el;
}

static void set_attr(xmlNodePtr el, const char *name, const char *value)
{
    xmlSetProp(el, (const xmlChar *)name, (const xmlChar *)value);
}

/* Where new elements go among the children of <devices>: before the first
 * one libvirt writes later.  Elements of one kind come in runs (all the new
 * controllers), so the answer for the last kind asked is kept. */
struct insertion {
    int rank;
    xmlNodePtr before;
};

static xmlNodePtr insertion_point(xmlNodePtr devices, const char *element, struct insertion *memo)
{
    int rank = device_rank(element);
    if (memo->rank == rank)
        return memo->before;
    xmlNodePtr before = NULL;
    for (xmlNodePtr c = xml_first_element(devices); c && !before; c = xml_next_element(c))
        if (device_rank((const char *)c->name) > rank)
            before = c;
    memo->rank = rank;
    memo->before = before;
    return before;
}


/* Adds what libvirt fills in for a PCI controller and is missing:
 * <model name=''> and the <target> values. */
static int complete_pci_controller(xmlNodePtr el, const struct plan_item *it,
                                   const struct layout *l)
{
    int changed = 0;
    if (!xml_child(el, "model") && it->model_name) {
        xmlNodePtr m = new_element(el->doc, "model");
        set_attr(m, "name", it->model_name);
        insert_child(el, m, xml_first_element(el), l);
        changed++;
    }
    const struct { const char *name; long value; int digits; } targets[] = {
        { "chassisNr", it->chassis_nr, 0 },
        { "chassis", it->chassis, 0 },
        { "port", it->port, 1 },
        { "busNr", it->bus_nr, 0 },
    };
    xmlNodePtr tg = xml_child(el, "target");
    for (size_t k = 0; k < ARRAY_LEN(targets); k++) {
        long v = targets[k].value;
        if (v < 0 || xml_attr(tg, targets[k].name))
            continue;
        if (!tg) {
            tg = new_element(el->doc, "target");
            xmlNodePtr model = xml_child(el, "model");
            insert_child(el, tg, model ? xml_next_element(model) : xml_first_element(el), l);
        }
        set_number(tg, targets[k].name, v, targets[k].digits);
        changed++;
    }
    return changed;
}

static xmlNodePtr build_added(xmlDocPtr doc, const struct plan_item *it, const struct layout *l)
{
    xmlNodePtr el = new_element(doc, it->element);
    if (it->ctrl_type) {
        set_attr(el, "type", it->ctrl_type);
        set_number(el, "index", it->index, 0);
    }
    if (it->model)
        set_attr(el, "model", it->model);
    return el;
}

static void apply_item(const struct plan_item *it, xmlNodePtr devices, const struct layout *l,
                       struct insertion *memo, struct apply_stats *st)
{
    xmlNodePtr el;
    if (it->dev) {
        el = it->dev->node;
    } else {
        el = build_added(devices->doc, it, l);
        insert_child(devices, el, insertion_point(devices, it->element, memo), l);
        st->added++;
    }
    /* libvirt writes the index and the default model it chose */
    if (it->dev && it->ctrl_type && it->dev->index_implicit) {
        set_number(el, "index", it->index, 0);
        st->completed++;
    }
    if (it->dev && it->ctrl_type && it->model && !xml_attr(el, "model")) {
        set_attr(el, "model", it->model);
        st->completed++;
    }
    if (it->ctrl_type && strcmp(it->ctrl_type, "pci") == 0 && complete_pci_controller(el, it, l)
        && it->dev)
        st->completed++;
    if (!it->manual) {
        xmlNodePtr a = xml_child(el, "address");
        if (!a) {
            a = new_element(el->doc, "address");
            insert_child(el, a, NULL, l);
        }
        fill_address(a, it);
        if (it->dev)
            st->addressed++;
    } else if (it->dev) {
        /* The address stays; libvirt only spells it out in full and adds
         * multifunction='on' where a slot has several functions. */
        xmlNodePtr a = xml_child(el, "address");
        bool partial = !xml_attr(a, "domain") || !xml_attr(a, "bus") || !xml_attr(a, "slot")
            || !xml_attr(a, "function");
        if (a && partial) {
            const char *mf = xml_attr(a, "multifunction");
            char *keep = mf ? xstrdup(mf) : NULL;
            fill_address(a, it);
            if (keep && !it->mf_on)
                set_attr(a, "multifunction", keep);
            free(keep);
            st->completed++;
        } else if (a && it->mf_on && !xml_attr(a, "multifunction")) {
            set_attr(a, "multifunction", "on");
            st->completed++;
        }
    }
}

struct apply_stats plan_apply(const struct plan *p, struct domain *d)
{
    struct apply_stats st = { 0, 0, 0 };
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    xmlNodePtr devices = xml_child(root, "devices");
    if (!devices) {
        devices = new_element(d->doc, "devices");
        struct layout top = { xstrdup("  "), NULL, NULL };
        insert_child(root, devices, NULL, &top);
        free(top.unit);
    }
    struct layout l = layout_of(devices);
    struct insertion memo = { -1, NULL };
    /* libvirt's list: implicit controllers, the root, then the rest */
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].origin == ORIGIN_IMPLICIT && p->items[i].ctrl_type)
            apply_item(&p->items[i], devices, &l, &memo, &st);
    if (p->add_root) {
        struct plan_item root_item = { .element = "controller", .ctrl_type = "pci",
                                       .index = 0, .model = p->add_root, .manual = true,
                                       .chassis = -1, .port = -1, .chassis_nr = -1, .bus_nr = -1 };
        apply_item(&root_item, devices, &l, &memo, &st);
    }
    for (size_t i = 0; i < p->n; i++)
        if (!(p->items[i].origin == ORIGIN_IMPLICIT && p->items[i].ctrl_type))
            apply_item(&p->items[i], devices, &l, &memo, &st);
    layout_free(&l);
    return st;
}
