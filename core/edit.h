/* edit: adding and deleting devices — the changes a person asks for, as
 * opposed to what placement adds.
 *
 * The catalogue of what `add` can create is a table here (one row per
 * kind, with the element libvirt expects); adding inserts the element
 * where libvirt writes it and then places the domain as libvirt would, so
 * the report says exactly where the device went and what came with it.
 * The editor's preview runs the same code on a copy of the session. */
#ifndef PCITOPO_EDIT_H
#define PCITOPO_EDIT_H

#include <stdbool.h>

#include "place.h"
#include "prefs.h"
#include "session.h"
#include "spare.h"

enum add_need {
    ADD_NEEDS_HOST = 1 << 0,   /* a host PCI address (hostdev) */
    ADD_DISK = 1 << 1,         /* gets the next free vdX and an image path */
    ADD_BUS = 1 << 2,          /* a PCI controller: placement preferences do not apply */
};

/* One kind of device `add` creates. */
struct add_kind {
    const char *name;       /* what `add` takes: "virtio-net" */
    const char *summary;    /* one line for the dialog and completion */
    unsigned machines;      /* MACH_* it exists on */
    const char *xml;        /* the element; see edit.c for its placeholders */
    unsigned needs;         /* ADD_* */
};

const struct add_kind *add_kind_find(const char *name);
/* Iterate the table: NULL past the end. */
const struct add_kind *add_kind_at(size_t i);

/* What `add KIND key=value...` asks for. */
struct add_request {
    const struct add_kind *kind;
    const char *alias;        /* "ua-..." or NULL; borrowed */
    bool has_host;
    struct host_addr host;
    struct dev_pref pref;     /* hotplug=, bus=, numa= */
};

/* Reads "KIND [alias=ua-NAME] [host=DDDD:BB:SS.F] [hotplug=yes|no]
 * [bus=pcie|pci|any] [numa=N]" (argv[0] is the command name).  False with
 * e set to what is wrong. */
bool add_request_parse(int argc, char **argv, struct add_request *r, struct err *e);

/* What an add did: where the device went and what came with it.  Owns
 * its strings: add_report_free. */
struct add_report {
    char *device;              /* "interface virtio ua-net1" */
    struct pci_addr addr;      /* where it went */
    bool hotplug;              /* its slot takes hot-plugged devices */
    int nadded;                /* elements placement added */
    char **added;              /* each: "pcie-root-port index 9 at 00:02.7" */
    int others;                /* other devices placement gave an address */
    struct spare spare;        /* spare hot-plug slots after */
    const char *wish_conflict; /* which of two wishes that cannot both hold wins; NULL */
    /* renumber_note_new of the document with the device, before it was
     * placed: whether libvirt's placement renumbers devices the guest has,
     * and what stable-guest would do; NULL: nothing moves either way */
    char *renumber;
};
void add_report_free(struct add_report *rep);

/* Adds the device r asks for and places the domain (rep is filled anew,
 * its old contents not freed: add_report_free it after each call, after
 * a failure too).  Preferences are
 * written to the metadata under the device's alias (one is made, ua-net0
 * style, when r has none).  In live mode (s->live) the device must go into
 * an empty hot-pluggable slot and nothing else may be added.  On success
 * the document and topology are updated, s->last_added is the new element,
 * and rep says what happened.  On failure (the kind does not exist on this
 * machine, the alias is taken, libvirt would refuse the placement) the
 * document may be half-changed: callers roll back (cmd_execute does). */
bool edit_add(struct session *s, const struct add_request *r, struct add_report *rep,
              struct err *e);
/* The same add on a copy of s, which stays as it is: the editor's
 * preview.  *copy is the copy: NULL makes one, and one made here before
 * (for s) is reused, its last preview undone (session_reset_copy).  True
 * with *copy after the add; false with e set (*copy kept for the next
 * preview, whatever state it is in).  rep as edit_add's.  The caller
 * frees *copy with session_free when previewing ends. */
bool edit_add_preview(const struct session *s, const struct add_request *r, struct session **copy,
                      struct add_report *rep, struct err *e);
/* Appends one line of rep, for a status line. */
void add_report_line(const struct add_report *rep, struct strbuf *sb);

/* Deletes dv (a device of s->topo).  PCI controllers only when nothing is
 * on their bus; the root bus, q35's SATA controller and controllers that
 * disks or USB devices use are refused, since libvirt would add them back.
 * The last memballoon or USB controller becomes model='none', because
 * libvirt adds a default one where none is written.  note says what was
 * done.  A function of a group is refused: a group goes as one unit
 * (group_delete).  False with e set when refused (the document unchanged). */
bool edit_delete(struct session *s, const struct device *dv, struct strbuf *note,
                 struct err *e);

/* Takes dv's element out of the document, with its preferences; the
 * topology is stale until a refresh.  No checks: edit_delete and
 * group_delete decide what may go. */
void edit_remove_element(struct session *s, const struct device *dv);

/* Records preferences for dv, merging args ("hotplug=no", "bus=default",
 * ...) into what it had; gives dv a user alias first when it has none.
 * Addresses never move: note says whether the wishes can still act.
 * False with e set (document unchanged) on a bad argument. */
bool edit_set_pref(struct session *s, const struct device *dv, int argc, char **argv,
                   struct strbuf *note, struct err *e);

/* Sets the domain's policy.  Nothing is re-placed. */
void edit_set_policy(struct session *s, enum policy p, struct strbuf *note);

/* Sets the domain's stable-guest preference (prefs.h).  Nothing is
 * re-placed: it acts when placement next adds a bridge. */
void edit_set_stable_guest(struct session *s, bool on, struct strbuf *note);

/* spare-ports N: records N, and adds empty hot-pluggable ports (root ports
 * on q35 and virt, pci-bridges on pc, PHBs on pseries: the machine row's)
 * until N are spare; never removes any.  note
 * says what was added and what the empty ports cost at boot.  False with e
 * set when placement refuses, or in live mode. */
bool edit_spare_ports(struct session *s, int n, struct strbuf *note, struct err *e);

/* What n empty PCIe root ports add to a guest's boot time, in ms, as
 * libguestfs measured it (seed 001); -1 beyond what was measured. */
int spare_boot_cost_ms(int n);

/* dv's user alias ("ua-..."), giving dv a new one (ua-net0 style) in the
 * document when it has none — preferences and groups name devices by it,
 * and libvirt keeps no other kind.  *made says whether it is new; buf holds
 * a new one.  The topology still has the old alias until a refresh. */
const char *edit_user_alias(struct session *s, const struct device *dv, char *buf, size_t size,
                            bool *made);

/* The device called what (alias or BB:SS.F), or NULL with e set. */
const struct device *edit_find(const struct session *s, const char *what, struct err *e);

#endif
