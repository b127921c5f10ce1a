#include "config.h"
#include "topology.h"

#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>

#include <libxml/hash.h>

#include "validate.h"
#include "xmlutil.h"

struct ctx {
    const struct domain *dom;
    struct topology *t;
    struct err *e;
};

/* How libvirt's parser reads a number attribute: in which base, and as
 * a signed int (its "Expected integer value") or an unsigned one. */
enum num_syntax {
    NUM_UINT_AUTO,   /* PCI address parts: 0x hex, leading 0 octal */
    NUM_INT_AUTO,    /* PCI controller <target> attributes */
};

/* Writes libvirt's refusal into why unless one is there: libvirt stops
 * reading an element at the first thing it cannot read, so that one is
 * what it says. */
static void note_refusal(struct strbuf *why, const char *fmt, ...) PT_PRINTF(2, 3);
static void note_refusal(struct strbuf *why, const char *fmt, ...)
{
    if (why->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(why, fmt, ap);
    va_end(ap);
}

/* Reads an optional numeric attribute the way libvirt reads it.  *out is
 * `absent` when missing, or when present but no such number: then false,
 * with libvirt's words in why. */
static bool read_number(xmlNodePtr el, const char *attr, enum num_syntax syn, long absent,
                        long *out, struct strbuf *why)
{
    *out = absent;
    const char *v = xml_attr(el, attr);
    if (!v)
        return true;
    const char *elname = (const char *)el->name;
    long n = 0;
    unsigned long un;
    if (syn == NUM_UINT_AUTO ? !parse_uint_base(v, 0, UINT_MAX, &un) : !parse_int_base(v, 0, &n)) {
        note_refusal(why, "XML error: Invalid value for attribute '%s' in element '%s': '%s'. Expected %sinteger value",
                     attr, elname, v, syn == NUM_UINT_AUTO ? "non-negative " : "");
        return false;
    }
    if (syn == NUM_UINT_AUTO)
        n = (long)un;
    if (n < 0) {
        note_refusal(why, "XML error: Invalid value for attribute '%s' in element '%s': '%s'. Expected non-negative value",
                     attr, elname, v);
        return false;
    }
    *out = n;
    return true;
}

/* Reads an optional on/off attribute: -1 absent (or unreadable: false,
 * with libvirt's words in why), 0 off, 1 on. */
static bool read_onoff(xmlNodePtr el, const char *attr, int *out, struct strbuf *why)
{
    *out = -1;
    const char *v = xml_attr(el, attr);
    if (!v)
        return true;
    if (str_eq(v, "on") || str_eq(v, "off")) {
        *out = v[1] == 'n';
        return true;
    }
    note_refusal(why, "XML error: Invalid value for attribute '%s' in element '%s': '%s'.", attr,
                 (const char *)el->name, v);
    return false;
}

/* libvirt's limits on the parts of a PCI address, in its words.  It
 * reads any 32-bit domain (Intel VMD has domains above 0xFFFF) and
 * refuses one other than 0 only when it reserves the address. */
static bool pci_address_valid(long bus, long slot, long fn, struct strbuf *why)
{
    if (bus > 0xff)
        note_refusal(why, "XML error: Invalid PCI address bus='0x%lx', must be <= 0xFF", bus);
    else if (slot > 0x1f)
        note_refusal(why, "XML error: Invalid PCI address slot='0x%lx', must be <= 0x1F", slot);
    else if (fn > 7)
        note_refusal(why, "XML error: Invalid PCI address function=0x%lx, must be <= 7", fn);
    return bus <= 0xff && slot <= 0x1f && fn <= 7;
}

/* A PCI address element (a device's, or the host function a host device
 * passes through), read as libvirt's parser reads it: each part in turn,
 * multifunction, then the limits.  False with libvirt's words in why. */
static bool read_pci_address(xmlNodePtr a, struct pci_addr *out, struct strbuf *why)
{
    long dom, bus, slot, fn;
    if (!read_number(a, "domain", NUM_UINT_AUTO, 0, &dom, why)
        || !read_number(a, "bus", NUM_UINT_AUTO, 0, &bus, why)
        || !read_number(a, "slot", NUM_UINT_AUTO, 0, &slot, why)
        || !read_number(a, "function", NUM_UINT_AUTO, 0, &fn, why)
        || !read_onoff(a, "multifunction", &out->multifunction, why)
        || !pci_address_valid(bus, slot, fn, why))
        return false;
    out->domain = (unsigned)dom;
    out->bus = (unsigned)bus;
    out->slot = (unsigned)slot;
    out->function = (unsigned)fn;
    return true;
}

/* The device's own <address> (§1, §9).  An address libvirt's parser
 * refuses is ADDR_BAD (why says why); one it reads but will refuse when
 * it reserves it (a PCI domain other than 0) is left to read_devices. */
static void read_address(struct device *dv, struct strbuf *why)
{
    xmlNodePtr a = xml_child(dv->node, "address");
    const char *type = xml_attr(a, "type");
    if (!a) {
        dv->addr_state = ADDR_NONE;
        return;
    }
    if (!type || !str_eq(type, "pci")) {
        dv->addr_state = ADDR_OTHER;
        return;
    }
    struct pci_addr addr = { 0, 0, 0, 0, -1 };
    if (!read_pci_address(a, &addr, why)) {
        dv->addr_state = ADDR_BAD;
        return;
    }
    dv->addr = addr;
    /* libvirt: domain, bus and slot all 0 means "no address" (§1). */
    dv->addr_state = addr.domain == 0 && addr.bus == 0 && addr.slot == 0 ? ADDR_UNSET : ADDR_PCI;
}

/* A PCI controller's <target>, in the order libvirt reads it; what it
 * cannot read stays absent (-1), and the first of those goes to why. */
static void read_controller_target(struct device *dv, struct strbuf *why)
{
    xmlNodePtr tg = xml_child(dv->node, "target");
    read_number(tg, "chassisNr", NUM_INT_AUTO, -1, &dv->chassis_nr, why);
    read_number(tg, "chassis", NUM_INT_AUTO, -1, &dv->chassis, why);
    read_number(tg, "port", NUM_INT_AUTO, -1, &dv->port, why);
    read_number(tg, "busNr", NUM_INT_AUTO, -1, &dv->bus_nr, why);
    read_onoff(tg, "hotplug", &dv->hotplug, why);
    read_number(tg, "index", NUM_INT_AUTO, -1, &dv->target_index, why);
    dv->numa_node = -1;
    xmlNodePtr node = xml_child(tg, "node");
    xmlChar *text = node ? xmlNodeGetContent(node) : NULL;
    long n;
    /* libvirt reads <node> as a decimal int, and <node/> as no node */
    if (text && text[0] && parse_int_base((const char *)text, 10, &n) && n >= 0)
        dv->numa_node = n;
    else if (text && text[0])
        note_refusal(why, "XML error: invalid NUMA node in target");
    xmlFree(text);
}

/* A <controller type='pci'>: its model (its index is read with every
 * controller's, its target with what else libvirt may refuse). */
static bool read_pci_controller(struct ctx *c, struct device *dv)
{
    long index = dv->ctrl_index;
    dv->index = (int)index;
    const char *model = xml_attr(dv->node, "model");
    if (model) {
        dv->ctrl = catalog_ctrl_model(model, c->t->machine);
        if (!dv->ctrl) {
            err_set(c->e, "%s: <controller type='pci'>: unsupported configuration: Unknown model type '%s' (libvirt 9.0 knows pci-root, pcie-root, pcie-root-port, pcie-switch-upstream-port, pcie-switch-downstream-port, pcie-to-pci-bridge, dmi-to-pci-bridge, pci-bridge, pci-expander-bus, pcie-expander-bus)",
                    domain_where(c->dom->name, dv->line).text, model);
            return false;
        }
    } else if (index == 0) {
        dv->ctrl = catalog_root_model(c->t->machine);
    }
    dv->model = dv->ctrl ? dv->ctrl->name : NULL;
    return true;
}

/* libvirt moves the video marked primary='yes' to the front; only that
 * first video gets the fixed slot, and only if it is on PCI. */
static void note_primary_video(struct topology *t, xmlNodePtr root)
{
    xmlNodePtr first = NULL, primary = NULL;
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el)) {
        if (!str_eq((const char *)el->name, "video"))
            continue;
        const char *p = xml_attr(xml_child(el, "model"), "primary");
        if (!first)
            first = el;
        if (!primary && p && str_eq(p, "yes"))
            primary = el;
    }
    if (primary)
        first = primary;
    const char *type = xml_attr(xml_child(first, "model"), "type");
    t->primary_video_none = first && type && (str_eq(type, "none") || str_eq(type, "ramfb"));
}

