/* Fuzz target: the command language (what -c, the ':' prompt and the
 * keys all go through), run on the built-in q35 example or a small pc
 * guest.  Commands that write files (save, -o) are parsed but not run, so
 * the fuzzer never writes outside its corpus.
 *
 * Properties checked beyond "no crash": a command that fails leaves the
 * document byte for byte as it was, and undoing every change gives back
 * the document that was loaded. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "command.h"
#include "session.h"

/* Long scripts only repeat what short ones reach, slower. */
#define MAX_CALLS 12

static const char pc_guest[] =
    "<domain type='kvm'><name>pc</name><memory>1048576</memory>\n"
    "  <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>\n"
    "  <features><acpi/></features>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'><source file='/a.img'/>"
    "<target dev='vda' bus='virtio'/></disk>\n"
    "    <interface type='user'><model type='e1000'/></interface>\n"
    "    <hostdev mode='subsystem' type='pci' managed='yes'><source>"
    "<address domain='0x0000' bus='0x3b' slot='0x00' function='0x1'/></source></hostdev>\n"
    "  </devices>\n"
    "</domain>\n";

static bool writes_files(const struct cmd_call *c)
{
    /* save and its kin, and vi's names that save (a quoted 'w' is not
     * rewritten into save: it runs its own row) */
    static const char *const writers[] = { "save", "save-as", "save-copy", "w", "w!", "wq", "x" };
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++)
        if (strcmp(c->argv[0], writers[i]) == 0)
            return true;
    for (int i = 1; i < c->argc; i++)
        if (strcmp(c->argv[i], "-o") == 0)
            return true;
    return false;
}

static char *bytes_of(const struct session *s, size_t *len)
{
    struct err e ERR_SCOPE = ERR_INIT;
    char *b = domain_serialize(s->dom, len, &e);
    FUZZ_ASSERT(b, "the document does not serialize: %s", e.msg);
    return b;
}

/* Serializing is most of the cost of a run, so it is done only where a
 * comparison needs it: the document as it stands is kept in *cur and
 * serialized again only after a command that may have changed it
 * succeeded.  Commands that cannot change it (no CMD_CHANGES, not undo or
 * redo) must leave its generation alone. */
struct doc_bytes {
    char *buf;
    size_t len;
};

/* Each word, quoted for a command line (as the editor pre-types one, and
 * as `pcitopo COMMAND ARGS` passes its arguments on), reads back as
 * exactly that word. */
static void check_quoting(const struct cmd_call *c)
{
    for (int i = 0; i < c->argc; i++) {
        struct strbuf sb = STRBUF_INIT;
        cmd_quote_word(&sb, c->argv[i]);
        struct err e ERR_SCOPE = ERR_INIT;
        struct cmd_script *sc = cmd_script_parse(sb.buf, &e);
        FUZZ_ASSERT(sc && sc->n == 1 && sc->calls[0].argc == 1 && strcmp(sc->calls[0].argv[0], c->argv[i]) == 0,
                    "the word '%s' quoted as %s does not read back", c->argv[i], sb.buf);
        cmd_script_free(sc);
        sb_free(&sb);
    }
}

/* Whatever the commands did, the document holds no alias a command line,
 * a monitor script or a file name could not take as one word. */
static void check_aliases(const struct session *s)
{
    for (size_t i = 0; i < s->topo->ndevs; i++)
        FUZZ_ASSERT(!s->topo->devs[i].alias || !alias_problem(s->topo->devs[i].alias),
                    "alias '%s' got into the document", s->topo->devs[i].alias);
}

static void run_call(struct session *s, const struct cmd_call *c, struct doc_bytes *cur)
{
    check_quoting(c);
    const struct command *cmd = command_find(c->argv[0]);
    bool history = strcmp(c->argv[0], "undo") == 0 || strcmp(c->argv[0], "redo") == 0;
    bool changes = cmd && ((cmd->flags & CMD_CHANGES) || history);
    if (changes && !cur->buf)
        cur->buf = bytes_of(s, &cur->len);
    unsigned long gen = s->gen;
    struct cmd_io io;
    struct err e ERR_SCOPE = ERR_INIT;
    cmd_io_init(&io);
    bool ok = cmd_execute(s, c->argc, c->argv, &io, &e);
    cmd_io_free(&io);
    FUZZ_ASSERT(changes || s->gen == gen, "'%s' changed the document", c->argv[0]);
    if (!changes)
        return;
    if (ok) {
        check_aliases(s);
        free(cur->buf);
        cur->buf = NULL;
        return;
    }
    size_t after_len;
    char *after = bytes_of(s, &after_len);
    FUZZ_ASSERT(cur->len == after_len && memcmp(cur->buf, after, after_len) == 0,
                "'%s' failed (%s) but changed the document", c->argv[0], e.msg);
    free(after);
}

static void undo_all(struct session *s, const char *orig, size_t orig_len)
{
    struct err e ERR_SCOPE = ERR_INIT;
    while (session_undo(s, &e))
        ;
    size_t len;
    char *now = bytes_of(s, &len);
    FUZZ_ASSERT(len == orig_len && memcmp(now, orig, len) == 0,
                "undoing every change does not give back the loaded document");
    FUZZ_ASSERT(!s->modified, "back at the loaded document but marked modified");
    free(now);
}

/* Each guest loads to the same bytes every time, so they are serialized
 * once; undo_all still compares every run's end against them. */
static struct doc_bytes loaded[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* the first byte picks the guest ('p': pc, else q35), the rest is the
     * script */
    char *script = malloc(size);
    memcpy(script, data + 1, size - 1);
    script[size - 1] = '\0';
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_script *sc = cmd_script_parse(script, &e);
    free(script);
    if (!sc)
        return 0;
    struct session *s = data[0] == 'p'
        ? session_open_memory(pc_guest, sizeof pc_guest - 1, "<pc guest>", &e)
        : session_open_example(&e);
    FUZZ_ASSERT(s, "the built-in guest does not load: %s", e.msg);
    struct doc_bytes *orig = &loaded[data[0] == 'p'];
    if (!orig->buf)
        orig->buf = bytes_of(s, &orig->len);
    struct doc_bytes cur = { malloc(orig->len), orig->len };
    memcpy(cur.buf, orig->buf, orig->len);
    for (size_t i = 0; i < sc->n && i < MAX_CALLS && !s->quit; i++)
        if (!writes_files(&sc->calls[i]))
            run_call(s, &sc->calls[i], &cur);
    free(cur.buf);
    undo_all(s, orig->buf, orig->len);
    session_free(s);
    cmd_script_free(sc);
    return 0;
}
