/* The tree: every PCI address of a file appears exactly once (checked with
 * XPath on the document, independent of the topology code), every device is
 * on exactly one line, and the sections and connectors read right. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xpath.h>

#include "session.h"
#include "tap.h"
#include "testutil.h"
#include "tree.h"

static int count_lines_with_addr(const struct tree *tr, const char *addr)
{
    int n = 0;
    size_t len = strlen(addr);
    for (size_t i = 0; i < tr->n; i++)
        if (tr->lines[i].dev && strncmp(tr->lines[i].text, addr, len) == 0
            && tr->lines[i].text[len] == ' ')
            n++;
    return n;
}

/* bus, slot and function of an <address> element, read as libvirt does. */
static void read_addr(xmlNodePtr a, unsigned long v[3])
{
    static const char *const names[3] = { "bus", "slot", "function" };
    for (int k = 0; k < 3; k++) {
        xmlChar *s = xmlGetProp(a, (const xmlChar *)names[k]);
        v[k] = s ? strtoul((const char *)s, NULL, 0) : 0;
        xmlFree(s);
    }
}

/* Whether the tree shows a's element at bus:slot.fn: an address libvirt
 * refuses (slot 0x20, domain 1) names no slot, and is shown as written. */
static bool names_a_slot(const struct topology *t, xmlNodePtr a)
{
    const struct device *dv = topology_find_node(t, a->parent);
    return !dv || dv->addr_state != ADDR_BAD;
}

/* Returns whether every address in the file shows up as often as the file
 * has it; prints the first one that does not. */
static bool addresses_once(const struct domain *d, const struct topology *t, const struct tree *tr,
                           int *naddr)
{
    xmlXPathContextPtr xp = xmlXPathNewContext(d->doc);
    xmlXPathObjectPtr res = xmlXPathEvalExpression(
        (const xmlChar *)"/domain/devices/*/address[@type='pci']", xp);
    bool good = true;
    int n = res && res->nodesetval ? res->nodesetval->nodeNr : 0;
    *naddr = 0;
    for (int i = 0; i < n && good; i++) {
        unsigned long v[3];
        read_addr(res->nodesetval->nodeTab[i], v);
        if (v[0] == 0 && v[1] == 0)
            continue;   /* "no address" to libvirt: listed as unplaced */
        if (!names_a_slot(t, res->nodesetval->nodeTab[i]))
            continue;
        (*naddr)++;
        char addr[16];
        snprintf(addr, sizeof addr, "%02lx:%02lx.%lx", v[0], v[1], v[2]);
        int want = 0;
        for (int j = 0; j < n; j++) {
            unsigned long w[3];
            read_addr(res->nodesetval->nodeTab[j], w);
            want += memcmp(v, w, sizeof v) == 0 && names_a_slot(t, res->nodesetval->nodeTab[j]);
        }
        int got = count_lines_with_addr(tr, addr);
        if (got != want) {
            printf("#   %s: %d lines, %d devices in the file\n", addr, got, want);
            good = false;
        }
    }
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(xp);
    return good;
}

static bool devices_once(const struct topology *t, const struct tree *tr)
{
    int *seen = calloc(t->ndevs + 1, sizeof *seen);
    for (size_t i = 0; i < tr->n; i++)
        if (tr->lines[i].dev)
            seen[tr->lines[i].dev - t->devs]++;
    bool good = true;
    for (size_t i = 0; i < t->ndevs; i++)
        if (seen[i] != 1) {
            printf("#   device on line %ld shown %d times\n", t->devs[i].line, seen[i]);
            good = false;
        }
    free(seen);
    return good;
}

static void check_corpus_dir(const char *sub, int *files)
{
    char *dir = tu_path(tu_datadir(), sub);
    DIR *dh = opendir(dir);
    struct dirent *de;
    while (dh && (de = readdir(dh))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".xml") != 0)
            continue;
        char *path = tu_path(dir, de->d_name);
        struct err e ERR_SCOPE = ERR_INIT;
        struct session *s = session_open_file(path, &e);
        if (s) {
            struct tree *tr = tree_new(s->topo);
            int naddr = 0;
            ok(addresses_once(s->dom, s->topo, tr, &naddr), "%s/%s: each of %d PCI addresses on one line",
               sub, de->d_name, naddr);
            ok(devices_once(s->topo, tr), "%s/%s: each device on exactly one line", sub, de->d_name);
            tree_free(tr);
            session_free(s);
            (*files)++;
        }
        free(path);
    }
    if (dh)
        closedir(dh);
    free(dir);
}

static int count_of_str(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static char *render(const char *xml, bool utf8)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct domain *d = domain_load_memory(xml, strlen(xml), "t.xml", &e);
    struct topology *t = d ? topology_new(d, &e) : NULL;
    if (!t) {
        printf("# %s\n", e.msg);
        domain_free(d);
        return NULL;
    }
    struct tree *tr = tree_new(t);
    char *text = tree_render(tr, utf8);
    tree_free(tr);
    topology_free(t);
    domain_free(d);
    return text;
}

