/* lspci: the domain's PCI functions as the guest's `lspci -D` lists
 * them, each with what names it in the document — what `pcitopo lspci`
 * prints and `lspci --json` gives (jsondoc).
 *
 * Devices without an address are shown where placement puts them, with
 * what libvirt adds at define (the domain as it will run); when libvirt
 * would refuse the placement, the document as written. */
#ifndef PCITOPO_LSPCI_H
#define PCITOPO_LSPCI_H

#include <stdbool.h>

#include "guestbus.h"
#include "pciid.h"
#include "topology.h"
#include "util.h"

struct lspci_row {
    const struct guest_fn *fn;   /* borrowed from guestbus */
    bool known;                  /* ids holds the IDs the guest reads */
    struct pci_ids ids;
    const char *qemu;            /* QEMU's device; NULL when unknown */
    char *name;                  /* what lspci prints after the address; owned */
    char *why;                   /* not seen: guest_fn_why_new's sentence; owned */
};

struct lspci {
    struct guestbus *g;          /* owned */
    struct lspci_row *rows;      /* owned: the seen ones in the guest's order, then the others */
    size_t n, nseen;
    /* placement's refusal when the document had to be taken as written
     * although it lacks addresses; owned, NULL otherwise */
    char *refusal;
    /* the domain boots UEFI: OVMF numbers the buses, and pcitopo numbers
     * them as SeaBIOS does */
    bool uefi;
};

/* t's guest numbering as the domain will run: placed when placement
 * addresses or adds anything, else as written; then, when libvirt would
 * refuse a placement the document needs, *refusal (may be NULL) is its
 * words (owned by the caller), else NULL. */
struct guestbus *lspci_guestbus_new(const struct topology *t, char **refusal);
/* lspci_guestbus_new(t, NULL), made once per topology and freed with it:
 * check's lint and the stability guard number the same topology after
 * every change. */
const struct guestbus *lspci_guestbus_shared(const struct topology *t);
/* The functions of t as the guest sees them.  NULL with e set when
 * pcitopo does not number t's machine (guestbus.h). */
struct lspci *lspci_new(const struct topology *t, struct err *e);
void lspci_free(struct lspci *l);
/* "0000:05:00.0 SCSI storage controller: Red Hat, Inc. Virtio 1.0 block
 * device [ua-disk1] (xml 06:00.0)" for each seen row, then the others
 * under "not seen by the guest:" with why.  New string. */
char *lspci_text_new(const struct lspci *l);
/* One row as lspci_text_new writes it, without indent or newline. */
void lspci_put_line(struct strbuf *sb, const struct lspci_row *r);
/* The part after the name: "[ua-disk1] (xml 06:00.0)", "(chipset)". */
void lspci_put_origin(struct strbuf *sb, const struct lspci_row *r);

#endif
