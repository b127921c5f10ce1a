/* commands: the editor's meaning of commands (add opens the dialog,
 * delete acts on the selection...), running the rest as batch mode does,
 * and the questions asked before a command runs. */
#include "config.h"
#include "screens.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "explain.h"
#include "guestdiff.h"
#include "origin.h"
#include "search.h"
#include "util.h"

void words_add(struct words *w, const char *word)
{
    w->argv = xrealloc(w->argv, (size_t)(w->argc + 2) * sizeof *w->argv);
    w->argv[w->argc++] = xstrdup(word);
    w->argv[w->argc] = NULL;
}

void words_free(struct words *w)
{
    for (int i = 0; i < w->argc; i++)
        free(w->argv[i]);
    free(w->argv);
    *w = (struct words){ 0, NULL };
}

/* words_add for a command and up to two operands (NULL: none). */
struct words words_of(const char *cmd, const char *a, const char *b)
{
    struct words w = { 0, NULL };
    words_add(&w, cmd);
    if (a)
        words_add(&w, a);
    if (b)
        words_add(&w, b);
    return w;
}

/* Adds the word NAME=VALUE. */
void words_add_pair(struct words *w, const char *name, const char *value)
{
    char *word = xasprintf("%s=%s", name, value);
    words_add(w, word);
    free(word);
}

/* The help screen: the keys of the keymap with what their commands do,
 * then every command — generated, so it cannot drift from either. */
static char *help_text(const struct editor *ed)
{
    static const struct { const char *context, *title, *after; } parts[] = {
        { "tree", "Keys in the tree (from the keymap; each runs the command beside it):", "" },
        { "dialog", "Keys in the add dialog (in the alias, host and numa fields, printable keys type):",
          "  The preview marks the new device and the controllers it brings.\n" },
        { "prompt", "Keys at the ':' prompt, besides its line editing:",
          "  Tab completes, Up/Down recall the history, Enter runs the line.\n" },
    };
    struct strbuf sb = STRBUF_INIT;
    for (size_t p = 0; p < ARRAY_LEN(parts); p++) {
        size_t n;
        struct key_row *rows = keymap_rows_new(ed->km, parts[p].context, &n);
        sb_printf(&sb, "%s\n\n", parts[p].title);
        for (size_t i = 0; i < n; i++)
            sb_printf(&sb, "  %-16s %-18s %s\n", rows[i].keys, rows[i].command, rows[i].summary);
        sb_printf(&sb, "%s\n", parts[p].after);
        keymap_rows_free(rows, n);
    }
    sb_puts(&sb, "The mouse selects a line where the terminal reports clicks, and its wheel\n"
                 "scrolls; 'mouse' turns it off (and on), to select text without Shift.\n\n");
    sb_puts(&sb, pager_help());
    sb_puts(&sb, "Commands (type ':' then the command; 'help COMMAND' for details):\n\n");
    for (size_t i = 0; command_at(i); i++)
        sb_printf(&sb, "  %-46s %s\n", command_at(i)->usage, command_at(i)->summary);
    sb_puts(&sb, "\n");
    command_aliases_line(&sb);
    return sb_detach(&sb);
}

/* Opens the bottom line to type: a command line (leader ':', command
 * NULL), or the one operand of command ('/' for search). */
static void open_prompt_with(struct editor *ed, char leader, const char *command, const char *text)
{
    if (!ed->prompt) {
        editor_message(ed, true, "the prompt is not available: %s", ed->prompt_problem);
        return;
    }
    ed->mode = MODE_PROMPT;
    ed->prompt_leader = leader;
    ed->prompt_command = command;
    prompt_begin(ed->prompt, text);
}

static void open_prompt(struct editor *ed, const char *text)
{
    open_prompt_with(ed, ':', NULL, text);
}

static void open_prompt_for(struct editor *ed, char leader, const char *command)
{
    open_prompt_with(ed, leader, command, "");
}

