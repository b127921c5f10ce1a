#include "config.h"
#include "validate.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmlutil.h"

/* A set of elements, for the checks that compare a device with the
 * others: found once per domain, then looked up (so that a domain of
 * thousands of devices is not walked once per device). */
struct nodeset {
    const xmlNode **n;
    size_t len, cap;
};

static void ns_add(struct nodeset *s, const xmlNode *n)
{
    if (s->len == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->n = xrealloc(s->n, s->cap * sizeof *s->n);
    }
    s->n[s->len++] = n;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(const xmlNode *const *)a, y = (uintptr_t)*(const xmlNode *const *)b;
    return (x > y) - (x < y);
}

static void ns_seal(struct nodeset *s)
{
    if (s->len)
        qsort(s->n, s->len, sizeof *s->n, cmp_ptr);
}

static bool ns_has(const struct nodeset *s, const xmlNode *n)
{
    return s->len && bsearch(&n, s->n, s->len, sizeof *s->n, cmp_ptr) != NULL;
}

/* A device and where a stage meets it. */
struct ranked {
    xmlNodePtr el;
    int rank;
    size_t pos;
};

/* What the checks need to know about the whole domain, read once. */
struct vctx {
    const struct topology *t;
    xmlNodePtr root;
    xmlNodePtr usb_none;        /* the <controller type='usb' model='none'>, or NULL */
    int usb_ctrls;              /* <controller type='usb'> elements */
    bool usb_ctrls_any;         /* a USB controller: written, or one libvirt adds */
    int usb_masters;            /* ...of them without <master> */
    xmlNodePtr first_usb;       /* the first of them */
    xmlNodePtr first_ide;       /* the first IDE disk, else IDE controller */
    xmlNodePtr first_ide_disk_1;   /* the first IDE disk on controller 1 or more */
    xmlNodePtr first_ide_ctrl_1;   /* the first <controller type='ide'> with index 1 or more */
    int watchdogs, balloons;
    bool spice, egl_headless;   /* graphics of those types */
    xmlNodePtr first_memory;    /* the first <memory> device */
    xmlNodePtr drive_dup;       /* the disk libvirt names for two on one drive address */
    /* elements a comparison with the others condemns */
    struct nodeset usb_again;   /* a USB controller next to model='none' */
    struct nodeset usb_dup;     /* a USB controller with ports on another's index */
    struct nodeset hostdev_dup; /* a host device assigned before */
    struct nodeset scsi_clash;  /* a SCSI disk named onto a SCSI host device's address */
    struct nodeset vio_dup;     /* a spapr-vio reg='' an earlier device has */
    struct nodeset extra;       /* a second smartcard, serial console or primary video */
    struct nodeset unreadable;  /* what libvirt's parser refuses in an element (unreadable) */
    struct vserial_bad {        /* virtio-serial addresses libvirt refuses */
        xmlNodePtr el;
        enum vserial_why { VS_MISSING, VS_NO_PORT, VS_OCCUPIED } why;
        unsigned long ctrl, port;
    } *vserial;
    size_t nvserial;
    /* the devices in the two orders libvirt's stages meet them (built
     * once: every stage walks one of them) */
    struct ranked *walk_order, *read_order;
    size_t ndevices;
};

/* Whether el is a device libvirt puts on USB (its USB device walk:
 * hubs, USB host devices, disks, ccid controllers and so smartcards,
 * inputs, serials, sound and redirected devices on USB). */
static bool is_usb_device(const struct vctx *v, xmlNodePtr el)
{
    const char *name = (const char *)el->name, *type = xml_attr(el, "type");
    const char *bus = xml_attr(el, "bus");
    if (str_eq(name, "input")) {
        /* without bus=, a tablet is USB; a mouse or keyboard is PS/2 on
         * x86 and USB elsewhere */
        bool pointer = type && (str_eq(type, "mouse") || str_eq(type, "keyboard"));
        return bus ? str_eq(bus, "usb")
                   : (type && str_eq(type, "tablet")) || (pointer && !v->t->mach->ps2_inputs);
    }
    if (str_eq(name, "hub") || str_eq(name, "hostdev") || str_eq(name, "redirdev"))
        return str_eq(name, "redirdev") ? !bus || str_eq(bus, "usb")
            : type && str_eq(type, "usb");
    if (str_eq(name, "disk"))
        return str_eq(catalog_disk_bus(el), "usb");
    if (str_eq(name, "controller"))
        return type && str_eq(type, "ccid");
    if (str_eq(name, "serial"))
        return (type = xml_attr(xml_child(el, "target"), "type")) && str_eq(type, "usb-serial");
    if (str_eq(name, "sound"))
        return (type = xml_attr(el, "model")) && str_eq(type, "usb");
    /* a smartcard sits on a ccid controller, which sits on USB */
    return str_eq(name, "smartcard");
}

static bool is_usb_controller(xmlNodePtr el)
{
    const char *type = xml_attr(el, "type");
    return str_eq((const char *)el->name, "controller") && type && str_eq(type, "usb");
}

/* ------------------------------------------------------------------ */
/* Conditions: true when the row's refusal applies to el */

static bool always(const struct vctx *v, xmlNodePtr el)
{
    (void)v, (void)el;
    return true;
}

/* <features><acpi/> without UEFI firmware (aarch64 needs it for ACPI). */
static bool acpi_without_uefi(const struct vctx *v, xmlNodePtr el)
{
    xmlNodePtr os = xml_child(el, "os");
    const char *fw = xml_attr(os, "firmware");
    return v->t->acpi && !(fw && str_eq(fw, "efi")) && !xml_child(os, "loader");
}

/* A video libvirt does not make the primary one, of a type QEMU can only
 * show as the first display. */
static bool secondary_only_primary_type(const struct vctx *v, xmlNodePtr el)
{
    const struct device *primary = topology_primary_video(v->t);
    const struct device *dv = topology_find_node(v->t, el);
    if (!dv || dv == primary || !dv->model)
        return false;
    if (!primary && v->t->primary_video_none)
        return false;
    return !str_eq(dv->model, "qxl") && !str_eq(dv->model, "virtio");
}

static void secondary_only_primary_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    const struct device *dv = topology_find_node(v->t, el);
    sb_printf(sb, "unsupported configuration: video type '%s' is only valid as primary video device",
              dv && dv->model ? dv->model : "");
}

static void video_model_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    (void)v;
    sb_printf(sb, "unsupported configuration: domain configuration does not support video model '%s'",
              xml_attr(xml_child(el, "model"), "type"));
}

/* An address QEMU has no bus for on this machine (CCW is s390's). */
static bool ccw_address(const struct vctx *v, xmlNodePtr el)
{
    (void)v;
    const char *type = xml_attr(xml_child(el, "address"), "type");
    return type && str_eq(type, "ccw");
}

static void ccw_address_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    (void)el;
    const char *m = v->t->machine_name;
    /* libvirt names the machine as it stores it: a bare alias as QEMU 7.2's */
    if (!m || str_eq(m, v->t->mach->name))
        m = v->t->mach->canonical;
    sb_printf(sb, "unsupported configuration: cannot use CCW address type for device '<null>' using machine type '%s'", m);
}

/* A virtio disk's address can be PCI, CCW or virtio-mmio only. */
static bool virtio_disk_odd_address(const struct vctx *v, xmlNodePtr el)
{
    (void)v;
    const char *type = xml_attr(xml_child(el, "address"), "type");
    static const char *const ok_types[] = { "pci", "ccw", "virtio-mmio", "virtio-s390" };
    if (!type || !str_eq(catalog_disk_bus(el), "virtio"))
        return false;
    for (size_t i = 0; i < ARRAY_LEN(ok_types); i++)
        if (str_eq(type, ok_types[i]))
            return false;
    return true;
}

