/* The catalogue: lookups by name and element, and the invariants that keep
 * the tables consistent as rows are added. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "catalog.h"
#include "tap.h"
#include "util.h"

static xmlDocPtr doc;

/* The first element of an XML snippet (kept alive until the next call). */
static xmlNodePtr element(const char *xml)
{
    if (doc)
        xmlFreeDoc(doc);
    doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
    return doc ? xmlDocGetRootElement(doc) : NULL;
}

static void kind(const char *xml, enum machine m, enum dev_class cls, int category,
                 const char *model)
{
    xmlNodePtr el = element(xml);
    const struct dev_kind *k = catalog_dev_kind(el, m);
    ok(k != NULL, "%s has a row", xml);
    if (!k)
        return;
    is_int(k->cls, cls, "%s: class %s", xml, catalog_class_name(cls));
    is_int(k->category, category, "%s: placement category %d", xml, category);
    is_str(catalog_kind_model(k, el), model, "%s: model", xml);
}

static void test_device_kinds(void)
{
    kind("<interface type='network'><model type='virtio'/></interface>", MACH_Q35, CLASS_VIRTIO, 3, "virtio");
    kind("<interface type='network'><model type='virtio-transitional'/></interface>", MACH_Q35, CLASS_PCI, 3, "virtio-transitional");
    kind("<interface type='network'><model type='e1000e'/></interface>", MACH_Q35, CLASS_PCIE, 3, "e1000e");
    kind("<interface type='network'><model type='e1000'/></interface>", MACH_Q35, CLASS_PCI, 3, "e1000");
    kind("<interface type='network'/>", MACH_PC, CLASS_PCI, 3, "rtl8139");
    kind("<interface type='hostdev'><model type='virtio'/></interface>", MACH_Q35, CLASS_HOSTDEV, 7, "virtio");
    kind("<interface type='user'><model type='usb-net'/></interface>", MACH_Q35, CLASS_NONE, 0, "usb-net");
    kind("<disk type='file'><target dev='vda' bus='virtio'/></disk>", MACH_Q35, CLASS_VIRTIO, 6, "virtio");
    kind("<disk type='file' model='virtio-transitional'><target dev='vda' bus='virtio'/></disk>", MACH_Q35, CLASS_PCI, 6, "virtio");
    kind("<disk type='file'><target dev='sda' bus='sata'/></disk>", MACH_Q35, CLASS_NONE, 0, "sata");
    kind("<controller type='usb' index='0'/>", MACH_Q35, CLASS_PCI, 5, "piix3-uhci");
    kind("<controller type='usb' index='0'/>", MACH_PC, CLASS_PCI, 5, "piix3-uhci");
    kind("<controller type='usb' model='none'/>", MACH_PC, CLASS_NONE, 0, "none");
    kind("<controller type='usb' model='ich9-uhci2'/>", MACH_Q35, CLASS_PCI, 5, "ich9-uhci2");
    kind("<controller type='scsi'/>", MACH_Q35, CLASS_PCI, 5, "lsilogic");
    kind("<controller type='scsi' model='virtio-scsi'/>", MACH_Q35, CLASS_VIRTIO, 5, "virtio-scsi");
    kind("<controller type='virtio-serial'/>", MACH_Q35, CLASS_VIRTIO, 5, NULL);
    kind("<controller type='sata' index='1'/>", MACH_Q35, CLASS_PCI, 5, NULL);
    kind("<controller type='pci' model='pcie-root-port'/>", MACH_Q35, CLASS_CONTROLLER, 1, "pcie-root-port");
    kind("<controller type='fdc'/>", MACH_PC, CLASS_NONE, 0, NULL);
    kind("<sound model='ich9'/>", MACH_Q35, CLASS_PCI, 4, "ich9");
    kind("<sound model='pcspk'/>", MACH_Q35, CLASS_NONE, 0, "pcspk");
    kind("<video><model type='qxl'/></video>", MACH_Q35, CLASS_PCI, 11, "qxl");
    kind("<video><model type='bochs'/></video>", MACH_Q35, CLASS_PCIE, 11, "bochs");
    kind("<video><model type='virtio'/></video>", MACH_Q35, CLASS_VIRTIO, 11, "virtio");
    kind("<video><model type='none'/></video>", MACH_Q35, CLASS_NONE, 0, "none");
    kind("<video/>", MACH_PC, CLASS_PCI, 11, "cirrus");
    kind("<watchdog model='i6300esb'/>", MACH_PC, CLASS_PCI, 10, "i6300esb");
    kind("<watchdog model='ib700'/>", MACH_PC, CLASS_NONE, 0, "ib700");
    kind("<memballoon model='virtio'/>", MACH_Q35, CLASS_VIRTIO, 8, "virtio");
    kind("<memballoon model='none'/>", MACH_Q35, CLASS_NONE, 0, "none");
    kind("<rng model='virtio'/>", MACH_Q35, CLASS_VIRTIO, 9, "virtio");
    kind("<input type='tablet' bus='virtio'/>", MACH_Q35, CLASS_VIRTIO, 13, "tablet");
    kind("<input type='tablet' bus='usb'/>", MACH_Q35, CLASS_NONE, 0, "tablet");
    kind("<filesystem type='mount'/>", MACH_Q35, CLASS_VIRTIO, 2, NULL);
    kind("<vsock model='virtio'/>", MACH_Q35, CLASS_VIRTIO, 16, "virtio");
    kind("<shmem name='x'/>", MACH_Q35, CLASS_PCI, 12, NULL);
    kind("<serial type='pty'><target type='pci-serial'/></serial>", MACH_Q35, CLASS_PCI, 14, "pci-serial");
    kind("<serial type='pty'><target type='isa-serial'/></serial>", MACH_Q35, CLASS_NONE, 0, "isa-serial");
    kind("<memory model='virtio-mem'/>", MACH_Q35, CLASS_VIRTIO, 17, "virtio-mem");
    kind("<memory model='dimm'/>", MACH_Q35, CLASS_NONE, 0, "dimm");
    kind("<iommu model='virtio'/>", MACH_Q35, CLASS_VIRTIO, 15, "virtio");
    kind("<iommu model='intel'/>", MACH_Q35, CLASS_NONE, 0, "intel");
    kind("<hostdev mode='subsystem' type='pci'/>", MACH_Q35, CLASS_HOSTDEV, 7, "pci");
    kind("<hostdev mode='subsystem' type='mdev' model='vfio-pci'/>", MACH_Q35, CLASS_PCIE, 7, "mdev");
    kind("<hostdev mode='subsystem' type='usb'/>", MACH_Q35, CLASS_NONE, 0, "usb");

    xmlNodePtr el = element("<iommu model='virtio'/>");
    ok(catalog_dev_kind(el, MACH_Q35)->flags & KIND_INTEGRATED, "virtio-iommu is integrated");
    el = element("<crypto model='virtio'/>");
    ok(catalog_dev_kind(el, MACH_Q35)->flags & KIND_DROPPED, "libvirt 9.0 drops <crypto>");
    ok(catalog_dev_kind(element("<graphics type='spice'/>"), MACH_Q35) == NULL,
       "elements that are never on PCI have no row");
    ok(catalog_dev_kind(element("<x:interface xmlns:x='urn:x'/>"), MACH_Q35) == NULL,
       "foreign-namespace elements have no row");
}

