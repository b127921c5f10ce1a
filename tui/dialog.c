/* dialog: the add dialog — the kinds the machine takes, the fields, and
 * the preview, which is the same add run on a copy of the session. */
#include "config.h"
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "guestdiff.h"
#include "util.h"

/* The values the dialog's choice fields cycle through; the first is
 * "not asked" (the domain's policy decides). */
static const char *const hotplug_choices[] = { "default", "yes", "no" };
static const char *const bus_choices[] = { "any", "pcie", "pci" };

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

/* The dialog's rows before they are drawn: drawn whole when the pane
 * holds them, else scrolled to keep the row being edited in view. */
struct drows {
    struct drow {
        char *text;     /* owned */
        attr_t attr;
    } *r;
    int n, focus;
};

static void drows_add(struct drows *v, attr_t attr, char *text)
{
    v->r = xrealloc(v->r, (size_t)(v->n + 1) * sizeof *v->r);
    v->r[v->n++] = (struct drow){ text, attr };
}

static void drows_free(struct drows *v)
{
    for (int i = 0; i < v->n; i++)
        free(v->r[i].text);
    free(v->r);
}

/* Rows the preview takes: where the device goes, what comes with it,
 * the spare count; or why the add would fail, wrapped at width w. */
static int preview_rows(const struct dialog *d, int w)
{
    if (d->preview)
        return 2 + d->rep.nadded + (d->rep.others ? 1 : 0) + (d->guard ? wrapped_rows(d->guard, w) : 0)
               + (d->rep.renumber ? wrapped_rows(d->rep.renumber, w) : 0);
    return d->error ? wrapped_rows(d->error, w) : 0;
}

/* Below the tree the dialog asks for this many rows of kinds; beside it,
 * it lists as many as its pane holds. */
#define DIALOG_MAX_KINDS_SHOWN 8
#define DIALOG_FIELDS 5

int dialog_rows_wanted(const struct editor *ed)
{
    const struct dialog *d = &ed->dlg;
    int kinds = (int)(d->nkinds < DIALOG_MAX_KINDS_SHOWN ? d->nkinds : DIALOG_MAX_KINDS_SHOWN);
    /* title, kinds, gap, fields, gap, preview, hint */
    return 1 + kinds + 1 + DIALOG_FIELDS + 1 + preview_rows(d, COLS) + 1;
}

static void add_kind_rows(struct dialog *d, struct drows *v, int list_rows)
{
    if (d->kind < d->first)
        d->first = d->kind;
    if (d->kind >= d->first + (size_t)list_rows)
        d->first = d->kind - (size_t)list_rows + 1;
    for (int r = 0; r < list_rows && d->first + (size_t)r < d->nkinds; r++) {
        size_t k = d->first + (size_t)r;
        const struct add_kind *ak = d->kinds[k];
        if (k == d->kind && d->field == FIELD_KIND)
            v->focus = v->n;
        drows_add(v, k == d->kind ? (d->field == FIELD_KIND ? A_REVERSE : A_BOLD) : A_NORMAL,
                  xasprintf("%s %-27s %s", k == d->kind ? ">" : " ", ak->name, ak->summary));
    }
}

static void add_field_rows(const struct dialog *d, struct drows *v)
{
    const struct { enum field f; const char *label; const char *value, *help; } fields[DIALOG_FIELDS] = {
        { FIELD_ALIAS, "alias:   ", field_text(&d->alias), "" },
        { FIELD_HOST, "host:    ", field_text(&d->host), "" },
        { FIELD_HOTPLUG, "hotplug: ", hotplug_choices[d->hotplug], "  Space: yes / no (root bus)" },
        { FIELD_BUS, "bus:     ", bus_choices[d->bus], "  Space: pcie / pci (legacy)" },
        { FIELD_NUMA, "numa:    ", field_text(&d->numa), "  guest NUMA node" },
    };
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        attr_t a = d->field == fields[i].f ? A_REVERSE : A_NORMAL;
        if (!field_applies(d, fields[i].f))
            a = A_DIM;
        if (d->field == fields[i].f)
            v->focus = v->n;
        drows_add(v, a, xasprintf("%s[%-16s]%s", fields[i].label, fields[i].value, fields[i].help));
    }
}

static void add_wrapped_rows(struct drows *v, const char *text, int w, attr_t attr)
{
    for (const char *s = text ? text : ""; *s;) {
        size_t cut = wrap_cut(s, w);
        drows_add(v, attr, xasprintf("%.*s", (int)cut, s));
        s += cut;
        if (*s == '\n')
            s++;
    }
}

