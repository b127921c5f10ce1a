/* spare: how many more devices a running guest could take by hot-plug,
 * without new controllers — what `spare` and the editor's status line
 * report.
 *
 * A hot-plugged device needs a whole free slot on a bus that takes
 * hot-plugged devices and that libvirt would choose for it: an empty
 * pcie-root-port or switch downstream port for a PCI Express device (virtio
 * on q35 and virt), a free slot of a pci-bridge, pcie-to-pci-bridge, a
 * pseries PHB or (on pc, with ACPI) pci-root for a conventional PCI
 * device. */
#ifndef PCITOPO_SPARE_H
#define PCITOPO_SPARE_H

#include "place.h"
#include "topology.h"

struct spare {
    int pcie;   /* slots that take a hot-plugged PCI Express device */
    int pci;    /* slots that take a hot-plugged conventional PCI device */
};

/* The spare slots of the domain as libvirt would run it: after placement p
 * (the controllers and devices it adds count).  p may be NULL: then the
 * buses and devices of the document as written. */
struct spare spare_count(const struct topology *t, const struct plan *p);
/* spare_count after placing t as libvirt would.  When libvirt would refuse
 * the placement, the count is of the document as written and why says
 * what libvirt objects to. */
struct spare spare_placed(const struct topology *t, struct err *why);

#endif
