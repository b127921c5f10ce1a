#include "config.h"
#include "guestbus.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What the firmware's walk needs beside the result. */
struct walk {
    struct guestbus *g;
    const struct topology *t;
    const struct ctrl_model *model[PCI_BUSES];  /* of each bus's controller */
    int ctrl[PCI_BUSES];         /* the fn providing each bus; -1 */
    long bus_nr[PCI_BUSES];      /* an expander's busNr; -1 */
    uint8_t used[PCI_BUSES][PCI_SLOTS];   /* functions taken, the chipset's too */
    int *kids;                   /* controller fns, by the bus they sit on, then slot and function */
    size_t kid_start[PCI_BUSES + 1];
    bool settled[PCI_BUSES];     /* the bus's number or state is final */
    int counter;                 /* the last number given */
    bool exhausted;              /* a bridge needed a number past 255 */
    int holder[PCI_BUSES];       /* the bus index that has guest number n; -1 */
    int root_at[PCI_BUSES];      /* the expander whose busNr is n; -1 */
};

static struct guest_fn *add_fn(struct guestbus *g, size_t *cap)
{
    if (g->nfn == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        g->fn = xrealloc(g->fn, *cap * sizeof *g->fn);
    }
    struct guest_fn *f = &g->fn[g->nfn++];
    memset(f, 0, sizeof *f);
    f->provides = -1;
    f->bus = -1;
    f->state = GUEST_SEEN;
    return f;
}

/* A PCI controller that provides a bus other than a root: its index. */
static int provided_bus(const struct device *dv)
{
    return dv && dv->index > 0 && dv->ctrl && !dv->ctrl->is_root ? dv->index : -1;
}

/* A device of the document as written: on PCI with an address, or one
 * libvirt will give an address (it has none, or one libvirt refuses). */
static void add_written(struct walk *w, const struct device *dv, size_t *cap)
{
    struct guestbus *g = w->g;
    if (dv->addr_state == ADDR_OTHER || (dv->ctrl && dv->ctrl->is_root))
        return;
    bool on_pci = dv->kind && dv->cls != CLASS_NONE;
    if (dv->addr_state != ADDR_PCI && !on_pci)
        return;
    g->of_dev[dv - w->t->devs] = (int)g->nfn;
    struct guest_fn *f = add_fn(g, cap);
    f->dev = dv;
    f->provides = provided_bus(dv);
    if (f->provides >= 0) {
        w->model[f->provides] = dv->ctrl;
        w->bus_nr[f->provides] = dv->bus_nr;
    }
    if (dv->addr_state == ADDR_PCI) {
        f->has_xml = true;
        f->xml = dv->addr;
    } else {
        f->state = GUEST_UNPLACED;
    }
}

static void add_planned(struct walk *w, const struct plan_item *it, size_t *cap)
{
    struct guestbus *g = w->g;
    const struct ctrl_model *m = it->ctrl_type && str_eq(it->ctrl_type, "pci")
        ? catalog_ctrl_model(it->model, w->t->machine) : NULL;
    if (m && m->is_root)
        return;
    if (it->dev)
        g->of_dev[it->dev - w->t->devs] = (int)g->nfn;
    struct guest_fn *f = add_fn(g, cap);
    f->dev = it->dev;
    f->item = it;
    f->has_xml = true;
    f->xml = it->addr;
    f->placed = !it->manual;
    if (m && it->index > 0 && it->index < PCI_BUSES) {
        f->provides = it->index;
        w->model[it->index] = m;
        w->bus_nr[it->index] = it->bus_nr;
    }
}

static void add_chipset(struct walk *w, size_t *cap)
{
    for (size_t i = 0; catalog_chipset_at(i); i++) {
        const struct chipset_fn *cf = catalog_chipset_at(i);
        if (!(cf->machines & w->t->machine))
            continue;
        struct guest_fn *f = add_fn(w->g, cap);
        f->chipset = cf;
        f->has_xml = true;
        f->xml = (struct pci_addr){ 0, 0, (unsigned)cf->slot, (unsigned)cf->function, -1 };
    }
}

/* QEMU puts a pci-bridge of its own at busNr:00.0 of a pxb; the bus
 * libvirt names is that bridge's.  It is a function the guest sees. */