/* Asks fmt; 'y' runs cmd (taken over; may be an empty struct words). */
void confirm_ask(struct editor *ed, enum confirm what, struct words cmd, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    free(ed->question);
    ed->question = sb_detach(&sb);
    words_free(&ed->confirm_words);
    ed->confirm_words = cmd;
    ed->confirm = what;
    ed->mode = MODE_CONFIRM;
}

/* What a change would move in the guest, found by making it on a copy
 * of the document: NULL when nothing moves, when it fails (the real run
 * says why), and for commands that are not only document edits. */
static char *guard_trial_new(const struct editor *ed, const struct words *w)
{
    if (w->argc < 1)
        return NULL;
    const struct command *c = command_find(w->argv[0]);
    if (!c || !(c->flags & CMD_TRIAL) || ed->s->topo->mach->firmware == FW_NOT_MODELLED)
        return NULL;
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *copy = session_clone(ed->s, &e);
    if (!copy)
        return NULL;
    struct cmd_io io;
    cmd_io_init(&io);
    char *moves = NULL;
    if (cmd_execute(copy, w->argc, w->argv, &io, &e))
        moves = guard_preview_note_new(ed->s->topo, copy->topo, PREVIEW_GUARD_MOST);
    cmd_io_free(&io);
    session_free(copy);
    return moves;
}

/* e: explains the selected device itself.  Not by its name: a device
 * without an alias is named by its address, which a colliding device
 * shares, and the explanation would be the other's. */
static void explain_selected(struct editor *ed)
{
    const struct tree_line *l = sel_line(ed);
    if (!l || !l->dev) {
        editor_message(ed, true, "explain: select a device");
        return;
    }
    char *text = explain_of(shown_tree(ed) == ed->tree ? ed->s->topo : ed->dlg.preview->topo, l->dev);
    char *name = line_name_new(l);
    char *title = xasprintf("explain %s  (q or Esc closes)", name ? name : device_label(l->dev));
    pager_open(ed, title, text);
    free(title);
    free(name);
    free(text);
}

/* The editor's own meaning of a command, as a row: the command, how many
 * words it takes for this meaning (with its name), and the handler.  A
 * handler returns false to leave the command to cmd_execute after all
 * (delete NAME, say, is batch's). */
struct editor_row {
    const char *name;
    int min_words, max_words;
    bool (*run)(struct editor *ed, int argc, char **argv);
};

static bool ed_move(struct editor *ed, int argc, char **argv)
{
    (void)argc;
    move_selection(ed, argv[1]);
    return true;
}

static bool ed_toggle(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    tree_toggle(ed);
    return true;
}

static bool ed_fold(struct editor *ed, int argc, char **argv)
{
    (void)argc;
    bool collapse = strncmp(argv[0], "collapse", 8) == 0;
    if (strchr(argv[0], '-'))
        tree_fold_all(ed, collapse);
    else
        tree_fold(ed, collapse);
    return true;
}

static bool ed_prompt(struct editor *ed, int argc, char **argv)
{
    open_prompt(ed, argc == 2 ? argv[1] : "");
    return true;
}

/* search TEXT searches at once; search alone opens the '/' line. */
static bool ed_search(struct editor *ed, int argc, char **argv)
{
    bool forward = strcmp(argv[0], "search") == 0;
    if (argc == 2)
        search_run(ed, argv[1], forward);
    else
        open_prompt_for(ed, forward ? '/' : '?', forward ? "search" : "search-back");
    return true;
}

static bool ed_search_again(struct editor *ed, int argc, char **argv)
{
    (void)argc;
    search_again(ed, strcmp(argv[0], "search-prev") == 0);
    return true;
}

static bool ed_goto(struct editor *ed, int argc, char **argv)
{
    (void)argc;
    goto_target(ed, argv[1]);
    return true;
}

static bool ed_add(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    dialog_open(ed);
    return true;
}

static bool ed_help(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    char *text = help_text(ed);
    pager_open(ed, "pcitopo help  (q or Esc closes)", text);
    free(text);
    return true;
}

static bool ed_mark(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    marks_toggle(ed);
    return true;
}

