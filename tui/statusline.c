/* statusline: the status line (file, machine, spare hot-plug slots),
 * the message line under it (messages, questions, key hints), and the
 * log of every message shown, which `messages` opens in the pager. */
#include "config.h"
#include "screens.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "problems.h"
#include "util.h"

/* The log keeps the newest messages: at most LOG_MAX of them and
 * LOG_BYTES in all, each cut at LOG_ENTRY_BYTES, so a session of any
 * length (or a message of any size) keeps its memory small. */
#define LOG_MAX 500
#define LOG_BYTES (1024 * 1024)
#define LOG_ENTRY_BYTES (64 * 1024)

struct logged {
    unsigned long seq;          /* from 1, in the order shown */
    time_t when;
    bool error;
    char *text;                 /* owned */
};

struct message_log {
    struct logged e[LOG_MAX];   /* a ring: e[first] is the oldest */
    size_t first, n, bytes;
    unsigned long seq;          /* messages ever logged */
};

static void log_drop_oldest(struct message_log *log)
{
    struct logged *old = &log->e[log->first];
    log->bytes -= strlen(old->text);
    free(old->text);
    old->text = NULL;
    log->first = (log->first + 1) % LOG_MAX;
    log->n--;
}

/* text without its trailing newlines, cut at LOG_ENTRY_BYTES on a
 * character's start (saying so).  Caller frees. */
static char *log_text_new(const char *text)
{
    size_t len = strlen(text);
    while (len > 0 && text[len - 1] == '\n')
        len--;
    if (len <= LOG_ENTRY_BYTES)
        return xstrndup(text, len);
    size_t keep = LOG_ENTRY_BYTES;
    while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
        keep--;
    char *head = xstrndup(text, keep);
    char *cut = xasprintf("%s... (%zu more bytes not kept)", head, len - keep);
    free(head);
    return cut;
}

static void log_add(struct editor *ed, bool error, const char *text)
{
    if (!ed->log)
        ed->log = xcalloc(1, sizeof *ed->log);
    struct message_log *log = ed->log;
    char *kept = log_text_new(text);
    size_t len = strlen(kept);
    while (log->n > 0 && (log->n == LOG_MAX || log->bytes + len > LOG_BYTES))
        log_drop_oldest(log);
    log->e[(log->first + log->n) % LOG_MAX] =
        (struct logged){ ++log->seq, time(NULL), error, kept };
    log->n++;
    log->bytes += len;
}

void message_log_free(struct editor *ed)
{
    while (ed->log && ed->log->n > 0)
        log_drop_oldest(ed->log);
    free(ed->log);
    ed->log = NULL;
}

/* The log as the pager shows it, oldest first: number, time, error or
 * note, the text (its further lines indented under it).  Caller frees. */
static char *log_text(const struct message_log *log)
{
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "Messages of this session, oldest first (the newest %d are kept):\n\n", LOG_MAX);
    if (!log || log->n == 0)
        sb_puts(&sb, "(none yet)\n");
    else if (log->e[log->first].seq > 1)
        sb_printf(&sb, "(the %lu before these are no longer kept)\n", log->e[log->first].seq - 1);
    for (size_t i = 0; log && i < log->n; i++) {
        const struct logged *m = &log->e[(log->first + i) % LOG_MAX];
        char when[16];
        strftime(when, sizeof when, "%H:%M:%S", localtime(&m->when));
        size_t start = sb.len;
        sb_printf(&sb, "#%-4lu %s %s  ", m->seq, when, m->error ? "error" : "note ");
        int column = (int)(sb.len - start);
        for (const char *t = m->text; *t; t++) {
            sb_putc(&sb, *t);
            if (*t == '\n')
                sb_printf(&sb, "%*s", column, "");
        }
        sb_putc(&sb, '\n');
    }
    return sb_detach(&sb);
}

bool messages_cmd(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    char *text = log_text(ed->log);
    pager_open(ed, "messages, the newest last  (q or Esc closes)", text);
    free(text);
    pager_scroll(ed, 1 << 30);   /* at the newest, which is why one looks */
    return true;
}

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
    log_add(ed, error, ed->msg);
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
    if (t->policy.policy != POLICY_LIBVIRT || t->policy.spare_ports >= 0 || t->policy.stable_guest
        || s->live)
        sb_printf(&sb, "  %s%s%s%s", s->live ? "LIVE " : "",
                  t->policy.policy != POLICY_LIBVIRT ? policy_name(t->policy.policy) : "",
                  t->policy.spare_ports >= 0 ? " spare-ports" : "",
                  t->policy.stable_guest ? " stable-guest" : "");
    return sb_detach(&sb);
}

void status_draw(struct editor *ed, int y)
{
    struct strbuf right = STRBUF_INIT;
    int problems = problems_count(problems_current(ed));
    if (problems)
        sb_printf(&right, "  %d problem%s (c)", problems, problems == 1 ? "" : "s");
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
        mvaddch(y, 0, (chtype)(unsigned char)(ed->prompt_leader ? ed->prompt_leader : ':'));
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
        pager_bottom_draw(ed, y);
        return;
    }
    if (ed->msg && ed->msg[0]) {
        put_message(ed, rows, ed->msg, ed->msg_error ? theme_attr(ed, PAIR_ERROR, A_BOLD) : A_BOLD);
        return;
    }
    char *h = hints_new(ed);
    put_clipped(y, 0, COLS, h, A_DIM);
    free(h);
}

/* A message longer than half the screen goes to the pager, whole, in
 * the tree; elsewhere (the add dialog) put_message cuts it. */
void fit_message(struct editor *ed)
{
    if (ed->mode != MODE_TREE || !ed->msg || message_rows(ed) <= message_max_rows())
        return;
    char *text = ed->msg;   /* the pager wraps it at the screen's width */
    ed->msg = NULL;
    pager_open(ed, ed->msg_error ? "error  (q or Esc closes)" : "message  (q or Esc closes)", text);
    free(text);
}

/* The bytes of s's first line that fit in cols columns as whole words;
 * 0 when its first word alone does not fit. */
static size_t whole_words_cut(const char *s, int cols)
{
    if (cols <= 0)
        return 0;
    size_t nl = strcspn(s, "\n");
    size_t cut = wrap_cut(s, cols);
    /* wrap_cut breaks a word longer than the row: a cut, here */
    if (cut < nl && cut > 0 && s[cut - 1] != ' ' && s[cut] != ' ')
        cut = 0;
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    return cut;
}

void put_message(struct editor *ed, struct pane p, const char *text, attr_t attr)
{
    int y = p.y;
    if (wrapped_rows(text, p.w) <= p.h) {
        put_wrapped(p, &y, text, attr);
        return;
    }
    /* the rows before the last as they wrap; the last ends with the
     * pointer to the log, after the last whole word that leaves room */
    const char *s = text;
    for (; y < p.y + p.h - 1; y++) {
        size_t cut = wrap_cut(s, p.w);
        char *piece = xstrndup(s, cut);
        put_clipped(y, p.x, p.w, piece, attr);
        free(piece);
        s += cut;
        if (*s == '\n')
            s++;
    }
    const char *more = ed->utf8 ? "\u2026 (:messages shows all)" : "... (:messages shows all)";
    int room = p.w - text_width(more);
    char *piece = xstrndup(s, whole_words_cut(s, room));
    int x = put_clipped(y, p.x, room, piece, attr);
    put_clipped(y, p.x + x, p.w - x, more, attr);
    free(piece);
}
