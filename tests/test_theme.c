/* Theme files: the shipped themes read without a problem and set every
 * role, lines change roles, bad lines are reported with file and line
 * and leave the role as it was, include, the user's file, and files that
 * are not theme files. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tap.h"
#include "theme.h"

/* Every role is named in text (a shipped theme forgets none). */
static bool names_every_role(const char *text)
{
    for (size_t r = 0; theme_role_name(r); r++) {
        bool found = false;
        for (const char *p = text; *p && !found; p += strcspn(p, "\n"), p += *p == '\n') {
            size_t n = strlen(theme_role_name(r));
            found = strncmp(p, theme_role_name(r), n) == 0 && (p[n] == ' ' || p[n] == '\t');
        }
        if (!found) {
            diag("no line for role %s", theme_role_name(r));
            return false;
        }
    }
    return true;
}

static void test_shipped(void)
{
    static const struct { const char *name; const char *text; bool colors; } themes[] = {
        { "default", default_theme, true },
        { "mono", mono_theme, false },
        { "light", light_theme, true },
    };
    for (size_t i = 0; i < ARRAY_LEN(themes); i++) {
        is_str(theme_shipped(i), themes[i].name, "shipped theme %zu is %s", i, themes[i].name);
        struct theme t;
        theme_clear(&t);
        struct strbuf problems = STRBUF_INIT;
        is_int(theme_load_text(&t, themes[i].text, themes[i].name, &problems), 0,
               "%s.theme has no bad line", themes[i].name);
        ok(names_every_role(themes[i].text), "%s.theme sets every role", themes[i].name);
        ok(theme_has_colors(&t) == themes[i].colors, "%s.theme %s colours", themes[i].name,
           themes[i].colors ? "has" : "has no");
        sb_free(&problems);
    }
    ok(theme_shipped(3) == NULL, "three themes ship");

    struct theme t;
    theme_default(&t);
    is_int(t.role[THEME_PROBLEM].fg, 1, "the default problem colour is red");
    is_int(t.role[THEME_STATUS].bg, 6, "the default status line is on cyan");
    is_int(t.role[THEME_ENDPOINT].fg, THEME_COLOR_DEFAULT, "devices are in the terminal's colour");

    /* without colours every role must still be told apart where it
     * matters: a problem is more than a device */
    theme_clear(&t);
    theme_load_text(&t, mono_theme, "mono.theme", NULL);
    ok(t.role[THEME_PROBLEM].attrs == (THEME_BOLD | THEME_UNDERLINE), "mono: a problem is bold and underlined");
    ok(t.role[THEME_STATUS].attrs & THEME_REVERSE, "mono: the status line is reversed");
    ok(t.role[THEME_ERROR].attrs != t.role[THEME_HEADING].attrs, "mono: an error is not a heading");
    ok(t.role[THEME_EMPTY].attrs != t.role[THEME_HOTPLUG].attrs,
       "mono: a hot-pluggable empty slot is not any empty slot");
}

static void test_lines(void)
{
    struct theme t;
    theme_default(&t);
    struct strbuf problems = STRBUF_INIT;
    int bad = theme_load_text(&t,
        "# a comment\n"
        "\n"
        "problem  bright-red 16  bold underline   # trailing comment\n"
        "status white blue reverse\r\n"
        "heading 255 default\n",
        "my.theme", &problems);
    is_int(bad, 0, "good lines load without a problem");
    is_int(t.role[THEME_PROBLEM].fg, 9, "bright-red is palette 9");
    is_int(t.role[THEME_PROBLEM].bg, 16, "a palette number is taken");
    ok(t.role[THEME_PROBLEM].attrs == (THEME_BOLD | THEME_UNDERLINE), "attributes add up");
    is_int(t.role[THEME_STATUS].fg, 7, "white is 7 (CRLF line ends too)");
    is_int(t.role[THEME_HEADING].fg, 255, "255 is the last palette entry");
    is_int(t.role[THEME_CONTROLLER].fg, 6, "a role not named keeps the default");
    sb_free(&problems);

    static const struct { const char *line, *want; } bad_lines[] = {
        { "nonsense red default", "my.theme:1: unknown role 'nonsense'" },
        { "problem red", "my.theme:1: 'problem' needs a foreground and a background colour" },
        { "problem purple default", "my.theme:1: unknown colour 'purple'" },
        { "problem 256 default", "my.theme:1: unknown colour '256'" },
        { "problem -1 default", "my.theme:1: unknown colour '-1'" },
        { "problem red default blink", "my.theme:1: unknown attribute 'blink'" },
        { "problem red default bold bold bold bold bold bold", "my.theme:1: too many words" },
        { "include", "my.theme:1: include needs one shipped theme's name" },
        { "include /etc/passwd", "my.theme:1: include: no shipped theme '/etc/passwd'" },
        { "problem \x1b[31m default", "my.theme:1: unknown colour '\\x1b[31m'" },
    };
    for (size_t i = 0; i < ARRAY_LEN(bad_lines); i++) {
        theme_default(&t);
        struct theme before = t;
        bad = theme_load_text(&t, bad_lines[i].line, "my.theme", &problems);
        is_int(bad, 1, "a bad line is counted: %s", bad_lines[i].line);
        has_str(problems.buf, bad_lines[i].want, "and reported with file and line");
        ok(memcmp(&before, &t, sizeof t) == 0, "and changes nothing");
        sb_free(&problems);
    }
    bad = theme_load_text(&t, "problem red default\nbogus\nstatus red default\nx y z\n", "two.theme", &problems);
    is_int(bad, 2, "each bad line counts, the good ones apply");
    has_str(problems.buf, "two.theme:2:", "the second line is named");
    has_str(problems.buf, "two.theme:4:", "and the fourth");
    is_int(t.role[THEME_STATUS].fg, 1, "the line after a bad one applies");
    sb_free(&problems);

    theme_default(&t);
    bad = theme_load_text(&t, "include mono\nproblem red default bold\n", "inc.theme", &problems);
    is_int(bad, 0, "include mono loads");
    is_int(t.role[THEME_STATUS].bg, THEME_COLOR_DEFAULT, "include mono takes the status colour off");
    ok(t.role[THEME_STATUS].attrs & THEME_REVERSE, "and reverses it");
    is_int(t.role[THEME_PROBLEM].fg, 1, "a later line wins over the include");
    sb_free(&problems);
}

