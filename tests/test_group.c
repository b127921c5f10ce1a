/* Groups: host devices as the functions of one slot — the rules group
 * enforces (each with its message, the document untouched when refused),
 * what it writes, ungroup, deleting as one unit, mode live, the tree, and
 * the hot-plug material of hotplug-xml.  The golden cases of
 * tests/golden/group (checked against libvirt and QEMU by group.sh) are
 * the inputs. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "complete.h"
#include "explain.h"
#include "group.h"
#include "hotplug.h"
#include "tap.h"
#include "testutil.h"
#include "tree.h"
#include "xmlutil.h"

static struct session *open_case(const char *stem)
{
    return tu_open_golden("group", stem);
}

/* A session on text that must load. */
static struct session *open_text(const char *text)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_open_text(text, &e);
    if (!s)
        diag("%s", e.msg);
    return s;
}

static const struct device *host_dev(const struct topology *t, const char *host)
{
    for (size_t i = 0; i < t->ndevs; i++) {
        xmlNodePtr a = xml_child(xml_child(t->devs[i].node, "source"), "address");
        unsigned long b, sl, f;
        char h[32];
        if (!a || !parse_uint(xml_attr(a, "bus"), 255, &b) || !parse_uint(xml_attr(a, "slot"), 31, &sl)
            || !parse_uint(xml_attr(a, "function"), 7, &f))
            continue;
        snprintf(h, sizeof h, "%02lx:%02lx.%lx", b, sl, f);
        if (strcmp(h, host) == 0)
            return &t->devs[i];
    }
    return NULL;
}

/* Runs line and expects it to fail with a message containing want and
 * the document unchanged. */
static void refused(struct session *s, const char *line, const char *want)
{
    char *before = tu_bytes(s);
    struct err e ERR_SCOPE = ERR_INIT;
    ok(!tu_run(s, line, &e, NULL, 0), "'%s' is refused", line);
    has_str(e.msg, want, "  with: %s", want);
    char *after = tu_bytes(s);
    ok(strcmp(before, after) == 0, "  and the document is unchanged");
    free(before);
    free(after);
}

static void test_fresh_group(void)
{
    struct session *s = open_case("01-q35-gpu-audio");
    if (!ok(s, "01-q35-gpu-audio opens"))
        return;
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    ok(tu_run(s, "group 0000:65:00", &e, note, sizeof note), "group by host card: %s", e.msg);
    const struct device *gpu = host_dev(s->topo, "65:00.0"), *audio = host_dev(s->topo, "65:00.1");
    ok(gpu && audio && gpu->addr_state == ADDR_PCI && audio->addr_state == ADDR_PCI,
       "both functions have an address");
    if (!gpu || !audio)
        goto out;
    ok(gpu->addr.bus == audio->addr.bus && gpu->addr.slot == audio->addr.slot, "in one slot");
    is_int(gpu->addr.function, 0, "host function 0 is guest function 0");
    is_int(audio->addr.function, 1, "host function 1 is guest function 1");
    is_int(gpu->addr.multifunction, 1, "function 0 says multifunction='on'");
    is_int(audio->addr.multifunction, -1, "function 1 says nothing");
    const struct bus *b = topology_bus(s->topo, gpu->addr.bus);
    is_str(b && b->model ? b->model->name : "", "pcie-root-port", "on q35: a root port of its own");
    ok(b && b->hotplug, "which hot-plugs");
    ok(gpu->alias && audio->alias && strncmp(gpu->alias, "ua-", 3) == 0, "members got user aliases");
    has_str(note, "gave alias", "the note says so");
    struct group g;
    ok(group_of(s->topo, audio, &g) && g.n == 2, "group_of finds the group of 2");
    ok(group_find(s->topo, "t", "0000:65:00.1", &g, &e), "a group is found by a host address");
    char slot[8];
    snprintf(slot, sizeof slot, "%02x:%02x", gpu->addr.bus, gpu->addr.slot);
    char *before = tu_bytes(s);
    char line[64];
    snprintf(line, sizeof line, "group %s", slot);
    ok(tu_run(s, line, &e, NULL, 0), "grouping the group again works");
    char *after = tu_bytes(s);
    ok(strcmp(before, after) == 0, "and changes nothing");
    free(before);
    free(after);
out:
    session_free(s);
}

