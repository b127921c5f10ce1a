/* tui-bench: the editor's speed on a 250-device domain, drawn into a
 * curses screen whose output goes to /dev/null.
 *
 *   tui-bench FILE    prints, one per line, "NAME MICROSECONDS" (the
 *   median over the keys of each kind):
 *     first-frame  load, place, build the editor, draw and refresh once
 *     move         a key that moves the selection, to the redrawn screen
 *     add-preview  a key in the add dialog (a new preview), to the redrawn screen
 *     commit       Enter in the dialog (the add runs), to the redrawn screen
 *     search       n after a search (find, reveal), to the redrawn screen
 *     relocate-preview  a key choosing the slot a device moves to (m): a
 *                  new preview of the move, to the redrawn screen
 *     details-scroll  a scroll of the details pane, to the redrawn screen
 *     first-frame-with-state  first-frame with a 10,000-line history and
 *                  1,000 recovery files of other documents to look through
 *   and "rss-kib N", the peak resident memory.  tests/bench/run compares
 *   them with the goals. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "command.h"
#include "curses_shim.h"
#include "editor.h"
#include "recover.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The median of n key times: other processes on the machine stretch a
 * few keys, and the mean followed them. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *t, size_t n)
{
    qsort(t, n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void frame(struct editor *ed)
{
    editor_draw(ed);
    wnoutrefresh(stdscr);
    doupdate();
}

/* A state directory as years of use leave it: a 10,000-line history (the
 * prompt keeps its newest part) and 1,000 recovery files of other
 * documents.  Returns its path (static). */
static const char *old_state_dir(void)
{
    static char dir[] = "/tmp/pcitopo-bench-state.XXXXXX";
    if (!mkdtemp(dir))
        return NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/pcitopo", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/pcitopo/recover", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/pcitopo/history", dir);
    FILE *h = fopen(path, "w");
    if (h) {
        fputs("_HiStOrY_V2_\n", h);
        for (int i = 0; i < 10000; i++)
            fprintf(h, "add\\040virtio-net\\040alias=ua-net%d\n", i);
        fclose(h);
    }
    for (int i = 0; i < 1000; i++) {
        snprintf(path, sizeof path, "%s/pcitopo/recover/other%d.xml-0123456789abcdef-%08x.xml", dir, i, i);
        FILE *f = fopen(path, "w");
        if (f) {
            fputs("<domain type='kvm'><name>other</name></domain>\n", f);
            fclose(f);
        }
    }
    return dir;
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "tui-bench: could not remove %s\n", dir);
}

/* Load, place, the editor with its history, recovery looked for, first frame. */
static double startup_with_state(const char *file, const struct keymap *km)
{
    const char *dir = old_state_dir();
    if (!dir)
        return -1;
    setenv("XDG_STATE_HOME", dir, 1);
    char hist[512];
    snprintf(hist, sizeof hist, "%s/pcitopo/history", dir);
    double t0 = now_us();
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_file(file, &e);
    if (!s)
        return -1;
    s->utf8 = true;
    cmd_run_script(s, "place", stdout, stderr);
    struct editor *ed = editor_new(s, km, hist);
    struct recovery *rec = recovery_new(s, &e);
    size_t n = 0;
    struct recovery_found *found = rec ? recovery_find(rec, &n) : NULL;
    frame(ed);
    double t = now_us() - t0;
    recovery_found_free(found, n);
    recovery_free(rec);
    editor_free(ed);
    session_free(s);
    remove_tree(dir);
    return t;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: tui-bench FILE\n");
        return 2;
    }
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) {
        fprintf(stderr, "tui-bench: no xterm-256color terminfo\n");
        return 2;
    }
    resizeterm(40, 120);
    struct keymap *km = keymap_new();
    struct strbuf problems = STRBUF_INIT;
    keymap_load_text(km, default_keys, "default.keys", &problems);

    double t0 = now_us();
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_file(argv[1], &e);
    if (!s) {
        endwin();
        fprintf(stderr, "tui-bench: %s\n", e.msg);
        return 2;
    }
    s->utf8 = true;
    int rc = cmd_run_script(s, "place", stdout, stderr);
    struct editor *ed = editor_new(s, km, NULL);
    frame(ed);
    double first = now_us() - t0;

    enum { MOVES = 500, PREVIEWS = 20, COMMITS = 9 };
    double times[MOVES];
    for (int i = 0; i < MOVES; i++) {
        t0 = now_us();
        editor_key(ed, KEY_CODE_YES, i % 2 ? KEY_UP : KEY_DOWN);
        frame(ed);
        times[i] = now_us() - t0;
    }
    double move = median(times, MOVES);

    editor_key(ed, OK, 'a');
    frame(ed);
    for (int i = 0; i < PREVIEWS; i++) {
        t0 = now_us();
        editor_key(ed, KEY_CODE_YES, i % 2 ? KEY_UP : KEY_DOWN);
        frame(ed);
        times[i] = now_us() - t0;
    }
    double preview = median(times, PREVIEWS);
    editor_key(ed, OK, 27);

    for (int i = 0; i < COMMITS; i++) {
        editor_key(ed, OK, 'a');
        frame(ed);
        t0 = now_us();
        editor_key(ed, OK, '\r');
        frame(ed);
        times[i] = now_us() - t0;
    }
    double commit = median(times, COMMITS);

    /* n after a search: the search over every line, the reveal, the redraw */
    enum { SEARCHES = 50 };
    editor_command_line(ed, "search virtio");
    frame(ed);
    for (int i = 0; i < SEARCHES; i++) {
        t0 = now_us();
        editor_command_line(ed, "search-next");
        frame(ed);
        times[i] = now_us() - t0;
    }
    double search = median(times, SEARCHES);

    /* m on a device, then Down: a relocation preview per key */
    enum { RELOCATES = 20, SCROLLS = 200 };
    /* empty ports to move to: a full domain offers no slot at all */
    editor_command_line(ed, "spare-ports 4");
    editor_command_line(ed, "goto 01:00.0");
    editor_command_line(ed, "relocate");
    if (!strstr(editor_message_text(ed), "free slot")) {
        fprintf(stderr, "tui-bench: relocate did not start: %s\n", editor_message_text(ed));
        return 1;
    }
    frame(ed);
    for (int i = 0; i < RELOCATES; i++) {
        t0 = now_us();
        editor_key(ed, KEY_CODE_YES, i % 2 ? KEY_UP : KEY_DOWN);
        frame(ed);
        times[i] = now_us() - t0;
    }
    double relocate = median(times, RELOCATES);
    editor_key(ed, OK, 27);

    /* the details pane of a device scrolled, down and back */
    editor_command_line(ed, "goto 01:00.0");
    frame(ed);
    for (int i = 0; i < SCROLLS; i++) {
        t0 = now_us();
        editor_command_line(ed, i % 2 ? "details up" : "details down");
        frame(ed);
        times[i] = now_us() - t0;
    }
    double scroll = median(times, SCROLLS);

    /* startup again, with a long history and the recovery files of many
     * other documents in the state directory: it must not grow with them */
    double with_state = startup_with_state(argv[1], km);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    editor_free(ed);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    printf("first-frame %.0f\nmove %.0f\nadd-preview %.0f\ncommit %.0f\nsearch %.0f\n"
           "relocate-preview %.0f\ndetails-scroll %.0f\nfirst-frame-with-state %.0f\nrss-kib %ld\n",
           first, move, preview, commit, search, relocate, scroll, with_state, ru.ru_maxrss);
    session_free(s);
    keymap_free(km);
    sb_free(&problems);
    return rc;
}
