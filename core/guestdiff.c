#include "config.h"
#include "guestdiff.h"

#include <stdlib.h>
#include <string.h>

#include "lspci.h"
#include "xmlutil.h"

/* A function of one side, with the name that matches it on the other. */
struct keyed {
    char *key;      /* owned */
    size_t order;   /* its place among the side's functions */
    const struct guest_fn *f;
};

static const char *element_of(const struct guest_fn *f)
{
    return f->dev ? (const char *)f->dev->node->name : f->item ? f->item->element : "";
}

static bool is_controller(const struct guest_fn *f)
{
    return f->dev ? f->dev->ctrl_type != NULL : f->item && f->item->ctrl_type != NULL;
}

/* What names f in libvirt beyond its address: the key both sides share. */
static char *key_new(const struct guest_fn *f, int ordinal)
{
    const struct device *dv = f->dev;
    if (dv && dv->alias)
        return xasprintf("alias %s", dv->alias);
    const char *element = element_of(f);
    const char *model = dv ? dv->model : f->item->model;
    if (is_controller(f)) {
        const char *type = dv ? dv->ctrl_type : f->item->ctrl_type;
        int index = dv ? dv->ctrl_index : f->item->index;
        return xasprintf("controller %s %d %s", type, index, str_eq(type, "pci") && model ? model : "");
    }
    const char *mac = dv ? xml_attr(xml_child(dv->node, "mac"), "address") : NULL;
    if (mac)
        return xasprintf("mac %s", mac);
    if (dv && dv->disk_target)
        return xasprintf("disk %s", dv->disk_target);
    struct host_addr h;
    if (dv && device_host_addr(dv, &h))
        return xasprintf("host %04x:%02x:%02x.%x", h.domain, h.bus, h.slot, h.function);
    return xasprintf("%s %s #%d", element, model ? model : "", ordinal);
}

