#include "config.h"
#include "edit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "group.h"
#include "layout.h"
#include "renumber.h"
#include "xmlutil.h"

/* The kinds `add` creates.  Placeholders in xml: @IMAGE@ and @DEV@ (a disk's
 * image path and target, for ADD_DISK), @DOMAIN@ @BUS@ @SLOT@ @FUNCTION@
 * (the host address, for ADD_NEEDS_HOST).  Each element is what virt-install
 * or virt-manager would write, without an address: placement gives it one.
 * Not here: NVMe disks (libvirt 9.0 has no bus='nvme'; the oracle refuses
 * it) and devices a domain may have only one of (memballoon, vsock). */
static const struct add_kind kinds[] = {
    { "virtio-net", "virtio network card (PCIe on q35)", MACH_ANY,
      "<interface type='network'><source network='default'/><model type='virtio'/></interface>", 0 },
    { "e1000e", "Intel 82574 network card, PCI Express", MACH_ANY,
      "<interface type='network'><source network='default'/><model type='e1000e'/></interface>", 0 },
    { "e1000", "Intel 82540EM network card, conventional PCI", MACH_ANY,
      "<interface type='network'><source network='default'/><model type='e1000'/></interface>", 0 },
    { "rtl8139", "Realtek 8139 network card, conventional PCI", MACH_ANY,
      "<interface type='network'><source network='default'/><model type='rtl8139'/></interface>", 0 },
    { "virtio-blk", "virtio disk (a new qcow2 image path)", MACH_ANY,
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='@IMAGE@'/><target dev='@DEV@' bus='virtio'/></disk>", ADD_DISK },
    { "virtio-scsi", "virtio SCSI controller", MACH_ANY,
      "<controller type='scsi' model='virtio-scsi'/>", 0 },
    { "virtio-serial", "virtio serial controller (channels, consoles)", MACH_ANY,
      "<controller type='virtio-serial'/>", 0 },
    { "qemu-xhci", "USB 3 controller", MACH_ANY,
      "<controller type='usb' model='qemu-xhci' ports='15'/>", 0 },
    { "virtio-gpu", "virtio video card", MACH_ANY,
      "<video><model type='virtio' heads='1'/></video>", 0 },
    { "virtio-rng", "virtio random number generator", MACH_ANY,
      "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>", 0 },
    { "virtio-tablet", "virtio tablet (pointer)", MACH_ANY,
      "<input type='tablet' bus='virtio'/>", 0 },
    { "ich9-hda", "Intel HD Audio (ich9)", MACH_ANY, "<sound model='ich9'/>", 0 },
    { "i6300esb", "watchdog (i6300esb), conventional PCI", MACH_ANY,
      "<watchdog model='i6300esb' action='reset'/>", 0 },
    { "hostdev", "host PCI device passed through (VFIO); needs host=", MACH_ANY,
      "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
      "<address domain='@DOMAIN@' bus='@BUS@' slot='@SLOT@' function='@FUNCTION@'/>"
      "</source></hostdev>", ADD_NEEDS_HOST },
    { "pcie-root-port", "PCIe root port: one hot-pluggable PCIe slot", MACH_PCIE,
      "<controller type='pci' model='pcie-root-port'/>", ADD_BUS },
    { "pcie-to-pci-bridge", "bridge to 31 hot-pluggable legacy PCI slots", MACH_PCIE,
      "<controller type='pci' model='pcie-to-pci-bridge'/>", ADD_BUS },
    { "pci-bridge", "PCI bridge: 31 hot-pluggable legacy PCI slots", MACH_ANY,
      "<controller type='pci' model='pci-bridge'/>", ADD_BUS },
    { "pci-root", "PCI host bridge (PHB) of pseries: 31 hot-pluggable legacy PCI slots", MACH_PSERIES,
      "<controller type='pci' model='pci-root'><model name='spapr-pci-host-bridge'/></controller>", ADD_BUS },
    { "pcie-switch-upstream-port", "upstream port of a PCIe switch", MACH_PCIE,
      "<controller type='pci' model='pcie-switch-upstream-port'/>", ADD_BUS },
    { "pcie-switch-downstream-port", "downstream port of a PCIe switch: one PCIe slot",
      MACH_PCIE, "<controller type='pci' model='pcie-switch-downstream-port'/>", ADD_BUS },
};

const struct add_kind *add_kind_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

const struct add_kind *add_kind_at(size_t i)
{
    return i < ARRAY_LEN(kinds) ? &kinds[i] : NULL;
}

/* ------------------------------------------------------------------ */
/* The request */

static bool parse_host(const char *s, struct host_addr *h)
{
    char tail;
    unsigned d = 0, b, sl, f;
    if (!hex_address_syntax(s))
        return false;
    if (sscanf(s, "%4x:%2x:%2x.%1x%c", &d, &b, &sl, &f, &tail) != 4) {
        d = 0;
        if (sscanf(s, "%2x:%2x.%1x%c", &b, &sl, &f, &tail) != 3)
            return false;
    }
    if (sl > 0x1f || f > 7)
        return false;
    *h = (struct host_addr){ d, b, sl, f };
    return true;
}

/* libvirt keeps a user alias only with the ua- prefix (its own aliases
 * live in a running guest's XML, never in a definition). */
static bool alias_ok(const char *a, struct err *e)
{
    if (strncmp(a, "ua-", 3) != 0) {
        err_set(e, "add: alias '%s': libvirt keeps only user aliases that start with 'ua-' (alias=ua-net1)", a);
        return false;
    }
    const char *why = alias_problem(a);
    if (why) {
        err_set(e, "add: alias '%s': %s", a, why);
        return false;
    }
    return true;
}

/* dev_pref_parse_arg, its error prefixed with the command's name. */
static int pref_arg(const char *cmd, const char *arg, struct dev_pref *p, struct err *e)
{
    int got = dev_pref_parse_arg(arg, p, e);
    if (got < 0) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "%s: ", cmd);
        err_prefix(e, prefix);
    }
    return got;
}

