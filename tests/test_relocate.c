/* relocate: moving a device or a group to another PCI address, and auto.
 * The moves libvirt accepts and refuses (each refusal with libvirt's words
 * and the document untouched), controllers added for a new bus, groups,
 * preferences under auto, undo, moves that change nothing, the refusals
 * that are pcitopo's own, the targets the editor offers (each listed one
 * succeeds, unlisted ones fail), the preview, and Tab completion.  The
 * inputs are the relocate golden cases (tests/golden/relocate, checked
 * against libvirt by relocate.sh) and the built-in example. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "complete.h"
#include "place.h"
#include "relocate.h"
#include "tap.h"
#include "testutil.h"
#include "xmlutil.h"

/* The golden bases: one domain per machine (see the golden README). */
#define Q35 "01-q35-free-port"
#define PC "15-pc-root-slot"
#define VIRT "20-virt-free-port"
#define PSERIES "24-pseries-slot"
#define IOMMU "28-q35-iommu-root-slot"

static struct session *open_case(const char *stem)
{
    return tu_open_golden("relocate", stem);
}

static struct session *example(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_example(&e);
    if (!s)
        diag("example: %s", e.msg);
    return s;
}

/* Runs line; its note (and output) in note. */
static bool run(struct session *s, const char *line, struct err *e, char *note, size_t size)
{
    return tu_run(s, line, e, note, size);
}

/* "BB:SS.F" of the device with that alias, or "none". */
static const char *addr_of(const struct session *s, const char *alias)
{
    static char buf[16];
    const struct device *dv = topology_find_alias(s->topo, alias);
    if (!dv || dv->addr_state != ADDR_PCI)
        return "none";
    snprintf(buf, sizeof buf, "%02x:%02x.%x", dv->addr.bus, dv->addr.slot, dv->addr.function);
    return buf;
}

static int check_errors(const struct session *s)
{
    struct diag_list *l = place_check(s->topo);
    int n = l->errors;
    diag_list_free(l);
    return n;
}

/* line must fail with a message containing want, the document unchanged
 * to the byte and not modified. */
static void refused(struct session *s, const char *line, const char *want)
{
    char *before = tu_bytes(s);
    bool was_modified = s->modified;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(!run(s, line, &e, NULL, 0), "'%s' is refused", line);
    has_str(e.msg, want, "  with: %s", want);
    char *after = tu_bytes(s);
    ok(strcmp(before, after) == 0, "  and the document is unchanged");
    ok(s->modified == was_modified, "  and not marked modified");
    free(before);
    free(after);
}

static void test_free_slot(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    ok(run(s, "relocate ua-net0 07:00", &e, note, sizeof note), "q35: ua-net0 to the empty root port 07");
    is_str(note, "moved interface virtio ua-net0 from 02:00.0 to 07:00.0 [hotplug]; the guest will see it at a new address",
           "the note says where it went and warns about the new address");
    is_str(addr_of(s, "ua-net0"), "07:00.0", "the document has the new address");
    ok(s->modified, "the document is modified");
    is_int(check_errors(s), 0, "check finds nothing wrong");
    xmlNodePtr a = xml_child(topology_find_alias(s->topo, "ua-net0")->node, "address");
    is_str(xml_attr(a, "bus"), "0x07", "the address is written as libvirt writes it (bus='0x07')");
    ok(!xml_attr(a, "multifunction"), "alone in its slot: no multifunction");
    ok(run(s, "relocate ua-net0 00:05.0", &e, note, sizeof note), "then onto the root complex, 00:05.0");
    has_str(note, "to 00:05.0; the guest", "an integrated endpoint: no [hotplug]");
    session_free(s);
}