static void device_init(struct device *dv)
{
    memset(dv, 0, sizeof *dv);
    dv->index = -1;
    dv->ctrl_index = -1;
    dv->chassis_nr = dv->chassis = dv->port = dv->bus_nr = dv->numa_node = dv->target_index = -1;
    dv->hotplug = -1;
    dv->pref = DEV_PREF_NONE;
    dv->addr.multifunction = -1;
}

static struct device *add_device(struct topology *t, size_t *cap)
{
    if (t->ndevs == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        t->devs = xrealloc(t->devs, *cap * sizeof *t->devs);
    }
    struct device *dv = &t->devs[t->ndevs++];
    device_init(dv);
    return dv;
}

const char *alias_problem(const char *a)
{
    static const char user_chars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    if (strncmp(a, "ua-", 3) == 0) {
        if (!a[3])
            return "a user alias needs a name after 'ua-'";
        if (a[strspn(a, user_chars)])
            return "a user alias is 'ua-' followed by letters, digits, '_' and '-' only";
        return NULL;
    }
    if (!isalpha((unsigned char)a[0]))
        return "an alias is 'ua-' followed by letters, digits, '_' and '-' (libvirt's own aliases start with a letter)";
    for (const char *p = a; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("_-.", *p))
            return "an alias is 'ua-' followed by letters, digits, '_' and '-' (libvirt's own aliases add '.')";
    return NULL;
}

