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

/* A new prompt with history read from history_path (NULL: none kept).
 * NULL with a message in why when no pseudo-terminal can be had. */
struct prompt *prompt_new(const char *history_path, char *why, size_t size);
void prompt_free(struct prompt *p);
/* Starts a fresh line holding text. */
void prompt_begin(struct prompt *p, const char *text);
/* Feeds one key (a character, or an emacs control character for the
 * editing keys).  Returns true when the line is complete: it is then in
 * line (UTF-8) and has gone into the history. */
bool prompt_key(struct prompt *p, wchar_t wc, const struct session *s, char *line, size_t size);
/* Abandons the line. */
void prompt_cancel(struct prompt *p);
/* The line being edited and the cursor, for drawing. */
const wchar_t *prompt_buffer(const struct prompt *p, size_t *len, size_t *cursor);
/* What the last Tab offered when it could not choose ("" if nothing). */
const char *prompt_candidates(const struct prompt *p);

#endif
