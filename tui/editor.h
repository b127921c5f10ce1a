/* editor: the full-screen editor — tree pane, details pane, status line,
 * the add dialog with its live preview, the ':' prompt, help and pager.
 *
 * Every key runs a command line from the keymap; the commands that change
 * the document go through cmd_execute like batch mode, so the screen and
 * `pcitopo -c` give the same document for the same commands.  The screen
 * code only draws and dispatches. */
#ifndef PCITOPO_EDITOR_H
#define PCITOPO_EDITOR_H

#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>

#include "keymap.h"
#include "session.h"
#include "theme.h"

struct editor;

/* A new editor on s and km (both borrowed; they must outlive it), with
 * the prompt's history kept in history_path (NULL: not kept).  Call after
 * curses is started. */
struct editor *editor_new(struct session *s, const struct keymap *km, const char *history_path);
void editor_free(struct editor *ed);
/* Draws the whole screen (to curses' buffer; refresh() shows it). */
void editor_draw(struct editor *ed);
/* Handles one key as get_wch returned it (r is OK or KEY_CODE_YES).
 * Returns false when the editor is done. */
bool editor_key(struct editor *ed, int r, wint_t wc);
/* Shows a message in the message line (as an error when error). */
void editor_message(struct editor *ed, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Runs a command line as if typed at the ':' prompt (benchmarks and
 * tests drive the editor with it, without a terminal). */
void editor_command_line(struct editor *ed, const char *line);
/* The message line's text now ("" when none), for the same drivers. */
const char *editor_message_text(const struct editor *ed);

/* How the editor runs; every pointer borrowed. */
struct editor_options {
    const struct keymap *km;    /* its keys */
    const struct theme *theme;  /* its colours; NULL: the default theme */
    const char *problems;       /* what was wrong in the keymap and theme files, shown at start; NULL: nothing */
    FILE *keys;                 /* where keys come from: NULL standard input, else /dev/tty
                                 * (when the document came on standard input) */
    bool mouse;                 /* clicks and the wheel (--no-mouse: false) */
};

/* Runs the editor on a terminal until the user quits: sets curses up,
 * loads the history, restores the terminal.  Returns the exit status. */
int editor_run(struct session *s, const struct editor_options *o);

/* The domain list (pcitopo --connect URI without a domain). */
struct domainlist_options {
    FILE *keys;   /* as editor_options.keys */
    /* Edits domain name: opens it and runs the editor, which starts and
     * ends the terminal its own way.  Returns its exit status, and in
     * *why (caller frees) what stopped it when it could not open the
     * domain; the list shows that. */
    int (*edit)(const char *name, void *arg, char **why);
    void *arg;
};
/* Lists the domains at uri (NULL: libvirt's default), reading each one's
 * XML a row at a time while no key waits; Enter edits one, and quitting
 * the editor comes back to the list; q quits.  Returns the exit status
 * (2 when libvirt or the terminal cannot be had, said on stderr). */
int domainlist_run(const char *uri, const struct domainlist_options *o);

#endif
