/* pcitopo's entry point: options, batch mode and subcommands, or the
 * full-screen view. */
#include "config.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>

#include "command.h"
#include "session.h"
#include "editor.h"
#include "fleet.h"
#include "keymap.h"
#include "theme.h"
#include "origin.h"
#include "summary.h"
#include "virt.h"

enum exit_status { EXIT_OK = 0, EXIT_COMMAND = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
    fprintf(f,
        "usage: pcitopo [FILE]                      edit a domain's PCI topology\n"
        "       pcitopo -c 'COMMAND; ...' [FILE]    run commands without a terminal\n"
        "       pcitopo COMMAND [FILE] [ARGS...]    run one command (same as -c)\n"
        "       pcitopo --connect URI [-c ...|COMMAND] DOMAIN   the same on a domain in libvirt\n"
        "       pcitopo --connect URI [--connect URI...] report [--json]   a row per domain\n"
        "       pcitopo --connect URI               list the domains; Enter edits one\n"
        "\n"
        "FILE is a libvirt domain XML file ('virsh dumpxml' output, or the files\n"
        "in /etc/libvirt/qemu); '-' reads standard input, in the editor too (keys\n"
        "then come from the terminal; saving asks for a file name).  Without FILE,\n"
        "pcitopo opens its built-in example, a typical q35 guest.  While the editor\n"
        "has unsaved changes it keeps them in ~/.local/state/pcitopo/recover\n"
        "(XDG_STATE_HOME), and after a crash 'pcitopo FILE' offers them back,\n"
        "saying so if FILE changed since; when it cannot keep them (no HOME, or\n"
        "the directory cannot be made) the editor says so when it starts.\n"
        "\n"
        "With --connect or --domain the document is a domain's persistent definition\n"
        "in libvirt, and save defines it there (after checking that nobody changed\n"
        "it meanwhile, and printing what changes; the editor asks first).  In mode\n"
        "live (or --live) it is the running guest's XML, and save hot-plugs what was\n"
        "added.  --connect URI without a domain lists the domains (as text when\n"
        "standard output is not a terminal); quitting the editor returns to it.\n"
        "\n"
        "Options (after FILE too, but not after a COMMAND: they would be its own;\n"
        "'--' ends them):\n"
        "  -c, --command=COMMANDS  run COMMANDS (separated by ';' or newlines) on\n"
        "                          FILE, print their output and exit; may be repeated\n"
        "  -C, --connect=URI       open the domain named by the operand (instead of\n"
        "                          FILE) from libvirt at URI (qemu:///system,\n"
        "                          qemu+ssh://host/system, ...); with report, every\n"
        "                          domain there, and it may be repeated (one host\n"
        "                          each, read in parallel; one that cannot be\n"
        "                          reached is a row that says so)\n"
        "      --domain=NAME       open domain NAME from libvirt: at --connect's URI,\n"
        "                          else at libvirt's default (LIBVIRT_DEFAULT_URI,\n"
        "                          as virsh reads it)\n"
        "  -k, --keymap=NAME|PATH  the editor's keys: default, vi, emacs, or a file;\n"
        "                          ~/.config/pcitopo/keys (XDG_CONFIG_HOME) adds to it\n"
        "      --theme=NAME|PATH   the editor's colours: default, mono, light, or a\n"
        "                          file; without it ~/.config/pcitopo/theme if there\n"
        "                          is one.  NO_COLOR (set, not empty) turns colours off\n"
        "      --no-mouse          leave the mouse to the terminal, to select text\n"
        "                          (in the editor, 'mouse' turns it on and off)\n"
        "      --list-keys [NAME]  print the bindings the editor would use and exit\n"
        "      --json              commands that can (spare, check, tree, explain,\n"
        "                          report) print JSON, one document a line\n"
        "                          (doc/json.md); with a COMMAND or -c only\n"
        "  -h, --help              show this help and exit\n"
        "  -V, --version           show the version and exit\n"
        "\n");
    for (size_t i = 0; command_at(i); i++) {
        if (i == 0)
            fprintf(f, "Commands (pcitopo help COMMAND for details):\n");
        fprintf(f, "  %-22s %s\n", command_at(i)->usage, command_at(i)->summary);
    }
    fprintf(f,
        "\n"
        "A command's options may come before or after its operands ('--' ends\n"
        "them); in 'pcitopo COMMAND', FILE is the first operand that is not an\n"
        "option's value ('pcitopo place -f -o OUT IN' reads IN).\n"
        "Exit status: 0 success, 1 a command failed, 2 usage or load error.\n"
        "Examples:\n"
        "  pcitopo tree guest.xml\n"
        "  pcitopo place new-guest.xml -o placed.xml\n"
        "  pcitopo check guest.xml\n"
        "  pcitopo --json spare guest.xml\n"
        "  pcitopo report /etc/libvirt/qemu/*.xml\n"
        "  pcitopo --connect qemu+ssh://a/system --connect qemu+ssh://b/system report\n"
        "  pcitopo explain guest.xml net0\n"
        "  virsh dumpxml guest | pcitopo tree -\n"
        "  virsh dumpxml guest | pcitopo -         (the editor on it)\n"
        "  pcitopo -c 'save out.xml' guest.xml\n"
        "  pcitopo --connect qemu:///system -c 'add virtio-net; save' guest\n");
}

