/* Preferences and policies: the metadata they live in, what placement
 * makes of each (on the golden inputs of tests/golden/prefs, whose placed
 * results libvirt defined unchanged and QEMU started), and the commands
 * that set them — add with preferences, set-pref, policy, spare-ports,
 * mode live. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "edit.h"
#include "explain.h"
#include "prefs.h"
#include "tap.h"
#include "testutil.h"

static struct session *open_case(const char *stem)
{
    return tu_open_golden("prefs", stem);
}

static bool place(struct session *s)
{
    struct err e ERR_SCOPE = ERR_INIT;
    bool done = tu_run(s, "place", &e, NULL, 0);
    if (!done)
        diag("place: %s", e.msg);
    return done;
}

/* The model of the bus a device sits on ("pcie-root" for bus 0). */
static const char *bus_model(const struct topology *t, const struct device *dv)
{
    const struct bus *b = dv ? topology_bus(t, dv->addr.bus) : NULL;
    return b && b->model ? b->model->name : "(none)";
}

/* The NUMA node of the expander bus a device hangs below, or -1. */
static long node_of(const struct topology *t, const struct device *dv)
{
    for (int steps = 0; dv && dv->addr_state == ADDR_PCI && steps < 256; steps++) {
        const struct bus *b = topology_bus(t, dv->addr.bus);
        if (!b || !b->ctrl)
            return -1;
        if (b->ctrl->numa_node >= 0)
            return b->ctrl->numa_node;
        dv = b->ctrl;
    }
    return -1;
}

static const struct device *alias(const struct session *s, const char *a)
{
    return topology_find_alias(s->topo, a);
}

/* ------------------------------------------------------------------ */

static void test_parse(void)
{
    struct dev_pref p = DEV_PREF_NONE;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(!dev_pref_is_set(&p), "no preference: nothing set");
    is_int(dev_pref_parse_arg("hotplug=no", &p, &e), 1, "hotplug=no is a preference");
    is_int(dev_pref_parse_arg("bus=pci", &p, &e), 1, "bus=pci is one");
    is_int(dev_pref_parse_arg("numa=3", &p, &e), 1, "numa=3 is one");
    char *text = dev_pref_text_new(&p);
    is_str(text, "hotplug=no bus=pci numa=3", "formatted as typed");
    free(text);
    is_int(dev_pref_parse_arg("numa=010", &p, &e), 1, "numa=010 is one");
    is_int(p.numa, 10, "...node ten: counts are decimal, as libvirt reads a cell id");
    is_int(dev_pref_parse_arg("alias=ua-x", &p, &e), 0, "alias= is not a preference");
    is_int(dev_pref_parse_arg("hotplug=maybe", &p, &e), -1, "hotplug=maybe is refused");
    has_str(e.msg, "use yes, no or default", "...saying what is allowed");
    err_clear(&e);
    is_int(dev_pref_parse_arg("numa=-1", &p, &e), -1, "numa=-1 is refused");
    err_clear(&e);
    is_int(dev_pref_parse_arg("bus=isa", &p, &e), -1, "bus=isa is refused");
    err_clear(&e);
    dev_pref_parse_arg("hotplug=default", &p, &e);
    dev_pref_parse_arg("bus=any", &p, &e);
    dev_pref_parse_arg("numa=none", &p, &e);
    ok(!dev_pref_is_set(&p), "default, any and none take them back");
}

static const char bad_meta[] =
    "<domain type='kvm'>\n"
    "  <name>bad</name>\n"
    "  <metadata>\n"
    "    <p:placement xmlns:p='" PREFS_NS "'>\n"
    "      <p:device alias='ua-net0' hotplug='maybe'/>\n"
    "    </p:placement>\n"
    "  </metadata>\n"
    "  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n"
    "  <devices/>\n"
    "</domain>\n";

