#include "config.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "util.h"

const char *tu_tmpdir(void)
{
    static char dir[256];
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/pcitopo-test.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(1);
    }
    return dir;
}

char *tu_path(const char *dir, const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

bool tu_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(&sb, buf, n);
    fclose(f);
    if (len)
        *len = sb.len;
    return sb_detach(&sb);
}

void tu_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *p = tu_path(dir, de->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            chmod(p, 0700);
            tu_rmtree(p);
        } else {
            unlink(p);
        }
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

int tu_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

const char *tu_srcdir(void)
{
    const char *top = getenv("top_srcdir");
    return top && *top ? top : ".";
}

const char *tu_datadir(void)
{
    static char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/data", tu_srcdir());
    return dir;
}

struct session *tu_open_golden(const char *set, const char *stem)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/%s/%s.xml", tu_srcdir(), set, stem);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_file(path, &e);
    if (!s)
        printf("# %s\n", e.msg);
    return s;
}

struct session *tu_open_text(const char *text, struct err *e)
{
    const char *dir = tu_tmpdir();
    char *path = tu_path(dir, "t.xml");
    struct session *s = tu_write(path, text, strlen(text)) ? session_open_file(path, e) : NULL;
    free(path);
    tu_rmtree(dir);
    return s;
}

bool tu_run(struct session *s, const char *line, struct err *e, char *note, size_t size)
{
    struct cmd_script *sc = cmd_script_parse(line, e);
    bool okay = sc != NULL;
    for (size_t i = 0; sc && i < sc->n && okay; i++) {
        struct cmd_io io;
        cmd_io_init(&io);
        okay = cmd_execute(s, sc->calls[i].argc, sc->calls[i].argv, &io, e);
        if (note)
            snprintf(note, size, "%s%s", io.note.len ? io.note.buf : "", io.out.len ? io.out.buf : "");
        cmd_io_free(&io);
    }
    cmd_script_free(sc);
    return okay;
}

char *tu_bytes(const struct session *s)
{
    size_t len;
    struct err e ERR_SCOPE = ERR_INIT;
    return domain_serialize(s->dom, &len, &e);
}

int tu_pci_controllers(const struct topology *t)
{
    int n = 0;
    for (size_t i = 0; i < t->ndevs; i++)
        n += t->devs[i].index > 0;
    return n;
}
