/* screens: what the editor's screens share — the editor's state, and the
 * small interface of each screen, one file each:
 *
 *   editor.c      the loop: layout, drawing the frame, life cycle
 *   treeview.c    the tree pane: visible lines, selection, collapsing
 *   search.c      '/', n, N and goto in the tree
 *   problemsview.c the list of problems (c); Enter selects the device
 *   relocateview.c moving a device to a slot chosen with the keys (m)
 *   details.c     the details pane of the selected line
 *   dialog.c      the add dialog and its live preview
 *   pager.c       help, explain, long output and the message log, read
 *                 as in less: wrapped, scrolled, searched
 *   statusline.c  the status line, the message line, messages and their log
 *   marks.c       devices marked for group
 *   commands.c    the editor's meaning of commands; questions
 *   keys.c        key names, reading keys, dispatching them by mode
 *   recovery.c    the recovery file, offered and followed
 *   terminal.c    the terminal: curses started and ended, where keys come
 *                 from, the mouse, suspend and redraw, and the terminal
 *                 restored whatever ends the process
 *   theme.c       colours, by role, from the theme (core/theme.h)
 *   paint.c       text on the screen (paint.h)
 *   domainlist.c  the domains of a connection (pcitopo --connect URI), a
 *                 row each read between keys; Enter runs the editor on one
 *                 and the list comes back when it quits (editor.h)
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
#include "relocate.h"
#include "session.h"
#include "spare.h"
#include "theme.h"
#include "tree.h"

/* A key that came after Esc within the escape delay: Meta (Alt) plus it.
 * Above every Unicode code point, so it cannot be a character. */
#define KEY_META_FLAG 0x40000000u

/* Below this the panes and the status line cannot be drawn sensibly. */
#define MIN_COLS 60
#define MIN_LINES 15
/* From this width the details pane sits beside the tree, not below it. */
#define SIDE_BY_SIDE_COLS 100
/* A preview names this many devices that move in the guest, then counts */
#define PREVIEW_GUARD_MOST 3

enum pair {
    PAIR_HEADING = 1, PAIR_CONTROLLER, PAIR_ENDPOINT, PAIR_CHIPSET, PAIR_EMPTY, PAIR_HOTPLUG,
    PAIR_PROBLEM, PAIR_STATUS, PAIR_PREVIEW, PAIR_ADDED, PAIR_ERROR, PAIR_FRAME,
    PAIR_MATCH,    /* a search match */
    PAIR_TARGET,   /* a slot a device being relocated can go to */
};

enum mode {
    MODE_TREE, MODE_DIALOG, MODE_CONFIRM, MODE_PROMPT, MODE_PAGER,
    MODE_PROBLEMS,    /* the list of problems (c) */
    MODE_RELOCATE,    /* choosing the slot a device moves to (m) */
};

enum confirm {
    CONFIRM_DELETE, CONFIRM_QUIT, CONFIRM_RECOVER, CONFIRM_SAVE,
    CONFIRM_EXIT,   /* quit with nothing unsaved (Ctrl-C): y quits */
    CONFIRM_DEFINE, /* save of a domain from libvirt: y defines it */
    CONFIRM_GUARD,  /* a change that moves devices in the guest: y makes it */
};

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
    struct session *scratch;    /* owned: the copy each preview is made on */
    struct session *preview;    /* scratch after a preview; NULL when the add would fail */
    struct tree *ptree;         /* owned; the preview's tree */
    struct add_report rep;
    char *guard;                /* owned: the devices the add moves in the guest; NULL: none */
    char *error;                /* why the add would fail; owned, NULL: it would not */
};

/* Relocating with the keys: what moves, where it can go, and the move to
 * the selected slot previewed on a copy of the session. */
struct relocating {
    struct relocate_request req;      /* its devices borrowed from the session's topology */
    char *subject;                    /* owned: the word naming it in commands */
    unsigned long serial;             /* the topology req points into */
    struct relocate_targets targets;
    unsigned char saved_expand[PCI_BUSES / 8];   /* the tree's expansion before */
    struct session *scratch;          /* owned: the copy each preview is made on */
    struct session *preview;          /* scratch after a preview; NULL: none (no
                                       * target selected, or it fails) */
    struct relocate_report rep;
    struct spare preview_spare;
    char *error;                      /* owned: why the move would fail */
    char *guard;                      /* owned: the other devices it moves in the guest */
    unsigned to_bus, to_slot, to_function;
};