static void test_metadata(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_open_text(bad_meta, &e);
    ok(!s, "a value pcitopo cannot read is refused");
    has_str(e.msg, ":5: <pcitopo:device alias='ua-net0'>: hotplug='maybe'", "...with line and element");
    session_free(s);
    err_clear(&e);

    /* written where libvirt writes <metadata>, read back, removed cleanly */
    s = session_open_example(&e);
    char *orig = tu_bytes(s);
    ok(!tu_run(s, "set-pref ua-nothing hotplug=no", &e, NULL, 0), "set-pref on an alias no device has");
    has_str(e.msg, "no device with alias, address or line 'ua-nothing'", "...says so");
    err_clear(&e);
    ok(tu_run(s, "set-pref 01:00.0 hotplug=no bus=pcie", &e, NULL, 0), "set-pref on the example's NIC");
    if (e.set)
        diag("%s", e.msg);
    char *with = tu_bytes(s);
    has_str(with, "xmlns:pcitopo='" PREFS_NS "'", "the metadata element has pcitopo's namespace");
    has_str(with, "<pcitopo:device alias='ua-net0' hotplug='no' bus='pcie'/>", "the device's entry");
    ok(strstr(with, "<metadata>") && strstr(with, "<metadata>") < strstr(with, "<memory"),
       "<metadata> comes before <memory>, where libvirt writes it");
    has_str(with, "<alias name='ua-net0'/>", "the NIC got a user alias");

    /* save -> load -> save keeps them byte for byte */
    struct session *again = tu_open_text(with, &e);
    ok(again != NULL, "the result loads");
    char *twice = again ? tu_bytes(again) : NULL;
    is_str(twice, with, "save -> load -> save is byte-exact");
    const struct device *dv = again ? topology_find_alias(again->topo, "ua-net0") : NULL;
    ok(dv && dv->pref.hotplug == 0 && dv->pref.bus == PREF_BUS_PCIE, "and the preferences read back");
    free(twice);
    session_free(again);

    ok(tu_run(s, "set-pref ua-net0 hotplug=default bus=any", &e, NULL, 0), "taking them back");
    char *back = tu_bytes(s);
    ok(!strstr(back, "pcitopo:") && !strstr(back, "<metadata"), "the entry, the element and <metadata> go");
    ok(tu_run(s, "undo; undo", &e, NULL, 0), "undo twice");
    char *undone = tu_bytes(s);
    is_str(undone, orig, "undo gives back the original bytes");
    free(orig);
    free(with);
    free(back);
    free(undone);
    session_free(s);
}

/* Each golden input, placed: what each preference must do. */
static void test_golden_semantics(void)
{
    struct session *s = open_case("01-q35-hotplug-no");
    if (s && place(s)) {
        const char *names[] = { "ua-net0", "ua-net1", "ua-net2", "ua-rng0" };
        for (size_t i = 0; i < 4; i++) {
            const struct device *dv = alias(s, names[i]);
            ok(dv && dv->addr_state == ADDR_PCI && dv->addr.bus == 0, "hotplug=no: %s lands on bus 0", names[i]);
        }
    }
    session_free(s);

    s = open_case("02-q35-minimal");
    if (s && place(s)) {
        is_int(tu_pci_controllers(s->topo), 0, "policy minimal: no PCI controller is added");
        int off_root = 0;
        for (size_t i = 0; i < s->topo->ndevs; i++)
            off_root += s->topo->devs[i].addr_state == ADDR_PCI && s->topo->devs[i].addr.bus != 0;
        is_int(off_root, 0, "policy minimal: every device, implicit ones too, is on the root bus");
    }
    session_free(s);

    s = open_case("03-q35-minimal-one-hotplug");
    if (s && place(s)) {
        is_int(tu_pci_controllers(s->topo), 1, "minimal with one hotplug=yes device: one root port");
        is_str(bus_model(s->topo, alias(s, "ua-net0")), "pcie-root-port", "...and the device is on it");
    }
    session_free(s);

    s = open_case("04-q35-bus-pci");
    if (s && place(s)) {
        is_str(bus_model(s->topo, alias(s, "ua-net0")), "pcie-to-pci-bridge", "bus=pci: virtio on a legacy slot");
        is_str(bus_model(s->topo, alias(s, "ua-net1")), "pcie-to-pci-bridge", "bus=pci: e1000e too");
    }
    session_free(s);

    s = open_case("05-q35-bus-pcie");
    if (s && place(s)) {
        is_str(bus_model(s->topo, alias(s, "ua-net0")), "pcie-root-port", "bus=pcie: e1000 on a root port");
        is_str(bus_model(s->topo, alias(s, "ua-net1")), "pcie-root-port", "bus=pcie: rtl8139 too");
    }
    session_free(s);

    s = open_case("06-q35-numa");
    if (s && place(s)) {
        is_int(node_of(s->topo, alias(s, "ua-net0")), 1, "numa=1: behind node 1's expander bus");
        is_int(node_of(s->topo, alias(s, "ua-net1")), 1, "numa=1: the second one too");
        is_int(node_of(s->topo, alias(s, "ua-rng0")), 0, "numa=0: behind node 0's");
        is_str(bus_model(s->topo, alias(s, "ua-net0")), "pcie-root-port", "...on a root port, hot-pluggable");
    }
    session_free(s);

    s = open_case("07-q35-numa-bus-pci");
    if (s && place(s)) {
        const struct device *dv = alias(s, "ua-net0");
        is_int(node_of(s->topo, dv), 1, "numa=1 bus=pci: behind node 1");
        is_str(bus_model(s->topo, dv), "pcie-to-pci-bridge", "...on a legacy slot");
    }
    session_free(s);

    const struct { const char *stem; int pcie; } spares[] = {
        { "08-q35-spare-4", 4 }, { "09-q35-spare-0", 0 }, { "10-q35-minimal-spare-2", 2 },
    };
    for (size_t i = 0; i < ARRAY_LEN(spares); i++) {
        s = open_case(spares[i].stem);
        if (s && place(s))
            is_int(spare_count(s->topo, NULL).pcie, spares[i].pcie, "%s: exactly %d spare PCIe ports",
                   spares[i].stem, spares[i].pcie);
        session_free(s);
    }

    s = open_case("11-pc-numa");
    if (s && place(s)) {
        is_str(bus_model(s->topo, alias(s, "ua-net0")), "pci-expander-bus", "pc numa=1 hotplug=no: on the expander bus");
        is_str(bus_model(s->topo, alias(s, "ua-net1")), "pci-bridge", "pc numa=1: on a pci-bridge (hot-pluggable)");
        is_int(node_of(s->topo, alias(s, "ua-net1")), 1, "...behind node 1's expander bus");
    }
    session_free(s);

    s = open_case("13-q35-video-sound");
    if (s && place(s)) {
        const struct device *v = alias(s, "ua-video0");
        ok(v && !(v->addr.bus == 0 && v->addr.slot == 1), "hotplug=yes: the video leaves 00:01.0");
        is_str(bus_model(s->topo, v), "pcie-root-port", "...for a root port");
        is_str(bus_model(s->topo, alias(s, "ua-sound0")), "pcie-to-pci-bridge", "bus=pci: ich9 leaves 00:1b.0");
    }
    session_free(s);
}