/* Where the document comes from: a file (or the example), or a domain
 * in libvirt. */
struct source {
    bool libvirt;          /* --connect or --domain */
    const char *uri;       /* --connect's; NULL: libvirt's default */
    const char *domain;    /* --domain's; NULL: the operand names it */
    bool live;             /* --live: the running guest's XML, mode live */
};

/* The session of file (or the domain src names).  NULL with the reason
 * said on stderr, or, with why, put in *why (caller frees) instead. */
static struct session *open_session(const struct source *src, const char *file, char **why)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s;
    if (src->libvirt) {
        s = session_open_virt(src->uri, src->domain ? src->domain : file, &e);
        struct strbuf note = STRBUF_INIT;
        if (s && src->live && !origin_set_live(s, true, &note, &e)) {
            session_free(s);
            s = NULL;
        } else if (s && src->live && !why) {
            fprintf(stderr, "pcitopo: %s\n", note.buf);
        }
        sb_free(&note);
    } else if (!file) {
        s = session_open_example(&e);
    } else if (strcmp(file, "-") == 0) {
        s = session_open_stdin(&e);
    } else {
        s = session_open_file(file, &e);
    }
    if (!s && why) {
        *why = xstrdup(e.msg);
        return NULL;
    }
    if (!s) {
        fprintf(stderr, "pcitopo: %s\n", e.msg);
        return NULL;
    }
    const char *cs = nl_langinfo(CODESET);
    s->utf8 = cs && strcmp(cs, "UTF-8") == 0;
    char *leftover = domain_interrupted_save(s->dom);
    if (leftover)
        fprintf(stderr, "pcitopo: %s\n", leftover);
    free(leftover);
    return s;
}

/* pcitopo COMMAND [FILE] [ARGS...]: the first operand after the command
 * names the file (commands that need no domain take everything as
 * arguments).  An option's value is not an operand: in
 * `place -f -o OUT IN` the file is IN, and `-o -` is standard output. */
static int run_subcommand(const struct source *src, const struct command *c, int argc,
                          char **argv, bool json)
{
    if (json && !command_has_json(c)) {
        /* the commands that have JSON, from the table: "check, ... and tree" */
        struct strbuf have = STRBUF_INIT;
        size_t n = 0, total = 0;
        for (size_t i = 0; command_at(i); i++)
            total += command_has_json(command_at(i));
        for (size_t i = 0; command_at(i); i++)
            if (command_has_json(command_at(i)))
                sb_printf(&have, "%s%s", n++ == 0 ? "" : n == total ? " and " : ", ", command_at(i)->name);
        fprintf(stderr, "pcitopo: --json: %s prints no JSON (%s do)\n", c->name, have.buf ? have.buf : "");
        sb_free(&have);
        return EXIT_USAGE;
    }
    struct strbuf script = STRBUF_INIT;
    const char *file = NULL;
    /* --domain names the document: every operand is the command's */
    bool operands_only = false, need_file = !(c->flags & CMD_NO_SESSION) && !src->domain;
    sb_puts(&script, c->name);
    if (json)
        sb_puts(&script, " --json");
    for (int i = 1; i < argc; i++) {
        bool option = !operands_only && argv[i][0] == '-' && argv[i][1];
        if (!file && !option && need_file) {
            file = argv[i];
            continue;
        }
        operands_only = operands_only || strcmp(argv[i], "--") == 0;
        /* each argument quoted, so the command parser sees it unchanged */
        sb_putc(&script, ' ');
        cmd_quote_word(&script, argv[i]);
        if (option && command_option_has_value(c, argv[i]) && i + 1 < argc) {
            sb_putc(&script, ' ');
            cmd_quote_word(&script, argv[++i]);
        }
    }
    if (argc == (file ? 2 : 1) && c->batch_default) {
        sb_putc(&script, ' ');
        sb_puts(&script, c->batch_default);
    }
    struct session *s = NULL;
    if (!(c->flags & CMD_NO_SESSION) && src->libvirt && !src->domain && !file) {
        fprintf(stderr, "pcitopo: %s: which domain? (pcitopo --connect URI %s DOMAIN)\n", c->name, c->name);
        sb_free(&script);
        return EXIT_USAGE;
    }
    if (!(c->flags & CMD_NO_SESSION)) {
        s = open_session(src, file, NULL);
        if (!s) {
            sb_free(&script);
            return EXIT_USAGE;
        }
    }
    int rc = cmd_run_script(s, script.buf, stdout, stderr);
    session_free(s);
    sb_free(&script);
    return rc;
}

