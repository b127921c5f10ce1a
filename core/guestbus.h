/* guestbus: the bus numbers the guest's firmware gives, and the address
 * each PCI function has in the guest (its lspci), derived from a topology
 * as the topology is derived from the document.
 *
 * libvirt's bus='' is a controller's index; the guest sees the number its
 * firmware writes into each bridge.  SeaBIOS (pc, q35) walks bus 0 in
 * slot and function order, gives each PCI-PCI bridge it meets the next
 * number and walks the bridge's bus before the bridge's next sibling;
 * then it enters each expander bus at the busNr QEMU gave it and goes on
 * counting from there.  The walk is linear in the functions: it runs
 * after every change, as the topology does (doc/guest.md says what each
 * rule rests on). */
#ifndef PCITOPO_GUESTBUS_H
#define PCITOPO_GUESTBUS_H

#include <stdbool.h>

#include "place.h"
#include "topology.h"
#include "util.h"

/* Where the guest finds a function, or why it does not. */
enum guest_state {
    GUEST_SEEN,             /* at its guest address */
    GUEST_UNPLACED,         /* no PCI address yet: libvirt gives one at define */
    GUEST_NO_CONTROLLER,    /* on a bus index no controller provides */
    GUEST_NO_BUSNR,         /* behind an expander bus without a busNr yet */
    GUEST_UNREACHED,        /* behind a controller the firmware never reaches (a loop) */
    GUEST_HIDDEN_FUNCTION,  /* a function of a slot whose function 0 is empty: the
                             * firmware and the guest look no further in that slot */
    GUEST_BEHIND_HIDDEN,    /* behind a bridge in such a function */
    GUEST_OUT_OF_NUMBERS,   /* its bus would need a number past 255 */
    GUEST_NUMBER_CLASH,     /* its bus's number is an expander bus's busNr too */
    GUEST_NOT_MODELLED,     /* pcitopo does not number this machine's buses yet */
};

/* One bus of the domain, by controller index. */
struct guest_bus {
    bool exists;            /* a controller (or the root) provides it */
    /* the number the guest sees; -1 when it gets none.  A bus in a
     * clash has its number, and state says the guest may not reach it */
    int number;
    enum guest_state state; /* GUEST_SEEN, or why the guest does not see it */
    int parent;             /* index of the bus its controller sits on; -1 */
    /* where the state comes from: b itself, or the bus above it whose
     * state it shares (its controller sits behind that one) */
    int cause;
    /* GUEST_NUMBER_CLASH: the index of the other bus with that number */
    int clash_with;
    /* an expander's root bus, numbered busNr by QEMU; -1 for others */
    int root_number;
    bool pcie_link;         /* a PCIe port's bus: virtio devices there are modern only */
    bool expander_root;     /* a pxb-pcie's bus: the root bus numbered busNr itself */
};

/* One PCI function of the domain as the guest meets it. */
struct guest_fn {
    /* the device of the document; NULL for the chipset's functions, for
     * what placement adds, and for QEMU's bridge inside a pxb (then
     * expander is its pci-expander-bus) */
    const struct device *dev;
    const struct plan_item *item;      /* placement's item when placed; else NULL */
    const struct chipset_fn *chipset;  /* a function the machine always has */
    const struct device *expander;     /* inner_bridge: its expander bus */
    const struct plan_item *expander_item;
    bool inner_bridge;      /* QEMU's pci-bridge at busNr:00.0 inside a pxb */
    bool placed;            /* xml is placement's: the document has no address */
    bool has_xml;           /* xml holds an address */
    struct pci_addr xml;    /* what libvirt writes (or will) */
    int provides;           /* the bus index a controller provides; -1 */
    enum guest_state state;
    int bus;                /* the guest's bus number; -1 when it has none */
    unsigned slot, function;
};

struct guestbus {
    enum guest_firmware firmware;   /* the machine's row */
    bool placed;            /* devices without an address are where placement puts them */
    struct guest_bus bus[PCI_BUSES];
    struct guest_fn *fn;    /* owned: every function, in the document's order, then
                             * what placement adds, the chipset's, the pxbs' bridges */
    size_t nfn;
    const struct topology *t;    /* the topology it numbers; borrowed */
    const struct device *devs;   /* its devices, borrowed */
    int *of_dev;            /* owned: by topology device, its fn; -1 */
    size_t ndev;
    int last_number;        /* the highest number the firmware gave */
    /* a bridge needed a number past 255: SeaBIOS's byte wraps to 0, it
     * walks bus 0 again and comes back to the same bridge, for ever — the
     * guest never boots (the booted cases stay in the firmware) */
    bool firmware_hangs;
};

/* Numbers the buses of t as written: devices without an address have
 * none.  Returns a new guestbus (free with guestbus_free). */
struct guestbus *guestbus_new(const struct topology *t);
/* The same for t placed by p (NULL: as written): the controllers and
 * devices placement adds count, and the devices without an address are
 * where it puts them. */
struct guestbus *guestbus_placed_new(const struct topology *t, const struct plan *p);
/* guestbus_new(t), made once per topology and freed with it: the tree
 * and the details pane number the same topology on every frame. */
const struct guestbus *guestbus_shared(const struct topology *t);
void guestbus_free(struct guestbus *g);

/* The function of a device of the topology, or NULL (a device not on
 * PCI). */
const struct guest_fn *guestbus_of(const struct guestbus *g, const struct device *dv);
/* The guest's number of bus index b; -1 when it has none. */
int guestbus_number(const struct guestbus *g, unsigned b);

/* Why f is not where the guest sees it, in a sentence without a final
 * period ("bus 0a gets no number: ..."), or NULL when it is seen.  New
 * string. */
char *guest_fn_why_new(const struct guestbus *g, const struct guest_fn *f);
/* Why bus index b has no number the guest can use, in a sentence
 * without a final period; NULL when it has one.  New string. */
char *guest_bus_why_new(const struct guestbus *g, unsigned b);
/* A short name of a state, for JSON ("seen", "out_of_numbers", ...). */
const char *guest_state_name(enum guest_state s);

#endif
