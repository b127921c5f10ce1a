/* The command table and its parser, and batch runs against the built-in
 * example. */
#include "config.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "tap.h"
#include "testutil.h"

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
    /* the editor's own commands: rows, so keys and help know them */
    static const char *const editor[] = {
        "collapse", "collapse-all", "expand", "expand-all", "goto", "messages", "problems",
        "redraw", "search", "search-back", "search-next", "search-prev", "suspend",
    };
    for (size_t i = 0; i < ARRAY_LEN(editor); i++) {
        const struct command *c = command_find(editor[i]);
        ok(c && (c->flags & CMD_EDITOR), "%s: an editor command", editor[i]);
    }
    size_t a = 0;
    for (; command_alias_at(a); a++) {
        const struct command *c = command_alias_at(a);
        ok(c->name && c->usage && c->summary && c->help && c->run && (c->flags & CMD_ALIAS),
           "alias %s: complete row, flagged CMD_ALIAS", c->name);
        ok(strncmp(c->summary, "vi: ", 4) == 0, "alias %s: its summary says what it stands for", c->name);
        ok(command_find(c->name) == c, "alias %s: found by name", c->name);
        bool listed = false;
        for (size_t k = 0; command_at(k); k++)
            listed |= (command_at(k)->flags & CMD_ALIAS) || strcmp(command_at(k)->name, c->name) == 0;
        ok(!listed, "alias %s: not in the table command_at walks", c->name);
    }
    is_int(a, 6, "six of vi's names: q, q!, w, w!, wq, x");
}

/* vi's names: the parser writes the commands they stand for. */
static void test_vi_parse(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_script *sc = cmd_script_parse("wq -f 'my file.xml'; q!; w; w! x.xml; q; x; help wq", &e);
    ok(sc != NULL, "vi's names parse");
    if (!sc)
        return;
    is_int(sc->n, 8, "wq is two commands, the others one each");
    char *lines[8];
    for (size_t i = 0; i < sc->n && i < 8; i++)
        lines[i] = cmd_words_line_new(sc->calls[i].argc, sc->calls[i].argv);
    is_str(lines[0], "save -f 'my file.xml'", "wq: save, with its words");
    is_str(lines[1], "quit", "then quit");
    is_int((int)sc->calls[1].offset, (int)sc->calls[0].offset, "  both where wq is written");
    is_str(lines[2], "quit -f", "q! is quit -f");
    is_str(lines[3], "save", "w is save");
    is_str(lines[4], "save -f x.xml", "w! x.xml is save -f x.xml");
    is_str(lines[5], "quit", "q is quit");
    is_str(lines[6], "x", "x stays x (it saves only when modified)");
    is_str(lines[7], "help 'wq'", "a name after the command stays a word (and is quoted to show)");
    for (size_t i = 0; i < sc->n && i < 8; i++)
        free(lines[i]);
    cmd_script_free(sc);

    sc = cmd_script_parse("'q'; \\wq; q now; w a b", &e);
    ok(sc && sc->n == 4, "quoted, or with words its usage does not take, a name is not rewritten");
    if (sc && sc->n == 4) {
        is_str(sc->calls[0].argv[0], "q", "'q' is q");
        is_str(sc->calls[1].argv[0], "wq", "\\wq is wq");
        ok(sc->calls[2].argc == 2 && strcmp(sc->calls[2].argv[0], "q") == 0, "q now stays (and fails to run)");
        ok(sc->calls[3].argc == 3 && strcmp(sc->calls[3].argv[0], "w") == 0, "w a b stays");
    }
    cmd_script_free(sc);
    static const char *const names[] = { "q", "q!", "w", "w!", "wq", "x" };
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        struct strbuf sb = STRBUF_INIT;
        cmd_quote_word(&sb, names[i]);
        sc = cmd_script_parse(sb.buf, &e);
        ok(sc && sc->n == 1 && sc->calls[0].argc == 1 && strcmp(sc->calls[0].argv[0], names[i]) == 0,
           "quoted as %s, %s reads back as itself", sb.buf, names[i]);
        cmd_script_free(sc);
        sb_free(&sb);
    }
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
    has_str(io.out.buf, "usage: save [-f] [--monitor] [PATH|-]\nWrite the domain XML.\n\nWrites", "help for one command");
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
    is_str(e.msg, "tree: unknown option '--fancy' (usage: tree [--ascii] [--guest] [--json])", "names it");
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

