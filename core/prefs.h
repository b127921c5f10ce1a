/* prefs: the placement wishes libvirt has no element for, and where they
 * are kept.
 *
 * Per device: hotplug=yes|no, bus=pcie|pci|any, numa=N (seed 002's
 * "addressPreferences").  Per domain: the policy (libvirt or minimal),
 * the number of spare hot-plug ports (seed 001's "availablePCIeSlots")
 * and stable-guest (issue 24: new bridges where they renumber nothing).
 * They live in one element of the domain's <metadata>, in pcitopo's own
 * namespace (doc/prefs.md), which libvirt keeps as it is.  Devices are
 * keyed by their user alias (ua-...), the one name of a device that
 * libvirt keeps across define and that does not change when the device
 * moves.  The placement engine only reads them (through the topology);
 * this module is the one that reads and writes the element. */
#ifndef PCITOPO_PREFS_H
#define PCITOPO_PREFS_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>

#include "util.h"

/* The XML namespace of pcitopo's <metadata> element. */
#define PREFS_NS "https://pcitopo.dev/xmlns/placement/1"

enum pref_bus {
    PREF_BUS_ANY,    /* whatever libvirt would choose */
    PREF_BUS_PCIE,   /* a PCI Express port */
    PREF_BUS_PCI,    /* a conventional PCI slot, even on q35 */
};

/* One device's wishes.  Unset values follow the domain's policy. */
struct dev_pref {
    int hotplug;          /* -1 unset, 0 no (may be integrated), 1 yes */
    enum pref_bus bus;
    int numa;             /* guest NUMA node, -1 none */
};
#define DEV_PREF_NONE ((struct dev_pref){ -1, PREF_BUS_ANY, -1 })

enum policy {
    POLICY_LIBVIRT,   /* exactly libvirt's placement */
    POLICY_MINIMAL,   /* libguestfs's wish: no controller that is not needed */
};

struct domain_policy {
    enum policy policy;
    int spare_ports;      /* empty hot-pluggable ports to keep; -1: libvirt's rule */
    /* stable-guest: a bridge placement adds goes, among the places
     * libvirt's rules allow, where the firmware numbers it after every
     * bus the guest already has, so no device gets a new guest address */
    bool stable_guest;
};
#define DOMAIN_POLICY_DEFAULT ((struct domain_policy){ POLICY_LIBVIRT, -1, false })

/* Everything the metadata element holds. */
struct prefs {
    struct domain_policy policy;
    struct pref_entry {
        const char *alias;    /* borrowed from the document */
        struct dev_pref pref;
        long line;
    } *dev;                   /* owned */
    size_t ndev;
};

/* True when p asks for anything. */
bool dev_pref_is_set(const struct dev_pref *p);
/* "hotplug=no bus=pci numa=1", or "" when nothing is set; new string. */
char *dev_pref_text_new(const struct dev_pref *p);
/* Reads one "key=value" argument into p.  Returns 1 when it was a
 * preference, 0 when the key is not one (p unchanged), -1 when the value
 * is bad (e set, naming what is allowed).  "default" (or bus=any) clears a
 * value. */
int dev_pref_parse_arg(const char *arg, struct dev_pref *p, struct err *e);
const char *policy_name(enum policy p);
/* "libvirt" / "minimal" → *p; false when neither. */
bool policy_parse(const char *s, enum policy *p);

/* Reads pcitopo's element of doc (named name in messages).  Absent: the
 * defaults and no entries.  False with e set to "NAME:LINE: <element>:
 * problem" for a value pcitopo cannot read; free with prefs_free either
 * way. */
bool prefs_read(xmlDocPtr doc, const char *name, struct prefs *out, struct err *e);
void prefs_free(struct prefs *p);
/* The wishes of the device with that alias (none when alias is NULL or
 * has no entry). */
struct dev_pref prefs_of(const struct prefs *p, const char *alias);

/* Writes the wishes of alias (removing its entry when p asks for
 * nothing), creating <metadata> and pcitopo's element when needed. */
void prefs_set_device(xmlDocPtr doc, const char *alias, const struct dev_pref *p);
/* Writes the domain's policy (the entry goes when it is the default). */
void prefs_set_policy(xmlDocPtr doc, const struct domain_policy *pol);

#endif