/* --list-keys: the editor's bindings, each with the file and line it
 * comes from, and the problems of the keymap files on stderr. */
static int list_bindings(const char *name)
{
    struct strbuf problems = STRBUF_INIT, out = STRBUF_INIT;
    struct err e ERR_SCOPE = ERR_INIT;
    char *user = keymap_user_path();
    struct keymap *km = keymap_new_effective(name, user, &problems, &e);
    free(user);
    if (!km) {
        fprintf(stderr, "pcitopo: --list-keys: %s\n", e.msg);
        return EXIT_USAGE;
    }
    keymap_list(km, &out);
    fputs(out.buf ? out.buf : "", stdout);
    if (problems.len)
        fprintf(stderr, "%s", problems.buf);
    keymap_free(km);
    sb_free(&out);
    int rc = problems.len ? EXIT_COMMAND : EXIT_OK;
    sb_free(&problems);
    return rc;
}

/* What the options asked for. */
struct options {
    struct strbuf script;       /* -c's commands, a line each */
    struct source src;
    char *uris[16];             /* every --connect, for report */
    size_t nuris;
    bool batch, list_keys, no_mouse, json;
    const char *keymap_name, *theme_name;
    bool dashdash;              /* '--' was read: the rest are operands */
};

enum { OPT_LIST_KEYS = 'L', OPT_THEME = 256, OPT_NO_MOUSE, OPT_DOMAIN, OPT_JSON, OPT_LIVE };

/* One option getopt returned.  False when pcitopo is to exit at once
 * with *rc (--help, --version, a bad option). */
static bool take_option(int opt, struct options *o, int *rc)
{
    switch (opt) {
    case 'k':
        o->keymap_name = optarg;
        return true;
    case OPT_LIST_KEYS:
        o->list_keys = true;
        if (optarg)
            o->keymap_name = optarg;
        return true;
    case OPT_THEME:
        o->theme_name = optarg;
        return true;
    case OPT_NO_MOUSE:
        o->no_mouse = true;
        return true;
    case 'C':
        if (o->nuris == ARRAY_LEN(o->uris)) {
            fprintf(stderr, "pcitopo: --connect: at most %zu connections\n", ARRAY_LEN(o->uris));
            *rc = EXIT_USAGE;
            return false;
        }
        o->uris[o->nuris++] = optarg;
        o->src.libvirt = true;
        o->src.uri = optarg;
        return true;
    case OPT_DOMAIN:
        o->src.libvirt = true;
        o->src.domain = optarg;
        return true;
    case OPT_JSON:
        o->json = true;
        return true;
    case OPT_LIVE:
        o->src.live = true;
        return true;
    case 'c':
        sb_puts(&o->script, optarg);
        sb_putc(&o->script, '\n');
        o->batch = true;
        return true;
    case 'h':
        usage(stdout);
        *rc = EXIT_OK;
        return false;
    case 'V':
        printf("pcitopo %s\n", PACKAGE_VERSION);
        *rc = EXIT_OK;
        return false;
    default:
        fprintf(stderr, "Try 'pcitopo --help' for more information.\n");
        *rc = EXIT_USAGE;
        return false;
    }
}

/* Reads options from argv[optind] up to the next operand: its index
 * (argc at the end), or -1 when pcitopo is to exit with *rc.  '+' stops
 * getopt at an operand, so that main can see whether it names a
 * subcommand, whose options are its own (tree --ascii); otherwise main
 * calls again past it, and options may follow FILE as in GNU tools. */
