/* group: multifunction slots made of host devices — several functions of
 * a host card (a NIC's ports, a GPU and its audio function) passed to the
 * guest as the functions of one slot (seed 004).
 *
 * A group is not stored anywhere but in the addresses: it is the devices
 * that share one bus:slot, when they are all PCI host devices (<hostdev
 * type='pci'>, <interface type='hostdev'>).  So a group written by hand,
 * by libvirt or by pcitopo is the same thing, and nothing can drift.
 * This module finds groups, makes and unmakes them (the only changes that
 * move addressed devices, because the user names them), and deletes them
 * as one unit. */
#ifndef PCITOPO_GROUP_H
#define PCITOPO_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"
#include "topology.h"
#include "util.h"

/* The devices at one bus:slot. */
struct group {
    unsigned bus, slot;
    int n;                                    /* devices in the slot */
    const struct device *fn[PCI_FUNCTIONS];   /* by function (borrowed); NULL: none */
};

/* Fills g with the devices of t at bus:slot. */
void group_at(const struct topology *t, unsigned bus, unsigned slot, struct group *g);
/* Whether dv can be a function of a group: a PCI host device. */
bool group_member_ok(const struct device *dv);
/* Whether g is a group: two or more devices, all PCI host devices. */
bool group_is_hostdevs(const struct group *g);
/* The group dv is a function of: true (g filled) when dv shares its slot
 * with other host devices as a group. */
bool group_of(const struct topology *t, const struct device *dv, struct group *g);
/* The group named by what: a member's alias, address (BB:SS.F) or host
 * address (DDDD:BB:SS[.F]), or its slot (BB:SS).  False with e set (prefixed with cmd) when what names no
 * group. */
bool group_find(const struct topology *t, const char *cmd, const char *what, struct group *g,
                struct err *e);
/* Reads "BB:SS" (hex): a slot, as group, delete and hotplug-xml take it. */
bool group_parse_slot(const char *s, unsigned *bus, unsigned *slot);
/* "ua-a (.0), ua-b (.1)": the members of g, in function order.  Fills buf. */
char *group_members_text_new(const struct group *g);

/* group NAME... [at=BB:SS]: makes the named host devices (aliases,
 * addresses, host addresses, or BB:SS for the members of an existing
 * group) the functions
 * of one slot, function 0 with multifunction='on'.  Members from one host
 * device keep their host function numbers; others are numbered 0..n-1 in
 * the order given (members already in the slot keep theirs).  The slot is
 * at=, else that of the host card's function 0 if it has an address, else
 * that of the first member with an address, else the one
 * placement gives function 0 (on q35 a root port of its own, added as
 * libvirt would, hot-pluggable unless policy minimal or function 0 says
 * hotplug=no; in mode live only an empty hot-pluggable slot).  Members
 * without a user alias get one.  note says what moved and what was added.
 * False with e set (the document may be half-changed: callers roll back)
 * when a rule is broken: more than 8 functions, no function 0, another
 * device in the slot, a member that is not a PCI host device. */
bool group_make(struct session *s, int argc, char **argv, struct strbuf *note,
                struct err *e);

/* ungroup NAME: function 0 stays in the slot alone (multifunction removed);
 * every other member gets its own slot, as libvirt would place it.  note
 * says where each went.  False with e set. */
bool group_unmake(struct session *s, const char *what, struct strbuf *note, struct err *e);

/* Deletes every member of g (a group of s->topo) and their preferences:
 * the one way a group's devices leave the domain.  False with e set. */
bool group_delete(struct session *s, const struct group *g, struct strbuf *note,
                  struct err *e);

#endif
