/* topology: the guest's PCI buses, slots and devices, derived from a
 * domain document after every change.
 *
 * Buses are keyed by controller index (what libvirt writes as bus=), each
 * slot carries a function mask.  Nothing here touches the XML: devices
 * point at their elements only to name them in messages. */
#ifndef PCITOPO_TOPOLOGY_H
#define PCITOPO_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>
#include <libxml/tree.h>

#include "catalog.h"
#include "ctrllist.h"
#include "domain.h"
#include "implicit.h"
#include "prefs.h"
#include "util.h"

#define PCI_SLOTS 32
#define PCI_FUNCTIONS 8
#define PCI_BUSES 256

enum addr_state {
    ADDR_NONE,    /* no <address>: libvirt assigns one */
    ADDR_UNSET,   /* <address type='pci'> at 00:00.x: libvirt treats it as none */
    ADDR_PCI,     /* a real PCI address */
    ADDR_OTHER,   /* an address of another type (drive, usb, ...) */
    ADDR_BAD,     /* <address type='pci'> libvirt refuses (device.problem says
                   * why): the device takes no slot; addr holds the parts
                   * when libvirt can read them (a PCI domain other than 0),
                   * else nothing */
};

struct pci_addr {
    unsigned domain, bus, slot, function;
    int multifunction;   /* -1 absent, 0 off, 1 on */
};

struct device {
    xmlNodePtr node;               /* its element; borrowed from the document */
    const struct dev_kind *kind;   /* NULL: an element pcitopo does not model */
    enum dev_class cls;            /* class as it acts on this machine */
    const char *model;             /* borrowed; NULL if none */
    const char *alias;             /* <alias name=''>, borrowed; NULL if none */
    long line;
    enum addr_state addr_state;
    struct pci_addr addr;

    /* Controllers: <controller type=''> and its index (given, or the one
     * libvirt gives it: the lowest unused of its type so far). */
    const char *ctrl_type;         /* borrowed; NULL for other elements */
    int ctrl_index;                /* -1 for other elements */
    int ctrl_order;                /* its place in libvirt's controller list */
    const char *disk_target;       /* <target dev=''> of a disk, borrowed */
    bool primary_video;            /* <model primary='yes'> of a video */
    bool address_dropped;          /* a PCI address libvirt throws away (catalog_drops_pci_address) */

    /* PCI controllers only (index >= 0) */
    int index;                     /* -1 for everything else */
    bool index_implicit;           /* no index= in the XML: libvirt's choice */
    const struct ctrl_model *ctrl; /* NULL: model missing */
    long chassis_nr, chassis, port, bus_nr, numa_node;  /* -1 when absent */
    long target_index;             /* a PHB's <target index=''>; -1 when absent */
    int hotplug;                   /* -1 absent, 0 off, 1 on */

    struct dev_pref pref;          /* pcitopo's wishes for it (by alias) */
    char *label;                   /* device_label's text; owned by the topology */
    /* What libvirt refuses in this element as written, in its words;
     * NULL when nothing.  Owned by the topology.  A value its parser
     * cannot read (a part of <address> or <target>, a host device's host
     * address) or a PCI address out of range is found as libvirt reads
     * the element; a PCI domain other than 0 is read, and refused only
     * when libvirt reserves the address (problem_when_reserved), in
     * placement's order.  Either way the file loads and the device is
     * shown with its problem, as a collision is. */
    char *problem;
    bool problem_when_reserved;
};

struct slot {
    uint8_t used;      /* functions taken by devices or the chipset */
    uint8_t chipset;   /* functions the chipset always takes */
};

struct bus {
    unsigned index;
    const struct ctrl_model *model;   /* NULL when the controller has no model */
    struct device *ctrl;              /* NULL for an implicit root */
    bool hotplug;                     /* its slots take hot-plugged devices */
    struct slot slots[PCI_SLOTS];
};

struct diag_list;

/* The derived data a topology keeps for other modules (topology_memo). */
enum memo_slot {
    MEMO_PLAN,          /* place.c's plans (place_plan_shared) */
    MEMO_GUEST_VIEW,    /* guestdiff.c's view (guest_view_shared) */
    MEMO_GUESTBUS,      /* guestbus.c's numbering as written (guestbus_shared) */
    MEMO_GUESTBUS_RUN,  /* the numbering as the domain will run (lspci_guestbus_shared) */
    MEMO_COUNT
};

struct topology {
    enum machine machine;       /* mach->id: for the tables' machine masks */
    const struct machine_def *mach;
    const char *machine_name;   /* os/type/@machine; borrowed, may be NULL */
    const char *name;           /* <name>; borrowed, may be NULL */
    bool acpi;
    int numa_cells;             /* <cpu><numa><cell> count */
    xmlNodePtr root;            /* the document's <domain>; borrowed */
    struct ctrl_list ctrls;     /* every <controller>, as libvirt lists and numbers them */
    struct implicit_facts implicit;   /* what makes libvirt add devices (§4) */
    /* libvirt's refusals that are not about PCI, before and after it
     * assigns addresses (validate.h): found once, when first asked
     * (topology_refusals); NULL until then */
    struct diag_list *refusals[2];
    /* what other modules derive from this topology once and keep with it
     * (topology_memo); the topology is const to its readers, and these
     * are filled in later as refusals are */
    struct topology_memo {
        void *data;
        void (*free)(void *data);
    } memo[MEMO_COUNT];
    /* derived right after a whole plan was written to the document
     * (session_refresh_placed): placing it again adds nothing, since
     * place changes nothing on its own output (test_golden's no-op
     * cases), so spare_placed need not place it */
    bool placed_whole;
    bool primary_video_none;    /* libvirt's first video is none/ramfb */
    /* a device has <address type='virtio-mmio'/>, so every virtio device
     * without an address goes there too (machine_def.virtio_mmio) */
    bool virtio_mmio;
    struct domain_policy policy;  /* pcitopo's metadata; the default without */
    /* Entries of pcitopo's metadata whose alias no device carries (kept,
     * and noted by check); owned array, aliases borrowed. */
    struct orphan_pref {
        const char *alias;
        long line;
    } *orphan_prefs;
    size_t norphan_prefs;
    /* Children of <devices> that are no libvirt device pcitopo knows:
     * kept as written, listed by the tree.  Owned array, names borrowed. */
    struct unknown_element {
        const char *name;
        long line;
    } *unknown;
    size_t nunknown;
    struct device *devs;        /* PCI-relevant devices in document order; owned */
    size_t ndevs;
    struct bus *buses[PCI_BUSES];   /* by controller index; owned, NULL = none */
};

