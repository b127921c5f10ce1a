/* Editing: add (every kind of the table), delete and its refusals, undo
 * and redo, the line numbers messages give, the keymap parser and prompt
 * completion — the parts of the editor that need no terminal. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "complete.h"
#include "edit.h"
#include "keymap.h"
#include "tap.h"
#include "testutil.h"
#include "tree.h"

static struct session *example(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_example(&e);
    if (!s)
        diag("example: %s", e.msg);
    return s;
}

/* Runs one command line; returns whether it succeeded, e set if not. */
static bool run(struct session *s, const char *line, struct err *e)
{
    return tu_run(s, line, e, NULL, 0);
}

static void test_every_kind(void)
{
    for (size_t i = 0; add_kind_at(i); i++) {
        const struct add_kind *k = add_kind_at(i);
        struct session *s = example();
        struct err e ERR_SCOPE = ERR_INIT;
        char line[128];
        snprintf(line, sizeof line, "add %s alias=ua-new%s", k->name,
                 (k->needs & ADD_NEEDS_HOST) ? " host=0000:03:00.0" : "");
        bool added = run(s, line, &e);
        if (!(k->machines & MACH_Q35)) {
            ok(!added && strstr(e.msg, k->name), "%s: refused on the q35 example: %s", k->name, e.msg);
            session_free(s);
            continue;
        }
        /* libvirt refuses these alone: a pci-bridge it would put on its
         * own bus (quirk), a downstream port with no upstream port */
        if (strcmp(k->name, "pci-bridge") == 0 || strcmp(k->name, "pcie-switch-downstream-port") == 0) {
            ok(!added && strstr(e.msg, "libvirt 9.0 would refuse the domain with it"),
               "%s: refused on the example, as libvirt does", k->name);
            session_free(s);
            continue;
        }
        ok(added, "%s: added to the q35 example", k->name);
        if (!added)
            diag("%s", e.msg);
        const struct device *dv = topology_find_alias(s->topo, "ua-new");
        ok(dv && dv->addr_state == ADDR_PCI, "%s: it has a PCI address", k->name);
        struct diag_list *l = place_check(s->topo);
        is_int(l->errors, 0, "%s: libvirt's checks pass on the result", k->name);
        diag_list_free(l);
        session_free(s);
    }
}

static void test_add_errors(void)
{
    struct session *s = example();
    struct err e ERR_SCOPE = ERR_INIT;
    char *before = tu_bytes(s);
    ok(!run(s, "add hostdev", &e), "hostdev without host= is refused");
    is_str(e.msg, "add hostdev: which host device? give host=DDDD:BB:SS.F (see lspci -D)", "says what to give");
    err_clear(&e);
    ok(!run(s, "add virtio-net alias=net1", &e), "an alias without ua- is refused");
    ok(strstr(e.msg, "start with 'ua-'") != NULL, "and says why: %s", e.msg);
    err_clear(&e);
    ok(!run(s, "add virtio-net host=1:2.3", &e), "host= on a NIC is refused");
    err_clear(&e);
    ok(!run(s, "add floppy", &e), "an unknown kind is refused");
    is_str(e.msg, "add: no device kind 'floppy' ('help add' lists the kinds)", "names it");
    err_clear(&e);
    ok(run(s, "add virtio-net alias=ua-a", &e), "an alias is accepted once");
    ok(!run(s, "add e1000 alias=ua-a", &e), "and refused twice");
    is_str(e.msg, "add: alias 'ua-a' is already used", "says so");
    err_clear(&e);
    ok(run(s, "undo", &e), "undo");
    char *after = tu_bytes(s);
    is_str(after, before, "failed adds left no trace, and undo restored the rest byte for byte");
    ok(!s->modified, "and the document is unmodified again");
    free(before);
    free(after);
    session_free(s);

}

static void test_undo_redo(void)
{
    struct session *s = example();
    struct err e ERR_SCOPE = ERR_INIT;
    char *orig = tu_bytes(s);
    ok(!run(s, "undo", &e), "nothing to undo at first");
    is_str(e.msg, "undo: nothing to undo", "says so");
    err_clear(&e);
    run(s, "add virtio-net", &e);
    char *one = tu_bytes(s);
    run(s, "add e1000", &e);
    char *two = tu_bytes(s);
    ok(s->modified, "modified after adds");
    run(s, "undo; undo", &e);
    char *back = tu_bytes(s);
    is_str(back, orig, "two undos give the original back");
    ok(!s->modified, "which is unmodified");
    run(s, "redo", &e);
    char *fwd = tu_bytes(s);
    is_str(fwd, one, "redo repeats the first add");
    is_str(session_redo_label(s), "add e1000", "and the next redo is the second");
    run(s, "redo", &e);
    char *fwd2 = tu_bytes(s);
    is_str(fwd2, two, "which gives the same document");
    ok(!run(s, "redo", &e), "nothing more to redo");
    err_clear(&e);
    run(s, "undo; add rtl8139", &e);
    ok(session_redo_label(s) == NULL, "a new change clears redo");
    free(orig); free(one); free(two); free(back); free(fwd); free(fwd2);
    session_free(s);
}

/* Line of the first "<tag" in text, counting from 1. */
static long line_of(const char *text, const char *tag)
{
    const char *at = strstr(text, tag);
    long line = 1;
    for (const char *p = text; at && p < at; p++)
        line += *p == '\n';
    return at ? line : 0;
}

static long device_line(const struct session *s, const char *alias)
{
    const struct device *dv = topology_find_alias(s->topo, alias);
    return dv ? dv->line : -1;
}

/* Messages name lines of the file the user has: undo and copies rebuild
 * the document from its bytes, which must not renumber it; what pcitopo
 * added has no line until it is saved, and saving moves what follows. */