bool add_request_parse(int argc, char **argv, struct add_request *r, struct err *e)
{
    memset(r, 0, sizeof *r);
    r->pref = DEV_PREF_NONE;
    if (argc < 2) {
        err_set(e, "add: which kind? (add KIND; 'help add' lists the kinds)");
        return false;
    }
    r->kind = add_kind_find(argv[1]);
    if (!r->kind) {
        err_set(e, "add: no device kind '%s' ('help add' lists the kinds)", argv[1]);
        return false;
    }
    for (int i = 2; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        size_t klen = eq ? (size_t)(eq - argv[i]) : 0;
        if (eq && klen == 5 && strncmp(argv[i], "alias", 5) == 0) {
            r->alias = eq + 1;
            if (!alias_ok(r->alias, e))
                return false;
        } else if (eq && klen == 4 && strncmp(argv[i], "host", 4) == 0) {
            if (!parse_host(eq + 1, &r->host)) {
                err_set(e, "add: host='%s' is not a PCI address (DDDD:BB:SS.F or BB:SS.F, as lspci -D prints it)",
                        eq + 1);
                return false;
            }
            r->has_host = true;
        } else {
            int got = pref_arg("add", argv[i], &r->pref, e);
            if (got < 0)
                return false;
            if (got == 0) {
                err_set(e, "add: unexpected '%s' (usage: add KIND [alias=ua-NAME] [host=DDDD:BB:SS.F] [hotplug=yes|no] [bus=pcie|pci|any] [numa=N])",
                        argv[i]);
                return false;
            }
        }
    }
    if ((r->kind->needs & ADD_BUS) && dev_pref_is_set(&r->pref)) {
        err_set(e, "add %s: hotplug=, bus= and numa= are for devices; a %s goes where libvirt puts it",
                r->kind->name, r->kind->name);
        return false;
    }
    if ((r->kind->needs & ADD_NEEDS_HOST) && !r->has_host) {
        err_set(e, "add %s: which host device? give host=DDDD:BB:SS.F (see lspci -D)", r->kind->name);
        return false;
    }
    if (r->has_host && !(r->kind->needs & ADD_NEEDS_HOST)) {
        err_set(e, "add %s: host= is only for hostdev", r->kind->name);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Building the element */

static void put_escaped(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_puts(sb, "&amp;"); break;
        case '<': sb_puts(sb, "&lt;"); break;
        case '\'': sb_puts(sb, "&apos;"); break;
        case '"': sb_puts(sb, "&quot;"); break;
        default: sb_putc(sb, *s);
        }
    }
}

/* Whether any element of the document already has <alias name='a'>. */
static bool alias_taken(xmlNodePtr n, const char *a)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "alias") == 0) {
            const char *name = xml_attr(c, "name");
            if (name && strcmp(name, a) == 0)
                return true;
        }
        if (alias_taken(c, a))
            return true;
    }
    return false;
}

/* libvirt's disk names: vda..vdz, vdaa, ... (the inverse of
 * implicit_disk_index). */
static void disk_name(long index, char *buf, size_t size)
{
    char letters[8];
    int n = 0;
    for (long i = index; n < 7; i = i / 26 - 1) {
        letters[n++] = (char)('a' + i % 26);
        if (i < 26)
            break;
    }
    size_t p = (size_t)snprintf(buf, size, "vd");
    while (n > 0 && p + 1 < size)
        buf[p++] = letters[--n];
    buf[p] = '\0';
}

/* The first vdX no disk of the document uses. */
static void free_disk_name(xmlNodePtr devices, char *buf, size_t size)
{
    for (long i = 0;; i++) {
        disk_name(i, buf, size);
        bool used = false;
        for (xmlNodePtr el = xml_first_element(devices); el && !used; el = xml_next_element(el))
            if (strcmp((const char *)el->name, "disk") == 0) {
                const char *dev = xml_attr(xml_child(el, "target"), "dev");
                used = dev && strcmp(dev, buf) == 0;
            }
        if (!used)
            return;
    }
}

/* The kind's element as text, placeholders filled in. */
static char *element_text(const struct add_request *r, const struct topology *t,
                          xmlNodePtr devices)
{
    char dev[16] = "", num[4][16];
    char *image = NULL;
    if (r->kind->needs & ADD_DISK) {
        free_disk_name(devices, dev, sizeof dev);
        /* the domain's name is the document's: it must not steer the
         * image's path out of the images directory */
        char *part = file_part_new(t->name ? t->name : "guest", 128);
        image = xasprintf("/var/lib/libvirt/images/%s-%s.qcow2", part, dev);
        free(part);
    }
    snprintf(num[0], sizeof num[0], "0x%04x", r->host.domain);
    snprintf(num[1], sizeof num[1], "0x%02x", r->host.bus);
    snprintf(num[2], sizeof num[2], "0x%02x", r->host.slot);
    snprintf(num[3], sizeof num[3], "0x%x", r->host.function);
    const struct { const char *key, *value; } subst[] = {
        { "@IMAGE@", image ? image : "" }, { "@DEV@", dev }, { "@DOMAIN@", num[0] },
        { "@BUS@", num[1] }, { "@SLOT@", num[2] }, { "@FUNCTION@", num[3] },
    };
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = r->kind->xml; *p;) {
        size_t k = 0;
        while (k < ARRAY_LEN(subst) && strncmp(p, subst[k].key, strlen(subst[k].key)) != 0)
            k++;
        if (k < ARRAY_LEN(subst)) {
            put_escaped(&sb, subst[k].value);
            p += strlen(subst[k].key);
        } else {
            sb_putc(&sb, *p++);
        }
    }
    free(image);
    return sb_detach(&sb);
}

