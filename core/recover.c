#include "config.h"
#include "recover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain.h"

/* The record of the file on disk, the last line of every recovery file.
 * It lives in the recovery file itself, after the root element, rather
 * than in a file of its own: written and renamed in one piece with the
 * document, the two can never disagree, and a copy made by hand keeps it.
 * A comment after the root element is still XML, so the file still opens
 * as a domain; a restore takes it off again, so it never reaches the
 * user's file.  Only numbers: a path could hold "--". */
#define RECORD_MARK "<!-- pcitopo-recovery "
#define RECORD_MAX 256

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

/* A random id for this editor's recovery file.  Not the pid: every editor
 * started in a fresh PID namespace (a container) has the same one. */
static char *new_id(void)
{
    unsigned long long v;
    if (getentropy(&v, sizeof v) != 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long mix[3] = { (unsigned long long)ts.tv_sec,
                                      (unsigned long long)ts.tv_nsec,
                                      (unsigned long long)getpid() };
        v = hash_bytes((const char *)mix, sizeof mix);
    }
    return xasprintf("%016llx", v);
}

/* r's recovery file and lock file under a new id, in dir. */
static void name_files(struct recovery *r, const char *dir)
{
    char *id = new_id();
    free(r->mine);
    free(r->lock);
    r->mine = xasprintf("%s/%s%s.xml", dir, r->prefix, id);
    r->lock = xasprintf("%s/%s%s.lock", dir, r->prefix, id);
    free(id);
}

/* The directory state_dir_new() makes, by its rule, to name it when it
 * could not be made. */
static char *state_dir_wanted(void)
{
    return xdg_path_new("XDG_STATE_HOME", ".local/state", "pcitopo");
}

/* STATE/recover, made if needed and writable; NULL with why set. */
static char *recover_dir_new(struct err *why)
{
    char *state = state_dir_new();
    if (!state) {
        int err = errno;
        char *wanted = state_dir_wanted();
        if (!wanted)
            err_set(why, "no HOME or XDG_STATE_HOME");
        else
            err_set(why, "cannot make %s: %s", wanted, strerror(err ? err : ENOENT));
        free(wanted);
        return NULL;
    }
    char *dir = xasprintf("%s/recover", state);
    free(state);
    struct stat sb;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        err_set(why, "cannot make %s: %s", dir, strerror(errno));
    } else if (stat(dir, &sb) != 0) {
        err_set(why, "cannot make %s: %s", dir, strerror(errno));
    } else if (!S_ISDIR(sb.st_mode)) {
        err_set(why, "cannot make %s: %s", dir, strerror(ENOTDIR));
    } else if (access(dir, W_OK | X_OK) != 0) {
        /* said now, not at the first change, when it is too late to care */
        err_set(why, "cannot write in %s: %s", dir, strerror(errno));
    } else {
        return dir;
    }
    free(dir);
    return NULL;
}

struct recovery *recovery_new(const struct session *s, struct err *why)
{
    struct err ignored ERR_SCOPE = ERR_INIT;
    if (!why)
        why = &ignored;
    if (!s->dom->path) {
        err_set(why, "%s has no file, so there is nothing to recover it to", s->dom->name);
        return NULL;
    }
    errno = 0;
    char *dir = recover_dir_new(why);
    if (!dir)
        return NULL;
    char *abs = absolute_path(s->dom->path);
    const char *slash = strrchr(abs, '/');
    struct recovery *r = xcalloc(1, sizeof *r);
    r->dir = dir;
    r->lock_fd = -1;
    /* the name shows which file it is for; the hash tells apart files of
     * the same name in different directories */
    r->prefix = xasprintf("%.100s-%016llx-", slash ? slash + 1 : abs, hash_bytes(abs, strlen(abs)));
    name_files(r, dir);
    free(abs);
    return r;
}

/* Takes the lock an editor holds on its recovery file: LOCK_NB, with a
 * few retries, because another editor's look (recovery_find) holds it for
 * a moment.  False when it is held for longer. */
static bool lock_briefly(int fd)
{
    for (int i = 0; i < 50; i++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return true;
        if (errno != EWOULDBLOCK && errno != EINTR)
            return false;
        usleep(2000);
    }
    errno = EWOULDBLOCK;
    return false;
}

/* This editor's lock, before its recovery file is first written.  The
 * name is new (O_EXCL); should it exist after all, another id is taken. */