static void test_rules(void)
{
    struct session *s = open_case("05-q35-eight-functions");
    if (!ok(s, "05-q35-eight-functions opens"))
        return;
    refused(s, "group 0000:81:00.1 0000:81:00.2",
            "function 0 must be present: the members come from host device 0000:81:00");
    refused(s, "group 0000:81:00.1", "a group is two or more host devices");
    refused(s, "group 0000:81:00.0 0000:81:00.0", "is named twice");
    refused(s, "group 0000:99:00", "no host device passes 0000:99:00 through");
    struct err e ERR_SCOPE = ERR_INIT;
    ok(tu_run(s, "place", &e, NULL, 0), "place: %s", e.msg);
    refused(s, "group 0000:81:00.0 0000:81:00.1 01:00.0", "is not a PCI host device");
    refused(s, "group 0000:81:00.0 0000:81:00.1 at=01:00", "no other device may share the slot");
    refused(s, "group 0000:81:00.0 0000:81:00.1 at=00:1f", "belongs to the chipset");
    refused(s, "group 0000:81:00.0 0000:81:00.1 at=00:01", "no other device may share the slot");
    refused(s, "group 0000:81:00.0 0000:81:00.1 at=7f:00", "there is no bus 7f");
    refused(s, "group 0000:81:00.0 0000:81:00.1 at=zz", "at= takes a slot BB:SS");
    session_free(s);

    /* nine host devices: one too many for a slot */
    struct strbuf x = STRBUF_INIT;
    sb_puts(&x, "<domain type='kvm'><name>nine</name><memory>1</memory><os><type machine='q35'>hvm</type></os><devices>");
    for (int i = 0; i < 9; i++)
        sb_printf(&x, "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0x%x' slot='0' function='0'/></source><alias name='ua-h%d'/></hostdev>",
                  0x40 + i, i);
    sb_puts(&x, "</devices></domain>");
    s = open_text(x.buf);
    sb_free(&x);
    if (s)
        refused(s, "group ua-h0 ua-h1 ua-h2 ua-h3 ua-h4 ua-h5 ua-h6 ua-h7 ua-h8",
                "a slot has 8 functions");
    session_free(s);
}

