#include "config.h"
#include "editor.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "curses_shim.h"
#include "edit.h"
#include "explain.h"
#include "group.h"
#include "prompt.h"
#include "recover.h"
#include "spare.h"
#include "tree.h"
#include "xmlutil.h"

/* A key that came after Esc within the escape delay: Meta (Alt) plus it.
 * Above every Unicode code point, so it cannot be a character. */
#define KEY_META_FLAG 0x40000000u

/* Below this the panes and the status line cannot be drawn sensibly. */
#define MIN_COLS 60
#define MIN_LINES 15
/* From this width the details pane sits beside the tree, not below it. */
#define SIDE_BY_SIDE_COLS 100

enum pair {
    PAIR_HEADING = 1, PAIR_CONTROLLER, PAIR_ENDPOINT, PAIR_CHIPSET, PAIR_EMPTY, PAIR_HOTPLUG,
    PAIR_PROBLEM, PAIR_STATUS, PAIR_PREVIEW, PAIR_ADDED, PAIR_ERROR, PAIR_FRAME,
};

enum mode { MODE_TREE, MODE_DIALOG, MODE_CONFIRM, MODE_PROMPT, MODE_PAGER };

enum confirm { CONFIRM_DELETE, CONFIRM_QUIT, CONFIRM_RECOVER, CONFIRM_SAVE };

enum field { FIELD_KIND, FIELD_ALIAS, FIELD_HOST, FIELD_HOTPLUG, FIELD_BUS, FIELD_NUMA, FIELD_COUNT };

/* The values the dialog's choice fields cycle through; the first is
 * "not asked" (the domain's policy decides). */
static const char *const hotplug_choices[] = { "default", "yes", "no" };
static const char *const bus_choices[] = { "any", "pcie", "pci" };

/* The add dialog: the kind chosen, its fields, and the preview — the
 * result of the same add on a copy of the session. */
struct dialog {
    /* the kinds the machine takes, in the add table's order (borrowed) */
    const struct add_kind *kinds[64];
    size_t kind;                /* index in kinds */
    size_t nkinds;
    size_t first;               /* first kind shown */
    enum field field;
    struct strbuf alias, host;  /* typed by the user; any length */
    size_t hotplug, bus;        /* index in hotplug_choices, bus_choices */
    struct strbuf numa;
    struct session *preview;    /* owned; NULL when the add would fail */
    struct tree *ptree;         /* owned; the preview's tree */
    struct add_report rep;
    char *error;                /* why the add would fail; owned, NULL: it would not */
};

struct pane {
    int y, x, h, w;
};

/* A command as words, for cmd_execute as they are.  What the editor runs
 * on a device it names itself is built as words, never as a line parsed
 * again: an alias or a file name cannot become a second command. */
struct words {
    int argc;
    char **argv;   /* owned, NULL-terminated */
};

struct editor {
    struct session *s;
    const struct keymap *km;
    struct prompt *prompt;      /* owned; NULL when no pty could be had */
    char *prompt_problem;       /* owned: why prompt is NULL */
    bool utf8, color;

    struct tree *tree;          /* owned: tree of s->topo */
    unsigned long tree_serial;  /* s->topo_serial the tree was built from */
    size_t *vis;                /* owned: lines of the shown tree not hidden by collapsing */
    size_t nvis;
    size_t sel, top;            /* indexes into vis */
    unsigned char collapsed[PCI_BUSES / 8];   /* buses whose lines are hidden */
    unsigned char expand[PCI_BUSES / 8];      /* buses whose empty slots are listed one by one */
    struct spare spare;

    /* Devices marked (Space) for group, by the names commands take;
     * dropped when a change leaves them naming no host device. */
    char *marks[PCI_FUNCTIONS];   /* owned */
    int nmarks;

    char *explain;              /* owned: explanation of explain_node */
    xmlNodePtr explain_node;    /* the device it explains... */
    unsigned long explain_serial;   /* ...in this topology of the session */

    char *msg;                  /* owned; NULL: none */
    bool msg_error;
    enum mode mode;
    struct dialog dlg;
    enum confirm confirm;
    char *question;             /* owned */
    struct words confirm_words; /* what 'y' runs */
    char *pager;                /* owned: text the pager shows */
    size_t pager_top, pager_lines;
    char *pager_title;          /* owned */
    bool done;

    struct recovery *rec;       /* owned; NULL: no recovery file is kept */
    bool rec_failed;            /* writing it failed (said once) */
    struct recovery_found *offered;   /* owned, claimed: what CONFIRM_RECOVER is about */
    bool offered_changed;       /* the file changed on disk since offered's changes */
};

/* ------------------------------------------------------------------ */
/* Small helpers */

/* Where `move HOW` goes from pos in a list of count entries, one page
 * being page entries: in *out.  False (and a message) for an unknown HOW. */