static void test_lines(void)
{
    static const char text[] =
        "<domain type='kvm'>\n"
        "  <name>lines</name>\n"
        "  <memory>1048576</memory>\n"
        "  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>\n"
        "  <devices>\n"
        "    <controller type='pci' index='0' model='pcie-root'/>\n"
        "    <controller type='pci' index='1' model='pcie-root-port'>\n"
        "      <address type='pci' domain='0' bus='0' slot='2' function='0'/>\n"
        "    </controller>\n"
        "    <disk type='file' device='disk'>\n"
        "      <source file='/x.img'/>\n"
        "      <target dev='vda' bus='virtio'/>\n"
        "      <alias name='ua-disk'/>\n"
        "      <address type='pci' domain='0' bus='1' slot='0' function='0'/>\n"
        "    </disk>\n"
        "  </devices>\n"
        "</domain>\n";
    const char *dir = tu_tmpdir();
    char *path = tu_path(dir, "lines.xml");
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_write(path, text, strlen(text)) ? session_open_file(path, &e) : NULL;
    ok(s, "the domain loads %s", e.msg);
    if (!s) {
        free(path);
        return;
    }
    is_int(device_line(s, "ua-disk"), 10, "the disk is on line 10");
    char note[4096];
    ok(tu_run(s, "add virtio-net alias=ua-n1; add e1000 alias=ua-n2; undo", &e, NULL, 0),
       "two adds and an undo %s", e.msg);
    char *now = tu_bytes(s);
    ok(line_of(now, "<disk") > 10, "what was added comes before the disk in the document");
    is_int(device_line(s, "ua-disk"), 10, "after undo the disk is still on the file's line 10");
    is_int(device_line(s, "ua-n1"), 0, "the added interface has no line");
    tu_run(s, "explain ua-n1", &e, note, sizeof note);
    has_str(note, "ua-n1  (added in this session)", "explain says it was added");
    tu_run(s, "explain ua-disk", &e, note, sizeof note);
    has_str(note, "ua-disk  (line 10)", "and names the file's line of the others");

    struct session *copy = session_clone(s, &e);
    ok(copy && device_line(copy, "ua-disk") == 10 && device_line(copy, "ua-n1") == 0,
       "a copy (the add dialog's preview) keeps the lines");
    session_free(copy);

    ok(tu_run(s, "save", &e, NULL, 0), "save %s", e.msg);
    char *saved = tu_read(path, NULL);
    is_int(device_line(s, "ua-disk"), line_of(saved, "<disk"), "after saving, the disk has its line in the saved file");
    is_int(device_line(s, "ua-n1"), line_of(saved, "<interface"), "and so has the interface");
    ok(device_line(s, "ua-n1") > 0, "which is a line");
    free(now);
    free(saved);
    free(path);
    session_free(s);
    tu_rmtree(dir);
}

static void test_delete(void)
{
    struct session *s = example();
    struct err e ERR_SCOPE = ERR_INIT;
    ok(!run(s, "delete 00:02.0", &e), "a root port with a device is refused");
    is_str(e.msg, "pcie-root-port index 1: its bus 01 is not empty (interface virtio at 01:00.0); delete what is on it first",
           "says what is on it");
    err_clear(&e);
    ok(run(s, "delete 01:00.0; delete 00:02.0", &e), "device first, then its port");
    ok(!topology_bus(s->topo, 1), "bus 01 is gone");
    ok(!run(s, "delete 00:1f.2", &e), "q35's SATA controller is refused");
    err_clear(&e);
    ok(run(s, "delete 05:00.0", &e), "the memballoon...");
    char *text = tu_bytes(s);
    ok(strstr(text, "<memballoon model='none'/>") != NULL, "...becomes model='none'");
    free(text);
    ok(run(s, "add pcie-switch-upstream-port alias=ua-up; add pcie-switch-downstream-port alias=ua-down", &e),
       "a downstream port goes below an upstream port");
    const struct device *up = topology_find_alias(s->topo, "ua-up");
    const struct device *down = topology_find_alias(s->topo, "ua-down");
    ok(up && down && down->addr.bus == (unsigned)up->index, "right below it");
    ok(!run(s, "delete ua-nothing", &e), "an unknown name is refused");
    ok(!run(s, "delete", &e), "delete needs a name in batch mode");
    session_free(s);
}

static void test_keymap(void)
{
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT;
    is_int(keymap_load_text(km, default_keys, "default.keys", &problems), 0,
           "the default keymap has no bad line");
    if (problems.len)
        diag("%s", problems.buf);
    is_str(keymap_lookup(km, "tree", "a"), "add", "a adds");
    is_str(keymap_lookup(km, "tree", "C-r"), "redo", "C-r redoes");
    is_str(keymap_lookup(km, "tree", "F1"), "help", "F1 is help");
    static const char *const keys[][2] = {
        { "c", "problems" }, { "Left", "collapse" }, { "Right", "expand" }, { "-", "collapse-all" },
        { "+", "expand-all" }, { "/", "search" }, { "n", "search-next" }, { "N", "search-prev" },
        { "L", "messages" }, { "W", "prompt \"save-as \"" }, { "C-l", "redraw" }, { "C-c", "quit" },
        { "C-z", "suspend" }, { "m", "relocate" },
    };
    for (size_t i = 0; i < ARRAY_LEN(keys); i++)
        is_str(keymap_lookup(km, "tree", keys[i][0]), keys[i][1], "default: %s is %s", keys[i][0], keys[i][1]);
    /* every command the editor offers has a key, except those that take
     * arguments only the prompt can give, check (c shows the problems
     * list), and search-back (vi's ?; ? is help here) */
    static const char *const prompt_only[] = { "mode", "policy", "spare", "spare-ports", "stable-guest", "tree",
                                               "goto", "save-as", "save-copy", "check", "search-back",
                                               "diff", "reload", "report", "lspci" };
    for (size_t i = 0; command_at(i); i++) {
        const char *name = command_at(i)->name;
        bool has = false;
        for (size_t k = 0; k < km->n && !has; k++)
            has = strncmp(km->b[k].command, name, strlen(name)) == 0
                && (km->b[k].command[strlen(name)] == ' ' || !km->b[k].command[strlen(name)]);
        for (size_t k = 0; k < ARRAY_LEN(prompt_only); k++)
            has |= strcmp(prompt_only[k], name) == 0;
        ok(has, "command %s has a key (or is prompt-only)", name);
    }
    sb_free(&problems);
    int bad = keymap_load_text(km,
        "# user keys\n"
        "bind tree x quit\n"
        "bind tree j nonsense\n"
        "bind nowhere k quit\n"
        "bind tree Hyper-k quit\n"
        "bind tree k\n"
        "unbind tree k\n"
        "bind tree a move sideways too\n", "user.keys", &problems);
    is_int(bad, 6, "six bad lines");
    ok(strstr(problems.buf, "user.keys:3: no command 'nonsense'") != NULL, "unknown command, with file:line");
    ok(strstr(problems.buf, "user.keys:4: unknown context") != NULL, "unknown context");
    ok(strstr(problems.buf, "user.keys:5: unknown key name") != NULL, "bad key");
    ok(strstr(problems.buf, "user.keys:8: wrong number of arguments for move") != NULL, "bad arguments");
    is_str(keymap_lookup(km, "tree", "x"), "quit", "the good line still binds");
    is_str(keymap_lookup(km, "tree", "j"), "move down", "a bad line leaves the old binding");
    sb_free(&problems);
    keymap_free(km);
}