static void virtio_disk_odd_address_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    (void)v;
    sb_printf(sb, "unsupported configuration: virtio disk cannot have an address of type '%s'",
              xml_attr(xml_child(el, "address"), "type"));
}

/* pseries: <graphics> brings a USB keyboard and mouse, which need USB. */
static bool graphics_needs_usb(const struct vctx *v, xmlNodePtr el)
{
    (void)el;
    return v->t->mach->usb_kbd_mouse && v->usb_none;
}

/* A spapr-vio reg='' another device holds already, in the order libvirt
 * gives them out (interfaces, controllers, serials, nvram, tpm). */
static bool spapr_vio_reg_taken(const struct vctx *v, xmlNodePtr el)
{
    return ns_has(&v->vio_dup, el);
}

static void spapr_vio_reg_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    (void)v;
    unsigned long reg = 0;
    parse_uint_base(xml_attr(xml_child(el, "address"), "reg"), 16, ~0ul, &reg);
    sb_printf(sb, "XML error: spapr-vio address 0x%lx already in use", reg);
}

/* A NUMA node on the first PHB, which is the machine's own. */
static bool node_on_phb0(const struct vctx *v, xmlNodePtr el)
{
    const struct device *dv = topology_find_node(v->t, el);
    return dv && dv->index == 0 && dv->numa_node >= 0;
}

static bool no_acpi(const struct vctx *v, xmlNodePtr el)
{
    (void)el;
    return !v->t->acpi;
}

static bool is_usb_none(xmlNodePtr el)
{
    const char *model = xml_attr(el, "model");
    return is_usb_controller(el) && model && str_eq(model, "none");
}

static bool another_usb_controller(const struct vctx *v, xmlNodePtr el)
{
    return ns_has(&v->usb_again, el);
}

static bool usb_off(const struct vctx *v, xmlNodePtr el)
{
    (void)el;
    return v->usb_none != NULL;
}

static bool usb_device_while_off(const struct vctx *v, xmlNodePtr el)
{
    return v->usb_none && is_usb_device(v, el);
}

/* After PCI placement libvirt gives USB devices their ports: without a
 * USB controller (model none, or a machine like aarch64 virt that adds
 * none) there are none. */
static bool usb_device_without_usb(const struct vctx *v, xmlNodePtr el)
{
    return (v->usb_none || !v->usb_ctrls_any) && is_usb_device(v, el);
}

/* USB2 companions name their master with <master>; USB controllers
 * that are all companions have none (reported on the first). */
static bool no_usb_master(const struct vctx *v, xmlNodePtr el)
{
    return v->usb_ctrls > 0 && v->usb_masters == 0 && !v->usb_none && el == v->first_usb;
}

/* A smartcard anywhere but ccid controller 0, slot 0 (or a second one). */
static bool smartcard_beyond_first(const struct vctx *v, xmlNodePtr el)
{
    xmlNodePtr a = xml_child(el, "address");
    const char *c = xml_attr(a, "controller"), *s = xml_attr(a, "slot");
    unsigned long n;
    bool elsewhere = (c && parse_uint_base(c, 10, ~0ul, &n) && n != 0)
        || (s && parse_uint_base(s, 10, ~0ul, &n) && n != 0);
    return elsewhere || ns_has(&v->extra, el);
}

static bool unaddressed(const struct vctx *v, xmlNodePtr el)
{
    (void)v;
    return !xml_child(el, "address");
}

static bool addressed(const struct vctx *v, xmlNodePtr el)
{
    return !unaddressed(v, el);
}

/* Only pc has IDE, one controller built into its PIIX3 (the rows say
 * on which machines). */
static bool first_ide_user(const struct vctx *v, xmlNodePtr el)
{
    return el == v->first_ide;
}

static bool ide_disk_beyond_0(const struct vctx *v, xmlNodePtr el)
{
    return el == v->first_ide_disk_1;
}

static bool second_ide_controller(const struct vctx *v, xmlNodePtr el)
{
    return el == v->first_ide_ctrl_1;
}

/* A USB controller with ports (not a companion uhci, not none) whose
 * index an earlier one with ports has. */
static int usb_index_with_ports(const struct vctx *v, xmlNodePtr el)
{
    long pos = ctrl_list_position(&v->t->ctrls, el);
    const char *model = xml_attr(el, "model");
    if (!is_usb_controller(el) || pos < 0 || (model && (strncmp(model, "ich9-uhci", 9) == 0
                                                        || str_eq(model, "none"))))
        return -1;
    return v->t->ctrls.e[pos].index;
}

static bool duplicate_usb_index(const struct vctx *v, xmlNodePtr el)
{
    return ns_has(&v->usb_dup, el);
}

static void duplicate_usb_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    sb_printf(sb, "XML error: Duplicate USB controllers with index %d", usb_index_with_ports(v, el));
}

/* A number attribute as libvirt compares it (read C-style: 0xC52B is
 * 0xc52b, ' 3' is 3), spelled one way; the text itself when it is none.
 * Points into a static ring of buffers, enough for one key. */
static const char *number_key(xmlNodePtr el, const char *attr)
{
    static char ring[4][32];
    static int next;
    const char *v = xml_attr(el, attr);
    unsigned long n;
    if (!v)
        return "";
    if (!parse_uint(v, ~0ul, &n))
        return v;
    char *buf = ring[next++ % 4];
    snprintf(buf, sizeof ring[0], "%lx", n);
    return buf;
}

/* A UUID as libvirt compares it: it stores the parsed value, so case and
 * the dashes do not count. */
static char *uuid_key_new(const char *uuid)
{
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "mdev ");
    for (const char *p = uuid ? uuid : ""; *p; p++)
        if (*p != '-' && !isspace((unsigned char)*p))
            sb_putc(&sb, (char)tolower((unsigned char)*p));
    return sb_detach(&sb);
}

/* What a host device passes through, as one string ("" when it cannot be
 * told): two devices with the same are one device assigned twice.
 * Numbers are compared as libvirt reads them. */
static char *hostdev_key_new(xmlNodePtr el)
{
    const char *name = (const char *)el->name, *type = xml_attr(el, "type");
    if (!type)
        return xstrdup("");
    xmlNodePtr src = xml_child(el, "source"), a = xml_child(src, "address");
    unsigned long d = 0, b = 0, s = 0, f = 0;
    if ((str_eq(name, "interface") && str_eq(type, "hostdev"))
        || (str_eq(name, "hostdev") && str_eq(type, "pci"))) {
        const char *ds = xml_attr(a, "domain"), *bs = xml_attr(a, "bus"), *ss = xml_attr(a, "slot"),
                   *fs = xml_attr(a, "function");
        if (!a || (ds && !parse_uint(ds, 0xffff, &d)) || (bs && !parse_uint(bs, 0xff, &b))
            || (ss && !parse_uint(ss, 0x1f, &s)) || (fs && !parse_uint(fs, 7, &f)))
            return xstrdup("");
        return xasprintf("pci %lx:%lx:%lx.%lx", d, b, s, f);
    }
    if (!str_eq(name, "hostdev"))
        return xstrdup("");
    if (str_eq(type, "usb"))
        return xasprintf("usb %s:%s %s:%s", number_key(xml_child(src, "vendor"), "id"),
                         number_key(xml_child(src, "product"), "id"), number_key(a, "bus"),
                         number_key(a, "device"));
    if (str_eq(type, "mdev"))
        return uuid_key_new(xml_attr(a, "uuid"));
    if (str_eq(type, "scsi"))
        return xasprintf("scsi %s %s:%s:%s", xml_attr(xml_child(src, "adapter"), "name") ?: "",
                         number_key(a, "bus"), number_key(a, "target"), number_key(a, "unit"));
    if (str_eq(type, "scsi_host"))
        return xasprintf("scsi_host %s", xml_attr(src, "wwpn") ?: "");
    return xstrdup("");
}

