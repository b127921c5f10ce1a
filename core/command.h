/* command: the one table of what pcitopo can do, and the parser that turns
 * a line like  save -f 'my guest.xml'; tree  into calls.
 *
 * Keys, the `:` prompt and batch mode (-c, subcommands) all end up here, and
 * help and the man page are generated from the table. */
#ifndef PCITOPO_COMMAND_H
#define PCITOPO_COMMAND_H

#include <stdbool.h>
#include <stdio.h>

#include "session.h"
#include "util.h"

/* What a command produced: text for the user (a tree, a document, help),
 * and a one-line note for a status line. */
struct cmd_io {
    struct strbuf out;
    struct strbuf note;   /* one line, any length; empty: none */
};

enum cmd_flag {
    CMD_NO_SESSION = 1 << 0,   /* runs without a loaded domain (help) */
    CMD_CHANGES = 1 << 1,      /* may change the document: one undo step */
    CMD_EDITOR = 1 << 2,       /* only the editor carries it out (move, prompt) */
    CMD_ALIAS = 1 << 3,        /* another name for commands of the table (vi's
                                * w, q, q!, wq, x): command_alias_at lists
                                * them, command_at does not */
    CMD_GUARDED = 1 << 4,      /* no change of its own, but it may move devices in
                                * the guest (undo, redo): the guard compares */
    CMD_TRIAL = 1 << 5,        /* changes the document and nothing else: the
                                * editor may try it on a copy first, to show
                                * what it moves in the guest before it is made */
};

typedef bool (*cmd_handler)(struct session *s, int argc, char **argv,
                            struct cmd_io *io, struct err *e);

struct command {
    const char *name;
    const char *usage;     /* "save [-f] [PATH]" */
    const char *summary;   /* one line, no final period */
    const char *help;      /* paragraphs for `help NAME` and the man page */
    int min_args, max_args;   /* operands (options not counted); -1 = any */
    unsigned flags;           /* CMD_* */
    cmd_handler run;
    /* Arguments `pcitopo NAME FILE` uses when given none ("-o -" makes
     * `pcitopo place FILE` print the result); NULL: none. */
    const char *batch_default;
    /* The options it takes, blank-separated; "NAME=" takes a value (the
     * next word, whatever it is: -o - is standard output).  NULL: none.
     * Options may come before or after operands; "--" ends them. */
    const char *options;
};

/* The command called name (an alias too), or NULL. */
const struct command *command_find(const char *name);
/* Iterate the table: NULL past the end.  Aliases are not in it. */
const struct command *command_at(size_t i);
/* Iterate the aliases (vi's names: w, w!, q, q!, wq, x), which help
 * lists in one line: NULL past the end. */
const struct command *command_alias_at(size_t i);
/* The aliases as help lists them, one line: "vi's names: q (quit), ...". */
void command_aliases_line(struct strbuf *out);
/* Whether c takes the operands of argv (argv[0] is the command; its
 * options and their values are not counted). */
bool command_takes(const struct command *c, int argc, char *const *argv);
/* Whether word is one of c's options that takes a value. */
bool command_option_has_value(const struct command *c, const char *word);

/* One parsed command: argv[0] is the command name. */
struct cmd_call {
    int argc;
    char **argv;     /* owned, NULL-terminated */
    size_t offset;   /* where it starts in the script (the calls one alias
                      * stands for start at the same place) */
};

struct cmd_script {
    struct cmd_call *calls;   /* owned */
    size_t n;
};

/* Splits text into commands: words separated by blanks, commands by ';'
 * or newlines, '...' and "..." quote, backslash escapes, '#' starts a
 * comment.  A command written as one of vi's names (w, w!, q, q!, wq;
 * unquoted, and with arguments its usage allows) comes out as the
 * commands it stands for: "wq x.xml" is save x.xml, then quit, so that
 * whatever runs save and quit (the editor asks before quitting) runs
 * these the same.  Returns a new script (free with cmd_script_free) or
 * NULL with e set to where the text is wrong. */
struct cmd_script *cmd_script_parse(const char *text, struct err *e);
void cmd_script_free(struct cmd_script *sc);

/* Appends word to sb so that cmd_script_parse reads it back as exactly
 * that one word, whatever it holds (quotes, ';', blanks, newlines): for
 * a line that shows or pre-types a command.  Words the editor runs go to
 * cmd_execute as they are, never through a line. */
void cmd_quote_word(struct strbuf *sb, const char *word);
/* The words as one line that parses back to them, for showing; caller
 * frees. */
char *cmd_words_line_new(int argc, char *const *argv);

/* Runs one command.  s may be NULL for CMD_NO_SESSION commands.  Returns
 * false with e set when the command failed. */
bool cmd_execute(struct session *s, int argc, char **argv, struct cmd_io *io,
                 struct err *e);

void cmd_io_init(struct cmd_io *io);
void cmd_io_free(struct cmd_io *io);
void cmd_io_note(struct cmd_io *io, const char *fmt, ...) PT_PRINTF(2, 3);

/* Batch mode: parses and runs script against s, printing command output
 * to out and errors to err (prefixed with "pcitopo: ").  Stops at the first
 * failed command or at quit.  Returns the exit status: 0 all succeeded,
 * 1 a command failed, 2 the script does not parse. */
int cmd_run_script(struct session *s, const char *script, FILE *out, FILE *err);

enum cmd_run_flag {
    /* pcitopo --json: every command that can print JSON (its row takes
     * --json) runs as if given --json; the others print as they do */
    CMD_RUN_JSON = 1 << 0,
};
/* cmd_run_script with flags (CMD_RUN_*). */
int cmd_run_script_flags(struct session *s, const char *script, FILE *out, FILE *err,
                         unsigned flags);
/* Whether c prints a JSON document when given --json (doc/json.md). */
bool command_has_json(const struct command *c);

#endif
