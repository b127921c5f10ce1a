#include "config.h"
#include "implicit.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xmlutil.h"

/* Controller indexes beyond this are no PCI bus pcitopo could show; a
 * document naming one is refused by the topology long before. */
#define MAX_CTRL_INDEX 255
/* Units per controller when libvirt numbers disks by name (its "narrow"
 * SCSI bus for QEMU): ide, sata, scsi. */
static const int disk_units[3] = { 4, 6, 7 };

const char *const implicit_disk_buses[3] = { "ide", "sata", "scsi" };

long implicit_disk_index(const char *name)
{
    if (!name || strlen(name) < 3)
        return -1;
    /* libvirt's virDiskNameParse: lower-case letters after the prefix,
     * then nothing but a partition number.  A name longer than any disk
     * count is no disk name either (and must not overflow). */
    long n = 0;
    const char *c = name + 2;
    for (; *c >= 'a' && *c <= 'z'; c++) {
        if (n > (INT_MAX - 26) / 26)
            return -1;
        n = n * 26 + (*c - 'a' + 1);
    }
    if (c == name + 2 || c[strspn(c, "0123456789")] != '\0')
        return -1;
    return n - 1;
}

static bool is(xmlNodePtr el, const char *name)
{
    return str_eq((const char *)el->name, name);
}

/* A decimal attribute as libvirt reads drive and virtio-serial addresses
 * (base 10); `absent` when missing or not a number. */
static long decimal_attr(xmlNodePtr el, const char *attr, long absent)
{
    unsigned long v;
    const char *s = xml_attr(el, attr);
    return s && parse_uint_base(s, 10, INT_MAX, &v) ? (long)v : absent;
}

static bool drive_address(xmlNodePtr el)
{
    const char *type = xml_attr(xml_child(el, "address"), "type");
    return type && str_eq(type, "drive");
}

/* A disk's controller and unit: from its drive address, else from its
 * name the way libvirt assigns one (sdh is controller 1, unit 0). */
bool implicit_disk_drive(xmlNodePtr disk, struct drive_addr *d)
{
    const char *bus = catalog_disk_bus(disk);
    memset(d, 0, sizeof *d);
    d->bus = -1;
    for (int b = 0; bus && b < 3; b++)
        if (str_eq(bus, implicit_disk_buses[b]))
            d->bus = b;
    if (d->bus < 0)
        return false;
    d->name_index = implicit_disk_index(xml_attr(xml_child(disk, "target"), "dev"));
    if (drive_address(disk)) {
        xmlNodePtr a = xml_child(disk, "address");
        d->ctrl = decimal_attr(a, "controller", 0);
        d->dbus = decimal_attr(a, "bus", 0);
        d->target = decimal_attr(a, "target", 0);
        d->unit = decimal_attr(a, "unit", 0);
        return true;
    }
    /* ide: two units on two buses per controller; sata 6, scsi 7 units */
    long n = d->name_index < 0 ? 0 : d->name_index;
    d->ctrl = n / disk_units[d->bus];
    d->dbus = d->bus == 0 ? n % 4 / 2 : 0;
    d->unit = d->bus == 0 ? n % 2 : n % disk_units[d->bus];
    return true;
}

static void note_disk(struct implicit_facts *f, xmlNodePtr disk)
{
    struct drive_addr d;
    if (!implicit_disk_drive(disk, &d))
        return;
    long ctrl = d.ctrl > MAX_CTRL_INDEX ? MAX_CTRL_INDEX : d.ctrl;
    if (ctrl > f->disk_ctrl_needed[d.bus])
        f->disk_ctrl_needed[d.bus] = (int)ctrl;
}
static bool virtio_chardev(xmlNodePtr el)
{
    if (!is(el, "channel") && !is(el, "console"))
        return false;
    const char *tt = xml_attr(xml_child(el, "target"), "type");
    return tt && str_eq(tt, "virtio");
}

static void note_chardev(struct implicit_facts *f, xmlNodePtr el)
{
    xmlNodePtr a = xml_child(el, "address");
    const char *type = xml_attr(a, "type");
    long idx = type && str_eq(type, "virtio-serial") ? decimal_attr(a, "controller", 0) : 0;
    f->chardev_ctrls = xrealloc(f->chardev_ctrls, (f->nchardev + 1) * sizeof *f->chardev_ctrls);
    f->chardev_ctrls[f->nchardev++] = (int)idx;
}

/* libvirt's virtio-serial port assignment (consoles, which may take port
 * 0, then channels): a chardev without a port takes the first free one of
 * the controllers in index order; when all are full, libvirt adds a
 * controller at the first free index. */
