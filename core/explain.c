#include "config.h"
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "place.h"

static void topic(struct explanation *x, const struct strbuf *sb, const char *name);
static void explanation_end(struct explanation *x, struct strbuf *sb);

static const char *class_text(enum dev_class cls, enum machine m, const struct device *dv,
                              const struct plan_item *it)
{
    /* the controllers the chipset fixes are no card in a slot */
    if (it && (it->fixed == FIX_SATA0 || it->fixed == FIX_IDE0 || it->fixed == FIX_USB0))
        return "a controller of the machine's own chipset: libvirt always puts it at the same address, which no other device can take";
    if (dv->index >= 0)
        return "a PCI controller: it plugs into a bus like a device, and provides a bus of its own";
    static char text[160];
    if (!machine_def(m)->pcie) {
        snprintf(text, sizeof text, "on a %s machine there is no PCI Express: every device is a conventional PCI device",
                 machine_def(m)->title);
        return text;
    }
    const char *on = machine_def(m)->name;
    switch (dv->kind ? dv->kind->cls : CLASS_NONE) {
    case CLASS_PCI:
        snprintf(text, sizeof text, "a conventional PCI device: on %s it needs a legacy PCI slot, behind a pcie-to-pci-bridge or a pci-bridge", on);
        return text;
    case CLASS_PCIE:
        snprintf(text, sizeof text, "a PCI Express device: on %s libvirt gives it a pcie-root-port of its own, so that it can be hot-plugged", on);
        return text;
    case CLASS_VIRTIO:
        snprintf(text, sizeof text, "a virtio device: with QEMU 7.2 it is a PCI Express device on %s, so it gets a pcie-root-port of its own", on);
        return text;
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
    return it ? catalog_ctrl_model(it->model, t->machine) : NULL;
}


/* The address of the controller providing bus b: its own, else the one
 * placement gives it.  False for a root bus or one nothing places. */
static bool bus_controller_addr(const struct topology *t, const struct plan *p, unsigned b,
                                struct pci_addr *a)
{
    const struct plan_item *it = p ? plan_bus_controller(p, b) : NULL;
    const struct bus *bus = topology_bus(t, b);
    if (it && !(it->index == 0 && it->addr.bus == 0 && it->addr.slot == 0)) {
        *a = it->addr;
        return true;
    }
    if (bus && bus->ctrl && bus->ctrl->addr_state == ADDR_PCI && bus->ctrl->index != 0) {
        *a = bus->ctrl->addr;
        return true;
    }
    return false;
}

/* ", plugged into slot 03:00.0 of bus 03, a pcie-expander-bus": where the
 * controller of bus b really sits. */
static void put_seat(struct strbuf *sb, const struct topology *t, const struct plan *p, unsigned b)
{
    struct pci_addr a;
    if (!bus_controller_addr(t, p, b, &a))
        return;
    const struct ctrl_model *up = bus_model(t, p, a.bus);
    if (up && up->is_root)
        sb_printf(sb, ", plugged into slot %02x:%02x.%x of the %s (the root %s)", a.bus, a.slot,
                  a.function, up->name, t->mach->pcie ? "complex" : "bus");
    else
        sb_printf(sb, ", plugged into slot %02x:%02x.%x of bus %02x, a %s", a.bus, a.slot,
                  a.function, a.bus, up ? up->name : "bus of unknown model");
}

/* "Path from the root: ..." for a bus two controllers or more below the
 * root (a switch's port, a bridge behind an expander's root port), so
 * where a device really sits is plain. */
static void describe_path(struct strbuf *sb, const struct topology *t, const struct plan *p,
                          unsigned bus)
{
    unsigned chain[PCI_BUSES];
    size_t n = 0;
    struct pci_addr a;
    /* a controller loop has no root to reach: stop after every bus */
    for (unsigned b = bus; n < PCI_BUSES && bus_controller_addr(t, p, b, &a); b = a.bus)
        chain[n++] = b;
    if (n < 3 || n == PCI_BUSES)
        return;   /* one or two levels: the seat sentence said it */
    sb_puts(sb, "Path from the root:");
    for (size_t i = n; i-- > 0;) {
        const struct ctrl_model *m = bus_model(t, p, chain[i]);
        bus_controller_addr(t, p, chain[i], &a);
        sb_printf(sb, "%s %s at %02x:%02x.%x (bus %02x)", i + 1 == n ? "" : " ->",
                  m ? m->name : "?", a.bus, a.slot, a.function, chain[i]);
    }
    sb_puts(sb, ".\n");
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
        sb_printf(sb, "Bus %02x is a %s that %s adds: ", bus, m->name,
                  for_wish ? "pcitopo (for a preference)" : "libvirt");
    else
        sb_printf(sb, "Bus %02x is %s %s: ", bus, m->is_root ? "the" : "a", m->name);
    sb_puts(sb, m->role);
    put_seat(sb, t, p, bus);
    if (added && added->why && strncmp(added->why, "stable-guest", 12) == 0) {
        /* where libvirt would have put it, and whom that renumbers */
        const struct plan *lv = place_plan_variant_shared(t, false);
        const struct plan_item *was = lv ? plan_bus_controller(lv, bus) : NULL;
        sb_printf(sb, " (%s", added->why);
        if (was && was->need && (was->addr.bus != added->addr.bus || was->addr.slot != added->addr.slot
                                 || was->addr.function != added->addr.function))
            sb_printf(sb, "; libvirt would put it at %02x:%02x.%x", was->addr.bus, was->addr.slot,
                      was->addr.function);
        sb_putc(sb, ')');
    }
    sb_puts(sb, ".\n");
    describe_path(sb, t, p, bus);
}

/* Whether bus takes hot-plugged devices: a bus of the document knows
 * (ACPI, hotplug='off'); one that libvirt adds has its model's word. */
static bool bus_hotplug(const struct topology *t, const struct plan *p, unsigned bus)
{
    const struct bus *b = topology_bus(t, bus);
    const struct ctrl_model *m = bus_model(t, p, bus);
    return b ? b->hotplug : m && m->hotplug;
}

/* What explain's Hot-plug sentence says, as a value: 1 when the device at
 * bus and function fn can be unplugged and replaced while the guest runs. */
static int hotplug_at(const struct topology *t, const struct plan *p, unsigned bus, unsigned fn)
{
    return bus_hotplug(t, p, bus) && fn == 0;
}

static void describe_hotplug(struct strbuf *sb, const struct topology *t, const struct plan *p,
                             unsigned bus, unsigned fn)
{
    const struct ctrl_model *m = bus_model(t, p, bus);
    bool hot = bus_hotplug(t, p, bus);
    const char *model = m ? m->name : "?";
    if (hot && fn == 0)
        sb_printf(sb, "Hot-plug: yes — %s slots take hot-plugged devices, so it can be unplugged and replaced while the guest runs.\n",
                  model);
    else if (hot)
        sb_printf(sb, "Hot-plug: no — only function 0 of a slot can be hot-plugged.\n");
    else
        sb_printf(sb, "Hot-plug: no — %s slots do not take hot-plugged devices.\n", model);
}

/* The first item of plan p on bus b other than skip, or NULL: what a bus
 * placement adds is there for. */
static const struct plan_item *first_on_bus(const struct plan *p, unsigned b,
                                            const struct plan_item *skip)
{
    const struct plan_item *best = NULL;
    for (size_t i = 0; p && i < p->n; i++) {
        const struct plan_item *it = &p->items[i];
        if (it == skip || it->addr.bus != b || (it->index == 0 && it->addr.slot == 0))
            continue;
        if (!best || it->addr.slot < best->addr.slot
            || (it->addr.slot == best->addr.slot && it->addr.function < best->addr.function))
            best = it;
    }
    return best;
}

/* "Why it is added: ...": for a PCI controller placement adds (index),
 * what its bus holds, from the plan of the domain: the device that
 * needed it, the bridge it carries, or nothing (a port kept free). */
static void put_added_reason(struct strbuf *sb, const struct topology *t, const struct plan *p,
                             const struct plan_item *self, int index, const char *model)
{
    const struct plan_item *on = index >= 0 ? first_on_bus(p, (unsigned)index, self) : NULL;
    sb_puts(sb, "Why it is added: ");
    if (on && on->dev && on->index < 0) {
        const struct device *dv = on->dev;
        sb_printf(sb, "placement adds it for %s%s%s at %02x:%02x.%x, %s.\n", device_label(dv),
                  dv->alias ? " " : "", dv->alias ? dv->alias : "", on->addr.bus, on->addr.slot,
                  on->addr.function, class_text(dv->cls, t->machine, dv, on));
    } else if (on && on->index >= 0) {
        sb_printf(sb, "placement adds it to hold the %s (index %d) at %02x:%02x.%x, which needs a slot of a %s.\n",
                  on->model ? on->model : "controller", on->index, on->addr.bus, on->addr.slot,
                  on->addr.function, model ? model : "bus like this");
    } else if (on) {
        sb_printf(sb, "placement adds it for the %s %s it adds at %02x:%02x.%x.\n",
                  on->model ? on->model : "", on->element, on->addr.bus, on->addr.slot,
                  on->addr.function);
    } else if (t->policy.spare_ports > 0) {
        sb_printf(sb, "it is one of the %d empty hot-pluggable ports spare-ports asks for.\n",
                  t->policy.spare_ports);
    } else {
        sb_puts(sb, "it stays empty for hot-plug: on q35, when the domain as first defined has no "
                    "PCI controllers, libvirt keeps one root port free for a device plugged in later.\n");
    }
}

/* An element placement adds: a controller for a new bus, or an implicit
 * device; it has no element yet, so no topology device. */
static void explain_added(struct explanation *x, const struct topology *t, const struct plan *p,
                          const struct plan_item *it)
{
    const struct pci_addr *a = &it->addr;
    struct strbuf sb = STRBUF_INIT;
    x->added = true;
    x->has_addr = true;
    x->addr = *a;
    x->element = it->element;
    x->model = it->model ? it->model : it->ctrl_type;
    x->hotplug = hotplug_at(t, p, a->bus, a->function);
    topic(x, &sb, "device");
    sb_printf(&sb, "%02x:%02x.%x  %s %s  (added by libvirt)\n", a->bus, a->slot, a->function,
              it->element, it->model ? it->model : it->ctrl_type ? it->ctrl_type : "");
    topic(x, &sb, "what");
    if (it->origin == ORIGIN_NEW_BUS) {
        const struct ctrl_model *m = catalog_ctrl_model(it->model, t->machine);
        sb_printf(&sb, "What it is: a %s (index %d)", it->model, it->index);
        if (m) {
            sb_puts(&sb, ": ");
            sb_puts(&sb, m->role);
        }
        sb_puts(&sb, ".\n");
        topic(x, &sb, "why-added");
        put_added_reason(&sb, t, p, it, it->index, it->model);
    } else {
        sb_printf(&sb, "What it is: a %s %s", it->model ? it->model : it->ctrl_type ? it->ctrl_type : "",
                  it->element);
        if (it->index >= 0)
            sb_printf(&sb, " with index %d", it->index);
        sb_puts(&sb, " that the XML does not have.\n");
        topic(x, &sb, "why-added");
        sb_printf(&sb, "Why it is added: %s.\n", it->added_why ? it->added_why : "libvirt adds it by default");
    }
    topic(x, &sb, "why-here");
    sb_printf(&sb, "Why here: %s.\n", it->why ? it->why : "first fit, like the devices");
    topic(x, &sb, "bus");
    describe_bus(&sb, t, a->bus, p);
    explanation_end(x, &sb);
}

/* What names: a device of the document (by alias, by the address it has
 * or that placement gives it, or by line:N), or else an element placement adds
 * (*added).  p is the plan of the domain as it is; may be NULL. */
static const struct device *resolve(const struct topology *t, const struct plan *p,
                                    const char *what, const struct plan_item **added)
{
    *added = NULL;
    const struct device *dv = topology_find_alias(t, what);
    unsigned bus, slot, fn;
    int n;
    /* line:N, the one name of a device with neither alias nor an address
     * that names a slot (its address may be one libvirt refuses) */
    if (!dv && topology_find_line(t, what, &dv, &n))
        return n == 1 ? dv : NULL;
    if (dv || !topology_parse_bdf(what, &bus, &slot, &fn))
        return dv;
    dv = topology_find_addr(t, bus, slot, fn);
    const struct plan_item *it = dv || !p ? NULL : plan_item_at(p, bus, slot, fn);
    if (it && it->dev)
        return it->dev;
    *added = it;
    return dv;
}

/* Says whether dv shares its address with other devices or the chipset:
 * libvirt refuses the domain then, whichever of them one asks about. */
static void describe_collision(struct strbuf *sb, const struct topology *t, const struct device *dv)
{
    if (dv->addr_state != ADDR_PCI)
        return;
    const struct pci_addr *a = &dv->addr;
    struct strbuf others = STRBUF_INIT;
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *o = &t->devs[i];
        if (o == dv || o->addr_state != ADDR_PCI || o->addr.bus != a->bus || o->addr.slot != a->slot
            || o->addr.function != a->function)
            continue;
        sb_printf(&others, "%s%s%s%s (%s)", others.len ? ", " : "", device_label(o),
                  o->alias ? " " : "", o->alias ? o->alias : "", domain_line_text(o->line).text);
    }
    const struct bus *b = topology_bus(t, a->bus);
    bool chipset = b && a->slot < PCI_SLOTS && (b->slots[a->slot].chipset & (1u << a->function));
    if (others.len || chipset)
        sb_printf(sb, "Collision: %s %s this address too; libvirt refuses the domain: XML error: Attempted double use of PCI Address %04x:%02x:%02x.%x. Give one of them another address, or remove its <address> and let placement choose.\n",
                  others.len ? others.buf : "the chipset", others.len && !strchr(others.buf, ',') ? "has" : "have",
                  a->domain, a->bus, a->slot, a->function);
    sb_free(&others);
}

