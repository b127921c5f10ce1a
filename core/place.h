/* place: libvirt 9.0's PCI address assignment (QEMU driver, QEMU 7.2), as a
 * pure function of the topology.
 *
 * The result is a plan: the final address of every PCI device, the
 * controllers and implicit devices libvirt would add, the <target> values
 * and model names it fills in, and multifunction='on' where a slot has
 * several functions.  Nothing here touches the document (apply.c writes a
 * plan) or prints.  The algorithm is placement-rules.md §5 with the
 * corrections found by the golden cases (tests/golden/README.md): two
 * passes — a dry run that grows the bus list, then assignment from scratch
 * with the grown list. */
#ifndef PCITOPO_PLACE_H
#define PCITOPO_PLACE_H

#include <stdbool.h>

#include "topology.h"
#include "util.h"

enum item_origin {
    ORIGIN_DOCUMENT,   /* a device of the document */
    ORIGIN_IMPLICIT,   /* a device libvirt adds by default (§4) */
    ORIGIN_NEW_BUS,    /* a PCI controller libvirt adds for a new bus (§5.5) */
};

/* Addresses libvirt gives before any first-fit search (§4). */
enum fixed_rule {
    FIX_NONE,
    FIX_SATA0,   /* q35: 00:1f.2, required */
    FIX_IDE0,    /* pc: 00:01.1, required */
    FIX_USB0,    /* pc: piix3-uhci index 0 at 00:01.2, required */
    FIX_VIDEO,   /* the primary video: 00:01.0 on q35, 00:02.0 on pc, if free */
    FIX_ICH9,    /* q35: the first ich9 sound at 00:1b.0, if free */
};

struct plan_item {
    const struct device *dev;   /* borrowed from the topology; NULL if added */
    enum item_origin origin;
    const char *element;        /* "controller", "memballoon", ... */
    const char *ctrl_type;      /* controllers: type=''; NULL otherwise */
    const char *model;          /* the model libvirt uses; NULL if none */
    int index;                  /* controllers: index; -1 otherwise */
    unsigned need;              /* CONN_* it plugs in as */
    int category;               /* §6 */
    bool integrated;            /* root bus only (virtio-iommu) */
    int usb2_index, usb2_fn;    /* member of a USB2 companion set, else -1 */
    bool usb2_pref;             /* a uhci1 q35 put at 00:1d or 00:1a */
    enum fixed_rule fixed;
    bool manual;                /* its address came from the document */

    /* pcitopo's preferences (prefs.h), as placement reads them; all off
     * for a domain without any, which is then placed exactly as libvirt
     * places it */
    bool prefer_root;           /* hotplug=no (or policy minimal): the root bus first */
    bool need_hotplug;          /* hotplug=yes, or numa=N: hot-pluggable buses only */
    int numa;                   /* numa=N: only buses behind node N's expander bus; -1 */
    bool unfixed;               /* a wish overrides the favourite slots of video and sound */
    int want_parent;            /* controllers placement adds: the bus they sit on; -1 any */
    int numa_node;              /* expander buses placement adds: <node>; -1 */

    /* the result */
    struct pci_addr addr;
    bool mf_on;                 /* libvirt writes multifunction='on' */
    long chassis, port, chassis_nr, bus_nr;   /* final <target>; -1 none */
    long target_index;          /* a PHB's final <target index=''>; -1 none */
    const char *model_name;     /* final <model name=''> (PCI controllers) */
    const char *why;            /* the rule that chose the address */
    const char *added_why;      /* ORIGIN_IMPLICIT: why libvirt adds it */
    const char *model_attrs;    /* ORIGIN_IMPLICIT: "k=v ..." libvirt writes beside the model */
};

struct plan {
    /* owned; in libvirt's list order: the document's and the implicit
     * controllers, the endpoints, then the controllers of new buses */
    struct plan_item *items;
    size_t n;
    const char *add_root;       /* root model to add as an element, or NULL */
    const char *add_root_model_name;   /* its <model name=''>, or NULL */
    long add_root_target_index;        /* its <target index=''>, or -1 */
    int bus_item[PCI_BUSES];    /* the item of the PCI controller providing each bus, -1 none */
    /* devices whose PCI address libvirt throws away; borrowed, owned array */
    const struct device **dropped;
    size_t ndropped;
};

/* Runs libvirt's algorithm on t.  Returns a new plan (free with
 * plan_free), or NULL with e set to libvirt's own message when libvirt
 * would refuse the domain — or, when libvirt would accept a placement that
 * QEMU cannot start (its switch loop), to a message that says so, with
 * "QEMU refuses to start" in it.  *culprit (if not NULL) then names the
 * device concerned when there is one. */
