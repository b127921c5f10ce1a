/* machine: the machine types pcitopo models, one row each.
 *
 * Everything the engine, the views and the hot-plug scripts need to know
 * about a machine as a whole — its root bus, whether its endpoints are
 * PCI Express, what libvirt adds when a device finds no slot, where the
 * spare for hot-plug comes from — is a column here, so that a new machine
 * is a new row (doc/machines.md).  What differs per device kind or
 * controller model stays in the catalogue's tables, whose rows name the
 * machines they hold on by the masks below. */
#ifndef PCITOPO_MACHINE_H
#define PCITOPO_MACHINE_H

#include <stdbool.h>

enum machine {
    MACH_PC = 1 << 0,          /* x86 i440fx: pci-root, legacy PCI only */
    MACH_Q35 = 1 << 1,         /* x86 q35: pcie-root and the ICH9 chipset */
    MACH_ARM_VIRT = 1 << 2,    /* aarch64 virt: pcie-root (gpex), no chipset */
    MACH_RISCV_VIRT = 1 << 3,  /* riscv64 virt: pcie-root (gpex), no chipset */
    MACH_PSERIES = 1 << 4,     /* ppc64 pseries: PHBs (pci-root), legacy PCI only */
};
#define MACH_X86 (MACH_PC | MACH_Q35)
#define MACH_VIRT (MACH_ARM_VIRT | MACH_RISCV_VIRT)
#define MACH_PCIE (MACH_Q35 | MACH_VIRT)       /* machines with a pcie-root */
#define MACH_ANY (MACH_X86 | MACH_VIRT | MACH_PSERIES)

/* How a machine keeps a slot free for hot-plug when libvirt first
 * places a domain (placement-rules.md §7, doc/machines.md). */
enum spare_rule {
    SPARE_ROOT_PORT,   /* one more pcie-root-port, when libvirt added buses (q35, virt) */
    SPARE_PHANTOM,     /* one legacy slot reserved in the first pass (pc, pseries) */
};

/* The firmware whose bus numbers the guest sees (guestbus.h). */
enum guest_firmware {
    FW_NOT_MODELLED,   /* pcitopo does not number this machine's buses yet */
    FW_SEABIOS,        /* SeaBIOS: depth-first from bus 0, then each expander bus from its busNr */
};

struct machine_def {
    enum machine id;
    const char *name;          /* short, for the status line: "q35", "virt" */
    /* the machine libvirt 9.0 stores for the bare name (QEMU 7.2's alias) */
    const char *canonical;
    const char *title;         /* for the tree's heading: "pc (i440fx)", "aarch64 virt" */
    const char *arch;          /* the architecture family, as hotplug-xml --arch takes it */
    const char *root_model;    /* libvirt's model of bus 0 */
    const char *root_qemu_id;  /* QEMU's id of bus 0 (device_add bus=) */
    bool pcie;                 /* PCIe endpoints plug in as PCIe (else all are legacy PCI) */
    /* the bus libvirt adds for a legacy PCI device that finds no slot:
     * a pci-bridge, or on pseries a new PHB (pci-root) */
    const char *pci_bus_model;
    /* libvirt's model for a bus index no controller provides, which is
     * also the bus that gives a running guest one more slot (spare-ports):
     * a root port on a PCI Express machine, else pci_bus_model */
    const char *bus_model;
    int video_slot;            /* the root slot the primary video gets if free; 0: none */
    enum spare_rule spare;
    bool multiple_roots;       /* pci-root at index > 0: more PHBs (pseries) */
    bool usb_kbd_mouse;        /* libvirt adds USB keyboard and mouse with <graphics> */
    bool ps2_inputs;           /* a mouse or keyboard without bus= is PS/2 (else USB) */
    bool ich9_slots;           /* ICH9's favourite slots: sound 1b, USB2 1d/1a, DMI bridge 1e */
    /* one device with <address type='virtio-mmio'/> sends every virtio
     * device without an address to virtio-mmio, off PCI (virt) */
    bool virtio_mmio;
    /* a multifunction slot's hot-unplug names every function, function 0
     * last (pseries); else unplugging function 0 takes the whole slot */
    bool unplug_each_function;
    /* the bus placement adds for a NUMA node (numa=N): an expander bus,
     * or on pseries a PHB with <node>; NULL when the machine has none */
    const char *numa_bus_model;
    /* the firmware libvirt boots without a <loader>, as far as pcitopo
     * models how it numbers the buses */
    enum guest_firmware firmware;
};

/* The row of machine m. */
const struct machine_def *machine_def(enum machine m);
/* The row libvirt 9.0 treats a domain with <type arch=arch machine=name>
 * as (either NULL: absent), or NULL with *why set to a sentence saying
 * what pcitopo does not model and why. */
const struct machine_def *machine_find(const char *arch, const char *name, const char **why);
/* The machines of mask, as "q35, aarch64 virt" (static text). */
const char *machine_mask_names(unsigned mask);
/* Iterate the table (tests, help): NULL past the end. */
const struct machine_def *machine_def_at(unsigned i);

#endif
