#include "config.h"
#include "spare.h"

#include <string.h>

/* What each bus looks like when the guest runs: its model, whether it
 * hot-plugs, and which functions of each slot are taken. */
struct run_bus {
    const struct ctrl_model *model;
    bool hotplug;
    uint8_t used[PCI_SLOTS];
};

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
        buses[b].hotplug = bus->hotplug;
        for (unsigned s = 0; s < PCI_SLOTS; s++)
            buses[b].used[s] = bus->slots[s].used;
    }
}

/* The buses placement adds, and the addresses it gives. */
static void from_plan(const struct topology *t, const struct plan *p, struct run_bus *buses)
{
    for (unsigned b = 0; b < PCI_BUSES; b++) {
        const struct plan_item *it = topology_bus(t, b) ? NULL : plan_bus_controller(p, b);
        const struct ctrl_model *m = it ? catalog_ctrl_model(it->model) : NULL;
        if (!m)
            continue;
        buses[b].model = m;
        buses[b].hotplug = m->hotplug && (!m->hotplug_needs_acpi || t->acpi);
    }
    for (size_t i = 0; i < p->n; i++)
        if (!p->items[i].manual)
            mark(buses, &p->items[i].addr);
}

struct spare spare_count(const struct topology *t, const struct plan *p)
{
    struct run_bus buses[PCI_BUSES];
    memset(buses, 0, sizeof buses);
    from_topology(t, buses);
    if (p)
        from_plan(t, p, buses);
    struct spare sp = { 0, 0 };
    for (unsigned b = 0; b < PCI_BUSES; b++) {
        const struct ctrl_model *m = buses[b].model;
        if (!m || !buses[b].hotplug)
            continue;
        for (int s = m->min_slot; s <= m->max_slot; s++) {
            if (buses[b].used[s])
                continue;
            if (m->accepts_auto & CONN_PCIE_DEV)
                sp.pcie++;
            if (m->accepts_auto & CONN_PCI_DEV)
                sp.pci++;
        }
    }
    return sp;
}