static bool step(struct editor *ed, const char *how, size_t pos, size_t page, size_t count,
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

void editor_message(struct editor *ed, bool error, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    free(ed->msg);
    ed->msg = sb_detach(&sb);   /* whole: the message rows wrap it, the pager takes the rest */
    ed->msg_error = error;
}

static void clear_message(struct editor *ed)
{
    free(ed->msg);
    ed->msg = NULL;
}

static void words_add(struct words *w, const char *word)
{
    w->argv = xrealloc(w->argv, (size_t)(w->argc + 2) * sizeof *w->argv);
    w->argv[w->argc++] = xstrdup(word);
    w->argv[w->argc] = NULL;
}

static void words_free(struct words *w)
{
    for (int i = 0; i < w->argc; i++)
        free(w->argv[i]);
    free(w->argv);
    *w = (struct words){ 0, NULL };
}

/* words_add for a command and up to two operands (NULL: none). */
static struct words words_of(const char *cmd, const char *a, const char *b)
{
    struct words w = { 0, NULL };
    words_add(&w, cmd);
    if (a)
        words_add(&w, a);
    if (b)
        words_add(&w, b);
    return w;
}

/* s as wide characters (free it); *wn is their count, or (size_t)-1 when
 * s is no valid UTF-8. */
static wchar_t *wide_new(const char *s, size_t *wn)
{
    size_t n = strlen(s);
    wchar_t *ws = xcalloc(n + 1, sizeof *ws);
    mbstate_t st;
    memset(&st, 0, sizeof st);
    const char *src = s;
    *wn = mbsrtowcs(ws, &src, n + 1, &st);
    return ws;
}

/* Draws a UTF-8 string at y,x clipped to w columns; returns the columns used. */
static int put_clipped(int y, int x, int w, const char *s, attr_t attr)
{
    if (w <= 0)
        return 0;
    size_t n = strlen(s), wn;
    wchar_t *ws = wide_new(s, &wn);
    int width = 0;
    if (wn == (size_t)-1) {
        attron(attr);
        mvaddnstr(y, x, s, w);
        attroff(attr);
        free(ws);
        return (int)(n < (size_t)w ? n : (size_t)w);
    }
    size_t fit = 0;
    for (; fit < wn; fit++) {
        int cw = wcwidth(ws[fit]);
        if (cw < 0)
            cw = 1;
        if (width + cw > w)
            break;
        width += cw;
    }
    attron(attr);
    mvaddnwstr(y, x, ws, (int)fit);
    attroff(attr);
    free(ws);
    return width;
}

static attr_t pair_attr(const struct editor *ed, enum pair p, attr_t mono)
{
    return ed->color ? (attr_t)COLOR_PAIR(p) | (mono & A_BOLD) : mono;
}

static void init_colors(struct editor *ed)
{
    ed->color = has_colors();
    if (!ed->color)
        return;
    start_color();
    use_default_colors();
    init_pair(PAIR_HEADING, COLOR_YELLOW, -1);
    init_pair(PAIR_CONTROLLER, COLOR_CYAN, -1);
    init_pair(PAIR_ENDPOINT, -1, -1);
    init_pair(PAIR_CHIPSET, COLOR_BLUE, -1);
    init_pair(PAIR_EMPTY, -1, -1);
    init_pair(PAIR_HOTPLUG, COLOR_GREEN, -1);
    init_pair(PAIR_PROBLEM, COLOR_RED, -1);
    init_pair(PAIR_STATUS, COLOR_BLACK, COLOR_CYAN);
    init_pair(PAIR_PREVIEW, COLOR_MAGENTA, -1);
    init_pair(PAIR_ADDED, COLOR_YELLOW, -1);
    init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
    init_pair(PAIR_FRAME, COLOR_CYAN, -1);
}

/* ------------------------------------------------------------------ */
/* The tree and the selection */

/* The tree on screen: the preview's while the add dialog shows one. */
/* How a device line is named in commands: alias (unique: the loader
 * refuses doubles), else address.  Caller frees; NULL when it has
 * neither. */
static char *line_name_new(const struct tree_line *l)
{
    if (!l || !l->dev)
        return NULL;
    if (l->dev->alias)
        return xstrdup(l->dev->alias);
    if (l->dev->addr_state == ADDR_PCI)
        return xasprintf("%02x:%02x.%x", l->dev->addr.bus, l->dev->addr.slot, l->dev->addr.function);
    return NULL;
}

static int mark_index(const struct editor *ed, const char *name)
{
    for (int i = 0; i < ed->nmarks; i++)
        if (strcmp(ed->marks[i], name) == 0)
            return i;
    return -1;
}

static bool is_marked(const struct editor *ed, const struct tree_line *l)
{
    if (!ed->nmarks)
        return false;
    char *name = line_name_new(l);
    bool marked = name && mark_index(ed, name) >= 0;
    free(name);
    return marked;
}

static void unmark(struct editor *ed, int i)
{
    free(ed->marks[i]);
    memmove(&ed->marks[i], &ed->marks[i + 1], (size_t)(ed->nmarks - i - 1) * sizeof ed->marks[0]);
    ed->nmarks--;
}

static void unmark_all(struct editor *ed)
{
    while (ed->nmarks)
        unmark(ed, ed->nmarks - 1);
}

/* After a change, a mark that names no host device any more goes. */
static void prune_marks(struct editor *ed)
{
    const struct topology *t = ed->s->topo;
    for (int i = ed->nmarks; i-- > 0;) {
        unsigned bus, slot, fn;
        const struct device *dv = topology_find_alias(t, ed->marks[i]);
        if (!dv && topology_parse_bdf(ed->marks[i], &bus, &slot, &fn))
            dv = topology_find_addr(t, bus, slot, fn);
        if (!dv || !group_member_ok(dv))
            unmark(ed, i);
    }
}

static const struct tree *shown_tree(const struct editor *ed)
{
    return ed->mode == MODE_DIALOG && ed->dlg.ptree ? ed->dlg.ptree : ed->tree;
}

static const struct tree_line *sel_line(const struct editor *ed)
{
    const struct tree *tr = shown_tree(ed);
    return ed->nvis ? &tr->lines[ed->vis[ed->sel]] : NULL;
}

/* Recomputes which lines show: those not below a collapsed controller. */
static void compute_visible(struct editor *ed)
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
static void select_line(struct editor *ed, size_t i)
{
    for (size_t k = 0; k < ed->nvis; k++)
        if (ed->vis[k] == i) {
            ed->sel = k;
            return;
        }
}

/* Rebuilds the tree after the document changed, keeping the selection on
 * the same line text where it still exists. */
static void rebuild_tree(struct editor *ed)
{
    const struct tree_line *old = ed->tree && ed->nvis ? &ed->tree->lines[ed->vis[ed->sel]] : NULL;
    char *keep = old ? xstrdup(old->text) : NULL;
    size_t keep_index = ed->nvis ? ed->vis[ed->sel] : 0;
    tree_free(ed->tree);
    ed->tree = tree_new_expanded(ed->s->topo, ed->expand);
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
static void sync_tree(struct editor *ed)
{
    if (ed->tree_serial != ed->s->topo_serial)
        rebuild_tree(ed);
}

/* ------------------------------------------------------------------ */
/* Layout */

struct layout_panes {
    struct pane tree, details;
    bool side;                  /* details beside the tree */
};

static struct layout_panes panes(void)
{
    struct layout_panes l;
    int body = LINES - 2;
    l.side = COLS >= SIDE_BY_SIDE_COLS;
    if (l.side) {
        int tw = COLS * 3 / 5;
        l.tree = (struct pane){ 0, 0, body, tw };
        l.details = (struct pane){ 0, tw + 1, body, COLS - tw - 1 };
    } else {
        int dh = body / 3;
        l.tree = (struct pane){ 0, 0, body - dh - 1, COLS };
        l.details = (struct pane){ body - dh, 0, dh, COLS };
    }
    return l;
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

/* ------------------------------------------------------------------ */
/* Drawing */

/* How a tree line looks: by role, and by what the preview adds. */
static attr_t line_attr(const struct editor *ed, const struct tree_line *l)
{
    if (ed->mode == MODE_DIALOG && ed->dlg.ptree && l->dev && domain_line(l->dev->node) == 0)
        return l->dev->node == ed->dlg.preview->last_added
            ? pair_attr(ed, PAIR_PREVIEW, A_BOLD | A_UNDERLINE)
            : pair_attr(ed, PAIR_ADDED, A_BOLD);
    switch (l->role) {
    case ROLE_HEADING: return pair_attr(ed, PAIR_HEADING, A_BOLD);
    case ROLE_ROOT:
    case ROLE_SLOT:
    case ROLE_CONTROLLER: return pair_attr(ed, PAIR_CONTROLLER, A_BOLD);
    case ROLE_ENDPOINT: return pair_attr(ed, PAIR_ENDPOINT, A_NORMAL);
    case ROLE_CHIPSET: return pair_attr(ed, PAIR_CHIPSET, A_DIM);
    case ROLE_EMPTY:
        return strstr(l->text, "hotplug") ? pair_attr(ed, PAIR_HOTPLUG, A_NORMAL)
                                          : pair_attr(ed, PAIR_EMPTY, A_DIM);
    case ROLE_PROBLEM: return pair_attr(ed, PAIR_PROBLEM, A_UNDERLINE);
    }
    return A_NORMAL;
}

static void draw_tree(struct editor *ed, struct pane p)
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
        put_clipped(p.y + row, x, p.w - (x - p.x), l->text, line_attr(ed, l) | base);
    }
    sb_free(&prefix);
}

/* The bytes of s that go on one row of w columns: the longest run of
 * whole words that fits, up to the line's end. */
static size_t wrap_cut(const char *s, int w)
{
    size_t nl = strcspn(s, "\n");
    size_t cut = 0, cols = 0, last_space = 0;
    while (cut < nl && cols < (size_t)(w > 0 ? w : 1)) {
        if (s[cut] == ' ')
            last_space = cut;
        cols += ((unsigned char)s[cut] & 0xC0) != 0x80;
        cut++;
    }
    while (cut < nl && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut++;
    if (cut < nl && last_space > 0)
        cut = last_space + 1;
    return cut;
}

/* How many rows of w columns put_wrapped needs for text. */
static int wrapped_rows(const char *text, int w)
{
    int rows = 0;
    for (const char *s = text; *s; rows++) {
        s += wrap_cut(s, w);
        if (*s == '\n')
            s++;
    }
    return rows;
}

/* Writes text into the pane from row *y on, wrapped at word boundaries. */
static void put_wrapped(struct pane p, int *y, const char *text, attr_t attr)
{
    const char *s = text;
    while (*s && *y < p.y + p.h) {
        size_t cut = wrap_cut(s, p.w);
        char *piece = xmalloc(cut + 1);
        memcpy(piece, s, cut);
        piece[cut] = '\0';
        put_clipped((*y)++, p.x, p.w, piece, attr);
        free(piece);
        s += cut;
        if (*s == '\n')
            s++;
    }
}

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

static char *selected_name_new(const struct editor *ed);

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

static void draw_details(struct editor *ed, struct pane p)
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

static const char *field_text(const struct strbuf *f)
{
    return f->len ? f->buf : "";
}

/* Whether field f means anything for the kind chosen: host for hostdev,
 * preferences for devices (not for controllers). */
static bool field_applies(const struct dialog *d, enum field f)
{
    unsigned needs = d->kinds[d->kind]->needs;
    if (f == FIELD_HOST)
        return needs & ADD_NEEDS_HOST;
    if (f == FIELD_HOTPLUG || f == FIELD_BUS || f == FIELD_NUMA)
        return !(needs & ADD_BUS);
    return true;
}

static void draw_dialog(struct editor *ed, struct pane p)
{
    struct dialog *d = &ed->dlg;
    int y = p.y;
    attr_t frame = pair_attr(ed, PAIR_FRAME, A_BOLD);
    put_clipped(y++, p.x, p.w, "Add a device", frame);
    int list_rows = p.h - 15;
    if (list_rows < 3)
        list_rows = 3;
    if (d->kind < d->first)
        d->first = d->kind;
    if (d->kind >= d->first + (size_t)list_rows)
        d->first = d->kind - (size_t)list_rows + 1;
    for (int r = 0; r < list_rows && d->first + (size_t)r < d->nkinds; r++) {
        size_t k = d->first + (size_t)r;
        const struct add_kind *ak = d->kinds[k];
        char *row = xasprintf("%s %-27s %s", k == d->kind ? ">" : " ", ak->name, ak->summary);
        attr_t a = k == d->kind ? (d->field == FIELD_KIND ? A_REVERSE : A_BOLD) : A_NORMAL;
        put_clipped(y++, p.x, p.w, row, a);
        free(row);
    }
    y++;
    const struct { enum field f; const char *label; const char *value, *help; } fields[] = {
        { FIELD_ALIAS, "alias:   ", field_text(&d->alias), "" },
        { FIELD_HOST, "host:    ", field_text(&d->host), "" },
        { FIELD_HOTPLUG, "hotplug: ", hotplug_choices[d->hotplug], "  Space: yes / no (root bus)" },
        { FIELD_BUS, "bus:     ", bus_choices[d->bus], "  Space: pcie / pci (legacy)" },
        { FIELD_NUMA, "numa:    ", field_text(&d->numa), "  guest NUMA node" },
    };
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        char *row = xasprintf("%s[%-16s]%s", fields[i].label, fields[i].value, fields[i].help);
        attr_t a = d->field == fields[i].f ? A_REVERSE : A_NORMAL;
        if (!field_applies(d, fields[i].f))
            a = A_DIM;
        put_clipped(y++, p.x, p.w, row, a);
        free(row);
    }
    y++;
    if (d->preview) {
        char line[96];
        snprintf(line, sizeof line, "goes to %02x:%02x.%x%s", d->rep.addr.bus, d->rep.addr.slot,
                 d->rep.addr.function, d->rep.hotplug ? ", hot-pluggable" : ", not hot-pluggable");
        put_clipped(y++, p.x, p.w, line, pair_attr(ed, PAIR_PREVIEW, A_BOLD));
        int room = p.y + p.h - 3 - y - (d->rep.others ? 1 : 0);
        for (int i = 0; i < d->rep.nadded && room > 0; i++, room--) {
            /* the last row that fits says how many more, not one of them */
            bool more = room == 1 && i + 1 < d->rep.nadded;
            char *added = more ? xasprintf("and %d more (the tree shows them)", d->rep.nadded - i)
                               : xasprintf("adds %s", d->rep.added[i]);
            put_clipped(y++, p.x, p.w, added, pair_attr(ed, PAIR_ADDED, A_BOLD));
            free(added);
            if (more)
                break;
        }
        if (d->rep.others && y < p.y + p.h - 3) {
            snprintf(line, sizeof line, "also places %d device%s without an address", d->rep.others,
                     d->rep.others == 1 ? "" : "s");
            put_clipped(y++, p.x, p.w, line, A_NORMAL);
        }
        snprintf(line, sizeof line, "spare hotplug: PCIe %d -> %d, PCI %d -> %d", ed->spare.pcie,
                 d->rep.spare.pcie, ed->spare.pci, d->rep.spare.pci);
        put_clipped(y++, p.x, p.w, line, A_BOLD);
    } else {
        int yy = y;
        struct pane rest = { yy, p.x, p.y + p.h - 2 - yy, p.w };
        put_wrapped(rest, &yy, d->error ? d->error : "", pair_attr(ed, PAIR_PROBLEM, A_BOLD));
        y = yy;
    }
    put_clipped(p.y + p.h - 1, p.x, p.w, "Enter adds  Tab next field  Up/Down kind  Esc cancels",
                A_DIM);
}

static void draw_pager(struct editor *ed)
{
    int rows = LINES - 2;
    put_clipped(0, 0, COLS, ed->pager_title ? ed->pager_title : "", pair_attr(ed, PAIR_HEADING, A_BOLD));
    const char *s = ed->pager;
    size_t line = 0;
    int y = 1;
    while (*s && y < rows) {
        size_t n = strcspn(s, "\n");
        if (line >= ed->pager_top) {
            char *piece = xmalloc(n + 1);
            memcpy(piece, s, n);
            piece[n] = '\0';
            put_clipped(y++, 0, COLS, piece, A_NORMAL);
            free(piece);
        }
        line++;
        s += n;
        if (*s)
            s++;
    }
}

/* Columns text takes on the screen. */
static int text_width(const char *text)
{
    size_t wn;
    wchar_t *ws = wide_new(text, &wn);
    int width = 0;
    for (size_t i = 0; wn != (size_t)-1 && i < wn; i++)
        width += wcwidth(ws[i]) < 0 ? 1 : wcwidth(ws[i]);
    free(ws);
    return wn == (size_t)-1 ? (int)strlen(text) : width;
}

/* Rows the message line needs: the question or the message, wrapped at
 * the screen's width (at least one). */
static int message_rows(const struct editor *ed)
{
    const char *text = ed->mode == MODE_CONFIRM ? ed->question
                     : ed->mode == MODE_TREE || ed->mode == MODE_DIALOG ? ed->msg : NULL;
    int rows = text && *text ? wrapped_rows(text, COLS) : 1;
    return rows < 1 ? 1 : rows;
}

/* The most rows a message may take from the panes above it; a longer one
 * is shown in the pager, whole. */
static int message_max_rows(void)
{
    int rows = (LINES - 2) / 2;
    return rows < 1 ? 1 : rows;
}

/* The end of s that fits in cols columns: where to start drawing it. */
static const char *tail_fitting(const char *s, int cols)
{
    int width = text_width(s);
    mbstate_t st;
    memset(&st, 0, sizeof st);
    while (*s && width > cols) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s, strlen(s), &st);
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            memset(&st, 0, sizeof st);
            k = 1;
            wc = L'?';
        }
        width -= wcwidth(wc) < 0 ? 1 : wcwidth(wc);
        s += k;
    }
    return s;
}

