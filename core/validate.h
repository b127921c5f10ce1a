/* validate: the define-time refusals of libvirt 9.0 that are not about
 * PCI placement but decide whether the domain exists at all — a missing
 * required model, USB devices while USB is off, a host device assigned
 * twice, a second IDE controller.  Each is a row of a table (validate.c)
 * with libvirt's own words.  place.c runs the rows of the phases before
 * placement first, placement, then the rest, as libvirt does; check
 * collects them all. */
#ifndef PCITOPO_VALIDATE_H
#define PCITOPO_VALIDATE_H

#include "place.h"
#include "topology.h"

/* When libvirt makes a check, relative to address assignment. */
enum validate_phase {
    PHASE_BEFORE_PLACEMENT,   /* parsing and post-parse */
    PHASE_AFTER_PLACEMENT,    /* libvirt's validation of the finished definition */
};

/* Appends every refusal libvirt makes before placement to before, and
 * every one it makes after to after, each in the order libvirt meets
 * them. */
void validate_domain(const struct topology *t, struct diag_list *before, struct diag_list *after);

#endif
