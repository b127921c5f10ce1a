/* summary: one domain of a connection in a line — its state, machine,
 * spare hot-plug slots and the problems check finds — as the domain list
 * (pcitopo --connect URI) shows it.  The numbers are those of `spare` and
 * `check` on the domain's persistent definition (the running guest's XML
 * for a transient domain).  Talks to libvirt only through virt.h. */
#ifndef PCITOPO_SUMMARY_H
#define PCITOPO_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"
#include "virt.h"

struct summary {
    char *name;          /* owned */
    const char *state;   /* virsh's words; static */
    bool persistent;
    bool read;           /* its XML was read (the fields below are set) */
    char *machine;       /* os/type/@machine ("pc-q35-7.2"); owned, NULL: none written */
    int pcie, pci;       /* spare hot-plug slots, as spare counts them */
    int problems;        /* what check counts: refusals and what QEMU refuses */
    char *error;         /* why the XML gave no numbers; owned, NULL: none */
};

struct summary_list {
    struct summary *s;   /* owned, sorted by name */
    size_t n;
};

/* The domains of c, names and states only (summary_read fills the rest,
 * one at a time, so that a screen can show progress between them).
 * False with e set. */
bool summary_list_new(struct virt_conn *c, struct summary_list *out, struct err *e);
void summary_list_free(struct summary_list *l);

/* Reads one domain's XML and fills in the rest of s (read becomes true;
 * error says what went wrong, the row is still shown). */
void summary_read(struct virt_conn *c, struct summary *s);

/* Column headings and one row, for text output: NAME STATE MACHINE PCIE
 * PCI PROBLEMS, each row ending in a newline. */
void summary_heading(struct strbuf *sb, size_t name_width);
void summary_row(struct strbuf *sb, const struct summary *s, size_t name_width);
/* The width the NAME column needs for l (at least its heading's). */
size_t summary_name_width(const struct summary_list *l);

#endif