/* The first user alias "ua-BASEn" no element of doc has, where BASE
 * says what el is (net, disk, hostdev, scsi, ...).  Fills buf. */
static const char *new_alias(xmlDocPtr doc, xmlNodePtr el, char *buf, size_t size)
{
    static const struct { const char *element, *base; } bases[] = {
        { "interface", "net" }, { "memballoon", "balloon" },
    };
    const char *base = (const char *)el->name;
    for (size_t i = 0; i < ARRAY_LEN(bases); i++)
        if (strcmp(base, bases[i].element) == 0)
            base = bases[i].base;
    if (strcmp(base, "controller") == 0 && xml_attr(el, "type"))
        base = xml_attr(el, "type");
    for (int n = 0;; n++) {
        snprintf(buf, size, "ua-%s%d", base, n);
        if (!alias_taken(xmlDocGetRootElement(doc), buf))
            return buf;
    }
}

/* Gives el the user alias a (in its <alias>, made if missing). */
static void set_alias(xmlNodePtr el, const char *a)
{
    xmlNodePtr al = xml_child(el, "alias");
    if (!al) {
        al = layout_new_element(el->doc, "alias");
        struct layout l = layout_of(el);
        layout_insert_child(el, al, xml_child(el, "address"), &l);
        layout_free(&l);
    }
    layout_set_attr(al, "name", a);
}

const char *edit_user_alias(struct session *s, const struct device *dv, char *buf, size_t size,
                            bool *made)
{
    /* libvirt keeps only user aliases ("ua-"); the others are its own
     * names for a running guest */
    *made = !dv->alias || strncmp(dv->alias, "ua-", 3) != 0;
    if (!*made)
        return dv->alias;
    const char *a = new_alias(s->dom->doc, dv->node, buf, size);
    set_alias(dv->node, a);
    return a;
}

/* A new PCI controller gets its index written: libvirt would give one
 * without an index the lowest unused, which is 0 in a document that
 * leaves its root bus implicit — and then refuse it as a root. */
static void set_first_free_index(xmlNodePtr el, const struct topology *t, xmlNodePtr devices)
{
    bool used[PCI_BUSES] = { true };   /* 0: the root, written or not */
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].index >= 0)
            used[t->devs[i].index] = true;
    /* and those added since the topology was made (several ports at once) */
    for (xmlNodePtr c = xml_first_device(devices->parent); c; c = xml_next_device(c)) {
        const char *type = xml_attr(c, "type"), *idx = xml_attr(c, "index");
        unsigned long n;
        if (strcmp((const char *)c->name, "controller") == 0 && type && strcmp(type, "pci") == 0 && idx
            && parse_uint_base(idx, 10, PCI_BUSES - 1, &n))
            used[n] = true;
    }
    int index = 1;
    while (index < PCI_BUSES && used[index])
        index++;
    if (index == PCI_BUSES)
        return;   /* none left: the topology says so, as for libvirt's own choice */
    char num[16];
    snprintf(num, sizeof num, "%d", index);
    layout_set_attr(el, "index", num);
}

/* A new element of d's document for request r, not linked yet. */
static xmlNodePtr build_element(const struct add_request *r, const struct topology *t,
                                xmlNodePtr devices, struct err *e)
{
    char *text = element_text(r, t, devices);
    xmlDocPtr tmp = xmlReadMemory(text, (int)strlen(text), "add", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR
                                  | XML_PARSE_NOWARNING);
    free(text);
    if (!tmp) {
        err_set(e, "add %s: internal error: the element template does not parse", r->kind->name);
        return NULL;
    }
    xmlNodePtr el = xmlDocCopyNode(xmlDocGetRootElement(tmp), devices->doc, 1);
    xmlFreeDoc(tmp);
    domain_mark_added(el);
    if (r->kind->needs & ADD_BUS)
        set_first_free_index(el, t, devices);
    if (r->alias) {
        xmlNodePtr a = layout_new_element(devices->doc, "alias");
        layout_set_attr(a, "name", r->alias);
        xmlAddChild(el, a);
    }
    return el;
}

static xmlNodePtr devices_of(struct domain *d)
{
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    xmlNodePtr devices = xml_child(root, "devices");
    if (!devices) {
        devices = layout_new_element(d->doc, "devices");
        struct layout top = { (char *)"  ", NULL, NULL };
        layout_insert_child(root, devices, NULL, &top);
    }
    return devices;
}

/* ------------------------------------------------------------------ */
/* Adding */

static void report_plan(struct add_report *rep, const struct plan *p, xmlNodePtr el)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct plan_item *it = &p->items[i];
        if (it->dev && it->dev->node == el)
            continue;
        if (it->origin == ORIGIN_DOCUMENT) {
            rep->others += !it->manual;
            continue;
        }
        rep->added = xrealloc(rep->added, (size_t)(rep->nadded + 1) * sizeof *rep->added);
        struct strbuf text = STRBUF_INIT;
        plan_item_put(&text, it);
        rep->added[rep->nadded++] = sb_detach(&text);
    }
}

/* Live mode: the running guest takes the device only into an empty
 * hot-pluggable slot that exists (the device's hotplug=yes kept placement
 * to those), and gets nothing else. */
static bool live_fits(const struct plan *p, const struct add_request *r, struct err *e)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct plan_item *it = &p->items[i];
        if (it->origin != ORIGIN_DOCUMENT) {
            err_set(e, "add %s: mode live: no empty hot-pluggable slot takes it (placement would add a %s); a running guest cannot get new controllers: add ports while it is stopped (mode offline; spare-ports N)",
                    r->kind->name, it->model ? it->model : it->element);
            return false;
        }
    }
    return true;
}

