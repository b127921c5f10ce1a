/* The list of a connection's domains (pcitopo --connect URI): a row each,
 * read one at a time between key checks, so that a host with many
 * domains, or a slow one, shows progress and answers keys meanwhile.
 * Enter edits the selected domain in the editor; quitting the editor
 * comes back here, as a view in tig or a machine's window in
 * virt-manager does. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>

#include "summary.h"

struct domainlist {
    struct virt_conn *conn;     /* owned */
    struct summary_list l;      /* owned */
    size_t next;                /* the next row to read; l.n: all read */
    size_t sel, top;
    char *msg;                  /* owned; NULL: none */
    bool msg_error;
};

static void list_message(struct domainlist *dl, bool error, char *msg)
{
    free(dl->msg);
    dl->msg = msg;
    dl->msg_error = error;
}

/* Lists the domains again, keeping the selection on the same name. */
static void list_reread(struct domainlist *dl)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct summary_list l;
    if (!summary_list_new(dl->conn, &l, &e)) {
        list_message(dl, true, xstrdup(e.msg));
        return;
    }
    char *was = dl->l.n ? xstrdup(dl->l.s[dl->sel].name) : NULL;
    summary_list_free(&dl->l);
    dl->l = l;
    dl->next = 0;
    dl->sel = 0;
    for (size_t i = 0; was && i < l.n; i++)
        if (strcmp(l.s[i].name, was) == 0)
            dl->sel = i;
    free(was);
}

/* The rows of the screen the list takes: all but the title, heading,
 * message and key lines. */
static int list_rows(void)
{
    return LINES - 4 > 1 ? LINES - 4 : 1;
}

static void list_draw(const struct domainlist *dl)
{
    erase();
    char *title = xasprintf("pcitopo: domains at %s", virt_conn_uri(dl->conn));
    put_clipped(0, 0, COLS, title, A_BOLD);
    free(title);
    size_t w = summary_name_width(&dl->l);
    if (w > (size_t)COLS / 2)
        w = (size_t)COLS / 2;
    struct strbuf sb = STRBUF_INIT;
    summary_heading(&sb, w);
    sb.buf[sb.len - 1] = '\0';
    put_clipped(1, 0, COLS, sb.buf, A_BOLD);
    int rows = list_rows();
    for (size_t i = dl->top; i < dl->l.n && (int)(i - dl->top) < rows; i++) {
        sb_free(&sb);
        summary_row(&sb, &dl->l.s[i], w);
        sb.buf[sb.len - 1] = '\0';
        int y = 2 + (int)(i - dl->top);
        attr_t a = i == dl->sel ? A_REVERSE : A_NORMAL;
        if (i == dl->sel)
            mvhline(y, 0, ' ' | a, COLS);
        put_clipped(y, 0, COLS, sb.buf, a);
    }
    sb_free(&sb);
    if (dl->msg) {
        put_clipped(LINES - 2, 0, COLS, dl->msg, dl->msg_error ? A_BOLD : A_NORMAL);
    } else if (dl->next < dl->l.n) {
        char *p = xasprintf("reading domain %zu of %zu...", dl->next + 1, dl->l.n);
        put_clipped(LINES - 2, 0, COLS, p, A_NORMAL);
        free(p);
    } else {
        char *p = xasprintf("%zu domain%s", dl->l.n, dl->l.n == 1 ? "" : "s");
        const struct summary *s = dl->l.n ? &dl->l.s[dl->sel] : NULL;
        put_clipped(LINES - 2, 0, COLS, s && s->error ? s->error : p, A_NORMAL);
        free(p);
    }
    put_clipped(LINES - 1, 0, COLS,
                "Enter edit   Up/Down j/k move   r read again   q quit   "
                "(PCIE PCI: spare hot-plug slots; PROBLEMS: what check finds)", A_REVERSE);
}

/* Keeps the selection on screen. */
static void list_scroll(struct domainlist *dl)
{
    size_t rows = (size_t)list_rows();
    if (dl->sel < dl->top)
        dl->top = dl->sel;
    else if (dl->sel >= dl->top + rows)
        dl->top = dl->sel - rows + 1;
}

static void list_move(struct domainlist *dl, long by)
{
    if (!dl->l.n)
        return;
    long to = (long)dl->sel + by;
    if (to < 0)
        to = 0;
    if (to >= (long)dl->l.n)
        to = (long)dl->l.n - 1;
    dl->sel = (size_t)to;
    list_scroll(dl);
}

/* The keys of the list: fixed, the ones every list in a terminal has. */
enum list_action { LIST_NONE, LIST_EDIT, LIST_QUIT };

static enum list_action list_key(struct domainlist *dl, int r, wint_t wc)
{
    long page = list_rows();
    if (r == KEY_CODE_YES) {
        switch (wc) {
        case KEY_UP: list_move(dl, -1); break;
        case KEY_DOWN: list_move(dl, 1); break;
        case KEY_PPAGE: list_move(dl, -page); break;
        case KEY_NPAGE: list_move(dl, page); break;
        case KEY_HOME: list_move(dl, -(long)dl->l.n); break;
        case KEY_END: list_move(dl, (long)dl->l.n); break;
        case KEY_ENTER: return LIST_EDIT;
        case KEY_F(5): list_reread(dl); break;
        case KEY_RESIZE: list_scroll(dl); break;
        default: break;
        }
        return LIST_NONE;
    }
    switch (wc) {
    case 'k': list_move(dl, -1); break;
    case 'j': list_move(dl, 1); break;
    case 'g': list_move(dl, -(long)dl->l.n); break;
    case 'G': list_move(dl, (long)dl->l.n); break;
    case '\r': case '\n': return dl->l.n ? LIST_EDIT : LIST_NONE;
    case 'r': list_message(dl, false, NULL); list_reread(dl); break;
    case 'q': case 3 /* C-c */: return LIST_QUIT;
    default: break;
    }
    return LIST_NONE;
}

int domainlist_run(const char *uri, const struct domainlist_options *o)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct domainlist dl = { .conn = virt_conn_new(uri, &e) };
    if (!dl.conn) {
        fprintf(stderr, "pcitopo: %s\n", e.msg);
        return 2;
    }
    if (!summary_list_new(dl.conn, &dl.l, &e)) {
        fprintf(stderr, "pcitopo: %s\n", e.msg);
        virt_conn_free(dl.conn);
        return 2;
    }
    catch_fatal_signals();
    bool started = terminal_start(o->keys ? o->keys : stdin, false);
    while (started) {
        list_draw(&dl);
        refresh();
        /* a row is read only while no key waits: keys always come first */
        timeout(dl.next < dl.l.n ? 0 : -1);
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR && dl.next < dl.l.n) {
            summary_read(dl.conn, &dl.l.s[dl.next++]);
            continue;
        }
        if (r == ERR)
            break;   /* the terminal went away */
        enum list_action a = list_key(&dl, r, wc);
        if (a == LIST_QUIT)
            break;
        if (a != LIST_EDIT)
            continue;
        struct summary *s = &dl.l.s[dl.sel];
        terminal_end();
        char *why = NULL;
        o->edit(s->name, o->arg, &why);
        started = terminal_start(o->keys ? o->keys : stdin, false);
        /* the editor may have defined it, or hot-plugged into it */
        summary_read(dl.conn, s);
        list_message(&dl, why != NULL, why ? visible_new(why) : NULL);
    }
    if (started)
        terminal_end();
    else
        fprintf(stderr, "pcitopo: cannot start the domain list on this terminal\n");
    free(dl.msg);
    summary_list_free(&dl.l);
    virt_conn_free(dl.conn);
    return started ? 0 : 2;
}
