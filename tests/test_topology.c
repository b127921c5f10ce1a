/* The topology derived from a document: buses by index, slot masks, hotplug,
 * libvirt's reading of addresses, and the errors libvirt's parser gives. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "tap.h"
#include "topology.h"

static struct domain *dom;

static struct topology *topo(const char *xml, struct err *e)
{
    domain_free(dom);
    dom = domain_load_memory(xml, strlen(xml), "t.xml", e);
    return dom ? topology_new(dom, e) : NULL;
}

#define Q35(devs) "<domain type='kvm'><name>t</name><os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os><devices>" devs "</devices></domain>"
#define PC(feat, devs) "<domain type='kvm'><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>" feat "<devices>" devs "</devices></domain>"

static const struct device *find_alias(const struct topology *t, const char *alias)
{
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].alias && strcmp(t->devs[i].alias, alias) == 0)
            return &t->devs[i];
    return NULL;
}

static void test_example(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct topology *t = topo(example_q35_xml, &e);
    ok(t != NULL, "the built-in example derives");
    if (!t)
        return;
    is_int(t->machine, MACH_Q35, "q35 machine");
    is_str(t->machine_name, "pc-q35-7.2", "machine name");
    is_str(t->name, "example-q35", "domain name");
    ok(t->acpi, "ACPI on");
    const struct bus *root = topology_bus(t, 0);
    ok(root && root->model == catalog_ctrl_model("pcie-root", MACH_Q35) && !root->hotplug,
       "bus 0 is pcie-root, no hot-plug");
    ok(root && root->ctrl && root->ctrl->index == 0, "bus 0 has its explicit controller");
    for (unsigned i = 1; i <= 7; i++) {
        const struct bus *b = topology_bus(t, i);
        ok(b && b->model == catalog_ctrl_model("pcie-root-port", MACH_Q35) && b->hotplug,
           "bus %u: a hot-pluggable root port", i);
    }
    ok(topology_bus(t, 8) == NULL, "no bus 8");
    is_int(root->slots[2].used, 0x7f, "slot 2 of the root has functions 0-6 (the 7 root ports)");
    is_int(root->slots[0x1f].used, 0x0d, "slot 1f: LPC (0), SATA (2), SMBus (3)");
    is_int(root->slots[0x1f].chipset, 0x09, "slot 1f: chipset functions 0 and 3");
    is_int(root->slots[0].chipset, 0x01, "slot 0: the host bridge");
    is_int(topology_bus(t, 7)->slots[0].used, 0, "the last root port is empty");
    is_int(topology_bus(t, 1)->slots[0].used, 1, "the NIC sits in the first root port");
    size_t pci = 0;
    for (size_t i = 0; i < t->ndevs; i++)
        pci += t->devs[i].addr_state == ADDR_PCI;
    is_int(pci, 16, "16 devices with a PCI address (7 root ports, 9 others)");
    topology_free(t);
}

static void test_addresses(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct topology *t = topo(Q35(
        "<interface type='network'><model type='virtio'/><alias name='ua-a'/>"
        "<address type='pci' domain='0' bus='0' slot='0' function='1'/></interface>"
        "<interface type='network'><model type='virtio'/><alias name='ua-b'/></interface>"
        "<interface type='network'><model type='e1000'/><alias name='ua-c'/>"
        "<address type='pci' slot='016'/></interface>"
        "<disk type='file'><target dev='sda' bus='sata'/><alias name='ua-d'/>"
        "<address type='drive' controller='0'/></disk>"
        "<interface type='network'><model type='virtio'/><alias name='ua-e'/>"
        "<address type='pci' bus='0x03' slot='0x00' multifunction='on'/></interface>"
        "<gizmo><alias name='ua-f'/><address type='pci' bus='0' slot='5'/></gizmo>"), &e);
    ok(t != NULL, "addresses parse: %s", e.msg);
    if (!t)
        return;
    is_int(find_alias(t, "ua-a")->addr_state, ADDR_UNSET, "00:00.1 means no address to libvirt");
    is_int(find_alias(t, "ua-b")->addr_state, ADDR_NONE, "no <address>: none");
    const struct device *c = find_alias(t, "ua-c");
    ok(c->addr_state == ADDR_PCI && c->addr.slot == 14 && c->addr.bus == 0,
       "slot='016' is octal 14, as libvirt reads it; missing bus= is 0");
    ok(find_alias(t, "ua-d") == NULL, "a SATA disk is not PCI and not listed");
    const struct device *ed = find_alias(t, "ua-e");
    ok(ed->addr_state == ADDR_PCI && ed->addr.multifunction == 1 && topology_bus(t, 3) == NULL,
       "an address on a bus with no controller is kept as it is");
    const struct device *f = find_alias(t, "ua-f");
    ok(f && f->kind == NULL && f->addr_state == ADDR_PCI,
       "an unknown element with a PCI address is listed, not PCI-aware");
    is_int(topology_bus(t, 0)->slots[14].used, 1, "slot 14 of the root is marked used");
    topology_free(t);
}

static void test_controllers(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct topology *t = topo(PC("<features><acpi/></features>",
        "<controller type='pci' index='0' model='pci-root'/>"
        "<controller type='pci' model='pci-bridge'/>"
        "<controller type='pci' index='3' model='pci-expander-bus'>"
        "<target busNr='200'><node>1</node></target></controller>"), &e);
    ok(t != NULL, "pc controllers derive: %s", e.msg);
    if (t) {
        const struct bus *b1 = topology_bus(t, 1);
        ok(b1 && b1->ctrl->index_implicit && b1->model == catalog_ctrl_model("pci-bridge", MACH_PC),
           "an index-less controller gets the lowest free index (1)");
        ok(topology_bus(t, 0)->hotplug, "pci-root hot-plugs with ACPI");
        const struct bus *b3 = topology_bus(t, 3);
        ok(b3 && b3->ctrl->bus_nr == 200 && b3->ctrl->numa_node == 1 && !b3->hotplug,
           "expander: busNr, NUMA node, no hot-plug");
        ok(topology_bus(t, 2) == NULL, "a gap in the indices stays a gap");
        topology_free(t);
    }
    t = topo(PC("", "<controller type='pci' index='1' model='pci-bridge'/>"), &e);
    ok(t && !topology_bus(t, 0)->hotplug, "without ACPI pci-root slots cannot hot-plug");
    ok(t && topology_bus(t, 0)->ctrl == NULL, "an implicit pci-root has no element");
    topology_free(t);
    t = topo(Q35("<controller type='usb' model='ich9-ehci1'/>"
                  "<controller type='usb' model='ich9-uhci1'><master startport='0'/></controller>"
                  "<controller type='usb' model='qemu-xhci'/>"), &e);
    ok(t && t->devs[0].ctrl_index == 0 && t->devs[1].ctrl_index == 0 && t->devs[2].ctrl_index == 1,
       "an index-less USB companion joins its master's index; the next controller gets a new one");
    topology_free(t);
    /* libvirt numbers index-less controllers after reading them all */
    t = topo(Q35("<controller type='usb' model='nec-xhci'/><controller type='usb' index='0' model='qemu-xhci'/>"), &e);
    ok(t && t->devs[0].ctrl_index == 1 && t->devs[1].ctrl_index == 0,
       "an index-less controller takes the lowest index no controller has, written later or not");
    ok(t && t->devs[0].ctrl_order < t->devs[1].ctrl_order,
       "...and keeps the place it was read in: libvirt lists it before index 0");
    topology_free(t);
    t = topo(Q35("<controller type='virtio-serial'/><controller type='virtio-serial' index='0'/>"), &e);
    ok(t && t->devs[0].ctrl_index == 1, "so two virtio-serial controllers, one index-less, do not collide (%s)", e.msg);
    topology_free(t);
    t = topo(Q35("<controller type='usb' index='0' model='ich9-uhci2'/><controller type='usb' model='ich9-uhci3'/>"
                 "<controller type='usb' model='ich9-uhci1'/><controller type='usb' model='ich9-uhci1'/>"), &e);
    ok(t && t->devs[1].ctrl_index == 0 && t->devs[2].ctrl_index == 0,
       "index-less ich9 USB2 controllers join the set just before them");
    ok(t && t->devs[3].ctrl_index == 1, "...but not a set that has their model already");
    topology_free(t);
    t = topo(Q35("<controller type='pci' index='1' model='pcie-root-port'><target hotplug='off'/></controller>"), &e);
    ok(t && !topology_bus(t, 1)->hotplug, "hotplug='off' turns a root port's hot-plug off");
    topology_free(t);
    t = topo("<domain type='kvm'><devices/></domain>", &e);
    ok(t && t->machine == MACH_PC && t->machine_name == NULL, "no machine= means pc");
    topology_free(t);
}

