#include "config.h"
#include "spare.h"

#include <string.h>

/* What each bus looks like when the guest runs: its model, whether it
 * hot-plugs, and which functions of each slot are taken. */
struct run_bus {
    const struct ctrl_model *model;
    bool offered;    /* libvirt's hot-plug search looks here */
    bool accepted;   /* and QEMU takes the device */
    uint8_t used[PCI_SLOTS];
};

/* libvirt offers a bus's slots unless the model has no hot-plug or its
 * <target hotplug='off'/>; it does not know that pci-root without ACPI
 * or a pxb refuses (golden capacity cases 31, 33). */
static void set_hotplug(struct run_bus *rb, const struct ctrl_model *m, bool off, bool qemu_ok)
{
    rb->offered = !off && (m->hotplug || m->hotplug_refused);
    rb->accepted = rb->offered && qemu_ok;
}

static void mark(struct run_bus *buses, const struct pci_addr *a)
{
    if (a->bus < PCI_BUSES && a->slot < PCI_SLOTS && a->function < PCI_FUNCTIONS)
        buses[a->bus].used[a->slot] |= (uint8_t)(1u << a->function);
}

static void from_topology(const struct topology *t, struct run_bus *buses)
{
    for (unsigned b = 0; b < PCI_BUSES; b++) {
        const struct bus *bus = topology_bus(t, b);
        if (!bus)
            continue;
        buses[b].model = bus->model;
        if (bus->model)
            set_hotplug(&buses[b], bus->model, topology_hotplug_off(bus->model, bus->ctrl), bus->hotplug);
        for (unsigned s = 0; s < PCI_SLOTS; s++)
            buses[b].used[s] = bus->slots[s].used;
    }
}

/* The buses placement adds, and the addresses it gives. */
static void from_plan(const struct topology *t, const struct plan *p, struct run_bus *buses)
{
    for (unsigned b = 0; b < PCI_BUSES; b++) {
        const struct plan_item *it = topology_bus(t, b) ? NULL : plan_bus_controller(p, b);
        const struct ctrl_model *m = it ? catalog_ctrl_model(it->model, t->machine) : NULL;
        if (!m)
            continue;
        buses[b].model = m;
        set_hotplug(&buses[b], m, false, topology_bus_hotplug(m, NULL, t->acpi));
    }
    for (size_t i = 0; i < p->n; i++)
        if (!p->items[i].manual)
            mark(buses, &p->items[i].addr);
}

/* How many devices of connection kind conn libvirt can hot-plug one after
 * the other: it takes the first free slot it offers, in bus order, so the
 * count ends at the first one QEMU refuses. */
static int count_class(const struct run_bus *buses, unsigned conn)
{
    int n = 0;
    for (unsigned b = 0; b < PCI_BUSES; b++) {
        const struct ctrl_model *m = buses[b].model;
        if (!m || !buses[b].offered || !(m->accepts_auto & conn))
            continue;
        for (int s = m->min_slot; s <= m->max_slot; s++) {
            if (buses[b].used[s])
                continue;
            if (!buses[b].accepted)
                return n;
            n++;
        }
    }
    return n;
}

struct spare spare_count(const struct topology *t, const struct plan *p)
{
    struct run_bus buses[PCI_BUSES];
    memset(buses, 0, sizeof buses);
    from_topology(t, buses);
    if (p)
        from_plan(t, p, buses);
    struct spare sp = { 0, 0 };
    sp.pcie = count_class(buses, CONN_PCIE_DEV);
    sp.pci = count_class(buses, CONN_PCI_DEV);
    return sp;
}

struct spare spare_placed(const struct topology *t, struct err *why)
{
    if (t->placed_whole)
        return spare_count(t, NULL);
    return spare_count(t, place_plan_shared(t, why, NULL));
}