static bool duplicate_hostdev(const struct vctx *v, xmlNodePtr el)
{
    return ns_has(&v->hostdev_dup, el);
}

/* The first PHB, and only it, has target index 0. */
static bool phb_target_zero_mismatch(const struct vctx *v, xmlNodePtr el)
{
    const struct device *dv = topology_find_node(v->t, el);
    return dv && dv->ctrl && (dv->ctrl->targets & TGT_INDEX) && dv->target_index >= 0
        && (dv->index == 0) != (dv->target_index == 0);
}

/* A PHB's <model name=''> can only be spapr-pci-host-bridge. */
static bool phb_wrong_model_name(const struct vctx *v, xmlNodePtr el)
{
    const struct device *dv = topology_find_node(v->t, el);
    const char *name = xml_attr(xml_child(el, "model"), "name");
    return dv && dv->ctrl && (dv->ctrl->targets & TGT_INDEX) && name && !str_eq(name, dv->ctrl->qemu_name);
}

static void phb_wrong_model_name_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    const struct device *dv = topology_find_node(v->t, el);
    sb_printf(sb, "unsupported configuration: Option 'modelName' has invalid value for PCI controller with index '%d', model '%s' and modelName '%s'",
              dv ? dv->index : 0, dv && dv->model ? dv->model : "", xml_attr(xml_child(el, "model"), "name"));
}

/* <target index=''> is for pSeries PHBs only, and 0-30 there. */
static bool has_target_index(const struct vctx *v, xmlNodePtr el)
{
    const char *ti = xml_attr(xml_child(el, "target"), "index");
    if (!ti)
        return false;
    const struct device *dv = topology_find_node(v->t, el);
    unsigned long n = 0;
    bool phb = dv && dv->ctrl && (dv->ctrl->targets & TGT_INDEX);
    return !phb || (parse_uint(ti, ~0ul, &n) && n > 30);
}

static void target_index_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    const struct device *dv = topology_find_node(v->t, el);
    const char *ti = xml_attr(xml_child(el, "target"), "index");
    unsigned long n = 0;
    if (parse_uint(ti, ~0ul, &n) && n > 30)
        sb_printf(sb, "unsupported configuration: PCI controller target index '%lu' out of range - must be 0-30", n);
    else
        sb_printf(sb, "unsupported configuration: Option 'targetIndex' is not valid for PCI controller with index '%d', model '%s' and modelName '%s'",
                  dv ? dv->index : 0, dv && dv->model ? dv->model : "",
                  dv && dv->ctrl ? dv->ctrl->qemu_name : "");
}

/* The models libvirt 9.0 knows per controller type (its enums); types
 * not listed take no model at all. */
static const struct { const char *type; const char *models; } controller_models[] = {
    { "pci", " pci-root pcie-root pci-bridge dmi-to-pci-bridge pcie-to-pci-bridge pcie-root-port"
             " pcie-switch-upstream-port pcie-switch-downstream-port pci-expander-bus pcie-expander-bus " },
    { "scsi", " auto buslogic lsilogic lsisas1068 vmpvscsi ibmvscsi virtio-scsi lsisas1078"
              " virtio-transitional virtio-non-transitional ncr53c90 dc390 am53c974 " },
    { "usb", " piix3-uhci piix4-uhci ehci ich9-ehci1 ich9-uhci1 ich9-uhci2 ich9-uhci3 vt82c686b-uhci"
             " pci-ohci nec-xhci qusb1 qusb2 qemu-xhci none " },
    { "ide", " piix3 piix4 ich6 " },
    { "virtio-serial", " virtio virtio-transitional virtio-non-transitional " },
};

static bool unknown_controller_model(const struct vctx *v, xmlNodePtr el)
{
    (void)v;
    const char *type = xml_attr(el, "type"), *model = xml_attr(el, "model");
    if (!type || !model)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(controller_models); i++) {
        if (!str_eq(controller_models[i].type, type))
            continue;
        const char *hit = *model && !strchr(model, ' ') ? strstr(controller_models[i].models, model) : NULL;
        return !(hit && hit[-1] == ' ' && hit[strlen(model)] == ' ');
    }
    return true;
}

static void unknown_model_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    (void)v;
    sb_printf(sb, "unsupported configuration: Unknown model type '%s'", xml_attr(el, "model"));
}

/* What libvirt's parser cannot read in an element's addresses and
 * targets (topology_parse_problem_new): the same words the device
 * carries in the tree.  Found once per document (find_unreadable). */
static bool unreadable(const struct vctx *v, xmlNodePtr el)
{
    return ns_has(&v->unreadable, el);
}

static void unreadable_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    char *why = topology_parse_problem_new(el, v->t->machine);
    sb_puts(sb, why ? why : "");
    free(why);
}

/* libvirt counts some kinds before it reads them: a second one is refused
 * before anything inside the first is looked at. */
static bool more_than_one(const struct vctx *v, xmlNodePtr el)
{
    return (str_eq((const char *)el->name, "watchdog") ? v->watchdogs : v->balloons) > 1;
}

/* A console after the first with a serial target: libvirt lets only the
 * first stand for the serial port. */
static bool serial_console_not_first(const struct vctx *v, xmlNodePtr el)
{
    /* a console without a target type is a serial one (libvirt's default) */
    const char *tt = xml_attr(xml_child(el, "target"), "type");
    return (!tt || str_eq(tt, "serial")) && ns_has(&v->extra, el);
}

/* ------------------------------------------------------------------ */
/* Drive addresses: disks on one address, and SCSI disks whose name
 * implies the address of a SCSI host device */

struct drive {
    xmlNodePtr el;
    struct drive_addr a;
};

static bool disk_drive(xmlNodePtr el, struct drive *d)
{
    d->el = el;
    return implicit_disk_drive(el, &d->a);
}

/* libvirt's disk list: grouped by bus in order of first appearance,
 * sorted by target name within a bus. */
static int by_bus_then_name(const void *a, const void *b)
{
    const struct drive *x = a, *y = b;
    if (x->a.bus != y->a.bus)
        return 0;   /* qsort is not stable: the caller groups first */
    return (x->a.name_index > y->a.name_index) - (x->a.name_index < y->a.name_index);
}

static struct drive *disk_list_new(const struct vctx *v, size_t *n)
{
    struct drive *all = NULL;
    *n = 0;
    for (int pass = 0; pass < 3; pass++) {
        /* buses in the order their first disk appears */
        int bus = -1;
        size_t start = *n;
        for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el)) {
            struct drive d;
            if (!str_eq((const char *)el->name, "disk") || !disk_drive(el, &d))
                continue;
            bool seen = false;
            for (size_t i = 0; i < start && !seen; i++)
                seen = all[i].a.bus == d.a.bus;
            if (seen || (bus >= 0 && d.a.bus != bus))
                continue;
            bus = d.a.bus;
            all = xrealloc(all, (*n + 1) * sizeof *all);
            all[(*n)++] = d;
        }
        /* insertion sort keeps equal names in document order */
        for (size_t i = start + 1; i < *n; i++)
            for (size_t j = i; j > start && by_bus_then_name(&all[j - 1], &all[j]) > 0; j--) {
                struct drive tmp = all[j];
                all[j] = all[j - 1];
                all[j - 1] = tmp;
            }
    }
    return all;
}