/* A session on a copy of the example in dir/name. */
static struct session *example_file(const char *dir, const char *name)
{
    char *path = tu_path(dir, name);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_write(path, example_q35_xml, strlen(example_q35_xml))
        ? session_open_file(path, &e) : NULL;
    if (!s)
        diag("%s: %s", path, e.msg);
    free(path);
    return s;
}

/* Runs script as batch mode does; its status, stderr in err (size bytes). */
static int batch(struct session *s, const char *script, char *err, size_t size)
{
    FILE *out = tmpfile(), *errf = tmpfile();
    int rc = cmd_run_script(s, script, out, errf);
    rewind(errf);
    size_t n = fread(err, 1, size - 1, errf);
    err[n] = '\0';
    fclose(out);
    fclose(errf);
    return rc;
}

/* Whether the file at dir/name holds what a save of s writes now. */
static bool file_is(const char *dir, const char *name, const struct session *s)
{
    char *path = tu_path(dir, name);
    size_t len;
    char *disk = tu_read(path, &len), *now = tu_bytes(s);
    bool same = disk && strcmp(disk, now) == 0;
    free(disk);
    free(now);
    free(path);
    return same;
}

/* vi's names in batch mode: as the commands they stand for; quit ends the
 * script, a failed save does not quit. */
static void test_vi_batch(void)
{
    const char *dir = tu_tmpdir();
    char err[1024];
    struct session *s = example_file(dir, "a.xml");
    if (!s)
        return;
    is_int(batch(s, "add e1000; wq; tree", err, sizeof err), 0, "add; wq: status 0");
    ok(s->quit && !s->modified && file_is(dir, "a.xml", s), "wq saved the file and quit");
    has_str(err, "pcitopo: saved ", "  saying so");
    session_free(s);

    s = example_file(dir, "b.xml");
    char *path = tu_path(dir, "b.xml");
    tu_write(path, example_q35_xml, strlen(example_q35_xml) - 1);   /* changed behind its back */
    is_int(batch(s, "add e1000; x", err, sizeof err), 1, "x with changes saves: refused, it fails");
    ok(!s->quit && s->modified, "and does not quit");
    has_str(err, "changed on disk", "  saying why");
    is_int(batch(s, "w!; q", err, sizeof err), 0, "w! overwrites (save -f), q quits");
    ok(s->quit && !s->modified && file_is(dir, "b.xml", s), "  the file is the document");
    session_free(s);

    s = example_file(dir, "c.xml");
    tu_write(path, "not even XML", 12);
    is_int(batch(s, "x", err, sizeof err), 0, "x without changes only quits");
    ok(s->quit, "  it quit");
    size_t len;
    char *disk = tu_read(path, &len);
    is_str(disk, "not even XML", "  and wrote nothing (the other file is untouched too)");
    free(disk);
    session_free(s);

    s = example_file(dir, "d.xml");
    is_int(batch(s, "add e1000; q!; tree", err, sizeof err), 0, "q! quits with changes");
    ok(s->quit && s->modified, "  without saving them");
    session_free(s);

    s = example_file(dir, "e.xml");
    char *copy = tu_path(dir, "e2.xml"), *script = xasprintf("add e1000; w; add e1000; w %s", copy);
    is_int(batch(s, script, err, sizeof err), 0, "w saves, w PATH writes a copy");
    ok(!s->quit && s->modified && file_is(dir, "e2.xml", s), "  w PATH: a copy, the document still modified");
    free(script);
    script = xasprintf("wq %s", copy);
    is_int(batch(s, script, err, sizeof err), 1, "wq onto an existing file is refused");
    ok(!s->quit, "  and does not quit");
    free(script);
    script = xasprintf("wq -f %s", copy);
    is_int(batch(s, script, err, sizeof err), 0, "wq -f PATH");
    ok(s->quit, "  quits");
    free(script);
    free(copy);
    session_free(s);

    s = example_file(dir, "f.xml");
    struct cmd_io io;
    struct err e ERR_SCOPE = ERR_INIT;
    cmd_io_init(&io);
    char q[] = "q";
    ok(cmd_execute(s, 1, (char *[]){ q, NULL }, &io, &e) && s->quit, "q given as words (not a line) quits too");
    cmd_io_free(&io);
    session_free(s);
    s = example_file(dir, "g.xml");
    cmd_io_init(&io);
    char wq[] = "wq";
    ok(run(s, "add e1000", &io, &e), "a change");
    cmd_io_free(&io);
    cmd_io_init(&io);
    ok(cmd_execute(s, 1, (char *[]){ wq, NULL }, &io, &e) && s->quit && !s->modified, "wq as words saves and quits");
    cmd_io_free(&io);
    session_free(s);
    free(path);
    tu_rmtree(dir);
}

