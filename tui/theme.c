/* theme: the colours of the screen, by role (enum pair): a theme's
 * styles (core/theme.h) made curses colour pairs and attributes.  Without
 * colours — NO_COLOR, a terminal that has none, or a theme of attributes
 * alone — each role is drawn with attributes only. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>

_Static_assert((int)PAIR_HEADING == (int)THEME_HEADING + 1 && (int)PAIR_TARGET == (int)THEME_TARGET + 1,
               "enum pair follows enum theme_role, one higher (pair 0 is the terminal's)");

attr_t theme_attr(const struct editor *ed, enum pair p, attr_t mono)
{
    attr_t a = (int)p >= 1 && (int)p <= THEME_ROLES ? ed->role_attr[(int)p - 1] : A_NORMAL;
    /* the screen's own emphasis (bold headings) stays; without colours
     * its fallback attribute adds to the role's */
    return ed->color ? a | (mono & A_BOLD) : a | mono;
}

/* no-color.org: set and not empty, whatever its value. */
static bool no_color_wanted(void)
{
    const char *v = getenv("NO_COLOR");
    return v && v[0];
}

static attr_t curses_attrs(unsigned attrs)
{
    return (attrs & THEME_BOLD ? A_BOLD : 0) | (attrs & THEME_UNDERLINE ? A_UNDERLINE : 0)
         | (attrs & THEME_REVERSE ? A_REVERSE : 0) | (attrs & THEME_DIM ? A_DIM : 0);
}

/* The nearest of the eight ANSI colours to an entry of xterm's 256:
 * the 6x6x6 cube and the grey ramp above 15. */
static int nearest_ansi(int c)
{
    if (c >= 232)
        return c >= 244 ? COLOR_WHITE : COLOR_BLACK;
    c -= 16;
    int r = c / 36, g = c / 6 % 6, b = c % 6;
    return (r >= 3 ? COLOR_RED : 0) | (g >= 3 ? COLOR_GREEN : 0) | (b >= 3 ? COLOR_BLUE : 0);
}

/* A theme colour as this terminal has it.  A bright colour (8-15) on a
 * terminal of eight is its base colour, bold when it is the foreground,
 * as such terminals show bright text; the default colour where the
 * terminal cannot keep its own (use_default_colors failed) is white on
 * black, what such consoles show. */
static short terminal_color(int c, bool fg, bool defaults, attr_t *extra)
{
    if (c == THEME_COLOR_DEFAULT)
        return defaults ? -1 : fg ? COLOR_WHITE : COLOR_BLACK;
    if (c < COLORS)
        return (short)c;
    if (c >= 16)
        c = nearest_ansi(c);
    else if (c >= 8) {
        c -= 8;
        if (fg)
            *extra |= A_BOLD;
    }
    return (short)(c < COLORS ? c : COLOR_WHITE);
}

/* Makes role r's colour pair and its look. */
static attr_t color_role(size_t r, const struct theme_style *st, bool defaults)
{
    attr_t extra = A_NORMAL;
    short fg = terminal_color(st->fg, true, defaults, &extra);
    short bg = terminal_color(st->bg, false, defaults, &extra);
    init_pair((short)(r + 1), fg, bg);
    return (attr_t)COLOR_PAIR((int)r + 1) | curses_attrs(st->attrs) | extra;
}

void theme_init(struct editor *ed, const struct theme *theme)
{
    struct theme t;
    if (theme)
        t = *theme;
    else
        theme_default(&t);
    ed->color = has_colors() && !no_color_wanted() && theme_has_colors(&t)
             && start_color() == OK && COLOR_PAIRS > THEME_ROLES;
    if (!ed->color && theme_has_colors(&t)) {
        /* colours are off: the mono theme keeps every role distinct,
         * which a colour theme's attributes alone need not */
        theme_clear(&t);
        theme_load_text(&t, mono_theme, "mono.theme", NULL);
    }
    /* the Linux console and others without "orig_pair" refuse the
     * terminal's own colours; the pairs then name white and black */
    bool defaults = ed->color && use_default_colors() == OK;
    for (size_t r = 0; r < THEME_ROLES; r++)
        ed->role_attr[r] = ed->color ? color_role(r, &t.role[r], defaults)
                                     : curses_attrs(t.role[r].attrs);
}