static bool lock_mine(struct recovery *r, struct err *e)
{
    for (int tries = 0; r->lock_fd < 0; tries++) {
        int fd = open(r->lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && errno == EEXIST && tries < 5) {
            name_files(r, r->dir);
            continue;
        }
        if (fd < 0) {
            err_set(e, "%s: cannot create it: %s", r->lock, strerror(errno));
            return false;
        }
        if (!lock_briefly(fd)) {
            err_set(e, "%s: cannot lock it: %s", r->lock, strerror(errno));
            unlink(r->lock);
            close(fd);
            return false;
        }
        r->lock_fd = fd;
    }
    return true;
}

static void unlock_mine(struct recovery *r)
{
    if (r->lock_fd < 0)
        return;
    /* unlinked before it is let go: nobody may take a lock that is
     * about to vanish for a live one */
    unlink(r->lock);
    close(r->lock_fd);
    r->lock_fd = -1;
}

void recovery_free(struct recovery *r)
{
    if (!r)
        return;
    if (r->written) {
        /* the terminal went away: the recovery file stays for the next
         * pcitopo, and so does its lock file, which our exit lets go */
        close(r->lock_fd);
    } else {
        unlock_mine(r);
    }
    free(r->dir);
    free(r->prefix);
    free(r->mine);
    free(r->lock);
    free(r);
}

void recovery_remove(struct recovery *r)
{
    if (r && r->written) {
        unlink(r->mine);
        r->written = false;
        unlock_mine(r);
    }
}

/* The document as a save would write it, then the record of the file on
 * disk it was loaded from (or last saved to). */
static char *recovery_bytes(const struct session *s, size_t *len, struct err *e)
{
    char *doc = domain_serialize(s->dom, len, e);
    if (!doc)
        return NULL;
    const struct file_stamp *st = &s->dom->stamp;
    char *record = st->valid
        ? xasprintf(RECORD_MARK "base-size=%lld base-hash=%016llx base-mtime=%lld.%09ld -->\n",
                    (long long)st->size, st->hash, (long long)st->mtime.tv_sec,
                    (long)st->mtime.tv_nsec)
        : xasprintf(RECORD_MARK "base=unknown -->\n");
    size_t rlen = strlen(record);
    doc = xrealloc(doc, *len + rlen + 1);
    memcpy(doc + *len, record, rlen + 1);
    *len += rlen;
    free(record);
    return doc;
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
    /* the lock first: a recovery file nobody holds would look dead */
    if (!lock_mine(r, e))
        return false;
    size_t len;
    char *bytes = recovery_bytes(s, &len, e);
    bool ok = bytes && write_replacing(r->mine, bytes, len, e);
    free(bytes);
    if (!ok)
        return false;
    r->written = true;
    r->gen = s->gen;
    return true;
}

/* Whether name is a recovery file of prefix's: PREFIX ID .xml, the id
 * being hex (or the decimal pid of older pcitopos). */
static bool is_recovery_name(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return false;
    size_t id = strspn(name + n, "0123456789abcdef");
    return id > 0 && strcmp(name + n + id, ".xml") == 0;
}

static bool same_file(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev
        && a.st_ino == b.st_ino;
}

enum claim { CLAIMED, RUNNING, GONE };

/* Takes the lock of a recovery file whose editor is gone, into *fd.  A
 * lock held by someone is a running editor (or another one offering it).
 * A lock that is missing (older pcitopos had none) is made, so that
 * whoever made it holds it.  Once held, the lock file must still be the
 * one at its path and the recovery file still there: otherwise its editor
 * removed both in the meantime. */
static enum claim claim(const char *path, const char *lock, int *fd)
{
    *fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (*fd < 0)
        return access(path, F_OK) == 0 ? RUNNING : GONE;   /* cannot tell: hands off */
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        close(*fd);
        *fd = -1;
        return RUNNING;
    }
    if (!same_file(*fd, lock)) {
        close(*fd);
        *fd = -1;
        return GONE;
    }
    struct stat sb;
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        unlink(lock);   /* ours now, and it locks nothing */
        close(*fd);
        *fd = -1;
        return GONE;
    }
    return CLAIMED;
}

/* A recovery file's bytes, without the record, which goes to *base.  NULL
 * with e set when it cannot be read. */