/* A placed domain places to itself: preferences never move an address. */
/* policy minimal on q35 with more devices than the root complex has
 * slots: libvirt accepts the domain, and the overflow is placed as usual
 * (a root port each) — the root keeps the slots those ports need. */
static void test_minimal_overflow(void)
{
    const int counts[] = { 28, 29, 36, 60, 200, 235 };
    for (size_t c = 0; c < ARRAY_LEN(counts); c++) {
        struct strbuf x = STRBUF_INIT;
        sb_puts(&x, "<domain type='kvm'><name>m</name><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>");
        for (int i = 0; i < counts[c]; i++)
            sb_printf(&x, "<interface type='network'><mac address='52:54:00:00:%02x:%02x'/><model type='e1000e'/></interface>",
                      i / 256, i % 256);
        sb_puts(&x, "</devices></domain>");
        struct err e ERR_SCOPE = ERR_INIT;
        struct session *s = tu_open_text(x.buf, &e);
        sb_free(&x);
        bool placed = s && tu_run(s, "policy minimal; place", &e, NULL, 0);
        if (!ok(placed, "policy minimal, %d e1000e on q35: placed", counts[c])) {
            diag("%s", e.msg);
            session_free(s);
            continue;
        }
        int root = 0, unplaced = 0, empty_ports = 0;
        const struct topology *t = s->topo;
        for (size_t i = 0; i < t->ndevs; i++) {
            const struct device *dv = &t->devs[i];
            unplaced += dv->addr_state != ADDR_PCI && dv->index != 0;
            root += dv->index < 0 && dv->addr_state == ADDR_PCI && dv->addr.bus == 0;
            if (dv->index > 0) {
                bool used = false;
                for (size_t j = 0; j < t->ndevs; j++)
                    used |= t->devs[j].addr_state == ADDR_PCI && t->devs[j].addr.bus == (unsigned)dv->index;
                empty_ports += !used;
            }
        }
        is_int(unplaced, 0, "  every device has an address");
        is_int(empty_ports, 0, "  no root port is left empty (minimal keeps no spare)");
        int free_root = 0, ports = tu_pci_controllers(t);
        for (unsigned sl = 1; sl < PCI_SLOTS; sl++)
            free_root += t->buses[0]->slots[sl].used == 0;
        ok(ports == 0 ? root >= counts[c] : free_root == 0,
           "  the root bus takes devices until its last slot (%d devices on it, %d ports, %d slots free)",
           root, ports, free_root);
        session_free(s);
    }
}