/* Whether command has a key in the tree. */
static bool keymap_keys_new_has(const struct keymap *km, const char *command)
{
    char *keys = keymap_keys_new(km, "tree", command);
    bool has = *keys != '\0';
    free(keys);
    return has;
}

/* Key sequences: written in quotes, looked up by their keys joined with
 * one blank; a key that begins one is never bound alone beside it. */
static void test_key_sequences(void)
{
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT;
    is_int(keymap_load_text(km,
        "bind tree \"g g\" move top\n"
        "bind tree \"C-x C-s\" save\n"
        "bind tree \"C-x    C-c\"   quit\n"
        "bind tree \"a b c\" help\n"
        "bind dialog \"j k\" cancel\n"
        "bind tree \"Z Z\" x\n"
        "bind tree \"Z Q\" q!\n"
        "bind tree \" help\n"
        "bind tree \"q\" quit\n"
        "bind tree C-_ undo\n"
        "bind tree W wq\n", "seq.keys", &problems), 0, "sequences load");
    if (problems.len)
        diag("%s", problems.buf);
    is_str(keymap_lookup(km, "tree", "g g"), "move top", "g g is looked up by its keys, one blank apart");
    is_str(keymap_lookup(km, "tree", "C-x C-c"), "quit", "blanks inside the quotes are one blank");
    is_str(keymap_lookup(km, "tree", "a b c"), "help", "three keys");
    is_str(keymap_lookup(km, "dialog", "j k"), "cancel", "in the dialog too");
    is_str(keymap_lookup(km, "tree", "\""), "help", "'\"' alone is the key that types it");
    is_str(keymap_lookup(km, "tree", "q"), "quit", "one key in quotes is that key");
    is_str(keymap_lookup(km, "tree", "C-_"), "undo", "C-_ (what Ctrl-/ sends) is a key");
    is_str(keymap_lookup(km, "tree", "Z Z"), "x", "vi's names bind: x");
    is_str(keymap_lookup(km, "tree", "Z Q"), "q!", "q!");
    is_str(keymap_lookup(km, "tree", "W"), "wq", "wq, though it runs two commands");
    ok(!keymap_lookup(km, "tree", "g") && !keymap_lookup(km, "tree", "C-x"), "a prefix alone is unbound");
    ok(keymap_is_prefix(km, "tree", "g") && keymap_is_prefix(km, "tree", "C-x")
       && keymap_is_prefix(km, "tree", "a") && keymap_is_prefix(km, "tree", "a b"),
       "keymap_is_prefix: the keys that begin a sequence, one or two of them");
    ok(!keymap_is_prefix(km, "tree", "g g") && !keymap_is_prefix(km, "tree", "C-x C-s")
       && !keymap_is_prefix(km, "tree", "h") && !keymap_is_prefix(km, "tree", "C")
       && !keymap_is_prefix(km, "dialog", "g") && !keymap_is_prefix(km, "tree", "j"),
       "and no others: whole sequences, unbound keys, parts of a key name, other contexts");
    struct strbuf list = STRBUF_INIT;
    keymap_list(km, &list);
    has_str(list.buf, "tree    C-x C-s    save", "--list-keys shows a sequence as its keys");
    has_str(list.buf, "tree    g g        move top", "  g g too");
    sb_free(&list);
    size_t n;
    struct key_row *rows = keymap_rows_new(km, "tree", &n);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(rows[i].command, "move top") == 0 && strcmp(rows[i].keys, "g g") == 0
            && strcmp(rows[i].summary, command_find("move")->summary) == 0;
    ok(found, "the help rows show g g with move's summary");
    found = false;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(rows[i].command, "x") == 0 && strstr(rows[i].summary, "vi: save if modified") != NULL;
    ok(found, "and Z Z with x's");
    keymap_rows_free(rows, n);
    char *keys = keymap_keys_new(km, "tree", "quit");
    is_str(keys, "C-x C-c, q", "keymap_keys_new lists sequences among keys");
    free(keys);

    /* bad sequences, each reported with its line */
    sb_free(&problems);
    is_int(keymap_load_text(km,
        "bind tree \"g g move top\n"
        "bind tree \"a b c d\" help\n"
        "bind tree \"g Hyper-g\" help\n"
        "bind tree \"\" help\n"
        "bind prompt \"a b\" cancel\n"
        "bind tree \"x \"\" help\n"
        "bind tree gg help\n"
        "bind tree C-x,C-s save\n"
        "bind tree \"z z\" save; quit\n", "bad.keys", &problems), 9, "nine bad lines");
    has_str(problems.buf, "bad.keys:1: a key sequence needs its closing quote", "an open quote");
    has_str(problems.buf, "bad.keys:2: a key sequence has at most 3 keys", "four keys");
    has_str(problems.buf, "bad.keys:3: unknown key name in the sequence", "a bad key in it");
    has_str(problems.buf, "bad.keys:4: an empty key sequence", "no key");
    has_str(problems.buf, "bad.keys:5: key sequences work in the tree and the dialog, not at the prompt",
            "not at the prompt");
    has_str(problems.buf, "bad.keys:6: the key \" cannot be part of a sequence", "'\"' in a sequence");
    has_str(problems.buf, "bad.keys:7: unknown key name (", "gg unquoted is no key");
    has_str(problems.buf, "a sequence of keys goes in quotes: \"g g\"", "  and the message says how");
    has_str(problems.buf, "bad.keys:8: unknown key name", "C-x,C-s neither");
    has_str(problems.buf, "bad.keys:9: one command per binding", "two commands are still refused");
    ok(keymap_key_valid("C-_") && !keymap_key_valid("g g") && !keymap_key_valid("C-/"),
       "keymap_key_valid: one key; C-_ is one, a sequence is not");

    /* a key alone and a sequence it begins: the later wins; in one file,
     * that is reported */
    sb_free(&problems);
    keymap_free(km);
    km = keymap_new();
    keymap_load_text(km,
        "bind tree g group\n"
        "bind tree \"g g\" move top\n"
        "bind tree \"g t\" move bottom\n"
        "bind tree g help\n", "conflict.keys", &problems);
    has_str(problems.buf, "conflict.keys:2: tree \"g g\" begins with g, bound alone at conflict.keys:1 to "
            "'group': a key cannot both act alone and begin a sequence (this line wins)",
            "a sequence after its first key alone is reported");
    has_str(problems.buf, "conflict.keys:4: tree g is bound alone here, but begins \"g g\", bound at "
            "conflict.keys:2 to 'move top'", "a key alone after a sequence it begins too");
    has_str(problems.buf, "conflict.keys:4: tree g is bound alone here, but begins \"g t\"",
            "  once for each sequence it takes away");
    is_str(keymap_lookup(km, "tree", "g"), "help", "the later line wins");
    ok(!keymap_lookup(km, "tree", "g g") && !keymap_lookup(km, "tree", "g t") && !keymap_is_prefix(km, "tree", "g"),
       "  and the sequences are gone");
    sb_free(&problems);
    keymap_load_text(km, "bind tree \"g g\" move top\n", "later.keys", &problems);
    ok(!problems.len, "across files, a later file replaces without a word");
    is_str(keymap_lookup(km, "tree", "g g"), "move top", "  g g is bound");
    ok(!keymap_lookup(km, "tree", "g"), "  g alone is not");
    sb_free(&problems);
    keymap_load_text(km, "bind tree \"g g\" move top\nbind tree \"g g\" move top\n", "same.keys", &problems);
    ok(!problems.len, "the same binding twice is no conflict");
    sb_free(&problems);
    keymap_load_text(km, "bind tree \"g g\" move top\nbind tree \"g g\" help\n", "twice.keys", &problems);
    has_str(problems.buf, "twice.keys:2: tree \"g g\" is bound twice: here to 'help'",
            "a sequence bound twice is reported, in quotes");
    sb_free(&problems);
    keymap_free(km);
}