/* Every <alias> under <devices> must be one pcitopo takes, and no two
 * devices may share one: commands name devices by alias, so a bad or
 * doubled alias would make a command act on another device.  A hash of
 * the names seen keeps this linear in the devices. */
static bool check_aliases(struct ctx *c, xmlNodePtr root)
{
    xmlHashTablePtr seen = xmlHashCreate(64);
    bool ok = true;
    for (xmlNodePtr el = xml_first_device(root); el && ok; el = xml_next_device(el)) {
        xmlNodePtr al = xml_child(el, "alias");
        const char *a = xml_attr(al, "name");
        if (!a)
            continue;
        const char *why = alias_problem(a);
        if (why) {
            err_set(c->e, "%s: <alias> of <%s>: name='%s' is refused: %s",
                    domain_where(c->dom->name, domain_line(al)).text, (const char *)el->name, a, why);
            ok = false;
        } else if (xmlHashAddEntry(seen, (const xmlChar *)a, al) != 0) {
            err_set(c->e, "%s: <alias> of <%s>: non unique alias detected: %s",
                    domain_where(c->dom->name, domain_line(al)).text, (const char *)el->name, a);
            ok = false;
        }
    }
    xmlHashFree(seen, NULL);
    return ok;
}

/* Address parts libvirt reads in decimal, as unsigned numbers: a "0x1" or
 * "-1" there is refused, and pcitopo, which reads some of them (which
 * disk controller, which virtio-serial controller), must agree. */
static const struct { const char *type; const char *attrs[4]; } decimal_addresses[] = {
    { "drive", { "controller", "bus", "target", "unit" } },
    { "virtio-serial", { "controller", "bus", "port", NULL } },
    { "ccid", { "controller", "slot", NULL, NULL } },
};

/* A USB companion's <master startport=''>, then an address of a type
 * libvirt reads in decimal. */
static void check_decimal_address(xmlNodePtr el, struct strbuf *why)
{
    xmlNodePtr m = xml_child(el, "master");
    const char *sp = xml_attr(m, "startport");
    unsigned long n;
    if (sp && str_eq((const char *)el->name, "controller") && !parse_uint_base(sp, 10, UINT_MAX, &n))
        note_refusal(why, "XML error: Invalid value for attribute 'startport' in element 'master': '%s'. Expected non-negative integer value",
                     sp);
    xmlNodePtr a = xml_child(el, "address");
    const char *type = xml_attr(a, "type");
    for (size_t i = 0; type && i < ARRAY_LEN(decimal_addresses); i++) {
        if (!str_eq(type, decimal_addresses[i].type))
            continue;
        for (size_t k = 0; k < 4 && decimal_addresses[i].attrs[k]; k++) {
            const char *attr = decimal_addresses[i].attrs[k], *v = xml_attr(a, attr);
            if (v && !parse_uint_base(v, 10, UINT_MAX, &n))
                note_refusal(why, "XML error: Invalid value for attribute '%s' in element 'address': '%s'. Expected non-negative integer value",
                             attr, v);
        }
    }
}

