/* A main for the fuzz targets that replays saved inputs: each argument is
 * a file, or a directory whose files are all replayed.  Built by `make
 * check` with the project's compiler, so past findings and the seed
 * corpora stay fixed without clang.  Prints TAP, one line per input. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int count;

static void replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
        return;
    }
    size_t cap = 1 << 16, len = 0, n;
    uint8_t *buf = malloc(cap);
    while ((n = fread(buf + len, 1, cap - len, f)) > 0)
        if ((len += n) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);   /* a finding aborts the program */
    free(buf);
    printf("ok %d - %s\n", ++count, path);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("not ok %d - %s: %s\n", ++count, dir, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
            sprintf(names[n++], "%s/%s", dir, de->d_name);
        }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        replay_file(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            replay_dir(argv[i]);
        else
            replay_file(argv[i]);
    }
    printf("1..%d\n", count);
    return 0;
}
