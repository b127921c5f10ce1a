#include "config.h"
#include "complete.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "command.h"
#include "edit.h"
#include "relocate.h"

/* Names one directory offers at most: Tab in a directory of a million
 * files must not stall the prompt. */
#define COMPLETE_FILES_MAX 1000

static void offer(struct completion *c, size_t *cap, const char *word, const char *prefix)
{
    if (strncmp(word, prefix, strlen(prefix)) != 0)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->words[i], word) == 0)
            return;
    if (c->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        c->words = xrealloc(c->words, *cap * sizeof *c->words);
    }
    c->words[c->n++] = xstrdup(word);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Aliases and addresses of the devices, for commands that name one. */
static void offer_devices(struct completion *c, size_t *cap, const struct session *s,
                          const char *prefix)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->topo->ndevs; i++) {
        const struct device *dv = &s->topo->devs[i];
        if (dv->alias)
            offer(c, cap, dv->alias, prefix);
        if (dv->addr_state == ADDR_PCI) {
            char bdf[16];
            snprintf(bdf, sizeof bdf, "%02x:%02x.%x", dv->addr.bus, dv->addr.slot, dv->addr.function);
            offer(c, cap, bdf, prefix);
        }
    }
}

/* Preferences, with their values once the key is typed. */
static void offer_prefs(struct completion *c, size_t *cap, const char *prefix)
{
    static const char *const words[] = {
        "hotplug=yes", "hotplug=no", "hotplug=default", "bus=pcie", "bus=pci", "bus=any",
        "numa=", "numa=none",
    };
    bool keyed = strchr(prefix, '=') != NULL;
    for (size_t i = 0; i < ARRAY_LEN(words); i++) {
        /* before the '=', offer the keys alone */
        char key[16];
        snprintf(key, sizeof key, "%.*s", (int)(strchr(words[i], '=') - words[i] + 1), words[i]);
        offer(c, cap, keyed ? words[i] : key, prefix);
    }
}

/* Whether a file name reads back from a command line as itself, unquoted:
 * completion offers the word as typed, and does not quote. */
static bool plain_file_name(const char *name)
{
    if (name[0] == '#')
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr(";'\"\\", *p))
            return false;
    return true;
}

/* The files (dirs_only: the directories) whose names start as prefix
 * does, from the file system: a directory with a '/' after it, to go on
 * into; names starting with '.' only when prefix's last part does.  '~'
 * and '~user' are read as the shell (and save) read them, and stay as
 * typed in what is offered. */
static void offer_files(struct completion *c, size_t *cap, const char *prefix, bool dirs_only)
{
    struct err e ERR_SCOPE = ERR_INIT;
    const char *slash = strrchr(prefix, '/');
    if (prefix[0] == '~' && !slash) {
        char *home = tilde_expand_new(prefix, &e);
        if (home) {
            char *w = xasprintf("%s/", prefix);
            offer(c, cap, w, prefix);
            free(w);
        }
        free(home);
        return;
    }
    char *typed = xasprintf("%.*s", slash ? (int)(slash - prefix + 1) : 0, prefix);
    const char *base = slash ? slash + 1 : prefix;
    char *dir = *typed ? tilde_expand_new(typed, &e) : xstrdup(".");
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;
    for (size_t n = 0; d && n < COMPLETE_FILES_MAX && (de = readdir(d)) != NULL;) {
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || (name[0] == '.' && base[0] != '.')
            || strncmp(name, base, strlen(base)) != 0 || !plain_file_name(name))
            continue;
        char *full = xasprintf("%s/%s", dir, name);
        struct stat st;
        bool is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        free(full);
        if (dirs_only && !is_dir)
            continue;
        char *w = xasprintf("%s%s%s", typed, name, is_dir ? "/" : "");
        offer(c, cap, w, prefix);
        free(w);
        n++;
    }
    if (d)
        closedir(d);
    free(dir);
    free(typed);
}

/* The commands whose operand is a file they write. */
static bool writes_file(const char *cmd)
{
    static const char *const names[] = { "save", "save-as", "save-copy", "w", "w!", "wq" };
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strcmp(names[i], cmd) == 0)
            return true;
    return false;
}

/* relocate's WHERE: auto, and every slot the device or group named by
 * what can go to (relocate_targets), as BB:SS. */
static void offer_relocation_targets(struct completion *c, size_t *cap, const struct session *s,
                                     const char *what, const char *prefix)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct relocate_request r;
    struct relocate_targets tg;
    offer(c, cap, "auto", prefix);
    /* "auto" only to name the subject: the targets are of any move */
    if (!s || !relocate_parse(s, what, "auto", &r, &e) || !relocate_targets(s, &r, &tg, &e))
        return;
    for (unsigned b = 0; b < PCI_BUSES; b++)
        for (unsigned slot = 0; tg.slots[b] && slot < PCI_SLOTS; slot++)
            if (tg.slots[b] & (1u << slot)) {
                char word[16];
                snprintf(word, sizeof word, "%02x:%02x", b, slot);
                offer(c, cap, word, prefix);
            }
}