static void refused(const struct add_kind *kind, const struct err *why, struct err *e)
{
    const char *hint = place_hint(why->msg);
    if (hint)
        err_set(e, "add %s: libvirt 9.0 would refuse the domain with it: %s (hint: %s)", kind->name,
                why->msg, hint);
    else
        err_set(e, "add %s: libvirt 9.0 would refuse the domain with it: %s", kind->name, why->msg);
}

/* The add on s, judged against t: the topology of s's document as it is
 * (s's own, or, for a copy not yet derived, the original's). */
static bool add_to(struct session *s, const struct topology *t, const struct add_request *r,
                   struct add_report *rep, struct err *e)
{
    memset(rep, 0, sizeof *rep);
    if (!(r->kind->machines & t->machine)) {
        err_set(e, "add %s: there is no %s on this %s machine; it needs %s", r->kind->name,
                r->kind->name, t->mach->title, machine_mask_names(r->kind->machines));
        return false;
    }
    if (r->alias && alias_taken(xmlDocGetRootElement(s->dom->doc), r->alias)) {
        err_set(e, "add: alias '%s' is already used", r->alias);
        return false;
    }
    char *problem = place_wish_problem_new(t, &r->pref);
    if (problem) {
        err_set(e, "add %s: %s", r->kind->name, problem);
        free(problem);
        return false;
    }
    if (s->live && ((r->kind->needs & ADD_BUS) || r->pref.hotplug == 0)) {
        err_set(e, "add %s: mode live: %s", r->kind->name, (r->kind->needs & ADD_BUS)
                ? "QEMU does not hot-plug PCI controllers; add it while the guest is stopped (mode offline)"
                : "a hot-plugged device needs a hot-pluggable slot; hotplug=no does not go with it");
        return false;
    }
    xmlNodePtr devices = devices_of(s->dom);
    xmlNodePtr el = build_element(r, t, devices, e);
    if (!el)
        return false;
    struct layout l = layout_of(devices);
    struct layout_insertion memo = { -1, NULL };
    layout_insert_tree(devices, el, layout_insertion_point(devices, (const char *)el->name, &memo), &l);
    layout_free(&l);
    s->last_added = el;
    char made[64];
    const char *alias = r->alias;
    if (!alias && dev_pref_is_set(&r->pref)) {
        /* preferences are kept by alias */
        alias = new_alias(s->dom->doc, el, made, sizeof made);
        set_alias(el, alias);
    }
    if (dev_pref_is_set(&r->pref))
        prefs_set_device(s->dom->doc, alias, &r->pref);
    if (!session_refresh(s, e))
        return false;
    if (!s->live)
        rep->renumber = renumber_note_new(s->topo);
    if (s->live) {
        /* a device for the running guest must be hot-pluggable, whatever
         * the domain's policy says about devices defined cold */
        struct device *dv = topology_find_node(s->topo, el);
        if (dv && dv->pref.hotplug < 0)
            dv->pref.hotplug = 1;
    }

    struct err why ERR_SCOPE = ERR_INIT;
    const struct plan *p = place_plan_shared(s->topo, &why, NULL);
    if (p && s->live && !live_fits(p, r, e))
        return false;
    if (!p) {
        refused(r->kind, &why, e);
        return false;
    }
    report_plan(rep, p, el);
    plan_apply(p, s->dom);
    if (!session_refresh_placed(s, e))
        return false;
    const struct device *dv = topology_find_node(s->topo, el);
    rep->device = xasprintf("%s%s%s", dv ? device_label(dv) : r->kind->name, alias ? " " : "",
                            alias ? alias : "");
    if (dv && dv->addr_state == ADDR_PCI) {
        rep->addr = dv->addr;
        const struct bus *b = topology_bus(s->topo, dv->addr.bus);
        rep->hotplug = b && b->hotplug && dv->addr.function == 0;
    }
    rep->spare = spare_count(s->topo, NULL);
    rep->wish_conflict = dv ? place_wish_conflict(s->topo, &dv->pref) : NULL;
    return true;
}

bool edit_add(struct session *s, const struct add_request *r, struct add_report *rep,
              struct err *e)
{
    return add_to(s, s->topo, r, rep, e);
}

bool edit_add_preview(const struct session *s, const struct add_request *r, struct session **copy,
                      struct add_report *rep, struct err *e)
{
    memset(rep, 0, sizeof *rep);
    return session_ready_copy(copy, s, e) && add_to(*copy, s->topo, r, rep, e);
}

void add_report_line(const struct add_report *rep, struct strbuf *sb)
{
    sb_printf(sb, "%s at %02x:%02x.%x%s", rep->device ? rep->device : "?", rep->addr.bus,
              rep->addr.slot, rep->addr.function, rep->hotplug ? " [hotplug]" : "");
    for (int i = 0; i < rep->nadded; i++)
        sb_printf(sb, "%s%s", i ? ", " : "; adds ", rep->added[i]);
    if (rep->others)
        sb_printf(sb, "; places %d other device%s", rep->others, rep->others == 1 ? "" : "s");
    sb_printf(sb, "; spare hotplug: PCIe %d, PCI %d", rep->spare.pcie, rep->spare.pci);
    if (rep->wish_conflict)
        sb_printf(sb, "; %s", rep->wish_conflict);
    if (rep->renumber)
        sb_printf(sb, "; %s", rep->renumber);
}

void add_report_free(struct add_report *rep)
{
    free(rep->device);
    for (int i = 0; i < rep->nadded; i++)
        free(rep->added[i]);
    free(rep->added);
    free(rep->renumber);
    memset(rep, 0, sizeof *rep);
}

/* ------------------------------------------------------------------ */
/* Finding and deleting */