/* The host address a PCI host device passes through, within libvirt's
 * limits (as for a guest address). */
static void check_host_address(xmlNodePtr el, struct strbuf *why)
{
    const char *name = (const char *)el->name, *type = xml_attr(el, "type");
    bool pci_host = type && ((str_eq(name, "hostdev") && str_eq(type, "pci"))
                             || (str_eq(name, "interface") && str_eq(type, "hostdev")));
    xmlNodePtr a = xml_child(xml_child(el, "source"), "address");
    struct pci_addr ignored;
    if (pci_host && a)
        read_pci_address(a, &ignored, why);
}

/* Whether libvirt 9.0's parser reads el at all: a device element it
 * knows, not one of another namespace, not the <crypto> it drops. */
static bool libvirt_reads(xmlNodePtr el, const struct dev_kind *k)
{
    return !el->ns && catalog_device_rank((const char *)el->name) >= 0
        && !(k && (k->flags & KIND_DROPPED));
}

/* What libvirt's parser refuses in el that pcitopo reads too — a PCI
 * controller's <target>, a host device's host address, a companion's
 * startport, the device's <address> — in libvirt's order: the first goes
 * to why, and dv (with dv->node == el) gets what could be read. */
static void read_element(struct device *dv, struct strbuf *why)
{
    xmlNodePtr el = dv->node;
    const char *type = xml_attr(el, "type");
    if (str_eq((const char *)el->name, "controller") && type && str_eq(type, "pci"))
        read_controller_target(dv, why);
    check_host_address(el, why);
    check_decimal_address(el, why);
    read_address(dv, why);
}

char *topology_parse_problem_new(xmlNodePtr el, enum machine m)
{
    if (!libvirt_reads(el, catalog_dev_kind(el, m)))
        return NULL;
    struct device dv;
    device_init(&dv);
    dv.node = el;
    struct strbuf why = STRBUF_INIT;
    read_element(&dv, &why);
    if (why.len)
        return sb_detach(&why);
    sb_free(&why);
    return NULL;
}

/* Reads dv's addresses and targets, keeping what libvirt would refuse
 * in dv->problem: the device is shown, with the problem, instead of the
 * file failing to load.  False for an element libvirt does not read
 * whose PCI address names no slot pcitopo can show (no device then). */
static bool read_problems(struct device *dv, const struct dev_kind *k)
{
    struct strbuf why = STRBUF_INIT;
    read_element(dv, &why);
    bool foreign = dv->addr_state == ADDR_PCI && dv->addr.domain != 0;
    if (!libvirt_reads(dv->node, k)) {
        /* libvirt refuses nothing in an element it does not read */
        sb_free(&why);
        return dv->addr_state != ADDR_BAD && !foreign;
    }
    if (foreign) {
        /* libvirt reads it, and refuses it as it reserves the address */
        dv->addr_state = ADDR_BAD;
        dv->problem_when_reserved = !why.len;
        note_refusal(&why, "XML error: Invalid PCI address %04x:%02x:%02x.%x. Only PCI domain 0 is available",
                     dv->addr.domain, dv->addr.bus, dv->addr.slot, dv->addr.function);
    }
    if (why.len)
        dv->problem = sb_detach(&why);
    sb_free(&why);
    return true;
}

/* Collects every element of <devices> that is on PCI or carries a PCI
 * address; the rest is left to the document.  Every <devices> counts:
 * libvirt reads them all. */
static bool has_virtio_mmio_device(xmlNodePtr root)
{
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el)) {
        const char *type = xml_attr(xml_child(el, "address"), "type");
        if (type && str_eq(type, "virtio-mmio"))
            return true;
    }
    return false;
}

