#include "config.h"
#include "tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "guestbus.h"
#include "xmlutil.h"

struct builder {
    const struct topology *t;
    struct tree *tr;
    size_t cap;
    bool *shown;          /* per device: already on a line */
    bool bus_shown[PCI_BUSES];
    const unsigned char *expand_empty;  /* bitmap by bus, may be NULL */
    const struct device **sorted;       /* addressed devices on existing buses */
    size_t bus_start[PCI_BUSES + 1];    /* first of each bus in sorted */
    const struct device *primary_video; /* NULL: none, or not a PCI one */
    const struct guestbus *g;           /* the topology's (shared); NULL: the XML's numbers alone */
    bool guest_leads;                   /* the guest's number first where they differ */
};

static struct tree_line *add_line(struct builder *b, int depth, enum tree_role role,
                                  const struct device *dv, int bus, char *text)
{
    struct tree *tr = b->tr;
    if (tr->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        tr->lines = xrealloc(tr->lines, b->cap * sizeof *tr->lines);
    }
    struct tree_line *l = &tr->lines[tr->n++];
    /* a line quotes the document (models, aliases): a line break or an
     * escape in it would forge another line or reach the terminal */
    *l = (struct tree_line){ depth, false, role, dv, bus, -1, -1, -1, visible_new(text), NULL, -1, -1 };
    if (dv && dv->index >= 0)
        l->own_bus = dv->index;
    return l;
}

/* BB:SS.F, put together by hand: one per line on every key */
static void put_addr(struct strbuf *sb, const struct pci_addr *a)
{
    sb_put_num(sb, "", a->bus, 16, 2);
    sb_put_num(sb, ":", a->slot, 16, 2);
    sb_put_num(sb, ".", a->function, 16, 1);
}

/* A device's address, and the guest's where it differs: "06:00.0 (guest
 * 05:00.0)", or the guest's first; "(not seen by the guest)" when the
 * guest has none. */
static void put_addresses(const struct builder *b, struct strbuf *sb, const struct device *dv)
{
    const struct guest_fn *f = b->g ? guestbus_of(b->g, dv) : NULL;
    bool seen = f && f->state == GUEST_SEEN;
    if (!f || (seen && f->bus == (int)dv->addr.bus)) {
        put_addr(sb, &dv->addr);
        return;
    }
    struct pci_addr guest = dv->addr;
    guest.bus = seen ? (unsigned)f->bus : 0;
    if (b->guest_leads && seen) {
        put_addr(sb, &guest);
        sb_puts(sb, " (xml ");
        put_addr(sb, &dv->addr);
        sb_putc(sb, ')');
    } else {
        put_addr(sb, &dv->addr);
        if (seen) {
            sb_puts(sb, " (guest ");
            put_addr(sb, &guest);
            sb_putc(sb, ')');
        } else {
            sb_puts(sb, " (not seen by the guest)");
        }
    }
}

/* The bus a controller provides: "bus 06", and the guest's number where
 * it differs. */
static void put_own_bus(const struct builder *b, struct strbuf *sb, int index)
{
    int n = b->g ? guestbus_number(b->g, (unsigned)index) : index;
    bool usable = b->g && b->g->bus[index].state == GUEST_SEEN;
    if (!b->g || (n == index && usable)) {
        sb_put_num(sb, "  bus ", (unsigned)index, 16, 2);
    } else if (n < 0 || !usable) {
        sb_put_num(sb, "  bus ", (unsigned)index, 16, 2);
        sb_puts(sb, " (no guest number)");
    } else if (b->guest_leads) {
        sb_put_num(sb, "  guest bus ", (unsigned)n, 16, 2);
        sb_put_num(sb, " (xml ", (unsigned)index, 16, 2);
        sb_putc(sb, ')');
    } else {
        sb_put_num(sb, "  bus ", (unsigned)index, 16, 2);
        sb_put_num(sb, " (guest ", (unsigned)n, 16, 2);
        sb_putc(sb, ')');
    }
}

/* What a person needs beside the label: the bus a controller provides and
 * its target values, a disk's target, a hostdev's host address, which
 * video is the primary one. */