#define VSER_MAX 32   /* controllers tracked; a port map is 32 bits */
struct vser_ports {
    int index[VSER_MAX];
    int nports[VSER_MAX];
    uint32_t used[VSER_MAX];
    int n;
};

static int vser_find(const struct vser_ports *v, long index)
{
    for (int i = 0; i < v->n; i++)
        if (v->index[i] == index)
            return i;
    return -1;
}

static void vser_add(struct vser_ports *v, long index, long nports)
{
    if (v->n == VSER_MAX || vser_find(v, index) >= 0)
        return;
    /* libvirt keeps them in index order */
    int at = v->n;
    while (at > 0 && v->index[at - 1] > index) {
        v->index[at] = v->index[at - 1];
        v->nports[at] = v->nports[at - 1];
        v->used[at] = v->used[at - 1];
        at--;
    }
    v->index[at] = (int)index;
    v->nports[at] = nports < 1 ? 1 : nports > 31 ? 31 : (int)nports;
    v->used[at] = 0;
    v->n++;
}

static bool vser_take_free(struct vser_ports *v, int i, bool console)
{
    for (int p = console ? 0 : 1; p < v->nports[i]; p++)
        if (!(v->used[i] & (1u << p))) {
            v->used[i] |= 1u << p;
            return true;
        }
    return false;
}

static void vser_assign(struct implicit_facts *f, struct vser_ports *v, xmlNodePtr el, bool console)
{
    xmlNodePtr a = xml_child(el, "address");
    const char *type = xml_attr(a, "type");
    bool vs = type && str_eq(type, "virtio-serial");
    long ctrl = vs ? decimal_attr(a, "controller", -1) : -1, port = vs ? decimal_attr(a, "port", -1) : -1;
    if (port >= 0)
        return;   /* reserved with the written ports */
    if (ctrl >= 0) {
        int i = vser_find(v, ctrl);
        if (i >= 0)
            vser_take_free(v, i, console);
        return;
    }
    for (int i = 0; i < v->n; i++)
        if (vser_take_free(v, i, console))
            return;
    long idx = 0;
    while (vser_find(v, idx) >= 0 || implicit_has_controller(f, "virtio-serial", (int)idx))
        idx++;
    vser_add(v, idx, 31);
    int i = vser_find(v, idx);
    if (i >= 0)
        vser_take_free(v, i, console);
    f->vser_overflow = xrealloc(f->vser_overflow, (f->nvser_overflow + 1) * sizeof *f->vser_overflow);
    f->vser_overflow[f->nvser_overflow++] = (int)idx;
}

static void note_vser_ports(struct implicit_facts *f, xmlNodePtr root)
{
    if (!f->nchardev)
        return;
    struct vser_ports v = { .n = 0 };
    for (size_t i = 0; i < f->ctrls->n; i++)
        if (str_eq(f->ctrls->e[i].type, "virtio-serial") && f->ctrls->e[i].index >= 0)
            vser_add(&v, f->ctrls->e[i].index, decimal_attr(f->ctrls->e[i].el, "ports", 31));
    for (size_t i = 0; i < f->nchardev; i++)
        vser_add(&v, f->chardev_ctrls[i], 31);
    /* the written ports first */
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el)) {
        xmlNodePtr a = xml_child(el, "address");
        const char *type = xml_attr(a, "type");
        if (!virtio_chardev(el) || !type || !str_eq(type, "virtio-serial"))
            continue;
        int i = vser_find(&v, decimal_attr(a, "controller", 0));
        long port = decimal_attr(a, "port", -1);
        if (i >= 0 && port >= 0 && port < 32)
            v.used[i] |= 1u << port;
    }
    for (int pass = 0; pass < 2; pass++)   /* consoles, then channels */
        for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el))
            if (virtio_chardev(el) && is(el, "console") == (pass == 0))
                vser_assign(f, &v, el, pass == 0);
}

static bool scsi_hostdev(xmlNodePtr el)
{
    const char *mode = xml_attr(el, "mode"), *type = xml_attr(el, "type");
    return is(el, "hostdev") && (!mode || str_eq(mode, "subsystem")) && type
        && str_eq(type, "scsi");
}

/* SCSI units taken so far, for host devices without an address: libvirt
 * gives each the first free unit (0-6) of the first controller with one,
 * counting disks and the host devices before it. */
struct units {
    struct { long ctrl, unit; } *u;
    size_t n;
};

