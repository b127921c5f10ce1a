/* The recovery file: written while there are unsaved changes, gone when
 * there are none, found by the next pcitopo on the same file, restored as
 * one undo step, and never in the way of a running editor.  Whether an
 * editor runs is its lock, never its pid (a new editor in a fresh PID
 * namespace has the pid of the dead one).  A file changed on disk since
 * the lost changes were made is noticed, and the changes can be written
 * beside it instead.  Without a state directory, the reason is given. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "recover.h"
#include "tap.h"
#include "testutil.h"

static char *state;   /* XDG_STATE_HOME of these tests */
static char *work;    /* where the domain files are */
static char *example; /* the bytes of the built-in example */

static struct session *open_copy(const char *name)
{
    char *path = tu_path(work, name);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_file(path, &e);
    if (!s)
        diag("%s: %s", path, e.msg);
    free(path);
    return s;
}

/* work/NAME, a fresh copy of the example */
static void fresh(const char *name)
{
    char *path = tu_path(work, name);
    tu_write(path, example, strlen(example));
    free(path);
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* A recovery file as an older pcitopo, that has died, would have left it:
 * named after its pid, without a lock file, without a record. */
static char *plant(const struct recovery *r, long pid, const char *text)
{
    char *path = xasprintf("%s/%s%ld.xml", r->dir, r->prefix, pid);
    tu_write(path, text, strlen(text));
    return path;
}

/* The recovery file's document: its bytes up to the record. */
static char *document_of(const char *path)
{
    size_t len;
    char *text = tu_read(path, &len);
    char *record = text ? strstr(text, "<!-- pcitopo-recovery ") : NULL;
    if (record)
        *record = '\0';
    return text;
}

/* An editor that had unsaved changes (the command cmd) in NAME and was
 * killed: its recovery file stays, and nobody holds its lock.  Returns
 * the recovery file's path and, in *lost, the document it holds. */
static char *killed_editor(const char *name, const char *cmd, char **lost)
{
    struct session *s = open_copy(name);
    struct err e ERR_SCOPE = ERR_INIT;
    struct recovery *r = recovery_new(s, &e);
    ok(tu_run(s, cmd, &e, NULL, 0) && recovery_update(r, s, &e),
       "%s: the lost editor's change is in its recovery file", name);
    *lost = tu_bytes(s);
    char *path = xstrdup(r->mine);
    recovery_free(r);   /* as its exit would: the file stays, the lock goes */
    session_free(s);
    return path;
}

static void test_follows_the_document(void)
{
    struct session *s = open_copy("guest.xml");
    struct err e ERR_SCOPE = ERR_INIT;
    struct recovery *r = recovery_new(s, &e);
    ok(r != NULL, "a file in a state directory gets recovery");
    if (!r)
        return;
    has_str(r->mine, "/pcitopo/recover/guest.xml-", "named after the file, in STATE/pcitopo/recover");
    ok(recovery_update(r, s, &e) && !exists(r->mine), "no changes: no recovery file");
    ok(!exists(r->lock), "and no lock file");

    ok(tu_run(s, "add virtio-net", &e, NULL, 0), "a change");
    ok(recovery_update(r, s, &e) && exists(r->mine), "unsaved changes: a recovery file");
    size_t len;
    char *kept = tu_read(r->mine, &len), *now = tu_bytes(s), *doc = document_of(r->mine);
    is_str(doc, now, "it holds what a save would write");
    ok(strncmp(kept + strlen(now), "<!-- pcitopo-recovery base-size=", 32) == 0,
       "then the record of the file on disk it was made from");
    struct session *reopened = session_open_file(r->mine, &e);
    ok(reopened != NULL, "and it still opens as a domain XML");
    session_free(reopened);
    free(kept);
    free(doc);
    free(now);
    struct stat sb;
    stat(r->dir, &sb);
    is_int(sb.st_mode & 0777, 0700, "its directory is private (domain XML may hold secrets)");
    stat(r->mine, &sb);
    is_int(sb.st_mode & 0777, 0600, "and so is the file");

    int fd = open(r->lock, O_RDONLY);
    ok(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0, "its lock is held while the editor runs");
    if (fd >= 0)
        close(fd);

    ok(tu_run(s, "undo", &e, NULL, 0) && recovery_update(r, s, &e) && !exists(r->mine),
       "undone back to the file: the recovery file goes");
    ok(!exists(r->lock), "and its lock file");
    ok(tu_run(s, "redo", &e, NULL, 0) && recovery_update(r, s, &e) && exists(r->mine),
       "redone: it is back");
    ok(tu_run(s, "save", &e, NULL, 0) && recovery_update(r, s, &e) && !exists(r->mine),
       "saved: it goes");
    ok(!exists(r->lock), "and its lock file");
    recovery_free(r);
    session_free(s);
}

/* Whether f (n of them) has path, and what was found for it. */
static const struct recovery_found *found(const struct recovery_found *f, size_t n,
                                          const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].path, path) == 0)
            return &f[i];
    return NULL;
}