/* Derives the topology of d.  Returns a new topology (free with
 * topology_free) or NULL with e set to "FILE:LINE: <element>: problem"
 * for what makes the document no domain pcitopo can model (the machine,
 * the controllers' indexes and root models, aliases, NUMA cells).  What
 * libvirt refuses in one device's address or target loads: the device
 * carries it (device.problem) for check, place and the tree. */
struct topology *topology_new(const struct domain *d, struct err *e);
void topology_free(struct topology *t);

/* What slot k of t holds, made by make(t) when it is empty and freed with
 * t by free_fn.  Derived data is made when first asked, so a topology
 * that nobody numbers or places costs nothing. */
void *topology_memo(const struct topology *t, enum memo_slot k, void *(*make)(const struct topology *t),
                    void (*free_fn)(void *data));
/* The same, taken out of t: the caller owns it, and t makes it again
 * when next asked. */
void *topology_memo_take(const struct topology *t, enum memo_slot k,
                         void *(*make)(const struct topology *t));

/* Whether a bus of model m takes hot-plugged devices: the model's word,
 * unless its controller ctrl (NULL: none in the document) switches it off
 * (topology_hotplug_off), and for pc's root only with ACPI. */
bool topology_bus_hotplug(const struct ctrl_model *m, const struct device *ctrl, bool acpi);
/* Whether controller ctrl (NULL: none) of model m switches its bus's
 * hot-plug off: <target hotplug='off'/>, where the model honours it. */
bool topology_hotplug_off(const struct ctrl_model *m, const struct device *ctrl);

/* The video libvirt makes the primary one (the tree marks it, placement
 * gives it the favourite slot): the one marked primary='yes', else the
 * first in document order.  NULL when there is none on PCI (none, or a
 * first video of model none or ramfb). */
const struct device *topology_primary_video(const struct topology *t);

/* libvirt's refusals that are not about PCI, of phase (enum
 * validate_phase: before or after it assigns addresses).  Found when
 * first asked: a topology that is only a step (a copy about to change,
 * the editor's preview) never pays for them. */
const struct diag_list *topology_refusals(const struct topology *t, int phase);

/* The bus with that index, or NULL. */
const struct bus *topology_bus(const struct topology *t, unsigned index);
/* True if the bus's slot range includes slot. */
bool bus_has_slot(const struct bus *b, unsigned slot);
/* Why a device alias is not one pcitopo takes, or NULL when it is.  A
 * user alias is 'ua-' then letters, digits, '_' and '-' (what libvirt
 * keeps in a definition); libvirt's own aliases, in a running guest's
 * XML, are a letter then letters, digits, '_', '-' and '.'.  Nothing else
 * is taken, so an alias is always one word of the command language, a
 * QEMU id and a file name: never a second command. */
const char *alias_problem(const char *alias);

/* The device with that <alias name=''>, or NULL. */
const struct device *topology_find_alias(const struct topology *t, const char *alias);
/* The device whose element is el, or NULL.  Not const: a change that
 * must see a device differently for one placement (a hot-plug's
 * hotplug=yes) adjusts it there. */
struct device *topology_find_node(const struct topology *t, const xmlNode *el);
/* The device of the document at bus:slot.fn, or NULL. */
const struct device *topology_find_addr(const struct topology *t, unsigned bus, unsigned slot,
                                        unsigned fn);
/* "line:N" names the device whose element starts on line N of the
 * document, as the tree and check print it: the one name a device with
 * neither alias nor address has.  Returns it (NULL: none) and in *n how
 * many devices start on that line; false when what is no "line:N". */
bool topology_find_line(const struct topology *t, const char *what, const struct device **dv, int *n);
/* Reads "BB:SS.F" (hex, as lspci and the tree print it). */
bool topology_parse_bdf(const char *s, unsigned *bus, unsigned *slot, unsigned *fn);

/* A host PCI address (lspci -D's DDDD:BB:SS.F). */
struct host_addr {
    unsigned domain, bus, slot, function;
};
/* The host function a <hostdev> or <interface type='hostdev'> passes
 * through (its <source><address>).  False when it names none. */
bool device_host_addr(const struct device *dv, struct host_addr *h);

/* What libvirt's parser refuses first in element el of <devices> (of a
 * machine m domain): the problem topology_new gives a device, found for
 * any element libvirt reads (a <console> is no device of the topology).
 * A new string in libvirt's words, or NULL. */
char *topology_parse_problem_new(xmlNodePtr el, enum machine m);
/* Appends dv's <address> as the document writes it ("bus='0x00'
 * slot='0x20' function='0x0'"): the only way to show one that names no
 * slot. */
void device_put_written_address(const struct device *dv, struct strbuf *sb);

/* Short label of a device: "interface virtio", "pcie-root-port", ...,
 * whole however long its model is; borrowed from the topology. */
const char *device_label(const struct device *dv);

#endif