static int cmp_drive(const struct drive *a, const struct drive *b)
{
    const long x[5] = { a->a.bus, a->a.ctrl, a->a.dbus, a->a.target, a->a.unit };
    const long y[5] = { b->a.bus, b->a.ctrl, b->a.dbus, b->a.target, b->a.unit };
    for (int i = 0; i < 5; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

struct placed_drive {
    const struct drive *d;
    size_t pos;        /* in libvirt's disk list */
};

static int by_drive_then_pos(const void *a, const void *b)
{
    const struct placed_drive *x = a, *y = b;
    int c = cmp_drive(x->d, y->d);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* The disk libvirt names for two disks on one address: of the pairs, the
 * one whose first disk comes first in its list. */
static const struct drive *duplicate_drive(const struct drive *d, size_t n)
{
    struct placed_drive *p = xcalloc(n + 1, sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = (struct placed_drive){ &d[i], i };
    if (n)
        qsort(p, n, sizeof *p, by_drive_then_pos);
    const struct placed_drive *best = NULL;
    for (size_t i = 1; i < n; i++)
        if (cmp_drive(p[i - 1].d, p[i].d) == 0 && (i < 2 || cmp_drive(p[i - 2].d, p[i].d) != 0)
            && (!best || p[i - 1].pos < best->pos))
            best = &p[i - 1];
    const struct drive *r = best ? best->d : NULL;
    free(p);
    return r;
}

static bool drive_used_twice(const struct vctx *v, xmlNodePtr el)
{
    return el == v->drive_dup;
}

static void drive_used_twice_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    struct drive d;
    disk_drive(el, &d);
    (void)v;
    sb_printf(sb, "unsupported configuration: Found duplicate drive address for disk with target name '%s' controller='%ld' bus='%ld' target='%ld' unit='%ld'",
              xml_attr(xml_child(el, "target"), "dev") ?: "", d.a.ctrl, d.a.dbus, d.a.target, d.a.unit);
}

/* A SCSI disk without an address whose name gives it one a SCSI host
 * device has. */
static bool scsi_name_on_hostdev(const struct vctx *v, xmlNodePtr el)
{
    return ns_has(&v->scsi_clash, el);
}

static void scsi_name_on_hostdev_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    struct drive d;
    disk_drive(el, &d);
    (void)v;
    /* (libvirt's text lacks the last quote) */
    sb_printf(sb, "unsupported configuration: using disk target name '%s' conflicts with SCSI host device address controller='%ld' bus='0' target='0' unit='%ld",
              xml_attr(xml_child(el, "target"), "dev") ?: "", d.a.ctrl, d.a.unit);
}

static bool second_primary_video(const struct vctx *v, xmlNodePtr el)
{
    return catalog_marked_primary_video(el) && ns_has(&v->extra, el);
}

/* The model of the scsi controller with that index as libvirt sees it
 * when it validates: written, else what it gave one it added. */
static const char *scsi_controller_model(const struct vctx *v, long index)
{
    const struct ctrl_list *l = &v->t->ctrls;
    for (size_t i = 0; i < l->n; i++)
        if (l->e[i].index == index && str_eq(l->e[i].type, "scsi"))
            return l->e[i].model && *l->e[i].model ? l->e[i].model : "lsilogic";
    const struct implicit_facts *f = &v->t->implicit;
    for (size_t i = 0; i < f->nscsi_added; i++)
        if (f->scsi_added[i].index == index && f->scsi_added[i].model)
            return f->scsi_added[i].model;
    return "lsilogic";
}

/* A drive address written on a SCSI disk or on any other device (libvirt
 * takes those for SCSI host devices): bus and target it takes. */
static bool scsi_drive_address(xmlNodePtr el, long *ctrl, long *bus, long *target)
{
    xmlNodePtr a = xml_child(el, "address");
    const char *type = xml_attr(a, "type");
    if (!type || !str_eq(type, "drive"))
        return false;
    if (str_eq((const char *)el->name, "disk") && !str_eq(catalog_disk_bus(el), "scsi"))
        return false;
    unsigned long c = 0, bu = 0, t = 0;
    parse_uint_base(xml_attr(a, "controller") ?: "0", 10, ~0ul, &c);
    parse_uint_base(xml_attr(a, "bus") ?: "0", 10, ~0ul, &bu);
    parse_uint_base(xml_attr(a, "target") ?: "0", 10, ~0ul, &t);
    *ctrl = (long)c;
    *bus = (long)bu;
    *target = (long)t;
    return true;
}

static bool scsi_second_bus(const struct vctx *v, xmlNodePtr el)
{
    long c, b, t;
    (void)v;
    return scsi_drive_address(el, &c, &b, &t) && b != 0;
}

static bool lsilogic_target(const struct vctx *v, xmlNodePtr el)
{
    long c, b, t;
    return scsi_drive_address(el, &c, &b, &t) && t != 0
        && str_eq(scsi_controller_model(v, c), "lsilogic");
}

static const struct vserial_bad *vserial_problem(const struct vctx *v, xmlNodePtr el)
{
    for (size_t i = 0; i < v->nvserial; i++)
        if (v->vserial[i].el == el)
            return &v->vserial[i];
    return NULL;
}

static bool bad_vserial_address(const struct vctx *v, xmlNodePtr el)
{
    return vserial_problem(v, el) != NULL;
}

static void bad_vserial_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    const struct vserial_bad *b = vserial_problem(v, el);
    if (!b)
        return;
    switch (b->why) {
    case VS_MISSING:
        sb_printf(sb, "XML error: virtio serial controller %lu is missing", b->ctrl);
        break;
    case VS_NO_PORT:
        sb_printf(sb, "XML error: virtio serial controller %lu does not have port %lu", b->ctrl, b->port);
        break;
    case VS_OCCUPIED:
        sb_printf(sb, "XML error: virtio serial port %lu on controller %lu is already occupied", b->port, b->ctrl);
        break;
    }
}

/* Memory devices need <maxMemory>; libvirt names the first. */
static bool memory_without_max(const struct vctx *v, xmlNodePtr el)
{
    return !xml_child(v->root, "maxMemory") && el == v->first_memory;
}

/* <shmem> without a model is the legacy ivshmem, which QEMU 7.2 has not. */
static bool legacy_ivshmem(const struct vctx *v, xmlNodePtr el)
{
    (void)v;
    const char *m = xml_attr(xml_child(el, "model"), "type");
    return !m || str_eq(m, "ivshmem");
}

static bool has_graphics(const struct vctx *v, const char *type)
{
    for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el)) {
        const char *t = xml_attr(el, "type");
        if (str_eq((const char *)el->name, "graphics") && t && str_eq(t, type))
            return true;
    }
    return false;
}

/* A spice channel (spicevmc, spiceport) needs spice graphics. */
static bool spice_chardev_alone(const struct vctx *v, xmlNodePtr el)
{
    const char *type = xml_attr(el, "type");
    const char *name = (const char *)el->name;
    bool chardev = str_eq(name, "serial") || str_eq(name, "parallel")
        || str_eq(name, "channel") || str_eq(name, "console")
        || str_eq(name, "redirdev") || str_eq(name, "smartcard");
    return chardev && type && (str_eq(type, "spicevmc") || str_eq(type, "spiceport"))
        && !v->spice;
}

static void spice_chardev_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    (void)v;
    sb_printf(sb, "unsupported configuration: chardev '%s' not supported without spice graphics",
              xml_attr(el, "type"));
}

/* egl-headless renders for a vnc or spice display only. */
static bool egl_headless_partner(const struct vctx *v, xmlNodePtr el)
{
    const char *type = xml_attr(el, "type");
    return v->egl_headless && type && !str_eq(type, "egl-headless") && !str_eq(type, "vnc")
        && !str_eq(type, "spice");
}

/* ------------------------------------------------------------------ */
/* The table */

/* Where in libvirt's define a check comes: reading the XML, completing
 * it, virtio-serial addresses, then (after PCI addresses) USB addresses,
 * the driver's check of the domain, each device's check, the domain-wide
 * checks. */
