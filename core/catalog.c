#include "config.h"
#include "catalog.h"
#include "util.h"
#include "xmlutil.h"

#include <stdio.h>
#include <string.h>

#define PCI_ENDPOINTS (CONN_PCI_DEV | CONN_PCIE_DEV)

/* placement-rules.md §2.1 (what each bus takes), §2.2 (where each
 * controller plugs in), §2.3 (target defaults).  Column order follows
 * struct ctrl_model. */
static const struct ctrl_model ctrl_models[] = {
    { "pci-root", "pci-root", MACH_PC, true, 0,
      1, 31, true, true, true, false,
      CONN_PCI_DEV | CONN_PCI_BRIDGE | CONN_PXB, CONN_PCIE_DEV,
      TGT_HOTPLUG, TDEF_NONE, TDEF_NONE, TDEF_NONE,
      "the legacy PCI root bus of a pc machine; slot hot-plug needs ACPI", false, false, CG_ROOT },
    /* a PHB: each is a root bus of its own, index 0 implicit, more added
     * when one is full (doc/machines.md) */
    { "pci-root", "spapr-pci-host-bridge", MACH_PSERIES, true, 0,
      1, 31, true, true, false, false,
      CONN_PCI_DEV | CONN_PCI_BRIDGE, CONN_PCIE_DEV,
      TGT_INDEX | TGT_NODE | TGT_HOTPLUG, TDEF_NONE, TDEF_NONE, TDEF_NONE,
      "a PCI host bridge (PHB) of pseries: 31 hot-pluggable legacy PCI slots", false, true, CG_ROOT },
    { "pcie-root", "pcie-root", MACH_Q35, true, 0,
      1, 31, false, false, false, false,
      CONN_ROOT_PORT | CONN_DMI_BRIDGE | CONN_PXB_PCIE,
      PCI_ENDPOINTS | CONN_PCI_BRIDGE,
      0, TDEF_NONE, TDEF_NONE, TDEF_NONE,
      "the PCI Express root complex of q35; its slots never hot-plug", false, false, CG_ROOT },
    { "pcie-root", "pcie-root", MACH_VIRT, true, 0,
      1, 31, false, false, false, false,
      CONN_ROOT_PORT | CONN_DMI_BRIDGE | CONN_PXB_PCIE,
      PCI_ENDPOINTS | CONN_PCI_BRIDGE,
      0, TDEF_NONE, TDEF_NONE, TDEF_NONE,
      "the PCI Express root complex (gpex) of the virt machine; its slots never hot-plug", false, false, CG_ROOT },
    { "pcie-root-port", "pcie-root-port", MACH_ANY, false, CONN_ROOT_PORT,
      0, 0, true, true, false, true,
      CONN_PCIE_DEV | CONN_UPSTREAM | CONN_PCIE_PCI_BRIDGE,
      CONN_PCI_DEV | CONN_PCI_BRIDGE,
      TGT_CHASSIS | TGT_PORT | TGT_HOTPLUG, TDEF_INDEX, TDEF_SLOT_FN, TDEF_NONE,
      "one hot-pluggable PCIe slot", false, false, CG_PCIE_PORT },
    { "pcie-switch-upstream-port", "x3130-upstream", MACH_ANY, false, CONN_UPSTREAM,
      0, 31, false, false, false, false,
      CONN_DOWNSTREAM, 0,
      0, TDEF_NONE, TDEF_NONE, TDEF_NONE,
      "the upstream side of a PCIe switch; takes downstream ports only", false, false, CG_PCIE_PORT },
    { "pcie-switch-downstream-port", "xio3130-downstream", MACH_ANY, false, CONN_DOWNSTREAM,
      0, 0, true, true, false, false,
      CONN_PCIE_DEV | CONN_UPSTREAM | CONN_PCIE_PCI_BRIDGE,
      CONN_PCI_DEV | CONN_PCI_BRIDGE,
      TGT_CHASSIS | TGT_PORT | TGT_HOTPLUG, TDEF_INDEX, TDEF_SLOT, TDEF_NONE,
      "one hot-pluggable PCIe slot of a switch", false, false, CG_PCIE_PORT },
    { "pcie-to-pci-bridge", "pcie-pci-bridge", MACH_ANY, false, CONN_PCIE_PCI_BRIDGE,
      1, 31, true, true, false, false,
      CONN_PCI_DEV | CONN_PCI_BRIDGE, CONN_PCIE_DEV,
      0, TDEF_NONE, TDEF_NONE, TDEF_NONE,
      "31 hot-pluggable legacy PCI slots behind a PCIe port", false, false, CG_BRIDGE },
    { "dmi-to-pci-bridge", "i82801b11-bridge", MACH_ANY, false, CONN_DMI_BRIDGE,
      0, 31, false, false, false, false,
      CONN_PCI_BRIDGE, PCI_ENDPOINTS,
      0, TDEF_NONE, TDEF_NONE, TDEF_NONE,
      "legacy PCI behind the root complex; takes pci-bridges, no hot-plug", false, false, CG_BRIDGE },
    { "pci-bridge", "pci-bridge", MACH_ANY, false, CONN_PCI_BRIDGE,
      1, 31, true, true, false, false,
      CONN_PCI_DEV | CONN_PCI_BRIDGE, CONN_PCIE_DEV,
      TGT_CHASSIS_NR, TDEF_INDEX, TDEF_NONE, TDEF_NONE,
      "31 hot-pluggable legacy PCI slots", false, false, CG_BRIDGE },
    /* libvirt sets the hotplug bit, but a device_add straight onto a pxb
     * slot hung QEMU (experiment 95) or is refused ("Bus 'pci.1' does not
     * support hotplugging", golden capacity case 33): not hot-pluggable,
     * and a live hot-plug that libvirt sends there fails. */
    { "pci-expander-bus", "pxb", MACH_PC, false, CONN_PXB,
      0, 31, true, false, false, false,
      CONN_PCI_DEV | CONN_PCI_BRIDGE, CONN_PCIE_DEV,
      TGT_BUS_NR | TGT_NODE, TDEF_NONE, TDEF_NONE, TDEF_BUSNR_DOWN,
      "an extra PCI root bus, usually bound to a guest NUMA node", true, false, CG_EXPANDER_BRIDGED },
    { "pcie-expander-bus", "pxb-pcie", MACH_Q35 | MACH_ARM_VIRT, false, CONN_PXB_PCIE,
      0, 31, false, false, false, false,
      CONN_ROOT_PORT | CONN_DMI_BRIDGE, 0,
      TGT_BUS_NR | TGT_NODE, TDEF_NONE, TDEF_NONE, TDEF_BUSNR_DOWN,
      "an extra PCIe root complex, usually bound to a guest NUMA node", false, false, CG_EXPANDER },
};