static void add_details(const struct builder *b, struct strbuf *sb, const struct device *dv)
{
    const struct device *primary = b->primary_video;
    xmlNodePtr el = dv->node;
    const char *name = (const char *)el->name;
    if (dv->index >= 0) {
        put_own_bus(b, sb, dv->index);
        if (dv->chassis_nr >= 0)
            sb_put_num(sb, "  chassisNr ", (unsigned long)dv->chassis_nr, 10, 1);
        if (dv->chassis >= 0)
            sb_put_num(sb, "  chassis ", (unsigned long)dv->chassis, 10, 1);
        if (dv->port >= 0)
            sb_put_num(sb, "  port 0x", (unsigned long)dv->port, 16, 1);
        if (dv->bus_nr >= 0)
            sb_put_num(sb, "  busNr ", (unsigned long)dv->bus_nr, 10, 1);
        if (dv->numa_node >= 0)
            sb_put_num(sb, "  node ", (unsigned long)dv->numa_node, 10, 1);
        if (dv->hotplug == 0)
            sb_puts(sb, "  hotplug off");
        return;
    }
    if (str_eq(name, "disk")) {
        const char *dev = xml_attr(xml_child(el, "target"), "dev");
        if (dev)
            sb_printf(sb, " %s", dev);
    } else if (str_eq(name, "hostdev") || str_eq(name, "interface")) {
        struct host_addr h;
        if (device_host_addr(dv, &h))
            sb_printf(sb, "  host %04x:%02x:%02x.%x", h.domain, h.bus, h.slot, h.function);
    } else if (str_eq(name, "controller")) {
        const char *idx = xml_attr(el, "index");
        sb_printf(sb, " index %s", idx ? idx : "0");
    } else if (dv == primary) {
        sb_puts(sb, "  primary");
    }
    if (!dv->kind || dv->cls == CLASS_NONE)
        sb_puts(sb, "  (not PCI-aware)");
}

/* Whether the chipset always has dv's function (libvirt refuses a device
 * there as it refuses two devices at one address). */
static bool on_chipset(const struct topology *t, const struct device *dv)
{
    const struct bus *b = dv->addr_state == ADDR_PCI ? topology_bus(t, dv->addr.bus) : NULL;
    return b && dv->addr.slot < PCI_SLOTS && (b->slots[dv->addr.slot].chipset & (1u << dv->addr.function));
}

/* in_slot: the line is below its slot's line, which says whether the
 * slot hot-plugs.  collides: another device has the same address. */
static char *device_text(const struct builder *bd, const struct device *dv, bool with_addr,
                         bool in_slot, bool collides)
{
    const struct topology *t = bd->t;
    struct strbuf sb = STRBUF_INIT;
    if (with_addr) {
        put_addresses(bd, &sb, dv);
        sb_puts(&sb, "  ");
    }
    sb_puts(&sb, device_label(dv));
    add_details(bd, &sb, dv);
    if (dv->alias) {
        sb_puts(&sb, "  ");
        sb_puts(&sb, dv->alias);
    }
    if (dv->addr.multifunction == 1)
        sb_puts(&sb, "  multifunction");
    const struct bus *b = dv->addr_state == ADDR_PCI ? topology_bus(t, dv->addr.bus) : NULL;
    if (b && !bus_has_slot(b, dv->addr.slot))
        sb_printf(&sb, "  (slot %02x is outside %s's slots %02x-%02x)", dv->addr.slot,
                  b->model ? b->model->name : "this bus",
                  b->model ? b->model->min_slot : 0, b->model ? b->model->max_slot : 0);
    else if (b && b->hotplug && dv->addr.function == 0 && !in_slot && !collides)
        sb_puts(&sb, "  [hotplug]");
    /* a collision is no multifunction slot: it is what libvirt refuses,
     * said in its words */
    if (with_addr && (collides || on_chipset(t, dv)))
        sb_printf(&sb, "  collides with %s: XML error: Attempted double use of PCI Address %04x:%02x:%02x.%x",
                  collides ? "another device" : "the chipset", dv->addr.domain, dv->addr.bus,
                  dv->addr.slot, dv->addr.function);
    /* an address that names no slot can only be shown as written */
    if (dv->addr_state == ADDR_BAD) {
        sb_puts(&sb, "  address ");
        device_put_written_address(dv, &sb);
    }
    if (dv->problem)
        sb_printf(&sb, "  libvirt refuses: %s", dv->problem);
    return sb_detach(&sb);
}