static void refused(const char *what, const char *xml, const char *want)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct topology *t = topo(xml, &e);
    ok(t == NULL, "refused: %s", what);
    has_str(e.msg, want, "message: %s", what);
    topology_free(t);
}

/* What libvirt refuses in one device's address or <target> loads: the
 * device carries libvirt's words (the first thing it meets in the
 * element), and one whose address is the problem takes no slot. */
static void device_problem(const char *what, const char *xml, enum addr_state state,
                           const char *want)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct topology *t = topo(xml, &e);
    ok(t != NULL, "loads: %s (%s)", what, e.msg);
    const struct device *dv = NULL;
    for (size_t i = 0; t && i < t->ndevs && !dv; i++)
        if (t->devs[i].problem)
            dv = &t->devs[i];
    is_str(dv ? dv->problem : NULL, want, "libvirt's words: %s", what);
    is_int(dv ? (long)dv->addr_state : -1, state, "its address: %s", what);
    if (dv && state == ADDR_BAD) {
        unsigned used = 0;
        for (unsigned b = 0; b < PCI_BUSES; b++)
            for (unsigned sl = 0; t->buses[b] && sl < PCI_SLOTS; sl++)
                used += t->buses[b]->slots[sl].used & ~t->buses[b]->slots[sl].chipset;
        is_int(used, 0, "it takes no slot: %s", what);
    }
    topology_free(t);
}

