/* Guest bus numbers (core/guestbus.h): small domains built here, then
 * every booted guest of tests/golden/guest (and the guests booted for
 * tests/golden/prefs), whose QEMU `info pci` says where each device is
 * once SeaBIOS has numbered the buses. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestbus.h"
#include "pciid.h"
#include "place.h"
#include "session.h"
#include "tap.h"
#include "testutil.h"
#include "tree.h"

/* ------------------------------------------------------------------ */
/* QEMU's info pci */

struct qfn {
    char *id;
    int bus, slot, fn;
    unsigned vendor, device;
    char *cls;      /* QEMU's words for the class: "Ethernet controller", "Class 0255" */
};

struct qlist {
    struct qfn *f;
    size_t n;
};

static void qlist_free(struct qlist *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->f[i].id);
        free(q->f[i].cls);
    }
    free(q->f);
}

/* "  Bus  2, device   0, function 0:" starts a function; its class line
 * ends in "PCI device 1af4:1041"; its last line is id "NAME". */
static void parse_info_pci(const char *text, struct qlist *q)
{
    memset(q, 0, sizeof *q);
    struct qfn *cur = NULL;
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
        int b, s, f;
        const char *pd, *id;
        if (sscanf(buf, " Bus %d, device %d, function %d:", &b, &s, &f) == 3) {
            q->f = xrealloc(q->f, (q->n + 1) * sizeof *q->f);
            cur = &q->f[q->n++];
            *cur = (struct qfn){ NULL, b, s, f, 0, 0, NULL };
        } else if (cur && !cur->vendor && (pd = strstr(buf, ": PCI device "))) {
            sscanf(pd, ": PCI device %x:%x", &cur->vendor, &cur->device);
            const char *cls = buf + strspn(buf, " ");
            cur->cls = xasprintf("%.*s", (int)(pd - cls), cls);
        } else if (cur && (id = strstr(buf, "id \""))) {
            id += 4;
            const char *close = strrchr(id, '"');
            cur->id = xasprintf("%.*s", (int)(close ? close - id : 0), id);
        }
        line = end ? end + 1 : NULL;
    }
}

/* QEMU's words for a class in info pci (hw/pci/pci.c's table), else
 * "Class NNNN" with the code in decimal. */
static char *qemu_class_new(unsigned code)
{
    static const struct { unsigned code; const char *desc; } descs[] = {
        { 0x0100, "SCSI controller" }, { 0x0101, "IDE controller" }, { 0x0104, "RAID controller" },
        { 0x0106, "SATA controller" }, { 0x0107, "SAS controller" }, { 0x0180, "Storage controller" },
        { 0x0200, "Ethernet controller" }, { 0x0280, "Network controller" },
        { 0x0300, "VGA controller" }, { 0x0380, "Display controller" },
        { 0x0401, "Audio controller" }, { 0x0403, "Audio controller" },
        { 0x0480, "Multimedia controller" }, { 0x0500, "RAM controller" },
        { 0x0600, "Host bridge" }, { 0x0601, "ISA bridge" }, { 0x0604, "PCI bridge" },
        { 0x0680, "Bridge" }, { 0x0700, "Serial port" }, { 0x0900, "Keyboard" },
        { 0x0902, "Mouse" }, { 0x0c03, "USB controller" },
        { 0x0c05, "SMBus" },
    };
    for (size_t i = 0; i < sizeof descs / sizeof descs[0]; i++)
        if (descs[i].code == code)
            return xstrdup(descs[i].desc);
    return xasprintf("Class %04u", code);
}

/* ------------------------------------------------------------------ */
/* small domains */

static struct session *open_domain(const char *machine, const char *devices)
{
    char *xml = xasprintf("<domain type='kvm'>\n  <name>g</name>\n  <memory unit='MiB'>512</memory>\n"
                          "  <os><type arch='x86_64' machine='%s'>hvm</type></os>\n"
                          "  <features><acpi/></features>\n"
                          "  <devices>\n%s  </devices>\n</domain>\n", machine, devices);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_open_text(xml, &e);
    if (!s)
        diag("%s", e.msg);
    free(xml);
    return s;
}