static void test_refusals_libvirt(void)
{
    struct session *s = open_case(Q35);
    refused(s, "relocate ua-net0 05:00.0", "libvirt 9.0 would refuse the domain: XML error: Attempted double use of PCI Address 0000:05:00.0");
    refused(s, "relocate ua-net0 07:01.0", "XML error: Invalid PCI address 0000:07:01.0. slot must be <= 0");
    refused(s, "relocate ua-net0 0b:00.0", "XML error: Invalid PCI address 0000:0b:00.0. slot must be >= 1");
    refused(s, "relocate ua-net0 00:1f.0", "Attempted double use of PCI Address 0000:00:1f.0");
    /* libvirt checks the connection kind before the slot range */
    refused(s, "relocate 00:02.5 0e:01.0", "XML error: The device at PCI address 0000:0e:01.0 cannot be plugged into the PCI controller with index='14'. It requires a controller that accepts a pcie-root-port.");
    refused(s, "relocate 00:02.5 20:00.0", "internal error: a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added");
    refused(s, "relocate 00:1f.2 00:06.0", "internal error: Primary SATA controller must have PCI address 0:0:1f.2");
    session_free(s);
    s = open_case(IOMMU);
    refused(s, "relocate ua-iommu 07:00.0", "XML error: The device at PCI address 0000:07:00.0 needs to be an integrated device (bus=0)");
    session_free(s);
    s = open_case(PC);
    refused(s, "relocate 00:01.1 00:0c.0", "internal error: Primary IDE controller must have PCI address 0:0:1.1");
    refused(s, "relocate 00:01.2 00:0c.0", "internal error: PIIX3 USB controller at index 0 must have PCI address 0:0:1.2");
    refused(s, "relocate ua-bridge 01:05.0", "unsupported configuration: PCI controller at index 1 (0x01) has bus='0x01', but index must be larger than bus");
    refused(s, "relocate ua-bridge 05:01.0", "a PCI slot is needed to connect a PCI controller model='pci-bridge'");
    session_free(s);
}

static void test_refusals_own(void)
{
    struct session *s = open_case(Q35);
    refused(s, "relocate ua-gpu 07:00", "ua-gpu is function 0 of the group at 06:00 (ua-gpu (.0), ua-audio (.1)); a group moves as one unit: 'relocate 06:00 BB:SS'");
    refused(s, "relocate 06:00 auto", "relocate: auto is for one device");
    refused(s, "relocate 06:00 07:00.1", "a group moves to a slot: give BB:SS");
    refused(s, "relocate ua-net0 00:00.0", "libvirt reads an address on bus 00, slot 00 as no address at all");
    refused(s, "relocate ua-net0 0x07:00", "'0x07:00' is no address");
    refused(s, "relocate ua-nothing 07:00", "relocate: ");
    refused(s, "relocate 02:00 07:00", "slot 02:00 holds one device, not a group");
    refused(s, "relocate pcie-root 07:00", "no device");
    /* a switch's upstream port below its own downstream port: libvirt
     * defines it, QEMU does not start it */
    refused(s, "relocate ua-up 0e:00.0", "QEMU");
    struct err e ERR_SCOPE = ERR_INIT;
    ok(run(s, "mode live", &e, NULL, 0), "mode live");
    refused(s, "relocate ua-net0 07:00", "mode live: a device of the running guest cannot change its address");
    session_free(s);

    /* the root bus, named by its line */
    s = example();
    const struct device *root = NULL;
    for (size_t i = 0; i < s->topo->ndevs; i++)
        if (s->topo->devs[i].index == 0)
            root = &s->topo->devs[i];
    char line[64];
    snprintf(line, sizeof line, "relocate line:%ld 07:00", root ? root->line : 0L);
    refused(s, line, "relocate: pcie-root index 0 is the root bus");
    session_free(s);

    /* a NIC on virtio-mmio (aarch64 virt) is not on PCI */
    s = open_case(VIRT);
    char *text = tu_bytes(s);
    const char *mark = "<alias name='ua-net6'/>";
    char *at = strstr(text, mark), *addr = at ? strstr(at, "<address") : NULL, *end = addr ? strstr(addr, "/>") : NULL;
    ok(end != NULL, "the virt base has ua-net6 with an address");
    session_free(s);
    if (end) {
        char *mmio = xasprintf("%.*s<address type='virtio-mmio'/>%s", (int)(addr - text), text, end + 2);
        s = tu_open_text(mmio, &e);
        ok(s != NULL, "ua-net6 on virtio-mmio loads");
        if (s)
            refused(s, "relocate ua-net6 08:00", "interface virtio ua-net6 has an address of type 'virtio-mmio', not a PCI one: it is not on PCI");
        session_free(s);
        free(mmio);
    }
    free(text);
}