/* The devices of t at bus:slot.fn, as "interface virtio (line 8), ...";
 * how many in *n. */
static char *devices_at_new(const struct topology *t, unsigned bus, unsigned slot, unsigned fn,
                            int *n)
{
    struct strbuf sb = STRBUF_INIT;
    *n = 0;
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *d = &t->devs[i];
        if (d->addr_state != ADDR_PCI || d->addr.bus != bus || d->addr.slot != slot
            || d->addr.function != fn)
            continue;
        sb_printf(&sb, "%s%s (%s)", (*n)++ ? ", " : "", device_label(d), domain_line_text(d->line).text);
    }
    return sb_detach(&sb);
}

const struct device *edit_find(const struct session *s, const char *what, struct err *e)
{
    const struct device *dv = topology_find_alias(s->topo, what);
    unsigned bus, slot, fn;
    if (!dv && topology_parse_bdf(what, &bus, &slot, &fn)) {
        /* two devices at one address (a collision): acting on the first
         * would delete or change the one the user did not mean */
        int n;
        char *all = devices_at_new(s->topo, bus, slot, fn, &n);
        if (n > 1) {
            err_set(e, "%s: %s is the address of %d devices, which libvirt refuses (XML error: Attempted double use of PCI Address 0000:%02x:%02x.%x): %s; name one by its alias, or give one another address in the file",
                    s->dom->name, what, n, bus, slot, fn, all);
            free(all);
            return NULL;
        }
        free(all);
        dv = topology_find_addr(s->topo, bus, slot, fn);
    }
    int n = 0;
    if (!dv && topology_find_line(s->topo, what, &dv, &n) && n > 1) {
        err_set(e, "%s: %d devices start on line %s; name one by its alias or address", s->dom->name,
                n, what + 5);
        return NULL;
    }
    if (!dv)
        err_set(e, "%s: no device with alias, address or line '%s' (the tree shows them)", s->dom->name, what);
    return dv;
}

static bool is_element(xmlNodePtr el, const char *name)
{
    return strcmp((const char *)el->name, name) == 0;
}

/* A device of the document on bus index b, other than chipset functions. */
static const struct device *first_on_bus(const struct topology *t, unsigned b)
{
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].addr_state == ADDR_PCI && t->devs[i].addr.bus == b)
            return &t->devs[i];
    return NULL;
}

/* An element with <address type='type' attr='index'>, or NULL. */
static xmlNodePtr user_of(xmlNodePtr devices, const char *type, const char *attr, int index)
{
    for (xmlNodePtr el = xml_first_element(devices); el; el = xml_next_element(el)) {
        xmlNodePtr a = xml_child(el, "address");
        const char *at = xml_attr(a, "type"), *v = xml_attr(a, attr);
        unsigned long n;
        /* libvirt reads controller='' and bus='' of these in decimal */
        if (at && strcmp(at, type) == 0 && parse_uint_base(v ? v : "0", 10, 0xffff, &n) && (int)n == index)
            return el;
    }
    return NULL;
}

/* A USB device without an address: it goes on whatever USB controller
 * there is. */
static xmlNodePtr unaddressed_usb_user(xmlNodePtr devices)
{
    for (xmlNodePtr el = xml_first_element(devices); el; el = xml_next_element(el)) {
        const char *bus = xml_attr(el, "bus"), *type = xml_attr(el, "type");
        bool usb = (bus && strcmp(bus, "usb") == 0 && !is_element(el, "controller"))
            || is_element(el, "hub")
            || (is_element(el, "hostdev") && type && strcmp(type, "usb") == 0);
        if (usb && !xml_child(el, "address"))
            return el;
    }
    return NULL;
}

/* The implicit row that would make libvirt add controller type/index
 * back if it went (a disk, channel or SCSI host device names it); NULL
 * when none would.  USB and SATA 0 are the caller's. */
static const struct implicit_device *readded_by(const struct topology *t, const char *type, int index)
{
    for (size_t r = 0; catalog_implicit_at(r); r++) {
        const struct implicit_device *row = catalog_implicit_at(r);
        if (!row->type || strcmp(row->type, type) != 0 || row->when == WHEN_NO_INDEX0)
            continue;
        int *want;
        size_t n = implicit_wanted(&t->implicit, row, t->machine, &want);
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = want[i] == index;
        free(want);
        if (found)
            return row;
    }
    return NULL;
}
static int count_ctrl(const struct topology *t, const char *type, int index)
{
    int n = 0;
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].ctrl_type && strcmp(t->devs[i].ctrl_type, type) == 0
            && (index < 0 || t->devs[i].ctrl_index == index))
            n++;
    return n;
}

/* Why deleting controller dv would break the domain, or make libvirt put
 * it back; NULL if it may go. */