static int by_key(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* The functions of g that are the document's or libvirt's devices (not
 * the chipset's, nor a pxb's own bridge, which goes with its pxb),
 * sorted by key.  An element without a better name is numbered among
 * those of its kind and model, in document order. */
static struct keyed *keyed_new(const struct guestbus *g, size_t *n)
{
    struct keyed *k = xcalloc(g->nfn ? g->nfn : 1, sizeof *k);
    *n = 0;
    for (size_t i = 0; i < g->nfn; i++) {
        const struct guest_fn *f = &g->fn[i];
        if (f->chipset || f->inner_bridge || (!f->dev && !f->item))
            continue;
        int ordinal = 0;
        for (size_t j = 0; j < *n; j++)
            ordinal += str_eq(element_of(k[j].f), element_of(f));
        k[(*n)++] = (struct keyed){ key_new(f, ordinal), i, f };
    }
    qsort(k, *n, sizeof *k, by_key);
    return k;
}

static void keyed_free(struct keyed *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(k[i].key);
    free(k);
}

static bool same_xml(const struct guest_fn *a, const struct guest_fn *b)
{
    if (a->has_xml != b->has_xml)
        return false;
    return !a->has_xml || (a->xml.bus == b->xml.bus && a->xml.slot == b->xml.slot
                           && a->xml.function == b->xml.function);
}

static bool same_guest(const struct guest_fn *a, const struct guest_fn *b)
{
    bool sa = a->state == GUEST_SEEN, sb = b->state == GUEST_SEEN;
    if (sa != sb)
        return false;
    return !sa || (a->bus == b->bus && a->slot == b->slot && a->function == b->function);
}

static void add_entry(struct guest_diff *d, size_t *cap, enum diff_kind kind,
                      const struct guest_fn *old, const struct guest_fn *new)
{
    if (d->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        d->e = xrealloc(d->e, *cap * sizeof *d->e);
    }
    d->e[d->n++] = (struct diff_entry){ kind, old, new };
}

/* Entries by kind, then in their side's order. */
static int by_kind(const void *pa, const void *pb)
{
    const struct diff_entry *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    const struct guest_fn *fa = a->new ? a->new : a->old, *fb = b->new ? b->new : b->old;
    return (fa > fb) - (fa < fb);
}

struct guest_diff *guest_diff_new(const struct topology *old, const struct topology *new)
{
    struct guest_diff *d = xcalloc(1, sizeof *d);
    d->old = lspci_guestbus_new(old, NULL);
    d->new = lspci_guestbus_new(new, NULL);
    d->numbered = d->old->firmware != FW_NOT_MODELLED && d->new->firmware != FW_NOT_MODELLED;
    size_t no, nn, cap = 0;
    struct keyed *ko = keyed_new(d->old, &no), *kn = keyed_new(d->new, &nn);
    size_t i = 0, j = 0;
    while (i < no || j < nn) {
        int c = i >= no ? 1 : j >= nn ? -1 : strcmp(ko[i].key, kn[j].key);
        if (c < 0) {
            add_entry(d, &cap, DIFF_REMOVED, ko[i++].f, NULL);
        } else if (c > 0) {
            add_entry(d, &cap, DIFF_ADDED, NULL, kn[j++].f);
        } else {
            const struct guest_fn *a = ko[i++].f, *b = kn[j++].f;
            bool guest = d->numbered && !same_guest(a, b);
            d->moved += guest;
            if (!same_xml(a, b))
                add_entry(d, &cap, DIFF_XML_MOVED, a, b);
            else if (guest)
                add_entry(d, &cap, DIFF_GUEST_MOVED, a, b);
        }
    }
    keyed_free(ko, no);
    keyed_free(kn, nn);
    qsort(d->e, d->n, sizeof *d->e, by_kind);
    return d;
}

void guest_diff_free(struct guest_diff *d)
{
    if (!d)
        return;
    guestbus_free(d->old);
    guestbus_free(d->new);
    free(d->e);
    free(d);
}

/* "ua-net0 (interface virtio)", "pcie-root-port index 7 (libvirt adds it)" */
static void put_name(struct strbuf *sb, const struct guest_fn *f)
{
    const struct device *dv = f->dev;
    if (dv && dv->alias) {
        sb_put_visible(sb, dv->alias);
        sb_printf(sb, " (%s)", device_label(dv));
    } else if (dv) {
        sb_puts(sb, device_label(dv));
        if (dv->line > 0)
            sb_printf(sb, " (line %ld)", dv->line);
    } else {
        sb_puts(sb, f->item->model ? f->item->model : f->item->element);
        if (f->item->index >= 0)
            sb_printf(sb, " index %d", f->item->index);
        sb_puts(sb, " (libvirt adds it)");
    }
}

static void put_xml(struct strbuf *sb, const struct guest_fn *f)
{
    if (f->has_xml)
        sb_printf(sb, "%02x:%02x.%x", f->xml.bus, f->xml.slot, f->xml.function);
    else
        sb_puts(sb, "none");
}

static void put_guest(struct strbuf *sb, const struct guest_fn *f)
{
    if (f->state == GUEST_SEEN)
        sb_printf(sb, "0000:%02x:%02x.%x", f->bus, f->slot, f->function);
    else
        sb_puts(sb, "not seen");
}

/* The bus a controller provides, as the guest numbers it. */
static void put_bus(struct strbuf *sb, const struct guestbus *g, const struct guest_fn *f)
{
    if (f->provides < 0)
        return;
    int n = guestbus_number(g, (unsigned)f->provides);
    sb_printf(sb, ", bus %02x", f->provides);
    if (g->firmware != FW_NOT_MODELLED && n >= 0 && g->bus[f->provides].state == GUEST_SEEN)
        sb_printf(sb, " (guest %02x)", n);
}

static const char *const titles[] = {
    [DIFF_XML_MOVED] = "XML address changed",
    [DIFF_GUEST_MOVED] = "guest address changed, XML address the same",
    [DIFF_ADDED] = "added",
    [DIFF_REMOVED] = "removed",
};

char *guest_diff_text_new(const struct guest_diff *d)
{
    struct strbuf sb = STRBUF_INIT;
    /* added and removed come in two sections each: controllers, then devices */
    for (int kind = DIFF_XML_MOVED; kind <= DIFF_REMOVED; kind++) {
        for (int ctrl = 1; ctrl >= 0; ctrl--) {
            bool split = kind == DIFF_ADDED || kind == DIFF_REMOVED;
            if (!split && !ctrl)
                continue;
            bool head = false;
            for (size_t i = 0; i < d->n; i++) {
                const struct diff_entry *e = &d->e[i];
                const struct guest_fn *f = e->new ? e->new : e->old;
                if ((int)e->kind != kind || (split && is_controller(f) != (bool)ctrl))
                    continue;
                if (!head) {
                    sb_printf(&sb, "%s%s%s:\n", sb.len ? "\n" : "",
                              split ? (ctrl ? "controllers " : "devices ") : "", titles[kind]);
                    head = true;
                }
                sb_puts(&sb, "  ");
                put_name(&sb, f);
                if (e->old && e->new) {
                    sb_puts(&sb, ": xml ");
                    put_xml(&sb, e->old);
                    if (kind == DIFF_XML_MOVED) {
                        sb_puts(&sb, " -> ");
                        put_xml(&sb, e->new);
                    }
                    if (d->numbered) {
                        sb_puts(&sb, ", guest ");
                        put_guest(&sb, e->old);
                        if (!same_guest(e->old, e->new)) {
                            sb_puts(&sb, " -> ");
                            put_guest(&sb, e->new);
                        }
                    }
                } else {
                    sb_puts(&sb, ": xml ");
                    put_xml(&sb, f);
                    if (d->numbered) {
                        sb_puts(&sb, ", guest ");
                        put_guest(&sb, f);
                    }
                    put_bus(&sb, e->new ? d->new : d->old, f);
                }
                sb_putc(&sb, '\n');
            }
        }
    }
    return sb_detach(&sb);
}