/* A document libvirt already refuses: a move that fixes it is made, and
 * so is one that leaves the problem where it was (it is named); only a
 * problem the move brings refuses it. */
static void test_problems_before(void)
{
    struct session *q = open_case(Q35);
    char *text = tu_bytes(q);
    session_free(q);
    char *at = strstr(text, "bus='0x09' slot='0x00'");
    if (!ok(at != NULL, "the q35 base has ua-rng0 at 09:00.0")) {
        free(text);
        return;
    }
    memcpy(at, "bus='0x05'", 10);   /* onto the disk's 05:00.0 */
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    struct session *s = tu_open_text(text, &e);
    ok(s && check_errors(s) == 1, "two devices at 05:00.0: check finds that one problem");
    ok(run(s, "relocate ua-e1000 07:00.0", &e, note, sizeof note), "a move elsewhere is made all the same");
    has_str(note, "; libvirt 9.0 still refuses the domain, as it did before: XML error: Attempted double use of PCI Address 0000:05:00.0",
            "and the note says the domain is still refused, and why");
    refused(s, "relocate ua-net0 0b:00.0", "slot must be >= 1");
    ok(run(s, "relocate ua-rng0 09:00", &e, note, sizeof note), "moving one of the two away");
    ok(!strstr(note, "still refuses"), "fixes it: %s", note);
    is_int(check_errors(s), 0, "check finds nothing wrong now");
    session_free(s);
    free(text);
}

static void test_group_slots(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    ok(run(s, "relocate ua-rng0 07:00.4", &e, NULL, 0), "the rng to function 4 of the empty port 07");
    refused(s, "relocate 06:00 07:00", "relocate: no other device may share a group's slot, and 07:00 has function in use");
    refused(s, "relocate ua-net0 06:00.3", "relocate: slot 06:00 holds the group ua-gpu (.0), ua-audio (.1), and only host devices share a slot with a group");
    refused(s, "relocate ua-net0 06:00.1", "Attempted double use of PCI Address 0000:06:00.1");
    session_free(s);
}

static void test_new_bus(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    int before = tu_pci_controllers(s->topo);
    ok(run(s, "relocate ua-net0 12:00.0", &e, note, sizeof note), "q35: to bus 12, which has no controller");
    is_int(tu_pci_controllers(s->topo), before + 3, "libvirt's three root ports (indexes 16-18) are added");
    has_str(note, "; adds pcie-root-port index 16 at 00:03.2, pcie-root-port index 17 at 00:03.3, pcie-root-port index 18 at 00:03.4",
            "and the note names them, as add's does");
    ok(!strstr(note, "no controller"), "check's note about the missing bus is not repeated");
    is_int(check_errors(s), 0, "check finds nothing wrong");
    session_free(s);

    s = open_case(PC);
    ok(run(s, "relocate ua-net0 02:01.0", &e, note, sizeof note), "pc: to bus 02");
    has_str(note, "adds pci-bridge index 2 at 00:04.0", "a pci-bridge is added, in the slot the NIC left");
    session_free(s);

    s = open_case(PSERIES);
    ok(run(s, "relocate ua-net0 02:01.0", &e, note, sizeof note), "pseries: to bus 02");
    has_str(note, "adds pci-root index 2 (PHB 2)", "a PHB is added");
    session_free(s);
}

static void test_connection_kinds(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    /* libvirt takes any endpoint on an endpoint bus when the address is
     * written: a PCIe device on a legacy bridge, a PCI one on a port */
    ok(run(s, "relocate ua-net0 0b:05.0", &e, note, sizeof note), "a PCIe endpoint onto the pcie-to-pci-bridge");
    ok(run(s, "relocate ua-e1000 07:00.0", &e, note, sizeof note), "a legacy PCI endpoint onto a root port");
    is_int(check_errors(s), 0, "check finds nothing wrong");
    refused(s, "relocate ua-e1000 0c:07.0", "cannot be plugged into the PCI controller with index='12'. It requires a controller that accepts a standard PCI device.");
    session_free(s);
}

