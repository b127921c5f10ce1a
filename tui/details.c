/* details: the details pane — what the selected line is, where it is,
 * whether it hot-plugs, and why it is there (explain).  Its text is made
 * as rows first, then the rows that fit are drawn from details_top: the
 * explanation is often longer than the pane, so it scrolls, with a mark
 * in its last row saying there is more. */
#include "config.h"
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "guestbus.h"
#include "problems.h"
#include "util.h"

/* A field's value starts in this column, after its name. */
#define LABEL_COLS 11

/* One row of the pane: a name in bold (a field's first row), then the
 * text from column indent. */
struct drow {
    const char *label;          /* borrowed (a literal); NULL: none */
    char *text;                 /* owned */
    int indent;
    attr_t attr;
};

/* The pane's text, as rows of w columns. */
struct drows {
    struct drow *r;             /* owned */
    int n, cap, w;
};

static void drows_push(struct drows *d, const char *label, const char *text, size_t len, int indent,
                       attr_t attr)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 32;
        d->r = xrealloc(d->r, (size_t)d->cap * sizeof *d->r);
    }
    d->r[d->n++] = (struct drow){ label, xstrndup(text, len), indent, attr };
}

static void drows_free(struct drows *d)
{
    for (int i = 0; i < d->n; i++)
        free(d->r[i].text);
    free(d->r);
    *d = (struct drows){ 0 };
}

/* text wrapped at word boundaries from column indent, label on its
 * first row. */
static void add_wrapped(struct drows *d, const char *label, int indent, const char *text, attr_t attr)
{
    int w = d->w - indent;
    for (const char *s = text; *s;) {
        size_t cut = wrap_cut(s, w);
        drows_push(d, label, s, cut, indent, attr);
        label = NULL;
        s += cut;
        if (*s == '\n')
            s++;
    }
}

static void add_text(struct drows *d, const char *text, attr_t attr)
{
    add_wrapped(d, NULL, 0, text, attr);
}

static void add_blank(struct drows *d)
{
    drows_push(d, NULL, "", 0, 0, A_NORMAL);
}

/* "name  value" rows of the details pane. */
static void put_field(struct drows *d, const char *name, const char *value)
{
    if (!value)
        return;
    /* a long value (an alias, what a bus accepts) wraps: cut, it would say less */
    add_wrapped(d, name, LABEL_COLS, *value ? value : " ", A_NORMAL);
}

/* "accepts": what a bus of model m takes by itself. */
static void put_accepts(struct drows *d, const struct ctrl_model *m)
{
    char *conn = catalog_conn_names_new(m->accepts_auto);
    put_field(d, "accepts", conn);
    free(conn);
}

static const struct ctrl_model *bus_model_of(const struct topology *t, int bus)
{
    const struct bus *b = bus >= 0 ? topology_bus(t, (unsigned)bus) : NULL;
    return b ? b->model : NULL;
}

/* What check finds about this device, in libvirt's words: the reason it
 * is drawn in the error colour, where the user will fix it. */
static void put_problems(struct editor *ed, struct drows *d, const struct device *dv)
{
    const struct problem_list *l = problems_current(ed);
    for (size_t i = 0; l && i < l->n; i++)
        if (l->p[i].dev == dv || (l->p[i].node && l->p[i].node == dv->node))
            put_field(d, l->p[i].severity == PROBLEM_NOTE ? "note"
                         : l->p[i].severity == PROBLEM_WARNING ? "warning" : "problem", l->p[i].msg);
}

/* Where the guest sees dv, and the bus it provides, where that is not
 * the XML's number (the address row says so then): both numbers are in
 * the pane, whichever the tree shows first. */