static const struct guest_fn *fn_of_alias(const struct guestbus *g, const struct topology *t,
                                          const char *alias)
{
    const struct device *dv = topology_find_alias(t, alias);
    return dv ? guestbus_of(g, dv) : NULL;
}

/* "05:00.0", "-" for none, or the state's name when not seen */
static const char *where(const struct guestbus *g, const struct topology *t, const char *alias)
{
    static char buf[64];
    const struct guest_fn *f = fn_of_alias(g, t, alias);
    if (!f)
        return "-";
    if (f->state != GUEST_SEEN)
        return guest_state_name(f->state);
    snprintf(buf, sizeof buf, "%02x:%02x.%x", f->bus, f->slot, f->function);
    return buf;
}

#define ADDR(b, s, f) "<address type='pci' domain='0x0000' bus='" #b "' slot='" #s "' function='" #f "'/>"
#define PORT(i, b, s, f) "<controller type='pci' index='" #i "' model='pcie-root-port'><alias name='ua-p" #i "'/>" ADDR(b, s, f) "</controller>\n"
#define NIC(a, b, s) "<interface type='user'><model type='virtio'/><alias name='" a "'/>" ADDR(b, s, 0x0) "</interface>\n"

static void test_root_ports(void)
{
    /* ports in slot order, the second one's bus behind a switch: the
     * numbers follow the walk, not the indexes */
    struct session *s = open_domain("q35",
        PORT(1, 0x00, 0x03, 0x0)
        PORT(2, 0x00, 0x02, 0x0)
        "<controller type='pci' index='3' model='pcie-switch-upstream-port'><alias name='ua-up'/>" ADDR(0x02, 0x00, 0x0) "</controller>\n"
        "<controller type='pci' index='4' model='pcie-switch-downstream-port'><alias name='ua-d4'/>" ADDR(0x03, 0x01, 0x0) "</controller>\n"
        "<controller type='pci' index='5' model='pcie-switch-downstream-port'><alias name='ua-d5'/>" ADDR(0x03, 0x00, 0x0) "</controller>\n"
        NIC("ua-a", 0x01, 0x00) NIC("ua-b", 0x04, 0x00) NIC("ua-c", 0x05, 0x00) NIC("ua-root", 0x00, 0x04));
    if (!s)
        return;
    struct guestbus *g = guestbus_new(s->topo);
    is_int(guestbus_number(g, 2), 1, "the port in the lower slot gets bus 1");
    is_int(guestbus_number(g, 3), 2, "the switch behind it 2");
    is_int(guestbus_number(g, 5), 3, "the downstream port in slot 0 3");
    is_int(guestbus_number(g, 4), 4, "the one in slot 1 4");
    is_int(guestbus_number(g, 1), 5, "the port in slot 3 comes after the whole switch");
    is_str(where(g, s->topo, "ua-a"), "05:00.0", "a device on bus 01 is 05:00.0 in the guest");
    is_str(where(g, s->topo, "ua-c"), "03:00.0", "on bus 05: 03:00.0");
    is_str(where(g, s->topo, "ua-root"), "00:04.0", "on the root bus: as written");
    is_str(where(g, s->topo, "ua-p1"), "00:03.0", "a port is a function of its parent bus");
    is_int(g->last_number, 5, "five numbers given");
    guestbus_free(g);
    /* the tree: the XML's numbers alone, or both, either first */
    static const struct { enum tree_numbers how; const char *dev, *port; } shown[] = {
        { NUMBERS_XML, "05:00.0  interface virtio  ua-c", "03:00.0  pcie-switch-downstream-port  bus 05  ua-d5" },
        { NUMBERS_XML_GUEST, "05:00.0 (guest 03:00.0)  interface virtio  ua-c",
          "03:00.0 (guest 02:00.0)  pcie-switch-downstream-port  bus 05 (guest 03)  ua-d5" },
        { NUMBERS_GUEST_XML, "03:00.0 (xml 05:00.0)  interface virtio  ua-c",
          "02:00.0 (xml 03:00.0)  pcie-switch-downstream-port  guest bus 03 (xml 05)  ua-d5" },
    };
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        struct tree *tr = tree_new_numbered(s->topo, NULL, shown[i].how);
        char *text = tree_render(tr, false);
        has_str(text, shown[i].dev, "tree numbers %d: a device line", (int)shown[i].how);
        has_str(text, shown[i].port, "tree numbers %d: a controller line", (int)shown[i].how);
        has_str(text, "00:04.0  interface virtio  ua-root", "tree numbers %d: the same numbers once",
                (int)shown[i].how);
        free(text);
        tree_free(tr);
    }
    session_free(s);
}

