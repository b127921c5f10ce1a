/* screens: what the editor's screens share — the editor's state, and the
 * small interface of each screen, one file each:
 *
 *   editor.c      the loop: layout, drawing the frame, life cycle
 *   treeview.c    the tree pane: visible lines, selection, collapsing
 *   details.c     the details pane of the selected line
 *   dialog.c      the add dialog and its live preview
 *   pager.c       help, explain and long output
 *   statusline.c  the status line, the message line and messages
 *   marks.c       devices marked for group
 *   commands.c    the editor's meaning of commands; questions
 *   keys.c        key names, reading keys, dispatching them by mode
 *   recovery.c    the recovery file, offered and followed
 *   terminal.c    the terminal restored whatever ends the process
 *   theme.c       colours, by role
 *   paint.c       text on the screen (paint.h)
 *
 * A screen changes the editor's state from keys and commands and draws
 * from it; only the loop (editor.c) draws the frame, once the keys stop
 * coming.  Private to tui/: main.c sees editor.h only. */
#ifndef PCITOPO_SCREENS_H
#define PCITOPO_SCREENS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "curses_shim.h"
#include "editor.h"
#include "edit.h"
#include "group.h"
#include "keymap.h"
#include "paint.h"
#include "prompt.h"
#include "recover.h"
#include "session.h"
#include "spare.h"
#include "tree.h"

/* A key that came after Esc within the escape delay: Meta (Alt) plus it.
 * Above every Unicode code point, so it cannot be a character. */
#define KEY_META_FLAG 0x40000000u

/* Below this the panes and the status line cannot be drawn sensibly. */
#define MIN_COLS 60
#define MIN_LINES 15
/* From this width the details pane sits beside the tree, not below it. */
#define SIDE_BY_SIDE_COLS 100

enum pair {
    PAIR_HEADING = 1, PAIR_CONTROLLER, PAIR_ENDPOINT, PAIR_CHIPSET, PAIR_EMPTY, PAIR_HOTPLUG,
    PAIR_PROBLEM, PAIR_STATUS, PAIR_PREVIEW, PAIR_ADDED, PAIR_ERROR, PAIR_FRAME,
};

enum mode { MODE_TREE, MODE_DIALOG, MODE_CONFIRM, MODE_PROMPT, MODE_PAGER };

enum confirm { CONFIRM_DELETE, CONFIRM_QUIT, CONFIRM_RECOVER, CONFIRM_SAVE };

enum field { FIELD_KIND, FIELD_ALIAS, FIELD_HOST, FIELD_HOTPLUG, FIELD_BUS, FIELD_NUMA, FIELD_COUNT };

/* The add dialog: the kind chosen, its fields, and the preview — the
 * result of the same add on a copy of the session. */
struct dialog {
    /* the kinds the machine takes, in the add table's order (borrowed) */
    const struct add_kind *kinds[64];
    size_t kind;                /* index in kinds */
    size_t nkinds;
    size_t first;               /* first kind shown */
    enum field field;
    struct strbuf alias, host;  /* typed by the user; any length */
    size_t hotplug, bus;        /* index in the dialog's hotplug and bus choices */
    struct strbuf numa;
    struct session *preview;    /* owned; NULL when the add would fail */
    struct tree *ptree;         /* owned; the preview's tree */
    struct add_report rep;
    char *error;                /* why the add would fail; owned, NULL: it would not */
};

/* A command as words, for cmd_execute as they are.  What the editor runs
 * on a device it names itself is built as words, never as a line parsed
 * again: an alias or a file name cannot become a second command. */
struct words {
    int argc;
    char **argv;   /* owned, NULL-terminated */
};

struct editor {
    struct session *s;
    const struct keymap *km;
    struct prompt *prompt;      /* owned; NULL when no pty could be had */
    char *prompt_problem;       /* owned: why prompt is NULL */
    bool utf8, color;

    struct tree *tree;          /* owned: tree of s->topo */
    unsigned long tree_serial;  /* s->topo_serial the tree was built from */
    size_t *vis;                /* owned: lines of the shown tree not hidden by collapsing */
    size_t nvis;
    size_t sel, top;            /* indexes into vis */
    unsigned char collapsed[PCI_BUSES / 8];   /* buses whose lines are hidden */
    unsigned char expand[PCI_BUSES / 8];      /* buses whose empty slots are listed one by one */
    struct spare spare;

    /* Devices marked (Space) for group, by the names commands take;
     * dropped when a change leaves them naming no host device. */
    char *marks[PCI_FUNCTIONS];   /* owned */
    int nmarks;

