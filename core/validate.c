#include "config.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "xmlutil.h"

/* What the checks need to know about the whole domain, read once. */
struct vctx {
    const struct topology *t;
    xmlNodePtr root;
    xmlNodePtr usb_none;        /* the <controller type='usb' model='none'>, or NULL */
    int usb_ctrls;              /* <controller type='usb'> elements */
    int usb_masters;            /* ...of them without <master> */
    xmlNodePtr first_usb;       /* the first of them */
    xmlNodePtr first_ide;       /* the first IDE disk, else IDE controller */
    xmlNodePtr first_ide_disk_1;   /* the first IDE disk on controller 1 or more */
    xmlNodePtr first_ide_ctrl_1;   /* the first <controller type='ide'> with index 1 or more */
};

/* Whether el is a device libvirt puts on USB (its USB device walk:
 * hubs, USB host devices, disks, ccid controllers, inputs, serials,
 * sound and redirected devices on USB). */
static bool is_usb_device(xmlNodePtr el)
{
    const char *name = (const char *)el->name, *type = xml_attr(el, "type");
    const char *bus = xml_attr(el, "bus");
    if (strcmp(name, "input") == 0) {
        /* a tablet without bus= is a USB tablet on x86 */
        return bus ? strcmp(bus, "usb") == 0 : type && strcmp(type, "tablet") == 0;
    }
    if (strcmp(name, "hub") == 0 || strcmp(name, "hostdev") == 0 || strcmp(name, "redirdev") == 0)
        return strcmp(name, "redirdev") == 0 ? !bus || strcmp(bus, "usb") == 0
            : type && strcmp(type, "usb") == 0;
    if (strcmp(name, "disk") == 0)
        return (bus = xml_attr(xml_child(el, "target"), "bus")) && strcmp(bus, "usb") == 0;
    if (strcmp(name, "controller") == 0)
        return type && strcmp(type, "ccid") == 0;
    if (strcmp(name, "serial") == 0)
        return (type = xml_attr(xml_child(el, "target"), "type")) && strcmp(type, "usb-serial") == 0;
    if (strcmp(name, "sound") == 0)
        return (type = xml_attr(el, "model")) && strcmp(type, "usb") == 0;
    return false;
}

static bool is_usb_controller(xmlNodePtr el)
{
    const char *type = xml_attr(el, "type");
    return strcmp((const char *)el->name, "controller") == 0 && type && strcmp(type, "usb") == 0;
}

/* ------------------------------------------------------------------ */
/* Conditions: true when the row's refusal applies to el */

static bool always(const struct vctx *v, xmlNodePtr el)
{
    (void)v, (void)el;
    return true;
}

/* libvirt reads controllers in order and refuses a USB controller next
 * to model='none', whichever comes first. */
static bool another_usb_controller(const struct vctx *v, xmlNodePtr el)
{
    return v->usb_none && el != v->usb_none && is_usb_controller(el);
}

static bool usb_off(const struct vctx *v, xmlNodePtr el)
{
    (void)el;
    return v->usb_none != NULL;
}

static bool usb_device_while_off(const struct vctx *v, xmlNodePtr el)
{
    return v->usb_none && is_usb_device(el);
}

/* USB2 companions name their master with <master>; USB controllers
 * that are all companions have none (reported on the first). */
static bool no_usb_master(const struct vctx *v, xmlNodePtr el)
{
    return v->usb_ctrls > 0 && v->usb_masters == 0 && !v->usb_none && el == v->first_usb;
}

static bool not_first_of_kind(const struct vctx *v, xmlNodePtr el)
{
    for (xmlNodePtr o = xml_first_device(v->root); o && o != el; o = xml_next_device(o))
        if (strcmp((const char *)o->name, (const char *)el->name) == 0)
            return true;
    return false;
}

