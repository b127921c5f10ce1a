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
    sb_puts(&sb, "The mouse selects a line where the terminal reports clicks.\n\n");
    sb_puts(&sb, "Commands (type ':' then the command; 'help COMMAND' for details):\n\n");
    for (size_t i = 0; command_at(i); i++)
        sb_printf(&sb, "  %-46s %s\n", command_at(i)->usage, command_at(i)->summary);
    return sb_detach(&sb);
}

static void open_prompt(struct editor *ed, const char *text)
{
    if (!ed->prompt) {
        editor_message(ed, true, "the prompt is not available: %s", ed->prompt_problem);
        return;
    }
    ed->mode = MODE_PROMPT;
    prompt_begin(ed->prompt, text);
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

/* The editor's own meaning of a command, where it has one; false when
 * the command is for cmd_execute. */
static bool editor_command(struct editor *ed, int argc, char **argv)
{
    const char *name = argv[0];
    if (ed->mode == MODE_DIALOG && argc <= 2 && dialog_action(ed, argc, argv)) {
        return true;
    } else if (strcmp(name, "move") == 0 && argc == 2) {
        move_selection(ed, argv[1]);
    } else if (strcmp(name, "toggle") == 0 && argc == 1) {
        tree_toggle(ed);
    } else if (strcmp(name, "prompt") == 0 && argc <= 2) {
        open_prompt(ed, argc == 2 ? argv[1] : "");
    } else if (strcmp(name, "add") == 0 && argc == 1) {
        dialog_open(ed);
    } else if (strcmp(name, "help") == 0 && argc == 1) {
        char *text = help_text(ed);
        pager_open(ed, "pcitopo help  (q or Esc closes)", text);
        free(text);
    } else if (strcmp(name, "mark") == 0 && argc == 1) {
        marks_toggle(ed);
    } else if (strcmp(name, "group") == 0 && argc == 1) {
        group_marked(ed);
    } else if ((strcmp(name, "ungroup") == 0 || strcmp(name, "hotplug-xml") == 0) && argc == 1) {
        struct group g;
        char slot[16];
        if (!selected_group(ed, &g, slot, sizeof slot)) {
            editor_message(ed, true, "%s: select a group (a slot of host functions) or one of its functions",
                           name);
        } else {
            struct words w = words_of(name, slot, NULL);
            run_words(ed, &w);
            words_free(&w);
        }
    } else if (strcmp(name, "delete") == 0 && argc == 1 && sel_line(ed)
               && sel_line(ed)->role == ROLE_SLOT) {
        struct group g;
        char slot[16];
        if (!selected_group(ed, &g, slot, sizeof slot)) {
            editor_message(ed, true, "delete: this slot's functions are not all host devices; delete them one by one");
        } else {
            char *members = group_members_text_new(&g);
            confirm_ask(ed, CONFIRM_DELETE, words_of("delete", slot, NULL),
                "Delete the group at %s: %s? y deletes all %d functions, n keeps them", slot, members, g.n);
            free(members);
        }
    } else if (strcmp(name, "delete") == 0 && argc == 1) {
        const struct tree_line *l = sel_line(ed);
        char *what = selected_name_new(ed);
        if (!l || !l->dev) {
            editor_message(ed, true, "delete: select a device first");
        } else if (!what) {
            editor_message(ed, true, "delete: this device has neither an alias nor an address; place the domain first (p)");
        } else if (group_of(ed->s->topo, l->dev, &(struct group){ 0 })) {
            /* a function of a group: nothing to ask, the core says why not */
            struct words w = words_of("delete", what, NULL);
            run_words(ed, &w);
            words_free(&w);
        } else {
            confirm_ask(ed, CONFIRM_DELETE, words_of("delete", what, NULL), "Delete %s %s? y deletes, n keeps it",
                device_label(l->dev), what);
        }
        free(what);
    } else if (strcmp(name, "explain") == 0 && argc == 1) {
        explain_selected(ed);
    } else if (strcmp(name, "set-pref") == 0 && argc == 1) {
        /* the prompt, with the selected device and its preferences typed:
         * the name is quoted so that the line reads back as that word */
        const struct tree_line *l = sel_line(ed);
        char *what = selected_name_new(ed);
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
    } else if (strcmp(name, "save") == 0 && argc == 1 && !ed->s->dom->path) {
        /* the built-in example has no file: ask for one */
        open_prompt(ed, "save ");
    } else if (strcmp(name, "field") == 0 || strcmp(name, "choice") == 0
               || strcmp(name, "commit") == 0 || strcmp(name, "cancel") == 0) {
        editor_message(ed, true, "%s: only in the add dialog (a opens it)", name);
    } else if (strcmp(name, "quit") == 0 && argc == 1 && ed->s->modified) {
        confirm_ask(ed, CONFIRM_QUIT, words_of("quit", "-f", NULL),
            "%s has unsaved changes: w saves and quits, y quits without saving, n stays",
            ed->s->dom->name);
    } else {
        return false;
    }
    return true;
}

/* A save refused for a reason save -f overrides (the file changed on
 * disk, is read-only, was removed): asks whether to force it, as other
 * editors do.  False when there is nothing to ask. */
static bool offer_forced_save(struct editor *ed, int argc, char **argv)
{
    if (strcmp(argv[0], "save") != 0 || argc > 2 || (argc == 2 && strcmp(argv[1], "-f") == 0))
        return false;
    const char *name = argc == 2 ? argv[1] : ed->s->dom->name;
    const char *what;
    switch (ed->s->dom->refused) {
    case SAVE_REFUSED_CHANGED: what = "changed on disk since it was loaded: y overwrites it with this document"; break;
    case SAVE_REFUSED_READ_ONLY: what = "is read-only: y replaces it anyway"; break;
    case SAVE_REFUSED_REMOVED: what = "was removed since it was loaded: y writes it again"; break;
    default: return false;
    }
    confirm_ask(ed, CONFIRM_SAVE, words_of("save", "-f", argc == 2 ? argv[1] : NULL),
        "%s %s (save -f), n does not save", name, what);
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
    struct cmd_io io;
    cmd_io_init(&io);
    struct err e ERR_SCOPE = ERR_INIT;
    bool ok = cmd_execute(ed->s, argc, argv, &io, &e);
    sync_tree(ed);
    if (!ok) {
        if (!offer_forced_save(ed, argc, argv))
            editor_message(ed, true, "%s", e.msg);
    } else if (io.out.len && strchr(io.out.buf, '\n') != io.out.buf + io.out.len - 1) {
        char *line = cmd_words_line_new(argc, argv);
        char *title = xasprintf("%s  (q or Esc closes)", line);
        pager_open(ed, title, io.out.buf);
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
    for (size_t i = 0; i < sc->n && !ed->done; i++)
        if (!run_call(ed, sc->calls[i].argc, sc->calls[i].argv))
            break;
    cmd_script_free(sc);
}

void confirm_key(struct editor *ed, wint_t wc)
{
    ed->mode = MODE_TREE;
    if (ed->confirm == CONFIRM_RECOVER) {
        recover_key(ed, wc);
    } else if (wc == 'y' || wc == 'Y') {
        struct words w = ed->confirm_words;
        ed->confirm_words = (struct words){ 0, NULL };
        run_words(ed, &w);
        words_free(&w);
    } else if (ed->confirm == CONFIRM_QUIT && (wc == 'w' || wc == 'W')) {
        run_line(ed, "save");
        if (!ed->s->modified)
            run_line(ed, "quit");
    } else {
        editor_message(ed, false, ed->confirm == CONFIRM_DELETE ? "nothing deleted"
                       : ed->confirm == CONFIRM_SAVE ? "not saved" : "not quitting");
    }
}
