/* treeview: the tree pane — which lines show (collapsing), the selection
 * and its movement, and drawing the lines by role. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Where `move HOW` goes from pos in a list of count entries, one page
 * being page entries: in *out.  False (and a message) for an unknown HOW. */
bool list_step(struct editor *ed, const char *how, size_t pos, size_t page, size_t count,
               size_t *out)
{
    long p = (long)pos, last = (long)count - 1;
    if (strcmp(how, "down") == 0)
        p++;
    else if (strcmp(how, "up") == 0)
        p--;
    else if (strcmp(how, "page-down") == 0)
        p += (long)page;
    else if (strcmp(how, "page-up") == 0)
        p -= (long)page;
    else if (strcmp(how, "top") == 0)
        p = 0;
    else if (strcmp(how, "bottom") == 0)
        p = last;
    else {
        editor_message(ed, true, "move: up, down, page-up, page-down, top or bottom (not '%s')", how);
        return false;
    }
    *out = p > last ? (size_t)(last < 0 ? 0 : last) : p < 0 ? 0 : (size_t)p;
    return true;
}

static bool bit(const unsigned char *set, int b)
{
    return b >= 0 && b < PCI_BUSES && (set[b / 8] & (1u << (b % 8)));
}

static void flip(unsigned char *set, int b)
{
    if (b >= 0 && b < PCI_BUSES)
        set[b / 8] ^= (unsigned char)(1u << (b % 8));
}

/* How a device line is named in commands: alias (unique: the loader
 * refuses doubles), else address.  Caller frees; NULL when it has
 * neither. */
char *line_name_new(const struct tree_line *l)
{
    if (!l || !l->dev)
        return NULL;
    if (l->dev->alias)
        return xstrdup(l->dev->alias);
    if (l->dev->addr_state == ADDR_PCI)
        return xasprintf("%02x:%02x.%x", l->dev->addr.bus, l->dev->addr.slot, l->dev->addr.function);
    /* no alias, no address: the line its element starts on (edit_find) */
    if (l->dev->line > 0)
        return xasprintf("line:%ld", l->dev->line);
    return NULL;
}

const struct tree *shown_tree(const struct editor *ed)
{
    return ed->mode == MODE_DIALOG && ed->dlg.ptree ? ed->dlg.ptree : ed->tree;
}

const struct tree_line *sel_line(const struct editor *ed)
{
    const struct tree *tr = shown_tree(ed);
    return ed->nvis ? &tr->lines[ed->vis[ed->sel]] : NULL;
}

/* Recomputes which lines show: those not below a collapsed controller. */
void compute_visible(struct editor *ed)
{
    const struct tree *tr = shown_tree(ed);
    free(ed->vis);
    ed->vis = xcalloc(tr->n ? tr->n : 1, sizeof *ed->vis);
    ed->nvis = 0;
    int hide_below = -1;   /* depth of the collapsed line hiding the ones after it */
    for (size_t i = 0; i < tr->n; i++) {
        const struct tree_line *l = &tr->lines[i];
        if (hide_below >= 0 && l->depth > hide_below)
            continue;
        hide_below = -1;
        ed->vis[ed->nvis++] = i;
        if (l->own_bus >= 0 && bit(ed->collapsed, l->own_bus))
            hide_below = l->depth;
    }
    if (ed->sel >= ed->nvis)
        ed->sel = ed->nvis ? ed->nvis - 1 : 0;
}

/* Selects the line of tree line index i, if it shows. */
void select_line(struct editor *ed, size_t i)
{
    for (size_t k = 0; k < ed->nvis; k++)
        if (ed->vis[k] == i) {
            ed->sel = k;
            return;
        }
}

/* Rebuilds the tree after the document changed, keeping the selection on
 * the same line text where it still exists. */
