#include "config.h"
#include "ctrllist.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmlutil.h"

/* pcitopo keeps 256 buses; libvirt refuses a PCI index above 255 too. */
#define MAX_INDEX 255

static bool is_usb2(const struct ctrl_entry *c)
{
    return str_eq(c->type, "usb") && c->model
        && (str_eq(c->model, "ich9-ehci1") || strncmp(c->model, "ich9-uhci", 9) == 0);
}

/* The controller types libvirt knows get a number; others -1, and are
 * compared by name. */
static int type_id_of(const char *type)
{
    static const char *const types[] = {
        "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci", "xenbus", "isa",
    };
    for (size_t i = 0; i < ARRAY_LEN(types); i++)
        if (str_eq(types[i], type))
            return (int)i;
    return -1;
}

static bool same_type(const struct ctrl_entry *a, const struct ctrl_entry *b)
{
    return a->type_id == b->type_id && (a->type_id >= 0 || str_eq(a->type, b->type));
}

/* A companion: <master>, or an ich9-uhci (libvirt gives those a master
 * port of its own accord). */
static bool is_companion_el(const struct ctrl_entry *c)
{
    return str_eq(c->type, "usb")
        && (xml_child(c->el, "master") || (c->model && strncmp(c->model, "ich9-uhci", 9) == 0));
}

/* index='' as libvirt reads it: a decimal int, not negative. */
static bool read_index(xmlNodePtr el, const char *type, const struct domain *d, long *out,
                       struct err *e)
{
    const char *v = xml_attr(el, "index");
    *out = -1;
    if (!v)
        return true;
    long n;
    bool number = parse_int_base(v, 10, &n);
    if (number && n >= 0 && n <= MAX_INDEX) {
        *out = n;
        return true;
    }
    /* the line only on error: xmlGetLineNo can walk the document */
    struct where_text where = domain_where(d->name, domain_line(el));
    if (!number || n < 0)
        err_set(e, "%s: <controller type='%s'>: XML error: Invalid value for attribute 'index' in element 'controller': '%s'. Expected %s value",
                where.text, type, v, number ? "non-negative" : "integer");
    else if (str_eq(type, "pci"))   /* libvirt's words for PCI */
        err_set(e, "%s: <controller type='pci'>: unsupported configuration: PCI controller index %ld too high, maximum is %d",
                where.text, n, MAX_INDEX);
    else   /* other controllers pcitopo cannot count */
        err_set(e, "%s: <controller type='%s'>: index='%s' is out of range (0-%d)", where.text, type, v,
                MAX_INDEX);
    return false;
}

/* Where libvirt files c among l's first n entries. */
static size_t insert_position(const struct ctrl_list *l, const struct ctrl_entry *c)
{
    long at = -1;
    for (long i = (long)l->n - 1; i >= 0; i--) {
        const struct ctrl_entry *cur = &l->e[i];
        if (!same_type(cur, c))
            continue;
        if (c->index < 0)
            return (size_t)i + 1;   /* just past the last of its type */
        if (cur->index > c->index)
            at = i;
        else if (!c->companion && cur->companion && cur->index == c->index)
            at = i;                 /* a master goes before its companions */
        else if (at == -1)
            at = i + 1;
    }
    return at < 0 ? l->n : (size_t)at;
}

static bool index_used(const struct ctrl_list *l, const char *type, long index)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->e[i].index == index && str_eq(l->e[i].type, type))
            return true;
    return false;
}

/* libvirt's "same set" rule for an index-less ich9 USB2 controller: the
 * USB controller before it in the list is USB2 too, and no controller of
 * its model has that one's index yet. */
static long usb2_set_index(const struct ctrl_list *l, size_t at)
{
    const struct ctrl_entry *c = &l->e[at], *prev = NULL;
    for (size_t i = at; i-- > 0 && !prev;)
        if (str_eq(l->e[i].type, "usb"))
            prev = &l->e[i];
    if (!prev || !is_usb2(prev) || prev->index < 0)
        return -1;
    for (size_t i = 0; i < l->n; i++)
        if (str_eq(l->e[i].type, "usb") && l->e[i].index == prev->index && l->e[i].model
            && str_eq(l->e[i].model, c->model))
            return -1;
    return prev->index;
}

