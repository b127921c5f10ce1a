/* ctrllist: libvirt's list of a domain's controllers — the order it keeps
 * them in and the index it gives those the XML leaves without one.
 *
 * libvirt files each <controller> as it reads it: after the last one of
 * its type with an index not above its own, so a type's controllers stay
 * together, sorted (virDomainControllerInsertPreAlloced).  Only when the
 * whole document is read does it number those without index='', in list
 * order: the lowest index no controller of the type has — including ones
 * written further down — except that an ich9 USB2 controller joins the
 * set of the USB2 controller just before it.  The list order is the order
 * libvirt places controllers in. */
#ifndef PCITOPO_CTRLLIST_H
#define PCITOPO_CTRLLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>

#include "domain.h"
#include "util.h"

struct ctrl_entry {
    xmlNodePtr el;          /* the <controller>; borrowed */
    const char *type;       /* type='' ("" when absent); borrowed */
    const char *model;      /* model=''; borrowed, NULL when absent */
    int index;              /* as written, else as libvirt numbers it */
    bool given;             /* index='' is written */
    bool companion;         /* a USB companion: <master>, or an ich9-uhci */
    int type_id;            /* a number per known type, so that comparing is cheap */
};

struct ctrl_list {
    struct ctrl_entry *e;   /* owned; in libvirt's list order */
    size_t n;
    struct ctrl_at {
        const xmlNode *el;
        size_t pos;
    } *by_el;               /* owned; positions sorted by element, for lookups */
};

/* Reads the controllers of every <devices> of root.  False with e set
 * ("FILE:LINE: <controller type='...'>: ...", libvirt's words where it
 * has them) for an index libvirt refuses, two controllers of a type with
 * one index (USB excepted: companions share theirs), or no index left. */
bool ctrl_list_read(struct ctrl_list *l, xmlNodePtr root, const struct domain *d, struct err *e);
void ctrl_list_free(struct ctrl_list *l);
/* The position of el in the list, or -1. */
long ctrl_list_position(const struct ctrl_list *l, const xmlNode *el);

#endif
