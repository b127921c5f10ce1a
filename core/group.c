#include "config.h"
#include "group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "layout.h"
#include "place.h"
#include "xmlutil.h"

/* ------------------------------------------------------------------ */
/* Finding groups */

void group_at(const struct topology *t, unsigned bus, unsigned slot, struct group *g)
{
    memset(g, 0, sizeof *g);
    g->bus = bus;
    g->slot = slot;
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        if (dv->addr_state != ADDR_PCI || dv->addr.bus != bus || dv->addr.slot != slot)
            continue;
        g->n++;
        if (!g->fn[dv->addr.function])
            g->fn[dv->addr.function] = dv;
    }
}

bool group_member_ok(const struct device *dv)
{
    return dv->kind && dv->kind->cls == CLASS_HOSTDEV;
}

bool group_is_hostdevs(const struct group *g)
{
    int members = 0;
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        if (g->fn[f]) {
            if (!group_member_ok(g->fn[f]))
                return false;
            members++;
        }
    /* two devices on one function are a conflict check reports, not a group */
    return g->n >= 2 && members == g->n;
}

bool group_of(const struct topology *t, const struct device *dv, struct group *g)
{
    if (dv->addr_state != ADDR_PCI || !group_member_ok(dv))
        return false;
    group_at(t, dv->addr.bus, dv->addr.slot, g);
    return group_is_hostdevs(g);
}

bool group_parse_slot(const char *s, unsigned *bus, unsigned *slot)
{
    char tail;
    return hex_address_syntax(s) && sscanf(s, "%2x:%2x%c", bus, slot, &tail) == 2
        && *bus < PCI_BUSES && *slot < PCI_SLOTS;
}

/* Host devices by what they pass through: "0000:65:00.1" names one host
 * function, "0000:65:00" every function of that host device.  -1: name
 * is not a host address; else whether dv passes it through. */
static int passes_host(const struct device *dv, const char *name)
{
    unsigned d, b, sl, f = 0;
    char tail;
    int got = hex_address_syntax(name) ? sscanf(name, "%4x:%2x:%2x.%1x%c", &d, &b, &sl, &f, &tail) : 0;
    if ((got != 4 && got != 3) || (got == 3 && strchr(name, '.')) || strlen(name) < 10)
        return -1;
    struct host_addr h;
    return group_member_ok(dv) && device_host_addr(dv, &h) && h.domain == d && h.bus == b
        && h.slot == sl && (got == 3 || h.function == f);
}

bool group_find(const struct topology *t, const char *cmd, const char *what, struct group *g,
                struct err *e)
{
    unsigned bus, slot, fn;
    const struct device *dv = topology_find_alias(t, what);
    if (!dv && topology_parse_bdf(what, &bus, &slot, &fn))
        dv = topology_find_addr(t, bus, slot, fn);
    for (size_t i = 0; !dv && i < t->ndevs && passes_host(&t->devs[i], what) >= 0; i++)
        if (passes_host(&t->devs[i], what) == 1)
            dv = &t->devs[i];
    if (dv) {
        if (dv->addr_state != ADDR_PCI) {
            err_set(e, "%s: %s has no address yet, so it is in no group", cmd, what);
            return false;
        }
        bus = dv->addr.bus;
        slot = dv->addr.slot;
    } else if (!group_parse_slot(what, &bus, &slot)) {
        err_set(e, "%s: no device or slot '%s' (name a group by a member's alias, address or host address, or by its slot BB:SS)",
                cmd, what);
        return false;
    }
    group_at(t, bus, slot, g);
    if (group_is_hostdevs(g))
        return true;
    if (g->n == 0)
        err_set(e, "%s: slot %02x:%02x is empty", cmd, bus, slot);
    else if (g->n == 1)
        err_set(e, "%s: %s is alone in slot %02x:%02x, so it is in no group ('group NAME NAME...' makes one)",
                cmd, what, bus, slot);
    else
        err_set(e, "%s: slot %02x:%02x has functions that are not PCI host devices; groups are made of <hostdev type='pci'> and <interface type='hostdev'>",
                cmd, bus, slot);
    return false;
}