static bool ed_group(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    group_marked(ed);
    return true;
}

/* ungroup and hotplug-xml: the group selected, or one of its functions. */
static bool ed_on_group(struct editor *ed, int argc, char **argv)
{
    (void)argc;
    struct group g;
    char slot[16];
    if (!selected_group(ed, &g, slot, sizeof slot)) {
        editor_message(ed, true, "%s: select a group (a slot of host functions) or one of its functions",
                       argv[0]);
        return true;
    }
    struct words w = words_of(argv[0], slot, NULL);
    run_words(ed, &w);
    words_free(&w);
    return true;
}

static void delete_group(struct editor *ed)
{
    struct group g;
    char slot[16];
    if (!selected_group(ed, &g, slot, sizeof slot)) {
        editor_message(ed, true, "delete: this slot's functions are not all host devices; delete them one by one");
        return;
    }
    char *members = group_members_text_new(&g);
    struct words w = words_of("delete", slot, NULL);
    char *moves = guard_trial_new(ed, &w);
    confirm_ask(ed, CONFIRM_DELETE, w,
                "Delete the group at %s: %s?%s%s%s y deletes all %d functions, n keeps them", slot, members,
                moves ? " " : "", moves ? moves : "", moves ? "." : "", g.n);
    free(moves);
    free(members);
}

static bool ed_delete(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    const struct tree_line *l = sel_line(ed);
    if (l && l->role == ROLE_SLOT) {
        delete_group(ed);
        return true;
    }
    char *what = selected_name_new(ed);
    if (!l || !l->dev) {
        editor_message(ed, true, "delete: select a device first");
    } else if (!what) {
        editor_message(ed, true, "delete: this device has no alias, address or line to name it by");
    } else if (group_of(ed->s->topo, l->dev, &(struct group){ 0 })) {
        /* a function of a group: nothing to ask, the core says why not */
        struct words w = words_of("delete", what, NULL);
        run_words(ed, &w);
        words_free(&w);
    } else {
        struct words w = words_of("delete", what, NULL);
        char *moves = guard_trial_new(ed, &w);
        confirm_ask(ed, CONFIRM_DELETE, w, "Delete %s %s?%s%s%s y deletes, n keeps it",
                    device_label(l->dev), what, moves ? " " : "", moves ? moves : "", moves ? "." : "");
        free(moves);
    }
    free(what);
    return true;
}

static bool ed_explain(struct editor *ed, int argc, char **argv)
{
    if (argc == 1) {
        explain_selected(ed);
        return true;
    }
    /* explain NAME also selects it; the explanation is batch's */
    long i = search_goto(ed->tree, argv[1]);
    if (i >= 0)
        treeview_reveal(ed, (size_t)i);
    return false;
}

/* The prompt, with the selected device and its preferences typed: the
 * name is quoted so that the line reads back as that word. */
static bool ed_set_pref(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    const struct tree_line *l = sel_line(ed);
    char *what = l && l->dev && l->dev->alias ? xstrdup(l->dev->alias) : selected_name_new(ed);
    if (!l || !l->dev || !what) {
        editor_message(ed, true, "set-pref: select a device first");
    } else {
        struct strbuf text = STRBUF_INIT;
        sb_puts(&text, "set-pref ");
        cmd_quote_word(&text, what);
        char *wishes = dev_pref_text_new(&l->dev->pref);
        sb_printf(&text, " %s%s", wishes, *wishes ? " " : "");
        free(wishes);
        open_prompt(ed, text.buf);
        sb_free(&text);
    }
    free(what);
    return true;
}

/* save of a domain from libvirt defines it: show what it would change
 * and ask first; a definition changed meanwhile is shown, not asked
 * about (the save would refuse). */
