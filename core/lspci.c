#include "config.h"
#include "lspci.h"

#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "xmlutil.h"

/* Whether the plan adds or addresses anything, or gives an expander the
 * busNr the document leaves to libvirt: then the guest runs what
 * placement makes of the document, not the document. */
static bool plan_changes(const struct plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct plan_item *it = &p->items[i];
        if (!it->manual || (it->dev && it->dev->bus_nr < 0 && it->bus_nr >= 0))
            return true;
    }
    return false;
}

/* libvirt boots OVMF for <os firmware='efi'> or a <loader>. */
static bool boots_uefi(const struct topology *t)
{
    xmlNodePtr os = xml_child(t->root, "os");
    const char *fw = xml_attr(os, "firmware");
    return (fw && str_eq(fw, "efi")) || xml_child(os, "loader") != NULL;
}

static char *name_new(const struct lspci_row *r)
{
    struct strbuf sb = STRBUF_INIT;
    const struct guest_fn *f = r->fn;
    struct host_addr h;
    if (r->known)
        pciid_put_lspci(&sb, &r->ids);
    else if (f->dev && r->qemu && str_eq(r->qemu, "vfio-pci") && device_host_addr(f->dev, &h))
        sb_printf(&sb, "passthrough of host %04x:%02x:%02x.%x (its class and name are the host card's)",
                  h.domain, h.bus, h.slot, h.function);
    else if (r->qemu && str_eq(r->qemu, "vfio-pci"))
        sb_puts(&sb, "passthrough of a host device (its class and name are the host card's)");
    else if (r->qemu)
        sb_printf(&sb, "QEMU's %s (pcitopo does not know its IDs)", r->qemu);
    else
        sb_printf(&sb, "%s (pcitopo does not know what QEMU makes of it)",
                  f->dev ? device_label(f->dev) : f->item ? f->item->element : "a function");
    return visible_new(sb_detach(&sb));
}

/* lspci's order: bus, slot, function; the others after, as the document
 * has them. */
static int by_guest_address(const void *pa, const void *pb)
{
    const struct lspci_row *a = pa, *b = pb;
    bool sa = a->fn->state == GUEST_SEEN, sb = b->fn->state == GUEST_SEEN;
    if (sa != sb)
        return sa ? -1 : 1;
    if (sa) {
        unsigned ka = (unsigned)a->fn->bus << 8 | a->fn->slot << 3 | a->fn->function;
        unsigned kb = (unsigned)b->fn->bus << 8 | b->fn->slot << 3 | b->fn->function;
        if (ka != kb)
            return ka < kb ? -1 : 1;
    }
    return (a->fn > b->fn) - (a->fn < b->fn);
}

struct guestbus *lspci_guestbus_new(const struct topology *t, char **refusal)
{
    struct err why ERR_SCOPE = ERR_INIT;
    const struct plan *p = t->placed_whole ? NULL : place_plan_shared(t, &why, NULL);
    if (refusal)
        *refusal = NULL;
    if (p && plan_changes(p))
        return guestbus_placed_new(t, p);
    struct guestbus *g = guestbus_new(t);
    for (size_t i = 0; refusal && why.set && i < g->nfn; i++)
        if (g->fn[i].state == GUEST_UNPLACED || g->fn[i].state == GUEST_NO_CONTROLLER) {
            *refusal = xstrdup(why.msg);
            break;
        }
    return g;
}

static void *guestbus_run_new(const struct topology *t)
{
    return lspci_guestbus_new(t, NULL);
}

static void guestbus_free_cb(void *g)
{
    guestbus_free(g);
}

const struct guestbus *lspci_guestbus_shared(const struct topology *t)
{
    return topology_memo(t, MEMO_GUESTBUS_RUN, guestbus_run_new, guestbus_free_cb);
}

struct lspci *lspci_new(const struct topology *t, struct err *e)
{
    if (t->mach->firmware == FW_NOT_MODELLED) {
        err_set(e, "lspci: pcitopo numbers the buses of pc and q35 guests (SeaBIOS) so far, not of %s",
                t->mach->title);
        return NULL;
    }
    struct lspci *l = xcalloc(1, sizeof *l);
    l->g = lspci_guestbus_new(t, &l->refusal);
    l->uefi = boots_uefi(t);
    l->rows = xcalloc(l->g->nfn ? l->g->nfn : 1, sizeof *l->rows);
    for (size_t i = 0; i < l->g->nfn; i++) {
        struct lspci_row *r = &l->rows[l->n++];
        r->fn = &l->g->fn[i];
        r->qemu = pciid_qemu_device(l->g, r->fn);
        r->known = pciid_of(l->g, r->fn, &r->ids);
        r->name = name_new(r);
        r->why = guest_fn_why_new(l->g, r->fn);
        l->nseen += r->fn->state == GUEST_SEEN;
    }
    qsort(l->rows, l->n, sizeof *l->rows, by_guest_address);
    return l;
}

void lspci_free(struct lspci *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->rows[i].name);
        free(l->rows[i].why);
    }
    free(l->rows);
    free(l->refusal);
    guestbus_free(l->g);
    free(l);
}

static void put_xml(struct strbuf *sb, const struct pci_addr *a)
{
    sb_printf(sb, "%02x:%02x.%x", a->bus, a->slot, a->function);
}

void lspci_put_origin(struct strbuf *sb, const struct lspci_row *r)
{
    const struct guest_fn *f = r->fn;
    const struct device *named = f->inner_bridge ? f->expander : f->dev;
    if (named && named->alias) {
        sb_puts(sb, "[");
        sb_put_visible(sb, named->alias);
        sb_puts(sb, "] ");
    }
    if (f->chipset) {
        sb_puts(sb, "(chipset)");
    } else if (f->inner_bridge) {
        sb_puts(sb, "(QEMU's bridge inside the pci-expander-bus");
        if (f->expander && f->expander->addr_state == ADDR_PCI) {
            sb_puts(sb, " at xml ");
            put_xml(sb, &f->expander->addr);
        } else if (f->expander_item) {
            sb_puts(sb, " at xml ");
            put_xml(sb, &f->expander_item->addr);
        }
        sb_printf(sb, "; its slots are bus %02x)", f->provides);
    } else if (!f->has_xml) {
        sb_puts(sb, "(no address yet)");
    } else if (!f->dev) {
        sb_puts(sb, "(libvirt adds it at define: xml ");
        put_xml(sb, &f->xml);
        sb_puts(sb, ")");
    } else {
        sb_puts(sb, "(xml ");
        put_xml(sb, &f->xml);
        sb_puts(sb, f->placed ? " once placed)" : ")");
    }
}

void lspci_put_line(struct strbuf *sb, const struct lspci_row *r)
{
    if (r->fn->state == GUEST_SEEN)
        sb_printf(sb, "0000:%02x:%02x.%x ", r->fn->bus, r->fn->slot, r->fn->function);
    sb_puts(sb, r->name);
    sb_putc(sb, ' ');
    lspci_put_origin(sb, r);
    if (r->why) {
        sb_puts(sb, ": ");
        sb_puts(sb, r->why);
    }
}

char *lspci_text_new(const struct lspci *l)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < l->n; i++) {
        if (i == l->nseen)
            sb_puts(&sb, i ? "\nnot seen by the guest:\n" : "not seen by the guest:\n");
        if (i >= l->nseen)
            sb_puts(&sb, "  ");
        lspci_put_line(&sb, &l->rows[i]);
        sb_putc(&sb, '\n');
    }
    return sb_detach(&sb);
}