static void add_inner_bridges(struct walk *w, size_t *cap)
{
    size_t n = w->g->nfn;
    for (size_t i = 0; i < n; i++) {
        int b = w->g->fn[i].provides;
        if (b < 0 || !w->model[b] || w->model[b]->guest != CG_EXPANDER_BRIDGED)
            continue;
        struct guest_fn *f = add_fn(w->g, cap);
        const struct guest_fn *pxb = &w->g->fn[i];   /* after add_fn: fn may have moved */
        f->inner_bridge = true;
        f->expander = pxb->dev;
        f->expander_item = pxb->item;
        f->provides = b;
        f->state = GUEST_UNREACHED;   /* until the firmware enters its root bus */
    }
}

/* Sorting needs the fns: qsort has no context, so the keys go with the
 * indexes. */
struct kid {
    unsigned key;   /* bus, slot, function */
    int fn;
};

static int by_key(const void *pa, const void *pb)
{
    const struct kid *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->fn > b->fn) - (a->fn < b->fn);
}

static void index_controllers(struct walk *w)
{
    struct guestbus *g = w->g;
    struct kid *kids = xcalloc(g->nfn ? g->nfn : 1, sizeof *kids);
    size_t n = 0;
    for (size_t i = 0; i < g->nfn; i++) {
        const struct guest_fn *f = &g->fn[i];
        if (f->has_xml) {
            w->used[f->xml.bus][f->xml.slot] |= (uint8_t)(1u << f->xml.function);
            g->bus[f->xml.bus].exists |= f->xml.bus == 0;
        }
        if (f->provides < 0 || f->inner_bridge)
            continue;
        w->ctrl[f->provides] = (int)i;
        g->bus[f->provides].exists = true;
        if (f->has_xml) {
            g->bus[f->provides].parent = (int)f->xml.bus;
            kids[n++] = (struct kid){ f->xml.bus << 8 | f->xml.slot << 3 | f->xml.function, (int)i };
        }
    }
    g->bus[0].exists = true;
    qsort(kids, n, sizeof *kids, by_key);
    w->kids = xcalloc(n ? n : 1, sizeof *w->kids);
    size_t p = 0;
    for (unsigned b = 0; b <= PCI_BUSES; b++) {
        w->kid_start[b] = p;
        for (; p < n && kids[p].key >> 8 == b; p++)
            w->kids[p] = kids[p].fn;
    }
    free(kids);
}

/* The firmware looks at functions other than 0 only when function 0 is
 * there (SeaBIOS's pci_next, as the guest's own scan). */
static bool hidden_function(const struct walk *w, const struct pci_addr *a)
{
    return a->function > 0 && !(w->used[a->bus][a->slot] & 1u);
}

static void set_state(struct walk *w, int b, enum guest_state s, int clash_with)
{
    w->g->bus[b].state = s;
    w->g->bus[b].clash_with = clash_with;
    w->g->bus[b].cause = b;
    w->settled[b] = true;
}

/* Bus b gets number n. */
static void give(struct walk *w, int b, int n)
{
    struct guestbus *g = w->g;
    g->bus[b].number = n;
    set_state(w, b, GUEST_SEEN, -1);
    if (w->holder[n] < 0)
        w->holder[n] = b;
    if (n > g->last_number)
        g->last_number = n;
}

/* The next number for a bridge's bus.  SeaBIOS counts in a byte: past 255
 * it starts again at 0 and walks bus 0 once more, then goes on to the
 * same expander and the same bridge, and never finishes; the numbers the
 * buses have then are the first pass's, and past the bridge none. */
static bool next_number(struct walk *w, int b)
{
    if (w->exhausted || w->counter >= PCI_BUSES - 1) {
        w->exhausted = true;
        w->g->firmware_hangs = true;
        set_state(w, b, GUEST_OUT_OF_NUMBERS, -1);
        return false;
    }
    give(w, b, ++w->counter);
    return true;
}

/* The bus b sits under among bus 0's children: a bridge on bus 0, or an
 * expander's root.  QEMU looks a bus number up from bus 0 through them. */