static void test_move_and_delete(void)
{
    struct session *s = open_case("02-q35-nic-ports-placed");
    if (!ok(s, "02-q35-nic-ports-placed opens"))
        return;
    int ctrls = tu_pci_controllers(s->topo);
    const struct device *f0 = host_dev(s->topo, "3b:00.0");
    struct pci_addr zero = f0 ? f0->addr : (struct pci_addr){ 0, 0, 0, 0, -1 };
    struct err e ERR_SCOPE = ERR_INIT;
    char note[1024];
    ok(tu_run(s, "group 0000:3b:00", &e, note, sizeof note), "group placed ports: %s", e.msg);
    f0 = host_dev(s->topo, "3b:00.0");
    ok(f0 && f0->addr.bus == zero.bus && f0->addr.slot == zero.slot,
       "the card's function 0 stays where it was");
    const struct device *f3 = host_dev(s->topo, "3b:00.3");
    ok(f3 && f3->addr.bus == zero.bus && f3->addr.function == 3, "function 3 joins it as .3");
    has_str(note, "moved ua-hostdev3 from 07:00.0 to 04:00.3", "the note says what moved");
    has_str(note, "left empty (and kept): bus 05, 06, 07", "and which ports it left empty");
    is_int(tu_pci_controllers(s->topo), ctrls, "no controller is added or removed");

    char *grouped = tu_bytes(s);
    refused(s, "delete ua-hostdev2", "a group is deleted as one unit: 'delete 04:00'");
    ok(tu_run(s, "delete 04:00", &e, note, sizeof note), "delete 04:00: %s", e.msg);
    has_str(note, "deleted the group at 04:00", "deletes the group");
    ok(!host_dev(s->topo, "3b:00.0") && !host_dev(s->topo, "3b:00.3"), "every function is gone");
    is_int(tu_pci_controllers(s->topo), ctrls, "its root port stays");
    ok(tu_run(s, "undo", &e, NULL, 0), "undo");
    char *back = tu_bytes(s);
    ok(strcmp(grouped, back) == 0, "undo brings the group back byte for byte");
    free(back);

    ok(tu_run(s, "group 04:00 at=09:00", &e, note, sizeof note), "the group moves as a unit: %s", e.msg);
    int at9 = 0;
    for (int f = 0; f < 4; f++) {
        char h[16];
        snprintf(h, sizeof h, "3b:00.%d", f);
        const struct device *d = host_dev(s->topo, h);
        at9 += d && d->addr.bus == 9 && d->addr.slot == 0 && d->addr.function == (unsigned)f;
    }
    is_int(at9, 4, "all four functions are at 09:00, each with its function");
    has_str(note, "left empty (and kept): bus 04", "and the port it left stays");
    ok(tu_run(s, "undo", &e, NULL, 0), "undo");

    ok(tu_run(s, "ungroup ua-hostdev1", &e, note, sizeof note), "ungroup: %s", e.msg);
    f0 = host_dev(s->topo, "3b:00.0");
    ok(f0 && f0->addr.bus == zero.bus && f0->addr.function == 0 && f0->addr.multifunction == -1,
       "function 0 stays, without multifunction");
    struct group g;
    ok(f0 && !group_of(s->topo, f0, &g), "and is alone");
    for (int f = 1; f < 4; f++) {
        char h[16];
        snprintf(h, sizeof h, "3b:00.%d", f);
        const struct device *d = host_dev(s->topo, h);
        ok(d && d->addr_state == ADDR_PCI && d->addr.function == 0 && d->addr.bus != zero.bus,
           "function %d has a slot of its own", f);
    }
    has_str(note, "ungrouped 04:00:", "the note says where they went");
    refused(s, "ungroup ua-hostdev1", "is alone in slot");
    free(grouped);
    session_free(s);
}

static void test_order_and_kinds(void)
{
    struct session *s = open_case("03-q35-two-cards-in-order");
    if (!ok(s, "03-q35-two-cards-in-order opens"))
        return;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(tu_run(s, "group ua-nvme ua-gpu ua-vf", &e, NULL, 0), "group three host cards: %s", e.msg);
    const struct device *nvme = topology_find_alias(s->topo, "ua-nvme");
    const struct device *gpu = topology_find_alias(s->topo, "ua-gpu");
    const struct device *vf = topology_find_alias(s->topo, "ua-vf");
    ok(nvme && gpu && vf, "all three are there");
    if (nvme && gpu && vf) {
        is_int(nvme->addr.function, 0, "the first named is function 0");
        is_int(gpu->addr.function, 1, "the second function 1");
        is_int(vf->addr.function, 2, "an <interface type='hostdev'> function 2");
    }
    session_free(s);
}

