/* Fuzz target: the keymap parser (user files, include included), and
 * what reads a keymap: the listing, the help rows and key lookups.
 *
 * The fuzzer runs in a directory of its own (fuzz.sh), so a relative
 * include finds nothing there, and inputs that include an absolute path
 * are skipped: reading whatever file of the machine the fuzzer names
 * (up to the 1 MiB limit) made the runs slow and not repeatable.  The
 * include of a file is covered by test_edit. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "keymap.h"

static const char *const contexts[] = { "tree", "dialog", "prompt" };

static void read_keymap(const struct keymap *km)
{
    struct strbuf list = STRBUF_INIT;
    keymap_list(km, &list);
    sb_free(&list);
    for (size_t c = 0; c < sizeof contexts / sizeof *contexts; c++) {
        size_t n;
        struct key_row *rows = keymap_rows_new(km, contexts[c], &n);
        keymap_rows_free(rows, n);
    }
    /* Each check looks through every binding, and an input that includes
     * the shipped keymaps has hundreds: check the user's own lines (the
     * last ones) and the first few. */
    for (size_t i = 0; i < km->n; i++) {
        if (i >= 16 && i + 48 < km->n)
            continue;
        const struct binding *b = &km->b[i];
        const char *cmd = keymap_lookup(km, b->context, b->key);
        FUZZ_ASSERT(cmd, "bound key %s in %s is not found", b->key, b->context);
        /* the editor could not tell whether to wait for a next key */
        FUZZ_ASSERT(!keymap_is_prefix(km, b->context, b->key),
                    "%s in %s is bound alone and begins a sequence", b->key, b->context);
        char *keys = keymap_keys_new(km, b->context, cmd);
        FUZZ_ASSERT(strlen(keys) > 0, "the command of %s in %s has no key", b->key, b->context);
        free(keys);
    }
}

/* Whether some line of text is "include /...". */
static bool includes_absolute(const char *text)
{
    for (const char *p = strstr(text, "include"); p; p = strstr(p + 1, "include")) {
        const char *q = p + strlen("include");
        q += strspn(q, " \t");
        if (*q == '/')
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    if (includes_absolute(text)) {
        free(text);
        return 0;
    }
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT;
    keymap_load_text(km, text, "fuzz.keys", &problems);
    read_keymap(km);
    sb_free(&problems);
    keymap_free(km);
    free(text);
    return 0;
}