struct plan *place_plan(const struct topology *t, struct err *e, xmlNodePtr *culprit);
void plan_free(struct plan *p);
/* place_plan's answer, made once per topology and kept with it: the plan
 * belongs to t (valid while t lives; never freed or changed by the
 * caller).  The editor asks for it several times per key (check's list,
 * placing the rest, the spare count), on a topology that is the same. */
const struct plan *place_plan_shared(const struct topology *t, struct err *e, xmlNodePtr *culprit);
/* t placed with the stable-guest preference (prefs.h) on or off,
 * whatever t's policy says; the other way round from t's own, it is made
 * once and kept with t as place_plan_shared's plan is.  Owned by t; NULL
 * when libvirt would refuse it or QEMU could not start it. */
const struct plan *place_plan_variant_shared(const struct topology *t, bool stable_guest);
/* place_plan, following device dv: appends to trace one line for each bus
 * the first-fit search looked at, and the buses pass A added for it. */
struct plan *place_traced(const struct topology *t, const struct device *dv,
                          struct strbuf *trace, struct err *e);

/* A problem `check` found. */
struct diag {
    const struct device *dev;   /* the device concerned; NULL for the domain */
    xmlNodePtr node;            /* its element, or one pcitopo does not model; NULL for the domain */
    bool error;                 /* false: a note — accepted, but worth knowing */
    bool at_start;              /* libvirt accepts it; QEMU refuses to start */
    char *msg;                  /* libvirt's words where libvirt reports it; owned */
};

struct diag_list {
    struct diag *d;             /* owned */
    size_t n;
    int errors;                 /* including the start errors */
    int start_errors;
};

/* Validates the domain as libvirt does at define time: every address and
 * controller of the document is checked (all problems, not just the
 * first), then placement of the rest runs and adds its refusal, if any.
 * Also notes what QEMU would refuse at start (multifunction='off' with
 * other functions) and what libvirt would add behind the user's back (a
 * bus index with no controller).  Returns a new list; free with
 * diag_list_free. */
struct diag_list *place_check(const struct topology *t);
void diag_list_free(struct diag_list *l);
/* Appends a problem about dv (NULL: none modelled), else about element
 * node (NULL: the domain). */
void diag_list_add(struct diag_list *l, const struct device *dv, xmlNodePtr node, bool error,
                   const char *fmt, ...) PT_PRINTF(5, 6);

/* Why placement cannot honour preferences p on t at all (bus=pcie on pc,
 * a NUMA node the guest does not have), as a new string; NULL when it
 * can. */
char *place_wish_problem_new(const struct topology *t, const struct dev_pref *p);

/* When two wishes of p (or a wish and the domain's policy) cannot both
 * hold on t: which one placement follows, in a sentence (static text,
 * valid until the next call); else NULL. */
const char *place_wish_conflict(const struct topology *t, const struct dev_pref *p);

/* Whether libvirt requires dv at one address, whatever the document says
 * (q35's SATA controller 0 at 00:1f.2; pc's IDE controller and PIIX3 USB
 * controller 0 at 00:01.1 and 00:01.2): true with the address in *at and
 * in *libvirt_says libvirt's words for it being elsewhere (static). */
bool place_pinned(const struct topology *t, const struct device *dv, struct pci_addr *at,
                  const char **libvirt_says);

/* One line of advice for a person who got libvirt's message msg (from
 * place_plan), or NULL when there is nothing useful to add. */
const char *place_hint(const char *msg);

/* The item of a topology device, or NULL. */
const struct plan_item *plan_item_of(const struct plan *p, const struct device *dv);
/* The item of the PCI controller that provides bus index b, or NULL. */
const struct plan_item *plan_bus_controller(const struct plan *p, unsigned b);
/* The item at bus:slot.fn in the plan, or NULL. */
const struct plan_item *plan_item_at(const struct plan *p, unsigned bus, unsigned slot, unsigned fn);

/* Appends "pcie-root-port index 9 at 00:02.7": an item placement added,
 * for the notes that say what came with a change. */
void plan_item_put(struct strbuf *sb, const struct plan_item *it);

/* What applying a plan changed. */
struct apply_stats {
    int addressed;     /* document devices given an address */
    int added;         /* elements added (controllers, implicit devices) */
    int completed;     /* existing elements completed (targets, model names, multifunction) */
};

/* Writes plan p, made from the topology of d, into d's document: addresses
 * for the devices without one, the added controllers and implicit devices
 * (indented like their neighbours), and the target values, model names and
 * multifunction flags libvirt fills in.  Devices that have an address keep
 * it.  Returns what changed (all zero: nothing). */
struct apply_stats plan_apply(const struct plan *p, struct domain *d);
/* Writes addr into el's <address> (made when el has none), in libvirt's
 * spelling, with multifunction='on' when mf_on: for the changes a person
 * asks for by address (group). */
void apply_address(xmlNodePtr el, const struct pci_addr *addr, bool mf_on);

#endif