static void test_addresses_stay(void)
{
    const char *stems[] = { "01-q35-hotplug-no", "06-q35-numa", "14-q35-mixed", "11-pc-numa" };
    for (size_t i = 0; i < ARRAY_LEN(stems); i++) {
        struct session *s = open_case(stems[i]);
        if (!s || !place(s)) {
            session_free(s);
            continue;
        }
        char *once = tu_bytes(s);
        place(s);
        char *twice = tu_bytes(s);
        is_str(twice, once, "%s: placing again changes nothing", stems[i]);
        free(once);
        free(twice);
        session_free(s);
    }
}

static void test_edit_commands(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    char note[512];
    struct session *s = session_open_example(&e);
    ok(tu_run(s, "add virtio-net hotplug=no", &e, note, sizeof note), "add virtio-net hotplug=no");
    const struct device *dv = alias(s, "ua-net0");
    ok(dv && dv->addr.bus == 0 && dv->pref.hotplug == 0, "it gets ua-net0, its preference, and bus 0");
    has_str(note, "at 00:03.0", "the note says where (the first free root slot)");

    ok(tu_run(s, "add e1000 bus=pcie alias=ua-fast", &e, NULL, 0), "add e1000 bus=pcie");
    is_str(bus_model(s->topo, alias(s, "ua-fast")), "pcie-root-port", "...goes on a root port");

    err_clear(&e);
    ok(!tu_run(s, "add pcie-root-port hotplug=no", &e, NULL, 0), "preferences on a controller are refused");
    has_str(e.msg, "are for devices", "...saying why");
    err_clear(&e);
    ok(!tu_run(s, "add virtio-net numa=2", &e, NULL, 0), "numa= on a domain without NUMA cells is refused");
    has_str(e.msg, "numa=2", "...naming the preference");
    err_clear(&e);
    ok(!tu_run(s, "set-pref 00:02.0 hotplug=no", &e, NULL, 0), "set-pref is for devices, not PCI controllers");
    has_str(e.msg, "not for PCI controllers", "...saying so");
    err_clear(&e);

    /* an addressed device keeps its address */
    ok(tu_run(s, "set-pref ua-fast bus=default hotplug=no", &e, note, sizeof note), "set-pref on an addressed device");
    has_str(note, "keeps", "the note says the address stays");
    ok(alias(s, "ua-fast")->addr.bus != 0, "and it does stay");

    /* spare-ports tops up, and says what it costs */
    ok(tu_run(s, "spare-ports 3", &e, note, sizeof note), "spare-ports 3");
    is_int(spare_count(s->topo, NULL).pcie, 3, "three spare PCIe ports after it");
    has_str(note, "ms of guest boot", "the note gives the boot cost");
    ok(tu_run(s, "spare-ports 1", &e, note, sizeof note), "spare-ports 1");
    is_int(spare_count(s->topo, NULL).pcie, 3, "ports are never removed");

    /* mode live: only spare slots, nothing added */
    ok(tu_run(s, "mode live; add virtio-net; add virtio-net; add virtio-net", &e, NULL, 0),
       "mode live: three adds use the three spare ports");
    int before = tu_pci_controllers(s->topo);
    err_clear(&e);
    ok(!tu_run(s, "add virtio-net", &e, NULL, 0), "a fourth is refused");
    has_str(e.msg, "mode live", "...saying why");
    is_int(tu_pci_controllers(s->topo), before, "and no controller was added");
    err_clear(&e);
    ok(!tu_run(s, "spare-ports 5", &e, NULL, 0), "spare-ports is refused in mode live");
    err_clear(&e);
    ok(tu_run(s, "mode offline; add virtio-net", &e, NULL, 0), "offline again: the add adds a root port");
    is_int(tu_pci_controllers(s->topo), before + 1, "one, and no spare");

    /* policy minimal for later adds */
    ok(tu_run(s, "policy minimal; add virtio-rng", &e, NULL, 0), "policy minimal; add virtio-rng");
    const struct device *last = NULL;
    for (size_t i = 0; i < s->topo->ndevs; i++)
        if (s->topo->devs[i].node == s->last_added)
            last = &s->topo->devs[i];
    ok(last && last->addr.bus == 0, "it is integrated on the root bus");
    is_int(s->topo->policy.policy, POLICY_MINIMAL, "the policy is in the metadata");
    session_free(s);
}

