/* Minimal TAP producer for the unit tests: ok(cond, "name", ...), then
 * return tap_done().  Failures are "not ok" lines; the exit status stays 0
 * so that a crash or a sanitizer report shows up separately as ERROR. */
#ifndef PCITOPO_TAP_H
#define PCITOPO_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 4, 5)))
static int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    printf("%s %d - ", pass ? "ok" : "not ok", ++tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!pass) {
        printf("#   failed at %s:%d\n", file, line);
        tap_failed++;
    }
    fflush(stdout);
    return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do { long g_ = (long)(got), w_ = (long)(want); \
    if (!ok(g_ == w_, __VA_ARGS__)) printf("#   got %ld, want %ld\n", g_, w_); } while (0)

#define is_str(got, want, ...) do { const char *g_ = (got), *w_ = (want); \
    if (!ok(g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_, __VA_ARGS__)) \
        printf("#   got  '%s'\n#   want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } while (0)

/* got contains want */
#define has_str(got, want, ...) do { const char *g_ = (got), *w_ = (want); \
    if (!ok(g_ && strstr(g_, w_), __VA_ARGS__)) \
        printf("#   '%s'\n#   does not contain '%s'\n", g_ ? g_ : "(null)", w_); } while (0)

/* A "# ..." comment line, for what a failure needs explained. */
__attribute__((format(printf, 1, 2), unused))
static void diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", stdout);
    vprintf(fmt, ap);
    fputs("\n", stdout);
    va_end(ap);
}

static int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return 0;
}

#endif