static int next_operand(int argc, char **argv, struct options *o, int *rc)
{
    static const struct option longopts[] = {
        { "command", required_argument, NULL, 'c' },
        { "connect", required_argument, NULL, 'C' },
        { "domain", required_argument, NULL, OPT_DOMAIN },
        { "live", no_argument, NULL, OPT_LIVE },
        { "keymap", required_argument, NULL, 'k' },
        { "theme", required_argument, NULL, OPT_THEME },
        { "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
        { "json", no_argument, NULL, OPT_JSON },
        { "list-keys", optional_argument, NULL, OPT_LIST_KEYS },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    if (o->dashdash)
        return optind;
    for (;;) {
        int at = optind;
        int opt = getopt_long(argc, argv, "+c:C:k:hV", longopts, NULL);
        if (opt == -1) {
            /* getopt moves past an operand only when it is "--" */
            o->dashdash = optind > at;
            return optind;
        }
        if (!take_option(opt, o, rc))
            return -1;
    }
}

/* The editor's input: standard input when it is the terminal, else the
 * terminal itself, as less and 'vim -' read it when the document comes
 * through a pipe.  False (and a message) without one; *keys NULL means
 * standard input. */
static bool editor_terminal(FILE **keys)
{
    *keys = NULL;
    if (isatty(STDOUT_FILENO) && isatty(STDIN_FILENO))
        return true;
    if (isatty(STDOUT_FILENO))
        *keys = fopen("/dev/tty", "re");
    if (*keys)
        return true;
    fprintf(stderr, "pcitopo: the editor needs a terminal; without one use -c 'COMMANDS' or a subcommand such as 'pcitopo tree FILE'\n");
    return false;
}

/* The editor on file: its keymap and theme (their files' problems shown
 * when it starts), on the terminal.  why as open_session's. */
static int run_editor(const char *file, const struct options *o, char **why)
{
    struct strbuf problems = STRBUF_INIT;
    struct err e ERR_SCOPE = ERR_INIT;
    struct theme theme;
    FILE *keys = NULL;
    struct session *s = NULL;
    int rc = EXIT_USAGE;
    char *user = keymap_user_path();
    struct keymap *km = keymap_new_effective(o->keymap_name, user, &problems, &e);
    free(user);
    if (!km) {
        fprintf(stderr, "pcitopo: --keymap: %s\n", e.msg);
        goto out;
    }
    user = theme_user_path();
    bool have_theme = theme_load_effective(&theme, o->theme_name, user, &problems, &e);
    free(user);
    if (!have_theme) {
        fprintf(stderr, "pcitopo: --theme: %s\n", e.msg);
        goto out;
    }
    if (!editor_terminal(&keys))
        goto out;
    s = open_session(&o->src, file, why);
    if (!s)
        goto out;
    struct editor_options eo = {
        .km = km, .theme = &theme, .problems = problems.len ? problems.buf : NULL,
        .keys = keys, .mouse = !o->no_mouse,
    };
    rc = editor_run(s, &eo);
out:
    session_free(s);
    if (keys)
        fclose(keys);
    keymap_free(km);
    sb_free(&problems);
    return rc;
}

/* pcitopo --connect URI [--connect URI...] report [--json]: every domain
 * of each connection, read host by host in parallel (fleet.h). */
static int run_fleet_report(const struct options *o, int argc, char **argv)
{
    bool json = o->json;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
            continue;
        }
        fprintf(stderr, "pcitopo: report: '%s': with --connect, report covers every domain of the "
                "connection%s (report FILE... without --connect reports on files)\n",
                argv[i], o->nuris > 1 ? "s" : "");
        return EXIT_USAGE;
    }
    if (o->src.domain) {
        fprintf(stderr, "pcitopo: report: --domain names one domain; report covers them all\n");
        return EXIT_USAGE;
    }
    return fleet_report(o->uris, o->nuris, json, stdout, stderr) ? EXIT_COMMAND : EXIT_OK;
}

/* The domain list's Enter: the editor on the domain, as
 * pcitopo --connect URI DOMAIN opens it. */
static int edit_listed(const char *name, void *arg, char **why)
{
    return run_editor(name, arg, why);
}

/* The domains of a connection, a line each, when standard output is no
 * terminal: what the domain list shows, once every row is read. */
static int print_domains(const char *uri)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct virt_conn *c = virt_conn_new(uri, &e);
    struct summary_list l;
    if (!c || !summary_list_new(c, &l, &e)) {
        fprintf(stderr, "pcitopo: %s\n", e.msg);
        virt_conn_free(c);
        return EXIT_USAGE;
    }
    struct strbuf sb = STRBUF_INIT;
    size_t w = summary_name_width(&l);
    summary_heading(&sb, w);
    for (size_t i = 0; i < l.n; i++) {
        summary_read(c, &l.s[i]);
        summary_row(&sb, &l.s[i], w);
    }
    fputs(sb.buf, stdout);
    sb_free(&sb);
    summary_list_free(&l);
    virt_conn_free(c);
    return EXIT_OK;
}