/* Every shipped keymap loads clean, and each keeps the add / preview /
 * commit / save cycle on keys that are not arrows. */
static void test_shipped_keymaps(void)
{
    for (size_t i = 0; keymap_shipped(i); i++) {
        const char *name = keymap_shipped(i);
        struct keymap *km = keymap_new();
        struct strbuf problems = STRBUF_INIT;
        struct err e ERR_SCOPE = ERR_INIT;
        ok(keymap_load_named(km, name, &problems, &e), "keymap %s loads", name);
        ok(!problems.len, "keymap %s has no bad or conflicting line", name);
        if (problems.len)
            diag("%s", problems.buf);
        static const char *const cycle[][2] = {
            { "tree", "add" }, { "dialog", "move down" }, { "dialog", "field next" },
            { "dialog", "commit" }, { "dialog", "cancel" }, { "tree", "save" }, { "tree", "quit" },
            { "tree", "move down" }, { "tree", "mark" }, { "tree", "group" }, { "prompt", "cancel" },
        };
        for (size_t k = 0; k < ARRAY_LEN(cycle); k++) {
            bool plain = false;
            for (size_t b = 0; b < km->n; b++)
                plain |= strcmp(km->b[b].context, cycle[k][0]) == 0
                    && strcmp(km->b[b].command, cycle[k][1]) == 0
                    && strcmp(km->b[b].key, "Up") != 0 && strcmp(km->b[b].key, "Down") != 0
                    && strcmp(km->b[b].key, "Left") != 0 && strcmp(km->b[b].key, "Right") != 0;
            ok(plain, "%s: %s '%s' has a key that is not an arrow", name, cycle[k][0], cycle[k][1]);
        }
        is_str(keymap_lookup(km, "tree", "C-l"), "redraw", "%s: C-l redraws", name);
        is_str(keymap_lookup(km, "tree", "C-c"), "quit", "%s: C-c quits (the editor asks)", name);
        is_str(keymap_lookup(km, "tree", "C-z"), "suspend", "%s: C-z suspends", name);
        ok(keymap_keys_new_has(km, "collapse-all") && keymap_keys_new_has(km, "expand-all")
           && keymap_keys_new_has(km, "search") && keymap_keys_new_has(km, "problems"),
           "%s: collapse-all, expand-all, search and problems have keys", name);
        bool clean = true;
        for (size_t b = 0; b < km->n; b++)
            clean &= !keymap_is_prefix(km, km->b[b].context, km->b[b].key);
        ok(clean, "%s: no key is bound alone and as the start of a sequence", name);
        sb_free(&problems);
        keymap_free(km);
    }
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT;
    struct err e ERR_SCOPE = ERR_INIT;
    keymap_load_named(km, "vi", &problems, &e);
    static const char *const vi[][2] = {
        { "g g", "move top" }, { "G", "move bottom" }, { "h", "collapse" }, { "l", "expand" },
        { "z c", "collapse" }, { "z o", "expand" }, { "z a", "toggle" }, { "z M", "collapse-all" },
        { "z R", "expand-all" }, { "/", "search" }, { "?", "search-back" }, { "n", "search-next" },
        { "N", "search-prev" }, { "Z Z", "x" }, { "Z Q", "q!" }, { "+", "group" }, { "-", "ungroup" },
        { "Space", "mark" }, { "F1", "help" },
    };
    for (size_t i = 0; i < ARRAY_LEN(vi); i++)
        is_str(keymap_lookup(km, "tree", vi[i][0]), vi[i][1], "vi: %s is %s", vi[i][0], vi[i][1]);
    ok(!keymap_lookup(km, "tree", "g") && keymap_is_prefix(km, "tree", "g"),
       "vi: g alone does nothing (the default's group is gone): it begins gg");
    ok(keymap_is_prefix(km, "tree", "z") && keymap_is_prefix(km, "tree", "Z"), "vi: so do z and Z");
    ok(!keymap_is_prefix(km, "tree", "G") && !keymap_is_prefix(km, "tree", "g g"),
       "vi: G and gg begin nothing");
    is_str(keymap_lookup(km, "tree", "m"), "relocate", "vi: m relocates, as by default (not vi's mark: Space marks)");
    is_str(keymap_lookup(km, "tree", "a"), "add", "vi keeps the default's keys it does not change");
    keymap_free(km);
    km = keymap_new();
    keymap_load_named(km, "emacs", &problems, &e);
    static const char *const emacs[][2] = {
        { "M-<", "move top" }, { "C-x C-s", "save" }, { "C-x C-c", "quit" },
        { "C-x C-w", "prompt \"save-as \"" }, { "C-s", "search" }, { "C-r", "search-back" },
        { "C-_", "undo" }, { "M-_", "redo" }, { "M-x", "prompt" },
    };
    for (size_t i = 0; i < ARRAY_LEN(emacs); i++)
        is_str(keymap_lookup(km, "tree", emacs[i][0]), emacs[i][1], "emacs: %s is %s", emacs[i][0], emacs[i][1]);
    ok(!keymap_lookup(km, "tree", "C-x") && keymap_is_prefix(km, "tree", "C-x"),
       "emacs: C-x alone does not quit: it waits for the second key");
    is_str(keymap_lookup(km, "dialog", "C-g"), "cancel", "emacs: C-g leaves the dialog");
    is_str(keymap_lookup(km, "prompt", "C-g"), "cancel", "emacs: and the prompt");
    keymap_free(km);
    ok(!problems.len, "no problems");
    km = keymap_new();
    ok(!keymap_load_named(km, "nope", &problems, &e), "an unknown keymap name is refused");
    has_str(e.msg, "no keymap 'nope' (shipped: default, vi, emacs", "  naming the shipped ones");
    keymap_free(km);
    sb_free(&problems);
}