static void test_group(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    ok(run(s, "relocate 06:00 07:00", &e, note, sizeof note), "q35: the group at 06:00 to 07:00");
    is_str(note, "moved the group ua-gpu (.0), ua-audio (.1) from 06:00 to 07:00 [hotplug]; the guest will see its functions at a new address",
           "the note names the members");
    is_str(addr_of(s, "ua-gpu"), "07:00.0", "function 0 stays function 0");
    is_str(addr_of(s, "ua-audio"), "07:00.1", "function 1 stays function 1");
    xmlNodePtr a = xml_child(topology_find_alias(s->topo, "ua-gpu")->node, "address");
    is_str(xml_attr(a, "multifunction"), "on", "function 0 keeps multifunction='on'");
    ok(run(s, "relocate 07:00 12:00", &e, note, sizeof note), "then to a bus that does not exist yet");
    has_str(note, "adds pcie-root-port index 16", "with the root ports libvirt adds");
    refused(s, "relocate 12:00 05:00", "Attempted double use of PCI Address 0000:05:00.0");
    session_free(s);
}

static void test_auto(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    ok(run(s, "set-pref ua-net0 hotplug=no; relocate ua-net0 auto", &e, note, sizeof note),
       "q35: hotplug=no, then auto");
    is_str(addr_of(s, "ua-net0"), "00:04.0", "the NIC goes on the root complex, no port");
    has_str(note, "moved interface virtio ua-net0 from 02:00.0 to 00:04.0; the guest will see it at a new address",
            "the note says so");
    session_free(s);

    s = example();
    ok(run(s, "set-pref 01:00.0 bus=pci; relocate ua-net0 auto", &e, note, sizeof note),
       "example: bus=pci, then auto");
    const struct device *dv = topology_find_alias(s->topo, "ua-net0");
    const struct bus *b = dv ? topology_bus(s->topo, dv->addr.bus) : NULL;
    ok(b && b->model && strcmp(b->model->name, "pcie-to-pci-bridge") == 0,
       "the NIC is behind a pcie-to-pci-bridge (%s)", addr_of(s, "ua-net0"));
    has_str(note, "adds pcie-root-port index 8 at 00:02.7, pcie-to-pci-bridge index 9 at 01:00.0",
            "which is added, and named");
    session_free(s);

    /* without a preference, auto gives back the slot libvirt gave */
    s = open_case(Q35);
    char *before = tu_bytes(s);
    ok(run(s, "relocate ua-net0 auto", &e, note, sizeof note), "auto without preferences");
    is_str(note, "interface virtio ua-net0 stays at 02:00.0: placement chooses the slot it has; nothing changed",
           "stays where it is");
    char *after = tu_bytes(s);
    ok(strcmp(before, after) == 0 && !s->modified, "the document is unchanged, to the byte, and not modified");
    ok(!session_undo_label(s), "and there is nothing to undo");
    free(before);
    free(after);
    session_free(s);
}

static void test_undo_and_noop(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    char *before = tu_bytes(s);
    ok(run(s, "relocate ua-net0 12:00.0", &e, note, sizeof note), "a move that adds controllers");
    is_str(session_undo_label(s), "relocate ua-net0 12:00.0", "is one undo step");
    ok(run(s, "undo", &e, NULL, 0), "undo");
    char *back = tu_bytes(s);
    ok(strcmp(before, back) == 0, "gives the document back, to the byte");
    ok(!s->modified, "unmodified");
    is_str(addr_of(s, "ua-net0"), "02:00.0", "the NIC is back at 02:00.0");
    ok(run(s, "redo", &e, NULL, 0) && strcmp(addr_of(s, "ua-net0"), "12:00.0") == 0, "redo moves it again");
    free(back);

    struct session *t = open_case(Q35);
    ok(run(t, "relocate ua-net0 02:00", &e, note, sizeof note), "a move to where it is");
    is_str(note, "interface virtio ua-net0 is already at 02:00.0; nothing changed", "says nothing changed");
    ok(!t->modified && !session_undo_label(t), "and is no change at all");
    ok(run(t, "relocate 06:00 06:00", &e, note, sizeof note), "a group to its own slot");
    has_str(note, "is already at 06:00; nothing changed", "the same");
    free(before);
    session_free(t);
    session_free(s);
}

