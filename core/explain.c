#include "config.h"
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "place.h"

static const char *class_text(enum dev_class cls, enum machine m, const struct device *dv)
{
    if (dv->index >= 0)
        return "a PCI controller: it plugs into a bus like a device, and provides a bus of its own";
    if (m == MACH_PC)
        return "on a pc (i440fx) machine there is no PCI Express: every device is a conventional PCI device";
    switch (dv->kind ? dv->kind->cls : CLASS_NONE) {
    case CLASS_PCI:
        return "a conventional PCI device: on q35 it needs a legacy PCI slot, behind a pcie-to-pci-bridge or a pci-bridge";
    case CLASS_PCIE:
        return "a PCI Express device: on q35 libvirt gives it a pcie-root-port of its own, so that it can be hot-plugged";
    case CLASS_VIRTIO:
        return "a virtio device: with QEMU 7.2 it is a PCI Express device on q35, so it gets a pcie-root-port of its own";
    case CLASS_HOSTDEV:
        return "a host device passed through: libvirt treats it as PCI Express unless the host device is conventional PCI";
    default:
        (void)cls;
        return "not a device libvirt places on PCI";
    }
}

/* The model of bus index b: its controller in the document, else the one
 * placement adds (p may be NULL). */
static const struct ctrl_model *bus_model(const struct topology *t, const struct plan *p,
                                          unsigned b)
{
    const struct bus *bus = topology_bus(t, b);
    if (bus)
        return bus->model;
    const struct plan_item *it = p ? plan_bus_controller(p, b) : NULL;
    return it ? catalog_ctrl_model(it->model) : NULL;
}

static void describe_bus(struct strbuf *sb, const struct topology *t, unsigned bus,
                         const struct plan *p)
{
    const struct ctrl_model *m = bus_model(t, p, bus);
    if (!m)
        return;
    const struct plan_item *added = p ? plan_bus_controller(p, bus) : NULL;
    bool for_wish = added && (added->want_parent >= 0 || added->numa_node >= 0);
    if (!topology_bus(t, bus))
        sb_printf(sb, "Bus %02x is a %s that %s adds: %s.\n", bus, m->name,
                  for_wish ? "pcitopo (for a preference)" : "libvirt", m->role);
    else
        sb_printf(sb, "Bus %02x is %s %s: %s.\n", bus, m->is_root ? "the" : "a", m->name, m->role);
}

static void describe_hotplug(struct strbuf *sb, const struct topology *t, const struct plan *p,
                             unsigned bus, unsigned fn)
{
    /* a bus of the document knows its hot-plug (ACPI, hotplug='off');
     * one that libvirt adds has its model's */
    const struct bus *b = topology_bus(t, bus);
    const struct ctrl_model *m = bus_model(t, p, bus);
    bool hot = b ? b->hotplug : m && m->hotplug;
    const char *model = m ? m->name : "?";
    if (hot && fn == 0)
        sb_printf(sb, "Hot-plug: yes — %s slots take hot-plugged devices, so it can be unplugged and replaced while the guest runs.\n",
                  model);
    else if (hot)
        sb_printf(sb, "Hot-plug: no — only function 0 of a slot can be hot-plugged.\n");
    else
        sb_printf(sb, "Hot-plug: no — %s slots do not take hot-plugged devices.\n", model);
}

/* An element placement adds: a controller for a new bus, or an implicit
 * device; it has no element yet, so no topology device. */
static char *explain_added(const struct topology *t, const struct plan *p,
                           const struct plan_item *it)
{
    const struct pci_addr *a = &it->addr;
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%02x:%02x.%x  %s %s  (added by libvirt)\n", a->bus, a->slot, a->function,
              it->element, it->model ? it->model : it->ctrl_type ? it->ctrl_type : "");
    if (it->origin == ORIGIN_NEW_BUS) {
        const struct ctrl_model *m = catalog_ctrl_model(it->model);
        sb_printf(&sb, "What it is: a %s (index %d): %s.\n", it->model, it->index, m ? m->role : "");
        sb_puts(&sb, "Why it is added: in its first pass libvirt found a device with no place and added buses "
                     "for it: a PCI Express device gets a pcie-root-port of its own; a legacy PCI device on a "
                     "q35 without legacy slots gets a pcie-to-pci-bridge in a root port; when a bridge is full, "
                     "another pci-bridge. On q35, when the domain as written had no PCI controllers, libvirt "
                     "also keeps one root port free for hot-plug.\n");
    } else {
        sb_printf(&sb, "What it is: a %s %s, which libvirt adds to every domain of this machine type unless the XML has one.\n",
                  it->model ? it->model : it->ctrl_type ? it->ctrl_type : "", it->element);
    }
    sb_printf(&sb, "Why here: %s.\n", it->why ? it->why : "first fit, like the devices");
    describe_bus(&sb, t, a->bus, p);
    return sb_detach(&sb);
}