static void test_find_and_restore(void)
{
    struct session *s = open_copy("guest.xml");
    struct err e ERR_SCOPE = ERR_INIT;
    ok(tu_run(s, "add e1000 alias=ua-lost", &e, NULL, 0), "the lost session's change");
    char *lost = tu_bytes(s);
    session_free(s);

    s = open_copy("guest.xml");
    char *disk = tu_bytes(s);
    struct recovery *r = recovery_new(s, &e);
    char *dead = plant(r, 99999999, lost);
    size_t n;
    struct recovery_found *f = recovery_find(r, &n);
    is_int((long)n, 1, "the dead editor's recovery file is found");
    ok(n == 1 && !f[0].running && f[0].lock_fd >= 0, "as dead, and claimed");
    ok(n == 1 && !f[0].base.known, "an older pcitopo's does not say what it was made from");

    ok(n == 1 && recovery_restore(r, s, &f[0], &e), "restore the dead editor's changes");
    char *now = tu_bytes(s);
    is_str(now, lost, "the document is the recovered one");
    free(now);
    ok(s->modified, "and has unsaved changes");
    is_str(session_undo_label(s), "restore unsaved changes", "as one undo step");
    ok(exists(r->mine) && !exists(dead), "handed over: ours holds them, the old one is gone");
    recovery_found_free(f, n);
    ok(tu_run(s, "undo", &e, NULL, 0), "undo the restore");
    now = tu_bytes(s);
    is_str(now, disk, "back to the file on disk");
    free(now);
    ok(!s->modified, "unmodified again");
    recovery_update(r, s, &e);

    /* a recovery file with nothing but what is on disk */
    char *same = plant(r, 99999998, disk);
    f = recovery_find(r, &n);
    ok(n == 1 && recovery_restore(r, s, &f[0], &e) && !exists(same) && !s->modified,
       "a recovery file equal to the disk is removed and changes nothing");
    recovery_found_free(f, n);
    free(same);

    /* a broken one is refused and kept */
    char *broken = plant(r, 99999997, "<domain><devices>");
    err_clear(&e);
    f = recovery_find(r, &n);
    ok(n == 1 && !recovery_restore(r, s, &f[0], &e), "a broken recovery file is refused");
    has_str(e.msg, "cannot restore: ", "with a message");
    ok(exists(broken) && !s->modified, "it is kept, and the document is unchanged");
    ok(n == 1 && recovery_discard(&f[0], &e) && !exists(broken), "discard removes it");
    recovery_found_free(f, n);
    free(broken);

    recovery_free(r);
    session_free(s);
    free(dead);
    free(lost);
    free(disk);
}

/* Liveness is the lock, not the pid: what a new editor in a fresh PID
 * namespace (a container) meets, where the dead editor had its pid. */