static void test_controller_move(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    ok(run(s, "relocate 00:02.7 00:06.0", &e, note, sizeof note), "the root port of bus 09 to 00:06.0");
    is_str(addr_of(s, "ua-rng0"), "09:00.0", "the device behind it keeps its bus index, so it follows");
    is_int(check_errors(s), 0, "check finds nothing wrong");
    /* function 0 of a multifunction slot: the others lose their head */
    ok(run(s, "relocate 00:02.0 00:07.0", &e, note, sizeof note), "the root port at 00:02.0 to 00:07.0");
    has_str(note, "slot 00:02 keeps functions 1-6 without a function 0", "the note says the slot lost its function 0");
    ok(run(s, "relocate 00:02.1 00:02.0", &e, note, sizeof note), "another port takes 00:02.0");
    xmlNodePtr a = NULL;
    for (size_t i = 0; i < s->topo->ndevs; i++)
        if (s->topo->devs[i].addr_state == ADDR_PCI && s->topo->devs[i].addr.bus == 0
            && s->topo->devs[i].addr.slot == 2 && s->topo->devs[i].addr.function == 0)
            a = xml_child(s->topo->devs[i].node, "address");
    is_str(xml_attr(a, "multifunction"), "on", "and gets multifunction='on', the slot being shared");
    session_free(s);
}

/* ------------------------------------------------------------------ */
/* Targets */

/* relocate_run of dv (or the group at g's slot when dv is NULL) to
 * bus:slot on a copy of s. */
static bool try_move(const struct session *s, const struct relocate_request *base, unsigned bus,
                     unsigned slot, struct err *e)
{
    static struct session *c;
    if (!s) {
        session_free(c);
        c = NULL;
        return false;
    }
    struct relocate_request r = *base;
    r.automatic = false;
    r.bus = bus;
    r.slot = slot;
    r.function = 0;
    struct relocate_report rep;
    /* one copy (c) for every move tried, across subjects and documents:
     * each preview starts from the copy put back (session_reset_copy) */
    bool moved = relocate_preview(s, &r, &c, &rep, e) && rep.changed;
    relocate_report_free(&rep);
    return moved;
}

struct target_stats {
    int subjects, listed, listed_ok, unlisted, unlisted_refused;
};

/* For one subject: every listed target succeeds; every tenth unlisted
 * slot of an existing bus (and every unlisted slot of its own bus) fails. */
static void check_subject(const struct session *s, const struct relocate_request *r, const char *name,
                          struct target_stats *st)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct relocate_targets tg;
    if (!relocate_targets(s, r, &tg, &e)) {
        /* cannot move at all: a move anywhere is refused with the same words */
        struct err why ERR_SCOPE = ERR_INIT;
        if (try_move(s, r, 0, 0x1e, &why) || strcmp(why.msg, e.msg) != 0)
            ok(0, "%s: %s cannot move (%s), and relocate says so: %s", name, r->dv ? device_label(r->dv) : "group",
               e.msg, why.msg);
        return;
    }
    st->subjects++;
    unsigned k = 0;
    for (unsigned b = 0; b < PCI_BUSES; b++) {
        if (!s->topo->buses[b])
            continue;
        for (unsigned slot = 0; slot < PCI_SLOTS; slot++) {
            struct err why ERR_SCOPE = ERR_INIT;
            bool listed = tg.slots[b] & (1u << slot);
            bool current = r->dv ? r->dv->addr_state == ADDR_PCI && r->dv->addr.bus == b && r->dv->addr.slot == slot
                                 : r->g.bus == b && r->g.slot == slot;
            if (listed) {
                st->listed++;
                if (try_move(s, r, b, slot, &why))
                    st->listed_ok++;
                else
                    ok(0, "%s: %s to listed %02x:%02x succeeds: %s", name,
                       r->dv ? device_label(r->dv) : "group", b, slot, why.msg);
            } else if (!current && (b == 0 || k++ % 10 == 0)) {
                st->unlisted++;
                if (!try_move(s, r, b, slot, &why))
                    st->unlisted_refused++;
                else
                    ok(0, "%s: %s to unlisted %02x:%02x fails", name, r->dv ? device_label(r->dv) : "group", b, slot);
            }
        }
    }
}

