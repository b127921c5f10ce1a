/* guestdiff: what changes between two states of one domain, for the
 * guest — `pcitopo diff OLD NEW`, and the stability guard that every
 * change and every preview runs (guard_note_new).
 *
 * Each state is taken as it will run (lspci_guestbus_new: devices
 * without an address where placement puts them) and reduced to a view:
 * each function's name, XML address and guest address, owned by the
 * view, so a view outlives the topology it was made from — a command
 * keeps the view from before it ran and compares it with the one after.
 * Devices are matched by alias, else by what names them in libvirt (a
 * controller's type and index, a NIC's MAC, a disk's target, a host
 * device's host address), else by kind and order.  What matters to the
 * guest is the address its firmware and lspci give a device: a NIC's
 * name and a disk's path follow it, so a device whose guest address
 * moves although its XML address did not is the change people miss. */
#ifndef PCITOPO_GUESTDIFF_H
#define PCITOPO_GUESTDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"
#include "util.h"

/* One function of a view: a device of the document, or one libvirt adds. */
struct view_fn {
    const char *key;    /* what matches it across views; in the view's text */
    const char *name;   /* "ua-net0 (interface virtio)"; in the view's text */
    size_t key_at, name_at;     /* their offsets in the view's text */
    size_t short_len;   /* the short name at name's start: "ua-net0" */
    bool controller;
    bool has_xml;
    struct pci_addr xml;    /* what libvirt writes (or will) */
    bool seen;          /* the guest sees it, at bus:slot.function */
    int bus;
    unsigned slot, function;
    int provides;       /* the bus index a controller provides; -1 */
    int provides_number;    /* that bus's guest number when the guest has it; -1 */
    size_t order;       /* its place in the guest numbering's list */
};

struct guest_view {
    struct view_fn *fn;     /* owned, sorted by key */
    char *text;             /* owned: every key and name, one after another */
    size_t n;
    bool numbered;          /* pcitopo numbers this machine's buses */
};

/* t as the guest will see it.  New; free with guest_view_free. */
struct guest_view *guest_view_new(const struct topology *t);
/* The same, made once per topology and freed with it (the previews
 * compare every candidate with the document's view). */
const struct guest_view *guest_view_shared(const struct topology *t);
/* The shared view of t, made when not yet, taken from t: the caller
 * frees it (a command's view of the document before it ran, kept after
 * the topology goes). */
struct guest_view *guest_view_take(const struct topology *t);
void guest_view_free(struct guest_view *v);

enum diff_kind {
    DIFF_XML_MOVED,      /* its XML address changed (its guest address too, usually) */
    DIFF_GUEST_MOVED,    /* same XML address, another guest address */
    DIFF_ADDED,          /* only in NEW */
    DIFF_REMOVED,        /* only in OLD */
};

struct diff_entry {
    enum diff_kind kind;
    const struct view_fn *old, *new;   /* borrowed; NULL where it is not */
};

struct guest_diff {
    struct guest_view *own_old, *own_new;   /* owned when made from topologies */
    const struct guest_view *old, *new;
    struct diff_entry *e;         /* owned, by kind, then in NEW's (or OLD's) order */
    size_t n;
    int moved;                    /* devices in both whose guest address differs */
    int guest_moved;              /* of them, those whose XML address is the same */
    bool numbered;                /* both machines' buses are numbered */
};

/* The differences between old and new (topologies of documents of one
 * domain).  New; free with guest_diff_free. */
struct guest_diff *guest_diff_new(const struct topology *old, const struct topology *new);
/* The same between two views, which must outlive the diff. */
struct guest_diff *guest_diff_of_views_new(const struct guest_view *old,
                                           const struct guest_view *new);
void guest_diff_free(struct guest_diff *d);
/* The differences in sections, one line per device; "" when none. */
char *guest_diff_text_new(const struct guest_diff *d);

/* The stability guard: the devices of before that a change leaves at
 * their XML address but gives another guest address, with both
 * guest addresses — "2 devices move in the guest: ua-disk1
 * 05:00.0->06:00.0, ..." — at most `most` of them named; NULL when none
 * moves or the machine is not numbered.  New string. */
#define GUARD_NOTE_MOST 8
char *guard_note_new(const struct guest_view *before, const struct guest_view *after, int most);
/* The guard between two topologies (a document and its preview), with
 * the views each keeps; NULL also where pcitopo does not number the
 * machine's buses. */
char *guard_preview_note_new(const struct topology *before, const struct topology *after, int most);
/* How many devices guard_note_new would name in all. */
int guard_moves(const struct guest_view *before, const struct guest_view *after);

#endif