static bool assign_indexes(struct ctrl_list *l, const struct domain *d, struct err *e)
{
    for (size_t i = 0; i < l->n; i++) {
        struct ctrl_entry *c = &l->e[i];
        if (c->index >= 0)
            continue;
        long index = i > 0 && is_usb2(c) ? usb2_set_index(l, i) : -1;
        if (index < 0) {
            index = 0;
            while (index <= MAX_INDEX && index_used(l, c->type, index))
                index++;
        }
        if (index > MAX_INDEX) {
            err_set(e, "%s: <controller type='%s'>: no index is left for another %s controller (all of 0 to %d are taken)",
                    domain_where(d->name, domain_line(c->el)).text, c->type, c->type, MAX_INDEX);
            return false;
        }
        c->index = (int)index;
    }
    return true;
}

/* libvirt refuses two controllers of a type with one index; USB
 * controllers may share one (a USB2 set does), which its USB address
 * assignment checks later. */
static bool no_duplicates(const struct ctrl_list *l, const struct domain *d, struct err *e)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct ctrl_entry *c = &l->e[i];
        if (str_eq(c->type, "usb"))
            continue;
        for (size_t j = 0; j < i; j++) {
            const struct ctrl_entry *o = &l->e[j];
            if (o->index != c->index || !same_type(o, c))
                continue;
            /* name the one written later, and where the first is */
            const struct ctrl_entry *later = domain_line(o->el) > domain_line(c->el) ? o : c;
            const struct ctrl_entry *first = later == o ? c : o;
            long line = domain_line(first->el);
            err_set(e, "%s: <controller type='%s'>: XML error: Multiple '%s' controllers with index '%d' (the first %s %s)",
                    domain_where(d->name, domain_line(later->el)).text, c->type, c->type, c->index,
                    line > 0 ? "is on" : "was", domain_line_text(line).text);
            return false;
        }
    }
    return true;
}

static int cmp_by_el(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct ctrl_at *)a)->el, y = (uintptr_t)((const struct ctrl_at *)b)->el;
    return x < y ? -1 : x > y;
}

/* Positions sorted by element, so that a document with thousands of
 * controllers is not searched once per controller. */
static void index_by_element(struct ctrl_list *l)
{
    l->by_el = xcalloc(l->n + 1, sizeof *l->by_el);
    for (size_t i = 0; i < l->n; i++)
        l->by_el[i] = (struct ctrl_at){ l->e[i].el, i };
    qsort(l->by_el, l->n, sizeof *l->by_el, cmp_by_el);
}

bool ctrl_list_read(struct ctrl_list *l, xmlNodePtr root, const struct domain *d, struct err *e)
{
    memset(l, 0, sizeof *l);
    size_t cap = 0;
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el)) {
        if (!str_eq((const char *)el->name, "controller"))
            continue;
        const char *type = xml_attr(el, "type");
        struct ctrl_entry c = { el, type ? type : "", xml_attr(el, "model"), -1, false, false, type_id_of(type ? type : "") };
        long index;
        if (!read_index(el, c.type, d, &index, e)) {
            ctrl_list_free(l);
            return false;
        }
        c.index = (int)index;
        c.given = index >= 0;
        c.companion = is_companion_el(&c);
        if (l->n == cap) {
            cap = cap ? cap * 2 : 16;
            l->e = xrealloc(l->e, cap * sizeof *l->e);
        }
        size_t at = insert_position(l, &c);
        memmove(&l->e[at + 1], &l->e[at], (l->n - at) * sizeof *l->e);
        l->e[at] = c;
        l->n++;
    }
    if (!assign_indexes(l, d, e) || !no_duplicates(l, d, e)) {
        ctrl_list_free(l);
        return false;
    }
    index_by_element(l);
    return true;
}

void ctrl_list_free(struct ctrl_list *l)
{
    free(l->e);
    free(l->by_el);
    memset(l, 0, sizeof *l);
}

long ctrl_list_position(const struct ctrl_list *l, const xmlNode *el)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const xmlNode *m = l->by_el[mid].el;
        if (m == el)
            return (long)l->by_el[mid].pos;
        if ((uintptr_t)m < (uintptr_t)el)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