static void test_device_problems(void)
{
    device_problem("bus='zz'", Q35("\n<interface type='network'>\n<address type='pci' bus='zz'/></interface>"), ADDR_BAD,
                   "XML error: Invalid value for attribute 'bus' in element 'address': 'zz'. Expected non-negative integer value");
    device_problem("slot='0x40'", Q35("<interface type='network'><address type='pci' slot='0x40'/></interface>"), ADDR_BAD,
                   "XML error: Invalid PCI address slot='0x40', must be <= 0x1F");
    device_problem("function='8'", Q35("<interface type='network'><address type='pci' slot='3' function='8'/></interface>"),
                   ADDR_BAD, "XML error: Invalid PCI address function=0x8, must be <= 7");
    device_problem("negative bus", Q35("<interface type='network'><address type='pci' bus='-1'/></interface>"), ADDR_BAD,
                   "XML error: Invalid value for attribute 'bus' in element 'address': '-1'. Expected non-negative integer value");
    device_problem("bus 256", Q35("<interface type='network'><address type='pci' bus='256'/></interface>"), ADDR_BAD,
                   "XML error: Invalid PCI address bus='0x100', must be <= 0xFF");
    device_problem("domain 1", Q35("<interface type='network'><address type='pci' domain='1' slot='3'/></interface>"),
                   ADDR_BAD, "XML error: Invalid PCI address 0001:00:03.0. Only PCI domain 0 is available");
    device_problem("domain 0x10000 (libvirt reads 32 bits)",
                   Q35("<interface type='network'><address type='pci' domain='0x10000' slot='3'/></interface>"),
                   ADDR_BAD, "XML error: Invalid PCI address 10000:00:03.0. Only PCI domain 0 is available");
    device_problem("multifunction='maybe'", Q35("<interface type='network'><address type='pci' slot='3' multifunction='maybe'/></interface>"),
                   ADDR_BAD, "XML error: Invalid value for attribute 'multifunction' in element 'address': 'maybe'.");
    device_problem("multifunction before the limits",
                   Q35("<interface type='network'><address type='pci' slot='0x20' multifunction='yes'/></interface>"),
                   ADDR_BAD, "XML error: Invalid value for attribute 'multifunction' in element 'address': 'yes'.");
    device_problem("chassis='x'", Q35("<controller type='pci' index='1' model='pcie-root-port'><target chassis='x'/></controller>"),
                   ADDR_NONE, "XML error: Invalid value for attribute 'chassis' in element 'target': 'x'. Expected integer value");
    device_problem("hotplug='yes'", Q35("<controller type='pci' index='1' model='pcie-root-port'><target hotplug='yes'/></controller>"),
                   ADDR_NONE, "XML error: Invalid value for attribute 'hotplug' in element 'target': 'yes'.");
    device_problem("hotplug before index",
                   Q35("<controller type='pci' index='1' model='pcie-root-port'><target index='x' hotplug='maybe'/></controller>"),
                   ADDR_NONE, "XML error: Invalid value for attribute 'hotplug' in element 'target': 'maybe'.");
    device_problem("NUMA node 'one'", Q35("<controller type='pci' index='1' model='pcie-expander-bus'><target><node>one</node></target></controller>"),
                   ADDR_NONE, "XML error: invalid NUMA node in target");
    device_problem("the target before the address",
                   Q35("<controller type='pci' index='1' model='pcie-root-port'><target chassis='-1'/>"
                       "<address type='pci' slot='0x20'/></controller>"),
                   ADDR_BAD, "XML error: Invalid value for attribute 'chassis' in element 'target': '-1'. Expected non-negative value");
    device_problem("a host device's host address",
                   Q35("<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='3' slot='0x20'/></source>"
                       "<address type='pci' slot='3'/></hostdev>"),
                   ADDR_PCI, "XML error: Invalid PCI address slot='0x20', must be <= 0x1F");
    device_problem("a drive address in hex", Q35("<disk type='file'><target dev='vda' bus='virtio'/><address type='drive' controller='0x1'/></disk>"),
                   ADDR_OTHER, "XML error: Invalid value for attribute 'controller' in element 'address': '0x1'. Expected non-negative integer value");

    struct err e ERR_SCOPE = ERR_INIT;
    struct topology *t = topo(Q35("<controller type='pci' index='1' model='pcie-root-port'>"
                                  "<address type='pci' slot='0x20'/></controller>"
                                  "<interface type='network'><address type='pci' bus='1'/></interface>"), &e);
    ok(t && t->devs[0].addr_state == ADDR_BAD && topology_bus(t, 1) && topology_bus(t, 1)->slots[0].used == 1,
       "a controller whose address libvirt refuses still provides its bus");
    topology_free(t);
    t = topo(Q35("<gizmo><address type='pci' slot='0x20'/></gizmo>"), &e);
    ok(t && t->ndevs == 0 && t->nunknown == 1,
       "an element libvirt does not read: its bad address is no problem, the element is listed as unknown");
    topology_free(t);
    t = topo(Q35("<memballoon model='none'><address type='pci' domain='1' slot='3'/></memballoon>"), &e);
    ok(t && t->ndevs == 1 && t->devs[0].addr_state == ADDR_OTHER && !t->devs[0].problem,
       "an address libvirt throws away is not reserved, so its domain is no problem");
    topology_free(t);
    t = topo(Q35("<hostdev mode='subsystem' type='pci'><source><address domain='0x10000' bus='3' slot='0'/></source></hostdev>"), &e);
    ok(t && t->ndevs == 1 && !t->devs[0].problem, "a host domain above 0xFFFF is one libvirt takes");
    topology_free(t);
    char *why = topology_parse_problem_new(xmlDocGetRootElement(dom->doc), MACH_Q35);
    ok(why == NULL, "the <domain> element has no address problem");
    free(why);
}