/* spare-ports on a domain without PCI controllers: placing it does the
 * reserving, so the command adds nothing yet and says so. */
static void test_spare_first_definition(void)
{
    struct session *s = open_case("09-q35-spare-0");
    struct err e ERR_SCOPE = ERR_INIT;
    char note[512];
    ok(s && tu_run(s, "spare-ports 3", &e, note, sizeof note), "spare-ports 3 before the first placement");
    has_str(note, "no PCI controllers yet, so placing the domain leaves 3 spare", "the note says when they come");
    if (s && place(s))
        is_int(spare_count(s->topo, NULL).pcie, 3, "and placing leaves exactly 3");
    session_free(s);
}

/* Every device's controller index and address, in document order. */
static char *addresses_of(const struct topology *t)
{
    size_t size = t->ndevs * 24 + 1, n = 0;
    char *buf = malloc(size);
    buf[0] = '\0';
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        n += (size_t)snprintf(buf + n, size - n, "%d@%02x:%02x.%x ", dv->index, dv->addr.bus,
                              dv->addr.slot, dv->addr.function);
    }
    return buf;
}

/* spare-ports places the root ports it needs in one go (one placement
 * instead of one a port); they must land exactly where the same number
 * of adds in a row would put them, and a domain that runs out of slots or
 * bus numbers must be refused with the add's own words. */
static void test_spare_ports_as_adds(const char *name, struct session *(*open)(void))
{
    static const int counts[] = { 2, 9, 40, 120, 250, 255 };
    for (size_t c = 0; c < ARRAY_LEN(counts); c++) {
        struct session *bulk = open(), *one = open();
        if (!bulk || !one) {
            ok(false, "%s opens", name);
            session_free(bulk);
            session_free(one);
            return;
        }
        char line[64];
        snprintf(line, sizeof line, "spare-ports %d", counts[c]);
        struct err be ERR_SCOPE = ERR_INIT, oe ERR_SCOPE = ERR_INIT;
        int ctrls = tu_pci_controllers(bulk->topo);
        bool done = tu_run(bulk, line, &be, NULL, 0);
        int ports = done ? tu_pci_controllers(bulk->topo) - ctrls : 256;
        int added = 0;
        while (added < ports && spare_count(one->topo, NULL).pcie < counts[c]
               && tu_run(one, "add pcie-root-port", &oe, NULL, 0))
            added++;
        if (done) {
            char *a = addresses_of(bulk->topo), *b = addresses_of(one->topo);
            is_str(a, b, "%s: %s puts its %d ports where %d adds would", name, line, ports, added);
            free(a);
            free(b);
        } else {
            ok(oe.set, "%s: %s is refused (%s), and so is an add before %d spare", name, line,
               be.msg, counts[c]);
            is_str(be.msg, oe.msg, "%s: %s is refused as the add is", name, line);
        }
        session_free(bulk);
        session_free(one);
    }
}

/* The note lists the new ports' addresses with runs as ranges: two
 * hundred of them used to be cut off in the middle of an address. */
static void test_spare_ports_note(void)
{
    static const struct { int n; const char *where; } cases[] = {
        { 2, "added 1 pcie-root-port at 00:02.7;" },
        { 3, "added 2 pcie-root-ports at 00:02.7, 00:03.0;" },
        { 5, "added 4 pcie-root-ports at 00:02.7-00:03.2;" },
        { 200, "added 199 pcie-root-ports at 00:02.7-00:1a.7, 00:1c.0-00:1c.5;" },
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct err e ERR_SCOPE = ERR_INIT;
        struct session *s = session_open_example(&e);
        char line[32], note[512] = "";
        snprintf(line, sizeof line, "spare-ports %d", cases[i].n);
        ok(s && tu_run(s, line, &e, note, sizeof note), "%s on the example", line);
        has_str(note, cases[i].where, "%s: the note lists the ports", line);
        has_str(note, "; spare hotplug: PCIe ", "%s: ...and the note is whole", line);
        session_free(s);
    }
}

static struct session *open_example(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    return session_open_example(&e);
}

static struct session *open_pxb(void)
{
    return tu_open_golden("capacity-unseen", "19-q35-pxb-rootports-mixed.placed");
}