static void test_expanders(void)
{
    /* pc: QEMU's own pci-bridge at busNr:00.0 holds the pxb's slots */
    struct session *s = open_domain("pc",
        "<controller type='pci' index='0' model='pci-root'/>\n"
        "<controller type='pci' index='1' model='pci-expander-bus'><alias name='ua-pxb'/><target busNr='200'/>" ADDR(0x00, 0x05, 0x0) "</controller>\n"
        "<controller type='pci' index='2' model='pci-bridge'><alias name='ua-br'/>" ADDR(0x01, 0x01, 0x0) "</controller>\n"
        "<controller type='pci' index='3' model='pci-bridge'><alias name='ua-br0'/>" ADDR(0x00, 0x06, 0x0) "</controller>\n"
        NIC("ua-a", 0x01, 0x02) NIC("ua-b", 0x02, 0x01) NIC("ua-c", 0x03, 0x01));
    if (s) {
        struct guestbus *g = guestbus_new(s->topo);
        is_int(guestbus_number(g, 3), 1, "pc: the bridge on bus 0 is numbered first");
        is_int(guestbus_number(g, 1), 201, "the pxb's slots are behind its bridge at 200:00.0");
        is_int(guestbus_number(g, 2), 202, "a bridge on the pxb next");
        is_str(where(g, s->topo, "ua-a"), "c9:02.0", "a device on the pxb");
        is_str(where(g, s->topo, "ua-b"), "ca:01.0", "behind the bridge on the pxb");
        is_str(where(g, s->topo, "ua-pxb"), "00:05.0", "the pxb is a host bridge on bus 0");
        int inner = 0;
        for (size_t i = 0; i < g->nfn; i++)
            if (g->fn[i].inner_bridge && g->fn[i].state == GUEST_SEEN && g->fn[i].bus == 200
                && g->fn[i].slot == 0 && g->fn[i].function == 0)
                inner++;
        is_int(inner, 1, "QEMU's bridge inside the pxb is at c8:00.0");
        guestbus_free(g);
        session_free(s);
    }
    /* q35: a pxb-pcie whose busNr leaves one number: the second port
     * has none (the example: its NIC is gone from the guest) */
    s = open_domain("q35",
        "<controller type='pci' index='0' model='pcie-root'/>\n"
        "<controller type='pci' index='1' model='pcie-expander-bus'><alias name='ua-pxb'/><target busNr='254'/>" ADDR(0x00, 0x05, 0x0) "</controller>\n"
        PORT(2, 0x01, 0x00, 0x0) PORT(3, 0x01, 0x01, 0x0)
        NIC("ua-a", 0x02, 0x00) NIC("ua-b", 0x03, 0x00));
    if (s) {
        struct guestbus *g = guestbus_new(s->topo);
        is_int(guestbus_number(g, 1), 254, "pxb-pcie: its bus is busNr");
        is_str(where(g, s->topo, "ua-p2"), "fe:00.0", "its first port");
        is_str(where(g, s->topo, "ua-a"), "ff:00.0", "behind it: the last number");
        is_str(where(g, s->topo, "ua-b"), "out_of_numbers", "the next port's device has none");
        ok(g->firmware_hangs, "and SeaBIOS never finishes");
        char *why = guest_fn_why_new(g, fn_of_alias(g, s->topo, "ua-b"));
        has_str(why, "busNr 254", "the reason names the busNr");
        free(why);
        guestbus_free(g);
        session_free(s);
    }
    /* a bridge numbered with an expander's busNr: QEMU routes the number
     * to whichever it made last, and libvirt makes them in index order */
    s = open_domain("q35",
        "<controller type='pci' index='0' model='pcie-root'/>\n"
        PORT(1, 0x00, 0x02, 0x0) PORT(2, 0x00, 0x03, 0x0) PORT(3, 0x00, 0x04, 0x0)
        "<controller type='pci' index='4' model='pcie-expander-bus'><alias name='ua-pxb'/><target busNr='2'/>" ADDR(0x00, 0x05, 0x0) "</controller>\n"
        PORT(5, 0x04, 0x00, 0x0)
        NIC("ua-a", 0x05, 0x00) NIC("ua-b", 0x02, 0x00) NIC("ua-c", 0x03, 0x00));
    if (s) {
        struct guestbus *g = guestbus_new(s->topo);
        is_str(where(g, s->topo, "ua-p5"), "02:00.0", "a later expander: the walk goes into it at its busNr");
        is_str(where(g, s->topo, "ua-a"), "03:00.0", "numbering its buses there");
        is_str(where(g, s->topo, "ua-b"), "number_clash", "and the bridge's own bus is out of reach");
        is_str(where(g, s->topo, "ua-c"), "04:00.0", "the next bridge goes on from there");
        guestbus_free(g);
        session_free(s);
    }
    s = open_domain("q35",
        "<controller type='pci' index='0' model='pcie-root'/>\n"
        "<controller type='pci' index='1' model='pcie-expander-bus'><alias name='ua-pxb'/><target busNr='2'/>" ADDR(0x00, 0x05, 0x0) "</controller>\n"
        PORT(2, 0x00, 0x02, 0x0) PORT(3, 0x00, 0x03, 0x0) PORT(4, 0x01, 0x00, 0x0)
        NIC("ua-a", 0x04, 0x00) NIC("ua-b", 0x03, 0x00));
    if (s) {
        struct guestbus *g = guestbus_new(s->topo);
        is_str(where(g, s->topo, "ua-b"), "02:00.0", "an earlier expander: the bridge keeps its bus");
        is_str(where(g, s->topo, "ua-a"), "number_clash", "and the expander is never entered");
        guestbus_free(g);
        session_free(s);
    }
}

