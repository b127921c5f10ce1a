/* statusline: the status line (file, machine, spare hot-plug slots) and
 * the message line under it (messages, questions, key hints). */
#include "config.h"
#include "screens.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void editor_message(struct editor *ed, bool error, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    free(ed->msg);
    ed->msg = sb_detach(&sb);   /* whole: the message rows wrap it, the pager takes the rest */
    ed->msg_error = error;
}

void clear_message(struct editor *ed)
{
    free(ed->msg);
    ed->msg = NULL;
}

/* Rows the message line needs: the question or the message, wrapped at
 * the screen's width (at least one). */
int message_rows(const struct editor *ed)
{
    const char *text = ed->mode == MODE_CONFIRM ? ed->question
                     : ed->mode == MODE_TREE || ed->mode == MODE_DIALOG ? ed->msg : NULL;
    int rows = text && *text ? wrapped_rows(text, COLS) : 1;
    return rows < 1 ? 1 : rows;
}

/* The most rows a message may take from the panes above it; a longer one
 * is shown in the pager, whole. */
int message_max_rows(void)
{
    int rows = (LINES - 2) / 2;
    return rows < 1 ? 1 : rows;
}

/* What the status line says after the file name: modified, the machine
 * (with its name when with_machine_name), the policy and mode when they
 * are not the defaults.  Caller frees. */
static char *status_after_name(const struct editor *ed, bool with_machine_name)
{
    const struct session *s = ed->s;
    const struct topology *t = s->topo;
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s  %s", s->modified ? " [+]" : "", t->mach->name);
    if (t->machine_name && with_machine_name)
        sb_printf(&sb, " (%s)", t->machine_name);
    if (t->policy.policy != POLICY_LIBVIRT || t->policy.spare_ports >= 0 || s->live)
        sb_printf(&sb, "  %s%s%s", s->live ? "LIVE " : "",
                  t->policy.policy != POLICY_LIBVIRT ? policy_name(t->policy.policy) : "",
                  t->policy.spare_ports >= 0 ? " spare-ports" : "");
    return sb_detach(&sb);
}

void status_draw(struct editor *ed, int y)
{
    struct strbuf right = STRBUF_INIT;
    sb_printf(&right, "  spare hotplug: PCIe %d %s PCI %d", ed->spare.pcie, ed->utf8 ? "\u00b7" : "-",
              ed->spare.pci);
    if (ed->nmarks)
        sb_printf(&right, "  %d marked", ed->nmarks);
    sb_printf(&right, "  %zu/%zu ", ed->nvis ? ed->sel + 1 : 0, ed->nvis);
    attr_t sa = theme_attr(ed, PAIR_STATUS, A_REVERSE);
    attron(sa);
    mvhline(y, 0, ' ', COLS);
    attroff(sa);
    /* the numbers always show whole (never "PCI 3" for 30): on a narrow
     * screen the machine's name goes first, then the file name keeps its
     * end, then the rest is clipped */
    const char *more = ed->utf8 ? "\u2026" : "~";
    int room = COLS - text_width(right.buf) - 1;
    const char *name = ed->s->dom->name;
    char *after = status_after_name(ed, true);
    if (text_width(name) + text_width(after) > room) {
        free(after);
        after = status_after_name(ed, false);
    }
    int name_room = room - text_width(after);
    int used = put_clipped(y, 0, 1, " ", sa);
    if (text_width(name) > name_room && name_room > 8) {
        used += put_clipped(y, used, 1, more, sa);
        used += put_clipped(y, used, room, tail_fitting(name, name_room - 1), sa);
    } else {
        used += put_clipped(y, used, room, name, sa);
    }
    if (used + text_width(after) > room + 1) {
        used += put_clipped(y, used, room - used, after, sa);
        used += put_clipped(y, used, 1, more, sa);
    } else {
        used += put_clipped(y, used, room + 1 - used, after, sa);
    }
    put_clipped(y, used, COLS - used, right.buf, sa);
    free(after);
    sb_free(&right);
}

/* The key hints shown when there is no message: from the keymap. */
static char *hints_new(const struct editor *ed)
{
    static const struct { const char *command, *label; } wanted[] = {
        { "help", "help" }, { "add", "add" }, { "delete", "delete" }, { "undo", "undo" },
        { "redo", "redo" }, { "save", "save" }, { "prompt", "command" }, { "quit", "quit" },
    };
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "");
    for (size_t i = 0; i < ARRAY_LEN(wanted); i++) {
        char *keys = keymap_keys_new(ed->km, "tree", wanted[i].command);
        keys[strcspn(keys, ",")] = '\0';   /* one key is a hint; ? lists them all */
        if (keys[0])
            sb_printf(&sb, "%s%s %s", sb.len ? "  " : " ", keys, wanted[i].label);
        free(keys);
    }
    return sb_detach(&sb);
}

/* The message line: rows from y to the screen's last. */
void message_line_draw(struct editor *ed, int first_row)
{
    int y = LINES - 1;
    for (int r = first_row; r <= y; r++) {
        move(r, 0);
        clrtoeol();
    }
    if (ed->mode == MODE_PROMPT && ed->prompt) {
        size_t len, cursor;
        const wchar_t *buf = prompt_buffer(ed->prompt, &len, &cursor);
        const char *cands = prompt_candidates(ed->prompt);
        if (*cands) {
            move(y - 1, 0);
            clrtoeol();
            put_clipped(y - 1, 0, COLS, cands, A_BOLD);
        }
        mvaddch(y, 0, ':');
        /* the part of the line that fits, scrolled to show the cursor;
         * measured from the cursor, not the start: a paste redraws it
         * after every key */
        int col;
        size_t from = prompt_view(ed->prompt, COLS - 2, &col);
        (void)cursor;
        addnwstr(buf + from, (int)(len - from < (size_t)COLS ? len - from : (size_t)COLS));
        move(y, 1 + col);
        curs_set(1);
        return;
    }
    curs_set(0);
    struct pane rows = { first_row, 0, LINES - first_row, COLS };
    int at = first_row;
    if (ed->mode == MODE_CONFIRM) {
        put_wrapped(rows, &at, ed->question, theme_attr(ed, PAIR_HEADING, A_BOLD));
        return;
    }
    if (ed->mode == MODE_PAGER) {
        put_clipped(y, 0, COLS, " q/Esc close  j/k/arrows scroll  Space/PgDn page", A_DIM);
        return;
    }
    if (ed->msg && ed->msg[0]) {
        put_wrapped(rows, &at, ed->msg, ed->msg_error ? theme_attr(ed, PAIR_ERROR, A_BOLD) : A_BOLD);
        return;
    }
    char *h = hints_new(ed);
    put_clipped(y, 0, COLS, h, A_DIM);
    free(h);
}

void fit_message(struct editor *ed)
{
    if (ed->mode != MODE_TREE || !ed->msg || message_rows(ed) <= message_max_rows())
        return;
    /* the pager shows lines as they are: wrap them at this width first */
    struct strbuf text = STRBUF_INIT;
    for (const char *m = ed->msg; *m;) {
        size_t cut = wrap_cut(m, COLS);
        sb_add(&text, m, cut);
        sb_putc(&text, '\n');
        m += cut;
        if (*m == '\n')
            m++;
    }
    clear_message(ed);
    pager_open(ed, ed->msg_error ? "error  (q or Esc closes)" : "message  (q or Esc closes)", text.buf);
    sb_free(&text);
}