char *group_members_text_new(const struct group *g)
{
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "");
    for (int f = 0; f < PCI_FUNCTIONS; f++) {
        const struct device *dv = g->fn[f];
        if (dv)
            sb_printf(&sb, "%s%s (.%x)", sb.len ? ", " : "", dv->alias ? dv->alias : device_label(dv), f);
    }
    return sb_detach(&sb);
}

/* ------------------------------------------------------------------ */
/* Making a group */

/* One device being grouped. */
struct member {
    xmlNodePtr node;
    char *name;              /* how the user named it (its alias, once it has one); owned */
    bool had_addr;
    struct pci_addr was;
    bool has_host;
    struct host_addr host;   /* what it passes through, when has_host */
    int fn;                  /* the function it gets; -1 not yet known */
};

struct grouping {
    struct member m[PCI_FUNCTIONS];
    int n;
    bool at_given;
    unsigned bus, slot;      /* the slot, once known */
};

static void grouping_free(struct grouping *gr)
{
    for (int i = 0; i < gr->n; i++)
        free(gr->m[i].name);
    gr->n = 0;
}

static bool add_member(struct grouping *gr, const struct device *dv, const char *name,
                       struct err *e)
{
    for (int i = 0; i < gr->n; i++)
        if (gr->m[i].node == dv->node) {
            err_set(e, "group: %s is named twice", name);
            return false;
        }
    if (!group_member_ok(dv)) {
        err_set(e, "group: %s (%s) is not a PCI host device; only <hostdev type='pci'> and <interface type='hostdev'> can be the functions of one slot",
                name, device_label(dv));
        return false;
    }
    if (gr->n == PCI_FUNCTIONS) {
        err_set(e, "group: a slot has 8 functions (0-7); more than 8 devices do not fit in one");
        return false;
    }
    struct member *mb = &gr->m[gr->n++];
    memset(mb, 0, sizeof *mb);
    mb->node = dv->node;
    mb->name = xstrdup(name);
    mb->had_addr = dv->addr_state == ADDR_PCI;
    mb->was = dv->addr;
    mb->fn = -1;
    mb->has_host = device_host_addr(dv, &mb->host);
    return true;
}

/* Adds the devices that pass host address name through; false when name
 * is not a host address. */
static bool add_by_host(struct grouping *gr, const struct topology *t, const char *name,
                        struct err *e)
{
    int found = 0;
    for (size_t i = 0; i < t->ndevs; i++) {
        int m = passes_host(&t->devs[i], name);
        if (m < 0)
            return false;
        if (m) {
            struct host_addr h;
            char fname[32];
            device_host_addr(&t->devs[i], &h);
            snprintf(fname, sizeof fname, "host %04x:%02x:%02x.%x", h.domain, h.bus, h.slot,
                     h.function);
            if (!add_member(gr, &t->devs[i], t->devs[i].alias ? t->devs[i].alias : fname, e))
                return true;
            found++;
        }
    }
    if (!found)
        err_set(e, "group: no host device passes %s through", name);
    return true;
}

/* The members named by argv (aliases, BB:SS.F, BB:SS for a whole slot,
 * host addresses) and at=. */
static bool read_members(const struct session *s, int argc, char **argv, struct grouping *gr,
                         struct err *e)
{
    const struct topology *t = s->topo;
    for (int i = 1; i < argc; i++) {
        unsigned bus, slot;
        if (strncmp(argv[i], "at=", 3) == 0) {
            if (!group_parse_slot(argv[i] + 3, &gr->bus, &gr->slot)) {
                err_set(e, "group: at= takes a slot BB:SS (hex, as the tree shows it), not '%s'",
                        argv[i] + 3);
                return false;
            }
            gr->at_given = true;
        } else if (!topology_find_alias(t, argv[i]) && group_parse_slot(argv[i], &bus, &slot)) {
            struct group g;
            group_at(t, bus, slot, &g);
            if (g.n == 0) {
                err_set(e, "group: slot %02x:%02x is empty", bus, slot);
                return false;
            }
            for (int f = 0; f < PCI_FUNCTIONS; f++) {
                char name[16];
                snprintf(name, sizeof name, "%02x:%02x.%x", bus, slot, f);
                if (g.fn[f] && !add_member(gr, g.fn[f], g.fn[f]->alias ? g.fn[f]->alias : name, e))
                    return false;
            }
        } else if (!topology_find_alias(t, argv[i]) && add_by_host(gr, t, argv[i], e)) {
            if (e->set)
                return false;
        } else {
            const struct device *dv = edit_find(s, argv[i], e);
            if (!dv) {
                err_prefix(e, "group: ");
                return false;
            }
            if (!add_member(gr, dv, argv[i], e))
                return false;
        }
    }
    if (gr->n < 2) {
        err_set(e, "group: a group is two or more host devices (name them, or mark them with Space in the editor)");
        return false;
    }
    return true;
}