static void check_targets_in(struct session *s, const char *stem);

static void check_targets_of(const char *set, const char *stem)
{
    struct session *s = tu_open_golden(set, stem);
    if (ok(s, "%s/%s opens", set, stem))
        check_targets_in(s, stem);
}

/* The same on a real-world domain of tests/data/realworld. */
static void check_targets_of_realworld(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/realworld/%s.xml", tu_datadir(), name);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_file(path, &e);
    if (ok(s, "%s opens", name))
        check_targets_in(s, name);
    else
        diag("%s", e.msg);
}

static void check_targets_in(struct session *s, const char *stem)
{
    struct target_stats st = { 0, 0, 0, 0, 0 };
    for (size_t i = 0; i < s->topo->ndevs; i++) {
        struct relocate_request r;
        memset(&r, 0, sizeof r);
        r.dv = &s->topo->devs[i];
        struct group g;
        if (group_of(s->topo, r.dv, &g)) {
            if (g.fn[r.dv->addr.function] != r.dv || r.dv->addr.function != 0)
                continue;
            r.dv = NULL;
            r.g = g;
        }
        check_subject(s, &r, stem, &st);
    }
    ok(st.listed > 0 && st.listed_ok == st.listed, "%s: all %d targets listed for %d devices succeed",
       stem, st.listed, st.subjects);
    ok(st.unlisted > 0 && st.unlisted_refused == st.unlisted, "%s: the %d unlisted slots tried fail",
       stem, st.unlisted);
    session_free(s);
}

static void test_targets(void)
{
    check_targets_of("relocate", Q35);
    check_targets_of("relocate", PC);
    check_targets_of("relocate", VIRT);
    check_targets_of("relocate", PSERIES);
    /* expander buses and their busNr (the q35 base has the rest: a
     * bridge, a switch, a group, empty ports) */
    check_targets_of_realworld("libvirt-rhel91-numa-pxb");

    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    struct relocate_request r;
    struct relocate_targets tg;
    ok(relocate_parse(s, "ua-net0", "auto", &r, &e) && relocate_targets(s, &r, &tg, &e),
       "targets of ua-net0 (named with auto)");
    ok(tg.slots[7] & 1u, "the empty root port 07 is one");
    ok(!(tg.slots[2] & 1u), "its own slot is not");
    ok(!(tg.slots[5] & 1u), "a taken one is not");
    ok(tg.slots[0] & (1u << 5), "a free slot of the root complex is");
    ok(!(tg.slots[0] & (1u << 0x1f)), "the chipset's is not");
    ok(relocate_parse(s, "00:02.5", "auto", &r, &e) && relocate_targets(s, &r, &tg, &e),
       "targets of the root port 00:02.5");
    ok(!tg.slots[7] && !tg.slots[0x0e] && (tg.slots[0] & (1u << 5)),
       "root-complex slots only: not its own bus, not a downstream port");
    ok(relocate_parse(s, "00:1f.2", "auto", &r, &e) && !relocate_targets(s, &r, &tg, &e) && tg.n == 0,
       "none for q35's SATA controller");
    has_str(e.msg, "Primary SATA controller must have PCI address 0:0:1f.2", "  libvirt's words say why");
    session_free(s);
}