static void put_guest(struct drows *d, const struct device *dv, const struct guestbus *g)
{
    const struct guest_fn *f = g ? guestbus_of(g, dv) : NULL;
    if (f && f->state == GUEST_SEEN && f->bus != (int)f->xml.bus) {
        char *at = xasprintf("0000:%02x:%02x.%x, as the guest's lspci -D shows it", f->bus, f->slot,
                             f->function);
        put_field(d, "guest", at);
        free(at);
    } else if (f && f->has_xml && f->state != GUEST_SEEN) {
        char *why = guest_fn_why_new(g, f);
        char *text = xasprintf("not seen: %s", why);
        put_field(d, "guest", text);
        free(text);
        free(why);
    }
    if (g && dv->index > 0) {
        char *why = guest_bus_why_new(g, (unsigned)dv->index);
        int n = guestbus_number(g, (unsigned)dv->index);
        char *text = why ? xasprintf("none: %s", why)
                   : n != dv->index ? xasprintf("%02x (the XML's bus %02x)", n, dv->index) : NULL;
        put_field(d, "guest bus", text);
        free(text);
        free(why);
    }
}

/* "06:00.0", and ", the guest's too" when the guest has it there. */
static char *address_text_new(const struct device *dv, const struct guestbus *g)
{
    const struct guest_fn *f = g ? guestbus_of(g, dv) : NULL;
    bool same = f && f->state == GUEST_SEEN && f->bus == (int)dv->addr.bus;
    return xasprintf("%02x:%02x.%x%s%s", dv->addr.bus, dv->addr.slot, dv->addr.function,
                     dv->addr.multifunction == 1 ? " multifunction" : "", same ? ", the guest's too" : "");
}

static void details_of_device(struct editor *ed, struct drows *d, const struct tree_line *l,
                              const struct topology *t)
{
    const struct device *dv = l->dev;
    char buf[256];
    char *element = xasprintf("<%s>%s", (const char *)dv->node->name,
                              domain_line(dv->node) ? "" : "  (new)");
    put_field(d, "element", element);
    free(element);
    if (domain_line(dv->node)) {
        snprintf(buf, sizeof buf, "%ld", domain_line(dv->node));
        put_field(d, "line", buf);
    }
    put_field(d, "model", dv->model ? dv->model : "(none)");
    put_field(d, "alias", dv->alias ? dv->alias : "(none)");
    if (dev_pref_is_set(&dv->pref)) {
        char *wishes = dev_pref_text_new(&dv->pref);
        put_field(d, "prefs", wishes);
        free(wishes);
    }
    const struct guestbus *gb = t->mach->firmware != FW_NOT_MODELLED && dv->index != 0 ? guestbus_shared(t) : NULL;
    if (ed->numbers == NUMBERS_GUEST_XML)
        put_guest(d, dv, gb);
    if (dv->index == 0) {
        put_field(d, "address", "none: it is the root bus, the machine's host bridge");
    } else if (dv->addr_state == ADDR_PCI) {
        char *at = address_text_new(dv, gb);
        put_field(d, "address", at);
        free(at);
    } else if (dv->addr_state == ADDR_BAD) {
        struct strbuf written = STRBUF_INIT;
        device_put_written_address(dv, &written);
        put_field(d, "address", written.buf ? written.buf : "");
        sb_free(&written);
    } else {
        put_field(d, "address", "none yet: placement chooses");
    }
    if (ed->numbers != NUMBERS_GUEST_XML)
        put_guest(d, dv, gb);
    put_problems(ed, d, dv);
    put_field(d, "class", catalog_class_name(catalog_effective_class(dv->cls, t->machine)));
    const struct bus *on = dv->addr_state == ADDR_PCI ? topology_bus(t, dv->addr.bus) : NULL;
    struct group g;
    if (group_of(t, dv, &g)) {
        snprintf(buf, sizeof buf, "function %x of %d at %02x:%02x", dv->addr.function, g.n, g.bus,
                 g.slot);
        put_field(d, "group", buf);
        put_field(d, "hotplug", on && on->hotplug
                  ? "only with its group, as a whole"
                  : "no");
    } else if (dv->addr_state != ADDR_PCI) {
        /* it has no slot yet: the answer is the slot's, once placed */
        put_field(d, "hotplug", "not placed yet: it depends on the slot placement gives it "
                                   "(p places, e explains)");
    } else {
        put_field(d, "hotplug", on && on->hotplug && dv->addr.function == 0
                  ? "yes: its slot takes hot-plugged devices" : "no");
    }
    if (dv->index >= 0 && dv->ctrl) {
        char *conn = catalog_conn_names_new(dv->ctrl->accepts_auto);
        char *accepts = xasprintf("bus %02x: %s", dv->index, conn);
        put_field(d, "accepts", accepts);
        free(accepts);
        free(conn);
    }
}

