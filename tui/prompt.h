/* prompt: the editor's ':' command line, on libedit.
 *
 * libedit edits only on a terminal with echo on, which ncurses never
 * leaves it, so it gets a private pseudo-terminal of its own: it reads the
 * keys the editor feeds it one at a time and its drawing on that terminal
 * is thrown away; the editor draws the line from libedit's buffer
 * (../shared/docs/tooling.md §5 has the experiments behind this). */
#ifndef PCITOPO_PROMPT_H
#define PCITOPO_PROMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "session.h"

struct prompt;

/* The longest line the prompt runs, in bytes (UTF-8).  A longer one is
 * refused whole at Enter: running the part that fits would run something
 * the user did not write. */
#define PROMPT_LINE_MAX (64 * 1024)
/* The history file: at most its newest this many bytes are read, and no
 * more are written; lines longer than PROMPT_LINE_MAX are skipped. */
#define PROMPT_HISTORY_MAX (1024 * 1024)

/* A new prompt with history read from history_path (NULL: none kept).
 * NULL with a message in why when no pseudo-terminal can be had.  A
 * history file that is not a regular file (a fifo, a device, a symbolic
 * link) is neither read nor written: prompt_history_problem says so. */
struct prompt *prompt_new(const char *history_path, struct err *why);
void prompt_free(struct prompt *p);
/* Why the history file was refused or read only in part, once, for the
 * editor's message line; NULL when it was fine.  Borrowed. */
const char *prompt_history_problem(const struct prompt *p);
/* Starts a fresh line holding text. */
void prompt_begin(struct prompt *p, const char *text);
/* Feeds one key (a character, or an emacs control character for the
 * editing keys).  Returns true when the line is complete (Enter): *line
 * is then the line (UTF-8; caller frees), which has gone into the
 * history, or NULL with e set when the line was longer than
 * PROMPT_LINE_MAX: nothing of it is to run. */
bool prompt_key(struct prompt *p, wchar_t wc, const struct session *s, char **line, struct err *e);
/* Abandons the line. */
void prompt_cancel(struct prompt *p);
/* The line being edited and the cursor, for drawing. */
const wchar_t *prompt_buffer(const struct prompt *p, size_t *len, size_t *cursor);
/* The part of the line that fits in width columns, scrolled to show the
 * cursor: the index of its first character, and in *col the cursor's
 * column from there.  Costs the width, not the line: the line is drawn
 * after every key of a paste. */
size_t prompt_view(const struct prompt *p, int width, int *col);
/* What the last Tab offered when it could not choose, or a warning about
 * the line ("" if nothing). */
const char *prompt_candidates(const struct prompt *p);

#endif
