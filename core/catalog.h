/* catalog: the tables of what libvirt 9.0's QEMU driver knows about PCI.
 *
 * Every placement-relevant fact about a controller model or a device kind
 * lives in one row of one table here (placement-rules.md §2-§4, §6), so a
 * reader finds a rule by reading the table, not by following ifs.  The
 * engine, the topology and the views only look things up. */
#ifndef PCITOPO_CATALOG_H
#define PCITOPO_CATALOG_H

#include <stdbool.h>
#include <libxml/tree.h>

#include "machine.h"

/* Connection kinds: what a device or controller plugs in as, and what a bus
 * takes.  The same split as libvirt's virDomainPCIConnectFlags. */
enum conn {
    CONN_PCI_DEV = 1 << 0,          /* conventional PCI endpoint */
    CONN_PCIE_DEV = 1 << 1,         /* PCI Express endpoint */
    CONN_ROOT_PORT = 1 << 2,
    CONN_UPSTREAM = 1 << 3,         /* pcie-switch-upstream-port */
    CONN_DOWNSTREAM = 1 << 4,       /* pcie-switch-downstream-port */
    CONN_PCI_BRIDGE = 1 << 5,
    CONN_DMI_BRIDGE = 1 << 6,
    CONN_PCIE_PCI_BRIDGE = 1 << 7,  /* pcie-to-pci-bridge */
    CONN_PXB = 1 << 8,              /* pci-expander-bus */
    CONN_PXB_PCIE = 1 << 9,         /* pcie-expander-bus */
};

/* <target> attributes of PCI controllers. */
enum target_attr {
    TGT_CHASSIS_NR = 1 << 0,
    TGT_CHASSIS = 1 << 1,
    TGT_PORT = 1 << 2,
    TGT_BUS_NR = 1 << 3,
    TGT_HOTPLUG = 1 << 4,
    TGT_NODE = 1 << 5,
    TGT_INDEX = 1 << 6,    /* a PHB's target index (pseries) */
};

/* How libvirt fills a target attribute the XML leaves out (§2.3). */
enum target_default {
    TDEF_NONE,
    TDEF_INDEX,        /* the controller's own index */
    TDEF_SLOT_FN,      /* slot * 8 + function of the controller's address */
    TDEF_SLOT,         /* slot of the controller's address */
    TDEF_BUSNR_DOWN,   /* lowest busNr in use (or 256) minus 2 */
};

/* What QEMU builds for a PCI controller, as the guest's firmware meets it
 * when it numbers the buses (guestbus.h). */
enum ctrl_guest {
    CG_ROOT,              /* a root bus: number 0 (a PHB: a domain of its own) */
    CG_BRIDGE,            /* a PCI-PCI bridge to a conventional PCI bus */
    CG_PCIE_PORT,         /* a PCI Express port (root, switch); its bus is a PCIe link */
    CG_EXPANDER,          /* a host bridge on bus 0 whose root bus is numbered busNr
                           * by QEMU (pxb-pcie): the firmware starts there */
    CG_EXPANDER_BRIDGED,  /* the same, with QEMU's own pci-bridge at busNr:00.0,
                           * whose bus is the one libvirt names (pxb) */
};

/* One model of <controller type='pci'>, i.e. one kind of bus. */
struct ctrl_model {
    const char *name;          /* libvirt's model='' */
    const char *qemu_name;     /* <model name=''>: the QEMU device */
    unsigned machines;         /* machines libvirt allows it on at all */
    bool is_root;              /* index 0, no address, implicit */
    unsigned plugs_as;         /* one CONN_*: what it needs from its parent */
    int min_slot, max_slot;    /* slots of the bus it provides */
    bool autoplace;            /* endpoints may be given an address here */
    bool hotplug;              /* its slots take hot-plugged devices */
    bool hotplug_needs_acpi;   /* ...only with <features><acpi/> */
    bool aggregate;            /* several of these share one slot by function */
    unsigned accepts_auto;     /* CONN_* libvirt places here by itself */
    unsigned accepts_manual;   /* CONN_* also accepted with an explicit address */
    unsigned targets;          /* TGT_* allowed in <target> */
    enum target_default chassis_def, port_def, busnr_def;
    const char *role;          /* one phrase for people learning PCIe */
    /* libvirt offers its slots to hot-plugged devices although QEMU
     * refuses them (pxb): libvirt's search for a slot stops there. */
    bool hotplug_refused;
    /* libvirt keeps <target hotplug='off'/>, but QEMU hot-plugs all the
     * same (a PHB: golden arch/ppc64 capacity 07) */
    bool hotplug_off_ignored;
    enum ctrl_guest guest;     /* what the guest's firmware meets */
};