static void test_errors(void)
{
    refused("duplicate index", Q35("<controller type='pci' index='1' model='pcie-root-port'/>\n"
                                   "<controller type='pci' index='1' model='pcie-root-port'/>"),
            "t.xml:2: <controller type='pci'>: XML error: Multiple 'pci' controllers with index '1' (the first is on line 1)");
    refused("duplicate scsi index", Q35("<controller type='scsi' index='0' model='virtio-scsi'/>"
                                        "<controller type='scsi' model='lsilogic'/><controller type='scsi' index='0'/>"),
            "Multiple 'scsi' controllers with index '0'");
    refused("index 300", Q35("<controller type='pci' index='300' model='pci-bridge'/>"),
            "PCI controller index 300 too high, maximum is 255");
    refused("unknown model", Q35("<controller type='pci' index='1' model='pcie-root-prt'/>"),
            "Unknown model type 'pcie-root-prt'");
    refused("pci-root on q35", Q35("<controller type='pci' index='0' model='pci-root'/>"),
            "must be model='pcie-root' on a q35 machine, not model='pci-root'");
    refused("root model at index 2", Q35("<controller type='pci' index='2' model='pcie-root'/>"),
            "pcie-root can only be index 0");
    refused("s390x", "<domain type='kvm'><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os></domain>",
            "s390x guests put PCI devices on zPCI");
    refused("aarch64 without machine", "<domain type='kvm'><os><type arch='aarch64'>hvm</type></os></domain>",
            "libvirt 9.0 gives an aarch64 guest the integratorcp board, which has no PCI; write machine='virt'");
    refused("riscv64 sifive_u", "<domain type='kvm'><os><type arch='riscv64' machine='sifive_u'>hvm</type></os></domain>",
            "pcitopo models the machines of this architecture that libvirt gives PCI");
    refused("sparc64", "<domain type='kvm'><os><type arch='sparc64'>hvm</type></os></domain>",
            "pcitopo models x86_64 and i686 (pc, q35), aarch64 and riscv64 (virt) and ppc64 (pseries) guests");
    refused("xen", "<domain type='xen'/>", "pcitopo models guests of libvirt's QEMU driver");
    refused("microvm", "<domain type='kvm'><os><type arch='x86_64' machine='microvm'>hvm</type></os></domain>",
            "pcitopo models the machines of this architecture that libvirt gives PCI: pc and q35 (x86)");
}