static bool read_devices(struct ctx *c, xmlNodePtr root)
{
    struct topology *t = c->t;
    size_t cap = 0;
    if (!ctrl_list_read(&t->ctrls, root, c->dom, c->e))
        return false;
    implicit_facts_read(&t->implicit, root, &t->ctrls);
    note_primary_video(t, root);
    t->virtio_mmio = t->mach->virtio_mmio && has_virtio_mmio_device(root);
    for (xmlNodePtr el = xml_first_device(root); el; el = xml_next_device(el)) {
        bool is_ctrl = str_eq((const char *)el->name, "controller");
        long pos = is_ctrl ? ctrl_list_position(&t->ctrls, el) : -1;
        const struct ctrl_entry *ce = pos >= 0 ? &t->ctrls.e[pos] : NULL;
        const struct dev_kind *k = catalog_dev_kind(el, t->machine);
        xmlNodePtr a = xml_child(el, "address");
        const char *atype = xml_attr(a, "type");
        bool pci_addr = atype && str_eq(atype, "pci");
        /* libvirt 9.0's parser knows no <crypto>: it drops the element,
         * address and all, so it holds no slot; pcitopo keeps it and
         * lists it as it lists elements it does not know */
        bool dropped = k && (k->flags & KIND_DROPPED);
        if ((catalog_device_rank((const char *)el->name) < 0 || dropped) && !el->ns) {
            t->unknown = xrealloc(t->unknown, (t->nunknown + 1) * sizeof *t->unknown);
            t->unknown[t->nunknown++] = (struct unknown_element){ (const char *)el->name,
                                                                  domain_line(el) };
        }
        if (((!k || k->cls == CLASS_NONE) && !pci_addr) || dropped)
            continue;
        /* a console's PCI address is its serial port's, which libvirt
         * copies there: the port is the device */
        if (str_eq((const char *)el->name, "console"))
            continue;
        struct device *dv = add_device(t, &cap);
        dv->node = el;
        dv->kind = k;
        dv->line = domain_line(el);
        dv->cls = k ? catalog_effective_class(k->cls, t->machine) : CLASS_NONE;
        dv->model = k ? catalog_kind_model(k, el) : NULL;
        dv->alias = xml_attr(xml_child(el, "alias"), "name");
        if (is_ctrl) {
            dv->ctrl_type = xml_attr(el, "type");
            if (!dv->ctrl_type)
                dv->ctrl_type = "";
            dv->ctrl_index = ce ? ce->index : 0;
            dv->ctrl_order = (int)pos;
            dv->index_implicit = ce && !ce->given;
            if (str_eq(dv->ctrl_type, "pci") && !read_pci_controller(c, dv))
                return false;
        } else if (str_eq((const char *)el->name, "disk")) {
            dv->disk_target = xml_attr(xml_child(el, "target"), "dev");
        } else if (str_eq((const char *)el->name, "video")) {
            const char *p = xml_attr(xml_child(el, "model"), "primary");
            dv->primary_video = p && str_eq(p, "yes");
        }
        if (!read_problems(dv, k)) {
            /* an element libvirt does not read, with an address pcitopo
             * cannot: only the list of unknown elements shows it */
            t->ndevs--;
            continue;
        }
        if (t->virtio_mmio && dv->addr_state == ADDR_NONE && catalog_goes_virtio_mmio((const char *)el->name, xml_attr(el, "type"), dv->model, el))
            dv->addr_state = ADDR_OTHER;
        if ((dv->addr_state == ADDR_PCI || dv->addr_state == ADDR_UNSET || dv->problem_when_reserved)
            && catalog_drops_pci_address(el, t->machine)) {
            /* libvirt throws the address away before it would reserve it */
            dv->addr_state = ADDR_OTHER;
            dv->address_dropped = true;
            free(dv->problem);
            dv->problem = NULL;
            dv->problem_when_reserved = false;
        }
    }
    return true;
}

static struct bus *bus_new(unsigned index, const struct ctrl_model *m, struct device *ctrl,
                           bool acpi)
{
    struct bus *b = xcalloc(1, sizeof *b);
    b->index = index;
    b->model = m;
    b->ctrl = ctrl;
    b->hotplug = m && topology_bus_hotplug(m, ctrl, acpi);
    return b;
}

bool topology_hotplug_off(const struct ctrl_model *m, const struct device *ctrl)
{
    return ctrl && ctrl->hotplug == 0 && !m->hotplug_off_ignored;
}

bool topology_bus_hotplug(const struct ctrl_model *m, const struct device *ctrl, bool acpi)
{
    return m->hotplug && !topology_hotplug_off(m, ctrl) && (!m->hotplug_needs_acpi || acpi);
}

