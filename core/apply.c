/* apply: the one place that writes placement results into the document
 * (through layout.h, which decides where new elements go and how they are
 * indented). */
#include "config.h"
#include "place.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "xmlutil.h"

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

static void fill_address(xmlNodePtr a, const struct pci_addr *addr, bool mf_on)
{
    /* Rewrite the attributes in libvirt's order and spelling. */
    while (a->properties)
        xmlRemoveProp(a->properties);
    xmlSetProp(a, (const xmlChar *)"type", (const xmlChar *)"pci");
    set_number(a, "domain", 0, 4);
    set_number(a, "bus", addr->bus, 2);
    set_number(a, "slot", addr->slot, 2);
    set_number(a, "function", addr->function, 1);
    if (mf_on)
        xmlSetProp(a, (const xmlChar *)"multifunction", (const xmlChar *)"on");
}

/* el's <address>, made (last, indented like its siblings) when it has none. */
static xmlNodePtr address_of(xmlNodePtr el, const struct layout *l)
{
    xmlNodePtr a = xml_child(el, "address");
    if (!a) {
        a = layout_new_element(el->doc, "address");
        layout_insert_child(el, a, NULL, l);
    }
    return a;
}

void apply_address(xmlNodePtr el, const struct pci_addr *addr, bool mf_on)
{
    struct layout l = layout_of(el->parent);
    fill_address(address_of(el, &l), addr, mf_on);
    layout_free(&l);
}

/* el's <target>, made (after <model>) when it has none. */
static xmlNodePtr target_of(xmlNodePtr el, const struct layout *l)
{
    xmlNodePtr tg = xml_child(el, "target");
    if (!tg) {
        tg = layout_new_element(el->doc, "target");
        xmlNodePtr model = xml_child(el, "model");
        layout_insert_child(el, tg, model ? xml_next_element(model) : xml_first_element(el), l);
    }
    return tg;
}

/* Adds what libvirt fills in for a PCI controller and is missing:
 * <model name=''> and the <target> values. */
static int complete_pci_controller(xmlNodePtr el, const struct plan_item *it,
                                   const struct layout *l)
{
    int changed = 0;
    if (!xml_child(el, "model") && it->model_name) {
        xmlNodePtr m = layout_new_element(el->doc, "model");
        layout_set_attr(m, "name", it->model_name);
        layout_insert_child(el, m, xml_first_element(el), l);
        changed++;
    }
    const struct { const char *name; long value; int digits; } targets[] = {
        { "chassisNr", it->chassis_nr, 0 },
        { "chassis", it->chassis, 0 },
        { "port", it->port, 1 },
        { "busNr", it->bus_nr, 0 },
        { "index", it->target_index, 0 },
    };
    xmlNodePtr tg = xml_child(el, "target");
    for (size_t k = 0; k < ARRAY_LEN(targets); k++) {
        long v = targets[k].value;
        if (v < 0 || xml_attr(tg, targets[k].name))
            continue;
        tg = target_of(el, l);
        set_number(tg, targets[k].name, v, targets[k].digits);
        changed++;
    }
    if (it->numa_node >= 0 && !xml_child(tg, "node")) {
        /* an expander bus added for numa= */
        char n[16];
        snprintf(n, sizeof n, "%d", it->numa_node);
        xmlNodePtr node = layout_new_element(el->doc, "node");
        xmlNodeAddContent(node, (const xmlChar *)n);
        tg = target_of(el, l);
        layout_insert_child(tg, node, NULL, l);
        changed++;
    }
    return changed;
}

/* Writes the model libvirt uses where the element's kind keeps it
 * (model='' or <model type=''>), when the element names none.  Returns
 * whether it wrote. */