    char *explain;              /* owned: explanation of explain_node */
    xmlNodePtr explain_node;    /* the device it explains... */
    unsigned long explain_serial;   /* ...in this topology of the session */

    char *msg;                  /* owned; NULL: none */
    bool msg_error;
    enum mode mode;
    struct dialog dlg;
    enum confirm confirm;
    char *question;             /* owned */
    struct words confirm_words; /* what 'y' runs */
    char *pager;                /* owned: text the pager shows */
    size_t pager_top, pager_lines;
    char *pager_title;          /* owned */
    bool done;

    struct recovery *rec;       /* owned; NULL: no recovery file is kept */
    bool rec_failed;            /* writing it failed (said once) */
    struct recovery_found *offered;   /* owned, claimed: what CONFIRM_RECOVER is about */
    bool offered_changed;       /* the file changed on disk since offered's changes */
};

/* editor.c */
struct layout_panes {
    struct pane tree, details;
    bool side;                  /* details beside the tree */
};
/* Where the panes go on a screen of this size. */
struct layout_panes editor_panes(void);

/* theme.c */
attr_t theme_attr(const struct editor *ed, enum pair p, attr_t mono);
void theme_init(struct editor *ed);

/* treeview.c */
/* Where `move HOW` goes from pos in a list of count entries, one page
 * being page entries: in *out.  False (and a message) for an unknown HOW. */
bool list_step(struct editor *ed, const char *how, size_t pos, size_t page, size_t count,
               size_t *out);
/* How a device line is named in commands: alias, else address.  Caller
 * frees; NULL when it has neither. */
char *line_name_new(const struct tree_line *l);
/* The tree on screen: the preview's while the add dialog shows one. */
const struct tree *shown_tree(const struct editor *ed);
const struct tree_line *sel_line(const struct editor *ed);
void compute_visible(struct editor *ed);
void select_line(struct editor *ed, size_t i);
void rebuild_tree(struct editor *ed);
void sync_tree(struct editor *ed);
void treeview_draw(struct editor *ed, struct pane p);
void move_selection(struct editor *ed, const char *how);
void tree_toggle(struct editor *ed);
char *selected_name_new(const struct editor *ed);

/* marks.c */
bool is_marked(const struct editor *ed, const struct tree_line *l);
void unmark_all(struct editor *ed);
void prune_marks(struct editor *ed);
/* The group of the selected line (its slot line or one of its
 * functions), as its slot BB:SS in buf.  False when it is in none. */
bool selected_group(const struct editor *ed, struct group *g, char *buf, size_t size);
void marks_toggle(struct editor *ed);
void group_marked(struct editor *ed);

/* details.c */
void details_draw(struct editor *ed, struct pane p);

/* dialog.c */
void dialog_draw(struct editor *ed, struct pane p);
void dialog_free(struct dialog *d);
void dialog_open(struct editor *ed);
void dialog_key(struct editor *ed, int r, wint_t wc);
/* The dialog's own commands; false for the others. */
bool dialog_action(struct editor *ed, int argc, char **argv);

/* pager.c */
void pager_draw(struct editor *ed);
void pager_open(struct editor *ed, const char *title, const char *text);
void pager_key(struct editor *ed, int r, wint_t wc);

/* statusline.c (editor_message is in editor.h) */
void clear_message(struct editor *ed);
int message_rows(const struct editor *ed);
int message_max_rows(void);
void status_draw(struct editor *ed, int y);
void message_line_draw(struct editor *ed, int first_row);
void fit_message(struct editor *ed);

/* commands.c */
void words_add(struct words *w, const char *word);
void words_free(struct words *w);
/* words_add for a command and up to two operands (NULL: none). */
struct words words_of(const char *cmd, const char *a, const char *b);
/* Adds the word NAME=VALUE. */
void words_add_pair(struct words *w, const char *name, const char *value);
/* Asks fmt; 'y' runs cmd (taken over; may be an empty struct words). */
void confirm_ask(struct editor *ed, enum confirm what, struct words cmd, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool run_words(struct editor *ed, const struct words *w);
void run_line(struct editor *ed, const char *line);
void confirm_key(struct editor *ed, wint_t wc);

/* keys.c */
/* The keymap's name for what get_wch returned ("j", "C-r", "PgDn"). */
bool key_name_of(int r, wint_t wc, char *buf, size_t size);
int read_key(const struct editor *ed, wint_t *wc);

/* recovery.c */
void recover_key(struct editor *ed, wint_t wc);
void recovery_start(struct editor *ed);
void recovery_follow(struct editor *ed);

/* terminal.c */
void catch_fatal_signals(void);

#endif
