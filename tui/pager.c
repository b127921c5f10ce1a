/* pager: a full-screen text (help, explain, long output, the message
 * log) read as in less: wrapped at the screen's width at word
 * boundaries, scrolled, searched with '/', n and N.
 *
 * Its keys are its own, not the keymap's: they are less's, which every
 * reader of long text in a terminal knows, and the text pages cannot
 * clash with the tree's commands.  pager_help() lists them. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A row of the screen: a run of the text's bytes, from column indent. */
struct row {
    size_t off, len;
    int indent;
};

struct pager_view {
    size_t len;                 /* strlen(ed->pager) */
    struct row *rows;           /* owned: the text wrapped at width */
    size_t nrows, cap;
    int width;                  /* the columns rows were made for; 0: none yet */
    char *pattern;              /* owned: the last search; NULL: none */
    size_t matches;             /* how often it occurs in the text */
    size_t nth;                 /* which of them the current match is, from 1 */
    bool current;               /* match_off is the match n and N go on from */
    size_t match_off;
    bool typing;                /* the bottom line reads a pattern */
    struct strbuf input;        /* what is typed there */
};

static struct pager_view *view(struct editor *ed)
{
    if (!ed->pager_view) {
        ed->pager_view = xcalloc(1, sizeof *ed->pager_view);
        sb_puts(&ed->pager_view->input, "");
    }
    return ed->pager_view;
}

/* Rows of text between the title and the status line. */
static long page_rows(void)
{
    return LINES - 3 > 1 ? LINES - 3 : 1;
}

static void add_row(struct pager_view *v, size_t off, size_t len, int indent)
{
    if (v->nrows == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->rows = xrealloc(v->rows, v->cap * sizeof *v->rows);
    }
    v->rows[v->nrows++] = (struct row){ off, len, indent };
}

