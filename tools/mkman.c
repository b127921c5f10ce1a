/* mkman: writes pcitopo(1) from doc/pcitopo.1.in, filling in what the
 * program itself knows — the command table and the default keymap — so
 * the page cannot describe commands or keys the program does not have.
 *
 *   tools/mkman doc/pcitopo.1.in > doc/pcitopo.1
 *
 * Placeholders, each alone on its line: @COMMANDS@, @KEYS CONTEXT@; and
 * anywhere: @VERSION@. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "keymap.h"
#include "util.h"

/* Text as roff reads it: backslashes and hyphens escaped, no line
 * starting with a control character. */
static void put_roff(struct strbuf *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        sb_puts(out, "\\&");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\') {
            sb_puts(out, "\\e");
        } else if (*p == '-') {
            sb_puts(out, "\\-");
        } else if (*p >= 0xc0) {
            /* roff input is ASCII: a UTF-8 character becomes \[uXXXX] */
            int len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
            unsigned long cp = *p & (0x7f >> len);
            for (int k = 1; k < len && (p[1] & 0xc0) == 0x80; k++)
                cp = (cp << 6) | (*++p & 0x3f);
            sb_printf(out, "\\[u%04lX]", cp);
        } else {
            sb_putc(out, (char)*p);
        }
    }
}

/* A help text: paragraphs split at newlines. */
static void put_paragraphs(struct strbuf *out, const char *help)
{
    const char *p = help;
    while (*p) {
        size_t n = strcspn(p, "\n");
        char *para = xmalloc(n + 1);
        memcpy(para, p, n);
        para[n] = '\0';
        put_roff(out, para);
        sb_putc(out, '\n');
        free(para);
        p += n;
        if (*p) {
            p++;
            sb_puts(out, ".IP\n");
        }
    }
}

static void put_commands(struct strbuf *out)
{
    for (size_t i = 0; command_at(i); i++) {
        const struct command *c = command_at(i);
        sb_puts(out, ".TP\n.B ");
        put_roff(out, c->usage);
        sb_putc(out, '\n');
        put_roff(out, c->summary);
        sb_puts(out, ".\n.IP\n");
        put_paragraphs(out, c->help);
        if (c->flags & CMD_EDITOR)
            sb_puts(out, ".IP\nOnly in the editor.\n");
    }
    /* vi's names, in one entry, as help lists them */
    sb_puts(out, ".TP\n.B ");
    for (size_t i = 0; command_alias_at(i); i++) {
        if (i)
            sb_puts(out, ", ");
        put_roff(out, command_alias_at(i)->name);
    }
    sb_puts(out, "\nvi's names for the commands above, as its\n.B :\nprompt takes them:\n");
    for (size_t i = 0; command_alias_at(i); i++) {
        const struct command *a = command_alias_at(i);
        const char *what = strncmp(a->summary, "vi: ", 4) == 0 ? a->summary + 4 : a->summary;
        sb_puts(out, ".B ");
        put_roff(out, a->name);
        sb_puts(out, "\\&\nis ");   /* q! does not end a sentence */
        put_roff(out, what);
        sb_puts(out, command_alias_at(i + 1) ? ";\n" : ".\n");
    }
}

static void put_keys(struct strbuf *out, const struct keymap *km, const char *context)
{
    size_t n;
    struct key_row *rows = keymap_rows_new(km, context, &n);
    sb_puts(out, ".PD 0\n");
    for (size_t i = 0; i < n; i++) {
        sb_puts(out, ".TP 18\n.B ");
        put_roff(out, rows[i].keys);
        sb_putc(out, '\n');
        put_roff(out, rows[i].command);
        sb_puts(out, ": ");
        put_roff(out, rows[i].summary);
        sb_puts(out, ".\n");
    }
    sb_puts(out, ".PD\n");
    keymap_rows_free(rows, n);
}

/* Copies line, replacing @VERSION@. */
static void put_line(struct strbuf *out, const char *line)
{
    const char *at = strstr(line, "@VERSION@");
    if (!at) {
        sb_puts(out, line);
        return;
    }
    sb_add(out, line, (size_t)(at - line));
    sb_puts(out, PACKAGE_VERSION);
    sb_puts(out, at + strlen("@VERSION@"));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkman TEMPLATE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT, out = STRBUF_INIT;
    keymap_load_text(km, default_keys, "default.keys", &problems);
    if (problems.len) {
        fprintf(stderr, "mkman: %s", problems.buf);
        return 1;
    }
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char context[32];
        if (strcmp(line, "@COMMANDS@\n") == 0)
            put_commands(&out);
        else if (sscanf(line, "@KEYS %31[a-z]@", context) == 1)
            put_keys(&out, km, context);
        else
            put_line(&out, line);
    }
    fclose(f);
    fputs(out.buf ? out.buf : "", stdout);
    sb_free(&out);
    sb_free(&problems);
    keymap_free(km);
    return ferror(stdout) ? 1 : 0;
}