static bool write_model(xmlNodePtr el, const char *model, const struct layout *l)
{
    const char *sel = catalog_model_selector((const char *)el->name);
    const char *have = catalog_select(el, sel);
    if (!model || (have && *have))
        return false;
    if (sel[0] == '@') {
        layout_set_attr(el, sel + 1, model);
        return true;
    }
    /* "child/@attr" */
    const char *at = strchr(sel, '@');
    char *child = xstrndup(sel, (size_t)(at - sel - 1));
    xmlNodePtr c = xml_child(el, child);
    if (!c) {
        c = layout_new_element(el->doc, child);
        layout_insert_child(el, c, xml_first_element(el), l);
    }
    layout_set_attr(c, at + 1, model);
    free(child);
    return true;
}

/* Writes "k=v k=v" on the element that holds el's model (<model> for
 * a video, el itself for most), beside the model libvirt writes. */
static void write_model_attrs(xmlNodePtr el, const char *attrs)
{
    const char *sel = catalog_model_selector((const char *)el->name);
    const char *at = strchr(sel, '@');
    xmlNodePtr holder = el;
    if (at != sel) {
        char *child = xstrndup(sel, (size_t)(at - sel - 1));
        holder = xml_child(el, child);
        free(child);
    }
    for (const char *p = attrs; holder && p && *p;) {
        size_t len = strcspn(p, " ");
        const char *eq = memchr(p, '=', len);
        if (eq) {
            char *k = xstrndup(p, (size_t)(eq - p)), *v = xstrndup(eq + 1, len - (size_t)(eq - p) - 1);
            layout_set_attr(holder, k, v);
            free(k);
            free(v);
        }
        p += len + (p[len] == ' ');
    }
}

static xmlNodePtr build_added(xmlDocPtr doc, const struct plan_item *it)
{
    xmlNodePtr el = layout_new_element(doc, it->element);
    if (it->ctrl_type) {
        layout_set_attr(el, "type", it->ctrl_type);
        set_number(el, "index", it->index, 0);
    }
    return el;
}

static void apply_item(const struct plan_item *it, xmlNodePtr devices, const struct layout *l,
                       struct layout_insertion *memo, struct apply_stats *st)
{
    xmlNodePtr el;
    if (it->dev) {
        el = it->dev->node;
    } else {
        el = build_added(devices->doc, it);
        layout_insert_child(devices, el, layout_insertion_point(devices, it->element, memo), l);
        write_model(el, it->model, l);
        write_model_attrs(el, it->model_attrs);
        st->added++;
    }
    /* libvirt writes the index and the default model it chose */
    if (it->dev && it->ctrl_type && it->dev->index_implicit) {
        set_number(el, "index", it->index, 0);
        st->completed++;
    }
    /* and the model it uses when the element names none (cirrus,
     * rtl8139, piix3-uhci, lsilogic...) */
    if (it->dev && (it->ctrl_type || it->dev->kind) && write_model(el, it->model, l))
        st->completed++;
    if (it->ctrl_type && str_eq(it->ctrl_type, "pci") && complete_pci_controller(el, it, l)
        && it->dev)
        st->completed++;
    if (!it->manual && it->need) {   /* need 0: a root bus, or a device not on PCI */
        fill_address(address_of(el, l), &it->addr, it->mf_on);
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
            fill_address(a, &it->addr, it->mf_on);
            if (keep && !it->mf_on)
                layout_set_attr(a, "multifunction", keep);
            free(keep);
            st->completed++;
        } else if (a && it->mf_on && !xml_attr(a, "multifunction")) {
            layout_set_attr(a, "multifunction", "on");
            st->completed++;
        }
    }
}

/* The first <element> among the devices, or NULL. */
static xmlNodePtr first_device_named(xmlNodePtr root, const char *name)
{
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el))
        if (str_eq((const char *)el->name, name))
            return el;
    return NULL;
}

/* A first console with a serial target is libvirt's other name for the
 * first serial port: libvirt stores it with the port's address, a PCI
 * one for a pci-serial. */
