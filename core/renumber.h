/* renumber: whether placing a topology gives devices the guest already
 * has new guest addresses, libvirt's way and the stable-guest way
 * (prefs.h), so that a preview can say "libvirt's placement renumbers 3
 * devices; with stable-guest yes nothing moves".
 *
 * Only a bridge that placement adds (or seats, for one written without
 * an address) can renumber anything: the firmware numbers bridges in the
 * order it walks them (guestbus.h), and an endpoint takes no number.  So
 * a topology whose placement seats no bridge costs one look at its plan;
 * one that does costs the other placement (kept with the topology, as
 * place_plan_shared's is) and three numberings, each linear. */
#ifndef PCITOPO_RENUMBER_H
#define PCITOPO_RENUMBER_H

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"

struct renumber {
    /* both placements were made and the firmware is one pcitopo numbers;
     * false: nothing below is known (libvirt refuses the domain, QEMU
     * could not start it, or another machine) */
    bool known;
    bool adds_bridges;      /* placement seats a bridge (libvirt's way) */
    /* devices with a PCI address in the document that the guest sees, and
     * whose guest address (or whether the guest sees them) placement
     * changes: libvirt's way, and with stable-guest */
    int libvirt_moves, stable_moves;
    /* the two placements give something placement adds or addresses a
     * different address */
    bool differs;
    /* the devices of libvirt_moves (borrowed from the topology), in
     * document order; owned array */
    const struct device **moved;
};

/* Compares libvirt's placement of t with stable-guest's, whatever t's own
 * setting.  Free with renumber_free. */
struct renumber renumber_of(const struct topology *t);
void renumber_free(struct renumber *r);

/* One line for a preview about placing t, or NULL when there is nothing
 * to say (nothing moves either way): "libvirt's placement renumbers 3
 * devices; with stable-guest yes nothing moves", or, with stable-guest
 * on, "stable-guest yes: libvirt's placement would renumber 3 devices;
 * nothing moves".  New string. */
char *renumber_note_new(const struct topology *t);

#endif