static void test_functions(void)
{
    /* a bridge in function 1 of a slot without function 0 */
    struct session *s = open_domain("q35",
        "<controller type='pci' index='0' model='pcie-root'/>\n"
        PORT(1, 0x00, 0x02, 0x1) PORT(2, 0x00, 0x03, 0x0)
        NIC("ua-a", 0x01, 0x00) NIC("ua-b", 0x02, 0x00)
        "<interface type='user'><model type='e1000'/><alias name='ua-f'/>" ADDR(0x00, 0x06, 0x3) "</interface>\n"
        "<interface type='user'><model type='virtio'/><alias name='ua-u'/></interface>\n");
    if (!s)
        return;
    struct guestbus *g = guestbus_new(s->topo);
    is_str(where(g, s->topo, "ua-a"), "behind_hidden_function", "behind a port the firmware never finds");
    is_int(guestbus_number(g, 2), 1, "the next port takes bus 1");
    is_str(where(g, s->topo, "ua-f"), "hidden_function", "function 3 of an empty slot");
    is_str(where(g, s->topo, "ua-u"), "unplaced", "no address: none in the guest either");
    guestbus_free(g);
    /* placed, the same device has one */
    struct err e ERR_SCOPE = ERR_INIT;
    const struct plan *p = place_plan_shared(s->topo, &e, NULL);
    ok(p != NULL, "the domain places");
    if (p) {
        g = guestbus_placed_new(s->topo, p);
        const struct guest_fn *f = fn_of_alias(g, s->topo, "ua-u");
        ok(f && f->state == GUEST_SEEN && f->placed, "placed: seen, where placement puts it");
        guestbus_free(g);
    }
    session_free(s);
}

