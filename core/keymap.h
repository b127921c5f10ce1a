/* keymap: key bindings — which command a key runs in which context — read
 * from files in one small format (keymaps/default.keys documents it).
 *
 * The default bindings are keymaps/default.keys compiled in and read by
 * the same parser as user files, so the shipped file is what the program
 * does.  Keys are named in text (j, C-r, PgDn, F1); the editor turns what
 * the terminal sends into these names.
 *
 * A binding's key may also be a sequence of up to KEYMAP_SEQUENCE_MAX
 * keys ("g g", "C-x C-s"): written in quotes in a file
 * (bind tree "C-x C-s" save), named with its keys joined by single spaces
 * everywhere else.  A key that begins a sequence in a context is never
 * also bound alone there (the editor could not tell whether to wait): the
 * later of the two bindings wins, and one file binding both is reported,
 * as a key bound twice is. */
#ifndef PCITOPO_KEYMAP_H
#define PCITOPO_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct binding {
    char context[16];   /* "tree" */
    char key[32];       /* "C-r", or a sequence: "C-x C-s" */
    char *command;      /* "move down"; owned */
    char *origin;       /* "default.keys:12"; owned */
};

struct keymap {
    struct binding *b;  /* owned */
    size_t n, cap;
};

/* What one load may read through its includes, whatever their nesting:
 * beyond it the include that goes over is reported (file and line) and it
 * and the later includes are skipped.  Real keymaps include one or two. */
#define KEYMAP_INCLUDES_MAX 64
#define KEYMAP_LOAD_BYTES_MAX (4 << 20)
/* Keys one keymap may bind (the shipped ones bind about 80). */
#define KEYMAP_BINDINGS_MAX 1024
/* Keys one sequence may have. */
#define KEYMAP_SEQUENCE_MAX 3

struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);
/* Reads bindings from text (name is the file name used in messages).
 * Bad lines are skipped; each gets one line "NAME:LINE: problem" in
 * problems.  Returns the number of bad lines. */
int keymap_load_text(struct keymap *km, const char *text, const char *name,
                     struct strbuf *problems);
/* Loads a shipped keymap by name ("default", "vi", "emacs") or, when name
 * looks like a path (has a '/' or ends in .keys), a file.  Bad lines are
 * reported in problems and skipped; false with e set only when the keymap
 * cannot be had at all. */
bool keymap_load_named(struct keymap *km, const char *name, struct strbuf *problems, struct err *e);
/* Loads a keymap file (its includes are relative to its directory).
 * Same contract. */
bool keymap_load_file(struct keymap *km, const char *path, struct strbuf *problems, struct err *e);
/* The keymap the editor uses: the shipped keymap or file name (NULL:
 * "default"), then the user's file at user_path on top when it exists.
 * Bad lines go to problems; NULL with e set when name cannot be had. */
struct keymap *keymap_new_effective(const char *name, const char *user_path, struct strbuf *problems,
                                    struct err *e);
/* $XDG_CONFIG_HOME/pcitopo/keys (~/.config/pcitopo/keys); NULL without a
 * home.  Caller frees. */
char *keymap_user_path(void);
/* Every binding, by context: "tree    j          move down    default.keys:14"
 * (a sequence as its keys: "tree    C-x C-s    save ..."). */
void keymap_list(const struct keymap *km, struct strbuf *out);
/* What a help screen or the man page lists: each command bound in a
 * context once, with all its keys and the command's summary. */
struct key_row {
    char *keys;             /* "j, Down" or "g g, Home", every key however many; owned */
    const char *command;    /* "move down"; borrowed from the keymap */
    const char *summary;    /* from the command table */
};
/* The rows of context, in binding order; *n of them.  Free with
 * keymap_rows_free. */
struct key_row *keymap_rows_new(const struct keymap *km, const char *context, size_t *n);
void keymap_rows_free(struct key_row *rows, size_t n);
/* Names of the shipped keymaps: NULL past the end. */
const char *keymap_shipped(size_t i);

/* The command bound to key in context, or NULL.  key is one key ("g") or
 * a sequence, its keys joined by single spaces ("g g", "C-x C-s"). */
const char *keymap_lookup(const struct keymap *km, const char *context, const char *key);
/* Whether keys (one key, or the start of a sequence joined as above)
 * begins a longer sequence bound in context: the editor then waits for
 * the next key and looks up "KEYS NEXT".  Such keys are never bound alone
 * in the same context, so lookup and prefix never both answer yes. */
bool keymap_is_prefix(const struct keymap *km, const char *context, const char *keys);
/* The keys bound to exactly command in context, as "j, Down" (newest
 * binding last), all of them; empty when none.  Caller frees. */
char *keymap_keys_new(const struct keymap *km, const char *context, const char *command);
/* Whether name is a key name keymap files may use (one key: "C-x", not
 * a sequence). */
bool keymap_key_valid(const char *name);

/* The texts of keymaps/default.keys, vi.keys, emacs.keys. */
extern const char default_keys[];
extern const char vi_keys[];
extern const char emacs_keys[];

#endif
