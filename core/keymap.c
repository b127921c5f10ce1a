#include "config.h"
#include "keymap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"

static const char *const contexts[] = { "tree", "dialog", "prompt" };

static const char *const named_keys[] = {
    "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End", "Enter", "Space",
    "Tab", "S-Tab", "Esc", "Backspace", "Del",
};

/* The keymaps that ship inside the binary (keymaps/NAME.keys). */
static const struct shipped_file shipped[] = {
    { "default", default_keys },
    { "vi", vi_keys },
    { "emacs", emacs_keys },
};

const char *keymap_shipped(size_t i)
{
    return i < ARRAY_LEN(shipped) ? shipped[i].name : NULL;
}

static const char *shipped_text(const char *name)
{
    return shipped_file_text(shipped, ARRAY_LEN(shipped), name);
}

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
    /* Meta (Alt): Esc then the key, as terminals send it */
    if (n == 3 && k[0] == 'M' && k[1] == '-')
        return k[2] > ' ' && k[2] < 0x7f;
    /* C-_ is what terminals send for Ctrl-/ and Ctrl-_ (emacs's undo) */
    if (n == 3 && k[0] == 'C' && k[1] == '-')
        return (k[2] >= 'a' && k[2] <= 'z') || k[2] == '_';
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
 * count.  One as written: vi's wq is one command, though it runs two. */
static bool command_valid(const char *text, struct err *why)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_script *sc = cmd_script_parse(text, &e);
    bool ok = false;
    if (!sc) {
        err_set(why, "%s", e.msg);
    } else if (sc->n == 0 || sc->calls[sc->n - 1].offset != sc->calls[0].offset) {
        err_set(why, "one command per binding");
    } else {
        ok = true;
        for (size_t i = 0; i < sc->n && ok; i++) {
            const struct command *c = command_find(sc->calls[i].argv[0]);
            ok = false;
            if (!c)
                err_set(why, "no command '%s' (pcitopo help lists them)", sc->calls[i].argv[0]);
            else if (!command_takes(c, sc->calls[i].argc, sc->calls[i].argv))
                err_set(why, "wrong number of arguments for %s (usage: %s)", c->name, c->usage);
            else
                ok = true;
        }
    }
    cmd_script_free(sc);
    return ok;
}

/* The file part of an origin ("vi.keys:12" → "vi.keys"), its length. */
static size_t origin_file_len(const char *origin)
{
    const char *colon = strrchr(origin, ':');
    return colon ? (size_t)(colon - origin) : strlen(origin);
}

/* Whether a is a shorter sequence that b begins with ("g" of "g g",
 * "C-x" of "C-x C-s"). */
static bool begins(const char *a, const char *b)
{
    size_t n = strlen(a);
    return strncmp(a, b, n) == 0 && b[n] == ' ';
}

/* A key as a keymap file writes it: a sequence in quotes. */
static void put_key(struct strbuf *sb, const char *key)
{
    sb_printf(sb, strchr(key, ' ') ? "\"%s\"" : "%s", key);
}

/* Takes out the bindings of context that key cannot live beside: the
 * shorter ones it begins with, or the longer ones that begin with it.  In
 * one file that is a conflict, reported as a key bound twice is. */
static void unbind_prefixes(struct keymap *km, const char *context, const char *key,
                            const char *origin, struct strbuf *problems)
{
    size_t out = 0;
    for (size_t i = 0; i < km->n; i++) {
        struct binding *b = &km->b[i];
        bool shorter = begins(b->key, key), longer = begins(key, b->key);
        if (strcmp(b->context, context) != 0 || (!shorter && !longer)) {
            km->b[out++] = *b;
            continue;
        }
        size_t len = origin_file_len(origin);
        if (origin_file_len(b->origin) == len && strncmp(b->origin, origin, len) == 0) {
            sb_printf(problems, "%s: %s ", origin, context);
            put_key(problems, key);
            if (shorter) {
                sb_printf(problems, " begins with %s, bound alone at %s to '%s'", b->key, b->origin,
                          b->command);
            } else {
                sb_puts(problems, " is bound alone here, but begins ");
                put_key(problems, b->key);
                sb_printf(problems, ", bound at %s to '%s'", b->origin, b->command);
            }
            sb_puts(problems, ": a key cannot both act alone and begin a sequence (this line wins)\n");
        }
        free(b->command);
        free(b->origin);
    }
    km->n = out;
}

/* Binds key; a key bound twice in one file is a conflict (reported, the
 * later line wins), across files the later file simply replaces it.  So
 * is a key bound alone and as the start of a sequence (unbind_prefixes).
 * False (origin freed) when a new key would make more bindings than
 * KEYMAP_BINDINGS_MAX: each binding searches them all. */