static void test_not_the_pid(void)
{
    fresh("pid.xml");
    struct session *s = open_copy("pid.xml");
    struct err e ERR_SCOPE = ERR_INIT;
    struct recovery *r = recovery_new(s, &e);
    char *disk = tu_bytes(s);
    ok(tu_run(s, "add e1000 alias=ua-lost", &e, NULL, 0), "a change");
    char *lost = tu_bytes(s);
    ok(tu_run(s, "undo", &e, NULL, 0), "not ours: undone");

    char *same_pid = plant(r, (long)getpid(), lost);   /* the dead one had our pid */
    char *pid1 = plant(r, 1, lost);                     /* or that of one that runs */
    size_t n;
    struct recovery_found *f = recovery_find(r, &n);
    is_int((long)n, 2, "a dead editor's file with our pid, or a running process's, is found");
    const struct recovery_found *a = found(f, n, same_pid), *b = found(f, n, pid1);
    ok(a && !a->running, "the one with our pid is dead: nobody holds its lock");
    ok(b && !b->running, "so is the one with the pid of a running process");
    recovery_found_free(f, n);

    ok(tu_run(s, "add virtio-net", &e, NULL, 0) && recovery_update(r, s, &e), "our own change");
    ok(strcmp(r->mine, same_pid) != 0 && strcmp(r->mine, pid1) != 0,
       "ours has a name of its own");
    char *kept = tu_read(same_pid, &(size_t){ 0 });
    is_str(kept, lost, "the dead editor's file is not overwritten");
    free(kept);
    ok(tu_run(s, "save", &e, NULL, 0) && recovery_update(r, s, &e) && exists(same_pid)
       && exists(pid1), "nor removed by our save");
    char *pid_xml = tu_path(work, "pid.xml");
    tu_write(pid_xml, disk, strlen(disk));
    free(pid_xml);

    /* a running editor in another process: its lock, whatever its pid */
    int ready[2], hold[2];
    if (pipe(ready) != 0 || pipe(hold) != 0)
        return;
    pid_t child = fork();
    if (child == 0) {
        struct session *cs = open_copy("guest.xml");
        struct err ce ERR_SCOPE = ERR_INIT;
        struct recovery *cr = recovery_new(cs, &ce);
        tu_run(cs, "add virtio-net", &ce, NULL, 0);
        bool up = recovery_update(cr, cs, &ce);
        if (write(ready[1], up ? "y" : "n", 1) != 1)
            _exit(1);
        char c;
        while (read(hold[0], &c, 1) > 0)
            ;
        _exit(0);   /* killed before this: the file stays */
    }
    close(ready[1]);
    close(hold[0]);
    char c = 'n';
    ok(read(ready[0], &c, 1) == 1 && c == 'y', "another editor has unsaved changes");
    struct session *g = open_copy("guest.xml");
    struct recovery *rg = recovery_new(g, &e);
    f = recovery_find(rg, &n);
    ok(n == 1 && f[0].running && f[0].lock_fd < 0, "it is running: seen, not claimed");
    ok(n == 1 && !recovery_discard(&f[0], &e) && exists(f[0].path),
       "and its file cannot be discarded");
    recovery_found_free(f, n);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    f = recovery_find(rg, &n);
    ok(n == 1 && !f[0].running, "killed: it is dead");

    /* two new editors at once: the one that claimed it first has it */
    struct recovery *other = recovery_new(g, &e);
    size_t n2;
    struct recovery_found *f2 = recovery_find(other, &n2);
    ok(n2 == 1 && f2[0].running, "while one editor offers it, another sees it taken");
    recovery_found_free(f2, n2);
    ok(n == 1 && recovery_discard(&f[0], &e), "the first one discards it");
    f2 = recovery_find(other, &n2);
    is_int((long)n2, 0, "then it is gone for the other");
    recovery_found_free(f2, n2);
    recovery_found_free(f, n);
    recovery_free(other);
    recovery_free(rg);
    session_free(g);
    close(hold[1]);
    close(ready[0]);

    f = recovery_find(r, &n);
    bool discarded = n == 2;
    for (size_t i = 0; i < n; i++)
        discarded = recovery_discard(&f[i], &e) && discarded;
    ok(discarded, "the dead editors' files are discarded");
    recovery_found_free(f, n);
    char *left = tu_path(state, "pcitopo/recover");
    recovery_free(r);
    session_free(s);
    is_int(tu_count_entries(left), 0, "nothing is left behind, no lock file either");
    free(left);
    free(same_pid);
    free(pid1);
    free(lost);
    free(disk);
}

