/* keys: what the terminal sends, named as keymaps name keys, and
 * dispatched by the editor's mode. */
#include "config.h"
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The keymap's name for what get_wch returned ("j", "C-r", "PgDn"). */
bool key_name_of(int r, wint_t wc, char *buf, size_t size)
{
    if (r == OK && (wc & KEY_META_FLAG)) {
        wint_t c = wc & ~KEY_META_FLAG;
        if (c <= ' ' || c >= 0x7f)
            return false;
        snprintf(buf, size, "M-%c", (char)c);
        return true;
    }
    if (r == KEY_CODE_YES) {
        static const struct { int code; const char *name; } keys[] = {
            { KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" },
            { KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
            { KEY_ENTER, "Enter" }, { KEY_BACKSPACE, "Backspace" }, { KEY_DC, "Del" },
            { KEY_BTAB, "S-Tab" },
        };
        for (size_t i = 0; i < ARRAY_LEN(keys); i++)
            if ((int)wc == keys[i].code) {
                snprintf(buf, size, "%s", keys[i].name);
                return true;
            }
        for (int f = 1; f <= 12; f++)
            if ((int)wc == KEY_F(f)) {
                snprintf(buf, size, "F%d", f);
                return true;
            }
        return false;
    }
    switch (wc) {
    case '\n': case '\r': snprintf(buf, size, "Enter"); return true;
    case ' ': snprintf(buf, size, "Space"); return true;
    case '\t': snprintf(buf, size, "Tab"); return true;
    case 27: snprintf(buf, size, "Esc"); return true;
    case 0x7f: case 8: snprintf(buf, size, "Backspace"); return true;
    default: break;
    }
    if (wc == 0x1f) {   /* what terminals send for Ctrl-/ and Ctrl-_ */
        snprintf(buf, size, "C-_");
        return true;
    }
    if (wc >= 1 && wc <= 26) {
        snprintf(buf, size, "C-%c", (char)('a' + wc - 1));
        return true;
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    char mb[MB_LEN_MAX + 1];
    size_t k = wcrtomb(mb, (wchar_t)wc, &st);
    if (k == (size_t)-1 || k >= size)
        return false;
    memcpy(buf, mb, k);
    buf[k] = '\0';
    return true;
}

/* The line typed for a command's operand ('/' for search): one word,
 * whatever it holds, never parsed as commands. */
static void run_prompt_operand(struct editor *ed, const char *line)
{
    /* an empty line is an empty word: '/' then Enter searches again */
    struct words w = words_of(ed->prompt_command, line, NULL);
    run_words(ed, &w);
    words_free(&w);
}

static void prompt_feed(struct editor *ed, int r, wint_t wc)
{
    /* keys the keymap's prompt context takes before the line editor */
    char name[16];
    const char *cmd = key_name_of(r, wc, name, sizeof name) ? keymap_lookup(ed->km, "prompt", name)
                                                            : NULL;
    if (cmd) {
        prompt_cancel(ed->prompt);
        ed->mode = MODE_TREE;
        if (strcmp(cmd, "cancel") != 0)
            run_line(ed, cmd);
        return;
    }
    if (wc & KEY_META_FLAG)
        return;
    if (r == KEY_CODE_YES) {
        /* the editing keys, as libedit's emacs bindings know them */
        switch (wc) {
        case KEY_UP: wc = 0x10; break;
        case KEY_DOWN: wc = 0x0e; break;
        case KEY_LEFT: wc = 0x02; break;
        case KEY_RIGHT: wc = 0x06; break;
        case KEY_HOME: wc = 0x01; break;
        case KEY_END: wc = 0x05; break;
        case KEY_BACKSPACE: wc = 0x08; break;
        case KEY_DC: wc = 0x04; break;
        case KEY_ENTER: wc = '\n'; break;
        default: return;
        }
    } else if (wc == 0x7f) {
        wc = 0x08;
    } else if (wc == '\r') {
        wc = '\n';
    }
    char *line;
    struct err e ERR_SCOPE = ERR_INIT;
    if (prompt_key(ed->prompt, (wchar_t)wc, ed->s, &line, &e)) {
        ed->mode = MODE_TREE;
        if (!line)
            editor_message(ed, true, "%s", e.msg);   /* too long: nothing runs */
        else if (ed->prompt_command)
            run_prompt_operand(ed, line);
        else if (line[strspn(line, " \t")])
            run_line(ed, line);
        free(line);
    }
}

/* Rows the wheel moves at a notch, as most terminal programs do. */
#define WHEEL_ROWS 3

/* The wheel: the pager's text, the details pane's when the pointer is
 * over it, else the tree's selection (the view follows it), WHEEL_ROWS a
 * notch. */
static void mouse_wheel(struct editor *ed, const MEVENT *ev, bool down)
{
    int rows = down ? WHEEL_ROWS : -WHEEL_ROWS;
    if (ed->mode == MODE_PAGER) {
        pager_scroll(ed, rows);
        return;
    }
    if (ed->mode != MODE_TREE || ed->nvis == 0)
        return;
    struct pane d = editor_panes(ed).details;
    if (ev->y >= d.y && ev->y < d.y + d.h && ev->x >= d.x && ev->x < d.x + d.w) {
        details_scroll(ed, rows);
        return;
    }
    size_t last = ed->nvis - 1;
    if (down)
        ed->sel = ed->sel + WHEEL_ROWS < last ? ed->sel + WHEEL_ROWS : last;
    else
        ed->sel = ed->sel > WHEEL_ROWS ? ed->sel - WHEEL_ROWS : 0;
}

static void mouse_key(struct editor *ed)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        mouse_wheel(ed, &ev, ev.bstate & BUTTON5_PRESSED);
        return;
    }
    if (ed->mode != MODE_TREE)
        return;
    struct layout_panes l = editor_panes(ed);
    if (ev.y < l.tree.y || ev.y >= l.tree.y + l.tree.h || ev.x >= l.tree.x + l.tree.w)
        return;
    size_t k = ed->top + (size_t)(ev.y - l.tree.y);
    if (k < ed->nvis) {
        ed->sel = k;
        if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
            tree_toggle(ed);
    }
}

/* Ctrl-C is pressed by accident more than any key: bound to quit, it
 * asks even when nothing would be lost. */
static bool quit_by_accident(struct editor *ed, const char *keys, const char *cmd)
{
    if (strcmp(keys, "C-c") != 0 || strcmp(cmd, "quit") != 0 || ed->s->modified)
        return false;
    confirm_ask(ed, CONFIRM_EXIT, words_of("quit", NULL, NULL), "Quit pcitopo? y quits, n stays");
    return true;
}

/* A key in the tree: alone, or the next of a sequence ("g g", "C-x C-s")
 * whose first keys came before; a key that begins a sequence waits. */
static void tree_key(struct editor *ed, const char *name)
{
    char keys[sizeof ed->pending_keys + 16];
    if (ed->pending_keys[0] && strcmp(name, "Esc") == 0) {
        editor_message(ed, false, "%s: cancelled", ed->pending_keys);
        ed->pending_keys[0] = '\0';
        return;
    }
    snprintf(keys, sizeof keys, "%s%s%s", ed->pending_keys, ed->pending_keys[0] ? " " : "", name);
    ed->pending_keys[0] = '\0';
    if (strcmp(keys, "Esc") == 0) {
        clear_message(ed);
        return;
    }
    if (keymap_is_prefix(ed->km, "tree", keys) && strlen(keys) < sizeof ed->pending_keys) {
        snprintf(ed->pending_keys, sizeof ed->pending_keys, "%s", keys);
        editor_message(ed, false, "%s-", keys);   /* as emacs shows C-x- */
        return;
    }
    const char *cmd = keymap_lookup(ed->km, "tree", keys);
    if (!cmd) {
        editor_message(ed, true, "%s: no command on this key (? shows the keys)", keys);
        return;
    }
    if (!quit_by_accident(ed, keys, cmd))
        run_line(ed, cmd);
}

bool editor_key(struct editor *ed, int r, wint_t wc)
{
    if (r == KEY_CODE_YES && wc == KEY_RESIZE)
        return !ed->done;
    if (r == KEY_CODE_YES && wc == KEY_MOUSE) {
        mouse_key(ed);
        return !ed->done;
    }
    if (terminal_habit(ed, r, wc))
        return !ed->done;
    bool tiny = COLS < MIN_COLS || LINES < MIN_LINES;
    if (tiny) {
        /* nothing shows: only quitting (and answering its question) makes sense */
        if (ed->mode == MODE_CONFIRM)
            confirm_key(ed, wc);
        else if (r == OK && wc == 'q')
            run_line(ed, "quit");
        return !ed->done;
    }
    switch (ed->mode) {
    case MODE_PROMPT: prompt_feed(ed, r, wc); return !ed->done;
    case MODE_DIALOG: dialog_key(ed, r, wc); return !ed->done;
    case MODE_PAGER: pager_key(ed, r, wc); return !ed->done;
    case MODE_CONFIRM: confirm_key(ed, wc); return !ed->done;
    case MODE_PROBLEMS: problems_key(ed, r, wc); return !ed->done;
    case MODE_RELOCATE: relocate_key(ed, r, wc); return !ed->done;
    case MODE_TREE: break;
    }
    char name[16];
    if (!key_name_of(r, wc, name, sizeof name))
        return !ed->done;
    tree_key(ed, name);
    return !ed->done;
}

/* The keymap context of the editor's mode. */
static const char *context_of(const struct editor *ed)
{
    return ed->mode == MODE_DIALOG ? "dialog" : ed->mode == MODE_PROMPT ? "prompt" : "tree";
}

/* Whether context binds any Meta key: only then is Esc worth waiting
 * after (the wait would reorder an Esc and a resize, say). */
static bool has_meta_keys(const struct keymap *km, const char *context)
{
    for (size_t i = 0; i < km->n; i++)
        if (strcmp(km->b[i].context, context) == 0 && strncmp(km->b[i].key, "M-", 2) == 0)
            return true;
    return false;
}

/* get_wch, with Esc and a key right after it read as Meta plus that key
 * (what terminals send for Alt) when the keymap binds that Meta key here;
 * otherwise Esc stays Esc, even when the next key follows fast. */
int read_key(const struct editor *ed, wint_t *wc)
{
    int r = get_wch(wc);
    if (r != OK || *wc != 27 || !has_meta_keys(ed->km, context_of(ed)))
        return r;
    wint_t next;
    timeout(50);
    int r2 = get_wch(&next);
    timeout(-1);
    char meta[8];
    snprintf(meta, sizeof meta, "M-%c", r2 == OK && next > ' ' && next < 0x7f ? (char)next : ' ');
    if (r2 == OK && keymap_lookup(ed->km, context_of(ed), meta))
        *wc = next | KEY_META_FLAG;
    else if (r2 == OK)
        unget_wch((wchar_t)next);   /* Esc, then a key of its own */
    else if (r2 == KEY_CODE_YES)
        ungetch((int)next);
    return r;
}