/* A user keymap: includes, conflicts and loops reported with file:line,
 * layered over the chosen keymap. */
static void test_user_keymap(void)
{
    const char *dir = tu_tmpdir();
    char *user = tu_path(dir, "keys"), *more = tu_path(dir, "more.keys"), *loop = tu_path(dir, "loop.keys");
    static const char user_text[] =
        "include emacs\n"
        "bind tree x quit\n"
        "bind tree y undo\n"
        "bind tree y redo\n"
        "include more.keys\n"
        "include loop.keys\n"
        "include missing.keys\n"
        "bind dialog Tab field prev\n"
        "include fifo\n"
        "include big.keys\n";
    tu_write(user, user_text, strlen(user_text));
    tu_write(more, "bind tree z explain\n", 20);
    tu_write(loop, "include loop.keys\n", 18);
    char *fifo = tu_path(dir, "fifo");
    mkfifo(fifo, 0600);   /* nobody writes to it: reading it would block */
    char *big = tu_path(dir, "big.keys");
    size_t big_len = (1 << 20) + 1;
    char *junk = xmalloc(big_len);
    memset(junk, '#', big_len);
    tu_write(big, junk, big_len);
    free(junk);
    struct strbuf problems = STRBUF_INIT;
    struct err e ERR_SCOPE = ERR_INIT;
    struct keymap *km = keymap_new_effective("vi", user, &problems, &e);
    ok(km, "vi with a user keymap on top");
    if (km) {
        is_str(keymap_lookup(km, "tree", "x"), "quit", "the user's binding replaces vi's");
        is_str(keymap_lookup(km, "tree", "z"), "explain", "an included file binds, relative to the user file");
        is_str(keymap_lookup(km, "tree", "C-n"), "move down", "an included shipped keymap binds");
        is_str(keymap_lookup(km, "tree", "y"), "redo", "of a key bound twice, the later line wins");
        is_str(keymap_lookup(km, "dialog", "Tab"), "field prev", "dialog keys can be rebound");
        has_str(problems.buf, "keys:4: tree y is bound twice", "but the conflict is reported with file:line");
        has_str(problems.buf, "includes nest deeper than 8", "an include loop is reported");
        has_str(problems.buf, "keys:7: include: cannot read", "a missing include is reported");
        has_str(problems.buf, "keys:9: include: ", "an include of a fifo is refused");
        has_str(problems.buf, "fifo: not a keymap file (not a regular file)", "  without reading it");
        has_str(problems.buf, "big.keys: not a keymap file (too big)", "a file over 1 MiB is refused");
        struct strbuf list = STRBUF_INIT;
        keymap_list(km, &list);
        has_str(list.buf, "tree    x          quit", "--list-keys lists the effective binding");
        has_str(list.buf, "/keys:2", "  with where it comes from");
        sb_free(&list);
    }
    keymap_free(km);
    sb_free(&problems);
    free(user);
    free(more);
    free(loop);
    free(fifo);
    free(big);
    tu_rmtree(dir);
}