/* The file changed on disk after the lost editor loaded it. */
static void test_changed_on_disk(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    fresh("changed.xml");
    char *lost, *rec = killed_editor("changed.xml", "add e1000 alias=ua-lost", &lost);

    struct session *s = open_copy("changed.xml");
    struct recovery *r = recovery_new(s, &e);
    size_t n;
    struct recovery_found *f = recovery_find(r, &n);
    ok(n == 1 && !f[0].running && f[0].base.known, "found, with the record of its file");
    char *change = n == 1 ? recovery_disk_change(&f[0], s) : xstrdup("");
    ok(change == NULL, "the file did not change: a plain restore");
    free(change);
    recovery_found_free(f, n);
    session_free(s);
    recovery_free(r);

    /* someone else edits the file */
    char *path = tu_path(work, "changed.xml");
    char *theirs = xasprintf("%s<!-- theirs -->\n", example);
    tu_write(path, theirs, strlen(theirs));
    s = open_copy("changed.xml");
    r = recovery_new(s, &e);
    f = recovery_find(r, &n);
    change = n == 1 ? recovery_disk_change(&f[0], s) : NULL;
    ok(change != NULL, "the file changed since: noticed");
    has_str(change, "changed.xml changed on disk since that session loaded it", "and said");
    char *sizes = xasprintf("it was %zu bytes of ", strlen(example));
    has_str(change, sizes, "with the size it had");
    has_str(change, "; 1 line only on disk, ", "and how many lines differ");
    free(sizes);
    free(change);

    ok(n == 1 && recovery_restore(r, s, &f[0], &e), "restore anyway");
    char *now = tu_bytes(s);
    is_str(now, lost, "the editor has the recovered document");
    free(now);
    ok(tu_run(s, "undo", &e, NULL, 0), "as one undo step");
    now = tu_bytes(s);
    is_str(now, theirs, "undone: the newer file on disk");
    free(now);
    recovery_update(r, s, &e);
    recovery_found_free(f, n);
    recovery_free(r);
    session_free(s);
    free(rec);
    free(lost);

    /* write it beside the file instead, twice: nothing is overwritten */
    char *aside = tu_path(work, "changed.xml.recovered");
    char *aside1 = tu_path(work, "changed.xml.recovered.1");
    tu_write(path, example, strlen(example));
    for (int i = 0; i < 2; i++) {
        rec = killed_editor("changed.xml", i ? "add virtio-net" : "add e1000 alias=ua-lost", &lost);
        tu_write(path, theirs, strlen(theirs));
        s = open_copy("changed.xml");
        r = recovery_new(s, &e);
        f = recovery_find(r, &n);
        char *written = NULL;
        ok(n == 1 && recovery_write_aside(&f[0], s, &written, &e), "write it beside the file");
        is_str(written, i ? aside1 : aside, i ? "as FILE.recovered.1 when FILE.recovered exists"
                                               : "as FILE.recovered");
        char *got = written ? tu_read(written, &(size_t){ 0 }) : NULL;
        is_str(got, lost, "which holds the recovered document, without the record");
        ok(!exists(rec), "the recovery file is gone");
        ok(!s->modified, "the editor keeps the file as it is on disk");
        free(got);
        char *file_now = tu_read(path, &(size_t){ 0 });
        is_str(file_now, theirs, "and the file is untouched");
        free(file_now);
        free(written);
        recovery_found_free(f, n);
        recovery_free(r);
        session_free(s);
        free(rec);
        free(lost);
        tu_write(path, example, strlen(example));
    }
    char *first = tu_read(aside, &(size_t){ 0 });
    ok(first && strstr(first, "ua-lost"), "the first FILE.recovered was not overwritten");
    free(first);

    /* an older pcitopo's file does not say: ask as if it changed */
    s = open_copy("changed.xml");
    r = recovery_new(s, &e);
    char *old = plant(r, 4242, example);
    f = recovery_find(r, &n);
    change = n == 1 ? recovery_disk_change(&f[0], s) : NULL;
    has_str(change, "may have changed since: the recovery file does not say",
            "a recovery file without a record: the user is asked");
    free(change);
    ok(n == 1 && recovery_discard(&f[0], &e) && !exists(old), "discarded");
    recovery_found_free(f, n);
    recovery_free(r);
    session_free(s);
    free(old);
    unlink(aside);
    unlink(aside1);
    free(aside);
    free(aside1);
    free(theirs);
    free(path);
}