/* What the status line says after the file name: modified, the machine
 * (with its name when with_machine_name), the policy and mode when they
 * are not the defaults.  Caller frees. */
static char *status_after_name(const struct editor *ed, bool with_machine_name)
{
    const struct session *s = ed->s;
    const struct topology *t = s->topo;
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s  %s", s->modified ? " [+]" : "", t->mach->name);
    if (t->machine_name && with_machine_name)
        sb_printf(&sb, " (%s)", t->machine_name);
    if (t->policy.policy != POLICY_LIBVIRT || t->policy.spare_ports >= 0 || s->live)
        sb_printf(&sb, "  %s%s%s", s->live ? "LIVE " : "",
                  t->policy.policy != POLICY_LIBVIRT ? policy_name(t->policy.policy) : "",
                  t->policy.spare_ports >= 0 ? " spare-ports" : "");
    return sb_detach(&sb);
}

static void draw_status(struct editor *ed, int y)
{
    struct strbuf right = STRBUF_INIT;
    sb_printf(&right, "  spare hotplug: PCIe %d %s PCI %d", ed->spare.pcie, ed->utf8 ? "\u00b7" : "-",
              ed->spare.pci);
    if (ed->nmarks)
        sb_printf(&right, "  %d marked", ed->nmarks);
    sb_printf(&right, "  %zu/%zu ", ed->nvis ? ed->sel + 1 : 0, ed->nvis);
    attr_t sa = pair_attr(ed, PAIR_STATUS, A_REVERSE);
    attron(sa);
    mvhline(y, 0, ' ', COLS);
    attroff(sa);
    /* the numbers always show whole (never "PCI 3" for 30): on a narrow
     * screen the machine's name goes first, then the file name keeps its
     * end, then the rest is clipped */
    const char *more = ed->utf8 ? "\u2026" : "~";
    int room = COLS - text_width(right.buf) - 1;
    const char *name = ed->s->dom->name;
    char *after = status_after_name(ed, true);
    if (text_width(name) + text_width(after) > room) {
        free(after);
        after = status_after_name(ed, false);
    }
    int name_room = room - text_width(after);
    int used = put_clipped(y, 0, 1, " ", sa);
    if (text_width(name) > name_room && name_room > 8) {
        used += put_clipped(y, used, 1, more, sa);
        used += put_clipped(y, used, room, tail_fitting(name, name_room - 1), sa);
    } else {
        used += put_clipped(y, used, room, name, sa);
    }
    if (used + text_width(after) > room + 1) {
        used += put_clipped(y, used, room - used, after, sa);
        used += put_clipped(y, used, 1, more, sa);
    } else {
        used += put_clipped(y, used, room + 1 - used, after, sa);
    }
    put_clipped(y, used, COLS - used, right.buf, sa);
    free(after);
    sb_free(&right);
}

/* The key hints shown when there is no message: from the keymap. */
static char *hints_new(const struct editor *ed)
{
    static const struct { const char *command, *label; } wanted[] = {
        { "help", "help" }, { "add", "add" }, { "delete", "delete" }, { "undo", "undo" },
        { "redo", "redo" }, { "save", "save" }, { "prompt", "command" }, { "quit", "quit" },
    };
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "");
    for (size_t i = 0; i < ARRAY_LEN(wanted); i++) {
        char *keys = keymap_keys_new(ed->km, "tree", wanted[i].command);
        keys[strcspn(keys, ",")] = '\0';   /* one key is a hint; ? lists them all */
        if (keys[0])
            sb_printf(&sb, "%s%s %s", sb.len ? "  " : " ", keys, wanted[i].label);
        free(keys);
    }
    return sb_detach(&sb);
}