static bool bind(struct keymap *km, const char *context, const char *key, const char *command,
                 char *origin, struct strbuf *problems)
{
    unbind_prefixes(km, context, key, origin, problems);
    for (size_t i = 0; i < km->n; i++)
        if (strcmp(km->b[i].context, context) == 0 && strcmp(km->b[i].key, key) == 0) {
            size_t len = origin_file_len(origin);
            if (origin_file_len(km->b[i].origin) == len && strncmp(km->b[i].origin, origin, len) == 0
                && strcmp(km->b[i].command, command) != 0) {
                sb_printf(problems, "%s: %s ", origin, context);
                put_key(problems, key);
                sb_printf(problems, " is bound twice: here to '%s', at %s to '%s' (this line wins)\n",
                          command, km->b[i].origin, km->b[i].command);
            }
            /* a later binding replaces an earlier one, in its place */
            free(km->b[i].command);
            free(km->b[i].origin);
            km->b[i].command = xstrdup(command);
            km->b[i].origin = origin;
            return true;
        }
    if (km->n >= KEYMAP_BINDINGS_MAX) {
        free(origin);
        return false;
    }
    if (km->n == km->cap) {
        km->cap = km->cap ? km->cap * 2 : 32;
        km->b = xrealloc(km->b, km->cap * sizeof *km->b);
    }
    struct binding *b = &km->b[km->n++];
    snprintf(b->context, sizeof b->context, "%.15s", context);
    snprintf(b->key, sizeof b->key, "%.31s", key);
    b->command = xstrdup(command);
    b->origin = origin;
    return true;
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

/* The work of one keymap load, whatever its includes.  Depth alone does
 * not bound it: a file that includes itself ten times a line under the
 * depth limit would be read 10^8 times. */
struct load {
    size_t files;   /* includes read (files and shipped keymaps) */
    size_t bytes;   /* bytes of them all */
    bool over;      /* an include went past a bound: the rest are skipped */
    bool deep;      /* an include went too deep: reported once, not per loop */
    bool full;      /* a binding went over KEYMAP_BINDINGS_MAX: reported once */
};

static int load_text(struct keymap *km, const char *text, const char *name, const char *dir,
                     int depth, struct load *ld, struct strbuf *problems);
static bool load_file(struct keymap *km, const char *path, int depth, struct load *ld,
                      struct strbuf *problems, struct err *e);

/* Counts an include of len bytes against the bounds of the load; false
 * (the include not to be read) with why set past them. */
static bool within_bounds(struct load *ld, const char *what, size_t len, struct err *why)
{
    if (ld->over) {
        err_set(why, "'%s' skipped", what);
        return false;
    }
    ld->files++;
    ld->bytes += len;
    if (ld->files <= KEYMAP_INCLUDES_MAX && ld->bytes <= KEYMAP_LOAD_BYTES_MAX)
        return true;
    ld->over = true;
    err_set(why, "include: '%s' goes over what one keymap may read through includes (%d "
            "files, %d MiB in all; does it include itself?): it and the includes after it are "
            "skipped", what, KEYMAP_INCLUDES_MAX, KEYMAP_LOAD_BYTES_MAX >> 20);
    return false;
}

/* include NAME|PATH: a shipped keymap, or a file (relative to the
 * including file's directory).  False with why set. */
static bool include(struct keymap *km, const char *what, const char *dir, int depth,
                    struct load *ld, struct strbuf *problems, struct err *why)
{
    if (depth >= 8) {
        err_set(why, "includes nest deeper than 8 (does '%s' include itself?)%s", what,
                ld->deep ? "" : "; further includes that nest too deep are skipped silently");
        return false;
    }
    const char *text = shipped_text(what);
    if (text) {
        if (!within_bounds(ld, what, strlen(text), why))
            return false;
        char file[64];
        snprintf(file, sizeof file, "%s.keys", what);
        load_text(km, text, file, NULL, depth + 1, ld, problems);
        return true;
    }
    char *path = what[0] == '/' || !dir ? xstrdup(what) : xasprintf("%s/%s", dir, what);
    struct err e ERR_SCOPE = ERR_INIT;
    bool ok = load_file(km, path, depth + 1, ld, problems, &e);
    if (!ok)
        err_set(why, "%s%s%s", ld->over ? "" : "include: ", e.msg,
                ld->over ? "" : " (shipped keymaps: default, vi, emacs)");
    free(path);
    return ok;
}

#define KEY_NAMES "one character, C-a..C-z, C-_, M-x, F1..F12, Up, Down, Left, Right, PgUp, " \
    "PgDn, Home, End, Enter, Space, Tab, S-Tab, Esc, Backspace, Del"

/* The KEY of a bind line at *p, into key (size bytes): a key name, or a
 * sequence in quotes ("g g", "C-x  C-s"), its keys then joined by one
 * blank.  The closing quote is the first one a blank or the end of the
 * line follows.  NULL, or why the field is wrong. */
static const char *read_key_field(const char **p, const char *context, char *key, size_t size)
{
    const char *s = *p + strspn(*p, " \t");
    size_t n = strcspn(s, " \t");
    if (s[0] != '"' || n == 1) {
        /* one key: '"' alone is the key that types it */
        if (!n)
            return "'bind' needs a context, a key and a command";
        return next_word(p, key, size) && keymap_key_valid(key) ? NULL
            : "unknown key name (" KEY_NAMES "; a sequence of keys goes in quotes: \"g g\", \"C-x C-s\")";
    }
    const char *end = s + 1;
    while (*end && !(*end == '"' && (end[1] == '\0' || end[1] == ' ' || end[1] == '\t')))
        end++;
    if (!*end)
        return "a key sequence needs its closing quote (bind tree \"g g\" move top)";
    *p = end + 1;
    struct strbuf joined = STRBUF_INIT;
    sb_puts(&joined, "");
    const char *why = NULL;
    int keys = 0;
    for (const char *k = s + 1; !why;) {
        k += strspn(k, " \t");
        size_t len = strcspn(k, " \t");
        if (k + len > end)
            len = (size_t)(end - k);
        if (!len)
            break;
        char one[16];
        snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), k);
        if (len >= sizeof one || !keymap_key_valid(one))
            why = "unknown key name in the sequence (" KEY_NAMES ")";
        else if (strcmp(one, "\"") == 0)
            why = "the key \" cannot be part of a sequence";
        else if (++keys > KEYMAP_SEQUENCE_MAX)
            why = "a key sequence has at most 3 keys";
        else
            sb_printf(&joined, "%s%s", joined.len ? " " : "", one);
        k += len;
    }
    if (!why && !keys)
        why = "an empty key sequence (\"\")";
    else if (!why && keys > 1 && strcmp(context, "prompt") == 0)
        why = "key sequences work in the tree and the dialog, not at the prompt (its line editor has the keys)";
    if (!why)
        snprintf(key, size, "%s", joined.buf);
    sb_free(&joined);
    return why;
}