/* The row that holds byte off of the text. */
static size_t row_of(const struct pager_view *v, size_t off)
{
    size_t lo = 0, hi = v->nrows;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->rows[mid].off <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void clamp_top(struct editor *ed, long top)
{
    long max = (long)ed->pager_lines - page_rows();
    if (top > max)
        top = max;
    ed->pager_top = top < 0 ? 0 : (size_t)top;
}

/* Wraps the text again when the screen's width changed, the top row
 * staying on the same text (its first byte), so a resize does not lose
 * the reader's place. */
static struct pager_view *rewrap(struct editor *ed)
{
    struct pager_view *v = view(ed);
    int width = COLS > 1 ? COLS : 1;
    if (v->width == width || !ed->pager)
        return v;
    size_t anchor = v->nrows && ed->pager_top < v->nrows ? v->rows[ed->pager_top].off : 0;
    v->nrows = 0;
    v->width = width;
    const char *t = ed->pager;
    for (const char *s = t; *s;) {
        /* a line's further rows stand under its first word, as an
         * indented line of explain's reads best, unless that leaves
         * them too little room */
        int lead = (int)strspn(s, " "), indent = 0;
        if (lead >= width / 2)
            lead = 0;
        do {
            size_t cut = wrap_cut(s, width - indent);
            add_row(v, (size_t)(s - t), cut, indent);
            s += cut;
            indent = lead;
        } while (*s && *s != '\n');
        if (*s == '\n')
            s++;
    }
    ed->pager_lines = v->nrows;
    clamp_top(ed, v->nrows ? (long)row_of(v, anchor) : 0);
    return v;
}

/* less's smartcase: a pattern without capitals finds any case. */
static bool pattern_folds(const char *pattern)
{
    for (const char *p = pattern; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            return false;
    return true;
}

static char fold_ascii(char c, bool fold)
{
    return fold && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether the pattern stands at byte at of the text. */
static bool match_here(const char *text, size_t len, size_t at, const char *pattern, size_t plen,
                       bool fold)
{
    if (at + plen > len)
        return false;
    for (size_t i = 0; i < plen; i++)
        if (fold_ascii(text[at + i], fold) != fold_ascii(pattern[i], fold))
            return false;
    return true;
}

/* The first match at or after from and before limit (backwards: at or
 * before from) in the text; false when there is none there. */
static bool find_match(const struct editor *ed, size_t from, size_t limit, bool forward, size_t *at)
{
    const struct pager_view *v = ed->pager_view;
    size_t plen = strlen(v->pattern);
    bool fold = pattern_folds(v->pattern);
    if (plen == 0 || plen > v->len)
        return false;
    size_t last = v->len - plen;
    if (forward) {
        for (size_t i = from; i <= last && i < limit; i++)
            if (match_here(ed->pager, v->len, i, v->pattern, plen, fold))
                return *at = i, true;
        return false;
    }
    for (size_t i = from < last ? from + 1 : last + 1; i-- > 0;)
        if (match_here(ed->pager, v->len, i, v->pattern, plen, fold))
            return *at = i, true;
    return false;
}

/* Matches that start before end, one after another (not overlapping). */
static size_t count_matches(const struct editor *ed, size_t end)
{
    size_t n = 0, at, plen = strlen(ed->pager_view->pattern);
    for (size_t from = 0; find_match(ed, from, end, true, &at); from = at + plen)
        n++;
    return n;
}

static bool current_on_screen(const struct editor *ed)
{
    const struct pager_view *v = ed->pager_view;
    if (!v->current || v->nrows == 0)
        return false;
    size_t r = row_of(v, v->match_off);
    return r >= ed->pager_top && r < ed->pager_top + (size_t)page_rows();
}

/* The next match of the pattern (the previous when !forward), going on
 * from the current match while it shows, else from the top row; round
 * the end when none is left that way.  Its row goes to the top. */
static void search_step(struct editor *ed, bool forward)
{
    struct pager_view *v = rewrap(ed);
    if (!v->pattern) {
        editor_message(ed, true, "no search yet: / searches");
        return;
    }
    size_t top_off = v->nrows ? v->rows[ed->pager_top].off : 0;
    size_t from;
    if (current_on_screen(ed))
        from = forward ? v->match_off + 1 : v->match_off;
    else
        from = top_off;
    /* backwards, from itself is excluded: find_match includes it */
    bool back_from_start = !forward && from == 0;
    size_t at = 0;
    bool found = !back_from_start && find_match(ed, forward ? from : from - 1, v->len, forward, &at);
    if (!found && find_match(ed, forward ? 0 : v->len, v->len, forward, &at)) {
        found = true;
        editor_message(ed, false, "search went round the %s: from the %s", forward ? "end" : "start",
                       forward ? "top" : "bottom");
    }
    v->current = found;
    if (!found) {
        editor_message(ed, true, "Pattern not found: %s", v->pattern);
        return;
    }
    v->match_off = at;
    v->nth = count_matches(ed, at) + 1;
    clamp_top(ed, (long)row_of(v, at));
}

/* Enter on the search line: its pattern (an empty line: the last one
 * again), searched from the top row. */
static void search_start(struct editor *ed)
{
    struct pager_view *v = view(ed);
    v->typing = false;
    if (v->input.len) {
        free(v->pattern);
        v->pattern = xstrdup(v->input.buf);
        v->matches = count_matches(ed, v->len);
    }
    v->current = false;
    search_step(ed, true);
}

/* Removes the last character typed (UTF-8: its continuation bytes too). */
static void input_backspace(struct strbuf *sb)
{
    while (sb->len > 0 && ((unsigned char)sb->buf[--sb->len] & 0xC0) == 0x80)
        ;
    sb->buf[sb->len] = '\0';
}

static void input_clear(struct strbuf *sb)
{
    sb->len = 0;
    sb->buf[0] = '\0';
}

/* A key while the bottom line reads a pattern: typing, Backspace, C-u,
 * Enter searches, Esc (or Backspace on nothing, as in less) leaves. */
static void search_input_key(struct editor *ed, int r, wint_t wc)
{
    struct pager_view *v = view(ed);
    bool code = r == KEY_CODE_YES;
    if (wc & KEY_META_FLAG)
        return;
    if ((code && wc == KEY_ENTER) || (!code && (wc == '\n' || wc == '\r'))) {
        search_start(ed);
    } else if (!code && wc == 27) {
        v->typing = false;
    } else if ((code && wc == KEY_BACKSPACE) || (!code && (wc == 0x7f || wc == 8))) {
        if (v->input.len == 0)
            v->typing = false;
        input_backspace(&v->input);
    } else if (!code && wc == 0x15) {   /* C-u */
        input_clear(&v->input);
    } else if (!code && wc >= ' ' && wc != 0x7f) {
        char mb[MB_LEN_MAX];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t k = wcrtomb(mb, (wchar_t)wc, &st);
        if (k != (size_t)-1)
            sb_add(&v->input, mb, k);
    }
}

void pager_scroll(struct editor *ed, int rows)
{
    if (ed->mode != MODE_PAGER)
        return;
    rewrap(ed);
    clamp_top(ed, (long)ed->pager_top + rows);
}

/* What a key does to the top row: false when it does nothing to it. */
static bool scroll_key(bool code, wint_t wc, long top, long *to)
{
    long page = page_rows(), end = 1L << 30;
    if ((code && (wc == KEY_DOWN || wc == KEY_ENTER))
        || (!code && (wc == 'j' || wc == 'e' || wc == '\n' || wc == '\r' || wc == 0x0e || wc == 0x05)))
        *to = top + 1;
    else if ((code && wc == KEY_UP) || (!code && (wc == 'k' || wc == 'y' || wc == 0x10 || wc == 0x19)))
        *to = top - 1;
    else if ((code && wc == KEY_NPAGE) || (!code && (wc == ' ' || wc == 'f' || wc == 0x06 || wc == 0x16)))
        *to = top + page;
    else if ((code && wc == KEY_PPAGE)
             || (!code && (wc == 'b' || wc == 0x02 || wc == ('v' | KEY_META_FLAG))))
        *to = top - page;
    else if (!code && (wc == 'd' || wc == 0x04))
        *to = top + page / 2;
    else if (!code && (wc == 'u' || wc == 0x15))
        *to = top - page / 2;
    else if ((code && wc == KEY_HOME) || (!code && (wc == 'g' || wc == '<')))
        *to = 0;
    else if ((code && wc == KEY_END) || (!code && (wc == 'G' || wc == '>')))
        *to = end;
    else
        return false;
    return true;
}

void pager_key(struct editor *ed, int r, wint_t wc)
{
    struct pager_view *v = rewrap(ed);
    if (v->typing) {
        search_input_key(ed, r, wc);
        return;
    }
    /* a message (Pattern not found) lasts until the next key, as in less */
    clear_message(ed);
    bool code = r == KEY_CODE_YES;
    long to;
    if ((!code && (wc == 'q' || wc == 'Q' || wc == 27)) || (code && wc == KEY_F(1))) {
        ed->mode = MODE_TREE;
    } else if (scroll_key(code, wc, (long)ed->pager_top, &to)) {
        clamp_top(ed, to);
    } else if (!code && wc == '/') {
        v->typing = true;
        input_clear(&v->input);
    } else if (!code && (wc == 'n' || wc == 'N')) {
        search_step(ed, wc == 'n');
    }
}

/* One row, the pattern's matches in it shown as matches (the current
 * one, where n and N go on from, underlined too). */
static void draw_row(struct editor *ed, int y, const struct row *row)
{
    const struct pager_view *v = ed->pager_view;
    const char *t = ed->pager;
    size_t plen = v->pattern && v->matches ? strlen(v->pattern) : 0;
    attr_t hl = theme_attr(ed, PAIR_MATCH, A_REVERSE);
    int x = row->indent;
    size_t done = row->off, end = row->off + row->len;
    /* a match begun on the row before shows its end here */
    size_t at, from = plen && row->off >= plen ? row->off - plen + 1 : 0;
    while (plen && done < end && find_match(ed, from, end, true, &at)) {
        size_t a = at > done ? at : done, b = at + plen < end ? at + plen : end;
        if (b > done) {
            char *before = xstrndup(t + done, a - done);
            char *match = xstrndup(t + a, b - a);
            x += put_clipped(y, x, COLS - x, before, A_NORMAL);
            bool cur = v->current && at == v->match_off;
            x += put_clipped(y, x, COLS - x, match, hl | (cur ? A_UNDERLINE | A_BOLD : 0));
            free(before);
            free(match);
            done = b;
        }
        from = at + plen;
    }
    char *rest = xstrndup(t + done, end - done);
    put_clipped(y, x, COLS - x, rest, A_NORMAL);
    free(rest);
}

void pager_draw(struct editor *ed)
{
    struct pager_view *v = rewrap(ed);
    clamp_top(ed, (long)ed->pager_top);   /* the screen may be shorter now */
    put_clipped(0, 0, COLS, ed->pager_title ? ed->pager_title : "", theme_attr(ed, PAIR_HEADING, A_BOLD));
    long page = page_rows();
    for (long i = 0; i < page && ed->pager_top + (size_t)i < v->nrows; i++)
        draw_row(ed, 1 + (int)i, &v->rows[ed->pager_top + (size_t)i]);
}

/* "lines 1-27 of 140 19%": the rows shown, as less says it. */
static char *position_new(const struct editor *ed)
{
    size_t n = ed->pager_lines, first = ed->pager_top + 1;
    size_t last = ed->pager_top + (size_t)page_rows();
    if (last > n)
        last = n;
    if (n == 0)
        return xstrdup("(empty)");
    if (first == 1 && last == n)
        return xasprintf("all %zu lines", n);
    if (last == n)
        return xasprintf("lines %zu-%zu of %zu (END)", first, last, n);
    return xasprintf("lines %zu-%zu of %zu %zu%%", first, last, n, last * 100 / n);
}

/* The pager's bottom line: the search being typed, a message, or where
 * the reader is, the search and the keys. */
void pager_bottom_draw(struct editor *ed, int y)
{
    struct pager_view *v = rewrap(ed);
    if (v->typing) {
        put_clipped(y, 0, 1, "/", A_BOLD);
        const char *shown = tail_fitting(v->input.buf, COLS - 2);
        int x = 1 + put_clipped(y, 1, COLS - 2, shown, A_NORMAL);
        move(y, x);
        curs_set(1);
        return;
    }
    curs_set(0);
    if (ed->msg && ed->msg[0]) {
        struct pane row = { y, 0, 1, COLS };
        put_message(ed, row, ed->msg, ed->msg_error ? theme_attr(ed, PAIR_ERROR, A_BOLD) : A_BOLD);
        return;
    }
    char *pos = position_new(ed);
    int x = put_clipped(y, 0, COLS, pos, A_BOLD);
    free(pos);
    if (v->pattern) {
        char *found = v->current ? xasprintf("  /%s: match %zu of %zu", v->pattern, v->nth, v->matches)
                                 : xasprintf("  /%s: %zu matches", v->pattern, v->matches);
        x += put_clipped(y, x, COLS - x, found, A_NORMAL);
        free(found);
    }
    put_clipped(y, x, COLS - x, "  q close  j k Space b g G scroll  / search  n N", A_DIM);
}

const char *pager_help(void)
{
    return "In help, explain, long output and the messages (the pager), as in less:\n\n"
           "  j, Down, Enter / k, Up     a row down / up\n"
           "  Space, f, PgDn / b, PgUp   a page down / up\n"
           "  d / u                      half a page down / up\n"
           "  g, Home / G, End           the top / the end\n"
           "  /                          search: type the pattern, Enter finds it (any\n"
           "                             case unless it has a capital), Esc leaves\n"
           "  n / N                      the next / the previous match\n"
           "  q, Esc                     close\n"
           "  Long lines wrap at the screen's width; the mouse wheel scrolls.\n\n";
}

void pager_open(struct editor *ed, const char *title, const char *text)
{
    free(ed->pager);
    ed->pager = xstrdup(text);
    free(ed->pager_title);
    ed->pager_title = xstrdup(title);
    struct pager_view *v = view(ed);
    v->len = strlen(text);
    v->width = 0;   /* wrapped at the next look */
    v->nrows = 0;
    free(v->pattern);
    v->pattern = NULL;
    v->current = v->typing = false;
    ed->pager_top = 0;
    ed->pager_lines = 0;
    ed->mode = MODE_PAGER;
}

void pager_free(struct editor *ed)
{
    struct pager_view *v = ed->pager_view;
    if (!v)
        return;
    free(v->rows);
    free(v->pattern);
    sb_free(&v->input);
    free(v);
    ed->pager_view = NULL;
}