/* ------------------------------------------------------------------ */
/* booted guests */

/* The id QEMU gives f: its alias, else libvirt's pci.N for a controller
 * (one placement adds too); NULL when the test cannot tell. */
static char *qemu_id_new(const struct guest_fn *f)
{
    const struct device *dv = f->inner_bridge ? f->expander : f->dev;
    const struct plan_item *it = f->inner_bridge ? f->expander_item : f->item;
    if (!dv && it && it->ctrl_type && strcmp(it->ctrl_type, "pci") == 0 && it->index > 0)
        return xasprintf("pci.%d", it->index);
    if (!dv)
        return NULL;
    if (dv->alias)
        return xstrdup(dv->alias);
    return dv->index > 0 ? xasprintf("pci.%d", dv->index) : NULL;
}

struct tally {
    int cases, fns, matched, unseen_ok;
    int shadowed;             /* of those, listed by QEMU where the guest cannot reach them */
    int firmware;             /* guests whose firmware was watched to the end of its walk */
    int ids, ids_matched;     /* functions whose IDs pcitopo knows, and that QEMU has */
};

/* The entry QEMU lists for id at b:s.f, or NULL; marks it taken. */
static const struct qfn *listed(struct qlist *q, bool *taken, const char *id, int b, int s, int f)
{
    for (size_t i = 0; i < q->n; i++)
        if (!taken[i] && q->f[i].id && strcmp(q->f[i].id, id) == 0 && q->f[i].bus == b
            && q->f[i].slot == s && q->f[i].fn == f) {
            taken[i] = true;
            return &q->f[i];
        }
    return NULL;
}

/* Where QEMU's own listing may show f although the guest cannot reach it
 * (a clash of numbers): on an expander's root bus at its busNr, or on a
 * bridge's bus at the number the bridge got.  False when nowhere. */
static bool unreachable_listing(const struct guestbus *g, const struct guest_fn *f, int *b,
                                unsigned *s, unsigned *fn)
{
    if (f->state != GUEST_NUMBER_CLASH)
        return false;
    if (f->inner_bridge) {
        *b = g->bus[f->provides].root_number;
        *s = *fn = 0;
        return *b >= 0;
    }
    const struct guest_bus *on = &g->bus[f->xml.bus];
    *b = on->number >= 0 ? on->number : on->expander_root ? on->root_number : -1;
    *s = f->xml.slot;
    *fn = f->xml.function;
    return *b >= 0;
}

/* Whether QEMU lists entry k twice and the other one was matched: a bus
 * number two buses have is listed under both (an expander's root bus
 * under the bridge that got its busNr, and as a root). */
static bool listed_twice(const struct qlist *q, const bool *taken, size_t k)
{
    for (size_t i = 0; i < q->n; i++)
        if (i != k && taken[i] && q->f[i].id && strcmp(q->f[i].id, q->f[k].id) == 0
            && q->f[i].bus == q->f[k].bus && q->f[i].slot == q->f[k].slot && q->f[i].fn == q->f[k].fn)
            return true;
    return false;
}

/* The IDs and class QEMU shows for f are pciid's. */
static bool same_ids(const char *label, const char *id, const struct guestbus *g,
                     const struct guest_fn *f, const struct qfn *q, struct tally *tl)
{
    struct pci_ids ids;
    if (!pciid_of(g, f, &ids))
        return true;   /* a host device: the host card's */
    tl->ids++;
    char *cls = qemu_class_new(ids.class_code);
    bool same = ids.vendor == q->vendor && ids.device == q->device && q->cls && strcmp(cls, q->cls) == 0;
    if (!same)
        diag("%s: %s (%s): pcitopo says %04x:%04x %s, QEMU %04x:%04x %s", label, id,
             pciid_qemu_device(g, f), ids.vendor, ids.device, cls, q->vendor, q->device,
             q->cls ? q->cls : "?");
    tl->ids_matched += same;
    free(cls);
    return same;
}