/* What libvirt refuses in dv's element as written: whatever else is
 * true of the device, libvirt defines no domain with it.  The problem is
 * the first thing libvirt meets in the element, which need not be its
 * address (a <target> comes first), so the words are given as they are. */
static void describe_problem(struct strbuf *sb, const struct device *dv)
{
    if (!dv->problem)
        return;
    if (dv->addr_state == ADDR_BAD) {
        sb_puts(sb, "Where: nowhere. libvirt ");
        sb_puts(sb, dv->problem_when_reserved ? "reads its <address " : "refuses its <address ");
        device_put_written_address(dv, sb);
        sb_puts(sb, dv->problem_when_reserved ? ">, but refuses it when it reserves the addresses"
                                              : ">");
        sb_puts(sb, ", so it takes no slot here.\n");
    }
    sb_printf(sb, "Problem: libvirt refuses this element as written, so it refuses the domain: %s\n",
              dv->problem);
    if (dv->addr_state == ADDR_BAD)
        sb_puts(sb, "Write an address libvirt takes, or remove the <address> and let placement choose one (pcitopo place).\n");
}

/* Why dv, which has an address but no line (pcitopo wrote it in this
 * session), is where it is: placement chose it, as libvirt would. */
static void describe_new(struct strbuf *sb, const struct topology *t, const struct plan *p,
                         const struct device *dv)
{
    const struct plan_item *it = p ? plan_item_of(p, dv) : NULL;
    if (dv->index > 0) {
        put_added_reason(sb, t, p, it, dv->index, dv->model);
    } else if (dv->ctrl_type || strcmp((const char *)dv->node->name, "memballoon") == 0) {
        sb_printf(sb, "Why it is added: libvirt adds a %s %s to every domain of this machine type unless the XML has one, so placement wrote it.\n",
                  dv->model ? dv->model : dv->ctrl_type ? dv->ctrl_type : "",
                  (const char *)dv->node->name);
    }
    sb_puts(sb, "Why here: it is new in this session and placement gave it this address, as libvirt "
                "would have; saving writes it into the file, and from then on libvirt keeps it.\n");
}