static void test_classes(void)
{
    is_int(catalog_effective_class(CLASS_VIRTIO, MACH_PC), CLASS_PCI, "virtio is PCI on pc");
    is_int(catalog_effective_class(CLASS_VIRTIO, MACH_Q35), CLASS_PCIE, "virtio is PCIe on q35");
    is_int(catalog_effective_class(CLASS_PCIE, MACH_PC), CLASS_PCI, "PCIe collapses to PCI on pc");
    is_int(catalog_effective_class(CLASS_HOSTDEV, MACH_Q35), CLASS_PCIE, "hostdev is PCIe on q35");
    is_int(catalog_effective_class(CLASS_PCI, MACH_Q35), CLASS_PCI, "PCI stays PCI");
    is_int(catalog_class_conn(CLASS_PCI), CONN_PCI_DEV, "PCI plugs in as a PCI endpoint");
    is_int(catalog_class_conn(CLASS_PCIE), CONN_PCIE_DEV, "PCIe plugs in as a PCIe endpoint");
    char *names = catalog_conn_names_new(CONN_PCIE_DEV | CONN_ROOT_PORT);
    is_str(names, "PCIe endpoint, pcie-root-port", "connection names");
    free(names);
    names = catalog_conn_names_new(0);
    is_str(names, "nothing", "no connection kind");
    free(names);
}