/* Every function of g that QEMU names: where the guest has it.  A
 * function the guest does not see must not be where the firmware's bus
 * numbers would put it (QEMU lists what hangs behind a bridge only under
 * the number that bridge got). */
static bool compare_guest(const char *label, struct guestbus *g, const char *infopci,
                          bool all_named, struct tally *tl)
{
    struct qlist q;
    parse_info_pci(infopci, &q);
    bool *taken = xcalloc(q.n + 1, sizeof *taken);
    bool good = true;
    for (size_t i = 0; i < g->nfn; i++) {
        const struct guest_fn *f = &g->fn[i];
        if (f->chipset) {
            /* QEMU names none of them: found by their address */
            const struct qfn *qf = NULL;
            for (size_t k = 0; k < q.n && !qf; k++)
                if (q.f[k].bus == 0 && q.f[k].slot == (int)f->slot && q.f[k].fn == (int)f->function)
                    qf = &q.f[k];
            good = (qf && same_ids(label, f->chipset->label, g, f, qf, tl)) && good;
        }
        char *id = qemu_id_new(f);
        if (!id)
            continue;
        tl->fns++;
        if (f->state == GUEST_SEEN || f->state == GUEST_HIDDEN_FUNCTION) {
            const struct qfn *qf = listed(&q, taken, id, f->bus, (int)f->slot, (int)f->function);
            struct pci_addr at;
            const char *says;
            /* what libvirt pins to the chipset's address (q35's SATA, pc's
             * IDE) is the machine's own device: QEMU gives it no id */
            if (!qf && f->dev && place_pinned(g->t, f->dev, &at, &says))
                qf = listed(&q, taken, "", f->bus, (int)f->slot, (int)f->function);
            if (qf) {
                tl->matched += f->state == GUEST_SEEN;
                tl->unseen_ok += f->state != GUEST_SEEN;
                good = same_ids(label, id, g, f, qf, tl) && good;
            } else {
                diag("%s: %s: pcitopo says %02x:%02x.%x, QEMU does not list it there", label, id,
                     f->bus, f->slot, f->function);
                good = false;
            }
        } else {
            /* where two buses share a number, QEMU lists each root bus at
             * its busNr and a bridge's bus as its parent bus finds it: a
             * function the guest cannot reach may be listed there, and
             * only there */
            int qb;
            unsigned qs, qf;
            if (unreachable_listing(g, f, &qb, &qs, &qf) && listed(&q, taken, id, qb, (int)qs, (int)qf))
                tl->shadowed++;
            bool anywhere = false;
            for (size_t k = 0; k < q.n; k++)
                if (!taken[k] && q.f[k].id && strcmp(q.f[k].id, id) == 0) {
                    diag("%s: %s: pcitopo says %s; QEMU lists it at %02x:%02x.%x", label, id,
                         guest_state_name(f->state), q.f[k].bus, q.f[k].slot, q.f[k].fn);
                    anywhere = true;
                }
            tl->unseen_ok += !anywhere;
            good = good && !anywhere;
        }
        free(id);
    }
    for (size_t k = 0; all_named && k < q.n; k++)
        if (!taken[k] && q.f[k].id && q.f[k].id[0] && !listed_twice(&q, taken, k)) {
            diag("%s: QEMU has %s at %02x:%02x.%x, which pcitopo does not list", label, q.f[k].id,
                 q.f[k].bus, q.f[k].slot, q.f[k].fn);
            good = false;
        }
    free(taken);
    qlist_free(&q);
    return good;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* dir/STEM.qemu-pci.txt against STEM<placed> (libvirt's addresses) and,
 * when given, STEM<input> placed by pcitopo. */
static void check_case(const char *set, const char *stem, const char *placed, const char *input,
                       bool all_named, struct tally *tl)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/%s/%s.qemu-pci.txt", tu_srcdir(), set, stem);
    char *infopci = tu_read(path, NULL);
    char *placed_stem = xasprintf("%s%s", stem, placed);
    struct session *s = tu_open_golden(set, placed_stem);
    if (!infopci || !s) {
        ok(0, "%s/%s: its files load", set, stem);
        free(infopci);
        free(placed_stem);
        session_free(s);
        return;
    }
    tl->cases++;
    struct guestbus *g = guestbus_new(s->topo);
    char *label = xasprintf("%s/%s", set, stem);
    /* whether SeaBIOS finished: in ten seconds of samples (gen.sh) the
     * vCPU went on to real mode or halted, waiting, as a guest that
     * finds nothing to boot does; one that never does is still walking */
    snprintf(path, sizeof path, "%s/tests/golden/%s/%s.firmware.txt", tu_srcdir(), set, stem);
    char *fw = tu_read(path, NULL);
    const char *real = fw ? strstr(fw, "real-mode ") : NULL, *halted = fw ? strstr(fw, "halted ") : NULL;
    if (real && halted) {
        bool hung = atoi(real + strlen("real-mode ")) == 0 && atoi(halted + strlen("halted ")) == 0;
        if (!ok(hung == g->firmware_hangs, "%s: the firmware %s, as pcitopo says", label,
                hung ? "never finishes" : "finishes"))
            diag("%s", fw);
        tl->firmware++;
    }
    free(fw);
    ok(compare_guest(label, g, infopci, all_named, tl), "%s: every named function where the booted guest has it", label);
    guestbus_free(g);
    session_free(s);
    if (input) {
        char *input_stem = xasprintf("%s%s", stem, input);
        s = tu_open_golden(set, input_stem);
        struct err e ERR_SCOPE = ERR_INIT;
        const struct plan *p = s ? place_plan_shared(s->topo, &e, NULL) : NULL;
        if (p) {
            struct tally scratch = { 0, 0, 0, 0, 0, 0, 0, 0 };
            g = guestbus_placed_new(s->topo, p);
            ok(compare_guest(label, g, infopci, all_named, &scratch),
               "%s: placed by pcitopo from the input, the same", label);
            guestbus_free(g);
        } else {
            ok(0, "%s: the input places: %s", label, e.msg ? e.msg : "(does not load)");
        }
        session_free(s);
        free(input_stem);
    }
    free(label);
    free(placed_stem);
    free(infopci);
}

/* Every STEM.qemu-pci.txt of a set. */
static void check_set(const char *set, const char *placed, const char *input, bool all_named,
                      struct tally *tl)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/golden/%s", tu_srcdir(), set);
    DIR *d = opendir(dir);
    if (!d) {
        diag("%s: no such set", set);
        return;
    }
    char **stems = NULL;
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));)
        if (ends_with(de->d_name, ".qemu-pci.txt")) {
            stems = xrealloc(stems, (n + 1) * sizeof *stems);
            stems[n++] = xasprintf("%.*s", (int)(strlen(de->d_name) - strlen(".qemu-pci.txt")), de->d_name);
        }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        /* pcitopo numbers x86 guests so far */
        if (!strstr(stems[i], "pseries"))
            check_case(set, stems[i], placed, input, all_named, tl);
        free(stems[i]);
    }
    free(stems);
}