/* The message line: rows from y to the screen's last. */
static void draw_message_line(struct editor *ed, int first_row)
{
    int y = LINES - 1;
    for (int r = first_row; r <= y; r++) {
        move(r, 0);
        clrtoeol();
    }
    if (ed->mode == MODE_PROMPT && ed->prompt) {
        size_t len, cursor;
        const wchar_t *buf = prompt_buffer(ed->prompt, &len, &cursor);
        const char *cands = prompt_candidates(ed->prompt);
        if (*cands) {
            move(y - 1, 0);
            clrtoeol();
            put_clipped(y - 1, 0, COLS, cands, A_BOLD);
        }
        mvaddch(y, 0, ':');
        /* the part of the line that fits, scrolled to show the cursor;
         * measured from the cursor, not the start: a paste redraws it
         * after every key */
        int col;
        size_t from = prompt_view(ed->prompt, COLS - 2, &col);
        (void)cursor;
        addnwstr(buf + from, (int)(len - from < (size_t)COLS ? len - from : (size_t)COLS));
        move(y, 1 + col);
        curs_set(1);
        return;
    }
    curs_set(0);
    struct pane rows = { first_row, 0, LINES - first_row, COLS };
    int at = first_row;
    if (ed->mode == MODE_CONFIRM) {
        put_wrapped(rows, &at, ed->question, pair_attr(ed, PAIR_HEADING, A_BOLD));
        return;
    }
    if (ed->mode == MODE_PAGER) {
        put_clipped(y, 0, COLS, " q/Esc close  j/k/arrows scroll  Space/PgDn page", A_DIM);
        return;
    }
    if (ed->msg && ed->msg[0]) {
        put_wrapped(rows, &at, ed->msg, ed->msg_error ? pair_attr(ed, PAIR_ERROR, A_BOLD) : A_BOLD);
        return;
    }
    char *h = hints_new(ed);
    put_clipped(y, 0, COLS, h, A_DIM);
    free(h);
}

/* A message longer than the rows it may take goes to the pager, where
 * all of it can be read; the message line then says so. */
static void pager_open(struct editor *ed, const char *title, const char *text);

static void fit_message(struct editor *ed)
{
    if (ed->mode != MODE_TREE || !ed->msg || message_rows(ed) <= message_max_rows())
        return;
    /* the pager shows lines as they are: wrap them at this width first */
    struct strbuf text = STRBUF_INIT;
    for (const char *m = ed->msg; *m;) {
        size_t cut = wrap_cut(m, COLS);
        sb_add(&text, m, cut);
        sb_putc(&text, '\n');
        m += cut;
        if (*m == '\n')
            m++;
    }
    clear_message(ed);
    pager_open(ed, ed->msg_error ? "error  (q or Esc closes)" : "message  (q or Esc closes)", text.buf);
    sb_free(&text);
}

void editor_draw(struct editor *ed)
{
    erase();
    if (COLS < MIN_COLS || LINES < MIN_LINES) {
        curs_set(0);
        mvprintw(0, 0, "terminal too small");
        mvprintw(1, 0, "pcitopo needs %dx%d", MIN_COLS, MIN_LINES);
        mvprintw(2, 0, "q quits");
        return;
    }
    sync_tree(ed);
    fit_message(ed);
    if (ed->mode == MODE_PAGER) {
        draw_pager(ed);
    } else {
        struct layout_panes l = panes();
        draw_tree(ed, l.tree);
        attr_t frame = pair_attr(ed, PAIR_FRAME, A_DIM);
        attron(frame);
        if (l.side)
            mvvline(l.tree.y, l.tree.w, ed->utf8 ? ACS_VLINE : '|', l.tree.h);
        else
            mvhline(l.tree.h, 0, ed->utf8 ? ACS_HLINE : '-', COLS);
        attroff(frame);
        if (ed->mode == MODE_DIALOG)
            draw_dialog(ed, l.details);
        else
            draw_details(ed, l.details);
    }
    /* a long message or question takes rows from the panes, the status
     * line moving up above it */
    int rows = message_rows(ed);
    int most = ed->mode == MODE_CONFIRM ? LINES - 2 : message_max_rows();
    if (rows > most)
        rows = most;
    draw_status(ed, LINES - 1 - rows);
    draw_message_line(ed, LINES - rows);
}

/* ------------------------------------------------------------------ */
/* The add dialog */

static void dialog_free_preview(struct dialog *d)
{
    tree_free(d->ptree);
    d->ptree = NULL;
    session_free(d->preview);
    d->preview = NULL;
    add_report_free(&d->rep);
}

static void dialog_free(struct dialog *d)
{
    dialog_free_preview(d);
    free(d->error);
    d->error = NULL;
    sb_free(&d->alias);
    sb_free(&d->host);
    sb_free(&d->numa);
}

/* Adds the word NAME=VALUE. */
static void words_add_pair(struct words *w, const char *name, const char *value)
{
    char *word = xasprintf("%s=%s", name, value);
    words_add(w, word);
    free(word);
}

/* The command the dialog stands for (add virtio-net alias=ua-x), as
 * words: what the user typed in a field is one word, whatever it holds. */
static struct words dialog_words(const struct dialog *d, bool for_preview)
{
    const struct add_kind *k = d->kinds[d->kind];
    struct words w = words_of("add", k->name, NULL);
    if (d->alias.len)
        words_add_pair(&w, "alias", d->alias.buf);
    const char *host = d->host.len ? d->host.buf : for_preview ? "0000:00:00.0" : "";
    if ((k->needs & ADD_NEEDS_HOST) && host[0])
        words_add_pair(&w, "host", host);
    if (!field_applies(d, FIELD_HOTPLUG))
        return w;
    if (d->hotplug)
        words_add_pair(&w, "hotplug", hotplug_choices[d->hotplug]);
    if (d->bus)
        words_add_pair(&w, "bus", bus_choices[d->bus]);
    if (d->numa.len)
        words_add_pair(&w, "numa", d->numa.buf);
    return w;
}

/* Runs the add on a copy of the session: what the tree shows until the
 * user commits or cancels. */
static void dialog_update(struct editor *ed)
{
    struct dialog *d = &ed->dlg;
    dialog_free_preview(d);
    free(d->error);
    d->error = NULL;
    struct words w = dialog_words(d, true);
    struct err e ERR_SCOPE = ERR_INIT;
    struct add_request r;
    struct session *copy = NULL;
    if (add_request_parse(w.argc, w.argv, &r, &e)
        && (copy = session_clone(ed->s, &e)) && edit_add(copy, &r, &d->rep, &e)) {
        d->preview = copy;
        d->ptree = tree_new_expanded(copy->topo, ed->expand);
        copy = NULL;
    } else {
        d->error = xstrdup(e.msg);
    }
    session_free(copy);
    words_free(&w);
    compute_visible(ed);
    /* show the ghost: select the new device's line */
    const struct tree *tr = shown_tree(ed);
    for (size_t i = 0; d->preview && i < tr->n; i++)
        if (tr->lines[i].dev && tr->lines[i].dev->node == d->preview->last_added) {
            select_line(ed, i);
            break;
        }
}

static void dialog_open(struct editor *ed)
{
    struct dialog *d = &ed->dlg;
    dialog_free(d);
    memset(d, 0, sizeof *d);
    for (size_t i = 0; add_kind_at(i) && d->nkinds < ARRAY_LEN(d->kinds); i++)
        if (add_kind_at(i)->machines & ed->s->topo->machine)
            d->kinds[d->nkinds++] = add_kind_at(i);
    ed->mode = MODE_DIALOG;
    clear_message(ed);
    dialog_update(ed);
}

static void dialog_close(struct editor *ed)
{
    dialog_free(&ed->dlg);
    ed->mode = MODE_TREE;
    compute_visible(ed);
}

static void run_line(struct editor *ed, const char *line);
static bool run_words(struct editor *ed, const struct words *w);
static bool key_name_of(int r, wint_t wc, char *buf, size_t size);

static void dialog_commit(struct editor *ed)
{
    struct dialog *d = &ed->dlg;
    const struct add_kind *k = d->kinds[d->kind];
    if ((k->needs & ADD_NEEDS_HOST) && !d->host.len) {
        d->field = FIELD_HOST;
        free(d->error);
        d->error = xstrdup("hostdev needs the host address (DDDD:BB:SS.F, as lspci -D prints it)");
        dialog_free_preview(d);
        compute_visible(ed);
        return;
    }
    if (!d->preview)
        return;   /* the error is on screen already */
    struct words w = dialog_words(d, false);
    dialog_close(ed);
    run_words(ed, &w);
    words_free(&w);
}

/* Edits a text field: printable characters append, Backspace removes. */
static bool edit_field(struct strbuf *f, int r, wint_t wc)
{
    if ((r == KEY_CODE_YES && wc == KEY_BACKSPACE) || (r == OK && (wc == 0x7f || wc == 8))) {
        while (f->len && ((unsigned char)f->buf[f->len - 1] & 0xC0) == 0x80)
            f->len--;
        if (f->len)
            f->buf[--f->len] = '\0';
        else if (f->buf)
            f->buf[0] = '\0';
        return true;
    }
    if (r == OK && wc >= 0x20 && wc != 0x7f) {
        char mb[MB_LEN_MAX];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t k = wcrtomb(mb, (wchar_t)wc, &st);
        if (k != (size_t)-1)
            sb_add(f, mb, k);
        return true;
    }
    return false;
}