static void test_live(void)
{
    struct session *s = open_case("01-q35-gpu-audio");
    if (!ok(s, "live: 01-q35-gpu-audio opens"))
        return;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(tu_run(s, "place; mode live", &e, NULL, 0), "placed, mode live: %s", e.msg);
    refused(s, "group 0000:65:00", "is in the running guest at");
    refused(s, "ungroup 0000:65:00.0", "is alone in slot");
    session_free(s);

    /* the group is for the running guest: it takes the spare root port
     * and nothing else, and is refused when there is none */
    static const char *const live_xml =
        "<domain type='kvm'><name>l</name><memory>1</memory><os><type machine='q35'>hvm</type></os><devices>"
        "<controller type='pci' index='0' model='pcie-root'/>%s"
        "<controller type='sata' index='0'><address type='pci' domain='0' bus='0' slot='0x1f' function='2'/></controller>"
        "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0x65' slot='0' function='0'/></source></hostdev>"
        "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0x65' slot='0' function='1'/></source></hostdev>"
        "<memballoon model='none'/><controller type='usb' model='none'/>"
        "</devices></domain>";
    char text[2048];
    snprintf(text, sizeof text, live_xml,
             "<controller type='pci' index='1' model='pcie-root-port'><address type='pci' bus='0' slot='2' function='0'/></controller>");
    s = open_text(text);
    if (!s)
        return;
    int ctrls = tu_pci_controllers(s->topo);
    ok(tu_run(s, "mode live; group 0000:65:00", &e, NULL, 0), "live group into the spare port: %s", e.msg);
    const struct device *f1 = host_dev(s->topo, "65:00.1");
    ok(f1 && f1->addr.bus == 1 && f1->addr.function == 1, "both functions on bus 01");
    is_int(tu_pci_controllers(s->topo), ctrls, "nothing added");
    refused(s, "ungroup 01:00", "mode live: QEMU unplugs a multifunction slot only as a whole");
    session_free(s);
    snprintf(text, sizeof text, live_xml, "");
    s = open_text(text);
    if (s) {
        tu_run(s, "mode live", &e, NULL, 0);
        refused(s, "group 0000:65:00", "mode live: no empty hot-pluggable slot takes the group");
    }
    session_free(s);
}

/* The group's slot takes hot-plugs unless the policy wants integrated
 * devices: pc without ACPI gets a pci-bridge, policy minimal the root bus. */
static void test_hotplug_slot_choice(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/group/04-pc-gpu-audio.xml", tu_srcdir());
    char *text = tu_read(path, NULL);
    if (!ok(text, "04-pc-gpu-audio reads"))
        return;
    char *acpi = strstr(text, "<acpi/>");
    if (acpi)
        memset(acpi, ' ', strlen("<acpi/>"));
    struct session *s = open_text(text);
    free(text);
    if (!s)
        return;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(tu_run(s, "group 0000:65:00", &e, NULL, 0), "pc without ACPI: %s", e.msg);
    const struct device *f0 = host_dev(s->topo, "65:00.0");
    const struct bus *b = f0 ? topology_bus(s->topo, f0->addr.bus) : NULL;
    is_str(b && b->model ? b->model->name : "", "pci-bridge", "the group goes behind a pci-bridge");
    ok(b && b->hotplug, "whose slots hot-plug (pci-root's do not without ACPI)");
    ok(tu_run(s, "undo; policy minimal; group 0000:65:00", &e, NULL, 0), "policy minimal: %s", e.msg);
    f0 = host_dev(s->topo, "65:00.0");
    is_int(f0 ? (long)f0->addr.bus : -1, 0, "the group is integrated on the root bus");
    session_free(s);
}

static void test_tree(void)
{
    struct session *s = open_case("04-pc-gpu-audio");
    if (!ok(s, "04-pc-gpu-audio opens"))
        return;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(tu_run(s, "group 0000:65:00", &e, NULL, 0), "group on pc: %s", e.msg);
    struct tree *tr = tree_new(s->topo);
    size_t slot_line = 0;
    for (size_t i = 0; i < tr->n; i++)
        if (tr->lines[i].role == ROLE_SLOT)
            slot_line = i;
    ok(slot_line > 0, "the tree has a slot line");
    if (slot_line) {
        const struct tree_line *l = &tr->lines[slot_line];
        has_str(l->text, "group of 2 host functions  [hotplug]", "it says what the slot is");
        ok(slot_line + 2 < tr->n && tr->lines[slot_line + 1].depth == l->depth + 1
           && tr->lines[slot_line + 2].depth == l->depth + 1, "its functions are beneath it");
        ok(tr->lines[slot_line + 2].last, "the last function closes the slot");
        ok(!strstr(tr->lines[slot_line + 1].text, "[hotplug]"),
           "functions do not claim to hot-plug on their own");
    }
    int chipset_slot_lines = 0;
    for (size_t i = 0; i < tr->n; i++)
        chipset_slot_lines += tr->lines[i].role == ROLE_SLOT && strstr(tr->lines[i].text, "00:01");
    is_int(chipset_slot_lines, 0, "the chipset's slot 00:01 is not drawn as a group");
    tree_free(tr);
    session_free(s);
}