/* A command as words, for cmd_execute as they are.  What the editor runs
 * on a device it names itself is built as words, never as a line parsed
 * again: an alias or a file name cannot become a second command. */
struct words {
    int argc;
    char **argv;   /* owned, NULL-terminated */
};

struct pager_view;
struct message_log;

struct editor {
    struct session *s;
    const struct keymap *km;
    struct prompt *prompt;      /* owned; NULL when no pty could be had */
    char *prompt_problem;       /* owned: why prompt is NULL */
    bool utf8, color;
    attr_t role_attr[THEME_ROLES];  /* theme.c: each role's look, its colour pair included */

    struct tree *tree;          /* owned: tree of s->topo */
    unsigned long tree_serial;  /* s->topo_serial the tree was built from */
    size_t *vis;                /* owned: lines of the shown tree not hidden by collapsing */
    size_t nvis;
    size_t sel, top;            /* indexes into vis */
    unsigned char collapsed[PCI_BUSES / 8];   /* buses whose lines are hidden */
    unsigned char expand[PCI_BUSES / 8];      /* buses whose empty slots are listed one by one */
    /* the numbers tree lines show: the XML's and the guest's, either one
     * first (the numbers command) */
    enum tree_numbers numbers;
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
    bool define_confirmed;      /* 'y' said define: save runs without asking */
    /* the change about to run was shown with what it moves in the guest
     * (the add dialog, a relocation, a question): it runs without being
     * tried on a copy first */
    bool guard_shown;
    char *pager;                /* owned: text the pager shows */
    size_t pager_top, pager_lines;
    char *pager_title;          /* owned */
    bool done;

    /* The prompt's purpose: NULL runs the line as commands; else the
     * command the whole line is the one operand of ('/' runs `search
     * LINE`), so a pattern is never parsed as commands. */
    const char *prompt_command;     /* static */
    char prompt_leader;         /* drawn before the line: ':' or '/' */
    char *search;               /* owned: the last pattern; NULL: none yet */
    bool search_back;           /* it was a backward search (n goes on backwards) */

    /* The problems list (c): made once per topology; the selected entry. */
    struct problem_list *problems;  /* owned */
    unsigned long problems_serial;
    size_t psel, ptop;
    struct relocating rl;
    /* the keys of a sequence typed so far ("C-x"), waiting for the next */
    char pending_keys[32];