static bool parse_line(struct keymap *km, const char *line, const char *name, const char *dir,
                       int depth, struct load *ld, int lineno, struct strbuf *problems)
{
    const char *p = line;
    char word[64], context[64], key[64];
    if (!next_word(&p, word, sizeof word) || word[0] == '#')
        return true;
    const char *why = NULL;
    struct err cwhy ERR_SCOPE = ERR_INIT;
    if (strcmp(word, "include") == 0) {
        bool was_over = ld->over, was_deep = ld->deep;
        p += strspn(p, " \t");
        if (!*p)
            why = "include needs a keymap name or a file";
        else if (!include(km, p, dir, depth, ld, problems, &cwhy))
            why = cwhy.msg;
        /* the first include that went over the bounds, or too deep, said
         * so for all that follow it: a loop would repeat it thousands of
         * times */
        if (why && (was_over || (was_deep && depth >= 8)))
            return false;
        if (why && depth >= 8)
            ld->deep = true;
    } else if (strcmp(word, "bind") != 0)
        why = "expected 'bind CONTEXT KEY COMMAND [ARGS]' or 'include NAME'";
    else if (!next_word(&p, context, sizeof context))
        why = "'bind' needs a context, a key and a command";
    else if (!context_valid(context))
        why = "unknown context (known: tree, dialog, prompt)";
    else if ((why = read_key_field(&p, context, key, sizeof key)) != NULL)
        ;
    else {
        p += strspn(p, " \t");
        if (!*p)
            why = "no command";
        else if (!command_valid(p, &cwhy))
            why = cwhy.msg;
    }
    if (why) {
        sb_printf(problems, "%s:%d: %s\n", name, lineno, why);
        return false;
    }
    if (strcmp(word, "bind") == 0 && !bind(km, context, key, p, xasprintf("%s:%d", name, lineno), problems)) {
        if (!ld->full)
            sb_printf(problems, "%s:%d: more than %d keys bound: this one and the new keys after it "
                      "are not bound\n", name, lineno, KEYMAP_BINDINGS_MAX);
        ld->full = true;
        return false;
    }
    return true;
}

int keymap_load_text(struct keymap *km, const char *text, const char *name,
                     struct strbuf *problems)
{
    struct load ld = { 0 };
    return load_text(km, text, name, NULL, 0, &ld, problems);
}

static int load_text(struct keymap *km, const char *text, const char *name, const char *dir,
                     int depth, struct load *ld, struct strbuf *problems)
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
        bad += !parse_line(km, line, name, dir, depth, ld, ++lineno, problems);
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

bool keymap_is_prefix(const struct keymap *km, const char *context, const char *keys)
{
    for (size_t i = 0; i < km->n; i++)
        if (strcmp(km->b[i].context, context) == 0 && begins(keys, km->b[i].key))
            return true;
    return false;
}