static void test_booted(void)
{
    struct tally tl = { 0, 0, 0, 0, 0, 0, 0, 0 };
    check_set("guest/seen", ".placed", "", true, &tl);
    check_set("guest/unseen", ".placed", "", true, &tl);
    check_set("guest/probe", ".placed", "", true, &tl);
    /* prefs booted the placed files: their NICs have libvirt's own ids */
    check_set("prefs", ".placed", NULL, false, &tl);
    diag("%d booted guests, %d named functions: %d where the guest has them, %d not seen as pcitopo says "
         "(%d of them listed by QEMU where two buses share a number)",
         tl.cases, tl.fns, tl.matched, tl.unseen_ok, tl.shadowed);
    diag("%d of %d functions with the IDs and class pcitopo gives them", tl.ids_matched, tl.ids);
    diag("%d guests whose firmware finished or hung as pcitopo says", tl.firmware);
    ok(tl.cases >= 10 && tl.matched > 0, "booted guests were compared");
}

/* ------------------------------------------------------------------ */
/* the names: pci.ids as the system has it */

/* The name pci.ids gives vendor (device < 0) or vendor:device; class
 * names with cls set ("C 02" then "\t00  Ethernet controller").  New
 * string or NULL. */
static char *ids_name_new(const char *ids, bool cls, unsigned a, int b)
{
    char want[16];
    snprintf(want, sizeof want, cls ? "C %02x" : "%04x", a);
    const char *p = ids;
    while ((p = strstr(p, want)) && !(p == ids || p[-1] == '\n'))
        p++;
    if (!p)
        return NULL;
    if (b < 0) {
        p += strlen(want) + (cls ? 2 : 2);
        return xasprintf("%.*s", (int)strcspn(p, "\n"), p);
    }
    /* the entries below it, one tab in, until the next top-level line */
    snprintf(want, sizeof want, cls ? "\t%02x  " : "\t%04x  ", (unsigned)b);
    for (p = strchr(p, '\n'); p && p[1] && p[1] != '\n' && (p[1] == '\t' || p[1] == '#'); p = strchr(p + 1, '\n'))
        if (strncmp(p + 1, want, strlen(want)) == 0) {
            p += 1 + strlen(want);
            return xasprintf("%.*s", (int)strcspn(p, "\n"), p);
        }
    return NULL;
}