/* Members that are functions of one host device (same domain:bus:slot)
 * keep their host function numbers, so the guest sees the card as it is. */
static bool one_host_device(const struct grouping *gr)
{
    for (int i = 0; i < gr->n; i++)
        if (!gr->m[i].has_host || gr->m[i].host.domain != gr->m[0].host.domain
            || gr->m[i].host.bus != gr->m[0].host.bus || gr->m[i].host.slot != gr->m[0].host.slot)
            return false;
    return true;
}

static bool number_functions(struct grouping *gr, struct err *e)
{
    unsigned taken = 0;
    if (one_host_device(gr)) {
        for (int i = 0; i < gr->n; i++) {
            struct member *mb = &gr->m[i];
            if (taken & (1u << mb->host.function)) {
                err_set(e, "group: two members pass the same host function %04x:%02x:%02x.%x",
                        mb->host.domain, mb->host.bus, mb->host.slot, mb->host.function);
                return false;
            }
            mb->fn = (int)mb->host.function;
            taken |= 1u << mb->host.function;
        }
        if (!(taken & 1)) {
            err_set(e, "group: function 0 must be present: the members come from host device %04x:%02x:%02x and keep their host function numbers, and none is function 0; add %04x:%02x:%02x.0 to the group",
                    gr->m[0].host.domain, gr->m[0].host.bus, gr->m[0].host.slot, gr->m[0].host.domain,
                    gr->m[0].host.bus, gr->m[0].host.slot);
            return false;
        }
        return true;
    }
    /* members already in the slot keep their function; the rest follow
     * in the order given */
    for (int i = 0; i < gr->n; i++) {
        struct member *mb = &gr->m[i];
        if (mb->had_addr && mb->was.bus == gr->bus
            && mb->was.slot == gr->slot && !(taken & (1u << mb->was.function))) {
            mb->fn = (int)mb->was.function;
            taken |= 1u << mb->fn;
        }
    }
    for (int i = 0; i < gr->n; i++) {
        struct member *mb = &gr->m[i];
        if (mb->fn >= 0)
            continue;
        int f = 0;
        while (taken & (1u << f))
            f++;
        mb->fn = f;
        taken |= 1u << f;
    }
    if (!(taken & 1)) {
        err_set(e, "group: function 0 must be present, and the members already in slot %02x:%02x keep functions other than 0; ungroup them first",
                gr->bus, gr->slot);
        return false;
    }
    return true;
}

static struct member *function_zero(struct grouping *gr)
{
    for (int i = 0; i < gr->n; i++)
        if (gr->m[i].fn == 0)
            return &gr->m[i];
    return NULL;
}

static bool is_member(const struct grouping *gr, xmlNodePtr node)
{
    for (int i = 0; i < gr->n; i++)
        if (gr->m[i].node == node)
            return true;
    return false;
}