static bool controller_needed(const struct session *s, const struct device *dv, struct err *e)
{
    const struct topology *t = s->topo;
    xmlNodePtr devices = dv->node->parent;
    const char *type = dv->ctrl_type;
    const char *label = device_label(dv);
    if (dv->index == 0) {
        err_set(e, "%s: the root bus cannot be deleted", label);
        return true;
    }
    if (dv->index > 0) {
        const struct device *on = first_on_bus(t, (unsigned)dv->index);
        if (on) {
            err_set(e, "%s index %d: its bus %02x is not empty (%s at %02x:%02x.%x); delete what is on it first",
                    label, dv->index, dv->index, device_label(on), on->addr.bus,
                    on->addr.slot, on->addr.function);
            return true;
        }
        return false;
    }
    const struct implicit_device *row = readded_by(t, type, dv->ctrl_index);
    if (row) {
        err_set(e, "%s index %d: %s, so libvirt would add it back; delete what uses it first",
                label, dv->ctrl_index, row->why);
        return true;
    }
    if (strcmp(type, "usb") == 0 && dv->ctrl_index == 0 && count_ctrl(t, "usb", -1) > count_ctrl(t, "usb", 0)) {
        err_set(e, "%s index 0: libvirt gives every guest USB controller 0 and would add it back, and USB controllers with other indexes need it; delete those first",
                label);
        return true;
    }
    if (strcmp(type, "sata") == 0 && dv->ctrl_index == 0 && t->machine == MACH_Q35) {
        err_set(e, "%s: q35 always has SATA controller 0 at 00:1f.2; libvirt would add it back", label);
        return true;
    }
    xmlNodePtr user = NULL;
    if (strcmp(type, "usb") == 0) {
        user = user_of(devices, "usb", "bus", dv->ctrl_index);
        if (!user && count_ctrl(t, "usb", -1) == count_ctrl(t, "usb", dv->ctrl_index))
            user = unaddressed_usb_user(devices);
    } else if (strcmp(type, "virtio-serial") == 0) {
        user = user_of(devices, "virtio-serial", "controller", dv->ctrl_index);
    }
    if (user) {
        err_set(e, "%s index %d: <%s> (%s) uses it; delete that first", label, dv->ctrl_index,
                (const char *)user->name, domain_line_text(domain_line(user)).text);
        return true;
    }
    return false;
}

/* libvirt numbers controllers without index='' in document order; before
 * one goes, write the index of the later ones, so none of them (and none
 * of the devices on them) changes number. */
static void pin_indexes(const struct topology *t, const struct device *gone)
{
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *c = &t->devs[i];
        if (c == gone || !c->ctrl_type || strcmp(c->ctrl_type, gone->ctrl_type) != 0
            || xml_attr(c->node, "index"))
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", c->ctrl_index);
        layout_set_attr(c->node, "index", num);
    }
}

/* Empties el down to <el model='none'/>: what libvirt needs to see to add
 * no default one. */