static int mirror_serial_console(xmlNodePtr root, const struct layout *l)
{
    xmlNodePtr serial = first_device_named(root, "serial"), console = first_device_named(root, "console");
    const char *tt = xml_attr(xml_child(console, "target"), "type");
    xmlNodePtr sa = xml_child(serial, "address");
    const char *st = xml_attr(sa, "type");
    if (!console || !sa || !st || !str_eq(st, "pci") || (tt && !str_eq(tt, "serial")))
        return 0;
    xmlNodePtr ca = xml_child(console, "address");
    struct pci_addr want = { 0, 0, 0, 0, -1 };
    unsigned long v;
    if (parse_uint(xml_attr(sa, "bus") ? xml_attr(sa, "bus") : "0", 0xff, &v))
        want.bus = (unsigned)v;
    if (parse_uint(xml_attr(sa, "slot") ? xml_attr(sa, "slot") : "0", 0x1f, &v))
        want.slot = (unsigned)v;
    if (parse_uint(xml_attr(sa, "function") ? xml_attr(sa, "function") : "0", 7, &v))
        want.function = (unsigned)v;
    const char *bus = xml_attr(ca, "bus"), *slot = xml_attr(ca, "slot"), *fn = xml_attr(ca, "function");
    unsigned long b, sl, f;
    if (ca && bus && slot && fn && parse_uint(bus, 0xff, &b) && parse_uint(slot, 0x1f, &sl)
        && parse_uint(fn, 7, &f) && b == want.bus && sl == want.slot && f == want.function)
        return 0;
    fill_address(address_of(console, l), &want, false);
    return 1;
}

/* libvirt keeps the video marked primary='yes' at the head of its list,
 * and writes the videos in that order. */
static int put_primary_video_first(xmlNodePtr root, const struct layout *l)
{
    xmlNodePtr first = NULL, primary = NULL;
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el)) {
        if (!str_eq((const char *)el->name, "video"))
            continue;
        if (!first)
            first = el;
        if (catalog_marked_primary_video(el))
            primary = el;   /* each one read goes to the head: the last wins */
    }
    if (!primary || primary == first)
        return 0;
    layout_move_before(primary, first, l);
    return 1;
}

struct apply_stats plan_apply(const struct plan *p, struct domain *d)
{
    struct apply_stats st = { 0, 0, 0 };
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    xmlNodePtr devices = xml_child(root, "devices");
    if (!devices) {
        devices = layout_new_element(d->doc, "devices");
        struct layout top = { xstrdup("  "), NULL, NULL };
        layout_insert_child(root, devices, NULL, &top);
        free(top.unit);
    }
    struct layout l = layout_of(devices);
    struct layout_insertion memo = { -1, NULL };
    /* libvirt's list: implicit controllers, the root, then the rest */
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].origin == ORIGIN_IMPLICIT && p->items[i].ctrl_type)
            apply_item(&p->items[i], devices, &l, &memo, &st);
    if (p->add_root) {
        struct plan_item root_item = { .element = "controller", .ctrl_type = "pci",
                                       .index = 0, .model = p->add_root, .manual = true,
                                       .chassis = -1, .port = -1, .chassis_nr = -1, .bus_nr = -1,
                                       .target_index = p->add_root_target_index,
                                       .model_name = p->add_root_model_name,
                                       .numa = -1, .want_parent = -1, .numa_node = -1 };
        apply_item(&root_item, devices, &l, &memo, &st);
    }
    for (size_t i = 0; i < p->n; i++)
        if (!(p->items[i].origin == ORIGIN_IMPLICIT && p->items[i].ctrl_type))
            apply_item(&p->items[i], devices, &l, &memo, &st);
    for (size_t i = 0; i < p->ndropped; i++) {
        /* libvirt drops it (and on pseries writes a spapr-vio one) */
        xmlNodePtr a = xml_child(p->dropped[i]->node, "address");
        if (a) {
            layout_remove(a);
            st.completed++;
        }
    }
    st.completed += mirror_serial_console(root, &l);
    st.completed += put_primary_video_first(root, &l);
    layout_free(&l);
    return st;
}