enum stage { ST_PARSE, ST_POSTPARSE, ST_VSERIAL, ST_USB, ST_CALLBACK, ST_DEVICES, ST_DOMAIN, ST_COUNT };

struct refusal {
    enum stage stage;
    const char *element;
    const char *sel1, *val1, *sel2, *val2;   /* as in catalog.h's device rows */
    bool (*applies)(const struct vctx *v, xmlNodePtr el);
    const char *msg;                         /* libvirt 9.0's words */
    /* for a message that names a number: writes it instead of msg */
    void (*detail)(const struct vctx *v, xmlNodePtr el, struct strbuf *sb);
    unsigned machines;                       /* MACH_* it holds on */
};

#define V SEL_ANY
/* tests/golden/corners (IMPLICIT.md, REFUSALS.md) has a case for each. */
static const struct refusal refusals[] = {
    /* --- reading the XML (ST_PARSE), kind by kind */
    /* counted before they are read */
    { ST_PARSE, "watchdog", V, V, V, V, more_than_one,
      "internal error: only a single watchdog device is supported", NULL, MACH_ANY },
    { ST_PARSE, "memballoon", V, V, V, V, more_than_one,
      "internal error: only a single memory balloon device is supported", NULL, MACH_ANY },
    { ST_PARSE, "controller", V, V, V, V, unknown_controller_model, NULL, unknown_model_msg, MACH_ANY },
    { ST_PARSE, "panic", "@model", "pvpanic", V, V, always,
      "unsupported configuration: unknown panic model 'pvpanic'", NULL, MACH_ANY },
    /* required models */
    { ST_PARSE, "sound", "@model", SEL_UNSET, V, V, always,
      "XML error: Missing required attribute 'model' in element 'sound'", NULL, MACH_ANY },
    { ST_PARSE, "memballoon", "@model", SEL_UNSET, V, V, always,
      "XML error: Missing required attribute 'model' in element 'memballoon'", NULL, MACH_ANY },
    { ST_PARSE, "watchdog", "@model", SEL_UNSET, V, V, always,
      "internal error: watchdog must contain model name", NULL, MACH_ANY },
    { ST_PARSE, "rng", "@model", SEL_UNSET, V, V, always,
      "XML error: missing RNG device model", NULL, MACH_ANY },
    /* addresses and targets, read after the model, before the element is
     * checked against the rest (its cases: tests/golden/problems) */
    { ST_PARSE, V, V, V, V, V, unreadable, NULL, unreadable_msg, MACH_ANY },
    /* USB switched off with <controller type='usb' model='none'> */
    { ST_PARSE, "controller", "@type", "usb", V, V, another_usb_controller,
      "Can't add another USB controller: USB is disabled for this domain", NULL, MACH_ANY },
    { ST_PARSE, "controller", "@type", "usb", V, V, no_usb_master,
      "No master USB controller specified", NULL, MACH_ANY },
    { ST_PARSE, "input", V, V, V, V, usb_device_while_off,
      "unsupported configuration: Can't add USB input device. USB bus is disabled", NULL, MACH_ANY },
    { ST_PARSE, "hostdev", "@type", "usb", V, V, usb_off,
      "unsupported configuration: Can't add host USB device: USB is disabled in this host", NULL, MACH_ANY },
    { ST_PARSE, "hub", "@type", "usb", V, V, usb_off,
      "unsupported configuration: Can't add USB hub: USB is disabled for this domain", NULL, MACH_ANY },

    /* --- completing it (ST_POSTPARSE): disk addresses from names,
     * consoles; ich7, no device QEMU 7.2 has, finds no bus */
    { ST_POSTPARSE, "disk", V, V, V, V, scsi_name_on_hostdev, NULL, scsi_name_on_hostdev_msg, MACH_ANY },
    { ST_POSTPARSE, "console", V, V, V, V, serial_console_not_first,
      "unsupported configuration: Only the first console can be a serial port", NULL, MACH_ANY },
    { ST_POSTPARSE, "sound", "@model", "ich7", V, V, unaddressed,
      "internal error: Cannot automatically add a new PCI bus for a device with connect flags 00", NULL, MACH_ANY },

    /* --- spapr-vio addresses, before PCI's */
    { ST_VSERIAL, V, V, V, V, V, spapr_vio_reg_taken, NULL, spapr_vio_reg_msg, MACH_PSERIES },
    /* --- virtio-serial addresses, before PCI's (ST_VSERIAL) */
    { ST_VSERIAL, V, V, V, V, V, bad_vserial_address, NULL, bad_vserial_msg, MACH_ANY },

    /* --- USB addresses, right after PCI's (ST_USB) */
    { ST_USB, "graphics", V, V, V, V, graphics_needs_usb,
      "unsupported configuration: USB is disabled for this domain, but USB devices are present in the domain XML", NULL,
      MACH_PSERIES },
    { ST_USB, V, V, V, V, V, usb_device_without_usb,
      "unsupported configuration: USB is disabled for this domain, but USB devices are present in the domain XML", NULL, MACH_ANY },
    { ST_USB, "controller", "@type", "usb", V, V, duplicate_usb_index, NULL, duplicate_usb_msg, MACH_ANY },

    /* --- the QEMU driver's check of the domain (ST_CALLBACK) */
    { ST_CALLBACK, "domain", V, V, V, V, acpi_without_uefi,
      "unsupported configuration: ACPI requires UEFI on this architecture", NULL, MACH_ARM_VIRT },
    { ST_CALLBACK, "memory", V, V, V, V, memory_without_max,
      "unsupported configuration: cannot use/hotplug a memory device when domain 'maxMemory' is not defined", NULL, MACH_ANY },

    /* --- each device's validation (ST_DEVICES), kind by kind; for one
     * device, its checks in libvirt's order */
    { ST_DEVICES, "controller", "@type", "pci", V, V, phb_wrong_model_name, NULL, phb_wrong_model_name_msg, MACH_PSERIES },
    { ST_DEVICES, "controller", "@type", "pci", V, V, has_target_index, NULL, target_index_msg, MACH_ANY },
    { ST_DEVICES, "controller", "@type", "pci", V, V, phb_target_zero_mismatch,
      "unsupported configuration: Only the PCI controller with index 0 can have target index 0, and vice versa", NULL, MACH_PSERIES },
    { ST_DEVICES, V, V, V, V, V, scsi_second_bus, "internal error: SCSI controller only supports 1 bus", NULL, MACH_ANY },
    { ST_DEVICES, V, V, V, V, V, lsilogic_target,
      "unsupported configuration: target must be 0 for controller model 'lsilogic'", NULL, MACH_ANY },
    { ST_DEVICES, "disk", V, V, V, V, ide_disk_beyond_0, "internal error: Only 1 IDE controller is supported", NULL, MACH_ANY },
    { ST_DEVICES, "controller", V, V, V, V, second_ide_controller,
      "unsupported configuration: Only a single IDE controller is supported for this machine type", NULL, MACH_PC },
    { ST_DEVICES, V, V, V, V, V, first_ide_user,
      "unsupported configuration: IDE controllers are unsupported for this QEMU binary or machine type", NULL, MACH_ANY & ~MACH_PC },
    { ST_DEVICES, "graphics", "@type", "rdp", V, V, always,
      "unsupported configuration: rdp graphics are not supported with this QEMU", NULL, MACH_ANY },
    { ST_DEVICES, "graphics", V, V, V, V, egl_headless_partner,
      "unsupported configuration: graphics type 'egl-headless' is only supported with one of: 'vnc', 'spice' graphics types", NULL, MACH_ANY },
    { ST_DEVICES, V, V, V, V, V, ccw_address, NULL, ccw_address_msg, MACH_ANY },
    { ST_DEVICES, "disk", V, V, V, V, virtio_disk_odd_address, NULL, virtio_disk_odd_address_msg, MACH_ANY },
    { ST_DEVICES, "interface", "@type", "vhostuser", "model/@type", SEL_UNSET, always,
      "internal error: Wrong or no <model> 'type' attribute specified with <interface type='vhostuser'/>. vhostuser requires the virtio-net* frontend", NULL, MACH_ANY },
    { ST_DEVICES, "smartcard", V, V, V, V, smartcard_beyond_first,
      "unsupported configuration: this QEMU binary lacks multiple smartcard support", NULL, MACH_ANY },
    { ST_DEVICES, "sound", "@model", "ich7", V, V, addressed,
      "internal error: sound card model 'ich7' is not supported by qemu", NULL, MACH_ANY },
    /* what QEMU or libvirt offers on some machines only (tests/golden/arch) */
    { ST_DEVICES, "video", "model/@type", "qxl", V, V, always, NULL, video_model_msg, MACH_VIRT | MACH_PSERIES },
    { ST_DEVICES, "video", "model/@type", "ramfb", V, V, always, NULL, video_model_msg, MACH_PSERIES },
    { ST_DEVICES, "watchdog", "@model", "diag288", V, V, always,
      "unsupported configuration: diag288 model of watchdog is allowed for s390 and s390x only", NULL, MACH_ANY },
    /* QEMU 7.2's virtio-pmem-pci is x86's only, virtio-mem-pci x86's and
     * aarch64's (libvirt's capabilities of each emulator) */
    { ST_DEVICES, "memory", "@model", "virtio-pmem", V, V, always,
      "unsupported configuration: virtio-pmem isn't supported by this QEMU binary", NULL,
      MACH_VIRT | MACH_PSERIES },
    { ST_DEVICES, "memory", "@model", "virtio-mem", V, V, always,
      "unsupported configuration: virtio-mem isn't supported by this QEMU binary", NULL,
      MACH_RISCV_VIRT | MACH_PSERIES },
    { ST_DEVICES, "panic", "@model", "isa", V, V, always,
      "unsupported configuration: the QEMU binary does not support the ISA panic device", NULL, MACH_PSERIES },
    { ST_DEVICES, "panic", "@model", "hyperv", V, V, always,
      "unsupported configuration: only i686 and x86_64 guests support panic device of model 'hyperv'", NULL,
      MACH_VIRT | MACH_PSERIES },
    { ST_DEVICES, "iommu", "@model", "virtio", V, V, always,
      "unsupported configuration: IOMMU device: 'virtio' is only supported with Q35 and ARM Virt machines", NULL,
      MACH_PC | MACH_RISCV_VIRT | MACH_PSERIES },
    { ST_DEVICES, "iommu", "@model", "virtio", V, V, no_acpi,
      "unsupported configuration: IOMMU device: 'virtio' requires ACPI", NULL, MACH_ARM_VIRT },
    { ST_DEVICES, "iommu", "@model", "intel", V, V, always,
      "unsupported configuration: IOMMU device: 'intel' is only supported with Q35 machines", NULL,
      MACH_ANY & ~MACH_Q35 },
    { ST_DEVICES, "iommu", "@model", "smmuv3", V, V, always,
      "unsupported configuration: IOMMU device: 'smmuv3' is only supported with ARM Virt machines", NULL,
      MACH_ANY & ~MACH_ARM_VIRT },
    { ST_DEVICES, "interface", "model/@type", "usb-net", V, V, always,
      "internal error: Cannot automatically add a new PCI bus for a device with connect flags 00", NULL,
      MACH_ANY },
    /* QEMU has no i8042 (PS/2) on virt */
    { ST_DEVICES, "input", "@bus", "ps2", V, V, always,
      "unsupported configuration: ps2 is not supported by this QEMU binary", NULL, MACH_VIRT },
    { ST_DEVICES, "controller", "@type", "pci", V, V, node_on_phb0,
      "unsupported configuration: The PCI controller with index=0 can't be associated with a NUMA node", NULL,
      MACH_PSERIES },
    { ST_DEVICES, "shmem", V, V, V, V, legacy_ivshmem,
      "unsupported configuration: ivshmem device is not supported with this QEMU binary", NULL, MACH_ANY },
    /* a chardev's source, after the device's own checks */
    { ST_DEVICES, V, V, V, V, V, spice_chardev_alone, NULL, spice_chardev_msg, MACH_ANY },

    /* --- the domain-wide checks, one after the other (ST_DOMAIN) */
    { ST_DOMAIN, V, V, V, V, V, duplicate_hostdev,
      "XML error: Hostdev already exists in the domain configuration", NULL, MACH_ANY },
    { ST_DOMAIN, "disk", V, V, V, V, drive_used_twice, NULL, drive_used_twice_msg, MACH_ANY },
    { ST_DOMAIN, "video", V, V, V, V, second_primary_video,
      "unsupported configuration: Only one primary video device is supported", NULL, MACH_ANY },
    { ST_DOMAIN, "video", V, V, V, V, secondary_only_primary_type, NULL, secondary_only_primary_msg, MACH_ANY },
};
#undef V