static void test_names(void)
{
    struct session *a = open_copy("guest.xml");
    struct err e ERR_SCOPE = ERR_INIT;
    char *sub = tu_path(work, "other");
    mkdir(sub, 0755);
    char *src = tu_path(work, "guest.xml"), *dst = tu_path(sub, "guest.xml");
    size_t len;
    char *text = tu_read(src, &len);
    tu_write(dst, text, len);
    struct session *b = session_open_file(dst, &e);
    struct recovery *ra = recovery_new(a, &e), *rb = b ? recovery_new(b, &e) : NULL;
    ok(ra && rb && strcmp(ra->prefix, rb->prefix) != 0,
       "files of the same name in two directories get different recovery files");
    struct recovery *ra2 = recovery_new(a, &e);
    ok(ra && ra2 && strcmp(ra->mine, ra2->mine) != 0,
       "two editors of one file (in one process, so with one pid) get different names");
    recovery_free(ra2);

    char cwd[4096];
    ok(getcwd(cwd, sizeof cwd) && chdir(work) == 0, "cd to the file's directory");
    struct session *rel = session_open_file("guest.xml", &e);
    struct recovery *rr = rel ? recovery_new(rel, &e) : NULL;
    ok(rr && ra && strcmp(rr->prefix, ra->prefix) == 0,
       "a relative path finds the same recovery file as the absolute one");
    ok(chdir(cwd) == 0, "cd back");

    struct session *ex = session_open_example(&e);
    err_clear(&e);
    ok(!recovery_new(ex, &e), "the built-in example has no file to recover to");
    has_str(e.msg, "has no file", "and says so");

    recovery_free(ra);
    recovery_free(rb);
    recovery_free(rr);
    session_free(a);
    session_free(b);
    session_free(rel);
    session_free(ex);
    free(text);
    free(src);
    free(dst);
    free(sub);
}

/* No state directory: recovery_new says why, for the editor to show. */
static void test_no_state_dir(void)
{
    struct session *s = open_copy("guest.xml");
    struct err e ERR_SCOPE = ERR_INIT;
    char *home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;

    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    ok(!recovery_new(s, &e), "no HOME and no XDG_STATE_HOME: no recovery");
    is_str(e.msg, "no HOME or XDG_STATE_HOME", "and it says so");

    setenv("XDG_STATE_HOME", "relative/state", 1);
    err_clear(&e);
    ok(!recovery_new(s, &e), "a relative XDG_STATE_HOME counts for nothing (the spec says so)");
    is_str(e.msg, "no HOME or XDG_STATE_HOME", "and it says so");

    char *file = tu_path(work, "a-file");
    tu_write(file, "x", 1);
    setenv("XDG_STATE_HOME", file, 1);
    err_clear(&e);
    ok(!recovery_new(s, &e), "XDG_STATE_HOME is a file: no recovery");
    char *want = xasprintf("cannot make %s/pcitopo: Not a directory", file);
    is_str(e.msg, want, "and it says which directory cannot be made, and why");
    free(want);

    char *deep = xasprintf("%s/below/a/file", file);
    setenv("XDG_STATE_HOME", deep, 1);
    err_clear(&e);
    ok(!recovery_new(s, &e), "a state directory below a file: no recovery");
    want = xasprintf("cannot make %s/pcitopo: Not a directory", deep);
    is_str(e.msg, want, "and the reason is the first part that could not be made");
    free(want);
    free(deep);

    char *st = tu_path(work, "st");
    char *pdir = tu_path(st, "pcitopo");
    mkdir(st, 0700);
    mkdir(pdir, 0700);
    char *rec = tu_path(pdir, "recover");
    tu_write(rec, "x", 1);
    setenv("XDG_STATE_HOME", st, 1);
    err_clear(&e);
    ok(!recovery_new(s, &e), "its recover directory is a file: no recovery");
    want = xasprintf("cannot make %s: Not a directory", rec);
    is_str(e.msg, want, "and it says so");
    free(want);
    unlink(rec);
    tu_rmtree(st);

    setenv("XDG_STATE_HOME", state, 1);
    if (home)
        setenv("HOME", home, 1);
    free(home);
    free(file);
    free(st);
    free(pdir);
    free(rec);
    session_free(s);
}

int main(void)
{
    work = xstrdup(tu_tmpdir());
    state = xstrdup(tu_tmpdir());
    setenv("XDG_STATE_HOME", state, 1);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *ex = session_open_example(&e);
    example = tu_bytes(ex);
    session_free(ex);
    fresh("guest.xml");

    test_follows_the_document();
    test_find_and_restore();
    test_not_the_pid();
    test_changed_on_disk();
    test_names();
    test_no_state_dir();

    tu_rmtree(work);
    tu_rmtree(state);
    free(work);
    free(state);
    free(example);
    return tap_done();
}