static char *read_recovery(const char *path, size_t *len, struct recovery_base *base,
                           struct err *e)
{
    memset(base, 0, sizeof *base);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        err_set(e, "%s: cannot open: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(sb.st_mode) || (unsigned long long)sb.st_size > DOMAIN_MAX_BYTES + RECORD_MAX) {
        err_set(e, "%s: not a recovery file pcitopo wrote", path);
        close(fd);
        return NULL;
    }
    size_t cap = (size_t)sb.st_size;
    char *buf = xmalloc(cap + 1);
    size_t n = read_up_to(fd, buf, cap);
    close(fd);
    buf[n] = '\0';
    /* the record: the last line, from its mark to the end of the file */
    size_t marklen = strlen(RECORD_MARK);
    for (size_t at = n >= marklen ? n - marklen + 1 : 0; at-- > 0 && n - at <= RECORD_MAX;) {
        if (memcmp(buf + at, RECORD_MARK, marklen) != 0)
            continue;
        long long size, sec;
        unsigned long long hash;
        long nsec;
        int end = 0;
        const char *rec = buf + at + marklen;
        if (sscanf(rec, "base-size=%lld base-hash=%16llx base-mtime=%lld.%9ld -->\n%n",
                   &size, &hash, &sec, &nsec, &end) == 4 && end > 0 && rec + end == buf + n) {
            *base = (struct recovery_base){ .known = true, .size = (off_t)size, .hash = hash,
                                            .mtime = { .tv_sec = (time_t)sec, .tv_nsec = nsec } };
            n = at;
        } else if (strcmp(rec, "base=unknown -->\n") == 0) {
            n = at;
        }
        break;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
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
        if (!is_recovery_name(de->d_name, r->prefix))
            continue;
        char *path = xasprintf("%s/%s", r->dir, de->d_name);
        if (strcmp(path, r->mine) == 0) {
            free(path);
            continue;
        }
        char *lock = xasprintf("%.*s.lock", (int)(strlen(path) - 4), path);
        int fd;
        enum claim c = claim(path, lock, &fd);
        struct stat sb;
        if (c == GONE || stat(path, &sb) != 0) {
            if (fd >= 0)
                close(fd);
            free(path);
            free(lock);
            continue;
        }
        struct recovery_found found = {
            .path = path, .lock = lock, .lock_fd = fd, .running = c == RUNNING,
            .mtime = sb.st_mtime,
        };
        if (!found.running) {
            struct err e ERR_SCOPE = ERR_INIT;
            size_t len;
            free(read_recovery(path, &len, &found.base, &e));
        }
        f = xrealloc(f, (*n + 1) * sizeof *f);
        f[(*n)++] = found;
    }
    closedir(d);
    if (*n > 1)
        qsort(f, *n, sizeof *f, newest_first);
    return f;
}

struct recovery_found *recovery_found_take(struct recovery_found *f, size_t i)
{
    struct recovery_found *one = xmalloc(sizeof *one);
    *one = f[i];
    f[i] = (struct recovery_found){ .lock_fd = -1 };
    return one;
}

void recovery_found_free(struct recovery_found *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i].lock_fd >= 0)
            close(f[i].lock_fd);
        free(f[i].path);
        free(f[i].lock);
    }
    free(f);
}

/* Removes a claimed recovery file, then its lock, then lets go. */
static bool remove_claimed(struct recovery_found *f, struct err *e)
{
    if (unlink(f->path) != 0 && errno != ENOENT) {
        err_set(e, "%s: cannot remove it: %s", f->path, strerror(errno));
        return false;
    }
    if (f->lock_fd >= 0) {
        unlink(f->lock);
        close(f->lock_fd);
        f->lock_fd = -1;
    }
    return true;
}

static bool check_claimed(const struct recovery_found *f, struct err *e)
{
    if (f->lock_fd >= 0)
        return true;
    err_set(e, "%s: another pcitopo is using this recovery file", f->path);
    return false;
}

/* Hashes of the lines of buf, sorted. */
static unsigned long long *line_hashes(const char *buf, size_t len, size_t *n)
{
    *n = 0;
    unsigned long long *h = NULL;
    size_t cap = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - buf) : len;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            h = xrealloc(h, cap * sizeof *h);
        }
        h[(*n)++] = hash_bytes(buf + at, end - at);
        at = end + 1;
    }
    return h;
}

static int by_value(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return (x > y) - (x < y);
}

/* How many lines of a are not in b and of b not in a, as multisets:
 * linear after sorting, whatever the files hold. */
static void lines_differ(const char *a, size_t alen, const char *b, size_t blen,
                         size_t *only_a, size_t *only_b)
{
    size_t na, nb;
    unsigned long long *ha = line_hashes(a, alen, &na), *hb = line_hashes(b, blen, &nb);
    if (na)
        qsort(ha, na, sizeof *ha, by_value);
    if (nb)
        qsort(hb, nb, sizeof *hb, by_value);
    size_t i = 0, j = 0, common = 0;
    while (i < na && j < nb) {
        if (ha[i] == hb[j]) {
            common++;
            i++;
            j++;
        } else if (ha[i] < hb[j]) {
            i++;
        } else {
            j++;
        }
    }
    *only_a = na - common;
    *only_b = nb - common;
    free(ha);
    free(hb);
}

