/* paint: see paint.h. */
#include "config.h"
#include "paint.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util.h"

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
int put_clipped(int y, int x, int w, const char *s, attr_t attr)
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

/* The bytes of s that go on one row of w columns: the longest run of
 * whole words that fits, up to the line's end. */
size_t wrap_cut(const char *s, int w)
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
int wrapped_rows(const char *text, int w)
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
void put_wrapped(struct pane p, int *y, const char *text, attr_t attr)
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

/* Columns text takes on the screen. */
int text_width(const char *text)
{
    size_t wn;
    wchar_t *ws = wide_new(text, &wn);
    int width = 0;
    for (size_t i = 0; wn != (size_t)-1 && i < wn; i++)
        width += wcwidth(ws[i]) < 0 ? 1 : wcwidth(ws[i]);
    free(ws);
    return wn == (size_t)-1 ? (int)strlen(text) : width;
}

/* The end of s that fits in cols columns: where to start drawing it. */
const char *tail_fitting(const char *s, int cols)
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
