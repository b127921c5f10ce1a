/* tree: the topology as an outline of lines, in the spirit of lspci -tv.
 *
 * One builder serves `pcitopo tree` and the editor's tree pane: it decides
 * order, nesting and wording; the callers only draw.  Every device of the
 * topology appears on exactly one line. */
#ifndef PCITOPO_TREE_H
#define PCITOPO_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"
#include "util.h"

enum tree_role {
    ROLE_HEADING,     /* domain line, section titles */
    ROLE_ROOT,        /* the root bus */
    ROLE_CONTROLLER,  /* a PCI controller providing a bus */
    ROLE_ENDPOINT,    /* a device */
    ROLE_CHIPSET,     /* a function the machine always has */
    ROLE_EMPTY,       /* a run of empty slots */
    ROLE_SLOT,        /* a slot of several functions (a group): they follow, one deeper */
    ROLE_PROBLEM,     /* a device whose place libvirt would refuse */
};

struct tree_line {
    int depth;                  /* 0 = no connector */
    bool last;                  /* last child of its parent */
    enum tree_role role;
    const struct device *dev;   /* borrowed from the topology; may be NULL */
    int bus;                    /* bus the line belongs to, -1 if none */
    int own_bus;                /* bus a controller (or the root) line provides, -1 if none */
    int slot_first, slot_last;  /* ROLE_EMPTY: the slots of the run; ROLE_SLOT: its slot */
    char *text;                 /* owned */
    /* Bit L-1 set: the ancestor at level L has a later sibling, so its
     * connector goes on past this line ("│  "); levels 1..depth-1.  Owned;
     * NULL when depth < 2. */
    unsigned char *more;
    int slot, function;         /* ROLE_CHIPSET: the function's address on bus; else -1 */
};

struct tree {
    struct tree_line *lines;    /* owned */
    size_t n;
};

/* Which numbers a line shows (guestbus.h): the XML's alone, or both —
 * the XML's first, or the guest's — where they differ. */
enum tree_numbers {
    NUMBERS_XML,         /* pcitopo tree: addresses as libvirt writes them */
    NUMBERS_XML_GUEST,   /* 06:00.0 (guest 05:00.0) */
    NUMBERS_GUEST_XML,   /* 05:00.0 (xml 06:00.0) */
};

/* Builds the outline of t.  Returns a new tree; free with tree_free. */
struct tree *tree_new(const struct topology *t);
/* The same, with the runs of empty slots of the buses whose bit is set in
 * expand_empty (a PCI_BUSES bitmap, may be NULL) shown one slot per line. */
struct tree *tree_new_expanded(const struct topology *t, const unsigned char *expand_empty);
/* The same with the guest's numbers as how says.  A machine whose buses
 * pcitopo does not number shows the XML's alone. */
struct tree *tree_new_numbered(const struct topology *t, const unsigned char *expand_empty,
                               enum tree_numbers how);
void tree_free(struct tree *tr);
/* Returns the whole outline as text, one line per entry, connectors drawn
 * with UTF-8 box characters or ASCII; caller frees. */
char *tree_render(const struct tree *tr, bool utf8);
/* Appends the connector prefix of line i ("│  ├─ ") to sb. */
void tree_prefix(const struct tree *tr, size_t i, bool utf8, struct strbuf *sb);

#endif