/* save-as makes the new file the document's; save-copy (and save PATH)
 * leave it as it was. */
static void test_save_as_copy(void)
{
    const char *dir = tu_tmpdir();
    char err[1024];
    struct session *s = example_file(dir, "orig.xml");
    if (!s)
        return;
    char *orig = tu_path(dir, "orig.xml"), *as = tu_path(dir, "as.xml"), *copy = tu_path(dir, "copy.xml");
    char *script = xasprintf("add e1000; save-copy %s", copy);
    is_int(batch(s, script, err, sizeof err), 0, "save-copy");
    free(script);
    ok(file_is(dir, "copy.xml", s), "  writes the copy");
    ok(s->modified && strcmp(s->dom->path, orig) == 0, "  the document is still modified, still orig.xml's");
    has_str(err, "a copy; save still writes ", "  the note says so");
    script = xasprintf("save-as %s", as);
    is_int(batch(s, script, err, sizeof err), 0, "save-as");
    free(script);
    ok(file_is(dir, "as.xml", s), "  writes the file");
    ok(!s->modified && strcmp(s->dom->path, as) == 0 && strcmp(s->dom->name, as) == 0,
       "  which is the document's file now, saved");
    has_str(err, "save writes it from now on", "  the note says so");
    size_t len;
    char *disk = tu_read(orig, &len);
    is_str(disk, example_q35_xml, "  the file it was loaded from is as it was");
    free(disk);
    is_int(batch(s, "add e1000; save", err, sizeof err), 0, "a plain save after it");
    ok(file_is(dir, "as.xml", s), "  writes the new file");
    disk = tu_read(orig, &len);
    is_str(disk, example_q35_xml, "  not the old one");
    free(disk);
    tu_write(as, "changed", 7);
    is_int(batch(s, "add e1000; save", err, sizeof err), 1, "a change on disk of the new file");
    has_str(err, "changed on disk", "  is noticed, as for a loaded file");
    script = xasprintf("save-as %s", copy);
    is_int(batch(s, script, err, sizeof err), 1, "save-as onto another existing file is refused");
    has_str(err, "the file exists", "  saying so");
    free(script);
    script = xasprintf("save-as -f %s", copy);
    is_int(batch(s, script, err, sizeof err), 0, "save-as -f overwrites it");
    ok(strcmp(s->dom->path, copy) == 0 && !s->modified, "  and it is the document's file");
    free(script);
    is_int(batch(s, "save-as -", err, sizeof err), 1, "save-as - is refused");
    has_str(err, "save-as: '-' is standard output", "  standard output is no file to keep");
    is_int(batch(s, "save-copy", err, sizeof err), 1, "save-copy needs a file");
    has_str(err, "save-copy: wrong number of arguments (usage: save-copy [-f] PATH|-)", "  says its usage");
    session_free(s);

    struct err e ERR_SCOPE = ERR_INIT;
    s = session_open_example(&e);
    is_int(batch(s, "save", err, sizeof err), 1, "the built-in example has no file to save");
    has_str(err, "or save-as PATH", "  save-as gives it one");
    script = xasprintf("save-as %s/new.xml; add e1000; save", dir);
    is_int(batch(s, script, err, sizeof err), 0, "save-as gives the built-in example a file");
    free(script);
    ok(file_is(dir, "new.xml", s) && !s->modified, "  where save writes");
    session_free(s);
    free(orig);
    free(as);
    free(copy);
    tu_rmtree(dir);
}

