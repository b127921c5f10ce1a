/* guestdiff: what changes between two documents of one domain, for the
 * guest — `pcitopo diff OLD NEW`.
 *
 * Devices are matched by alias, else by what names them in libvirt (a
 * controller's type and index, a NIC's MAC, a disk's target, a host
 * device's host address), else by kind and order.  Each document is
 * taken as it will run (lspci_guestbus_new: devices without an address
 * where placement puts them).  What matters to the guest is the
 * address its firmware and lspci give a device: a NIC's name and a disk's
 * path follow it, so a device whose guest address moves although its XML
 * address did not is the change people miss. */
#ifndef PCITOPO_GUESTDIFF_H
#define PCITOPO_GUESTDIFF_H

#include <stdbool.h>

#include "guestbus.h"
#include "topology.h"
#include "util.h"

enum diff_kind {
    DIFF_XML_MOVED,      /* its XML address changed (its guest address too, usually) */
    DIFF_GUEST_MOVED,    /* same XML address, another guest address */
    DIFF_ADDED,          /* only in NEW */
    DIFF_REMOVED,        /* only in OLD */
};

struct diff_entry {
    enum diff_kind kind;
    const struct guest_fn *old, *new;   /* borrowed; NULL where it is not */
};

struct guest_diff {
    struct guestbus *old, *new;   /* owned */
    struct diff_entry *e;         /* owned, by kind, then in NEW's (or OLD's) order */
    size_t n;
    int moved;                    /* devices in both whose guest address differs */
    bool numbered;                /* both machines' buses are numbered */
};

/* The differences between old and new (topologies of documents of one
 * domain).  New; free with guest_diff_free. */
struct guest_diff *guest_diff_new(const struct topology *old, const struct topology *new);
void guest_diff_free(struct guest_diff *d);
/* The differences in sections, one line per device; "" when none. */
char *guest_diff_text_new(const struct guest_diff *d);

#endif
