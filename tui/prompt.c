#include "config.h"
#include "prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wctype.h>
#include <sys/stat.h>
#include <histedit.h>

#include "complete.h"

struct prompt {
    EditLine *el;
    History *hist;
    FILE *slave;
    int master;
    char *history_path;          /* owned; NULL: no history written */
    char *history_problem;       /* owned, may be NULL */
    wchar_t queue[4];
    int queued;
    const struct session *s;     /* for completion, during prompt_key */
    struct strbuf candidates;    /* what Tab offered, or the line's warning */
    size_t dropped;              /* bytes typed past the longest line: it will be refused */
    bool escaped;                /* an Esc reached libedit in this line: a key may
                                  * be a Meta command, not text */
};

/* libedit's history file starts with this line; pcitopo keeps its format
 * so that the files stay readable both ways. */
static const char history_cookie[] = "_HiStOrY_V2_";

/* libedit keeps a pointer to its client data; this is how the getc and
 * completion callbacks find the prompt. */
static struct prompt *of(EditLine *el)
{
    void *p = NULL;
    el_get(el, EL_CLIENTDATA, &p);
    return p;
}

static int queued_getc(EditLine *el, wchar_t *wc)
{
    struct prompt *p = of(el);
    if (!p->queued)
        return 0;
    *wc = p->queue[0];
    memmove(p->queue, p->queue + 1, (size_t)--p->queued * sizeof p->queue[0]);
    return 1;
}

static wchar_t *no_prompt(EditLine *el)
{
    static wchar_t empty[] = L"";
    (void)el;
    return empty;
}

static void drain(struct prompt *p)
{
    char junk[4096];
    while (read(p->master, junk, sizeof junk) > 0)
        ;
}

static void clear_candidates(struct prompt *p)
{
    p->candidates.len = 0;
    if (p->candidates.buf)
        p->candidates.buf[0] = '\0';
}

static unsigned char complete_fn(EditLine *el, int ch)
{
    (void)ch;
    struct prompt *p = of(el);
    const LineInfo *li = el_line(el);
    size_t cursor = (size_t)(li->cursor - li->buffer);
    char *line = xmalloc(cursor + 1);
    memcpy(line, li->buffer, cursor);
    line[cursor] = '\0';
    struct completion *c = complete_line(line, cursor, p->s);
    free(line);
    clear_candidates(p);
    unsigned char rc = CC_ERROR;
    size_t typed = cursor - c->word_start;
    if (c->n == 1) {
        el_insertstr(el, c->words[0] + typed);
        /* "alias=ua-" and "host=" want their value right after */
        size_t wl = strlen(c->words[0]);
        if (wl && c->words[0][wl - 1] != '=' && c->words[0][wl - 1] != '-')
            el_insertstr(el, " ");
        rc = CC_REFRESH;
    } else if (c->n > 1) {
        if (strlen(c->common) > typed)
            el_insertstr(el, c->common + typed);
        /* all of them: the editor clips the row to the screen */
        for (size_t i = 0; i < c->n; i++)
            sb_printf(&p->candidates, "%s%s", i ? "  " : "", c->words[i]);
        rc = CC_REFRESH;
    }
    completion_free(c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The history file */

/* Undoes libedit's strvis(VIS_WHITE) of a history line: \ooo octal, \^X
 * control, \M-x and \M^X meta, C escapes; other bytes are themselves.
 * Returns the length written to out (at most len). */
static size_t unvis_line(const char *in, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)in[i++];
        if (c != '\\' || i == len) {
            out[o++] = (char)c;
            continue;
        }
        c = (unsigned char)in[i++];
        unsigned char meta = 0;
        if (c == 'M' && i + 1 < len && (in[i] == '-' || in[i] == '^')) {
            meta = 0x80;
            c = (unsigned char)in[i++];
            if (c == '-') {
                out[o++] = (char)((unsigned char)in[i++] | meta);
                continue;
            }
        }
        if (c == '^' && i < len) {
            unsigned char x = (unsigned char)in[i++];
            out[o++] = (char)((x == '?' ? 0x7f : x & 0x1f) | meta);
        } else if (c >= '0' && c <= '7') {
            unsigned v = c - '0';
            for (int k = 0; k < 2 && i < len && in[i] >= '0' && in[i] <= '7'; k++)
                v = v * 8 + (unsigned)(in[i++] - '0');
            out[o++] = (char)(v & 0xff);
        } else {
            static const char from[] = "ntrbavfsE", to[] = "\n\t\r\b\a\v\f \033";
            const char *at = c ? strchr(from, c) : NULL;
            out[o++] = at ? to[at - from] : (char)c;
        }
    }
    return o;
}