static void units_add(struct units *us, long ctrl, long unit)
{
    us->u = xrealloc(us->u, (us->n + 1) * sizeof *us->u);
    us->u[us->n].ctrl = ctrl;
    us->u[us->n++].unit = unit;
}

static bool units_taken(const struct units *us, long ctrl, long unit)
{
    for (size_t i = 0; i < us->n; i++)
        if (us->u[i].ctrl == ctrl && us->u[i].unit == unit)
            return true;
    return false;
}

static long first_free_controller(const struct units *us)
{
    for (long c = 0; c < MAX_CTRL_INDEX; c++)
        for (long u = 0; u < disk_units[2]; u++)
            if (!units_taken(us, c, u))
                return c;
    return MAX_CTRL_INDEX;
}

/* The model of the document's scsi controller with that index: "" when
 * it names none, NULL when there is no such controller. */
static const char *scsi_model(const struct implicit_facts *f, long index)
{
    for (size_t i = 0; i < f->ctrls->n; i++) {
        const struct ctrl_entry *c = &f->ctrls->e[i];
        if (c->index == index && str_eq(c->type, "scsi"))
            return c->model ? c->model : "";
    }
    return NULL;
}

/* The model a scsi controller with that index has when libvirt looks
 * (NULL: none written yet; after post-parse, lsilogic), or NULL with
 * *exists false when there is none. */
static const char *scsi_model_now(const struct implicit_facts *f, long index,
                                  bool post_parse, bool *exists)
{
    const char *m = scsi_model(f, index);
    *exists = m != NULL;
    /* late, the controllers of the SCSI disks are there too */
    if (!*exists && post_parse && index <= f->disk_ctrl_needed[2]) {
        *exists = true;
        return "lsilogic";
    }
    for (size_t i = 0; !*exists && i < f->nscsi_added; i++)
        if (f->scsi_added[i].index == index) {
            *exists = true;
            m = f->scsi_added[i].model;
        }
    if (!*exists)
        return NULL;
    if (m == NULL || m[0] == '\0')
        return post_parse ? "lsilogic" : NULL;
    return m;
}

/* libvirt's step for SCSI host devices, run after each <hostdev> it reads
 * and once more after post-parse: every index up to the highest a SCSI
 * host device names gets a controller, in the model of the one the
 * device with the highest index so far names (golden corners R8). */
static void scsi_hostdev_round(struct implicit_facts *f, const long *ctrl,
                               size_t n, bool post_parse)
{
    long max = -1;
    const char *model = NULL;
    for (size_t i = 0; i < n; i++) {
        if (ctrl[i] <= max)
            continue;
        max = ctrl[i];
        bool exists;
        const char *m = scsi_model_now(f, ctrl[i], post_parse, &exists);
        if (m)
            model = m;
    }
    for (long i = 0; i <= max && i <= MAX_CTRL_INDEX; i++) {
        bool exists;
        scsi_model_now(f, i, post_parse, &exists);
        if (exists)
            continue;
        f->scsi_added = xrealloc(f->scsi_added, (f->nscsi_added + 1) * sizeof *f->scsi_added);
        f->scsi_added[f->nscsi_added++] = (struct scsi_added){ (int)i, model, post_parse };
    }
}

static void note_scsi_hostdevs(struct implicit_facts *f, xmlNodePtr root)
{
    struct units us = { NULL, 0 };
    struct drive_addr d;
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el))
        if (is(el, "disk") && implicit_disk_drive(el, &d) && d.bus == 2)
            units_add(&us, d.ctrl, d.unit);
    long *parsed = NULL, *assigned = NULL;
    size_t n = 0;
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el)) {
        if (!scsi_hostdev(el))
            continue;
        xmlNodePtr a = xml_child(el, "address");
        bool given = drive_address(el);
        long ctrl = given ? decimal_attr(a, "controller", 0) : first_free_controller(&us);
        long unit = given ? decimal_attr(a, "unit", 0) : 0;
        if (!given)
            while (unit < disk_units[2] && units_taken(&us, ctrl, unit))
                unit++;
        units_add(&us, ctrl, unit);
        parsed = xrealloc(parsed, (n + 1) * sizeof *parsed);
        assigned = xrealloc(assigned, (n + 1) * sizeof *assigned);
        /* while libvirt reads, a device without an address is on 0 */
        parsed[n] = given ? (ctrl > MAX_CTRL_INDEX ? MAX_CTRL_INDEX : ctrl) : 0;
        assigned[n++] = ctrl > MAX_CTRL_INDEX ? MAX_CTRL_INDEX : ctrl;
        scsi_hostdev_round(f, parsed, n, false);
    }
    if (n)
        scsi_hostdev_round(f, assigned, n, true);
    for (size_t i = 0; i < n; i++)
        if (assigned[i] > f->scsi_hostdev_max)
            f->scsi_hostdev_max = (int)(assigned[i] > MAX_CTRL_INDEX ? MAX_CTRL_INDEX : assigned[i]);
    free(parsed);
    free(assigned);
    free(us.u);
}