char *keymap_keys_new(const struct keymap *km, const char *context, const char *command)
{
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "");
    for (size_t i = 0; i < km->n; i++)
        if (strcmp(km->b[i].context, context) == 0 && strcmp(km->b[i].command, command) == 0)
            sb_printf(&sb, "%s%s", sb.len ? ", " : "", km->b[i].key);
    return sb_detach(&sb);
}

bool keymap_load_named(struct keymap *km, const char *name, struct strbuf *problems, struct err *e)
{
    const char *text = shipped_text(name);
    if (text) {
        char file[64];
        snprintf(file, sizeof file, "%s.keys", name);
        struct load ld = { 0 };
        load_text(km, text, file, NULL, 0, &ld, problems);
        return true;
    }
    if (!strchr(name, '/') && !strstr(name, ".keys")) {
        err_set(e, "no keymap '%s' (shipped: default, vi, emacs; or give a file's path)", name);
        return false;
    }
    return keymap_load_file(km, name, problems, e);
}

bool keymap_load_file(struct keymap *km, const char *path, struct strbuf *problems, struct err *e)
{
    struct load ld = { 0 };
    return load_file(km, path, 0, &ld, problems, e);
}

/* Keymap files are small; anything bigger is not one. */
#define KEYMAP_FILE_MAX (1 << 20)

/* depth: how many includes deep; a guard against include loops.  ld:
 * the work of the whole load so far; an include (depth > 0) counts. */
static bool load_file(struct keymap *km, const char *path, int depth, struct load *ld,
                      struct strbuf *problems, struct err *e)
{
    if (depth && ld->over) {
        within_bounds(ld, path, 0, e);
        return false;
    }
    int fd = open_small_file(path, "keymap", KEYMAP_FILE_MAX, e);
    if (fd < 0)
        return false;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        err_set(e, "cannot read %s: %s", path, strerror(errno));
        close(fd);
        return false;
    }
    struct strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len <= KEYMAP_FILE_MAX)
        sb_add(&sb, buf, n);
    bool failed = ferror(f);
    fclose(f);
    if (failed || sb.len > KEYMAP_FILE_MAX || (sb.len && memchr(sb.buf, '\0', sb.len))) {
        err_set(e, "%s: %s", path, failed ? "read error" : "not a keymap file (too big, or binary)");
        sb_free(&sb);
        return false;
    }
    if (depth && !within_bounds(ld, path, sb.len, e)) {
        sb_free(&sb);
        return false;
    }
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    load_text(km, sb.len ? sb.buf : "", path, slash ? dir : ".", depth, ld, problems);
    free(dir);
    sb_free(&sb);
    return true;
}

char *keymap_user_path(void)
{
    return xdg_path_new("XDG_CONFIG_HOME", ".config", "pcitopo/keys");
}

struct keymap *keymap_new_effective(const char *name, const char *user_path, struct strbuf *problems,
                                    struct err *e)
{
    struct keymap *km = keymap_new();
    if (!keymap_load_named(km, name ? name : "default", problems, e)) {
        keymap_free(km);
        return NULL;
    }
    struct err ue ERR_SCOPE = ERR_INIT;
    if (user_path && access(user_path, F_OK) == 0 && !keymap_load_file(km, user_path, problems, &ue))
        sb_printf(problems, "%s\n", ue.msg);
    return km;
}

void keymap_list(const struct keymap *km, struct strbuf *out)
{
    for (size_t c = 0; c < ARRAY_LEN(contexts); c++)
        for (size_t i = 0; i < km->n; i++)
            if (strcmp(km->b[i].context, contexts[c]) == 0)
                sb_printf(out, "%-7s %-10s %-30s %s\n", km->b[i].context, km->b[i].key,
                          km->b[i].command, km->b[i].origin);
}

struct key_row *keymap_rows_new(const struct keymap *km, const char *context, size_t *n)
{
    struct key_row *rows = xcalloc(km->n ? km->n : 1, sizeof *rows);
    *n = 0;
    for (size_t i = 0; i < km->n; i++) {
        const struct binding *b = &km->b[i];
        if (strcmp(b->context, context) != 0)
            continue;
        bool seen = false;
        for (size_t j = 0; j < *n && !seen; j++)
            seen = strcmp(rows[j].command, b->command) == 0;
        if (seen)
            continue;
        struct key_row *r = &rows[(*n)++];
        r->keys = keymap_keys_new(km, context, b->command);
        r->command = b->command;
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(b->command, " "), b->command);
        const struct command *c = command_find(name);
        r->summary = c ? c->summary : "";
    }
    return rows;
}

void keymap_rows_free(struct key_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++)
        free(rows[i].keys);
    free(rows);
}