/* Starts the section called name at the end of sb: what follows, up to
 * the next section, is its text. */
static void topic(struct explanation *x, const struct strbuf *sb, const char *name)
{
    x->sec = xrealloc(x->sec, (x->n + 1) * sizeof *x->sec);
    x->sec[x->n++] = (struct explain_section){ name, NULL, sb->len };
}

/* Cuts sb into the sections' texts, drops the sections that said nothing
 * (a device with no preferences, no collision...), and keeps the whole
 * text. */
static void explanation_end(struct explanation *x, struct strbuf *sb)
{
    size_t kept = 0;
    for (size_t i = 0; i < x->n; i++) {
        size_t from = x->sec[i].start, to = i + 1 < x->n ? x->sec[i + 1].start : sb->len;
        if (to == from)
            continue;
        if (sb->buf[to - 1] == '\n')   /* a section is whole lines: the last newline is the end's */
            to--;
        x->sec[i].text = xstrndup(sb->buf + from, to - from);
        x->sec[kept++] = x->sec[i];
    }
    x->n = kept;
    x->text = sb_detach(sb);
}

static struct explanation *explanation_alloc(void)
{
    struct explanation *x = xcalloc(1, sizeof *x);
    x->hotplug = -1;
    return x;
}

struct explanation *explanation_new(const struct topology *t, const char *what, struct err *e)
{
    struct err pe ERR_SCOPE = ERR_INIT;
    const struct plan *whole = place_plan_shared(t, &pe, NULL);
    const struct plan_item *added;
    const struct device *dv = resolve(t, whole, what, &added);
    if (!dv) {
        struct explanation *x = NULL;
        if (added) {
            x = explanation_alloc();
            explain_added(x, t, whole, added);
        } else {
            err_set(e, "explain: no device with alias or address '%s' (pcitopo tree shows them)", what);
        }
        return x;
    }
    return explanation_of(t, dv);
}