/* The text field the dialog is on, or NULL (the kind list, a choice). */
static struct strbuf *dialog_text_field(struct dialog *d)
{
    switch (d->field) {
    case FIELD_ALIAS: return &d->alias;
    case FIELD_HOST: return &d->host;
    case FIELD_NUMA: return &d->numa;
    default: return NULL;
    }
}

static size_t *dialog_choice(struct dialog *d)
{
    return d->field == FIELD_HOTPLUG ? &d->hotplug : d->field == FIELD_BUS ? &d->bus : NULL;
}

static void dialog_field(struct editor *ed, const char *how)
{
    struct dialog *d = &ed->dlg;
    int step = strcmp(how, "prev") == 0 ? FIELD_COUNT - 1 : 1;
    do
        d->field = (enum field)((d->field + step) % FIELD_COUNT);
    while (!field_applies(d, d->field));
}

static void dialog_turn(struct editor *ed, const char *how)
{
    size_t *choice = dialog_choice(&ed->dlg);
    if (!choice)
        return;
    *choice = (*choice + (strcmp(how, "prev") == 0 ? 2 : 1)) % 3;
    dialog_update(ed);
}

static void dialog_move(struct editor *ed, const char *how)
{
    struct dialog *d = &ed->dlg;
    if (!step(ed, how, d->kind, 8, d->nkinds, &d->kind))
        return;
    d->field = FIELD_KIND;
    dialog_update(ed);
}

/* Keys in the dialog: in a text field printable keys type; any other key
 * runs what the keymap's dialog context binds it to; on the kind list an
 * unbound letter jumps to the next kind starting with it. */
static void dialog_key(struct editor *ed, int r, wint_t wc)
{
    struct dialog *d = &ed->dlg;
    struct strbuf *buf = dialog_text_field(d);
    bool printable = r == OK && wc >= 0x20 && wc != 0x7f && !(wc & KEY_META_FLAG);
    char name[16];
    if (!(buf && printable) && key_name_of(r, wc, name, sizeof name)) {
        const char *cmd = keymap_lookup(ed->km, "dialog", name);
        if (cmd) {
            run_line(ed, cmd);
            return;
        }
    }
    if (!buf && !dialog_choice(d) && printable && wc > ' ' && wc < 0x7f) {
        for (size_t i = 1; i <= d->nkinds; i++) {
            size_t k = (d->kind + i) % d->nkinds;
            if (d->kinds[k]->name[0] == (char)wc) {
                d->kind = k;
                dialog_update(ed);
                break;
            }
        }
        return;
    }
    if (buf && edit_field(buf, r, wc))
        dialog_update(ed);
}

/* ------------------------------------------------------------------ */
/* Commands */

static void pager_open(struct editor *ed, const char *title, const char *text)
{
    free(ed->pager);
    ed->pager = xstrdup(text);
    free(ed->pager_title);
    ed->pager_title = xstrdup(title);
    ed->pager_top = 0;
    ed->pager_lines = 0;
    for (const char *s = text; *s; s++)
        ed->pager_lines += *s == '\n';
    ed->mode = MODE_PAGER;
}

/* The help screen: the keys of the keymap with what their commands do,
 * then every command — generated, so it cannot drift from either. */
static char *help_text(const struct editor *ed)
{
    static const struct { const char *context, *title, *after; } parts[] = {
        { "tree", "Keys in the tree (from the keymap; each runs the command beside it):", "" },
        { "dialog", "Keys in the add dialog (in the alias, host and numa fields, printable keys type):",
          "  The preview marks the new device and the controllers it brings.\n" },
        { "prompt", "Keys at the ':' prompt, besides its line editing:",
          "  Tab completes, Up/Down recall the history, Enter runs the line.\n" },
    };
    struct strbuf sb = STRBUF_INIT;
    for (size_t p = 0; p < ARRAY_LEN(parts); p++) {
        size_t n;
        struct key_row *rows = keymap_rows_new(ed->km, parts[p].context, &n);
        sb_printf(&sb, "%s\n\n", parts[p].title);
        for (size_t i = 0; i < n; i++)
            sb_printf(&sb, "  %-16s %-18s %s\n", rows[i].keys, rows[i].command, rows[i].summary);
        sb_printf(&sb, "%s\n", parts[p].after);
        keymap_rows_free(rows, n);
    }
    sb_puts(&sb, "The mouse selects a line where the terminal reports clicks.\n\n");
    sb_puts(&sb, "Commands (type ':' then the command; 'help COMMAND' for details):\n\n");
    for (size_t i = 0; command_at(i); i++)
        sb_printf(&sb, "  %-46s %s\n", command_at(i)->usage, command_at(i)->summary);
    return sb_detach(&sb);
}

static void open_prompt(struct editor *ed, const char *text)
{
    if (!ed->prompt) {
        editor_message(ed, true, "the prompt is not available: %s", ed->prompt_problem);
        return;
    }
    ed->mode = MODE_PROMPT;
    prompt_begin(ed->prompt, text);
}

static void move_selection(struct editor *ed, const char *how)
{
    struct layout_panes l = panes();
    size_t sel;
    if (step(ed, how, ed->sel, l.tree.h > 1 ? (size_t)l.tree.h - 1 : 1, ed->nvis, &sel))
        ed->sel = sel;
}