/* A slot of several functions: what it is and how it hot-plugs, with the
 * keys that act on it as a unit. */
static void details_of_slot(struct editor *ed, struct drows *d, const struct tree_line *l,
                            const struct topology *t)
{
    struct group g;
    group_at(t, (unsigned)l->bus, (unsigned)l->slot_first, &g);
    const struct ctrl_model *m = bus_model_of(t, l->bus);
    bool group = group_is_hostdevs(&g);
    char *what = xasprintf("%02x:%02x on %s, %d functions", g.bus, g.slot, m ? m->name : "?", g.n);
    put_field(d, group ? "group" : "slot", what);
    free(what);
    char *members = group_members_text_new(&g);
    put_field(d, "functions", members);
    free(members);
    const struct bus *b = topology_bus(t, g.bus);
    put_field(d, "hotplug", b && b->hotplug ? "as a whole: every function together, function 0 last"
                                               : "no");
    if (!group)
        return;
    add_blank(d);
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
    add_text(d, sb.buf, A_NORMAL);
    sb_free(&sb);
}

/* "Why it is here": explain's text for the device.  Explain is a
 * placement run: made once per device and topology, not per frame (tree
 * lines are renumbered when empty slots expand). */
static void add_explanation(struct editor *ed, struct drows *d, const struct device *dv,
                            const struct topology *t)
{
    if (!ed->explain || ed->explain_node != dv->node || ed->explain_serial != ed->s->topo_serial) {
        free(ed->explain);
        /* the device itself, not a name: two devices can share an address */
        ed->explain = explain_of(t, dv);
        ed->explain_node = dv->node;
        ed->explain_serial = ed->s->topo_serial;
    }
    if (!ed->explain)
        return;
    add_blank(d);
    drows_push(d, NULL, "Why it is here", strlen("Why it is here"), 0, A_BOLD);
    /* the first line repeats the tree line */
    const char *body = strchr(ed->explain, '\n');
    add_text(d, body ? body + 1 : ed->explain, A_NORMAL);
}

static void details_of_empty(struct drows *d, const struct tree_line *l, const struct topology *t)
{
    const struct ctrl_model *m = bus_model_of(t, l->bus);
    char *empty = xasprintf("%02x:%02x-%02x on %s", l->bus, l->slot_first, l->slot_last,
                            m ? m->name : "?");
    put_field(d, "empty", empty);
    free(empty);
    const struct bus *b = topology_bus(t, (unsigned)l->bus);
    put_field(d, "hotplug", b && b->hotplug ? "yes: a running guest can take devices here" : "no");
    if (m)
        put_accepts(d, m);
    if (l->slot_first != l->slot_last)
        put_field(d, "", "Enter lists the slots one by one");
}

static void details_of_root(struct drows *d, const struct tree_line *l, const struct topology *t)
{
    const struct bus *b = topology_bus(t, l->own_bus > 0 ? (unsigned)l->own_bus : 0);
    put_field(d, "root bus", b->model->name);
    put_field(d, "hotplug", b->hotplug ? "yes: its slots take hot-plugged devices"
                            : b->model->hotplug_needs_acpi ? "no: without ACPI, pci-root slots cannot hot-plug"
                                                    : "no: devices here are integrated in the root complex");
    put_accepts(d, b->model);
    add_blank(d);
    add_text(d, b->model->role, A_NORMAL);
}

/* The pane's rows for the selected line, at w columns. */
static void details_build(struct editor *ed, struct drows *d, int w)
{
    *d = (struct drows){ .w = w };
    const struct tree_line *l = sel_line(ed);
    if (!l)
        return;
    /* the add dialog takes this pane's place: this is the session's topology */
    const struct topology *t = ed->s->topo;
    if (l->role == ROLE_ROOT) {
        details_of_root(d, l, t);
    } else if (l->dev) {
        details_of_device(ed, d, l, t);
        add_explanation(ed, d, l->dev, t);
    } else if (l->role == ROLE_SLOT) {
        details_of_slot(ed, d, l, t);
    } else if (l->role == ROLE_EMPTY) {
        details_of_empty(d, l, t);
    } else {
        add_text(d, l->text, A_NORMAL);
    }
}

