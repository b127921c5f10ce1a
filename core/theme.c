#include "config.h"
#include "theme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const role_names[THEME_ROLES] = {
    [THEME_HEADING] = "heading", [THEME_CONTROLLER] = "controller", [THEME_ENDPOINT] = "endpoint",
    [THEME_CHIPSET] = "chipset", [THEME_EMPTY] = "empty", [THEME_HOTPLUG] = "hotplug",
    [THEME_PROBLEM] = "problem", [THEME_STATUS] = "status", [THEME_PREVIEW] = "preview",
    [THEME_ADDED] = "added", [THEME_ERROR] = "error", [THEME_FRAME] = "frame",
    [THEME_MATCH] = "match", [THEME_TARGET] = "target",
};

/* In the ANSI order, so a name's index is its palette entry. */
static const char *const color_names[] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
    const char *name;
    unsigned attr;
} attr_names[] = {
    { "bold", THEME_BOLD }, { "underline", THEME_UNDERLINE },
    { "reverse", THEME_REVERSE }, { "dim", THEME_DIM },
};

/* The themes that ship inside the binary (themes/NAME.theme). */
static const struct shipped_file shipped[] = {
    { "default", default_theme },
    { "mono", mono_theme },
    { "light", light_theme },
};

const char *theme_role_name(size_t role)
{
    return role < THEME_ROLES ? role_names[role] : NULL;
}

const char *theme_shipped(size_t i)
{
    return i < ARRAY_LEN(shipped) ? shipped[i].name : NULL;
}

static const char *shipped_text(const char *name)
{
    return shipped_file_text(shipped, ARRAY_LEN(shipped), name);
}

void theme_clear(struct theme *t)
{
    for (size_t r = 0; r < THEME_ROLES; r++)
        t->role[r] = (struct theme_style){ THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, 0 };
}

void theme_default(struct theme *t)
{
    theme_clear(t);
    theme_load_text(t, default_theme, "default.theme", NULL);
}

static int role_of(const char *word)
{
    for (size_t r = 0; r < THEME_ROLES; r++)
        if (strcmp(role_names[r], word) == 0)
            return (int)r;
    return -1;
}

/* A colour word: default, a name, bright-NAME, or a palette number.
 * False when it is none of them. */
static bool color_of(const char *word, int *out)
{
    if (strcmp(word, "default") == 0) {
        *out = THEME_COLOR_DEFAULT;
        return true;
    }
    unsigned long n;
    if (parse_count_arg(word, THEME_COLOR_MAX, &n)) {
        *out = (int)n;
        return true;
    }
    bool bright = strncmp(word, "bright-", 7) == 0;
    const char *base = bright ? word + 7 : word;
    for (size_t i = 0; i < ARRAY_LEN(color_names); i++)
        if (strcmp(color_names[i], base) == 0) {
            *out = (int)i + (bright ? 8 : 0);
            return true;
        }
    return false;
}

static bool attr_of(const char *word, unsigned *out)
{
    for (size_t i = 0; i < ARRAY_LEN(attr_names); i++)
        if (strcmp(attr_names[i].name, word) == 0) {
            *out |= attr_names[i].attr;
            return true;
        }
    return false;
}

/* The line's blank-separated words, in place (line is changed); at most
 * max, *n of them.  False when there are more. */
static bool split_words(char *line, char **words, size_t max, size_t *n)
{
    *n = 0;
    for (char *p = line;;) {
        p += strspn(p, " \t");
        if (!*p || *p == '#')
            return true;
        if (*n == max)
            return false;
        words[(*n)++] = p;
        p += strcspn(p, " \t");
        if (*p)
            *p++ = '\0';
    }
}

/* One problem of a line, as "NAME:LINE: why"; a word from the file is
 * shown with its control characters escaped, as any message is. */
PT_PRINTF(4, 5)
static void report(struct strbuf *problems, const char *name, int lineno, const char *fmt, ...)
{
    if (!problems)
        return;
    struct strbuf why = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&why, fmt, ap);
    va_end(ap);
    sb_printf(problems, "%s:%d: ", name, lineno);
    sb_put_visible(problems, why.buf ? why.buf : "");
    sb_putc(problems, '\n');
    sb_free(&why);
}

/* ROLE FG BG [ATTR...]: parsed whole before t changes, so a bad line
 * leaves the role as it was. */
static bool parse_style(struct theme *t, char **w, size_t n, const char *name, int lineno,
                        struct strbuf *problems)
{
    int role = role_of(w[0]);
    struct theme_style st = { 0, 0, 0 };
    if (role < 0) {
        report(problems, name, lineno, "unknown role '%s' (known: heading, controller, endpoint, "
               "chipset, empty, hotplug, problem, status, preview, added, error, frame, match, "
               "target)", w[0]);
        return false;
    }
    if (n < 3) {
        report(problems, name, lineno, "'%s' needs a foreground and a background colour "
               "(ROLE FG BG [ATTR...])", w[0]);
        return false;
    }
    for (size_t i = 1; i < 3; i++)
        if (!color_of(w[i], i == 1 ? &st.fg : &st.bg)) {
            report(problems, name, lineno, "unknown colour '%s' (default, black, red, green, "
                   "yellow, blue, magenta, cyan, white, bright-NAME, or 0-255)", w[i]);
            return false;
        }
    for (size_t i = 3; i < n; i++)
        if (!attr_of(w[i], &st.attrs)) {
            report(problems, name, lineno, "unknown attribute '%s' (bold, underline, reverse, dim)",
                   w[i]);
            return false;
        }
    t->role[role] = st;
    return true;
}

