/* problemsview: the list of the domain's problems (c), one entry per
 * problem with libvirt's words; Enter selects the device it is about.
 * The list is core/problems.c's, the one `check` prints. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>

#include "problems.h"
#include "util.h"

/* The problems of the session's document now: made once per topology
 * (the status line asks for every frame). */
const struct problem_list *problems_current(struct editor *ed)
{
    if (!ed->problems || ed->problems_serial != ed->s->topo_serial) {
        problems_free(ed->problems);
        ed->problems = problems_new(ed->s);
        ed->problems_serial = ed->s->topo_serial;
    }
    return ed->problems;
}

static const char *severity_mark(const struct problem *p)
{
    switch (p->severity) {
    case PROBLEM_REFUSAL: return "refused: ";
    case PROBLEM_AT_START: return "QEMU refuses at start: ";
    case PROBLEM_NOTE: return "note: ";
    case PROBLEM_WARNING: return "guest: ";
    }
    return "";
}

/* The text of entry i as the list shows it. */
static char *entry_text_new(const struct problem *p)
{
    return p->hint ? xasprintf("%s%s\n  %s", severity_mark(p), p->text, p->hint)
                   : xasprintf("%s%s", severity_mark(p), p->text);
}

void problems_open(struct editor *ed)
{
    const struct problem_list *l = problems_current(ed);
    if (!l || !l->n) {
        editor_message(ed, false, "no problems: libvirt 9.0 accepts this domain and can place the rest");
        return;
    }
    ed->psel = 0;
    ed->ptop = 0;
    ed->mode = MODE_PROBLEMS;
}

void problems_draw(struct editor *ed)
{
    const struct problem_list *l = problems_current(ed);
    char *status = problems_status_new(l);
    char *title = xasprintf("%s in %s  (Enter selects the device, q or Esc closes)",
                            status ? status : "no problems", ed->s->dom->name);
    put_clipped(0, 0, COLS, title, theme_attr(ed, PAIR_HEADING, A_BOLD));
    free(title);
    free(status);
    if (ed->psel >= l->n)
        ed->psel = l->n ? l->n - 1 : 0;
    if (ed->ptop > ed->psel)
        ed->ptop = ed->psel;
    struct pane body = { 1, 0, LINES - 3, COLS };
    /* scroll so the selected entry shows whole below the top one */
    for (;;) {
        int rows = 0;
        for (size_t i = ed->ptop; i <= ed->psel && i < l->n; i++) {
            char *text = entry_text_new(&l->p[i]);
            rows += wrapped_rows(text, COLS) + 1;
            free(text);
        }
        if (rows <= body.h || ed->ptop == ed->psel)
            break;
        ed->ptop++;
    }
    int y = body.y;
    for (size_t i = ed->ptop; i < l->n && y < body.y + body.h; i++) {
        const struct problem *p = &l->p[i];
        attr_t a = p->severity == PROBLEM_NOTE ? A_NORMAL : theme_attr(ed, PAIR_PROBLEM, A_BOLD);
        char *text = entry_text_new(p);
        put_wrapped(body, &y, text, a | (i == ed->psel ? A_REVERSE : A_NORMAL));
        free(text);
        y++;
    }
}

/* Enter: the tree, with the line of the problem's device selected. */
static void select_device(struct editor *ed, const struct problem *p)
{
    ed->mode = MODE_TREE;
    sync_tree(ed);
    if (treeview_select_node(ed, p->node)) {
        editor_message(ed, p->severity != PROBLEM_NOTE, "%s", p->msg);
        return;
    }
    editor_message(ed, false, "this problem is about %s, which has no line of its own in the tree: %s",
                   p->node ? "an element pcitopo does not draw" : "the domain as a whole", p->msg);
}

void problems_key(struct editor *ed, int r, wint_t wc)
{
    const struct problem_list *l = problems_current(ed);
    bool code = r == KEY_CODE_YES;
    size_t last = l->n ? l->n - 1 : 0;
    if (!code && (wc == 'q' || wc == 27)) {
        ed->mode = MODE_TREE;
    } else if ((code && wc == KEY_ENTER) || (!code && (wc == '\r' || wc == '\n'))) {
        if (l->n)
            select_device(ed, &l->p[ed->psel]);
    } else if ((code && wc == KEY_DOWN) || (!code && (wc == 'j' || wc == 0x0e))) {
        ed->psel = ed->psel < last ? ed->psel + 1 : last;
    } else if ((code && wc == KEY_UP) || (!code && (wc == 'k' || wc == 0x10))) {
        ed->psel = ed->psel ? ed->psel - 1 : 0;
    } else if ((code && wc == KEY_HOME) || (!code && wc == 'g')) {
        ed->psel = 0;
    } else if ((code && wc == KEY_END) || (!code && wc == 'G')) {
        ed->psel = last;
    } else if ((code && wc == KEY_NPAGE) || (!code && wc == ' ')) {
        ed->psel = ed->psel + 5 < last ? ed->psel + 5 : last;
    } else if (code && wc == KEY_PPAGE) {
        ed->psel = ed->psel > 5 ? ed->psel - 5 : 0;
    }
}

void problems_say_at_start(struct editor *ed)
{
    const struct problem_list *l = problems_current(ed);
    int n = problems_count(l);
    if (!n || ed->msg)
        return;   /* a message of its own comes first; the status line still counts them */
    editor_message(ed, true, "%s has %d problem%s libvirt or QEMU would refuse (drawn in the error "
                   "colour): c lists them, Enter on one selects its device", ed->s->dom->name, n,
                   n == 1 ? "" : "s");
}