/* --connect URI without a domain: the list on a terminal, else as text. */
static int list_domains(const struct options *o)
{
    if (!isatty(STDOUT_FILENO))
        return print_domains(o->src.uri);
    FILE *keys = NULL;
    if (!editor_terminal(&keys))
        return EXIT_USAGE;
    struct domainlist_options lo = { .keys = keys, .edit = edit_listed, .arg = (void *)o };
    int rc = domainlist_run(o->src.uri, &lo);
    if (keys)
        fclose(keys);
    return rc;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    LIBXML_TEST_VERSION
    /* A file size limit makes write() fail (EFBIG), so a save says what
     * happened and removes its temporary file, instead of the process
     * being killed half-way. */
    signal(SIGXFSZ, SIG_IGN);
    struct options o = { .script = STRBUF_INIT };
    const char *operands[2];
    int nops = 0, rc = EXIT_OK;
    int i = next_operand(argc, argv, &o, &rc);
    if (i < 0)
        goto out;
    if (o.src.live && !o.src.libvirt) {
        fprintf(stderr, "pcitopo: --live is for a running domain from libvirt (--connect URI DOMAIN "
                "or --domain NAME); for a file, 'mode live' plans a hot-plug\n");
        rc = EXIT_USAGE;
        goto out;
    }
    if (o.src.libvirt && !virt_available()) {
        fprintf(stderr, "pcitopo: %s: %s\n", o.src.uri ? "--connect" : "--domain", virt_missing_text());
        rc = EXIT_USAGE;
        goto out;
    }
    if (!o.batch && !o.list_keys && i < argc && command_find(argv[i])) {
        rc = o.nuris && strcmp(argv[i], "report") == 0
            ? run_fleet_report(&o, argc - i, argv + i)
            : run_subcommand(&o.src, command_find(argv[i]), argc - i, argv + i, o.json);
        goto out;
    }
    if (o.nuris > 1) {
        fprintf(stderr, "pcitopo: --connect is given %zu times; several connections are for report "
                "(pcitopo --connect URI --connect URI report)\n", o.nuris);
        rc = EXIT_USAGE;
        goto out;
    }
    /* the rest: operands, with pcitopo's options among them */
    while (i < argc) {
        if (nops < 2)
            operands[nops] = argv[i];
        nops++;
        optind = i + 1;
        i = next_operand(argc, argv, &o, &rc);
        if (i < 0)
            goto out;
    }
    if (o.list_keys) {
        /* --list-keys vi: the name may follow as an operand too */
        if (nops > 1) {
            fprintf(stderr, "pcitopo: --list-keys takes one keymap name at most\n");
            rc = EXIT_USAGE;
            goto out;
        }
        rc = list_bindings(nops == 1 ? operands[0] : o.keymap_name);
        goto out;
    }
    if (nops > 1) {
        fprintf(stderr, "pcitopo: one %s at most (got '%s' and '%s'); try 'pcitopo --help'\n",
                o.src.libvirt ? "DOMAIN" : "FILE", operands[0], operands[1]);
        rc = EXIT_USAGE;
        goto out;
    }
    const char *file = nops == 1 ? operands[0] : NULL;
    if (o.src.domain && file) {
        fprintf(stderr, "pcitopo: --domain %s names the document; '%s' is one too many\n",
                o.src.domain, file);
        rc = EXIT_USAGE;
        goto out;
    }
    if (o.src.libvirt && !o.src.domain && !file && !o.batch) {
        rc = list_domains(&o);
        goto out;
    }
    if (o.src.libvirt && !o.src.domain && !file) {
        fprintf(stderr, "pcitopo: --connect %s: which domain? (pcitopo --connect URI DOMAIN; "
                "pcitopo --connect URI lists them)\n", o.src.uri ? o.src.uri : "");
        rc = EXIT_USAGE;
        goto out;
    }
    if (o.json && !o.batch) {
        fprintf(stderr, "pcitopo: --json is for commands (pcitopo --json spare FILE, or -c); the editor draws no JSON\n");
        rc = EXIT_USAGE;
        goto out;
    }
    if (!o.batch) {
        rc = run_editor(file, &o, NULL);
        goto out;
    }
    struct session *s = open_session(&o.src, file, NULL);
    if (!s) {
        rc = EXIT_USAGE;
        goto out;
    }
    rc = cmd_run_script_flags(s, o.script.buf, stdout, stderr, o.json ? CMD_RUN_JSON : 0);
    session_free(s);
out:
    sb_free(&o.script);
    xmlCleanupParser();
    return rc;
}