/* What names: a device of the document (by alias, or by the address it
 * has or that placement gives it), or else an element placement adds
 * (*added).  p is the plan of the domain as it is; may be NULL. */
static const struct device *resolve(const struct topology *t, const struct plan *p,
                                    const char *what, const struct plan_item **added)
{
    *added = NULL;
    const struct device *dv = topology_find_alias(t, what);
    unsigned bus, slot, fn;
    if (dv || !topology_parse_bdf(what, &bus, &slot, &fn))
        return dv;
    dv = topology_find_addr(t, bus, slot, fn);
    const struct plan_item *it = dv || !p ? NULL : plan_item_at(p, bus, slot, fn);
    if (it && it->dev)
        return it->dev;
    *added = it;
    return dv;
}

char *explain_device(const struct topology *t, const char *what, struct err *e)
{
    struct err pe ERR_SCOPE = ERR_INIT;
    struct plan *whole = place_plan(t, &pe, NULL);
    const struct plan_item *added;
    const struct device *dv = resolve(t, whole, what, &added);
    if (!dv) {
        char *text = added ? explain_added(t, whole, added) : NULL;
        if (!text)
            err_set(e, "explain: no device with alias or address '%s' (pcitopo tree shows them)", what);
        plan_free(whole);
        return text;
    }
    plan_free(whole);
    struct strbuf trace = STRBUF_INIT, sb = STRBUF_INIT;
    err_clear(&pe);
    struct plan *p = place_traced(t, dv, &trace, &pe);
    const struct plan_item *it = p ? plan_item_of(p, dv) : NULL;
    const char *label = device_label(dv);
    const struct pci_addr *a = it ? &it->addr : &dv->addr;
    bool has_addr = it || dv->addr_state == ADDR_PCI;
    if (has_addr)
        sb_printf(&sb, "%02x:%02x.%x  ", a->bus, a->slot, a->function);
    sb_printf(&sb, "%s%s%s  (%s)\n", label, dv->alias ? "  " : "", dv->alias ? dv->alias : "",
              domain_line_text(dv->line).text);
    sb_printf(&sb, "What it is: %s.\n", class_text(dv->cls, t->machine, dv));
    if (dev_pref_is_set(&dv->pref)) {
        char wishes[64];
        dev_pref_format(&dv->pref, wishes, sizeof wishes);
        sb_printf(&sb, "Preferences: %s (pcitopo's, kept in the domain's <metadata>)%s.\n", wishes,
                  dv->addr_state == ADDR_PCI ? "; they act only if it loses its address" : "");
    }
    if (dv->addr_state == ADDR_PCI) {
        sb_printf(&sb, "Why here: its address is written in the domain XML, and libvirt keeps an address it is given; it only checks that bus %02x has slot %02x and takes this kind of device.\n",
                  a->bus, a->slot);
    } else if (it) {
        if (dv->addr_state == ADDR_UNSET)
            sb_printf(&sb, "Its <address> is 00:00.%x, which libvirt reads as \"no address\".\n",
                      dv->addr.function);
        if (it->why && strcmp(it->why, "first fit") != 0) {
            sb_printf(&sb, "Why here: %s.\n", it->why);
        } else {
            sb_printf(&sb, "Why here: libvirt places the devices without an address group by group — this one is among the %s (group %d of 17) — and gives each the first free slot, trying the buses in index order. It does this twice: a first pass that adds the buses that are missing, then the final one:\n",
                      catalog_category_name(it->category), it->category);
        }
        sb_puts(&sb, trace.buf ? trace.buf : "");
    } else {
        sb_printf(&sb, "Why here: it has no address, and libvirt would refuse this domain: %s\n", pe.msg);
    }
    struct group g;
    bool grouped = group_of(t, dv, &g);
    if (has_addr) {
        describe_bus(&sb, t, a->bus, p);
        const struct bus *on = topology_bus(t, a->bus);
        if (!grouped || !on || !on->hotplug)
            describe_hotplug(&sb, t, p, a->bus, a->function);
        else
            sb_puts(&sb, "Hot-plug: only with its group, as a whole.\n");
    }
    if (grouped) {
        char *members = group_members_text_new(&g);
        sb_printf(&sb, "Group: it is function %x of the group at %02x:%02x (%s). The guest sees the slot as one card; QEMU plugs it with function 0 last and unplugs it as a whole, and libvirt will not detach one function alone (hotplug-xml %02x:%02x writes how).\n",
                  dv->addr.function, g.bus, g.slot, members, g.bus, g.slot);
        free(members);
    }
    if (dv->index >= 0 && dv->ctrl) {
        char accepts[256];
        catalog_conn_names(dv->ctrl->accepts_auto, accepts, sizeof accepts);
        sb_printf(&sb, "It provides bus %02x (%s), which libvirt fills with: %s.\n", (unsigned)dv->index,
                  dv->ctrl->role, accepts);
    }
    plan_free(p);
    sb_free(&trace);
    return sb_detach(&sb);
}