/* Another line selected starts at the top of its details. */
static void follow_selection(struct editor *ed)
{
    const struct tree_line *l = sel_line(ed);
    size_t line = ed->nvis ? ed->vis[ed->sel] : (size_t)-1;
    const void *node = l && l->dev ? l->dev->node : NULL;
    if (line != ed->details_line || node != ed->details_node) {
        ed->details_top = 0;
        ed->details_line = line;
        ed->details_node = node;
    }
}

/* Rows of text shown in a pane of h rows (the last one is the mark's
 * when they do not all fit), and the furthest they scroll. */
static int rows_shown(int total, int h)
{
    return total > h ? (h > 1 ? h - 1 : 0) : h;
}

static int max_top(int total, int h)
{
    return total > h ? total - rows_shown(total, h) : 0;
}

/* "↑ 3 above  ↓ 12 below  (J/K scroll)": the keys from the keymap.
 * Caller frees. */
static char *mark_new(const struct editor *ed, int above, int below)
{
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "");
    if (above)
        sb_printf(&sb, "%s %d above  ", ed->utf8 ? "\u2191" : "^", above);
    if (below)
        sb_printf(&sb, "%s %d below  ", ed->utf8 ? "\u2193" : "v", below);
    char *down = keymap_keys_new(ed->km, "tree", "details down");
    char *up = keymap_keys_new(ed->km, "tree", "details up");
    down[strcspn(down, ",")] = up[strcspn(up, ",")] = '\0';
    if (*down && *up)
        sb_printf(&sb, "(%s/%s scroll)", down, up);
    else
        sb_puts(&sb, "(:details down|up scrolls)");
    free(down);
    free(up);
    return sb_detach(&sb);
}

static void drow_draw(const struct drow *r, int y, struct pane p)
{
    if (r->label)
        put_clipped(y, p.x, p.w, r->label, A_BOLD);
    if (r->indent < p.w)
        put_clipped(y, p.x + r->indent, p.w - r->indent, r->text, r->attr);
}

void details_draw(struct editor *ed, struct pane p)
{
    follow_selection(ed);
    struct drows d;
    details_build(ed, &d, p.w);
    int shown = rows_shown(d.n, p.h), most = max_top(d.n, p.h);
    if (ed->details_top > most)
        ed->details_top = most;   /* the text got shorter, or the pane taller */
    int top = ed->details_top;
    for (int i = 0; i < shown && top + i < d.n; i++)
        drow_draw(&d.r[top + i], p.y + i, p);
    if (d.n > p.h) {
        char *mark = mark_new(ed, top, d.n - top - shown);
        put_clipped(p.y + p.h - 1, p.x, p.w, mark, theme_attr(ed, PAIR_HEADING, A_BOLD));
        free(mark);
    }
    drows_free(&d);
}

void details_scroll(struct editor *ed, int rows)
{
    follow_selection(ed);
    struct pane p = editor_panes(ed).details;
    struct drows d;
    details_build(ed, &d, p.w);
    long top = (long)ed->details_top + rows, most = max_top(d.n, p.h);
    ed->details_top = (int)(top > most ? most : top < 0 ? 0 : top);
    drows_free(&d);
}

bool details_cmd(struct editor *ed, int argc, char **argv)
{
    (void)argc;
    struct pane p = editor_panes(ed).details;
    /* a page keeps one row of the one before, to read on from */
    int page = p.h > 3 ? p.h - 2 : 1;
    const char *how = argv[1];
    int by = strcmp(how, "down") == 0 ? 1 : strcmp(how, "up") == 0 ? -1
           : strcmp(how, "page-down") == 0 ? page : strcmp(how, "page-up") == 0 ? -page
           : strcmp(how, "top") == 0 ? -(1 << 30) : strcmp(how, "bottom") == 0 ? 1 << 30 : 0;
    if (by == 0)
        editor_message(ed, true, "details: down, up, page-down, page-up, top or bottom (not '%s')", how);
    else
        details_scroll(ed, by);
    return true;
}
