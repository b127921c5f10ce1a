/* relocateview: moving a device (or a group) with the keys — the slots it
 * can go to highlighted, the selection moving over them only, the move
 * previewed in the details pane before Enter makes it.  What can move
 * where, and the move itself, are core/relocate.c's. */
#include "config.h"
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "guestdiff.h"
#include "relocate.h"
#include "util.h"

static bool is_target(const struct relocating *rl, const struct tree_line *l)
{
    return l->role == ROLE_EMPTY && l->bus >= 0 && l->slot_first == l->slot_last
        && (rl->targets.slots[l->bus] >> l->slot_first & 1u);
}

bool relocate_line_is_target(const struct editor *ed, const struct tree_line *l)
{
    return ed->mode == MODE_RELOCATE && is_target(&ed->rl, l);
}

bool relocate_line_is_subject(const struct editor *ed, const struct tree_line *l)
{
    if (ed->mode != MODE_RELOCATE || !l->dev)
        return false;
    const struct relocate_request *r = &ed->rl.req;
    if (r->dv)
        return l->dev == r->dv;
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        if (r->g.fn[f] == l->dev)
            return true;
    return false;
}

/* The preview goes; its copy (scratch) stays for the next one. */
static void preview_free(struct relocating *rl)
{
    rl->preview = NULL;
    relocate_report_free(&rl->rep);
    memset(&rl->rep, 0, sizeof rl->rep);
    free(rl->error);
    rl->error = NULL;
    free(rl->guard);
    rl->guard = NULL;
}

/* The move to the selected slot, on a copy of the session. */
static void preview_update(struct editor *ed)
{
    struct relocating *rl = &ed->rl;
    preview_free(rl);
    const struct tree_line *l = sel_line(ed);
    if (!l || !is_target(rl, l))
        return;
    struct relocate_request r = rl->req;
    r.bus = (unsigned)l->bus;
    r.slot = (unsigned)l->slot_first;
    r.function = r.dv ? r.dv->addr.function : 0;
    if (r.dv && r.dv->addr_state != ADDR_PCI)
        r.function = 0;
    struct err e ERR_SCOPE = ERR_INIT;
    if (relocate_preview(ed->s, &r, &rl->scratch, &rl->rep, &e)) {
        rl->preview = rl->scratch;
        rl->preview_spare = spare_placed(rl->preview->topo, &(struct err){ 0 });
        rl->guard = guard_preview_note_new(ed->s->topo, rl->preview->topo, PREVIEW_GUARD_MOST);
    } else {
        rl->error = xstrdup(e.msg ? e.msg : "this move would fail");
    }
    rl->to_bus = r.bus;
    rl->to_slot = r.slot;
    rl->to_function = r.function;
}

/* Selects the target nearest after (or before) tree line from, going
 * round; the tree is expanded so that every free slot is a line. */
static bool select_target(struct editor *ed, size_t from, bool forward, bool include_from)
{
    const struct tree *tr = ed->tree;
    for (size_t step = include_from ? 0 : 1; step <= tr->n && tr->n; step++) {
        size_t i = forward ? (from + step) % tr->n : (from + tr->n - step % tr->n) % tr->n;
        if (is_target(&ed->rl, &tr->lines[i])) {
            treeview_reveal(ed, i);
            preview_update(ed);
            return true;
        }
    }
    return false;
}

/* The request for the selected line: its device, or its group. */
static bool subject_of_selection(struct editor *ed, struct relocate_request *r)
{
    const struct tree_line *l = sel_line(ed);
    memset(r, 0, sizeof *r);
    if (l && l->role == ROLE_SLOT) {
        group_at(ed->s->topo, (unsigned)l->bus, (unsigned)l->slot_first, &r->g);
        return true;
    }
    if (!l || !l->dev) {
        editor_message(ed, true, "relocate: select a device (or a group's slot) first");
        return false;
    }
    r->dv = l->dev;
    return true;
}

void relocate_begin(struct editor *ed)
{
    struct relocating *rl = &ed->rl;
    struct relocate_request r;
    if (!subject_of_selection(ed, &r))
        return;
    struct err e ERR_SCOPE = ERR_INIT;
    if (!relocate_targets(ed->s, &r, &rl->targets, &e)) {
        editor_message(ed, true, "%s", e.msg);
        return;
    }
    if (!rl->targets.n) {
        editor_message(ed, true, "relocate: no free slot takes %s; add a controller first (a), "
                       "or let placement choose (:relocate NAME auto)",
                       r.dv ? device_label(r.dv) : "this group");
        return;
    }
    rl->req = r;
    rl->subject = relocate_subject_word_new(ed->s->topo, &r);
    rl->serial = ed->s->topo_serial;
    /* every free slot a line of its own while choosing; put back after */
    memcpy(rl->saved_expand, ed->expand, sizeof ed->expand);
    for (int b = 0; b < PCI_BUSES; b++)
        if (rl->targets.slots[b])
            ed->expand[b / 8] |= (unsigned char)(1u << (b % 8));
    size_t from = ed->nvis ? ed->vis[ed->sel] : 0;
    rebuild_tree(ed);
    ed->mode = MODE_RELOCATE;
    select_target(ed, from, true, false);
    editor_message(ed, false, "relocate %s: %d free slot%s can take it (highlighted); "
                   "move to one, Enter moves it there, Esc cancels", rl->subject, rl->targets.n,
                   rl->targets.n == 1 ? "" : "s");
}