/* Each attribute is read in the base libvirt reads it in: an index in
 * decimal, address parts and <target> attributes C-style (0x hex, 0
 * octal), <node> in decimal; blanks before and '+' pass, as in strtol. */
static void test_number_bases(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct topology *t = topo(Q35("<controller type='pci' index='010' model='pcie-root-port'/>"
                                  "<interface type='network'><address type='pci' bus='010' slot='0x01'/></interface>"
                                  "<controller type='pci' index='+11' model='pcie-expander-bus'><target busNr='010'><node>010</node></target></controller>"
                                  "<controller type='pci' index=' 12' model='pcie-root-port'><target chassis='010' port='0x10'/></controller>"), &e);
    ok(t != NULL, "numbers in every base libvirt takes load (%s)", e.msg);
    if (t) {
        is_int(t->devs[0].index, 10, "index='010' is 10: libvirt reads an index in decimal");
        is_int(t->devs[1].addr.bus, 8, "bus='010' is 8: libvirt reads an address C-style");
        is_int(t->devs[2].index, 11, "index='+11' is 11");
        is_int(t->devs[2].bus_nr, 8, "busNr='010' is 8");
        is_int(t->devs[2].numa_node, 10, "<node>010</node> is 10");
        is_int(t->devs[3].index, 12, "index=' 12' is 12 (strtol skips blanks)");
        is_int(t->devs[3].chassis, 8, "chassis='010' is 8");
        is_int(t->devs[3].port, 16, "port='0x10' is 16");
    }
    topology_free(t);
    refused("index='10 '", Q35("<controller type='pci' index='10 ' model='pcie-root-port'/>"),
            "Invalid value for attribute 'index' in element 'controller': '10 '. Expected integer value");
    refused("index='0x10'", Q35("<controller type='pci' index='0x10' model='pcie-root-port'/>"),
            "'index' in element 'controller': '0x10'. Expected integer value");
    refused("index='-1'", Q35("<controller type='pci' index='-1' model='pcie-root-port'/>"),
            "'index' in element 'controller': '-1'. Expected non-negative value");
    device_problem("slot='08'", Q35("<interface type='network'><address type='pci' bus='0' slot='08'/></interface>"),
                   ADDR_BAD, "XML error: Invalid value for attribute 'slot' in element 'address': '08'. Expected non-negative integer value");
    device_problem("<node>0x1</node>", Q35("<controller type='pci' index='1' model='pcie-expander-bus'><target><node>0x1</node></target></controller>"),
                   ADDR_NONE, "XML error: invalid NUMA node in target");
}

/* The fuzzer found that a long target name overflowed the number. */
static void test_disk_index(void)
{
    is_int(implicit_disk_index("vda"), 0, "vda is disk 0");
    is_int(implicit_disk_index("vdb"), 1, "vdb is disk 1");
    is_int(implicit_disk_index("sdaa"), 26, "sdaa is disk 26");
    is_int(implicit_disk_index("sda1"), 0, "a partition number is ignored");
    is_int(implicit_disk_index("sd"), -1, "no letters: no disk");
    is_int(implicit_disk_index("sdA"), -1, "upper case: no disk");
    is_int(implicit_disk_index("sd1a"), -1, "letters after digits: no disk");
    is_int(implicit_disk_index("sdzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"), -1,
           "a name too long to be a disk number: no disk, no overflow");
    is_int(implicit_disk_index(NULL), -1, "no name");
}

int main(void)
{
    test_example();
    test_addresses();
    test_controllers();
    test_device_problems();
    test_errors();
    test_number_bases();
    test_disk_index();
    domain_free(dom);
    return tap_done();
}