static bool row_matches(const struct refusal *r, const struct vctx *v, xmlNodePtr el)
{
    if (!(r->machines & v->t->machine))
        return false;
    const char *name = (const char *)el->name;
    /* the first letter first: most rows are about another element */
    return (r->element == SEL_ANY || (r->element[0] == name[0] && str_eq(r->element, name)))
        && catalog_selector_matches(el, r->sel1, r->val1) && catalog_selector_matches(el, r->sel2, r->val2)
        && r->applies(v, el);
}

/* The IDE controller a disk or controller element is or needs, or -1. */
static long ide_index(const struct topology *t, xmlNodePtr el)
{
    const char *type = xml_attr(el, "type");
    if (str_eq((const char *)el->name, "controller")) {
        long pos = ctrl_list_position(&t->ctrls, el);
        return type && str_eq(type, "ide") && pos >= 0 ? t->ctrls.e[pos].index : -1;
    }
    struct drive_addr d;
    return str_eq((const char *)el->name, "disk") && implicit_disk_drive(el, &d) && d.bus == 0
        ? d.ctrl : -1;
}

static void note_ide(struct vctx *v, xmlNodePtr el)
{
    long idx = ide_index(v->t, el);
    bool disk = str_eq((const char *)el->name, "disk");
    if (idx >= 0 && (!v->first_ide || (disk && !str_eq((const char *)v->first_ide->name, "disk"))))
        v->first_ide = el;   /* libvirt validates disks before controllers */
    if (idx >= 1 && disk && !v->first_ide_disk_1)
        v->first_ide_disk_1 = el;
    if (idx >= 1 && !disk && !v->first_ide_ctrl_1)
        v->first_ide_ctrl_1 = el;
}

/* Elements libvirt meets a second time: a smartcard after the first, a
 * console after the first, a primary video after the first. */
static void find_extras(struct vctx *v)
{
    bool smartcard = false, console = false, primary = false;
    for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el)) {
        const char *name = (const char *)el->name;
        bool *seen = str_eq(name, "smartcard") ? &smartcard
            : str_eq(name, "console") ? &console : catalog_marked_primary_video(el) ? &primary : NULL;
        if (seen && *seen)
            ns_add(&v->extra, el);
        if (seen)
            *seen = true;
        if (str_eq(name, "memory") && !v->first_memory)
            v->first_memory = el;
        v->watchdogs += str_eq(name, "watchdog");
        v->balloons += str_eq(name, "memballoon");
    }
}

/* libvirt reads controllers in order and refuses the second of a USB
 * controller and one of model='none', whichever comes first; its USB
 * addresses refuse a second controller with ports on one index. */