/* A smartcard anywhere but ccid controller 0, slot 0 (or a second one). */
static bool smartcard_beyond_first(const struct vctx *v, xmlNodePtr el)
{
    xmlNodePtr a = xml_child(el, "address");
    const char *c = xml_attr(a, "controller"), *s = xml_attr(a, "slot");
    unsigned long n;
    bool elsewhere = (c && parse_uint_base(c, 10, ~0ul, &n) && n != 0)
        || (s && parse_uint_base(s, 10, ~0ul, &n) && n != 0);
    return elsewhere || not_first_of_kind(v, el);
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

/* q35 has no IDE; pc has one controller, built into its PIIX3. */
static bool ide_on_q35(const struct vctx *v, xmlNodePtr el)
{
    return v->t->machine == MACH_Q35 && el == v->first_ide;
}

static bool ide_disk_beyond_0(const struct vctx *v, xmlNodePtr el)
{
    return el == v->first_ide_disk_1;
}

static bool second_ide_controller(const struct vctx *v, xmlNodePtr el)
{
    return v->t->machine == MACH_PC && el == v->first_ide_ctrl_1;
}

/* A USB controller with ports (not a companion uhci, not none) whose
 * index an earlier one with ports has. */
static int usb_index_with_ports(const struct vctx *v, xmlNodePtr el)
{
    const struct device *dv = topology_find_node(v->t, el);
    const char *model = xml_attr(el, "model");
    if (!is_usb_controller(el) || !dv || (model && (strncmp(model, "ich9-uhci", 9) == 0
                                                    || strcmp(model, "none") == 0)))
        return -1;
    return dv->ctrl_index;
}

static bool duplicate_usb_index(const struct vctx *v, xmlNodePtr el)
{
    int idx = usb_index_with_ports(v, el);
    for (xmlNodePtr o = xml_first_device(v->root); o && o != el && idx >= 0; o = xml_next_device(o))
        if (usb_index_with_ports(v, o) == idx)
            return true;
    return false;
}

static void duplicate_usb_msg(const struct vctx *v, xmlNodePtr el, struct strbuf *sb)
{
    sb_printf(sb, "XML error: Duplicate USB controllers with index %d", usb_index_with_ports(v, el));
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
    if ((strcmp(name, "interface") == 0 && strcmp(type, "hostdev") == 0)
        || (strcmp(name, "hostdev") == 0 && strcmp(type, "pci") == 0)) {
        const char *ds = xml_attr(a, "domain"), *bs = xml_attr(a, "bus"), *ss = xml_attr(a, "slot"),
                   *fs = xml_attr(a, "function");
        if (!a || (ds && !parse_uint(ds, 0xffff, &d)) || (bs && !parse_uint(bs, 0xff, &b))
            || (ss && !parse_uint(ss, 0x1f, &s)) || (fs && !parse_uint(fs, 7, &f)))
            return xstrdup("");
        return xasprintf("pci %lx:%lx:%lx.%lx", d, b, s, f);
    }
    if (strcmp(name, "hostdev") != 0)
        return xstrdup("");
    if (strcmp(type, "usb") == 0)
        return xasprintf("usb %s:%s %s:%s", xml_attr(xml_child(src, "vendor"), "id") ?: "",
                         xml_attr(xml_child(src, "product"), "id") ?: "", xml_attr(a, "bus") ?: "",
                         xml_attr(a, "device") ?: "");
    if (strcmp(type, "mdev") == 0)
        return xasprintf("mdev %s", xml_attr(a, "uuid") ?: "");
    if (strcmp(type, "scsi") == 0)
        return xasprintf("scsi %s %s:%s:%s", xml_attr(xml_child(src, "adapter"), "name") ?: "",
                         xml_attr(a, "bus") ?: "", xml_attr(a, "target") ?: "", xml_attr(a, "unit") ?: "");
    if (strcmp(type, "scsi_host") == 0)
        return xasprintf("scsi_host %s", xml_attr(src, "wwpn") ?: "");
    return xstrdup("");
}

/* libvirt lists <interface type='hostdev'>s before the <hostdev>s. */
static bool hostdev_before(xmlNodePtr o, xmlNodePtr el, bool o_first_in_doc)
{
    bool o_net = strcmp((const char *)o->name, "interface") == 0;
    bool el_net = strcmp((const char *)el->name, "interface") == 0;
    return o_net != el_net ? o_net : o_first_in_doc;
}

static bool duplicate_hostdev(const struct vctx *v, xmlNodePtr el)
{
    char *key = hostdev_key_new(el);
    bool dup = false, before_el = true;
    for (xmlNodePtr o = xml_first_device(v->root); o && *key && !dup; o = xml_next_device(o)) {
        if (o == el) {
            before_el = false;
            continue;
        }
        if (!hostdev_before(o, el, before_el))
            continue;
        char *k = hostdev_key_new(o);
        dup = strcmp(k, key) == 0;
        free(k);
    }
    free(key);
    return dup;
}

/* <target index=''> is for pSeries PHBs only, and 0-30 there. */
static bool has_target_index(const struct vctx *v, xmlNodePtr el)
{
    (void)v;
    return xml_attr(xml_child(el, "target"), "index") != NULL;
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

/* ------------------------------------------------------------------ */
/* The table */

struct refusal {
    enum validate_phase phase;
    const char *element;
    const char *sel1, *val1, *sel2, *val2;   /* as in catalog.h's device rows */
    bool (*applies)(const struct vctx *v, xmlNodePtr el);
    const char *msg;                         /* libvirt 9.0's words */
    /* for a message that names a number: writes it instead of msg */
    void (*detail)(const struct vctx *v, xmlNodePtr el, struct strbuf *sb);
};

#define V SEL_ANY
#define BEFORE PHASE_BEFORE_PLACEMENT
#define AFTER PHASE_AFTER_PLACEMENT
/* tests/golden/corners (IMPLICIT.md, REFUSALS.md) has a case for each. */
static const struct refusal refusals[] = {
    /* required models, refused while libvirt reads the XML */
    { BEFORE, "sound", "@model", SEL_UNSET, V, V, always,
      "XML error: Missing required attribute 'model' in element 'sound'", NULL },
    { BEFORE, "memballoon", "@model", SEL_UNSET, V, V, always,
      "XML error: Missing required attribute 'model' in element 'memballoon'", NULL },
    { BEFORE, "watchdog", "@model", SEL_UNSET, V, V, always,
      "internal error: watchdog must contain model name", NULL },
    { BEFORE, "rng", "@model", SEL_UNSET, V, V, always,
      "XML error: missing RNG device model", NULL },
    /* USB switched off with <controller type='usb' model='none'> */
    { BEFORE, "controller", "@type", "usb", V, V, another_usb_controller,
      "Can't add another USB controller: USB is disabled for this domain", NULL },
    { BEFORE, "controller", "@type", "usb", V, V, no_usb_master,
      "No master USB controller specified", NULL },
    { BEFORE, "input", V, V, V, V, usb_device_while_off,
      "unsupported configuration: Can't add USB input device. USB bus is disabled", NULL },
    { BEFORE, "hostdev", "@type", "usb", V, V, usb_off,
      "unsupported configuration: Can't add host USB device: USB is disabled in this host", NULL },
    { BEFORE, "hub", "@type", "usb", V, V, usb_off,
      "unsupported configuration: Can't add USB hub: USB is disabled for this domain", NULL },
    /* ich7 is no device QEMU 7.2 has: libvirt finds no bus for it */
    { BEFORE, "sound", "@model", "ich7", V, V, unaddressed,
      "internal error: Cannot automatically add a new PCI bus for a device with connect flags 00", NULL },
    /* libvirt's USB address assignment, right after PCI's */
    { AFTER, V, V, V, V, V, usb_device_while_off,
      "unsupported configuration: USB is disabled for this domain, but USB devices are present in the domain XML", NULL },
    { AFTER, "controller", "@type", "usb", V, V, duplicate_usb_index, NULL, duplicate_usb_msg },
    /* validation of the finished definition */
    { AFTER, "controller", "@type", "pci", V, V, has_target_index, NULL, target_index_msg },
    { AFTER, "hostdev", V, V, V, V, duplicate_hostdev,
      "XML error: Hostdev already exists in the domain configuration", NULL },
    { AFTER, "interface", "@type", "hostdev", V, V, duplicate_hostdev,
      "XML error: Hostdev already exists in the domain configuration", NULL },
    { AFTER, "disk", V, V, V, V, ide_disk_beyond_0, "internal error: Only 1 IDE controller is supported", NULL },
    { AFTER, "controller", V, V, V, V, second_ide_controller,
      "unsupported configuration: Only a single IDE controller is supported for this machine type", NULL },
    { AFTER, V, V, V, V, V, ide_on_q35,
      "unsupported configuration: IDE controllers are unsupported for this QEMU binary or machine type", NULL },
    { AFTER, "graphics", "@type", "rdp", V, V, always,
      "unsupported configuration: rdp graphics are not supported with this QEMU", NULL },
    { AFTER, "interface", "@type", "vhostuser", "model/@type", SEL_UNSET, always,
      "internal error: Wrong or no <model> 'type' attribute specified with <interface type='vhostuser'/>. vhostuser requires the virtio-net* frontend", NULL },
    { AFTER, "smartcard", V, V, V, V, smartcard_beyond_first,
      "unsupported configuration: this QEMU binary lacks multiple smartcard support", NULL },
    { AFTER, "sound", "@model", "ich7", V, V, addressed,
      "internal error: sound card model 'ich7' is not supported by qemu", NULL },
};
#undef V
#undef BEFORE
#undef AFTER

static bool row_matches(const struct refusal *r, const struct vctx *v, xmlNodePtr el)
{
    return (r->element == SEL_ANY || strcmp(r->element, (const char *)el->name) == 0)
        && catalog_selector_matches(el, r->sel1, r->val1) && catalog_selector_matches(el, r->sel2, r->val2)
        && r->applies(v, el);
}

/* The IDE controller a disk or controller element is or needs, or -1. */
static long ide_index(xmlNodePtr el)
{
    const char *name = (const char *)el->name;
    unsigned long n = 0;
    if (strcmp(name, "controller") == 0) {
        const char *type = xml_attr(el, "type"), *idx = xml_attr(el, "index");
        if (!type || strcmp(type, "ide") != 0)
            return -1;
        return idx && parse_uint_base(idx, 10, 255, &n) ? (long)n : 0;
    }
    const char *bus = xml_attr(xml_child(el, "target"), "bus");
    if (strcmp(name, "disk") != 0 || !bus || strcmp(bus, "ide") != 0)
        return -1;
    xmlNodePtr a = xml_child(el, "address");
    const char *type = xml_attr(a, "type"), *c = xml_attr(a, "controller");
    if (type && strcmp(type, "drive") == 0)
        return c && parse_uint_base(c, 10, 255, &n) ? (long)n : 0;
    long d = implicit_disk_index(xml_attr(xml_child(el, "target"), "dev"));
    return d < 0 ? 0 : d / 4;
}

static void note_ide(struct vctx *v, xmlNodePtr el)
{
    long idx = ide_index(el);
    bool disk = strcmp((const char *)el->name, "disk") == 0;
    if (idx >= 0 && (!v->first_ide || (disk && strcmp((const char *)v->first_ide->name, "disk") != 0)))
        v->first_ide = el;   /* libvirt validates disks before controllers */
    if (idx >= 1 && disk && !v->first_ide_disk_1)
        v->first_ide_disk_1 = el;
    if (idx >= 1 && !disk && !v->first_ide_ctrl_1)
        v->first_ide_ctrl_1 = el;
}
static void read_context(struct vctx *v, const struct topology *t)
{
    memset(v, 0, sizeof *v);
    v->t = t;
    v->root = t->root;
    for (xmlNodePtr el = xml_first_device(t->root); el; el = xml_next_device(el)) {
        note_ide(v, el);
        if (!is_usb_controller(el))
            continue;
        if (!v->first_usb)
            v->first_usb = el;
        const char *model = xml_attr(el, "model");
        if (model && strcmp(model, "none") == 0 && !v->usb_none)
            v->usb_none = el;
        v->usb_ctrls++;
        /* ich9-uhci1-3 are companions even without <master> */
        v->usb_masters += !xml_child(el, "master") && !(model && strncmp(model, "ich9-uhci", 9) == 0);
    }
}

/* libvirt reads the devices kind by kind (disks, controllers, ...,
 * inputs, ..., hostdevs, ...), so its first refusal is that of the
 * earliest kind: rows are tried per kind in that order. */
void validate_domain(const struct topology *t, enum validate_phase phase, struct diag_list *l)
{
    struct vctx v;
    read_context(&v, t);
    for (int rank = -1; rank < 64; rank++) {
        for (xmlNodePtr el = xml_first_device(t->root); el; el = xml_next_device(el)) {
            if (catalog_device_rank((const char *)el->name) != rank)
                continue;
            for (size_t r = 0; r < ARRAY_LEN(refusals); r++) {
                if (refusals[r].phase != phase || !row_matches(&refusals[r], &v, el))
                    continue;
                struct strbuf msg = STRBUF_INIT;
                if (refusals[r].detail)
                    refusals[r].detail(&v, el, &msg);
                else
                    sb_puts(&msg, refusals[r].msg);
                diag_list_add(l, topology_find_node(t, el), el, true, "%s", msg.buf);
                sb_free(&msg);
                break;   /* one refusal per element: libvirt stops at it */
            }
        }
    }
}