    /* Reading (issue 22): the details pane scrolled, the pager's wrapped
     * text and search, the message log.  Each owned by the file named. */
    int details_top;            /* details.c: rows scrolled off the pane's top... */
    size_t details_line;        /* ...for this tree line (its index in the tree)... */
    const void *details_node;   /* ...and device node; another line starts at the top */
    struct pager_view *pager_view;  /* pager.c, owned; NULL: nothing wrapped yet */
    struct message_log *log;    /* statusline.c, owned: the messages shown, newest last */

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
struct layout_panes editor_panes(const struct editor *ed);

/* theme.c */
/* Role p's look; mono is the screen's own emphasis (A_BOLD stays with
 * colours) and, without colours, its fallback, added to the role's. */
attr_t theme_attr(const struct editor *ed, enum pair p, attr_t mono);
/* Colours from theme (NULL: the default), or attributes alone under
 * NO_COLOR or on a terminal without colours.  After curses starts. */
void theme_init(struct editor *ed, const struct theme *theme);

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
/* numbers [xml|guest]: which address tree lines show first. */
bool treeview_numbers_cmd(struct editor *ed, int argc, char **argv);
void move_selection(struct editor *ed, const char *how);
void tree_toggle(struct editor *ed);
/* Left and Right: collapse or expand the selected controller (Left
 * below one goes up to it); and every controller at once. */
void tree_fold(struct editor *ed, bool collapse);
void tree_fold_all(struct editor *ed, bool collapse);
char *selected_name_new(const struct editor *ed);

/* Shows tree line i (of the whole tree), expanding the controllers
 * collapsed above it, and selects it. */
void treeview_reveal(struct editor *ed, size_t i);
/* treeview_reveal for the line of the device whose element is node;
 * false (nothing selected) when none has one, or node is NULL. */
bool treeview_select_node(struct editor *ed, const xmlNode *node);

/* search.c */
/* Searches for pattern (NULL or "": the last one again). */
void search_run(struct editor *ed, const char *pattern, bool forward);
/* n (reverse false) and N: the last search again, its way or back. */
void search_again(struct editor *ed, bool reverse);
bool search_highlights(const struct editor *ed, const struct tree_line *l);
/* Selects the line of TARGET (alias, BB:SS.F, BB:SS); false (and a
 * message) when there is none. */
bool goto_target(struct editor *ed, const char *target);

/* problemsview.c */
/* The problems of the session's document now (made once per topology). */
const struct problem_list *problems_current(struct editor *ed);
void problems_open(struct editor *ed);
/* On opening: says that the document has problems, and how to see them. */
void problems_say_at_start(struct editor *ed);
void problems_draw(struct editor *ed);
void problems_key(struct editor *ed, int r, wint_t wc);

/* relocateview.c */
/* m: starts choosing where the selected device or group goes. */
void relocate_begin(struct editor *ed);
void relocate_key(struct editor *ed, int r, wint_t wc);
void relocate_draw(struct editor *ed, struct pane p);
bool relocate_line_is_target(const struct editor *ed, const struct tree_line *l);
bool relocate_line_is_subject(const struct editor *ed, const struct tree_line *l);
void relocating_free(struct editor *ed);

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
/* Scrolls the details pane rows down (up when negative), within its
 * text: for the mouse wheel over the pane. */
void details_scroll(struct editor *ed, int rows);
/* The editor's command details down|up|page-down|page-up|top|bottom:
 * a row of commands.c's editor table. */
bool details_cmd(struct editor *ed, int argc, char **argv);

/* dialog.c */
void dialog_draw(struct editor *ed, struct pane p);
/* Rows the dialog needs to show all its fields and the preview. */
int dialog_rows_wanted(const struct editor *ed);
void dialog_free(struct dialog *d);
void dialog_open(struct editor *ed);
void dialog_key(struct editor *ed, int r, wint_t wc);
/* The dialog's own commands; false for the others. */
bool dialog_action(struct editor *ed, int argc, char **argv);

/* pager.c */
void pager_draw(struct editor *ed);
void pager_open(struct editor *ed, const char *title, const char *text);
void pager_key(struct editor *ed, int r, wint_t wc);
/* Scrolls the pager's text rows down (up when negative), within it:
 * for the mouse wheel. */
void pager_scroll(struct editor *ed, int rows);
/* The pager's bottom line (row y): the search typed, a message, or the
 * rows shown, the search and the keys.  From message_line_draw. */
void pager_bottom_draw(struct editor *ed, int y);
/* The pager's keys, a paragraph of the help text. */
const char *pager_help(void);
void pager_free(struct editor *ed);

/* statusline.c (editor_message is in editor.h) */
void clear_message(struct editor *ed);
int message_rows(const struct editor *ed);
int message_max_rows(void);
void status_draw(struct editor *ed, int y);
void message_line_draw(struct editor *ed, int first_row);
void fit_message(struct editor *ed);
/* Draws text in rows (all of them) at word boundaries; when it needs
 * more, the last row ends with where to read it whole (:messages). */
void put_message(struct editor *ed, struct pane rows, const char *text, attr_t attr);
/* The editor's command messages: the log in the pager.  A row of
 * commands.c's editor table. */
bool messages_cmd(struct editor *ed, int argc, char **argv);
void message_log_free(struct editor *ed);

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
/* After save-as: recovery for the document's new file. */
void recovery_follow_file(struct editor *ed);

/* terminal.c */
void catch_fatal_signals(void);
/* Starts curses: the screen on standard output, keys read from keys
 * (standard input, or /dev/tty when the document came through it), raw
 * mode (no ^S/^Q flow control, no ^C/^Z signals: they are keys), the
 * mouse as mouse says.  False when the terminal cannot be used. */
bool terminal_start(FILE *keys, bool mouse);
void terminal_end(void);
/* The descriptor keys come from, for poll. */
int terminal_key_fd(void);
/* The mouse reports clicks and the wheel (xterm mode 1000, never motion),
 * or nothing, leaving the terminal its own text selection. */
void terminal_mouse(bool on);
/* The editor's commands suspend, redraw and mouse [on|off]: rows of
 * commands.c's editor table. */
bool terminal_suspend_cmd(struct editor *ed, int argc, char **argv);
bool terminal_redraw_cmd(struct editor *ed, int argc, char **argv);
bool terminal_mouse_cmd(struct editor *ed, int argc, char **argv);
/* Runs the key when the tree binds it to suspend or redraw, whatever
 * the mode (a key that types is never one); false for other keys. */
bool terminal_habit(struct editor *ed, int r, wint_t wc);

#endif