static void make_none(xmlNodePtr el)
{
    while (el->children) {
        xmlNodePtr c = el->children;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    xmlAttrPtr next;
    for (xmlAttrPtr a = el->properties; a; a = next) {
        next = a->next;
        const char *n = (const char *)a->name;
        if (strcmp(n, "type") != 0 && strcmp(n, "index") != 0)
            xmlRemoveProp(a);
    }
    layout_set_attr(el, "model", "none");
}

void edit_remove_element(struct session *s, const struct device *dv)
{
    if (dev_pref_is_set(&dv->pref)) {
        /* they were about this device; a later one with the alias
         * should not inherit them */
        struct dev_pref none = DEV_PREF_NONE;
        prefs_set_device(s->dom->doc, dv->alias, &none);
    }
    layout_remove(dv->node);
}

/* After the primary video went: which video libvirt makes the primary
 * one now, so that the change is said, not found out at boot. */
static void note_new_primary(const struct topology *t, struct strbuf *note)
{
    const struct device *p = topology_primary_video(t);
    if (p)
        sb_printf(note, "; %s%s%s (%s) is now the primary video: libvirt makes the first video the primary one",
                  device_label(p), p->alias ? " " : "", p->alias ? p->alias : "",
                  domain_line_text(p->line).text);
}

bool edit_delete(struct session *s, const struct device *dv, struct strbuf *note,
                 struct err *e)
{
    const char *label = device_label(dv);
    struct group g;
    if (group_of(s->topo, dv, &g)) {
        /* seed 004: nothing disappears that the user did not name */
        char *members = group_members_text_new(&g);
        err_set(e, "%s %s is function %x of the group at %02x:%02x (%s); a group is deleted as one unit: 'delete %02x:%02x' deletes all %d functions, 'ungroup %02x:%02x' first gives each its own slot",
                label, dv->alias ? dv->alias : "", dv->addr.function, g.bus, g.slot,
                members, g.bus, g.slot, g.n, g.bus, g.slot);
        free(members);
        return false;
    }
    if (dv->ctrl_type && controller_needed(s, dv, e))
        return false;
    const struct topology *t = s->topo;
    bool last_usb = dv->ctrl_type && strcmp(dv->ctrl_type, "usb") == 0
        && count_ctrl(t, "usb", -1) == count_ctrl(t, "usb", dv->ctrl_index);
    if (last_usb && count_ctrl(t, "usb", -1) > 1) {
        err_set(e, "%s: it is one of a USB2 controller set (index %d); libvirt needs the whole set",
                label, dv->ctrl_index);
        return false;
    }
    if (is_element(dv->node, "memballoon") || last_usb) {
        make_none(dv->node);
        sb_free(note);
        sb_printf(note, "%s is now model='none': libvirt adds a default one when there is none", label);
    } else {
        if (dv->ctrl_type)
            pin_indexes(t, dv);
        sb_free(note);
        sb_printf(note, "deleted %s%s%s%s", label, dv->alias ? " " : "", dv->alias ? dv->alias : "",
                  dev_pref_is_set(&dv->pref) ? " and its preferences" : "");
        bool was_primary = dv == topology_primary_video(t);
        edit_remove_element(s, dv);
        s->last_added = NULL;
        if (!session_refresh(s, e))
            return false;
        if (was_primary)
            note_new_primary(s->topo, note);
        return true;
    }
    s->last_added = NULL;
    return session_refresh(s, e);
}

/* ------------------------------------------------------------------ */
/* Preferences and policies */

/* Makes the note built in sb the caller's note (sb is left empty). */
static void note_from(struct strbuf *sb, struct strbuf *note)
{
    sb_free(note);
    *note = *sb;
    *sb = (struct strbuf)STRBUF_INIT;
}

/* Whether placement preferences mean anything for dv: a PCI endpoint
 * (PCI controllers go where libvirt puts them). */
static bool takes_prefs(const struct device *dv)
{
    return dv->kind && dv->index < 0
        && (catalog_class_conn(dv->cls) & (CONN_PCI_DEV | CONN_PCIE_DEV)) != 0;
}

bool edit_set_pref(struct session *s, const struct device *dv, int argc, char **argv,
                   struct strbuf *note, struct err *e)
{
    const char *label = device_label(dv);
    if (!takes_prefs(dv)) {
        err_set(e, "set-pref: %s: preferences are for PCI devices, not for %s", label,
                dv->index >= 0 ? "PCI controllers (they go where libvirt puts them)" : "this element");
        return false;
    }
    struct dev_pref p = dv->pref;
    for (int i = 0; i < argc; i++) {
        int got = pref_arg("set-pref", argv[i], &p, e);
        if (got < 0)
            return false;
        if (got == 0) {
            err_set(e, "set-pref: unexpected '%s' (hotplug=yes|no|default, bus=pcie|pci|any, numa=N|none)",
                    argv[i]);
            return false;
        }
    }
    char *why = place_wish_problem_new(s->topo, &p);
    if (why) {
        err_set(e, "set-pref: %s", why);
        free(why);
        return false;
    }
    char made[64] = "";
    bool is_new;
    const char *alias = edit_user_alias(s, dv, made, sizeof made, &is_new);
    if (!is_new)
        made[0] = '\0';
    prefs_set_device(s->dom->doc, alias, &p);
    bool addressed = dv->addr_state == ADDR_PCI;
    struct pci_addr a = dv->addr;
    char *wishes = dev_pref_text_new(&p);
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s %s: %s", label, alias, *wishes ? wishes : "no preferences");
    free(wishes);
    if (*made)
        sb_printf(&sb, " (gave it alias %s)", made);
    if (addressed)
        sb_printf(&sb, "; it keeps %02x:%02x.%x: an address is for life, so the preferences act only if you remove it",
                  a.bus, a.slot, a.function);
    else
        sb_puts(&sb, "; place puts it accordingly");
    const char *conflict = place_wish_conflict(s->topo, &p);
    if (conflict)
        sb_printf(&sb, "; %s", conflict);
    note_from(&sb, note);
    return session_refresh(s, e);
}

/* Writes pol to the metadata; the topology, which read it once, reads it
 * again.  A policy changes no element placement reads otherwise, so the
 * document still derives. */
static void write_policy(struct session *s, const struct domain_policy *pol)
{
    prefs_set_policy(s->dom->doc, pol);
    struct err ignored ERR_SCOPE = ERR_INIT;
    session_refresh(s, &ignored);
}

void edit_set_policy(struct session *s, enum policy p, struct strbuf *note)
{
    struct domain_policy pol = s->topo->policy;
    pol.policy = p;
    write_policy(s, &pol);
    sb_free(note);
    sb_printf(note, "policy %s: %s; addresses already given stay", policy_name(p),
              p == POLICY_MINIMAL
              ? "devices without hotplug=yes go on the root bus, and no spare ports are added"
              : "placement is libvirt's");
}

void edit_set_stable_guest(struct session *s, bool on, struct strbuf *note)
{
    struct domain_policy pol = s->topo->policy;
    pol.stable_guest = on;
    write_policy(s, &pol);
    sb_free(note);
    sb_printf(note, "stable-guest %s: %s; addresses already given stay", on ? "yes" : "no",
              on ? "a bridge placement adds goes after the last bridge the guest numbers, so no device gets a new guest address where libvirt's rules allow"
                 : "bridges go where libvirt 9.0 puts them");
}

int spare_boot_cost_ms(int n)
{
    /* "boot-analysis" TOTAL row for 0-4 empty root ports (seed 001) */
    static const int measured[] = { 0, 51, 62, 119, 750 };
    return n >= 0 && (size_t)n < ARRAY_LEN(measured) ? measured[n] : -1;
}

/* A first definition, as libvirt and seed 001 see it: no PCI controller
 * but the root. */
static bool has_pci_controllers(const struct topology *t)
{
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].index > 0)
            return true;
    return false;
}

/* Empty root ports of the domain as written: what seed 001 measured. */
static int empty_root_ports(const struct topology *t)
{
    int n = 0;
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        n += dv->index > 0 && dv->ctrl && strcmp(dv->ctrl->name, "pcie-root-port") == 0
            && !first_on_bus(t, (unsigned)dv->index);
    }
    return n;
}

/* The addresses of the ports spare-ports adds, as a user reads them:
 * consecutive functions as one range, so that two hundred ports fit a
 * note instead of being cut in the middle of an address. */
struct addr_runs {
    struct strbuf sb;
    int n;                   /* addresses added */
    unsigned first, last;    /* the open run, as bus << 8 | devfn */
};

static void runs_put(struct strbuf *sb, unsigned a)
{
    sb_printf(sb, "%02x:%02x.%x", a >> 8, (a >> 3) & 0x1f, a & 7);
}

static void runs_close(struct addr_runs *r)
{
    if (!r->n)
        return;
    if (r->sb.len)
        sb_puts(&r->sb, ", ");
    runs_put(&r->sb, r->first);
    if (r->last != r->first) {
        sb_puts(&r->sb, r->last == r->first + 1 ? ", " : "-");
        runs_put(&r->sb, r->last);
    }
}

static void runs_add(struct addr_runs *r, const struct pci_addr *a)
{
    unsigned v = a->bus << 8 | a->slot << 3 | a->function;
    if (r->n && v == r->last + 1) {
        r->last = v;
    } else {
        runs_close(r);
        r->first = r->last = v;
    }
    r->n++;
}

/* PCI controller indexes (bus numbers) no controller has yet. */
static int free_pci_indexes(const struct topology *t)
{
    int used = 0;
    for (size_t i = 0; i < t->ndevs; i++)
        used += t->devs[i].index >= 0;
    return PCI_BUSES - used;
}