static void find_usb_clashes(struct vctx *v)
{
    bool seen_usb = false, seen_none = false, index_taken[256] = { false };
    for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el)) {
        if (!is_usb_controller(el))
            continue;
        if (seen_none || (is_usb_none(el) && seen_usb))
            ns_add(&v->usb_again, el);
        seen_usb = true;
        seen_none |= is_usb_none(el);
        int idx = usb_index_with_ports(v, el);
        if (idx >= 0 && idx < 256 && index_taken[idx])
            ns_add(&v->usb_dup, el);
        if (idx >= 0 && idx < 256)
            index_taken[idx] = true;
    }
}

struct keyed {
    char *key;
    xmlNodePtr el;
    size_t order;   /* libvirt's: <interface type='hostdev'>s first */
};

static int by_key_then_order(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Host devices that pass through what one before them (in libvirt's
 * list) does. */
static void find_hostdev_dups(struct vctx *v)
{
    struct keyed *k = NULL;
    size_t n = 0, pos = 0;
    for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el), pos++) {
        char *key = hostdev_key_new(el);
        if (!*key) {
            free(key);
            continue;
        }
        k = xrealloc(k, (n + 1) * sizeof *k);
        bool net = str_eq((const char *)el->name, "interface");
        k[n++] = (struct keyed){ key, el, pos + (net ? 0 : (size_t)1 << 40) };
    }
    if (n)
        qsort(k, n, sizeof *k, by_key_then_order);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && str_eq(k[i].key, k[i - 1].key))
            ns_add(&v->hostdev_dup, k[i].el);
    }
    for (size_t i = 0; i < n; i++)
        free(k[i].key);
    free(k);
}

/* The disk libvirt names for two on one drive address, and the SCSI
 * disks whose names put them on a SCSI host device's address. */
static void find_drive_clashes(struct vctx *v)
{
    size_t n;
    struct drive *d = disk_list_new(v, &n);
    const struct drive *dup = duplicate_drive(d, n);
    v->drive_dup = dup ? dup->el : NULL;
    free(d);
    struct drive_addr *taken = NULL;
    size_t nt = 0;
    for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el)) {
        const char *type = xml_attr(el, "type");
        xmlNodePtr a = xml_child(el, "address");
        const char *at = xml_attr(a, "type");
        if (!str_eq((const char *)el->name, "hostdev") || !type || !str_eq(type, "scsi")
            || !at || !str_eq(at, "drive"))
            continue;
        unsigned long c = 0, b = 0, t = 0, u = 0;
        parse_uint_base(xml_attr(a, "controller") ?: "0", 10, ~0ul, &c);
        parse_uint_base(xml_attr(a, "bus") ?: "0", 10, ~0ul, &b);
        parse_uint_base(xml_attr(a, "target") ?: "0", 10, ~0ul, &t);
        parse_uint_base(xml_attr(a, "unit") ?: "0", 10, ~0ul, &u);
        if (b || t)
            continue;
        taken = xrealloc(taken, (nt + 1) * sizeof *taken);
        taken[nt++] = (struct drive_addr){ 2, -1, (long)c, 0, 0, (long)u };
    }
    for (xmlNodePtr el = xml_first_device(v->root); el && nt; el = xml_next_device(el)) {
        struct drive_addr da;
        if (!str_eq((const char *)el->name, "disk") || xml_child(el, "address")
            || !implicit_disk_drive(el, &da) || da.bus != 2)
            continue;
        for (size_t i = 0; i < nt; i++)
            if (taken[i].ctrl == da.ctrl && taken[i].unit == da.unit) {
                ns_add(&v->scsi_clash, el);
                break;
            }
    }
    free(taken);
}

/* The ports a virtio-serial controller with that index has: its ports='',
 * else libvirt's 31; 0 when there is no such controller, written or
 * added for a channel or console. */
static unsigned long vserial_ports(const struct vctx *v, unsigned long index)
{
    const struct ctrl_list *l = &v->t->ctrls;
    for (size_t i = 0; i < l->n; i++)
        if ((unsigned long)l->e[i].index == index && str_eq(l->e[i].type, "virtio-serial")) {
            long n;
            const char *ports = xml_attr(l->e[i].el, "ports");
            return ports && parse_int_base(ports, 10, &n) && n >= 0 ? (unsigned long)n : 31;
        }
    const struct implicit_facts *f = &v->t->implicit;
    for (size_t i = 0; i < f->nchardev; i++)
        if ((unsigned long)f->chardev_ctrls[i] == index)
            return 31;
    return 0;
}

static void add_vserial_bad(struct vctx *v, xmlNodePtr el, enum vserial_why why, unsigned long c,
                            unsigned long p)
{
    v->vserial = xrealloc(v->vserial, (v->nvserial + 1) * sizeof *v->vserial);
    v->vserial[v->nvserial++] = (struct vserial_bad){ el, why, c, p };
}

static int cmp_port(const void *a, const void *b)
{
    const unsigned long *x = a, *y = b;
    return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

/* libvirt reserves each written virtio-serial port (port 0 is "choose
 * one"), device kind by kind. */
static void find_vserial_problems(struct vctx *v, const struct ranked *order, size_t n)
{
    unsigned long (*taken)[2] = NULL;
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        xmlNodePtr el = order[i].el, a = xml_child(el, "address");
        const char *type = xml_attr(a, "type");
        unsigned long c = 0, p = 0;
        if (!type || !str_eq(type, "virtio-serial")
            || !parse_uint_base(xml_attr(a, "port") ?: "0", 10, UINT_MAX, &p) || p == 0)
            continue;
        parse_uint_base(xml_attr(a, "controller") ?: "0", 10, UINT_MAX, &c);
        unsigned long ports = vserial_ports(v, c);
        unsigned long key[2] = { c, p };
        if (ports == 0)
            add_vserial_bad(v, el, VS_MISSING, c, p);
        else if (p >= ports)
            add_vserial_bad(v, el, VS_NO_PORT, c, p);
        else if (nt && bsearch(key, taken, nt, sizeof *taken, cmp_port))
            add_vserial_bad(v, el, VS_OCCUPIED, c, p);
        else {
            taken = xrealloc(taken, (nt + 1) * sizeof *taken);
            taken[nt][0] = c;
            taken[nt++][1] = p;
            qsort(taken, nt, sizeof *taken, cmp_port);
        }
    }
    free(taken);
}

static struct ranked *stage_order_new(const struct vctx *v, enum stage st, size_t *n);

/* Written spapr-vio regs (read as hex, as libvirt reads them) that an
 * earlier device in libvirt's order already has. */
static void find_vio_dups(struct vctx *v)
{
    static const char *const order[] = { "interface", "controller", "serial", "nvram", "tpm" };
    /* one walk for the written regs, then libvirt's order over them:
     * most domains have none */
    struct vio { xmlNodePtr el; unsigned long reg; int rank; } *w = NULL;
    size_t n = 0, cap = 0;
    for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el)) {
        xmlNodePtr a = xml_child(el, "address");
        const char *type = xml_attr(a, "type"), *reg = xml_attr(a, "reg");
        unsigned long r;
        if (!type || !str_eq(type, "spapr-vio") || !reg || !parse_uint_base(reg, 16, ~0ul, &r))
            continue;
        for (size_t k = 0; k < ARRAY_LEN(order); k++)
            if (str_eq((const char *)el->name, order[k])) {
                if (n == cap)
                    w = xrealloc(w, (cap = cap ? cap * 2 : 8) * sizeof *w);
                w[n++] = (struct vio){ el, r, (int)k };
            }
    }
    for (int k = 0; k < (int)ARRAY_LEN(order); k++)
        for (size_t i = 0; i < n; i++) {
            if (w[i].rank != k)
                continue;
            bool dup = false;
            for (size_t j = 0; j < n && !dup; j++)   /* earlier in libvirt's order */
                dup = j != i && w[j].reg == w[i].reg && (w[j].rank < k || (w[j].rank == k && j < i));
            if (dup)
                ns_add(&v->vio_dup, w[i].el);
        }
    free(w);
}