/* The slot must exist and hold nothing but members. */
static bool slot_takes_group(const struct session *s, const struct grouping *gr, struct err *e)
{
    const struct topology *t = s->topo;
    const struct bus *b = topology_bus(t, gr->bus);
    if (!b) {
        err_set(e, "group: there is no bus %02x (the tree shows the buses; add a pcie-root-port for a new slot)",
                gr->bus);
        return false;
    }
    if (!bus_has_slot(b, gr->slot)) {
        err_set(e, "group: bus %02x (%s) has no slot %02x; its slots are %02x-%02x", gr->bus,
                b->model ? b->model->name : "no model", gr->slot,
                b->model ? b->model->min_slot : 0, b->model ? b->model->max_slot : 0);
        return false;
    }
    if (b->slots[gr->slot].chipset) {
        err_set(e, "group: slot %02x:%02x belongs to the chipset", gr->bus, gr->slot);
        return false;
    }
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        if (dv->addr_state == ADDR_PCI && dv->addr.bus == gr->bus && dv->addr.slot == gr->slot
            && !is_member(gr, dv->node)) {
            err_set(e, "group: no other device may share the slot: %s%s%s is at %02x:%02x.%x; name it in the group or choose another slot with at=BB:SS",
                    device_label(dv), dv->alias ? " " : "",
                    dv->alias ? dv->alias : "", dv->addr.bus, dv->addr.slot, dv->addr.function);
            return false;
        }
    }
    if (s->live && !b->hotplug) {
        err_set(e, "group: mode live: slot %02x:%02x cannot take hot-plugged devices", gr->bus,
                gr->slot);
        return false;
    }
    return true;
}

/* No member has an address: placement chooses the slot for function 0,
 * as it would for that device alone, and the others join it.  A comment
 * stands in for each of the others meanwhile, so placement gives them no
 * slots and they go back exactly where they were. */
static bool place_function_zero(struct session *s, struct grouping *gr, struct strbuf *added,
                                struct err *e)
{
    struct member *zero = function_zero(gr);
    xmlNodePtr stand_in[PCI_FUNCTIONS] = { NULL };
    for (int i = 0; i < gr->n; i++)
        if (&gr->m[i] != zero) {
            stand_in[i] = xmlNewDocComment(s->dom->doc, (const xmlChar *)"pcitopo: grouping");
            xmlReplaceNode(gr->m[i].node, stand_in[i]);
        }
    bool ok = session_refresh(s, e);
    struct plan *p = NULL;
    if (ok) {
        /* a group is for hot-plug unless its function 0 or the policy says
         * otherwise: a hot-pluggable slot, as the spare ports are */
        struct device *dv = topology_find_node(s->topo, zero->node);
        if (dv && dv->pref.hotplug < 0 && (s->live || s->topo->policy.policy == POLICY_LIBVIRT))
            dv->pref.hotplug = 1;
        struct err why ERR_SCOPE = ERR_INIT;
        p = place_plan(s->topo, &why, NULL);
        if (!p) {
            err_set(e, "group: libvirt 9.0 would refuse the domain: %s", why.msg);
            ok = false;
        }
    }
    for (size_t i = 0; ok && i < p->n; i++) {
        const struct plan_item *it = &p->items[i];
        if (it->origin == ORIGIN_DOCUMENT)
            continue;
        if (s->live) {
            err_set(e, "group: mode live: no empty hot-pluggable slot takes the group (placement would add a %s); a running guest cannot get new controllers",
                    it->model ? it->model : it->element);
            ok = false;
        }
        sb_puts(added, added->len ? ", " : "");
        plan_item_put(added, it);
    }
    if (ok)
        plan_apply(p, s->dom);
    plan_free(p);
    for (int i = 0; i < gr->n; i++)
        if (stand_in[i]) {
            xmlReplaceNode(stand_in[i], gr->m[i].node);
            xmlFreeNode(stand_in[i]);
        }
    if (!ok)
        return false;
    if (!session_refresh(s, e))
        return false;
    const struct device *placed = topology_find_node(s->topo, zero->node);
    gr->bus = placed->addr.bus;
    gr->slot = placed->addr.slot;
    return true;
}

/* libvirt's verdict on the members at their new addresses: its own
 * message for the first problem (a bus that does not take them, ...). */
static bool libvirt_accepts(const struct session *s, const struct grouping *gr, struct err *e)
{
    struct diag_list *dl = place_check(s->topo);
    bool ok = true;
    for (size_t i = 0; i < dl->n && ok; i++)
        if (dl->d[i].error && dl->d[i].dev && is_member(gr, dl->d[i].dev->node)) {
            err_set(e, "group: libvirt would refuse the group at %02x:%02x: %s", gr->bus, gr->slot,
                    dl->d[i].msg);
            ok = false;
        }
    diag_list_free(dl);
    return ok;
}