/* Undo keeps every change, not the last 200 (it used to drop the oldest
 * without a word); each step costs what the change changed, not a copy of
 * the document; and the lines messages give survive the deltas. */
static void test_undo_every_change(void)
{
    struct session *s = example();
    struct err e ERR_SCOPE = ERR_INIT;
    char *orig = tu_bytes(s);
    long line = device_line(s, "ua-net0");
    enum { CHANGES = 1000 };
    char *after_one = NULL;
    int done = 0;
    for (int i = 0; i < CHANGES; i++) {
        char cmd[64];
        /* an add and its delete, with a new alias each time: no two
         * states of the document are alike but the ones between */
        if (i % 2 == 0)
            snprintf(cmd, sizeof cmd, "add e1000 alias=ua-n%d", i);
        else
            snprintf(cmd, sizeof cmd, "delete ua-n%d", i - 1);
        if (!run(s, cmd, &e)) {
            diag("%s: %s", cmd, e.msg);
            break;
        }
        done++;
        if (i == 0)
            after_one = tu_bytes(s);
    }
    is_int(done, CHANGES, "%d changes made", CHANGES);
    size_t doc_len = strlen(orig);
    ok(session_history_bytes(s) < (size_t)CHANGES * 1024 + 2 * doc_len,
       "the history holds what changed: %zu bytes for %d changes of a %zu-byte document",
       session_history_bytes(s), CHANGES, doc_len);
    int undone = 0;
    while (run(s, "undo", &e))
        undone++;
    is_int(undone, CHANGES, "every change can be undone");
    is_str(e.msg, "undo: nothing to undo", "then undo says there is nothing more");
    char *back = tu_bytes(s);
    is_str(back, orig, "the document is the original byte for byte");
    ok(!s->modified, "and unmodified");
    is_int(device_line(s, "ua-net0"), line, "its elements have their lines in the file");
    err_clear(&e);
    ok(run(s, "redo", &e), "redo");
    char *fwd = tu_bytes(s);
    is_str(fwd, after_one ? after_one : "", "the first change comes back");
    int redone = 1;
    while (run(s, "redo", &e))
        redone++;
    is_int(redone, CHANGES, "and every other one");
    ok(!topology_find_alias(s->topo, "ua-n998"), "the last delete is redone too");
    free(orig);
    free(after_one);
    free(back);
    free(fwd);
    session_free(s);
}

/* Past its memory budget the history drops its oldest changes, and says
 * so both then and when undo runs out because of it. */
static void test_undo_budget(void)
{
    struct session *s = example();
    struct err e ERR_SCOPE = ERR_INIT;
    char *orig = tu_bytes(s);
    s->undo_budget = strlen(orig) + 4096;
    char *notice = NULL;
    for (int i = 0; i < 40; i++) {
        char cmd[64];
        if (i % 2 == 0)
            snprintf(cmd, sizeof cmd, "add e1000 alias=ua-b%d", i);
        else
            snprintf(cmd, sizeof cmd, "delete ua-b%d", i - 1);
        /* the command's note carries the notice (cmd_execute takes it) */
        char note[4096];
        if (!tu_run(s, cmd, &e, note, sizeof note))
            diag("%s: %s", cmd, e.msg);
        if (!notice && strstr(note, "can no longer be undone"))
            notice = xstrdup(note);
    }
    ok(session_history_bytes(s) <= s->undo_budget + 64 * sizeof(struct undo_step),
       "the history stays in its budget (%zu bytes)", session_history_bytes(s));
    ok(notice, "dropping the oldest change is announced");
    has_str(notice ? notice : "", "the oldest (add e1000 alias=ua-b0) can no longer be undone",
            "  naming it");
    int undone = 0;
    while (run(s, "undo", &e))
        undone++;
    ok(undone > 0 && undone < 40, "undo goes back as far as the budget kept (%d changes)", undone);
    has_str(e.msg, "undo: nothing more to undo: the ", "and then says why it stops");
    has_str(e.msg, "oldest changes were dropped to keep the history under", "  (the budget)");
    free(notice);
    free(orig);
    session_free(s);
}

