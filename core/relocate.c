#include "config.h"
#include "relocate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "layout.h"
#include "place.h"
#include "xmlutil.h"

/* ------------------------------------------------------------------ */
/* Naming the subject and the target */

/* Whether r's target is an address at all (the editor fills requests
 * without relocate_parse). */
static bool target_ok(const struct relocate_request *r, struct err *e)
{
    if (r->automatic)
        return true;
    if (r->bus >= PCI_BUSES || r->slot >= PCI_SLOTS || r->function >= PCI_FUNCTIONS) {
        err_set(e, "relocate: %x:%x.%x is no PCI address (buses 00-ff, slots 00-1f, functions 0-7)",
                r->bus, r->slot, r->function);
        return false;
    }
    /* libvirt reads domain, bus and slot 0 as "no address" (and it is the
     * host bridge's slot wherever there is one) */
    if (r->bus == 0 && r->slot == 0) {
        err_set(e, "relocate: 00:00.%x: libvirt reads an address on bus 00, slot 00 as no address at all; 'auto' lets placement choose one",
                r->function);
        return false;
    }
    return true;
}

/* WHERE: auto, BB:SS.F or BB:SS.  A group takes a slot only: its members
 * keep their functions. */
static bool parse_target(const char *where, struct relocate_request *r, struct err *e)
{
    unsigned bus, slot, fn = 0;
    if (strcmp(where, "auto") == 0) {
        r->automatic = true;
        return true;
    }
    bool bdf = topology_parse_bdf(where, &bus, &slot, &fn);
    if (!bdf && !group_parse_slot(where, &bus, &slot)) {
        err_set(e, "relocate: '%s' is no address: give BB:SS.F or BB:SS (hex, as the tree shows them), or auto",
                where);
        return false;
    }
    if (!r->dv && bdf) {
        err_set(e, "relocate: a group moves to a slot: give BB:SS (each function keeps its number), not %s",
                where);
        return false;
    }
    r->bus = bus;
    r->slot = slot;
    r->function = fn;
    return target_ok(r, e);
}

bool relocate_parse(const struct session *s, const char *what, const char *where,
                    struct relocate_request *r, struct err *e)
{
    memset(r, 0, sizeof *r);
    unsigned bus, slot;
    if (!topology_find_alias(s->topo, what) && group_parse_slot(what, &bus, &slot)) {
        /* a slot names a group, as for delete; one device alone there is
         * named by its address */
        group_at(s->topo, bus, slot, &r->g);
        if (r->g.n == 1) {
            err_set(e, "relocate: slot %s holds one device, not a group: name it by its alias or address (BB:SS.F)",
                    what);
            return false;
        }
        if (!group_find(s->topo, "relocate", what, &r->g, e))
            return false;
    } else if (!(r->dv = edit_find(s, what, e))) {
        err_prefix(e, "relocate: ");
        return false;
    }
    return parse_target(where, r, e);
}

char *relocate_subject_word_new(const struct topology *t, const struct relocate_request *r)
{
    if (!r->dv)
        return xasprintf("%02x:%02x", r->g.bus, r->g.slot);
    const struct device *dv = r->dv;
    if (dv->alias && !alias_problem(dv->alias) && topology_find_alias(t, dv->alias) == dv)
        return xstrdup(dv->alias);
    if (dv->addr_state == ADDR_PCI
        && topology_find_addr(t, dv->addr.bus, dv->addr.slot, dv->addr.function) == dv)
        return xasprintf("%02x:%02x.%x", dv->addr.bus, dv->addr.slot, dv->addr.function);
    return xasprintf("line:%ld", dv->line);
}

/* ------------------------------------------------------------------ */
/* What can move */

/* The connection kind dv plugs in as, as placement reads it (0: none). */
static unsigned device_need(const struct device *dv)
{
    if (dv->index >= 0)
        return dv->ctrl ? dv->ctrl->plugs_as : 0;
    return catalog_class_conn(dv->cls);
}

static bool integrated(const struct device *dv)
{
    return dv->kind && (dv->kind->flags & KIND_INTEGRATED);
}