static bool give_aliases(struct session *s, struct grouping *gr, struct strbuf *made,
                         struct err *e)
{
    for (int i = 0; i < gr->n; i++) {
        const struct device *dv = topology_find_node(s->topo, gr->m[i].node);
        bool is_new = false;
        char buf[64];
        const char *a = dv ? edit_user_alias(s, dv, buf, sizeof buf, &is_new) : gr->m[i].name;
        if (is_new)
            sb_printf(made, "%s%s", made->len ? ", " : "", a);
        if (a != gr->m[i].name) {
            char *copy = xstrdup(a);
            free(gr->m[i].name);
            gr->m[i].name = copy;
        }
    }
    return session_refresh(s, e);
}

static void note_group(struct strbuf *sb, const struct session *s, const struct grouping *gr)
{
    const struct bus *b = topology_bus(s->topo, gr->bus);
    sb_printf(sb, "group at %02x:%02x%s:", gr->bus, gr->slot, b && b->hotplug ? " [hotplug]" : "");
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        for (int i = 0; i < gr->n; i++)
            if (gr->m[i].fn == f)
                sb_printf(sb, " .%x %s", f, gr->m[i].name);
    for (int i = 0; i < gr->n; i++) {
        const struct member *mb = &gr->m[i];
        if (mb->had_addr && (mb->was.bus != gr->bus || mb->was.slot != gr->slot
                             || mb->was.function != (unsigned)mb->fn))
            sb_printf(sb, "; moved %s from %02x:%02x.%x to %02x:%02x.%x", mb->name, mb->was.bus,
                      mb->was.slot, mb->was.function, gr->bus, gr->slot, mb->fn);
    }
}

/* Buses a moved member left empty: they stay (nothing is removed that the
 * user did not name), but the user should know. */
static void note_emptied(struct strbuf *sb, const struct session *s, const struct grouping *gr)
{
    const struct topology *t = s->topo;
    int n = 0;
    unsigned char told[PCI_BUSES] = { 0 };
    for (int i = 0; i < gr->n; i++) {
        const struct member *mb = &gr->m[i];
        if (!mb->had_addr || (mb->was.bus == gr->bus && mb->was.slot == gr->slot) || told[mb->was.bus])
            continue;
        const struct bus *b = topology_bus(t, mb->was.bus);
        bool empty = b && b->ctrl;
        for (unsigned sl = 0; empty && sl < PCI_SLOTS; sl++)
            empty = b->slots[sl].used == 0;
        if (!empty)
            continue;
        told[mb->was.bus] = 1;
        sb_printf(sb, "%s%02x", n++ ? ", " : "; left empty (and kept): bus ", mb->was.bus);
    }
}