static void same_name(const char *what, const char *ours, char *theirs)
{
    if (!ok(ours && theirs ? strcmp(ours, theirs) == 0 : ours == theirs, "pci.ids names %s as pcitopo does", what))
        diag("pcitopo '%s', pci.ids '%s'", ours ? ours : "(none)", theirs ? theirs : "(none)");
    free(theirs);
}

static void test_names(void)
{
    const char *paths[] = { "/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids" };
    char *ids = NULL;
    for (size_t i = 0; !ids && i < sizeof paths / sizeof paths[0]; i++)
        ids = tu_read(paths[i], NULL);
    if (!ids) {
        ok(1, "# SKIP no pci.ids on this system");
        return;
    }
    const char *qemu;
    struct pci_ids legacy;
    unsigned modern;
    for (size_t i = 0; pciid_qemu_at(i, &qemu, &legacy, &modern); i++) {
        char what[128];
        snprintf(what, sizeof what, "%s's vendor %04x", qemu, legacy.vendor);
        same_name(what, pciid_vendor_name(legacy.vendor), ids_name_new(ids, false, legacy.vendor, -1));
        for (int k = 0; k < 2; k++) {
            unsigned dev = k ? modern : legacy.device;
            if (!dev)
                continue;
            snprintf(what, sizeof what, "%s's device %04x:%04x", qemu, legacy.vendor, dev);
            same_name(what, pciid_device_name(legacy.vendor, dev), ids_name_new(ids, false, legacy.vendor, (int)dev));
        }
        snprintf(what, sizeof what, "%s's class %04x", qemu, legacy.class_code);
        same_name(what, pciid_class_name(legacy.class_code),
                  ids_name_new(ids, true, legacy.class_code >> 8, (int)(legacy.class_code & 0xff)));
    }
    unsigned machines;
    for (size_t i = 0; pciid_chipset_at(i, &machines, &legacy); i++) {
        char what[128];
        snprintf(what, sizeof what, "the chipset's %04x:%04x", legacy.vendor, legacy.device);
        same_name(what, pciid_device_name(legacy.vendor, legacy.device),
                  ids_name_new(ids, false, legacy.vendor, (int)legacy.device));
        snprintf(what, sizeof what, "the chipset's class %04x", legacy.class_code);
        same_name(what, pciid_class_name(legacy.class_code),
                  ids_name_new(ids, true, legacy.class_code >> 8, (int)(legacy.class_code & 0xff)));
    }
    free(ids);
}

int main(void)
{
    test_root_ports();
    test_expanders();
    test_functions();
    test_names();
    test_booted();
    return tap_done();
}