static int top_bus(const struct guestbus *g, int b)
{
    for (int depth = 0; depth < PCI_BUSES && g->bus[b].parent > 0; depth++)
        b = g->bus[b].parent;
    return b;
}

static void walk_bus(struct walk *w, int b);
static void enter_root(struct walk *w, int e, int n);

/* After bridge b got its number n: its bus is walked, unless n is also
 * the busNr of an expander not entered yet.  Then QEMU routes n to
 * whichever of the two it made last (its buses hang off bus 0 newest
 * first), and libvirt makes PCI controllers in index order: a later
 * expander's root bus is what the firmware walks as b's bus, numbering
 * the expander's buses there, and b's own devices are out of reach; an
 * earlier one is never entered (enter_expanders). */
static void walk_bridge(struct walk *w, int b)
{
    int n = w->g->bus[b].number;
    int e = w->root_at[n];
    if (e < 0 || e == b || w->settled[e] || e < top_bus(w->g, b)) {
        walk_bus(w, b);
        return;
    }
    set_state(w, b, GUEST_NUMBER_CLASH, e);
    enter_root(w, e, n);
}

/* Walks the bus with index b as SeaBIOS's pci_bios_init_bus_rec does: in
 * slot and function order, each bridge gets the next number and its bus
 * is walked before its next sibling. */
static void walk_bus(struct walk *w, int b)
{
    for (size_t k = w->kid_start[b]; k < w->kid_start[b + 1]; k++) {
        const struct guest_fn *c = &w->g->fn[w->kids[k]];
        int child = c->provides;
        const struct ctrl_model *m = w->model[child];
        /* an expander is a host bridge on bus 0: entered from its busNr */
        if (!catalog_walked_bridge(m) || w->settled[child])
            continue;
        if (hidden_function(w, &c->xml)) {
            set_state(w, child, GUEST_BEHIND_HIDDEN, -1);
            continue;
        }
        if (next_number(w, child))
            walk_bridge(w, child);
    }
}

/* The firmware walks expander e's root bus as bus n: a pxb-pcie's root
 * ports sit there; a pxb has QEMU's bridge at n:00.0, whose bus is the
 * one libvirt names. */
static void enter_root(struct walk *w, int e, int n)
{
    struct guestbus *g = w->g;
    if (w->model[e]->guest == CG_EXPANDER) {
        give(w, e, n);
        walk_bus(w, e);
        return;
    }
    set_state(w, e, GUEST_SEEN, -1);   /* entered: the bridge's number follows */
    for (size_t k = 0; k < g->nfn; k++)
        if (g->fn[k].inner_bridge && g->fn[k].provides == e) {
            g->fn[k].state = GUEST_SEEN;
            g->fn[k].bus = n;
        }
    if (next_number(w, e))
        walk_bridge(w, e);
}

static bool is_expander(const struct ctrl_model *m)
{
    return m && (m->guest == CG_EXPANDER || m->guest == CG_EXPANDER_BRIDGED);
}

/* The numbers QEMU gives the expanders' root buses, known before the
 * walk: a bridge the walk gives one of them meets that root. */
static void note_expander_roots(struct walk *w)
{
    for (int b = 1; b < PCI_BUSES; b++) {
        long nr = w->bus_nr[b];
        if (!is_expander(w->model[b]))
            continue;
        if (nr >= 1 && nr < PCI_BUSES) {
            if (w->root_at[nr] < 0)
                w->root_at[nr] = b;
            w->g->bus[b].root_number = (int)nr;
        } else {
            set_state(w, b, GUEST_NO_BUSNR, -1);
        }
    }
}

/* After bus 0, SeaBIOS tries every number above the last it gave
 * (QEMU's etc/extra-pci-roots); a number that is an expander's busNr is
 * that expander's root bus, and counting goes on from there.  An
 * expander whose busNr was given already is never entered (unless the
 * walk went into it then, walk_bridge). */
