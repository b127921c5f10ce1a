/* pager: a full-screen text (help, explain, long output) to scroll. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void pager_draw(struct editor *ed)
{
    int rows = LINES - 2;
    put_clipped(0, 0, COLS, ed->pager_title ? ed->pager_title : "", theme_attr(ed, PAIR_HEADING, A_BOLD));
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

void pager_open(struct editor *ed, const char *title, const char *text)
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

void pager_key(struct editor *ed, int r, wint_t wc)
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
