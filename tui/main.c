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
#include "keymap.h"

enum exit_status { EXIT_OK = 0, EXIT_COMMAND = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
    fprintf(f,
        "usage: pcitopo [FILE]                      edit a domain's PCI topology\n"
        "       pcitopo -c 'COMMAND; ...' [FILE]    run commands without a terminal\n"
        "       pcitopo COMMAND [FILE] [ARGS...]    run one command (same as -c)\n"
        "\n"
        "FILE is a libvirt domain XML file ('virsh dumpxml' output, or the files\n"
        "in /etc/libvirt/qemu); '-' reads standard input.  Without FILE, pcitopo\n"
        "opens its built-in example, a typical q35 guest.  While the editor has\n"
        "unsaved changes it keeps them in ~/.local/state/pcitopo/recover\n"
        "(XDG_STATE_HOME), and after a crash 'pcitopo FILE' offers them back,\n"
        "saying so if FILE changed since; when it cannot keep them (no HOME, or\n"
        "the directory cannot be made) the editor says so when it starts.\n"
        "\n"
        "Options:\n"
        "  -c, --command=COMMANDS  run COMMANDS (separated by ';' or newlines) on\n"
        "                          FILE, print their output and exit; may be repeated\n"
        "  -k, --keymap=NAME|PATH  the editor's keys: default, vi, emacs, or a file;\n"
        "                          ~/.config/pcitopo/keys (XDG_CONFIG_HOME) adds to it\n"
        "      --list-keys [NAME]  print the bindings the editor would use and exit\n"
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
        "  pcitopo explain guest.xml net0\n"
        "  virsh dumpxml guest | pcitopo tree -\n"
        "  pcitopo -c 'save out.xml' guest.xml\n");
}

static struct session *open_session(const char *file)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s;
    if (!file) {
        s = session_open_example(&e);
    } else if (strcmp(file, "-") == 0) {
        s = session_open_stdin(&e);
    } else {
        s = session_open_file(file, &e);
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
static int run_subcommand(const struct command *c, int argc, char **argv)
{
    struct strbuf script = STRBUF_INIT;
    const char *file = NULL;
    bool operands_only = false;
    sb_puts(&script, c->name);
    for (int i = 1; i < argc; i++) {
        bool option = !operands_only && argv[i][0] == '-' && argv[i][1];
        if (!file && !option && !(c->flags & CMD_NO_SESSION)) {
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
    if (!(c->flags & CMD_NO_SESSION)) {
        s = open_session(file);
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

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    LIBXML_TEST_VERSION
    /* A file size limit makes write() fail (EFBIG), so a save says what
     * happened and removes its temporary file, instead of the process
     * being killed half-way. */
    signal(SIGXFSZ, SIG_IGN);
    static const struct option longopts[] = {
        { "command", required_argument, NULL, 'c' },
        { "keymap", required_argument, NULL, 'k' },
        { "list-keys", optional_argument, NULL, 'L' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    struct strbuf script = STRBUF_INIT, problems = STRBUF_INIT;
    struct keymap *km = NULL;   /* the editor's keys */
    bool batch = false;
    int opt, rc = EXIT_OK;
    /* '+': options end at the first operand, so a subcommand's own options
     * (tree --ascii) reach the subcommand. */
    const char *keymap_name = NULL;
    bool list_keys = false;
    while ((opt = getopt_long(argc, argv, "+c:k:hV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'k':
            keymap_name = optarg;
            break;
        case 'L':
            list_keys = true;
            if (optarg)
                keymap_name = optarg;
            break;
        case 'c':
            sb_puts(&script, optarg);
            sb_putc(&script, '\n');
            batch = true;
            break;
        case 'h':
            usage(stdout);
            goto out;
        case 'V':
            printf("pcitopo %s\n", PACKAGE_VERSION);
            goto out;
        default:
            fprintf(stderr, "Try 'pcitopo --help' for more information.\n");
            rc = EXIT_USAGE;
            goto out;
        }
    }
    if (list_keys) {
        /* --list-keys vi: the name may follow as an operand too */
        if (argc - optind > 1) {
            fprintf(stderr, "pcitopo: --list-keys takes one keymap name at most\n");
            rc = EXIT_USAGE;
            goto out;
        }
        rc = list_bindings(argc - optind == 1 ? argv[optind] : keymap_name);
        goto out;
    }
    int nargs = argc - optind;
    if (!batch && nargs >= 1 && command_find(argv[optind])) {
        rc = run_subcommand(command_find(argv[optind]), nargs, argv + optind);
        goto out;
    }
    if (nargs > 1) {
        fprintf(stderr, "pcitopo: one FILE at most (got '%s' and '%s'); try 'pcitopo --help'\n",
                argv[optind], argv[optind + 1]);
        rc = EXIT_USAGE;
        goto out;
    }
    const char *file = nargs == 1 ? argv[optind] : NULL;
    if (!batch) {
        struct err e ERR_SCOPE = ERR_INIT;
        char *user = keymap_user_path();
        km = keymap_new_effective(keymap_name, user, &problems, &e);
        free(user);
        if (!km) {
            fprintf(stderr, "pcitopo: --keymap: %s\n", e.msg);
            rc = EXIT_USAGE;
            goto out;
        }
    }
    if (!batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        fprintf(stderr, "pcitopo: the editor needs a terminal; without one use -c 'COMMANDS' or a subcommand such as 'pcitopo tree FILE'\n");
        rc = EXIT_USAGE;
        goto out;
    }
    struct session *s = open_session(file);
    if (!s) {
        rc = EXIT_USAGE;
        goto out;
    }
    rc = batch ? cmd_run_script(s, script.buf, stdout, stderr)
               : editor_run(s, km, problems.len ? problems.buf : NULL);
    session_free(s);
out:
    keymap_free(km);
    sb_free(&problems);
    sb_free(&script);
    xmlCleanupParser();
    return rc;
}