/* "interface virtio ua-net0", or the label alone. */
static char *device_name_new(const struct device *dv)
{
    return xasprintf("%s%s%s", device_label(dv), dv->alias ? " " : "", dv->alias ? dv->alias : "");
}

static bool device_movable(const struct topology *t, const struct device *dv, struct err *e)
{
    if (dv->kind && device_need(dv) && !(dv->ctrl && dv->ctrl->is_root) && dv->addr_state != ADDR_OTHER
        && !dv->address_dropped && !dv->ctrl_type && !(dv->kind->cls == CLASS_HOSTDEV && dv->addr_state == ADDR_PCI))
        return true;   /* the common case, asked for every selected line: no name to build */
    char *name = device_name_new(dv);
    struct group g;
    struct pci_addr pin;
    const char *says;
    const char *type = xml_attr(xml_child(dv->node, "address"), "type");
    bool movable = false;
    if (dv->ctrl && dv->ctrl->is_root && dv->index == 0) {
        err_set(e, "relocate: %s index 0 is the root bus: it has no address, everything else hangs below it",
                name);
    } else if (dv->ctrl && dv->ctrl->is_root) {
        err_set(e, "relocate: %s index %d is a PHB, a root bus of its own: it has no PCI address to move",
                name, dv->index);
    } else if (group_of(t, dv, &g)) {
        /* seed 004: the functions of a slot go together */
        char *members = group_members_text_new(&g);
        err_set(e, "relocate: %s is function %x of the group at %02x:%02x (%s); a group moves as one unit: 'relocate %02x:%02x BB:SS' moves all %d functions",
                name, dv->addr.function, g.bus, g.slot, members, g.bus, g.slot, g.n);
        free(members);
    } else if (dv->address_dropped) {
        err_set(e, "relocate: %s: libvirt throws away a PCI address on it on a %s machine, where it is not on PCI",
                name, t->mach->title);
    } else if (dv->addr_state == ADDR_OTHER && type) {
        err_set(e, "relocate: %s has an address of type '%s', not a PCI one: it is not on PCI", name, type);
    } else if (dv->addr_state == ADDR_OTHER) {
        err_set(e, "relocate: %s goes on virtio-mmio, as the domain's other virtio devices do: it is not on PCI",
                name);
    } else if (!dv->kind || device_need(dv) == 0) {
        err_set(e, "relocate: %s is not a PCI device", name);
    } else if (place_pinned(t, dv, &pin, &says)) {
        err_set(e, "relocate: %s: libvirt keeps it at %02x:%02x.%x and refuses it anywhere else: %s", name,
                pin.bus, pin.slot, pin.function, says);
    } else {
        movable = true;
    }
    free(name);
    return movable;
}

bool relocate_movable(const struct session *s, const struct relocate_request *r, struct err *e)
{
    if (s->live) {
        err_set(e, "relocate: mode live: a device of the running guest cannot change its address; relocate while the guest is stopped (mode offline)");
        return false;
    }
    if (!r->dv && r->automatic) {
        err_set(e, "relocate: auto is for one device; a group goes to the slot you name (relocate %02x:%02x BB:SS), 'ungroup %02x:%02x' gives each function its own slot",
                r->g.bus, r->g.slot, r->g.bus, r->g.slot);
        return false;
    }
    return !r->dv || device_movable(s->topo, r->dv, e);
}

/* ------------------------------------------------------------------ */
/* Where it can go */

/* The functions of bus:slot the subject itself takes. */
static uint8_t own_functions(const struct relocate_request *r, unsigned bus, unsigned slot)
{
    if (!r->dv)
        return r->g.bus == bus && r->g.slot == slot ? 0xff : 0;
    const struct device *dv = r->dv;
    return dv->addr_state == ADDR_PCI && dv->addr.bus == bus && dv->addr.slot == slot
        ? (uint8_t)(1u << dv->addr.function) : 0;
}

/* Whether bus b is controller index ctrl's own bus or hangs below it: a
 * controller moved there would sit below itself, which QEMU refuses. */
