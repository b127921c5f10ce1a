/* A main for a fuzz target that replays saved inputs, built by `make
 * check` with the project's compiler: so every past finding (under
 * tests/fuzz/regress/) and the seed corpora keep passing the target's
 * checks on machines without clang.
 *
 * Arguments are files or directories (walked recursively); without any,
 * the target's own corpora under $top_srcdir.  Prints TAP: one test per
 * argument, and the file being run as a comment before it runs, so that
 * when one aborts the log names it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET='\"load\"' (or place, command, keymap)"
#endif

static int ntests;

static bool replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("# %s: %s\n", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, len = 0, n;
    uint8_t *buf = malloc(cap);
    while ((n = fread(buf + len, 1, cap - len, f)) > 0)
        if ((len += n) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    printf("# %s\n", path);
    fflush(stdout);
    LLVMFuzzerTestOneInput(buf, len);   /* a finding aborts the program */
    free(buf);
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays path (a file, or every file below a directory, in name order);
 * counts them in *count.  False if one could not be read. */
static bool replay(const char *path, int *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("# %s: %s\n", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*count)++;
        return replay_file(path);
    }
    DIR *d = opendir(path);
    if (!d) {
        printf("# %s: %s\n", path, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n] = malloc(strlen(path) + strlen(de->d_name) + 2);
            sprintf(names[n++], "%s/%s", path, de->d_name);
        }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, by_name);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        ok &= replay(names[i], count);
        free(names[i]);
    }
    free(names);
    return ok;
}

static void replay_test(const char *path)
{
    int count = 0;
    bool ok = replay(path, &count);
    printf("%s %d - %s target: %d inputs from %s pass its checks\n", ok ? "ok" : "not ok",
           ++ntests, FUZZ_TARGET, count, path);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        replay_test(argv[i]);
    if (argc == 1) {
        const char *top = getenv("top_srcdir");
        static const char *const xml[] = { "tests/golden", "tests/data", NULL };
        static const char *const command[] = { "tests/fuzz/seeds/command", NULL };
        static const char *const keymap[] = { "tests/fuzz/seeds/keymap", "keymaps", NULL };
        const char *const *seeds = strcmp(FUZZ_TARGET, "command") == 0 ? command
                                   : strcmp(FUZZ_TARGET, "keymap") == 0 ? keymap : xml;
        char path[4096];
        for (size_t i = 0; seeds[i]; i++) {
            snprintf(path, sizeof path, "%s/%s", top ? top : ".", seeds[i]);
            replay_test(path);
        }
        snprintf(path, sizeof path, "%s/tests/fuzz/regress/%s", top ? top : ".", FUZZ_TARGET);
        replay_test(path);
    }
    printf("1..%d\n", ntests);
    return 0;
}