/* Range of a numeric <target> attribute (§2.3, §9). */
struct target_range {
    enum target_attr attr;
    const char *name;
    unsigned long min, max;
};

/* Connection class of a device (§3). */
enum dev_class {
    CLASS_NONE,        /* not on PCI (or libvirt drops it) */
    CLASS_PCI,         /* conventional PCI endpoint */
    CLASS_PCIE,        /* PCI Express endpoint (PCI on pc) */
    CLASS_VIRTIO,      /* virtio: PCIe with QEMU >= 4.0, as in 7.2 */
    CLASS_HOSTDEV,     /* PCI passthrough: PCIe unless the host device is not */
    CLASS_CONTROLLER,  /* a PCI controller: see struct ctrl_model */
};

enum kind_flag {
    KIND_INTEGRATED = 1 << 0,   /* must sit on the root bus (virtio-iommu) */
    KIND_DROPPED = 1 << 1,      /* libvirt 9.0 silently drops the element */
};

/* "Match any value" and "attribute absent" in selector columns. */
#define SEL_ANY NULL
#define SEL_UNSET ""

/* One device kind: the first row whose element and selectors match a
 * device element gives its class.  A selector is "@attr" (attribute of the
 * element) or "child/@attr" (attribute of its first <child>). */
struct dev_kind {
    const char *element;
    const char *sel1, *val1;
    const char *sel2, *val2;
    unsigned machines;
    enum dev_class cls;
    int category;              /* placement order (§6); 0 = not placed */
    unsigned flags;            /* KIND_* */
    const char *default_model; /* what libvirt uses when the model is unset */
};

/* A chipset function the machine always has (§4); shown, never placed. */
struct chipset_fn {
    unsigned machines;
    int slot, function;
    const char *label;
};

/* What makes libvirt add a device the XML does not have (its "default
 * devices" and "implicit devices" steps). */
enum implicit_when {
    WHEN_NO_INDEX0,          /* no controller of the type with index 0 */
    WHEN_DISKS_NEED,         /* each index up to the highest the disks on `disk_bus` use */
    WHEN_VIRTIO_CHARDEVS,    /* the index each virtio channel or console names */
    WHEN_SCSI_HOSTDEVS,      /* the SCSI host devices' controllers added as libvirt reads them */
    WHEN_SCSI_HOSTDEVS_LATE, /* each index up to the highest a SCSI host device uses */
    WHEN_NO_BALLOON,         /* no <memballoon> at all */
    WHEN_GRAPHICS_NO_VIDEO,  /* a <graphics> and no <video> */
};

/* One device libvirt adds on its own.  Rows are in the order libvirt adds
 * them, which is the order they join its device lists. */
struct implicit_device {
    unsigned machines;
    enum implicit_when when;
    const char *element;     /* "controller", "memballoon", "video" */
    const char *type;        /* controllers: type=''; NULL otherwise */
    const char *disk_bus;    /* WHEN_DISKS_NEED: the <target bus=''> */
    const char *model;       /* the model libvirt writes; NULL when none */
    enum dev_class cls;      /* CLASS_NONE: not on PCI */
    int category;            /* placement order (§6) */
    const char *why;         /* why it appears, for the preview and explain */
    /* other attributes libvirt writes beside the model ("k=v k=v"), on
     * the element that holds it; NULL for none */
    const char *model_attrs;
};

/* Returns the model row named name (libvirt spelling) on machine m; a
 * row of another machine when m has none (to say it is not supported
 * there); NULL when libvirt has no such model. */