static void enter_expanders(struct walk *w)
{
    struct guestbus *g = w->g;
    struct kid *roots = xcalloc(PCI_BUSES, sizeof *roots);
    size_t n = 0;
    for (int b = 1; b < PCI_BUSES; b++)
        if (is_expander(w->model[b]) && g->bus[b].root_number >= 0)
            roots[n++] = (struct kid){ (unsigned)g->bus[b].root_number, b };
    qsort(roots, n, sizeof *roots, by_key);
    for (size_t i = 0; i < n; i++) {
        int b = roots[i].fn, nr = (int)roots[i].key;
        const struct guest_fn *pxb = w->ctrl[b] >= 0 ? &g->fn[w->ctrl[b]] : NULL;
        if (!pxb || !pxb->has_xml || pxb->xml.bus != 0 || w->settled[b])
            continue;   /* entered already, or what keeps it from the guest is its controller's */
        if (hidden_function(w, &pxb->xml)) {
            set_state(w, b, GUEST_BEHIND_HIDDEN, -1);
            continue;
        }
        if (w->exhausted) {
            set_state(w, b, GUEST_OUT_OF_NUMBERS, -1);
            continue;
        }
        if (nr <= w->counter) {
            set_state(w, b, GUEST_NUMBER_CLASH, w->holder[nr]);
            continue;
        }
        w->counter = nr;
        enter_root(w, b, nr);
    }
    free(roots);
}

/* A bus the walk did not number: why, from its controller and the bus
 * that controller sits on.  depth bounds a loop of controllers. */
static void settle(struct walk *w, int b, int depth)
{
    struct guestbus *g = w->g;
    if (w->settled[b])
        return;
    const struct guest_fn *c = w->ctrl[b] >= 0 ? &g->fn[w->ctrl[b]] : NULL;
    if (!c || depth > PCI_BUSES) {
        set_state(w, b, GUEST_UNREACHED, -1);
        return;
    }
    if (!c->has_xml) {
        set_state(w, b, GUEST_UNPLACED, -1);
        return;
    }
    int parent = (int)c->xml.bus;
    if (!g->bus[parent].exists) {
        set_state(w, b, GUEST_NO_CONTROLLER, -1);
        return;
    }
    /* settled before its parent is asked: a loop of controllers ends
     * here, unreached */
    set_state(w, b, GUEST_UNREACHED, -1);
    settle(w, parent, depth + 1);
    /* behind a bus the guest cannot use, it shares why; a bus whose
     * parent is fine but that got no number itself stays unreached (an
     * expander off bus 0, which libvirt refuses) */
    if (g->bus[parent].number < 0 || g->bus[parent].state != GUEST_SEEN) {
        set_state(w, b, g->bus[parent].state, g->bus[parent].clash_with);
        g->bus[b].cause = g->bus[parent].cause;
    }
}

/* Each function's guest address, from its bus's number. */
static void address_functions(struct walk *w)
{
    struct guestbus *g = w->g;
    for (size_t i = 0; i < g->nfn; i++) {
        struct guest_fn *f = &g->fn[i];
        if (f->inner_bridge) {
            if (f->state != GUEST_SEEN) {
                f->state = g->bus[f->provides].state;
                f->bus = -1;
            }
            continue;
        }
        if (!f->has_xml)
            continue;
        f->slot = f->xml.slot;
        f->function = f->xml.function;
        const struct guest_bus *b = &g->bus[f->xml.bus];
        if (!b->exists) {
            f->state = GUEST_NO_CONTROLLER;
            continue;
        }
        f->bus = b->number;
        f->state = b->state;
        if (b->number >= 0 && hidden_function(w, &f->xml))
            f->state = GUEST_HIDDEN_FUNCTION;
    }
}