/* Back to the tree as it was, the subject selected again. */
static void relocate_end(struct editor *ed)
{
    struct relocating *rl = &ed->rl;
    const struct device *subject = rl->req.dv ? rl->req.dv : rl->req.g.fn[0];
    xmlNodePtr node = subject ? subject->node : NULL;
    preview_free(rl);
    session_free(rl->scratch);
    rl->scratch = NULL;
    free(rl->subject);
    rl->subject = NULL;
    memcpy(ed->expand, rl->saved_expand, sizeof ed->expand);
    ed->mode = MODE_TREE;
    rebuild_tree(ed);
    treeview_select_node(ed, node);
}

static void commit(struct editor *ed)
{
    struct relocating *rl = &ed->rl;
    const struct tree_line *l = sel_line(ed);
    if (!l || !is_target(rl, l)) {
        editor_message(ed, true, "relocate: move to a highlighted slot first");
        return;
    }
    char where[16];
    if (rl->req.dv)
        snprintf(where, sizeof where, "%02x:%02x.%x", rl->to_bus, rl->to_slot, rl->to_function);
    else
        snprintf(where, sizeof where, "%02x:%02x", rl->to_bus, rl->to_slot);
    struct words w = words_of("relocate", rl->subject, where);
    relocate_end(ed);
    ed->guard_shown = true;   /* the preview showed what moves in the guest */
    run_words(ed, &w);
    ed->guard_shown = false;
    words_free(&w);
    treeview_select_node(ed, ed->s->last_added);   /* the moved device stays selected */
}

/* Keys while choosing: the tree's own keys for moving (whatever the
 * keymap binds), Enter to move the device, Esc to give up. */
void relocate_key(struct editor *ed, int r, wint_t wc)
{
    char name[16];
    if (!key_name_of(r, wc, name, sizeof name))
        return;
    const char *cmd = keymap_lookup(ed->km, "tree", name);
    if (strcmp(name, "Esc") == 0 || (cmd && (strcmp(cmd, "quit") == 0 || strcmp(cmd, "cancel") == 0))) {
        relocate_end(ed);
        editor_message(ed, false, "relocate cancelled: nothing moved");
    } else if (strcmp(name, "Enter") == 0 || (cmd && strcmp(cmd, "relocate") == 0)) {
        commit(ed);
    } else if (cmd && strncmp(cmd, "move ", 5) == 0) {
        const char *how = cmd + 5;
        size_t at = ed->nvis ? ed->vis[ed->sel] : 0;
        bool back = strcmp(how, "up") == 0 || strcmp(how, "page-up") == 0 || strcmp(how, "bottom") == 0;
        if (strcmp(how, "top") == 0)
            select_target(ed, 0, true, true);
        else if (strcmp(how, "bottom") == 0)
            select_target(ed, ed->tree->n ? ed->tree->n - 1 : 0, false, true);
        else
            select_target(ed, at, !back, false);
    } else {
        editor_message(ed, true, "relocating %s: Up/Down choose a highlighted slot, Enter moves it "
                       "there, Esc cancels", ed->rl.subject);
    }
}

/* The details pane while choosing: the move before and after. */
void relocate_draw(struct editor *ed, struct pane p)
{
    struct relocating *rl = &ed->rl;
    int y = p.y;
    char *title = rl->req.dv ? xasprintf("Relocate %s %s", device_label(rl->req.dv), rl->subject)
                             : xasprintf("Relocate the group at %s", rl->subject);
    put_clipped(y++, p.x, p.w, title, theme_attr(ed, PAIR_FRAME, A_BOLD));
    free(title);
    y++;
    if (rl->error) {
        put_wrapped(p, &y, rl->error, theme_attr(ed, PAIR_PROBLEM, A_BOLD));
    } else if (rl->preview) {
        struct strbuf sb = STRBUF_INIT;
        relocate_report_line(&rl->rep, &sb);
        /* the report's line holds the notes the move brings */
        put_wrapped(p, &y, sb.buf ? sb.buf : "", theme_attr(ed, PAIR_PREVIEW, A_BOLD));
        sb_free(&sb);
        char line[96];
        snprintf(line, sizeof line, "spare hotplug: PCIe %d -> %d, PCI %d -> %d", ed->spare.pcie,
                 rl->preview_spare.pcie, ed->spare.pci, rl->preview_spare.pci);
        if (y < p.y + p.h - 1)
            put_clipped(y++, p.x, p.w, line, A_BOLD);
        if (rl->guard)
            put_wrapped(p, &y, rl->guard, theme_attr(ed, PAIR_PROBLEM, A_BOLD));
    }
    put_clipped(p.y + p.h - 1, p.x, p.w, "Enter moves it here  Up/Down next slot  Esc cancels", A_DIM);
}

void relocating_free(struct editor *ed)
{
    preview_free(&ed->rl);
    session_free(ed->rl.scratch);
    ed->rl.scratch = NULL;
    free(ed->rl.subject);
    ed->rl.subject = NULL;
}