/* Counts the lines of problems that contain what. */
static int count_of(const char *problems, const char *what)
{
    int n = 0;
    for (const char *p = problems; p && (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

/* A keymap that includes itself ten times a line, under the depth limit,
 * was read 10^8 times: startup hung.  An alarm (generous, for valgrind)
 * ends this test program instead, so that the old code fails here rather
 * than hanging; the bounded load takes milliseconds. */
static bool loads_in_time(const char *path)
{
    alarm(120);
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT;
    struct err e ERR_SCOPE = ERR_INIT;
    bool loaded = keymap_load_file(km, path, &problems, &e);
    alarm(0);
    keymap_free(km);
    sb_free(&problems);
    return loaded;
}

static void test_keymap_bounds(void)
{
    const char *dir = tu_tmpdir();
    char *bomb = tu_path(dir, "bomb.keys");
    struct strbuf text = STRBUF_INIT;
    for (int i = 0; i < 10; i++)
        sb_puts(&text, "include bomb.keys\n");
    tu_write(bomb, text.buf, text.len);
    ok(loads_in_time(bomb), "a keymap that includes itself 10 times a line loads in time");
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT;
    struct err e ERR_SCOPE = ERR_INIT;
    ok(keymap_load_file(km, bomb, &problems, &e), "it loads");
    has_str(problems.buf, "bomb.keys:3: include: '", "the include that goes over is named, file:line");
    has_str(problems.buf, "goes over what one keymap may read through includes (64 files, 4 MiB in all",
            "  with the bounds");
    is_int(count_of(problems.buf, "goes over"), 1, "  once");
    is_int(count_of(problems.buf, "nest deeper than 8"), 1, "the nesting too deep is said once too");
    ok(problems.len < 4096, "the problems are a few lines (%zu bytes)", problems.len);
    keymap_free(km);
    sb_free(&problems);

    /* bytes: five includes of a 900 KB file go over 4 MiB */
    char *big = tu_path(dir, "big.keys"), *top = tu_path(dir, "top.keys");
    size_t big_len = 900 * 1000;
    char *junk = xmalloc(big_len);
    memset(junk, '#', big_len);
    junk[big_len - 1] = '\n';
    tu_write(big, junk, big_len);
    free(junk);
    sb_free(&text);
    for (int i = 0; i < 6; i++)
        sb_puts(&text, "include big.keys\n");
    tu_write(top, text.buf, text.len);
    km = keymap_new();
    ok(keymap_load_file(km, top, &problems, &e), "a keymap including 5.4 MB loads");
    has_str(problems.buf, "top.keys:5: include: '", "the include past 4 MiB is named");
    is_int(count_of(problems.buf, "goes over"), 1, "  once");
    keymap_free(km);
    sb_free(&problems);

    /* shipped keymaps count too */
    sb_free(&text);
    for (int i = 0; i < 1000; i++)
        sb_puts(&text, "include default\n");
    km = keymap_new();
    keymap_load_text(km, text.buf, "many.keys", &problems);
    has_str(problems.buf, "many.keys:65: include: 'default' goes over", "the 65th include of default goes over");
    is_int(count_of(problems.buf, "\n"), 1, "  and is the only problem");
    is_str(keymap_lookup(km, "tree", "a"), "add", "what was included binds");
    keymap_free(km);
    sb_free(&problems);

    /* bindings: each searches the others, so their number is bounded */
    sb_free(&text);
    for (int i = 0; i < 20000; i++) {
        unsigned cp = 0x4e00 + (unsigned)i;   /* CJK: one UTF-8 key each */
        sb_printf(&text, "bind tree %c%c%c quit\n", 0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f),
                  0x80 | (cp & 0x3f));
    }
    km = keymap_new();
    keymap_load_text(km, text.buf, "wide.keys", &problems);
    has_str(problems.buf, "wide.keys:1025: more than 1024 keys bound", "the binding past 1024 keys is named");
    is_int(count_of(problems.buf, "\n"), 1, "  once");
    is_int((long)km->n, 1024, "1024 keys are bound");
    keymap_free(km);
    sb_free(&problems);
    sb_free(&text);
    free(bomb);
    free(big);
    free(top);
    tu_rmtree(dir);
}

static void test_complete(void)
{
    struct session *s = example();
    struct err e ERR_SCOPE = ERR_INIT;
    run(s, "add virtio-net alias=ua-nic", &e);
    struct completion *c = complete_line("ad", 2, s);
    ok(c->n == 1 && strcmp(c->words[0], "add") == 0, "ad completes to add");
    completion_free(c);
    c = complete_line("add virtio-n", 12, s);
    ok(c->n == 1 && strcmp(c->words[0], "virtio-net") == 0, "a kind completes");
    is_int(c->word_start, 4, "from where the word starts");
    completion_free(c);
    c = complete_line("add vi", 6, s);
    is_str(c->common, "virtio-", "several kinds share a prefix");
    ok(c->n > 3, "and all are offered");
    completion_free(c);
    c = complete_line("tree; explain ua-", 17, s);
    ok(c->n == 1 && strcmp(c->words[0], "ua-nic") == 0, "aliases after explain, in a second command");
    completion_free(c);
    c = complete_line("delete 01:", 10, s);
    ok(c->n == 1 && strcmp(c->words[0], "01:00.0") == 0, "addresses after delete");
    completion_free(c);
    c = complete_line("add virtio-net hot", 18, s);
    ok(c->n == 1 && strcmp(c->words[0], "hotplug=") == 0, "preference keys after add KIND");
    completion_free(c);
    c = complete_line("set-pref ua-nic bus=p", 21, s);
    ok(c->n == 2 && strcmp(c->words[0], "bus=pci") == 0 && strcmp(c->words[1], "bus=pcie") == 0,
       "their values once the key is typed");
    completion_free(c);
    c = complete_line("help pol", 8, NULL);
    ok(c->n == 1 && strcmp(c->words[0], "policy") == 0, "command names after help, without a session");
    completion_free(c);
    c = complete_line("goto ua-n", 9, s);
    ok(c->n == 1 && strcmp(c->words[0], "ua-nic") == 0, "aliases after goto");
    completion_free(c);
    c = complete_line("w", 1, s);
    ok(c->n == 0, "vi's names are not offered as commands (help lists them in a line)");
    completion_free(c);
    session_free(s);
}

/* Tab after save, save-as, save-copy, vi's w and wq, and -o: file names,
 * from the file system. */
static void test_complete_files(void)
{
    const char *dir = tu_tmpdir();
    char *alpha = tu_path(dir, "alpha.xml"), *alpine = tu_path(dir, "alpine"), *hidden = tu_path(dir, ".hidden.xml");
    char *spaced = tu_path(dir, "al pha.xml"), *inner = tu_path(dir, "alpine/inner.xml");
    tu_write(alpha, "x", 1);
    mkdir(alpine, 0700);
    tu_write(inner, "x", 1);
    tu_write(hidden, "x", 1);
    tu_write(spaced, "x", 1);
    char *line = xasprintf("save-as %s/al", dir);
    struct completion *c = complete_line(line, strlen(line), NULL);
    char *want_file = xasprintf("%s/alpha.xml", dir), *want_dir = xasprintf("%s/alpine/", dir);
    ok(c->n == 2 && strcmp(c->words[0], want_file) == 0 && strcmp(c->words[1], want_dir) == 0,
       "save-as: the files that start so, a directory with a '/'");
    is_int(c->word_start, 8, "the whole path is the word");
    char *common = xasprintf("%s/alp", dir);
    is_str(c->common, common, "their common part");
    free(common);
    if (c->n != 2)
        for (size_t i = 0; i < c->n; i++)
            diag("offered %s", c->words[i]);
    completion_free(c);
    free(line);
    line = xasprintf("save-copy %s/", dir);
    c = complete_line(line, strlen(line), NULL);
    is_int(c->n, 2, "a name that would need quotes is not offered, nor one starting with '.'");
    completion_free(c);
    free(line);
    line = xasprintf("w %s/.h", dir);
    c = complete_line(line, strlen(line), NULL);
    ok(c->n == 1 && strstr(c->words[0], ".hidden.xml"), "w: a '.' typed offers hidden files");
    completion_free(c);
    free(line);
    line = xasprintf("wq %s/alpine/", dir);
    c = complete_line(line, strlen(line), NULL);
    ok(c->n == 1 && strstr(c->words[0], "alpine/inner.xml"), "wq: inside a directory");
    completion_free(c);
    free(line);
    line = xasprintf("hotplug-xml ua-a -o %s/al", dir);
    c = complete_line(line, strlen(line), NULL);
    ok(c->n == 1 && strcmp(c->words[0], want_dir) == 0, "hotplug-xml -o: directories only");
    completion_free(c);
    free(line);
    line = xasprintf("place -f -o %s/alp", dir);
    c = complete_line(line, strlen(line), NULL);
    is_int(c->n, 2, "place -o: files");
    completion_free(c);
    free(line);
    c = complete_line("save -", 6, NULL);
    ok(c->n == 1 && strcmp(c->words[0], "-f") == 0, "save -: its option");
    completion_free(c);

    char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
    setenv("HOME", dir, 1);
    c = complete_line("save ~/alp", 10, NULL);
    ok(c->n == 2 && strcmp(c->words[0], "~/alpha.xml") == 0 && strcmp(c->words[1], "~/alpine/") == 0,
       "~/ is the home directory, and stays ~/ in what is offered");
    completion_free(c);
    c = complete_line("save ~", 6, NULL);
    ok(c->n == 1 && strcmp(c->words[0], "~/") == 0, "~ alone completes to ~/");
    completion_free(c);
    c = complete_line("save ~no-such-user-pcitopo", 26, NULL);
    is_int(c->n, 0, "~ and a user nobody is: nothing");
    completion_free(c);
    if (old_home)
        setenv("HOME", old_home, 1);
    else
        unsetenv("HOME");
    free(old_home);
    free(want_file);
    free(want_dir);
    free(alpha);
    free(alpine);
    free(hidden);
    free(spaced);
    free(inner);
    tu_rmtree(dir);
}

/* Issue 20: a new video never goes before the one libvirt makes primary,
 * wherever the file has it; deleting the primary says which one is now. */
static void test_video_order(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_open_text(
        "<domain type='kvm'><name>v</name><os><type machine='pc-q35-7.2'>hvm</type></os><devices>\n"
        "  <interface type='network'><model type='virtio'/></interface>\n"
        "  <memballoon model='virtio'/>\n"
        "  <video><model type='qxl'/></video>\n"
        "  <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>\n"
        "</devices></domain>\n", &e);
    ok(s != NULL, "a domain whose video comes after its memballoon loads");
    if (!s)
        return;
    ok(run(s, "add virtio-gpu alias=ua-gpu; add virtio-gpu alias=ua-gpu2", &e), "two virtio-gpu are added");
    char *text = tu_bytes(s);
    const char *qxl = strstr(text, "type='qxl'"), *gpu = strstr(text, "ua-gpu'");
    const char *gpu2 = strstr(text, "ua-gpu2"), *rng = strstr(text, "<rng");
    ok(qxl && gpu && qxl < gpu, "the new video comes after the existing one");
    ok(gpu && gpu2 && gpu < gpu2, "and a second after the first");
    ok(gpu2 && rng && gpu2 < rng, "in the run of videos, before what follows them");
    free(text);
    const struct device *q = NULL;
    for (size_t i = 0; i < s->topo->ndevs; i++)
        if (s->topo->devs[i].model && strcmp(s->topo->devs[i].model, "qxl") == 0)
            q = &s->topo->devs[i];
    ok(q && topology_primary_video(s->topo) == q, "qxl stays the primary video");
    ok(q && q->addr.bus == 0 && q->addr.slot == 1, "at libvirt's primary slot 00:01.0");
    struct strbuf note = STRBUF_INIT;
    ok(q && edit_delete(s, q, &note, &e), "the primary video is deleted");
    has_str(note.buf, "; video virtio ua-gpu (added in this session) is now the primary video",
            "the note says which video libvirt makes primary now");
    sb_free(&note);
    session_free(s);
}

/* Issue 20: no fixed buffer cuts the keys of a command, however many. */
static void test_many_keys(void)
{
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT, text = STRBUF_INIT;
    for (char c = 'a'; c <= 'z'; c++)
        sb_printf(&text, "bind tree M-%c help\nbind tree F%d help\n", c, c - 'a' + 1 > 12 ? 12 : c - 'a' + 1);
    keymap_load_text(km, text.buf, "many.keys", &problems);
    char *keys = keymap_keys_new(km, "tree", "help");
    ok(strstr(keys, "M-a, ") == keys && strstr(keys, "M-z") != NULL, "all 26 Meta keys are listed");
    ok(strlen(keys) > 64, "past the 64 bytes a key row held (%zu)", strlen(keys));
    size_t n;
    struct key_row *rows = keymap_rows_new(km, "tree", &n);
    ok(n == 1 && strcmp(rows[0].keys, keys) == 0, "the help screen's row has them all too");
    keymap_rows_free(rows, n);
    free(keys);
    sb_free(&text);
    sb_free(&problems);
    keymap_free(km);
}

int main(void)
{
    test_video_order();
    test_many_keys();
    test_every_kind();
    test_add_errors();
    test_undo_redo();
    test_lines();
    test_delete();
    test_keymap();
    test_shipped_keymaps();
    test_key_sequences();
    test_user_keymap();
    test_complete();
    test_complete_files();
    test_undo_every_change();
    test_undo_budget();
    test_keymap_bounds();
    return tap_done();
}