const struct ctrl_model *catalog_ctrl_model(const char *name, enum machine m);
/* Whether the firmware gives m's bus the next number as it walks (a
 * PCI-PCI bridge or a PCIe port): such a controller met earlier in the
 * walk renumbers everything after it.  Root and expander buses are not
 * walked into.  False for NULL. */
bool catalog_walked_bridge(const struct ctrl_model *m);
/* Returns the implicit root bus model of a machine. */
const struct ctrl_model *catalog_root_model(enum machine m);
/* Returns the row for a device element on machine m, or NULL when the
 * element is no device pcitopo knows (it is kept, just not modelled). */
const struct dev_kind *catalog_dev_kind(xmlNodePtr el, enum machine m);
/* Returns the value a selector picks from el (borrowed from the document),
 * or NULL when absent. */
const char *catalog_select(xmlNodePtr el, const char *sel);
/* A <disk>'s bus: target bus='', else libvirt's default from the device
 * and the target name (hd: ide, sd: scsi, vd: virtio, a floppy: fdc,
 * else ide).  Borrowed or static. */
const char *catalog_disk_bus(xmlNodePtr disk);
/* Whether el's selector value is want (SEL_ANY: anything, SEL_UNSET:
 * absent or empty). */
bool catalog_selector_matches(xmlNodePtr el, const char *sel, const char *want);
/* The model el names (e.g. "virtio" for an interface, "qemu-xhci" for a
 * controller), else the row's default for an unset model, else NULL.
 * Borrowed. */
const char *catalog_kind_model(const struct dev_kind *k, xmlNodePtr el);
/* Class as it acts on machine m: on pc every endpoint is plain PCI, and on
 * q35 virtio and hostdevs are PCI Express. */
enum dev_class catalog_effective_class(enum dev_class c, enum machine m);
/* CONN_* flag a device of effective class c plugs in as (0 for none). */
unsigned catalog_class_conn(enum dev_class c);
const char *catalog_class_name(enum dev_class c);
/* Name of a placement category (§6), e.g. "network interfaces". */
const char *catalog_category_name(int category);
/* The range row of a <target> attribute, or NULL. */
const struct target_range *catalog_target_range(enum target_attr a);
/* Iterate the tables (tests, help, man page): return NULL past the end. */
const struct ctrl_model *catalog_ctrl_model_at(size_t i);
const struct dev_kind *catalog_dev_kind_at(size_t i);
const struct chipset_fn *catalog_chipset_at(size_t i);
const struct implicit_device *catalog_implicit_at(size_t i);
/* The class of <controller type=type model=model> on machine m (model
 * NULL: none written), from the device table; CLASS_NONE if unknown. */
enum dev_class catalog_controller_class(const char *type, const char *model, enum machine m);
/* The selector that names the model of an element: "model/@type" for
 * <interface> and <video>, "@model" for most. */
const char *catalog_model_selector(const char *element);
/* Human name of a CONN_* set, e.g. "PCIe endpoint, pcie-root-port", as a
 * new string. */
char *catalog_conn_names_new(unsigned conn);
/* Where libvirt writes a child of <devices> called name among the others
 * (0 first), or -1 when libvirt has no such device element. */
int catalog_device_rank(const char *name);
/* Where libvirt meets device element name when it walks the devices
 * (virDomainDeviceInfoIterate: collecting written addresses, validating
 * each device), 0 first; kinds it never meets come last, graphics just
 * before them.  catalog_iterate_ranks() is one past the last rank. */
int catalog_iterate_rank(const char *name);
int catalog_iterate_ranks(void);
/* Whether libvirt sends a device to virtio-mmio when it has no address,
 * on a machine whose domain has a virtio-mmio device already: its element
 * name, controller type (NULL: none), model (its own or the machine's
 * default; NULL: none) and element (NULL for one libvirt adds). */
bool catalog_goes_virtio_mmio(const char *element, const char *type, const char *model, xmlNodePtr el);
/* Whether libvirt discards the PCI address device el has on machine m
 * (the device is not on PCI there). */
bool catalog_drops_pci_address(xmlNodePtr el, enum machine m);
/* Whether el is a <video> whose model says primary='yes'. */
bool catalog_marked_primary_video(xmlNodePtr el);

#endif