static void add_bus(struct builder *b, const struct bus *bus, int depth);

/* Marks the last line at depth among the lines from first on. */
static void mark_last(struct builder *b, size_t first, int depth)
{
    for (size_t i = b->tr->n; i-- > first;)
        if (b->tr->lines[i].depth == depth) {
            b->tr->lines[i].last = true;
            return;
        }
}

/* Below a controller line: the bus it provides, unless already drawn. */
static void add_own_bus(struct builder *b, const struct device *dv, int depth)
{
    const struct bus *own = dv->index >= 0 ? topology_bus(b->t, (unsigned)dv->index) : NULL;
    if (own && !b->bus_shown[own->index])
        add_bus(b, own, depth);
}

static void add_device_line(struct builder *b, const struct device *dv, int depth, bool in_slot,
                            bool collides)
{
    size_t di = (size_t)(dv - b->t->devs);
    if (b->shown[di]) {
        /* Only a controller loop leads back to a device already drawn. */
        struct strbuf sb = STRBUF_INIT;
        put_addr(&sb, &dv->addr);
        sb_printf(&sb, "  %s, drawn above: the loop closes here", dv->model ? dv->model : "controller");
        add_line(b, depth, ROLE_PROBLEM, NULL, (int)dv->addr.bus, sb_detach(&sb));
        return;
    }
    b->shown[di] = true;
    const struct bus *own = dv->index >= 0 ? topology_bus(b->t, (unsigned)dv->index) : NULL;
    enum tree_role role = own ? ROLE_CONTROLLER : ROLE_ENDPOINT;
    const struct bus *on = topology_bus(b->t, dv->addr.bus);
    if ((on && !bus_has_slot(on, dv->addr.slot)) || collides || on_chipset(b->t, dv) || dv->problem)
        role = ROLE_PROBLEM;
    add_line(b, depth, role, dv, (int)dv->addr.bus, device_text(b, dv, true, in_slot, collides));
    add_own_bus(b, dv, depth + 1);
}

static void add_empty_run(struct builder *b, const struct bus *bus, int first, int last, int depth)
{
    if (first != last && b->expand_empty
        && (b->expand_empty[bus->index / 8] & (1u << (bus->index % 8)))) {
        for (int s = first; s <= last; s++)
            add_empty_run(b, bus, s, s, depth);
        return;
    }
    char *text = first == last
        ? xasprintf("slot %02x: empty%s", first, bus->hotplug ? ", hotplug" : "")
        : xasprintf("slots %02x-%02x: empty%s", first, last, bus->hotplug ? ", hotplug" : "");
    struct tree_line *l = add_line(b, depth, ROLE_EMPTY, NULL, (int)bus->index, text);
    l->slot_first = first;
    l->slot_last = last;
}

static void add_chipset_line(struct builder *b, const struct bus *bus, unsigned slot,
                             unsigned fn, int depth)
{
    for (size_t i = 0; catalog_chipset_at(i); i++) {
        const struct chipset_fn *cf = catalog_chipset_at(i);
        if ((cf->machines & b->t->machine) && cf->slot == (int)slot && cf->function == (int)fn)
        {
            struct tree_line *l = add_line(b, depth, ROLE_CHIPSET, NULL, (int)bus->index,
                                           xasprintf("%02x:%02x.%x  %s (chipset)", bus->index,
                                                     slot, fn, cf->label));
            l->slot = (int)slot;
            l->function = (int)fn;
        }
    }
}

/* A slot whose functions are two or more devices, none of them a bus
 * (root ports packed in functions are drawn as the buses they are) and
 * none the chipset's (its slots are the machine's own): one line for the
 * slot, its functions beneath.  True when it added one. */