static struct guestbus *number(const struct topology *t, const struct plan *p)
{
    struct guestbus *g = xcalloc(1, sizeof *g);
    struct walk *w = xcalloc(1, sizeof *w);
    w->g = g;
    w->t = t;
    g->firmware = t->mach->firmware;
    g->placed = p != NULL;
    g->t = t;
    g->devs = t->devs;
    g->ndev = t->ndevs;
    g->of_dev = xcalloc(t->ndevs ? t->ndevs : 1, sizeof *g->of_dev);
    for (size_t i = 0; i < t->ndevs; i++)
        g->of_dev[i] = -1;
    for (int b = 0; b < PCI_BUSES; b++) {
        w->ctrl[b] = w->holder[b] = w->root_at[b] = -1;
        w->bus_nr[b] = -1;
        g->bus[b] = (struct guest_bus){ false, -1, GUEST_UNREACHED, -1, b, -1, -1, false, false };
    }
    size_t cap = 0;
    if (p) {
        for (size_t i = 0; i < p->n; i++)
            add_planned(w, &p->items[i], &cap);
        /* what placement leaves alone: a device not on PCI that has a
         * PCI address all the same */
        for (size_t i = 0; i < t->ndevs; i++)
            if (g->of_dev[i] < 0)
                add_written(w, &t->devs[i], &cap);
    } else {
        for (size_t i = 0; i < t->ndevs; i++)
            add_written(w, &t->devs[i], &cap);
    }
    add_chipset(w, &cap);
    add_inner_bridges(w, &cap);
    index_controllers(w);
    for (int b = 0; b < PCI_BUSES; b++) {
        const struct ctrl_model *m = w->model[b];
        g->bus[b].pcie_link = m && m->guest == CG_PCIE_PORT;
        g->bus[b].expander_root = m && m->guest == CG_EXPANDER;
    }
    if (g->firmware == FW_NOT_MODELLED) {
        for (size_t i = 0; i < g->nfn; i++)
            if (g->fn[i].state == GUEST_SEEN)
                g->fn[i].state = GUEST_NOT_MODELLED;
        for (int b = 0; b < PCI_BUSES; b++)
            g->bus[b].state = GUEST_NOT_MODELLED;
    } else {
        note_expander_roots(w);
        give(w, 0, 0);
        walk_bus(w, 0);
        enter_expanders(w);
        for (int b = 1; b < PCI_BUSES; b++)
            if (g->bus[b].exists)
                settle(w, b, 0);
        address_functions(w);
    }
    free(w->kids);
    free(w);
    return g;
}

struct guestbus *guestbus_new(const struct topology *t)
{
    return number(t, NULL);
}

struct guestbus *guestbus_placed_new(const struct topology *t, const struct plan *p)
{
    return number(t, p);
}

void guestbus_free(struct guestbus *g)
{
    if (!g)
        return;
    free(g->fn);
    free(g->of_dev);
    free(g);
}

const struct guest_fn *guestbus_of(const struct guestbus *g, const struct device *dv)
{
    /* a device of another topology (a preview's copy) is none of ours */
    uintptr_t first = (uintptr_t)g->devs, at = (uintptr_t)dv;
    if (!dv || at < first || at >= first + g->ndev * sizeof *dv)
        return NULL;
    int i = g->of_dev[(at - first) / sizeof *dv];
    return i >= 0 ? &g->fn[i] : NULL;
}

int guestbus_number(const struct guestbus *g, unsigned b)
{
    return b < PCI_BUSES ? g->bus[b].number : -1;
}

const char *guest_state_name(enum guest_state s)
{
    static const char *const names[] = {
        [GUEST_SEEN] = "seen",
        [GUEST_UNPLACED] = "unplaced",
        [GUEST_NO_CONTROLLER] = "no_controller",
        [GUEST_NO_BUSNR] = "no_busnr",
        [GUEST_UNREACHED] = "unreached",
        [GUEST_HIDDEN_FUNCTION] = "hidden_function",
        [GUEST_BEHIND_HIDDEN] = "behind_hidden_function",
        [GUEST_OUT_OF_NUMBERS] = "out_of_numbers",
        [GUEST_NUMBER_CLASH] = "number_clash",
        [GUEST_NOT_MODELLED] = "not_modelled",
    };
    return (size_t)s < ARRAY_LEN(names) ? names[s] : "?";
}

/* The expander bus b is behind (b itself too), or -1. */
static int expander_above(const struct guestbus *g, int b)
{
    for (int depth = 0; b >= 0 && depth < PCI_BUSES; depth++, b = g->bus[b].parent)
        if (g->bus[b].root_number >= 0)
            return b;
    return -1;
}

/* Why bus b (the cause of a function's state) has no number the guest
 * can use. */