static bool ask_define(struct editor *ed, const char *cmd)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct strbuf diff = STRBUF_INIT;
    size_t changed;
    bool ok = origin_preview(ed->s, false, &diff, &changed, &e);
    if (!ok && diff.len) {
        pager_open(ed, "save refused: libvirt's definition changed since it was opened  "
                   "(q closes; :reload takes it, :save -f defines over it)", diff.buf);
        editor_message(ed, true, "%s", e.msg);
    } else if (!ok) {
        editor_message(ed, true, "%s", e.msg);
    }
    sb_free(&diff);
    if (!ok || !changed)
        return !ok;   /* nothing to define: save says so */
    if (ed->s->origin->live)
        confirm_ask(ed, CONFIRM_DEFINE, words_of(cmd, NULL, NULL),
                    "hot-plug what was added into the running guest %s? y plugs, n does not "
                    "(:diff shows the %zu line%s; %s)", ed->s->origin->domain, changed,
                    changed == 1 ? "" : "s", virt_conn_uri(ed->s->origin->conn));
    else
        confirm_ask(ed, CONFIRM_DEFINE, words_of(cmd, NULL, NULL),
                    "define %s in libvirt? y defines, n does not (%zu line%s change, :diff shows "
                    "them; %s)", ed->s->origin->domain, changed, changed == 1 ? "" : "s",
                    virt_conn_uri(ed->s->origin->conn));
    return true;
}

/* save without a file name, when the document has none (the built-in
 * example, standard input): ask for one; of a domain from libvirt: ask
 * before defining it. */
static bool ed_save(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (ed->s->origin)
        return ed->define_confirmed ? false : ask_define(ed, "save");
    if (ed->s->dom->path)
        return false;
    open_prompt(ed, "save-as ");
    return true;
}

/* vi's x saves, when modified, in the core: for a domain from libvirt
 * that is a define, asked first as save asks. */
static bool ed_x(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (!ed->s->origin || !ed->s->modified || ed->define_confirmed)
        return false;
    return ask_define(ed, "x");
}

static bool ed_dialog_only(struct editor *ed, int argc, char **argv)
{
    (void)argc;
    editor_message(ed, true, "%s: only in the add dialog (a opens it)", argv[0]);
    return true;
}

/* quit with unsaved changes asks, and each answer says what it does:
 * y must not lose work, so the answers are s, d and c. */
static bool ed_quit(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (!ed->s->modified)
        return false;
    confirm_ask(ed, CONFIRM_QUIT, words_of("quit", "-f", NULL),
                "%s has unsaved changes: s saves and quits, d discards them and quits, "
                "c or Esc cancels", ed->s->dom->name);
    return true;
}

static bool ed_problems(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    problems_open(ed);
    return true;
}

/* relocate alone: choose the slot with the keys; with words, batch's. */
static bool ed_relocate(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    relocate_begin(ed);
    return true;
}

static const struct editor_row editor_rows[] = {
    { "problems", 1, 1, ed_problems },
    { "relocate", 1, 1, ed_relocate },
    { "move", 2, 2, ed_move },
    { "toggle", 1, 1, ed_toggle },
    { "collapse", 1, 1, ed_fold },
    { "expand", 1, 1, ed_fold },
    { "collapse-all", 1, 1, ed_fold },
    { "expand-all", 1, 1, ed_fold },
    { "prompt", 1, 2, ed_prompt },
    { "search", 1, 2, ed_search },
    { "search-back", 1, 2, ed_search },
    { "search-next", 1, 1, ed_search_again },
    { "search-prev", 1, 1, ed_search_again },
    { "goto", 2, 2, ed_goto },
    { "add", 1, 1, ed_add },
    { "help", 1, 1, ed_help },
    { "mark", 1, 1, ed_mark },
    { "group", 1, 1, ed_group },
    { "ungroup", 1, 1, ed_on_group },
    { "hotplug-xml", 1, 1, ed_on_group },
    { "delete", 1, 1, ed_delete },
    { "explain", 1, 2, ed_explain },
    { "set-pref", 1, 1, ed_set_pref },
    { "save", 1, 1, ed_save },
    { "x", 1, 1, ed_x },
    { "field", 1, 99, ed_dialog_only },
    { "choice", 1, 99, ed_dialog_only },
    { "commit", 1, 99, ed_dialog_only },
    { "cancel", 1, 99, ed_dialog_only },
    { "quit", 1, 1, ed_quit },
    { "suspend", 1, 1, terminal_suspend_cmd },
    { "redraw", 1, 1, terminal_redraw_cmd },
    { "mouse", 1, 2, terminal_mouse_cmd },
    { "numbers", 1, 2, treeview_numbers_cmd },
    { "details", 2, 2, details_cmd },
    { "messages", 1, 1, messages_cmd },
};