/* §2.3 and §9: numeric <target> attributes and their legal ranges. */
static const struct target_range target_ranges[] = {
    { TGT_CHASSIS_NR, "chassisNr", 1, 255 },
    { TGT_CHASSIS, "chassis", 0, 255 },
    { TGT_PORT, "port", 0, 255 },
    { TGT_BUS_NR, "busNr", 1, 254 },
};

/* §3 (connection class) and §6 (placement category).  First match wins,
 * so specific rows come before the catch-all row of their element. */
#define V SEL_ANY
static const struct dev_kind dev_kinds[] = {
    /* element      sel1            val1                  sel2      val2   machines  class  cat flags default */
    { "controller", "@type", "pci", V, V, MACH_ANY, CLASS_CONTROLLER, 1, 0, NULL },

    { "filesystem", "@model", "virtio-transitional", V, V, MACH_ANY, CLASS_PCI, 2, 0, NULL },
    { "filesystem", V, V, V, V, MACH_ANY, CLASS_VIRTIO, 2, 0, NULL },

    { "interface", "@type", "hostdev", V, V, MACH_ANY, CLASS_HOSTDEV, 7, 0, NULL },
    { "interface", "@type", "vdpa", "model/@type", SEL_UNSET, MACH_ANY, CLASS_VIRTIO, 3, 0, "virtio" },
    { "interface", "model/@type", "virtio", V, V, MACH_ANY, CLASS_VIRTIO, 3, 0, NULL },
    { "interface", "model/@type", "virtio-non-transitional", V, V, MACH_ANY, CLASS_VIRTIO, 3, 0, NULL },
    { "interface", "model/@type", "virtio-transitional", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "e1000e", V, V, MACH_ANY, CLASS_PCIE, 3, 0, NULL },
    { "interface", "model/@type", "usb-net", V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },
    { "interface", "model/@type", "spapr-vlan", V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },
    /* libvirt's default NIC: virtio on virt, else the first QEMU has */
    { "interface", "model/@type", SEL_UNSET, V, V, MACH_VIRT, CLASS_VIRTIO, 3, 0, "virtio" },
    { "interface", "model/@type", SEL_UNSET, V, V, MACH_ANY, CLASS_PCI, 3, 0, "rtl8139" },
    /* the rest of the models libvirt 9.0 names are conventional PCI... */
    { "interface", "model/@type", "rtl8139", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "e1000", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "netfront", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "lan9118", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "scm91c111", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "vlance", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "vmxnet", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "vmxnet2", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "vmxnet3", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "Am79C970A", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "Am79C973", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "82540EM", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "82545EM", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    { "interface", "model/@type", "82543GC", V, V, MACH_ANY, CLASS_PCI, 3, 0, NULL },
    /* ...and one it does not name (igb, ne2k_pci, pcnet) has model
     * "unknown", which libvirt treats as a host device's NIC: PCIe */
    { "interface", V, V, V, V, MACH_ANY, CLASS_PCIE, 3, 0, NULL },

    { "sound", "@model", "ich6", V, V, MACH_ANY, CLASS_PCI, 4, 0, NULL },
    { "sound", "@model", "ich9", V, V, MACH_ANY, CLASS_PCI, 4, 0, NULL },
    { "sound", "@model", "ac97", V, V, MACH_ANY, CLASS_PCI, 4, 0, NULL },
    { "sound", "@model", "es1370", V, V, MACH_ANY, CLASS_PCI, 4, 0, NULL },
    { "sound", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "controller", "@type", "usb", "@model", "none", MACH_ANY, CLASS_NONE, 0, 0, NULL },
    { "controller", "@type", "usb", "@model", "qemu-xhci", MACH_ANY, CLASS_PCIE, 5, 0, NULL },
    { "controller", "@type", "usb", "@model", "nec-xhci", MACH_ANY, CLASS_PCIE, 5, 0, NULL },
    /* Unlike the implicit controller (qemu-xhci on q35), an explicit one
     * without a model is piix3-uhci on every machine (golden cases). */
    { "controller", "@type", "usb", "@model", SEL_UNSET, MACH_ARM_VIRT | MACH_PSERIES, CLASS_PCIE, 5, 0, "qemu-xhci" },
    { "controller", "@type", "usb", "@model", SEL_UNSET, MACH_ANY, CLASS_PCI, 5, 0, "piix3-uhci" },
    { "controller", "@type", "usb", V, V, MACH_ANY, CLASS_PCI, 5, 0, NULL },
    { "controller", "@type", "scsi", "@model", "virtio-scsi", MACH_ANY, CLASS_VIRTIO, 5, 0, NULL },
    { "controller", "@type", "scsi", "@model", "virtio-non-transitional", MACH_ANY, CLASS_VIRTIO, 5, 0, NULL },
    /* pseries's default SCSI is the spapr-vio ibmvscsi: no PCI slot */
    { "controller", "@type", "scsi", "@model", "ibmvscsi", MACH_ANY, CLASS_NONE, 0, 0, NULL },
    { "controller", "@type", "scsi", "@model", SEL_UNSET, MACH_PSERIES, CLASS_NONE, 0, 0, "ibmvscsi" },
    { "controller", "@type", "scsi", "@model", SEL_UNSET, MACH_ANY, CLASS_PCI, 5, 0, "lsilogic" },
    { "controller", "@type", "scsi", V, V, MACH_ANY, CLASS_PCI, 5, 0, NULL },
    { "controller", "@type", "virtio-serial", "@model", "virtio-transitional", MACH_ANY, CLASS_PCI, 5, 0, NULL },
    { "controller", "@type", "virtio-serial", V, V, MACH_ANY, CLASS_VIRTIO, 5, 0, NULL },
    { "controller", "@type", "sata", V, V, MACH_ANY, CLASS_PCI, 5, 0, NULL },
    { "controller", "@type", "ide", V, V, MACH_ANY, CLASS_PCI, 5, 0, NULL },
    { "controller", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "disk", "target/@bus", "virtio", "@model", "virtio-transitional", MACH_ANY, CLASS_PCI, 6, 0, NULL },
    { "disk", "target/@bus", "virtio", V, V, MACH_ANY, CLASS_VIRTIO, 6, 0, NULL },
    { "disk", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "hostdev", "@type", "pci", V, V, MACH_ANY, CLASS_HOSTDEV, 7, 0, NULL },
    { "hostdev", "@type", "mdev", "@model", "vfio-pci", MACH_ANY, CLASS_PCIE, 7, 0, NULL },
    { "hostdev", "@type", "scsi_host", "@model", "virtio-transitional", MACH_ANY, CLASS_PCI, 7, 0, NULL },
    { "hostdev", "@type", "scsi_host", V, V, MACH_ANY, CLASS_VIRTIO, 7, 0, NULL },
    { "hostdev", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "memballoon", "@model", "virtio", V, V, MACH_ANY, CLASS_VIRTIO, 8, 0, NULL },
    { "memballoon", "@model", "virtio-non-transitional", V, V, MACH_ANY, CLASS_VIRTIO, 8, 0, NULL },
    { "memballoon", "@model", "virtio-transitional", V, V, MACH_ANY, CLASS_PCI, 8, 0, NULL },
    { "memballoon", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "rng", "@model", "virtio-transitional", V, V, MACH_ANY, CLASS_PCI, 9, 0, NULL },
    { "rng", V, V, V, V, MACH_ANY, CLASS_VIRTIO, 9, 0, NULL },

    { "watchdog", "@model", "i6300esb", V, V, MACH_ANY, CLASS_PCI, 10, 0, NULL },
    { "watchdog", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "video", "model/@type", "virtio", V, V, MACH_ANY, CLASS_VIRTIO, 11, 0, NULL },
    { "video", "model/@type", "bochs", V, V, MACH_ANY, CLASS_PCIE, 11, 0, NULL },
    { "video", "model/@type", "none", V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },
    { "video", "model/@type", "ramfb", V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },
    { "video", "model/@type", SEL_UNSET, V, V, MACH_VIRT, CLASS_VIRTIO, 11, 0, "virtio" },
    { "video", "model/@type", SEL_UNSET, V, V, MACH_PSERIES, CLASS_PCI, 11, 0, "vga" },
    { "video", "model/@type", SEL_UNSET, V, V, MACH_ANY, CLASS_PCI, 11, 0, "cirrus" },
    { "video", V, V, V, V, MACH_ANY, CLASS_PCI, 11, 0, NULL },

    { "shmem", V, V, V, V, MACH_ANY, CLASS_PCI, 12, 0, NULL },

    { "input", "@bus", "virtio", "@model", "virtio-transitional", MACH_ANY, CLASS_PCI, 13, 0, NULL },
    { "input", "@bus", "virtio", V, V, MACH_ANY, CLASS_VIRTIO, 13, 0, NULL },
    { "input", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "serial", "target/@type", "pci-serial", V, V, MACH_ANY, CLASS_PCI, 14, 0, NULL },
    { "serial", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "iommu", "@model", "virtio", V, V, MACH_ANY, CLASS_VIRTIO, 15, KIND_INTEGRATED, NULL },
    { "iommu", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    { "vsock", "@model", "virtio-transitional", V, V, MACH_ANY, CLASS_PCI, 16, 0, NULL },
    { "vsock", V, V, V, V, MACH_ANY, CLASS_VIRTIO, 16, 0, NULL },

    { "memory", "@model", "virtio-pmem", V, V, MACH_ANY, CLASS_VIRTIO, 17, 0, NULL },
    { "memory", "@model", "virtio-mem", V, V, MACH_ANY, CLASS_VIRTIO, 17, 0, NULL },
    { "memory", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },

    /* Newer libvirt places these; 9.0 drops <crypto> and refuses pvpanic. */
    { "crypto", V, V, V, V, MACH_ANY, CLASS_NONE, 0, KIND_DROPPED, NULL },
    { "panic", V, V, V, V, MACH_ANY, CLASS_NONE, 0, 0, NULL },
};
#undef V

/* Devices whose PCI address libvirt throws away: a balloon of model none
 * is no device, and pseries puts its spapr-vio devices on spapr-vio
 * whatever address type the XML gives (golden arch/ppc64 068, 110). */
static const struct { const char *element, *sel, *val; unsigned machines; } pci_address_dropped[] = {
    { "memballoon", "@model", "none", MACH_ANY },
    { "interface", "model/@type", "spapr-vlan", MACH_PSERIES },
    { "controller", "@model", "ibmvscsi", MACH_PSERIES },
};

bool catalog_drops_pci_address(xmlNodePtr el, enum machine m)
{
    for (size_t i = 0; i < ARRAY_LEN(pci_address_dropped); i++)
        if ((pci_address_dropped[i].machines & m)
            && str_eq(pci_address_dropped[i].element, (const char *)el->name)
            && catalog_selector_matches(el, pci_address_dropped[i].sel, pci_address_dropped[i].val))
            return true;
    return false;
}

/* What libvirt sends to virtio-mmio when the domain has one device there
 * (its qemuDomainPrimeVirtioDeviceAddresses): every SCSI controller and
 * rng, any balloon, not only virtio-named models.  Selectors are
 * catalog.h's, or "=model" (the model after post-parse: a NIC or video
 * without model is virtio on virt, so it goes too) and "=type" (a
 * controller's type), which a device libvirt adds has without an element. */
static const struct { const char *element, *sel, *val; } virtio_mmio_kinds[] = {
    { "disk", "target/@bus", "virtio" },
    { "interface", "=model", "virtio" },
    { "interface", "=model", "virtio-transitional" },
    { "interface", "=model", "virtio-non-transitional" },
    { "video", "=model", "virtio" },
    { "input", "@bus", "virtio" },
    { "controller", "=type", "virtio-serial" },
    { "controller", "=type", "scsi" },
    { "hostdev", "@type", "scsi_host" },
    { "memballoon", SEL_ANY, SEL_ANY },
    { "rng", SEL_ANY, SEL_ANY },
    { "memory", "=model", "virtio-pmem" },
    { "memory", "=model", "virtio-mem" },
};

bool catalog_goes_virtio_mmio(const char *element, const char *type, const char *model, xmlNodePtr el)
{
    for (size_t i = 0; i < ARRAY_LEN(virtio_mmio_kinds); i++) {
        const char *sel = virtio_mmio_kinds[i].sel, *val = virtio_mmio_kinds[i].val;
        if (!str_eq(virtio_mmio_kinds[i].element, element))
            continue;
        bool match;
        if (sel != SEL_ANY && sel[0] == '=') {
            const char *got = str_eq(sel, "=model") ? model : type;
            match = got && str_eq(got, val);
        } else {
            /* an added device has no element to select in */
            match = el ? catalog_selector_matches(el, sel, val) : sel == SEL_ANY;
        }
        if (match)
            return true;
    }
    return false;
}

/* The SCSI controllers of SCSI host devices, libvirt 9.0's
 * qemuDomainDefAddDefaultDevices, then its common
 * virDomainDefAddImplicitDevices, in that order (tests/golden/corners,
 * IMPLICIT.md R0).
 * Floppy (fdc) and smartcard (ccid) controllers are added too, but are
 * not on PCI and pcitopo leaves them to libvirt. */
static const struct implicit_device implicit_devices[] = {
    /* added while libvirt reads the <hostdev>s, so before all others */
    { MACH_X86 | MACH_VIRT, WHEN_SCSI_HOSTDEVS, "controller", "scsi", NULL, "lsilogic", CLASS_PCI, 5,
      "a SCSI host device sits on it", NULL },
    { MACH_PSERIES, WHEN_SCSI_HOSTDEVS, "controller", "scsi", NULL, "ibmvscsi", CLASS_NONE, 0,
      "a SCSI host device sits on it", NULL },
    { MACH_PC, WHEN_NO_INDEX0, "controller", "usb", NULL, "piix3-uhci", CLASS_PCI, 5,
      "libvirt gives every pc guest USB controller 0", NULL },
    { MACH_Q35, WHEN_NO_INDEX0, "controller", "usb", NULL, "qemu-xhci", CLASS_PCIE, 5,
      "libvirt gives every q35 guest USB controller 0", NULL },
    { MACH_PSERIES, WHEN_NO_INDEX0, "controller", "usb", NULL, "qemu-xhci", CLASS_PCIE, 5,
      "libvirt gives every pseries guest USB controller 0", NULL },
    { MACH_Q35, WHEN_NO_INDEX0, "controller", "sata", NULL, NULL, CLASS_PCI, 5,
      "q35 always has SATA controller 0 in its chipset", NULL },
    /* not on aarch64: libvirt adds no balloon there */
    { MACH_X86 | MACH_RISCV_VIRT | MACH_PSERIES, WHEN_NO_BALLOON, "memballoon", NULL, NULL, "virtio",
      CLASS_VIRTIO, 8, "libvirt gives every guest of this machine a memory balloon unless the XML has <memballoon>", NULL },
    { MACH_X86 | MACH_VIRT, WHEN_DISKS_NEED, "controller", "scsi", "scsi", "lsilogic", CLASS_PCI, 5,
      "a SCSI disk sits on it", NULL },
    { MACH_PSERIES, WHEN_DISKS_NEED, "controller", "scsi", "scsi", "ibmvscsi", CLASS_NONE, 0,
      "a SCSI disk sits on it", NULL },
    { MACH_PC, WHEN_DISKS_NEED, "controller", "ide", "ide", NULL, CLASS_PCI, 5,
      "an IDE disk sits on it", NULL },
    { MACH_ANY, WHEN_DISKS_NEED, "controller", "sata", "sata", NULL, CLASS_PCI, 5,
      "a SATA disk sits on it", NULL },
    { MACH_ANY, WHEN_VIRTIO_CHARDEVS, "controller", "virtio-serial", NULL, NULL, CLASS_VIRTIO, 5,
      "a virtio channel or console sits on it", NULL },
    /* and once more when host devices without an address have one */
    { MACH_X86 | MACH_VIRT, WHEN_SCSI_HOSTDEVS_LATE, "controller", "scsi", NULL, "lsilogic", CLASS_PCI, 5,
      "a SCSI host device sits on it", NULL },
    { MACH_PSERIES, WHEN_SCSI_HOSTDEVS_LATE, "controller", "scsi", NULL, "ibmvscsi", CLASS_NONE, 0,
      "a SCSI host device sits on it", NULL },
    { MACH_X86, WHEN_GRAPHICS_NO_VIDEO, "video", NULL, NULL, "cirrus", CLASS_PCI, 11,
      "the XML has <graphics> but no <video>, so libvirt adds the machine's default video",
      "vram=16384 heads=1 primary=yes" },
    { MACH_VIRT, WHEN_GRAPHICS_NO_VIDEO, "video", NULL, NULL, "virtio", CLASS_VIRTIO, 11,
      "the XML has <graphics> but no <video>, so libvirt adds the machine's default video",
      "heads=1 primary=yes" },
    { MACH_PSERIES, WHEN_GRAPHICS_NO_VIDEO, "video", NULL, NULL, "vga", CLASS_PCI, 11,
      "the XML has <graphics> but no <video>, so libvirt adds the machine's default video",
      "vram=16384 heads=1 primary=yes" },
};

/* §4: functions the chipset always occupies. */
static const struct chipset_fn chipset_fns[] = {
    { MACH_X86 | MACH_VIRT, 0x00, 0, "host bridge" },
    { MACH_PC, 0x01, 0, "PIIX3 ISA bridge" },
    { MACH_PC, 0x01, 3, "PIIX4 ACPI/power management" },
    { MACH_Q35, 0x1f, 0, "ICH9 LPC/ISA bridge" },
    { MACH_Q35, 0x1f, 3, "ICH9 SMBus" },
};

bool catalog_walked_bridge(const struct ctrl_model *m)
{
    return m && (m->guest == CG_BRIDGE || m->guest == CG_PCIE_PORT);
}

const struct ctrl_model *catalog_ctrl_model(const char *name, enum machine m)
{
    if (!name)
        return NULL;
    const struct ctrl_model *any = NULL;
    for (size_t i = 0; i < ARRAY_LEN(ctrl_models); i++)
        if (str_eq(ctrl_models[i].name, name)) {
            if (ctrl_models[i].machines & m)
                return &ctrl_models[i];
            if (!any)
                any = &ctrl_models[i];
        }
    return any;
}

const struct ctrl_model *catalog_root_model(enum machine m)
{
    return catalog_ctrl_model(machine_def(m)->root_model, m);
}

const char *catalog_disk_bus(xmlNodePtr disk)
{
    const char *bus = xml_attr(xml_child(disk, "target"), "bus");
    if (bus && *bus)
        return bus;
    /* libvirt's guess from the device and the target name */
    static const struct { const char *prefix, *bus; } by_name[] = {
        { "hd", "ide" }, { "sd", "scsi" }, { "vd", "virtio" }, { "xvd", "xen" }, { "ubd", "uml" },
    };
    const char *device = xml_attr(disk, "device"), *dev = xml_attr(xml_child(disk, "target"), "dev");
    if (device && str_eq(device, "floppy"))
        return "fdc";
    for (size_t i = 0; dev && i < ARRAY_LEN(by_name); i++)
        if (strncmp(dev, by_name[i].prefix, strlen(by_name[i].prefix)) == 0)
            return by_name[i].bus;
    return "ide";
}

const char *catalog_select(xmlNodePtr el, const char *sel)
{
    /* a disk's bus is what libvirt makes of it, written or not */
    if (str_eq(sel, "target/@bus") && el && str_eq((const char *)el->name, "disk"))
        return catalog_disk_bus(el);
    const char *at = strchr(sel, '@');
    if (!at)
        return NULL;
    if (at != sel) {
        /* "child/@attr" */
        char child[32];
        size_t n = (size_t)(at - sel - 1);
        if (n >= sizeof child)
            return NULL;
        memcpy(child, sel, n);
        child[n] = '\0';
        el = xml_child(el, child);
    }
    return xml_attr(el, at + 1);
}

bool catalog_selector_matches(xmlNodePtr el, const char *sel, const char *want)
{
    if (sel == SEL_ANY || want == SEL_ANY)
        return true;
    const char *got = catalog_select(el, sel);
    if (want[0] == '\0')
        return got == NULL || got[0] == '\0';
    return got && str_eq(got, want);
}

const struct dev_kind *catalog_dev_kind(xmlNodePtr el, enum machine m)
{
    if (!el || el->type != XML_ELEMENT_NODE || el->ns != NULL)
        return NULL;
    for (size_t i = 0; i < ARRAY_LEN(dev_kinds); i++) {
        const struct dev_kind *k = &dev_kinds[i];
        if (str_eq(k->element, (const char *)el->name)
            && (k->machines & m)
            && catalog_selector_matches(el, k->sel1, k->val1)
            && catalog_selector_matches(el, k->sel2, k->val2))
            return k;
    }
    return NULL;
}

/* Which attribute names the model of each element, for display. */
static const struct { const char *element, *sel; } model_selectors[] = {
    { "interface", "model/@type" },
    { "video", "model/@type" },
    { "disk", "target/@bus" },
    { "hostdev", "@type" },
    { "filesystem", "driver/@type" },
    { "serial", "target/@type" },
    { "input", "@type" },
};

const char *catalog_model_selector(const char *element)
{
    for (size_t i = 0; i < ARRAY_LEN(model_selectors); i++)
        if (str_eq(model_selectors[i].element, element))
            return model_selectors[i].sel;
    return "@model";
}

const char *catalog_kind_model(const struct dev_kind *k, xmlNodePtr el)
{
    const char *v = catalog_select(el, catalog_model_selector(k->element));
    return v && *v ? v : k->default_model;
}

enum dev_class catalog_effective_class(enum dev_class c, enum machine m)
{
    switch (c) {
    case CLASS_PCIE:
    case CLASS_VIRTIO:
    case CLASS_HOSTDEV:
        return machine_def(m)->pcie ? CLASS_PCIE : CLASS_PCI;
    default:
        return c;
    }
}

unsigned catalog_class_conn(enum dev_class c)
{
    switch (c) {
    case CLASS_PCI:
        return CONN_PCI_DEV;
    case CLASS_PCIE:
    case CLASS_VIRTIO:
    case CLASS_HOSTDEV:
        return CONN_PCIE_DEV;
    default:
        return 0;
    }
}

const char *catalog_class_name(enum dev_class c)
{
    static const char *const names[] = {
        [CLASS_NONE] = "not PCI",
        [CLASS_PCI] = "PCI",
        [CLASS_PCIE] = "PCIe",
        [CLASS_VIRTIO] = "virtio",
        [CLASS_HOSTDEV] = "hostdev",
        [CLASS_CONTROLLER] = "PCI controller",
    };
    return (size_t)c < ARRAY_LEN(names) ? names[c] : "?";
}

const struct target_range *catalog_target_range(enum target_attr a)
{
    for (size_t i = 0; i < ARRAY_LEN(target_ranges); i++)
        if (target_ranges[i].attr == a)
            return &target_ranges[i];
    return NULL;
}

const char *catalog_category_name(int category)
{
    /* §6: libvirt places unaddressed devices group by group, in this order. */
    static const char *const names[] = {
        "fixed chipset devices", "PCI controllers", "filesystems", "network interfaces",
        "sound cards", "other controllers (USB, SCSI, virtio-serial, SATA, IDE)", "virtio disks",
        "host devices", "the memory balloon", "random number generators", "watchdogs",
        "videos", "shared memory devices", "virtio input devices", "PCI serial ports",
        "the virtio IOMMU", "vsock devices", "virtio memory devices",
    };
    return category >= 0 && (size_t)category < ARRAY_LEN(names) ? names[category] : "other devices";
}

const struct ctrl_model *catalog_ctrl_model_at(size_t i)
{
    return i < ARRAY_LEN(ctrl_models) ? &ctrl_models[i] : NULL;
}

const struct dev_kind *catalog_dev_kind_at(size_t i)
{
    return i < ARRAY_LEN(dev_kinds) ? &dev_kinds[i] : NULL;
}

const struct chipset_fn *catalog_chipset_at(size_t i)
{
    return i < ARRAY_LEN(chipset_fns) ? &chipset_fns[i] : NULL;
}

enum dev_class catalog_controller_class(const char *type, const char *model, enum machine m)
{
    for (size_t i = 0; i < ARRAY_LEN(dev_kinds); i++) {
        const struct dev_kind *k = &dev_kinds[i];
        if (!str_eq(k->element, "controller") || !(k->machines & m)
            || (k->val1 != SEL_ANY && !str_eq(k->val1, type)))
            continue;
        if (k->val2 == SEL_ANY || (model ? str_eq(k->val2, model) : k->val2[0] == '\0'))
            return k->cls;
    }
    return CLASS_NONE;
}

const struct implicit_device *catalog_implicit_at(size_t i)
{
    return i < ARRAY_LEN(implicit_devices) ? &implicit_devices[i] : NULL;
}

char *catalog_conn_names_new(unsigned conn)
{
    static const struct { unsigned flag; const char *name; } names[] = {
        { CONN_PCI_DEV, "PCI endpoint" },
        { CONN_PCIE_DEV, "PCIe endpoint" },
        { CONN_ROOT_PORT, "pcie-root-port" },
        { CONN_UPSTREAM, "pcie-switch-upstream-port" },
        { CONN_DOWNSTREAM, "pcie-switch-downstream-port" },
        { CONN_PCI_BRIDGE, "pci-bridge" },
        { CONN_DMI_BRIDGE, "dmi-to-pci-bridge" },
        { CONN_PCIE_PCI_BRIDGE, "pcie-to-pci-bridge" },
        { CONN_PXB, "pci-expander-bus" },
        { CONN_PXB_PCIE, "pcie-expander-bus" },
    };
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (conn & names[i].flag)
            sb_printf(&sb, "%s%s", sb.len ? ", " : "", names[i].name);
    if (!sb.len)
        sb_puts(&sb, "nothing");
    return sb_detach(&sb);
}

/* The children of <devices> libvirt knows, in the order it writes them. */
static const char *const device_order[] = {
    "emulator", "disk", "controller", "lease", "filesystem", "interface", "smartcard",
    "serial", "parallel", "console", "channel", "input", "tpm", "graphics", "sound",
    "audio", "video", "hostdev", "redirdev", "redirfilter", "hub", "watchdog",
    "memballoon", "rng", "panic", "shmem", "memory", "iommu", "vsock", "crypto",
};

int catalog_device_rank(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(device_order); i++)
        if (str_eq(device_order[i], name))
            return (int)i;
    return -1;
}

static const char *const iterate_order[] = {
    "disk", "interface", "sound", "hostdev", "video", "controller", "smartcard", "serial",
    "parallel", "channel", "console", "input", "filesystem", "watchdog", "memballoon", "rng",
    "hub", "shmem", "tpm", "panic", "memory", "redirdev",
    "graphics",   /* devices without an address come last */
};

int catalog_iterate_rank(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(iterate_order); i++)
        if (str_eq(iterate_order[i], name))
            return (int)i;
    return (int)ARRAY_LEN(iterate_order);
}

int catalog_iterate_ranks(void)
{
    return (int)ARRAY_LEN(iterate_order) + 1;
}

bool catalog_marked_primary_video(xmlNodePtr el)
{
    const char *p = xml_attr(xml_child(el, "model"), "primary");
    return str_eq((const char *)el->name, "video") && p && str_eq(p, "yes");
}
