/* editor: the loop — layout, the frame drawn from every screen, the
 * editor's life cycle.  See screens.h for the screens. */
#include "config.h"
#include "screens.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "problems.h"
#include "util.h"

/* Rows the details pane gets below the tree: a third of the body, but
 * the add dialog needs its fields and preview whole, so it takes what it
 * needs from the tree, which keeps a few rows to show the new device. */
static int details_rows(const struct editor *ed, int body)
{
    int dh = body / 3;
    if (ed->mode == MODE_DIALOG) {
        int want = dialog_rows_wanted(ed), most = body - 6;
        if (want > most)
            want = most;
        if (want > dh)
            dh = want;
    }
    return dh;
}

struct layout_panes editor_panes(const struct editor *ed)
{
    struct layout_panes l;
    int body = LINES - 2;
    l.side = COLS >= SIDE_BY_SIDE_COLS;
    if (l.side) {
        int tw = COLS * 3 / 5;
        l.tree = (struct pane){ 0, 0, body, tw };
        l.details = (struct pane){ 0, tw + 1, body, COLS - tw - 1 };
    } else {
        int dh = details_rows(ed, body);
        l.tree = (struct pane){ 0, 0, body - dh - 1, COLS };
        l.details = (struct pane){ body - dh, 0, dh, COLS };
    }
    return l;
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
        pager_draw(ed);
    } else if (ed->mode == MODE_PROBLEMS) {
        problems_draw(ed);
    } else {
        struct layout_panes l = editor_panes(ed);
        treeview_draw(ed, l.tree);
        attr_t frame = theme_attr(ed, PAIR_FRAME, A_DIM);
        attron(frame);
        if (l.side)
            mvvline(l.tree.y, l.tree.w, ed->utf8 ? ACS_VLINE : '|', l.tree.h);
        else
            mvhline(l.tree.h, 0, ed->utf8 ? ACS_HLINE : '-', COLS);
        attroff(frame);
        if (ed->mode == MODE_DIALOG)
            dialog_draw(ed, l.details);
        else if (ed->mode == MODE_RELOCATE)
            relocate_draw(ed, l.details);
        else
            details_draw(ed, l.details);
    }
    /* a long message or question takes rows from the panes, the status
     * line moving up above it */
    int rows = message_rows(ed);
    int most = ed->mode == MODE_CONFIRM ? LINES - 2 : message_max_rows();
    if (rows > most)
        rows = most;
    status_draw(ed, LINES - 1 - rows);
    message_line_draw(ed, LINES - rows);
}

struct editor *editor_new(struct session *s, const struct keymap *km, const char *history_path)
{
    struct editor *ed = xcalloc(1, sizeof *ed);
    ed->s = s;
    ed->km = km;
    ed->numbers = NUMBERS_XML_GUEST;
    ed->utf8 = s->utf8;
    struct err why ERR_SCOPE = ERR_INIT;
    ed->prompt = prompt_new(history_path, &why);
    ed->prompt_problem = xstrdup(why.msg ? why.msg : "");
    theme_init(ed, NULL);
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
    relocating_free(ed);
    problems_free(ed->problems);
    free(ed->search);
    prompt_free(ed->prompt);
    free(ed->prompt_problem);
    tree_free(ed->tree);
    free(ed->vis);
    free(ed->explain);
    free(ed->pager);
    free(ed->pager_title);
    pager_free(ed);
    message_log_free(ed);
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

/* A paste arrives as thousands of keys at once: a frame drawn between
 * two of them is work nobody sees (it made a 100 KB paste cost a minute).
 * The screen is drawn once the keys stop coming.  Asked of the keys'
 * descriptor, which is /dev/tty when the document came on stdin. */
static bool input_pending(void)
{
    struct pollfd p = { terminal_key_fd(), POLLIN, 0 };
    return poll(&p, 1, 0) > 0;
}

int editor_run(struct session *s, const struct editor_options *o)
{
    char *hist = history_path();
    /* before curses starts, so it does not put its own exit(1) in their place */
    catch_fatal_signals();
    if (!terminal_start(o->keys ? o->keys : stdin, o->mouse)) {
        fprintf(stderr, "pcitopo: cannot start the editor on this terminal (TERM=%s)\n",
                getenv("TERM") ? getenv("TERM") : "");
        free(hist);
        return 2;
    }
    struct editor *ed = editor_new(s, o->km, hist);
    theme_init(ed, o->theme);
    if (o->problems)
        editor_message(ed, true, "%s", o->problems);
    else if (!ed->prompt)
        editor_message(ed, true, "the ':' prompt is not available: %s", ed->prompt_problem);
    else if (prompt_history_problem(ed->prompt))
        editor_message(ed, true, "%s", prompt_history_problem(ed->prompt));
    char *leftover = domain_interrupted_save(s->dom);
    if (leftover)
        editor_message(ed, true, "%s", leftover);
    free(leftover);
    problems_say_at_start(ed);
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
    terminal_end();
    editor_free(ed);
    free(hist);
    return 0;
}