/* The editor's own meaning of a command, where it has one; false when
 * the command is for cmd_execute. */
static bool editor_command(struct editor *ed, int argc, char **argv)
{
    if (ed->mode == MODE_DIALOG && argc <= 2 && dialog_action(ed, argc, argv))
        return true;
    for (size_t i = 0; i < ARRAY_LEN(editor_rows); i++) {
        const struct editor_row *r = &editor_rows[i];
        if (strcmp(r->name, argv[0]) == 0 && argc >= r->min_words && argc <= r->max_words)
            return r->run(ed, argc, argv);
    }
    return false;
}

/* A save refused for a reason save -f overrides (the file changed on
 * disk, is read-only, was removed): asks whether to force it, as other
 * editors do.  False when there is nothing to ask. */
static bool offer_forced_save(struct editor *ed, int argc, char **argv)
{
    bool copy = strcmp(argv[0], "save-copy") == 0, as = strcmp(argv[0], "save-as") == 0;
    if ((strcmp(argv[0], "save") != 0 && !copy && !as) || argc > 2
        || (argc == 2 && strcmp(argv[1], "-f") == 0))
        return false;
    const char *name = argc == 2 ? argv[1] : ed->s->dom->name;
    const char *what;
    switch (ed->s->dom->refused) {
    case SAVE_REFUSED_CHANGED: what = "changed on disk since it was loaded: y overwrites it with this document"; break;
    case SAVE_REFUSED_READ_ONLY: what = "is read-only: y replaces it anyway"; break;
    case SAVE_REFUSED_REMOVED: what = "was removed since it was loaded: y writes it again"; break;
    default: return false;
    }
    confirm_ask(ed, CONFIRM_SAVE, words_of(argv[0], "-f", argc == 2 ? argv[1] : NULL),
        "%s %s (save -f), n does not save", name, what);
    return true;
}

static struct words words_of_argv(int argc, char **argv)
{
    struct words w = { 0, NULL };
    for (int i = 0; i < argc; i++)
        words_add(&w, argv[i]);
    return w;
}

/* Nothing moves in the guest behind the user's back: a change that
 * would move devices asks first, naming them.  True when it asked. */
static bool guard_ask(struct editor *ed, int argc, char **argv)
{
    if (ed->guard_shown)
        return false;
    struct words w = words_of_argv(argc, argv);
    char *moves = guard_trial_new(ed, &w);
    if (!moves) {
        words_free(&w);
        return false;
    }
    char *line = cmd_words_line_new(argc, argv);
    confirm_ask(ed, CONFIRM_GUARD, w,
                "%s: %s. y goes ahead, n leaves the guest as it is", line, moves);
    free(line);
    free(moves);
    return true;
}

/* Runs one command, given as words, the way batch mode does, showing
 * its note in the message line and its output in the pager.  False when
 * it failed. */