static bool add_slot_line(struct builder *b, const struct bus *bus, unsigned slot, size_t p,
                          size_t end, int depth)
{
    if (bus->slots[slot].chipset)
        return false;
    int n = 0;   /* functions, not devices: two at one function are a collision */
    bool hostdevs = true;
    for (size_t first = p; p < end && b->sorted[p]->addr.slot == slot; p++) {
        const struct device *dv = b->sorted[p];
        if (dv->index >= 0)
            return false;
        hostdevs = hostdevs && group_member_ok(dv);
        n += p == first || b->sorted[p - 1]->addr.function != dv->addr.function;
    }
    if (n < 2)
        return false;
    const char *hp = bus->hotplug ? "  [hotplug]" : "";
    char *text = hostdevs
        ? xasprintf("%02x:%02x  group of %d host functions%s", bus->index, slot, n, hp)
        : xasprintf("%02x:%02x  multifunction slot, %d functions%s", bus->index, slot, n, hp);
    struct tree_line *l = add_line(b, depth, ROLE_SLOT, NULL, (int)bus->index, text);
    l->slot_first = l->slot_last = (int)slot;
    return true;
}

/* Whether sorted[p] has the address of its neighbour (the devices of one
 * bus end at end; equal addresses sort together). */
static bool shares_address(const struct builder *b, size_t p, size_t end)
{
    const struct pci_addr *a = &b->sorted[p]->addr;
    const struct pci_addr *prev = p > b->bus_start[a->bus] ? &b->sorted[p - 1]->addr : NULL;
    const struct pci_addr *next = p + 1 < end ? &b->sorted[p + 1]->addr : NULL;
    return (prev && prev->slot == a->slot && prev->function == a->function)
        || (next && next->slot == a->slot && next->function == a->function);
}

static void add_bus(struct builder *b, const struct bus *bus, int depth)
{
    b->bus_shown[bus->index] = true;
    size_t first_child = b->tr->n;
    size_t p = b->bus_start[bus->index], end = b->bus_start[bus->index + 1];
    int run = -1;
    for (unsigned slot = 0; slot < PCI_SLOTS; slot++) {
        /* used counts devices on slots outside the bus's range too. */
        bool empty = bus->slots[slot].used == 0;
        if (bus_has_slot(bus, slot) && empty) {
            if (run < 0)
                run = (int)slot;
            continue;
        }
        if (run >= 0) {
            add_empty_run(b, bus, run, (int)slot - 1, depth);
            run = -1;
        }
        if (empty)
            continue;
        bool in_slot = add_slot_line(b, bus, slot, p, end, depth);
        size_t first_fn = b->tr->n;
        int fn_depth = in_slot ? depth + 1 : depth;
        for (unsigned fn = 0; fn < PCI_FUNCTIONS; fn++) {
            bool any = false;
            for (; p < end && b->sorted[p]->addr.slot == slot
                   && b->sorted[p]->addr.function == fn; p++) {
                add_device_line(b, b->sorted[p], fn_depth, in_slot, shares_address(b, p, end));
                any = true;
            }
            if (!any && (bus->slots[slot].chipset & (1u << fn)))
                add_chipset_line(b, bus, slot, fn, fn_depth);
        }
        if (in_slot)
            mark_last(b, first_fn, fn_depth);
    }
    if (run >= 0)
        add_empty_run(b, bus, run, PCI_SLOTS - 1, depth);
    if (!bus->model && b->tr->n == first_child)
        add_line(b, depth, ROLE_PROBLEM, NULL, (int)bus->index,
                 xstrdup("(no model: pcitopo cannot tell which slots this bus has)"));
    mark_last(b, first_child, depth);
}

/* Address order; equal addresses (a conflict) keep document order. */
static int by_address(const void *pa, const void *pb)
{
    const struct device *a = *(const struct device *const *)pa;
    const struct device *b = *(const struct device *const *)pb;
    if (a->addr.bus != b->addr.bus)
        return a->addr.bus < b->addr.bus ? -1 : 1;
    if (a->addr.slot != b->addr.slot)
        return a->addr.slot < b->addr.slot ? -1 : 1;
    if (a->addr.function != b->addr.function)
        return a->addr.function < b->addr.function ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Sorts the addressed devices on existing buses, and notes where each
 * bus's run starts, so drawing a bus is one pass over its devices. */
static void index_devices(struct builder *b)
{
    const struct topology *t = b->t;
    b->sorted = xcalloc(t->ndevs ? t->ndevs : 1, sizeof *b->sorted);
    size_t n = 0;
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].addr_state == ADDR_PCI && topology_bus(t, t->devs[i].addr.bus))
            b->sorted[n++] = &t->devs[i];
    qsort(b->sorted, n, sizeof *b->sorted, by_address);
    size_t p = 0;
    for (unsigned bus = 0; bus <= PCI_BUSES; bus++) {
        while (p < n && b->sorted[p]->addr.bus < bus)
            p++;
        b->bus_start[bus] = p;
    }
}

