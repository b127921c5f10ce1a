/* terminal: curses started and ended on the terminal, keys from where
 * they come, the mouse, suspending and redrawing; and the terminal
 * restored whatever signal ends the process. */
#include "config.h"
#include "screens.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

/* The one terminal the editor runs on. */
static struct {
    SCREEN *screen;
    int key_fd;
    bool mouse;
} term = { NULL, -1, false };

/* Signals whose default action ends the process, besides the real-time
 * ones: the terminal goes back to the state the shell needs before the
 * process dies of them.  Not here: what cannot be caught (KILL, STOP),
 * what is ignored by default (CHLD, URG, WINCH, CONT) and the job-control
 * stops, which curses handles. */
static const int fatal_signals[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGUSR1, SIGSEGV,
    SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
    SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
    SIGSYS,
};
static struct sigaction previous[NSIG];

/* Best effort: endwin is not async-signal-safe, but a shell left in raw
 * mode without echo is worse.  The previous action (the default, or a
 * sanitizer's report) then runs as if we had not been there. */
static void restore_terminal_and_die(int sig)
{
    endwin();
    if (sig > 0 && sig < NSIG)
        sigaction(sig, &previous[sig], NULL);
    raise(sig);
}

/* Catches sig unless it is ignored now (nohup's HUP, main's XFSZ): an
 * ignored signal ends nothing, and must stay ignored. */
static void catch_one(int sig, const struct sigaction *sa)
{
    struct sigaction old;
    if (sig <= 0 || sig >= NSIG || sigaction(sig, NULL, &old) != 0 || old.sa_handler == SIG_IGN)
        return;
    sigaction(sig, sa, &previous[sig]);
}

void catch_fatal_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = restore_terminal_and_die;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < ARRAY_LEN(fatal_signals); i++)
        catch_one(fatal_signals[i], &sa);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        catch_one(sig, &sa);
}

bool terminal_start(FILE *keys, bool mouse)
{
    term.screen = newterm(NULL, stdout, keys);
    if (!term.screen)
        return false;
    term.key_fd = fileno(keys);
    /* raw, not cbreak: ^C and ^Z are keys (quit asks first, suspend
     * saves the screen), and ^S and ^Q reach the keymap instead of
     * stopping the output (raw clears IXON; endwin gives it back) */
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    mouseinterval(200);
    terminal_mouse(mouse);
    return true;
}

void terminal_end(void)
{
    if (!term.screen)
        return;
    endwin();
    delscreen(term.screen);
    term.screen = NULL;
    term.key_fd = -1;
}

int terminal_key_fd(void)
{
    return term.key_fd;
}

void terminal_mouse(bool on)
{
    /* Presses, clicks and the wheel (buttons 4 and 5) only: with no
     * REPORT_MOUSE_POSITION curses asks for mode 1000, never 1002 or
     * 1003, so moving the mouse sends nothing. */
    mmask_t mask = BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED
                 | BUTTON4_PRESSED | BUTTON5_PRESSED;
    mousemask(on ? mask : 0, NULL);
    term.mouse = on;
}

/* Whether a stop would come back: a process group that is its session's
 * own (no job-control shell made it a job) is orphaned, and the kernel
 * drops a SIGTSTP sent to it; an ignored SIGTSTP was meant to be. */
static bool can_suspend(void)
{
    struct sigaction now;
    if (sigaction(SIGTSTP, NULL, &now) != 0 || now.sa_handler == SIG_IGN)
        return false;
    return getpgrp() != getsid(0);
}

/* The terminal may have changed size while we were stopped: its SIGWINCH
 * went to the shell, the foreground job then. */
static void follow_size(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col
        && (ws.ws_row != LINES || ws.ws_col != COLS))
        resizeterm(ws.ws_row, ws.ws_col);
}

/* ^Z: raw mode makes it a key, so the stop is ours to make: the terminal
 * back as the shell left it, the whole job stopped as the terminal's own
 * ^Z would, and on fg the screen drawn again from nothing. */
bool terminal_suspend_cmd(struct editor *ed, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (!can_suspend()) {
        editor_message(ed, true, "suspend: no shell to come back to (pcitopo is not a job of a "
                       "job-control shell)");
        return true;
    }
    endwin();
    fflush(stdout);
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    /* the default action, not curses' handler: it would endwin again */
    sigaction(SIGTSTP, &dfl, &old);
    kill(0, SIGTSTP);
    sigaction(SIGTSTP, &old, NULL);
    follow_size();
    clearok(curscr, TRUE);
    return true;
}

/* ^L: the next refresh clears the terminal and draws every cell, whatever
 * another program wrote over the screen. */
bool terminal_redraw_cmd(struct editor *ed, int argc, char **argv)
{
    (void)ed, (void)argc, (void)argv;
    follow_size();
    clearok(curscr, TRUE);
    return true;
}

/* mouse on|off, or without an argument the other way. */
bool terminal_mouse_cmd(struct editor *ed, int argc, char **argv)
{
    bool on = argc < 2 ? !term.mouse : strcmp(argv[1], "on") == 0;
    if (argc == 2 && !on && strcmp(argv[1], "off") != 0) {
        editor_message(ed, true, "mouse: on or off, not '%s'", argv[1]);
        return true;
    }
    terminal_mouse(on);
    editor_message(ed, false, on ? "mouse on: a click selects, the wheel scrolls (Shift+drag selects text)"
                                 : "mouse off: the terminal selects text; 'mouse on' takes the mouse back");
    return true;
}

/* suspend and redraw are the terminal's, not a screen's: the keys the
 * tree binds them to (control and function keys) work in every mode —
 * the prompt, the pager, the add dialog, a question — without leaving
 * it.  True when the key was one. */
bool terminal_habit(struct editor *ed, int r, wint_t wc)
{
    /* never a key that types: in a text field it is the text */
    bool types = r == OK && wc >= 0x20 && wc != 0x7f && !(wc & KEY_META_FLAG);
    char name[16];
    if (types || !key_name_of(r, wc, name, sizeof name))
        return false;
    const char *cmd = keymap_lookup(ed->km, "tree", name);
    if (!cmd)
        return false;
    if (strcmp(cmd, "suspend") == 0)
        return terminal_suspend_cmd(ed, 1, NULL);
    if (strcmp(cmd, "redraw") == 0)
        return terminal_redraw_cmd(ed, 1, NULL);
    return false;
}
