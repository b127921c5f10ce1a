/* recover: the recovery file, which holds the editor's unsaved changes so
 * that a crash, a lost terminal or a kill -9 does not lose them.
 *
 * While a document has unsaved changes, the editor keeps it, as the bytes
 * a save would write, in STATE/recover/NAME-HASH-ID.xml (STATE is
 * state_dir_new(); HASH names the file's absolute path, ID is random per
 * editor: never the pid, which a new editor in a fresh PID namespace gets
 * again).  After the document comes one XML comment, the record of the
 * file on disk the changes were made to (its size, hash and mtime), so
 * that a restore can tell when the file changed since.
 *
 * Beside it, NAME-HASH-ID.lock is flock()ed by that editor for as long as
 * the recovery file exists: a recovery file whose lock nobody holds is
 * dead, whatever the pids say.  The editor that offers a dead one holds
 * its lock while it asks, so that two new editors never both take it.
 *
 * A save or a clean quit removes both.  Each recovery file is a whole
 * domain XML, so it can also be opened or copied by hand. */
#ifndef PCITOPO_RECOVER_H
#define PCITOPO_RECOVER_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "session.h"
#include "util.h"

/* The recovery files of one document file. */
struct recovery {
    char *dir;      /* STATE/recover; owned */
    char *prefix;   /* "guest.xml-0123456789abcdef-": names of this file's; owned */
    char *mine;     /* this editor's recovery file; owned */
    char *lock;     /* its lock file; owned */
    int lock_fd;    /* mine's lock, held from before mine is written; -1 */
    bool written;   /* mine exists */
    unsigned long gen;   /* the document generation mine holds */
};

/* Recovery for the file s was loaded from.  NULL (nothing kept, nothing
 * to offer) when s has no file, there is no state directory or it cannot
 * be written; why (may be NULL) then says which, in words for "unsaved
 * changes are not kept for recovery: ...". */
struct recovery *recovery_new(const struct session *s, struct err *why);
void recovery_free(struct recovery *r);

/* Brings the recovery file in line with s: written when s has unsaved
 * changes, removed when it has none.  False with e set when it cannot be
 * written (the editor says so; the document itself is not at risk). */
bool recovery_update(struct recovery *r, struct session *s, struct err *e);
/* Removes this editor's recovery file: after a save, or when the user
 * quits and discards the changes. */
void recovery_remove(struct recovery *r);

/* The file on disk a recovery file's changes were made to. */
struct recovery_base {
    bool known;     /* false: the recovery file does not say */
    off_t size;
    unsigned long long hash;   /* hash_bytes of the file */
    struct timespec mtime;
};

/* A recovery file another pcitopo left for the same file. */
struct recovery_found {
    char *path;     /* owned */
    char *lock;     /* its lock file; owned */
    int lock_fd;    /* its lock, held by this process (claimed); -1 */
    bool running;   /* its editor still runs (or another one is offering it) */
    time_t mtime;   /* when it was last written */
    struct recovery_base base;   /* dead ones: what its changes were made to */
};

/* The other recovery files for r's document, newest first; *n of them.
 * The dead ones are claimed (their locks held) until freed or taken.
 * Free with recovery_found_free. */
struct recovery_found *recovery_find(const struct recovery *r, size_t *n);
/* Moves f[i] out of f, into a new one-element array the caller frees
 * with recovery_found_free(.., 1); f[i] is left empty. */
struct recovery_found *recovery_found_take(struct recovery_found *f, size_t i);
void recovery_found_free(struct recovery_found *f, size_t n);

/* Whether the file s was just loaded from is no longer the one f's
 * changes were made to: NULL when it is the same, else a new line that
 * says how it differs (when, sizes, lines), for the user to choose. */
char *recovery_disk_change(const struct recovery_found *f, const struct session *s);

/* Makes the claimed recovery file f s's document, as one undo step (undo
 * goes back to the file as it is on disk), and hands it over to r: once
 * r's own recovery file holds the changes, f's is removed.  False with e
 * set (s unchanged, f kept) when it does not load. */
bool recovery_restore(struct recovery *r, struct session *s, struct recovery_found *f,
                      struct err *e);
/* Deletes a claimed recovery file the user chose to discard.  False with
 * e set. */
bool recovery_discard(struct recovery_found *f, struct err *e);
/* Writes the document of the claimed recovery file f beside s's file, as
 * FILE.recovered (FILE.recovered.N when that exists: nothing is
 * overwritten), for the user to merge by hand; then f is removed.  The
 * new file's path in *written (caller frees).  False with e set, f kept. */
bool recovery_write_aside(struct recovery_found *f, const struct session *s, char **written,
                          struct err *e);

#endif