static void offer_arguments(struct completion *c, size_t *cap, const struct session *s,
                            const char *cmd, int argno, const char *prefix, const char *before)
{
    static const char *const moves[] = { "up", "down", "page-up", "page-down", "top", "bottom" };
    if (strcmp(cmd, "add") == 0 && argno == 1) {
        for (size_t i = 0; add_kind_at(i); i++)
            if (!s || (add_kind_at(i)->machines & s->topo->machine))
                offer(c, cap, add_kind_at(i)->name, prefix);
    } else if (strcmp(cmd, "add") == 0) {
        offer(c, cap, "alias=ua-", prefix);
        offer(c, cap, "host=", prefix);
        offer_prefs(c, cap, prefix);
    } else if ((strcmp(cmd, "explain") == 0 || strcmp(cmd, "delete") == 0 || strcmp(cmd, "goto") == 0
                || strcmp(cmd, "set-pref") == 0 || strcmp(cmd, "ungroup") == 0
                || strcmp(cmd, "relocate") == 0) && argno == 1) {
        offer_devices(c, cap, s, prefix);
    } else if (strcmp(cmd, "relocate") == 0 && argno == 2) {
        offer_relocation_targets(c, cap, s, before, prefix);
    } else if (writes_file(cmd) || ((strcmp(cmd, "place") == 0 || strcmp(cmd, "hotplug-xml") == 0)
                                    && strcmp(before, "-o") == 0)) {
        if (prefix[0] == '-' && strcmp(before, "-o") != 0)
            offer(c, cap, "-f", prefix);
        else
            offer_files(c, cap, prefix, strcmp(cmd, "hotplug-xml") == 0);
    } else if (strcmp(cmd, "group") == 0) {
        offer_devices(c, cap, s, prefix);
        offer(c, cap, "at=", prefix);
    } else if (strcmp(cmd, "hotplug-xml") == 0) {
        static const char *const opts[] = { "--arch", "x86", "pseries", "--stand-in",
                                            "virtio-net-pci", "-o", "-f" };
        if (argno == 1)
            offer_devices(c, cap, s, prefix);
        for (size_t i = 0; argno > 1 && i < ARRAY_LEN(opts); i++)
            offer(c, cap, opts[i], prefix);
    } else if (strcmp(cmd, "set-pref") == 0) {
        offer_prefs(c, cap, prefix);
    } else if (strcmp(cmd, "policy") == 0 && argno == 1) {
        offer(c, cap, "libvirt", prefix);
        offer(c, cap, "minimal", prefix);
    } else if (strcmp(cmd, "stable-guest") == 0 && argno == 1) {
        offer(c, cap, "yes", prefix);
        offer(c, cap, "no", prefix);
    } else if (strcmp(cmd, "mode") == 0 && argno == 1) {
        offer(c, cap, "live", prefix);
        offer(c, cap, "offline", prefix);
    } else if (strcmp(cmd, "help") == 0 && argno == 1) {
        for (size_t i = 0; command_at(i); i++)
            offer(c, cap, command_at(i)->name, prefix);
    } else if (strcmp(cmd, "move") == 0 && argno == 1) {
        for (size_t i = 0; i < ARRAY_LEN(moves); i++)
            offer(c, cap, moves[i], prefix);
    }
}

struct completion *complete_line(const char *line, size_t cursor, const struct session *s)
{
    struct completion *c = xcalloc(1, sizeof *c);
    size_t cap = 0;
    size_t len = strnlen(line, cursor);
    /* The words before the cursor, from the start of the current command
     * (after the last ';'); quotes are not completed into. */
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (line[i] == ';')
            start = i + 1;
    char *head = xmalloc(len - start + 1);
    memcpy(head, line + start, len - start);
    head[len - start] = '\0';
    char *words[64] = { NULL };
    int nw = 0;
    for (char *save = NULL, *w = strtok_r(head, " \t", &save); w && nw < 64;
         w = strtok_r(NULL, " \t", &save))
        words[nw++] = w;
    bool fresh = len == start || line[len - 1] == ' ' || line[len - 1] == '\t';
    const char *prefix = fresh || nw == 0 ? "" : words[nw - 1];
    int argno = fresh ? nw : nw - 1;
    c->word_start = len - strlen(prefix);
    if (argno == 0) {
        for (size_t i = 0; command_at(i); i++)
            offer(c, &cap, command_at(i)->name, prefix);
    } else {
        offer_arguments(c, &cap, s, words[0], argno, prefix, argno >= 2 ? words[argno - 1] : "");
    }
    free(head);
    if (c->n)
        qsort(c->words, c->n, sizeof *c->words, by_name);
    size_t common = c->n ? strlen(c->words[0]) : 0;
    for (size_t i = 1; i < c->n; i++) {
        size_t k = 0;
        while (k < common && c->words[i][k] == c->words[0][k])
            k++;
        common = k;
    }
    c->common = xmalloc(common + 1);
    if (c->n)
        memcpy(c->common, c->words[0], common);
    c->common[common] = '\0';
    return c;
}

void completion_free(struct completion *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->words[i]);
    free(c->words);
    free(c->common);
    free(c);
}