static void add_preview_rows(const struct editor *ed, struct drows *v, int w)
{
    const struct dialog *d = &ed->dlg;
    if (!d->preview) {
        add_wrapped_rows(v, d->error, w, theme_attr(ed, PAIR_PROBLEM, A_BOLD));
        return;
    }
    drows_add(v, theme_attr(ed, PAIR_PREVIEW, A_BOLD),
              xasprintf("goes to %02x:%02x.%x%s", d->rep.addr.bus, d->rep.addr.slot, d->rep.addr.function,
                        d->rep.hotplug ? ", hot-pluggable" : ", not hot-pluggable"));
    for (int i = 0; i < d->rep.nadded; i++)
        drows_add(v, theme_attr(ed, PAIR_ADDED, A_BOLD), xasprintf("adds %s", d->rep.added[i]));
    if (d->rep.others)
        drows_add(v, A_NORMAL, xasprintf("also places %d device%s without an address", d->rep.others,
                                         d->rep.others == 1 ? "" : "s"));
    drows_add(v, A_BOLD, xasprintf("spare hotplug: PCIe %d -> %d, PCI %d -> %d", ed->spare.pcie,
                                   d->rep.spare.pcie, ed->spare.pci, d->rep.spare.pci));
    add_wrapped_rows(v, d->guard, w, theme_attr(ed, PAIR_PROBLEM, A_BOLD));
    add_wrapped_rows(v, d->rep.renumber, w, A_NORMAL);
}

void dialog_draw(struct editor *ed, struct pane p)
{
    struct dialog *d = &ed->dlg;
    struct drows v = { NULL, 0, 0 };
    int body = p.h - 1;   /* the last row is the hint */
    /* the kind list gets what the rest leaves, at least 3 rows */
    int rest = 1 + DIALOG_FIELDS + preview_rows(d, p.w);
    bool gaps = body >= rest + 3 + 2;
    int list_rows = body - rest - (gaps ? 2 : 0);
    if (list_rows < 3)
        list_rows = 3;
    drows_add(&v, theme_attr(ed, PAIR_FRAME, A_BOLD), xstrdup("Add a device"));
    add_kind_rows(d, &v, list_rows);
    if (gaps)
        drows_add(&v, A_NORMAL, xstrdup(""));
    add_field_rows(d, &v);
    if (gaps)
        drows_add(&v, A_NORMAL, xstrdup(""));
    add_preview_rows(ed, &v, p.w);
    /* too many rows: scroll so the row being edited shows, and as much
     * of the preview below it as fits */
    int top = v.n > body && v.focus >= body ? v.focus - body + 1 : 0;
    for (int i = top, y = p.y; i < v.n && y < p.y + body; i++, y++)
        put_clipped(y, p.x, p.w, v.r[i].text, v.r[i].attr);
    bool more = top + body < v.n;
    put_clipped(p.y + p.h - 1, p.x, p.w,
                more ? "Enter adds  Tab next field  Esc cancels  (more below)"
                     : "Enter adds  Tab next field  Up/Down kind  Esc cancels",
                A_DIM);
    drows_free(&v);
}

/* The preview goes; its copy (scratch) stays for the next one. */
static void dialog_free_preview(struct dialog *d)
{
    tree_free(d->ptree);
    d->ptree = NULL;
    d->preview = NULL;
    add_report_free(&d->rep);
    free(d->guard);
    d->guard = NULL;
}

void dialog_free(struct dialog *d)
{
    dialog_free_preview(d);
    session_free(d->scratch);
    d->scratch = NULL;
    free(d->error);
    d->error = NULL;
    sb_free(&d->alias);
    sb_free(&d->host);
    sb_free(&d->numa);
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
    if (add_request_parse(w.argc, w.argv, &r, &e) && edit_add_preview(ed->s, &r, &d->scratch, &d->rep, &e)) {
        d->preview = d->scratch;
        d->ptree = tree_new_numbered(d->preview->topo, ed->expand, ed->numbers);
        d->guard = guard_preview_note_new(ed->s->topo, d->preview->topo, PREVIEW_GUARD_MOST);
    } else {
        d->error = xstrdup(e.msg);
    }
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

void dialog_open(struct editor *ed)
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
    ed->guard_shown = true;   /* the preview showed what moves in the guest */
    run_words(ed, &w);
    ed->guard_shown = false;
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
    if (!list_step(ed, how, d->kind, 8, d->nkinds, &d->kind))
        return;
    d->field = FIELD_KIND;
    dialog_update(ed);
}

/* Keys in the dialog: in a text field printable keys type; any other key
 * runs what the keymap's dialog context binds it to; on the kind list an
 * unbound letter jumps to the next kind starting with it. */
void dialog_key(struct editor *ed, int r, wint_t wc)
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

/* The dialog's own commands; false for the others (a bound `help` still
 * works there). */
bool dialog_action(struct editor *ed, int argc, char **argv)
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