static void test_shapes(void)
{
    char *text = render(
        "<domain type='kvm'><name>shapes</name><os><type machine='pc-q35-7.2'>hvm</type></os><devices>"
        "<controller type='pci' index='1' model='pcie-root-port'>"
        "<address type='pci' bus='0' slot='2'/></controller>"
        "<interface type='network'><model type='virtio'/><alias name='net0'/>"
        "<address type='pci' bus='1' slot='0'/></interface>"
        "<interface type='network'><model type='e1000'/><alias name='net1'/></interface>"
        "<interface type='network'><model type='e1000'/><alias name='net2'/>"
        "<address type='pci' bus='0' slot='0'/></interface>"
        "<interface type='network'><model type='virtio'/><alias name='net3'/>"
        "<address type='pci' bus='9' slot='0'/></interface>"
        "<interface type='network'><model type='virtio'/><alias name='net4'/>"
        "<address type='pci' bus='1' slot='1'/></interface>"
        "</devices></domain>", false);
    ok(text != NULL, "a mixed domain renders");
    if (!text)
        return;
    has_str(text, "domain shapes: q35 machine (pc-q35-7.2)\npcie-root  bus 00\n", "heading and root");
    has_str(text, "|- 00:00.0  host bridge (chipset)\n", "chipset functions shown");
    has_str(text, "|- slot 01: empty\n", "a single empty slot");
    has_str(text, "|- 00:02.0  pcie-root-port  bus 01\n|  |- 01:00.0  interface virtio  net0  [hotplug]\n",
            "a root port with its device nested, hot-pluggable");
    has_str(text, "01:01.0  interface virtio  net4  (slot 01 is outside pcie-root-port's slots 00-00)",
            "a device outside its bus's slots is flagged");
    has_str(text, "|- slots 03-1e: empty\n", "a run of empty slots");
    has_str(text, "unplaced (libvirt will choose their addresses):\n|- interface e1000  net1  line 1\n",
            "an unaddressed device is unplaced");
    has_str(text, "`- interface e1000  net2  (address 00:00.0 means \"none\" to libvirt)",
            "00:00.0 is explained");
    has_str(text, "on buses with no controller of that index:\n`- 09:00.0  interface virtio  net3",
            "a device on a missing bus");
    free(text);

    text = render("<domain type='kvm'><os><type machine='pc'>hvm</type></os><devices>"
                  "<controller type='pci' index='0' model='pci-root'/></devices></domain>", true);
    has_str(text, "domain (no name): pc (i440fx) machine (pc), no ACPI: pci-root slots cannot hot-plug\n",
            "pc without ACPI says so");
    has_str(text, "\u251c\u2500 00:01.0  PIIX3 ISA bridge (chipset)\n", "UTF-8 connectors");
    has_str(text, "\u2514\u2500 slots 02-1f: empty\n", "the last line gets the elbow");
    free(text);

    /* Two bridges plugged into each other: neither is reachable. */
    text = render("<domain type='kvm'><os><type machine='pc'>hvm</type></os><features><acpi/></features><devices>"
                  "<controller type='pci' index='1' model='pci-bridge'><address type='pci' bus='2' slot='1'/></controller>"
                  "<controller type='pci' index='2' model='pci-bridge'><address type='pci' bus='1' slot='1'/></controller>"
                  "</devices></domain>", false);
    has_str(text, "not reachable from the root bus (a controller loop):\n`- 02:01.0  pci-bridge  bus 01",
            "a controller loop is shown once, not followed forever");
    has_str(text, "slots 02-1f: empty, hotplug", "pci-root with ACPI hot-plugs");
    free(text);
}

/* Issue 20: two devices at one address are a collision, in libvirt's
 * words, not a multifunction slot; the primary video is marked by
 * libvirt's rule, not only by primary='yes'. */
