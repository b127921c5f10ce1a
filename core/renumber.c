#include "config.h"
#include "renumber.h"

#include <stdlib.h>

#include "guestbus.h"
#include "place.h"

/* Whether plan p seats a bridge the firmware numbers: a PCI controller
 * that is not the document's at its written address, and not a root or
 * expander bus (entered at its own number, they renumber nothing). */
static bool seats_bridges(const struct plan *p, enum machine m)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct plan_item *it = &p->items[i];
        if (it->manual || !it->ctrl_type || !str_eq(it->ctrl_type, "pci") || !it->need)
            continue;
        const struct ctrl_model *cm = catalog_ctrl_model(it->model, m);
        if (catalog_walked_bridge(cm))
            return true;
    }
    return false;
}

static bool same_place(const struct guest_fn *a, const struct guest_fn *b)
{
    return a->state == b->state && a->bus == b->bus && a->slot == b->slot && a->function == b->function;
}

/* The devices the guest sees as written (in before) that plan p's
 * numbering (after) puts elsewhere; appended to *moved when not NULL. */
static int moves(const struct topology *t, const struct guestbus *before, const struct plan *p,
                 const struct device ***moved)
{
    struct guestbus *after = guestbus_placed_new(t, p);
    int n = 0;
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        if (dv->addr_state != ADDR_PCI)
            continue;
        const struct guest_fn *was = guestbus_of(before, dv), *now = guestbus_of(after, dv);
        if (!was || !now || was->state != GUEST_SEEN || same_place(was, now))
            continue;
        if (moved) {
            *moved = xrealloc(*moved, ((size_t)n + 2) * sizeof **moved);
            (*moved)[n] = dv;
            (*moved)[n + 1] = NULL;
        }
        n++;
    }
    guestbus_free(after);
    return n;
}

static bool plans_differ(const struct plan *a, const struct plan *b)
{
    if (a->n != b->n)
        return true;
    for (size_t i = 0; i < a->n; i++) {
        const struct pci_addr *x = &a->items[i].addr, *y = &b->items[i].addr;
        if (x->bus != y->bus || x->slot != y->slot || x->function != y->function)
            return true;
    }
    return false;
}

struct renumber renumber_of(const struct topology *t)
{
    struct renumber r = { 0 };
    if (t->mach->firmware != FW_SEABIOS)
        return r;
    const struct plan *lv = place_plan_variant_shared(t, false);
    if (!lv)
        return r;
    r.adds_bridges = seats_bridges(lv, t->machine);
    if (!r.adds_bridges) {
        /* the stable way seats bridges only where libvirt's does */
        r.known = true;
        return r;
    }
    const struct plan *st = place_plan_variant_shared(t, true);
    if (!st)
        return r;
    const struct guestbus *before = guestbus_shared(t);
    r.known = true;
    r.libvirt_moves = moves(t, before, lv, &r.moved);
    r.stable_moves = moves(t, before, st, NULL);
    r.differs = plans_differ(lv, st);
    return r;
}

void renumber_free(struct renumber *r)
{
    free(r->moved);
    r->moved = NULL;
}

char *renumber_note_new(const struct topology *t)
{
    struct renumber r = renumber_of(t);
    renumber_free(&r);
    if (!r.known || (!r.libvirt_moves && !r.stable_moves))
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    const char *s = r.libvirt_moves == 1 ? "" : "s";
    if (t->policy.stable_guest) {
        sb_printf(&sb, "stable-guest yes: libvirt's placement would renumber %d device%s; ", r.libvirt_moves, s);
    } else {
        sb_printf(&sb, "libvirt's placement renumbers %d device%s; with stable-guest yes ", r.libvirt_moves, s);
    }
    if (r.stable_moves)
        sb_printf(&sb, "%d still move%s (no free place after the last bridge)", r.stable_moves,
                  r.stable_moves == 1 ? "s" : "");
    else
        sb_puts(&sb, "nothing moves");
    return sb_detach(&sb);
}