void implicit_facts_read(struct implicit_facts *f, xmlNodePtr root, const struct ctrl_list *ctrls)
{
    f->ctrls = ctrls;
    for (int b = 0; b < 3; b++)
        f->disk_ctrl_needed[b] = -1;
    f->scsi_hostdev_max = -1;
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el)) {
        if (is(el, "disk"))
            note_disk(f, el);
        else if (is(el, "channel") && virtio_chardev(el))
            note_chardev(f, el);
        f->ngraphics += is(el, "graphics");
        f->nvideos += is(el, "video");
        f->balloon |= is(el, "memballoon");
    }
    /* libvirt goes through its channels, then its consoles */
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el))
        if (is(el, "console") && virtio_chardev(el))
            note_chardev(f, el);
    note_vser_ports(f, root);
    note_scsi_hostdevs(f, root);
}


void implicit_facts_free(struct implicit_facts *f)
{
    free(f->chardev_ctrls);
    free(f->vser_overflow);
    free(f->scsi_added);
    memset(f, 0, sizeof *f);
}

bool implicit_has_controller(const struct implicit_facts *f, const char *type, int index)
{
    for (size_t i = 0; i < f->ctrls->n; i++)
        if (f->ctrls->e[i].index == index && str_eq(f->ctrls->e[i].type, type))
            return true;
    return false;
}

static size_t range_to(int max, int **out)
{
    *out = max >= 0 ? xcalloc((size_t)max + 1, sizeof **out) : NULL;
    for (int i = 0; i <= max; i++)
        (*out)[i] = i;
    return max >= 0 ? (size_t)max + 1 : 0;
}

static size_t one_if(bool applies, int **out)
{
    *out = applies ? xcalloc(1, sizeof **out) : NULL;
    if (applies)
        **out = -1;
    return applies;
}

size_t implicit_wanted(const struct implicit_facts *f, const struct implicit_device *row,
                       unsigned machine, int **out)
{
    *out = NULL;
    if (!(row->machines & machine))
        return 0;
    switch (row->when) {
    case WHEN_NO_INDEX0:
        return range_to(0, out);
    case WHEN_DISKS_NEED:
        for (int b = 0; b < 3; b++)
            if (str_eq(row->disk_bus, implicit_disk_buses[b]))
                return range_to(f->disk_ctrl_needed[b], out);
        return 0;
    case WHEN_VIRTIO_CHARDEVS: {
        size_t n = f->nchardev + f->nvser_overflow;
        *out = xcalloc(n + 1, sizeof **out);
        if (f->nchardev)
            memcpy(*out, f->chardev_ctrls, f->nchardev * sizeof **out);
        if (f->nvser_overflow)
            memcpy(*out + f->nchardev, f->vser_overflow, f->nvser_overflow * sizeof **out);
        return n;
    }
    case WHEN_SCSI_HOSTDEVS: {
        size_t n = 0;
        *out = xcalloc(f->nscsi_added + 1, sizeof **out);
        for (size_t i = 0; i < f->nscsi_added; i++)
            if (!f->scsi_added[i].late)
                (*out)[n++] = f->scsi_added[i].index;
        return n;
    }
    case WHEN_SCSI_HOSTDEVS_LATE:
        return range_to(f->scsi_hostdev_max, out);
    case WHEN_NO_BALLOON:
        return one_if(!f->balloon, out);
    case WHEN_GRAPHICS_NO_VIDEO:
        return one_if(f->ngraphics > 0 && f->nvideos == 0, out);
    }
    return 0;
}

const char *implicit_row_model(const struct implicit_facts *f, const struct implicit_device *row,
                               int index)
{
    bool hostdevs = row->when == WHEN_SCSI_HOSTDEVS || row->when == WHEN_SCSI_HOSTDEVS_LATE;
    for (size_t i = 0; hostdevs && i < f->nscsi_added; i++)
        if (f->scsi_added[i].index == index && f->scsi_added[i].model)
            return f->scsi_added[i].model;
    return row->model;
}