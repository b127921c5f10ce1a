/* The placement engine on small domains written here, and what apply
 * writes; explain and check wording.  (Agreement with libvirt on hundreds
 * of domains: test_golden.) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "place.h"
#include "session.h"
#include "tap.h"

static struct domain *dom;
static struct topology *topo;

static bool load(const char *xml)
{
    struct err e ERR_SCOPE = ERR_INIT;
    topology_free(topo);
    domain_free(dom);
    topo = NULL;
    dom = domain_load_memory(xml, strlen(xml), "t.xml", &e);
    topo = dom ? topology_new(dom, &e) : NULL;
    if (!topo)
        printf("# %s\n", e.msg);
    return topo != NULL;
}

static char *place_and_save(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct plan *p = place_plan(topo, &e, NULL);
    if (!p) {
        printf("# %s\n", e.msg);
        return NULL;
    }
    plan_apply(p, dom);
    plan_free(p);
    size_t len;
    return domain_serialize(dom, &len, &e);
}

#define Q35_NONE(devs) \
    "<domain type='kvm'>\n  <name>t</name>\n  <os>\n    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n  </os>\n" \
    "  <devices>\n    <controller type='usb' model='none'/>\n    <memballoon model='none'/>\n" devs "  </devices>\n</domain>\n"

static void test_apply_layout(void)
{
    ok(load(Q35_NONE("    <interface type='network'>\n      <source network='default'/>\n      <model type='virtio'/>\n      <alias name='ua-net0'/>\n    </interface>\n")),
       "a q35 domain with one virtio NIC loads");
    char *out = place_and_save();
    has_str(out,
            "    <controller type='usb' model='none'/>\n"
            "    <controller type='sata' index='0'>\n"
            "      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>\n"
            "    </controller>\n"
            "    <controller type='pci' index='0' model='pcie-root'/>\n"
            "    <controller type='pci' index='1' model='pcie-root-port'>\n"
            "      <model name='pcie-root-port'/>\n"
            "      <target chassis='1' port='0x8'/>\n"
            "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0' multifunction='on'/>\n"
            "    </controller>\n"
            "    <controller type='pci' index='2' model='pcie-root-port'>\n",
            "added controllers are written as libvirt writes them, indented like their neighbours");
    has_str(out,
            "      <alias name='ua-net0'/>\n"
            "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
            "    </interface>\n",
            "the NIC's address goes last, on its own line");
    free(out);

    ok(load("<domain type='kvm'><os><type machine='pc'>hvm</type></os><devices>"
            "<interface type='network'><model type='e1000'/></interface></devices></domain>"),
       "a one-line pc domain loads");
    out = place_and_save();
    has_str(out, "<interface type='network'><model type='e1000'/><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></interface>",
            "on a one-line document, additions stay on the line");
    has_str(out, "<memballoon model='virtio'><address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></memballoon>",
            "the implicit balloon is added after the NIC, where libvirt writes it");
    free(out);
}

static void test_addressed_devices_stay(void)
{
    ok(load(Q35_NONE("    <interface type='network'><model type='virtio'/>"
                     "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></interface>\n"
                     "    <interface type='network'><model type='virtio'/></interface>\n")),
       "a domain with one addressed and one unaddressed NIC loads");
    struct err e ERR_SCOPE = ERR_INIT;
    struct plan *p = place_plan(topo, &e, NULL);
    ok(p != NULL, "it places");
    const struct plan_item *a = p ? plan_item_of(p, &topo->devs[0]) : NULL;
    ok(a && a->manual && a->addr.bus == 0 && a->addr.slot == 5, "the addressed NIC keeps 00:05.0");
    const struct plan_item *b = p ? plan_item_of(p, &topo->devs[1]) : NULL;
    ok(b && !b->manual && b->addr.bus == 1 && b->addr.slot == 0, "the other one gets the first root port");
    plan_free(p);
}

static void test_refusal(void)
{
    ok(load("<domain type='kvm'><os><type machine='pc'>hvm</type></os><devices>"
            "<interface type='network'><model type='e1000'/><address type='pci' bus='0' slot='3'/></interface>"
            "<interface type='network'><alias name='ua-b'/><model type='e1000'/><address type='pci' bus='0' slot='3'/></interface>"
            "</devices></domain>"), "a pc domain with one address used twice loads");
    struct err e ERR_SCOPE = ERR_INIT;
    xmlNodePtr culprit = NULL;
    struct plan *p = place_plan(topo, &e, &culprit);
    ok(p == NULL, "placement refuses it");
    is_str(e.msg, "XML error: Attempted double use of PCI Address 0000:00:03.0", "with libvirt's message");
    const struct device *dv = topology_find_node(topo, culprit);
    ok(dv && dv->alias && strcmp(dv->alias, "ua-b") == 0, "naming the second device");
    has_str(place_hint(e.msg), "give one another slot", "and a hint");
    plan_free(p);
}

static void test_check_collects(void)
{
    ok(load("<domain type='kvm'><os><type machine='pc-q35-7.2'>hvm</type></os><devices>"
            "<controller type='pci' index='1' model='pcie-root-port'><address type='pci' bus='0' slot='2'/></controller>"
            "<interface type='network'><model type='virtio'/><address type='pci' bus='1' slot='3'/></interface>"
            "<interface type='network'><model type='virtio'/><address type='pci' bus='0' slot='0x1f' function='3'/></interface>"
            "<controller type='pci' index='2' model='pcie-root-port'><target chassis='300'/><address type='pci' bus='0' slot='2' function='1'/></controller>"
            "</devices></domain>"), "a q35 domain with three problems loads");
    struct diag_list *l = place_check(topo);
    is_int(l->errors, 3, "check reports all three");
    has_str(l->n > 0 ? l->d[0].msg : NULL, "Invalid PCI address 0000:01:03.0. slot must be <= 0",
            "a slot a root port does not have");
    has_str(l->n > 1 ? l->d[1].msg : NULL, "Attempted double use of PCI Address 0000:00:1f.3",
            "a chipset function");
    ok(l->n > 1 && l->d[1].dev == &topo->devs[2], "blamed on the device, not the chipset");
    has_str(l->n > 2 ? l->d[2].msg : NULL, "PCI controller chassis '300' out of range - must be 0-255",
            "a target value out of range");
    diag_list_free(l);

    ok(load("<domain type='kvm'><os><type machine='pc-q35-7.2'>hvm</type></os><devices>"
            "<interface type='network'><model type='e1000'/><address type='pci' bus='0' slot='0x1f' function='4'/></interface>"
            "<interface type='network'><model type='e1000'/><address type='pci' bus='0' slot='5' function='1'/></interface>"
            "</devices></domain>"), "a q35 domain with two functions > 0 loads");
    l = place_check(topo);
    ok(l->errors == 0 && l->n == 1 && l->d[0].dev == &topo->devs[1],
       "only the one without a function 0 gets a note: the chipset's 00:1f.0 counts");
    diag_list_free(l);
}

static void test_explain(void)
{
    ok(load(Q35_NONE("    <interface type='network'><model type='e1000'/><alias name='ua-old'/></interface>\n"
                     "    <interface type='network'><model type='virtio'/><alias name='ua-new'/></interface>\n")),
       "a q35 domain with a legacy and a virtio NIC loads");
    struct err e ERR_SCOPE = ERR_INIT;
    char *text = explain_device(topo, "ua-old", &e);
    has_str(text, "02:01.0  interface e1000  ua-old", "explain names the device and its planned address");
    has_str(text, "What it is: a conventional PCI device", "its class");
    has_str(text, "among the network interfaces (group 3 of 17)", "its placement group");
    has_str(text, "first pass: no bus had room, so libvirt added a pcie-root-port as bus 01 (to hold a pcie-to-pci-bridge only)",
            "the buses added for it");
    has_str(text, "final pass: bus 00 (pcie-root): skipped: it takes a standard PCI device only at an address you give, never by itself",
            "why the root complex was skipped");
    has_str(text, "final pass: bus 02 (pcie-to-pci-bridge): slot 01 is free: taken", "where it landed");
    has_str(text, "Hot-plug: yes", "hot-plug");
    free(text);
    text = explain_device(topo, "03:00.0", &e);
    has_str(text, "interface virtio  ua-new", "explain finds a device by its planned address");
    free(text);
    text = explain_device(topo, "01:00.0", &e);
    has_str(text, "controller pcie-to-pci-bridge  (added by libvirt)", "and an added controller");
    free(text);
    ok(explain_device(topo, "ua-none", &e) == NULL, "an unknown alias is an error");
    has_str(e.msg, "no device with alias or address 'ua-none'", "that says so");
}

int main(void)
{
    test_apply_layout();
    test_addressed_devices_stay();
    test_refusal();
    test_check_collects();
    test_explain();
    topology_free(topo);
    domain_free(dom);
    return tap_done();
}
