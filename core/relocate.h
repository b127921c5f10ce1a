/* relocate: moving a device, or a group, to another PCI address — or
 * taking its address away so that placement chooses again.
 *
 * A move is a change of the device's <address> (written as placement
 * writes addresses, apply_address), judged the way `check` judges a
 * document: a move that brings a problem libvirt 9.0 would refuse is
 * refused with libvirt's own words, and callers roll the document back
 * (cmd_execute does).  After a move the domain is placed as `add` places
 * it, so a bus the new address names that has no controller gets the ones
 * libvirt would add.  The editor asks for the slots a device can go to
 * (relocate_targets, from the bus and slot tables, without placing) and
 * previews a move on a copy of the session (relocate_preview). */
#ifndef PCITOPO_RELOCATE_H
#define PCITOPO_RELOCATE_H

#include <stdbool.h>
#include <stdint.h>

#include "group.h"
#include "session.h"
#include "topology.h"
#include "util.h"

/* What to move, and where. */
struct relocate_request {
    const struct device *dv;   /* the device (borrowed from s->topo); NULL: the group g */
    struct group g;            /* the group, when dv is NULL (group_at / group_find fill it) */
    bool automatic;            /* auto: no address; placement chooses, honouring preferences */
    /* The target when not automatic.  A group goes to bus:slot and each
     * member keeps its function (function is not used). */
    unsigned bus, slot, function;
};

/* Reads `relocate WHAT WHERE`: WHAT as delete names a device (alias,
 * BB:SS.F, line:N) or a group (its slot BB:SS, through group_find); WHERE
 * is BB:SS.F, BB:SS (function 0; for a group, the slot) or auto.  False
 * with e set when either names nothing, or WHERE is no address. */
bool relocate_parse(const struct session *s, const char *what, const char *where,
                    struct relocate_request *r, struct err *e);

/* The word that names r's subject on a command line (its alias, else its
 * address, else line:N; a group's slot BB:SS), for the editor to run the
 * move as words.  New string. */
char *relocate_subject_word_new(const struct topology *t, const struct relocate_request *r);

/* Whether r's subject can move at all on s, whatever the target: false
 * with e set for the root bus or a PHB, a device that is not on PCI or
 * has an address of another type, one whose PCI address libvirt throws
 * away, a controller libvirt pins (q35's SATA controller 0, ...: libvirt's
 * words), a function of a group named alone, `auto` for a group, and any
 * move in mode live. */
bool relocate_movable(const struct session *s, const struct relocate_request *r, struct err *e);

/* The slots r's subject could be moved to: bit `slot` of slots[bus] is
 * set when `relocate WHAT bus:slot` succeeds.  Only buses the document
 * has (a bus index without a controller is a valid target too, libvirt
 * adds the controllers, but it is no slot to list); the subject's own slot
 * is not listed.  A slot is listed when nothing takes any of its functions
 * (other than the subject), it is in the bus's range, the bus takes the
 * subject's connection kind at an address given by hand (libvirt's connect
 * flags) and, for a controller, the bus is not behind it (and for a
 * pci-bridge, has a lower index).  From the topology's tables alone, so it
 * costs no placement: a few microseconds for a 250-device domain.  r's
 * target is not used (auto included).  False with e set (out empty) when
 * the subject cannot move (relocate_movable). */
struct relocate_targets {
    uint32_t slots[PCI_BUSES];
    int n;                     /* slots listed */
};
bool relocate_targets(const struct session *s, const struct relocate_request *r,
                      struct relocate_targets *out, struct err *e);

/* What a relocation did.  Owns its strings: relocate_report_free. */
struct relocate_report {
    char *subject;             /* "interface virtio ua-net0", "the group at 01:00 (ua-a (.0), ...)" */
    bool group;
    bool automatic;
    bool had_addr;             /* it had a PCI address before */
    struct pci_addr from, to;  /* a group's: its slot, function 0 */
    bool changed;              /* the address changed: the guest sees it elsewhere */
    bool hotplug;              /* the new slot takes hot-plugged devices */
    int nadded;                /* elements placement added */
    char **added;              /* each: "pcie-root-port index 8 at 00:03.0" */
    int others;                /* other devices placement gave an address */
    int nnotes;
    char **notes;              /* check's notes the move brought (a slot left without function 0, ...) */
    /* libvirt 9.0 refuses the domain for a problem it had before the
     * move (so nothing was placed): its words; NULL when it accepts it */
    char *still_refused;
};
void relocate_report_free(struct relocate_report *rep);
/* Appends the report as one line, for the note and the status line:
 * "moved interface virtio ua-net0 from 01:00.0 to 03:00.0 [hotplug]; the
 * guest will see it at a new address; adds ...". */
void relocate_report_line(const struct relocate_report *rep, struct strbuf *sb);

/* Moves r's subject (rep is filled anew: relocate_report_free it after
 * each call, after a failure too).  A target equal to the current address
 * changes nothing (rep->changed false), and so does an `auto` that gives
 * the device the address it had.  On success s->last_added is the moved
 * element (function 0 of a group).  On failure — the subject cannot move,
 * or libvirt 9.0 would refuse the domain with the new address (its words,
 * as check prints them) — the document may be half-changed: callers roll
 * back (cmd_execute does). */
bool relocate_run(struct session *s, const struct relocate_request *r, struct relocate_report *rep,
                  struct err *e);

/* relocate_run on a copy of s (r's devices are s->topo's; the copy finds
 * its own), for the editor to draw: *copy is made when NULL, else reused
 * (session_reset_copy undoes the last preview).  True with *copy after
 * the move and last_added the moved element; false with e set (rep
 * filled as far as it got; *copy kept, whatever state it is in) when the
 * move would fail.  The caller frees *copy when previewing ends.  It
 * costs undoing the last preview, one check and one placement (check's
 * list of s itself is asked only when the result has a problem or a note
 * to judge). */
bool relocate_preview(const struct session *s, const struct relocate_request *r,
                      struct session **copy, struct relocate_report *rep, struct err *e);

#endif