static void add_section(struct builder *b, const char *title, bool (*want)(const struct builder *, const struct device *))
{
    size_t head = b->tr->n;
    for (size_t i = 0; i < b->t->ndevs; i++) {
        const struct device *dv = &b->t->devs[i];
        if (b->shown[i] || !want(b, dv))
            continue;
        if (b->tr->n == head)
            add_line(b, 0, ROLE_HEADING, NULL, -1, xstrdup(title));
        b->shown[i] = true;
        struct strbuf sb = STRBUF_INIT;
        char *text = device_text(b, dv, dv->addr_state == ADDR_PCI, false, false);
        sb_puts(&sb, text);
        free(text);
        if (dv->addr_state == ADDR_UNSET)
            sb_printf(&sb, "  (address %02x:%02x.%x means \"none\" to libvirt)",
                      dv->addr.bus, dv->addr.slot, dv->addr.function);
        sb_printf(&sb, "  %s", domain_line_text(dv->line).text);
        bool problem = dv->addr_state == ADDR_PCI || dv->problem;
        add_line(b, 1, problem ? ROLE_PROBLEM : ROLE_ENDPOINT, dv, -1, sb_detach(&sb));
        add_own_bus(b, dv, 2);
    }
    mark_last(b, head, 1);
}

static bool is_unplaced(const struct builder *b, const struct device *dv)
{
    return dv->addr_state != ADDR_PCI && dv->addr_state != ADDR_BAD && dv->kind
        && dv->cls != CLASS_NONE;
}

static bool has_bad_address(const struct builder *b, const struct device *dv)
{
    return dv->addr_state == ADDR_BAD;
}

static bool on_missing_bus(const struct builder *b, const struct device *dv)
{
    return dv->addr_state == ADDR_PCI && !topology_bus(b->t, dv->addr.bus);
}

static bool anything_left(const struct builder *b, const struct device *dv)
{
    return dv->addr_state == ADDR_PCI;
}

static char *heading(const struct topology *t)
{
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "domain %s: %s machine", t->name ? t->name : "(no name)",
              t->mach->title);
    if (t->machine_name)
        sb_printf(&sb, " (%s)", t->machine_name);
    if (t->buses[0] && t->buses[0]->model->hotplug_needs_acpi && !t->acpi)
        sb_puts(&sb, ", no ACPI: pci-root slots cannot hot-plug");
    return sb_detach(&sb);
}

/* A root bus: its line, then its slots.  A PHB says which one it is to
 * QEMU (its target index) and its NUMA node. */
static void add_root(struct builder *b, const struct bus *root)
{
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s  bus %02x", root->model->name, root->index);
    if (root->model->targets & TGT_INDEX) {
        long ti = root->ctrl && root->ctrl->target_index >= 0 ? root->ctrl->target_index
                                                              : root->index == 0 ? 0 : -1;
        if (ti >= 0)
            sb_printf(&sb, "  PHB %ld", ti);
        else
            sb_puts(&sb, "  PHB (target index: libvirt's choice)");
    }
    if (root->ctrl && root->ctrl->numa_node >= 0)
        sb_printf(&sb, "  node %ld", root->ctrl->numa_node);
    if (root->hotplug)
        sb_puts(&sb, "  [hotplug]");
    add_line(b, 0, ROLE_ROOT, root->ctrl, (int)root->index, sb_detach(&sb))->own_bus = (int)root->index;
    if (root->ctrl)
        b->shown[root->ctrl - b->t->devs] = true;
    add_bus(b, root, 1);
}

struct tree *tree_new(const struct topology *t)
{
    return tree_new_expanded(t, NULL);
}

/* Elements of <devices> that are no libvirt device pcitopo knows: kept
 * as written, and shown, so nobody wonders whether they were dropped. */
static void add_unknown(struct builder *b)
{
    size_t head = b->tr->n;
    for (size_t i = 0; i < b->t->nunknown; i++) {
        if (i == 0)
            add_line(b, 0, ROLE_HEADING, NULL, -1,
                     xstrdup("not PCI-aware (elements pcitopo does not know, kept as written):"));
        add_line(b, 1, ROLE_ENDPOINT, NULL, -1,
                 xasprintf("<%s>  %s", b->t->unknown[i].name, domain_line_text(b->t->unknown[i].line).text));
    }
    mark_last(b, head, 1);
}