static bool run_call(struct editor *ed, int argc, char **argv)
{
    clear_message(ed);
    if (editor_command(ed, argc, argv))
        return true;
    if (guard_ask(ed, argc, argv))
        return true;
    struct cmd_io io;
    cmd_io_init(&io);
    struct err e ERR_SCOPE = ERR_INIT;
    bool ok = cmd_execute(ed->s, argc, argv, &io, &e);
    sync_tree(ed);
    if (!ok) {
        if (!offer_forced_save(ed, argc, argv))
            editor_message(ed, true, "%s", e.msg);
    } else if (io.out.len && strchr(io.out.buf, '\n') != io.out.buf + io.out.len - 1) {
        /* a define's diff: libvirt's answer (the note) goes above it */
        struct strbuf text = STRBUF_INIT;
        if (io.note.len && strcmp(argv[0], "save") == 0)
            sb_printf(&text, "%s\n\n", io.note.buf);
        sb_add(&text, io.out.buf, io.out.len);
        char *line = cmd_words_line_new(argc, argv);
        char *title = xasprintf("%s  (q or Esc closes)", line);
        pager_open(ed, title, text.buf);
        sb_free(&text);
        free(title);
        free(line);
    } else if (io.out.len) {
        editor_message(ed, false, "%s", io.out.buf);
    } else if (io.note.len) {
        editor_message(ed, false, "%s", io.note.buf);
    }
    if (ok && strcmp(argv[0], "add") == 0 && ed->s->last_added) {
        for (size_t k = 0; k < ed->nvis; k++) {
            const struct tree_line *l = &ed->tree->lines[ed->vis[k]];
            if (l->dev && l->dev->node == ed->s->last_added)
                ed->sel = k;
        }
    }
    cmd_io_free(&io);
    if (ok && strcmp(argv[0], "save-as") == 0)
        recovery_follow_file(ed);
    if (ed->s->quit)
        ed->done = true;
    return ok;
}

bool run_words(struct editor *ed, const struct words *w)
{
    return w->argc > 0 && run_call(ed, w->argc, w->argv);
}

/* Runs a command line the user typed or a key is bound to: its
 * commands in turn, up to the first that fails. */
void run_line(struct editor *ed, const char *line)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_script *sc = cmd_script_parse(line, &e);
    if (!sc) {
        editor_message(ed, true, "%s", e.msg);
        return;
    }
    for (size_t i = 0; i < sc->n && !ed->done; i++) {
        if (!run_call(ed, sc->calls[i].argc, sc->calls[i].argv))
            break;
        /* a command that asks (the file name :wq needs, a question) ends
         * the line: the rest must not run before the answer */
        if (ed->mode == MODE_PROMPT || ed->mode == MODE_CONFIRM)
            break;
    }
    cmd_script_free(sc);
}

/* The answer to "unsaved changes": s (or w) saves and quits, d quits
 * without saving, anything else stays. */
static void quit_answer(struct editor *ed, wint_t wc)
{
    if (wc == 's' || wc == 'S' || wc == 'w' || wc == 'W') {
        run_line(ed, "save");
        if (!ed->s->modified)
            run_line(ed, "quit");
    } else if (wc == 'd' || wc == 'D') {
        run_line(ed, "quit -f");
    } else {
        editor_message(ed, false, "not quitting");
    }
}

void confirm_key(struct editor *ed, wint_t wc)
{
    ed->mode = MODE_TREE;
    if (ed->confirm == CONFIRM_RECOVER) {
        recover_key(ed, wc);
    } else if (ed->confirm != CONFIRM_QUIT && (wc == 'y' || wc == 'Y')) {
        struct words w = ed->confirm_words;
        ed->confirm_words = (struct words){ 0, NULL };
        ed->define_confirmed = ed->confirm == CONFIRM_DEFINE;
        ed->guard_shown = ed->confirm == CONFIRM_GUARD || ed->confirm == CONFIRM_DELETE;
        run_words(ed, &w);
        ed->define_confirmed = false;
        ed->guard_shown = false;
        words_free(&w);
    } else if (ed->confirm == CONFIRM_QUIT) {
        quit_answer(ed, wc);
    } else {
        editor_message(ed, false, ed->confirm == CONFIRM_DELETE ? "nothing deleted"
                       : ed->confirm == CONFIRM_GUARD ? "not changed"
                       : ed->confirm == CONFIRM_SAVE ? "not saved"
                       : ed->confirm == CONFIRM_DEFINE ? "not defined" : "not quitting");
    }
}

void editor_command_line(struct editor *ed, const char *line)
{
    run_line(ed, line);
}

const char *editor_message_text(const struct editor *ed)
{
    return ed->msg ? ed->msg : "";
}