static int load_text(struct theme *t, const char *text, const char *name, bool included,
                     struct strbuf *problems);

/* include NAME: a shipped theme.  Not a file: a theme is a dozen lines,
 * and without file includes there is no loop to guard against. */
static bool include(struct theme *t, char **w, size_t n, bool included, const char *name,
                    int lineno, struct strbuf *problems)
{
    const char *text = n == 2 ? shipped_text(w[1]) : NULL;
    if (included) {
        report(problems, name, lineno, "include: a shipped theme includes nothing");
        return false;
    }
    if (n != 2) {
        report(problems, name, lineno, "include needs one shipped theme's name (default, mono, light)");
        return false;
    }
    if (!text) {
        report(problems, name, lineno, "include: no shipped theme '%s' (default, mono, light)", w[1]);
        return false;
    }
    char *file = xasprintf("%s.theme", w[1]);
    load_text(t, text, file, true, problems);
    free(file);
    return true;
}

static bool parse_line(struct theme *t, char *line, const char *name, bool included, int lineno,
                       struct strbuf *problems)
{
    char *w[3 + ARRAY_LEN(attr_names) + 1];
    size_t n;
    if (!split_words(line, w, ARRAY_LEN(w), &n)) {
        report(problems, name, lineno, "too many words (ROLE FG BG [ATTR...])");
        return false;
    }
    if (n == 0)
        return true;
    if (strcmp(w[0], "include") == 0)
        return include(t, w, n, included, name, lineno, problems);
    return parse_style(t, w, n, name, lineno, problems);
}

static int load_text(struct theme *t, const char *text, const char *name, bool included,
                     struct strbuf *problems)
{
    int bad = 0, lineno = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = xstrndup(p, n);
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        bad += !parse_line(t, line, name, included, ++lineno, problems);
        free(line);
        p += n;
        if (*p)
            p++;
    }
    return bad;
}

int theme_load_text(struct theme *t, const char *text, const char *name, struct strbuf *problems)
{
    return load_text(t, text, name, false, problems);
}

/* The bytes of a theme file.  NULL with e set. */
static char *read_theme_file(const char *path, struct err *e)
{
    int fd = open_small_file(path, "theme", THEME_FILE_MAX, e);
    if (fd < 0)
        return NULL;
    char *buf = xmalloc(THEME_FILE_MAX + 2);
    size_t len = read_up_to(fd, buf, THEME_FILE_MAX + 1);
    close(fd);
    if (len > THEME_FILE_MAX || memchr(buf, '\0', len)) {
        err_set(e, "%s: not a theme file (too big, or binary)", path);
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

bool theme_load_named(struct theme *t, const char *name, struct strbuf *problems, struct err *e)
{
    const char *text = shipped_text(name);
    if (text) {
        char *file = xasprintf("%s.theme", name);
        load_text(t, text, file, true, problems);
        free(file);
        return true;
    }
    size_t len = strlen(name);
    if (!strchr(name, '/') && (len < 6 || strcmp(name + len - 6, ".theme") != 0)) {
        err_set(e, "no theme '%s' (shipped: default, mono, light; or give a file's path)", name);
        return false;
    }
    char *bytes = read_theme_file(name, e);
    if (!bytes)
        return false;
    load_text(t, bytes, name, false, problems);
    free(bytes);
    return true;
}

bool theme_load_effective(struct theme *t, const char *name, const char *user_path,
                          struct strbuf *problems, struct err *e)
{
    theme_default(t);
    if (name)
        return theme_load_named(t, name, problems, e);
    struct err ue ERR_SCOPE = ERR_INIT;
    if (user_path && access(user_path, F_OK) == 0) {
        /* a path, even without a '/' or .theme: the user's file is a file */
        char *bytes = read_theme_file(user_path, &ue);
        if (bytes)
            load_text(t, bytes, user_path, false, problems);
        else if (problems)
            sb_printf(problems, "%s\n", ue.msg);
        free(bytes);
    }
    return true;
}

char *theme_user_path(void)
{
    return xdg_path_new("XDG_CONFIG_HOME", ".config", "pcitopo/theme");
}

bool theme_has_colors(const struct theme *t)
{
    for (size_t r = 0; r < THEME_ROLES; r++)
        if (t->role[r].fg != THEME_COLOR_DEFAULT || t->role[r].bg != THEME_COLOR_DEFAULT)
            return true;
    return false;
}