static bool build_buses(struct ctx *c)
{
    struct topology *t = c->t;
    for (size_t i = 0; i < t->ndevs; i++) {
        struct device *dv = &t->devs[i];
        if (dv->index < 0)
            continue;
        if (dv->index == 0 && dv->ctrl != catalog_root_model(t->machine)) {
            const struct ctrl_model *root = catalog_root_model(t->machine);
            err_set(c->e, "%s: <controller type='pci' index='0'>: must be model='%s' on a %s machine, not model='%s'",
                    domain_where(c->dom->name, dv->line).text, root->name, t->mach->title,
                    dv->model ? dv->model : "(none)");
            return false;
        }
        if (dv->index > 0 && dv->ctrl && dv->ctrl->is_root
            && !(t->mach->multiple_roots && dv->ctrl == catalog_root_model(t->machine))) {
            err_set(c->e, "%s: <controller type='pci' index='%d'>: %s can only be index 0",
                    domain_where(c->dom->name, dv->line).text, dv->index, dv->model);
            return false;
        }
        t->buses[dv->index] = bus_new((unsigned)dv->index, dv->ctrl, dv, t->acpi);
    }
    if (!t->buses[0])
        t->buses[0] = bus_new(0, catalog_root_model(t->machine), NULL, t->acpi);

    for (size_t i = 0; catalog_chipset_at(i); i++) {
        const struct chipset_fn *cf = catalog_chipset_at(i);
        if (cf->machines & t->machine) {
            struct slot *s = &t->buses[0]->slots[cf->slot];
            s->chipset |= (uint8_t)(1u << cf->function);
            s->used |= (uint8_t)(1u << cf->function);
        }
    }
    for (size_t i = 0; i < t->ndevs; i++) {
        struct device *dv = &t->devs[i];
        if (dv->addr_state != ADDR_PCI || !t->buses[dv->addr.bus])
            continue;
        t->buses[dv->addr.bus]->slots[dv->addr.slot].used |= (uint8_t)(1u << dv->addr.function);
    }
    return true;
}

/* <cpu><numa>: libvirt reads each cell's id in decimal and wants them to
 * be 0, 1, 2... in order; a NUMA wish or an expander bus names one. */
static bool read_numa_cells(struct ctx *c, xmlNodePtr root)
{
    for (xmlNodePtr n = xml_first_element(xml_child(xml_child(root, "cpu"), "numa")); n;
         n = xml_next_element(n)) {
        if (!str_eq((const char *)n->name, "cell"))
            continue;
        const char *id = xml_attr(n, "id");
        unsigned long v = (unsigned long)c->t->numa_cells;
        struct where_text w = domain_where(c->dom->name, domain_line(n));
        const char *where = w.text;
        if (id && !parse_uint_base(id, 10, UINT_MAX, &v)) {
            err_set(c->e, "%s: <cell>: XML error: Invalid value for attribute 'id' in element 'cell': '%s'. Expected non-negative integer value",
                    where, id);
            return false;
        }
        if (v != (unsigned long)c->t->numa_cells) {
            err_set(c->e, "%s: <cell id='%s'>: XML error: Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed",
                    where, id ? id : "");
            return false;
        }
        c->t->numa_cells++;
    }
    return true;
}

/* Machine and hypervisor: pcitopo models x86 QEMU/KVM guests only. */
static bool read_machine(struct ctx *c, xmlNodePtr root)
{
    struct topology *t = c->t;
    const char *type = xml_attr(root, "type");
    /* the domain types libvirt's QEMU driver runs: hvf is QEMU with
     * macOS's Hypervisor.framework, placed like kvm */
    if (type && !str_eq(type, "kvm") && !str_eq(type, "qemu") && !str_eq(type, "hvf")) {
        err_set(c->e, "%s: <domain type='%s'>: pcitopo models guests of libvirt's QEMU driver (type='kvm', 'qemu' or 'hvf')",
                domain_where(c->dom->name, domain_line(root)).text, type);
        return false;
    }
    xmlNodePtr os_type = xml_child(xml_child(root, "os"), "type");
    const char *arch = xml_attr(os_type, "arch"), *why;
    t->machine_name = xml_attr(os_type, "machine");
    t->mach = machine_find(arch, t->machine_name, &why);
    if (!t->mach) {
        err_set(c->e, "%s: <type arch='%s' machine='%s'>: %s",
                domain_where(c->dom->name, domain_line(os_type)).text, arch ? arch : "",
                t->machine_name ? t->machine_name : "", why);
        return false;
    }
    t->machine = t->mach->id;
    t->acpi = xml_child(xml_child(root, "features"), "acpi") != NULL;
    if (!read_numa_cells(c, root))
        return false;
    t->name = NULL;
    xmlNodePtr name = xml_child(root, "name");
    if (name && name->children && name->children->type == XML_TEXT_NODE)
        t->name = (const char *)name->children->content;
    return true;
}