static void test_controller_models(void)
{
    const struct ctrl_model *m = catalog_ctrl_model("pcie-root-port", MACH_Q35);
    ok(m && m->min_slot == 0 && m->max_slot == 0, "a root port has one slot, 0");
    ok(m && m->aggregate && m->hotplug && m->autoplace, "root ports pack into functions and hot-plug");
    ok(m && (m->targets & TGT_CHASSIS) && (m->targets & TGT_PORT) && !(m->targets & TGT_CHASSIS_NR),
       "a root port takes chassis and port, not chassisNr");
    m = catalog_ctrl_model("pcie-root", MACH_Q35);
    ok(m && m->is_root && !m->autoplace && !m->hotplug, "pcie-root: no automatic endpoints, no hot-plug");
    ok(m && (m->accepts_manual & CONN_PCI_DEV), "pcie-root takes PCI endpoints with an address");
    m = catalog_ctrl_model("pci-root", MACH_PC);
    ok(m && m->hotplug && m->hotplug_needs_acpi, "pci-root hot-plugs with ACPI");
    m = catalog_ctrl_model("pci-root", MACH_PSERIES);
    ok(m && m->hotplug && !m->hotplug_needs_acpi && (m->targets & TGT_INDEX)
       && strcmp(m->qemu_name, "spapr-pci-host-bridge") == 0,
       "on pseries pci-root is a PHB: hot-plugs without ACPI, has a target index");
    ok(catalog_ctrl_model("pcie-root", MACH_ARM_VIRT) != catalog_ctrl_model("pcie-root", MACH_Q35)
       && catalog_ctrl_model("pcie-root", MACH_RISCV_VIRT)->is_root, "virt has a pcie-root row of its own");
    ok(!(catalog_ctrl_model("pcie-expander-bus", MACH_RISCV_VIRT)->machines & MACH_RISCV_VIRT),
       "riscv64 virt has no pcie-expander-bus (libvirt refuses it)");
    m = catalog_ctrl_model("pci-expander-bus", MACH_PC);
    ok(m && !m->hotplug && m->min_slot == 0, "pxb: slots from 0, treated as not hot-pluggable");
    m = catalog_ctrl_model("pcie-switch-upstream-port", MACH_Q35);
    ok(m && m->accepts_auto == CONN_DOWNSTREAM && m->accepts_manual == 0,
       "an upstream port takes downstream ports only");
    is_str(catalog_root_model(MACH_Q35)->name, "pcie-root", "q35 root");
    is_str(catalog_root_model(MACH_PC)->name, "pci-root", "pc root");
    is_str(catalog_root_model(MACH_ARM_VIRT)->name, "pcie-root", "aarch64 virt root");
    is_str(catalog_root_model(MACH_PSERIES)->qemu_name, "spapr-pci-host-bridge", "pseries root");
    ok(catalog_ctrl_model("pcie-root-port-x", MACH_Q35) == NULL && catalog_ctrl_model(NULL, MACH_Q35) == NULL,
       "unknown models are not found");
    const struct target_range *r = catalog_target_range(TGT_BUS_NR);
    ok(r && r->min == 1 && r->max == 254, "busNr ranges 1-254");
}