void rebuild_tree(struct editor *ed)
{
    const struct tree_line *old = ed->tree && ed->nvis ? &ed->tree->lines[ed->vis[ed->sel]] : NULL;
    char *keep = old ? xstrdup(old->text) : NULL;
    size_t keep_index = ed->nvis ? ed->vis[ed->sel] : 0;
    tree_free(ed->tree);
    ed->tree = tree_new_numbered(ed->s->topo, ed->expand, ed->numbers);
    ed->tree_serial = ed->s->topo_serial;
    compute_visible(ed);
    bool found = false;
    for (size_t i = 0; keep && i < ed->tree->n && !found; i++)
        if (strcmp(ed->tree->lines[i].text, keep) == 0) {
            select_line(ed, i);
            found = true;
        }
    if (!found) {
        ed->sel = 0;
        for (size_t k = 0; k < ed->nvis; k++)
            if (ed->vis[k] <= keep_index)
                ed->sel = k;
    }
    free(keep);
    struct err why ERR_SCOPE = ERR_INIT;
    ed->spare = spare_placed(ed->s->topo, &why);
    prune_marks(ed);
}

/* The tree is rebuilt whenever the session's topology is a new one (its
 * lines point at the devices of the old one). */
void sync_tree(struct editor *ed)
{
    if (ed->tree_serial != ed->s->topo_serial)
        rebuild_tree(ed);
}

static void scroll_into_view(struct editor *ed, int rows)
{
    if (rows < 1)
        rows = 1;
    if (ed->sel < ed->top)
        ed->top = ed->sel;
    if (ed->sel >= ed->top + (size_t)rows)
        ed->top = ed->sel - (size_t)rows + 1;
    if (ed->top + (size_t)rows > ed->nvis)
        ed->top = ed->nvis > (size_t)rows ? ed->nvis - (size_t)rows : 0;
}

/* How a tree line looks: by role, and by what the preview adds. */
static attr_t line_attr(const struct editor *ed, const struct tree_line *l)
{
    if (ed->mode == MODE_DIALOG && ed->dlg.ptree && l->dev && domain_line(l->dev->node) == 0)
        return l->dev->node == ed->dlg.preview->last_added
            ? theme_attr(ed, PAIR_PREVIEW, A_BOLD | A_UNDERLINE)
            : theme_attr(ed, PAIR_ADDED, A_BOLD);
    switch (l->role) {
    case ROLE_HEADING: return theme_attr(ed, PAIR_HEADING, A_BOLD);
    case ROLE_ROOT:
    case ROLE_SLOT:
    case ROLE_CONTROLLER: return theme_attr(ed, PAIR_CONTROLLER, A_BOLD);
    case ROLE_ENDPOINT: return theme_attr(ed, PAIR_ENDPOINT, A_NORMAL);
    case ROLE_CHIPSET: return theme_attr(ed, PAIR_CHIPSET, A_DIM);
    case ROLE_EMPTY:
        return strstr(l->text, "hotplug") ? theme_attr(ed, PAIR_HOTPLUG, A_NORMAL)
                                          : theme_attr(ed, PAIR_EMPTY, A_DIM);
    case ROLE_PROBLEM: return theme_attr(ed, PAIR_PROBLEM, A_UNDERLINE);
    }
    return A_NORMAL;
}