/* pcitopo's own metadata: the domain's policy and each device's wishes. */
static bool read_prefs(struct ctx *c)
{
    struct prefs p;
    bool ok = prefs_read(c->dom->doc, c->dom->name, &p, c->e);
    if (ok) {
        struct topology *t = c->t;
        t->policy = p.policy;
        for (size_t i = 0; i < t->ndevs; i++)
            t->devs[i].pref = prefs_of(&p, t->devs[i].alias);
        for (size_t k = 0; k < p.ndev; k++)
            if (!topology_find_alias(t, p.dev[k].alias)) {
                t->orphan_prefs = xrealloc(t->orphan_prefs, (t->norphan_prefs + 1) * sizeof *t->orphan_prefs);
                t->orphan_prefs[t->norphan_prefs++] = (struct orphan_pref){ p.dev[k].alias, p.dev[k].line };
            }
    }
    prefs_free(&p);
    return ok;
}

/* A model is the document's text: a line break in it (&#10;) would make
 * a label a second line wherever it is shown. */
static char *label_new(const struct device *dv)
{
    const char *el = (const char *)dv->node->name;
    if (dv->index >= 0)
        return visible_new(xstrdup(dv->model ? dv->model : "pci controller (no model)"));
    /* put together without printf: a label per device on every key */
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, el);
    if (str_eq(el, "controller")) {
        const char *type = xml_attr(dv->node, "type");
        sb_putc(&sb, ' ');
        sb_puts(&sb, type ? type : "(null)");
    }
    if (dv->model) {
        sb_putc(&sb, ' ');
        sb_puts(&sb, dv->model);
    }
    return visible_new(sb_detach(&sb));
}

/* Labels are made once the devices are read whole (a PCI controller's
 * model comes last). */
static bool label_devices(struct topology *t)
{
    for (size_t i = 0; i < t->ndevs; i++)
        t->devs[i].label = label_new(&t->devs[i]);
    return true;
}

/* libvirt's other refusals depend on the document alone: found once per
 * topology, not on every placement (the editor places on every key), and
 * only when asked.  The topology is const to its readers; this cache is
 * the one thing filled in later. */
const struct diag_list *topology_refusals(const struct topology *t, int phase)
{
    struct topology *cache = (struct topology *)t;
    if (!cache->refusals[0]) {
        for (int ph = 0; ph < 2; ph++)
            cache->refusals[ph] = xcalloc(1, sizeof *cache->refusals[ph]);
        validate_domain(t, cache->refusals[PHASE_BEFORE_PLACEMENT], cache->refusals[PHASE_AFTER_PLACEMENT]);
    }
    return t->refusals[phase == PHASE_BEFORE_PLACEMENT ? 0 : 1];
}

struct topology *topology_new(const struct domain *d, struct err *e)
{
    struct topology *t = xcalloc(1, sizeof *t);
    struct ctx c = { d, t, e };
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    t->root = root;
    if (!read_machine(&c, root) || !check_aliases(&c, root) || !read_devices(&c, root)
        || !label_devices(t) || !build_buses(&c) || !read_prefs(&c)) {
        topology_free(t);
        return NULL;
    }
    return t;
}

void topology_free(struct topology *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < PCI_BUSES; i++)
        free(t->buses[i]);
    for (size_t i = 0; i < t->ndevs; i++) {
        free(t->devs[i].label);
        free(t->devs[i].problem);
    }
    free(t->devs);
    free(t->orphan_prefs);
    free(t->unknown);
    implicit_facts_free(&t->implicit);
    ctrl_list_free(&t->ctrls);
    diag_list_free(t->refusals[0]);
    diag_list_free(t->refusals[1]);
    for (int k = 0; k < MEMO_COUNT; k++)
        if (t->memo[k].free)
            t->memo[k].free(t->memo[k].data);
    free(t);
}