/* '~' in the names of files commands write, as the shell reads it. */
static void test_tilde(void)
{
    const char *dir = tu_tmpdir();
    char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
    setenv("HOME", dir, 1);
    struct err e ERR_SCOPE = ERR_INIT;
    char *x = tilde_expand_new("~/a/b.xml", &e);
    char *want = xasprintf("%s/a/b.xml", dir);
    is_str(x, want, "~/ is $HOME");
    free(x);
    free(want);
    x = tilde_expand_new("~", &e);
    is_str(x, dir, "~ alone too");
    free(x);
    x = tilde_expand_new("a~/b", &e);
    is_str(x, "a~/b", "a ~ later in the name is a character");
    free(x);
    x = tilde_expand_new("./~/b", &e);
    is_str(x, "./~/b", "and so is ./~");
    free(x);
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_dir && pw->pw_dir[0] == '/' && strlen(pw->pw_dir) > 1) {
        char *line = xasprintf("~%s/x.xml", pw->pw_name);
        x = tilde_expand_new(line, &e);
        want = xasprintf("%s/x.xml", pw->pw_dir);
        is_str(x, want, "~USER/ is that user's home (getpwnam)");
        free(want);
        free(x);
        free(line);
        unsetenv("HOME");
        x = tilde_expand_new("~/y", &e);
        want = xasprintf("%s/y", pw->pw_dir);
        is_str(x, want, "without HOME, ~ is the user's home from the password database");
        free(want);
        free(x);
        setenv("HOME", dir, 1);
    } else {
        ok(true, "~USER # SKIP no home directory in the password database for this user");
        ok(true, "without HOME # SKIP no home directory in the password database for this user");
    }
    x = tilde_expand_new("~no-such-user-pcitopo/x", &e);
    ok(!x, "~ and a user nobody is fails");
    has_str(e.msg, "no user 'no-such-user-pcitopo'", "  naming the user");
    err_clear(&e);
    setenv("HOME", "", 1);
    if (!pw || !pw->pw_dir || !pw->pw_dir[0]) {
        x = tilde_expand_new("~/x", &e);
        ok(!x, "no home at all: ~ fails");
        free(x);
    }
    setenv("HOME", "/", 1);
    x = tilde_expand_new("~/x", &e);
    is_str(x, "/x", "a home of / gives /x, not //x");
    free(x);
    setenv("HOME", dir, 1);

    char err[1024];
    struct session *s = example_file(dir, "t.xml");
    is_int(batch(s, "add e1000; save-copy ~/copy.xml; place -o ~/placed.xml; w ~/w.xml; save-as ~/as.xml", err,
                 sizeof err), 0, "save-copy, place -o, w and save-as take ~/");
    ok(file_is(dir, "copy.xml", s) && file_is(dir, "placed.xml", s) && file_is(dir, "w.xml", s)
       && file_is(dir, "as.xml", s), "  and write under $HOME");
    char *as = tu_path(dir, "as.xml");
    is_str(s->dom->path, as, "  save-as's file is the expanded name");
    free(as);
    has_str(err, "saved ", "  the notes name the files");
    ok(!strstr(err, "~/"), "  as they are on disk, expanded");
    is_int(batch(s, "save-copy ~no-such-user-pcitopo/x.xml", err, sizeof err), 1, "an unknown ~user fails");
    has_str(err, "pcitopo: save-copy: ~no-such-user-pcitopo/x.xml: no user 'no-such-user-pcitopo'", "  saying so");
    is_int(batch(s, "save-copy -", err, sizeof err), 0, "save-copy - prints, with no ~ to expand");
    session_free(s);
    if (old_home)
        setenv("HOME", old_home, 1);
    else
        unsetenv("HOME");
    free(old_home);
    tu_rmtree(dir);
}

int main(void)
{
    test_parse();
    test_table();
    test_vi_parse();
    test_vi_batch();
    test_save_as_copy();
    test_tilde();
    test_execute();
    test_batch();
    return tap_done();
}