static void put_bus_why(struct strbuf *sb, const struct guestbus *g, int b)
{
    const struct guest_bus *gb = &g->bus[b];
    int x = expander_above(g, b);
    switch (gb->state) {
    case GUEST_UNPLACED:
        sb_printf(sb, "the controller of bus %02x has no address yet: libvirt gives it one at define", b);
        break;
    case GUEST_NO_CONTROLLER:
        sb_printf(sb, "bus %02x's controller sits on a bus no controller provides", b);
        break;
    case GUEST_NO_BUSNR:
        sb_printf(sb, "expander bus %02x has no busNr yet: libvirt chooses it at define", b);
        break;
    case GUEST_BEHIND_HIDDEN:
        sb_printf(sb, "the controller of bus %02x is a function of a slot whose function 0 is "
                  "empty, so the firmware never finds it", b);
        break;
    case GUEST_OUT_OF_NUMBERS:
        if (x >= 0 && g->bus[x].root_number >= 0)
            sb_printf(sb, "bus %02x gets no number: expander bus %02x starts at busNr %d, and the "
                      "firmware's numbers end at 255 before this bus", b, x, g->bus[x].root_number);
        else
            sb_printf(sb, "bus %02x gets no number: the firmware's numbers end at 255 before this bus", b);
        sb_puts(sb, " (SeaBIOS then starts over and never finishes: the guest does not boot)");
        break;
    case GUEST_NUMBER_CLASH:
        if (gb->number < 0 && gb->root_number >= 0 && gb->clash_with >= 0)
            sb_printf(sb, "expander bus %02x's busNr %d was given to bus %02x before the firmware "
                      "came to it, and QEMU routes %d to that bus: the firmware never enters the "
                      "expander", b, gb->root_number, gb->clash_with, gb->root_number);
        else if (gb->number < 0 && gb->root_number >= 0)
            sb_printf(sb, "expander bus %02x's busNr %d is below the numbers the firmware gave "
                      "before it, so the firmware never enters it", b, gb->root_number);
        else
            sb_printf(sb, "bus %02x gets number %d, the busNr of expander bus %02x, and QEMU routes "
                      "%d to the expander's root bus: the guest finds the expander's devices there "
                      "instead of this bus's", b, gb->number, gb->clash_with, gb->number);
        break;
    case GUEST_UNREACHED:
    default:
        sb_printf(sb, "the firmware never reaches bus %02x (its controllers form a loop)", b);
        break;
    }
}

char *guest_fn_why_new(const struct guestbus *g, const struct guest_fn *f)
{
    if (f->state == GUEST_SEEN)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    if (f->state == GUEST_NOT_MODELLED) {
        sb_puts(&sb, "pcitopo does not number this machine's buses as its firmware does yet");
    } else if (f->state == GUEST_UNPLACED && !f->has_xml) {
        sb_puts(&sb, "it has no PCI address yet: libvirt gives it one at define");
    } else if (f->state == GUEST_NO_CONTROLLER) {
        sb_printf(&sb, "no controller provides bus %02x", f->xml.bus);
    } else if (f->state == GUEST_HIDDEN_FUNCTION) {
        sb_printf(&sb, "function 0 of its slot %02x:%02x is empty, so the firmware and the guest "
                  "look no further in that slot", f->xml.bus, f->xml.slot);
    } else {
        int b = f->inner_bridge ? f->provides : (int)f->xml.bus;
        put_bus_why(&sb, g, g->bus[b].cause);
    }
    return sb_detach(&sb);
}

char *guest_bus_why_new(const struct guestbus *g, unsigned b)
{
    if (b >= PCI_BUSES || g->bus[b].state == GUEST_SEEN)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    if (g->bus[b].state == GUEST_NOT_MODELLED)
        sb_puts(&sb, "pcitopo does not number this machine's buses as its firmware does yet");
    else
        put_bus_why(&sb, g, g->bus[b].cause);
    return sb_detach(&sb);
}

static void *guestbus_new_cb(const struct topology *t)
{
    return guestbus_new(t);
}

static void guestbus_free_cb(void *g)
{
    guestbus_free(g);
}

const struct guestbus *guestbus_shared(const struct topology *t)
{
    return topology_memo(t, MEMO_GUESTBUS, guestbus_new_cb, guestbus_free_cb);
}