const struct device *topology_primary_video(const struct topology *t)
{
    const struct device *first = NULL;
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        if (dv->primary_video)
            return dv;
        if (!first && str_eq((const char *)dv->node->name, "video"))
            first = dv;
    }
    return t->primary_video_none ? NULL : first;
}

const struct bus *topology_bus(const struct topology *t, unsigned index)
{
    return index < PCI_BUSES ? t->buses[index] : NULL;
}

bool bus_has_slot(const struct bus *b, unsigned slot)
{
    return b->model && (int)slot >= b->model->min_slot && (int)slot <= b->model->max_slot;
}

void device_put_written_address(const struct device *dv, struct strbuf *sb)
{
    static const char *const parts[] = { "domain", "bus", "slot", "function", "multifunction" };
    xmlNodePtr a = xml_child(dv->node, "address");
    bool any = false;
    for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
        const char *v = xml_attr(a, parts[i]);
        if (!v)
            continue;
        sb_printf(sb, "%s%s='", any ? " " : "", parts[i]);
        sb_put_visible(sb, v);
        sb_putc(sb, '\'');
        any = true;
    }
    if (!any)
        sb_puts(sb, "type='pci'");
}

const char *device_label(const struct device *dv)
{
    return dv->label ? dv->label : (const char *)dv->node->name;
}


const struct device *topology_find_alias(const struct topology *t, const char *alias)
{
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].alias && str_eq(t->devs[i].alias, alias))
            return &t->devs[i];
    return NULL;
}

const struct device *topology_find_addr(const struct topology *t, unsigned bus, unsigned slot,
                                        unsigned fn)
{
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        if (dv->addr_state == ADDR_PCI && dv->addr.bus == bus && dv->addr.slot == slot
            && dv->addr.function == fn)
            return dv;
    }
    return NULL;
}

bool topology_parse_bdf(const char *s, unsigned *bus, unsigned *slot, unsigned *fn)
{
    char tail;
    return hex_address_syntax(s) && sscanf(s, "%2x:%2x.%1x%c", bus, slot, fn, &tail) == 3
        && *slot < 32 && *fn < 8;
}

bool topology_find_line(const struct topology *t, const char *what, const struct device **dv, int *n)
{
    unsigned long line;
    *dv = NULL;
    *n = 0;
    if (strncmp(what, "line:", 5) != 0 || !parse_uint_base(what + 5, 10, LONG_MAX, &line))
        return false;
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].line == (long)line && (*n)++ == 0)
            *dv = &t->devs[i];
    return true;
}

bool device_host_addr(const struct device *dv, struct host_addr *h)
{
    xmlNodePtr a = xml_child(xml_child(dv->node, "source"), "address");
    const char *dom = xml_attr(a, "domain"), *bus = xml_attr(a, "bus"), *slot = xml_attr(a, "slot"),
               *fn = xml_attr(a, "function");
    unsigned long d = 0, b, s, f = 0;
    if (!a || !bus || !slot || !parse_uint(dom ? dom : "0", 0xffff, &d) || !parse_uint(bus, 0xff, &b)
        || !parse_uint(slot, 0x1f, &s) || !parse_uint(fn ? fn : "0", 7, &f))
        return false;
    *h = (struct host_addr){ (unsigned)d, (unsigned)b, (unsigned)s, (unsigned)f };
    return true;
}

struct device *topology_find_node(const struct topology *t, const xmlNode *el)
{
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].node == el)
            return &t->devs[i];
    return NULL;
}

void *topology_memo(const struct topology *t, enum memo_slot k, void *(*make)(const struct topology *t),
                    void (*free_fn)(void *data))
{
    struct topology_memo *m = &((struct topology *)t)->memo[k];
    if (!m->data) {
        m->data = make(t);
        m->free = free_fn;
    }
    return m->data;
}

void *topology_memo_take(const struct topology *t, enum memo_slot k,
                         void *(*make)(const struct topology *t))
{
    struct topology_memo *m = &((struct topology *)t)->memo[k];
    void *data = m->data ? m->data : make(t);
    *m = (struct topology_memo){ NULL, NULL };
    return data;
}