/* Invariants: a broken row shows up here rather than as a wrong placement. */
static void test_table_invariants(void)
{
    int n = 0;
    for (size_t i = 0; catalog_ctrl_model_at(i); i++, n++) {
        const struct ctrl_model *m = catalog_ctrl_model_at(i);
        ok(m->min_slot >= 0 && m->min_slot <= m->max_slot && m->max_slot <= 31,
           "%s: slot range inside 0-31", m->name);
        ok((m->accepts_auto & m->accepts_manual) == 0,
           "%s: manual-only connections are not also automatic", m->name);
        ok(catalog_ctrl_model(m->name, m->machines) == m, "%s: found by name", m->name);
        ok(m->qemu_name && *m->qemu_name && m->role && *m->role, "%s: has a QEMU name and a role", m->name);
        if (m->is_root) {
            ok(m->plugs_as == 0, "%s: a root plugs into nothing", m->name);
            continue;
        }
        ok(m->plugs_as && (m->plugs_as & (m->plugs_as - 1)) == 0,
           "%s: plugs in as exactly one connection kind", m->name);
        bool somewhere = false;
        for (size_t j = 0; catalog_ctrl_model_at(j); j++) {
            const struct ctrl_model *p = catalog_ctrl_model_at(j);
            if ((p->accepts_auto | p->accepts_manual) & m->plugs_as)
                somewhere = true;
        }
        ok(somewhere, "%s: some bus accepts it", m->name);
    }
    /* rows, not names: pci-root and pcie-root have one per machine kind */
    is_int(n, 12, "ten controller models (libvirt 9.0's set) in twelve rows");
    int names = 0;
    for (size_t i = 0; catalog_ctrl_model_at(i); i++) {
        bool first = true;
        for (size_t j = 0; j < i; j++)
            first &= strcmp(catalog_ctrl_model_at(j)->name, catalog_ctrl_model_at(i)->name) != 0;
        names += first;
    }
    is_int(names, 10, "ten model names");

    for (size_t i = 0; catalog_dev_kind_at(i); i++) {
        const struct dev_kind *k = catalog_dev_kind_at(i);
        ok((k->cls == CLASS_NONE) == (k->category == 0),
           "row %zu (%s): placed exactly when on PCI", i, k->element);
        ok(k->machines != 0, "row %zu (%s): applies to some machine", i, k->element);
    }
    /* Every element's last row is a catch-all, so a new model libvirt
     * learns still gets a class instead of vanishing from the tree. */
    for (size_t i = 0; catalog_dev_kind_at(i); i++) {
        const struct dev_kind *k = catalog_dev_kind_at(i);
        const struct dev_kind *last = k;
        for (size_t j = i + 1; catalog_dev_kind_at(j); j++)
            if (strcmp(catalog_dev_kind_at(j)->element, k->element) == 0)
                last = catalog_dev_kind_at(j);
        if (last != k)
            continue;
        ok(last->sel1 == SEL_ANY && last->sel2 == SEL_ANY,
           "element <%s> ends with a catch-all row", k->element);
    }
}

/* The implicit devices: each row names what libvirt writes, and an added
 * controller's class follows the device table's row for its model. */
static void test_implicit_rows(void)
{
    int n = 0;
    for (size_t i = 0; catalog_implicit_at(i); i++, n++) {
        const struct implicit_device *r = catalog_implicit_at(i);
        ok(r->machines && r->element && r->why && *r->why, "implicit row %zu (%s %s): complete", i,
           r->element, r->type ? r->type : "");
        ok(catalog_device_rank(r->element) >= 0, "implicit row %zu: <%s> is a libvirt device", i, r->element);
        ok((r->category > 0) == (r->cls != CLASS_NONE), "implicit row %zu: placed exactly when on PCI", i);
        ok((r->when == WHEN_DISKS_NEED) == (r->disk_bus != NULL), "implicit row %zu: a disk bus exactly for disk rows", i);
        if (r->type)
            is_int(catalog_controller_class(r->type, r->model, r->machines & -r->machines),
                   r->cls, "implicit row %zu: its class is the device table's for controller %s %s", i,
                   r->type, r->model ? r->model : "(no model)");
    }
    ok(n >= 10, "ten or more implicit devices (%d)", n);
    is_int(catalog_controller_class("scsi", "virtio-scsi", MACH_Q35), CLASS_VIRTIO,
           "a scsi controller added in virtio-scsi's model is virtio");
    is_int(catalog_controller_class("usb", NULL, MACH_Q35), CLASS_PCI,
           "a usb controller without model is piix3-uhci, plain PCI");
    is_int(catalog_controller_class("usb", "none", MACH_PC), CLASS_NONE, "usb model none is on no bus");
    is_str(catalog_model_selector("video"), "model/@type", "a video's model is <model type=''>");
    is_str(catalog_model_selector("controller"), "@model", "a controller's is model=''");
}

int main(void)
{
    test_implicit_rows();
    test_device_kinds();
    test_classes();
    test_controller_models();
    test_table_invariants();
    if (doc)
        xmlFreeDoc(doc);
    return tap_done();
}