/* Adds k root ports and places them in one go, appending their addresses
 * to *where.  A root port sits only on pcie-root or an expander bus and
 * its own bus takes no other root port, so the ports land where k adds in
 * a row would put them, at the cost of one placement instead of k (each
 * of which rebuilt the topology: spare-ports N was quadratic in N). */
static bool add_root_ports(struct session *s, const struct add_request *port, int k,
                           struct addr_runs *where, struct err *e)
{
    struct err why ERR_SCOPE = ERR_INIT;   /* before any goto: out is in its scope */
    xmlNodePtr devices = devices_of(s->dom);
    xmlNodePtr *els = xcalloc((size_t)k, sizeof *els);
    struct layout l = layout_of(devices);
    struct layout_insertion memo = { -1, NULL };
    bool ok = false;
    for (int i = 0; i < k; i++) {
        if (!(els[i] = build_element(port, s->topo, devices, e)))
            goto out;
        layout_insert_tree(devices, els[i],
                           layout_insertion_point(devices, (const char *)els[i]->name, &memo), &l);
    }
    if (!session_refresh(s, e))
        goto out;
    struct plan *p = place_plan(s->topo, &why, NULL);
    if (!p) {
        refused(port->kind, &why, e);
        goto out;
    }
    plan_apply(p, s->dom);
    plan_free(p);
    if (!session_refresh(s, e))
        goto out;
    for (int i = 0; i < k; i++) {
        const struct device *dv = topology_find_node(s->topo, els[i]);
        if (!dv || dv->addr_state != ADDR_PCI) {
            err_set(e, "spare-ports: internal error: a new %s got no address", port->kind->name);
            goto out;
        }
        runs_add(where, &dv->addr);
    }
    ok = true;
out:
    layout_free(&l);
    free(els);
    return ok;
}

bool edit_spare_ports(struct session *s, int n, struct strbuf *note, struct err *e)
{
    if (s->live) {
        err_set(e, "spare-ports: mode live: a running guest cannot get new ports; set it while the guest is stopped (mode offline)");
        return false;
    }
    struct domain_policy pol = s->topo->policy;
    pol.spare_ports = n;
    prefs_set_policy(s->dom->doc, &pol);
    if (!session_refresh(s, e))
        return false;
    const struct machine_def *mach = s->topo->mach;
    bool pcie = mach->pcie;
    struct add_request port = { .kind = add_kind_find(mach->bus_model),
                                .pref = DEV_PREF_NONE };
    struct addr_runs added = { STRBUF_INIT, 0, 0, 0 };
    int before = 0;
    struct spare sp = { 0, 0 };
    for (;;) {
        struct err why ERR_SCOPE = ERR_INIT;
        sp = spare_placed(s->topo, &why);
        if (why.set) {
            err_set(e, "spare-ports: libvirt 9.0 would refuse the domain: %s", why.msg);
            goto fail;
        }
        int have = pcie ? sp.pcie : sp.pci;
        if (have >= n)
            break;
        if (added.n && have <= before) {
            err_set(e, "spare-ports: a new %s gives no slot a running guest could use here (%s)",
                    port.kind->name, s->topo->acpi ? "the hot-plug search stops before it"
                    : "without <features><acpi/> a pc guest does not hot-plug");
            goto fail;
        }
        before = have;
        /* a root port gives at most one spare slot, so n - have of them are
         * what one add after the other would reach first; a bridge gives
         * many, and may sit on a new bridge, so those go one at a time */
        if (pcie) {
            /* the first port alone, so that a domain refusing any new
             * port says so as the add would; and past the last index a
             * single port meets the refusal the next add would */
            int k = added.n ? n - have : 1, free = free_pci_indexes(s->topo);
            if (k > free)
                k = free > 0 ? free : 1;
            if (!add_root_ports(s, &port, k, &added, e))
                goto fail;
            continue;
        }
        struct add_report rep;
        bool ok = edit_add(s, &port, &rep, e);
        if (ok)
            runs_add(&added, &rep.addr);
        add_report_free(&rep);
        if (!ok)
            goto fail;
    }
    s->last_added = NULL;
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "spare-ports %d: ", n);
    runs_close(&added);
    if (added.n && mach->multiple_roots)   /* a PHB is a root bus: no address */
        sb_printf(&sb, "added %d %s%s (PHBs of 31 slots)", added.n, port.kind->name, added.n == 1 ? "" : "s");
    else if (added.n)
        sb_printf(&sb, "added %d %s%s at %s", added.n, port.kind->name, added.n == 1 ? "" : "s",
                  added.sb.buf);
    else if (!has_pci_controllers(s->topo))
        sb_printf(&sb, "no PCI controllers yet, so placing the domain leaves %d spare", n);
    else
        sb_puts(&sb, "nothing to add");
    sb_free(&added.sb);
    sb_printf(&sb, "; spare hotplug: PCIe %d, PCI %d", sp.pcie, sp.pci);
    /* libguestfs measured the boot cost of empty root ports on q35 only */
    bool q35_measured = (s->topo->machine & MACH_Q35) != 0;
    int empty = empty_root_ports(s->topo), ms = spare_boot_cost_ms(empty);
    if (q35_measured && empty && ms >= 0)
        sb_printf(&sb, "; %d empty root port%s: about +%d ms of guest boot (libguestfs's measure)",
                  empty, empty == 1 ? "" : "s", ms);
    else if (q35_measured && empty)
        sb_printf(&sb, "; %d empty root ports: beyond 3 libguestfs measured a jump to +750 ms of boot",
                  empty);
    note_from(&sb, note);
    return true;
fail:
    sb_free(&added.sb);
    return false;
}
