#include "config.h"
#include "recover.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The absolute path of the file, so that `pcitopo guest.xml` and `pcitopo
 * /etc/libvirt/qemu/guest.xml` find the same recovery file. */
static char *absolute_path(const char *path)
{
    char *real = realpath(path, NULL);
    if (real)
        return real;
    if (path[0] == '/')
        return xstrdup(path);
    char cwd[PATH_MAX];
    return getcwd(cwd, sizeof cwd) ? xasprintf("%s/%s", cwd, path) : xstrdup(path);
}

struct recovery *recovery_new(const struct session *s, struct err *why)
{
    if (!s->dom->path) {
        if (why)
            err_set(why, "%s has no file, so there is nothing to recover it to", s->dom->name);
        return NULL;
    }
    char *state = state_dir_new();
    char *dir = state ? xasprintf("%s/recover", state) : NULL;
    free(state);
    if (!dir || (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
        if (why)
            err_set(why, "no recovery file: cannot make %s (set XDG_STATE_HOME or HOME)",
                    dir ? dir : "a state directory");
        free(dir);
        return NULL;
    }
    char *abs = absolute_path(s->dom->path);
    const char *slash = strrchr(abs, '/');
    struct recovery *r = xcalloc(1, sizeof *r);
    r->dir = dir;
    /* the name shows which file it is for; the hash tells apart files of
     * the same name in different directories */
    r->prefix = xasprintf("%.100s-%016llx-", slash ? slash + 1 : abs, hash_bytes(abs, strlen(abs)));
    r->mine = xasprintf("%s/%s%ld.xml", dir, r->prefix, (long)getpid());
    free(abs);
    return r;
}

void recovery_free(struct recovery *r)
{
    if (!r)
        return;
    free(r->dir);
    free(r->prefix);
    free(r->mine);
    free(r);
}

void recovery_remove(struct recovery *r)
{
    if (r && r->written) {
        unlink(r->mine);
        r->written = false;
    }
}

bool recovery_update(struct recovery *r, struct session *s, struct err *e)
{
    if (!r)
        return true;
    if (!s->modified) {
        recovery_remove(r);
        return true;
    }
    if (r->written && r->gen == s->gen)
        return true;
    /* written like a save (temporary file, fsync, rename), so a crash
     * while writing it leaves the previous recovery file whole */
    if (!domain_save(s->dom, r->mine, SAVE_FORCE, e))
        return false;
    r->written = true;
    r->gen = s->gen;
    return true;
}

/* The editor's pid in a recovery file's name, or -1 if it is not one of
 * prefix's. */
static pid_t pid_of(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return -1;
    char *end;
    long pid = strtol(name + n, &end, 10);
    return pid > 0 && end != name + n && strcmp(end, ".xml") == 0 ? (pid_t)pid : -1;
}

/* Whether the editor that wrote a recovery file still runs.  A zombie
 * does not: its parent just has not reaped it yet. */
static bool process_running(pid_t pid)
{
    if (kill(pid, 0) != 0 && errno != EPERM)   /* EPERM: it runs, as another user */
        return false;
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return true;   /* no /proc: kill's answer stands */
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *state = strrchr(buf, ')');   /* "pid (comm) S ..." */
    return !(state && state[1] == ' ' && state[2] == 'Z');
}

static int newest_first(const void *a, const void *b)
{
    const struct recovery_found *x = a, *y = b;
    return (x->mtime < y->mtime) - (x->mtime > y->mtime);
}

struct recovery_found *recovery_find(const struct recovery *r, size_t *n)
{
    *n = 0;
    DIR *d = r ? opendir(r->dir) : NULL;
    if (!d)
        return NULL;
    struct recovery_found *f = NULL;
    struct dirent *de;
    while ((de = readdir(d))) {
        pid_t pid = pid_of(de->d_name, r->prefix);
        if (pid < 0 || pid == getpid())
            continue;
        char *path = xasprintf("%s/%s", r->dir, de->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(path);
            continue;
        }
        f = xrealloc(f, (*n + 1) * sizeof *f);
        f[*n] = (struct recovery_found){
            .path = path,
            .pid = pid,
            .running = process_running(pid),
            .mtime = sb.st_mtime,
        };
        (*n)++;
    }
    closedir(d);
    if (*n > 1)
        qsort(f, *n, sizeof *f, newest_first);
    return f;
}

void recovery_found_free(struct recovery_found *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].path);
    free(f);
}

bool recovery_restore(struct recovery *r, struct session *s, const char *path, struct err *e)
{
    struct domain *saved = domain_load_file(path, e);
    if (!saved) {
        err_prefix(e, "cannot restore: ");
        return false;
    }
    size_t len;
    char *bytes = domain_serialize(saved, &len, e);
    domain_free(saved);
    struct snapshot snap;
    if (!bytes || !session_snapshot(s, &snap, e)) {
        free(bytes);
        return false;
    }
    bool ok = domain_restore(s->dom, bytes, len, NULL, e) && session_refresh(s, e);
    free(bytes);
    if (!ok) {
        session_rollback(s, &snap);
        err_prefix(e, "cannot restore: ");
        return false;
    }
    session_commit(s, &snap, "restore unsaved changes");
    /* the old file goes once r's holds the changes, or when it held
     * nothing but what is on disk */
    if (!s->modified || (recovery_update(r, s, e) && r && r->written))
        unlink(path);
    return true;
}

bool recovery_discard(const char *path, struct err *e)
{
    if (unlink(path) != 0 && errno != ENOENT) {
        err_set(e, "%s: cannot remove it: %s", path, strerror(errno));
        return false;
    }
    return true;
}
