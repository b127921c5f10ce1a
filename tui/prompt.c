#include "config.h"
#include "prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <histedit.h>

#include "complete.h"

struct prompt {
    EditLine *el;
    History *hist;
    FILE *slave;
    int master;
    char *history_path;          /* owned, may be NULL */
    wchar_t queue[4];
    int queued;
    const struct session *s;     /* for completion, during prompt_key */
    char candidates[512];
};

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
    p->candidates[0] = '\0';
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
        size_t len = 0;
        for (size_t i = 0; i < c->n && len + 2 < sizeof p->candidates; i++) {
            int n = snprintf(p->candidates + len, sizeof p->candidates - len, "%s%s",
                             i ? "  " : "", c->words[i]);
            if (n < 0)
                break;
            len += (size_t)n;
        }
        if (len >= sizeof p->candidates)
            strcpy(p->candidates + sizeof p->candidates - 4, "...");
        rc = CC_REFRESH;
    }
    completion_free(c);
    return rc;
}

struct prompt *prompt_new(const char *history_path, char *why, size_t size)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) || unlockpt(master)) {
        snprintf(why, size, "no pseudo-terminal for the prompt: %s", strerror(errno));
        if (master >= 0)
            close(master);
        return NULL;
    }
    int fd = open(ptsname(master), O_RDWR | O_NOCTTY);
    FILE *slave = fd >= 0 ? fdopen(fd, "r+") : NULL;
    if (!slave) {
        snprintf(why, size, "no pseudo-terminal for the prompt: %s", strerror(errno));
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
    if (history_path) {
        p->history_path = xstrdup(history_path);
        history(p->hist, &ev, H_LOAD, history_path);
    }
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
    free(p);
}

void prompt_begin(struct prompt *p, const char *text)
{
    p->candidates[0] = '\0';
    el_set(p->el, EL_UNBUFFERED, 1);   /* starts a fresh line */
    if (text && *text)
        el_insertstr(p->el, text);
    drain(p);
}

void prompt_cancel(struct prompt *p)
{
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
    if (p->history_path)
        history(p->hist, &ev, H_SAVE, p->history_path);
}

bool prompt_key(struct prompt *p, wchar_t wc, const struct session *s, char *line, size_t size)
{
    if (wc != L'\t')
        p->candidates[0] = '\0';
    p->s = s;
    p->queue[p->queued++] = wc;
    int n;
    const wchar_t *got = el_wgets(p->el, &n);
    drain(p);
    p->s = NULL;
    if (!got || n <= 0 || got[n - 1] != L'\n')
        return false;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t out = 0;
    for (int i = 0; i < n - 1 && out + MB_LEN_MAX < size; i++) {
        size_t k = wcrtomb(line + out, got[i], &st);
        if (k != (size_t)-1)
            out += k;
    }
    line[out] = '\0';
    el_set(p->el, EL_UNBUFFERED, 0);   /* ends the line */
    drain(p);
    remember(p, line);
    return true;
}

const wchar_t *prompt_buffer(const struct prompt *p, size_t *len, size_t *cursor)
{
    const LineInfoW *li = el_wline(p->el);
    *len = (size_t)(li->lastchar - li->buffer);
    *cursor = (size_t)(li->cursor - li->buffer);
    return li->buffer;
}

const char *prompt_candidates(const struct prompt *p)
{
    return p->candidates;
}