static void toggle(struct editor *ed)
{
    const struct tree_line *l = sel_line(ed);
    if (!l)
        return;
    if (l->own_bus >= 0) {
        flip(ed->collapsed, l->own_bus);
    } else if (l->role == ROLE_EMPTY && l->bus >= 0) {
        size_t keep = ed->vis[ed->sel];
        flip(ed->expand, l->bus);
        int bus = l->bus, first = l->slot_first;
        tree_free(ed->tree);
        ed->tree = tree_new_expanded(ed->s->topo, ed->expand);
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
static char *selected_name_new(const struct editor *ed)
{
    return line_name_new(sel_line(ed));
}

/* The group of the selected line (its slot line or one of its
 * functions), as its slot BB:SS.  False when it is in none. */
static bool selected_group(const struct editor *ed, struct group *g, char *buf, size_t size)
{
    const struct tree_line *l = sel_line(ed);
    const struct topology *t = ed->s->topo;
    bool found = false;
    if (l && l->role == ROLE_SLOT) {
        group_at(t, (unsigned)l->bus, (unsigned)l->slot_first, g);
        found = group_is_hostdevs(g);
    } else if (l && l->dev) {
        found = group_of(t, l->dev, g);
    }
    if (found)
        snprintf(buf, size, "%02x:%02x", g->bus, g->slot);
    return found;
}

/* Space: marks the selected host device for group, or unmarks it, and
 * moves on, so a run of functions is marked with Space Space Space. */
static void mark(struct editor *ed)
{
    const struct tree_line *l = sel_line(ed);
    if (!l || !l->dev) {
        editor_message(ed, true, "mark: select a host device (hostdev, or interface type='hostdev')");
        return;
    }
    if (!group_member_ok(l->dev)) {
        editor_message(ed, true, "mark: %s is not a PCI host device; only host devices are grouped into one slot",
                       device_label(l->dev));
        return;
    }
    char *name = line_name_new(l);
    if (!name) {
        editor_message(ed, true, "mark: this host device has neither an alias nor an address; place the domain first (p)");
        return;
    }
    int i = mark_index(ed, name);
    if (i >= 0) {
        unmark(ed, i);
        free(name);
    } else if (ed->nmarks == PCI_FUNCTIONS) {
        editor_message(ed, true, "mark: a slot has 8 functions; 8 devices are marked already");
        free(name);
        return;
    } else {
        ed->marks[ed->nmarks++] = name;
    }
    editor_message(ed, false, "%d marked%s", ed->nmarks,
                   ed->nmarks >= 2 ? ": g groups them into one slot" : "");
    move_selection(ed, "down");
}

/* g: groups the marked devices (the command line shows in the note). */
static void group_marked(struct editor *ed)
{
    if (ed->nmarks < 2) {
        editor_message(ed, true, "group: mark two or more host devices with Space first (%d marked)",
                       ed->nmarks);
        return;
    }
    struct words w = words_of("group", NULL, NULL);
    for (int i = 0; i < ed->nmarks; i++)
        words_add(&w, ed->marks[i]);
    unsigned long before = ed->s->gen;
    run_words(ed, &w);
    if (ed->s->gen != before)
        unmark_all(ed);
    words_free(&w);
}

/* Asks fmt; 'y' runs cmd (taken over; may be an empty struct words). */
static void ask(struct editor *ed, enum confirm what, struct words cmd, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void ask(struct editor *ed, enum confirm what, struct words cmd, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    free(ed->question);
    ed->question = sb_detach(&sb);
    words_free(&ed->confirm_words);
    ed->confirm_words = cmd;
    ed->confirm = what;
    ed->mode = MODE_CONFIRM;
}

/* e: explains the selected device itself.  Not by its name: a device
 * without an alias is named by its address, which a colliding device
 * shares, and the explanation would be the other's. */
static void explain_selected(struct editor *ed)
{
    const struct tree_line *l = sel_line(ed);
    if (!l || !l->dev) {
        editor_message(ed, true, "explain: select a device");
        return;
    }
    char *text = explain_of(shown_tree(ed) == ed->tree ? ed->s->topo : ed->dlg.preview->topo, l->dev);
    char *name = line_name_new(l);
    char *title = xasprintf("explain %s  (q or Esc closes)", name ? name : device_label(l->dev));
    pager_open(ed, title, text);
    free(title);
    free(name);
    free(text);
}

/* The dialog's own commands; false for the others (a bound `help` still
 * works there). */
static bool dialog_action(struct editor *ed, int argc, char **argv)
{
    const char *name = argv[0];
    const char *arg = argc == 2 ? argv[1] : "";
    if (strcmp(name, "move") == 0 && argc == 2) {
        dialog_move(ed, arg);
    } else if (strcmp(name, "field") == 0 && argc == 2) {
        dialog_field(ed, arg);
    } else if (strcmp(name, "choice") == 0 && argc == 2) {
        dialog_turn(ed, arg);
    } else if (strcmp(name, "commit") == 0 && argc == 1) {
        dialog_commit(ed);
    } else if (strcmp(name, "cancel") == 0 && argc == 1) {
        dialog_close(ed);
        editor_message(ed, false, "add cancelled");
    } else {
        return false;
    }
    return true;
}

/* The editor's own meaning of a command, where it has one; false when
 * the command is for cmd_execute. */
static bool editor_command(struct editor *ed, int argc, char **argv)
{
    const char *name = argv[0];
    if (ed->mode == MODE_DIALOG && argc <= 2 && dialog_action(ed, argc, argv)) {
        return true;
    } else if (strcmp(name, "move") == 0 && argc == 2) {
        move_selection(ed, argv[1]);
    } else if (strcmp(name, "toggle") == 0 && argc == 1) {
        toggle(ed);
    } else if (strcmp(name, "prompt") == 0 && argc <= 2) {
        open_prompt(ed, argc == 2 ? argv[1] : "");
    } else if (strcmp(name, "add") == 0 && argc == 1) {
        dialog_open(ed);
    } else if (strcmp(name, "help") == 0 && argc == 1) {
        char *text = help_text(ed);
        pager_open(ed, "pcitopo help  (q or Esc closes)", text);
        free(text);
    } else if (strcmp(name, "mark") == 0 && argc == 1) {
        mark(ed);
    } else if (strcmp(name, "group") == 0 && argc == 1) {
        group_marked(ed);
    } else if ((strcmp(name, "ungroup") == 0 || strcmp(name, "hotplug-xml") == 0) && argc == 1) {
        struct group g;
        char slot[16];
        if (!selected_group(ed, &g, slot, sizeof slot)) {
            editor_message(ed, true, "%s: select a group (a slot of host functions) or one of its functions",
                           name);
        } else {
            struct words w = words_of(name, slot, NULL);
            run_words(ed, &w);
            words_free(&w);
        }
    } else if (strcmp(name, "delete") == 0 && argc == 1 && sel_line(ed)
               && sel_line(ed)->role == ROLE_SLOT) {
        struct group g;
        char slot[16];
        if (!selected_group(ed, &g, slot, sizeof slot)) {
            editor_message(ed, true, "delete: this slot's functions are not all host devices; delete them one by one");
        } else {
            char *members = group_members_text_new(&g);
            ask(ed, CONFIRM_DELETE, words_of("delete", slot, NULL),
                "Delete the group at %s: %s? y deletes all %d functions, n keeps them", slot, members, g.n);
            free(members);
        }
    } else if (strcmp(name, "delete") == 0 && argc == 1) {
        const struct tree_line *l = sel_line(ed);
        char *what = selected_name_new(ed);
        if (!l || !l->dev) {
            editor_message(ed, true, "delete: select a device first");
        } else if (!what) {
            editor_message(ed, true, "delete: this device has neither an alias nor an address; place the domain first (p)");
        } else if (group_of(ed->s->topo, l->dev, &(struct group){ 0 })) {
            /* a function of a group: nothing to ask, the core says why not */
            struct words w = words_of("delete", what, NULL);
            run_words(ed, &w);
            words_free(&w);
        } else {
            ask(ed, CONFIRM_DELETE, words_of("delete", what, NULL), "Delete %s %s? y deletes, n keeps it",
                device_label(l->dev), what);
        }
        free(what);
    } else if (strcmp(name, "explain") == 0 && argc == 1) {
        explain_selected(ed);
    } else if (strcmp(name, "set-pref") == 0 && argc == 1) {
        /* the prompt, with the selected device and its preferences typed:
         * the name is quoted so that the line reads back as that word */
        const struct tree_line *l = sel_line(ed);
        char *what = selected_name_new(ed);
        if (!l || !l->dev || !what) {
            editor_message(ed, true, "set-pref: select a device first");
        } else {
            struct strbuf text = STRBUF_INIT;
            sb_puts(&text, "set-pref ");
            cmd_quote_word(&text, what);
            char *wishes = dev_pref_text_new(&l->dev->pref);
            sb_printf(&text, " %s%s", wishes, *wishes ? " " : "");
            free(wishes);
            open_prompt(ed, text.buf);
            sb_free(&text);
        }
        free(what);
    } else if (strcmp(name, "save") == 0 && argc == 1 && !ed->s->dom->path) {
        /* the built-in example has no file: ask for one */
        open_prompt(ed, "save ");
    } else if (strcmp(name, "field") == 0 || strcmp(name, "choice") == 0
               || strcmp(name, "commit") == 0 || strcmp(name, "cancel") == 0) {
        editor_message(ed, true, "%s: only in the add dialog (a opens it)", name);
    } else if (strcmp(name, "quit") == 0 && argc == 1 && ed->s->modified) {
        ask(ed, CONFIRM_QUIT, words_of("quit", "-f", NULL),
            "%s has unsaved changes: w saves and quits, y quits without saving, n stays",
            ed->s->dom->name);
    } else {
        return false;
    }
    return true;
}

/* A save refused for a reason save -f overrides (the file changed on
 * disk, is read-only, was removed): asks whether to force it, as other
 * editors do.  False when there is nothing to ask. */
static bool offer_forced_save(struct editor *ed, int argc, char **argv)
{
    if (strcmp(argv[0], "save") != 0 || argc > 2 || (argc == 2 && strcmp(argv[1], "-f") == 0))
        return false;
    const char *name = argc == 2 ? argv[1] : ed->s->dom->name;
    const char *what;
    switch (ed->s->dom->refused) {
    case SAVE_REFUSED_CHANGED: what = "changed on disk since it was loaded: y overwrites it with this document"; break;
    case SAVE_REFUSED_READ_ONLY: what = "is read-only: y replaces it anyway"; break;
    case SAVE_REFUSED_REMOVED: what = "was removed since it was loaded: y writes it again"; break;
    default: return false;
    }
    ask(ed, CONFIRM_SAVE, words_of("save", "-f", argc == 2 ? argv[1] : NULL),
        "%s %s (save -f), n does not save", name, what);
    return true;
}

/* Runs one command, given as words, the way batch mode does, showing
 * its note in the message line and its output in the pager.  False when
 * it failed. */
static bool run_call(struct editor *ed, int argc, char **argv)
{
    clear_message(ed);
    if (editor_command(ed, argc, argv))
        return true;
    struct cmd_io io;
    cmd_io_init(&io);
    struct err e ERR_SCOPE = ERR_INIT;
    bool ok = cmd_execute(ed->s, argc, argv, &io, &e);
    sync_tree(ed);
    if (!ok) {
        if (!offer_forced_save(ed, argc, argv))
            editor_message(ed, true, "%s", e.msg);
    } else if (io.out.len && strchr(io.out.buf, '\n') != io.out.buf + io.out.len - 1) {
        char *line = cmd_words_line_new(argc, argv);
        char *title = xasprintf("%s  (q or Esc closes)", line);
        pager_open(ed, title, io.out.buf);
        free(title);
        free(line);
    } else if (io.out.len) {
        editor_message(ed, false, "%s", io.out.buf);
    } else if (io.note.len) {
        editor_message(ed, false, "%s", io.note.buf);
    }
    if (ok && strcmp(argv[0], "add") == 0 && ed->s->last_added) {
        for (size_t k = 0; k < ed->nvis; k++) {
            const struct tree_line *l = &ed->tree->lines[ed->vis[k]];
            if (l->dev && l->dev->node == ed->s->last_added)
                ed->sel = k;
        }
    }
    cmd_io_free(&io);
    if (ed->s->quit)
        ed->done = true;
    return ok;
}

static bool run_words(struct editor *ed, const struct words *w)
{
    return w->argc > 0 && run_call(ed, w->argc, w->argv);
}

/* Runs a command line the user typed or a key is bound to: its
 * commands in turn, up to the first that fails. */
static void run_line(struct editor *ed, const char *line)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_script *sc = cmd_script_parse(line, &e);
    if (!sc) {
        editor_message(ed, true, "%s", e.msg);
        return;
    }
    for (size_t i = 0; i < sc->n && !ed->done; i++)
        if (!run_call(ed, sc->calls[i].argc, sc->calls[i].argv))
            break;
    cmd_script_free(sc);
}

/* ------------------------------------------------------------------ */
/* Keys */

/* The keymap's name for what get_wch returned ("j", "C-r", "PgDn"). */
static bool key_name_of(int r, wint_t wc, char *buf, size_t size)
{
    if (r == OK && (wc & KEY_META_FLAG)) {
        wint_t c = wc & ~KEY_META_FLAG;
        if (c <= ' ' || c >= 0x7f)
            return false;
        snprintf(buf, size, "M-%c", (char)c);
        return true;
    }
    if (r == KEY_CODE_YES) {
        static const struct { int code; const char *name; } keys[] = {
            { KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" },
            { KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
            { KEY_ENTER, "Enter" }, { KEY_BACKSPACE, "Backspace" }, { KEY_DC, "Del" },
            { KEY_BTAB, "S-Tab" },
        };
        for (size_t i = 0; i < ARRAY_LEN(keys); i++)
            if ((int)wc == keys[i].code) {
                snprintf(buf, size, "%s", keys[i].name);
                return true;
            }
        for (int f = 1; f <= 12; f++)
            if ((int)wc == KEY_F(f)) {
                snprintf(buf, size, "F%d", f);
                return true;
            }
        return false;
    }
    switch (wc) {
    case '\n': case '\r': snprintf(buf, size, "Enter"); return true;
    case ' ': snprintf(buf, size, "Space"); return true;
    case '\t': snprintf(buf, size, "Tab"); return true;
    case 27: snprintf(buf, size, "Esc"); return true;
    case 0x7f: case 8: snprintf(buf, size, "Backspace"); return true;
    default: break;
    }
    if (wc >= 1 && wc <= 26) {
        snprintf(buf, size, "C-%c", (char)('a' + wc - 1));
        return true;
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    char mb[MB_LEN_MAX + 1];
    size_t k = wcrtomb(mb, (wchar_t)wc, &st);
    if (k == (size_t)-1 || k >= size)
        return false;
    memcpy(buf, mb, k);
    buf[k] = '\0';
    return true;
}

static void prompt_feed(struct editor *ed, int r, wint_t wc)
{
    /* keys the keymap's prompt context takes before the line editor */
    char name[16];
    const char *cmd = key_name_of(r, wc, name, sizeof name) ? keymap_lookup(ed->km, "prompt", name)
                                                            : NULL;
    if (cmd) {
        prompt_cancel(ed->prompt);
        ed->mode = MODE_TREE;
        if (strcmp(cmd, "cancel") != 0)
            run_line(ed, cmd);
        return;
    }
    if (wc & KEY_META_FLAG)
        return;
    if (r == KEY_CODE_YES) {
        /* the editing keys, as libedit's emacs bindings know them */
        switch (wc) {
        case KEY_UP: wc = 0x10; break;
        case KEY_DOWN: wc = 0x0e; break;
        case KEY_LEFT: wc = 0x02; break;
        case KEY_RIGHT: wc = 0x06; break;
        case KEY_HOME: wc = 0x01; break;
        case KEY_END: wc = 0x05; break;
        case KEY_BACKSPACE: wc = 0x08; break;
        case KEY_DC: wc = 0x04; break;
        case KEY_ENTER: wc = '\n'; break;
        default: return;
        }
    } else if (wc == 0x7f) {
        wc = 0x08;
    } else if (wc == '\r') {
        wc = '\n';
    }
    char *line;
    struct err e ERR_SCOPE = ERR_INIT;
    if (prompt_key(ed->prompt, (wchar_t)wc, ed->s, &line, &e)) {
        ed->mode = MODE_TREE;
        if (!line)
            editor_message(ed, true, "%s", e.msg);   /* too long: nothing runs */
        else if (line[strspn(line, " \t")])
            run_line(ed, line);
        free(line);
    }
}

static void pager_key(struct editor *ed, int r, wint_t wc)
{
    long page = LINES - 3 > 1 ? LINES - 3 : 1;
    long top = (long)ed->pager_top;
    bool code = r == KEY_CODE_YES;
    if ((!code && (wc == 'q' || wc == 27)) || (code && wc == KEY_F(1))) {
        ed->mode = MODE_TREE;
        return;
    }
    if ((code && wc == KEY_DOWN) || (!code && (wc == 'j' || wc == '\n' || wc == '\r')))
        top++;
    else if ((code && wc == KEY_UP) || (!code && wc == 'k'))
        top--;
    else if ((code && wc == KEY_NPAGE) || (!code && wc == ' '))
        top += page;
    else if (code && wc == KEY_PPAGE)
        top -= page;
    else if ((code && wc == KEY_HOME) || (!code && wc == 'g'))
        top = 0;
    else if ((code && wc == KEY_END) || (!code && wc == 'G'))
        top = (long)ed->pager_lines;
    long max = (long)ed->pager_lines - page;
    if (top > max)
        top = max;
    ed->pager_top = top < 0 ? 0 : (size_t)top;
}

/* The answer to the question recovery_offer asked. */
static void recover_key(struct editor *ed, wint_t wc)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (wc == 'r' || wc == 'R') {
        if (recovery_restore(ed->rec, ed->s, ed->offered, &e)) {
            sync_tree(ed);
            editor_message(ed, false, ed->offered_changed
                           ? "restored the unsaved changes over the newer file on disk; u undoes "
                             "that, w saves them over it"
                           : "restored the unsaved changes; u undoes that, w saves them");
        } else {
            editor_message(ed, true, "%s", e.msg);
        }
    } else if (wc == 'd' || wc == 'D') {
        if (recovery_discard(ed->offered, &e))
            editor_message(ed, false, "discarded the unsaved changes of the earlier session");
        else
            editor_message(ed, true, "%s", e.msg);
    } else if (wc == 'w' || wc == 'W') {
        char *aside;
        if (recovery_write_aside(ed->offered, ed->s, &aside, &e))
            editor_message(ed, false, "wrote the unsaved changes to %s, to merge by hand; the "
                           "editor has the file as it is on disk", aside);
        else
            editor_message(ed, true, "%s", e.msg);
        free(aside);
    } else {
        editor_message(ed, false, "kept the recovery file %s for later", ed->offered->path);
    }
    recovery_found_free(ed->offered, 1);
    ed->offered = NULL;
}

static void confirm_key(struct editor *ed, wint_t wc)
{
    ed->mode = MODE_TREE;
    if (ed->confirm == CONFIRM_RECOVER) {
        recover_key(ed, wc);
    } else if (wc == 'y' || wc == 'Y') {
        struct words w = ed->confirm_words;
        ed->confirm_words = (struct words){ 0, NULL };
        run_words(ed, &w);
        words_free(&w);
    } else if (ed->confirm == CONFIRM_QUIT && (wc == 'w' || wc == 'W')) {
        run_line(ed, "save");
        if (!ed->s->modified)
            run_line(ed, "quit");
    } else {
        editor_message(ed, false, ed->confirm == CONFIRM_DELETE ? "nothing deleted"
                       : ed->confirm == CONFIRM_SAVE ? "not saved" : "not quitting");
    }
}

static void mouse_key(struct editor *ed)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || ed->mode != MODE_TREE)
        return;
    struct layout_panes l = panes();
    if (ev.y < l.tree.y || ev.y >= l.tree.y + l.tree.h || ev.x >= l.tree.x + l.tree.w)
        return;
    size_t k = ed->top + (size_t)(ev.y - l.tree.y);
    if (k < ed->nvis) {
        ed->sel = k;
        if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
            toggle(ed);
    }
}

bool editor_key(struct editor *ed, int r, wint_t wc)
{
    if (r == KEY_CODE_YES && wc == KEY_RESIZE)
        return !ed->done;
    if (r == KEY_CODE_YES && wc == KEY_MOUSE) {
        mouse_key(ed);
        return !ed->done;
    }
    bool tiny = COLS < MIN_COLS || LINES < MIN_LINES;
    if (tiny) {
        /* nothing shows: only quitting (and answering its question) makes sense */
        if (ed->mode == MODE_CONFIRM)
            confirm_key(ed, wc);
        else if (r == OK && wc == 'q')
            run_line(ed, "quit");
        return !ed->done;
    }
    switch (ed->mode) {
    case MODE_PROMPT: prompt_feed(ed, r, wc); return !ed->done;
    case MODE_DIALOG: dialog_key(ed, r, wc); return !ed->done;
    case MODE_PAGER: pager_key(ed, r, wc); return !ed->done;
    case MODE_CONFIRM: confirm_key(ed, wc); return !ed->done;
    case MODE_TREE: break;
    }
    char name[16];
    if (!key_name_of(r, wc, name, sizeof name))
        return !ed->done;
    if (strcmp(name, "Esc") == 0) {
        clear_message(ed);
        return !ed->done;
    }
    const char *cmd = keymap_lookup(ed->km, "tree", name);
    if (!cmd) {
        editor_message(ed, true, "%s: no command on this key (? shows the keys)", name);
        return !ed->done;
    }
    run_line(ed, cmd);
    return !ed->done;
}

/* ------------------------------------------------------------------ */
/* Life cycle */

struct editor *editor_new(struct session *s, const struct keymap *km, const char *history_path)
{
    struct editor *ed = xcalloc(1, sizeof *ed);
    ed->s = s;
    ed->km = km;
    ed->utf8 = s->utf8;
    struct err why ERR_SCOPE = ERR_INIT;
    ed->prompt = prompt_new(history_path, &why);
    ed->prompt_problem = xstrdup(why.msg ? why.msg : "");
    init_colors(ed);
    rebuild_tree(ed);
    /* start on the first device line, not the heading */
    if (ed->nvis > 1)
        ed->sel = 1;
    return ed;
}

void editor_free(struct editor *ed)
{
    if (!ed)
        return;
    dialog_free(&ed->dlg);
    prompt_free(ed->prompt);
    free(ed->prompt_problem);
    tree_free(ed->tree);
    free(ed->vis);
    free(ed->explain);
    free(ed->pager);
    free(ed->pager_title);
    free(ed->msg);
    free(ed->question);
    words_free(&ed->confirm_words);
    unmark_all(ed);
    recovery_free(ed->rec);
    recovery_found_free(ed->offered, ed->offered ? 1 : 0);
    free(ed);
}

/* $XDG_STATE_HOME/pcitopo/history (~/.local/state/pcitopo/history); NULL
 * (no history kept) when there is no such directory. */
static char *history_path(void)
{
    char *dir = state_dir_new();
    if (!dir)
        return NULL;
    char *path = xasprintf("%s/history", dir);
    free(dir);
    return path;
}

/* The keymap context of the editor's mode. */
static const char *context_of(const struct editor *ed)
{
    return ed->mode == MODE_DIALOG ? "dialog" : ed->mode == MODE_PROMPT ? "prompt" : "tree";
}

/* Whether context binds any Meta key: only then is Esc worth waiting
 * after (the wait would reorder an Esc and a resize, say). */
static bool has_meta_keys(const struct keymap *km, const char *context)
{
    for (size_t i = 0; i < km->n; i++)
        if (strcmp(km->b[i].context, context) == 0 && strncmp(km->b[i].key, "M-", 2) == 0)
            return true;
    return false;
}

/* get_wch, with Esc and a key right after it read as Meta plus that key
 * (what terminals send for Alt) when the keymap binds that Meta key here;
 * otherwise Esc stays Esc, even when the next key follows fast. */
static int read_key(const struct editor *ed, wint_t *wc)
{
    int r = get_wch(wc);
    if (r != OK || *wc != 27 || !has_meta_keys(ed->km, context_of(ed)))
        return r;
    wint_t next;
    timeout(50);
    int r2 = get_wch(&next);
    timeout(-1);
    char meta[8];
    snprintf(meta, sizeof meta, "M-%c", r2 == OK && next > ' ' && next < 0x7f ? (char)next : ' ');
    if (r2 == OK && keymap_lookup(ed->km, context_of(ed), meta))
        *wc = next | KEY_META_FLAG;
    else if (r2 == OK)
        unget_wch((wchar_t)next);   /* Esc, then a key of its own */
    else if (r2 == KEY_CODE_YES)
        ungetch((int)next);
    return r;
}

/* Signals whose default action ends the process, besides the real-time
 * ones: the terminal goes back to the state the shell needs before the
 * process dies of them.  Not here: what cannot be caught (KILL, STOP),
 * what is ignored by default (CHLD, URG, WINCH, CONT) and the job-control
 * stops, which curses handles. */
static const int fatal_signals[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGUSR1, SIGSEGV,
    SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
    SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
    SIGSYS,
};
static struct sigaction previous[NSIG];

/* Best effort: endwin is not async-signal-safe, but a shell left in raw
 * mode without echo is worse.  The previous action (the default, or a
 * sanitizer's report) then runs as if we had not been there. */
static void restore_terminal_and_die(int sig)
{
    endwin();
    if (sig > 0 && sig < NSIG)
        sigaction(sig, &previous[sig], NULL);
    raise(sig);
}

/* Catches sig unless it is ignored now (nohup's HUP, main's XFSZ): an
 * ignored signal ends nothing, and must stay ignored. */
static void catch_one(int sig, const struct sigaction *sa)
{
    struct sigaction old;
    if (sig <= 0 || sig >= NSIG || sigaction(sig, NULL, &old) != 0 || old.sa_handler == SIG_IGN)
        return;
    sigaction(sig, sa, &previous[sig]);
}

static void catch_fatal_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = restore_terminal_and_die;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < ARRAY_LEN(fatal_signals); i++)
        catch_one(fatal_signals[i], &sa);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        catch_one(sig, &sa);
}

