#include "config.h"
#include "viewer.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "curses_shim.h"
#include "tree.h"

/* Below this the tree and status line cannot be drawn sensibly. */
#define MIN_COLS 60
#define MIN_LINES 15

enum { PAIR_HEADING = 1, PAIR_CONTROLLER, PAIR_ENDPOINT, PAIR_CHIPSET, PAIR_EMPTY,
       PAIR_PROBLEM, PAIR_STATUS };

struct view {
    struct session *s;
    struct tree *tree;
    bool utf8;
    size_t top;        /* first tree line on screen */
};

static attr_t role_attr(enum tree_role role)
{
    static const struct { enum tree_role role; short pair; attr_t mono; } roles[] = {
        { ROLE_HEADING, PAIR_HEADING, A_BOLD },
        { ROLE_ROOT, PAIR_CONTROLLER, A_BOLD },
        { ROLE_CONTROLLER, PAIR_CONTROLLER, A_BOLD },
        { ROLE_ENDPOINT, PAIR_ENDPOINT, A_NORMAL },
        { ROLE_CHIPSET, PAIR_CHIPSET, A_DIM },
        { ROLE_EMPTY, PAIR_EMPTY, A_DIM },
        { ROLE_PROBLEM, PAIR_PROBLEM, A_UNDERLINE },
    };
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].role == role)
            return has_colors() ? (attr_t)COLOR_PAIR(roles[i].pair) | (roles[i].mono & A_BOLD)
                                : roles[i].mono;
    return A_NORMAL;
}

static void init_colors(void)
{
    if (!has_colors())
        return;
    start_color();
    use_default_colors();
    init_pair(PAIR_HEADING, COLOR_YELLOW, -1);
    init_pair(PAIR_CONTROLLER, COLOR_CYAN, -1);
    init_pair(PAIR_ENDPOINT, -1, -1);
    init_pair(PAIR_CHIPSET, COLOR_BLUE, -1);
    init_pair(PAIR_EMPTY, COLOR_GREEN, -1);
    init_pair(PAIR_PROBLEM, COLOR_RED, -1);
    init_pair(PAIR_STATUS, COLOR_BLACK, COLOR_CYAN);
}

/* Draws a UTF-8 string clipped to the columns left on the row. */
static void put_clipped(int y, int x, const char *s, attr_t attr)
{
    int cols = COLS - x;
    if (cols <= 0)
        return;
    size_t n = strlen(s);
    wchar_t *ws = calloc(n + 1, sizeof *ws);
    if (!ws)
        return;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    const char *src = s;
    size_t wn = mbsrtowcs(ws, &src, n + 1, &st);
    if (wn == (size_t)-1) {
        free(ws);
        attron(attr);
        mvaddnstr(y, x, s, cols);
        attroff(attr);
        return;
    }
    int width = 0;
    size_t fit = 0;
    for (; fit < wn; fit++) {
        int w = wcwidth(ws[fit]);
        if (w < 0)
            w = 1;
        if (width + w > cols)
            break;
        width += w;
    }
    attron(attr);
    mvaddnwstr(y, x, ws, (int)fit);
    attroff(attr);
    free(ws);
}

static int tree_rows(void)
{
    return LINES - 1;
}

static void draw(struct view *v)
{
    erase();
    if (COLS < MIN_COLS || LINES < MIN_LINES) {
        mvprintw(0, 0, "terminal too small");
        mvprintw(1, 0, "pcitopo needs %dx%d", MIN_COLS, MIN_LINES);
        refresh();
        return;
    }
    char prefix[512];
    for (int row = 0; row < tree_rows() && v->top + (size_t)row < v->tree->n; row++) {
        size_t i = v->top + (size_t)row;
        const char *p = tree_prefix(v->tree, i, v->utf8, prefix, sizeof prefix);
        put_clipped(row, 0, p, A_NORMAL);
        int px = 0;
        for (const char *c = p; *c; c++)
            px += ((unsigned char)*c & 0xC0) != 0x80;
        put_clipped(row, px, v->tree->lines[i].text, role_attr(v->tree->lines[i].role));
    }
    const struct topology *t = v->s->topo;
    char status[512];
    snprintf(status, sizeof status, " %s  %s%s  %zu-%zu of %zu  q quit, arrows/PgUp/PgDn scroll",
             v->s->dom->name, t->machine == MACH_Q35 ? "q35" : "pc",
             v->s->modified ? " [modified]" : "",
             v->tree->n ? v->top + 1 : 0,
             v->top + (size_t)tree_rows() < v->tree->n ? v->top + (size_t)tree_rows() : v->tree->n,
             v->tree->n);
    attr_t sa = has_colors() ? (attr_t)COLOR_PAIR(PAIR_STATUS) : A_REVERSE;
    attron(sa);
    mvhline(LINES - 1, 0, ' ', COLS);
    attroff(sa);
    put_clipped(LINES - 1, 0, status, sa);
    refresh();
}

static void scroll_by(struct view *v, long delta)
{
    long max_top = (long)v->tree->n - tree_rows();
    if (max_top < 0)
        max_top = 0;
    long top = (long)v->top + delta;
    if (top > max_top)
        top = max_top;
    if (top < 0)
        top = 0;
    v->top = (size_t)top;
}

int viewer_run(struct session *s)
{
    struct view v = { s, tree_new(s->topo), s->utf8, 0 };
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    init_colors();
    for (;;) {
        draw(&v);
        int ch = getch();
        if (ch == 'q' || ch == ERR)
            break;
        switch (ch) {
        case KEY_DOWN: case 'j': scroll_by(&v, 1); break;
        case KEY_UP: case 'k': scroll_by(&v, -1); break;
        case KEY_NPAGE: case ' ': scroll_by(&v, tree_rows() - 1); break;
        case KEY_PPAGE: scroll_by(&v, -(tree_rows() - 1)); break;
        case KEY_HOME: case 'g': v.top = 0; break;
        case KEY_END: case 'G': scroll_by(&v, (long)v.tree->n); break;
        case KEY_RESIZE: scroll_by(&v, 0); break;
        default: break;
        }
    }
    endwin();
    tree_free(v.tree);
    return 0;
}