/* line as libedit writes it: white space, backslash and control
 * characters escaped, one entry a line. */
static void vis_line(struct strbuf *sb, const char *line)
{
    for (const unsigned char *c = (const unsigned char *)line; *c; c++) {
        if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\\')
            sb_printf(sb, "\\%03o", *c);
        else if (*c < 0x20 || *c == 0x7f)
            sb_printf(sb, "\\^%c", *c == 0x7f ? '?' : *c + '@');
        else
            sb_putc(sb, (char)*c);
    }
    sb_putc(sb, '\n');
}

/* Enters the lines of buf (the file, or its newest part when partial:
 * then the first line is cut and skipped).  Returns how many lines were
 * too long to be a prompt line, and skipped; -1 when buf is not a
 * history file. */
static long history_parse(struct prompt *p, char *buf, size_t len, bool partial)
{
    char *at = buf, *end = buf + len;
    char *nl = memchr(at, '\n', len);
    if (partial)
        at = nl ? nl + 1 : end;
    else if (len && (!nl || (size_t)(nl - at) != strlen(history_cookie)
                     || memcmp(at, history_cookie, strlen(history_cookie)) != 0))
        return -1;
    else
        at = nl ? nl + 1 : end;
    long skipped = 0;
    char *line = xmalloc(PROMPT_LINE_MAX + 1);
    HistEvent ev;
    while (at < end) {
        char *eol = memchr(at, '\n', (size_t)(end - at));
        size_t n = (size_t)((eol ? eol : end) - at);
        /* one escaped byte takes four: longer cannot decode short enough */
        size_t got = n <= 4 * (size_t)PROMPT_LINE_MAX ? unvis_line(at, n, at) : PROMPT_LINE_MAX + 1;
        if (got > PROMPT_LINE_MAX || memchr(at, '\0', got))
            skipped++;
        else if (got) {
            memcpy(line, at, got);
            line[got] = '\0';
            history(p->hist, &ev, H_ENTER, line);
        }
        at = eol ? eol + 1 : end;
    }
    free(line);
    return skipped;
}

static void history_refuse(struct prompt *p, const char *path, const char *why)
{
    free(p->history_path);
    p->history_path = NULL;
    /* the reason first: the message line may be too narrow for the path */
    p->history_problem = xasprintf("prompt history not read or written (%s): %s", why, path);
}

/* Reads the history file like the domain and keymap files: a regular
 * file only, opened without following a link and without blocking (a
 * fifo would wait for a writer, /dev/zero never ends), and only its
 * newest PROMPT_HISTORY_MAX bytes.  A file refused is not written either:
 * what is there is not pcitopo's to replace. */
static void history_read(struct prompt *p, const char *path)
{
    p->history_path = xstrdup(path);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            history_refuse(p, path, errno == ELOOP ? "a symbolic link" : strerror(errno));
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        history_refuse(p, path, "not a regular file");
        close(fd);
        return;
    }
    bool partial = st.st_size > PROMPT_HISTORY_MAX
                   && lseek(fd, st.st_size - PROMPT_HISTORY_MAX, SEEK_SET) >= 0;
    char *buf = xmalloc(PROMPT_HISTORY_MAX + 1);
    size_t len = read_up_to(fd, buf, PROMPT_HISTORY_MAX);
    close(fd);
    long skipped = history_parse(p, buf, len, partial);
    free(buf);
    if (skipped < 0)
        history_refuse(p, path, "no _HiStOrY_V2_ line: not a history file");
    else if (skipped || partial) {
        struct strbuf sb = STRBUF_INIT;
        sb_puts(&sb, "prompt history:");
        if (partial)
            sb_printf(&sb, " only its newest %d MiB read%s", PROMPT_HISTORY_MAX >> 20,
                      skipped ? ";" : "");
        if (skipped)
            sb_printf(&sb, " %ld line%s longer than %d bytes skipped", skipped,
                      skipped == 1 ? "" : "s", PROMPT_LINE_MAX);
        sb_printf(&sb, " (%s)", path);
        p->history_problem = sb_detach(&sb);
    }
}

