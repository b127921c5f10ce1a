/* The recovery file: written while there are unsaved changes, gone when
 * there are none, found by the next pcitopo on the same file, restored as
 * one undo step, and never in the way of a running editor. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recover.h"
#include "tap.h"
#include "testutil.h"

static char *state;   /* XDG_STATE_HOME of these tests */
static char *work;    /* where the domain files are */

static struct session *open_copy(const char *name)
{
    char *path = tu_path(work, name);
    struct err e = { 0 };
    struct session *s = session_open_file(path, &e);
    if (!s)
        diag("%s: %s", path, e.msg);
    free(path);
    return s;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* A recovery file as an editor that has died would have left it. */
static char *plant(const struct recovery *r, long pid, const char *text)
{
    char *path = xasprintf("%s/%s%ld.xml", r->dir, r->prefix, pid);
    tu_write(path, text, strlen(text));
    return path;
}

static void test_follows_the_document(void)
{
    struct session *s = open_copy("guest.xml");
    struct err e = { 0 };
    struct recovery *r = recovery_new(s, &e);
    ok(r != NULL, "a file in a state directory gets recovery");
    if (!r)
        return;
    has_str(r->mine, "/pcitopo/recover/guest.xml-", "named after the file, in STATE/pcitopo/recover");
    ok(recovery_update(r, s, &e) && !exists(r->mine), "no changes: no recovery file");

    ok(tu_run(s, "add virtio-net", &e, NULL, 0), "a change");
    ok(recovery_update(r, s, &e) && exists(r->mine), "unsaved changes: a recovery file");
    size_t len;
    char *kept = tu_read(r->mine, &len), *now = tu_bytes(s);
    is_str(kept, now, "it holds what a save would write");
    free(kept);
    free(now);
    struct stat sb;
    stat(r->dir, &sb);
    is_int(sb.st_mode & 0777, 0700, "its directory is private (domain XML may hold secrets)");

    ok(tu_run(s, "undo", &e, NULL, 0) && recovery_update(r, s, &e) && !exists(r->mine),
       "undone back to the file: the recovery file goes");
    ok(tu_run(s, "redo", &e, NULL, 0) && recovery_update(r, s, &e) && exists(r->mine),
       "redone: it is back");
    ok(tu_run(s, "save", &e, NULL, 0) && recovery_update(r, s, &e) && !exists(r->mine),
       "saved: it goes");
    recovery_free(r);
    session_free(s);
}

static void test_find_and_restore(void)
{
    struct session *s = open_copy("guest.xml");
    struct err e = { 0 };
    ok(tu_run(s, "add e1000 alias=ua-lost", &e, NULL, 0), "the lost session's change");
    char *lost = tu_bytes(s);
    session_free(s);

    s = open_copy("guest.xml");
    char *disk = tu_bytes(s);
    struct recovery *r = recovery_new(s, &e);
    /* pid 1 is running (it is init); a pid past pid_max never is */
    char *dead = plant(r, 99999999, lost);
    char *live = plant(r, 1, lost);
    size_t n;
    struct recovery_found *f = recovery_find(r, &n);
    is_int((long)n, 2, "both recovery files are found");
    bool dead_seen = false, live_seen = false;
    for (size_t i = 0; i < n; i++) {
        if (f[i].pid == 99999999)
            dead_seen = !f[i].running;
        if (f[i].pid == 1)
            live_seen = f[i].running;
    }
    ok(dead_seen, "the dead editor's is not running");
    ok(live_seen, "the running one's is running");
    recovery_found_free(f, n);
    unlink(live);

    ok(recovery_restore(r, s, dead, &e), "restore the dead editor's changes");
    char *now = tu_bytes(s);
    is_str(now, lost, "the document is the recovered one");
    free(now);
    ok(s->modified, "and has unsaved changes");
    is_str(session_undo_label(s), "restore unsaved changes", "as one undo step");
    ok(exists(r->mine) && !exists(dead), "handed over: ours holds them, the old one is gone");
    ok(tu_run(s, "undo", &e, NULL, 0), "undo the restore");
    now = tu_bytes(s);
    is_str(now, disk, "back to the file on disk");
    free(now);
    ok(!s->modified, "unmodified again");

    /* a recovery file with nothing but what is on disk */
    char *same = plant(r, 99999998, disk);
    ok(recovery_restore(r, s, same, &e) && !exists(same) && !s->modified,
       "a recovery file equal to the disk is removed and changes nothing");
    free(same);

    /* a broken one is refused and kept */
    char *broken = plant(r, 99999997, "<domain><devices>");
    err_clear(&e);
    ok(!recovery_restore(r, s, broken, &e), "a broken recovery file is refused");
    has_str(e.msg, "cannot restore: ", "with a message");
    ok(exists(broken) && !s->modified, "it is kept, and the document is unchanged");
    ok(recovery_discard(broken, &e) && !exists(broken), "discard removes it");
    free(broken);

    recovery_free(r);
    session_free(s);
    free(dead);
    free(live);
    free(lost);
    free(disk);
}

static void test_names(void)
{
    struct session *a = open_copy("guest.xml");
    struct err e = { 0 };
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

int main(void)
{
    work = xstrdup(tu_tmpdir());
    state = xstrdup(tu_tmpdir());
    setenv("XDG_STATE_HOME", state, 1);
    struct err e = { 0 };
    struct session *ex = session_open_example(&e);
    char *bytes = tu_bytes(ex);
    char *guest = tu_path(work, "guest.xml");
    tu_write(guest, bytes, strlen(bytes));
    free(guest);
    free(bytes);
    session_free(ex);

    test_follows_the_document();
    test_find_and_restore();
    test_names();

    tu_rmtree(work);
    tu_rmtree(state);
    free(work);
    free(state);
    return tap_done();
}