static void test_files(void)
{
    char dir[] = "/tmp/pcitopo-theme.XXXXXX";
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return;
    }
    char *user = xasprintf("%s/theme", dir);
    char *named = xasprintf("%s/mine.theme", dir);
    FILE *f = fopen(user, "w");
    fputs("problem green default\nbad line here\n", f);
    fclose(f);
    f = fopen(named, "w");
    fputs("problem blue default\n", f);
    fclose(f);

    struct theme t;
    struct strbuf problems = STRBUF_INIT;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(theme_load_effective(&t, NULL, user, &problems, &e), "the user's theme file loads");
    is_int(t.role[THEME_PROBLEM].fg, 2, "and its line applies");
    is_int(t.role[THEME_STATUS].bg, 6, "on top of the default");
    has_str(problems.buf, "/theme:2: unknown role 'bad'", "its bad line is reported with its path");
    sb_free(&problems);

    ok(theme_load_effective(&t, named, user, &problems, &e), "--theme PATH loads");
    is_int(t.role[THEME_PROBLEM].fg, 4, "and replaces the user's file");
    ok(!problems.len, "whose problems are not reported");
    sb_free(&problems);

    ok(theme_load_effective(&t, "mono", user, &problems, &e), "--theme mono loads");
    ok(!theme_has_colors(&t), "and has no colours");

    ok(!theme_load_effective(&t, "nosuch", NULL, &problems, &e), "an unknown theme name fails");
    has_str(e.msg, "no theme 'nosuch' (shipped: default, mono, light", "and names the shipped ones");
    err_clear(&e);
    char *missing = xasprintf("%s/missing.theme", dir);
    ok(!theme_load_effective(&t, missing, NULL, &problems, &e), "a missing file fails");
    has_str(e.msg, "cannot read", "and says why");
    err_clear(&e);
    ok(!theme_load_effective(&t, dir, NULL, &problems, &e), "a directory is not a theme file");
    has_str(e.msg, "not a regular file", "and says so");
    err_clear(&e);

    ok(theme_load_effective(&t, NULL, missing, &problems, &e), "no user file: the default");
    is_int(t.role[THEME_PROBLEM].fg, 1, "with its red problems");
    ok(theme_load_effective(&t, NULL, NULL, &problems, &e), "no home: the default too");
    ok(!problems.len, "and nothing to report");

    char *fifo = xasprintf("%s/fifo.theme", dir);
    if (mkfifo(fifo, 0600) == 0) {
        ok(!theme_load_effective(&t, fifo, NULL, &problems, &e), "a fifo is refused, not waited on");
        err_clear(&e);
    }
    char *big = xasprintf("%s/big.theme", dir);
    f = fopen(big, "w");
    for (int i = 0; i < THEME_FILE_MAX / 8 + 1; i++)
        fputs("#comment", f);
    fputs("\n", f);
    fclose(f);
    ok(!theme_load_effective(&t, big, NULL, &problems, &e), "a file past THEME_FILE_MAX is refused");
    has_str(e.msg, "too big", "and says so");
    err_clear(&e);
    sb_free(&problems);

    unlink(user), unlink(named), unlink(fifo), unlink(big);
    rmdir(dir);
    free(user), free(named), free(missing), free(fifo), free(big);
}

int main(void)
{
    test_shipped();
    test_lines();
    test_files();
    return tap_done();
}