/* Writes the history (its newest entries, up to PROMPT_HISTORY_MAX
 * bytes) to a new file beside it and renames that over it: a link planted
 * at the name is replaced, never followed, and a crash leaves the old or
 * the new file whole. */
static void history_write(struct prompt *p)
{
    if (!p->history_path)
        return;
    HistEvent ev;
    struct strbuf *lines = NULL;
    size_t n = 0, cap = 0, total = sizeof history_cookie;
    for (int r = history(p->hist, &ev, H_FIRST); r != -1; r = history(p->hist, &ev, H_NEXT)) {
        struct strbuf one = STRBUF_INIT;
        vis_line(&one, ev.str);
        if (total + one.len > PROMPT_HISTORY_MAX) {
            sb_free(&one);
            break;
        }
        total += one.len;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            lines = xrealloc(lines, cap * sizeof *lines);
        }
        lines[n++] = one;
    }
    struct strbuf all = STRBUF_INIT;
    sb_printf(&all, "%s\n", history_cookie);
    for (size_t i = n; i-- > 0;) {   /* oldest first, as libedit reads them */
        sb_add(&all, lines[i].buf, lines[i].len);
        sb_free(&lines[i]);
    }
    free(lines);
    write_replacing(p->history_path, all.buf, all.len, NULL);   /* history is best effort */
    sb_free(&all);
}

/* ------------------------------------------------------------------ */

struct prompt *prompt_new(const char *history_path, struct err *why)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) || unlockpt(master)) {
        err_set(why, "no pseudo-terminal for the prompt: %s", strerror(errno));
        if (master >= 0)
            close(master);
        return NULL;
    }
    int fd = open(ptsname(master), O_RDWR | O_NOCTTY);
    FILE *slave = fd >= 0 ? fdopen(fd, "r+") : NULL;
    if (!slave) {
        err_set(why, "no pseudo-terminal for the prompt: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        close(master);
        return NULL;
    }
    fcntl(master, F_SETFL, O_NONBLOCK);
    struct prompt *p = xcalloc(1, sizeof *p);
    p->master = master;
    p->slave = slave;
    p->el = el_init("pcitopo", slave, slave, slave);
    p->hist = history_init();
    HistEvent ev;
    history(p->hist, &ev, H_SETSIZE, 500);
    history(p->hist, &ev, H_SETUNIQUE, 1);
    if (history_path)
        history_read(p, history_path);
    el_set(p->el, EL_CLIENTDATA, p);
    el_set(p->el, EL_HIST, history, p->hist);
    el_set(p->el, EL_EDITOR, "emacs");
    el_wset(p->el, EL_PROMPT, no_prompt);
    el_set(p->el, EL_GETCFN, queued_getc);
    /* el_wset: the narrow EL_ADDFN leaks its copies of the strings */
    el_wset(p->el, EL_ADDFN, L"pcitopo-complete", L"complete the word", complete_fn);
    el_set(p->el, EL_BIND, "^I", "pcitopo-complete", NULL);
    /* keys that start multi-key sequences would wait for a second key
     * that is never queued */
    el_set(p->el, EL_BIND, "^X", "ed-insert", NULL);
    el_set(p->el, EL_BIND, "^V", "ed-insert", NULL);
    el_set(p->el, EL_BIND, "^R", "ed-insert", NULL);
    drain(p);
    return p;
}

void prompt_free(struct prompt *p)
{
    if (!p)
        return;
    el_end(p->el);
    history_end(p->hist);
    fclose(p->slave);
    close(p->master);
    free(p->history_path);
    free(p->history_problem);
    sb_free(&p->candidates);
    free(p);
}

const char *prompt_history_problem(const struct prompt *p)
{
    return p->history_problem;
}

/* A fresh line: nothing dropped, plain keys insert. */
static void line_reset(struct prompt *p)
{
    p->dropped = 0;
    p->escaped = false;
    clear_candidates(p);
}

void prompt_begin(struct prompt *p, const char *text)
{
    line_reset(p);
    el_set(p->el, EL_UNBUFFERED, 1);   /* starts a fresh line */
    if (text && *text)
        el_insertstr(p->el, text);
    drain(p);
}

void prompt_cancel(struct prompt *p)
{
    line_reset(p);
    el_set(p->el, EL_UNBUFFERED, 0);
    drain(p);
}