void treeview_draw(struct editor *ed, struct pane p)
{
    const struct tree *tr = shown_tree(ed);
    scroll_into_view(ed, p.h);
    struct strbuf prefix = STRBUF_INIT;
    for (int row = 0; row < p.h && ed->top + (size_t)row < ed->nvis; row++) {
        size_t k = ed->top + (size_t)row;
        size_t i = ed->vis[k];
        const struct tree_line *l = &tr->lines[i];
        bool selected = k == ed->sel;
        attr_t base = selected ? A_REVERSE : A_NORMAL;
        if (selected)
            mvhline(p.y + row, p.x, ' ', p.w);
        prefix.len = 0;
        sb_puts(&prefix, "");
        tree_prefix(tr, i, ed->utf8, &prefix);
        int x = p.x + put_clipped(p.y + row, p.x, p.w, prefix.buf, base);
        /* a collapsed controller says so before its text, which may not fit */
        if (l->own_bus >= 0 && bit(ed->collapsed, l->own_bus))
            x += put_clipped(p.y + row, x, p.w - (x - p.x), ed->utf8 ? "\u25b8 " : "[+] ", base | A_BOLD);
        if (is_marked(ed, l))
            x += put_clipped(p.y + row, x, p.w - (x - p.x), "* ", base | A_BOLD);
        attr_t text = relocate_line_is_target(ed, l) ? theme_attr(ed, PAIR_TARGET, A_BOLD | A_UNDERLINE)
                    : search_highlights(ed, l)       ? theme_attr(ed, PAIR_MATCH, A_BOLD | A_UNDERLINE)
                                                     : line_attr(ed, l);
        if (relocate_line_is_subject(ed, l))
            x += put_clipped(p.y + row, x, p.w - (x - p.x), ed->utf8 ? "\u21e2 " : "-> ", base | A_BOLD);
        put_clipped(p.y + row, x, p.w - (x - p.x), l->text, text | base);
    }
    sb_free(&prefix);
}

void move_selection(struct editor *ed, const char *how)
{
    struct layout_panes l = editor_panes(ed);
    size_t sel;
    if (list_step(ed, how, ed->sel, l.tree.h > 1 ? (size_t)l.tree.h - 1 : 1, ed->nvis, &sel))
        ed->sel = sel;
}

void tree_toggle(struct editor *ed)
{
    const struct tree_line *l = sel_line(ed);
    if (!l)
        return;
    if (l->dev && l->own_bus < 0) {
        /* a device opens: its explanation, placed or not */
        run_line(ed, "explain");
        return;
    }
    if (l->own_bus >= 0) {
        flip(ed->collapsed, l->own_bus);
    } else if (l->role == ROLE_EMPTY && l->bus >= 0) {
        size_t keep = ed->vis[ed->sel];
        flip(ed->expand, l->bus);
        int bus = l->bus, first = l->slot_first;
        tree_free(ed->tree);
        ed->tree = tree_new_numbered(ed->s->topo, ed->expand, ed->numbers);
        compute_visible(ed);
        /* stay on the run (or the first of its slots) */
        for (size_t i = 0; i < ed->tree->n; i++)
            if (ed->tree->lines[i].role == ROLE_EMPTY && ed->tree->lines[i].bus == bus
                && ed->tree->lines[i].slot_first <= first && first <= ed->tree->lines[i].slot_last) {
                select_line(ed, i);
                return;
            }
        select_line(ed, keep);
        return;
    } else {
        return;
    }
    compute_visible(ed);
}

/* How the selected device is named in commands: alias, else address.
 * Caller frees; NULL when it has neither. */
char *selected_name_new(const struct editor *ed)
{
    return line_name_new(sel_line(ed));
}

/* Whether line i of the tree lies under the controller line c (a line
 * below c, deeper than it, with no line as shallow as c between). */
static bool under(const struct tree *tr, size_t c, size_t i)
{
    for (size_t k = c + 1; k <= i && k < tr->n; k++)
        if (tr->lines[k].depth <= tr->lines[c].depth)
            return false;
    return i > c;
}

bool treeview_select_node(struct editor *ed, const xmlNode *node)
{
    for (size_t i = 0; node && i < ed->tree->n; i++)
        if (ed->tree->lines[i].dev && ed->tree->lines[i].dev->node == node) {
            treeview_reveal(ed, i);
            return true;
        }
    return false;
}

