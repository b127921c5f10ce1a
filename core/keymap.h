/* keymap: key bindings — which command a key runs in which context — read
 * from files in one small format (keymaps/default.keys documents it).
 *
 * The default bindings are keymaps/default.keys compiled in and read by
 * the same parser as user files, so the shipped file is what the program
 * does.  Keys are named in text (j, C-r, PgDn, F1); the editor turns what
 * the terminal sends into these names. */
#ifndef PCITOPO_KEYMAP_H
#define PCITOPO_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct binding {
    char context[16];   /* "tree" */
    char key[16];       /* "C-r" */
    char *command;      /* "move down"; owned */
    char *origin;       /* "default.keys:12"; owned */
};

struct keymap {
    struct binding *b;  /* owned */
    size_t n, cap;
};

struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);
/* Reads bindings from text (name is the file name used in messages).
 * Bad lines are skipped; each gets one line "NAME:LINE: problem" in
 * problems.  Returns the number of bad lines. */
int keymap_load_text(struct keymap *km, const char *text, const char *name,
                     struct strbuf *problems);
/* The command bound to key in context, or NULL. */
const char *keymap_lookup(const struct keymap *km, const char *context, const char *key);
/* The keys bound to exactly command in context, as "j, Down" (newest
 * binding last); empty when none.  Fills buf and returns it. */
const char *keymap_keys_for(const struct keymap *km, const char *context, const char *command,
                            char *buf, size_t size);
/* Whether name is a key name keymap files may use. */
bool keymap_key_valid(const char *name);

/* The text of keymaps/default.keys. */
extern const char default_keys[];

#endif
