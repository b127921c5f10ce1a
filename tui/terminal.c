/* terminal: the terminal restored whatever signal ends the process. */
#include "config.h"
#include "screens.h"

#include <signal.h>
#include <string.h>

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