void treeview_reveal(struct editor *ed, size_t i)
{
    const struct tree *tr = ed->tree;
    bool changed = false;
    for (size_t c = 0; c < i && i < tr->n; c++) {
        int b = tr->lines[c].own_bus;
        if (b >= 0 && bit(ed->collapsed, b) && under(tr, c, i)) {
            flip(ed->collapsed, b);
            changed = true;
        }
    }
    if (changed)
        compute_visible(ed);
    select_line(ed, i);
}

/* Collapses (or expands) the selected controller; on a line below a
 * controller, collapse goes to that controller and collapses it, as
 * file managers do with Left. */
void tree_fold(struct editor *ed, bool collapse)
{
    const struct tree_line *l = sel_line(ed);
    if (!l)
        return;
    if (l->own_bus >= 0) {
        if (bit(ed->collapsed, l->own_bus) != collapse)
            flip(ed->collapsed, l->own_bus);
        compute_visible(ed);
        return;
    }
    if (!collapse) {
        if (l->role == ROLE_EMPTY && l->bus >= 0 && !bit(ed->expand, l->bus))
            tree_toggle(ed);   /* lists the run's slots one by one */
        return;
    }
    /* the nearest line above that provides a bus this line is under */
    const struct tree *tr = shown_tree(ed);
    size_t i = ed->vis[ed->sel];
    for (size_t c = i; c-- > 0;)
        if (tr->lines[c].own_bus >= 0 && under(tr, c, i)) {
            select_line(ed, c);
            if (!bit(ed->collapsed, tr->lines[c].own_bus))
                flip(ed->collapsed, tr->lines[c].own_bus);
            compute_visible(ed);
            select_line(ed, c);
            return;
        }
}

/* Collapses or expands every controller; the selection stays on its
 * line, or the controller now hiding it. */
void tree_fold_all(struct editor *ed, bool collapse)
{
    const struct tree *tr = shown_tree(ed);
    size_t keep = ed->nvis ? ed->vis[ed->sel] : 0;
    for (size_t i = 0; i < tr->n; i++) {
        int b = tr->lines[i].own_bus;
        /* roots stay open: collapsed, the tree would be a line a root */
        if (b >= 0 && tr->lines[i].role != ROLE_ROOT && bit(ed->collapsed, b) != collapse)
            flip(ed->collapsed, b);
    }
    compute_visible(ed);
    ed->sel = 0;
    for (size_t k = 0; k < ed->nvis; k++)
        if (ed->vis[k] <= keep)
            ed->sel = k;
}

bool treeview_numbers_cmd(struct editor *ed, int argc, char **argv)
{
    enum tree_numbers how = ed->numbers == NUMBERS_GUEST_XML ? NUMBERS_XML_GUEST : NUMBERS_GUEST_XML;
    if (argc == 2 && strcmp(argv[1], "xml") == 0) {
        how = NUMBERS_XML_GUEST;
    } else if (argc == 2 && strcmp(argv[1], "guest") == 0) {
        how = NUMBERS_GUEST_XML;
    } else if (argc == 2) {
        editor_message(ed, true, "numbers: xml or guest, not '%s'", argv[1]);
        return true;
    }
    ed->numbers = how;
    /* the same line stays selected: its index, since its text changes */
    size_t keep = ed->nvis ? ed->vis[ed->sel] : 0;
    tree_free(ed->tree);
    ed->tree = tree_new_numbered(ed->s->topo, ed->expand, ed->numbers);
    ed->tree_serial = ed->s->topo_serial;
    compute_visible(ed);
    select_line(ed, keep);
    if (ed->s->topo->mach->firmware == FW_NOT_MODELLED)
        editor_message(ed, true, "numbers: pcitopo does not number %s guests' buses yet",
                       ed->s->topo->mach->title);
    else
        editor_message(ed, false, how == NUMBERS_GUEST_XML
                       ? "numbers: the guest's first, as its firmware numbers the buses; the XML's after where they differ"
                       : "numbers: the XML's first (bus= is a controller's index); the guest's after where they differ");
    return true;
}
