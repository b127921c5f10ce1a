/* Words that come from documents and users: quoting a word for a command
 * line reads back as that one word, the aliases pcitopo takes, the
 * option parser, and control characters in messages. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "tap.h"
#include "topology.h"

/* quote(w) parses back to exactly [w], as one command */
static void round_trip(const char *w, const char *what)
{
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "explain ");
    cmd_quote_word(&sb, w);
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_script *sc = cmd_script_parse(sb.buf, &e);
    ok(sc && sc->n == 1 && sc->calls[0].argc == 2 && strcmp(sc->calls[0].argv[1], w) == 0,
       "quote, then parse: %s is one word, unchanged (%s)", what, sb.buf);
    cmd_script_free(sc);
    sb_free(&sb);
}

static void test_quote(void)
{
    static const struct { const char *w, *what; } words[] = {
        { "ua-net0", "a plain alias" },
        { "00:01.0", "an address" },
        { "", "an empty word" },
        { "ua-x'; save -f '/some/file", "a quote and a second command" },
        { "a\"b\\c", "a double quote and a backslash" },
        { "x;y\nquit\n", "';' and newlines" },
        { "#not a comment", "a leading '#'" },
        { "'''", "quotes only" },
        { " \t ", "blanks only" },
        { "-f", "a word like an option" },
    };
    for (size_t i = 0; i < ARRAY_LEN(words); i++)
        round_trip(words[i].w, words[i].what);
    char group[] = "group", a[] = "ua-a", xy[] = "x y";
    char *line = cmd_words_line_new(3, (char *[]){ group, a, xy, NULL });
    is_str(line, "group ua-a 'x y'", "a line of words quotes only where it must");
    free(line);
}

static void test_aliases(void)
{
    static const char *const good[] = { "ua-net0", "ua-A_b-9", "net0", "pci.1", "virtio-disk0", "sata0-0-0" };
    static const char *const bad[] = {
        "ua-", "ua-x'", "ua-a.b", "ua-a,b", "ua-a b", "ua-a\nb", "ua-../x", "x;y", "1net",
        ".hidden", "-f", "", "net0,id=x", "a/b",
    };
    for (size_t i = 0; i < ARRAY_LEN(good); i++)
        ok(alias_problem(good[i]) == NULL, "alias '%s' is taken", good[i]);
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        ok(alias_problem(bad[i]) != NULL, "alias '%s' is refused", bad[i]);
}

/* Runs argv (a NULL-terminated list of literals) as one command. */
static bool run1(struct session *s, const char *const *words, struct err *e)
{
    int argc = 0;
    while (words[argc])
        argc++;
    char **argv = xcalloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; i < argc; i++)
        argv[i] = xstrdup(words[i]);
    struct cmd_io io;
    cmd_io_init(&io);
    err_clear(e);
    bool r = cmd_execute(s, argc, argv, &io, e);
    cmd_io_free(&io);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return r;
}

static void test_options(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_example(&e);
    ok(s != NULL, "the example opens");
    if (!s)
        return;
    ok(!run1(s, (const char *const[]){ "place", "-o", NULL }, &e), "place -o without a value fails");
    has_str(e.msg, "-o needs a value", "and says so");
    ok(!run1(s, (const char *const[]){ "tree", "--ascii", "--ascii", NULL }, &e), "an option twice fails");
    ok(!run1(s, (const char *const[]){ "tree", "-x", NULL }, &e), "an option a command does not take fails");
    has_str(e.msg, "tree: unknown option '-x'", "and names it");
    ok(run1(s, (const char *const[]){ "tree", "--", NULL }, &e), "-- alone is no operand");
    const struct command *place = command_find("place");
    ok(command_option_has_value(place, "-o"), "place's -o takes a value");
    ok(!command_option_has_value(place, "-f"), "place's -f does not");
    ok(!command_option_has_value(command_find("save"), "-o"), "save has no -o");
    session_free(s);
}

static void test_messages(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    err_set(&e, "no device '%s'", "a\033[2Jb\nc\x7f");
    is_str(e.msg, "no device 'a\\x1b[2Jb\\x0ac\\x7f'", "control characters in a message are written as \\xNN");
    err_add_line(&e, "  hint: %s", "x\ty");
    is_str(e.msg, "no device 'a\\x1b[2Jb\\x0ac\\x7f'\n  hint: x\\x09y", "a hint is a line of its own");
    err_clear(&e);
    err_set(&e, "caf\xc3\xa9");
    is_str(e.msg, "caf\xc3\xa9", "UTF-8 stays as it is");
}

int main(void)
{
    test_quote();
    test_aliases();
    test_options();
    test_messages();
    return tap_done();
}