/* Fills each line's `more` bits in one pass from the end: seen[L] says
 * whether a line at depth L comes later, before any line shallower than
 * L.  Linear in lines times depth, where asking per line and level was
 * quadratic in lines. */
static void mark_continuations(struct tree *tr)
{
    int maxdepth = 0;
    for (size_t i = 0; i < tr->n; i++)
        if (tr->lines[i].depth > maxdepth)
            maxdepth = tr->lines[i].depth;
    bool *seen = xcalloc((size_t)maxdepth + 2, sizeof *seen);
    for (size_t i = tr->n; i-- > 0;) {
        struct tree_line *l = &tr->lines[i];
        if (l->depth >= 2) {
            l->more = xcalloc((size_t)(l->depth + 6) / 8, 1);
            for (int level = 1; level < l->depth; level++)
                if (seen[level])
                    l->more[(level - 1) / 8] |= (unsigned char)(1u << ((level - 1) % 8));
        }
        int d = l->depth < 0 ? 0 : l->depth;
        seen[d] = true;
        for (int level = d + 1; level <= maxdepth; level++)
            seen[level] = false;
    }
    free(seen);
}

struct tree *tree_new_expanded(const struct topology *t, const unsigned char *expand_empty)
{
    return tree_new_numbered(t, expand_empty, NUMBERS_XML);
}

struct tree *tree_new_numbered(const struct topology *t, const unsigned char *expand_empty,
                               enum tree_numbers how)
{
    struct tree *tr = xcalloc(1, sizeof *tr);
    struct builder b = { .t = t, .tr = tr, .expand_empty = expand_empty };
    if (how != NUMBERS_XML && t->mach->firmware != FW_NOT_MODELLED) {
        b.g = guestbus_shared(t);
        b.guest_leads = how == NUMBERS_GUEST_XML;
    }
    b.shown = xcalloc(t->ndevs ? t->ndevs : 1, sizeof *b.shown);
    b.primary_video = topology_primary_video(t);
    index_devices(&b);
    add_line(&b, 0, ROLE_HEADING, NULL, -1, heading(t));
    /* bus 00, then the other root buses (pseries PHBs), each a tree */
    for (unsigned i = 0; i < PCI_BUSES; i++) {
        const struct bus *root = topology_bus(t, i);
        if (root && (i == 0 || (root->model && root->model->is_root)))
            add_root(&b, root);
    }
    add_section(&b, "unplaced (libvirt will choose their addresses):", is_unplaced);
    add_section(&b, "on buses with no controller of that index:", on_missing_bus);
    add_section(&b, "with addresses libvirt refuses (they take no slot):", has_bad_address);
    add_section(&b, "not reachable from the root bus (a controller loop):", anything_left);
    add_unknown(&b);
    free(b.shown);
    free(b.sorted);
    mark_continuations(tr);
    return tr;
}

void tree_free(struct tree *tr)
{
    if (!tr)
        return;
    for (size_t i = 0; i < tr->n; i++) {
        free(tr->lines[i].text);
        free(tr->lines[i].more);
    }
    free(tr->lines);
    free(tr);
}

void tree_prefix(const struct tree *tr, size_t i, bool utf8, struct strbuf *sb)
{
    const char *pipe = utf8 ? "\u2502  " : "|  ";
    const char *tee = utf8 ? "\u251c\u2500 " : "|- ";
    const char *elbow = utf8 ? "\u2514\u2500 " : "`- ";
    const struct tree_line *l = &tr->lines[i];
    for (int level = 1; level < l->depth; level++)
        sb_puts(sb, l->more[(level - 1) / 8] & (1u << ((level - 1) % 8)) ? pipe : "   ");
    if (l->depth >= 1)
        sb_puts(sb, l->last ? elbow : tee);
}

char *tree_render(const struct tree *tr, bool utf8)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < tr->n; i++) {
        tree_prefix(tr, i, utf8, &sb);
        sb_puts(&sb, tr->lines[i].text);
        sb_putc(&sb, '\n');
    }
    return sb_detach(&sb);
}