/* no <controller model='pcie-root'>: libvirt gives a new root port
 * index 0, and refuses it */
static struct session *open_implicit_root(void)
{
    return tu_open_golden("capacity", "21-q35-pxb-pcie-2rootports");
}

static struct session *open_switches(void)
{
    return tu_open_golden("capacity-unseen", "15-q35-two-switches.placed");
}

/* Deleting a device takes its preferences with it; check notes any
 * left without a device. */
static void test_delete_and_orphans(void)
{
    struct session *s = open_case("04-q35-bus-pci");
    struct err e ERR_SCOPE = ERR_INIT;
    char note[512];
    ok(s && tu_run(s, "place; delete ua-net1", &e, note, sizeof note), "delete a device that has preferences");
    has_str(note, "and its preferences", "the note says they went too");
    char *text = s ? tu_bytes(s) : NULL;
    ok(text && !strstr(text, "alias='ua-net1'") && strstr(text, "alias='ua-net0'"),
       "its entry is gone, the other device's stays");
    free(text);
    session_free(s);

    static const char orphan[] =
        "<domain type='kvm'>\n  <name>x</name>\n  <metadata>\n"
        "    <pcitopo:placement xmlns:pcitopo='" PREFS_NS "'>\n"
        "      <pcitopo:device alias='ua-gone' bus='pci'/>\n"
        "    </pcitopo:placement>\n  </metadata>\n"
        "  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <devices/>\n</domain>\n";
    s = tu_open_text(orphan, &e);
    struct diag_list *l = s ? place_check(s->topo) : NULL;
    ok(l && l->errors == 0 && l->n == 1, "check notes preferences no device carries, without failing");
    if (l && l->n)
        has_str(l->d[0].msg, "line 5: pcitopo's metadata has preferences for ua-gone", "...with the line");
    diag_list_free(l);
    session_free(s);
}

static void test_explain(void)
{
    struct session *s = open_case("06-q35-numa");
    struct err e ERR_SCOPE = ERR_INIT;
    char *text = s ? explain_device(s->topo, "ua-net0", &e) : NULL;
    has_str(text, "Preferences: numa=1", "explain names the device's preferences");
    has_str(text, "pcitopo added (for the preference) a pcie-expander-bus", "and what placement added for them");
    has_str(text, "skipped: not behind the expander bus of the wanted NUMA node", "and the buses it passed over");
    free(text);
    session_free(s);
}

static void test_check(void)
{
    static const char pc_pcie[] =
        "<domain type='kvm'>\n  <name>x</name>\n  <metadata>\n"
        "    <pcitopo:placement xmlns:pcitopo='" PREFS_NS "'>\n"
        "      <pcitopo:device alias='ua-net0' bus='pcie'/>\n"
        "    </pcitopo:placement>\n  </metadata>\n"
        "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
        "  <devices>\n    <interface type='user'><model type='e1000'/><alias name='ua-net0'/></interface>\n"
        "  </devices>\n</domain>\n";
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_open_text(pc_pcie, &e);
    ok(s != NULL, "a pc domain with bus=pcie loads");
    struct diag_list *l = s ? place_check(s->topo) : NULL;
    ok(l && l->errors == 1, "check reports it");
    if (l && l->n)
        has_str(l->d[0].msg, "ua-net0: bus=pcie", "...naming the device and the preference");
    diag_list_free(l);
    session_free(s);
}

int main(void)
{
    test_parse();
    test_metadata();
    test_golden_semantics();
    test_minimal_overflow();
    test_addresses_stay();
    test_edit_commands();
    test_spare_first_definition();
    test_spare_ports_note();
    test_spare_ports_as_adds("the example", open_example);
    test_spare_ports_as_adds("a pxb-pcie with root ports", open_pxb);
    struct session *s = open_pxb();
    struct err e ERR_SCOPE = ERR_INIT;
    ok(s && !tu_run(s, "spare-ports 255", &e, NULL, 0), "spare-ports 255 on the pxb-pcie is refused");
    has_str(e.msg, "no index is left for another pci controller (all of 0 to 255 are taken)",
            "...as bus numbers run out");
    session_free(s);
    test_spare_ports_as_adds("two switches", open_switches);
    test_spare_ports_as_adds("an implicit pcie-root", open_implicit_root);
    test_delete_and_orphans();
    test_explain();
    test_check();
    return tap_done();
}