/* The elements libvirt's parser refuses.  A device of the topology was
 * read already and carries the answer (a problem that waits for the
 * address to be reserved is no parser's); the other elements, a
 * <console> say, are read here.  Reading every element again per
 * document made each preview of the editor a third slower. */
static void find_unreadable(struct vctx *v)
{
    const struct topology *t = v->t;
    size_t d = 0;
    for (xmlNodePtr el = xml_first_device(t->root); el; el = xml_next_device(el)) {
        /* the topology's devices come in document order */
        if (d < t->ndevs && t->devs[d].node == el) {
            const struct device *dv = &t->devs[d++];
            if (dv->problem && !dv->problem_when_reserved)
                ns_add(&v->unreadable, el);
            continue;
        }
        char *why = topology_parse_problem_new(el, t->machine);
        if (why)
            ns_add(&v->unreadable, el);
        free(why);
    }
    ns_seal(&v->unreadable);
}

static void read_context(struct vctx *v, const struct topology *t)
{
    memset(v, 0, sizeof *v);
    v->t = t;
    v->root = t->root;
    find_extras(v);
    v->spice = has_graphics(v, "spice");
    v->egl_headless = has_graphics(v, "egl-headless");
    find_usb_clashes(v);
    find_hostdev_dups(v);
    find_drive_clashes(v);
    find_vio_dups(v);
    find_unreadable(v);
    v->walk_order = stage_order_new(v, ST_DEVICES, &v->ndevices);
    v->read_order = stage_order_new(v, ST_PARSE, &v->ndevices);
    find_vserial_problems(v, v->walk_order, v->ndevices);
    ns_seal(&v->usb_again);
    ns_seal(&v->usb_dup);
    ns_seal(&v->hostdev_dup);
    ns_seal(&v->scsi_clash);
    ns_seal(&v->vio_dup);
    ns_seal(&v->extra);
    for (size_t r = 0; catalog_implicit_at(r); r++) {
        const struct implicit_device *row = catalog_implicit_at(r);
        v->usb_ctrls_any |= (row->machines & t->machine) && row->type && str_eq(row->type, "usb");
    }
    for (xmlNodePtr el = xml_first_device(t->root); el; el = xml_next_device(el)) {
        note_ide(v, el);
        if (!is_usb_controller(el))
            continue;
        if (!v->first_usb)
            v->first_usb = el;
        const char *model = xml_attr(el, "model");
        if (model && str_eq(model, "none") && !v->usb_none)
            v->usb_none = el;
        v->usb_ctrls++;
        v->usb_ctrls_any = true;
        /* ich9-uhci1-3 are companions even without <master> */
        v->usb_masters += !xml_child(el, "master") && !(model && strncmp(model, "ich9-uhci", 9) == 0);
    }
}

/* Validating each device and reserving virtio-serial ports, libvirt
 * walks the devices kind by kind (catalog_iterate_rank); other stages go
 * in the order it reads them (catalog_device_rank). */
static int kind_rank(enum stage st, const char *name)
{
    return st == ST_DEVICES || st == ST_VSERIAL ? catalog_iterate_rank(name)
                                                : catalog_device_rank(name);
}

static void add_refusal(const struct vctx *v, const struct refusal *r, xmlNodePtr el,
                        struct diag_list *l)
{
    struct strbuf msg = STRBUF_INIT;
    if (r->detail)
        r->detail(v, el, &msg);
    else
        sb_puts(&msg, r->msg);
    diag_list_add(l, topology_find_node(v->t, el), el, true, "%s", msg.buf);
    sb_free(&msg);
}

/* libvirt's domain-wide checks run one after the other, each over all
 * devices: row by row, in the table's order. */
static void check_domain_wide(const struct vctx *v, enum stage st, struct diag_list *l)
{
    for (size_t r = 0; r < ARRAY_LEN(refusals); r++) {
        if (refusals[r].stage != st)
            continue;
        /* a row about the domain itself meets its <domain> once */
        if (refusals[r].element && str_eq(refusals[r].element, "domain")) {
            if (row_matches(&refusals[r], v, v->root))
                add_refusal(v, &refusals[r], v->root, l);
            continue;
        }
        for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el))
            if (row_matches(&refusals[r], v, el))
                add_refusal(v, &refusals[r], el, l);
    }
}


static int by_rank_then_pos(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The devices in the order a stage meets them: kind by kind, each kind in
 * document order. */
static struct ranked *stage_order_new(const struct vctx *v, enum stage st, size_t *n)
{
    struct ranked *r = NULL;
    size_t cap = 0;
    *n = 0;
    for (xmlNodePtr el = xml_first_device(v->root); el; el = xml_next_device(el)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            r = xrealloc(r, cap * sizeof *r);
        }
        r[*n] = (struct ranked){ el, kind_rank(st, (const char *)el->name), *n };
        (*n)++;
    }
    if (*n)
        qsort(r, *n, sizeof *r, by_rank_then_pos);
    return r;
}

_Static_assert(ARRAY_LEN(refusals) <= 256, "check_stage keeps row indexes in bytes");

static void check_stage(const struct vctx *v, enum stage st, struct diag_list *l)
{
    if (st == ST_CALLBACK || st == ST_DOMAIN) {
        check_domain_wide(v, st, l);
        return;
    }
    const struct ranked *order = st == ST_DEVICES || st == ST_VSERIAL ? v->walk_order : v->read_order;
    /* the stage's rows for each element name, found once: hundreds of
     * devices share a handful of names */
    struct name_rows {
        const char *name;
        unsigned char rows[ARRAY_LEN(refusals)];
        size_t n;
    } *names = NULL;
    size_t nnames = 0;
    for (size_t i = 0; i < v->ndevices; i++) {
        xmlNodePtr el = order[i].el;
        const char *name = (const char *)el->name;
        struct name_rows *nr = NULL;
        for (size_t k = 0; k < nnames && !nr; k++)
            if (str_eq(names[k].name, name))
                nr = &names[k];
        if (!nr) {
            names = xrealloc(names, (nnames + 1) * sizeof *names);
            nr = &names[nnames++];
            nr->name = name;
            nr->n = 0;
            for (size_t r = 0; r < ARRAY_LEN(refusals); r++)
                if (refusals[r].stage == st && (refusals[r].machines & v->t->machine)
                    && (refusals[r].element == SEL_ANY || str_eq(refusals[r].element, name)))
                    nr->rows[nr->n++] = (unsigned char)r;
        }
        for (size_t k = 0; k < nr->n; k++) {
            const struct refusal *row = &refusals[nr->rows[k]];
            if (!row_matches(row, v, el))
                continue;
            add_refusal(v, row, el, l);
            break;   /* one refusal per element: libvirt stops at it */
        }
    }
    free(names);
}

static void free_context(struct vctx *v)
{
    free(v->usb_again.n);
    free(v->usb_dup.n);
    free(v->hostdev_dup.n);
    free(v->scsi_clash.n);
    free(v->vio_dup.n);
    free(v->extra.n);
    free(v->unreadable.n);
    free(v->vserial);
    free(v->walk_order);
    free(v->read_order);
}

void validate_domain(const struct topology *t, struct diag_list *before, struct diag_list *after)
{
    struct vctx v;
    read_context(&v, t);
    for (enum stage st = ST_PARSE; st <= ST_VSERIAL; st++)
        check_stage(&v, st, before);
    for (enum stage st = ST_USB; st <= ST_DOMAIN; st++)
        check_stage(&v, st, after);
    free_context(&v);
}
