/* pciid: what each PCI function looks like to the guest — the QEMU
 * device libvirt 9.0 makes of it on x86, its vendor, device and class
 * IDs as QEMU 7.2 gives them, and the names lspci prints for those (from
 * pci.ids 2023.04.10, Debian 12's).
 *
 * One table per fact: libvirt's device to QEMU's, QEMU's device to its
 * IDs, the chipset's functions, and the names of vendors, devices and
 * classes.  tests/test_guestbus checks the IDs against booted guests and
 * the names against the system's pci.ids. */
#ifndef PCITOPO_PCIID_H
#define PCITOPO_PCIID_H

#include <stdbool.h>

#include "guestbus.h"
#include "util.h"

struct pci_ids {
    unsigned vendor, device;
    unsigned class_code;   /* base class and subclass: 0x0200 */
};

/* The QEMU device (its -device name) that f is in the guest: for a PCI
 * controller its <model name=''>, else what libvirt makes of the
 * element and its model.  "vfio-pci" for a host device; NULL when
 * pcitopo cannot tell.  Static or borrowed from the document. */
const char *pciid_qemu_device(const struct guestbus *g, const struct guest_fn *f);
/* f's IDs as the guest reads them.  A virtio device that QEMU gives both
 * interfaces shows its legacy IDs except on a PCI Express port, where
 * QEMU turns the legacy interface off.  False when pcitopo does not know
 * them: a host device (they are the host card's) or a QEMU device
 * missing from the table. */
bool pciid_of(const struct guestbus *g, const struct guest_fn *f, struct pci_ids *out);
/* What lspci prints after the address: "Ethernet controller: Red Hat,
 * Inc. Virtio 1.0 network device" (a name pci.ids lacks as lspci writes
 * it: "Device 000e", "Device 1234:1111", "Unclassified device [00ff]"). */
void pciid_put_lspci(struct strbuf *sb, const struct pci_ids *id);
/* The names of id as lspci prints them; static or NULL when pci.ids has
 * none. */
const char *pciid_vendor_name(unsigned vendor);
const char *pciid_device_name(unsigned vendor, unsigned device);
const char *pciid_class_name(unsigned class_code);

/* Iterate the chipset's functions (tests): false past the end. */
bool pciid_chipset_at(size_t i, unsigned *machines, struct pci_ids *ids);
/* Iterate the table of QEMU devices (tests): false past the end. */
bool pciid_qemu_at(size_t i, const char **qemu, struct pci_ids *legacy, unsigned *modern);

#endif
