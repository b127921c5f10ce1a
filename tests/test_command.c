/* The command table and its parser, and batch runs against the built-in
 * example. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "tap.h"

static void test_parse(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_script *sc = cmd_script_parse(
        "save -f 'my guest.xml'; tree\n# a comment; not a command\n help \"a \\\"b\\\"\" c\\ d ;;", &e);
    ok(sc != NULL, "script parses");
    if (!sc)
        return;
    is_int(sc->n, 3, "three commands (comments and empty commands dropped)");
    is_int(sc->calls[0].argc, 3, "save has two arguments");
    is_str(sc->calls[0].argv[2], "my guest.xml", "single quotes keep blanks");
    is_str(sc->calls[1].argv[0], "tree", "';' separates");
    is_int(sc->calls[1].argc, 1, "tree alone");
    is_str(sc->calls[2].argv[1], "a \"b\"", "double quotes with escapes");
    is_str(sc->calls[2].argv[2], "c d", "backslash escapes a blank");
    ok(sc->calls[2].argv[3] == NULL, "argv is NULL-terminated");
    cmd_script_free(sc);

    sc = cmd_script_parse("", &e);
    ok(sc && sc->n == 0, "an empty script has no commands");
    cmd_script_free(sc);
    sc = cmd_script_parse("save 'x.xml", &e);
    ok(sc == NULL, "an open quote is an error");
    is_str(e.msg, "unterminated single quote starting at column 6", "says where");
    err_clear(&e);
    sc = cmd_script_parse("''", &e);
    ok(sc && sc->n == 1 && sc->calls[0].argv[0][0] == '\0', "an empty quoted word is a word");
    cmd_script_free(sc);
}

static bool run(struct session *s, const char *line, struct cmd_io *io, struct err *e)
{
    struct cmd_script *sc = cmd_script_parse(line, e);
    cmd_io_init(io);
    err_clear(e);
    bool r = sc && sc->n == 1 && cmd_execute(s, sc->calls[0].argc, sc->calls[0].argv, io, e);
    cmd_script_free(sc);
    return r;
}

static void test_table(void)
{
    size_t n = 0;
    for (; command_at(n); n++) {
        const struct command *c = command_at(n);
        ok(c->name && c->usage && c->summary && c->help && c->run, "%s: complete row", c->name);
        ok(strncmp(c->usage, c->name, strlen(c->name)) == 0, "%s: usage starts with the name", c->name);
        if (n > 0)
            ok(strcmp(command_at(n - 1)->name, c->name) < 0, "%s: table sorted by name", c->name);
        ok(command_find(c->name) == c, "%s: found by name", c->name);
    }
    ok(n >= 4, "help, quit, save and tree exist");
    ok(command_find("nope") == NULL, "unknown names are not found");
}

static void test_execute(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_io io;
    struct session *s = session_open_example(&e);
    ok(s != NULL, "the built-in example opens");
    if (!s)
        return;

    ok(run(NULL, "help", &io, &e), "help runs without a domain");
    for (size_t i = 0; command_at(i); i++)
        has_str(io.out.buf, command_at(i)->usage, "help lists %s", command_at(i)->name);
    cmd_io_free(&io);
    ok(run(NULL, "help save", &io, &e), "help save");
    has_str(io.out.buf, "usage: save [-f] [PATH|-]\nWrite the domain XML.\n\nWrites", "help for one command");
    cmd_io_free(&io);
    ok(!run(NULL, "help frobnicate", &io, &e), "help for an unknown command fails");
    has_str(e.msg, "no command 'frobnicate'", "and says so");
    cmd_io_free(&io);

    ok(!run(s, "tre", &io, &e), "an unknown command fails");
    is_str(e.msg, "unknown command 'tre'; did you mean 'tree'?", "a prefix gets a suggestion");
    cmd_io_free(&io);
    ok(!run(s, "bogus", &io, &e), "an unknown command without a near name");
    is_str(e.msg, "unknown command 'bogus' (help lists the commands)", "points to help");
    cmd_io_free(&io);
    ok(!run(s, "undo now", &io, &e), "too many arguments");
    is_str(e.msg, "undo: wrong number of arguments (usage: undo)", "shows the usage");
    cmd_io_free(&io);
    ok(!run(s, "tree --fancy", &io, &e), "an unknown option");
    is_str(e.msg, "tree: unknown option '--fancy' (usage: tree [--ascii])", "names it");
    cmd_io_free(&io);
    ok(!run(NULL, "tree", &io, &e), "tree without a domain fails");
    cmd_io_free(&io);

    ok(run(s, "tree --ascii", &io, &e), "tree --ascii");
    has_str(io.out.buf, "|- 00:02.0  pcie-root-port  bus 01  chassis 1  port 0x10  multifunction\n",
            "tree shows the first root port");
    cmd_io_free(&io);

    ok(run(s, "save -", &io, &e), "save - writes the document to the output");
    is_str(io.out.buf, example_q35_xml, "and it is the example, unchanged");
    cmd_io_free(&io);
    ok(!run(s, "save", &io, &e), "save without a path on the built-in example fails");
    has_str(e.msg, "no file to save to; give one: save PATH", "and says what to do");
    cmd_io_free(&io);

    ok(run(s, "quit", &io, &e) && s->quit, "quit ends the session");
    cmd_io_free(&io);
    session_free(s);
}

static void test_batch(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_example(&e);
    FILE *out = tmpfile(), *errf = tmpfile();
    is_int(cmd_run_script(s, "tree; bogus; save -", out, errf), 1, "a failed command gives status 1");
    long outlen = ftell(out);
    rewind(errf);
    char buf[256] = "";
    fgets(buf, sizeof buf, errf);
    is_str(buf, "pcitopo: unknown command 'bogus' (help lists the commands)\n", "error on stderr");
    ok(outlen > 0 && outlen < (long)strlen(example_q35_xml), "commands after the failure did not run");
    is_int(cmd_run_script(s, "tree 'oops", out, errf), 2, "a script that does not parse gives status 2");
    is_int(cmd_run_script(s, "quit; bogus", out, errf), 0, "quit stops the script");
    fclose(out);
    fclose(errf);
    session_free(s);
}

int main(void)
{
    test_parse();
    test_table();
    test_execute();
    test_batch();
    return tap_done();
}