/* Appends line to the history and writes the history file, so a crash
 * keeps what was typed. */
static void remember(struct prompt *p, const char *line)
{
    HistEvent ev;
    if (!*line)
        return;
    history(p->hist, &ev, H_ENTER, line);
    history_write(p);
}

static size_t utf8_len(wchar_t wc)
{
    char mb[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t k = wcrtomb(mb, wc, &st);
    return k == (size_t)-1 ? 0 : k;
}

/* A character typed when the line already has PROMPT_LINE_MAX characters
 * (so at least as many bytes): it is not inserted, and the line will be
 * refused whole.  Counted, to say how long the line was. */
static bool drop_past_max(struct prompt *p, wchar_t wc)
{
    const LineInfoW *li = el_wline(p->el);
    if (p->escaped || !iswprint((wint_t)wc) || li->lastchar - li->buffer < PROMPT_LINE_MAX)
        return false;
    if (!p->dropped)
        sb_printf(&p->candidates, "this line is longer than %d bytes: Enter will not run it "
                  "(the prompt runs lines up to that)", PROMPT_LINE_MAX);
    p->dropped += utf8_len(wc);
    return true;
}

/* A printable key is inserted directly, as libedit's ed-insert would: its
 * redisplay on the private terminal nobody sees, and reading that back,
 * cost more than all the rest of a key of a paste, and the redisplay is
 * O(line) away from the end of the line. */
static bool insert_plain(struct prompt *p, wchar_t wc)
{
    if (p->escaped || !iswprint((wint_t)wc))
        return false;
    wchar_t one[2] = { wc, L'\0' };
    return el_winsertstr(p->el, one) == 0;
}

/* The finished line, n characters of got, as UTF-8; NULL with e set when
 * it is longer than PROMPT_LINE_MAX. */
static char *finish_line(struct prompt *p, const wchar_t *got, int n, struct err *e)
{
    struct strbuf sb = STRBUF_INIT;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    char mb[MB_LEN_MAX];
    for (int i = 0; i < n; i++) {
        size_t k = wcrtomb(mb, got[i], &st);
        if (k != (size_t)-1)
            sb_add(&sb, mb, k);
    }
    if (sb.len + p->dropped > PROMPT_LINE_MAX) {
        err_set(e, "the line is %zu bytes long, and the prompt runs lines up to %d bytes: "
                "nothing of it was run", sb.len + p->dropped, PROMPT_LINE_MAX);
        sb_free(&sb);
        return NULL;
    }
    return sb_detach(&sb);
}

bool prompt_key(struct prompt *p, wchar_t wc, const struct session *s, char **line, struct err *e)
{
    *line = NULL;
    if (wc != L'\t' && !p->dropped)
        clear_candidates(p);
    if (drop_past_max(p, wc) || insert_plain(p, wc))
        return false;
    if (wc == 0x1b)
        p->escaped = true;
    p->s = s;
    p->queue[p->queued++] = wc;
    int n;
    const wchar_t *got = el_wgets(p->el, &n);
    drain(p);
    p->s = NULL;
    if (!got || n <= 0 || got[n - 1] != L'\n')
        return false;
    *line = finish_line(p, got, n - 1, e);
    el_set(p->el, EL_UNBUFFERED, 0);   /* ends the line */
    drain(p);
    if (*line)
        remember(p, *line);
    line_reset(p);
    return true;
}

const wchar_t *prompt_buffer(const struct prompt *p, size_t *len, size_t *cursor)
{
    const LineInfoW *li = el_wline(p->el);
    *len = (size_t)(li->lastchar - li->buffer);
    *cursor = (size_t)(li->cursor - li->buffer);
    return li->buffer;
}

size_t prompt_view(const struct prompt *p, int width, int *col)
{
    const LineInfoW *li = el_wline(p->el);
    size_t from = (size_t)(li->cursor - li->buffer);
    int w = 0;
    /* back from the cursor while the characters fit before it */
    while (from > 0) {
        int cw = wcwidth(li->buffer[from - 1]);
        if (cw < 0)
            cw = 1;
        if (w + cw > width - 1)
            break;
        w += cw;
        from--;
    }
    *col = w;
    return from;
}

const char *prompt_candidates(const struct prompt *p)
{
    return p->candidates.buf ? p->candidates.buf : "";
}