/* What another pcitopo left for this file: the newest recovery file of an
 * editor that is gone is offered (and held, so no other editor offers it
 * too); one of an editor still running is only mentioned.  When the file
 * changed on disk since those changes were made, restoring them would
 * silently undo that change: the question says so, and offers to write
 * them beside the file instead. */
static void recovery_offer(struct editor *ed)
{
    size_t n;
    struct recovery_found *f = recovery_find(ed->rec, &n);
    for (size_t i = 0; i < n && !ed->offered; i++) {
        if (f[i].running)
            editor_message(ed, true, "another pcitopo is editing %s: saving from both would "
                           "lose one's changes", ed->s->dom->name);
        else
            ed->offered = recovery_found_take(f, i);
    }
    recovery_found_free(f, n);
    if (!ed->offered)
        return;
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&ed->offered->mtime));
    char *change = recovery_disk_change(ed->offered, ed->s);
    ed->offered_changed = change != NULL;
    if (!change)
        ask(ed, CONFIRM_RECOVER, (struct words){ 0, NULL },
            "Restore unsaved changes from %s? r restores, d discards, other keys keep them (%s)",
            when, ed->s->dom->name);
    else
        ask(ed, CONFIRM_RECOVER, (struct words){ 0, NULL },
            "Unsaved changes from %s, but the file changed since! r restores them over it, "
            "w writes them beside it (.recovered), d discards them, other keys keep them. %s",
            when, change);
    free(change);
}