bool group_make(struct session *s, int argc, char **argv, struct strbuf *note,
                struct err *e)
{
    struct grouping gr;
    memset(&gr, 0, sizeof gr);
    if (!read_members(s, argc, argv, &gr, e)) {
        grouping_free(&gr);
        return false;
    }
    struct strbuf made = STRBUF_INIT, added = STRBUF_INIT, sb = STRBUF_INIT;
    bool fresh = !gr.at_given;
    /* one host card: its function 0 stays where it is, the others join */
    for (int i = 0; i < gr.n && fresh && one_host_device(&gr); i++)
        if (gr.m[i].had_addr && gr.m[i].host.function == 0) {
            gr.bus = gr.m[i].was.bus;
            gr.slot = gr.m[i].was.slot;
            fresh = false;
        }
    for (int i = 0; i < gr.n && fresh; i++)
        if (gr.m[i].had_addr) {
            gr.bus = gr.m[i].was.bus;
            gr.slot = gr.m[i].was.slot;
            fresh = false;
        }
    bool ok = true;
    if (s->live)
        for (int i = 0; i < gr.n && ok; i++)
            if (gr.m[i].had_addr) {
                err_set(e, "group: mode live: %s is in the running guest at %02x:%02x.%x and cannot move; group the devices you are about to hot-plug",
                        gr.m[i].name, gr.m[i].was.bus, gr.m[i].was.slot, gr.m[i].was.function);
                ok = false;
            }
    ok = ok && number_functions(&gr, e) && give_aliases(s, &gr, &made, e);
    if (ok && fresh)
        ok = place_function_zero(s, &gr, &added, e);
    ok = ok && slot_takes_group(s, &gr, e);
    if (ok) {
        for (int i = 0; i < gr.n; i++) {
            struct pci_addr a = { 0, gr.bus, gr.slot, (unsigned)gr.m[i].fn, -1 };
            apply_address(gr.m[i].node, &a, gr.m[i].fn == 0);
        }
        ok = session_refresh(s, e) && libvirt_accepts(s, &gr, e);
    }
    if (ok) {
        note_group(&sb, s, &gr);
        if (added.len)
            sb_printf(&sb, "; adds %s", added.buf);
        if (made.len)
            sb_printf(&sb, "; gave alias %s", made.buf);
        note_emptied(&sb, s, &gr);
        sb_free(note);
        sb_puts(note, sb.buf);
    }
    sb_free(&made);
    sb_free(&added);
    sb_free(&sb);
    grouping_free(&gr);
    s->last_added = NULL;
    return ok;
}

/* ------------------------------------------------------------------ */
/* Ungrouping and deleting */

bool group_unmake(struct session *s, const char *what, struct strbuf *note, struct err *e)
{
    struct group g;
    if (!group_find(s->topo, "ungroup", what, &g, e))
        return false;
    if (s->live) {
        err_set(e, "ungroup: mode live: QEMU unplugs a multifunction slot only as a whole (hotplug-xml %02x:%02x shows how); ungroup it while the guest is stopped",
                g.bus, g.slot);
        return false;
    }
    /* the lowest function stays, as function 0; the rest are placed anew */
    xmlNodePtr keep = NULL, others[PCI_FUNCTIONS];
    const char *names[PCI_FUNCTIONS];   /* borrowed from the elements, which stay */
    int nothers = 0;
    for (int f = 0; f < PCI_FUNCTIONS; f++) {
        const struct device *dv = g.fn[f];
        if (!dv)
            continue;
        if (!keep) {
            keep = dv->node;
            continue;
        }
        names[nothers] = dv->alias ? dv->alias : "a host device";
        others[nothers++] = dv->node;
        layout_remove(xml_child(dv->node, "address"));
    }
    struct pci_addr a = { 0, g.bus, g.slot, 0, -1 };
    apply_address(keep, &a, false);
    if (!session_refresh(s, e))
        return false;
    struct err why ERR_SCOPE = ERR_INIT;
    struct plan *p = place_plan(s->topo, &why, NULL);
    if (!p) {
        err_set(e, "ungroup: libvirt 9.0 would refuse placing the functions apart: %s", why.msg);
        return false;
    }
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "ungrouped %02x:%02x:", g.bus, g.slot);
    for (int i = 0; i < nothers; i++) {
        const struct device *dv = topology_find_node(s->topo, others[i]);
        const struct plan_item *it = dv ? plan_item_of(p, dv) : NULL;
        if (it)
            sb_printf(&sb, "%s %s to %02x:%02x.%x", i ? "," : "", names[i], it->addr.bus,
                      it->addr.slot, it->addr.function);
    }
    int nadded = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].origin != ORIGIN_DOCUMENT) {
            sb_puts(&sb, nadded++ ? ", " : "; adds ");
            plan_item_put(&sb, &p->items[i]);
        }
    plan_apply(p, s->dom);
    plan_free(p);
    sb_free(note);
    *note = sb;
    return session_refresh(s, e);
}

bool group_delete(struct session *s, const struct group *g, struct strbuf *note,
                  struct err *e)
{
    char *members = group_members_text_new(g);
    sb_free(note);
    sb_printf(note, "deleted the group at %02x:%02x: %s", g->bus, g->slot, members);
    free(members);
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        if (g->fn[f])
            edit_remove_element(s, g->fn[f]);
    s->last_added = NULL;
    return session_refresh(s, e);
}