static bool behind(const struct topology *t, unsigned b, int ctrl)
{
    for (unsigned steps = 0; steps < PCI_BUSES; steps++) {
        if ((int)b == ctrl)
            return true;
        const struct bus *bs = t->buses[b];
        if (b == 0 || !bs || !bs->ctrl || bs->ctrl->addr_state != ADDR_PCI)
            return false;
        b = bs->ctrl->addr.bus;
    }
    return true;   /* a loop already: not a place to move into */
}

/* Whether bus b takes dv at an address given by hand, as check_manual and
 * complete_controller judge it: libvirt's connect flags (any endpoint on
 * an endpoint bus), an integrated device on the root bus only, a
 * controller not below itself, a pci-bridge on a lower index. */
static bool bus_takes_device(const struct topology *t, unsigned b, const struct device *dv)
{
    const struct ctrl_model *m = t->buses[b]->model;
    if (!m || !((m->accepts_auto | m->accepts_manual) & device_need(dv)))
        return false;
    if (dv->index < 0 && !integrated(dv))
        return true;
    if (integrated(dv) && b != 0)
        return false;
    if (dv->index > 0 && behind(t, b, dv->index))
        return false;
    return !(dv->ctrl && strcmp(dv->ctrl->name, "pci-bridge") == 0 && dv->index <= (int)b);
}

static bool bus_takes(const struct topology *t, unsigned b, const struct relocate_request *r)
{
    if (r->dv)
        return bus_takes_device(t, b, r->dv);
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        if (r->g.fn[f] && !bus_takes_device(t, b, r->g.fn[f]))
            return false;
    return true;
}

/* Whether b:slot is where the subject already is (a move there changes
 * nothing, so it is no target). */
static bool is_current(const struct relocate_request *r, unsigned b, unsigned slot)
{
    if (!r->dv)
        return r->g.bus == b && r->g.slot == slot;
    const struct device *dv = r->dv;
    return dv->addr_state == ADDR_PCI && dv->addr.bus == b && dv->addr.slot == slot
        && dv->addr.function == 0;
}

