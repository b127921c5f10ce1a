/* hotplug: how a group goes into a running guest and comes out again —
 * the files of `hotplug-xml`.
 *
 * libvirt 9.0 cannot hot-plug a multifunction slot (placement-rules §11);
 * seed 004's design is what it would take: a <devices> document with every
 * function, each non-zero function plugged first and function 0 last with
 * multifunction=on (what QEMU expects on x86 and pseries), and an unplug
 * that differs by architecture.  This module writes that material for a
 * group: the documents, one file per function for virsh in the order to
 * apply them, the QEMU monitor commands, and the plan in words. */
#ifndef PCITOPO_HOTPLUG_H
#define PCITOPO_HOTPLUG_H

#include <stdbool.h>
#include <stddef.h>

#include "group.h"
#include "session.h"
#include "topology.h"
#include "util.h"

/* The architecture family hotplug-xml --arch names ("x86", "x86_64",
 * "pseries", "ppc64", "aarch64", "riscv64"), as machine_def.arch spells
 * it; NULL when it names none. */
const char *hotplug_arch_family(const char *s);

struct hotplug_file {
    char *name;    /* "attach-1-fn1-ua-nic1.xml": letters, digits, '-', '_'
                    * and '.' only, whatever the aliases are; owned */
    char *text;    /* owned */
};

struct hotplug_set {
    struct hotplug_file *files;   /* owned; in the order to read them */
    size_t n;
};

/* The material for group g of s's topology.  stand_in (may be NULL) names a QEMU
 * device model ("virtio-net-pci") the monitor script uses in place of
 * vfio-pci, to rehearse on a guest without the host devices.  Returns a
 * new set (free with hotplug_set_free) or NULL with e set when a member
 * has no host address. */
struct hotplug_set *hotplug_set_new(const struct session *s, const struct group *g,
                                    const char *stand_in, struct err *e);
void hotplug_set_free(struct hotplug_set *h);

/* Writes every file into dir (made when missing).  Existing files are
 * refused unless force, which replaces them (a symbolic link planted in
 * dir is replaced, never followed).  The set is written into a private
 * directory inside dir and then moved into place, so a failure while
 * writing leaves dir as it was.  False with e set. */
bool hotplug_set_write(const struct hotplug_set *h, const char *dir, bool force, struct err *e);

/* The plan in words: the file called "plan.txt" of the set. */
const char *hotplug_set_plan(const struct hotplug_set *h);
/* The text of the set's file called name ("hotplug.hmp"), or "". */
const char *hotplug_set_text(const struct hotplug_set *h, const char *name);

#endif