void explanation_free(struct explanation *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++)
        free(x->sec[i].text);
    free(x->sec);
    free(x->text);
    free(x);
}

/* The text of x, which is freed. */
static char *text_of(struct explanation *x)
{
    char *text = x->text;
    x->text = NULL;
    explanation_free(x);
    return text;
}

char *explain_device(const struct topology *t, const char *what, struct err *e)
{
    struct explanation *x = explanation_new(t, what, e);
    return x ? text_of(x) : NULL;
}

char *explain_of(const struct topology *t, const struct device *dv)
{
    return text_of(explanation_of(t, dv));
}

struct explanation *explanation_of(const struct topology *t, const struct device *dv)
{
    struct err pe ERR_SCOPE = ERR_INIT;
    struct strbuf trace = STRBUF_INIT, sb = STRBUF_INIT;
    struct explanation *x = explanation_alloc();
    /* only a device without an address has a search to trace; for the
     * others the topology's own placement serves (the status line's
     * problem count asked for it already) */
    bool addressed = dv->addr_state == ADDR_PCI || dv->addr_state == ADDR_BAD;
    struct plan *traced = addressed ? NULL : place_traced(t, dv, &trace, &pe);
    const struct plan *p = addressed ? place_plan_shared(t, &pe, NULL) : traced;
    const struct plan_item *it = p ? plan_item_of(p, dv) : NULL;
    const char *label = device_label(dv);
    const struct pci_addr *a = it ? &it->addr : &dv->addr;
    bool has_addr = it || dv->addr_state == ADDR_PCI;
    x->dev = dv;
    x->element = (const char *)dv->node->name;
    x->model = dv->model;
    x->has_addr = has_addr;
    if (has_addr) {
        x->addr = *a;
        x->hotplug = hotplug_at(t, p, a->bus, a->function);
    }
    topic(x, &sb, "device");
    if (has_addr)
        sb_printf(&sb, "%02x:%02x.%x  ", a->bus, a->slot, a->function);
    sb_printf(&sb, "%s%s%s  (%s)\n", label, dv->alias ? "  " : "", dv->alias ? dv->alias : "",
              domain_line_text(dv->line).text);
    topic(x, &sb, "what");
    sb_printf(&sb, "What it is: %s.\n", class_text(dv->cls, t->machine, dv, it));
    topic(x, &sb, "preferences");
    if (dev_pref_is_set(&dv->pref)) {
        char *wishes = dev_pref_text_new(&dv->pref);
        sb_printf(&sb, "Preferences: %s (pcitopo's, kept in the domain's <metadata>)%s.\n", wishes,
                  dv->addr_state == ADDR_PCI ? "; they act only if it loses its address" : "");
        free(wishes);
    }
    topic(x, &sb, "collision");
    describe_collision(&sb, t, dv);
    topic(x, &sb, "problem");
    describe_problem(&sb, dv);
    topic(x, &sb, "why-here");
    if (dv->addr_state == ADDR_BAD) {
        /* nothing to trace: the device is nowhere until its address is fixed */
    } else if (dv->addr_state == ADDR_PCI && dv->line == 0) {
        describe_new(&sb, t, p, dv);
    } else if (dv->addr_state == ADDR_PCI) {
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
        topic(x, &sb, "bus");
        describe_bus(&sb, t, a->bus, p);
        topic(x, &sb, "hotplug");
        const struct bus *on = topology_bus(t, a->bus);
        if (!grouped || !on || !on->hotplug) {
            describe_hotplug(&sb, t, p, a->bus, a->function);
        } else {
            sb_puts(&sb, "Hot-plug: only with its group, as a whole.\n");
            x->hotplug = 0;   /* not alone */
        }
    }
    topic(x, &sb, "group");
    if (grouped) {
        char *members = group_members_text_new(&g);
        sb_printf(&sb, "Group: it is function %x of the group at %02x:%02x (%s). The guest sees the slot as one card; QEMU plugs it with function 0 last and unplugs it as a whole, and libvirt will not detach one function alone (hotplug-xml %02x:%02x writes how).\n",
                  dv->addr.function, g.bus, g.slot, members, g.bus, g.slot);
        free(members);
    }
    topic(x, &sb, "provides");
    if (dv->index >= 0 && dv->ctrl) {
        char *accepts = catalog_conn_names_new(dv->ctrl->accepts_auto);
        sb_printf(&sb, "It provides bus %02x (", (unsigned)dv->index);
        sb_puts(&sb, dv->ctrl->role);
        sb_printf(&sb, "), which libvirt fills with: %s.\n", accepts);
        free(accepts);
    }
    plan_free(traced);
    sb_free(&trace);
    explanation_end(x, &sb);
    return x;
}
