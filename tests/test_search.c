/* search: '/' finds a device by each of the words the issue names (alias,
 * model, kind, XML address, host address, the tree's text), with
 * smartcase; n/N go round both ends; goto names a device, a function, a
 * group's slot or an empty slot. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "session.h"
#include "tap.h"
#include "testutil.h"
#include "tree.h"

static const char domain_xml[] =
    "<domain type='kvm'><name>s</name>"
    "<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os><devices>"
    "<controller type='pci' index='0' model='pcie-root'/>"
    "<controller type='pci' index='1' model='pcie-root-port'>"
    "<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></controller>"
    "<controller type='pci' index='2' model='pcie-root-port'>"
    "<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x1'/></controller>"
    "<interface type='network'><source network='default'/><model type='virtio'/>"
    "<alias name='ua-Uplink'/>"
    "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></interface>"
    "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
    "<address domain='0x0000' bus='0x3b' slot='0x00' function='0x1'/></source>"
    "<alias name='ua-gpu'/>"
    "<address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/></hostdev>"
    "<controller type='usb' index='0' model='qemu-xhci'>"
    "<address type='pci' domain='0x0000' bus='0x00' slot='0x1d' function='0x0'/></controller>"
    "</devices></domain>";

/* The alias of the device on line i, or "" */
static const char *alias_at(const struct tree *tr, long i)
{
    return i >= 0 && tr->lines[i].dev && tr->lines[i].dev->alias ? tr->lines[i].dev->alias : "";
}

static long find_from_top(const struct tree *tr, const char *pattern)
{
    bool wrapped;
    return search_find(tr, 0, true, pattern, &wrapped);
}

static void test_words(const struct tree *tr)
{
    is_str(alias_at(tr, find_from_top(tr, "uplink")), "ua-Uplink", "lowercase finds a capitalised alias");
    is_int(find_from_top(tr, "UPLINK"), -1, "a capital makes the search case-sensitive");
    is_str(alias_at(tr, find_from_top(tr, "hostdev")), "ua-gpu", "the element name finds the hostdev");
    is_str(alias_at(tr, find_from_top(tr, "3b:00.1")), "ua-gpu", "its host address finds it");
    is_str(alias_at(tr, find_from_top(tr, "0000:02:00")), "ua-gpu", "its XML address with the domain finds it");
    is_str(alias_at(tr, find_from_top(tr, "01:00.0")), "ua-Uplink", "the tree's address finds the NIC");
    long xhci = find_from_top(tr, "qemu-xhci");
    ok(xhci >= 0 && tr->lines[xhci].dev && strcmp(tr->lines[xhci].dev->model, "qemu-xhci") == 0,
       "the model finds a device without an alias");
    is_int(find_from_top(tr, ""), -1, "an empty pattern finds nothing");
    is_int(find_from_top(tr, "no-such-thing"), -1, "a missing word finds nothing");
}

static void test_round(const struct tree *tr)
{
    bool wrapped;
    long first = search_find(tr, 0, true, "pcie-root-port", &wrapped);
    long second = search_find(tr, (size_t)first, true, "pcie-root-port", &wrapped);
    ok(first >= 0 && second > first && !wrapped, "n goes to the next port");
    long again = search_find(tr, (size_t)second, true, "pcie-root-port", &wrapped);
    ok(again == first && wrapped, "past the last it goes round to the first, and says so");
    long back = search_find(tr, (size_t)first, false, "pcie-root-port", &wrapped);
    ok(back == second && wrapped, "N from the first goes round to the last");
    long only = find_from_top(tr, "ua-gpu");
    long self = search_find(tr, (size_t)only, true, "ua-gpu", &wrapped);
    ok(self == only, "a single match is found again from itself");
}

static void test_goto(const struct tree *tr)
{
    is_str(alias_at(tr, search_goto(tr, "ua-gpu")), "ua-gpu", "goto an alias");
    is_str(alias_at(tr, search_goto(tr, "01:00.0")), "ua-Uplink", "goto BB:SS.F");
    is_str(alias_at(tr, search_goto(tr, "0000:02:00.0")), "ua-gpu", "goto DDDD:BB:SS.F");
    is_str(alias_at(tr, search_goto(tr, "02:00")), "ua-gpu", "goto BB:SS is function 0");
    long empty = search_goto(tr, "00:05");
    ok(empty >= 0 && tr->lines[empty].role == ROLE_EMPTY && tr->lines[empty].slot_first <= 5
       && tr->lines[empty].slot_last >= 5, "goto an empty slot selects its run");
    is_int(search_goto(tr, "0001:00:05.0"), -1, "there is no PCI domain 1");
    is_int(search_goto(tr, "00:20.0"), -1, "slot 20 is out of range");
    is_int(search_goto(tr, "ua-nothing"), -1, "an unknown alias names nothing");
}

int main(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_open_text(domain_xml, &e);
    if (!ok(s != NULL, "the test domain opens"))
        return tap_done();
    struct tree *tr = tree_new(s->topo);
    test_words(tr);
    test_round(tr);
    test_goto(tr);
    tree_free(tr);
    session_free(s);
    return tap_done();
}