static void format_time(char *out, size_t size, time_t t)
{
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, size, "%lld", (long long)t);
}

char *recovery_disk_change(const struct recovery_found *f, const struct session *s)
{
    const struct file_stamp *now = &s->dom->stamp;
    const struct recovery_base *was = &f->base;
    if (was->known && now->valid && was->size == now->size && was->hash == now->hash)
        return NULL;
    char then[64], mod[64];
    format_time(mod, sizeof mod, now->mtime.tv_sec);
    /* the name as the user gave it would push the rest off the line */
    const char *slash = strrchr(s->dom->name, '/');
    const char *name = slash && slash[1] ? slash + 1 : s->dom->name;
    struct strbuf sb = { 0 };
    if (!was->known) {
        sb_printf(&sb, "%s (modified %s) may have changed since: the recovery file does not "
                  "say which version its changes were made to", name, mod);
    } else {
        format_time(then, sizeof then, was->mtime.tv_sec);
        sb_printf(&sb, "%s changed on disk since that session loaded it: it was %lld bytes of "
                  "%s, it is %lld bytes of %s", name, (long long)was->size, then,
                  (long long)now->size, mod);
    }
    struct err e ERR_SCOPE = ERR_INIT;
    struct recovery_base base;
    size_t rlen, dlen = 0;
    char *rec = read_recovery(f->path, &rlen, &base, &e);
    char *disk = rec ? domain_serialize(s->dom, &dlen, &e) : NULL;
    if (disk) {
        size_t only_disk, only_rec;
        lines_differ(disk, dlen, rec, rlen, &only_disk, &only_rec);
        sb_printf(&sb, "; %zu line%s only on disk, %zu only in the recovery", only_disk,
                  only_disk == 1 ? "" : "s", only_rec);
    }
    free(rec);
    free(disk);
    return sb_detach(&sb);
}

bool recovery_restore(struct recovery *r, struct session *s, struct recovery_found *f,
                      struct err *e)
{
    if (!check_claimed(f, e))
        return false;
    struct recovery_base base;
    size_t rlen;
    char *text = read_recovery(f->path, &rlen, &base, e);
    struct domain *saved = text ? domain_load_memory(text, rlen, f->path, e) : NULL;
    free(text);
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
    struct err ignored ERR_SCOPE = ERR_INIT;
    if (!s->modified || (recovery_update(r, s, &ignored) && r && r->written))
        remove_claimed(f, &ignored);
    return true;
}

bool recovery_discard(struct recovery_found *f, struct err *e)
{
    return check_claimed(f, e) && remove_claimed(f, e);
}

/* Creates a new file for the recovered document beside path: never one
 * that exists.  The fd, with the name in *name; -1 with e set. */
static int create_beside(const char *path, char **name, struct err *e)
{
    for (int i = 0; i < 100; i++) {
        *name = i ? xasprintf("%s.recovered.%d", path, i) : xasprintf("%s.recovered", path);
        /* 0600: a domain XML may hold secrets, as the recovery file did */
        int fd = open(*name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST) {
            err_set(e, "%s: cannot create it: %s", *name, strerror(errno));
            free(*name);
            *name = NULL;
            return -1;
        }
        free(*name);
    }
    *name = NULL;
    err_set(e, "%s.recovered: it and 99 numbered ones exist already", path);
    return -1;
}

bool recovery_write_aside(struct recovery_found *f, const struct session *s, char **written,
                          struct err *e)
{
    *written = NULL;
    if (!check_claimed(f, e))
        return false;
    if (!s->dom->path) {
        err_set(e, "%s has no file to write the recovered document beside", s->dom->name);
        return false;
    }
    struct recovery_base base;
    size_t len;
    char *text = read_recovery(f->path, &len, &base, e);
    if (!text)
        return false;
    char *name;
    int fd = create_beside(s->dom->path, &name, e);
    bool ok = fd >= 0 && write_all(fd, text, len) && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    free(text);
    if (fd >= 0 && !ok) {
        err_set(e, "%s: cannot write it: %s", name, strerror(errno));
        unlink(name);
    }
    if (!ok) {
        free(name);
        return false;
    }
    *written = name;
    /* the recovered document is safe in that file now */
    struct err ignored ERR_SCOPE = ERR_INIT;
    remove_claimed(f, &ignored);
    return true;
}