/* At start: recovery for the document, or the reason there is none (a
 * user who believes it is kept would lose work to a crash). */
static void recovery_start(struct editor *ed)
{
    struct err why ERR_SCOPE = ERR_INIT;
    ed->rec = recovery_new(ed->s, &why);
    if (!ed->rec && ed->s->dom->path) {
        char *before = xstrdup(ed->msg ? ed->msg : "");   /* a problem said before stays first */
        editor_message(ed, true, "%s%sunsaved changes are not kept for recovery: %s", before,
                       before[0] ? " | " : "", why.msg);
        free(before);
    }
    recovery_offer(ed);
}

/* After every key: the recovery file follows the document. */
static void recovery_follow(struct editor *ed)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (recovery_update(ed->rec, ed->s, &e) || ed->rec_failed)
        return;
    ed->rec_failed = true;
    editor_message(ed, true, "unsaved changes are not kept for recovery: %s", e.msg);
}

/* A paste arrives as thousands of keys at once: a frame drawn between
 * two of them is work nobody sees (it made a 100 KB paste cost a minute).
 * The screen is drawn once the keys stop coming. */
static bool input_pending(void)
{
    struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
    return poll(&p, 1, 0) > 0;
}

int editor_run(struct session *s, const struct keymap *km, const char *problems)
{
    char *hist = history_path();
    /* before initscr, so curses does not put its own exit(1) in their place */
    catch_fatal_signals();
    initscr();
    raw();   /* ^C is a key (nothing bound), not a kill: no lost edits */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED, NULL);
    mouseinterval(200);
    struct editor *ed = editor_new(s, km, hist);
    if (problems)
        editor_message(ed, true, "%s", problems);
    else if (!ed->prompt)
        editor_message(ed, true, "the ':' prompt is not available: %s", ed->prompt_problem);
    else if (prompt_history_problem(ed->prompt))
        editor_message(ed, true, "%s", prompt_history_problem(ed->prompt));
    char *leftover = domain_interrupted_save(s->dom);
    if (leftover)
        editor_message(ed, true, "%s", leftover);
    free(leftover);
    recovery_start(ed);
    for (;;) {
        if (!input_pending()) {
            editor_draw(ed);
            refresh();
        }
        wint_t wc;
        int r = read_key(ed, &wc);
        if (r == ERR)
            break;   /* the terminal went away: the recovery file stays */
        bool more = editor_key(ed, r, wc);
        recovery_follow(ed);
        if (!more) {
            recovery_remove(ed->rec);   /* saved, or the user chose to discard */
            break;
        }
    }
    endwin();
    editor_free(ed);
    free(hist);
    return 0;
}