static void test_preview_and_words(void)
{
    struct session *s = open_case(Q35);
    struct err e ERR_SCOPE = ERR_INIT;
    struct relocate_request r;
    struct relocate_report rep;
    char *before = tu_bytes(s);
    ok(relocate_parse(s, "ua-net0", "12:00", &r, &e), "parse relocate ua-net0 12:00");
    struct session *c = NULL;
    ok(relocate_preview(s, &r, &c, &rep, &e) && rep.changed && rep.to.bus == 0x12 && rep.nadded == 3,
       "the preview: 12:00.0, three root ports");
    char *after = tu_bytes(s);
    ok(strcmp(before, after) == 0 && !s->modified, "the session itself is untouched");
    const struct device *moved = c ? topology_find_node(c->topo, c->last_added) : NULL;
    ok(moved && moved->alias && strcmp(moved->alias, "ua-net0") == 0, "the copy's last_added is the moved device");
    struct strbuf sb = STRBUF_INIT;
    relocate_report_line(&rep, &sb);
    has_str(sb.buf, "moved interface virtio ua-net0 from 02:00.0 to 12:00.0", "its report line");
    sb_free(&sb);
    relocate_report_free(&rep);
    ok(relocate_parse(s, "ua-net0", "05:00", &r, &e), "parse a move to a taken slot");
    err_clear(&e);
    ok(!relocate_preview(s, &r, &c, &rep, &e), "no preview of a refused move");
    session_free(c);
    has_str(e.msg, "Attempted double use", "  the refusal says why");
    relocate_report_free(&rep);
    err_clear(&e);

    char *w;
    ok(relocate_parse(s, "06:00", "07:00", &r, &e), "parse a group");
    is_str(w = relocate_subject_word_new(s->topo, &r), "06:00", "a group's word is its slot");
    free(w);
    ok(relocate_parse(s, "00:02.5", "07:00", &r, &e), "parse a port by address");
    is_str(w = relocate_subject_word_new(s->topo, &r), "00:02.5", "a device without alias: its address");
    free(w);
    ok(relocate_parse(s, "ua-net0", "07:00", &r, &e), "parse by alias");
    is_str(w = relocate_subject_word_new(s->topo, &r), "ua-net0", "with one: its alias");
    free(w);
    free(before);
    free(after);
    session_free(s);
}

static void test_complete(void)
{
    struct session *s = open_case(Q35);
    struct completion *c = complete_line("relocate ua-n", 13, s);
    ok(c->n == 1 && strcmp(c->words[0], "ua-net0") == 0, "Tab completes relocate's device");
    completion_free(c);
    c = complete_line("relocate ua-net0 ", 17, s);
    bool has_auto = false, has_07 = false, has_05 = false;
    for (size_t i = 0; i < c->n; i++) {
        has_auto |= strcmp(c->words[i], "auto") == 0;
        has_07 |= strcmp(c->words[i], "07:00") == 0;
        has_05 |= strcmp(c->words[i], "05:00") == 0;
    }
    ok(has_auto && has_07 && !has_05, "then auto and the free slots it can go to, not a taken one");
    completion_free(c);
    session_free(s);
}

static void test_help(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    char out[4096];
    ok(tu_run(NULL, "help relocate", &e, out, sizeof out), "help relocate");
    has_str(out, "usage: relocate ALIAS|BB:SS.F|BB:SS BB:SS[.F]|auto", "gives the usage");
    has_str(out, "BB:SS for function 0 of that slot", "and says what BB:SS means");
    struct session *s = open_case(Q35);
    refused(s, "relocate ua-net0", "relocate: to where?");
    refused(s, "relocate", "relocate: which device?");
    session_free(s);
}

int main(void)
{
    test_free_slot();
    test_refusals_libvirt();
    test_refusals_own();
    test_problems_before();
    test_group_slots();
    test_new_bus();
    test_connection_kinds();
    test_group();
    test_auto();
    test_undo_and_noop();
    test_controller_move();
    test_targets();
    test_preview_and_words();
    test_complete();
    test_help();
    try_move(NULL, NULL, 0, 0, NULL);   /* frees its copy */
    return tap_done();
}