bool relocate_targets(const struct session *s, const struct relocate_request *r,
                      struct relocate_targets *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (r->automatic) {
        struct relocate_request named = *r;
        named.automatic = false;
        return relocate_targets(s, &named, out, e);
    }
    if (!relocate_movable(s, r, e))
        return false;
    const struct topology *t = s->topo;
    for (unsigned b = 0; b < PCI_BUSES; b++) {
        const struct bus *bs = t->buses[b];
        if (!bs || !bs->model || !bus_takes(t, b, r))
            continue;
        for (int sl = bs->model->min_slot; sl <= bs->model->max_slot; sl++) {
            unsigned slot = (unsigned)sl;
            if ((b == 0 && slot == 0) || is_current(r, b, slot)
                || (bs->slots[slot].used & ~own_functions(r, b, slot)))
                continue;
            out->slots[b] |= 1u << slot;
            out->n++;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* The report */

void relocate_report_free(struct relocate_report *rep)
{
    free(rep->subject);
    for (int i = 0; i < rep->nadded; i++)
        free(rep->added[i]);
    free(rep->added);
    for (int i = 0; i < rep->nnotes; i++)
        free(rep->notes[i]);
    free(rep->notes);
    free(rep->still_refused);
    memset(rep, 0, sizeof *rep);
}

static void put_addr(struct strbuf *sb, const struct relocate_report *rep, const struct pci_addr *a)
{
    if (rep->group)
        sb_printf(sb, "%02x:%02x", a->bus, a->slot);
    else
        sb_printf(sb, "%02x:%02x.%x", a->bus, a->slot, a->function);
}

void relocate_report_line(const struct relocate_report *rep, struct strbuf *sb)
{
    const char *subject = rep->subject ? rep->subject : "?";
    if (!rep->changed) {
        sb_printf(sb, "%s %s ", subject, rep->automatic ? "stays at" : "is already at");
        put_addr(sb, rep, &rep->to);
        sb_puts(sb, rep->automatic ? ": placement chooses the slot it has; nothing changed"
                                   : "; nothing changed");
    } else if (rep->had_addr) {
        sb_printf(sb, "moved %s from ", subject);
        put_addr(sb, rep, &rep->from);
        sb_puts(sb, " to ");
        put_addr(sb, rep, &rep->to);
        sb_printf(sb, "%s; the guest will see %s at a new address", rep->hotplug ? " [hotplug]" : "",
                  rep->group ? "its functions" : "it");
    } else {
        sb_printf(sb, "gave %s the address ", subject);
        put_addr(sb, rep, &rep->to);
        sb_puts(sb, rep->hotplug ? " [hotplug]" : "");
    }
    for (int i = 0; i < rep->nadded; i++)
        sb_printf(sb, "%s%s", i ? ", " : "; adds ", rep->added[i]);
    if (rep->others)
        sb_printf(sb, "; places %d other device%s", rep->others, rep->others == 1 ? "" : "s");
    for (int i = 0; i < rep->nnotes; i++)
        sb_printf(sb, "; %s", rep->notes[i]);
    if (rep->still_refused)
        sb_printf(sb, "; libvirt 9.0 still refuses the domain, as it did before: %s", rep->still_refused);
}

static void report_add(char ***list, int *n, char *text)
{
    *list = xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
    (*list)[(*n)++] = text;
}

/* ------------------------------------------------------------------ */
/* Moving */

/* The elements that move, with their functions: the device, or each
 * member of the group.  Taken before the document changes, since the
 * topology (and every device pointer) is rebuilt after it. */
struct movers {
    xmlNodePtr node[PCI_FUNCTIONS];
    unsigned fn[PCI_FUNCTIONS];
    int n;
};

static void movers_of(const struct relocate_request *r, struct movers *m)
{
    memset(m, 0, sizeof *m);
    if (r->dv) {
        m->node[0] = r->dv->node;
        m->fn[0] = r->function;
        m->n = 1;
        return;
    }
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        if (r->g.fn[f]) {
            m->node[m->n] = r->g.fn[f]->node;
            m->fn[m->n++] = (unsigned)f;
        }
}

static bool is_mover(const struct movers *m, xmlNodePtr node)
{
    for (int i = 0; i < m->n; i++)
        if (m->node[i] == node)
            return true;
    return false;
}

/* The subject as the report names it, and where it is now. */
static void describe(const struct relocate_request *r, struct relocate_report *rep)
{
    rep->automatic = r->automatic;
    rep->group = !r->dv;
    if (r->dv) {
        rep->subject = device_name_new(r->dv);
        rep->had_addr = r->dv->addr_state == ADDR_PCI;
        rep->from = r->dv->addr;
        return;
    }
    char *members = group_members_text_new(&r->g);
    rep->subject = xasprintf("the group %s", members);
    free(members);
    rep->had_addr = true;
    rep->from = (struct pci_addr){ 0, r->g.bus, r->g.slot, 0, -1 };
}

/* Function 0 of a slot other functions share is written
 * multifunction='on', as libvirt writes it (placement completes it too,
 * but not in a domain libvirt still refuses for another reason). */
static bool slot_shared(const struct topology *t, const struct relocate_request *r)
{
    const struct bus *b = topology_bus(t, r->bus);
    return r->function == 0 && b
        && (b->slots[r->slot].used & ~own_functions(r, r->bus, r->slot) & ~1u) != 0;
}

/* Writes the new addresses (or, for auto, takes the address away). */
/* r names the devices of the document as it was; on a copy of it the
 * movers are their twins there. */
static bool movers_in(struct movers *m, const struct session *s, const struct topology *was,
                      struct err *e)
{
    for (int i = 0; i < m->n && was->root->doc != s->dom->doc; i++)
        if (!(m->node[i] = xml_twin(m->node[i], s->dom->doc))) {
            err_set(e, "relocate: the copy of the document lost a device (a bug in pcitopo)");
            return false;
        }
    return true;
}

static void write_addresses(const struct topology *was, const struct relocate_request *r,
                            const struct movers *m)
{
    if (r->automatic) {
        xmlNodePtr a = xml_child(m->node[0], "address");
        if (a)
            layout_remove(a);
        return;
    }
    bool mf_dev = r->dv && slot_shared(was, r);
    for (int i = 0; i < m->n; i++) {
        struct pci_addr a = { 0, r->bus, r->slot, m->fn[i], -1 };
        apply_address(m->node[i], &a, r->dv ? mf_dev : m->fn[i] == 0);
    }
}

/* Whether before (check's list before the move) has a problem (or note)
 * with that text: the move did not bring it. */
static bool had_before(const struct diag_list *before, const struct diag *d)
{
    for (size_t i = 0; i < before->n; i++)
        if (before->d[i].error == d->error && strcmp(before->d[i].msg, d->msg) == 0)
            return true;
    return false;
}

/* libvirt's refusal of the domain with the move, in check's words; hint
 * (NULL: place_hint's for the message) after it. */
static void refused(const struct relocate_report *rep, const struct relocate_request *r,
                    const struct diag *d, const char *hint, struct err *e)
{
    struct strbuf at = STRBUF_INIT;
    struct pci_addr to = { 0, r->bus, r->slot, r->function, -1 };
    if (r->automatic) {
        sb_puts(&at, "without its address");
    } else {
        sb_puts(&at, "at ");
        put_addr(&at, rep, &to);
    }
    err_set(e, "relocate: %s %s: %s: %s", rep->subject, at.buf,
            d->at_start ? "libvirt 9.0 would define it, but QEMU would not start the domain"
                        : "libvirt 9.0 would refuse the domain", d->msg);
    sb_free(&at);
    if (!hint)
        hint = place_hint(d->msg);
    if (hint)
        err_add_line(e, "  hint: %s", hint);
}

/* Judges the document after the move against check's list from before:
 * a problem the move brought refuses it (false, e set); *still gets the
 * first problem the domain still has (it had it before), or NULL. */
static bool judge(const struct diag_list *after, const struct relocate_request *r,
                  const struct diag_list *before, const struct relocate_report *rep,
                  const char *hint, char **still, struct err *e)
{
    *still = NULL;
    for (size_t i = 0; i < after->n; i++) {
        const struct diag *d = &after->d[i];
        if (!d->error)
            continue;
        if (!had_before(before, d)) {
            refused(rep, r, d, hint, e);
            free(*still);
            *still = NULL;
            return false;
        }
        if (!*still)
            *still = xstrdup(d->msg);
    }
    return true;
}

/* Places the domain as add does and writes it; rep gets what came with
 * the move.  False with e set when libvirt would refuse the placement. */
static bool place_rest(struct session *s, const struct movers *m, struct relocate_report *rep,
                       struct err *e)
{
    struct err why ERR_SCOPE = ERR_INIT;
    const struct plan *p = place_plan_shared(s->topo, &why, NULL);
    if (!p) {
        err_set(e, "relocate: %s: libvirt 9.0 would refuse the domain: %s", rep->subject, why.msg);
        return false;
    }
    for (size_t i = 0; i < p->n; i++) {
        const struct plan_item *it = &p->items[i];
        if (it->origin == ORIGIN_DOCUMENT) {
            rep->others += !it->manual && !(it->dev && is_mover(m, it->dev->node));
            continue;
        }
        struct strbuf text = STRBUF_INIT;
        plan_item_put(&text, it);
        report_add(&rep->added, &rep->nadded, sb_detach(&text));
    }
    struct apply_stats wrote = plan_apply(p, s->dom);
    /* the common move writes nothing more: the topology is the document's
     * already, and a preview per key cannot afford building it again */
    if (!wrote.addressed && !wrote.added && !wrote.completed)
        return true;
    return session_refresh_placed(s, e);
}

struct slot_ref {
    unsigned bus, slot;
};

/* The slot whose function 0 the subject gives up while other functions
 * stay in it: what the guest then cannot find.  False when none. */
static bool vacated_slot(const struct topology *t, const struct relocate_request *r,
                         struct slot_ref *out)
{
    const struct device *dv = r->dv;
    if (!dv || dv->addr_state != ADDR_PCI || dv->addr.function != 0
        || (!r->automatic && r->bus == dv->addr.bus && r->slot == dv->addr.slot && r->function == 0))
        return false;
    const struct bus *b = topology_bus(t, dv->addr.bus);
    if (!b || !(b->slots[dv->addr.slot].used & ~1u))
        return false;
    *out = (struct slot_ref){ dv->addr.bus, dv->addr.slot };
    return true;
}

/* "function 3", "functions 1-7", "functions 1, 3-4" of a function mask. */
static void put_functions(struct strbuf *sb, uint8_t mask)
{
    int n = 0;
    struct strbuf list = STRBUF_INIT;
    for (int f = 0; f < PCI_FUNCTIONS; f++) {
        if (!(mask & (1u << f)))
            continue;
        int last = f;
        while (last + 1 < PCI_FUNCTIONS && (mask & (1u << (last + 1))))
            last++;
        sb_printf(&list, "%s%d", list.len ? ", " : "", f);
        if (last > f)
            sb_printf(&list, "-%d", last);
        n += last - f + 1;
        f = last;
    }
    sb_printf(sb, "function%s %s", n == 1 ? "" : "s", list.buf ? list.buf : "");
    sb_free(&list);
}

/* Notes check has now and did not have before, about devices: where the
 * move leaves a device that libvirt accepts but that is worth knowing (a
 * function without function 0).  A slot the subject left without its
 * function 0 gets one sentence instead of check's note per function. */
static void collect_notes(const struct session *s, const struct diag_list *now,
                          const struct diag_list *before, const struct slot_ref *vacated,
                          bool placing, struct relocate_report *rep)
{
    const struct bus *b = vacated ? topology_bus(s->topo, vacated->bus) : NULL;
    uint8_t left = b ? b->slots[vacated->slot].used : 0;
    bool headless = left && !(left & 1u);
    for (size_t i = 0; i < now->n; i++) {
        const struct diag *d = &now->d[i];
        if (d->error || !d->dev || had_before(before, d) || d->dev->addr_state != ADDR_PCI)
            continue;
        if (headless && d->dev->addr.bus == vacated->bus && d->dev->addr.slot == vacated->slot)
            continue;
        /* placement adds the controllers of a bus that has none, and the
         * report names them */
        if (placing && !topology_bus(s->topo, d->dev->addr.bus))
            continue;
        report_add(&rep->notes, &rep->nnotes, xstrdup(d->msg));
    }
    if (headless) {
        struct strbuf fns = STRBUF_INIT;
        put_functions(&fns, left);
        report_add(&rep->notes, &rep->nnotes,
                   xasprintf("slot %02x:%02x keeps %s without a function 0: libvirt and QEMU accept it, but a guest looks for a slot's other functions only behind its function 0 (Linux does), so it will not see them until a device takes %02x:%02x.0",
                             vacated->bus, vacated->slot, fns.buf, vacated->bus, vacated->slot));
        sb_free(&fns);
    }
}

/* Where the subject is now (function 0's element for a group). */
static void note_result(const struct session *s, const struct movers *m, struct relocate_report *rep)
{
    const struct device *dv = topology_find_node(s->topo, m->node[0]);
    for (int i = 0; i < m->n && rep->group; i++)
        if (m->fn[i] == 0)
            dv = topology_find_node(s->topo, m->node[i]);
    if (!dv || dv->addr_state != ADDR_PCI)
        return;
    rep->to = dv->addr;
    const struct bus *b = topology_bus(s->topo, dv->addr.bus);
    rep->hotplug = b && b->hotplug && dv->addr.function == 0;
    rep->changed = !rep->had_addr || rep->from.bus != rep->to.bus || rep->from.slot != rep->to.slot
        || (!rep->group && rep->from.function != rep->to.function);
}

static bool same_address(const struct relocate_request *r, const struct relocate_report *rep)
{
    return rep->had_addr && !r->automatic && rep->from.bus == r->bus && rep->from.slot == r->slot
        && (rep->group || rep->from.function == r->function);
}

static const struct device *subject_device(const struct relocate_request *r);

/* check's list for the document before the move: from orig, the
 * untouched original when the move runs on a copy, else made before the
 * document changes (eagerly, as the topology is rebuilt after it). */
struct before {
    const struct topology *orig;
    struct diag_list *list;
};

static const struct diag_list *before_list(struct before *bf)
{
    if (!bf->list)
        bf->list = place_check(bf->orig);
    return bf->list;
}

/* Whether check's list after the move has anything that needs the list
 * from before to judge: a problem, or a note about a device. */
static bool needs_before(const struct diag_list *after)
{
    for (size_t i = 0; i < after->n; i++)
        if (after->d[i].error || after->d[i].dev)
            return true;
    return false;
}

/* The move itself, once the subject may move: write the addresses, judge
 * the document as check does (against the list from before, asked only
 * when the result has anything to judge), note what the move brought,
 * and place the rest as add does.  orig, when not NULL, is the topology
 * of the document s is an underived copy of, and r names its devices. */
static bool move(struct session *s, const struct relocate_request *r, const struct topology *orig,
                 struct relocate_report *rep, struct err *e)
{
    const struct topology *was = orig ? orig : s->topo;
    struct movers m;
    movers_of(r, &m);
    if (!movers_in(&m, s, was, e))
        return false;
    struct slot_ref vacated;
    bool vacates = vacated_slot(was, r, &vacated);
    /* a controller sent below itself: QEMU's refusal, and not the switch
     * quirk place_hint would name for it */
    const char *hint = r->dv && r->dv->index > 0 && !r->automatic && behind(was, r->bus, r->dv->index)
        ? "that bus is the controller's own or hangs below it; move it to a bus that is not behind it"
        : NULL;
    struct before bf = { orig, orig ? NULL : place_check(s->topo) };
    write_addresses(was, r, &m);
    bool ok = session_refresh(s, e);   /* r's device pointers are stale from here */
    struct diag_list *after = ok ? place_check(s->topo) : NULL;
    char *still = NULL;
    if (ok && needs_before(after)) {
        ok = judge(after, r, before_list(&bf), rep, hint, &still, e);
        /* before placement, the bus a new address names has no controller
         * yet: check's note about it is for the report's "adds" */
        if (ok)
            collect_notes(s, after, before_list(&bf), vacates ? &vacated : NULL, !still, rep);
    }
    if (ok && still && r->automatic) {
        err_set(e, "relocate: %s: libvirt 9.0 would refuse the domain, so placement cannot choose: %s",
                rep->subject, still);
        ok = false;
    }
    if (ok && still) {
        rep->still_refused = still;   /* the move is made; nothing is placed */
        still = NULL;
    } else if (ok) {
        ok = place_rest(s, &m, rep, e);
    }
    if (ok)
        note_result(s, &m, rep);
    free(still);
    diag_list_free(bf.list);
    diag_list_free(after);
    s->last_added = ok ? m.node[0] : NULL;
    return ok;
}

/* A relocation that changes nothing but the bytes of the address it
 * rewrites: auto choosing the slot the device has. */
static bool no_change(const struct relocate_report *rep)
{
    return !rep->changed && !rep->nadded && !rep->others && !rep->nnotes;
}

static struct session *trial_new(const struct session *s, const struct relocate_request *r,
                                 struct relocate_report *rep, struct err *e);

/* A group's slot holds its members only (as group makes it): a group
 * does not go where other devices are, and a device that is not a host
 * device does not join a group.  Where the functions collide, libvirt's
 * own refusal says it better, so this is only for slots libvirt would
 * share. */
static bool keeps_groups(const struct session *s, const struct relocate_request *r, struct err *e)
{
    const struct bus *b = r->automatic ? NULL : topology_bus(s->topo, r->bus);
    if (!b)
        return true;
    uint8_t others = b->slots[r->slot].used & ~own_functions(r, r->bus, r->slot);
    struct group there;
    if (!r->dv) {
        uint8_t mine = 0;
        for (int f = 0; f < PCI_FUNCTIONS; f++)
            mine |= r->g.fn[f] ? (uint8_t)(1u << f) : 0;
        if (!others || (others & mine))
            return true;
        err_set(e, "relocate: no other device may share a group's slot, and %02x:%02x has function%s in use; choose an empty slot",
                r->bus, r->slot, (others & (others - 1)) ? "s" : "");
        return false;
    }
    group_at(s->topo, r->bus, r->slot, &there);
    if (!group_is_hostdevs(&there) || group_member_ok(r->dv) || (others & (1u << r->function)))
        return true;
    char *members = group_members_text_new(&there);
    err_set(e, "relocate: slot %02x:%02x holds the group %s, and only host devices share a slot with a group",
            r->bus, r->slot, members);
    free(members);
    return false;
}

bool relocate_run(struct session *s, const struct relocate_request *r, struct relocate_report *rep,
                  struct err *e)
{
    memset(rep, 0, sizeof *rep);
    describe(r, rep);
    const struct device *sub = subject_device(r);
    if (same_address(r, rep)) {
        rep->to = rep->from;
        s->last_added = sub ? sub->node : NULL;
        return true;
    }
    if (!target_ok(r, e) || !relocate_movable(s, r, e) || !keeps_groups(s, r, e))
        return false;
    if (r->automatic) {
        /* auto may choose the slot the device has: then the document stays
         * as it is, to the byte, so try it on a copy first */
        struct relocate_report trial;
        struct session *c = trial_new(s, r, &trial, e);
        bool tried = c != NULL, unchanged = tried && no_change(&trial);
        session_free(c);
        if (!tried || unchanged) {
            relocate_report_free(rep);
            *rep = trial;
            s->last_added = tried && sub ? sub->node : NULL;
            return tried;
        }
        relocate_report_free(&trial);
    }
    return move(s, r, NULL, rep, e);
}

/* move on *copy, a copy of s (made when NULL, else reset): false with e
 * set when the move fails. */
static bool trial(const struct session *s, const struct relocate_request *r, struct session **copy,
                  struct relocate_report *rep, struct err *e)
{
    memset(rep, 0, sizeof *rep);
    if (!session_ready_copy(copy, s, e))
        return false;
    describe(r, rep);
    return move(*copy, r, s->topo, rep, e);
}

/* move on a copy of s: the copy after it, or NULL with e set. */
static struct session *trial_new(const struct session *s, const struct relocate_request *r,
                                 struct relocate_report *rep, struct err *e)
{
    struct session *c = NULL;
    if (!trial(s, r, &c, rep, e)) {
        session_free(c);
        return NULL;
    }
    return c;
}

/* The device r moves (a group's lowest function). */
static const struct device *subject_device(const struct relocate_request *r)
{
    for (int f = 0; !r->dv && f < PCI_FUNCTIONS; f++)
        if (r->g.fn[f])
            return r->g.fn[f];
    return r->dv;
}

bool relocate_preview(const struct session *s, const struct relocate_request *r,
                      struct session **copy, struct relocate_report *rep, struct err *e)
{
    memset(rep, 0, sizeof *rep);
    describe(r, rep);
    if (!same_address(r, rep)) {
        if (!target_ok(r, e) || !relocate_movable(s, r, e) || !keeps_groups(s, r, e))
            return false;
        relocate_report_free(rep);
        return trial(s, r, copy, rep, e);
    }
    /* nothing moves: the copy is the document as it is */
    rep->to = rep->from;
    if (!session_ready_copy(copy, s, e) || !session_refresh(*copy, e))
        return false;
    const struct device *dv = subject_device(r);
    if (dv)
        (*copy)->last_added = (*copy)->topo->devs[dv - s->topo->devs].node;
    return true;
}
