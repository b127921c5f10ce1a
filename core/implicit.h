/* implicit: what in a domain makes libvirt add devices of its own, and
 * which of catalog.h's implicit rows then apply.
 *
 * libvirt adds controllers for disks, channels and SCSI host devices that
 * name a controller the XML lacks, a USB controller 0, a balloon, and a
 * video when there is <graphics> without one.  The facts are read from
 * the document once (implicit_facts_read); the engine asks per row which
 * indexes it wants (implicit_wanted). */
#ifndef PCITOPO_IMPLICIT_H
#define PCITOPO_IMPLICIT_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>

#include "catalog.h"
#include "ctrllist.h"

struct implicit_facts {
    const struct ctrl_list *ctrls;    /* the document's controllers; borrowed */
    /* The highest controller index the ide, sata and scsi disks use (-1:
     * none): a drive address's controller='', else the disk's number
     * (sda = 0) divided by the controller's units (4, 6, 7). */
    int disk_ctrl_needed[3];
    int scsi_hostdev_max;             /* highest scsi controller a SCSI host device is on; -1 */
    /* the scsi controllers SCSI host devices make libvirt add, in the
     * order it adds them; model NULL: the row's default */
    struct scsi_added {
        int index;
        const char *model;            /* borrowed */
        bool late;                    /* added once every host device has an address */
    } *scsi_added;                    /* owned */
    size_t nscsi_added;
    int *chardev_ctrls;               /* virtio-serial index of each virtio channel/console; owned */
    size_t nchardev;
    /* virtio-serial controllers libvirt adds when every port of the others
     * is taken, as it gives ports out (the index of each); owned */
    int *vser_overflow;
    size_t nvser_overflow;
    int ngraphics, nvideos;
    bool balloon;
};

/* Reads the facts from a domain's root element, whose controllers libvirt
 * lists and numbers as ctrls says (kept, borrowed). */
void implicit_facts_read(struct implicit_facts *f, xmlNodePtr root, const struct ctrl_list *ctrls);
void implicit_facts_free(struct implicit_facts *f);

/* Whether the document has a controller of that type and index (model
 * none included). */
bool implicit_has_controller(const struct implicit_facts *f, const char *type, int index);

/* The controller indexes row asks for on machine, in libvirt's order
 * (*out owned by the caller; returns 0 when none): libvirt adds each one
 * that neither the document nor an earlier row has.  For a row that is no
 * controller, one entry (-1) when it applies. */
size_t implicit_wanted(const struct implicit_facts *f, const struct implicit_device *row,
                       unsigned machine, int **out);

/* The model libvirt gives the controller with that index a row adds: for
 * SCSI host devices, that of the controller they name, else the row's. */
const char *implicit_row_model(const struct implicit_facts *f, const struct implicit_device *row,
                               int index);

/* Where a disk on a drive bus sits: its drive address, else the one
 * libvirt derives from its target name. */
struct drive_addr {
    int bus;                  /* index in implicit_disk_buses */
    long name_index;          /* implicit_disk_index of the target name; -1 none */
    long ctrl, dbus, target, unit;
};
/* Fills d for a <disk> on ide, sata or scsi; false for any other. */
bool implicit_disk_drive(xmlNodePtr disk, struct drive_addr *d);

/* The disk buses with controllers, in disk_ctrl_needed's order. */
extern const char *const implicit_disk_buses[3];
/* "vdb" → 1, "sdaa" → 26, "sda1" → 0: a disk's number from its target
 * name, as libvirt reads it (-1 when it is not a disk name). */
long implicit_disk_index(const char *name);

#endif