static void test_collisions_and_primary(void)
{
    char *text = render(
        "<domain type='kvm'><name>c</name><os><type machine='pc-q35-7.2'>hvm</type></os><devices>"
        "<interface type='network'><model type='virtio'/><address type='pci' bus='0' slot='3'/></interface>"
        "<interface type='network'><model type='e1000'/><address type='pci' bus='0' slot='3'/></interface>"
        "<interface type='network'><model type='e1000'/><address type='pci' bus='0' slot='4' function='1'/></interface>"
        "<interface type='network'><model type='e1000'/><address type='pci' bus='0' slot='4' function='1'/></interface>"
        "<interface type='network'><model type='e1000'/><address type='pci' bus='0' slot='4' function='0' multifunction='on'/></interface>"
        "<video><model type='vga'/><address type='pci' bus='0' slot='5'/></video>"
        "<video><model type='qxl'/><address type='pci' bus='0' slot='6'/></video>"
        "</devices></domain>", false);
    ok(text != NULL, "a domain with collisions renders");
    if (!text)
        return;
    has_str(text, "|- 00:03.0  interface virtio  collides with another device: XML error: Attempted double use of PCI Address 0000:00:03.0\n"
                  "|- 00:03.0  interface e1000  collides with another device: XML error: Attempted double use of PCI Address 0000:00:03.0\n",
            "two devices at 00:03.0 are a collision, each with libvirt's message");
    has_str(text, "|- 00:04  multifunction slot, 2 functions\n", "a slot's functions are counted, not its devices");
    is_int(count_of_str(text, "Attempted double use of PCI Address 0000:00:04.1"), 2,
           "the two at 00:04.1 collide inside the slot");
    has_str(text, "|- 00:05.0  video vga  primary\n", "the first video is the primary one");
    ok(!strstr(text, "video qxl  primary"), "the second is not");
    free(text);

    text = render(
        "<domain type='kvm'><name>p</name><os><type machine='pc-q35-7.2'>hvm</type></os><devices>"
        "<video><model type='vga'/><address type='pci' bus='0' slot='5'/></video>"
        "<video><model type='qxl' primary='yes'/><address type='pci' bus='0' slot='6'/></video>"
        "</devices></domain>", false);
    has_str(text, "00:06.0  video qxl  primary", "primary='yes' makes a later video the primary");
    ok(text && !strstr(text, "video vga  primary"), "and the first is not then");
    free(text);

    text = render(
        "<domain type='kvm'><name>n</name><os><type machine='pc-q35-7.2'>hvm</type></os><devices>"
        "<video><model type='none'/></video>"
        "<video><model type='qxl'/><address type='pci' bus='0' slot='6'/></video>"
        "</devices></domain>", false);
    ok(text && !strstr(text, "primary"), "a first video of model none is the primary: no PCI video is");
    free(text);
}

/* Devices carrying what libvirt refuses in their element: one whose
 * address names no slot has a section of its own, drawn as a problem,
 * its address as written; one whose <target> or host address is the
 * problem stays in its slot, drawn as a problem too. */
static void test_device_problems(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    const char *xml =
        "<domain type='kvm'><name>p</name><os><type machine='q35'>hvm</type></os><devices>"
        "<controller type='pci' index='1' model='pcie-root-port'><target chassis='x'/>"
        "<address type='pci' bus='0' slot='2'/></controller>"
        "<interface type='network'><model type='virtio'/><alias name='ua-bad'/>"
        "<address type='pci' bus='0' slot='0x20'/></interface>"
        "<hostdev mode='subsystem' type='pci'><source><address bus='3' slot='0' function='9'/></source>"
        "<alias name='ua-host'/><address type='pci' bus='0' slot='3'/></hostdev>"
        "</devices></domain>";
    struct domain *d = domain_load_memory(xml, strlen(xml), "t.xml", &e);
    struct topology *t = d ? topology_new(d, &e) : NULL;
    ok(t != NULL, "a domain with device problems renders (%s)", e.msg);
    if (!t) {
        domain_free(d);
        return;
    }
    struct tree *tr = tree_new(t);
    const struct tree_line *bad = NULL, *port = NULL, *host = NULL, *head = NULL;
    for (size_t i = 0; i < tr->n; i++) {
        const struct tree_line *l = &tr->lines[i];
        if (l->role == ROLE_HEADING && strstr(l->text, "libvirt refuses"))
            head = l;
        if (l->dev && l->dev->alias && strcmp(l->dev->alias, "ua-bad") == 0)
            bad = l;
        if (l->dev && l->dev->alias && strcmp(l->dev->alias, "ua-host") == 0)
            host = l;
        if (l->dev && l->dev->index == 1)
            port = l;
    }
    ok(head && bad && head < bad && bad->depth == 1, "the bad address is in its own section");
    ok(bad && bad->role == ROLE_PROBLEM && bad->bus == -1, "drawn as a problem, on no bus");
    is_str(bad ? bad->text : NULL,
           "interface virtio  ua-bad  address bus='0' slot='0x20'  libvirt refuses: XML error: Invalid PCI address slot='0x20', must be <= 0x1F  line 1",
           "its address as written, and libvirt's words");
    ok(port && port->role == ROLE_PROBLEM && port->own_bus == 1, "a root port whose target libvirt refuses: a problem, still a bus");
    has_str(port ? port->text : NULL,
            "libvirt refuses: XML error: Invalid value for attribute 'chassis' in element 'target': 'x'. Expected integer value",
            "with libvirt's words");
    ok(host && host->role == ROLE_PROBLEM && host->bus == 0, "a host device whose host address libvirt refuses keeps its slot");
    has_str(host ? host->text : NULL, "00:03.0  hostdev", "at its address");
    has_str(host ? host->text : NULL, "libvirt refuses: XML error: Invalid PCI address function=0x9, must be <= 7",
            "with libvirt's words");
    tree_free(tr);
    topology_free(t);
    domain_free(d);
}

int main(void)
{
    test_shapes();
    test_device_problems();
    test_collisions_and_primary();
    int files = 0;
    check_corpus_dir("roundtrip", &files);
    check_corpus_dir("realworld", &files);
    check_corpus_dir("experiments", &files);
    ok(files >= 150, "checked %d domain files", files);
    return tap_done();
}
