/* details: the details pane — what the selected line is, where it is,
 * whether it hot-plugs, and why it is there (explain). */
#include "config.h"
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "util.h"

/* "name  value" rows of the details pane. */
static void put_field(struct pane p, int *y, const char *name, const char *value)
{
    if (*y >= p.y + p.h || !value)
        return;
    put_clipped(*y, p.x, p.w, name, A_BOLD);
    /* a long value (an alias, what a bus accepts) wraps: cut, it would say less */
    struct pane v = { *y, p.x + 11, p.y + p.h - *y, p.w - 11 };
    int at = *y;
    put_wrapped(v, &at, *value ? value : " ", A_NORMAL);
    *y = at > *y ? at : *y + 1;
}

/* "accepts": what a bus of model m takes by itself. */
static void put_accepts(struct pane p, int *y, const struct ctrl_model *m)
{
    char *conn = catalog_conn_names_new(m->accepts_auto);
    put_field(p, y, "accepts", conn);
    free(conn);
}

static const struct ctrl_model *bus_model_of(const struct topology *t, int bus)
{
    const struct bus *b = bus >= 0 ? topology_bus(t, (unsigned)bus) : NULL;
    return b ? b->model : NULL;
}

static void details_of_device(struct editor *ed, struct pane p, int *y, const struct tree_line *l,
                              const struct topology *t)
{
    const struct device *dv = l->dev;
    char buf[256];
    char *element = xasprintf("<%s>%s", (const char *)dv->node->name,
                              domain_line(dv->node) ? "" : "  (new)");
    put_field(p, y, "element", element);
    free(element);
    if (domain_line(dv->node)) {
        snprintf(buf, sizeof buf, "%ld", domain_line(dv->node));
        put_field(p, y, "line", buf);
    }
    put_field(p, y, "model", dv->model ? dv->model : "(none)");
    put_field(p, y, "alias", dv->alias ? dv->alias : "(none)");
    if (dev_pref_is_set(&dv->pref)) {
        char *wishes = dev_pref_text_new(&dv->pref);
        put_field(p, y, "prefs", wishes);
        free(wishes);
    }
    if (dv->index == 0) {
        put_field(p, y, "address", "none: it is the root bus, the machine's host bridge");
    } else if (dv->addr_state == ADDR_PCI) {
        snprintf(buf, sizeof buf, "%02x:%02x.%x%s", dv->addr.bus, dv->addr.slot, dv->addr.function,
                 dv->addr.multifunction == 1 ? " multifunction" : "");
        put_field(p, y, "address", buf);
    } else {
        put_field(p, y, "address", "none yet: placement chooses");
    }
    put_field(p, y, "class", catalog_class_name(catalog_effective_class(dv->cls, t->machine)));
    const struct bus *on = dv->addr_state == ADDR_PCI ? topology_bus(t, dv->addr.bus) : NULL;
    struct group g;
    if (group_of(t, dv, &g)) {
        snprintf(buf, sizeof buf, "function %x of %d at %02x:%02x", dv->addr.function, g.n, g.bus,
                 g.slot);
        put_field(p, y, "group", buf);
        put_field(p, y, "hotplug", on && on->hotplug
                  ? "only with its group, as a whole"
                  : "no");
    } else {
        put_field(p, y, "hotplug", on && on->hotplug && dv->addr.function == 0
                  ? "yes: its slot takes hot-plugged devices" : "no");
    }
    if (dv->index >= 0 && dv->ctrl) {
        char *conn = catalog_conn_names_new(dv->ctrl->accepts_auto);
        char *accepts = xasprintf("bus %02x: %s", dv->index, conn);
        put_field(p, y, "accepts", accepts);
        free(accepts);
        free(conn);
    }
}

/* A slot of several functions: what it is and how it hot-plugs, with the
 * keys that act on it as a unit. */
