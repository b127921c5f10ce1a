#include "config.h"
#include "keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

static const char *const contexts[] = { "tree" };

static const char *const named_keys[] = {
    "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End", "Enter", "Space",
    "Tab", "Esc", "Backspace", "Del",
};

struct keymap *keymap_new(void)
{
    return xcalloc(1, sizeof(struct keymap));
}

void keymap_free(struct keymap *km)
{
    if (!km)
        return;
    for (size_t i = 0; i < km->n; i++) {
        free(km->b[i].command);
        free(km->b[i].origin);
    }
    free(km->b);
    free(km);
}

bool keymap_key_valid(const char *k)
{
    size_t n = strlen(k);
    if (n == 1)
        return k[0] > ' ' && k[0] < 0x7f;
    if (n == 3 && k[0] == 'C' && k[1] == '-')
        return k[2] >= 'a' && k[2] <= 'z';
    if (k[0] == 'F' && n <= 3) {
        char *end;
        long f = strtol(k + 1, &end, 10);
        return *end == '\0' && f >= 1 && f <= 12;
    }
    for (size_t i = 0; i < ARRAY_LEN(named_keys); i++)
        if (strcmp(named_keys[i], k) == 0)
            return true;
    /* a single UTF-8 character (é) is a key too */
    unsigned char c = (unsigned char)k[0];
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    return len && n == len;
}

static bool context_valid(const char *c)
{
    for (size_t i = 0; i < ARRAY_LEN(contexts); i++)
        if (strcmp(contexts[i], c) == 0)
            return true;
    return false;
}

/* Checks that text is one command of the table with a valid argument
 * count. */
static bool command_valid(const char *text, char *why, size_t size)
{
    struct err e = { 0 };
    struct cmd_script *sc = cmd_script_parse(text, &e);
    bool ok = false;
    if (!sc) {
        snprintf(why, size, "%.200s", e.msg);
    } else if (sc->n != 1) {
        snprintf(why, size, "one command per binding");
    } else {
        const struct command *c = command_find(sc->calls[0].argv[0]);
        if (!c)
            snprintf(why, size, "no command '%s' (pcitopo help lists them)", sc->calls[0].argv[0]);
        else if (!command_takes(c, sc->calls[0].argc - 1))
            snprintf(why, size, "wrong number of arguments for %s (usage: %s)", c->name, c->usage);
        else
            ok = true;
    }
    cmd_script_free(sc);
    return ok;
}

static void bind(struct keymap *km, const char *context, const char *key, const char *command,
                 char *origin)
{
    for (size_t i = 0; i < km->n; i++)
        if (strcmp(km->b[i].context, context) == 0 && strcmp(km->b[i].key, key) == 0) {
            /* a later binding replaces an earlier one, in its place */
            free(km->b[i].command);
            free(km->b[i].origin);
            km->b[i].command = xstrdup(command);
            km->b[i].origin = origin;
            return;
        }
    if (km->n == km->cap) {
        km->cap = km->cap ? km->cap * 2 : 32;
        km->b = xrealloc(km->b, km->cap * sizeof *km->b);
    }
    struct binding *b = &km->b[km->n++];
    snprintf(b->context, sizeof b->context, "%.15s", context);
    snprintf(b->key, sizeof b->key, "%.15s", key);
    b->command = xstrdup(command);
    b->origin = origin;
}

/* The next blank-separated word of *p, copied into buf; false at the end. */
static bool next_word(const char **p, char *buf, size_t size)
{
    const char *s = *p + strspn(*p, " \t");
    size_t n = strcspn(s, " \t");
    if (!n)
        return false;
    snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
    *p = s + n;
    return n < size;
}

static bool parse_line(struct keymap *km, const char *line, const char *name, int lineno,
                       struct strbuf *problems)
{
    const char *p = line;
    char word[64], context[64], key[64];
    if (!next_word(&p, word, sizeof word) || word[0] == '#')
        return true;
    const char *why = NULL;
    char cwhy[300];
    if (strcmp(word, "bind") != 0)
        why = "expected 'bind CONTEXT KEY COMMAND [ARGS]'";
    else if (!next_word(&p, context, sizeof context) || !next_word(&p, key, sizeof key))
        why = "'bind' needs a context, a key and a command";
    else if (!context_valid(context))
        why = "unknown context (known: tree)";
    else if (!keymap_key_valid(key))
        why = "unknown key name (one character, C-a..C-z, F1..F12, Up, Down, Left, Right, PgUp, PgDn, Home, End, Enter, Space, Tab, Esc, Backspace, Del)";
    else {
        p += strspn(p, " \t");
        if (!*p)
            why = "no command";
        else if (!command_valid(p, cwhy, sizeof cwhy))
            why = cwhy;
    }
    if (why) {
        sb_printf(problems, "%s:%d: %s\n", name, lineno, why);
        return false;
    }
    bind(km, context, key, p, xasprintf("%s:%d", name, lineno));
    return true;
}

int keymap_load_text(struct keymap *km, const char *text, const char *name,
                     struct strbuf *problems)
{
    int bad = 0, lineno = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = xmalloc(n + 1);
        memcpy(line, p, n);
        line[n] = '\0';
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        /* trailing blanks are not part of the command */
        for (size_t k = strlen(line); k && (line[k - 1] == ' ' || line[k - 1] == '\t');)
            line[--k] = '\0';
        bad += !parse_line(km, line, name, ++lineno, problems);
        free(line);
        p += n;
        if (*p)
            p++;
    }
    return bad;
}

const char *keymap_lookup(const struct keymap *km, const char *context, const char *key)
{
    for (size_t i = 0; i < km->n; i++)
        if (strcmp(km->b[i].context, context) == 0 && strcmp(km->b[i].key, key) == 0)
            return km->b[i].command;
    return NULL;
}

const char *keymap_keys_for(const struct keymap *km, const char *context, const char *command,
                            char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < km->n; i++)
        if (strcmp(km->b[i].context, context) == 0 && strcmp(km->b[i].command, command) == 0) {
            int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", km->b[i].key);
            if (n < 0 || (size_t)n >= size - len)
                break;
            len += (size_t)n;
        }
    return buf;
}