static const struct hotplug_file *file_named(const struct hotplug_set *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->files[i].name, name) == 0)
            return &h->files[i];
    return NULL;
}

static void test_hotplug_xml(void)
{
    struct session *s = open_case("05-q35-eight-functions");
    if (!ok(s, "hotplug-xml: 05-q35-eight-functions opens"))
        return;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(tu_run(s, "group 0000:81:00", &e, NULL, 0), "group 8 functions: %s", e.msg);
    struct group g;
    ok(group_find(s->topo, "t", "0000:81:00.0", &g, &e), "found: %s", e.msg);
    struct hotplug_set *h = hotplug_set_new(s, &g, NULL, &e);
    if (!ok(h, "the set is made: %s", e.msg))
        goto out;
    is_str(h->files[0].name, "devices.xml", "first the <devices> document");
    is_str(h->files[1].name, "attach-1-fn1-ua-hostdev1.xml", "then function 1");
    is_str(h->files[8].name, "attach-8-fn0-ua-hostdev0.xml", "function 0 last");
    const struct hotplug_file *devs = file_named(h, "devices.xml");
    ok(devs && strncmp(devs->text, "<devices>\n  <hostdev mode='subsystem'", 37) == 0,
       "devices.xml holds the elements as the document spells them");
    ok(devs && strstr(devs->text, "function='0x0' multifunction='on'")
       < strstr(devs->text, "function='0x1'/>"), "function 0 first in it");
    const struct hotplug_file *hmp = file_named(h, "hotplug.hmp");
    char bus[16];
    snprintf(bus, sizeof bus, "bus=pci.%u", g.bus);
    ok(hmp && strstr(hmp->text, bus), "the monitor script uses libvirt's bus name %s", bus);
    static const char first[] = "device_add vfio-pci,host=0000:81:00.1,id=ua-hostdev1,";
    ok(hmp && strncmp(hmp->text, first, strlen(first)) == 0,
       "it plugs function 1 first");
    const char *last = hmp ? strstr(hmp->text, "device_add vfio-pci,host=0000:81:00.0") : NULL;
    ok(last && strstr(last, ",multifunction=on\n") && !strchr(strchr(last, '\n') + 1, 'd'),
       "and function 0 last, with multifunction=on");
    is_str(file_named(h, "unplug.hmp") ? file_named(h, "unplug.hmp")->text : NULL,
           "device_del ua-hostdev0\n", "x86: unplugging function 0 unplugs the slot");
    has_str(hotplug_set_plan(h), "removes the whole slot: all 8 functions", "the plan says so");
    has_str(hotplug_set_plan(h), "virsh nodedev-detach pci_0000_81_00_7\n",
            "and how to hand each host function to vfio-pci first");
    hotplug_set_free(h);

    /* pseries: the sequence follows the domain's machine */
    struct session *ps = open_case("07-pseries-four-functions");
    struct group pg;
    ok(ps && tu_run(ps, "group 0000:3b:00", &e, NULL, 0), "pseries: group 4 functions: %s", e.msg);
    ok(ps && group_find(ps->topo, "t", "0000:3b:00.0", &pg, &e), "found: %s", e.msg);
    h = ps ? hotplug_set_new(ps, &pg, "virtio-net-pci", &e) : NULL;
    const struct hotplug_file *un = h ? file_named(h, "unplug.hmp") : NULL;
    ok(un && strncmp(un->text, "device_del ua-hostdev1\n", strlen("device_del ua-hostdev1\n")) == 0
       && strstr(un->text, "device_del ua-hostdev3\ndevice_del ua-hostdev0\n"),
       "pseries: the other functions first, then function 0");
    ok(ps && !tu_run(ps, "hotplug-xml 0000:3b:00 --arch x86", &e, NULL, 0)
       && strstr(e.msg, "the domain is a ppc64 pseries guest"), "--arch x86 on a pseries domain is refused: %s", e.msg);
    err_clear(&e);
    hmp = h ? file_named(h, "hotplug.hmp") : NULL;
    ok(hmp && strncmp(hmp->text, "device_add virtio-net-pci,id=ua-hostdev1,",
                      strlen("device_add virtio-net-pci,id=ua-hostdev1,")) == 0,
       "--stand-in replaces vfio-pci");
    has_str(h ? hotplug_set_plan(h) : "", "Hot-unplug (pseries)", "the plan is pseries'");

    const char *dir = tu_tmpdir();
    char *out = tu_path(dir, "hx");
    ok(h && hotplug_set_write(h, out, false, &e), "-o writes the files: %s", e.msg);
    is_int(tu_count_entries(out), 8, "8 files");
    err_clear(&e);
    ok(h && !hotplug_set_write(h, out, false, &e), "writing again is refused");
    has_str(e.msg, "exists; -f overwrites it", "  saying how to overwrite");
    err_clear(&e);
    ok(h && hotplug_set_write(h, out, true, &e), "-f overwrites: %s", e.msg);
    free(out);
    tu_rmtree(dir);
    hotplug_set_free(h);
    session_free(ps);

    static char note[32768];
    ok(tu_run(s, "hotplug-xml 0000:81:00 --arch sparc", &e, NULL, 0) == false,
       "an unknown --arch is refused");
    err_clear(&e);
    ok(tu_run(s, "hotplug-xml 01:00.0", &e, NULL, 0) == false, "a device in no group is refused");
    has_str(e.msg, "is alone in slot", "  saying why");
    err_clear(&e);
    ok(tu_run(s, "hotplug-xml 0000:81:00", &e, note, sizeof note), "the command prints every file");
    has_str(note, "==> attach-8-fn0-ua-hostdev0.xml <==", "  headed by its name");
out:
    session_free(s);
}