static void details_of_slot(struct editor *ed, struct pane p, int *y, const struct tree_line *l,
                            const struct topology *t)
{
    struct group g;
    group_at(t, (unsigned)l->bus, (unsigned)l->slot_first, &g);
    const struct ctrl_model *m = bus_model_of(t, l->bus);
    bool group = group_is_hostdevs(&g);
    char *what = xasprintf("%02x:%02x on %s, %d functions", g.bus, g.slot, m ? m->name : "?", g.n);
    put_field(p, y, group ? "group" : "slot", what);
    free(what);
    char *members = group_members_text_new(&g);
    put_field(p, y, "functions", members);
    free(members);
    const struct bus *b = topology_bus(t, g.bus);
    put_field(p, y, "hotplug", b && b->hotplug ? "as a whole: every function together, function 0 last"
                                               : "no");
    if (!group)
        return;
    (*y)++;
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "Host functions sharing one slot, as the guest sees one card. QEMU plugs the "
                 "other functions first and function 0 last; the slot is unplugged as a whole, "
                 "so no function can be hot-unplugged alone.");
    static const struct { const char *command, *does; } unit_keys[] = {
        { "hotplug-xml", "writes the hot-plug and unplug sequences" },
        { "delete", "deletes the whole group" },
        { "ungroup", "gives each function its own slot" },
    };
    for (size_t i = 0; i < ARRAY_LEN(unit_keys); i++) {
        char *keys = keymap_keys_new(ed->km, "tree", unit_keys[i].command);
        if (*keys)
            sb_printf(&sb, " %s %s.", keys, unit_keys[i].does);
        free(keys);
    }
    put_wrapped(p, y, sb.buf, A_NORMAL);
    sb_free(&sb);
}

void details_draw(struct editor *ed, struct pane p)
{
    const struct tree_line *l = sel_line(ed);
    int y = p.y;
    if (!l)
        return;
    /* the add dialog takes this pane's place: this is the session's topology */
    const struct topology *t = ed->s->topo;
    if (l->role == ROLE_ROOT) {
        const struct bus *b = topology_bus(t, l->own_bus > 0 ? (unsigned)l->own_bus : 0);
        put_field(p, &y, "root bus", b->model->name);
        put_field(p, &y, "hotplug", b->hotplug ? "yes: its slots take hot-plugged devices"
                                  : b->model->hotplug_needs_acpi ? "no: without ACPI, pci-root slots cannot hot-plug"
                                                          : "no: devices here are integrated in the root complex");
        put_accepts(p, &y, b->model);
        y++;
        put_wrapped(p, &y, b->model->role, A_NORMAL);
        return;
    }
    if (l->dev) {
        details_of_device(ed, p, &y, l, t);
    } else if (l->role == ROLE_SLOT) {
        details_of_slot(ed, p, &y, l, t);
        return;
    } else if (l->role == ROLE_EMPTY) {
        const struct ctrl_model *m = bus_model_of(t, l->bus);
        char *empty = xasprintf("%02x:%02x-%02x on %s", l->bus, l->slot_first, l->slot_last,
                                m ? m->name : "?");
        put_field(p, &y, "empty", empty);
        free(empty);
        const struct bus *b = topology_bus(t, (unsigned)l->bus);
        put_field(p, &y, "hotplug", b && b->hotplug ? "yes: a running guest can take devices here" : "no");
        if (m)
            put_accepts(p, &y, m);
        if (l->slot_first != l->slot_last)
            put_field(p, &y, "", "Enter lists the slots one by one");
    } else {
        put_wrapped(p, &y, l->text, A_NORMAL);
        return;
    }
    if (!l->dev || y + 2 >= p.y + p.h)
        return;
    /* explain is a placement run: made once per device and topology, not
     * per frame (tree lines are renumbered when empty slots expand) */
    if (!ed->explain || ed->explain_node != l->dev->node || ed->explain_serial != ed->s->topo_serial) {
        free(ed->explain);
        /* the device itself, not a name: two devices can share an address */
        ed->explain = explain_of(t, l->dev);
        ed->explain_node = l->dev->node;
        ed->explain_serial = ed->s->topo_serial;
    }
    if (ed->explain) {
        y++;
        put_clipped(y++, p.x, p.w, "Why it is here", A_BOLD);
        /* the first line repeats the tree line */
        const char *body = strchr(ed->explain, '\n');
        put_wrapped(p, &y, body ? body + 1 : ed->explain, A_NORMAL);
    }
}