static void test_explain_and_completion(void)
{
    struct session *s = open_case("02-q35-nic-ports-placed");
    if (!ok(s, "explain: 02-q35-nic-ports-placed opens"))
        return;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(tu_run(s, "group 0000:3b:00", &e, NULL, 0), "grouped: %s", e.msg);
    char *text = explain_device(s->topo, "ua-hostdev2", &e);
    has_str(text, "Group: it is function 2 of the group at 04:00", "explain names the group");
    has_str(text, "libvirt will not detach one function alone", "and why it goes as a whole");
    has_str(text, "Hot-plug: only with its group, as a whole.", "and that it hot-plugs only with it");
    ok(text && !strstr(text, "can be unplugged and replaced"), "not that it can be unplugged alone");
    free(text);

    static const char line[] = "hotplug-xml 04:00 --a";
    struct completion *c = complete_line(line, strlen(line), s);
    ok(c && c->n == 1 && strcmp(c->words[0], "--arch") == 0, "Tab completes hotplug-xml's --arch");
    completion_free(c);
    static const char line2[] = "group ua-hostdev";
    c = complete_line(line2, strlen(line2), s);
    is_int(c ? c->n : 0, 4, "Tab offers the host devices' aliases to group");
    completion_free(c);
    session_free(s);
}

int main(void)
{
    test_explain_and_completion();
    test_fresh_group();
    test_rules();
    test_move_and_delete();
    test_order_and_kinds();
    test_live();
    test_hotplug_slot_choice();
    test_tree();
    test_hotplug_xml();
    return tap_done();
}
